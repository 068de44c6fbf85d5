// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's scalar domain: transfer functions for every ALU
 * instruction, refinement for every conditional jump, and the join and
 * subset tests that state pruning needs.
 *
 * The operations work on a "view": one width's tnum with its unsigned and
 * signed range. A 64-bit instruction works on the 64-bit view, a 32-bit one
 * on the low 32 bits' view, and a sign-extending move on the 8 or 16 bits'.
 * An operation computes what it can in each part of the view and leaves the
 * rest unknown; kbpf_scalar_normalize() then fills in what the other views
 * imply. Splitting the work so keeps each transfer function short enough to
 * check by reading, and the host harness checks all of them against the
 * interpreter.
 */

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <asm/byteorder.h>

#include "scalar.h"

/* The sign bits of 64- and 32-bit numbers. */
#define SIGN64	(~0ULL - (~0ULL >> 1))
#define SIGN32	(U32_MAX - (U32_MAX >> 1))

/*
 * Normalization repeats its steps while they still narrow something, up to
 * this many times. Each step is sound on its own, so stopping early only
 * costs precision; in practice two rounds reach the fixpoint.
 */
#define KBPF_NORMALIZE_ROUNDS	8

/*
 * One width's view of a set of values: a tnum whose bits above @bits are
 * known clear, and ranges of the values as @bits-bit numbers.
 */
struct kbpf_view {
	struct kbpf_tnum var;
	u64 umin, umax;
	s64 smin, smax;
	u8 bits;
};

