// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf's interpreter.
 *
 * This file defines what every eBPF instruction does; the JITs are tested
 * against it. It trusts the verifier for everything a program does with
 * memory, and trusts nobody for its own bookkeeping: kbpf_interp_prepare()
 * checks once that every opcode is known and every jump and call lands on
 * an instruction, so the run loop can never fetch outside the program, and
 * the run loop checks every call and tail call against the stack it owns,
 * so frames never leave it.
 *
 * Dispatch is a computed goto on the opcode byte. All frames of a run share
 * one KBPF_STACK_SIZE area on the kernel stack, carved top down: a callee's
 * frame pointer is its caller's minus the caller's stack depth.
 */

#include <linux/array_size.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/swab.h>
#include <asm/byteorder.h>

#include "insn.h"
#include "interp.h"

/*
 * What a bpf-to-bpf call saves for the caller; r0-r5 are not preserved.
 * The caller's frame pointer is the callee's plus @stack_depth.
 */
struct kbpf_frame {
	const struct bpf_insn *ret;
	const struct kbpf_interp_prog *prog;
	u64 callee_saved[4];
	u32 stack_depth;
	u32 may_goto_left;
};

static bool kbpf_alu_valid(const struct bpf_insn *insn)
{
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	bool reg = BPF_SRC(insn->code) == BPF_X;

	switch (BPF_OP(insn->code)) {
	case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_OR: case BPF_AND:
	case BPF_LSH: case BPF_RSH: case BPF_XOR: case BPF_ARSH:
		return !insn->off;
	case BPF_DIV: case BPF_MOD:
		return insn->off == 0 || insn->off == 1;
	case BPF_NEG:
		return !reg && !insn->off;
	case BPF_MOV:
		if (!reg || !insn->off)
			return !insn->off;
		return insn->off == 8 || insn->off == 16 ||
		       (alu64 && insn->off == 32);
	case BPF_END:
		/* The ALU64 form is the unconditional bswap, source K only. */
		if (alu64 && reg)
			return false;
		return insn->imm == 16 || insn->imm == 32 || insn->imm == 64;
	}
	return false;
}

static bool kbpf_atomic_valid(s32 op)
{
	switch (op & ~BPF_FETCH) {
	case BPF_ADD: case BPF_OR: case BPF_AND: case BPF_XOR:
		return true;
	}
	return op == BPF_XCHG || op == BPF_CMPXCHG;
}

static bool kbpf_mem_valid(const struct bpf_insn *insn)
{
	u8 size = BPF_SIZE(insn->code), mode = BPF_MODE(insn->code);

	switch (BPF_CLASS(insn->code)) {
	case BPF_LDX:
		return mode == BPF_MEM || (mode == BPF_MEMSX && size != BPF_DW);
	case BPF_ST:
		return mode == BPF_MEM;
	case BPF_STX:
		if (mode == BPF_ATOMIC)
			return (size == BPF_W || size == BPF_DW) &&
			       kbpf_atomic_valid(insn->imm);
		return mode == BPF_MEM;
	}
	/* BPF_LD: LD_IMM64 is handled by the caller, then the packet loads. */
	return (mode == BPF_ABS || mode == BPF_IND) && size != BPF_DW;
}

static bool kbpf_helper_valid(const struct kbpf_interp_ops *ops, s32 id)
{
	if (!ops)
		return false;
	if (id == BPF_FUNC_tail_call)
		return ops->tail_call_slot;
	return id >= 0 && (u32)id < ops->nr_helpers && ops->helpers[id];
}

/* Can @target (an index) be the destination of a jump or call? */
static bool kbpf_target_valid(const struct kbpf_interp_prog *prog, s64 target)
{
	const struct bpf_insn *prev;

	if (target < 0 || target >= prog->len)
		return false;
	/*
	 * The second slot of LD_IMM64 must have opcode 0, so an LD_IMM64
	 * opcode in the slot before is always a first slot.
	 */
	prev = &prog->insns[target - 1];
	return !target || prev->code != (BPF_LD | BPF_IMM | BPF_DW);
}

static bool kbpf_jmp_valid(const struct kbpf_interp_prog *prog, u32 i)
{
	const struct bpf_insn *insn = &prog->insns[i];
	bool jmp32 = BPF_CLASS(insn->code) == BPF_JMP32;
	u8 op = BPF_OP(insn->code);

	switch (op) {
	case BPF_JA:
		if (BPF_SRC(insn->code) != BPF_K)
			return false;
		/* gotol keeps its offset in imm, ja in off. */
		return kbpf_target_valid(prog, (s64)i + 1 +
					 (jmp32 ? insn->imm : insn->off));
	case BPF_CALL:
		if (jmp32 || BPF_SRC(insn->code) != BPF_K)
			return false;
		if (insn->src_reg == BPF_PSEUDO_CALL)
			return insn->off >= 0 && insn->off <= KBPF_STACK_SIZE &&
			       kbpf_target_valid(prog, (s64)i + 1 + insn->imm);
		return !insn->src_reg &&
		       kbpf_helper_valid(prog->ops, insn->imm);
	case BPF_EXIT:
		return !jmp32 && BPF_SRC(insn->code) == BPF_K;
	case BPF_JCOND:
		return !jmp32 && BPF_SRC(insn->code) == BPF_K &&
		       insn->src_reg == BPF_MAY_GOTO &&
		       kbpf_target_valid(prog, (s64)i + 1 + insn->off);
	case BPF_JEQ: case BPF_JGT: case BPF_JGE: case BPF_JSET:
	case BPF_JNE: case BPF_JSGT: case BPF_JSGE: case BPF_JLT:
	case BPF_JLE: case BPF_JSLT: case BPF_JSLE:
		return kbpf_target_valid(prog, (s64)i + 1 + insn->off);
	}
	return false;
}

