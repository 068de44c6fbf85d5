// SPDX-License-Identifier: GPL-2.0
/*
 * BTF objects: BPF_BTF_LOAD, their file descriptors and ids, their info,
 * and the kernel's own BTF ("vmlinux").
 *
 * A loaded blob is copied, checked whole by btf.c, and kept as it came:
 * BPF_OBJ_GET_INFO_BY_FD gives it back byte for byte, as upstream, which
 * is how bpftool dumps it. Nothing in it changes after the load, so maps
 * and programs read it without locks.
 *
 * The kernel's BTF (with CONFIG_DEBUG_INFO_BTF, the .BTF section pahole
 * wrote at build time) is checked the first time anything asks for BTF
 * ids, and from then on is the object of the lowest id, named "vmlinux",
 * as on a stock kernel. The id commands themselves are object.c's, with
 * those of programs and maps.
 */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "btf_object.h"
#include "log.h"

static DEFINE_IDR(kbpf_btf_ids);
static DEFINE_SPINLOCK(kbpf_btf_ids_lock);

/**
 * kbpf_btf_get() - take a reference to @btf
 * @btf: a BTF object the caller holds a reference to
 */
void kbpf_btf_get(struct kbpf_btf *btf)
{
	refcount_inc(&btf->refcnt);
}

static void kbpf_btf_free(struct kbpf_btf *btf)
{
	kbpf_btf_types_free(&btf->types);
	kvfree(btf->data);
	kfree(btf);
}

static void kbpf_btf_free_work(struct work_struct *work)
{
	kbpf_btf_free(container_of(work, struct kbpf_btf, free_work));
}

/**
 * kbpf_btf_put() - drop a reference to @btf
 * @btf: the BTF object
 *
 * The last one frees it from a workqueue: programs drop theirs from an
 * RCU callback, and freeing a large blob is vfree().
 */
void kbpf_btf_put(struct kbpf_btf *btf)
{
	if (!refcount_dec_and_test(&btf->refcnt))
		return;
	if (btf->id) {
		spin_lock_bh(&kbpf_btf_ids_lock);
		idr_remove(&kbpf_btf_ids, btf->id);
		spin_unlock_bh(&kbpf_btf_ids_lock);
	}
	INIT_WORK(&btf->free_work, kbpf_btf_free_work);
	schedule_work(&btf->free_work);
}

static int kbpf_btf_release(struct inode *inode, struct file *file)
{
	kbpf_btf_put(file->private_data);
	return 0;
}

static void kbpf_btf_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kbpf_btf *btf = file->private_data;

	seq_printf(m, "btf_id:\t%u\n", btf->id);
}

static const struct file_operations kbpf_btf_fops = {
	.release = kbpf_btf_release,
	.show_fdinfo = kbpf_btf_show_fdinfo,
};

/**
 * kbpf_btf_new_fd() - a new read-only file descriptor for @btf
 * @btf: the BTF object; the file takes over the caller's reference
 *
 * Return: the file descriptor, or a negative errno (the reference then
 * stays the caller's).
 */
int kbpf_btf_new_fd(struct kbpf_btf *btf)
{
	return anon_inode_getfd("btf", &kbpf_btf_fops, btf, O_RDONLY | O_CLOEXEC);
}

/**
 * kbpf_btf_get_fd() - the BTF object behind file descriptor @fd, referenced
 * @fd: the file descriptor
 *
 * Return: the object with a reference for the caller, or ERR_PTR(-EBADF)
 * for no file, ERR_PTR(-EINVAL) for a file that is no BTF.
 */
struct kbpf_btf *kbpf_btf_get_fd(int fd)
{
	struct fd f = fdget(fd);
	struct kbpf_btf *btf;

	if (!fd_file(f))
		return ERR_PTR(-EBADF);
	if (fd_file(f)->f_op != &kbpf_btf_fops) {
		fdput(f);
		return ERR_PTR(-EINVAL);
	}
	btf = fd_file(f)->private_data;
	kbpf_btf_get(btf);
	fdput(f);
	return btf;
}

