// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the verifier's scalar domain: the tnum operations, known
 * answers for every ALU operation and jump condition, the precision the
 * verifier relies on, and a seeded random check that every result holds
 * what the interpreter computes. The host harness runs the same file; its
 * scalar-soundness command runs the random check at a larger scale.
 */

#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <asm/byteorder.h>

#include "insn.h"
#include "interp.h"
#include "scalar.h"

#define SIGN64	(~0ULL - (~0ULL >> 1))

/* How an operand or an expected result is given. */
enum operand_kind {
	OPK_NONE,
	OPK_UNSIGNED,
	OPK_SIGNED,
	OPK_CONST,
};

/**
 * struct operand - a scalar given by one range, or one value
 * @lo: the smallest value, or the value
 * @hi: the largest value
 * @kind: how @lo and @hi are to be read
 */
struct operand {
	u64 lo, hi;
	enum operand_kind kind;
};

#define OP_U(l, h)	{ .lo = (l), .hi = (h), .kind = OPK_UNSIGNED }
#define OP_S(l, h)	{ .lo = (u64)(l), .hi = (u64)(h), .kind = OPK_SIGNED }
#define OP_C(v)		{ .lo = (v), .kind = OPK_CONST }
#define OP_ANY		OP_U(0, ~0ULL)

static struct kbpf_tnum tn(u64 value, u64 mask)
{
	return (struct kbpf_tnum){ .value = value, .mask = mask };
}

static bool make(struct kbpf_scalar *s, const struct operand *o)
{
	kbpf_scalar_unknown(s);
	switch (o->kind) {
	case OPK_CONST:
		kbpf_scalar_const(s, o->lo);
		return true;
	case OPK_SIGNED:
		s->smin = o->lo;
		s->smax = o->hi;
		break;
	case OPK_UNSIGNED:
		s->umin = o->lo;
		s->umax = o->hi;
		break;
	default:
		break;
	}
	return kbpf_scalar_normalize(s);
}

/*
 * @s must have exactly the range @want gives; a range that does not cross
 * the other order's wrap point must be the other order's range as well,
 * as normalization leaves it.
 */
static void expect_range(struct kunit *test, const struct kbpf_scalar *s,
			 const struct operand *want, const char *name)
{
	u64 lo = want->lo, hi = want->kind == OPK_CONST ? lo : want->hi;
	bool crosses;

	if (want->kind == OPK_NONE)
		return;
	if (want->kind == OPK_CONST)
		KUNIT_EXPECT_TRUE_MSG(test, kbpf_scalar_is_const(s),
				      "%s: constant", name);
	if (want->kind == OPK_SIGNED)
		crosses = (s64)lo < 0 && (s64)hi >= 0;
	else
		crosses = (s64)lo >= 0 && (s64)hi < 0;
	if (want->kind != OPK_SIGNED || !crosses) {
		KUNIT_EXPECT_EQ_MSG(test, s->umin, lo, "%s: umin", name);
		KUNIT_EXPECT_EQ_MSG(test, s->umax, hi, "%s: umax", name);
	}
	if (want->kind == OPK_SIGNED || !crosses) {
		KUNIT_EXPECT_EQ_MSG(test, s->smin, (s64)lo, "%s: smin", name);
		KUNIT_EXPECT_EQ_MSG(test, s->smax, (s64)hi, "%s: smax", name);
	}
}

static void tnum_basic_test(struct kunit *test)
{
	struct kbpf_tnum t = { .value = 0x10, .mask = 0x0f }, u;

	KUNIT_EXPECT_TRUE(test, kbpf_tnum_is_const(kbpf_tnum_const(5)));
	KUNIT_EXPECT_FALSE(test, kbpf_tnum_is_const(kbpf_tnum_unknown()));
	KUNIT_EXPECT_TRUE(test, kbpf_tnum_contains(t, 0x1f));
	KUNIT_EXPECT_FALSE(test, kbpf_tnum_contains(t, 0x20));

	u = kbpf_tnum_range(0x10, 0x1f);
	KUNIT_EXPECT_EQ(test, u.value, 0x10);
	KUNIT_EXPECT_EQ(test, u.mask, 0x0f);
	u = kbpf_tnum_range(0x10, 0x20);
	KUNIT_EXPECT_EQ(test, u.value, 0);
	KUNIT_EXPECT_EQ(test, u.mask, 0x3f);
	KUNIT_EXPECT_TRUE(test, kbpf_tnum_is_const(kbpf_tnum_range(9, 9)));
	KUNIT_EXPECT_EQ(test, kbpf_tnum_range(0, ~0ULL).mask, ~0ULL);

	/* The meet knows what either knows; clashing bits mean no value. */
	KUNIT_EXPECT_TRUE(test, kbpf_tnum_intersect(t, tn(0x03, 0xfc), &u));
	KUNIT_EXPECT_EQ(test, u.value, 0x13);
	KUNIT_EXPECT_EQ(test, u.mask, 0x0c);
	KUNIT_EXPECT_FALSE(test, kbpf_tnum_intersect(kbpf_tnum_const(1),
						     kbpf_tnum_const(2), &u));

	/* The union of 1 and 3 knows bit 0 but not bit 1. */
	u = kbpf_tnum_union(kbpf_tnum_const(1), kbpf_tnum_const(3));
	KUNIT_EXPECT_EQ(test, u.value, 1);
	KUNIT_EXPECT_EQ(test, u.mask, 2);
	KUNIT_EXPECT_FALSE(test, kbpf_tnum_subset(u, t));
	KUNIT_EXPECT_TRUE(test, kbpf_tnum_subset(kbpf_tnum_const(0x15), t));
	KUNIT_EXPECT_TRUE(test, kbpf_tnum_subset(t, kbpf_tnum_unknown()));
	KUNIT_EXPECT_FALSE(test, kbpf_tnum_subset(kbpf_tnum_unknown(), t));
}

