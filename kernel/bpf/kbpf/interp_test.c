// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kbpf's interpreter: every opcode and its edge cases.
 *
 * The same file runs in the kernel (CONFIG_KBPF_KUNIT_TEST) and in
 * the host harness, which supplies a small KUnit of its own, so both builds
 * of the interpreter answer the same questions.
 *
 * Every program starts with r1 = &ctx and r2 = sizeof(ctx.mem), where
 * ctx.mem[i] = 0x10 + i. LD_ABS and LD_IND read ctx.mem as the packet
 * (through r6, as the ISA says). ctx.a and ctx.b are the case's operands.
 * Helper 1 returns the sum of its five arguments; ctx.map is the program
 * array tail calls use.
 */

#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "insn.h"
#include "interp.h"
#include "jit.h"

#define MEM_SIZE	32
#define MAX_CASE_INSNS	20

struct test_array {
	const struct kbpf_interp_prog *progs[3];
};

struct test_ctx {
	u8 mem[MEM_SIZE];
	u64 counter;
	struct test_array *map;
	u64 a, b;
};

#define CTX_COUNTER	offsetof(struct test_ctx, counter)
#define CTX_MAP		offsetof(struct test_ctx, map)
#define CTX_A		offsetof(struct test_ctx, a)
#define CTX_B		offsetof(struct test_ctx, b)

/**
 * struct interp_case - one program and what running it gives
 * @name: what is tested
 * @insns: the program; its length is up to the last slot with an opcode,
 *	since no program ends in the second slot of an LD_IMM64
 * @stack_depth: stack of the first frame; 0 means KBPF_STACK_SIZE
 * @a: operand the program may load from the context
 * @b: another
 * @err: what kbpf_interp_exec() returns
 * @unverifiable: it reads what no verified program reads (a register
 *	never written); the JIT, which trusts the verifier, does not run it
 * @want: r0 at exit
 */
struct interp_case {
	const char *name;
	struct bpf_insn insns[MAX_CASE_INSNS];
	u32 stack_depth;
	u64 a, b;
	int err;
	bool unverifiable;
	u64 want;
};

#define PROG(...)	.insns = { __VA_ARGS__ }

static u32 case_len(const struct interp_case *c)
{
	u32 len = MAX_CASE_INSNS;

	while (len && !c->insns[len - 1].code)
		len--;
	return len;
}

/* Load the case's operands a and b from the context. */
#define LOAD_A(reg)	KBPF_LDX_MEM(BPF_DW, reg, 1, CTX_A)
#define LOAD_B(reg)	KBPF_LDX_MEM(BPF_DW, reg, 1, CTX_B)

/* r0 = a OP imm or a OP b, computed by the ALU, then exit. */
#define R0_ALU64_IMM(op, imm) .insns = {				\
	LOAD_A(0), KBPF_ALU64_IMM(op, 0, imm), KBPF_EXIT() }
#define R0_ALU64_REG(op) .insns = {					\
	LOAD_A(0), LOAD_B(3), KBPF_ALU64_REG(op, 0, 3), KBPF_EXIT() }
#define R0_ALU32_IMM(op, imm) .insns = {				\
	LOAD_A(0), KBPF_ALU32_IMM(op, 0, imm), KBPF_EXIT() }
#define R0_ALU32_REG(op) .insns = {					\
	LOAD_A(0), LOAD_B(3), KBPF_ALU32_REG(op, 0, 3), KBPF_EXIT() }
/* r0 = a, byte-swapped by @insn. */
#define SWAP(insn) .insns = { LOAD_A(0), insn, KBPF_EXIT() }

static u64 test_helper_sum(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return r1 + r2 + r3 + r4 + r5;
}

static const kbpf_helper_fn test_helpers[] = {
	[1] = test_helper_sum,
};

static const struct kbpf_interp_prog *const *test_tail_call_slot(void *map, u32 index)
{
	struct test_array *array = map;

	if (index >= ARRAY_SIZE(array->progs))
		return NULL;
	return &array->progs[index];
}

static int test_load_packet(const void *ctx, s32 offset, u32 size, void *buf)
{
	const struct test_ctx *tctx = ctx;

	if (offset < 0 || offset + size > MEM_SIZE)
		return -EFAULT;
	memcpy(buf, tctx->mem + offset, size);
	return 0;
}

static const struct kbpf_interp_ops test_ops = {
	.helpers = test_helpers,
	.nr_helpers = ARRAY_SIZE(test_helpers),
	.tail_call_slot = test_tail_call_slot,
	.load_packet = test_load_packet,
};

static void test_ctx_init(struct test_ctx *ctx, struct test_array *map,
			  u64 a, u64 b)
{
	int i;

	memset(ctx, 0, sizeof(*ctx));
	for (i = 0; i < MEM_SIZE; i++)
		ctx->mem[i] = 0x10 + i;
	ctx->map = map;
	ctx->a = a;
	ctx->b = b;
}

/*
 * The same case through the JIT, which must give the interpreter's r0.
 * Faults are the interpreter's own guards against what only unverified
 * programs do; the JIT trusts the verifier there, so those cases are not
 * run JITed.
 */
static void run_case_jit(struct kunit *test, const struct interp_case *c,
			 struct kbpf_interp_prog *prog, struct test_array *map)
{
#ifdef CONFIG_KBPF_JIT
	struct test_ctx ctx;
	u64 args[2], r0 = ~0ULL;
	int err;

	if (c->err || c->unverifiable)
		return;
	test_ctx_init(&ctx, map, c->a, c->b);
	args[0] = (unsigned long)&ctx;
	args[1] = MEM_SIZE;
	err = kbpf_jit_exec(prog, args, ARRAY_SIZE(args), &r0);
	KUNIT_EXPECT_EQ_MSG(test, err, 0, "%s: JIT", c->name);
	KUNIT_EXPECT_EQ_MSG(test, r0, c->want, "%s: JITed r0", c->name);
#endif
}

static void run_cases(struct kunit *test, const struct interp_case *cases,
		      size_t nr_cases)
{
	struct test_array map = {};
	struct test_ctx ctx;
	size_t i;

	for (i = 0; i < nr_cases; i++) {
		const struct interp_case *c = &cases[i];
		struct kbpf_interp_prog prog = {
			.insns = c->insns,
			.len = case_len(c),
			.stack_depth = c->stack_depth ?: KBPF_STACK_SIZE,
			.ops = &test_ops,
		};
		u64 args[2], r0 = ~0ULL;
		int err;

		test_ctx_init(&ctx, &map, c->a, c->b);
		args[0] = (unsigned long)&ctx;
		args[1] = MEM_SIZE;
		KUNIT_ASSERT_EQ_MSG(test, kbpf_interp_prepare(&prog), 0,
				    "%s: prepare", c->name);
		err = kbpf_interp_exec(&prog, args, ARRAY_SIZE(args), &r0);
		KUNIT_EXPECT_EQ_MSG(test, err, c->err, "%s: error", c->name);
		KUNIT_EXPECT_EQ_MSG(test, r0, c->want, "%s: r0", c->name);
		run_case_jit(test, c, &prog, &map);
	}
}

