// SPDX-License-Identifier: GPL-2.0
/*
 * Program objects: allocated by the load command, held by reference, and
 * given to userspace as an anonymous-inode file descriptor. The file
 * holds one reference; the program goes when the last one does.
 */

#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "prog.h"

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
	refcount_set(&prog->refcnt, 1);
	prog->len = len;
	return prog;
}

/**
 * kbpf_prog_put() - drop a reference to @prog, freeing it with the last
 * @prog: the program
 */
void kbpf_prog_put(struct kbpf_prog *prog)
{
	if (refcount_dec_and_test(&prog->refcnt))
		kvfree(prog);
}

static int kbpf_prog_release(struct inode *inode, struct file *file)
{
	kbpf_prog_put(file->private_data);
	return 0;
}

static const struct file_operations kbpf_prog_fops = {
	.release = kbpf_prog_release,
};

/**
 * kbpf_prog_new_fd() - give @prog to userspace
 * @prog: the program; the caller's reference goes to the file on success
 *
 * Return: the new file descriptor (close-on-exec), or a negative errno
 * with the caller's reference untouched.
 */
int kbpf_prog_new_fd(struct kbpf_prog *prog)
{
	return anon_inode_getfd("bpf-prog", &kbpf_prog_fops, prog,
				O_RDWR | O_CLOEXEC);
}