static void tnum_arith_test(struct kunit *test)
{
	struct kbpf_tnum bit0 = { .value = 0, .mask = 1 }, t;

	KUNIT_EXPECT_EQ(test, kbpf_tnum_add(kbpf_tnum_const(3),
					    kbpf_tnum_const(4)).value, 7);
	/* {0, 1} + 1 is {1, 2}: the carry makes bits 0 and 1 unknown. */
	t = kbpf_tnum_add(bit0, kbpf_tnum_const(1));
	KUNIT_EXPECT_EQ(test, t.value, 0);
	KUNIT_EXPECT_EQ(test, t.mask, 3);
	/* {0x10, 0x11} + 0x10: no carry leaves bit 0. */
	t = kbpf_tnum_add(tn(0x10, 1),
			  kbpf_tnum_const(0x10));
	KUNIT_EXPECT_EQ(test, t.value, 0x20);
	KUNIT_EXPECT_EQ(test, t.mask, 1);
	t = kbpf_tnum_sub(kbpf_tnum_const(7), kbpf_tnum_const(9));
	KUNIT_EXPECT_TRUE(test, kbpf_tnum_is_const(t));
	KUNIT_EXPECT_EQ(test, t.value, -2ULL);
	t = kbpf_tnum_sub(kbpf_tnum_const(0x20), bit0);
	KUNIT_EXPECT_TRUE(test, kbpf_tnum_contains(t, 0x20));
	KUNIT_EXPECT_TRUE(test, kbpf_tnum_contains(t, 0x1f));
	KUNIT_EXPECT_EQ(test, kbpf_tnum_neg(kbpf_tnum_const(5)).value, -5ULL);
	KUNIT_EXPECT_EQ(test, kbpf_tnum_mul(kbpf_tnum_const(6),
					    kbpf_tnum_const(7)).value, 42);
	t = kbpf_tnum_mul(bit0, kbpf_tnum_const(4));
	KUNIT_EXPECT_EQ(test, t.value, 0);
	KUNIT_EXPECT_EQ(test, t.mask, 4);
	/* Multiplying by 8 leaves the low three bits known clear. */
	t = kbpf_tnum_mul(kbpf_tnum_unknown(), kbpf_tnum_const(8));
	KUNIT_EXPECT_EQ(test, t.mask, ~7ULL);

	t = kbpf_tnum_and(kbpf_tnum_unknown(), kbpf_tnum_const(0xf0));
	KUNIT_EXPECT_EQ(test, t.value, 0);
	KUNIT_EXPECT_EQ(test, t.mask, 0xf0);
	t = kbpf_tnum_or(tn(0, 0xf),
			 kbpf_tnum_const(0x30));
	KUNIT_EXPECT_EQ(test, t.value, 0x30);
	KUNIT_EXPECT_EQ(test, t.mask, 0xf);
	t = kbpf_tnum_xor(tn(0x10, 1),
			  kbpf_tnum_const(0x11));
	KUNIT_EXPECT_EQ(test, t.value, 0);
	KUNIT_EXPECT_EQ(test, t.mask, 1);

	t = kbpf_tnum_lsh(tn(1, 2), 4);
	KUNIT_EXPECT_EQ(test, t.value, 0x10);
	KUNIT_EXPECT_EQ(test, t.mask, 0x20);
	t = kbpf_tnum_rsh(tn(0x100, 0xf0),
			  4);
	KUNIT_EXPECT_EQ(test, t.value, 0x10);
	KUNIT_EXPECT_EQ(test, t.mask, 0x0f);
	KUNIT_EXPECT_EQ(test, kbpf_tnum_arsh(kbpf_tnum_const(-16ULL), 2,
					     64).value, -4ULL);
	/* An unknown sign bit makes every bit shifted in unknown. */
	t = kbpf_tnum_arsh(tn(0, SIGN64),
			   4, 64);
	KUNIT_EXPECT_EQ(test, t.value, 0);
	KUNIT_EXPECT_EQ(test, t.mask, 0xf800000000000000ULL);
	KUNIT_EXPECT_EQ(test, kbpf_tnum_arsh(kbpf_tnum_const(0x80000000), 4,
					     32).value, 0xf8000000);
}

static void tnum_width_test(struct kunit *test)
{
	struct kbpf_tnum t;

	KUNIT_EXPECT_EQ(test, kbpf_tnum_cast(kbpf_tnum_const(0x12345678),
					     2).value, 0x5678);
	KUNIT_EXPECT_EQ(test, kbpf_tnum_cast(kbpf_tnum_unknown(), 1).mask,
			0xff);
	t = kbpf_tnum_subreg(tn(1ULL << 32, 0xf));
	KUNIT_EXPECT_EQ(test, t.value, 0);
	KUNIT_EXPECT_EQ(test, t.mask, 0xf);
	t = kbpf_tnum_with_subreg(kbpf_tnum_const(0xaaaaaaaa00000000ULL),
				  tn(0x1234, 0xf0000000));
	KUNIT_EXPECT_EQ(test, t.value, 0xaaaaaaaa00001234ULL);
	KUNIT_EXPECT_EQ(test, t.mask, 0xf0000000);

	KUNIT_EXPECT_EQ(test, kbpf_tnum_sext(kbpf_tnum_const(0x80), 8).value,
			-128ULL);
	KUNIT_EXPECT_EQ(test, kbpf_tnum_sext(kbpf_tnum_const(0x7fff),
					     16).value, 0x7fff);
	t = kbpf_tnum_sext(tn(0, 0x80), 8);
	KUNIT_EXPECT_EQ(test, t.value, 0);
	KUNIT_EXPECT_EQ(test, t.mask, ~0x7fULL);

	t = kbpf_tnum_bswap(tn(0x1200, 0x00f0), 16);
	KUNIT_EXPECT_EQ(test, t.value, 0x12);
	KUNIT_EXPECT_EQ(test, t.mask, 0xf000);
	KUNIT_EXPECT_EQ(test, kbpf_tnum_bswap(kbpf_tnum_const(0xab12345678ULL),
					      32).value, 0x78563412);
	t = kbpf_tnum_bswap(kbpf_tnum_const(0x0102030405060708ULL), 64);
	KUNIT_EXPECT_EQ(test, t.value, 0x0807060504030201ULL);
	/* to_be and to_le convert from the host's order, whatever it is. */
	t = kbpf_tnum_to_be(kbpf_tnum_const(0xff1234), 16);
	KUNIT_EXPECT_EQ(test, t.value, (__force u16)cpu_to_be16(0x1234));
	t = kbpf_tnum_to_le(kbpf_tnum_const(0xff1234), 16);
	KUNIT_EXPECT_EQ(test, t.value, (__force u16)cpu_to_le16(0x1234));
	KUNIT_EXPECT_EQ(test, kbpf_tnum_to_be(kbpf_tnum_const(0x12345678),
					      32).value,
			(__force u32)cpu_to_be32(0x12345678));
	KUNIT_EXPECT_EQ(test, kbpf_tnum_to_le(kbpf_tnum_const(0x12345678),
					      64).value,
			(__force u64)cpu_to_le64(0x12345678));
}

