/* SPDX-License-Identifier: GPL-2.0 */
/* What libbpf_core and progs/core.bpf.c share. */
#ifndef KBPF_PROGS_CORE_H
#define KBPF_PROGS_CORE_H

#include <linux/types.h>

#define CORE_COMM_LEN	16

/**
 * struct core_seen - what the CO-RE program read of the calling task
 * @hits: calls seen from the test's process
 * @pid: current->pid
 * @tgid: current->tgid
 * @ppid: current->real_parent->tgid
 * @comm: current->comm
 * @flags_exists: bpf_core_field_exists(current->flags): 1
 * @missing_exists: bpf_core_field_exists() of a field no kernel has: 0
 * @pidtype_tgid: bpf_core_enum_value(enum pid_type, PIDTYPE_TGID)
 * @pidtype_max: bpf_core_enum_value(enum pid_type, PIDTYPE_MAX)
 * @missing_enum_exists: bpf_core_enum_value_exists() of a value no kernel
 *	has: 0
 * @comm_size: bpf_core_field_size(current->comm)
 */
struct core_seen {
	__u32 hits;
	__s32 pid;
	__s32 tgid;
	__s32 ppid;
	char comm[CORE_COMM_LEN];
	__u32 flags_exists;
	__u32 missing_exists;
	__u64 pidtype_tgid;
	__u64 pidtype_max;
	__u32 missing_enum_exists;
	__u32 comm_size;
};

#endif /* KBPF_PROGS_CORE_H */
