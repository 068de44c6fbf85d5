// SPDX-License-Identifier: GPL-2.0
/*
 * The bpf(2) system call: kbpf's front door.
 *
 * Every call goes through the same steps, in upstream's order, so that
 * userspace sees the errno it would see on a stock kernel for each kind of
 * bad call:
 *
 *  1. Copy union bpf_attr under upstream's size rules: a shorter attr is
 *     zero-filled, bytes past the attr this kernel knows must be zero
 *     (-E2BIG, also for anything over a page), an unreadable one is -EFAULT.
 *  2. Commands outside enum bpf_cmd are -EINVAL for everybody.
 *  3. Require CAP_BPF or CAP_SYS_ADMIN (-EPERM).
 *  4. Run the command's handler from kbpf_cmds[]; a command of the ABI that
 *     kbpf does not implement has none and is -EINVAL.
 *
 * The command table is the only dispatch: a command works for userspace
 * exactly when it has an entry there.
 */

#include <linux/capability.h>
#include <linux/nospec.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <uapi/linux/bpf.h>

#include "prog.h"

/**
 * struct kbpf_cmd - one bpf(2) command
 * @run: handler; gets the zero-filled attr, userspace's (for fields the
 *	command writes back) and the size of it userspace gave
 */
struct kbpf_cmd {
	int (*run)(union bpf_attr *attr, union bpf_attr __user *uattr,
		   unsigned int size);
};

/* Indexed by enum bpf_cmd; commands are filled in as kbpf implements them. */
static const struct kbpf_cmd kbpf_cmds[__MAX_BPF_CMD] = {
	[BPF_PROG_LOAD] = { kbpf_prog_load },
};

static int kbpf_copy_attr(union bpf_attr *attr, const void __user *uattr,
			  unsigned int size)
{
	/* Upstream refuses oversized attrs before reading any of them. */
	if (size > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(attr, sizeof(*attr), uattr, size);
}

SYSCALL_DEFINE3(bpf, int, cmd, union bpf_attr __user *, uattr, unsigned int, size)
{
	const struct kbpf_cmd *c;
	union bpf_attr attr;
	int err;

	err = kbpf_copy_attr(&attr, uattr, size);
	if (err)
		return err;

	if (cmd < 0 || cmd >= ARRAY_SIZE(kbpf_cmds))
		return -EINVAL;

	if (!bpf_capable())
		return -EPERM;

	c = &kbpf_cmds[array_index_nospec(cmd, ARRAY_SIZE(kbpf_cmds))];
	if (!c->run)
		return -EINVAL;
	return c->run(&attr, uattr, min_t(unsigned int, size, sizeof(attr)));
}
