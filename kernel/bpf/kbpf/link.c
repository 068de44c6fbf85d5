// SPDX-License-Identifier: GPL-2.0
/*
 * Links: a program attached to a hook, held by a file descriptor.
 *
 * Closing the last descriptor (or BPF_LINK_DETACH) detaches the program;
 * a detached link stays a descriptor userspace may still ask about. Each
 * kind of hook gives a struct kbpf_link_ops: perf events (BPF_LINK_CREATE
 * with BPF_PERF_EVENT) and raw tracepoints (BPF_RAW_TRACEPOINT_OPEN).
 * Links have global ids like programs and maps.
 */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/perf_event.h>
#include <linux/slab.h>

#include "attach.h"
#include "link.h"
#include "prog.h"

static DEFINE_IDR(kbpf_link_ids);
static DEFINE_SPINLOCK(kbpf_link_ids_lock);

/**
 * kbpf_link_init() - set up @link for @prog, not yet attached
 * @link: the link, embedded in its kind's struct
 * @type: its BPF_LINK_TYPE_*
 * @ops: its kind's operations
 * @prog: the program; the link takes over the caller's reference
 */
void kbpf_link_init(struct kbpf_link *link, u32 type,
		    const struct kbpf_link_ops *ops, struct kbpf_prog *prog)
{
	refcount_set(&link->refcnt, 1);
	mutex_init(&link->lock);
	link->type = type;
	link->ops = ops;
	link->prog = prog;
}

static void kbpf_link_detach_locked(struct kbpf_link *link)
{
	lockdep_assert_held(&link->lock);
	if (link->detached)
		return;
	link->ops->detach(link);
	link->detached = true;
}

/**
 * kbpf_link_put() - drop a reference to @link, freeing it with the last
 * @link: the link
 */
void kbpf_link_put(struct kbpf_link *link)
{
	struct kbpf_prog *prog = link->prog;

	if (!refcount_dec_and_test(&link->refcnt))
		return;
	if (link->id) {
		spin_lock_bh(&kbpf_link_ids_lock);
		idr_remove(&kbpf_link_ids, link->id);
		spin_unlock_bh(&kbpf_link_ids_lock);
	}
	mutex_lock(&link->lock);
	kbpf_link_detach_locked(link);
	mutex_unlock(&link->lock);
	link->ops->free(link);
	kbpf_prog_put(prog);
}

/**
 * kbpf_link_abort() - free a link whose attach failed
 * @link: the link, never attached nor published
 */
void kbpf_link_abort(struct kbpf_link *link)
{
	link->detached = true;
	kbpf_link_put(link);
}

static int kbpf_link_release(struct inode *inode, struct file *file)
{
	kbpf_link_put(file->private_data);
	return 0;
}

static const struct file_operations kbpf_link_fops = {
	.release = kbpf_link_release,
};

/**
 * kbpf_link_publish() - give an attached @link an id and a descriptor
 * @link: the link, attached
 *
 * Return: the descriptor; on an error (-ENOSPC, -ENOMEM, -EMFILE...) the
 * link has been detached and freed.
 */
int kbpf_link_publish(struct kbpf_link *link)
{
	int id, fd;

	idr_preload(GFP_KERNEL);
	spin_lock_bh(&kbpf_link_ids_lock);
	id = idr_alloc_cyclic(&kbpf_link_ids, link, 1, INT_MAX, GFP_ATOMIC);
	spin_unlock_bh(&kbpf_link_ids_lock);
	idr_preload_end();
	if (id > 0)
		link->id = id;
	fd = id < 0 ? id : anon_inode_getfd("bpf_link", &kbpf_link_fops, link,
					    O_CLOEXEC);
	if (fd < 0)
		kbpf_link_put(link);
	return fd;
}

/**
 * kbpf_link_get_fd() - the link behind descriptor @fd, referenced
 * @fd: the descriptor
 *
 * Return: the link, or -EBADF for no file, -EINVAL for a file of no link.
 */
struct kbpf_link *kbpf_link_get_fd(int fd)
{
	struct kbpf_link *link;
	struct fd f = fdget(fd);

	if (!fd_file(f))
		return ERR_PTR(-EBADF);
	if (fd_file(f)->f_op != &kbpf_link_fops) {
		fdput(f);
		return ERR_PTR(-EINVAL);
	}
	link = fd_file(f)->private_data;
	refcount_inc(&link->refcnt);
	fdput(f);
	return link;
}

/**
 * kbpf_link_detach() - BPF_LINK_DETACH
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: 0, or -EBADF/-EINVAL for a descriptor of no link.
 */
int kbpf_link_detach(union bpf_attr *attr, union bpf_attr __user *uattr,
		     unsigned int size)
{
	struct kbpf_link *link = kbpf_link_get_fd(attr->link_detach.link_fd);

	if (IS_ERR(link))
		return PTR_ERR(link);
	mutex_lock(&link->lock);
	kbpf_link_detach_locked(link);
	mutex_unlock(&link->lock);
	kbpf_link_put(link);
	return 0;
}

/**
 * kbpf_link_get_next_id() - BPF_LINK_GET_NEXT_ID
 * @attr: the command's attr: start_id in, next_id out
 * @uattr: userspace's attr, for next_id
 * @size: bytes userspace gave (unused)
 *
 * Return: 0, or -ENOENT past the last link, -EPERM without CAP_SYS_ADMIN.
 */