static const struct interp_case alu64_cases[] = {
	{ "add", R0_ALU64_IMM(BPF_ADD, -7), .a = 5, .want = -2ULL },
	{ "add reg", R0_ALU64_REG(BPF_ADD), .a = ~0ULL, .b = 2, .want = 1 },
	{ "sub", R0_ALU64_IMM(BPF_SUB, 5), .a = 3, .want = -2ULL },
	{ "sub reg", R0_ALU64_REG(BPF_SUB), .a = 1ULL << 40, .b = 1,
	  .want = (1ULL << 40) - 1 },
	{ "mul", R0_ALU64_IMM(BPF_MUL, 3), .a = 0x100000000ULL,
	  .want = 0x300000000ULL },
	{ "mul reg wraps", R0_ALU64_REG(BPF_MUL), .a = 1ULL << 63, .b = 2,
	  .want = 0 },
	{ "mul imm sign-extends", R0_ALU64_IMM(BPF_MUL, -1), .a = 2,
	  .want = -2ULL },
	{ "or", R0_ALU64_IMM(BPF_OR, 0x0f), .a = 0xf0, .want = 0xff },
	{ "or imm sign-extends", R0_ALU64_IMM(BPF_OR, -2), .a = 0,
	  .want = -2ULL },
	{ "and", R0_ALU64_REG(BPF_AND), .a = 0xff00ff00ff00ff00ULL,
	  .b = 0x0ff00ff00ff00ff0ULL,
	  .want = 0x0f000f000f000f00ULL },
	{ "and imm sign-extends", R0_ALU64_IMM(BPF_AND, -16), .a = ~0ULL,
	  .want = -16ULL },
	{ "xor", R0_ALU64_REG(BPF_XOR), .a = 0xaaaa, .b = 0xffff,
	  .want = 0x5555 },
	{ "lsh", R0_ALU64_IMM(BPF_LSH, 63), .a = 1, .want = 1ULL << 63 },
	{ "lsh masks to 63", R0_ALU64_REG(BPF_LSH), .a = 1, .b = 65,
	  .want = 2 },
	{ "rsh", R0_ALU64_IMM(BPF_RSH, 63), .a = 1ULL << 63, .want = 1 },
	{ "rsh masks to 63", R0_ALU64_REG(BPF_RSH), .a = 8, .b = 67,
	  .want = 1 },
	{ "arsh", R0_ALU64_IMM(BPF_ARSH, 62), .a = 1ULL << 63,
	  .want = -2ULL },
	{ "arsh masks to 63", R0_ALU64_REG(BPF_ARSH), .a = -8ULL, .b = 65,
	  .want = -4ULL },
	{ "div", R0_ALU64_IMM(BPF_DIV, 7), .a = 100, .want = 14 },
	{ "div is unsigned", R0_ALU64_REG(BPF_DIV), .a = -2ULL, .b = 2,
	  .want = 0x7fffffffffffffffULL },
	{ "div imm sign-extends", R0_ALU64_IMM(BPF_DIV, -1), .a = 7,
	  .want = 0 },
	{ "div by zero", R0_ALU64_REG(BPF_DIV), .a = 100, .b = 0, .want = 0 },
	{ "mod", R0_ALU64_IMM(BPF_MOD, 7), .a = 100, .want = 2 },
	{ "mod by zero keeps dst", R0_ALU64_REG(BPF_MOD), .a = 100, .b = 0,
	  .want = 100 },
	{ "sdiv", PROG(KBPF_MOV64_IMM(0, -100), KBPF_SALU64_IMM(BPF_DIV, 0, 7),
		       KBPF_EXIT()), .want = -14ULL },
	{ "sdiv by zero", PROG(KBPF_MOV64_IMM(0, -100), KBPF_MOV64_IMM(1, 0),
			       KBPF_SALU64_REG(BPF_DIV, 0, 1), KBPF_EXIT()),
	  .want = 0 },
	{ "sdiv INT64_MIN by -1", PROG(KBPF_LD_IMM64(0, 1ULL << 63),
				       KBPF_IMM64_HI(1ULL << 63),
				       KBPF_SALU64_IMM(BPF_DIV, 0, -1),
				       KBPF_EXIT()), .want = 1ULL << 63 },
	{ "smod sign follows dividend",
	  PROG(KBPF_MOV64_IMM(0, -100), KBPF_SALU64_IMM(BPF_MOD, 0, 7),
	       KBPF_EXIT()), .want = -2ULL },
	{ "smod negative divisor",
	  PROG(KBPF_MOV64_IMM(0, 100), KBPF_SALU64_IMM(BPF_MOD, 0, -7),
	       KBPF_EXIT()), .want = 2 },
	{ "smod by zero keeps dst",
	  PROG(KBPF_MOV64_IMM(0, -100), KBPF_MOV64_IMM(1, 0),
	       KBPF_SALU64_REG(BPF_MOD, 0, 1), KBPF_EXIT()), .want = -100ULL },
	{ "smod INT64_MIN by -1", PROG(KBPF_LD_IMM64(0, 1ULL << 63),
				       KBPF_IMM64_HI(1ULL << 63),
				       KBPF_SALU64_IMM(BPF_MOD, 0, -1),
				       KBPF_EXIT()), .want = 0 },
	{ "neg", PROG(KBPF_MOV64_IMM(0, 5), KBPF_NEG64(0), KBPF_EXIT()),
	  .want = -5ULL },
	{ "neg INT64_MIN", PROG(KBPF_LD_IMM64(0, 1ULL << 63),
				KBPF_IMM64_HI(1ULL << 63), KBPF_NEG64(0),
				KBPF_EXIT()), .want = 1ULL << 63 },
	{ "mov imm sign-extends", PROG(KBPF_MOV64_IMM(0, -1), KBPF_EXIT()),
	  .want = ~0ULL },
	{ "mov reg", PROG(KBPF_LD_IMM64(1, 0x123456789ULL),
			  KBPF_IMM64_HI(0x123456789ULL),
			  KBPF_MOV64_REG(0, 1), KBPF_EXIT()),
	  .want = 0x123456789ULL },
	{ "movsx 8", PROG(KBPF_MOV64_IMM(1, 0x180), KBPF_MOVSX64(0, 1, 8),
			  KBPF_EXIT()), .want = -128ULL },
	{ "movsx 16", PROG(KBPF_MOV64_IMM(1, 0x18000), KBPF_MOVSX64(0, 1, 16),
			   KBPF_EXIT()), .want = -32768ULL },
	{ "movsx 32", PROG(KBPF_LD_IMM64(1, 0x180000000ULL),
			   KBPF_IMM64_HI(0x180000000ULL),
			   KBPF_MOVSX64(0, 1, 32), KBPF_EXIT()),
	  .want = 0xffffffff80000000ULL },
	{ "movsx 8 positive", PROG(KBPF_MOV64_IMM(1, 0x17f),
				   KBPF_MOVSX64(0, 1, 8), KBPF_EXIT()),
	  .want = 0x7f },
};

