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
 *  3. Bytes past the command's last field must be zero (-EINVAL); a
 *     command of the ABI that kbpf does not implement has no handler in
 *     kbpf_cmds[] and is -EINVAL.
 *  4. Commands that make objects (maps, programs) require CAP_BPF or
 *     CAP_SYS_ADMIN (-EPERM).
 *  5. Run the command's handler.
 *
 * Privilege is upstream's with kernel.unprivileged_bpf_disabled set, which
 * kbpf always is (sysctl.c): nobody without CAP_BPF makes a map or a
 * program, but a process given one's fd (inherited, over SCM_RIGHTS, or
 * from a pin it may open) uses it as far as the fd's mode lets it, and
 * the handlers check that: element commands against the fd's
 * FMODE_READ/FMODE_WRITE, BPF_OBJ_PIN/BPF_OBJ_GET against the path's
 * permissions, ids and statistics against CAP_SYS_ADMIN, and
 * BPF_OBJ_GET_INFO_BY_FD gives a program's code only to CAP_BPF.
 *
 * The command table is the only dispatch: a command works for userspace
 * exactly when it has an entry there.
 */

#include <linux/capability.h>
#include <linux/nospec.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <uapi/linux/bpf.h>

#include "btf_object.h"
#include "link.h"
#include "map.h"
#include "object.h"
#include "prog.h"

/**
 * struct kbpf_cmd - one bpf(2) command
 * @run: handler; gets the zero-filled attr, userspace's (for fields the
 *	command writes back) and the size of it userspace gave
 * @end: the end of the command's last field in union bpf_attr
 * @creates: the command makes a map, a program or BTF, which takes CAP_BPF
 */
struct kbpf_cmd {
	int (*run)(union bpf_attr *attr, union bpf_attr __user *uattr,
		   unsigned int size);
	size_t end;
	bool creates;
};

#define CMD(fn, last)	{ fn, offsetofend(union bpf_attr, last), false }
#define CREATE(fn, last) { fn, offsetofend(union bpf_attr, last), true }

/* Indexed by enum bpf_cmd; commands are filled in as kbpf implements them. */
static const struct kbpf_cmd kbpf_cmds[__MAX_BPF_CMD] = {
	[BPF_MAP_CREATE] = CREATE(kbpf_map_create, map_token_fd),
	[BPF_MAP_LOOKUP_ELEM] = CMD(kbpf_map_lookup_elem, flags),
	[BPF_MAP_UPDATE_ELEM] = CMD(kbpf_map_update_elem, flags),
	[BPF_MAP_DELETE_ELEM] = CMD(kbpf_map_delete_elem, key),
	[BPF_MAP_GET_NEXT_KEY] = CMD(kbpf_map_get_next_key, next_key),
	[BPF_PROG_LOAD] = CREATE(kbpf_prog_load, prog_token_fd),
	[BPF_OBJ_PIN] = CMD(kbpf_obj_pin, path_fd),
	[BPF_OBJ_GET] = CMD(kbpf_obj_get, path_fd),
	[BPF_PROG_TEST_RUN] = CMD(kbpf_prog_test_run, test.batch_size),
	[BPF_PROG_GET_NEXT_ID] = CMD(kbpf_prog_get_next_id, next_id),
	[BPF_MAP_GET_NEXT_ID] = CMD(kbpf_map_get_next_id, next_id),
	[BPF_PROG_GET_FD_BY_ID] = CMD(kbpf_prog_get_fd_by_id, prog_id),
	[BPF_MAP_GET_FD_BY_ID] = CMD(kbpf_map_get_fd_by_id, open_flags),
	[BPF_OBJ_GET_INFO_BY_FD] = CMD(kbpf_obj_get_info_by_fd, info.info),
	[BPF_MAP_LOOKUP_AND_DELETE_ELEM] = CMD(kbpf_map_lookup_and_delete_elem,
					       flags),
	[BPF_MAP_FREEZE] = CMD(kbpf_map_freeze, map_fd),
	[BPF_MAP_LOOKUP_BATCH] = CMD(kbpf_map_lookup_batch, batch.flags),
	[BPF_MAP_LOOKUP_AND_DELETE_BATCH] = CMD(kbpf_map_lookup_and_delete_batch,
						batch.flags),
	[BPF_MAP_UPDATE_BATCH] = CMD(kbpf_map_update_batch, batch.flags),
	[BPF_MAP_DELETE_BATCH] = CMD(kbpf_map_delete_batch, batch.flags),
	[BPF_ENABLE_STATS] = CMD(kbpf_enable_stats, enable_stats.type),
	[BPF_PROG_BIND_MAP] = CMD(kbpf_prog_bind_map, prog_bind_map.flags),
	[BPF_RAW_TRACEPOINT_OPEN] = CMD(kbpf_raw_tp_open, raw_tracepoint.cookie),
	[BPF_LINK_CREATE] = CMD(kbpf_link_create, link_create),
	[BPF_LINK_DETACH] = CMD(kbpf_link_detach, link_detach.link_fd),
	[BPF_LINK_GET_NEXT_ID] = CMD(kbpf_link_get_next_id, next_id),
	[BPF_LINK_GET_FD_BY_ID] = CMD(kbpf_link_get_fd_by_id, open_flags),
	[BPF_BTF_LOAD] = CREATE(kbpf_btf_load, btf_token_fd),
	[BPF_BTF_GET_FD_BY_ID] = CMD(kbpf_btf_get_fd_by_id, btf_id),
	[BPF_BTF_GET_NEXT_ID] = CMD(kbpf_btf_get_next_id, next_id),
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

	c = &kbpf_cmds[array_index_nospec(cmd, ARRAY_SIZE(kbpf_cmds))];
	if (!c->run || memchr_inv((void *)&attr + c->end, 0, sizeof(attr) - c->end))
		return -EINVAL;
	if (c->creates && !bpf_capable())
		return -EPERM;
	return c->run(&attr, uattr, min_t(unsigned int, size, sizeof(attr)));
}