static int kbpf_btf_publish(struct kbpf_btf *btf)
{
	int id;

	idr_preload(GFP_KERNEL);
	spin_lock_bh(&kbpf_btf_ids_lock);
	id = idr_alloc_cyclic(&kbpf_btf_ids, btf, 1, INT_MAX, GFP_ATOMIC);
	spin_unlock_bh(&kbpf_btf_ids_lock);
	idr_preload_end();
	if (id < 0)
		return id;
	btf->id = id;
	return 0;
}

/*
 * A BTF object of @size bytes at @data, checked; it frees @owned (the
 * blob, when it is a copy) when it goes, or at once if the check fails.
 */
static struct kbpf_btf *kbpf_btf_new(const void *data, u32 size, void *owned,
				     struct kbpf_log *log)
{
	struct kbpf_btf *btf = kzalloc(sizeof(*btf), GFP_KERNEL_ACCOUNT);
	int err;

	if (!btf) {
		kvfree(owned);
		return ERR_PTR(-ENOMEM);
	}
	btf->data = owned;
	btf->name = "";
	refcount_set(&btf->refcnt, 1);
	err = kbpf_btf_check(&btf->types, data, size, log);
	if (err) {
		kbpf_btf_free(btf);
		return ERR_PTR(err);
	}
	return btf;
}

#ifdef CONFIG_DEBUG_INFO_BTF
/*
 * The kernel's BTF, checked like any other the first time BTF ids are
 * asked for, so that it has the lowest. It keeps its first reference
 * forever. A kernel whose BTF kbpf refused says so once, and has none.
 */
static void kbpf_btf_vmlinux_init(void)
{
	static DEFINE_MUTEX(lock);
	/* Level 0: nothing is written; static, as a log is 1 KiB. */
	static struct kbpf_log log;
	static bool done;
	struct kbpf_btf *btf;

	mutex_lock(&lock);
	if (done)
		goto out;
	btf = kbpf_btf_new(__start_BTF, __stop_BTF - __start_BTF, NULL, &log);
	/* Out of memory, it is tried again on the next call. */
	done = PTR_ERR_OR_ZERO(btf) != -ENOMEM;
	if (IS_ERR(btf)) {
		if (done)
			pr_warn("kbpf: the kernel's BTF was refused (%ld)\n",
				PTR_ERR(btf));
		goto out;
	}
	btf->kernel = true;
	btf->name = "vmlinux";
	if (kbpf_btf_publish(btf))
		kbpf_btf_put(btf);
out:
	mutex_unlock(&lock);
}
#else
static void kbpf_btf_vmlinux_init(void)
{
}
#endif

/**
 * kbpf_btf_info() - struct bpf_btf_info for @btf
 * @btf: the BTF object
 * @info: in, userspace's struct (its buffers); out, what it reads back
 *
 * Return: 0, or -EINVAL for a name buffer without a length or the
 * reverse, -ENOSPC for a name buffer too short (it gets what fits,
 * NUL-terminated), -EFAULT.
 */
int kbpf_btf_info(struct kbpf_btf *btf, struct bpf_btf_info *info)
{
	char __user *uname = u64_to_user_ptr(info->name);
	u32 name_len = strlen(btf->name), uname_len = info->name_len;
	void __user *ubtf = u64_to_user_ptr(info->btf);
	int err = 0;

	if (!uname != !uname_len)
		return -EINVAL;
	if (ubtf && copy_to_user(ubtf, btf->types.data,
				 min(info->btf_size, btf->types.size)))
		return -EFAULT;
	info->btf_size = btf->types.size;
	info->id = btf->id;
	info->kernel_btf = btf->kernel;
	info->name_len = name_len;
	if (!uname)
		return 0;
	if (uname_len < name_len + 1) {
		name_len = uname_len - 1;
		err = -ENOSPC;
	}
	if (copy_to_user(uname, btf->name, name_len) ||
	    put_user(0, uname + name_len))
		return -EFAULT;
	return err;
}

