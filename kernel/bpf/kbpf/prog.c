// SPDX-License-Identifier: GPL-2.0
/*
 * Program objects: allocated by the load command, held by reference, and
 * given to userspace as anonymous-inode file descriptors, findable by id.
 *
 * A program may be running on another CPU when its last reference goes
 * (a prog array slot was just emptied under it), so it is freed after an
 * RCU grace period, from a workqueue, and only then lets go of its maps.
 */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/overflow.h>
#include <linux/perf_event.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "jit_image.h"
#include "map.h"
#include "prog.h"
#include "prog_btf.h"

static DEFINE_IDR(kbpf_prog_ids);
static DEFINE_SPINLOCK(kbpf_prog_ids_lock);

/**
 * kbpf_prog_alloc() - a program object for @len instruction slots
 * @len: instruction slots, at least 1
 *
 * Return: the program with one reference and every field zero but @len,
 * or NULL when out of memory.
 */
struct kbpf_prog *kbpf_prog_alloc(u32 len)
{
	struct kbpf_prog *prog;

	prog = kvzalloc(struct_size(prog, insns, len), GFP_KERNEL_ACCOUNT);
	if (!prog)
		return NULL;
	prog->stats = alloc_percpu_gfp(struct kbpf_prog_stats, GFP_KERNEL_ACCOUNT);
	if (!prog->stats) {
		kvfree(prog);
		return NULL;
	}
	refcount_set(&prog->refcnt, 1);
	mutex_init(&prog->used_maps_lock);
	prog->len = len;
	return prog;
}

/**
 * kbpf_prog_get() - take a reference to @prog
 * @prog: a program the caller holds a reference to
 */
void kbpf_prog_get(struct kbpf_prog *prog)
{
	refcount_inc(&prog->refcnt);
}

static void kbpf_prog_free_work(struct work_struct *work)
{
	struct kbpf_prog *prog = container_of(to_rcu_work(work), struct kbpf_prog,
					      free_work);
	u32 i;

	kbpf_jit_free(prog);
	kvfree(prog->jit_calls);
	kbpf_prog_btf_free(prog);
	if (prog->callchain)
		put_callchain_buffers();
	for (i = 0; i < prog->nr_used_maps; i++)
		kbpf_map_put(prog->used_maps[i]);
	kfree(prog->used_maps);
	free_percpu(prog->stats);
	kvfree(prog);
}

/**
 * kbpf_prog_put() - drop a reference to @prog, freeing it with the last
 * @prog: the program
 */
void kbpf_prog_put(struct kbpf_prog *prog)
{
	if (!refcount_dec_and_test(&prog->refcnt))
		return;
	if (prog->id) {
		spin_lock_bh(&kbpf_prog_ids_lock);
		idr_remove(&kbpf_prog_ids, prog->id);
		spin_unlock_bh(&kbpf_prog_ids_lock);
	}
	kbpf_jit_unpublish(prog);
	INIT_RCU_WORK(&prog->free_work, kbpf_prog_free_work);
	queue_rcu_work(system_wq, &prog->free_work);
}

static int kbpf_prog_release(struct inode *inode, struct file *file)
{
	kbpf_prog_put(file->private_data);
	return 0;
}

static void kbpf_prog_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kbpf_prog *prog = file->private_data;

	seq_printf(m, "prog_type:\t%u\nprog_jited:\t%u\nprog_tag:\t%8phN\n"
		   "prog_id:\t%u\nverified_insns:\t%u\n",
		   prog->type, !!prog->jit, prog->tag, prog->id,
		   prog->verified_insns);
}

static const struct file_operations kbpf_prog_fops = {
	.release = kbpf_prog_release,
	.show_fdinfo = kbpf_prog_show_fdinfo,
};

/**
 * kbpf_prog_new_fd() - a new file descriptor for @prog
 * @prog: the program; the caller's reference goes to the file
 *
 * Return: the file descriptor (close-on-exec), or a negative errno with
 * the caller's reference untouched.
 */
int kbpf_prog_new_fd(struct kbpf_prog *prog)
{
	return anon_inode_getfd("bpf-prog", &kbpf_prog_fops, prog,
				O_RDWR | O_CLOEXEC);
}

/**
 * kbpf_prog_publish() - give a loaded @prog an id and a file descriptor
 * @prog: the program; the caller's reference goes to the file on success
 *
 * Return: the new file descriptor (close-on-exec), or a negative errno
 * with the caller's reference untouched.
 */
