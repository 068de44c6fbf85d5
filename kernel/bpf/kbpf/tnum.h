/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tristate numbers: what the verifier knows about each bit of a 64-bit
 * value. A bit is unknown when its @mask bit is set; otherwise it equals
 * its @value bit. @value never has a bit set where @mask has, so every
 * tnum stands for the set of values that agree with it on the known bits.
 *
 * Every operation here is sound: the result contains every value the
 * concrete operation can give on members of the operands. None of them
 * depends on the kernel, so the host harness builds this file unchanged.
 */
#ifndef _KBPF_TNUM_H
#define _KBPF_TNUM_H

#include <linux/types.h>

/**
 * struct kbpf_tnum - a value of which some bits are known
 * @value: the known bits' values; 0 where unknown
 * @mask: the unknown bits
 */
struct kbpf_tnum {
	u64 value;
	u64 mask;
};

/**
 * kbpf_tnum_const() - the tnum of one value
 * @v: the value
 *
 * Return: a tnum with every bit known.
 */
static inline struct kbpf_tnum kbpf_tnum_const(u64 v)
{
	return (struct kbpf_tnum){ .value = v, .mask = 0 };
}

/**
 * kbpf_tnum_unknown() - the tnum of any 64-bit value
 *
 * Return: a tnum with no bit known.
 */
static inline struct kbpf_tnum kbpf_tnum_unknown(void)
{
	return (struct kbpf_tnum){ .value = 0, .mask = ~0ULL };
}

/**
 * kbpf_tnum_is_const() - does @t stand for exactly one value?
 * @t: the tnum
 *
 * Return: true when every bit is known; the value is then @t.value.
 */
static inline bool kbpf_tnum_is_const(struct kbpf_tnum t)
{
	return !t.mask;
}

/**
 * kbpf_tnum_contains() - is @v a member of @t?
 * @t: the tnum
 * @v: the value
 *
 * Return: true when @v agrees with @t on every known bit.
 */
static inline bool kbpf_tnum_contains(struct kbpf_tnum t, u64 v)
{
	return (v & ~t.mask) == t.value;
}

struct kbpf_tnum kbpf_tnum_range(u64 min, u64 max);
bool kbpf_tnum_ceil(struct kbpf_tnum t, u64 x, u64 *out);
bool kbpf_tnum_floor(struct kbpf_tnum t, u64 x, u64 *out);

struct kbpf_tnum kbpf_tnum_add(struct kbpf_tnum a, struct kbpf_tnum b);
struct kbpf_tnum kbpf_tnum_sub(struct kbpf_tnum a, struct kbpf_tnum b);
struct kbpf_tnum kbpf_tnum_neg(struct kbpf_tnum t);
struct kbpf_tnum kbpf_tnum_mul(struct kbpf_tnum a, struct kbpf_tnum b);
struct kbpf_tnum kbpf_tnum_and(struct kbpf_tnum a, struct kbpf_tnum b);
struct kbpf_tnum kbpf_tnum_or(struct kbpf_tnum a, struct kbpf_tnum b);
struct kbpf_tnum kbpf_tnum_xor(struct kbpf_tnum a, struct kbpf_tnum b);
struct kbpf_tnum kbpf_tnum_lsh(struct kbpf_tnum t, u8 shift);
struct kbpf_tnum kbpf_tnum_rsh(struct kbpf_tnum t, u8 shift);
struct kbpf_tnum kbpf_tnum_arsh(struct kbpf_tnum t, u8 shift, u8 width);

bool kbpf_tnum_intersect(struct kbpf_tnum a, struct kbpf_tnum b,
			 struct kbpf_tnum *out);
struct kbpf_tnum kbpf_tnum_union(struct kbpf_tnum a, struct kbpf_tnum b);
bool kbpf_tnum_subset(struct kbpf_tnum a, struct kbpf_tnum b);

struct kbpf_tnum kbpf_tnum_cast(struct kbpf_tnum t, u8 bytes);
struct kbpf_tnum kbpf_tnum_subreg(struct kbpf_tnum t);
struct kbpf_tnum kbpf_tnum_with_subreg(struct kbpf_tnum t,
				       struct kbpf_tnum subreg);
struct kbpf_tnum kbpf_tnum_sext(struct kbpf_tnum t, u8 bits);

struct kbpf_tnum kbpf_tnum_bswap(struct kbpf_tnum t, u8 bits);
struct kbpf_tnum kbpf_tnum_to_be(struct kbpf_tnum t, u8 bits);
struct kbpf_tnum kbpf_tnum_to_le(struct kbpf_tnum t, u8 bits);

#endif /* _KBPF_TNUM_H */