static const struct interp_case alu32_cases[] = {
	{ "add wraps and zero-extends",
	  R0_ALU32_IMM(BPF_ADD, 2), .a = 0xffffffffULL, .want = 1 },
	{ "add clears upper half",
	  R0_ALU32_REG(BPF_ADD), .a = 0x500000001ULL, .b = 0x700000001ULL,
	  .want = 2 },
	{ "sub", R0_ALU32_IMM(BPF_SUB, 2), .a = 1, .want = 0xffffffff },
	{ "mul", R0_ALU32_REG(BPF_MUL), .a = 0x10000, .b = 0x10001,
	  .want = 0x10000 },
	{ "or", R0_ALU32_IMM(BPF_OR, 1), .a = 0x100000000ULL, .want = 1 },
	{ "and", R0_ALU32_IMM(BPF_AND, 0xf0), .a = ~0ULL, .want = 0xf0 },
	{ "xor", R0_ALU32_REG(BPF_XOR), .a = ~0ULL, .b = 0xffff,
	  .want = 0xffff0000 },
	{ "lsh", R0_ALU32_IMM(BPF_LSH, 31), .a = 3, .want = 0x80000000 },
	{ "lsh masks to 31", R0_ALU32_REG(BPF_LSH), .a = 1, .b = 33,
	  .want = 2 },
	{ "rsh ignores upper half",
	  R0_ALU32_IMM(BPF_RSH, 4), .a = 0x1ffffffffULL, .want = 0x0fffffff },
	{ "rsh masks to 31", R0_ALU32_REG(BPF_RSH), .a = 8, .b = 35,
	  .want = 1 },
	{ "arsh", R0_ALU32_IMM(BPF_ARSH, 4), .a = 0x80000000,
	  .want = 0xf8000000 },
	{ "arsh masks to 31", R0_ALU32_REG(BPF_ARSH), .a = 0x80000000, .b = 36,
	  .want = 0xf8000000 },
	{ "div", R0_ALU32_IMM(BPF_DIV, 10), .a = 0x100000064ULL, .want = 10 },
	{ "div is unsigned", R0_ALU32_IMM(BPF_DIV, -1), .a = 0xfffffffe,
	  .want = 0 },
	{ "div by zero", R0_ALU32_REG(BPF_DIV), .a = 5, .b = 0x100000000ULL,
	  .want = 0 },
	{ "mod", R0_ALU32_IMM(BPF_MOD, 7), .a = 100, .want = 2 },
	{ "mod by zero keeps low half",
	  R0_ALU32_REG(BPF_MOD), .a = 0x700000005ULL, .b = 0, .want = 5 },
	{ "sdiv", PROG(KBPF_MOV32_IMM(0, -100), KBPF_SALU32_IMM(BPF_DIV, 0, 7),
		       KBPF_EXIT()), .want = 0xfffffff2 },
	{ "sdiv INT32_MIN by -1",
	  PROG(KBPF_MOV32_IMM(0, INT_MIN), KBPF_MOV64_IMM(1, -1),
	       KBPF_SALU32_REG(BPF_DIV, 0, 1), KBPF_EXIT()),
	  .want = 0x80000000 },
	{ "sdiv by zero", PROG(KBPF_MOV32_IMM(0, -5),
			       KBPF_SALU32_IMM(BPF_DIV, 0, 0), KBPF_EXIT()),
	  .want = 0 },
	{ "smod", PROG(KBPF_MOV32_IMM(0, -100), KBPF_SALU32_IMM(BPF_MOD, 0, 7),
		       KBPF_EXIT()), .want = 0xfffffffe },
	{ "smod INT32_MIN by -1",
	  PROG(KBPF_MOV32_IMM(0, INT_MIN), KBPF_SALU32_IMM(BPF_MOD, 0, -1),
	       KBPF_EXIT()), .want = 0 },
	{ "smod by zero keeps low half",
	  PROG(KBPF_LD_IMM64(0, 0x1fffffff6ULL), KBPF_IMM64_HI(0x1fffffff6ULL),
	       KBPF_SALU32_IMM(BPF_MOD, 0, 0), KBPF_EXIT()),
	  .want = 0xfffffff6 },
	{ "neg", PROG(KBPF_MOV64_IMM(0, 1), KBPF_NEG32(0), KBPF_EXIT()),
	  .want = 0xffffffff },
	{ "mov imm zero-extends", PROG(KBPF_MOV32_IMM(0, -1), KBPF_EXIT()),
	  .want = 0xffffffff },
	{ "mov reg zero-extends", PROG(KBPF_MOV64_IMM(1, -2),
				       KBPF_MOV32_REG(0, 1), KBPF_EXIT()),
	  .want = 0xfffffffe },
	{ "movsx 8", PROG(KBPF_MOV64_IMM(1, 0x80), KBPF_MOVSX32(0, 1, 8),
			  KBPF_EXIT()), .want = 0xffffff80 },
	{ "movsx 16", PROG(KBPF_MOV64_IMM(1, 0x8001), KBPF_MOVSX32(0, 1, 16),
			   KBPF_EXIT()), .want = 0xffff8001 },
};

static const struct interp_case byteswap_cases[] = {
	{ "be16", SWAP(KBPF_TO_BE(0, 16)), .a = 0x1122334455667788ULL,
	  .want = 0x8877 },
	{ "be32", SWAP(KBPF_TO_BE(0, 32)), .a = 0x1122334455667788ULL,
	  .want = 0x88776655 },
	{ "be64", SWAP(KBPF_TO_BE(0, 64)), .a = 0x1122334455667788ULL,
	  .want = 0x8877665544332211ULL },
	{ "le16 truncates", SWAP(KBPF_TO_LE(0, 16)), .a = 0x1122334455667788ULL,
	  .want = 0x7788 },
	{ "le32 truncates", SWAP(KBPF_TO_LE(0, 32)), .a = 0x1122334455667788ULL,
	  .want = 0x55667788 },
	{ "le64", SWAP(KBPF_TO_LE(0, 64)), .a = 0x1122334455667788ULL,
	  .want = 0x1122334455667788ULL },
	{ "bswap16", SWAP(KBPF_BSWAP(0, 16)), .a = 0x1122334455667788ULL,
	  .want = 0x8877 },
	{ "bswap32", SWAP(KBPF_BSWAP(0, 32)), .a = 0x1122334455667788ULL,
	  .want = 0x88776655 },
	{ "bswap64", SWAP(KBPF_BSWAP(0, 64)), .a = 0x1122334455667788ULL,
	  .want = 0x8877665544332211ULL },
};