int kbpf_link_get_next_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size)
{
	int id = attr->start_id + 1;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (attr->start_id >= INT_MAX)
		return -ENOENT;
	spin_lock_bh(&kbpf_link_ids_lock);
	if (!idr_get_next(&kbpf_link_ids, &id))
		id = -ENOENT;
	spin_unlock_bh(&kbpf_link_ids_lock);
	if (id < 0)
		return id;
	return put_user(id, &uattr->next_id);
}

/**
 * kbpf_link_get_fd_by_id() - BPF_LINK_GET_FD_BY_ID
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: a new descriptor of the link, or -ENOENT for no such link,
 * -EINVAL for open flags, -EPERM without CAP_SYS_ADMIN.
 */
int kbpf_link_get_fd_by_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			   unsigned int size)
{
	struct kbpf_link *link;
	int fd;

	if (attr->open_flags)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	spin_lock_bh(&kbpf_link_ids_lock);
	link = idr_find(&kbpf_link_ids, attr->link_id);
	if (link && !refcount_inc_not_zero(&link->refcnt))
		link = NULL;
	spin_unlock_bh(&kbpf_link_ids_lock);
	if (!link)
		return -ENOENT;
	fd = anon_inode_getfd("bpf_link", &kbpf_link_fops, link, O_CLOEXEC);
	if (fd < 0)
		kbpf_link_put(link);
	return fd;
}

/**
 * kbpf_link_info() - struct bpf_link_info of @link
 * @link: the link
 * @info: in, what userspace gave (its buffers); out, the link's info
 *
 * Return: 0, or the kind's error copying to userspace's buffers.
 */
int kbpf_link_info(const struct kbpf_link *link, struct bpf_link_info *info)
{
	const struct bpf_link_info in = *info;

	memset(info, 0, sizeof(*info));
	info->type = link->type;
	info->id = link->id;
	info->prog_id = link->prog->id;
	return link->ops->fill_info ? link->ops->fill_info(link, &in, info) : 0;
}

/**
 * struct kbpf_perf_link - a program on a perf event
 * @link: the link
 * @perf_file: the event's file, referenced while the link lives
 */
struct kbpf_perf_link {
	struct kbpf_link link;
	struct file *perf_file;
};

static void perf_link_detach(struct kbpf_link *link)
{
	struct kbpf_perf_link *pl = container_of(link, struct kbpf_perf_link, link);

	kbpf_perf_event_detach(pl->perf_file->private_data);
}

static void perf_link_free(struct kbpf_link *link)
{
	struct kbpf_perf_link *pl = container_of(link, struct kbpf_perf_link, link);

	fput(pl->perf_file);
	kfree(pl);
}

static const struct kbpf_link_ops perf_link_ops = {
	.detach = perf_link_detach,
	.free = perf_link_free,
};

/* Takes over the caller's reference to @prog. */
static int perf_link_create(const union bpf_attr *attr, struct kbpf_prog *prog)
{
	struct kbpf_perf_link *pl;
	struct file *perf_file;
	int err;

	if (attr->link_create.flags) {
		err = -EINVAL;
		goto put_prog;
	}
	perf_file = perf_event_get(attr->link_create.target_fd);
	if (IS_ERR(perf_file)) {
		err = PTR_ERR(perf_file);
		goto put_prog;
	}
	pl = kzalloc(sizeof(*pl), GFP_KERNEL_ACCOUNT);
	if (!pl) {
		fput(perf_file);
		err = -ENOMEM;
		goto put_prog;
	}
	kbpf_link_init(&pl->link, BPF_LINK_TYPE_PERF_EVENT, &perf_link_ops, prog);
	pl->perf_file = perf_file;
	/* The event holds a reference of its own while attached. */
	kbpf_prog_get(prog);
	err = kbpf_perf_event_attach(perf_file->private_data, prog,
				     attr->link_create.perf_event.bpf_cookie);
	if (err) {
		kbpf_prog_put(prog);
		kbpf_link_abort(&pl->link);
		return err;
	}
	return kbpf_link_publish(&pl->link);
put_prog:
	kbpf_prog_put(prog);
	return err;
}

/**
 * kbpf_link_create() - BPF_LINK_CREATE
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * kbpf links programs to perf events (kprobe, tracepoint and perf_event
 * programs, attach type BPF_PERF_EVENT).
 *
 * Return: the link's descriptor, or -EBADF/-EINVAL for no program or
 * event, -EINVAL for other program types and attach types, -EOPNOTSUPP
 * for multi-kprobe and multi-uprobe links, or as kbpf_perf_event_attach().
 */
int kbpf_link_create(union bpf_attr *attr, union bpf_attr __user *uattr,
		     unsigned int size)
{
	struct kbpf_prog *prog = kbpf_prog_get_fd(attr->link_create.prog_fd);
	u32 type = attr->link_create.attach_type;
	int fd = -EINVAL;

	if (IS_ERR(prog))
		return PTR_ERR(prog);
	switch (prog->type) {
	case BPF_PROG_TYPE_KPROBE:
		if (type == BPF_TRACE_KPROBE_MULTI ||
		    type == BPF_TRACE_UPROBE_MULTI) {
			fd = -EOPNOTSUPP;
			break;
		}
		fallthrough;
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
		if (type == BPF_PERF_EVENT)
			return perf_link_create(attr, prog);
		break;
	}
	kbpf_prog_put(prog);
	return fd;
}
