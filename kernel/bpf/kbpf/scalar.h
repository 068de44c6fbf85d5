/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier's scalar domain: what it knows about a register that holds
 * a number, as five views of one set of 64-bit values.
 *
 * Each view is a superset of the register's possible values: a tnum (which
 * bits are known), unsigned and signed ranges of the 64-bit value, and
 * unsigned and signed ranges of its low 32 bits. The set the scalar stands
 * for is the intersection of the five. Different operations are precise in
 * different views (AND in the tnum, ADD in the ranges, comparisons in the
 * signed or unsigned ones), and kbpf_scalar_normalize() lets each view
 * learn what the others know.
 *
 * Every operation is sound: its result holds every value the instruction
 * can produce from members of its operands, as kbpf's interpreter computes
 * it. The file has no kernel dependency, so the host harness checks it
 * against the interpreter.
 */
#ifndef _KBPF_SCALAR_H
#define _KBPF_SCALAR_H

#include <linux/types.h>
#include <uapi/linux/bpf.h>

#include "tnum.h"

/**
 * struct kbpf_scalar - the possible values of a scalar register
 * @var: the bits known in every value
 * @umin: the smallest value, unsigned
 * @umax: the largest value, unsigned
 * @smin: the smallest value, signed
 * @smax: the largest value, signed
 * @u32_min: the smallest low 32 bits, unsigned
 * @u32_max: the largest low 32 bits, unsigned
 * @s32_min: the smallest low 32 bits, signed
 * @s32_max: the largest low 32 bits, signed
 */
struct kbpf_scalar {
	struct kbpf_tnum var;
	u64 umin, umax;
	s64 smin, smax;
	u32 u32_min, u32_max;
	s32 s32_min, s32_max;
};

/**
 * enum kbpf_cond - what a condition is known to give
 * @KBPF_COND_UNKNOWN: true for some operand values, false for others
 * @KBPF_COND_TRUE: true for every value: the branch is always taken
 * @KBPF_COND_FALSE: false for every value: the branch is never taken
 */
enum kbpf_cond {
	KBPF_COND_UNKNOWN,
	KBPF_COND_TRUE,
	KBPF_COND_FALSE,
};

void kbpf_scalar_const(struct kbpf_scalar *s, u64 v);
void kbpf_scalar_unknown(struct kbpf_scalar *s);
void kbpf_scalar_from_load(struct kbpf_scalar *s, u8 bytes, bool sign_extend);
bool kbpf_scalar_normalize(struct kbpf_scalar *s);

int kbpf_scalar_alu(struct kbpf_scalar *dst, const struct kbpf_scalar *src,
		    const struct bpf_insn *insn);
bool kbpf_scalar_branch(struct kbpf_scalar *dst, struct kbpf_scalar *src,
			const struct bpf_insn *insn, bool taken);
enum kbpf_cond kbpf_scalar_cond(const struct kbpf_scalar *dst,
				const struct kbpf_scalar *src,
				const struct bpf_insn *insn);

void kbpf_scalar_join(struct kbpf_scalar *dst, const struct kbpf_scalar *src);
bool kbpf_scalar_subset(const struct kbpf_scalar *a,
			const struct kbpf_scalar *b);
bool kbpf_scalar_contains(const struct kbpf_scalar *s, u64 v);

/**
 * kbpf_scalar_is_const() - does @s stand for exactly one value?
 * @s: a normalized scalar
 *
 * Normalization makes every view exact once one is, so the tnum tells.
 *
 * Return: true when it does; the value is then @s->var.value.
 */
static inline bool kbpf_scalar_is_const(const struct kbpf_scalar *s)
{
	return kbpf_tnum_is_const(s->var);
}

#endif /* _KBPF_SCALAR_H */
