/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbpf's JIT: what the arch-independent part hands an arch's code
 * generator, and the calls JITed code makes back into C.
 *
 * The arch code generator (arch/ARCH/net/kbpf_jit.c) and jit_plan.c are
 * built both in the kernel and, unchanged, in the host harness, which runs
 * their code against the interpreter. jit.c, kernel only, allocates,
 * publishes and frees images.
 *
 * JITed code is entered as a C function of r1-r5 and the run's bookkeeping,
 * which comes sixth so that no eBPF argument register carries it; it
 * lives on the caller's stack, so a tail call, which replaces the running
 * program's frame, cannot lose it.
 */
#ifndef _KBPF_JIT_H
#define _KBPF_JIT_H

#include <linux/types.h>
#include <uapi/linux/bpf.h>

#include "interp.h"

/* Upstream's limit on the functions of one program. */
#define KBPF_JIT_MAX_FUNCS	256

/* What kbpf_jit_load_packet() returns when the bytes are not there. */
#define KBPF_JIT_PACKET_MISS	((u64)-1)

/**
 * struct kbpf_jit_run - one run of JITed code, kept by its C caller
 * @tail_calls: tail calls taken so far (at most KBPF_MAX_TAIL_CALLS)
 */
struct kbpf_jit_run {
	u32 tail_calls;
};

typedef u64 (*kbpf_jit_entry_fn)(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
				 struct kbpf_jit_run *run);

/**
 * struct kbpf_jit_call - a helper call bound to what it calls, when
 *	lowering knows the map it is always given
 * @fn: the map type's own function, called instead of the helper (same
 *	arguments in the same registers, a 64-bit result)
 * @values: for a lookup in an array whose values lie at @values + key *
 *	@elem_size for keys below @max_entries: inline it; NULL otherwise
 * @max_entries: the array's keys
 * @elem_size: bytes between values
 */
struct kbpf_jit_call {
	const void *fn;
	void *values;
	u32 max_entries;
	u32 elem_size;
};

/**
 * struct kbpf_jit_func - one function of a program: the main one or a
 *	subprogram called with BPF_PSEUDO_CALL
 * @start: its first instruction
 * @end: one past its last
 * @stack_depth: bytes of stack it uses
 * @image_off: where its code starts in the image (set by the arch JIT)
 * @image_len: its bytes of code (set by the arch JIT)
 */
struct kbpf_jit_func {
	u32 start;
	u32 end;
	u32 stack_depth;
	u32 image_off;
	u32 image_len;
};

/**
 * struct kbpf_jit_prog - a program as a code generator takes it
 * @insns: the lowered instructions (map addresses in LD_IMM64, callee
 *	stack depths in calls' off)
 * @len: instruction slots in @insns
 * @ops: the runtime of the program's type: helpers, tail calls, packets
 * @calls: per instruction, the helper calls lowering bound (fn NULL where
 *	it bound none); NULL when it bound none at all
 * @funcs: its functions in instruction order; funcs[0] is the main one
 * @nr_funcs: entries in @funcs
 * @tail_calls: it calls bpf_tail_call() (only the main function may)
 * @image: the address the code will run at; NULL while sizing
 * @buf: where the code is written; NULL while sizing
 * @size: bytes of code, from the last pass
 * @tail_entry: offset in the image where a tail call into this program
 *	lands (past the part of the entry that starts a run)
 * @arch: what the arch JIT keeps from sizing to emitting
 */
struct kbpf_jit_prog {
	const struct bpf_insn *insns;
	u32 len;
	const struct kbpf_interp_ops *ops;
	const struct kbpf_jit_call *calls;
	struct kbpf_jit_func *funcs;
	u32 nr_funcs;
	bool tail_calls;
	void *image;
	u8 *buf;
	u32 size;
	u32 tail_entry;
	void *arch;
};

int kbpf_jit_plan(struct kbpf_jit_prog *jp, const struct kbpf_interp_prog *prog);
int kbpf_jit_exec(struct kbpf_interp_prog *prog, const u64 *args, u32 nr_args,
		  u64 *r0);
void kbpf_jit_plan_free(struct kbpf_jit_prog *jp);
bool kbpf_jit_func_uses_reg(const struct kbpf_jit_prog *jp,
			    const struct kbpf_jit_func *f, u8 bpf_reg);
bool kbpf_jit_func_uses_may_goto(const struct kbpf_jit_prog *jp,
				 const struct kbpf_jit_func *f);
const struct kbpf_jit_func *kbpf_jit_find_func(const struct kbpf_jit_prog *jp,
					       u32 start);
const void *kbpf_jit_tail_call(const struct kbpf_interp_ops *ops, void *map,
			       u32 index, struct kbpf_jit_run *run);
u64 kbpf_jit_load_packet(const struct kbpf_interp_ops *ops, const void *ctx,
			 s32 offset, u32 size);

/**
 * kbpf_arch_jit_size() - an arch's code size for a program, to allocate
 * @jp: the program, planned; @jp->image and @jp->buf NULL
 *
 * Passes until the code's size is stable; sets @jp->size and each
 * function's image_off and image_len.
 *
 * Return: 0, or -EOPNOTSUPP for what the arch does not compile (the
 * program then runs interpreted), -ENOMEM, -E2BIG.
 */
int kbpf_arch_jit_size(struct kbpf_jit_prog *jp);

/**
 * kbpf_arch_jit_emit() - an arch's code for a program, written out
 * @jp: the program after kbpf_arch_jit_size(), with @jp->image where the
 *	code will run and @jp->buf (@jp->size bytes) to write it to
 *
 * Return: 0, or -ERANGE when a call cannot reach its helper from
 * @jp->image, -EFAULT when the code came out other than sized.
 */
int kbpf_arch_jit_emit(struct kbpf_jit_prog *jp);

/**
 * kbpf_arch_jit_fill_hole() - fill unused image space with traps
 * @area: the space
 * @size: its bytes
 */
void kbpf_arch_jit_fill_hole(void *area, unsigned int size);

/**
 * kbpf_arch_jit_free() - free what kbpf_arch_jit_size() kept for emitting
 * @jp: the program
 */
void kbpf_arch_jit_free(struct kbpf_jit_prog *jp);

#endif /* _KBPF_JIT_H */