static const struct interp_case mem_cases[] = {
	{ "lddw", PROG(KBPF_LD_IMM64(0, 0x8000000000000001ULL),
		       KBPF_IMM64_HI(0x8000000000000001ULL), KBPF_EXIT()),
	  .want = 0x8000000000000001ULL },
	{ "lddw pseudo source loads imm as is",
	  PROG(KBPF_LD_IMM64_SRC(0, BPF_PSEUDO_MAP_VALUE, 0x100000002ULL),
	       KBPF_IMM64_HI(0x100000002ULL),
	       KBPF_EXIT()), .want = 0x100000002ULL },
	{ "ldxb", PROG(KBPF_LDX_MEM(BPF_B, 0, 1, 3), KBPF_EXIT()),
	  .want = 0x13 },
	{ "ldxh", PROG(KBPF_LDX_MEM(BPF_H, 0, 1, 2), KBPF_EXIT()),
	  .want = 0x1312 },
	{ "ldxw", PROG(KBPF_LDX_MEM(BPF_W, 0, 1, 4), KBPF_EXIT()),
	  .want = 0x17161514 },
	{ "ldxdw", PROG(KBPF_LDX_MEM(BPF_DW, 0, 1, 8), KBPF_EXIT()),
	  .want = 0x1f1e1d1c1b1a1918ULL },
	{ "ldxdw negative offset",
	  PROG(KBPF_MOV64_REG(2, 1), KBPF_ALU64_IMM(BPF_ADD, 2, 16),
	       KBPF_LDX_MEM(BPF_DW, 0, 2, -8), KBPF_EXIT()),
	  .want = 0x1f1e1d1c1b1a1918ULL },
	{ "ldxsb", PROG(KBPF_ST_MEM(BPF_B, 1, 0, 0x80),
			KBPF_LDX_MEMSX(BPF_B, 0, 1, 0), KBPF_EXIT()),
	  .want = -128ULL },
	{ "ldxsh", PROG(KBPF_ST_MEM(BPF_H, 1, 0, 0x8000),
			KBPF_LDX_MEMSX(BPF_H, 0, 1, 0), KBPF_EXIT()),
	  .want = -32768ULL },
	{ "ldxsw", PROG(KBPF_ST_MEM(BPF_W, 1, 0, -2),
			KBPF_LDX_MEMSX(BPF_W, 0, 1, 0), KBPF_EXIT()),
	  .want = -2ULL },
	{ "ldxsb positive", PROG(KBPF_LDX_MEMSX(BPF_B, 0, 1, 5), KBPF_EXIT()),
	  .want = 0x15 },
	{ "stb writes one byte",
	  PROG(KBPF_ST_MEM(BPF_B, 1, 1, 0xab), KBPF_LDX_MEM(BPF_W, 0, 1, 0),
	       KBPF_EXIT()), .want = 0x1312ab10 },
	{ "sth", PROG(KBPF_ST_MEM(BPF_H, 1, 0, 0xabcd),
		      KBPF_LDX_MEM(BPF_W, 0, 1, 0), KBPF_EXIT()),
	  .want = 0x1312abcd },
	{ "stw", PROG(KBPF_ST_MEM(BPF_W, 1, 0, 0x01020304),
		      KBPF_LDX_MEM(BPF_DW, 0, 1, 0), KBPF_EXIT()),
	  .want = 0x1716151401020304ULL },
	{ "stdw sign-extends imm", PROG(KBPF_ST_MEM(BPF_DW, 1, 0, -1),
					KBPF_LDX_MEM(BPF_DW, 0, 1, 0),
					KBPF_EXIT()), .want = ~0ULL },
	{ "stxb", PROG(KBPF_MOV64_IMM(2, 0x1ff), KBPF_STX_MEM(BPF_B, 1, 2, 0),
		       KBPF_LDX_MEM(BPF_H, 0, 1, 0), KBPF_EXIT()),
	  .want = 0x11ff },
	{ "stxh", PROG(KBPF_MOV64_IMM(2, 0x1ffff), KBPF_STX_MEM(BPF_H, 1, 2, 0),
		       KBPF_LDX_MEM(BPF_W, 0, 1, 0), KBPF_EXIT()),
	  .want = 0x1312ffff },
	{ "stxw", PROG(KBPF_LD_IMM64(2, 0x1aabbccddULL),
		       KBPF_IMM64_HI(0x1aabbccddULL),
		       KBPF_STX_MEM(BPF_W, 1, 2, 4),
		       KBPF_LDX_MEM(BPF_DW, 0, 1, 0), KBPF_EXIT()),
	  .want = 0xaabbccdd13121110ULL },
	{ "stxdw on the stack",
	  PROG(KBPF_LD_IMM64(2, 0x0102030405060708ULL),
	       KBPF_IMM64_HI(0x0102030405060708ULL),
	       KBPF_STX_MEM(BPF_DW, 10, 2, -8),
	       KBPF_LDX_MEM(BPF_DW, 0, 10, -8), KBPF_EXIT()),
	  .want = 0x0102030405060708ULL },
	{ "whole stack is usable",
	  PROG(KBPF_ST_MEM(BPF_DW, 10, -KBPF_STACK_SIZE, 7),
	       KBPF_LDX_MEM(BPF_DW, 0, 10, -KBPF_STACK_SIZE), KBPF_EXIT()),
	  .want = 7 },
	{ "r2 holds the second argument", PROG(KBPF_MOV64_REG(0, 2),
					       KBPF_EXIT()),
	  .want = MEM_SIZE },
	{ "registers start at zero", PROG(KBPF_MOV64_REG(0, 9), KBPF_EXIT()),
	  .unverifiable = true, .want = 0 },
};

/*
 * [r10 - 8] = a, r0 = @r0, r3 = b, then the atomic @op on [r10 - 8] with
 * r3, then r0 = the memory (MEMORY), r3 (FETCHED) or r0 (R0).
 */
#define ATOMIC(size, op, r0, load) .insns = {				\
	LOAD_A(2), KBPF_STX_MEM(BPF_DW, 10, 2, -8),			\
	KBPF_MOV64_IMM(0, r0), LOAD_B(3),				\
	KBPF_ATOMIC(size, op, 10, 3, -8), load, KBPF_EXIT() }
#define MEMORY	KBPF_LDX_MEM(BPF_DW, 0, 10, -8)
#define FETCHED	KBPF_MOV64_REG(0, 3)
#define R0	KBPF_MOV64_REG(0, 0)

