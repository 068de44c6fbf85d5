/* SPDX-License-Identifier: GPL-2.0 */
/* What libbpf_tracing and progs/tracing.bpf.c share. */
#ifndef KBPF_PROGS_TRACING_H
#define KBPF_PROGS_TRACING_H

#include <linux/types.h>

/* The slots of the counts array, one per kind of hook. */
enum {
	HOOK_KPROBE,
	HOOK_KRETPROBE,
	HOOK_TRACEPOINT,
	HOOK_RAW_TRACEPOINT,
	HOOK_UPROBE,
	HOOK_PERF_EVENT,
	NR_HOOKS,
};

/**
 * struct tracing_cfg - what the loader tells the programs (.rodata)
 * @tgid: the process whose events count
 * @getppid_nr: getppid()'s syscall number on this architecture
 */
struct tracing_cfg {
	__u32 tgid;
	__u32 getppid_nr;
};

/**
 * struct tracing_event - a record the raw tracepoint program puts in the
 * events ring buffer for each of the process's getppid() calls
 * @tgid: the process
 * @nr: the syscall number
 */
struct tracing_event {
	__u32 tgid;
	__u32 nr;
};

#endif /* KBPF_PROGS_TRACING_H */
