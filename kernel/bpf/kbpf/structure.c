// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's first pass: is the program well formed?
 *
 * Before any path is explored, every instruction must be one the ISA
 * defines with its unused fields zero, every register number must exist
 * and r10 must never be written, every jump must land on an instruction of
 * its own subprogram (never on the second half of an LD_IMM64), every
 * subprogram must end in an exit or a jump, every instruction must be
 * reachable, and calls must not recurse or nest deeper than
 * KBPF_MAX_CALL_FRAMES. Each rejection says which instruction and why.
 *
 * The pass also records, per instruction, what exploration needs: which
 * subprogram it is in and where paths meet (the points where states are
 * compared for pruning).
 */

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sprintf.h>
#include <linux/stdarg.h>

#include "verifier.h"

#define LD_IMM64	(BPF_LD | BPF_IMM | BPF_DW)

static __printf(3, 4) int bad(struct kbpf_verifier_env *env, u32 idx,
				const char *fmt, ...)
{
	const struct bpf_insn *insn = &env->insns[idx];
	char what[96];
	va_list args;

	if (kbpf_log_enabled(env->log)) {
		va_start(args, fmt);
		vscnprintf(what, sizeof(what), fmt, args);
		va_end(args);
		kbpf_log(env->log, "insn %u (code 0x%02x): %s\n", idx,
			 insn->code, what);
	}
	return -EINVAL;
}

static int check_alu(struct kbpf_verifier_env *env, u32 idx)
{
	const struct bpf_insn *insn = &env->insns[idx];
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	bool reg = BPF_SRC(insn->code) == BPF_X;
	u8 op = BPF_OP(insn->code);

	/* For a byte swap the source bit picks the byte order; imm the width. */
	if (op == BPF_END) {
		if (alu64 && reg)
			return bad(env, idx, "bswap has no register form");
		if (insn->imm != 16 && insn->imm != 32 && insn->imm != 64)
			return bad(env, idx, "byte swap width must be 16, 32 or 64");
		if (insn->src_reg || insn->off)
			return bad(env, idx, "src_reg and off of a byte swap must be 0");
		return 0;
	}
	if (reg ? insn->imm : insn->src_reg)
		return bad(env, idx, reg ? "imm must be 0 with a register source" :
				      "src_reg must be 0 with an immediate source");
	switch (op) {
	case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_OR: case BPF_AND:
	case BPF_LSH: case BPF_RSH: case BPF_XOR: case BPF_ARSH:
		break;
	case BPF_DIV: case BPF_MOD:
		if (insn->off != 0 && insn->off != 1)
			return bad(env, idx, "off must be 0 or 1 (signed)");
		return 0;
	case BPF_MOV:
		if (!insn->off)
			return 0;
		if (reg && (insn->off == 8 || insn->off == 16 ||
			    (alu64 && insn->off == 32)))
			return 0;
		return bad(env, idx, alu64 ? "movsx needs off 8, 16 or 32" :
				     "movsx32 needs off 8 or 16");
	case BPF_NEG:
		if (reg || insn->imm)
			return bad(env, idx, "neg has no source operand");
		break;
	default:
		return bad(env, idx, "unknown ALU operation");
	}
	if (insn->off)
		return bad(env, idx, "off must be 0");
	return 0;
}

static bool atomic_op_valid(s32 op)
{
	switch (op) {
	case BPF_ADD: case BPF_OR: case BPF_AND: case BPF_XOR:
	case BPF_ADD | BPF_FETCH: case BPF_OR | BPF_FETCH:
	case BPF_AND | BPF_FETCH: case BPF_XOR | BPF_FETCH:
	case BPF_XCHG: case BPF_CMPXCHG:
		return true;
	}
	return false;
}