/* The largest unsigned @bits-bit number. */
static u64 width_max(u8 bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

static s64 width_smax(u8 bits)
{
	return (s64)(width_max(bits) >> 1);
}

static s64 width_smin(u8 bits)
{
	return -width_smax(bits) - 1;
}

/* The low @bits bits of @x as a signed number. */
static s64 sext(u64 x, u8 bits)
{
	return (s64)(x << (64 - bits)) >> (64 - bits);
}

/* The largest member of @t. */
static u64 tnum_top(struct kbpf_tnum t)
{
	return t.value | t.mask;
}

static void view_full(struct kbpf_view *v, u8 bits)
{
	v->bits = bits;
	v->var = kbpf_tnum_cast(kbpf_tnum_unknown(), bits / 8);
	v->umin = 0;
	v->umax = width_max(bits);
	v->smin = width_smin(bits);
	v->smax = width_smax(bits);
}

/*
 * Narrow @v by a circular interval: every value is lo, lo + 1, ..., hi
 * modulo 2^bits, the distance from lo to hi being @span_a + @span_b. An
 * interval that does not wrap around in one order gives a range in that
 * order; one as long as the whole width (or longer) says nothing. This is
 * how sums, differences and truncations keep their ranges: they wrap, but
 * often not across the point that matters for one of the orders.
 */
static void view_circ(struct kbpf_view *v, u64 lo, u64 hi, u64 span_a,
		      u64 span_b)
{
	u64 wmax = width_max(v->bits);
	u64 span = span_a + span_b;
	s64 slo, shi;

	if (span < span_a || span > wmax)
		return;
	lo &= wmax;
	hi &= wmax;
	if (lo <= hi) {
		v->umin = max_t(u64, v->umin, lo);
		v->umax = min_t(u64, v->umax, hi);
	}
	slo = sext(lo, v->bits);
	shi = sext(hi, v->bits);
	if (slo <= shi) {
		v->smin = max_t(s64, v->smin, slo);
		v->smax = min_t(s64, v->smax, shi);
	}
}

/*
 * Let @v's unsigned and signed ranges narrow each other, where one does not
 * wrap in the other's order. Joins need this first: a range one operand
 * leaves unknown would make the joined range unknown too.
 */
static void view_sync(struct kbpf_view *v)
{
	view_circ(v, v->umin, v->umax, v->umax - v->umin, 0);
	view_circ(v, v->smin, v->smax, (u64)v->smax - (u64)v->smin, 0);
}

/* @v's values truncated to their low @bits bits. */
static void view_trunc(struct kbpf_view *r, const struct kbpf_view *v,
		       u8 bits)
{
	view_full(r, bits);
	r->var = kbpf_tnum_cast(v->var, bits / 8);
	view_circ(r, v->umin, v->umax, v->umax - v->umin, 0);
	view_circ(r, v->smin, v->smax, (u64)v->smax - (u64)v->smin, 0);
}

/* @v's values zero-extended to @bits bits, more than @v has. */
static void view_zext(struct kbpf_view *r, const struct kbpf_view *v,
		      u8 bits)
{
	*r = *v;
	r->bits = bits;
	r->smin = v->umin;
	r->smax = v->umax;
}

/* @v's values sign-extended to @bits bits, more than @v has. */
static void view_sext(struct kbpf_view *r, const struct kbpf_view *v,
		      u8 bits)
{
	view_full(r, bits);
	r->var = kbpf_tnum_cast(kbpf_tnum_sext(v->var, v->bits), bits / 8);
	r->smin = v->smin;
	r->smax = v->smax;
}

/* The view of @s's low @bits bits: 64, 32, 16 or 8. */
static void view_of(struct kbpf_view *v, const struct kbpf_scalar *s,
		    u8 bits)
{
	struct kbpf_view v32;

	if (bits == 64) {
		v->bits = 64;
		v->var = s->var;
		v->umin = s->umin;
		v->umax = s->umax;
		v->smin = s->smin;
		v->smax = s->smax;
		return;
	}
	v32.bits = 32;
	v32.var = kbpf_tnum_subreg(s->var);
	v32.umin = s->u32_min;
	v32.umax = s->u32_max;
	v32.smin = s->s32_min;
	v32.smax = s->s32_max;
	if (bits == 32)
		*v = v32;
	else
		view_trunc(v, &v32, bits);
}

/* Write a 64- or 32-bit view back into the part of @s it describes. */
static void view_store(struct kbpf_scalar *s, const struct kbpf_view *v)
{
	if (v->bits == 64) {
		s->var = v->var;
		s->umin = v->umin;
		s->umax = v->umax;
		s->smin = v->smin;
		s->smax = v->smax;
		return;
	}
	s->var = kbpf_tnum_with_subreg(s->var, v->var);
	s->u32_min = v->umin;
	s->u32_max = v->umax;
	s->s32_min = v->smin;
	s->s32_max = v->smax;
}

/* The smallest view holding both @r's and @v's values, into @r. */
static void view_join(struct kbpf_view *r, const struct kbpf_view *v)
{
	r->var = kbpf_tnum_union(r->var, v->var);
	r->umin = min_t(u64, r->umin, v->umin);
	r->umax = max_t(u64, r->umax, v->umax);
	r->smin = min_t(s64, r->smin, v->smin);
	r->smax = max_t(s64, r->smax, v->smax);
}

/**
 * kbpf_scalar_const() - a scalar of one known value
 * @s: the scalar to set
 * @v: the value
 */
void kbpf_scalar_const(struct kbpf_scalar *s, u64 v)
{
	s->var = kbpf_tnum_const(v);
	s->umin = v;
	s->umax = v;
	s->smin = (s64)v;
	s->smax = (s64)v;
	s->u32_min = (u32)v;
	s->u32_max = (u32)v;
	s->s32_min = (s32)v;
	s->s32_max = (s32)v;
}

/**
 * kbpf_scalar_unknown() - a scalar that may hold any value
 * @s: the scalar to set
 */
void kbpf_scalar_unknown(struct kbpf_scalar *s)
{
	struct kbpf_view v;

	view_full(&v, 64);
	view_store(s, &v);
	view_full(&v, 32);
	view_store(s, &v);
}

/*
 * Set @s from a 64-bit view and, when the operation gives one, a view of
 * the low 32 bits; normalization derives everything else. It can only fail
 * when an operand stood for no value at all, which a verifier that prunes
 * impossible branches never produces; the result is then unknown, as good
 * as any for an empty set.
 */
static void scalar_set(struct kbpf_scalar *s, const struct kbpf_view *v64,
		       const struct kbpf_view *v32)
{
	struct kbpf_view full;

	view_store(s, v64);
	if (v32) {
		view_store(s, v32);
		if (!kbpf_tnum_intersect(v64->var, s->var, &s->var)) {
			kbpf_scalar_unknown(s);
			return;
		}
	} else {
		view_full(&full, 32);
		view_store(s, &full);
		s->var = v64->var;
	}
	if (!kbpf_scalar_normalize(s))
		kbpf_scalar_unknown(s);
}

/**
 * kbpf_scalar_from_load() - the scalar a load of unknown memory gives
 * @s: the scalar to set
 * @bytes: the load's size: 1, 2, 4 or 8
 * @sign_extend: a sign-extending load (MEMSX) rather than a plain one
 */
void kbpf_scalar_from_load(struct kbpf_scalar *s, u8 bytes, bool sign_extend)
{
	struct kbpf_view v, r;

	if (bytes >= 8) {
		kbpf_scalar_unknown(s);
		return;
	}
	view_full(&v, bytes * 8);
	if (sign_extend)
		view_sext(&r, &v, 64);
	else
		view_zext(&r, &v, 64);
	scalar_set(s, &r, NULL);
}

/*
 * Normalization works on four ranges of unsigned numbers: the signed
 * ranges are kept biased (the sign bit flipped), which turns the signed
 * order into the unsigned one. Index i's values are the register's (or
 * its low 32 bits') xor bias[i].
 */
enum { NV_U64, NV_S64, NV_U32, NV_S32, NV_COUNT };

static const u64 nv_bias[NV_COUNT] = { 0, SIGN64, 0, SIGN32 };

struct nv_range {
	u64 lo, hi;
};

/* Raise @r's low end and lower its high end to members of @t. */
static bool nv_tighten_by_tnum(struct nv_range *r, struct kbpf_tnum t)
{
	return kbpf_tnum_ceil(t, r->lo, &r->lo) &&
	       kbpf_tnum_floor(t, r->hi, &r->hi) && r->lo <= r->hi;
}

/*
 * Narrow @r to the hull of its values that lie in the circular interval
 * from @lo to @hi (wrapping past the width's largest number when @lo is
 * above @hi). The unsigned and signed orders of one width are the same
 * circle cut at different points, so each range is such an interval in the
 * other's coordinates.
 */
static bool nv_refine_circ(struct nv_range *r, u64 lo, u64 hi)
{
	bool low_part, high_part;

	if (lo <= hi) {
		r->lo = max_t(u64, r->lo, lo);
		r->hi = min_t(u64, r->hi, hi);
		return r->lo <= r->hi;
	}
	/* The interval is [0, hi] and [lo, max]: does @r meet each? */
	low_part = r->lo <= hi;
	high_part = r->hi >= lo;
	if (!low_part && !high_part)
		return false;
	if (!high_part)
		r->hi = min_t(u64, r->hi, hi);
	else if (!low_part)
		r->lo = max_t(u64, r->lo, lo);
	return true;
}

static bool in_circ(u32 x, u32 lo, u32 hi)
{
	return lo <= hi ? lo <= x && x <= hi : x >= lo || x <= hi;
}

/*
 * Narrow a 64-bit range to values whose low 32 bits lie in the circular
 * interval [@lo, @hi]: move each end to the nearest such value inside the
 * range, in its own 2^32 block or the next one inward.
 */
static bool nv_tighten_low32(struct nv_range *r, u32 lo, u32 hi)
{
	const u64 block = 1ULL << 32, high = ~(block - 1);
	u32 low = (u32)r->lo;

	if (!in_circ(low, lo, hi)) {
		if (low < lo) {
			r->lo = (r->lo & high) | lo;
		} else {
			if ((r->lo & high) == high)
				return false;
			r->lo = ((r->lo & high) + block) | lo;
		}
	}
	low = (u32)r->hi;
	if (!in_circ(low, lo, hi)) {
		if (low > hi) {
			r->hi = (r->hi & high) | hi;
		} else {
			if (!(r->hi & high))
				return false;
			r->hi = ((r->hi & high) - block) | hi;
		}
	}
	return r->lo <= r->hi;
}

/* Narrow @t by the tnum of range @i's values, unbiased. */
static bool nv_range_tnum(const struct nv_range *r, int i,
			  struct kbpf_tnum *t)
{
	struct kbpf_tnum range = kbpf_tnum_range(r[i].lo, r[i].hi);

	range = kbpf_tnum_xor(range, kbpf_tnum_const(nv_bias[i]));
	return kbpf_tnum_intersect(*t, range, t);
}

/* One round of normalization; false when the state holds no value. */
static bool normalize_round(struct kbpf_tnum *var, struct nv_range *r)
{
	struct kbpf_tnum sub = kbpf_tnum_subreg(*var);
	int i, j;

	/* Bits to ranges: each end moves to the nearest member of the tnum. */
	for (i = 0; i < NV_COUNT; i++) {
		struct kbpf_tnum t = i < NV_U32 ? *var : sub;

		t = kbpf_tnum_xor(t, kbpf_tnum_const(nv_bias[i]));
		if (!nv_tighten_by_tnum(&r[i], t))
			return false;
	}

	/* Unsigned and signed ranges of one width narrow each other. */
	for (i = NV_U64; i <= NV_U32; i += 2) {
		u64 flip = nv_bias[i + 1];

		if (!nv_refine_circ(&r[i], r[i + 1].lo ^ flip,
				    r[i + 1].hi ^ flip) ||
		    !nv_refine_circ(&r[i + 1], r[i].lo ^ flip, r[i].hi ^ flip))
			return false;
	}

	/*
	 * 64 to 32 bits: a 64-bit range shorter than 2^32 has its low halves
	 * in a circular interval of the 32-bit numbers.
	 */
	for (i = NV_U64; i <= NV_S64; i++) {
		u64 lo = r[i].lo ^ nv_bias[i], hi = r[i].hi ^ nv_bias[i];

		if (hi - lo > U32_MAX)
			continue;
		if (!nv_refine_circ(&r[NV_U32], (u32)lo, (u32)hi) ||
		    !nv_refine_circ(&r[NV_S32], (u32)lo ^ SIGN32,
				    (u32)hi ^ SIGN32))
			return false;
	}

	/*
	 * 32 to 64 bits: the low halves' ranges rule out the ends of each
	 * 2^32 block. The 64-bit bias leaves the low half alone.
	 */
	for (i = NV_U64; i <= NV_S64; i++)
		for (j = NV_U32; j <= NV_S32; j++)
			if (!nv_tighten_low32(&r[i], r[j].lo ^ nv_bias[j],
					      r[j].hi ^ nv_bias[j]))
				return false;

	/* Ranges to bits: a range fixes the bits its ends share. */
	if (!nv_range_tnum(r, NV_U64, var) || !nv_range_tnum(r, NV_S64, var))
		return false;
	sub = kbpf_tnum_subreg(*var);
	if (!nv_range_tnum(r, NV_U32, &sub) || !nv_range_tnum(r, NV_S32, &sub))
		return false;
	*var = kbpf_tnum_with_subreg(*var, sub);
	return true;
}

/**
 * kbpf_scalar_normalize() - make the views of a scalar agree
 * @s: the scalar
 *
 * Each view is narrowed by what the others imply: the tnum moves the ends
 * of every range to values it allows, the unsigned and signed ranges of a
 * width cut each other where one does not cross the other's wrap point,
 * the 64-bit ranges bound the low halves when they span less than 2^32,
 * the 32-bit ranges move the 64-bit ends past low halves they exclude, and
 * every range fixes the high bits its ends share. Nothing is ever widened,
 * so a contradiction shows as an empty range or clashing tnums.
 *
 * Return: false when the views have no value in common: the state is
 * impossible (a branch that cannot be taken), and @s is then unspecified.
 */
bool kbpf_scalar_normalize(struct kbpf_scalar *s)
{
	struct nv_range r[NV_COUNT] = {
		{ s->umin, s->umax },
		{ (u64)s->smin ^ SIGN64, (u64)s->smax ^ SIGN64 },
		{ s->u32_min, s->u32_max },
		{ (u32)s->s32_min ^ SIGN32, (u32)s->s32_max ^ SIGN32 },
	};
	struct nv_range old[NV_COUNT];
	struct kbpf_tnum old_var;
	int round, i;
	bool changed = true;

	for (round = 0; changed && round < KBPF_NORMALIZE_ROUNDS; round++) {
		old_var = s->var;
		for (i = 0; i < NV_COUNT; i++)
			old[i] = r[i];
		if (!normalize_round(&s->var, r))
			return false;
		changed = old_var.value != s->var.value ||
			  old_var.mask != s->var.mask;
		for (i = 0; i < NV_COUNT; i++)
			changed |= old[i].lo != r[i].lo || old[i].hi != r[i].hi;
	}
	s->umin = r[NV_U64].lo;
	s->umax = r[NV_U64].hi;
	s->smin = (s64)(r[NV_S64].lo ^ SIGN64);
	s->smax = (s64)(r[NV_S64].hi ^ SIGN64);
	s->u32_min = r[NV_U32].lo;
	s->u32_max = r[NV_U32].hi;
	s->s32_min = (s32)(u32)(r[NV_S32].lo ^ SIGN32);
	s->s32_max = (s32)(u32)(r[NV_S32].hi ^ SIGN32);
	return true;
}

/*
 * The ALU operations on views. Each starts from a full view @r of the
 * operands' width and narrows the parts it can compute.
 */

static void alu_add(struct kbpf_view *r, const struct kbpf_view *a,
		    const struct kbpf_view *b)
{
	r->var = kbpf_tnum_cast(kbpf_tnum_add(a->var, b->var), r->bits / 8);
	view_circ(r, a->umin + b->umin, a->umax + b->umax,
		  a->umax - a->umin, b->umax - b->umin);
	view_circ(r, (u64)a->smin + (u64)b->smin, (u64)a->smax + (u64)b->smax,
		  (u64)a->smax - (u64)a->smin, (u64)b->smax - (u64)b->smin);
}

static void alu_sub(struct kbpf_view *r, const struct kbpf_view *a,
		    const struct kbpf_view *b)
{
	r->var = kbpf_tnum_cast(kbpf_tnum_sub(a->var, b->var), r->bits / 8);
	view_circ(r, a->umin - b->umax, a->umax - b->umin,
		  a->umax - a->umin, b->umax - b->umin);
	view_circ(r, (u64)a->smin - (u64)b->smax, (u64)a->smax - (u64)b->smin,
		  (u64)a->smax - (u64)a->smin, (u64)b->smax - (u64)b->smin);
}

static bool fits_s32(const struct kbpf_view *v)
{
	return v->smin >= width_smin(32) && v->smax <= width_smax(32);
}

/*
 * Products keep a range only while they cannot wrap; factors of at most
 * 32 bits make that easy to tell without wider arithmetic.
 */
static void alu_mul(struct kbpf_view *r, const struct kbpf_view *a,
		    const struct kbpf_view *b)
{
	s64 p[4], lo, hi;
	int i;

	r->var = kbpf_tnum_cast(kbpf_tnum_mul(a->var, b->var), r->bits / 8);
	if (a->umax <= U32_MAX && b->umax <= U32_MAX &&
	    a->umax * b->umax <= width_max(r->bits)) {
		r->umin = a->umin * b->umin;
		r->umax = a->umax * b->umax;
	}
	if (!fits_s32(a) || !fits_s32(b))
		return;
	p[0] = a->smin * b->smin;
	p[1] = a->smin * b->smax;
	p[2] = a->smax * b->smin;
	p[3] = a->smax * b->smax;
	lo = p[0];
	hi = p[0];
	for (i = 1; i < 4; i++) {
		lo = min_t(s64, lo, p[i]);
		hi = max_t(s64, hi, p[i]);
	}
	if (lo >= r->smin && hi <= r->smax) {
		r->smin = lo;
		r->smax = hi;
	}
}

/* Unsigned division; x / 0 = 0. */
static void alu_div(struct kbpf_view *r, const struct kbpf_view *a,
		    const struct kbpf_view *b)
{
	if (!b->umax) {
		r->umax = 0;
		return;
	}
	r->umin = b->umin ? div64_u64(a->umin, b->umax) : 0;
	r->umax = div64_u64(a->umax, max_t(u64, b->umin, 1));
}

/*
 * Widen [*lo, *hi] to the quotients of @a's values by divisors in
 * [@dlo, @dhi], all of one sign. Truncating division is monotonic in each
 * operand while the other keeps its sign, so the corners bound it.
 */
static void sdiv_corners(s64 *lo, s64 *hi, bool *any,
			 const struct kbpf_view *a, s64 dlo, s64 dhi)
{
	s64 q[4] = {
		div64_s64(a->smin, dlo), div64_s64(a->smin, dhi),
		div64_s64(a->smax, dlo), div64_s64(a->smax, dhi),
	};
	int i;

	for (i = 0; i < 4; i++) {
		*lo = *any ? min_t(s64, *lo, q[i]) : q[i];
		*hi = *any ? max_t(s64, *hi, q[i]) : q[i];
		*any = true;
	}
}

/*
 * Signed division: the divisor's negative and positive parts separately,
 * plus 0 when it may be 0. INT_MIN / -1 wraps to INT_MIN, which breaks the
 * monotonicity sdiv_corners() relies on, so that case gives up.
 */
static void alu_sdiv(struct kbpf_view *r, const struct kbpf_view *a,
		     const struct kbpf_view *b)
{
	bool any = false;
	s64 lo = 0, hi = 0;

	if (b->smin <= 0 && b->smax >= 0)
		any = true;
	if (b->smin < 0) {
		s64 neg_hi = min_t(s64, b->smax, -1);

		if (neg_hi == -1 && a->smin == width_smin(r->bits))
			return;
		sdiv_corners(&lo, &hi, &any, a, b->smin, neg_hi);
	}
	if (b->smax > 0)
		sdiv_corners(&lo, &hi, &any, a, max_t(s64, b->smin, 1),
			     b->smax);
	r->smin = lo;
	r->smax = hi;
}

/*
 * Unsigned modulo; x % 0 = x. The remainder is at most the dividend and
 * below the divisor; a dividend below every divisor is its own remainder,
 * and a power-of-two divisor is a mask.
 */
static void alu_mod(struct kbpf_view *r, const struct kbpf_view *a,
		    const struct kbpf_view *b)
{
	u64 d = b->var.value;

	if (!b->umax || a->umax < b->umin) {
		*r = *a;
		return;
	}
	if (kbpf_tnum_is_const(b->var) && !(d & (d - 1))) {
		r->var = kbpf_tnum_and(a->var, kbpf_tnum_const(d - 1));
		r->umax = min_t(u64, a->umax, d - 1);
		return;
	}
	r->umax = b->umin ? min_t(u64, a->umax, b->umax - 1) : a->umax;
}

static u64 magnitude(s64 x)
{
	return x < 0 ? -(u64)x : (u64)x;
}

/*
 * Signed modulo: the remainder takes the dividend's sign and is smaller
 * in magnitude than both the dividend and the divisor (x % 0 = x, and
 * INT_MIN % -1 = 0 fits the rule).
 */
static void alu_smod(struct kbpf_view *r, const struct kbpf_view *a,
		     const struct kbpf_view *b)
{
	u64 most = max_t(u64, magnitude(b->smin), magnitude(b->smax));
	bool zero = b->smin <= 0 && b->smax >= 0;
	u64 least;
	s64 bound;

	if (!most) {
		*r = *a;
		return;
	}
	if (!zero) {
		/* Every divisor is larger than the dividend: it stays. */
		least = min_t(u64, magnitude(b->smin), magnitude(b->smax));
		if (magnitude(a->smin) < least && magnitude(a->smax) < least) {
			*r = *a;
			return;
		}
	}
	bound = (s64)(most - 1);
	r->smin = max_t(s64, -bound, min_t(s64, 0, a->smin));
	r->smax = min_t(s64, bound, max_t(s64, 0, a->smax));
	if (zero) {
		r->smin = min_t(s64, r->smin, a->smin);
		r->smax = max_t(s64, r->smax, a->smax);
	}
}

/* RFC 9669 division or modulo of two @bits-bit numbers. */
static u64 divmod_const(u64 x, u64 y, u8 bits, bool is_mod, bool is_signed)
{
	u64 uq, rem;
	s64 sx, sy, q;

	if (!y)
		return is_mod ? x : 0;
	if (!is_signed) {
		uq = div64_u64_rem(x, y, &rem);
		return is_mod ? rem : uq;
	}
	sx = sext(x, bits);
	sy = sext(y, bits);
	if (sy == -1)
		return is_mod ? 0 : -x;
	q = div64_s64(sx, sy);
	return is_mod ? (u64)sx - (u64)q * (u64)sy : (u64)q;
}

/*
 * The ranges of a quotient or remainder are loose; constants at least stay
 * constants, as the verifier needs for divisions it can fold.
 */
static void alu_divmod(struct kbpf_view *r, bool is_mod, bool is_signed,
		       const struct kbpf_view *a, const struct kbpf_view *b)
{
	u64 v;

	if (kbpf_tnum_is_const(a->var) && kbpf_tnum_is_const(b->var)) {
		v = divmod_const(a->var.value, b->var.value, r->bits, is_mod,
				 is_signed) & width_max(r->bits);
		r->var = kbpf_tnum_const(v);
		r->umin = v;
		r->umax = v;
		r->smin = sext(v, r->bits);
		r->smax = r->smin;
	} else if (is_mod) {
		if (is_signed)
			alu_smod(r, a, b);
		else
			alu_mod(r, a, b);
	} else {
		if (is_signed)
			alu_sdiv(r, a, b);
		else
			alu_div(r, a, b);
	}
}

static void alu_or(struct kbpf_view *r, const struct kbpf_view *a,
		   const struct kbpf_view *b)
{
	r->var = kbpf_tnum_or(a->var, b->var);
	r->umin = max_t(u64, a->umin, b->umin);
}

static void alu_and(struct kbpf_view *r, const struct kbpf_view *a,
		    const struct kbpf_view *b)
{
	r->var = kbpf_tnum_and(a->var, b->var);
	r->umax = min_t(u64, a->umax, b->umax);
}

static void alu_xor(struct kbpf_view *r, const struct kbpf_view *a,
		    const struct kbpf_view *b)
{
	r->var = kbpf_tnum_xor(a->var, b->var);
}

/* @a shifted by @k, below its width. */
static void shift_by(struct kbpf_view *r, u8 op, const struct kbpf_view *a,
		     u8 k)
{
	u8 bits = a->bits;
	u64 lo, hi;

	view_full(r, bits);
	if (!k) {
		*r = *a;
		return;
	}
	switch (op) {
	case BPF_LSH:
		r->var = kbpf_tnum_cast(kbpf_tnum_lsh(a->var, k), bits / 8);
		if (!(a->umax >> (bits - k))) {
			r->umin = a->umin << k;
			r->umax = a->umax << k;
		}
		/* Signed ends keep their order while no bit of them is lost. */
		lo = (u64)a->smin << k;
		hi = (u64)a->smax << k;
		if (sext(lo, bits) >> k == a->smin &&
		    sext(hi, bits) >> k == a->smax) {
			r->smin = sext(lo, bits);
			r->smax = sext(hi, bits);
		}
		break;
	case BPF_RSH:
		r->var = kbpf_tnum_rsh(a->var, k);
		r->umin = a->umin >> k;
		r->umax = a->umax >> k;
		break;
	default:
		r->var = kbpf_tnum_arsh(a->var, k, bits);
		r->smin = a->smin >> k;
		r->smax = a->smax >> k;
		break;
	}
}

/*
 * The ISA masks the shift amount to the width, so the amount is @b's low
 * 5 or 6 bits; the result is the join of the shifts by each amount those
 * bits allow.
 */
static void alu_shift(struct kbpf_view *r, u8 op, const struct kbpf_view *a,
		      const struct kbpf_view *b)
{
	u64 limit = a->bits - 1, lo = 0, hi = limit, k;
	struct kbpf_tnum amount = kbpf_tnum_and(b->var, kbpf_tnum_const(limit));
	struct kbpf_view one;
	bool any = false;

	if (b->umax <= limit) {
		lo = b->umin;
		hi = b->umax;
	}
	for (k = lo; k <= hi; k++) {
		if (!kbpf_tnum_contains(amount, k))
			continue;
		shift_by(&one, op, a, k);
		view_sync(&one);
		if (any)
			view_join(r, &one);
		else
			*r = one;
		any = true;
	}
}

/* r = a OP b at the operands' width; @is_signed selects sdiv and smod. */
static void alu_view(struct kbpf_view *r, u8 op, bool is_signed,
		     const struct kbpf_view *a, const struct kbpf_view *b)
{
	struct kbpf_view zero;

	view_full(r, a->bits);
	switch (op) {
	case BPF_ADD:
		alu_add(r, a, b);
		break;
	case BPF_SUB:
		alu_sub(r, a, b);
		break;
	case BPF_NEG:
		view_full(&zero, a->bits);
		zero.var = kbpf_tnum_const(0);
		zero.umax = 0;
		zero.smin = 0;
		zero.smax = 0;
		alu_sub(r, &zero, a);
		break;
	case BPF_MUL:
		alu_mul(r, a, b);
		break;
	case BPF_DIV:
	case BPF_MOD:
		alu_divmod(r, op == BPF_MOD, is_signed, a, b);
		break;
	case BPF_OR:
		alu_or(r, a, b);
		break;
	case BPF_AND:
		alu_and(r, a, b);
		break;
	case BPF_XOR:
		alu_xor(r, a, b);
		break;
	default:
		alu_shift(r, op, a, b);
		break;
	}
}

/*
 * Whether the low 32 bits of the 64-bit operation are the 32-bit operation
 * on the operands' low 32 bits: then the 32-bit views of the operands give
 * the result's 32-bit view, often more precisely than the 64-bit result.
 */
static bool low_half_closed(u8 op)
{
	switch (op) {
	case BPF_ADD: case BPF_SUB: case BPF_NEG: case BPF_MUL:
	case BPF_OR: case BPF_AND: case BPF_XOR:
		return true;
	default:
		return false;
	}
}

/* mov and movsx: @off is 0 or the number of bits to sign-extend from. */
static void alu_mov(struct kbpf_scalar *dst, const struct kbpf_scalar *src,
		    bool alu64, s16 off)
{
	struct kbpf_view v, r, r64;

	if (alu64 && !off) {
		*dst = *src;
		return;
	}
	view_of(&v, src, off ? off : 32);
	if (off)
		view_sext(&r, &v, alu64 ? 64 : 32);
	else
		r = v;
	if (alu64) {
		scalar_set(dst, &r, NULL);
		return;
	}
	view_zext(&r64, &r, 64);
	scalar_set(dst, &r64, &r);
}

/* Is the END instruction's conversion to the host's own byte order? */
static bool end_is_host_order(u8 src)
{
	if (src == BPF_TO_LE)
		return (__force u16)cpu_to_le16(1) == 1;
	return (__force u16)cpu_to_be16(1) == 1;
}

/*
 * Byte swaps are exact on the tnum; a conversion to the host's order is a
 * truncation, which keeps the ranges too.
 */
static void alu_end(struct kbpf_scalar *dst, const struct bpf_insn *insn)
{
	u8 bits = insn->imm, src = BPF_SRC(insn->code);
	struct kbpf_view a, r, t;

	view_of(&a, dst, 64);
	if (BPF_CLASS(insn->code) == BPF_ALU64) {
		view_full(&r, 64);
		r.var = kbpf_tnum_bswap(a.var, bits);
	} else if (end_is_host_order(src)) {
		if (bits == 64)
			return;
		view_trunc(&t, &a, bits);
		view_zext(&r, &t, 64);
	} else {
		view_full(&r, 64);
		r.var = src == BPF_TO_LE ? kbpf_tnum_to_le(a.var, bits) :
					   kbpf_tnum_to_be(a.var, bits);
	}
	scalar_set(dst, &r, NULL);
}

/* Does the interpreter accept @insn as an ALU instruction? */
static bool alu_valid(const struct bpf_insn *insn)
{
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	bool reg = BPF_SRC(insn->code) == BPF_X;
	s16 off = insn->off;

	switch (BPF_OP(insn->code)) {
	case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_OR: case BPF_AND:
	case BPF_LSH: case BPF_RSH: case BPF_XOR: case BPF_ARSH:
		return !off;
	case BPF_DIV: case BPF_MOD:
		return off == 0 || off == 1;
	case BPF_NEG:
		return !reg && !off;
	case BPF_MOV:
		return !off || (reg && (off == 8 || off == 16 ||
					(alu64 && off == 32)));
	case BPF_END:
		if (alu64 && reg)
			return false;
		return insn->imm == 16 || insn->imm == 32 || insn->imm == 64;
	default:
		return false;
	}
}

/**
 * kbpf_scalar_alu() - apply an ALU or ALU64 instruction to a scalar
 * @dst: the destination register's scalar, replaced by the result
 * @src: the source register's scalar; not used for BPF_K, NEG and END
 * @insn: the instruction
 *
 * The result holds every value the interpreter can leave in the register,
 * including the ISA's special cases: x / 0 = 0, x % 0 = x, INT_MIN / -1 =
 * INT_MIN, shift amounts masked to the width, 32-bit results zero-extended.
 * @dst and @src may be the same scalar.
 *
 * Return: 0, or -EINVAL when @insn is not an ALU instruction the
 * interpreter runs (@dst is then unchanged).
 */
int kbpf_scalar_alu(struct kbpf_scalar *dst, const struct kbpf_scalar *src,
		    const struct bpf_insn *insn)
{
	u8 class = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	bool alu64 = class == BPF_ALU64, is_signed = insn->off == 1;
	struct kbpf_view a, b, r, a32, b32, r32;
	struct kbpf_scalar imm;

	if ((class != BPF_ALU && !alu64) || !alu_valid(insn))
		return -EINVAL;
	if (op == BPF_END) {
		alu_end(dst, insn);
		return 0;
	}
	if (BPF_SRC(insn->code) == BPF_K) {
		/* ALU64 sign-extends the immediate; ALU uses its 32 bits. */
		kbpf_scalar_const(&imm, (u64)(s64)insn->imm);
		src = &imm;
	}
	if (op == BPF_MOV) {
		alu_mov(dst, src, alu64, insn->off);
		return 0;
	}
	if (op == BPF_NEG)
		src = dst;
	view_of(&a, dst, alu64 ? 64 : 32);
	view_of(&b, src, alu64 ? 64 : 32);
	alu_view(&r, op, is_signed, &a, &b);
	if (!alu64) {
		view_zext(&r32, &r, 64);
		scalar_set(dst, &r32, &r);
	} else if (low_half_closed(op)) {
		view_of(&a32, dst, 32);
		view_of(&b32, src, 32);
		alu_view(&r32, op, false, &a32, &b32);
		scalar_set(dst, &r, &r32);
	} else {
		scalar_set(dst, &r, NULL);
	}
	return 0;
}

/* Both sides take the values they have in common. */
static bool cond_eq(struct kbpf_view *d, struct kbpf_view *s)
{
	if (!kbpf_tnum_intersect(d->var, s->var, &d->var))
		return false;
	s->var = d->var;
	d->umin = max_t(u64, d->umin, s->umin);
	d->umax = min_t(u64, d->umax, s->umax);
	d->smin = max_t(s64, d->smin, s->smin);
	d->smax = min_t(s64, d->smax, s->smax);
	*s = *d;
	return d->umin <= d->umax && d->smin <= d->smax;
}

/* @v is not @c: only an end of a range can say so. */
static bool exclude(struct kbpf_view *v, u64 c)
{
	s64 sc = sext(c, v->bits);

	if ((v->umin == c && v->umax == c) || (v->smin == sc && v->smax == sc))
		return false;
	if (v->umin == c)
		v->umin++;
	if (v->umax == c)
		v->umax--;
	if (v->smin == sc)
		v->smin++;
	if (v->smax == sc)
		v->smax--;
	return true;
}

static bool cond_ne(struct kbpf_view *d, struct kbpf_view *s)
{
	if (kbpf_tnum_is_const(s->var) && !exclude(d, s->var.value))
		return false;
	if (kbpf_tnum_is_const(d->var) && !exclude(s, d->var.value))
		return false;
	return true;
}

/*
 * x & y != 0: neither is 0, and when only one bit can be set in both,
 * both have it set.
 */
static bool cond_set(struct kbpf_view *d, struct kbpf_view *s)
{
	u64 common = tnum_top(d->var) & tnum_top(s->var);
	struct kbpf_tnum bit = { .value = common, .mask = ~common };

	if (!common)
		return false;
	if (!(common & (common - 1)) &&
	    (!kbpf_tnum_intersect(d->var, bit, &d->var) ||
	     !kbpf_tnum_intersect(s->var, bit, &s->var)))
		return false;
	d->umin = max_t(u64, d->umin, 1);
	s->umin = max_t(u64, s->umin, 1);
	return d->umin <= d->umax && s->umin <= s->umax;
}

/* x & y == 0: a bit known set in one is clear in the other. */
static bool cond_clear(struct kbpf_view *d, struct kbpf_view *s)
{
	struct kbpf_tnum d_clear = { .value = 0, .mask = ~s->var.value };
	struct kbpf_tnum s_clear = { .value = 0, .mask = ~d->var.value };

	return kbpf_tnum_intersect(d->var, d_clear, &d->var) &&
	       kbpf_tnum_intersect(s->var, s_clear, &s->var);
}

/* x > y (@strict) or x >= y, in the unsigned or the signed order. */
static bool cond_order(struct kbpf_view *x, struct kbpf_view *y,
		       bool strict, bool is_signed)
{
	if (!is_signed) {
		if (strict && (y->umin == width_max(x->bits) || !x->umax))
			return false;
		x->umin = max_t(u64, x->umin, y->umin + strict);
		y->umax = min_t(u64, y->umax, x->umax - strict);
		return x->umin <= x->umax && y->umin <= y->umax;
	}
	if (strict && (y->smin == width_smax(x->bits) ||
		       x->smax == width_smin(x->bits)))
		return false;
	x->smin = max_t(s64, x->smin, y->smin + strict);
	y->smax = min_t(s64, y->smax, x->smax - strict);
	return x->smin <= x->smax && y->smin <= y->smax;
}

static bool cond_refine(struct kbpf_view *d, struct kbpf_view *s, u8 op,
			bool taken)
{
	bool greater, strict, is_signed;

	switch (op) {
	case BPF_JEQ:
		return taken ? cond_eq(d, s) : cond_ne(d, s);
	case BPF_JNE:
		return taken ? cond_ne(d, s) : cond_eq(d, s);
	case BPF_JSET:
		return taken ? cond_set(d, s) : cond_clear(d, s);
	case BPF_JGT: case BPF_JGE: case BPF_JLT: case BPF_JLE:
	case BPF_JSGT: case BPF_JSGE: case BPF_JSLT: case BPF_JSLE:
		break;
	default:
		return true;
	}
	greater = op == BPF_JGT || op == BPF_JGE || op == BPF_JSGT ||
		  op == BPF_JSGE;
	strict = op == BPF_JGT || op == BPF_JLT || op == BPF_JSGT ||
		 op == BPF_JSLT;
	is_signed = op == BPF_JSGT || op == BPF_JSGE || op == BPF_JSLT ||
		    op == BPF_JSLE;
	/* Not x > y is y >= x; not x >= y is y > x. */
	if (!taken) {
		greater = !greater;
		strict = !strict;
	}
	return greater ? cond_order(d, s, strict, is_signed) :
			 cond_order(s, d, strict, is_signed);
}

/**
 * kbpf_scalar_branch() - narrow the operands of a conditional jump
 * @dst: the compared register's scalar
 * @src: the source register's scalar; not used for BPF_K
 * @insn: a JMP or JMP32 instruction
 * @taken: narrow for the edge where the branch is taken, or the other one
 *
 * After the call, @dst and @src hold every pair of their former values for
 * which the condition gives @taken. A JMP32 compares, and so narrows, the
 * low 32 bits, from which normalization narrows the rest. An immediate is
 * sign-extended for JMP, and its 32 bits taken as they are for JMP32.
 * Instructions that compare nothing (ja, call, exit, may_goto) narrow
 * nothing. @dst and @src may be the same scalar: the result then still
 * holds every value that satisfies the condition against itself.
 *
 * Return: false when no pair of values takes this edge; the scalars are
 * then unspecified.
 */
bool kbpf_scalar_branch(struct kbpf_scalar *dst, struct kbpf_scalar *src,
			const struct bpf_insn *insn, bool taken)
{
	u8 class = BPF_CLASS(insn->code);
	u8 bits = class == BPF_JMP32 ? 32 : 64;
	struct kbpf_scalar imm;
	struct kbpf_view d, s;

	if (class != BPF_JMP && class != BPF_JMP32)
		return true;
	if (BPF_SRC(insn->code) == BPF_K) {
		kbpf_scalar_const(&imm, (u64)(s64)insn->imm);
		src = &imm;
	}
	view_of(&d, dst, bits);
	view_of(&s, src, bits);
	if (!cond_refine(&d, &s, BPF_OP(insn->code), taken))
		return false;
	view_store(dst, &d);
	view_store(src, &s);
	return kbpf_scalar_normalize(dst) && kbpf_scalar_normalize(src);
}

/**
 * kbpf_scalar_cond() - decide a conditional jump where the operands allow
 * @dst: the compared register's scalar
 * @src: the source register's scalar; not used (and may be NULL) for BPF_K
 * @insn: a JMP or JMP32 instruction
 *
 * The answer comes from kbpf_scalar_branch() on both edges, so the
 * verifier never prunes an edge that refinement would find possible.
 *
 * Return: KBPF_COND_TRUE when every pair of values takes the branch,
 * KBPF_COND_FALSE when none does, else KBPF_COND_UNKNOWN.
 */
enum kbpf_cond kbpf_scalar_cond(const struct kbpf_scalar *dst,
				const struct kbpf_scalar *src,
				const struct bpf_insn *insn)
{
	struct kbpf_scalar d_taken = *dst, d_fall = *dst, s_taken, s_fall;
	bool taken, fall;

	if (src) {
		s_taken = *src;
		s_fall = *src;
	}
	taken = kbpf_scalar_branch(&d_taken, src ? &s_taken : NULL, insn, true);
	fall = kbpf_scalar_branch(&d_fall, src ? &s_fall : NULL, insn, false);
	if (taken == fall)
		return KBPF_COND_UNKNOWN;
	return taken ? KBPF_COND_TRUE : KBPF_COND_FALSE;
}

/**
 * kbpf_scalar_join() - widen @dst to hold @src's values too
 * @dst: one scalar, replaced by the join
 * @src: the other
 *
 * Each view becomes the smallest that holds both operands' views, and
 * normalization then lets the views narrow each other again: the joined
 * tnum may know bits the joined ranges imply, and the other way round.
 */
void kbpf_scalar_join(struct kbpf_scalar *dst, const struct kbpf_scalar *src)
{
	dst->var = kbpf_tnum_union(dst->var, src->var);
	dst->umin = min_t(u64, dst->umin, src->umin);
	dst->umax = max_t(u64, dst->umax, src->umax);
	dst->smin = min_t(s64, dst->smin, src->smin);
	dst->smax = max_t(s64, dst->smax, src->smax);
	dst->u32_min = min_t(u64, dst->u32_min, src->u32_min);
	dst->u32_max = max_t(u64, dst->u32_max, src->u32_max);
	dst->s32_min = min_t(s64, dst->s32_min, src->s32_min);
	dst->s32_max = max_t(s64, dst->s32_max, src->s32_max);
	if (!kbpf_scalar_normalize(dst))
		kbpf_scalar_unknown(dst);
}

/**
 * kbpf_scalar_subset() - does @b hold every value of @a?
 * @a: the scalar of the state being explored
 * @b: the scalar of a state already verified
 *
 * Every view of @a inside the same view of @b is enough: @a's values lie
 * in all of @a's views, hence in all of @b's. Pruning may then skip @a.
 *
 * Return: true when @a's values are all in @b. False may be conservative.
 */
bool kbpf_scalar_subset(const struct kbpf_scalar *a,
			const struct kbpf_scalar *b)
{
	return kbpf_tnum_subset(a->var, b->var) &&
	       a->umin >= b->umin && a->umax <= b->umax &&
	       a->smin >= b->smin && a->smax <= b->smax &&
	       a->u32_min >= b->u32_min && a->u32_max <= b->u32_max &&
	       a->s32_min >= b->s32_min && a->s32_max <= b->s32_max;
}

/**
 * kbpf_scalar_contains() - is @v one of @s's values?
 * @s: the scalar
 * @v: the value
 *
 * Return: true when every view allows @v.
 */
bool kbpf_scalar_contains(const struct kbpf_scalar *s, u64 v)
{
	return kbpf_tnum_contains(s->var, v) &&
	       v >= s->umin && v <= s->umax &&
	       (s64)v >= s->smin && (s64)v <= s->smax &&
	       (u32)v >= s->u32_min && (u32)v <= s->u32_max &&
	       (s32)v >= s->s32_min && (s32)v <= s->s32_max;
}