/* Against the brute-force answer, on tnums of the low six bits. */
static void tnum_ceil_floor_test(struct kunit *test)
{
	static const struct kbpf_tnum tnums[] = {
		{ 0x10, 0x05 }, { 0, 0x3f }, { 0x2a, 0 }, { 0x01, 0x28 },
		{ 0x20, 0x1f }, { 0, 0x21 },
	};
	unsigned int i, x, y;
	u64 got;

	for (i = 0; i < ARRAY_SIZE(tnums); i++) {
		for (x = 0; x < 70; x++) {
			int lo = -1, hi = -1;
			bool ok;

			for (y = 0; y < 64; y++) {
				if (!kbpf_tnum_contains(tnums[i], y))
					continue;
				if (y >= x && lo < 0)
					lo = y;
				if (y <= x)
					hi = y;
			}
			got = ~0ULL;
			ok = kbpf_tnum_ceil(tnums[i], x, &got);
			KUNIT_EXPECT_EQ_MSG(test, ok ? (int)got : -1, lo,
					    "ceil of tnum %u at %u", i, x);
			ok = kbpf_tnum_floor(tnums[i], x, &got);
			KUNIT_EXPECT_EQ_MSG(test, ok ? (int)got : -1, hi,
					    "floor of tnum %u at %u", i, x);
		}
	}
	/* Far above: no member; the largest member is the floor. */
	KUNIT_EXPECT_FALSE(test, kbpf_tnum_ceil(tnums[0], SIGN64, &got));
	KUNIT_EXPECT_TRUE(test, kbpf_tnum_floor(tnums[0], ~0ULL, &got));
	KUNIT_EXPECT_EQ(test, got, 0x15);
}

/**
 * struct alu_case - one ALU instruction on scalars and its result
 * @name: what is tested
 * @insn: the instruction, r0 OP r1 or r0 OP imm
 * @a: r0 before
 * @b: r1
 * @want: the result's range
 * @want2: its range in the other order, when that crosses @want's wrap point
 */
struct alu_case {
	const char *name;
	struct bpf_insn insn;
	struct operand a, b, want, want2;
};

static const struct alu_case alu_cases[] = {
	{ "add imm", KBPF_ALU64_IMM(BPF_ADD, 0, 5), OP_C(3), {},
	  .want = OP_C(8) },
	{ "add ranges", KBPF_ALU64_REG(BPF_ADD, 0, 1), OP_U(1, 10),
	  OP_U(100, 200), .want = OP_U(101, 210) },
	{ "add wraps to a range", KBPF_ALU64_IMM(BPF_ADD, 0, 2),
	  OP_U(~0ULL - 1, ~0ULL), {}, .want = OP_U(0, 1) },
	{ "add wrapping keeps the signed range", KBPF_ALU64_REG(BPF_ADD, 0, 1),
	  OP_U(~0ULL - 5, ~0ULL), OP_U(0, 10), .want = OP_U(0, ~0ULL),
	  .want2 = OP_S(-6, 9) },
	{ "sub", KBPF_ALU64_REG(BPF_SUB, 0, 1), OP_U(10, 20), OP_U(1, 5),
	  .want = OP_U(5, 19) },
	{ "sub below zero", KBPF_ALU64_IMM(BPF_SUB, 0, 5), OP_U(0, 3), {},
	  .want = OP_S(-5, -2) },
	{ "neg", KBPF_NEG64(0), OP_U(1, 3), {}, .want = OP_S(-3, -1) },
	{ "mul", KBPF_ALU64_REG(BPF_MUL, 0, 1), OP_U(2, 3), OP_U(4, 5),
	  .want = OP_U(8, 15) },
	{ "mul signed", KBPF_ALU64_IMM(BPF_MUL, 0, 4), OP_S(-3, 2), {},
	  .want = OP_U(0, ~3ULL), .want2 = OP_S(-12, 8) },
	{ "mul imm sign-extends", KBPF_ALU64_IMM(BPF_MUL, 0, -1), OP_C(2), {},
	  .want = OP_C(-2ULL) },
	{ "div", KBPF_ALU64_REG(BPF_DIV, 0, 1), OP_U(100, 200), OP_U(3, 4),
	  .want = OP_U(25, 66) },
	{ "div by zero", KBPF_ALU64_IMM(BPF_DIV, 0, 0), OP_U(5, 9), {},
	  .want = OP_C(0) },
	{ "div by maybe zero", KBPF_ALU64_REG(BPF_DIV, 0, 1), OP_U(5, 9),
	  OP_U(0, 2), .want = OP_U(0, 9) },
	{ "div imm is unsigned", KBPF_ALU64_IMM(BPF_DIV, 0, -1), OP_C(-1ULL),
	  {}, .want = OP_C(1) },
	{ "sdiv", KBPF_SALU64_IMM(BPF_DIV, 0, 3), OP_S(-100, 50), {},
	  .want = OP_U(0, ~0ULL), .want2 = OP_S(-33, 16) },
	{ "sdiv by either sign", KBPF_SALU64_REG(BPF_DIV, 0, 1), OP_S(10, 20),
	  OP_S(-2, 5), .want = OP_U(0, ~0ULL), .want2 = OP_S(-20, 20) },
	{ "sdiv INT64_MIN by -1", KBPF_SALU64_IMM(BPF_DIV, 0, -1),
	  OP_C(SIGN64), {}, .want = OP_C(SIGN64) },
	{ "mod", KBPF_ALU64_IMM(BPF_MOD, 0, 10), OP_U(0, 100), {},
	  .want = OP_U(0, 9) },
	{ "mod by zero", KBPF_ALU64_IMM(BPF_MOD, 0, 0), OP_U(5, 9), {},
	  .want = OP_U(5, 9) },
	{ "mod by a power of two", KBPF_ALU64_IMM(BPF_MOD, 0, 8),
	  OP_U(0, 1000), {}, .want = OP_U(0, 7) },
	{ "mod of a smaller dividend", KBPF_ALU64_REG(BPF_MOD, 0, 1),
	  OP_U(3, 5), OP_U(10, 20), .want = OP_U(3, 5) },
	{ "mod consts", KBPF_ALU64_IMM(BPF_MOD, 0, 7), OP_C(100), {},
	  .want = OP_C(2) },
	{ "smod", KBPF_SALU64_IMM(BPF_MOD, 0, 7), OP_S(-50, 20), {},
	  .want = OP_U(0, ~0ULL), .want2 = OP_S(-6, 6) },
	{ "smod by maybe zero", KBPF_SALU64_REG(BPF_MOD, 0, 1), OP_S(-50, 20),
	  OP_U(0, 7), .want = OP_U(0, ~0ULL), .want2 = OP_S(-50, 20) },
	{ "smod INT64_MIN by -1", KBPF_SALU64_IMM(BPF_MOD, 0, -1),
	  OP_C(SIGN64), {}, .want = OP_C(0) },
	{ "or", KBPF_ALU64_IMM(BPF_OR, 0, 0x10), OP_U(0, 3), {},
	  .want = OP_U(0x10, 0x13) },
	{ "and bounds umax", KBPF_ALU64_IMM(BPF_AND, 0, 0xff), OP_ANY, {},
	  .want = OP_U(0, 0xff) },
	{ "and imm sign-extends", KBPF_ALU64_IMM(BPF_AND, 0, -16), OP_C(~0ULL),
	  {}, .want = OP_C(-16ULL) },
	{ "xor", KBPF_ALU64_IMM(BPF_XOR, 0, 0xff), OP_C(0xf0), {},
	  .want = OP_C(0x0f) },
	{ "lsh", KBPF_ALU64_IMM(BPF_LSH, 0, 4), OP_U(1, 3), {},
	  .want = OP_U(16, 48) },
	{ "lsh masks the amount", KBPF_ALU64_REG(BPF_LSH, 0, 1), OP_C(1),
	  OP_C(65), .want = OP_C(2) },
	{ "lsh by any amount", KBPF_ALU64_REG(BPF_LSH, 0, 1), OP_C(1), OP_ANY,
	  .want = OP_U(1, SIGN64), .want2 = OP_S((s64)SIGN64, 1LL << 62) },
	{ "rsh", KBPF_ALU64_IMM(BPF_RSH, 0, 8), OP_U(256, 511), {},
	  .want = OP_C(1) },
	{ "arsh", KBPF_ALU64_IMM(BPF_ARSH, 0, 2), OP_S(-16, 16), {},
	  .want = OP_U(0, ~0ULL), .want2 = OP_S(-4, 4) },
	{ "arsh by a range", KBPF_ALU64_REG(BPF_ARSH, 0, 1), OP_C(-8ULL),
	  OP_U(0, 2), .want = OP_S(-8, -2) },
	{ "mov imm", KBPF_MOV64_IMM(0, -1), OP_C(5), {},
	  .want = OP_C(~0ULL) },
	{ "mov", KBPF_MOV64_REG(0, 1), OP_C(5), OP_U(7, 9),
	  .want = OP_U(7, 9) },
	{ "movsx 8", KBPF_MOVSX64(0, 1, 8), {}, OP_C(0x180),
	  .want = OP_C(-128ULL) },
	{ "movsx 8 of a range", KBPF_MOVSX64(0, 1, 8), {}, OP_U(0x100, 0x17f),
	  .want = OP_U(0, 127) },
	{ "movsx 16 of a negative range", KBPF_MOVSX64(0, 1, 16), {},
	  OP_U(0xfff0, 0xffff), .want = OP_S(-16, -1) },
	{ "movsx 32", KBPF_MOVSX64(0, 1, 32), {}, OP_C(0xffffffff),
	  .want = OP_C(~0ULL) },

	{ "add32 zero-extends", KBPF_ALU32_IMM(BPF_ADD, 0, 1),
	  OP_C(0xffffffff), {}, .want = OP_C(0) },
	{ "add32 ignores the high half", KBPF_ALU32_IMM(BPF_ADD, 0, 1),
	  OP_C(0x100000005), {}, .want = OP_C(6) },
	{ "add32 of ranges", KBPF_ALU32_REG(BPF_ADD, 0, 1), OP_U(0, 0x10),
	  OP_U(0xfffffff0, 0xffffffff), .want = OP_U(0, 0xffffffff) },
	{ "sub32", KBPF_ALU32_IMM(BPF_SUB, 0, 1), OP_C(0), {},
	  .want = OP_C(0xffffffff) },
	{ "neg32", KBPF_NEG32(0), OP_C(1), {}, .want = OP_C(0xffffffff) },
	{ "and32 bounds umax", KBPF_ALU32_IMM(BPF_AND, 0, 0xff), OP_ANY, {},
	  .want = OP_U(0, 0xff) },
	{ "mul32 wraps", KBPF_ALU32_IMM(BPF_MUL, 0, 0x10), OP_C(0x10000000),
	  {}, .want = OP_C(0) },
	{ "div32 uses the low halves", KBPF_ALU32_REG(BPF_DIV, 0, 1),
	  OP_C(0x100000064), OP_C(0x100000000), .want = OP_C(0) },
	{ "mod32 by zero keeps the low half", KBPF_ALU32_IMM(BPF_MOD, 0, 0),
	  OP_C(0x100000007), {}, .want = OP_C(7) },
	{ "sdiv32 INT32_MIN by -1", KBPF_SALU32_IMM(BPF_DIV, 0, -1),
	  OP_C(0x80000000), {}, .want = OP_C(0x80000000) },
	{ "smod32", KBPF_SALU32_IMM(BPF_MOD, 0, 3), OP_C(-7ULL), {},
	  .want = OP_C(-1U) },
	{ "lsh32 masks the amount", KBPF_ALU32_REG(BPF_LSH, 0, 1), OP_C(1),
	  OP_C(33), .want = OP_C(2) },
	{ "arsh32", KBPF_ALU32_IMM(BPF_ARSH, 0, 4), OP_C(0x80000000), {},
	  .want = OP_C(0xf8000000) },
	{ "mov32", KBPF_MOV32_REG(0, 1), OP_C(5), OP_C(~0ULL),
	  .want = OP_C(0xffffffff) },
	{ "movsx32 16", KBPF_MOVSX32(0, 1, 16), {}, OP_C(0x8000),
	  .want = OP_C(0xffff8000) },
	{ "bswap 32", KBPF_BSWAP(0, 32), OP_C(0xab12345678ULL), {},
	  .want = OP_C(0x78563412) },
	{ "bswap 16 of a range", KBPF_BSWAP(0, 16), OP_U(0, 0xff), {},
	  .want = OP_U(0, 0xff00) },
};