static int check_mem(struct kbpf_verifier_env *env, u32 idx)
{
	const struct bpf_insn *insn = &env->insns[idx];
	u8 mode = BPF_MODE(insn->code), size = BPF_SIZE(insn->code);

	switch (BPF_CLASS(insn->code)) {
	case BPF_LDX:
		if (mode != BPF_MEM && !(mode == BPF_MEMSX && size != BPF_DW))
			return bad(env, idx, "unknown load mode");
		if (insn->imm)
			return bad(env, idx, "imm must be 0");
		return 0;
	case BPF_ST:
		if (mode != BPF_MEM)
			return bad(env, idx, "unknown store mode");
		if (insn->src_reg)
			return bad(env, idx, "src_reg must be 0");
		return 0;
	case BPF_STX:
		if (mode == BPF_ATOMIC) {
			if (size != BPF_W && size != BPF_DW)
				return bad(env, idx, "atomics are 32 or 64 bit");
			if (!atomic_op_valid(insn->imm))
				return bad(env, idx, "unknown atomic operation");
			return 0;
		}
		if (mode != BPF_MEM)
			return bad(env, idx, "unknown store mode");
		if (insn->imm)
			return bad(env, idx, "imm must be 0");
		return 0;
	}
	return 0;
}

/*
 * The map an LD_IMM64 names, found by the caller. A value's address
 * (BPF_PSEUDO_MAP_VALUE, _IDX_VALUE) exists only for arrays of one entry,
 * at an offset inside the value, as upstream has it.
 */
static int resolve_map(struct kbpf_verifier_env *env, u32 idx)
{
	const struct bpf_insn *insn = &env->insns[idx];
	const struct kbpf_map_desc *map;
	u32 off = insn[1].imm;

	if (!env->find_map) {
		kbpf_log(env->log, "insn %u (code 0x%02x): no map for imm %d: no maps given\n",
			 idx, insn->code, insn->imm);
		return -EBADF;
	}
	map = env->find_map(env->owner, insn->src_reg, insn->imm);
	if (IS_ERR(map)) {
		kbpf_log(env->log,
			 "insn %u (code 0x%02x): %s %d is not pointing to valid bpf_map\n",
			 idx, insn->code,
			 insn->src_reg == BPF_PSEUDO_MAP_IDX ||
			 insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE ? "fd_array index" : "fd",
			 insn->imm);
		return PTR_ERR(map);
	}
	env->aux[idx].map = map;
	if (insn->src_reg == BPF_PSEUDO_MAP_FD ||
	    insn->src_reg == BPF_PSEUDO_MAP_IDX) {
		if (insn[1].imm)
			return bad(env, idx,
				"invalid bpf_ld_imm64 insn: a map's second slot must be zeroes");
		return 0;
	}
	if (map->type != BPF_MAP_TYPE_ARRAY || map->max_entries != 1)
		return bad(env, idx, "only an array of one entry has a value address");
	if (off >= map->value_size)
		return bad(env, idx, "value address past the end of the value");
	return 0;
}

static int check_ld(struct kbpf_verifier_env *env, u32 idx)
{
	const struct bpf_insn *insn = &env->insns[idx];
	u8 mode = BPF_MODE(insn->code);

	if (insn->code == LD_IMM64) {
		const struct bpf_insn *hi = insn + 1;

		if (idx + 1 >= env->len || hi->code || hi->dst_reg ||
		    hi->src_reg || hi->off || insn->off)
			return bad(env, idx,
				"invalid bpf_ld_imm64 insn: its second slot must be zeroes but imm");
		switch (insn->src_reg) {
		case 0:
			return 0;
		case BPF_PSEUDO_MAP_FD:
		case BPF_PSEUDO_MAP_VALUE:
		case BPF_PSEUDO_MAP_IDX:
		case BPF_PSEUDO_MAP_IDX_VALUE:
			return resolve_map(env, idx);
		}
		return bad(env, idx, "unsupported LD_IMM64 source");
	}
	if ((mode != BPF_ABS && mode != BPF_IND) || BPF_SIZE(insn->code) == BPF_DW)
		return bad(env, idx, "unknown load mode");
	if (insn->dst_reg || insn->off || (mode == BPF_ABS && insn->src_reg))
		return bad(env, idx, "unused fields of a packet load must be 0");
	return 0;
}

/*
 * Where a jump or a bpf-to-bpf call at @idx lands, which may be outside
 * the program; false for the instructions that do not jump anywhere.
 */
