// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf's x86-64 JIT: lowered eBPF instructions to machine code.
 *
 * kbpf's interpreter (kernel/bpf/kbpf/interp.c) defines what every
 * instruction means; this file must give exactly its results, and the
 * host harness and the guests check that it does.
 *
 * Registers: eBPF's calling convention was made for this one, so r1-r5
 * are the C argument registers, r0 the return register and r6-r9
 * callee-saved ones; a helper call is a plain call. r10, the read-only
 * frame pointer, is rbp. r9-r11 are scratch; r12 is reserved for constant
 * blinding.
 *
 *	eBPF	r0  r1  r2  r3  r4  r5  r6  r7  r8  r9  r10
 *	x86	rax rdi rsi rdx rcx r8  rbx r13 r14 r15 rbp
 *
 * Each function (the main one, each subprogram) has its own native frame:
 *
 *	[endbr64]		when the kernel has IBT
 *	mov rax, r9		main function of a program that tail-calls:
 *				the run's bookkeeping (the sixth argument)
 *	tail_entry:		(a tail call from another program lands here)
 *	[endbr64]
 *	push rbp; mov rbp, rsp
 *	sub rsp, N		the eBPF stack, [rbp - depth, rbp), then the
 *				slots below; rsp stays 16-byte aligned
 *	push rbx/r13/r14/r15	only those the function uses
 *
 * and each exit pops them, leaves and returns. Code size converges over
 * passes: jumps start long and shrink to the short form where the target
 * is near; helper calls are always call rel32.
 *
 * Built in the kernel and, unchanged, in the host harness.
 */

#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/kbpf_jit.h>

#include "insn.h"
#include "jit.h"

