// SPDX-License-Identifier: GPL-2.0
/*
 * A CO-RE kprobe program: it reads the calling task through struct
 * definitions of its own, which name fields but say nothing of where
 * they are. libbpf relocates each access against the running kernel's
 * BTF (/sys/kernel/btf/vmlinux) before loading, so the same object reads
 * the right offsets on both architectures and both kernels.
 *
 * The local definitions are deliberately wrong in layout (fields out of
 * order, enum values off): only names and kinds may matter.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "core.h"

struct task_struct {
	char comm[CORE_COMM_LEN];
	struct task_struct *real_parent;
	unsigned int flags;
	int tgid;
	int pid;
	/* No kernel has this one. */
	int kbpf_no_such_field;
} __attribute__((preserve_access_index));

enum pid_type {
	PIDTYPE_MAX = 40,
	PIDTYPE_TGID = 30,
	/* Nor this one. */
	PIDTYPE_KBPF_NONE = 50,
};

__u32 target_tgid SEC(".rodata") = 0;
struct core_seen seen;

SEC("kprobe")
int read_task(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	if (BPF_CORE_READ(t, tgid) != target_tgid)
		return 0;
	seen.hits++;
	seen.pid = BPF_CORE_READ(t, pid);
	seen.tgid = BPF_CORE_READ(t, tgid);
	seen.ppid = BPF_CORE_READ(t, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&seen.comm, t, comm);
	seen.flags_exists = bpf_core_field_exists(t->flags);
	seen.missing_exists = bpf_core_field_exists(t->kbpf_no_such_field);
	seen.comm_size = bpf_core_field_size(t->comm);
	seen.pidtype_tgid = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	seen.pidtype_max = bpf_core_enum_value(enum pid_type, PIDTYPE_MAX);
	seen.missing_enum_exists =
		bpf_core_enum_value_exists(enum pid_type, PIDTYPE_KBPF_NONE);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
