/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What objects.bpf.c and libbpf_objects.c agree on. Each of the object's
 * .rodata, .data and .bss sections holds exactly one of the structs below,
 * so the loader finds a variable with offsetof() rather than by walking
 * the object's BTF, which it must not depend on: kbpf takes no BTF.
 */
#ifndef KBPF_PROGS_OBJECTS_H
#define KBPF_PROGS_OBJECTS_H

#include <linux/types.h>

#define OBJ_ARRAY_SLOTS		8
#define OBJ_HASH_MAX		64
#define OBJ_QUEUE_MAX		16
/* The most values queue_io pops in one run. */
#define OBJ_QUEUE_DRAIN		8
#define OBJ_TAIL_SLOTS		4
#define OBJ_RAW_TP_ARGS		6
/* What tail_one returns, and what a tail call that does not happen does. */
#define OBJ_TAIL_ONE_RET	11
#define OBJ_TAIL_MISSED		99
/* Per-CPU array slots: runs of percpu_hits, and the bytes they saw. */
#define OBJ_PCPU_HITS		0
#define OBJ_PCPU_BYTES		1

/* .rodata: the object's defaults, overwritten by the loader before load. */
struct obj_consts {
	__u32 scale;
	__u32 stride;
	__u64 bias;
};

/* .data: starts with the object's values; programs and loader change it. */
struct obj_state {
	__u64 seed;
	__u64 fills;
};

/* .bss: zero at load; only the programs write it. */
struct obj_out {
	__u64 runs;
	__u64 args_sum;
	__u64 calls_result;
	__u64 now_ns;
	__u64 peeked;
	__u32 random;
	__u32 cpu;
	__u32 tail_hits;
	__u32 pad;
};

#define OBJ_DEFAULT_SCALE	1
#define OBJ_DEFAULT_STRIDE	1
#define OBJ_DEFAULT_BIAS	0
#define OBJ_INITIAL_SEED	0x5eed

#endif /* KBPF_PROGS_OBJECTS_H */
