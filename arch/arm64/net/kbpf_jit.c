// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf's arm64 JIT: lowered eBPF instructions to A64 code.
 *
 * kbpf's interpreter (kernel/bpf/kbpf/interp.c) defines what every
 * instruction means; this file must give exactly its results, and the
 * host harness (under qemu-aarch64) and the arm64 guests check that it
 * does. Instructions are made by the kernel's encoders (asm/insn.h,
 * through the macros of bpf_jit.h); an encoder that cannot encode what
 * it is asked returns a fault instruction, which the last pass looks for
 * before the image may be published.
 *
 * Registers: r1-r5 are the AAPCS64 argument registers, so a helper call
 * is a plain blr; r6-r9 live in callee-saved registers; r0 lives in x7
 * (x0 is r1) and is copied from x0 after each call. r10 is the frame
 * pointer: the eBPF stack lies right under the frame record.
 *
 *	eBPF	r0  r1  r2  r3  r4  r5  r6  r7  r8  r9  r10
 *	A64	x7  x0  x1  x2  x3  x4  x19 x20 x21 x22 x29
 *
 * x9-x12 are scratch; x5 brings the run's bookkeeping (the sixth C
 * argument) in, and carries it through a tail call.
 *
 * Each function (the main one, each subprogram) has its own frame:
 *
 *	[bti jc]		main function, when the kernel has BTI: entered
 *				through a pointer (blr) and by tail calls (br)
 *	[paciasp]		when the kernel signs return addresses
 *	stp x29, x30, [sp, #-16]!
 *	mov x29, sp		the frame record, and eBPF's r10
 *	sub sp, sp, #N		the eBPF stack [x29 - depth, x29), then the
 *				slots (run, saved ctx, may_goto budget)
 *	stp x19, x20 / x21, x22, [sp, #-16]!	only the pairs it uses
 *
 * and each exit undoes it and returns. sp does not move in between, so
 * the stack and the slots are also at fixed offsets from sp, where the
 * scaled unsigned offsets of A64 loads and stores reach them in one
 * instruction. Code size converges over passes as on x86: conditional
 * branches start long (b.!cond over a b) and take the one-instruction
 * form once the target is within its 1 MiB.
 *
 * Built in the kernel and, unchanged, in the host harness.
 */

#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/kbpf_jit.h>

#include "bpf_jit.h"
#include "insn.h"
#include "jit.h"

#define X(n)	AARCH64_INSN_REG_##n
#define TMP	X(9)
#define TMP2	X(10)
#define TMP3	X(11)
#define TMP4	X(12)
/* Where the run's bookkeeping arrives and leaves through a tail call. */
#define RUN	X(5)
/* Where eBPF r0 lives: x0 is r1. */
#define R0	X(7)

static const u8 reg_map[__MAX_BPF_REG] = {
	[BPF_REG_0] = R0, [BPF_REG_1] = X(0), [BPF_REG_2] = X(1),
	[BPF_REG_3] = X(2), [BPF_REG_4] = X(3), [BPF_REG_5] = X(4),
	[BPF_REG_6] = X(19), [BPF_REG_7] = X(20), [BPF_REG_8] = X(21),
	[BPF_REG_9] = X(22), [BPF_REG_10] = A64_FP,
};

/* The callee-saved pairs r6-r9 live in, in push order. */
static const u8 saved_pairs[][2] = { { X(19), X(20) }, { X(21), X(22) } };

/* Longest code one eBPF instruction becomes, for the first pass's guess. */
#define MAX_INSN_BYTES	128
/* Passes after which a size that still moves is given up on. */
#define MAX_PASSES	20
/* b and bl reach +-128 MiB; the image must fit in that. */
#define MAX_IMAGE	(128u << 20)

struct a64_jit {
	struct kbpf_jit_prog *jp;
	/* Where instruction i's code starts, from the previous pass; [len] ends. */
	u32 *addrs;
	u32 *buf;
	/* In bytes, as addrs. */
	u32 pos;
	/* The instruction being emitted and where its code started. */
	u32 insn;
	u32 insn_pos;
	/* The function being emitted and its frame. */
	const struct kbpf_jit_func *func;
	u8 saved_mask;
	/* sp's distance below x29 in the body. */
	u32 frame;
	/* Slots, as offsets from x29 (negative); 0: none. */
	s32 run_slot;
	s32 ctx_slot;
	s32 may_goto_slot;
};

/*
 * One instruction, written when there is somewhere to write it: a macro,
 * so that the sizing passes, which only count, do not run the encoders.
 */
#define emit(j, insn)						\
	do {							\
		struct a64_jit *__j = (j);			\
								\
		if (__j->buf)					\
			__j->buf[__j->pos / 4] = (insn);	\
		__j->pos += 4;					\
	} while (0)

static bool is_addsub_imm(s64 imm)
{
	return (imm >= 0 && imm < 4096) ||
	       (imm >= 0 && imm < (1 << 24) && !(imm & 0xfff));
}

/* dst = imm (zero-extended from 32 bits unless @sf), in the fewest moves. */
static void emit_mov_imm(struct a64_jit *j, bool sf, u8 dst, u64 imm)
{
	int halves = sf ? 4 : 2, zeros = 0, ones = 0, i;
	bool inverse, first = true;
	u32 logical;

	if (!sf)
		imm = (u32)imm;
	for (i = 0; i < halves; i++) {
		u16 h = imm >> (16 * i);

		zeros += h == 0;
		ones += h == 0xffff;
	}
	inverse = ones > zeros;
	/* Two or more moves: one ORR of a bit pattern may do. */
	if (halves - (inverse ? ones : zeros) > 1) {
		logical = aarch64_insn_gen_logical_immediate(AARCH64_INSN_LOGIC_ORR,
							     A64_VARIANT(sf),
							     A64_ZR, dst, imm);
		if (logical != AARCH64_BREAK_FAULT) {
			emit(j, logical);
			return;
		}
	}
	for (i = 0; i < halves; i++) {
		u16 h = imm >> (16 * i);

		if (h == (inverse ? 0xffff : 0))
			continue;
		if (first)
			emit(j, inverse ? A64_MOVN(sf, dst, (u16)~h, 16 * i) :
					  A64_MOVZ(sf, dst, h, 16 * i));
		else
			emit(j, A64_MOVK(sf, dst, h, 16 * i));
		first = false;
	}
	if (first)	/* all zeros or all ones */
		emit(j, inverse ? A64_MOVN(sf, dst, 0, 0) : A64_MOVZ(sf, dst, 0, 0));
}

/* dst = src + imm; @tmp may be needed for an immediate out of reach. */
static void emit_add_imm(struct a64_jit *j, bool sf, u8 dst, u8 src, s64 imm,
			 u8 tmp)
{
	if (is_addsub_imm(imm)) {
		emit(j, A64_ADD_I(sf, dst, src, imm));
	} else if (is_addsub_imm(-imm)) {
		emit(j, A64_SUB_I(sf, dst, src, -imm));
	} else {
		emit_mov_imm(j, sf, tmp, imm);
		emit(j, A64_ADD(sf, dst, src, tmp));
	}
}

static void emit_mov_reg(struct a64_jit *j, bool sf, u8 dst, u8 src)
{
	if (dst != src || !sf)
		emit(j, A64_MOV(sf, dst, src));
}

static u32 ldst_shift(u32 size)
{
	return size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0;
}

/*
 * A load or store of @size bytes of @reg at [@base + @off], as
 * @imm_type (scaled unsigned offset) where the offset fits, else as
 * @reg_type with the offset in TMP. r10's negative offsets are the same
 * bytes at a positive offset from sp, which the first form reaches.
 */
static void emit_ldst(struct a64_jit *j, u8 reg, u8 base, s32 off, u32 size,
		      enum aarch64_insn_ldst_type imm_type,
		      enum aarch64_insn_ldst_type reg_type)
{
	static const enum aarch64_insn_size_type sizes[] = {
		AARCH64_INSN_SIZE_8, AARCH64_INSN_SIZE_16,
		AARCH64_INSN_SIZE_32, AARCH64_INSN_SIZE_64,
	};
	enum aarch64_insn_size_type sz = sizes[ldst_shift(size)];
	s64 from_sp = (s64)j->frame + off;

	if (off >= 0 && !(off & (size - 1)) && off / size < 4096) {
		emit(j, aarch64_insn_gen_load_store_imm(reg, base, off, sz, imm_type));
	} else if (base == A64_FP && from_sp >= 0 && !(from_sp & (size - 1)) &&
		   from_sp / size < 4096) {
		emit(j, aarch64_insn_gen_load_store_imm(reg, A64_SP, from_sp, sz,
							imm_type));
	} else {
		emit_mov_imm(j, true, TMP, (s64)off);
		emit(j, aarch64_insn_gen_load_store_reg(reg, base, TMP, sz, reg_type));
	}
}

static void emit_load(struct a64_jit *j, u8 reg, u8 base, s32 off, u32 size,
		      bool sx)
{
	emit_ldst(j, reg, base, off, size,
		  sx ? AARCH64_INSN_LDST_SIGNED_LOAD_IMM_OFFSET :
		       AARCH64_INSN_LDST_LOAD_IMM_OFFSET,
		  sx ? AARCH64_INSN_LDST_SIGNED_LOAD_REG_OFFSET :
		       AARCH64_INSN_LDST_LOAD_REG_OFFSET);
}

static void emit_store(struct a64_jit *j, u8 reg, u8 base, s32 off, u32 size)
{
	emit_ldst(j, reg, base, off, size, AARCH64_INSN_LDST_STORE_IMM_OFFSET,
		  AARCH64_INSN_LDST_STORE_REG_OFFSET);
}

/*
 * A call to an absolute address: blr through TMP. JIT memory may be
 * anywhere in the vmalloc area, out of bl's 128 MiB, and the address,
 * unlike the image's, is known while sizing.
 */
static void emit_call_abs(struct a64_jit *j, const void *target)
{
	emit_mov_imm(j, true, TMP, (unsigned long)target);
	emit(j, A64_BLR(TMP));
}

/* Does @cond's branch reach @rel bytes? */
static bool reaches_cond(s64 rel)
{
	return rel >= -(1 << 20) && rel < (1 << 20);
}

/*
 * A branch to the code of instruction @target from here: @cond < 0 is b,
 * else b.cond, in one instruction when the target is within 1 MiB, else
 * b.!cond over a b. Both ends are measured in the previous pass's
 * offsets (this instruction's start there plus how far into it the branch
 * is), so distances shrink together from pass to pass and sizes
 * converge; once they stop changing, the offsets are the code's own.
 */
static void emit_branch(struct a64_jit *j, int cond, u32 target)
{
	s64 here = (s64)j->addrs[j->insn] + (j->pos - j->insn_pos);
	s64 rel = (s64)j->addrs[target] - here;

	if (cond < 0) {
		emit(j, A64_BRANCH(rel, NOLINK));
	} else if (reaches_cond(rel)) {
		emit(j, A64_COND_BRANCH(cond, rel));
	} else {
		emit(j, A64_COND_BRANCH(cond ^ 1, 8));
		emit(j, A64_BRANCH(rel - 4, NOLINK));
	}
}

/*
 * cbz (or cbnz, @nonzero) @reg to the code of instruction @target: one
 * instruction within 1 MiB, else the opposite over a b, as above.
 */
static void emit_branch_zero(struct a64_jit *j, bool sf, u8 reg, bool nonzero,
			     u32 target)
{
	s64 here = (s64)j->addrs[j->insn] + (j->pos - j->insn_pos);
	s64 rel = (s64)j->addrs[target] - here;

	if (reaches_cond(rel)) {
		emit(j, nonzero ? A64_COMP_BRANCH(sf, reg, rel, NONZERO) :
				  A64_COMP_BRANCH(sf, reg, rel, ZERO));
	} else {
		emit(j, nonzero ? A64_COMP_BRANCH(sf, reg, 8, ZERO) :
				  A64_COMP_BRANCH(sf, reg, 8, NONZERO));
		emit(j, A64_BRANCH(rel - 4, NOLINK));
	}
}

/* A forward branch over code emitted next: its offset is patched after. */
struct skip {
	u32 at;
	int cond;
	u8 cbz_reg;
	bool cbz;
};

static struct skip emit_skip(struct a64_jit *j, int cond)
{
	struct skip s = { .at = j->pos, .cond = cond };

	emit(j, 0);
	return s;
}

static struct skip emit_skip_cbz(struct a64_jit *j, u8 reg)
{
	struct skip s = { .at = j->pos, .cbz_reg = reg, .cbz = true };

	emit(j, 0);
	return s;
}

static void patch_skip(struct a64_jit *j, struct skip s)
{
	s32 rel = j->pos - s.at;

	if (!j->buf)
		return;
	if (s.cbz)
		j->buf[s.at / 4] = A64_COMP_BRANCH(1, s.cbz_reg, rel, ZERO);
	else if (s.cond < 0)
		j->buf[s.at / 4] = A64_BRANCH(rel, NOLINK);
	else
		j->buf[s.at / 4] = A64_COND_BRANCH(s.cond, rel);
}

static void emit_prologue(struct a64_jit *j)
{
	const struct kbpf_jit_func *f = j->func;
	bool main = f == j->jp->funcs;
	u32 depth = (f->stack_depth + 15) & ~15u, slots = 0, i;

	if (main) {
		/* Tail calls land on the entry: x5 already holds the run. */
		j->jp->tail_entry = j->pos;
		if (kbpf_arm64_bti())
			emit(j, A64_BTI_JC);
	}
	if (kbpf_arm64_pac())
		emit(j, A64_PACIASP);
	j->run_slot = 0;
	j->ctx_slot = 0;
	j->may_goto_slot = 0;
	if (main && j->jp->tail_calls) {
		j->run_slot = -(s32)(depth + 8);
		j->ctx_slot = -(s32)(depth + 16);
		slots += 16;
	}
	if (kbpf_jit_func_uses_may_goto(j->jp, f)) {
		slots += 8;
		j->may_goto_slot = -(s32)(depth + slots);
	}
	slots = (slots + 15) & ~15u;
	j->saved_mask = 0;
	j->frame = depth + slots;
	for (i = 0; i < ARRAY_SIZE(saved_pairs); i++) {
		if (kbpf_jit_func_uses_reg(j->jp, f, BPF_REG_6 + 2 * i) ||
		    kbpf_jit_func_uses_reg(j->jp, f, BPF_REG_7 + 2 * i)) {
			j->saved_mask |= 1 << i;
			j->frame += 16;
		}
	}

	emit(j, A64_PUSH(A64_FP, A64_LR, A64_SP));
	emit(j, A64_MOV(1, A64_FP, A64_SP));
	if (depth + slots)
		emit(j, A64_SUB_I(1, A64_SP, A64_SP, depth + slots));
	for (i = 0; i < ARRAY_SIZE(saved_pairs); i++)
		if (j->saved_mask & (1 << i))
			emit(j, A64_PUSH(saved_pairs[i][0], saved_pairs[i][1],
					 A64_SP));
	if (j->run_slot)
		emit_store(j, RUN, A64_FP, j->run_slot, 8);
	if (j->may_goto_slot) {
		emit_mov_imm(j, false, TMP, KBPF_MAY_GOTO_LOOPS);
		emit_store(j, TMP, A64_FP, j->may_goto_slot, 4);
	}
}

/* Undo the prologue; x30 holds the return address, authenticated. */
static void emit_unwind(struct a64_jit *j)
{
	int i;

	for (i = ARRAY_SIZE(saved_pairs) - 1; i >= 0; i--)
		if (j->saved_mask & (1 << i))
			emit(j, A64_POP(saved_pairs[i][0], saved_pairs[i][1],
					A64_SP));
	emit(j, A64_MOV(1, A64_SP, A64_FP));
	emit(j, A64_POP(A64_FP, A64_LR, A64_SP));
	if (kbpf_arm64_pac())
		emit(j, A64_AUTIASP);
}

static void emit_exit(struct a64_jit *j)
{
	emit(j, A64_MOV(1, X(0), R0));
	emit_unwind(j);
	emit(j, A64_RET(A64_LR));
}

/*
 * Division and modulo: A64's udiv and sdiv already give the
 * interpreter's results (0 for a zero divisor, INT_MIN / -1 wraps to
 * INT_MIN as a negation does), and the remainder dst - q * src then
 * leaves the dividend for a zero divisor and 0 for -1.
 */
static void emit_div(struct a64_jit *j, bool sf, bool is_mod, bool is_signed,
		     u8 dst, u8 src)
{
	u8 q = is_mod ? TMP2 : dst;

	emit(j, is_signed ? A64_SDIV(sf, q, dst, src) : A64_UDIV(sf, q, dst, src));
	if (is_mod)
		emit(j, A64_MSUB(sf, dst, dst, q, src));
}

/* dst op= imm for AND, ORR and EOR: a bit-pattern immediate, or TMP. */
static void emit_logic_imm(struct a64_jit *j, bool sf,
			   enum aarch64_insn_logic_type type, u8 dst, s32 imm)
{
	u64 v = sf ? (u64)(s64)imm : (u32)imm;
	u32 insn = aarch64_insn_gen_logical_immediate(type, A64_VARIANT(sf),
						      dst, dst, v);

	if (insn != AARCH64_BREAK_FAULT) {
		emit(j, insn);
		return;
	}
	emit_mov_imm(j, sf, TMP, v);
	emit(j, aarch64_insn_gen_logical_shifted_reg(dst, dst, TMP, 0,
						     A64_VARIANT(sf), type));
}

static int emit_alu(struct a64_jit *j, const struct bpf_insn *insn)
{
	bool sf = BPF_CLASS(insn->code) == BPF_ALU64;
	bool k = BPF_SRC(insn->code) == BPF_K;
	u8 dst = reg_map[insn->dst_reg], src = reg_map[insn->src_reg];
	s32 imm = insn->imm;

	switch (BPF_OP(insn->code)) {
	case BPF_ADD:
		if (k)
			emit_add_imm(j, sf, dst, dst, imm, TMP);
		else
			emit(j, A64_ADD(sf, dst, dst, src));
		return 0;
	case BPF_SUB:
		if (k)
			emit_add_imm(j, sf, dst, dst, -(s64)imm, TMP);
		else
			emit(j, A64_SUB(sf, dst, dst, src));
		return 0;
	case BPF_AND:
		if (k)
			emit_logic_imm(j, sf, AARCH64_INSN_LOGIC_AND, dst, imm);
		else
			emit(j, A64_AND(sf, dst, dst, src));
		return 0;
	case BPF_OR:
		if (k)
			emit_logic_imm(j, sf, AARCH64_INSN_LOGIC_ORR, dst, imm);
		else
			emit(j, A64_ORR(sf, dst, dst, src));
		return 0;
	case BPF_XOR:
		if (k)
			emit_logic_imm(j, sf, AARCH64_INSN_LOGIC_EOR, dst, imm);
		else
			emit(j, A64_EOR(sf, dst, dst, src));
		return 0;
	case BPF_MUL:
		if (k) {
			emit_mov_imm(j, sf, TMP, (s64)imm);
			src = TMP;
		}
		emit(j, A64_MUL(sf, dst, dst, src));
		return 0;
	case BPF_DIV:
	case BPF_MOD:
		if (k) {
			emit_mov_imm(j, sf, TMP, (s64)imm);
			src = TMP;
		}
		emit_div(j, sf, BPF_OP(insn->code) == BPF_MOD, insn->off == 1,
			 dst, src);
		return 0;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		if (!k) {
			/* lslv, lsrv, asrv take the count modulo the width. */
			if (BPF_OP(insn->code) == BPF_LSH)
				emit(j, A64_LSLV(sf, dst, dst, src));
			else if (BPF_OP(insn->code) == BPF_RSH)
				emit(j, A64_LSRV(sf, dst, dst, src));
			else
				emit(j, A64_ASRV(sf, dst, dst, src));
			return 0;
		}
		imm &= sf ? 63 : 31;
		if (BPF_OP(insn->code) == BPF_LSH)
			emit(j, A64_LSL(sf, dst, dst, imm));
		else if (BPF_OP(insn->code) == BPF_RSH)
			emit(j, A64_LSR(sf, dst, dst, imm));
		else
			emit(j, A64_ASR(sf, dst, dst, imm));
		return 0;
	case BPF_NEG:
		emit(j, A64_NEG(sf, dst, dst));
		return 0;
	case BPF_MOV:
		if (k)
			emit_mov_imm(j, sf, dst, (s64)imm);
		else if (insn->off == 8)
			emit(j, A64_SXTB(sf, dst, src));
		else if (insn->off == 16)
			emit(j, A64_SXTH(sf, dst, src));
		else if (insn->off == 32)
			emit(j, A64_SXTW(sf, dst, src));
		else
			emit_mov_reg(j, sf, dst, src);
		return 0;
	case BPF_END:
		if (BPF_SRC(insn->code) == BPF_TO_LE && !sf) {
			/* Host order is little-endian: only the width changes. */
			if (imm == 16)
				emit(j, A64_UXTH(1, dst, dst));
			else if (imm == 32)
				emit(j, A64_UXTW(1, dst, dst));
			return 0;
		}
		if (imm == 16) {
			emit(j, A64_REV16(0, dst, dst));
			emit(j, A64_UXTH(1, dst, dst));
		} else if (imm == 32) {
			emit(j, A64_REV32(0, dst, dst));
		} else {
			emit(j, A64_REV64(dst, dst));
		}
		return 0;
	}
	return -EOPNOTSUPP;
}

static int emit_ldx(struct a64_jit *j, const struct bpf_insn *insn)
{
	emit_load(j, reg_map[insn->dst_reg], reg_map[insn->src_reg], insn->off,
		  kbpf_insn_size_bytes(insn->code),
		  BPF_MODE(insn->code) == BPF_MEMSX);
	return 0;
}

static int emit_st(struct a64_jit *j, const struct bpf_insn *insn)
{
	emit_mov_imm(j, true, TMP2, (s64)insn->imm);
	emit_store(j, TMP2, reg_map[insn->dst_reg], insn->off,
		   kbpf_insn_size_bytes(insn->code));
	return 0;
}

static int emit_stx(struct a64_jit *j, const struct bpf_insn *insn)
{
	emit_store(j, reg_map[insn->src_reg], reg_map[insn->dst_reg], insn->off,
		   kbpf_insn_size_bytes(insn->code));
	return 0;
}

/*
 * Atomics with LSE: st<op> for the plain ones (relaxed, as upstream), and
 * the fetching ones, xchg and cmpxchg fully ordered (the AL forms); AND
 * is a clear of the complement.
 */
static int emit_atomic_lse(struct a64_jit *j, const struct bpf_insn *insn,
			   u8 addr)
{
	bool sf = BPF_SIZE(insn->code) == BPF_DW;
	enum aarch64_insn_size_type size = A64_SIZE(sf);
	enum aarch64_insn_mem_atomic_op op;
	u8 src = reg_map[insn->src_reg], val = src;
	bool fetch = insn->imm & BPF_FETCH;

	switch (insn->imm) {
	case BPF_CMPXCHG:
		emit(j, A64_MOV(1, TMP2, R0));
		emit(j, A64_CASAL(sf, src, addr, TMP2));
		emit_mov_reg(j, sf, R0, TMP2);
		return 0;
	case BPF_XCHG:
		op = AARCH64_INSN_MEM_ATOMIC_SWP;
		break;
	case BPF_ADD:
	case BPF_ADD | BPF_FETCH:
		op = AARCH64_INSN_MEM_ATOMIC_ADD;
		break;
	case BPF_OR:
	case BPF_OR | BPF_FETCH:
		op = AARCH64_INSN_MEM_ATOMIC_SET;
		break;
	case BPF_XOR:
	case BPF_XOR | BPF_FETCH:
		op = AARCH64_INSN_MEM_ATOMIC_EOR;
		break;
	case BPF_AND:
	case BPF_AND | BPF_FETCH:
		op = AARCH64_INSN_MEM_ATOMIC_CLR;
		emit(j, A64_MVN(sf, TMP2, src));
		val = TMP2;
		break;
	default:
		return -EOPNOTSUPP;
	}
	/* xchg has BPF_FETCH in its code too. */
	emit(j, aarch64_insn_gen_atomic_ld_op(fetch ? src : A64_ZR, addr, val,
					      size, op,
					      fetch ? AARCH64_INSN_MEM_ORDER_ACQREL :
					      AARCH64_INSN_MEM_ORDER_NONE));
	return 0;
}

/*
 * Atomics without LSE: a load-exclusive/store-exclusive loop on TMP2
 * (old value) and TMP3 (new one), status in TMP4; the fetching ones,
 * xchg and cmpxchg store with release and end with a full barrier.
 */
static int emit_atomic_llsc(struct a64_jit *j, const struct bpf_insn *insn,
			    u8 addr)
{
	bool sf = BPF_SIZE(insn->code) == BPF_DW;
	u8 src = reg_map[insn->src_reg];
	bool ordered = insn->imm & BPF_FETCH;
	u32 retry = j->pos;
	struct skip differ = {};
	u32 op;

	emit(j, A64_LDXR(sf, TMP2, addr));
	switch (insn->imm & ~BPF_FETCH) {
	case BPF_ADD:
		op = A64_ADD(sf, TMP3, TMP2, src);
		break;
	case BPF_OR:
		op = A64_ORR(sf, TMP3, TMP2, src);
		break;
	case BPF_AND:
		op = A64_AND(sf, TMP3, TMP2, src);
		break;
	case BPF_XOR:
		op = A64_EOR(sf, TMP3, TMP2, src);
		break;
	case BPF_XCHG & ~BPF_FETCH:
		op = A64_MOV(1, TMP3, src);
		break;
	case BPF_CMPXCHG & ~BPF_FETCH:
		emit(j, A64_CMP(sf, TMP2, R0));
		differ = emit_skip(j, A64_COND_NE);
		op = A64_MOV(1, TMP3, src);
		break;
	default:
		return -EOPNOTSUPP;
	}
	emit(j, op);
	if (ordered)
		emit(j, A64_STLXR(sf, TMP3, addr, TMP4));
	else
		emit(j, A64_STXR(sf, TMP3, addr, TMP4));
	emit(j, A64_CBNZ(0, TMP4, ((s32)retry - (s32)j->pos) / 4));
	if (insn->imm == BPF_CMPXCHG) {
		patch_skip(j, differ);
		emit(j, A64_DMB_ISH);
		emit_mov_reg(j, sf, R0, TMP2);
	} else if (ordered) {
		emit(j, A64_DMB_ISH);
		emit_mov_reg(j, sf, src, TMP2);
	}
	return 0;
}

static int emit_atomic(struct a64_jit *j, const struct bpf_insn *insn)
{
	u8 addr = reg_map[insn->dst_reg];

	if (insn->off) {
		emit_add_imm(j, true, TMP, addr, insn->off, TMP);
		addr = TMP;
	}
	if (kbpf_arm64_lse())
		return emit_atomic_lse(j, insn, addr);
	return emit_atomic_llsc(j, insn, addr);
}

/* The condition each conditional jump takes, by its op; -1: not one. */
static int jump_cond(u8 op)
{
	switch (op) {
	case BPF_JEQ:
		return A64_COND_EQ;
	case BPF_JNE:
	case BPF_JSET:
		return A64_COND_NE;
	case BPF_JGT:
		return A64_COND_HI;
	case BPF_JGE:
		return A64_COND_CS;
	case BPF_JLT:
		return A64_COND_CC;
	case BPF_JLE:
		return A64_COND_LS;
	case BPF_JSGT:
		return A64_COND_GT;
	case BPF_JSGE:
		return A64_COND_GE;
	case BPF_JSLT:
		return A64_COND_LT;
	case BPF_JSLE:
		return A64_COND_LE;
	}
	return -1;
}

static int emit_cond_jump(struct a64_jit *j, const struct bpf_insn *insn, u32 i)
{
	bool sf = BPF_CLASS(insn->code) == BPF_JMP;
	bool k = BPF_SRC(insn->code) == BPF_K;
	u8 dst = reg_map[insn->dst_reg], src = reg_map[insn->src_reg];
	s64 imm = sf ? (s64)insn->imm : (u32)insn->imm;
	int cond = jump_cond(BPF_OP(insn->code));

	if (cond < 0)
		return -EOPNOTSUPP;
	/* == 0 and != 0: cbz and cbnz, without a compare. */
	if (k && !imm && (BPF_OP(insn->code) == BPF_JEQ ||
			  BPF_OP(insn->code) == BPF_JNE)) {
		emit_branch_zero(j, sf, dst, BPF_OP(insn->code) == BPF_JNE,
				 i + 1 + insn->off);
		return 0;
	}
	if (BPF_OP(insn->code) == BPF_JSET) {
		u32 tst = aarch64_insn_gen_logical_immediate(AARCH64_INSN_LOGIC_AND_SETFLAGS,
							     A64_VARIANT(sf),
							     dst, A64_ZR, imm);

		if (!k) {
			emit(j, A64_TST(sf, dst, src));
		} else if (tst != AARCH64_BREAK_FAULT) {
			emit(j, tst);
		} else {
			emit_mov_imm(j, sf, TMP, imm);
			emit(j, A64_TST(sf, dst, TMP));
		}
	} else if (!k) {
		emit(j, A64_CMP(sf, dst, src));
	} else if (is_addsub_imm(sf ? imm : (s32)imm)) {
		emit(j, A64_CMP_I(sf, dst, sf ? imm : (s32)imm));
	} else if (is_addsub_imm(-(sf ? imm : (s32)imm))) {
		emit(j, A64_CMN_I(sf, dst, -(sf ? imm : (s32)imm)));
	} else {
		emit_mov_imm(j, sf, TMP, imm);
		emit(j, A64_CMP(sf, dst, TMP));
	}
	emit_branch(j, cond, i + 1 + insn->off);
	return 0;
}

static int emit_tail_call(struct a64_jit *j)
{
	struct skip miss;

	/* kbpf_jit_tail_call(ops, map, index, run); ctx (x0) kept. */
	emit_store(j, X(0), A64_FP, j->ctx_slot, 8);
	emit_load(j, X(3), A64_FP, j->run_slot, 8, false);
	emit_mov_imm(j, true, X(0), (unsigned long)j->jp->ops);
	emit_call_abs(j, kbpf_jit_tail_call);
	emit(j, A64_MOV(1, TMP, X(0)));
	emit_load(j, X(0), A64_FP, j->ctx_slot, 8, false);
	miss = emit_skip_cbz(j, TMP);
	emit_load(j, RUN, A64_FP, j->run_slot, 8, false);
	emit_unwind(j);
	emit(j, A64_BR(TMP));
	patch_skip(j, miss);
	return 0;
}

/* r0 = the bytes at r6's packet; a miss ends the run with 0. */
static int emit_packet_load(struct a64_jit *j, const struct bpf_insn *insn)
{
	struct skip ok;

	/*
	 * kbpf_jit_load_packet(ops, ctx, offset, size): the offset first,
	 * as its register may be one the other arguments go in.
	 */
	if (BPF_MODE(insn->code) == BPF_IND)
		emit_add_imm(j, false, X(2), reg_map[insn->src_reg], insn->imm,
			     TMP);
	else
		emit_mov_imm(j, false, X(2), insn->imm);
	emit_mov_reg(j, true, X(1), reg_map[BPF_REG_6]);
	emit_mov_imm(j, true, X(0), (unsigned long)j->jp->ops);
	emit_mov_imm(j, false, X(3), kbpf_insn_size_bytes(insn->code));
	emit_call_abs(j, kbpf_jit_load_packet);
	emit(j, A64_MOV(1, R0, X(0)));
	emit(j, A64_CMP_I(1, R0, 0));
	ok = emit_skip(j, A64_COND_GE);
	emit_mov_imm(j, true, R0, 0);
	emit_exit(j);
	patch_skip(j, ok);
	return 0;
}

/*
 * A lookup in an array whose values lie side by side, inline: r0 =
 * values + key * elem_size for a key below max_entries, else NULL. The
 * key is masked as array_index_nospec() does, from the difference's
 * sign rather than the branch, then csdb.
 */
static void emit_array_lookup(struct a64_jit *j, const struct kbpf_jit_call *c)
{
	struct skip null, done;

	emit_load(j, TMP, X(1), 0, 4, false);		/* w9 = key */
	emit_mov_imm(j, false, TMP2, c->max_entries);
	emit(j, A64_CMP(0, TMP, TMP2));
	null = emit_skip(j, A64_COND_CS);
	emit(j, A64_SUB(1, TMP2, TMP, TMP2));		/* < 0: in range */
	emit(j, A64_ASR(1, TMP2, TMP2, 63));
	emit(j, A64_AND(1, TMP, TMP, TMP2));
	emit(j, A64_HINT(AARCH64_INSN_HINT_CSDB));
	emit_mov_imm(j, true, TMP2, (unsigned long)c->values);
	if (!(c->elem_size & (c->elem_size - 1))) {
		emit(j, aarch64_insn_gen_add_sub_shifted_reg(R0, TMP2, TMP,
							     __builtin_ctz(c->elem_size),
							     AARCH64_INSN_VARIANT_64BIT,
							     AARCH64_INSN_ADSB_ADD));
	} else {
		emit_mov_imm(j, false, TMP3, c->elem_size);
		emit(j, A64_MADD(1, R0, TMP2, TMP, TMP3));
	}
	done = emit_skip(j, -1);
	patch_skip(j, null);
	emit_mov_imm(j, true, R0, 0);
	patch_skip(j, done);
}

static int emit_call(struct a64_jit *j, const struct bpf_insn *insn, u32 i)
{
	const struct kbpf_interp_ops *ops = j->jp->ops;
	const struct kbpf_jit_call *bound = j->jp->calls ? &j->jp->calls[i] : NULL;

	if (insn->src_reg == BPF_PSEUDO_CALL) {
		const struct kbpf_jit_func *callee = kbpf_jit_find_func(j->jp, i + 1 + insn->imm);

		if (!callee)
			return -EINVAL;
		emit(j, A64_BRANCH((s32)callee->image_off - (s32)j->pos, LINK));
	} else if (insn->imm == BPF_FUNC_tail_call) {
		return emit_tail_call(j);
	} else if (bound && bound->values) {
		emit_array_lookup(j, bound);
		return 0;
	} else if (bound && bound->fn) {
		emit_call_abs(j, bound->fn);
	} else {
		emit_call_abs(j, ops->helpers[insn->imm]);
	}
	emit(j, A64_MOV(1, R0, X(0)));
	return 0;
}

static int emit_insn(struct a64_jit *j, const struct bpf_insn *insn, u32 i)
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
			emit_mov_imm(j, true, dst, (u32)insn[0].imm |
				     ((u64)(u32)insn[1].imm << 32));
			return 0;
		}
		return emit_packet_load(j, insn);
	}
	/* BPF_JMP, BPF_JMP32 */
	switch (BPF_OP(insn->code)) {
	case BPF_JA:
		emit_branch(j, -1, i + 1 + (BPF_CLASS(insn->code) == BPF_JMP32 ?
					    insn->imm : insn->off));
		return 0;
	case BPF_JCOND:
		/* may_goto: taken once the function's budget is spent. */
		emit_load(j, TMP, A64_FP, j->may_goto_slot, 4, false);
		emit_branch_zero(j, false, TMP, false, i + 1 + insn->off);
		emit(j, A64_SUB_I(0, TMP, TMP, 1));
		emit_store(j, TMP, A64_FP, j->may_goto_slot, 4);
		return 0;
	case BPF_CALL:
		return emit_call(j, insn, i);
	case BPF_EXIT:
		emit_exit(j);
		return 0;
	}
	return emit_cond_jump(j, insn, i);
}

