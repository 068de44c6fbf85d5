// SPDX-License-Identifier: GPL-2.0
/*
 * Tristate numbers, the bit-level view of kbpf's scalar domain.
 *
 * The arithmetic operations reason about carries: bit i of a sum depends
 * only on bit i of each operand and on the carry into bit i, and that
 * carry grows with the low i bits of the operands. So if the operands'
 * bit i are known, the result's bit i is known exactly when the smallest
 * and the largest low parts the operands can have give the same carry,
 * which the smallest and the largest sums show in their own bit i.
 */

#include <linux/compiler.h>
#include <linux/swab.h>
#include <asm/byteorder.h>

#include "tnum.h"

/* Every bit at and below the highest set bit of @x. */
static u64 smear_right(u64 x)
{
	x |= x >> 1;
	x |= x >> 2;
	x |= x >> 4;
	x |= x >> 8;
	x |= x >> 16;
	x |= x >> 32;
	return x;
}

/* The largest member of @t: every unknown bit set. */
static u64 tnum_top(struct kbpf_tnum t)
{
	return t.value | t.mask;
}

/**
 * kbpf_tnum_range() - the smallest tnum holding every value of [min, max]
 * @min: the lowest value, at most @max
 * @max: the highest value
 *
 * Values of the range share the bits above the highest bit in which @min
 * and @max differ; every bit from that one down takes both values.
 *
 * Return: the tnum.
 */
struct kbpf_tnum kbpf_tnum_range(u64 min, u64 max)
{
	u64 low = smear_right(min ^ max);

	return (struct kbpf_tnum){ .value = min & ~low, .mask = low };
}

/**
 * kbpf_tnum_ceil() - the smallest member of @t at or above @x
 * @t: the tnum
 * @x: the bound
 * @out: where the member goes
 *
 * The range views of a scalar use this to start at a value the bit view
 * allows, so that the two views agree on their extremes.
 *
 * Return: false when every member of @t is below @x.
 */
bool kbpf_tnum_ceil(struct kbpf_tnum t, u64 x, u64 *out)
{
	u64 diff = (x ^ t.value) & ~t.mask;
	u64 below, top, above, room, bit;

	if (x <= t.value) {
		*out = t.value;
		return true;
	}
	if (!diff) {
		*out = x;
		return true;
	}
	/*
	 * A member keeps @x's bits above the highest known bit where they
	 * disagree; what happens there decides the rest.
	 */
	below = smear_right(diff);
	top = below ^ (below >> 1);
	above = ~below;
	if (t.value & top) {
		/* The member is already larger there: the rest is minimal. */
		*out = (x & t.mask & above) | t.value;
		return true;
	}
	/*
	 * The member would be smaller there, so it has to be larger higher
	 * up: set the lowest unknown bit above that @x has clear.
	 */
	room = t.mask & ~x & above;
	if (!room)
		return false;
	bit = room & -room;
	*out = (x & t.mask & ~(bit | (bit - 1))) | bit | t.value;
	return true;
}

/**
 * kbpf_tnum_floor() - the largest member of @t at or below @x
 * @t: the tnum
 * @x: the bound
 * @out: where the member goes
 *
 * Complementing every bit reverses the order, so this is kbpf_tnum_ceil()
 * on the complements.
 *
 * Return: false when every member of @t is above @x.
 */
bool kbpf_tnum_floor(struct kbpf_tnum t, u64 x, u64 *out)
{
	struct kbpf_tnum inv = { .value = ~t.value & ~t.mask, .mask = t.mask };
	u64 y;

	if (!kbpf_tnum_ceil(inv, ~x, &y))
		return false;
	*out = ~y;
	return true;
}

/**
 * kbpf_tnum_add() - the tnum of a + b
 * @a: one addend
 * @b: the other
 *
 * The carry into each bit is smallest with every unknown bit clear and
 * largest with every one set (see the top of this file).
 *
 * Return: the sum's tnum.
 */