static const struct interp_case atomic_cases[] = {
	{ "add", ATOMIC(BPF_DW, BPF_ADD, 0, MEMORY), .a = 1ULL << 32, .b = 5,
	  .want = (1ULL << 32) + 5 },
	{ "add32 leaves upper half",
	  ATOMIC(BPF_W, BPF_ADD, 0, MEMORY), .a = 0x1ffffffffULL, .b = 1,
	  .want = 0x100000000ULL },
	{ "or", ATOMIC(BPF_DW, BPF_OR, 0, MEMORY), .a = 0xf0,
	  .b = 0xf00000000ULL,
	  .want = 0xf000000f0ULL },
	{ "or32", ATOMIC(BPF_W, BPF_OR, 0, MEMORY), .a = 0xf0, .b = 0x10f,
	  .want = 0x1ff },
	{ "and", ATOMIC(BPF_DW, BPF_AND, 0, MEMORY), .a = 0xff00ff00ff00ULL,
	  .b = 0xfff0,
	  .want = 0xff00 },
	{ "and32", ATOMIC(BPF_W, BPF_AND, 0, MEMORY), .a = 0x5ffffffffULL,
	  .b = 0xf,
	  .want = 0x50000000fULL },
	{ "xor", ATOMIC(BPF_DW, BPF_XOR, 0, MEMORY), .a = ~0ULL, .b = 1,
	  .want = ~1ULL },
	{ "xor32", ATOMIC(BPF_W, BPF_XOR, 0, MEMORY), .a = 0xff, .b = 0xf,
	  .want = 0xf0 },
	{ "no fetch leaves src",
	  ATOMIC(BPF_DW, BPF_ADD, 0, FETCHED), .a = 10, .b = 5, .want = 5 },
	{ "fetch add returns old",
	  ATOMIC(BPF_DW, BPF_ADD | BPF_FETCH, 0, FETCHED), .a = 10, .b = 5,
	  .want = 10 },
	{ "fetch add stores sum",
	  ATOMIC(BPF_DW, BPF_ADD | BPF_FETCH, 0, MEMORY), .a = 10, .b = 5,
	  .want = 15 },
	{ "fetch add32 zero-extends old",
	  ATOMIC(BPF_W, BPF_ADD | BPF_FETCH, 0, FETCHED), .a = 0xfffffffffULL,
	  .b = 1,
	  .want = 0xffffffff },
	{ "fetch add32 wraps",
	  ATOMIC(BPF_W, BPF_ADD | BPF_FETCH, 0, MEMORY), .a = 0x7fffffff,
	  .b = 1,
	  .want = 0x80000000 },
	{ "fetch add wraps",
	  ATOMIC(BPF_DW, BPF_ADD | BPF_FETCH, 0, MEMORY),
	  .a = 0x7fffffffffffffffULL, .b = 1,
	  .want = 0x8000000000000000ULL },
	{ "fetch or", ATOMIC(BPF_DW, BPF_OR | BPF_FETCH, 0, FETCHED), .a = 1,
	  .b = 2,
	  .want = 1 },
	{ "fetch or32 stores",
	  ATOMIC(BPF_W, BPF_OR | BPF_FETCH, 0, MEMORY), .a = 1, .b = 2,
	  .want = 3 },
	{ "fetch and", ATOMIC(BPF_DW, BPF_AND | BPF_FETCH, 0, FETCHED), .a = 3,
	  .b = 6,
	  .want = 3 },
	{ "fetch and32 stores",
	  ATOMIC(BPF_W, BPF_AND | BPF_FETCH, 0, MEMORY), .a = 3, .b = 6,
	  .want = 2 },
	{ "fetch xor", ATOMIC(BPF_DW, BPF_XOR | BPF_FETCH, 0, FETCHED), .a = 3,
	  .b = 6,
	  .want = 3 },
	{ "fetch xor32 stores",
	  ATOMIC(BPF_W, BPF_XOR | BPF_FETCH, 0, MEMORY), .a = 3, .b = 6,
	  .want = 5 },
	{ "xchg returns old",
	  ATOMIC(BPF_DW, BPF_XCHG, 0, FETCHED), .a = 1ULL << 40, .b = 2,
	  .want = 1ULL << 40 },
	{ "xchg stores new", ATOMIC(BPF_DW, BPF_XCHG, 0, MEMORY), .a = 1,
	  .b = 2,
	  .want = 2 },
	{ "xchg32", ATOMIC(BPF_W, BPF_XCHG, 0, MEMORY), .a = 0x700000001ULL,
	  .b = 2,
	  .want = 0x700000002ULL },
	{ "cmpxchg match stores", ATOMIC(BPF_DW, BPF_CMPXCHG, 5, MEMORY),
	  .a = 5, .b = 9,
	  .want = 9 },
	{ "cmpxchg mismatch keeps",
	  ATOMIC(BPF_DW, BPF_CMPXCHG, 4, MEMORY), .a = 5, .b = 9, .want = 5 },
	{ "cmpxchg returns old in r0",
	  ATOMIC(BPF_DW, BPF_CMPXCHG, 4, R0), .a = 5, .b = 9, .want = 5 },
	{ "cmpxchg leaves src", ATOMIC(BPF_DW, BPF_CMPXCHG, 5, FETCHED), .a = 5,
	  .b = 9,
	  .want = 9 },
	{ "cmpxchg32 compares low halves",
	  ATOMIC(BPF_W, BPF_CMPXCHG, -1, MEMORY), .a = 0x1ffffffffULL, .b = 7,
	  .want = 0x100000007ULL },
	{ "cmpxchg32 zero-extends r0",
	  ATOMIC(BPF_W, BPF_CMPXCHG, 4, R0), .a = 0x9ffffffffULL, .b = 7,
	  .want = 0xffffffff },
};

/*
 * r0 = 1 when the jump is taken, 0 when not. Operands: r1 = 1 << 32 | 2
 * (high half set), r2 = -1, r3 = 2, r4 = 1 << 32.
 */
#define JMP(jmp) .insns = {						\
	KBPF_LD_IMM64(1, 0x100000002ULL), KBPF_IMM64_HI(0x100000002ULL), \
	KBPF_MOV64_IMM(2, -1), KBPF_MOV64_IMM(3, 2),			\
	KBPF_LD_IMM64(4, 1ULL << 32), KBPF_IMM64_HI(1ULL << 32),	\
	KBPF_MOV64_IMM(0, 1), jmp, KBPF_MOV64_IMM(0, 0), KBPF_EXIT() }
#define JI(op, a, imm)		JMP(KBPF_JMP_IMM(op, a, imm, 1))
#define JR(op, a, b)		JMP(KBPF_JMP_REG(op, a, b, 1))
#define JI32(op, a, imm)	JMP(KBPF_JMP32_IMM(op, a, imm, 1))
#define JR32(op, a, b)		JMP(KBPF_JMP32_REG(op, a, b, 1))