static void alu_known_answer_test(struct kunit *test)
{
	struct kbpf_scalar a, b;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(alu_cases); i++) {
		const struct alu_case *c = &alu_cases[i];

		KUNIT_ASSERT_TRUE(test, make(&a, &c->a) && make(&b, &c->b));
		KUNIT_ASSERT_EQ_MSG(test, kbpf_scalar_alu(&a, &b, &c->insn), 0,
				    "%s", c->name);
		expect_range(test, &a, &c->want, c->name);
		expect_range(test, &a, &c->want2, c->name);
	}
}

/* Precision the verifier builds on, beyond single ranges. */
static void alu_precision_test(struct kunit *test)
{
	struct bpf_insn to_host = KBPF_TO_LE(0, 32);
	struct bpf_insn add32 = KBPF_ALU32_REG(BPF_ADD, 0, 1);
	struct bpf_insn and = KBPF_ALU64_IMM(BPF_AND, 0, 0xf0);
	struct bpf_insn bad = KBPF_ALU64_IMM(BPF_NEG, 0, 0);
	struct kbpf_scalar a, b;

	/* AND with a mask leaves a tnum that knows the other bits clear. */
	kbpf_scalar_unknown(&a);
	KUNIT_EXPECT_EQ(test, kbpf_scalar_alu(&a, &a, &and), 0);
	KUNIT_EXPECT_EQ(test, a.var.mask, 0xf0);
	KUNIT_EXPECT_EQ(test, a.umax, 0xf0);

	/* A 32-bit sum that wraps keeps its signed 32-bit range. */
	kbpf_scalar_const(&a, 0x10);
	kbpf_scalar_unknown(&b);
	b.u32_min = 0xfffffff0;
	KUNIT_ASSERT_TRUE(test, kbpf_scalar_normalize(&b));
	KUNIT_EXPECT_EQ(test, kbpf_scalar_alu(&a, &b, &add32), 0);
	KUNIT_EXPECT_EQ(test, a.s32_min, 0);
	KUNIT_EXPECT_EQ(test, a.s32_max, 0x0f);
	KUNIT_EXPECT_EQ(test, a.umax, 0x0f);

	/* Converting to the host's order truncates, keeping the range. */
	if ((__force u32)cpu_to_le32(1) != 1)
		to_host = KBPF_TO_BE(0, 32);
	KUNIT_ASSERT_TRUE(test, make(&a, &(struct operand)
				     OP_U(0x100000000, 0x1000000ff)));
	KUNIT_EXPECT_EQ(test, kbpf_scalar_alu(&a, NULL, &to_host), 0);
	KUNIT_EXPECT_EQ(test, a.umin, 0);
	KUNIT_EXPECT_EQ(test, a.umax, 0xff);

	/* Not an instruction the interpreter runs: nothing changes. */
	bad.off = 1;
	KUNIT_EXPECT_EQ(test, kbpf_scalar_alu(&a, NULL, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, a.umax, 0xff);
}

/*
 * Every ALU form the interpreter runs, with r0 as destination and r2 as
 * source; @imm for the immediate forms that take one.
 */
static const u8 alu_binary_ops[] = {
	BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_OR, BPF_AND,
	BPF_LSH, BPF_RSH, BPF_XOR, BPF_ARSH, BPF_MOV,
};

static const struct bpf_insn alu_other_forms[] = {
	KBPF_SALU64_REG(BPF_DIV, 0, 2), KBPF_SALU64_IMM(BPF_DIV, 0, 0),
	KBPF_SALU32_REG(BPF_DIV, 0, 2), KBPF_SALU32_IMM(BPF_DIV, 0, 0),
	KBPF_SALU64_REG(BPF_MOD, 0, 2), KBPF_SALU64_IMM(BPF_MOD, 0, 0),
	KBPF_SALU32_REG(BPF_MOD, 0, 2), KBPF_SALU32_IMM(BPF_MOD, 0, 0),
	KBPF_NEG64(0), KBPF_NEG32(0),
	KBPF_MOVSX64(0, 2, 8), KBPF_MOVSX64(0, 2, 16), KBPF_MOVSX64(0, 2, 32),
	KBPF_MOVSX32(0, 2, 8), KBPF_MOVSX32(0, 2, 16),
	KBPF_TO_LE(0, 16), KBPF_TO_LE(0, 32), KBPF_TO_LE(0, 64),
	KBPF_TO_BE(0, 16), KBPF_TO_BE(0, 32), KBPF_TO_BE(0, 64),
	KBPF_BSWAP(0, 16), KBPF_BSWAP(0, 32), KBPF_BSWAP(0, 64),
};

#define NR_ALU_FORMS	(ARRAY_SIZE(alu_binary_ops) * 4 + \
			 ARRAY_SIZE(alu_other_forms))

