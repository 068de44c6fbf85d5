/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building eBPF instructions in C: kbpf's tests write programs with these,
 * and later the verifier's rewrites will too. Each macro is one instruction
 * slot (KBPF_LD_IMM64 is two), named after the ISA's classes; operands are
 * in the order the assembler text puts them: destination first. Decoding
 * that more than one pass needs lives here too.
 */
#ifndef _KBPF_INSN_H
#define _KBPF_INSN_H

#include <linux/types.h>
#include <uapi/linux/bpf.h>

/**
 * kbpf_insn_size_bytes() - bytes a load or store of @code accesses
 * @code: the opcode; its BPF_SIZE field is used
 *
 * Return: 1, 2, 4 or 8.
 */
static inline u32 kbpf_insn_size_bytes(u8 code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	default:
		return 8;
	}
}

/**
 * kbpf_insn_writes_fp() - does @insn write r10, the frame pointer?
 * @insn: the instruction (the first half of an LD_IMM64)
 *
 * As its destination (ALU, loads), or as the register a fetching atomic
 * writes the old value to.
 *
 * Return: whether it does.
 */
static inline bool kbpf_insn_writes_fp(const struct bpf_insn *insn)
{
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
		return insn->dst_reg == BPF_REG_10;
	case BPF_LD:
		return insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
		       insn->dst_reg == BPF_REG_10;
	case BPF_STX:
		return BPF_MODE(insn->code) == BPF_ATOMIC &&
		       (insn->imm & BPF_FETCH) && insn->src_reg == BPF_REG_10;
	}
	return false;
}

#define KBPF_INSN(c, dst, src, o, i)					\
	((struct bpf_insn) {						\
		.code = (c), .dst_reg = (dst), .src_reg = (src),	\
		.off = (o), .imm = (i) })

/* ALU: op is BPF_ADD, BPF_SUB, ...; off selects sdiv/smod (1). */
#define KBPF_ALU64_REG(op, dst, src) \
	KBPF_INSN(BPF_ALU64 | (op) | BPF_X, dst, src, 0, 0)
#define KBPF_ALU64_IMM(op, dst, imm) \
	KBPF_INSN(BPF_ALU64 | (op) | BPF_K, dst, 0, 0, imm)
#define KBPF_ALU32_REG(op, dst, src) \
	KBPF_INSN(BPF_ALU | (op) | BPF_X, dst, src, 0, 0)