static bool jump_target(const struct bpf_insn *insn, u32 idx, s64 *target)
{
	u8 class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	if ((class != BPF_JMP && class != BPF_JMP32) || op == BPF_EXIT)
		return false;
	if (op == BPF_CALL) {
		*target = (s64)idx + 1 + insn->imm;
		return insn->src_reg == BPF_PSEUDO_CALL;
	}
	*target = (s64)idx + 1 +
		  (class == BPF_JMP32 && op == BPF_JA ? insn->imm : insn->off);
	return true;
}

static int check_jmp(struct kbpf_verifier_env *env, u32 idx)
{
	const struct bpf_insn *insn = &env->insns[idx];
	bool jmp32 = BPF_CLASS(insn->code) == BPF_JMP32;
	bool reg = BPF_SRC(insn->code) == BPF_X;

	switch (BPF_OP(insn->code)) {
	case BPF_JA:
		if (reg || insn->dst_reg || insn->src_reg ||
		    (jmp32 ? insn->off : insn->imm))
			return bad(env, idx, "unused fields of a jump must be 0");
		return 0;
	case BPF_EXIT:
		if (jmp32 || reg || insn->dst_reg || insn->src_reg ||
		    insn->off || insn->imm)
			return bad(env, idx, "exit has no operands");
		return 0;
	case BPF_CALL:
		if (jmp32 || reg || insn->dst_reg || insn->off)
			return bad(env, idx, "call takes only a helper id or a target");
		if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL) {
			/*
			 * kbpf exports no kernel functions; ENOTSUPP, as
			 * upstream answers where it has none to call, tells
			 * loaders to fall back rather than fail.
			 */
			bad(env, idx, "calling kernel functions (kfuncs) is not supported");
			return -KBPF_ENOTSUPP;
		}
		if (insn->src_reg && insn->src_reg != BPF_PSEUDO_CALL)
			return bad(env, idx, "unknown call kind");
		return 0;
	case BPF_JCOND:
		if (jmp32 || reg || insn->src_reg != BPF_MAY_GOTO ||
		    insn->dst_reg || insn->imm)
			return bad(env, idx, "may_goto has only an offset");
		return 0;
	case BPF_JEQ: case BPF_JGT: case BPF_JGE: case BPF_JSET:
	case BPF_JNE: case BPF_JSGT: case BPF_JSGE: case BPF_JLT:
	case BPF_JLE: case BPF_JSLT: case BPF_JSLE:
		if (reg ? insn->imm : insn->src_reg)
			return bad(env, idx, reg ? "imm must be 0 with a register source" :
					      "src_reg must be 0 with an immediate source");
		return 0;
	}
	return bad(env, idx, "unknown jump operation");
}