static const struct interp_case jmp_cases[] = {
	{ "jeq imm", JI(BPF_JEQ, 3, 2), .want = 1 },
	{ "jeq imm not", JI(BPF_JEQ, 1, 2), .want = 0 },
	{ "jeq32 ignores high half", JI32(BPF_JEQ, 1, 2),
	  .want = 1 },
	{ "jeq reg", JR(BPF_JEQ, 3, 3), .want = 1 },
	{ "jeq imm sign-extends", JI(BPF_JEQ, 2, -1),
	  .want = 1 },
	{ "jne", JR(BPF_JNE, 1, 3), .want = 1 },
	{ "jne32", JR32(BPF_JNE, 1, 3), .want = 0 },
	{ "jgt unsigned", JR(BPF_JGT, 2, 3), .want = 1 },
	{ "jgt not", JI(BPF_JGT, 3, 2), .want = 0 },
	{ "jgt32", JR32(BPF_JGT, 1, 3), .want = 0 },
	{ "jge", JI(BPF_JGE, 3, 2), .want = 1 },
	{ "jge32", JI32(BPF_JGE, 2, -1), .want = 1 },
	{ "jlt", JR(BPF_JLT, 3, 1), .want = 1 },
	{ "jlt32", JR32(BPF_JLT, 3, 1), .want = 0 },
	{ "jle", JI(BPF_JLE, 3, 2), .want = 1 },
	{ "jle32 imm", JI32(BPF_JLE, 1, 1), .want = 0 },
	{ "jsgt", JR(BPF_JSGT, 3, 2), .want = 1 },
	{ "jsgt not", JR(BPF_JSGT, 2, 3), .want = 0 },
	{ "jsgt32", JI32(BPF_JSGT, 2, -2), .want = 1 },
	{ "jsge", JI(BPF_JSGE, 2, -1), .want = 1 },
	{ "jsge32", JR32(BPF_JSGE, 2, 3), .want = 0 },
	{ "jslt", JR(BPF_JSLT, 2, 3), .want = 1 },
	{ "jslt32 high half", JI32(BPF_JSLT, 1, 3),
	  .want = 1 },
	{ "jsle", JI(BPF_JSLE, 2, -1), .want = 1 },
	{ "jsle32", JR32(BPF_JSLE, 3, 2), .want = 0 },
	{ "jset", JI(BPF_JSET, 1, 2), .want = 1 },
	{ "jset not", JI(BPF_JSET, 3, 1), .want = 0 },
	{ "jset reg high half", JR(BPF_JSET, 1, 4), .want = 1 },
	{ "jset32 high half", JR32(BPF_JSET, 1, 4), .want = 0 },
	{ "ja backward and forward",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_JA(2), KBPF_ALU64_IMM(BPF_ADD, 0, 1),
	       KBPF_EXIT(), KBPF_ALU64_IMM(BPF_ADD, 0, 2), KBPF_JA(-4)),
	  .want = 3 },
	{ "gotol", PROG(KBPF_MOV64_IMM(0, 1), KBPF_GOTOL(1),
			KBPF_MOV64_IMM(0, 2), KBPF_EXIT()), .want = 1 },
	{ "bounded loop",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_MOV64_IMM(1, 10),
	       KBPF_ALU64_REG(BPF_ADD, 0, 1), KBPF_ALU64_IMM(BPF_SUB, 1, 1),
	       KBPF_JMP_IMM(BPF_JNE, 1, 0, -3), KBPF_EXIT()), .want = 55 },
	{ "may_goto stops a loop",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_MAY_GOTO(2),
	       KBPF_ALU64_IMM(BPF_ADD, 0, 1), KBPF_JA(-3), KBPF_EXIT()),
	  .want = 8 * 1024 * 1024 },
};

/* f(n) calls itself down to f(1), n frames deep, and returns n + 100. */
#define RECURSE(n) .insns = {						\
	KBPF_MOV64_IMM(1, n), KBPF_CALL_LOCAL(1, 8), KBPF_EXIT(),	\
	KBPF_STX_MEM(BPF_DW, 10, 1, -8),				\
	KBPF_JMP_IMM(BPF_JEQ, 1, 1, 2),					\
	KBPF_ALU64_IMM(BPF_SUB, 1, 1), KBPF_CALL_LOCAL(-4, 8),		\
	KBPF_LDX_MEM(BPF_DW, 0, 10, -8),				\
	KBPF_ALU64_IMM(BPF_ADD, 0, 100), KBPF_EXIT() }

static const struct interp_case call_cases[] = {
	{ "helper gets r1-r5",
	  PROG(KBPF_MOV64_IMM(1, 1), KBPF_MOV64_IMM(2, 2), KBPF_MOV64_IMM(3, 3),
	       KBPF_MOV64_IMM(4, 4), KBPF_MOV64_IMM(5, 5),
	       KBPF_CALL_HELPER(1), KBPF_EXIT()), .want = 15 },
	{ "local call keeps r6-r9 and frames apart",
	  PROG(KBPF_MOV64_IMM(6, 6), KBPF_MOV64_IMM(9, 9),
	       KBPF_ST_MEM(BPF_DW, 10, -8, 1), KBPF_MOV64_IMM(1, 40),
	       KBPF_CALL_LOCAL(5, 8),
	       KBPF_LDX_MEM(BPF_DW, 2, 10, -8),
	       KBPF_ALU64_REG(BPF_ADD, 0, 2), KBPF_ALU64_REG(BPF_ADD, 0, 6),
	       KBPF_ALU64_REG(BPF_ADD, 0, 9), KBPF_EXIT(),
	       /* callee: clobber r6, r9 and its own [r10 - 8] */
	       KBPF_ST_MEM(BPF_DW, 10, -8, 1000), KBPF_MOV64_IMM(6, 0),
	       KBPF_MOV64_IMM(9, 0), KBPF_LDX_MEM(BPF_DW, 0, 10, -8),
	       KBPF_ALU64_REG(BPF_ADD, 0, 1), KBPF_EXIT()),
	  .stack_depth = 8, .want = 1040 + 1 + 6 + 9 },
	{ "seven nested calls", RECURSE(7), .stack_depth = 8,
	  .want = 7 + 100 },
	{ "eighth nested call faults", RECURSE(8), .stack_depth = 8,
	  .err = -EFAULT, .want = 0 },
	{ "call past the stack faults",
	  PROG(KBPF_CALL_LOCAL(1, 8), KBPF_EXIT(), KBPF_EXIT()),
	  .err = -EFAULT, .want = 0 },
	{ "frames fill the stack exactly",
	  PROG(KBPF_MOV64_IMM(0, 3), KBPF_CALL_LOCAL(1, 256), KBPF_EXIT(),
	       KBPF_ST_MEM(BPF_DW, 10, -256, 5),
	       KBPF_LDX_MEM(BPF_DW, 0, 10, -256), KBPF_EXIT()),
	  .stack_depth = 256, .want = 5 },
	{ "callee frame one slot too big faults",
	  PROG(KBPF_CALL_LOCAL(1, 264), KBPF_EXIT(), KBPF_EXIT()),
	  .stack_depth = 256, .err = -EFAULT, .want = 0 },
};

/* ctx.counter++, then a tail call to slot 0 (itself), then r0 = counter. */
static const struct bpf_insn tail_self[] = {
	KBPF_MOV64_REG(6, 1), KBPF_LDX_MEM(BPF_DW, 0, 6, CTX_COUNTER),
	KBPF_ALU64_IMM(BPF_ADD, 0, 1), KBPF_STX_MEM(BPF_DW, 6, 0, CTX_COUNTER),
	KBPF_LDX_MEM(BPF_DW, 2, 6, CTX_MAP), KBPF_MOV64_IMM(3, 0),
	KBPF_CALL_HELPER(BPF_FUNC_tail_call),
	KBPF_LDX_MEM(BPF_DW, 0, 6, CTX_COUNTER), KBPF_EXIT(),
};

