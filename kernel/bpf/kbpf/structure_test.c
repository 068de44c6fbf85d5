// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the verifier's structural pass: for every rule, a
 * program that keeps it and one that breaks it, with the log line that
 * names the instruction and the reason. The host harness runs the same
 * file.
 */

#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "insn.h"
#include "verifier.h"

#define MAX_CASE_INSNS	24
#define LOG_SIZE	256

/**
 * struct structure_case - a program and the structural pass's verdict
 * @name: what is tested
 * @insns: the program, up to its last slot with an opcode
 * @err: what kbpf_check_structure() returns
 * @log: text the log must contain; NULL for accepted programs
 * @no_maps: the caller gives no maps (else test_maps, by imm)
 */
struct structure_case {
	const char *name;
	struct bpf_insn insns[MAX_CASE_INSNS];
	int err;
	const char *log;
	bool no_maps;
};

#define PROG(...)	.insns = { __VA_ARGS__ }
#define REJECT(msg)	.err = -EINVAL, .log = (msg)

static u32 case_len(const struct structure_case *c)
{
	u32 len = MAX_CASE_INSNS;

	while (len && !c->insns[len - 1].code)
		len--;
	return len;
}

/* The maps a case names by imm: an array of one entry, a hash map. */
static const struct kbpf_map_desc test_maps[] = {
	{ .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16,
	  .max_entries = 1 },
	{ .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
	  .max_entries = 8 },
};

static const struct kbpf_map_desc *find_test_map(void *owner, u8 src, s32 imm)
{
	if (imm < 0 || imm >= (s32)ARRAY_SIZE(test_maps))
		return ERR_PTR(-EBADF);
	return &test_maps[imm];
}

/*
 * Run the pass on @insns, with test_maps unless @no_maps; the log it
 * wrote goes to @log_out.
 */
static int check_maps(struct kunit *test, const struct bpf_insn *insns,
		      u32 len, struct kbpf_verifier_env *env, char *log_out,
		      bool no_maps)
{
	char __user *ubuf;
	struct kbpf_log log;
	unsigned long addr;
	u32 true_size;
	int err;

	addr = kunit_vm_mmap(test, NULL, 0, LOG_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, addr, 0);
	ubuf = (char __user *)addr;
	KUNIT_ASSERT_EQ(test, kbpf_log_init(&log, 1, ubuf, LOG_SIZE), 0);
	KUNIT_ASSERT_EQ(test, kbpf_verifier_env_init(env, insns, len, &log), 0);
	if (!no_maps)
		env->find_map = find_test_map;
	err = kbpf_check_structure(env);
	kbpf_log_finish(&log, &true_size);
	KUNIT_ASSERT_EQ(test, copy_from_user(log_out, ubuf, LOG_SIZE), 0);
	log_out[LOG_SIZE - 1] = '\0';
	return err;
}

static int check(struct kunit *test, const struct bpf_insn *insns, u32 len,
		 struct kbpf_verifier_env *env, char *log_out)
{
	return check_maps(test, insns, len, env, log_out, false);
}