/* One pass over every function; addrs[] gets this pass's offsets. */
static int jit_pass(struct a64_jit *j, u32 *new_addrs)
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
		if (j->pos > MAX_IMAGE)
			return -E2BIG;
	}
	new_addrs[jp->len] = j->pos;
	return 0;
}

int kbpf_arch_jit_size(struct kbpf_jit_prog *jp)
{
	struct a64_jit j = { .jp = jp };
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
	/* Far enough apart that every branch starts in its long form. */
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
	struct a64_jit j = { .jp = jp, .addrs = jp->arch, .buf = (u32 *)jp->buf };
	u32 *check, i;
	int err;

	check = kvmalloc_array(jp->len + 1, sizeof(u32), GFP_KERNEL);
	if (!check)
		return -ENOMEM;
	err = jit_pass(&j, check);
	if (!err && (j.pos != jp->size ||
		     memcmp(check, j.addrs, (jp->len + 1) * sizeof(u32))))
		err = -EFAULT;
	kvfree(check);
	/* What an encoder could not encode came out as a fault instruction. */
	for (i = 0; !err && i < jp->size / 4; i++)
		if (j.buf[i] == AARCH64_BREAK_FAULT)
			err = -EFAULT;
	return err;
}

void kbpf_arch_jit_free(struct kbpf_jit_prog *jp)
{
	kvfree(jp->arch);
	jp->arch = NULL;
}

/* Fault instructions everywhere code is not: a branch into a hole traps. */
void kbpf_arch_jit_fill_hole(void *area, unsigned int size)
{
	u32 *word = area;
	unsigned int i;

	for (i = 0; i < size / 4; i++)
		word[i] = AARCH64_BREAK_FAULT;
}