/**
 * kbpf_btf_load() - BPF_BTF_LOAD
 * @attr: the command's attr
 * @uattr: userspace's attr, for btf_log_true_size
 * @size: bytes of attr userspace gave
 *
 * Return: a read-only file descriptor for the checked BTF, or -EINVAL
 * for flags (kbpf takes no tokens), log attributes or BTF it refuses
 * (with the reason in the log), -EEXIST for a type holding itself,
 * -E2BIG for a blob over 16 MiB, a header with unknown fields or chains
 * too deep, -ENOTSUPP for another version, -EFAULT, -ENOSPC for a log
 * that did not fit, -ENOMEM.
 */
int kbpf_btf_load(union bpf_attr *attr, union bpf_attr __user *uattr,
		  unsigned int size)
{
	struct kbpf_btf *btf;
	struct kbpf_log *log;
	u32 true_size;
	void *data;
	int err, fd;

	if (attr->btf_flags)
		return -EINVAL;
	if (attr->btf_size > KBPF_BTF_MAX_SIZE)
		return -E2BIG;
	kbpf_btf_vmlinux_init();
	log = kzalloc(sizeof(*log), GFP_KERNEL);
	if (!log)
		return -ENOMEM;
	err = kbpf_log_init(log, attr->btf_log_level,
			    u64_to_user_ptr(attr->btf_log_buf),
			    attr->btf_log_size);
	if (err)
		goto out;
	err = -ENOMEM;
	data = kvmalloc(max(attr->btf_size, 1U),
			GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	if (!data)
		goto out;
	if (copy_from_user(data, u64_to_user_ptr(attr->btf), attr->btf_size)) {
		kvfree(data);
		err = -EFAULT;
		goto out;
	}
	btf = kbpf_btf_new(data, attr->btf_size, data, log);
	/* As for programs: a log that did not fit fails the load. */
	err = kbpf_log_finish(log, &true_size);
	if (size >= offsetofend(union bpf_attr, btf_log_true_size) &&
	    put_user(true_size, &uattr->btf_log_true_size))
		err = -EFAULT;
	/* A log that did not fit, or could not be written, says so first. */
	if (IS_ERR(btf)) {
		err = err ?: PTR_ERR(btf);
		goto out;
	}
	if (!err)
		err = kbpf_btf_publish(btf);
	fd = err ? err : kbpf_btf_new_fd(btf);
	if (fd < 0)
		kbpf_btf_put(btf);
	err = fd;
out:
	kfree(log);
	return err;
}

/**
 * kbpf_btf_get_next() - the BTF object with the lowest id above *@id
 * @id: in, the id to start after; out, the object's id
 *
 * The kernel's own BTF is checked first, if it was not yet.
 *
 * Return: the object with a reference for the caller, or NULL for none.
 */
struct kbpf_btf *kbpf_btf_get_next(u32 *id)
{
	struct kbpf_btf *btf;
	int next = *id + 1;

	kbpf_btf_vmlinux_init();
	spin_lock_bh(&kbpf_btf_ids_lock);
	do {
		btf = idr_get_next(&kbpf_btf_ids, &next);
		if (!btf)
			break;
		next++;
	} while (!refcount_inc_not_zero(&btf->refcnt));
	spin_unlock_bh(&kbpf_btf_ids_lock);
	if (btf)
		*id = btf->id;
	return btf;
}

/**
 * kbpf_btf_get_id_fd() - a new read-only file descriptor for BTF id @id
 * @id: the object's id
 *
 * Return: the file descriptor, or -ENOENT for no such object.
 */
int kbpf_btf_get_id_fd(u32 id)
{
	struct kbpf_btf *btf;
	int fd;

	kbpf_btf_vmlinux_init();
	spin_lock_bh(&kbpf_btf_ids_lock);
	btf = idr_find(&kbpf_btf_ids, id);
	if (btf && !refcount_inc_not_zero(&btf->refcnt))
		btf = NULL;
	spin_unlock_bh(&kbpf_btf_ids_lock);
	if (!btf)
		return -ENOENT;
	fd = kbpf_btf_new_fd(btf);
	if (fd < 0)
		kbpf_btf_put(btf);
	return fd;
}
