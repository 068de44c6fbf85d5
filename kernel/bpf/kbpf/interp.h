/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbpf's interpreter: the definition of what each instruction does.
 *
 * This header and interp.c are built both in the kernel and, unchanged, in
 * the host harness (tools/testing/selftests/kbpf/host), which supplies the
 * few kernel headers they include from its own environment directory.
 */
#ifndef _KBPF_INTERP_H
#define _KBPF_INTERP_H

#include <linux/types.h>
#include <uapi/linux/bpf.h>

/* Bytes of stack shared by all frames of one run (upstream's MAX_BPF_STACK). */
#define KBPF_STACK_SIZE		512
/* Frames one run may have: the program and seven nested bpf-to-bpf calls. */
#define KBPF_MAX_FRAMES		8
/* Iterations of may_goto each frame gets, upstream's BPF_MAX_LOOPS. */
#define KBPF_MAY_GOTO_LOOPS	(8 * 1024 * 1024)
/* Tail calls one run may take, as upstream's MAX_TAIL_CALL_CNT. */
#define KBPF_MAX_TAIL_CALLS	33

struct kbpf_interp_prog;

/* Every helper takes five scalars and returns one, as the ISA's calls do. */
typedef u64 (*kbpf_helper_fn)(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);

/**
 * struct kbpf_interp_ops - what a program type gives its programs
 * @helpers: helper functions indexed by helper id; NULL where not allowed
 * @nr_helpers: entries in @helpers
 * @tail_call_slot: the slot at @index of the program array @map, or NULL
 *	when @index is out of its range; the slot itself is NULL when empty
 * @load_packet: copy @size bytes at @offset of the packet behind @ctx to
 *	@buf for LD_ABS and LD_IND; nonzero when they are not all there
 *
 * Any member may be NULL/0; prepare rejects programs that would need it.
 */
struct kbpf_interp_ops {
	const kbpf_helper_fn *helpers;
	u32 nr_helpers;
	const struct kbpf_interp_prog *const *(*tail_call_slot)(void *map, u32 index);
	int (*load_packet)(const void *ctx, s32 offset, u32 size, void *buf);
};

/**
 * struct kbpf_interp_prog - a program as the interpreter runs it
 * @insns: the instructions, after loading (map pointers in LD_IMM64)
 * @len: number of instruction slots in @insns
 * @stack_depth: bytes of stack the first frame uses, at most KBPF_STACK_SIZE
 * @ops: helpers and hooks of the program's type
 * @jit_tail_entry: where a tail call from JITed code into this program
 *	lands, when it was JITed; NULL when it runs interpreted
 *
 * In a BPF_PSEUDO_CALL instruction, off (zero in the ISA's encoding) holds
 * the callee's stack depth in bytes; whoever loads the program writes it.
 */
struct kbpf_interp_prog {
	const struct bpf_insn *insns;
	u32 len;
	u32 stack_depth;
	const struct kbpf_interp_ops *ops;
	const void *jit_tail_entry;
};

int kbpf_interp_prepare(const struct kbpf_interp_prog *prog);
int kbpf_interp_exec(const struct kbpf_interp_prog *prog, const u64 *args,
		     u32 nr_args, u64 *r0);
u64 kbpf_interp_run(const struct kbpf_interp_prog *prog, const void *ctx);
bool kbpf_interp_load_packet(const struct kbpf_interp_ops *ops,
			     const void *skb, s32 offset, u32 size, u64 *val);

#endif /* _KBPF_INTERP_H */