struct kbpf_tnum kbpf_tnum_add(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 low = a.value + b.value;
	u64 high = tnum_top(a) + tnum_top(b);
	u64 unknown = (low ^ high) | a.mask | b.mask;

	return (struct kbpf_tnum){ .value = low & ~unknown, .mask = unknown };
}

/**
 * kbpf_tnum_sub() - the tnum of a - b
 * @a: the minuend
 * @b: the subtrahend
 *
 * As for addition with borrows: the most borrowing difference takes @a's
 * smallest and @b's largest member, the least borrowing one the opposite.
 *
 * Return: the difference's tnum.
 */
struct kbpf_tnum kbpf_tnum_sub(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 low = a.value - tnum_top(b);
	u64 high = tnum_top(a) - b.value;
	u64 unknown = (low ^ high) | a.mask | b.mask;

	return (struct kbpf_tnum){ .value = low & ~unknown, .mask = unknown };
}

/**
 * kbpf_tnum_neg() - the tnum of -t
 * @t: the operand
 *
 * Return: the negation's tnum, as 0 - @t.
 */
struct kbpf_tnum kbpf_tnum_neg(struct kbpf_tnum t)
{
	return kbpf_tnum_sub(kbpf_tnum_const(0), t);
}

/**
 * kbpf_tnum_mul() - the tnum of a * b
 * @a: one factor
 * @b: the other
 *
 * a * b is the product of the known parts plus, for each set or unknown
 * bit i of @a, a term shifted by i: (b's unknown part) << i when @a's bit
 * is known set, and either 0 or @b << i when it is unknown. Each term's
 * bits lie in a known mask, so it is a tnum with value 0, and the sum of
 * the terms is sound by kbpf_tnum_add().
 *
 * Return: the product's tnum.
 */
struct kbpf_tnum kbpf_tnum_mul(struct kbpf_tnum a, struct kbpf_tnum b)
{
	struct kbpf_tnum acc = kbpf_tnum_const(a.value * b.value);
	u64 rest = tnum_top(a);
	u8 i;

	for (i = 0; rest; i++, rest >>= 1) {
		struct kbpf_tnum term = { .value = 0 };

		if (!(rest & 1))
			continue;
		if (a.mask & (1ULL << i))
			term.mask = tnum_top(b) << i;
		else
			term.mask = b.mask << i;
		acc = kbpf_tnum_add(acc, term);
	}
	return acc;
}

/**
 * kbpf_tnum_and() - the tnum of a & b
 * @a: one operand
 * @b: the other
 *
 * Return: a tnum whose bits are known set where both are, known clear
 * where either is.
 */
struct kbpf_tnum kbpf_tnum_and(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 value = a.value & b.value;

	return (struct kbpf_tnum){
		.value = value,
		.mask = tnum_top(a) & tnum_top(b) & ~value,
	};
}

/**
 * kbpf_tnum_or() - the tnum of a | b
 * @a: one operand
 * @b: the other
 *
 * Return: a tnum whose bits are known set where either is, known clear
 * where both are.
 */
struct kbpf_tnum kbpf_tnum_or(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 value = a.value | b.value;

	return (struct kbpf_tnum){
		.value = value,
		.mask = (a.mask | b.mask) & ~value,
	};
}

/**
 * kbpf_tnum_xor() - the tnum of a ^ b
 * @a: one operand
 * @b: the other
 *
 * Return: a tnum whose bits are known where both operands' are.
 */
struct kbpf_tnum kbpf_tnum_xor(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 mask = a.mask | b.mask;

	return (struct kbpf_tnum){
		.value = (a.value ^ b.value) & ~mask,
		.mask = mask,
	};
}

/**
 * kbpf_tnum_lsh() - the tnum of t << shift
 * @t: the operand
 * @shift: the amount, 0 to 63
 *
 * Return: @t's bits moved up; the bits shifted in are known clear.
 */
struct kbpf_tnum kbpf_tnum_lsh(struct kbpf_tnum t, u8 shift)
{
	return (struct kbpf_tnum){
		.value = t.value << shift,
		.mask = t.mask << shift,
	};
}