/*
 * Register numbers are checked where the run loop uses them as indexes;
 * calls, exit, jump-always and LD_IMM64 use src_reg for other purposes.
 */
static bool kbpf_regs_valid(const struct bpf_insn *insn)
{
	u8 class = BPF_CLASS(insn->code);

	if (insn->dst_reg >= __MAX_BPF_REG)
		return false;
	if ((class == BPF_JMP || class == BPF_JMP32) &&
	    (BPF_OP(insn->code) == BPF_CALL || BPF_OP(insn->code) == BPF_JA ||
	     BPF_OP(insn->code) == BPF_EXIT || BPF_OP(insn->code) == BPF_JCOND))
		return true;
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW) ||
	       insn->src_reg < __MAX_BPF_REG;
}

/**
 * kbpf_interp_prepare() - check that the interpreter can run a program
 * @prog: the program, with @prog->ops set
 *
 * Checks what the run loop relies on for its own safety: every opcode is
 * one it implements, register numbers are in range, LD_IMM64 has its
 * second slot, jumps and calls land on instructions inside the program,
 * helpers exist in @prog->ops, and the last instruction cannot fall
 * through. The verifier checks all this and much more; this is the
 * interpreter's own guard and costs one pass at load.
 *
 * Return: 0, or -EINVAL when @prog must not be run.
 */
int kbpf_interp_prepare(const struct kbpf_interp_prog *prog)
{
	const struct bpf_insn *last;
	u32 i;

	if (!prog->insns || !prog->len || prog->stack_depth > KBPF_STACK_SIZE)
		return -EINVAL;

	for (i = 0; i < prog->len; i++) {
		const struct bpf_insn *insn = &prog->insns[i];
		bool ok;

		if (!kbpf_regs_valid(insn))
			return -EINVAL;
		switch (BPF_CLASS(insn->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			ok = kbpf_alu_valid(insn);
			break;
		case BPF_JMP:
		case BPF_JMP32:
			ok = kbpf_jmp_valid(prog, i);
			break;
		case BPF_LD:
			if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
				ok = i + 1 < prog->len && !insn[1].code;
				i++;
				break;
			}
			ok = kbpf_mem_valid(insn) && prog->ops &&
			     prog->ops->load_packet;
			break;
		default:
			ok = kbpf_mem_valid(insn);
		}
		if (!ok)
			return -EINVAL;
	}

	last = &prog->insns[prog->len - 1];
	if (!kbpf_target_valid(prog, prog->len - 1))
		return -EINVAL;
	if (last->code != (BPF_JMP | BPF_EXIT) &&
	    last->code != (BPF_JMP | BPF_JA) &&
	    last->code != (BPF_JMP32 | BPF_JA))
		return -EINVAL;
	return 0;
}

/**
 * kbpf_interp_load_packet() - what LD_ABS/LD_IND load
 * @ops: the runtime of the program's type, with load_packet
 * @skb: the context (r6)
 * @offset: the offset the instruction computed
 * @size: 1, 2 or 4 bytes
 * @val: the bytes, big-endian in the packet, in host order
 *
 * The interpreter and the JITs' calls out share this definition.
 *
 * Return: true, or false when the bytes are not in the packet (the
 * program then ends with r0 = 0).
 */
bool kbpf_interp_load_packet(const struct kbpf_interp_ops *ops,
			     const void *skb, s32 offset, u32 size, u64 *val)
{
	union {
		u8 b;
		__be16 h;
		__be32 w;
	} buf;

	if (ops->load_packet(skb, offset, size, &buf))
		return false;
	if (size == 1)
		*val = buf.b;
	else if (size == 2)
		*val = be16_to_cpu(buf.h);
	else
		*val = be32_to_cpu(buf.w);
	return true;
}

static bool kbpf_load_packet(const struct kbpf_interp_prog *prog, u64 *regs,
			     s32 offset, u32 size)
{
	return kbpf_interp_load_packet(prog->ops,
				       (const void *)(unsigned long)regs[BPF_REG_6],
				       offset, size, &regs[BPF_REG_0]);
}

static void kbpf_atomic32(u64 *regs, const struct bpf_insn *insn)
{
	atomic_t *ptr = (atomic_t *)(unsigned long)(regs[insn->dst_reg] +
						     insn->off);
	u32 val = regs[insn->src_reg];

	switch (insn->imm) {
	case BPF_ADD:
		atomic_add(val, ptr);
		return;
	case BPF_OR:
		atomic_or(val, ptr);
		return;
	case BPF_AND:
		atomic_and(val, ptr);
		return;
	case BPF_XOR:
		atomic_xor(val, ptr);
		return;
	case BPF_ADD | BPF_FETCH:
		val = atomic_fetch_add(val, ptr);
		break;
	case BPF_OR | BPF_FETCH:
		val = atomic_fetch_or(val, ptr);
		break;
	case BPF_AND | BPF_FETCH:
		val = atomic_fetch_and(val, ptr);
		break;
	case BPF_XOR | BPF_FETCH:
		val = atomic_fetch_xor(val, ptr);
		break;
	case BPF_XCHG:
		val = atomic_xchg(ptr, val);
		break;
	case BPF_CMPXCHG:
		regs[BPF_REG_0] = (u32)atomic_cmpxchg(ptr, regs[BPF_REG_0],
						      val);
		return;
	}
	/* The fetching forms return the old value, zero-extended. */
	regs[insn->src_reg] = val;
}