enum {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

/* r9 and r11 are scratch for the sequences below; r10 holds an address. */
#define TMP	R11
#define TMP2	R9
#define ADDR	R10

static const u8 reg_map[__MAX_BPF_REG] = {
	[BPF_REG_0] = RAX, [BPF_REG_1] = RDI, [BPF_REG_2] = RSI,
	[BPF_REG_3] = RDX, [BPF_REG_4] = RCX, [BPF_REG_5] = R8,
	[BPF_REG_6] = RBX, [BPF_REG_7] = R13, [BPF_REG_8] = R14,
	[BPF_REG_9] = R15, [BPF_REG_10] = RBP,
};

/* The callee-saved registers eBPF r6-r9 live in, in push order. */
static const u8 saved_regs[] = { RBX, R13, R14, R15 };

/* Jcc condition codes (the low nibble of 0x70+cc and 0x0f 0x80+cc). */
enum {
	CC_B = 0x2, CC_AE = 0x3, CC_E = 0x4, CC_NE = 0x5, CC_BE = 0x6,
	CC_A = 0x7, CC_S = 0x8, CC_NS = 0x9, CC_L = 0xc, CC_GE = 0xd,
	CC_LE = 0xe, CC_G = 0xf,
};

/* Longest code one eBPF instruction becomes, for the first pass's guess. */
#define MAX_INSN_BYTES	64
/* Passes after which a size that still moves is given up on. */
#define MAX_PASSES	20

struct x86_jit {
	struct kbpf_jit_prog *jp;
	/* Where instruction i's code starts, from the previous pass; [len] ends. */
	u32 *addrs;
	u8 *buf;
	u32 pos;
	/* The instruction being emitted and where its code started. */
	u32 insn;
	u32 insn_pos;
	/* The function being emitted and its frame. */
	const struct kbpf_jit_func *func;
	u8 saved_mask;
	s32 run_slot;
	s32 may_goto_slot;
};

static void emit1(struct x86_jit *j, u8 b)
{
	if (j->buf)
		j->buf[j->pos] = b;
	j->pos++;
}

static void emit2(struct x86_jit *j, u8 a, u8 b)
{
	emit1(j, a);
	emit1(j, b);
}

static void emit3(struct x86_jit *j, u8 a, u8 b, u8 c)
{
	emit1(j, a);
	emit2(j, b, c);
}

static void emit4(struct x86_jit *j, u32 v)
{
	emit2(j, v, v >> 8);
	emit2(j, v >> 16, v >> 24);
}

static void emit8(struct x86_jit *j, u64 v)
{
	emit4(j, v);
	emit4(j, v >> 32);
}

static bool is_s8(s64 v)
{
	return v >= -128 && v <= 127;
}

static bool is_s32(s64 v)
{
	return v >= S32_MIN && v <= S32_MAX;
}

/*
 * REX: W for 64-bit operands, R, X, B the high bits of the ModRM reg,
 * SIB index and ModRM rm/base registers. @force emits it even when empty,
 * which byte operands of sil/dil/bpl/spl need.
 */
static void emit_rex(struct x86_jit *j, bool w, u8 reg, u8 rm, bool force)
{
	u8 rex = 0x40 | (w << 3) | ((reg >> 3) << 2) | (rm >> 3);

	if (rex != 0x40 || force)
		emit1(j, rex);
}

static void emit_modrm_reg(struct x86_jit *j, u8 reg, u8 rm)
{
	emit1(j, 0xc0 | ((reg & 7) << 3) | (rm & 7));
}

/* ModRM (and SIB, displacement) for [base + disp]. */
static void emit_modrm_mem(struct x86_jit *j, u8 reg, u8 base, s32 disp)
{
	u8 mod = disp == 0 && (base & 7) != RBP ? 0x00 : is_s8(disp) ? 0x40 : 0x80;

	emit1(j, mod | ((reg & 7) << 3) | (base & 7));
	/* rsp and r12 as a base need a SIB byte; rbp and r13 a displacement. */
	if ((base & 7) == RSP)
		emit1(j, 0x24);
	if (mod == 0x40)
		emit1(j, disp);
	else if (mod == 0x80)
		emit4(j, disp);
}

/* op reg, rm (both registers): @op is the r/m, reg form's opcode. */
static void emit_rr(struct x86_jit *j, bool w, u8 op, u8 reg, u8 rm)
{
	emit_rex(j, w, reg, rm, false);
	emit1(j, op);
	emit_modrm_reg(j, reg, rm);
}

/* Two-byte opcode 0x0f @op, reg and rm registers. */
static void emit_rr0f(struct x86_jit *j, bool w, u8 op, u8 reg, u8 rm)
{
	emit_rex(j, w, reg, rm, false);
	emit2(j, 0x0f, op);
	emit_modrm_reg(j, reg, rm);
}

static void emit_mov_rr(struct x86_jit *j, bool w, u8 dst, u8 src)
{
	emit_rr(j, w, 0x89, src, dst);
}

/* dst = imm, sign-extended to 64 bits when @w, zero-extended else. */
static void emit_mov_imm(struct x86_jit *j, bool w, u8 dst, s32 imm)
{
	if (!imm) {
		emit_rr(j, false, 0x31, dst, dst);	/* xor r32, r32 */
	} else if (!w || imm > 0) {
		emit_rex(j, false, 0, dst, false);
		emit1(j, 0xb8 + (dst & 7));
		emit4(j, imm);
	} else {
		emit_rex(j, true, 0, dst, false);
		emit2(j, 0xc7, 0xc0 | (dst & 7));
		emit4(j, imm);
	}
}

static void emit_mov_imm64(struct x86_jit *j, u8 dst, u64 imm)
{
	if (imm <= U32_MAX) {
		emit_mov_imm(j, false, dst, (u32)imm);
	} else if (is_s32((s64)imm)) {
		emit_mov_imm(j, true, dst, (s32)imm);
	} else {
		emit_rex(j, true, 0, dst, false);
		emit1(j, 0xb8 + (dst & 7));
		emit8(j, imm);
	}
}

/* Group-1 op (/ext) of dst with an immediate: 0x83 ib or 0x81 id. */
static void emit_alu_imm(struct x86_jit *j, bool w, u8 ext, u8 dst, s32 imm)
{
	emit_rex(j, w, 0, dst, false);
	if (is_s8(imm)) {
		emit2(j, 0x83, 0xc0 | (ext << 3) | (dst & 7));
		emit1(j, imm);
	} else {
		emit2(j, 0x81, 0xc0 | (ext << 3) | (dst & 7));
		emit4(j, imm);
	}
}

/* op reg, [base + off]; @op0f: a two-byte opcode. @force: REX for bytes. */
static void emit_mem(struct x86_jit *j, bool w, bool op0f, u8 op, u8 reg,
		     u8 base, s32 off, bool force)
{
	emit_rex(j, w, reg, base, force);
	if (op0f)
		emit1(j, 0x0f);
	emit1(j, op);
	emit_modrm_mem(j, reg, base, off);
}

static void emit_push(struct x86_jit *j, u8 reg)
{
	emit_rex(j, false, 0, reg, false);
	emit1(j, 0x50 + (reg & 7));
}

static void emit_pop(struct x86_jit *j, u8 reg)
{
	emit_rex(j, false, 0, reg, false);
	emit1(j, 0x58 + (reg & 7));
}

static void emit_endbr(struct x86_jit *j)
{
	if (kbpf_x86_ibt())
		emit4(j, 0xfa1e0ff3);
}

/* A call or jmp rel32 (@op 0xe8 or 0xe9) to an absolute @target. */
static int emit_rel32(struct x86_jit *j, u8 op, const void *target)
{
	s64 rel;

	emit1(j, op);
	if (!j->jp->image) {
		emit4(j, 0);
		return 0;
	}
	rel = (s64)((unsigned long)target -
		    ((unsigned long)j->jp->image + j->pos + 4));
	if (!is_s32(rel))
		return -ERANGE;
	emit4(j, rel);
	return 0;
}

static void emit_return(struct x86_jit *j)
{
	const void *thunk = kbpf_x86_return_thunk();

	if (thunk) {
		emit_rel32(j, 0xe9, thunk);
		return;
	}
	emit1(j, 0xc3);
	if (kbpf_x86_sls())
		emit1(j, 0xcc);
}

/* jmp *r11, through the kernel's thunk when it has retpolines. */
static void emit_indirect_jump_tmp(struct x86_jit *j)
{
	bool lfence;
	const void *thunk = kbpf_x86_indirect_thunk(TMP, &lfence);

	if (thunk) {
		emit_rel32(j, 0xe9, thunk);
		return;
	}
	if (lfence)
		emit3(j, 0x0f, 0xae, 0xe8);
	emit3(j, 0x41, 0xff, 0xe3);	/* jmp r11 */
	if (kbpf_x86_sls())
		emit1(j, 0xcc);
}

/*
 * A jump to the code of instruction @target from here: short when it
 * reaches, else rel32. @cc < 0 is jmp, else Jcc. Both ends are measured
 * in the previous pass's offsets (this instruction's start there plus
 * how far into it the jump is), so distances shrink together from pass
 * to pass and sizes converge; once they stop changing, the offsets are
 * the code's own.
 */
static void emit_jump(struct x86_jit *j, int cc, u32 target)
{
	s64 here = (s64)j->addrs[j->insn] + (j->pos - j->insn_pos);
	s64 rel = (s64)j->addrs[target] - (here + 2);

	if (is_s8(rel)) {
		emit2(j, cc < 0 ? 0xeb : 0x70 + cc, rel);
		return;
	}
	if (cc < 0) {
		emit1(j, 0xe9);
		emit4(j, (s64)j->addrs[target] - (here + 5));
	} else {
		emit2(j, 0x0f, 0x80 + cc);
		emit4(j, (s64)j->addrs[target] - (here + 6));
	}
}

/* A forward jump over code emitted next: its rel8 is patched after. */
static u32 emit_skip(struct x86_jit *j, int cc)
{
	emit2(j, cc < 0 ? 0xeb : 0x70 + cc, 0);
	return j->pos;
}

static void patch_skip(struct x86_jit *j, u32 at)
{
	if (j->buf)
		j->buf[at - 1] = j->pos - at;
}

static void emit_prologue(struct x86_jit *j)
{
	const struct kbpf_jit_func *f = j->func;
	bool main = f == j->jp->funcs;
	u32 frame = (f->stack_depth + 7) & ~7u, pushes = 0, i;

	emit_endbr(j);
	if (main && j->jp->tail_calls) {
		emit_mov_rr(j, true, RAX, R9);
		j->jp->tail_entry = j->pos;
		emit_endbr(j);
	} else if (main) {
		j->jp->tail_entry = j->pos;
	}
	j->run_slot = 0;
	j->may_goto_slot = 0;
	if (main && j->jp->tail_calls) {
		frame += 8;
		j->run_slot = -frame;
	}
	if (kbpf_jit_func_uses_may_goto(j->jp, f)) {
		frame += 8;
		j->may_goto_slot = -frame;
	}
	j->saved_mask = 0;
	for (i = 0; i < ARRAY_SIZE(saved_regs); i++) {
		if (kbpf_jit_func_uses_reg(j->jp, f, BPF_REG_6 + i)) {
			j->saved_mask |= 1 << i;
			pushes++;
		}
	}
	/* After push rbp, rsp is 16-byte aligned: keep it so at calls. */
	if ((frame + pushes * 8) % 16)
		frame += 8;

	emit_push(j, RBP);
	emit_mov_rr(j, true, RBP, RSP);
	if (frame)
		emit_alu_imm(j, true, 5, RSP, frame);	/* sub rsp, frame */
	if (j->run_slot)
		emit_mem(j, true, false, 0x89, RAX, RBP, j->run_slot, false);
	if (j->may_goto_slot) {
		/* mov dword [rbp + slot], KBPF_MAY_GOTO_LOOPS */
		emit_mem(j, false, false, 0xc7, 0, RBP, j->may_goto_slot, false);
		emit4(j, KBPF_MAY_GOTO_LOOPS);
	}
	for (i = 0; i < ARRAY_SIZE(saved_regs); i++)
		if (j->saved_mask & (1 << i))
			emit_push(j, saved_regs[i]);
}

/* Pop what the prologue pushed and leave the frame; rsp at the return. */
static void emit_unwind(struct x86_jit *j)
{
	int i;

	for (i = ARRAY_SIZE(saved_regs) - 1; i >= 0; i--)
		if (j->saved_mask & (1 << i))
			emit_pop(j, saved_regs[i]);
	emit1(j, 0xc9);		/* leave */
}

static void emit_exit(struct x86_jit *j)
{
	emit_unwind(j);
	emit_return(j);
}

/* dst <<= / >>= / >>=(signed) src, with the count in cl. */
static void emit_shift_reg(struct x86_jit *j, bool w, u8 ext, u8 dst, u8 src)
{
	if (src == RCX) {
		emit_rr(j, w, 0xd3, ext, dst);
		return;
	}
	emit_mov_rr(j, true, TMP2, RCX);
	emit_mov_rr(j, true, RCX, src);
	if (dst == RCX) {
		emit_rr(j, w, 0xd3, ext, TMP2);
		emit_mov_rr(j, true, RCX, TMP2);
		return;
	}
	emit_rr(j, w, 0xd3, ext, dst);
	emit_mov_rr(j, true, RCX, TMP2);
}

static void emit_zext32(struct x86_jit *j, u8 dst)
{
	emit_mov_rr(j, false, dst, dst);
}

/*
 * Division and modulo as the interpreter defines them: a zero divisor
 * gives 0 (division) or leaves the dividend (modulo), and a signed
 * division by -1 is a negation (modulo 0), so div and idiv never fault.
 * The divisor is in TMP; rax and rdx are saved in TMP2 and ADDR.
 */
static void emit_div(struct x86_jit *j, const struct bpf_insn *insn, u8 dst)
{
	bool w = BPF_CLASS(insn->code) == BPF_ALU64;
	bool is_mod = BPF_OP(insn->code) == BPF_MOD, is_signed = insn->off;
	u32 zero, minus1 = 0, done1, done2 = 0;

	emit_rr(j, w, 0x85, TMP, TMP);			/* test tmp, tmp */
	zero = emit_skip(j, CC_E);
	if (is_signed) {
		emit_alu_imm(j, w, 7, TMP, -1);		/* cmp tmp, -1 */
		minus1 = emit_skip(j, CC_E);
	}
	emit_mov_rr(j, true, TMP2, RAX);
	emit_mov_rr(j, true, ADDR, RDX);
	if (dst != RAX)
		emit_mov_rr(j, w, RAX, dst);
	if (!is_signed)
		emit_rr(j, false, 0x31, RDX, RDX);	/* xor edx, edx */
	else if (w)
		emit2(j, 0x48, 0x99);			/* cqo */
	else
		emit1(j, 0x99);				/* cdq */
	emit_rr(j, w, 0xf7, is_signed ? 7 : 6, TMP);	/* (i)div tmp */
	emit_mov_rr(j, w, dst, is_mod ? RDX : RAX);
	if (dst != RAX)
		emit_mov_rr(j, true, RAX, TMP2);
	if (dst != RDX)
		emit_mov_rr(j, true, RDX, ADDR);
	done1 = emit_skip(j, -1);

	if (is_signed) {
		patch_skip(j, minus1);
		if (is_mod)
			emit_rr(j, false, 0x31, dst, dst);	/* 0 */
		else
			emit_rr(j, w, 0xf7, 3, dst);	/* neg */
		done2 = emit_skip(j, -1);
	}
	patch_skip(j, zero);
	if (!is_mod)
		emit_rr(j, false, 0x31, dst, dst);
	else if (!w)
		emit_zext32(j, dst);
	patch_skip(j, done1);
	if (is_signed)
		patch_skip(j, done2);
}

static int emit_alu(struct x86_jit *j, const struct bpf_insn *insn)
{
	bool w = BPF_CLASS(insn->code) == BPF_ALU64;
	bool k = BPF_SRC(insn->code) == BPF_K;
	u8 dst = reg_map[insn->dst_reg], src = reg_map[insn->src_reg];
	s32 imm = insn->imm;
	/* Group-1 /ext and the reg form's opcode of the plain operations. */
	u8 ext, op;

	switch (BPF_OP(insn->code)) {
	case BPF_ADD:
		ext = 0, op = 0x01;
		goto plain;
	case BPF_OR:
		ext = 1, op = 0x09;
		goto plain;
	case BPF_AND:
		ext = 4, op = 0x21;
		goto plain;
	case BPF_SUB:
		ext = 5, op = 0x29;
		goto plain;
	case BPF_XOR:
		ext = 6, op = 0x31;
plain:
		if (k)
			emit_alu_imm(j, w, ext, dst, imm);
		else
			emit_rr(j, w, op, src, dst);
		return 0;
	case BPF_MUL:
		if (!k) {
			emit_rr0f(j, w, 0xaf, dst, src);	/* imul dst, src */
		} else if (is_s8(imm)) {
			emit_rr(j, w, 0x6b, dst, dst);
			emit1(j, imm);
		} else {
			emit_rr(j, w, 0x69, dst, dst);
			emit4(j, imm);
		}
		return 0;
	case BPF_LSH:
		ext = 4;
		goto shift;
	case BPF_RSH:
		ext = 5;
		goto shift;
	case BPF_ARSH:
		ext = 7;
shift:
		if (!k) {
			emit_shift_reg(j, w, ext, dst, src);
			return 0;
		}
		imm &= w ? 63 : 31;
		if (!imm) {
			if (!w)
				emit_zext32(j, dst);
		} else if (imm == 1) {
			emit_rr(j, w, 0xd1, ext, dst);
		} else {
			emit_rr(j, w, 0xc1, ext, dst);
			emit1(j, imm);
		}
		return 0;
	case BPF_NEG:
		emit_rr(j, w, 0xf7, 3, dst);
		return 0;
	case BPF_DIV:
	case BPF_MOD:
		if (k)
			emit_mov_imm(j, w, TMP, imm);
		else
			emit_mov_rr(j, w, TMP, src);
		emit_div(j, insn, dst);
		return 0;
	case BPF_MOV:
		if (k) {
			emit_mov_imm(j, w, dst, imm);
		} else if (insn->off == 8) {
			emit_rex(j, w, dst, src, true);	/* movsx dst, src8 */
			emit2(j, 0x0f, 0xbe);
			emit_modrm_reg(j, dst, src);
		} else if (insn->off == 16) {
			emit_rr0f(j, w, 0xbf, dst, src);
		} else if (insn->off == 32) {
			emit_rr(j, true, 0x63, dst, src);	/* movsxd */
		} else if (dst != src || !w) {
			emit_mov_rr(j, w, dst, src);
		}
		return 0;
	case BPF_END:
		if (BPF_SRC(insn->code) == BPF_TO_LE && !w) {
			/* Host order is little-endian: only the width changes. */
			if (imm == 16)
				emit_rr0f(j, false, 0xb7, dst, dst);	/* movzx */
			else if (imm == 32)
				emit_zext32(j, dst);
			return 0;
		}
		if (imm == 16) {
			/* rol dst16, 8; movzx dst32, dst16 */
			emit1(j, 0x66);
			emit_rr(j, false, 0xc1, 0, dst);
			emit1(j, 8);
			emit_rr0f(j, false, 0xb7, dst, dst);
		} else {
			emit_rex(j, imm == 64, 0, dst, false);	/* bswap */
			emit2(j, 0x0f, 0xc8 + (dst & 7));
		}
		return 0;
	}
	return -EOPNOTSUPP;
}

static int emit_ldx(struct x86_jit *j, const struct bpf_insn *insn)
{
	u8 dst = reg_map[insn->dst_reg], src = reg_map[insn->src_reg];
	bool sx = BPF_MODE(insn->code) == BPF_MEMSX;

	switch (BPF_SIZE(insn->code)) {
	case BPF_B:	/* movzx r32 / movsx r64, byte */
		emit_mem(j, sx, true, sx ? 0xbe : 0xb6, dst, src, insn->off, false);
		break;
	case BPF_H:
		emit_mem(j, sx, true, sx ? 0xbf : 0xb7, dst, src, insn->off, false);
		break;
	case BPF_W:	/* movsxd r64 / mov r32 */
		emit_mem(j, sx, false, sx ? 0x63 : 0x8b, dst, src, insn->off, false);
		break;
	default:
		emit_mem(j, true, false, 0x8b, dst, src, insn->off, false);
	}
	return 0;
}

static void emit_opsize(struct x86_jit *j, u8 size)
{
	if (size == BPF_H)
		emit1(j, 0x66);
}

static int emit_st(struct x86_jit *j, const struct bpf_insn *insn)
{
	u8 dst = reg_map[insn->dst_reg], size = BPF_SIZE(insn->code);

	emit_opsize(j, size);
	emit_mem(j, size == BPF_DW, false, size == BPF_B ? 0xc6 : 0xc7, 0, dst,
		 insn->off, false);
	if (size == BPF_B)
		emit1(j, insn->imm);
	else if (size == BPF_H)
		emit2(j, insn->imm, insn->imm >> 8);
	else
		emit4(j, insn->imm);
	return 0;
}

static int emit_stx(struct x86_jit *j, const struct bpf_insn *insn)
{
	u8 dst = reg_map[insn->dst_reg], src = reg_map[insn->src_reg];
	u8 size = BPF_SIZE(insn->code);

	emit_opsize(j, size);
	emit_mem(j, size == BPF_DW, false, size == BPF_B ? 0x88 : 0x89, src, dst,
		 insn->off, size == BPF_B);
	return 0;
}

/*
 * Atomics: lock add/or/and/xor, lock xadd, xchg, lock cmpxchg; the
 * fetching or/and/xor are a cmpxchg loop on rax, whose eBPF value (r0)
 * waits in TMP2.
 */
static int emit_atomic(struct x86_jit *j, const struct bpf_insn *insn)
{
	bool w = BPF_SIZE(insn->code) == BPF_DW;
	u8 dst = reg_map[insn->dst_reg], src = reg_map[insn->src_reg], op;
	s32 off = insn->off;
	u32 retry;

	switch (insn->imm) {
	case BPF_ADD:
		op = 0x01;
		goto locked;
	case BPF_OR:
		op = 0x09;
		goto locked;
	case BPF_AND:
		op = 0x21;
		goto locked;
	case BPF_XOR:
		op = 0x31;
locked:
		emit1(j, 0xf0);
		emit_mem(j, w, false, op, src, dst, off, false);
		return 0;
	case BPF_ADD | BPF_FETCH:
		emit1(j, 0xf0);
		emit_mem(j, w, true, 0xc1, src, dst, off, false);	/* xadd */
		return 0;
	case BPF_XCHG:
		emit_mem(j, w, false, 0x87, src, dst, off, false);
		return 0;
	case BPF_CMPXCHG:
		emit1(j, 0xf0);
		emit_mem(j, w, true, 0xb1, src, dst, off, false);
		/* The 32-bit form leaves rax's upper half on success. */
		if (!w)
			emit_zext32(j, RAX);
		return 0;
	case BPF_OR | BPF_FETCH:
		op = 0x09;
		break;
	case BPF_AND | BPF_FETCH:
		op = 0x21;
		break;
	case BPF_XOR | BPF_FETCH:
		op = 0x31;
		break;
	default:
		return -EOPNOTSUPP;
	}
	/* lea addr, [dst + off]; r0 and the operand out of rax's way. */
	emit_mem(j, true, false, 0x8d, ADDR, dst, off, false);
	emit_mov_rr(j, true, TMP2, RAX);
	if (src == RAX)
		src = TMP2;
	emit_mem(j, w, false, 0x8b, RAX, ADDR, 0, false);
	retry = j->pos;
	emit_mov_rr(j, true, TMP, RAX);
	emit_rr(j, w, op, src, TMP);
	emit1(j, 0xf0);
	emit_mem(j, w, true, 0xb1, TMP, ADDR, 0, false);
	emit2(j, 0x70 + CC_NE, retry - (j->pos + 2));
	/* The old value to the operand register, zero-extended; r0 back. */
	src = reg_map[insn->src_reg];
	emit_mov_rr(j, w, src, RAX);
	if (src != RAX)
		emit_mov_rr(j, true, RAX, TMP2);
	return 0;
}

/* The condition each conditional jump takes, by its op; 0: not one. */
static const u8 jump_cc[16] = {
	[BPF_JEQ >> 4] = CC_E, [BPF_JNE >> 4] = CC_NE, [BPF_JSET >> 4] = CC_NE,
	[BPF_JGT >> 4] = CC_A, [BPF_JGE >> 4] = CC_AE, [BPF_JLT >> 4] = CC_B,
	[BPF_JLE >> 4] = CC_BE, [BPF_JSGT >> 4] = CC_G, [BPF_JSGE >> 4] = CC_GE,
	[BPF_JSLT >> 4] = CC_L, [BPF_JSLE >> 4] = CC_LE,
};

static int emit_cond_jump(struct x86_jit *j, const struct bpf_insn *insn, u32 i)
{
	bool w = BPF_CLASS(insn->code) == BPF_JMP;
	bool k = BPF_SRC(insn->code) == BPF_K;
	u8 dst = reg_map[insn->dst_reg], src = reg_map[insn->src_reg];
	int cc;

	cc = jump_cc[BPF_OP(insn->code) >> 4];
	if (!cc)
		return -EOPNOTSUPP;
	if (BPF_OP(insn->code) == BPF_JSET) {
		if (!k) {
			emit_rr(j, w, 0x85, src, dst);
		} else {
			emit_rex(j, w, 0, dst, false);	/* test dst, imm32 */
			emit2(j, 0xf7, 0xc0 | (dst & 7));
			emit4(j, insn->imm);
		}
	} else if (!k) {
		emit_rr(j, w, 0x39, src, dst);		/* cmp dst, src */
	} else if (!insn->imm) {
		emit_rr(j, w, 0x85, dst, dst);		/* test dst, dst */
	} else {
		emit_alu_imm(j, w, 7, dst, insn->imm);	/* cmp dst, imm */
	}
	emit_jump(j, cc, i + 1 + insn->off);
	return 0;
}

static int emit_tail_call(struct x86_jit *j)
{
	u32 skip;
	int err;

	/* kbpf_jit_tail_call(ops, map, index, run); ctx (rdi) kept. */
	emit_push(j, RDI);
	emit_alu_imm(j, true, 5, RSP, 8);
	emit_mem(j, true, false, 0x8b, RCX, RBP, j->run_slot, false);
	emit_mov_imm64(j, RDI, (unsigned long)j->jp->ops);
	err = emit_rel32(j, 0xe8, kbpf_jit_tail_call);
	emit_alu_imm(j, true, 0, RSP, 8);
	emit_pop(j, RDI);
	emit_rr(j, true, 0x85, RAX, RAX);
	skip = emit_skip(j, CC_E);
	emit_mov_rr(j, true, TMP, RAX);
	emit_mem(j, true, false, 0x8b, RAX, RBP, j->run_slot, false);
	emit_unwind(j);
	emit_indirect_jump_tmp(j);
	patch_skip(j, skip);
	return err;
}

/* r0 = the bytes at r6's packet; a miss ends the run with 0. */
static int emit_packet_load(struct x86_jit *j, const struct bpf_insn *insn)
{
	u32 ok;
	int err;

	/*
	 * kbpf_jit_load_packet(ops, ctx, offset, size): the offset first,
	 * as its register may be one the other arguments go in.
	 */
	if (BPF_MODE(insn->code) == BPF_IND) {
		emit_mov_rr(j, false, RDX, reg_map[insn->src_reg]);
		if (insn->imm)
			emit_alu_imm(j, false, 0, RDX, insn->imm);
	} else {
		emit_mov_imm(j, false, RDX, insn->imm);
	}
	emit_mov_rr(j, true, RSI, RBX);
	emit_mov_imm64(j, RDI, (unsigned long)j->jp->ops);
	emit_mov_imm(j, false, RCX, kbpf_insn_size_bytes(insn->code));
	err = emit_rel32(j, 0xe8, kbpf_jit_load_packet);
	emit_rr(j, true, 0x85, RAX, RAX);
	ok = emit_skip(j, CC_NS);
	emit_rr(j, false, 0x31, RAX, RAX);
	emit_exit(j);
	patch_skip(j, ok);
	return err;
}

/*
 * A lookup in an array whose values lie side by side, inline: r0 =
 * values + key * elem_size for a key below max_entries, else NULL; the
 * key masked as array_index_nospec() does, as the map's own lookup.
 */
static void emit_array_lookup(struct x86_jit *j, const struct kbpf_jit_call *c)
{
	u32 null, done;

	emit_mem(j, false, false, 0x8b, RAX, RSI, 0, false);	/* eax = key */
	emit_alu_imm(j, false, 7, RAX, c->max_entries);
	null = emit_skip(j, CC_AE);
	emit_rr(j, false, 0x19, RDX, RDX);		/* sbb edx, edx */
	emit_rr(j, false, 0x21, RDX, RAX);		/* and eax, edx */
	if (!(c->elem_size & (c->elem_size - 1))) {
		emit_rr(j, true, 0xc1, 4, RAX);		/* shl rax, log2 */
		emit1(j, __builtin_ctz(c->elem_size));
	} else {
		emit_rr(j, true, 0x69, RAX, RAX);	/* imul rax, rax, size */
		emit4(j, c->elem_size);
	}
	emit_mov_imm64(j, RDX, (unsigned long)c->values);
	emit_rr(j, true, 0x01, RDX, RAX);		/* add rax, rdx */
	done = emit_skip(j, -1);
	patch_skip(j, null);
	emit_rr(j, false, 0x31, RAX, RAX);
	patch_skip(j, done);
}

static int emit_call(struct x86_jit *j, const struct bpf_insn *insn, u32 i)
{
	const struct kbpf_interp_ops *ops = j->jp->ops;
	const struct kbpf_jit_call *bound = j->jp->calls ? &j->jp->calls[i] : NULL;
	s64 rel;

	if (insn->src_reg == BPF_PSEUDO_CALL) {
		const struct kbpf_jit_func *callee = kbpf_jit_find_func(j->jp, i + 1 + insn->imm);

		if (!callee)
			return -EINVAL;
		emit1(j, 0xe8);
		rel = (s64)callee->image_off - (j->pos + 4);
		emit4(j, rel);
		return 0;
	}
	if (insn->imm == BPF_FUNC_tail_call)
		return emit_tail_call(j);
	if (bound && bound->values) {
		emit_array_lookup(j, bound);
		return 0;
	}
	if (bound && bound->fn)
		return emit_rel32(j, 0xe8, bound->fn);
	return emit_rel32(j, 0xe8, ops->helpers[insn->imm]);
}

static int emit_insn(struct x86_jit *j, const struct bpf_insn *insn, u32 i)
{
	u8 dst = reg_map[insn->dst_reg];

	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return emit_alu(j, insn);
	case BPF_LDX:
		return emit_ldx(j, insn);
	case BPF_ST:
		return emit_st(j, insn);
	case BPF_STX:
		if (BPF_MODE(insn->code) == BPF_ATOMIC)
			return emit_atomic(j, insn);
		return emit_stx(j, insn);
	case BPF_LD:
		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			emit_mov_imm64(j, dst, (u32)insn[0].imm |
				       ((u64)(u32)insn[1].imm << 32));
			return 0;
		}
		return emit_packet_load(j, insn);
	}
	/* BPF_JMP, BPF_JMP32 */
	switch (BPF_OP(insn->code)) {
	case BPF_JA:
		emit_jump(j, -1, i + 1 + (BPF_CLASS(insn->code) == BPF_JMP32 ?
					  insn->imm : insn->off));
		return 0;
	case BPF_JCOND:
		/* may_goto: taken once the function's budget is spent. */
		emit_mem(j, false, false, 0x83, 7, RBP, j->may_goto_slot, false);
		emit1(j, 0);				/* cmp dword [slot], 0 */
		emit_jump(j, CC_E, i + 1 + insn->off);
		emit_mem(j, false, false, 0xff, 1, RBP, j->may_goto_slot, false);
		return 0;				/* dec dword [slot] */
	case BPF_CALL:
		return emit_call(j, insn, i);
	case BPF_EXIT:
		emit_exit(j);
		return 0;
	}
	return emit_cond_jump(j, insn, i);
}