static const struct structure_case accept_cases[] = {
	{ "exit", PROG(KBPF_MOV64_IMM(0, 0), KBPF_EXIT()) },
	{ "lddw", PROG(KBPF_LD_IMM64(0, 1), KBPF_IMM64_HI(1), KBPF_EXIT()) },
	{ "lddw of a map", PROG(KBPF_LD_IMM64_SRC(1, BPF_PSEUDO_MAP_FD, 1),
				KBPF_IMM64_HI(0), KBPF_MOV64_IMM(0, 0),
				KBPF_EXIT()) },
	{ "lddw of a map value",
	  PROG(KBPF_LD_IMM64_SRC(1, BPF_PSEUDO_MAP_VALUE, 0), KBPF_IMM64_HI(15ULL << 32),
	       KBPF_MOV64_IMM(0, 0), KBPF_EXIT()) },
	{ "both ways to exit",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_JMP_IMM(BPF_JEQ, 1, 0, 1),
	       KBPF_MOV64_IMM(0, 1), KBPF_EXIT()) },
	{ "a loop", PROG(KBPF_MOV64_IMM(0, 10), KBPF_ALU64_IMM(BPF_SUB, 0, 1),
			 KBPF_JMP_IMM(BPF_JNE, 0, 0, -2), KBPF_EXIT()) },
	{ "ends in a backward jump",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_JMP_IMM(BPF_JEQ, 0, 0, 1),
	       KBPF_EXIT(), KBPF_JA(-3)) },
	{ "gotol and may_goto",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_GOTOL(0), KBPF_MAY_GOTO(0),
	       KBPF_EXIT()) },
	{ "byte swaps", PROG(KBPF_TO_BE(0, 16), KBPF_TO_LE(0, 64),
			     KBPF_BSWAP(0, 32), KBPF_EXIT()) },
	{ "sign-extending forms",
	  PROG(KBPF_MOVSX64(0, 1, 32), KBPF_MOVSX32(0, 1, 16),
	       KBPF_SALU64_IMM(BPF_DIV, 0, 3), KBPF_SALU32_REG(BPF_MOD, 0, 1),
	       KBPF_LDX_MEMSX(BPF_W, 2, 10, -8), KBPF_EXIT()) },
	{ "atomics", PROG(KBPF_ATOMIC(BPF_DW, BPF_ADD | BPF_FETCH, 10, 1, -8),
			  KBPF_ATOMIC(BPF_W, BPF_CMPXCHG, 10, 2, -8),
			  KBPF_ATOMIC(BPF_DW, BPF_XOR, 10, 3, -16),
			  KBPF_EXIT()) },
	{ "packet loads", PROG(KBPF_LD_ABS(BPF_H, 12), KBPF_LD_IND(BPF_W, 7, 2),
			       KBPF_EXIT()) },
	{ "a call", PROG(KBPF_CALL_LOCAL(1, 0), KBPF_EXIT(),
			 KBPF_MOV64_IMM(0, 1), KBPF_EXIT()) },
	{ "two calls to one subprogram",
	  PROG(KBPF_CALL_LOCAL(2, 0), KBPF_CALL_LOCAL(1, 0), KBPF_EXIT(),
	       KBPF_MOV64_IMM(0, 1), KBPF_EXIT()) },
	{ "helper call", PROG(KBPF_CALL_HELPER(1), KBPF_EXIT()) },
};