static struct bpf_insn alu_form(unsigned int i, s32 imm)
{
	struct bpf_insn insn;
	u8 class;

	if (i >= ARRAY_SIZE(alu_binary_ops) * 4) {
		insn = alu_other_forms[i - ARRAY_SIZE(alu_binary_ops) * 4];
		if (BPF_OP(insn.code) != BPF_END &&
		    BPF_OP(insn.code) != BPF_NEG &&
		    BPF_SRC(insn.code) == BPF_K)
			insn.imm = imm;
		return insn;
	}
	class = i & 2 ? BPF_ALU : BPF_ALU64;
	if (i & 1)
		return KBPF_INSN(class | alu_binary_ops[i / 4] | BPF_K, 0, 0, 0,
				 imm);
	return KBPF_INSN(class | alu_binary_ops[i / 4] | BPF_X, 0, 2, 0, 0);
}

static const u8 jmp_ops[] = {
	BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE,
	BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE, BPF_JSET,
};

#define NR_JMP_FORMS	(ARRAY_SIZE(jmp_ops) * 4)

/* Every conditional jump, comparing r1 with r2 or @imm. */
static struct bpf_insn jmp_form(unsigned int i, s32 imm)
{
	u8 class = i & 2 ? BPF_JMP32 : BPF_JMP;

	if (i & 1)
		return KBPF_INSN(class | jmp_ops[i / 4] | BPF_K, 1, 0, 1, imm);
	return KBPF_INSN(class | jmp_ops[i / 4] | BPF_X, 1, 2, 1, 0);
}

/* Run @insn in r0 = x; r0 OP= y or imm; exit, or test it as a jump. */
static u64 interp_run(const struct bpf_insn *insn, u64 x, u64 y)
{
	struct bpf_insn prog[4] = {
		KBPF_MOV64_REG(0, 1), *insn, KBPF_EXIT(),
	};
	struct kbpf_interp_prog p = { .insns = prog, .len = 3 };
	u64 args[2] = { x, y }, r0 = 0;
	u8 class = BPF_CLASS(insn->code);

	if (class == BPF_JMP || class == BPF_JMP32) {
		/* r0 = 1 where the jump skips the mov of 0. */
		prog[0] = KBPF_MOV64_IMM(0, 1);
		prog[1] = *insn;
		prog[2] = KBPF_MOV64_IMM(0, 0);
		prog[3] = KBPF_EXIT();
		p.len = 4;
	}
	if (kbpf_interp_prepare(&p) || kbpf_interp_exec(&p, args, 2, &r0))
		return ~0ULL;
	return r0;
}

/* Constant operands give a constant: the interpreter's result. */
static bool const_gives_const(const struct bpf_insn *insn, u64 x, u64 y)
{
	u64 want = interp_run(insn, x, y);
	struct kbpf_scalar a, b;

	kbpf_scalar_const(&a, x);
	kbpf_scalar_const(&b, y);
	return !kbpf_scalar_alu(&a, &b, insn) && kbpf_scalar_is_const(&a) &&
	       a.var.value == want && kbpf_scalar_contains(&a, want);
}

static void alu_const_test(struct kunit *test)
{
	static const u64 values[] = {
		0, 1, 7, 0x80, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000005, SIGN64, ~0ULL, -7ULL, 63, 64,
	};
	unsigned int i, n, x, y;
	struct bpf_insn insn;
	bool ok;

	for (i = 0; i < NR_ALU_FORMS; i++) {
		for (n = 0; n < ARRAY_SIZE(values) * ARRAY_SIZE(values); n++) {
			x = n % ARRAY_SIZE(values);
			y = n / ARRAY_SIZE(values);
			insn = alu_form(i, values[y]);
			ok = const_gives_const(&insn, values[x], values[y]);
			KUNIT_EXPECT_TRUE_MSG(test, ok,
					      "code 0x%02x off %d imm %d: 0x%llx, 0x%llx",
					      insn.code, insn.off, insn.imm,
					      values[x], values[y]);
			if (!ok)
				return;
		}
	}
}