/* One pass over every function; addrs[] gets this pass's offsets. */
static int jit_pass(struct x86_jit *j, u32 *new_addrs)
{
	struct kbpf_jit_prog *jp = j->jp;
	u32 f, i;
	int err;

	j->pos = 0;
	for (f = 0; f < jp->nr_funcs; f++) {
		struct kbpf_jit_func *func = &jp->funcs[f];

		j->func = func;
		func->image_off = j->pos;
		emit_prologue(j);
		for (i = func->start; i < func->end; i++) {
			const struct bpf_insn *insn = &jp->insns[i];

			new_addrs[i] = j->pos;
			j->insn = i;
			j->insn_pos = j->pos;
			err = emit_insn(j, insn, i);
			if (err)
				return err;
			if (insn->code == (BPF_LD | BPF_IMM | BPF_DW))
				new_addrs[++i] = j->pos;
		}
		func->image_len = j->pos - func->image_off;
	}
	new_addrs[jp->len] = j->pos;
	return 0;
}

int kbpf_arch_jit_size(struct kbpf_jit_prog *jp)
{
	struct x86_jit j = { .jp = jp };
	u32 *next, *tmp, pass, i, prev_size = 0;
	int err = -E2BIG;

	if ((u64)jp->len * MAX_INSN_BYTES > S32_MAX)
		return -E2BIG;
	j.addrs = kvmalloc_array(jp->len + 1, sizeof(u32), GFP_KERNEL);
	next = kvmalloc_array(jp->len + 1, sizeof(u32), GFP_KERNEL);
	if (!j.addrs || !next) {
		err = -ENOMEM;
		goto fail;
	}
	/* Far enough apart that every jump starts in its long form. */
	for (i = 0; i <= jp->len; i++)
		j.addrs[i] = i * MAX_INSN_BYTES;
	for (pass = 0; pass < MAX_PASSES; pass++) {
		err = jit_pass(&j, next);
		if (err)
			goto fail;
		tmp = j.addrs;
		j.addrs = next;
		next = tmp;
		if (pass && j.pos == prev_size)
			break;
		prev_size = j.pos;
	}
	if (pass == MAX_PASSES) {
		err = -E2BIG;
		goto fail;
	}
	kvfree(next);
	jp->size = j.pos;
	jp->buf = NULL;
	/* The final offsets, for the emitting pass. */
	jp->arch = j.addrs;
	return 0;
fail:
	kvfree(next);
	kvfree(j.addrs);
	return err;
}

int kbpf_arch_jit_emit(struct kbpf_jit_prog *jp)
{
	struct x86_jit j = { .jp = jp, .addrs = jp->arch, .buf = jp->buf };
	u32 *check;
	int err;

	check = kvmalloc_array(jp->len + 1, sizeof(u32), GFP_KERNEL);
	if (!check)
		return -ENOMEM;
	err = jit_pass(&j, check);
	if (!err && (j.pos != jp->size ||
		     memcmp(check, j.addrs, (jp->len + 1) * sizeof(u32))))
		err = -EFAULT;
	kvfree(check);
	return err;
}

void kbpf_arch_jit_free(struct kbpf_jit_prog *jp)
{
	kvfree(jp->arch);
	jp->arch = NULL;
}

/* int3 everywhere code is not: a jump into a hole traps. */
void kbpf_arch_jit_fill_hole(void *area, unsigned int size)
{
	memset(area, 0xcc, size);
}