static void kbpf_atomic64(u64 *regs, const struct bpf_insn *insn)
{
	atomic64_t *ptr = (atomic64_t *)(unsigned long)(regs[insn->dst_reg] +
							 insn->off);
	s64 val = regs[insn->src_reg];

	switch (insn->imm) {
	case BPF_ADD:
		atomic64_add(val, ptr);
		return;
	case BPF_OR:
		atomic64_or(val, ptr);
		return;
	case BPF_AND:
		atomic64_and(val, ptr);
		return;
	case BPF_XOR:
		atomic64_xor(val, ptr);
		return;
	case BPF_ADD | BPF_FETCH:
		val = atomic64_fetch_add(val, ptr);
		break;
	case BPF_OR | BPF_FETCH:
		val = atomic64_fetch_or(val, ptr);
		break;
	case BPF_AND | BPF_FETCH:
		val = atomic64_fetch_and(val, ptr);
		break;
	case BPF_XOR | BPF_FETCH:
		val = atomic64_fetch_xor(val, ptr);
		break;
	case BPF_XCHG:
		val = atomic64_xchg(ptr, val);
		break;
	case BPF_CMPXCHG:
		regs[BPF_REG_0] = atomic64_cmpxchg(ptr, regs[BPF_REG_0], val);
		return;
	}
	regs[insn->src_reg] = val;
}

/*
 * Division and modulo as RFC 9669 defines them: dividing by zero gives 0,
 * modulo by zero leaves the dividend, and INT_MIN / -1 wraps to INT_MIN
 * (its remainder is 0) instead of trapping as the CPU would.
 */
static u64 kbpf_div64(u64 a, u64 b, bool is_signed, bool is_mod)
{
	u64 rem;

	if (!b)
		return is_mod ? a : 0;
	if (!is_signed) {
		div64_u64_rem(a, b, &rem);
		return is_mod ? rem : div64_u64(a, b);
	}
	if ((s64)b == -1)
		return is_mod ? 0 : 0 - a;
	if (is_mod)
		return (s64)a - div64_s64(a, b) * (s64)b;
	return div64_s64(a, b);
}

static u32 kbpf_div32(u32 a, u32 b, bool is_signed, bool is_mod)
{
	if (!b)
		return is_mod ? a : 0;
	if (!is_signed)
		return is_mod ? a % b : a / b;
	if ((s32)b == -1)
		return is_mod ? 0 : 0 - a;
	return is_mod ? (s32)a % (s32)b : (s32)a / (s32)b;
}

static u64 kbpf_byteswap(const struct bpf_insn *insn, u64 val)
{
	bool to_be = BPF_SRC(insn->code) == BPF_TO_BE;

	/* ALU64 END is bswap: swap whatever the host's byte order. */
	if (BPF_CLASS(insn->code) == BPF_ALU64) {
		switch (insn->imm) {
		case 16:
			return swab16(val);
		case 32:
			return swab32(val);
		default:
			return swab64(val);
		}
	}
	switch (insn->imm) {
	case 16:
		return to_be ? (__force u16)cpu_to_be16(val) :
			       (__force u16)cpu_to_le16(val);
	case 32:
		return to_be ? (__force u32)cpu_to_be32(val) :
			       (__force u32)cpu_to_le32(val);
	default:
		return to_be ? (__force u64)cpu_to_be64(val) :
			       (__force u64)cpu_to_le64(val);
	}
}

static u64 kbpf_movsx(const struct bpf_insn *insn, u64 src)
{
	switch (insn->off) {
	case 8:
		return (s64)(s8)src;
	case 16:
		return (s64)(s16)src;
	default:
		return (s64)(s32)src;
	}
}

/**
 * kbpf_interp_exec() - run a program with up to five arguments
 * @prog: a program kbpf_interp_prepare() accepted
 * @args: values for r1, r2, ...; the other registers start at 0
 * @nr_args: entries in @args, at most 5
 * @r0: where the program's return value goes; 0 when the run faults
 *
 * Return: 0 when the program exited, -EFAULT when a call or tail call
 * would have overflowed the stack or the frame limit. Neither can happen
 * to a program the verifier accepted.
 */