/**
 * struct branch_case - narrowing on one edge of a conditional jump
 * @name: what is tested
 * @insn: the jump, r0 against r1 or an immediate
 * @a: r0 before
 * @b: r1 before
 * @taken: the edge
 * @possible: whether the edge can be taken; the rest is not checked if not
 * @want: r0's range on the edge
 * @want2: its range in the other order, when that crosses @want's wrap point
 */
struct branch_case {
	const char *name;
	struct bpf_insn insn;
	struct operand a, b;
	bool taken, possible;
	struct operand want, want2;
};

#define TAKEN		.taken = true, .possible = true
#define FALLS		.taken = false, .possible = true
#define NEVER_TAKEN	.taken = true, .possible = false

static const struct branch_case branch_cases[] = {
	{ "jgt", KBPF_JMP_IMM(BPF_JGT, 0, 10, 0), OP_U(0, 100), {}, TAKEN,
	  .want = OP_U(11, 100) },
	{ "jgt falls", KBPF_JMP_IMM(BPF_JGT, 0, 10, 0), OP_U(0, 100), {},
	  FALLS, .want = OP_U(0, 10) },
	{ "jge reg", KBPF_JMP_REG(BPF_JGE, 0, 1, 0), OP_U(0, 100),
	  OP_U(50, 60), TAKEN, .want = OP_U(50, 100) },
	{ "jge reg falls", KBPF_JMP_REG(BPF_JGE, 0, 1, 0), OP_U(0, 100),
	  OP_U(50, 60), FALLS, .want = OP_U(0, 59) },
	{ "jlt", KBPF_JMP_IMM(BPF_JLT, 0, 5, 0), OP_U(0, 100), {}, TAKEN,
	  .want = OP_U(0, 4) },
	{ "jle falls", KBPF_JMP_IMM(BPF_JLE, 0, 5, 0), OP_U(0, 100), {},
	  FALLS, .want = OP_U(6, 100) },
	{ "jsgt", KBPF_JMP_IMM(BPF_JSGT, 0, -1, 0), OP_S(-10, 10), {}, TAKEN,
	  .want = OP_U(0, 10) },
	{ "jsge falls", KBPF_JMP_IMM(BPF_JSGE, 0, 0, 0), OP_S(-10, 10), {},
	  FALLS, .want = OP_S(-10, -1) },
	{ "jslt", KBPF_JMP_IMM(BPF_JSLT, 0, 0, 0), OP_S(-10, 10), {}, TAKEN,
	  .want = OP_S(-10, -1) },
	{ "jsle", KBPF_JMP_IMM(BPF_JSLE, 0, 3, 0), OP_S(-10, 10), {}, TAKEN,
	  .want = OP_U(0, ~0ULL), .want2 = OP_S(-10, 3) },
	{ "jeq", KBPF_JMP_IMM(BPF_JEQ, 0, 7, 0), OP_U(0, 100), {}, TAKEN,
	  .want = OP_C(7) },
	{ "jeq falls", KBPF_JMP_IMM(BPF_JEQ, 0, 7, 0), OP_U(7, 10), {}, FALLS,
	  .want = OP_U(8, 10) },
	{ "jeq reg", KBPF_JMP_REG(BPF_JEQ, 0, 1, 0), OP_U(0, 100),
	  OP_U(50, 200), TAKEN, .want = OP_U(50, 100) },
	{ "jne of the same constant", KBPF_JMP_IMM(BPF_JNE, 0, 7, 0), OP_C(7),
	  {}, NEVER_TAKEN },
	{ "jne falls", KBPF_JMP_IMM(BPF_JNE, 0, 7, 0), OP_U(0, 100), {}, FALLS,
	  .want = OP_C(7) },
	{ "jset", KBPF_JMP_IMM(BPF_JSET, 0, 8, 0), OP_U(0, 15), {}, TAKEN,
	  .want = OP_U(8, 15) },
	{ "jset falls", KBPF_JMP_IMM(BPF_JSET, 0, 8, 0), OP_U(0, 15), {},
	  FALLS, .want = OP_U(0, 7) },
	{ "jset reg falls", KBPF_JMP_REG(BPF_JSET, 0, 1, 0), OP_U(0, 15),
	  OP_C(3), FALLS, .want = OP_U(0, 12) },
	{ "jgt out of range", KBPF_JMP_IMM(BPF_JGT, 0, 100, 0), OP_U(0, 50),
	  {}, NEVER_TAKEN },
	{ "jeq imm sign-extends", KBPF_JMP_IMM(BPF_JEQ, 0, -1, 0), OP_ANY, {},
	  TAKEN, .want = OP_C(~0ULL) },
	{ "jeq32 narrows the low half", KBPF_JMP32_IMM(BPF_JEQ, 0, -1, 0),
	  OP_ANY, {}, TAKEN, .want = OP_U(0xffffffff, ~0ULL),
	  .want2 = OP_S((s64)0x80000000ffffffffULL, (s64)(~0ULL >> 1)) },
	{ "jlt32", KBPF_JMP32_IMM(BPF_JLT, 0, 5, 0), OP_ANY, {}, TAKEN,
	  .want = OP_U(0, 0xffffffff00000004ULL),
	  .want2 = OP_S((s64)SIGN64, 0x7fffffff00000004LL) },
	{ "jgt32 of the low half", KBPF_JMP32_IMM(BPF_JGT, 0, 5, 0),
	  OP_C(0x100000003), {}, NEVER_TAKEN },
	{ "jsgt32", KBPF_JMP32_IMM(BPF_JSGT, 0, -1, 0), OP_U(0, 0xffffffff),
	  {}, TAKEN, .want = OP_U(0, 0x7fffffff) },
};

static void branch_known_answer_test(struct kunit *test)
{
	struct kbpf_scalar a, b;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(branch_cases); i++) {
		const struct branch_case *c = &branch_cases[i];
		bool possible;

		KUNIT_ASSERT_TRUE(test, make(&a, &c->a) && make(&b, &c->b));
		possible = kbpf_scalar_branch(&a, &b, &c->insn, c->taken);
		KUNIT_EXPECT_EQ_MSG(test, possible, c->possible, "%s", c->name);
		if (!possible || !c->possible)
			continue;
		expect_range(test, &a, &c->want, c->name);
		expect_range(test, &a, &c->want2, c->name);
	}
}