static const struct structure_case reject_cases[] = {
	{ "unknown ALU op", PROG(KBPF_ALU64_IMM(0xe0, 0, 0), KBPF_EXIT()),
	  REJECT("insn 0 (code 0xe7): unknown ALU operation") },
	{ "immediate form with src_reg",
	  PROG(KBPF_INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 1, 0, 0), KBPF_EXIT()),
	  REJECT("src_reg must be 0 with an immediate source") },
	{ "register form with imm",
	  PROG(KBPF_INSN(BPF_ALU64 | BPF_ADD | BPF_X, 0, 1, 0, 5), KBPF_EXIT()),
	  REJECT("imm must be 0 with a register source") },
	{ "add with off", PROG(KBPF_INSN(BPF_ALU | BPF_ADD | BPF_K, 0, 0, 1, 5),
			       KBPF_EXIT()),
	  REJECT("off must be 0") },
	{ "div with off 2",
	  PROG(KBPF_INSN(BPF_ALU64 | BPF_DIV | BPF_K, 0, 0, 2, 5), KBPF_EXIT()),
	  REJECT("off must be 0 or 1") },
	{ "movsx32 from 32 bits", PROG(KBPF_MOVSX32(0, 1, 32), KBPF_EXIT()),
	  REJECT("movsx32 needs off 8 or 16") },
	{ "movsx from an immediate",
	  PROG(KBPF_INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 8, 5), KBPF_EXIT()),
	  REJECT("movsx needs off 8, 16 or 32") },
	{ "neg with a source", PROG(KBPF_ALU64_REG(BPF_NEG, 0, 1), KBPF_EXIT()),
	  REJECT("neg has no source operand") },
	{ "bswap from a register",
	  PROG(KBPF_INSN(BPF_ALU64 | BPF_END | BPF_X, 0, 0, 0, 16), KBPF_EXIT()),
	  REJECT("bswap has no register form") },
	{ "byte swap of 8 bits", PROG(KBPF_TO_BE(0, 8), KBPF_EXIT()),
	  REJECT("byte swap width must be 16, 32 or 64") },
	{ "dst register 11", PROG(KBPF_MOV64_IMM(11, 0), KBPF_EXIT()),
	  REJECT("insn 0 (code 0xb7): R11 is invalid") },
	{ "jump on register 12",
	  PROG(KBPF_JMP_REG(BPF_JEQ, 0, 12, 0), KBPF_EXIT()),
	  REJECT("R12 is invalid") },
	{ "memsx of 8 bytes", PROG(KBPF_LDX_MEMSX(BPF_DW, 0, 1, 0), KBPF_EXIT()),
	  REJECT("unknown load mode") },
	{ "load with imm",
	  PROG(KBPF_INSN(BPF_LDX | BPF_MEM | BPF_W, 0, 1, 0, 1), KBPF_EXIT()),
	  REJECT("imm must be 0") },
	{ "store of an immediate with src_reg",
	  PROG(KBPF_INSN(BPF_ST | BPF_MEM | BPF_W, 10, 1, -4, 1), KBPF_EXIT()),
	  REJECT("src_reg must be 0") },
	{ "store of a register with imm",
	  PROG(KBPF_INSN(BPF_STX | BPF_MEM | BPF_W, 10, 1, -4, 1), KBPF_EXIT()),
	  REJECT("imm must be 0") },
	{ "atomic on a byte",
	  PROG(KBPF_ATOMIC(BPF_B, BPF_ADD, 10, 1, -8), KBPF_EXIT()),
	  REJECT("atomics are 32 or 64 bit") },
	{ "atomic sub", PROG(KBPF_ATOMIC(BPF_DW, BPF_SUB, 10, 1, -8), KBPF_EXIT()),
	  REJECT("unknown atomic operation") },
	{ "truncated lddw",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_EXIT(), KBPF_LD_IMM64(0, 1)),
	  REJECT("insn 2 (code 0x18): invalid bpf_ld_imm64 insn") },
	{ "lddw second slot with an opcode",
	  PROG(KBPF_LD_IMM64(0, 1), KBPF_EXIT(), KBPF_EXIT()),
	  REJECT("invalid bpf_ld_imm64 insn: its second slot must be zeroes") },
	{ "lddw of a BTF id",
	  PROG(KBPF_LD_IMM64_SRC(0, BPF_PSEUDO_BTF_ID, 1), KBPF_IMM64_HI(0),
	       KBPF_EXIT()),
	  REJECT("unsupported LD_IMM64 source") },
	{ "packet load of 8 bytes", PROG(KBPF_LD_ABS(BPF_DW, 0), KBPF_EXIT()),
	  REJECT("unknown load mode") },
	{ "packet load with dst_reg",
	  PROG(KBPF_INSN(BPF_LD | BPF_ABS | BPF_W, 1, 0, 0, 0), KBPF_EXIT()),
	  REJECT("unused fields of a packet load must be 0") },
	{ "ja with src_reg",
	  PROG(KBPF_INSN(BPF_JMP | BPF_JA, 0, 1, 0, 0), KBPF_EXIT()),
	  REJECT("unused fields of a jump must be 0") },
	{ "exit with imm", PROG(KBPF_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 1)),
	  REJECT("exit has no operands") },
	{ "exit in JMP32", PROG(KBPF_INSN(BPF_JMP32 | BPF_EXIT, 0, 0, 0, 0)),
	  REJECT("exit has no operands") },
	{ "call with off",
	  PROG(KBPF_INSN(BPF_JMP | BPF_CALL, 0, 0, 1, 1), KBPF_EXIT()),
	  REJECT("call takes only a helper id or a target") },
	{ "callx", PROG(KBPF_INSN(BPF_JMP | BPF_CALL | BPF_X, 1, 0, 0, 0),
			KBPF_EXIT()),
	  REJECT("call takes only a helper id or a target") },
	{ "kfunc call",
	  PROG(KBPF_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 1),
	       KBPF_EXIT()),
	  .err = -KBPF_ENOTSUPP,
	  .log = "calling kernel functions (kfuncs) is not supported" },
	{ "call of an unknown kind",
	  PROG(KBPF_INSN(BPF_JMP | BPF_CALL, 0, 7, 0, 1), KBPF_EXIT()),
	  REJECT("unknown call kind") },
	{ "may_goto with another source",
	  PROG(KBPF_INSN(BPF_JMP | BPF_JCOND, 0, 1, 0, 0), KBPF_EXIT()),
	  REJECT("may_goto has only an offset") },
	{ "conditional jump with src_reg",
	  PROG(KBPF_INSN(BPF_JMP32 | BPF_JEQ | BPF_K, 0, 1, 0, 0), KBPF_EXIT()),
	  REJECT("src_reg must be 0 with an immediate source") },
	{ "unknown jump", PROG(KBPF_INSN(BPF_JMP | 0xf0, 0, 0, 0, 0),
			       KBPF_EXIT()),
	  REJECT("insn 0 (code 0xf5): unknown jump operation") },
	{ "jump past the end", PROG(KBPF_JA(1), KBPF_EXIT()),
	  REJECT("insn 0 (code 0x05): jump out of range from insn 0 to 2") },
	{ "jump before the start",
	  PROG(KBPF_JMP_IMM(BPF_JEQ, 0, 0, -2), KBPF_EXIT()),
	  REJECT("outside its subprogram") },
	{ "gotol past the end", PROG(KBPF_GOTOL(3), KBPF_EXIT()),
	  REJECT("outside its subprogram") },
	{ "jump into a subprogram",
	  PROG(KBPF_CALL_LOCAL(2, 0), KBPF_JA(2), KBPF_EXIT(),
	       KBPF_MOV64_IMM(0, 1), KBPF_EXIT()),
	  REJECT("insn 1 (code 0x05): jump out of range from insn 1 to 4") },
	{ "jump into lddw",
	  PROG(KBPF_JA(1), KBPF_LD_IMM64(0, 1), KBPF_IMM64_HI(1), KBPF_EXIT()),
	  REJECT("jump into the middle of ldimm64 insn") },
	{ "call past the end", PROG(KBPF_CALL_LOCAL(1, 0), KBPF_EXIT()),
	  REJECT("call target outside the program") },
	{ "call into lddw",
	  PROG(KBPF_CALL_LOCAL(2, 0), KBPF_EXIT(), KBPF_LD_IMM64(0, 1),
	       KBPF_IMM64_HI(1), KBPF_EXIT()),
	  REJECT("call target outside the program") },
	{ "falls off the end", PROG(KBPF_MOV64_IMM(0, 0)),
	  REJECT("last insn is not an exit or jmp") },
	{ "ends in a conditional jump",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_JMP_IMM(BPF_JEQ, 0, 0, -2)),
	  REJECT("last insn is not an exit or jmp") },
	{ "subprogram falls off its end",
	  PROG(KBPF_CALL_LOCAL(1, 0), KBPF_EXIT(), KBPF_MOV64_IMM(0, 1)),
	  REJECT("insn 2 (code 0xb7): last insn is not an exit or jmp (of a subprogram)") },
	{ "code after exit", PROG(KBPF_EXIT(), KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  REJECT("insn 1 (code 0xb7): unreachable insn") },
	{ "code jumped over",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_JA(1), KBPF_MOV64_IMM(0, 1),
	       KBPF_EXIT()),
	  REJECT("insn 2 (code 0xb7): unreachable insn") },
	{ "recursion", PROG(KBPF_CALL_LOCAL(1, 0), KBPF_EXIT(),
			    KBPF_CALL_LOCAL(-1, 0), KBPF_EXIT()),
	  REJECT("insn 2 (code 0x85): recursive call") },
	{ "lddw of a map that does not exist",
	  PROG(KBPF_LD_IMM64_SRC(1, BPF_PSEUDO_MAP_FD, 3), KBPF_IMM64_HI(0),
	       KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  .err = -EBADF, .log = "insn 0 (code 0x18): fd 3 is not pointing to valid bpf_map" },
	{ "lddw of a map with no maps given",
	  PROG(KBPF_LD_IMM64_SRC(1, BPF_PSEUDO_MAP_IDX, 0), KBPF_IMM64_HI(0),
	       KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  .err = -EBADF, .no_maps = true,
	  .log = "insn 0 (code 0x18): no map for imm 0: no maps given" },
	{ "lddw of a map with a second slot",
	  PROG(KBPF_LD_IMM64_SRC(1, BPF_PSEUDO_MAP_FD, 1), KBPF_IMM64_HI(4ULL << 32),
	       KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  REJECT("insn 0 (code 0x18): invalid bpf_ld_imm64 insn: a map's second slot") },
	{ "lddw of a hash map's value",
	  PROG(KBPF_LD_IMM64_SRC(1, BPF_PSEUDO_MAP_VALUE, 1), KBPF_IMM64_HI(0),
	       KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  REJECT("insn 0 (code 0x18): only an array of one entry has a value address") },
	{ "lddw of a map value past its end",
	  PROG(KBPF_LD_IMM64_SRC(1, BPF_PSEUDO_MAP_IDX_VALUE, 0),
	       KBPF_IMM64_HI(16ULL << 32), KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  REJECT("insn 0 (code 0x18): value address past the end of the value") },
	{ "mutual recursion",
	  PROG(KBPF_CALL_LOCAL(1, 0), KBPF_EXIT(), KBPF_CALL_LOCAL(1, 0),
	       KBPF_EXIT(), KBPF_CALL_LOCAL(-3, 0), KBPF_EXIT()),
	  REJECT("insn 4 (code 0x85): recursive call") },
};

static void structure_accept_test(struct kunit *test)
{
	struct kbpf_verifier_env *env;
	char *log = kunit_kzalloc(test, LOG_SIZE, GFP_KERNEL);
	size_t i;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, log);
	for (i = 0; i < ARRAY_SIZE(accept_cases); i++) {
		const struct structure_case *c = &accept_cases[i];
		int err = check_maps(test, c->insns, case_len(c), env, log,
				     c->no_maps);

		KUNIT_EXPECT_EQ_MSG(test, err, 0, "%s: %s", c->name, log);
		kbpf_verifier_env_free(env);
	}
}

static void structure_reject_test(struct kunit *test)
{
	struct kbpf_verifier_env *env;
	char *log = kunit_kzalloc(test, LOG_SIZE, GFP_KERNEL);
	size_t i;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, log);
	for (i = 0; i < ARRAY_SIZE(reject_cases); i++) {
		const struct structure_case *c = &reject_cases[i];
		int err = check_maps(test, c->insns, case_len(c), env, log,
				     c->no_maps);

		KUNIT_EXPECT_EQ_MSG(test, err, c->err, "%s", c->name);
		KUNIT_EXPECT_TRUE_MSG(test, strstr(log, c->log), "%s: log \"%s\"",
				      c->name, log);
		kbpf_verifier_env_free(env);
	}
}

/* Subprograms, their order and the points where paths meet. */
static void structure_facts_test(struct kunit *test)
{
	const struct bpf_insn insns[] = {
		KBPF_CALL_LOCAL(3, 0),			/* 0: calls 4 */
		KBPF_JMP_IMM(BPF_JEQ, 0, 0, 1),		/* 1 */
		KBPF_MOV64_IMM(0, 1),			/* 2 */
		KBPF_EXIT(),				/* 3 */
		KBPF_CALL_LOCAL(1, 0),			/* 4: calls 6 */
		KBPF_EXIT(),				/* 5 */
		KBPF_EXIT(),				/* 6 */
	};
	struct kbpf_verifier_env *env;
	char *log = kunit_kzalloc(test, LOG_SIZE, GFP_KERNEL);

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_ASSERT_EQ(test, check(test, insns, ARRAY_SIZE(insns), env, log), 0);
	KUNIT_EXPECT_EQ(test, env->nr_subprogs, 3);
	KUNIT_EXPECT_EQ(test, env->subprogs[1].start, 4);
	KUNIT_EXPECT_EQ(test, env->subprogs[2].start, 6);
	KUNIT_EXPECT_EQ(test, env->subprogs[3].start, 7);
	KUNIT_EXPECT_EQ(test, env->subprogs[0].frames, 3);
	KUNIT_EXPECT_EQ(test, env->aux[5].subprog, 1);
	/* Paths meet at the jump's target and at the instruction after it. */
	KUNIT_EXPECT_TRUE(test, env->aux[3].flags & KBPF_AUX_JUMP_TARGET);
	KUNIT_EXPECT_TRUE(test, env->aux[2].flags & KBPF_AUX_JUMP_TARGET);
	KUNIT_EXPECT_FALSE(test, env->aux[1].flags & KBPF_AUX_JUMP_TARGET);
	KUNIT_EXPECT_TRUE(test, env->aux[6].flags & KBPF_AUX_REACHABLE);
	kbpf_verifier_env_free(env);
}

/* Eight frames are allowed, nine are not. */
static void structure_call_depth_test(struct kunit *test)
{
	struct bpf_insn insns[2 * 9];
	struct kbpf_verifier_env *env;
	char *log = kunit_kzalloc(test, LOG_SIZE, GFP_KERNEL);
	u32 frames, i;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, log);
	for (frames = 8; frames <= 9; frames++) {
		/* Each function calls the next: call +1; exit. */
		for (i = 0; i < frames - 1; i++) {
			insns[2 * i] = KBPF_CALL_LOCAL(1, 0);
			insns[2 * i + 1] = KBPF_EXIT();
		}
		insns[2 * i] = KBPF_MOV64_IMM(0, 0);
		insns[2 * i + 1] = KBPF_EXIT();
		KUNIT_EXPECT_EQ(test, check(test, insns, 2 * frames, env, log),
				frames == 8 ? 0 : -EINVAL);
		if (frames == 8) {
			KUNIT_EXPECT_EQ(test, env->nr_subprogs, 8);
			KUNIT_EXPECT_EQ(test, env->subprogs[0].frames, 8);
			KUNIT_EXPECT_EQ(test, env->subprogs[7].start, 14);
			KUNIT_EXPECT_EQ(test, env->aux[15].subprog, 7);
		} else {
			KUNIT_EXPECT_TRUE_MSG(test, strstr(log, "nest more than 8"),
					      "log \"%s\"", log);
		}
		kbpf_verifier_env_free(env);
	}
}

/* 256 subprograms, the main one included, and not one more. */
static void structure_subprog_limit_test(struct kunit *test)
{
	struct kbpf_verifier_env *env;
	char *log = kunit_kzalloc(test, LOG_SIZE, GFP_KERNEL);
	struct bpf_insn *insns;
	u32 callees, i, len;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	insns = kunit_kzalloc(test, 3 * KBPF_MAX_SUBPROGS * sizeof(*insns),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, insns);
	KUNIT_ASSERT_NOT_NULL(test, log);
	for (callees = KBPF_MAX_SUBPROGS - 1; callees <= KBPF_MAX_SUBPROGS;
	     callees++) {
		/* main: callees calls, exit; then one exit per callee */
		len = 2 * callees + 1;
		for (i = 0; i < callees; i++) {
			insns[i] = KBPF_CALL_LOCAL(callees, 0);
			insns[callees + 1 + i] = KBPF_EXIT();
		}
		insns[callees] = KBPF_EXIT();
		KUNIT_EXPECT_EQ(test, check(test, insns, len, env, log),
				callees < KBPF_MAX_SUBPROGS ? 0 : -EINVAL);
		if (callees == KBPF_MAX_SUBPROGS)
			KUNIT_EXPECT_TRUE_MSG(test,
					      strstr(log, "too many subprograms"),
					      "log \"%s\"", log);
		kbpf_verifier_env_free(env);
	}
}

static void structure_empty_test(struct kunit *test)
{
	struct kbpf_verifier_env *env;
	char *log = kunit_kzalloc(test, LOG_SIZE, GFP_KERNEL);
	const struct bpf_insn exit = KBPF_EXIT();

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_EXPECT_EQ(test, check(test, &exit, 0, env, log), -EINVAL);
	KUNIT_EXPECT_TRUE(test, strstr(log, "empty program"));
	kbpf_verifier_env_free(env);
}

static struct kunit_case kbpf_structure_test_cases[] = {
	KUNIT_CASE(structure_accept_test),
	KUNIT_CASE(structure_reject_test),
	KUNIT_CASE(structure_facts_test),
	KUNIT_CASE(structure_call_depth_test),
	KUNIT_CASE(structure_subprog_limit_test),
	KUNIT_CASE(structure_empty_test),
	{}
};

static struct kunit_suite kbpf_structure_test_suite = {
	.name = "kbpf_structure",
	.test_cases = kbpf_structure_test_cases,
};

kunit_test_suite(kbpf_structure_test_suite);

MODULE_DESCRIPTION("KUnit tests for the kbpf verifier's structural pass");
MODULE_LICENSE("GPL");