/**
 * kbpf_tnum_rsh() - the tnum of t >> shift, a logical shift
 * @t: the operand
 * @shift: the amount, 0 to 63
 *
 * Return: @t's bits moved down; the bits shifted in are known clear.
 */
struct kbpf_tnum kbpf_tnum_rsh(struct kbpf_tnum t, u8 shift)
{
	return (struct kbpf_tnum){
		.value = t.value >> shift,
		.mask = t.mask >> shift,
	};
}

/**
 * kbpf_tnum_arsh() - the tnum of an arithmetic right shift
 * @t: the operand; for @width 32 only its low 32 bits count
 * @shift: the amount, below @width
 * @width: 32 or 64, the operand's width
 *
 * The bits shifted in copy the sign bit: shifting value and mask as signed
 * numbers copies a known sign into the value and an unknown one into the
 * mask (the value's bit is clear then).
 *
 * Return: the shifted tnum; for @width 32, zero-extended from 32 bits.
 */
struct kbpf_tnum kbpf_tnum_arsh(struct kbpf_tnum t, u8 shift, u8 width)
{
	if (width == 32)
		return (struct kbpf_tnum){
			.value = (u32)((s32)(u32)t.value >> shift),
			.mask = (u32)((s32)(u32)t.mask >> shift),
		};
	return (struct kbpf_tnum){
		.value = (u64)((s64)t.value >> shift),
		.mask = (u64)((s64)t.mask >> shift),
	};
}

/**
 * kbpf_tnum_intersect() - the values both tnums hold
 * @a: one tnum
 * @b: the other
 * @out: the meet, when there is one
 *
 * A bit of the meet is known where either operand knows it; the two
 * cannot know it differently unless they share no value.
 *
 * Return: false when no value is in both.
 */
bool kbpf_tnum_intersect(struct kbpf_tnum a, struct kbpf_tnum b,
			 struct kbpf_tnum *out)
{
	if ((a.value ^ b.value) & ~a.mask & ~b.mask)
		return false;
	out->value = a.value | b.value;
	out->mask = a.mask & b.mask;
	return true;
}

/**
 * kbpf_tnum_union() - the smallest tnum holding both operands' members
 * @a: one tnum
 * @b: the other
 *
 * Return: a tnum that knows the bits both know alike.
 */
struct kbpf_tnum kbpf_tnum_union(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 mask = a.mask | b.mask | (a.value ^ b.value);

	return (struct kbpf_tnum){ .value = a.value & ~mask, .mask = mask };
}

/**
 * kbpf_tnum_subset() - is every member of @a a member of @b?
 * @a: the smaller tnum
 * @b: the larger one
 *
 * Return: true when @b knows no bit @a does not, and those it knows agree.
 */
bool kbpf_tnum_subset(struct kbpf_tnum a, struct kbpf_tnum b)
{
	return !(a.mask & ~b.mask) && !((a.value ^ b.value) & ~b.mask);
}

/**
 * kbpf_tnum_cast() - the tnum of a value truncated to @bytes bytes
 * @t: the operand
 * @bytes: 1, 2, 4 or 8
 *
 * Return: @t's low bytes, zero-extended: the bits above are known clear.
 */
struct kbpf_tnum kbpf_tnum_cast(struct kbpf_tnum t, u8 bytes)
{
	u64 keep = bytes >= 8 ? ~0ULL : (1ULL << (bytes * 8)) - 1;

	return (struct kbpf_tnum){
		.value = t.value & keep,
		.mask = t.mask & keep,
	};
}

/**
 * kbpf_tnum_subreg() - the tnum of the low 32 bits
 * @t: the 64-bit tnum
 *
 * Return: the 32-bit subregister, zero-extended, as a 32-bit ALU operation
 * leaves it in the register.
 */
struct kbpf_tnum kbpf_tnum_subreg(struct kbpf_tnum t)
{
	return kbpf_tnum_cast(t, 4);
}