int kbpf_prog_publish(struct kbpf_prog *prog)
{
	int id, fd;

	idr_preload(GFP_KERNEL);
	spin_lock_bh(&kbpf_prog_ids_lock);
	id = idr_alloc_cyclic(&kbpf_prog_ids, prog, 1, INT_MAX, GFP_ATOMIC);
	spin_unlock_bh(&kbpf_prog_ids_lock);
	idr_preload_end();
	if (id < 0)
		return id;
	prog->id = id;
	kbpf_jit_publish(prog);
	fd = kbpf_prog_new_fd(prog);
	if (fd < 0) {
		spin_lock_bh(&kbpf_prog_ids_lock);
		idr_remove(&kbpf_prog_ids, id);
		spin_unlock_bh(&kbpf_prog_ids_lock);
		prog->id = 0;
	}
	return fd;
}

/**
 * kbpf_prog_get_fd() - the program behind file descriptor @fd, referenced
 * @fd: the file descriptor
 *
 * Return: the program with a reference for the caller, or an ERR_PTR():
 * -EBADF for no file, -EINVAL for a file that is no program.
 */
struct kbpf_prog *kbpf_prog_get_fd(int fd)
{
	struct kbpf_prog *prog;
	struct fd f = fdget(fd);

	if (!fd_file(f))
		return ERR_PTR(-EBADF);
	if (fd_file(f)->f_op != &kbpf_prog_fops) {
		fdput(f);
		return ERR_PTR(-EINVAL);
	}
	prog = fd_file(f)->private_data;
	kbpf_prog_get(prog);
	fdput(f);
	return prog;
}

/**
 * kbpf_prog_get_next() - the program with the lowest id above *@id
 * @id: in, the id to start after; out, the program's id
 *
 * Return: the program with a reference for the caller, or NULL for none.
 */
struct kbpf_prog *kbpf_prog_get_next(u32 *id)
{
	struct kbpf_prog *prog;
	int next = *id + 1;

	spin_lock_bh(&kbpf_prog_ids_lock);
	do {
		prog = idr_get_next(&kbpf_prog_ids, &next);
		if (!prog)
			break;
		next++;
	} while (!refcount_inc_not_zero(&prog->refcnt));
	spin_unlock_bh(&kbpf_prog_ids_lock);
	if (prog)
		*id = prog->id;
	return prog;
}

/**
 * kbpf_prog_get_id_fd() - a new file descriptor for the program of id @id
 * @id: the program's id
 *
 * Return: the file descriptor, or -ENOENT for no such program.
 */
int kbpf_prog_get_id_fd(u32 id)
{
	struct kbpf_prog *prog;
	int fd;

	spin_lock_bh(&kbpf_prog_ids_lock);
	prog = idr_find(&kbpf_prog_ids, id);
	if (prog && !refcount_inc_not_zero(&prog->refcnt))
		prog = NULL;
	spin_unlock_bh(&kbpf_prog_ids_lock);
	if (!prog)
		return -ENOENT;
	fd = kbpf_prog_new_fd(prog);
	if (fd < 0)
		kbpf_prog_put(prog);
	return fd;
}

/**
 * kbpf_prog_bind_map() - BPF_PROG_BIND_MAP
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Makes the program hold a map it does not name (libbpf binds .rodata
 * for its metadata), so the map lives as long as the program.
 *
 * Return: 0 (also when it held the map already), or -EINVAL for flags
 * and fds of something else, -EBADF, -ENOMEM.
 */
int kbpf_prog_bind_map(union bpf_attr *attr, union bpf_attr __user *uattr,
		       unsigned int size)
{
	struct kbpf_map **maps;
	struct kbpf_prog *prog;
	struct kbpf_map *map;
	int err = 0;
	u32 i;

	if (attr->prog_bind_map.flags)
		return -EINVAL;
	prog = kbpf_prog_get_fd(attr->prog_bind_map.prog_fd);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	map = kbpf_map_get_fd(attr->prog_bind_map.map_fd, 0);
	if (IS_ERR(map)) {
		kbpf_prog_put(prog);
		return PTR_ERR(map);
	}
	mutex_lock(&prog->used_maps_lock);
	for (i = 0; i < prog->nr_used_maps; i++)
		if (prog->used_maps[i] == map)
			goto unlock;
	maps = krealloc_array(prog->used_maps, prog->nr_used_maps + 1,
			      sizeof(*maps), GFP_KERNEL_ACCOUNT);
	if (!maps) {
		err = -ENOMEM;
		goto unlock;
	}
	maps[prog->nr_used_maps++] = map;
	prog->used_maps = maps;
	map = NULL;
unlock:
	mutex_unlock(&prog->used_maps_lock);
	if (map)
		kbpf_map_put(map);
	kbpf_prog_put(prog);
	return err;
}