/* Fields and opcodes, instruction by instruction. */
static int check_insns(struct kbpf_verifier_env *env)
{
	const struct bpf_insn *insn;
	int err;
	u32 i;

	for (i = 0; i < env->len; i++) {
		insn = &env->insns[i];
		/* src_reg of LD_IMM64 and of calls says what kind they are. */
		if (insn->dst_reg >= __MAX_BPF_REG)
			return bad(env, i, "R%u is invalid", insn->dst_reg);
		if (insn->src_reg >= __MAX_BPF_REG && insn->code != LD_IMM64 &&
		    insn->code != (BPF_JMP | BPF_CALL))
			return bad(env, i, "R%u is invalid", insn->src_reg);
		switch (BPF_CLASS(insn->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			err = check_alu(env, i);
			break;
		case BPF_JMP:
		case BPF_JMP32:
			err = check_jmp(env, i);
			break;
		case BPF_LD:
			err = check_ld(env, i);
			break;
		default:
			err = check_mem(env, i);
		}
		if (err)
			return err;
		if (insn->code == LD_IMM64)
			env->aux[++i].flags |= KBPF_AUX_SECOND_SLOT;
	}
	return 0;
}

static int cmp_subprog(const void *a, const void *b)
{
	u32 x = ((const struct kbpf_subprog *)a)->start;
	u32 y = ((const struct kbpf_subprog *)b)->start;

	return x < y ? -1 : x > y;
}

static bool is_subprog_start(const struct kbpf_verifier_env *env, u32 idx)
{
	u32 sp;

	for (sp = 0; sp < env->nr_subprogs; sp++)
		if (env->subprogs[sp].start == idx)
			return true;
	return false;
}

/* Subprograms start at 0 and at every call target. */
static int find_subprogs(struct kbpf_verifier_env *env)
{
	u32 i, sp;
	s64 target;

	env->subprogs[0].start = 0;
	env->nr_subprogs = 1;
	for (i = 0; i < env->len; i++) {
		const struct bpf_insn *insn = &env->insns[i];

		if (insn->code != (BPF_JMP | BPF_CALL) ||
		    insn->src_reg != BPF_PSEUDO_CALL)
			continue;
		jump_target(insn, i, &target);
		if (target < 0 || target >= env->len ||
		    (env->aux[target].flags & KBPF_AUX_SECOND_SLOT))
			return bad(env, i, "call target outside the program");
		if (is_subprog_start(env, target))
			continue;
		if (env->nr_subprogs == KBPF_MAX_SUBPROGS)
			return bad(env, i, "too many subprograms");
		env->subprogs[env->nr_subprogs++].start = target;
	}
	sort(env->subprogs, env->nr_subprogs, sizeof(env->subprogs[0]),
	     cmp_subprog, NULL);
	env->subprogs[env->nr_subprogs].start = env->len;

	for (sp = 0; sp < env->nr_subprogs; sp++)
		for (i = env->subprogs[sp].start; i < env->subprogs[sp + 1].start; i++)
			env->aux[i].subprog = sp;
	return 0;
}

/* Jumps stay inside their subprogram, which cannot fall off its end. */
static int check_jumps(struct kbpf_verifier_env *env)
{
	const struct bpf_insn *insn, *last;
	u32 i, sp, end;
	s64 target;

	for (i = 0; i < env->len; i++) {
		insn = &env->insns[i];
		/* Calls were checked with the subprograms; exits do not jump. */
		if ((env->aux[i].flags & KBPF_AUX_SECOND_SLOT) ||
		    insn->code == (BPF_JMP | BPF_CALL))
			continue;
		if (!jump_target(insn, i, &target))
			continue;
		sp = env->aux[i].subprog;
		if (target < env->subprogs[sp].start ||
		    target >= env->subprogs[sp + 1].start)
			return bad(env, i,
				"jump out of range from insn %u to %lld: outside its subprogram",
				   i, (long long)target);
		if (env->aux[target].flags & KBPF_AUX_SECOND_SLOT)
			return bad(env, i, "jump into the middle of ldimm64 insn %lld",
				   (long long)target);
		env->aux[target].flags |= KBPF_AUX_JUMP_TARGET;
		/* So is the next instruction, after a conditional jump. */
		if (BPF_OP(insn->code) != BPF_JA && i + 1 < env->len)
			env->aux[i + 1].flags |= KBPF_AUX_JUMP_TARGET;
	}

	for (sp = 0; sp < env->nr_subprogs; sp++) {
		end = env->subprogs[sp + 1].start;
		last = &env->insns[end - 1];
		if ((env->aux[end - 1].flags & KBPF_AUX_SECOND_SLOT) ||
		    (last->code != (BPF_JMP | BPF_EXIT) &&
		     last->code != (BPF_JMP | BPF_JA) &&
		     last->code != (BPF_JMP32 | BPF_JA)))
			return bad(env, end - 1, "last insn is not an exit or jmp%s",
				   sp ? " (of a subprogram)" : "");
	}
	return 0;
}

/*
 * Every instruction must be reachable from the entry. Walked with an
 * explicit stack: a program of a million instructions must not recurse.
 */
static int check_reachable(struct kbpf_verifier_env *env)
{
	u32 *stack, top = 0, i;
	int err = 0;

	stack = kvcalloc(env->len, sizeof(*stack), GFP_KERNEL);
	if (!stack)
		return -ENOMEM;

	env->aux[0].flags |= KBPF_AUX_REACHABLE;
	stack[top++] = 0;
	while (top) {
		const struct bpf_insn *insn;
		s64 next[2] = { -1, -1 };
		u8 op;
		int k;

		i = stack[--top];
		insn = &env->insns[i];
		op = BPF_OP(insn->code);
		/* Successors: the jump's target, and the next instruction. */
		if (!jump_target(insn, i, &next[0]))
			next[0] = -1;
		if (BPF_CLASS(insn->code) != BPF_JMP &&
		    BPF_CLASS(insn->code) != BPF_JMP32)
			next[1] = i + (insn->code == LD_IMM64 ? 2 : 1);
		else if (op != BPF_EXIT && op != BPF_JA)
			next[1] = i + 1;
		for (k = 0; k < 2; k++) {
			if (next[k] < 0 || next[k] >= env->len ||
			    (env->aux[next[k]].flags & KBPF_AUX_REACHABLE))
				continue;
			env->aux[next[k]].flags |= KBPF_AUX_REACHABLE;
			stack[top++] = next[k];
		}
	}

	for (i = 0; i < env->len; i++) {
		if (!(env->aux[i].flags & (KBPF_AUX_REACHABLE | KBPF_AUX_SECOND_SLOT))) {
			err = bad(env, i, "unreachable insn %u", i);
			break;
		}
	}
	kvfree(stack);
	return err;
}

/*
 * Calls form a graph of subprograms, which must have no cycle (no
 * recursion: a frame's stack is sized once) and no chain of more than
 * KBPF_MAX_CALL_FRAMES frames. A depth-first walk with no recursion of its
 * own: each subprogram on the current chain remembers its caller and how
 * far it was scanned, and its frames are one more than its deepest
 * callee's.
 */
static int check_calls(struct kbpf_verifier_env *env)
{
	struct kbpf_subprog *sub, *callee;
	u32 sp = 0, i;
	s64 target;

	for (i = 0; i < env->nr_subprogs; i++)
		env->subprogs[i].visit = 0;
	sub = &env->subprogs[0];
	sub->visit = 1;
	sub->frames = 1;
	sub->resume = sub->start;
	for (;;) {
		sub = &env->subprogs[sp];
		for (i = sub->resume; i < env->subprogs[sp + 1].start; i++) {
			const struct bpf_insn *insn = &env->insns[i];

			if (insn->code != (BPF_JMP | BPF_CALL) ||
			    insn->src_reg != BPF_PSEUDO_CALL)
				continue;
			jump_target(insn, i, &target);
			callee = &env->subprogs[env->aux[target].subprog];
			if (callee->visit == 1)
				return bad(env, i, "recursive call");
			if (!callee->visit)
				break;
			sub->frames = max(sub->frames, callee->frames + 1);
		}
		if (i < env->subprogs[sp + 1].start) {
			/* Walk the callee first, then come back to this call. */
			sub->resume = i;
			callee->visit = 1;
			callee->frames = 1;
			callee->resume = callee->start;
			callee->caller = sp;
			sp = callee - env->subprogs;
			continue;
		}
		sub->visit = 2;
		if (sub->frames > KBPF_MAX_CALL_FRAMES)
			return bad(env, sub->start,
				   "calls from here nest more than 8 frames deep");
		if (!sp)
			return 0;
		sp = sub->caller;
	}
}

/**
 * kbpf_check_structure() - the verifier's first pass
 * @env: the verification, from kbpf_verifier_env_init()
 *
 * Return: 0 when the program is well formed, with @env's subprograms and
 * instruction facts filled in; -EINVAL (and a log line naming the
 * instruction) when it is not; -ENOMEM.
 */
int kbpf_check_structure(struct kbpf_verifier_env *env)
{
	int err;

	if (!env->len) {
		kbpf_log(env->log, "empty program\n");
		return -EINVAL;
	}
	err = check_insns(env);
	err = err ?: find_subprogs(env);
	err = err ?: check_jumps(env);
	err = err ?: check_reachable(env);
	return err ?: check_calls(env);
}