int kbpf_interp_exec(const struct kbpf_interp_prog *prog, const u64 *args,
		     u32 nr_args, u64 *r0)
{
	static const void * const jump_table[256] __annotate_jump_table = {
		[0 ... 255] = &&invalid,
		[BPF_ALU64 | BPF_ADD | BPF_X] = &&alu64_add_x,
		[BPF_ALU64 | BPF_ADD | BPF_K] = &&alu64_add_k,
		[BPF_ALU | BPF_ADD | BPF_X] = &&alu32_add_x,
		[BPF_ALU | BPF_ADD | BPF_K] = &&alu32_add_k,
		[BPF_ALU64 | BPF_SUB | BPF_X] = &&alu64_sub_x,
		[BPF_ALU64 | BPF_SUB | BPF_K] = &&alu64_sub_k,
		[BPF_ALU | BPF_SUB | BPF_X] = &&alu32_sub_x,
		[BPF_ALU | BPF_SUB | BPF_K] = &&alu32_sub_k,
		[BPF_ALU64 | BPF_MUL | BPF_X] = &&alu64_mul_x,
		[BPF_ALU64 | BPF_MUL | BPF_K] = &&alu64_mul_k,
		[BPF_ALU | BPF_MUL | BPF_X] = &&alu32_mul_x,
		[BPF_ALU | BPF_MUL | BPF_K] = &&alu32_mul_k,
		[BPF_ALU64 | BPF_DIV | BPF_X] = &&alu64_div_x,
		[BPF_ALU64 | BPF_DIV | BPF_K] = &&alu64_div_k,
		[BPF_ALU | BPF_DIV | BPF_X] = &&alu32_div_x,
		[BPF_ALU | BPF_DIV | BPF_K] = &&alu32_div_k,
		[BPF_ALU64 | BPF_OR | BPF_X] = &&alu64_or_x,
		[BPF_ALU64 | BPF_OR | BPF_K] = &&alu64_or_k,
		[BPF_ALU | BPF_OR | BPF_X] = &&alu32_or_x,
		[BPF_ALU | BPF_OR | BPF_K] = &&alu32_or_k,
		[BPF_ALU64 | BPF_AND | BPF_X] = &&alu64_and_x,
		[BPF_ALU64 | BPF_AND | BPF_K] = &&alu64_and_k,
		[BPF_ALU | BPF_AND | BPF_X] = &&alu32_and_x,
		[BPF_ALU | BPF_AND | BPF_K] = &&alu32_and_k,
		[BPF_ALU64 | BPF_LSH | BPF_X] = &&alu64_lsh_x,
		[BPF_ALU64 | BPF_LSH | BPF_K] = &&alu64_lsh_k,
		[BPF_ALU | BPF_LSH | BPF_X] = &&alu32_lsh_x,
		[BPF_ALU | BPF_LSH | BPF_K] = &&alu32_lsh_k,
		[BPF_ALU64 | BPF_RSH | BPF_X] = &&alu64_rsh_x,
		[BPF_ALU64 | BPF_RSH | BPF_K] = &&alu64_rsh_k,
		[BPF_ALU | BPF_RSH | BPF_X] = &&alu32_rsh_x,
		[BPF_ALU | BPF_RSH | BPF_K] = &&alu32_rsh_k,
		[BPF_ALU64 | BPF_MOD | BPF_X] = &&alu64_mod_x,
		[BPF_ALU64 | BPF_MOD | BPF_K] = &&alu64_mod_k,
		[BPF_ALU | BPF_MOD | BPF_X] = &&alu32_mod_x,
		[BPF_ALU | BPF_MOD | BPF_K] = &&alu32_mod_k,
		[BPF_ALU64 | BPF_XOR | BPF_X] = &&alu64_xor_x,
		[BPF_ALU64 | BPF_XOR | BPF_K] = &&alu64_xor_k,
		[BPF_ALU | BPF_XOR | BPF_X] = &&alu32_xor_x,
		[BPF_ALU | BPF_XOR | BPF_K] = &&alu32_xor_k,
		[BPF_ALU64 | BPF_MOV | BPF_X] = &&alu64_mov_x,
		[BPF_ALU64 | BPF_MOV | BPF_K] = &&alu64_mov_k,
		[BPF_ALU | BPF_MOV | BPF_X] = &&alu32_mov_x,
		[BPF_ALU | BPF_MOV | BPF_K] = &&alu32_mov_k,
		[BPF_ALU64 | BPF_ARSH | BPF_X] = &&alu64_arsh_x,
		[BPF_ALU64 | BPF_ARSH | BPF_K] = &&alu64_arsh_k,
		[BPF_ALU | BPF_ARSH | BPF_X] = &&alu32_arsh_x,
		[BPF_ALU | BPF_ARSH | BPF_K] = &&alu32_arsh_k,
		[BPF_ALU64 | BPF_NEG] = &&alu64_neg,
		[BPF_ALU | BPF_NEG] = &&alu32_neg,
		[BPF_ALU64 | BPF_END | BPF_TO_LE] = &&end,
		[BPF_ALU | BPF_END | BPF_TO_LE] = &&end,
		[BPF_ALU | BPF_END | BPF_TO_BE] = &&end,
		[BPF_JMP | BPF_JEQ | BPF_X] = &&jmp_jeq_x,
		[BPF_JMP | BPF_JEQ | BPF_K] = &&jmp_jeq_k,
		[BPF_JMP32 | BPF_JEQ | BPF_X] = &&jmp32_jeq_x,
		[BPF_JMP32 | BPF_JEQ | BPF_K] = &&jmp32_jeq_k,
		[BPF_JMP | BPF_JNE | BPF_X] = &&jmp_jne_x,
		[BPF_JMP | BPF_JNE | BPF_K] = &&jmp_jne_k,
		[BPF_JMP32 | BPF_JNE | BPF_X] = &&jmp32_jne_x,
		[BPF_JMP32 | BPF_JNE | BPF_K] = &&jmp32_jne_k,
		[BPF_JMP | BPF_JGT | BPF_X] = &&jmp_jgt_x,
		[BPF_JMP | BPF_JGT | BPF_K] = &&jmp_jgt_k,
		[BPF_JMP32 | BPF_JGT | BPF_X] = &&jmp32_jgt_x,
		[BPF_JMP32 | BPF_JGT | BPF_K] = &&jmp32_jgt_k,
		[BPF_JMP | BPF_JGE | BPF_X] = &&jmp_jge_x,
		[BPF_JMP | BPF_JGE | BPF_K] = &&jmp_jge_k,
		[BPF_JMP32 | BPF_JGE | BPF_X] = &&jmp32_jge_x,
		[BPF_JMP32 | BPF_JGE | BPF_K] = &&jmp32_jge_k,
		[BPF_JMP | BPF_JLT | BPF_X] = &&jmp_jlt_x,
		[BPF_JMP | BPF_JLT | BPF_K] = &&jmp_jlt_k,
		[BPF_JMP32 | BPF_JLT | BPF_X] = &&jmp32_jlt_x,
		[BPF_JMP32 | BPF_JLT | BPF_K] = &&jmp32_jlt_k,
		[BPF_JMP | BPF_JLE | BPF_X] = &&jmp_jle_x,
		[BPF_JMP | BPF_JLE | BPF_K] = &&jmp_jle_k,
		[BPF_JMP32 | BPF_JLE | BPF_X] = &&jmp32_jle_x,
		[BPF_JMP32 | BPF_JLE | BPF_K] = &&jmp32_jle_k,
		[BPF_JMP | BPF_JSGT | BPF_X] = &&jmp_jsgt_x,
		[BPF_JMP | BPF_JSGT | BPF_K] = &&jmp_jsgt_k,
		[BPF_JMP32 | BPF_JSGT | BPF_X] = &&jmp32_jsgt_x,
		[BPF_JMP32 | BPF_JSGT | BPF_K] = &&jmp32_jsgt_k,
		[BPF_JMP | BPF_JSGE | BPF_X] = &&jmp_jsge_x,
		[BPF_JMP | BPF_JSGE | BPF_K] = &&jmp_jsge_k,
		[BPF_JMP32 | BPF_JSGE | BPF_X] = &&jmp32_jsge_x,
		[BPF_JMP32 | BPF_JSGE | BPF_K] = &&jmp32_jsge_k,
		[BPF_JMP | BPF_JSLT | BPF_X] = &&jmp_jslt_x,
		[BPF_JMP | BPF_JSLT | BPF_K] = &&jmp_jslt_k,
		[BPF_JMP32 | BPF_JSLT | BPF_X] = &&jmp32_jslt_x,
		[BPF_JMP32 | BPF_JSLT | BPF_K] = &&jmp32_jslt_k,
		[BPF_JMP | BPF_JSLE | BPF_X] = &&jmp_jsle_x,
		[BPF_JMP | BPF_JSLE | BPF_K] = &&jmp_jsle_k,
		[BPF_JMP32 | BPF_JSLE | BPF_X] = &&jmp32_jsle_x,
		[BPF_JMP32 | BPF_JSLE | BPF_K] = &&jmp32_jsle_k,
		[BPF_JMP | BPF_JSET | BPF_X] = &&jmp_jset_x,
		[BPF_JMP | BPF_JSET | BPF_K] = &&jmp_jset_k,
		[BPF_JMP32 | BPF_JSET | BPF_X] = &&jmp32_jset_x,
		[BPF_JMP32 | BPF_JSET | BPF_K] = &&jmp32_jset_k,
		[BPF_JMP | BPF_JA] = &&ja,
		[BPF_JMP32 | BPF_JA] = &&gotol,
		[BPF_JMP | BPF_JCOND] = &&may_goto,
		[BPF_JMP | BPF_CALL] = &&call,
		[BPF_JMP | BPF_EXIT] = &&exit,
		[BPF_LD | BPF_IMM | BPF_DW] = &&ld_imm64,
		[BPF_LD | BPF_ABS | BPF_B] = &&ld_abs,
		[BPF_LD | BPF_ABS | BPF_H] = &&ld_abs,
		[BPF_LD | BPF_ABS | BPF_W] = &&ld_abs,
		[BPF_LD | BPF_IND | BPF_B] = &&ld_ind,
		[BPF_LD | BPF_IND | BPF_H] = &&ld_ind,
		[BPF_LD | BPF_IND | BPF_W] = &&ld_ind,
		[BPF_LDX | BPF_MEM | BPF_B] = &&ldx_b,
		[BPF_ST | BPF_MEM | BPF_B] = &&st_b,
		[BPF_STX | BPF_MEM | BPF_B] = &&stx_b,
		[BPF_LDX | BPF_MEM | BPF_H] = &&ldx_h,
		[BPF_ST | BPF_MEM | BPF_H] = &&st_h,
		[BPF_STX | BPF_MEM | BPF_H] = &&stx_h,
		[BPF_LDX | BPF_MEM | BPF_W] = &&ldx_w,
		[BPF_ST | BPF_MEM | BPF_W] = &&st_w,
		[BPF_STX | BPF_MEM | BPF_W] = &&stx_w,
		[BPF_LDX | BPF_MEM | BPF_DW] = &&ldx_dw,
		[BPF_ST | BPF_MEM | BPF_DW] = &&st_dw,
		[BPF_STX | BPF_MEM | BPF_DW] = &&stx_dw,
		[BPF_LDX | BPF_MEMSX | BPF_B] = &&ldxs_b,
		[BPF_LDX | BPF_MEMSX | BPF_H] = &&ldxs_h,
		[BPF_LDX | BPF_MEMSX | BPF_W] = &&ldxs_w,
		[BPF_STX | BPF_ATOMIC | BPF_W] = &&atomic_w,
		[BPF_STX | BPF_ATOMIC | BPF_DW] = &&atomic_dw,
	};
	/*
	 * Not zeroed on entry (CONFIG_INIT_STACK_ALL_ZERO would clear 1 KiB
	 * per run): the verifier lets no program read stack it did not
	 * write, and frames are read only after a call wrote them.
	 */
	u64 stack[KBPF_STACK_SIZE / sizeof(u64)] __uninitialized;
	struct kbpf_frame frames[KBPF_MAX_FRAMES - 1] __uninitialized;
	u64 regs[__MAX_BPF_REG] = {};
	const struct bpf_insn *insn = prog->insns;
	u8 *const stack_end = (u8 *)stack;
	u8 *fp = stack_end + sizeof(stack);
	u32 stack_depth = prog->stack_depth;
	u32 may_goto_left = KBPF_MAY_GOTO_LOOPS;
	u32 tail_calls = 0, depth = 0;
	const struct kbpf_interp_prog *const *slot;
	const struct kbpf_interp_prog *target;
	struct kbpf_frame *frame;

#define DST	(regs[insn->dst_reg])
#define SRC	(regs[insn->src_reg])
#define IMM	((s64)insn->imm)
/*
 * Map values may be accessed at any offset the verifier checked, aligned
 * or not: through a packed struct the compiler emits the access the
 * architecture allows (a plain load or store on x86-64 and arm64).
 */
#define MEM(type, addr) \
	(((struct { type v; } __packed *)(unsigned long)(addr))->v)

	if (nr_args > 5)
		nr_args = 5;
	memcpy(&regs[BPF_REG_1], args, nr_args * sizeof(u64));
	regs[BPF_REG_10] = (unsigned long)fp;
	goto *jump_table[insn->code];

	/*
	 * Every handler ends in a jump to next or jump; the compiler gives
	 * each its own copy of the dispatch, so branch prediction sees one
	 * indirect jump per opcode.
	 */
next:
	insn++;
	goto *jump_table[insn->code];
jump:
	insn += insn->off + 1;
	goto *jump_table[insn->code];

alu64_add_x:
	DST += SRC;
	goto next;
alu64_add_k:
	DST += IMM;
	goto next;
alu32_add_x:
	DST = (u32)((u32)DST + (u32)SRC);
	goto next;
alu32_add_k:
	DST = (u32)((u32)DST + (u32)IMM);
	goto next;
alu64_sub_x:
	DST -= SRC;
	goto next;
alu64_sub_k:
	DST -= IMM;
	goto next;
alu32_sub_x:
	DST = (u32)((u32)DST - (u32)SRC);
	goto next;
alu32_sub_k:
	DST = (u32)((u32)DST - (u32)IMM);
	goto next;
alu64_mul_x:
	DST *= SRC;
	goto next;
alu64_mul_k:
	DST *= IMM;
	goto next;
alu32_mul_x:
	DST = (u32)((u32)DST * (u32)SRC);
	goto next;
alu32_mul_k:
	DST = (u32)((u32)DST * (u32)IMM);
	goto next;
alu64_or_x:
	DST |= SRC;
	goto next;
alu64_or_k:
	DST |= IMM;
	goto next;
alu32_or_x:
	DST = (u32)((u32)DST | (u32)SRC);
	goto next;
alu32_or_k:
	DST = (u32)((u32)DST | (u32)IMM);
	goto next;
alu64_and_x:
	DST &= SRC;
	goto next;
alu64_and_k:
	DST &= IMM;
	goto next;
alu32_and_x:
	DST = (u32)((u32)DST & (u32)SRC);
	goto next;
alu32_and_k:
	DST = (u32)((u32)DST & (u32)IMM);
	goto next;
alu64_xor_x:
	DST ^= SRC;
	goto next;
alu64_xor_k:
	DST ^= IMM;
	goto next;
alu32_xor_x:
	DST = (u32)((u32)DST ^ (u32)SRC);
	goto next;
alu32_xor_k:
	DST = (u32)((u32)DST ^ (u32)IMM);
	goto next;
	/* Shift amounts are masked to the operand width, as the ISA says. */
alu64_lsh_x:
	DST <<= SRC & 63;
	goto next;
alu64_lsh_k:
	DST <<= IMM & 63;
	goto next;
alu32_lsh_x:
	DST = (u32)((u32)DST << (SRC & 31));
	goto next;
alu32_lsh_k:
	DST = (u32)((u32)DST << (IMM & 31));
	goto next;
alu64_rsh_x:
	DST >>= SRC & 63;
	goto next;
alu64_rsh_k:
	DST >>= IMM & 63;
	goto next;
alu32_rsh_x:
	DST = (u32)DST >> (SRC & 31);
	goto next;
alu32_rsh_k:
	DST = (u32)DST >> (IMM & 31);
	goto next;
alu64_arsh_x:
	DST = (s64)DST >> (SRC & 63);
	goto next;
alu64_arsh_k:
	DST = (s64)DST >> (IMM & 63);
	goto next;
alu32_arsh_x:
	DST = (u32)((s32)DST >> (SRC & 31));
	goto next;
alu32_arsh_k:
	DST = (u32)((s32)DST >> (IMM & 31));
	goto next;
alu64_div_x:
	DST = kbpf_div64(DST, SRC, insn->off, false);
	goto next;
alu64_div_k:
	DST = kbpf_div64(DST, IMM, insn->off, false);
	goto next;
alu32_div_x:
	DST = kbpf_div32(DST, SRC, insn->off, false);
	goto next;
alu32_div_k:
	DST = kbpf_div32(DST, IMM, insn->off, false);
	goto next;
alu64_mod_x:
	DST = kbpf_div64(DST, SRC, insn->off, true);
	goto next;
alu64_mod_k:
	DST = kbpf_div64(DST, IMM, insn->off, true);
	goto next;
alu32_mod_x:
	DST = kbpf_div32(DST, SRC, insn->off, true);
	goto next;
alu32_mod_k:
	DST = kbpf_div32(DST, IMM, insn->off, true);
	goto next;
alu64_mov_x:
	DST = likely(!insn->off) ? SRC : kbpf_movsx(insn, SRC);
	goto next;
alu64_mov_k:
	DST = IMM;
	goto next;
alu32_mov_x:
	DST = (u32)(likely(!insn->off) ? SRC : kbpf_movsx(insn, SRC));
	goto next;
alu32_mov_k:
	DST = (u32)insn->imm;
	goto next;
alu64_neg:
	DST = 0 - DST;
	goto next;
alu32_neg:
	DST = (u32)(0 - (u32)DST);
	goto next;
end:
	DST = kbpf_byteswap(insn, DST);
	goto next;

jmp_jeq_x:
	if ((u64)DST == (u64)SRC)
		goto jump;
	goto next;
jmp_jeq_k:
	if ((u64)DST == (u64)IMM)
		goto jump;
	goto next;
jmp32_jeq_x:
	if ((u32)DST == (u32)SRC)
		goto jump;
	goto next;
jmp32_jeq_k:
	if ((u32)DST == (u32)IMM)
		goto jump;
	goto next;
jmp_jne_x:
	if ((u64)DST != (u64)SRC)
		goto jump;
	goto next;
jmp_jne_k:
	if ((u64)DST != (u64)IMM)
		goto jump;
	goto next;
jmp32_jne_x:
	if ((u32)DST != (u32)SRC)
		goto jump;
	goto next;
jmp32_jne_k:
	if ((u32)DST != (u32)IMM)
		goto jump;
	goto next;
jmp_jgt_x:
	if ((u64)DST > (u64)SRC)
		goto jump;
	goto next;
jmp_jgt_k:
	if ((u64)DST > (u64)IMM)
		goto jump;
	goto next;
jmp32_jgt_x:
	if ((u32)DST > (u32)SRC)
		goto jump;
	goto next;
jmp32_jgt_k:
	if ((u32)DST > (u32)IMM)
		goto jump;
	goto next;
jmp_jge_x:
	if ((u64)DST >= (u64)SRC)
		goto jump;
	goto next;
jmp_jge_k:
	if ((u64)DST >= (u64)IMM)
		goto jump;
	goto next;
jmp32_jge_x:
	if ((u32)DST >= (u32)SRC)
		goto jump;
	goto next;
jmp32_jge_k:
	if ((u32)DST >= (u32)IMM)
		goto jump;
	goto next;
jmp_jlt_x:
	if ((u64)DST < (u64)SRC)
		goto jump;
	goto next;
jmp_jlt_k:
	if ((u64)DST < (u64)IMM)
		goto jump;
	goto next;
jmp32_jlt_x:
	if ((u32)DST < (u32)SRC)
		goto jump;
	goto next;
jmp32_jlt_k:
	if ((u32)DST < (u32)IMM)
		goto jump;
	goto next;
jmp_jle_x:
	if ((u64)DST <= (u64)SRC)
		goto jump;
	goto next;
jmp_jle_k:
	if ((u64)DST <= (u64)IMM)
		goto jump;
	goto next;
jmp32_jle_x:
	if ((u32)DST <= (u32)SRC)
		goto jump;
	goto next;
jmp32_jle_k:
	if ((u32)DST <= (u32)IMM)
		goto jump;
	goto next;
jmp_jsgt_x:
	if ((s64)DST > (s64)SRC)
		goto jump;
	goto next;
jmp_jsgt_k:
	if ((s64)DST > (s64)IMM)
		goto jump;
	goto next;
jmp32_jsgt_x:
	if ((s32)DST > (s32)SRC)
		goto jump;
	goto next;
jmp32_jsgt_k:
	if ((s32)DST > (s32)IMM)
		goto jump;
	goto next;
jmp_jsge_x:
	if ((s64)DST >= (s64)SRC)
		goto jump;
	goto next;
jmp_jsge_k:
	if ((s64)DST >= (s64)IMM)
		goto jump;
	goto next;
jmp32_jsge_x:
	if ((s32)DST >= (s32)SRC)
		goto jump;
	goto next;
jmp32_jsge_k:
	if ((s32)DST >= (s32)IMM)
		goto jump;
	goto next;
jmp_jslt_x:
	if ((s64)DST < (s64)SRC)
		goto jump;
	goto next;
jmp_jslt_k:
	if ((s64)DST < (s64)IMM)
		goto jump;
	goto next;
jmp32_jslt_x:
	if ((s32)DST < (s32)SRC)
		goto jump;
	goto next;
jmp32_jslt_k:
	if ((s32)DST < (s32)IMM)
		goto jump;
	goto next;
jmp_jsle_x:
	if ((s64)DST <= (s64)SRC)
		goto jump;
	goto next;
jmp_jsle_k:
	if ((s64)DST <= (s64)IMM)
		goto jump;
	goto next;
jmp32_jsle_x:
	if ((s32)DST <= (s32)SRC)
		goto jump;
	goto next;
jmp32_jsle_k:
	if ((s32)DST <= (s32)IMM)
		goto jump;
	goto next;
jmp_jset_x:
	if ((u64)DST & (u64)SRC)
		goto jump;
	goto next;
jmp_jset_k:
	if ((u64)DST & (u64)IMM)
		goto jump;
	goto next;
jmp32_jset_x:
	if ((u32)DST & (u32)SRC)
		goto jump;
	goto next;
jmp32_jset_k:
	if ((u32)DST & (u32)IMM)
		goto jump;
	goto next;
ja:
	goto jump;
gotol:
	insn += insn->imm + 1;
	goto *jump_table[insn->code];
may_goto:
	if (!may_goto_left)
		goto jump;
	may_goto_left--;
	goto next;

call:
	if (insn->src_reg == BPF_PSEUDO_CALL)
		goto call_local;
	if (unlikely(insn->imm == BPF_FUNC_tail_call))
		goto tail_call;
	regs[BPF_REG_0] = prog->ops->helpers[insn->imm](regs[BPF_REG_1],
							regs[BPF_REG_2],
							regs[BPF_REG_3],
							regs[BPF_REG_4],
							regs[BPF_REG_5]);
	goto next;

call_local:
	if (depth == ARRAY_SIZE(frames) ||
	    fp - stack_end < stack_depth + insn->off)
		goto fault;
	frame = &frames[depth++];
	frame->ret = insn + 1;
	frame->prog = prog;
	memcpy(frame->callee_saved, &regs[BPF_REG_6],
	       sizeof(frame->callee_saved));
	frame->stack_depth = stack_depth;
	frame->may_goto_left = may_goto_left;
	fp -= stack_depth;
	regs[BPF_REG_10] = (unsigned long)fp;
	stack_depth = insn->off;
	may_goto_left = KBPF_MAY_GOTO_LOOPS;
	insn += insn->imm + 1;
	goto *jump_table[insn->code];

exit:
	if (!depth) {
		*r0 = regs[BPF_REG_0];
		return 0;
	}
	frame = &frames[--depth];
	memcpy(&regs[BPF_REG_6], frame->callee_saved,
	       sizeof(frame->callee_saved));
	stack_depth = frame->stack_depth;
	fp += stack_depth;
	regs[BPF_REG_10] = (unsigned long)fp;
	may_goto_left = frame->may_goto_left;
	prog = frame->prog;
	insn = frame->ret;
	goto *jump_table[insn->code];

tail_call:
	/*
	 * In upstream's order: an index outside the array does not count
	 * toward the limit, an empty slot does; either way, and past the
	 * limit, the program goes on with the next instruction. The called
	 * program reuses this frame, so it must fit where this frame starts.
	 */
	slot = prog->ops->tail_call_slot((void *)(unsigned long)regs[BPF_REG_2],
					 regs[BPF_REG_3]);
	if (!slot || tail_calls == KBPF_MAX_TAIL_CALLS)
		goto next;
	tail_calls++;
	target = READ_ONCE(*slot);
	if (!target)
		goto next;
	if (fp - stack_end < target->stack_depth)
		goto fault;
	/* A new program, a new budget, as each JITed program keeps its own. */
	prog = target;
	stack_depth = prog->stack_depth;
	may_goto_left = KBPF_MAY_GOTO_LOOPS;
	insn = prog->insns;
	goto *jump_table[insn->code];

ld_imm64:
	DST = (u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32);
	insn++;
	goto next;
ld_abs:
	if (!kbpf_load_packet(prog, regs, insn->imm,
			      kbpf_insn_size_bytes(insn->code)))
		goto packet_miss;
	goto next;
ld_ind:
	if (!kbpf_load_packet(prog, regs, SRC + insn->imm,
			      kbpf_insn_size_bytes(insn->code)))
		goto packet_miss;
	goto next;
packet_miss:
	*r0 = 0;
	return 0;

ldx_b:
	DST = MEM(u8, SRC + insn->off);
	goto next;
st_b:
	MEM(u8, DST + insn->off) = IMM;
	goto next;
stx_b:
	MEM(u8, DST + insn->off) = SRC;
	goto next;
ldx_h:
	DST = MEM(u16, SRC + insn->off);
	goto next;
st_h:
	MEM(u16, DST + insn->off) = IMM;
	goto next;
stx_h:
	MEM(u16, DST + insn->off) = SRC;
	goto next;
ldx_w:
	DST = MEM(u32, SRC + insn->off);
	goto next;
st_w:
	MEM(u32, DST + insn->off) = IMM;
	goto next;
stx_w:
	MEM(u32, DST + insn->off) = SRC;
	goto next;
ldx_dw:
	DST = MEM(u64, SRC + insn->off);
	goto next;
st_dw:
	MEM(u64, DST + insn->off) = IMM;
	goto next;
stx_dw:
	MEM(u64, DST + insn->off) = SRC;
	goto next;
ldxs_b:
	DST = (s64)MEM(s8, SRC + insn->off);
	goto next;
ldxs_h:
	DST = (s64)MEM(s16, SRC + insn->off);
	goto next;
ldxs_w:
	DST = (s64)MEM(s32, SRC + insn->off);
	goto next;
atomic_w:
	kbpf_atomic32(regs, insn);
	goto next;
atomic_dw:
	kbpf_atomic64(regs, insn);
	goto next;

invalid:
	*r0 = 0;
	return -EINVAL;
fault:
	*r0 = 0;
	return -EFAULT;
#undef DST
#undef SRC
#undef IMM
#undef MEM
}

/**
 * kbpf_interp_run() - run a program and return r0
 * @prog: a program kbpf_interp_prepare() accepted
 * @ctx: the context, passed in r1
 *
 * Return: the program's r0, or 0 if the run faulted.
 */
u64 kbpf_interp_run(const struct kbpf_interp_prog *prog, const void *ctx)
{
	u64 arg = (unsigned long)ctx, r0;

	kbpf_interp_exec(prog, &arg, 1, &r0);
	return r0;
}