/* A register operand is narrowed too. */
static void branch_src_test(struct kunit *test)
{
	struct bpf_insn jlt = KBPF_JMP_REG(BPF_JLT, 0, 1, 0);
	struct kbpf_scalar a, b;

	KUNIT_ASSERT_TRUE(test, make(&a, &(struct operand)OP_U(50, 60)));
	KUNIT_ASSERT_TRUE(test, make(&b, &(struct operand)OP_U(0, 100)));
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_branch(&a, &b, &jlt, true));
	KUNIT_EXPECT_EQ(test, b.umin, 51);
	KUNIT_EXPECT_EQ(test, b.umax, 100);
	KUNIT_EXPECT_EQ(test, a.umax, 60);
}

/**
 * struct cond_case - a condition the operands decide, or not
 * @name: what is tested
 * @insn: the jump, r0 against r1 or an immediate
 * @a: r0
 * @b: r1
 * @want: the decision
 */
struct cond_case {
	const char *name;
	struct bpf_insn insn;
	struct operand a, b;
	enum kbpf_cond want;
};

static const struct cond_case cond_cases[] = {
	{ "jgt never", KBPF_JMP_IMM(BPF_JGT, 0, 100, 0), OP_U(0, 50), {},
	  KBPF_COND_FALSE },
	{ "jgt always", KBPF_JMP_IMM(BPF_JGT, 0, 100, 0), OP_U(200, 300), {},
	  KBPF_COND_TRUE },
	{ "jgt either", KBPF_JMP_IMM(BPF_JGT, 0, 100, 0), OP_U(0, 200), {},
	  KBPF_COND_UNKNOWN },
	{ "jset always", KBPF_JMP_IMM(BPF_JSET, 0, 1, 0), OP_C(3), {},
	  KBPF_COND_TRUE },
	{ "jset never", KBPF_JMP_IMM(BPF_JSET, 0, 0xf0, 0), OP_U(0, 15), {},
	  KBPF_COND_FALSE },
	{ "jeq32 of the low half", KBPF_JMP32_IMM(BPF_JEQ, 0, 5, 0),
	  OP_C(0x100000005), {}, KBPF_COND_TRUE },
	{ "jeq of the whole", KBPF_JMP_IMM(BPF_JEQ, 0, 5, 0),
	  OP_C(0x100000005), {}, KBPF_COND_FALSE },
	{ "jslt reg", KBPF_JMP_REG(BPF_JSLT, 0, 1, 0), OP_S(-5, -1),
	  OP_S(0, 10), KBPF_COND_TRUE },
	{ "jne of disjoint ranges", KBPF_JMP_REG(BPF_JNE, 0, 1, 0),
	  OP_U(0, 3), OP_U(10, 20), KBPF_COND_TRUE },
	{ "jle32", KBPF_JMP32_IMM(BPF_JLE, 0, 0x10, 0),
	  OP_U(0x500000000, 0x500000010), {}, KBPF_COND_TRUE },
	{ "jsge", KBPF_JMP_REG(BPF_JSGE, 0, 1, 0), OP_S(-5, 5), OP_S(-5, 5),
	  KBPF_COND_UNKNOWN },
	{ "not a condition", KBPF_JA(0), OP_ANY, {}, KBPF_COND_UNKNOWN },
};

static void cond_test(struct kunit *test)
{
	struct kbpf_scalar a, b;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cond_cases); i++) {
		const struct cond_case *c = &cond_cases[i];

		KUNIT_ASSERT_TRUE(test, make(&a, &c->a) && make(&b, &c->b));
		KUNIT_EXPECT_EQ_MSG(test, kbpf_scalar_cond(&a, &b, &c->insn),
				    c->want, "%s", c->name);
	}
}

static void normalize_test(struct kunit *test)
{
	struct kbpf_scalar s;

	/* Contradictions between views. */
	kbpf_scalar_const(&s, 4);
	s.umin = 5;
	s.umax = 9;
	KUNIT_EXPECT_FALSE(test, kbpf_scalar_normalize(&s));
	KUNIT_ASSERT_TRUE(test, make(&s, &(struct operand)OP_U(0, 4)));
	s.u32_min = 5;
	KUNIT_EXPECT_FALSE(test, kbpf_scalar_normalize(&s));
	KUNIT_ASSERT_TRUE(test, make(&s, &(struct operand)OP_U(0, 100)));
	s.smin = -5;
	s.smax = -1;
	KUNIT_EXPECT_FALSE(test, kbpf_scalar_normalize(&s));

	/* A signed range that does not cross 0 bounds the unsigned one. */
	KUNIT_ASSERT_TRUE(test, make(&s, &(struct operand)OP_S(0, 100)));
	KUNIT_EXPECT_EQ(test, s.umax, 100);
	KUNIT_EXPECT_EQ(test, s.var.mask, 0x7f);
	KUNIT_EXPECT_EQ(test, s.u32_max, 100);
	KUNIT_EXPECT_EQ(test, s.s32_min, 0);

	/* The tnum moves range ends to its members. */
	kbpf_scalar_unknown(&s);
	s.var.mask = ~1ULL;
	s.umin = 1;
	s.umax = 5;
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_normalize(&s));
	KUNIT_EXPECT_EQ(test, s.umin, 2);
	KUNIT_EXPECT_EQ(test, s.umax, 4);

	/* The low half's range moves the 64-bit ends between blocks. */
	KUNIT_ASSERT_TRUE(test, make(&s, &(struct operand)
				     OP_U(0x100000005, 0x200000000)));
	s.u32_max = 4;
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_normalize(&s));
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_is_const(&s));
	KUNIT_EXPECT_EQ(test, s.umin, 0x200000000);

	/* The ranges of a constant's views make it a constant. */
	kbpf_scalar_unknown(&s);
	s.smin = -3;
	s.smax = -3;
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_normalize(&s));
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_is_const(&s));
	KUNIT_EXPECT_EQ(test, s.var.value, -3ULL);
	KUNIT_EXPECT_EQ(test, s.s32_min, -3);
}

static void join_subset_test(struct kunit *test)
{
	struct kbpf_scalar a, b;

	kbpf_scalar_const(&a, 1);
	kbpf_scalar_const(&b, 3);
	kbpf_scalar_join(&a, &b);
	KUNIT_EXPECT_EQ(test, a.umin, 1);
	KUNIT_EXPECT_EQ(test, a.umax, 3);
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_contains(&a, 1));
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_contains(&a, 3));
	/* Bit 0 stays known: 2 is not in the join. */
	KUNIT_EXPECT_FALSE(test, kbpf_scalar_contains(&a, 2));
	KUNIT_EXPECT_FALSE(test, kbpf_scalar_contains(&a, 5));

	KUNIT_EXPECT_TRUE(test, kbpf_scalar_subset(&b, &a));
	KUNIT_EXPECT_FALSE(test, kbpf_scalar_subset(&a, &b));
	kbpf_scalar_unknown(&b);
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_subset(&a, &b));
	KUNIT_EXPECT_FALSE(test, kbpf_scalar_subset(&b, &a));
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_contains(&b, SIGN64));

	/* Joining with an unknown scalar gives an unknown scalar. */
	kbpf_scalar_join(&a, &b);
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_subset(&b, &a));
}

