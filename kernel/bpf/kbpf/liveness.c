// SPDX-License-Identifier: GPL-2.0
/*
 * Which registers each instruction may still need: a register is live at
 * an instruction when some path from there reads it before writing it.
 *
 * The exploration forgets the others where paths meet (explore.c), so
 * two states that differ only in what no path will read compare equal,
 * and pruning works on what compilers really emit: clang leaves stale
 * values in registers everywhere. It is computed once, before the
 * exploration, from the instructions alone: the usual backward dataflow
 * over each subprogram's control flow graph, iterated to a fixed point.
 * A bpf-to-bpf call reads the arguments its callee reads (what is live
 * at its entry); a helper call reads as many as its prototype takes.
 */

#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/errno.h>

#include "verifier.h"

/* r1-r5: what calls take and clobber. */
#define ARG_REGS	GENMASK(BPF_REG_5, BPF_REG_1)
#define CALL_CLOBBERS	GENMASK(BPF_REG_5, BPF_REG_0)

struct use_def {
	u16 use;
	u16 def;
};

static u16 helper_args(const struct kbpf_verifier_env *env, s32 id)
{
	const struct kbpf_helper_proto *proto;
	u16 mask = 0;
	u8 i;

	proto = kbpf_helper_proto(env->prog_type, id);
	if (!proto)
		return ARG_REGS;
	for (i = 0; i < ARRAY_SIZE(proto->args) && proto->args[i]; i++)
		mask |= BIT(BPF_REG_1 + i);
	return mask;
}

static struct use_def jmp_use_def(const struct kbpf_verifier_env *env, u32 i)
{
	const struct bpf_insn *insn = &env->insns[i];
	struct use_def ud = {};
	u32 callee;

	switch (BPF_OP(insn->code)) {
	case BPF_JA:
	case BPF_JCOND:
		break;
	case BPF_EXIT:
		ud.use = BIT(BPF_REG_0);
		break;
	case BPF_CALL:
		ud.def = CALL_CLOBBERS;
		if (insn->src_reg == BPF_PSEUDO_CALL) {
			callee = i + 1 + insn->imm;
			ud.use = env->aux[callee].live & ARG_REGS;
		} else {
			ud.use = helper_args(env, insn->imm);
		}
		break;
	default:
		ud.use = BIT(insn->dst_reg);
		if (BPF_SRC(insn->code) == BPF_X)
			ud.use |= BIT(insn->src_reg);
	}
	return ud;
}

static struct use_def use_def(const struct kbpf_verifier_env *env, u32 i)
{
	const struct bpf_insn *insn = &env->insns[i];
	struct use_def ud = {};
	u8 op = BPF_OP(insn->code);

	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		ud.def = BIT(insn->dst_reg);
		if (op != BPF_MOV)
			ud.use = BIT(insn->dst_reg);
		/* A byte swap's source bit picks the order, not a register. */
		if (BPF_SRC(insn->code) == BPF_X && op != BPF_END)
			ud.use |= BIT(insn->src_reg);
		break;
	case BPF_LD:
		if (BPF_MODE(insn->code) == BPF_IMM) {
			ud.def = BIT(insn->dst_reg);
			break;
		}
		/* LD_ABS/LD_IND: the context in r6, clobbers like a call. */
		ud.use = BIT(BPF_REG_6);
		if (BPF_MODE(insn->code) == BPF_IND)
			ud.use |= BIT(insn->src_reg);
		ud.def = CALL_CLOBBERS;
		break;
	case BPF_LDX:
		ud.use = BIT(insn->src_reg);
		ud.def = BIT(insn->dst_reg);
		break;
	case BPF_ST:
		ud.use = BIT(insn->dst_reg);
		break;
	case BPF_STX:
		ud.use = BIT(insn->dst_reg) | BIT(insn->src_reg);
		if (BPF_MODE(insn->code) != BPF_ATOMIC)
			break;
		/* What the fetching forms write, they read first. */
		if (insn->imm == BPF_CMPXCHG)
			ud.use |= BIT(BPF_REG_0);
		break;
	default:
		return jmp_use_def(env, i);
	}
	return ud;
}

/* The instructions that may run right after @i, in its subprogram. */
static u32 successors(const struct kbpf_verifier_env *env, u32 i, u32 next[2])
{
	const struct bpf_insn *insn = &env->insns[i];
	u8 class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	if (class == BPF_LD && BPF_MODE(insn->code) == BPF_IMM) {
		next[0] = i + 2;
		return 1;
	}
	if (class != BPF_JMP && class != BPF_JMP32) {
		next[0] = i + 1;
		return 1;
	}
	switch (op) {
	case BPF_EXIT:
		return 0;
	case BPF_CALL:
		next[0] = i + 1;
		return 1;
	case BPF_JA:
		next[0] = i + 1 + (class == BPF_JMP32 ? insn->imm : insn->off);
		return 1;
	}
	next[0] = i + 1;
	next[1] = i + 1 + insn->off;
	return 2;
}

/**
 * kbpf_compute_liveness() - the registers live at each instruction
 * @env: a verification after kbpf_check_structure(), its type set
 *
 * Sets kbpf_insn_aux.live of every reachable instruction: the registers
 * r0-r9 some path from it reads before writing (r10 never changes).
 * Sweeps from the last instruction to the first until nothing changes:
 * liveness flows backwards, so one sweep settles straight-line code and
 * each further one carries it once more around a loop or into a caller.
 */
void kbpf_compute_liveness(struct kbpf_verifier_env *env)
{
	struct use_def ud;
	bool changed;
	u32 i, n, k, next[2];
	u16 out, in;

	do {
		changed = false;
		for (i = env->len; i--;) {
			if (!(env->aux[i].flags & KBPF_AUX_REACHABLE) ||
			    (env->aux[i].flags & KBPF_AUX_SECOND_SLOT))
				continue;
			out = 0;
			n = successors(env, i, next);
			for (k = 0; k < n; k++)
				out |= env->aux[next[k]].live;
			ud = use_def(env, i);
			in = ud.use | (out & ~ud.def);
			if (in != env->aux[i].live) {
				env->aux[i].live = in;
				changed = true;
			}
		}
	} while (changed);
}