static const struct bpf_insn tail_tries[] = {
	/* 33 tries on slot a, then one on slot 2: r0 = 99 if that one runs */
	KBPF_MOV64_REG(6, 1), KBPF_MOV64_IMM(7, KBPF_MAX_TAIL_CALLS),
	KBPF_MOV64_REG(1, 6), KBPF_LDX_MEM(BPF_DW, 2, 6, CTX_MAP),
	LOAD_A(3), KBPF_CALL_HELPER(BPF_FUNC_tail_call),
	KBPF_ALU64_IMM(BPF_SUB, 7, 1), KBPF_JMP_IMM(BPF_JNE, 7, 0, -6),
	KBPF_MOV64_REG(1, 6), KBPF_LDX_MEM(BPF_DW, 2, 6, CTX_MAP),
	KBPF_MOV64_IMM(3, 2), KBPF_CALL_HELPER(BPF_FUNC_tail_call),
	KBPF_MOV64_IMM(0, 1), KBPF_EXIT(),
};

static const struct bpf_insn tail_target[] = {
	KBPF_MOV64_IMM(0, 99), KBPF_EXIT(),
};

static const struct bpf_insn tail_big_stack[] = {
	/* a subprogram with 8 bytes of stack tail calls slot 0 */
	KBPF_MOV64_REG(6, 1), KBPF_CALL_LOCAL(1, 8), KBPF_EXIT(),
	KBPF_MOV64_REG(1, 6), KBPF_LDX_MEM(BPF_DW, 2, 6, CTX_MAP),
	KBPF_MOV64_IMM(3, 0), KBPF_CALL_HELPER(BPF_FUNC_tail_call),
	KBPF_MOV64_IMM(0, 1), KBPF_EXIT(),
};

static struct kbpf_interp_prog test_prog(const struct bpf_insn *insns, u32 len,
					 u32 stack_depth)
{
	struct kbpf_interp_prog prog = {
		.insns = insns, .len = len, .stack_depth = stack_depth,
		.ops = &test_ops,
	};

	return prog;
}

static int run_tail(struct kunit *test, const struct kbpf_interp_prog *first,
		    struct test_array *map, u64 a, u64 *r0)
{
	struct test_ctx ctx;
	u64 arg = (unsigned long)&ctx;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map->progs); i++)
		if (map->progs[i])
			KUNIT_ASSERT_EQ(test,
					kbpf_interp_prepare(map->progs[i]),
					0);
	KUNIT_ASSERT_EQ(test, kbpf_interp_prepare(first), 0);
	test_ctx_init(&ctx, map, a, 0);
	return kbpf_interp_exec(first, &arg, 1, r0);
}

static void interp_tail_call_test(struct kunit *test)
{
	const struct kbpf_interp_prog self =
		test_prog(tail_self, ARRAY_SIZE(tail_self), 0);
	const struct kbpf_interp_prog tries =
		test_prog(tail_tries, ARRAY_SIZE(tail_tries), 0);
	const struct kbpf_interp_prog target =
		test_prog(tail_target, ARRAY_SIZE(tail_target), 0);
	const struct kbpf_interp_prog small =
		test_prog(tail_big_stack, ARRAY_SIZE(tail_big_stack), 504);
	const struct kbpf_interp_prog big =
		test_prog(tail_target, ARRAY_SIZE(tail_target), 512);
	struct test_array map = {};
	u64 r0;

	/* The first run plus 33 tail calls; the 34th attempt goes on. */
	map.progs[0] = &self;
	KUNIT_EXPECT_EQ(test, run_tail(test, &self, &map, 0, &r0), 0);
	KUNIT_EXPECT_EQ(test, r0, KBPF_MAX_TAIL_CALLS + 1);

	/* Tries on an empty slot count toward the limit, as upstream's do. */
	map.progs[2] = &target;
	KUNIT_EXPECT_EQ(test, run_tail(test, &tries, &map, 1, &r0), 0);
	KUNIT_EXPECT_EQ(test, r0, 1);

	/* Tries past the end of the array do not. */
	KUNIT_EXPECT_EQ(test, run_tail(test, &tries, &map, 3, &r0), 0);
	KUNIT_EXPECT_EQ(test, r0, 99);
	KUNIT_EXPECT_EQ(test, run_tail(test, &tries, &map, ~0ULL, &r0), 0);
	KUNIT_EXPECT_EQ(test, r0, 99);

	/* A tail call must fit in the calling frame's place. */
	map.progs[0] = &big;
	KUNIT_EXPECT_EQ(test, run_tail(test, &small, &map, 0, &r0), -EFAULT);
	map.progs[0] = &target;
	KUNIT_EXPECT_EQ(test, run_tail(test, &small, &map, 0, &r0), 0);
	KUNIT_EXPECT_EQ(test, r0, 99);
}

static const struct interp_case packet_cases[] = {
	{ "ldabsb", PROG(KBPF_MOV64_REG(6, 1), KBPF_LD_ABS(BPF_B, 3),
			 KBPF_EXIT()), .want = 0x13 },
	{ "ldabsh is big-endian", PROG(KBPF_MOV64_REG(6, 1),
				       KBPF_LD_ABS(BPF_H, 2), KBPF_EXIT()),
	  .want = 0x1213 },
	{ "ldabsw", PROG(KBPF_MOV64_REG(6, 1), KBPF_LD_ABS(BPF_W, 28),
			 KBPF_EXIT()), .want = 0x2c2d2e2f },
	{ "ldindw", PROG(KBPF_MOV64_REG(6, 1), KBPF_MOV64_IMM(7, 4),
			 KBPF_LD_IND(BPF_W, 7, 4), KBPF_EXIT()),
	  .want = 0x18191a1b },
	{ "ldindb negative imm", PROG(KBPF_MOV64_REG(6, 1), KBPF_MOV64_IMM(7,
									   4),
				      KBPF_LD_IND(BPF_B, 7, -1), KBPF_EXIT()),
	  .want = 0x13 },
	{ "ldabsw past the end ends with 0",
	  PROG(KBPF_MOV64_REG(6, 1), KBPF_LD_ABS(BPF_W, 29),
	       KBPF_MOV64_IMM(0, 7), KBPF_EXIT()), .want = 0 },
	{ "ldindh negative ends with 0",
	  PROG(KBPF_MOV64_REG(6, 1), KBPF_MOV64_IMM(7, -4),
	       KBPF_LD_IND(BPF_H, 7, 2), KBPF_MOV64_IMM(0, 7), KBPF_EXIT()),
	  .want = 0 },
};