/**
 * kbpf_tnum_with_subreg() - replace the low 32 bits of a tnum
 * @t: the tnum whose high 32 bits are kept
 * @subreg: the tnum whose low 32 bits are taken
 *
 * Return: the combined tnum.
 */
struct kbpf_tnum kbpf_tnum_with_subreg(struct kbpf_tnum t,
				       struct kbpf_tnum subreg)
{
	const u64 high = ~0ULL << 32;

	return (struct kbpf_tnum){
		.value = (t.value & high) | (u32)subreg.value,
		.mask = (t.mask & high) | (u32)subreg.mask,
	};
}

/* @x sign-extended from its low @bits bits. */
static u64 sign_extend(u64 x, u8 bits)
{
	return (u64)((s64)(x << (64 - bits)) >> (64 - bits));
}

/**
 * kbpf_tnum_sext() - the tnum of a value sign-extended from @bits bits
 * @t: the operand; only its low @bits bits count
 * @bits: 8, 16 or 32
 *
 * A known sign bit extends into known bits; an unknown one, whose value
 * bit is clear, makes every bit above it unknown.
 *
 * Return: the 64-bit tnum.
 */
struct kbpf_tnum kbpf_tnum_sext(struct kbpf_tnum t, u8 bits)
{
	return (struct kbpf_tnum){
		.value = sign_extend(t.value, bits),
		.mask = sign_extend(t.mask, bits),
	};
}

/*
 * Byte swaps and byte order conversions move whole bits, so value and mask
 * move alike and nothing is lost; each truncates to @bits first.
 */
static u64 swap_bytes(u64 x, u8 bits)
{
	switch (bits) {
	case 16:
		return swab16(x);
	case 32:
		return swab32(x);
	default:
		return swab64(x);
	}
}

static u64 to_be_bytes(u64 x, u8 bits)
{
	switch (bits) {
	case 16:
		return (__force u16)cpu_to_be16(x);
	case 32:
		return (__force u32)cpu_to_be32(x);
	default:
		return (__force u64)cpu_to_be64(x);
	}
}

static u64 to_le_bytes(u64 x, u8 bits)
{
	switch (bits) {
	case 16:
		return (__force u16)cpu_to_le16(x);
	case 32:
		return (__force u32)cpu_to_le32(x);
	default:
		return (__force u64)cpu_to_le64(x);
	}
}

/**
 * kbpf_tnum_bswap() - the tnum of the ALU64 bswap instruction
 * @t: the operand
 * @bits: 16, 32 or 64
 *
 * Return: the low @bits bits of @t in reverse byte order, zero-extended.
 */
struct kbpf_tnum kbpf_tnum_bswap(struct kbpf_tnum t, u8 bits)
{
	return (struct kbpf_tnum){
		.value = swap_bytes(t.value, bits),
		.mask = swap_bytes(t.mask, bits),
	};
}

/**
 * kbpf_tnum_to_be() - the tnum of the END instruction's TO_BE form
 * @t: the operand
 * @bits: 16, 32 or 64
 *
 * Return: the low @bits bits of @t converted to big-endian, zero-extended;
 * a swap on a little-endian host, a truncation on a big-endian one.
 */
struct kbpf_tnum kbpf_tnum_to_be(struct kbpf_tnum t, u8 bits)
{
	return (struct kbpf_tnum){
		.value = to_be_bytes(t.value, bits),
		.mask = to_be_bytes(t.mask, bits),
	};
}

/**
 * kbpf_tnum_to_le() - the tnum of the END instruction's TO_LE form
 * @t: the operand
 * @bits: 16, 32 or 64
 *
 * Return: the low @bits bits of @t converted to little-endian,
 * zero-extended; a truncation on a little-endian host.
 */
struct kbpf_tnum kbpf_tnum_to_le(struct kbpf_tnum t, u8 bits)
{
	return (struct kbpf_tnum){
		.value = to_le_bytes(t.value, bits),
		.mask = to_le_bytes(t.mask, bits),
	};
}