#define KBPF_ALU32_IMM(op, dst, imm) \
	KBPF_INSN(BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define KBPF_SALU64_REG(op, dst, src) \
	KBPF_INSN(BPF_ALU64 | (op) | BPF_X, dst, src, 1, 0)
#define KBPF_SALU64_IMM(op, dst, imm) \
	KBPF_INSN(BPF_ALU64 | (op) | BPF_K, dst, 0, 1, imm)
#define KBPF_SALU32_REG(op, dst, src) \
	KBPF_INSN(BPF_ALU | (op) | BPF_X, dst, src, 1, 0)
#define KBPF_SALU32_IMM(op, dst, imm) \
	KBPF_INSN(BPF_ALU | (op) | BPF_K, dst, 0, 1, imm)
#define KBPF_MOV64_REG(dst, src)	KBPF_ALU64_REG(BPF_MOV, dst, src)
#define KBPF_MOV64_IMM(dst, imm)	KBPF_ALU64_IMM(BPF_MOV, dst, imm)
#define KBPF_MOV32_REG(dst, src)	KBPF_ALU32_REG(BPF_MOV, dst, src)
#define KBPF_MOV32_IMM(dst, imm)	KBPF_ALU32_IMM(BPF_MOV, dst, imm)
/* Sign-extending moves from the low @bits of @src. */
#define KBPF_MOVSX64(dst, src, bits) \
	KBPF_INSN(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, bits, 0)
#define KBPF_MOVSX32(dst, src, bits) \
	KBPF_INSN(BPF_ALU | BPF_MOV | BPF_X, dst, src, bits, 0)
#define KBPF_NEG64(dst)		KBPF_INSN(BPF_ALU64 | BPF_NEG, dst, 0, 0, 0)
#define KBPF_NEG32(dst)		KBPF_INSN(BPF_ALU | BPF_NEG, dst, 0, 0, 0)
/* Byte order: to_be/to_le convert from host order, bswap always swaps. */
#define KBPF_TO_BE(dst, bits) \
	KBPF_INSN(BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0, bits)
#define KBPF_TO_LE(dst, bits) \
	KBPF_INSN(BPF_ALU | BPF_END | BPF_TO_LE, dst, 0, 0, bits)
#define KBPF_BSWAP(dst, bits) \
	KBPF_INSN(BPF_ALU64 | BPF_END | BPF_TO_LE, dst, 0, 0, bits)

/*
 * LD_IMM64 takes two slots: KBPF_LD_IMM64() with the low 32 bits of @val,
 * then KBPF_IMM64_HI() with the high 32.
 */
#define KBPF_LD_IMM64_SRC(dst, src, val) \
	KBPF_INSN(BPF_LD | BPF_IMM | BPF_DW, dst, src, 0, (__u32)(val))
#define KBPF_LD_IMM64(dst, val)		KBPF_LD_IMM64_SRC(dst, 0, val)
#define KBPF_IMM64_HI(val) \
	KBPF_INSN(0, 0, 0, 0, (__u32)((__u64)(val) >> 32))
/* Legacy packet loads: r0 = big-endian value at @imm (+ @src) in r6's skb. */
#define KBPF_LD_ABS(size, imm) \
	KBPF_INSN(BPF_LD | BPF_ABS | (size), 0, 0, 0, imm)
#define KBPF_LD_IND(size, src, imm) \
	KBPF_INSN(BPF_LD | BPF_IND | (size), 0, src, 0, imm)

/* Memory: size is BPF_B, BPF_H, BPF_W or BPF_DW. */
#define KBPF_LDX_MEM(size, dst, src, off) \
	KBPF_INSN(BPF_LDX | BPF_MEM | (size), dst, src, off, 0)
#define KBPF_LDX_MEMSX(size, dst, src, off) \
	KBPF_INSN(BPF_LDX | BPF_MEMSX | (size), dst, src, off, 0)
#define KBPF_ST_MEM(size, dst, off, imm) \
	KBPF_INSN(BPF_ST | BPF_MEM | (size), dst, 0, off, imm)
#define KBPF_STX_MEM(size, dst, src, off) \
	KBPF_INSN(BPF_STX | BPF_MEM | (size), dst, src, off, 0)
/* op is BPF_ADD, BPF_OR, BPF_AND, BPF_XOR (| BPF_FETCH), or BPF_XCHG, BPF_CMPXCHG. */
#define KBPF_ATOMIC(size, op, dst, src, off) \
	KBPF_INSN(BPF_STX | BPF_ATOMIC | (size), dst, src, off, op)

/* Jumps: off counts slots from the next instruction. */
#define KBPF_JMP_REG(op, dst, src, off) \
	KBPF_INSN(BPF_JMP | (op) | BPF_X, dst, src, off, 0)
#define KBPF_JMP_IMM(op, dst, imm, off) \
	KBPF_INSN(BPF_JMP | (op) | BPF_K, dst, 0, off, imm)
#define KBPF_JMP32_REG(op, dst, src, off) \
	KBPF_INSN(BPF_JMP32 | (op) | BPF_X, dst, src, off, 0)
#define KBPF_JMP32_IMM(op, dst, imm, off) \
	KBPF_INSN(BPF_JMP32 | (op) | BPF_K, dst, 0, off, imm)
#define KBPF_JA(off)		KBPF_INSN(BPF_JMP | BPF_JA, 0, 0, off, 0)
#define KBPF_GOTOL(imm)		KBPF_INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, imm)
#define KBPF_MAY_GOTO(off) \
	KBPF_INSN(BPF_JMP | BPF_JCOND, 0, BPF_MAY_GOTO, off, 0)
#define KBPF_CALL_HELPER(id)	KBPF_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
/* @rel: slots from the next instruction to the callee; @depth: its stack. */
#define KBPF_CALL_LOCAL(rel, depth) \
	KBPF_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, depth, rel)
#define KBPF_EXIT()		KBPF_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#endif /* _KBPF_INSN_H */