static void load_test(struct kunit *test)
{
	struct kbpf_scalar s;

	kbpf_scalar_from_load(&s, 1, false);
	KUNIT_EXPECT_EQ(test, s.umin, 0);
	KUNIT_EXPECT_EQ(test, s.umax, 0xff);
	KUNIT_EXPECT_EQ(test, s.var.mask, 0xff);
	kbpf_scalar_from_load(&s, 2, true);
	KUNIT_EXPECT_EQ(test, s.smin, -0x8000);
	KUNIT_EXPECT_EQ(test, s.smax, 0x7fff);
	KUNIT_EXPECT_EQ(test, s.s32_min, -0x8000);
	KUNIT_EXPECT_TRUE(test, kbpf_scalar_contains(&s, -1ULL));
	KUNIT_EXPECT_FALSE(test, kbpf_scalar_contains(&s, 0x8000));
	kbpf_scalar_from_load(&s, 4, false);
	KUNIT_EXPECT_EQ(test, s.umax, 0xffffffff);
	KUNIT_EXPECT_EQ(test, s.smin, 0);
	kbpf_scalar_from_load(&s, 8, true);
	KUNIT_EXPECT_EQ(test, s.var.mask, ~0ULL);
}

/* xorshift64: a small PRNG that gives the same samples everywhere. */
static u64 next_random(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Values near the edges that overflow and sign checks trip on. */
static u64 random_value(u64 *state)
{
	u64 r = next_random(state);
	u64 small = ((r >> 8) & 31) - 16;

	switch (r & 7) {
	case 0:
		return small;
	case 1:
		return 0x80000000 + small;
	case 2:
		return 0x100000000 + small;
	case 3:
		return SIGN64 + small;
	case 4:
		return small << ((r >> 16) & 63);
	case 5:
		return (u32)next_random(state);
	default:
		return next_random(state);
	}
}

#define MAX_MEMBERS	3

/**
 * struct sample - a random abstract operand and the values it was made of
 * @s: the join of @v
 * @v: the values
 * @n: how many
 */
struct sample {
	struct kbpf_scalar s;
	u64 v[MAX_MEMBERS];
	unsigned int n;
};

/* Values close together half of the time, so ranges are narrow too. */
static void random_sample(struct sample *smp, u64 *state)
{
	unsigned int i;

	smp->n = 1 + next_random(state) % MAX_MEMBERS;
	smp->v[0] = random_value(state);
	kbpf_scalar_const(&smp->s, smp->v[0]);
	for (i = 1; i < smp->n; i++) {
		struct kbpf_scalar one;

		if (next_random(state) & 1)
			smp->v[i] = random_value(state);
		else
			smp->v[i] = smp->v[0] + (next_random(state) & 15);
		kbpf_scalar_const(&one, smp->v[i]);
		kbpf_scalar_join(&smp->s, &one);
	}
}

/*
 * One random instruction on two random operands: every pair of their
 * values must give a result the abstract result holds, or an edge the
 * refinement keeps both values on.
 */
static bool random_check(const struct sample *a, const struct sample *b,
			 u32 pick, s32 imm, struct bpf_insn *insn, u64 *x,
			 u64 *y)
{
	enum kbpf_cond cond = KBPF_COND_UNKNOWN;
	struct kbpf_scalar r, d[2], s[2];
	unsigned int i, j, nb = b->n;
	bool is_alu = pick % 2, possible[2] = { false, false };
	const u64 *bv = b->v;
	u64 kv, out;

	if (is_alu) {
		*insn = alu_form(pick / 2 % NR_ALU_FORMS, imm);
		r = a->s;
		if (kbpf_scalar_alu(&r, &b->s, insn))
			return false;
	} else {
		*insn = jmp_form(pick / 2 % NR_JMP_FORMS, imm);
		cond = kbpf_scalar_cond(&a->s, &b->s, insn);
		for (i = 0; i < 2; i++) {
			d[i] = a->s;
			s[i] = b->s;
			possible[i] = kbpf_scalar_branch(&d[i], &s[i], insn, i);
		}
	}
	if (BPF_SRC(insn->code) == BPF_K) {
		kv = (u64)(s64)imm;
		bv = &kv;
		nb = 1;
	}
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < nb; j++) {
			*x = a->v[i];
			*y = bv[j];
			out = interp_run(insn, *x, *y);
			if (is_alu) {
				if (!kbpf_scalar_contains(&r, out))
					return false;
				continue;
			}
			out = !!out;
			if ((cond == KBPF_COND_TRUE && !out) ||
			    (cond == KBPF_COND_FALSE && out) || !possible[out])
				return false;
			if (!kbpf_scalar_contains(&d[out], *x))
				return false;
			if (BPF_SRC(insn->code) == BPF_X &&
			    !kbpf_scalar_contains(&s[out], *y))
				return false;
		}
	}
	return true;
}

#define RANDOM_SAMPLES	3000

static void random_soundness_test(struct kunit *test)
{
	u64 state = 0x6b627066u, x = 0, y = 0;
	struct sample a, b;
	struct bpf_insn insn;
	unsigned int n;
	bool ok;

	for (n = 0; n < RANDOM_SAMPLES; n++) {
		random_sample(&a, &state);
		random_sample(&b, &state);
		ok = random_check(&a, &b, next_random(&state),
				  random_value(&state), &insn, &x, &y);
		KUNIT_EXPECT_TRUE_MSG(test, ok,
				      "sample %u: code 0x%02x off %d imm %d: 0x%llx, 0x%llx",
				      n, insn.code, insn.off, insn.imm, x, y);
		if (!ok)
			return;
	}
}

static struct kunit_case kbpf_scalar_test_cases[] = {
	KUNIT_CASE(tnum_basic_test),
	KUNIT_CASE(tnum_arith_test),
	KUNIT_CASE(tnum_width_test),
	KUNIT_CASE(tnum_ceil_floor_test),
	KUNIT_CASE(alu_known_answer_test),
	KUNIT_CASE(alu_precision_test),
	KUNIT_CASE(alu_const_test),
	KUNIT_CASE(branch_known_answer_test),
	KUNIT_CASE(branch_src_test),
	KUNIT_CASE(cond_test),
	KUNIT_CASE(normalize_test),
	KUNIT_CASE(join_subset_test),
	KUNIT_CASE(load_test),
	KUNIT_CASE(random_soundness_test),
	{}
};

static struct kunit_suite kbpf_scalar_test_suite = {
	.name = "kbpf_scalar",
	.test_cases = kbpf_scalar_test_cases,
};

kunit_test_suite(kbpf_scalar_test_suite);

MODULE_DESCRIPTION("KUnit tests for the kbpf verifier's scalar domain");
MODULE_LICENSE("GPL");
