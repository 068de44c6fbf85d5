// SPDX-License-Identifier: GPL-2.0
/*
 * What every arch's JIT needs before it emits code, and what JITed code
 * calls back into C for.
 *
 * The plan splits a lowered program into its functions (the main one and
 * each target of a BPF_PSEUDO_CALL) with their stack depths, and turns
 * away what the code generators do not take, so it runs interpreted:
 * tail calls in a program with subprograms (the interpreter lets a tail
 * call from a subprogram replace only that frame and checks the target's
 * stack against what the frames above left; native frames would need
 * that bookkeeping at every call), and LD_ABS/LD_IND in a subprogram (a
 * packet miss ends the whole run, which from a subprogram would mean
 * unwinding native frames).
 *
 * Built in the kernel and in the host harness.
 */

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "jit.h"

static bool is_local_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) &&
	       insn->src_reg == BPF_PSEUDO_CALL;
}

static bool is_tail_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && !insn->src_reg &&
	       insn->imm == BPF_FUNC_tail_call;
}

static bool is_packet_load(const struct bpf_insn *insn)
{
	return BPF_CLASS(insn->code) == BPF_LD &&
	       (BPF_MODE(insn->code) == BPF_ABS ||
		BPF_MODE(insn->code) == BPF_IND);
}