/* Programs kbpf_interp_prepare() must refuse, and why. */
static const struct interp_case reject_cases[] = {
	{ "unknown opcode", PROG(KBPF_INSN(0xff, 0, 0, 0, 0), KBPF_EXIT()) },
	{ "unknown ALU op", PROG(KBPF_ALU64_IMM(0xe0, 0, 0), KBPF_EXIT()) },
	{ "neg with register source",
	  PROG(KBPF_ALU64_REG(BPF_NEG, 0, 1), KBPF_EXIT()) },
	{ "div with off 2",
	  PROG(KBPF_INSN(BPF_ALU64 | BPF_DIV | BPF_K, 0, 0, 2, 1),
	       KBPF_EXIT()) },
	{ "movsx64 from 7 bits", PROG(KBPF_MOVSX64(0, 1, 7), KBPF_EXIT()) },
	{ "movsx32 from 32 bits", PROG(KBPF_MOVSX32(0, 1, 32), KBPF_EXIT()) },
	{ "bswap with register source",
	  PROG(KBPF_INSN(BPF_ALU64 | BPF_END | BPF_X, 0, 0, 0, 16),
	       KBPF_EXIT()) },
	{ "byte swap of 8 bits", PROG(KBPF_TO_BE(0, 8), KBPF_EXIT()) },
	{ "memsx of 8 bytes",
	  PROG(KBPF_LDX_MEMSX(BPF_DW, 0, 1, 0), KBPF_EXIT()) },
	{ "unknown atomic op",
	  PROG(KBPF_ATOMIC(BPF_DW, BPF_SUB, 10, 1, -8), KBPF_EXIT()) },
	{ "atomic on bytes",
	  PROG(KBPF_ATOMIC(BPF_B, BPF_ADD, 10, 1, -8), KBPF_EXIT()) },
	{ "dst register 11", PROG(KBPF_MOV64_IMM(11, 0), KBPF_EXIT()) },
	{ "src register 15", PROG(KBPF_MOV64_REG(0, 15), KBPF_EXIT()) },
	{ "jump past the end", PROG(KBPF_JA(1), KBPF_EXIT()) },
	{ "jump before the start", PROG(KBPF_JMP_IMM(BPF_JEQ, 0, 0, -2),
					KBPF_EXIT()) },
	{ "jump into lddw", PROG(KBPF_JA(1), KBPF_LD_IMM64(0, 1),
				 KBPF_IMM64_HI(1),
				 KBPF_EXIT()) },
	{ "gotol past the end", PROG(KBPF_GOTOL(5), KBPF_EXIT()) },
	{ "truncated lddw", PROG(KBPF_EXIT(),
				 KBPF_INSN(BPF_LD | BPF_IMM | BPF_DW, 0, 0, 0,
					   0)) },
	{ "lddw second slot with opcode",
	  PROG(KBPF_INSN(BPF_LD | BPF_IMM | BPF_DW, 0, 0, 0, 0),
	       KBPF_EXIT(), KBPF_EXIT()) },
	{ "falls off the end", PROG(KBPF_MOV64_IMM(0, 0)) },
	{ "unknown helper", PROG(KBPF_CALL_HELPER(2), KBPF_EXIT()) },
	{ "negative helper", PROG(KBPF_CALL_HELPER(-1), KBPF_EXIT()) },
	{ "kfunc call",
	  PROG(KBPF_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 1),
	       KBPF_EXIT()) },
	{ "call through a register",
	  PROG(KBPF_INSN(BPF_JMP | BPF_CALL | BPF_X, 1, 0, 0, 0),
	       KBPF_EXIT()) },
	{ "local call past the end", PROG(KBPF_CALL_LOCAL(1, 0), KBPF_EXIT()) },
	{ "local call with negative depth",
	  PROG(KBPF_CALL_LOCAL(0, -8), KBPF_EXIT()) },
	{ "local call deeper than the stack",
	  PROG(KBPF_CALL_LOCAL(0, KBPF_STACK_SIZE + 8), KBPF_EXIT()) },
	{ "exit in JMP32", PROG(KBPF_INSN(BPF_JMP32 | BPF_EXIT, 0, 0, 0, 0)) },
	{ "may_goto with other source",
	  PROG(KBPF_INSN(BPF_JMP | BPF_JCOND, 0, 1, 0, 0), KBPF_EXIT()) },
	{ "stack depth over the limit", PROG(KBPF_EXIT()),
	  .stack_depth = KBPF_STACK_SIZE + 8 },
};

static const struct kbpf_interp_ops no_packet_ops = {
	.helpers = test_helpers,
	.nr_helpers = ARRAY_SIZE(test_helpers),
};

static void interp_reject_test(struct kunit *test)
{
	const struct bpf_insn ld_abs[] = {
		KBPF_LD_ABS(BPF_B, 0), KBPF_EXIT(),
	};
	struct kbpf_interp_prog prog = {
		.insns = ld_abs, .len = ARRAY_SIZE(ld_abs),
		.ops = &no_packet_ops,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reject_cases); i++) {
		const struct interp_case *c = &reject_cases[i];

		prog.insns = c->insns;
		prog.len = case_len(c);
		prog.stack_depth = c->stack_depth;
		prog.ops = &test_ops;
		KUNIT_EXPECT_EQ_MSG(test, kbpf_interp_prepare(&prog), -EINVAL,
				    "%s", c->name);
	}

	/* Packet loads need a program type that has packets. */
	prog.insns = ld_abs;
	prog.len = ARRAY_SIZE(ld_abs);
	prog.stack_depth = 0;
	prog.ops = &no_packet_ops;
	KUNIT_EXPECT_EQ(test, kbpf_interp_prepare(&prog), -EINVAL);
	prog.ops = NULL;
	KUNIT_EXPECT_EQ(test, kbpf_interp_prepare(&prog), -EINVAL);
	prog.len = 0;
	prog.ops = &test_ops;
	KUNIT_EXPECT_EQ(test, kbpf_interp_prepare(&prog), -EINVAL);
}

#define CASES_TEST(name)						\
static void interp_##name##_test(struct kunit *test)			\
{									\
	run_cases(test, name##_cases, ARRAY_SIZE(name##_cases));	\
}

CASES_TEST(alu64)
CASES_TEST(alu32)
CASES_TEST(byteswap)
CASES_TEST(mem)
CASES_TEST(atomic)
CASES_TEST(jmp)
CASES_TEST(call)
CASES_TEST(packet)

static struct kunit_case kbpf_interp_test_cases[] = {
	KUNIT_CASE(interp_alu64_test),
	KUNIT_CASE(interp_alu32_test),
	KUNIT_CASE(interp_byteswap_test),
	KUNIT_CASE(interp_mem_test),
	KUNIT_CASE(interp_atomic_test),
	KUNIT_CASE(interp_jmp_test),
	KUNIT_CASE(interp_call_test),
	KUNIT_CASE(interp_tail_call_test),
	KUNIT_CASE(interp_packet_test),
	KUNIT_CASE(interp_reject_test),
	{}
};

static struct kunit_suite kbpf_interp_test_suite = {
	.name = "kbpf_interp",
	.test_cases = kbpf_interp_test_cases,
};

kunit_test_suite(kbpf_interp_test_suite);

MODULE_DESCRIPTION("KUnit tests for the kbpf interpreter");
MODULE_LICENSE("GPL");