static int cmp_func_start(const void *a, const void *b)
{
	const struct kbpf_jit_func *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Each callee once, in instruction order; funcs[0] starts at 0. */
static int find_funcs(struct kbpf_jit_prog *jp, u32 main_depth)
{
	struct kbpf_jit_func *f = jp->funcs;
	u32 i, n = 1, k;

	f[0].start = 0;
	f[0].stack_depth = main_depth;
	for (i = 0; i < jp->len; i++) {
		const struct bpf_insn *insn = &jp->insns[i];
		u32 target;

		if (!is_local_call(insn))
			continue;
		target = i + 1 + insn->imm;
		for (k = 0; k < n && f[k].start != target; k++)
			;
		if (k < n)
			continue;
		if (n == KBPF_JIT_MAX_FUNCS)
			return -E2BIG;
		f[n].start = target;
		f[n].stack_depth = insn->off;
		n++;
	}
	sort(f, n, sizeof(*f), cmp_func_start, NULL);
	for (k = 0; k < n; k++)
		f[k].end = k + 1 < n ? f[k + 1].start : jp->len;
	jp->nr_funcs = n;
	return 0;
}

/**
 * kbpf_jit_plan() - split a program into what a code generator compiles
 * @jp: filled in; kbpf_jit_plan_free() frees what it holds
 * @prog: a program kbpf_interp_prepare() accepted
 *
 * Return: 0, -EOPNOTSUPP for a program no JIT takes (it runs
 * interpreted), -E2BIG for too many functions, -ENOMEM.
 */
int kbpf_jit_plan(struct kbpf_jit_prog *jp, const struct kbpf_interp_prog *prog)
{
	u32 i;
	int err;

	memset(jp, 0, sizeof(*jp));
	jp->insns = prog->insns;
	jp->len = prog->len;
	jp->ops = prog->ops;
	jp->funcs = kvcalloc(KBPF_JIT_MAX_FUNCS, sizeof(*jp->funcs), GFP_KERNEL);
	if (!jp->funcs)
		return -ENOMEM;
	err = find_funcs(jp, prog->stack_depth);
	if (err)
		return err;
	for (i = 0; i < jp->len; i++) {
		const struct bpf_insn *insn = &jp->insns[i];

		if (is_tail_call(insn))
			jp->tail_calls = true;
		if (is_packet_load(insn) && i >= jp->funcs[0].end)
			return -EOPNOTSUPP;
	}
	if (jp->tail_calls && jp->nr_funcs > 1)
		return -EOPNOTSUPP;
	return 0;
}

/**
 * kbpf_jit_plan_free() - free what kbpf_jit_plan() allocated
 * @jp: the plan
 */
void kbpf_jit_plan_free(struct kbpf_jit_prog *jp)
{
	kvfree(jp->funcs);
	jp->funcs = NULL;
}

/**
 * kbpf_jit_tail_call() - where a tail call from JITed code goes
 * @ops: the runtime of the calling program's type
 * @map: the prog array (r2)
 * @index: the slot (r3)
 * @run: the run's bookkeeping
 *
 * The interpreter's rules, in upstream's order: an index outside the
 * array does not count toward the limit, an empty slot does.
 *
 * Return: the target's tail-call entry, or NULL to go on with the next
 * instruction.
 */
const void *kbpf_jit_tail_call(const struct kbpf_interp_ops *ops, void *map,
			       u32 index, struct kbpf_jit_run *run)
{
	const struct kbpf_interp_prog *const *slot;
	const struct kbpf_interp_prog *target;

	slot = ops->tail_call_slot(map, index);
	if (!slot || run->tail_calls == KBPF_MAX_TAIL_CALLS)
		return NULL;
	run->tail_calls++;
	target = READ_ONCE(*slot);
	return target ? target->jit_tail_entry : NULL;
}

/**
 * kbpf_jit_load_packet() - LD_ABS/LD_IND for JITed code
 * @ops: the runtime of the program's type
 * @ctx: the context (r6)
 * @offset: the offset the instruction computed
 * @size: 1, 2 or 4 bytes
 *
 * Return: the bytes in host order, or KBPF_JIT_PACKET_MISS.
 */
u64 kbpf_jit_load_packet(const struct kbpf_interp_ops *ops, const void *ctx,
			 s32 offset, u32 size)
{
	u64 val;

	if (!kbpf_interp_load_packet(ops, ctx, offset, size, &val))
		return KBPF_JIT_PACKET_MISS;
	return val;
}

/**
 * kbpf_jit_func_uses_reg() - does a function name @bpf_reg in any of its
 *	instructions (calls and exits aside)?
 * @jp: the program
 * @f: one of its functions
 * @bpf_reg: the register
 *
 * Code generators save only the callee-saved registers a function uses.
 *
 * Return: whether it does.
 */
bool kbpf_jit_func_uses_reg(const struct kbpf_jit_prog *jp,
			    const struct kbpf_jit_func *f, u8 bpf_reg)
{
	u32 i;

	for (i = f->start; i < f->end; i++) {
		const struct bpf_insn *insn = &jp->insns[i];

		if (insn->code == (BPF_JMP | BPF_CALL) ||
		    insn->code == (BPF_JMP | BPF_EXIT))
			continue;
		if (insn->dst_reg == bpf_reg || insn->src_reg == bpf_reg)
			return true;
		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
			i++;
	}
	return false;
}

/**
 * kbpf_jit_func_uses_may_goto() - does a function have a may_goto, and so
 *	need a budget slot in its frame?
 * @jp: the program
 * @f: one of its functions
 *
 * Return: whether it does.
 */
bool kbpf_jit_func_uses_may_goto(const struct kbpf_jit_prog *jp,
				 const struct kbpf_jit_func *f)
{
	u32 i;

	for (i = f->start; i < f->end; i++)
		if (jp->insns[i].code == (BPF_JMP | BPF_JCOND))
			return true;
	return false;
}

/**
 * kbpf_jit_find_func() - the function starting at instruction @start
 * @jp: the program
 * @start: the target of a bpf-to-bpf call
 *
 * Return: the function, or NULL when none starts there.
 */
const struct kbpf_jit_func *kbpf_jit_find_func(const struct kbpf_jit_prog *jp,
					       u32 start)
{
	u32 lo = 0, hi = jp->nr_funcs;

	while (lo < hi) {
		u32 mid = (lo + hi) / 2;

		if (jp->funcs[mid].start == start)
			return &jp->funcs[mid];
		if (jp->funcs[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
