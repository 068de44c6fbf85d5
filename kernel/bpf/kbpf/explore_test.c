// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the verifier's exploration: a program that keeps each
 * rule and one that breaks it, run through kbpf_verify() in the kernel and
 * on the host. The host harness's corpus (tools/testing/selftests/kbpf/
 * verifier/) has many more, written as assembler text.
 */

#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "insn.h"
#include "verifier.h"

#define MAX_CASE_INSNS	16
#define LOG_SIZE	512

/**
 * struct explore_case - a program and kbpf_verify()'s verdict
 * @name: what is tested
 * @insns: the program, up to its last slot with an opcode
 * @prog_type: the program's type; UNSPEC by default
 * @err: what kbpf_verify() returns
 * @log: text the log must contain, for rejected programs
 */
struct explore_case {
	const char *name;
	struct bpf_insn insns[MAX_CASE_INSNS];
	u32 prog_type;
	int err;
	const char *log;
};

#define PROG(...)	.insns = { __VA_ARGS__ }
#define REJECT(msg)	.err = -EACCES, .log = (msg)

static const struct explore_case cases[] = {
	{ "r0 set", PROG(KBPF_MOV64_IMM(0, 0), KBPF_EXIT()) },
	{ "r0 never set", PROG(KBPF_EXIT()),
	  REJECT("insn 0 (code 0x95): R0 is not initialized at exit") },
	{ "r0 a pointer without CAP_PERFMON", PROG(KBPF_MOV64_REG(0, 10), KBPF_EXIT()),
	  REJECT("R0 leaks addr as return value") },
	{ "reading r2", PROG(KBPF_MOV64_REG(0, 2), KBPF_EXIT()),
	  REJECT("insn 0 (code 0xbf): R2 !read_ok") },
	{ "stack written then read",
	  PROG(KBPF_ST_MEM(BPF_W, 10, -4, 1), KBPF_LDX_MEM(BPF_W, 0, 10, -4),
	       KBPF_EXIT()) },
	{ "stack read unwritten",
	  PROG(KBPF_ST_MEM(BPF_W, 10, -4, 1), KBPF_LDX_MEM(BPF_DW, 0, 10, -8),
	       KBPF_EXIT()),
	  REJECT("invalid read from stack: off -8 size 8") },
	{ "stack below the frame",
	  PROG(KBPF_ST_MEM(BPF_DW, 10, -520, 1), KBPF_MOV64_IMM(0, 0),
	       KBPF_EXIT()),
	  REJECT("stack out of bounds: off -520 size 8") },
	{ "stack above the frame pointer",
	  PROG(KBPF_ST_MEM(BPF_B, 10, 0, 1), KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  REJECT("stack out of bounds: off 0 size 1") },
	{ "pointer spilled and filled",
	  PROG(KBPF_STX_MEM(BPF_DW, 10, 10, -8), KBPF_LDX_MEM(BPF_DW, 2, 10, -8),
	       KBPF_ST_MEM(BPF_DW, 2, -16, 7), KBPF_LDX_MEM(BPF_DW, 0, 10, -16),
	       KBPF_EXIT()) },
	{ "pointer spilled in part",
	  PROG(KBPF_STX_MEM(BPF_W, 10, 10, -8), KBPF_MOV64_IMM(0, 0),
	       KBPF_EXIT()),
	  REJECT("invalid size of register spill") },
	{ "part of a spilled pointer read",
	  PROG(KBPF_STX_MEM(BPF_DW, 10, 10, -8), KBPF_LDX_MEM(BPF_W, 0, 10, -8),
	       KBPF_EXIT()),
	  REJECT("partial read of a spilled pointer") },
	{ "spilled pointer partly overwritten",
	  PROG(KBPF_STX_MEM(BPF_DW, 10, 10, -8), KBPF_ST_MEM(BPF_B, 10, -8, 0),
	       KBPF_LDX_MEM(BPF_DW, 2, 10, -8), KBPF_ST_MEM(BPF_DW, 2, -16, 7),
	       KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  REJECT("insn 1 (code 0x72): attempt to corrupt spilled pointer on stack") },
	{ "stack pointer plus a constant",
	  PROG(KBPF_MOV64_REG(1, 10), KBPF_ALU64_IMM(BPF_ADD, 1, -8),
	       KBPF_ST_MEM(BPF_DW, 1, 0, 1), KBPF_LDX_MEM(BPF_DW, 0, 10, -8),
	       KBPF_EXIT()) },
	{ "stack pointer times two",
	  PROG(KBPF_MOV64_REG(1, 10), KBPF_ALU64_IMM(BPF_MUL, 1, 2),
	       KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  REJECT("pointer arithmetic: only add and sub of a constant") },
	{ "stack pointer plus an unknown byte",
	  PROG(KBPF_ST_MEM(BPF_B, 10, -1, 3), KBPF_LDX_MEM(BPF_B, 2, 10, -1),
	       KBPF_MOV64_REG(1, 10), KBPF_ALU64_REG(BPF_ADD, 1, 2),
	       KBPF_LDX_MEM(BPF_B, 0, 1, -1), KBPF_EXIT()),
	  REJECT("insn 4 (code 0x71): stack out of bounds: off [-1,254] size 1") },
	{ "stack pointer minus an unknown byte",
	  PROG(KBPF_ST_MEM(BPF_DW, 10, -8, 3), KBPF_LDX_MEM(BPF_B, 2, 10, -8),
	       KBPF_ALU64_IMM(BPF_AND, 2, 8), KBPF_MOV64_REG(1, 10),
	       KBPF_ALU64_REG(BPF_SUB, 1, 2), KBPF_LDX_MEM(BPF_DW, 0, 1, 0),
	       KBPF_EXIT()),
	  REJECT("insn 5 (code 0x79): stack out of bounds: off [-8,0] size 8") },
	{ "context of no program type",
	  PROG(KBPF_LDX_MEM(BPF_W, 0, 1, 0), KBPF_EXIT()),
	  REJECT("ctx access is not supported yet") },
	{ "kprobe reads its registers",
	  PROG(KBPF_LDX_MEM(BPF_DW, 0, 1, 8), KBPF_EXIT()),
	  .prog_type = BPF_PROG_TYPE_KPROBE },
	{ "kprobe writes its registers",
	  PROG(KBPF_ST_MEM(BPF_DW, 1, 8, 0), KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  REJECT("the context is read-only: off 8 size 8") },
	{ "kprobe misaligned load",
	  PROG(KBPF_LDX_MEM(BPF_W, 0, 1, 2), KBPF_EXIT()),
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  REJECT("misaligned context access: off 2 size 4") },
	{ "tracepoint record header",
	  PROG(KBPF_LDX_MEM(BPF_DW, 0, 1, 0), KBPF_EXIT()),
	  .prog_type = BPF_PROG_TYPE_TRACEPOINT,
	  REJECT("invalid bpf_context access: outside the context: off 0 size 8") },
	{ "raw tracepoint arguments",
	  PROG(KBPF_LDX_MEM(BPF_DW, 0, 1, 88), KBPF_EXIT()),
	  .prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "moved context pointer",
	  PROG(KBPF_ALU64_IMM(BPF_ADD, 1, 8), KBPF_LDX_MEM(BPF_DW, 0, 1, 0),
	       KBPF_EXIT()),
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  REJECT("dereference of a modified context pointer") },
	{ "a known branch is not taken the other way",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_JMP_IMM(BPF_JEQ, 0, 0, 1),
	       KBPF_MOV64_REG(0, 5), KBPF_EXIT()) },
	{ "both ways of an unknown branch",
	  PROG(KBPF_ST_MEM(BPF_B, 10, -1, 3), KBPF_LDX_MEM(BPF_B, 1, 10, -1),
	       KBPF_MOV64_IMM(0, 0), KBPF_JMP_IMM(BPF_JEQ, 1, 0, 1),
	       KBPF_MOV64_REG(0, 5), KBPF_EXIT()),
	  REJECT("insn 4 (code 0xbf): R5 !read_ok") },
	{ "refined bounds decide a later branch",
	  PROG(KBPF_ST_MEM(BPF_B, 10, -1, 3), KBPF_LDX_MEM(BPF_B, 1, 10, -1),
	       KBPF_MOV64_IMM(0, 0), KBPF_JMP_IMM(BPF_JGT, 1, 10, 2),
	       KBPF_JMP_IMM(BPF_JLE, 1, 10, 1), KBPF_MOV64_REG(0, 5),
	       KBPF_EXIT()) },
	{ "bounded loop",
	  PROG(KBPF_MOV64_IMM(0, 0), KBPF_MOV64_IMM(1, 100),
	       KBPF_ALU64_REG(BPF_ADD, 0, 1), KBPF_ALU64_IMM(BPF_SUB, 1, 1),
	       KBPF_JMP_IMM(BPF_JNE, 1, 0, -3), KBPF_EXIT()) },
	{ "infinite loop", PROG(KBPF_MOV64_IMM(0, 0), KBPF_JA(-1)),
	  REJECT("infinite loop") },
	{ "callee writes through a stack pointer",
	  PROG(KBPF_MOV64_REG(1, 10), KBPF_ALU64_IMM(BPF_ADD, 1, -8),
	       KBPF_CALL_LOCAL(2, 0), KBPF_LDX_MEM(BPF_DW, 0, 10, -8),
	       KBPF_EXIT(), KBPF_ST_MEM(BPF_DW, 1, 0, 42), KBPF_MOV64_IMM(0, 0),
	       KBPF_EXIT()) },
	{ "r1 after a call",
	  PROG(KBPF_MOV64_IMM(1, 1), KBPF_CALL_LOCAL(2, 0), KBPF_MOV64_REG(0, 1),
	       KBPF_EXIT(), KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  REJECT("insn 2 (code 0xbf): R1 !read_ok") },
	{ "r6 kept over a call",
	  PROG(KBPF_MOV64_IMM(6, 1), KBPF_CALL_LOCAL(2, 0), KBPF_MOV64_REG(0, 6),
	       KBPF_EXIT(), KBPF_MOV64_IMM(0, 0), KBPF_EXIT()) },
	{ "callee's stack pointer left in the caller's stack",
	  PROG(KBPF_MOV64_REG(1, 10), KBPF_ALU64_IMM(BPF_ADD, 1, -8),
	       KBPF_CALL_LOCAL(2, 0), KBPF_MOV64_IMM(0, 0), KBPF_EXIT(),
	       KBPF_STX_MEM(BPF_DW, 1, 10, 0), KBPF_MOV64_IMM(0, 0),
	       KBPF_EXIT()),
	  REJECT("cannot store a pointer to a callee's stack") },
	{ "combined stack over 512",
	  PROG(KBPF_ST_MEM(BPF_DW, 10, -400, 0), KBPF_CALL_LOCAL(1, 0),
	       KBPF_EXIT(), KBPF_ST_MEM(BPF_DW, 10, -200, 0),
	       KBPF_MOV64_IMM(0, 0), KBPF_EXIT()),
	  REJECT("combined stack of 600 bytes in a call chain, over 512") },
	{ "helper of no program type", PROG(KBPF_CALL_HELPER(5), KBPF_EXIT()),
	  .err = -EINVAL,
	  .log = "program of this type cannot use helper bpf_ktime_get_ns#5" },
	{ "helper call", PROG(KBPF_CALL_HELPER(BPF_FUNC_ktime_get_ns),
			      KBPF_EXIT()),
	  .prog_type = BPF_PROG_TYPE_KPROBE },
	{ "helper writes the stack",
	  PROG(KBPF_MOV64_REG(1, 10), KBPF_ALU64_IMM(BPF_ADD, 1, -16),
	       KBPF_MOV64_IMM(2, 16), KBPF_CALL_HELPER(BPF_FUNC_get_current_comm),
	       KBPF_LDX_MEM(BPF_DW, 0, 10, -8), KBPF_EXIT()),
	  .prog_type = BPF_PROG_TYPE_KPROBE },
	{ "helper reads unwritten stack",
	  PROG(KBPF_MOV64_REG(1, 10), KBPF_ALU64_IMM(BPF_ADD, 1, -8),
	       KBPF_MOV64_IMM(2, 8), KBPF_MOV64_IMM(3, 0), KBPF_MOV64_IMM(4, 0),
	       KBPF_MOV64_IMM(5, 0), KBPF_CALL_HELPER(BPF_FUNC_trace_printk),
	       KBPF_EXIT()),
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  REJECT("invalid read from stack: off -8 size 8") },
};

static u32 case_len(const struct explore_case *c)
{
	u32 len = MAX_CASE_INSNS;

	while (len && !c->insns[len - 1].code)
		len--;
	return len;
}

static void explore_cases_test(struct kunit *test)
{
	struct kbpf_verifier_env *env = kunit_kzalloc(test, sizeof(*env),
						      GFP_KERNEL);
	char *out = kunit_kzalloc(test, LOG_SIZE, GFP_KERNEL);
	struct kbpf_log log;
	unsigned long addr;
	u32 true_size;
	size_t i;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, out);
	addr = kunit_vm_mmap(test, NULL, 0, LOG_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, addr, 0);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct explore_case *c = &cases[i];

		KUNIT_ASSERT_EQ(test, kbpf_log_init(&log, 1, (char __user *)addr,
						    LOG_SIZE), 0);
		/* Init must not count on a zeroed env: hand it garbage. */
		memset(env, 0xa5, sizeof(*env));
		err = kbpf_verifier_env_init(env, c->insns, case_len(c), &log);
		env->prog_type = c->prog_type;
		if (!err)
			err = kbpf_verify(env);
		kbpf_verifier_env_free(env);
		kbpf_log_finish(&log, &true_size);
		memset(out, 0, LOG_SIZE);
		if (true_size)
			KUNIT_ASSERT_EQ(test, copy_from_user(out, (char __user *)addr,
							     LOG_SIZE - 1), 0);
		KUNIT_EXPECT_EQ_MSG(test, err, c->err, "%s: %s", c->name, out);
		if (c->log)
			KUNIT_EXPECT_TRUE_MSG(test, strstr(out, c->log),
					      "%s: log \"%s\"", c->name, out);
	}
}

/*
 * At level 1 the log holds the path that failed, with its instructions,
 * and not the paths that ended well; at level 2 it holds them all.
 */
static void explore_log_path_test(struct kunit *test)
{
	const struct bpf_insn insns[] = {
		KBPF_CALL_HELPER(BPF_FUNC_get_prandom_u32),	/* 0 */
		KBPF_JMP_IMM(BPF_JEQ, 0, 0, 2),			/* 1 */
		KBPF_MOV64_IMM(1, 11),				/* 2: fine */
		KBPF_EXIT(),					/* 3 */
		KBPF_MOV64_REG(0, 5),				/* 4: fails */
		KBPF_EXIT(),					/* 5 */
	};
	struct kbpf_verifier_env *env = kunit_kzalloc(test, sizeof(*env),
						      GFP_KERNEL);
	char *out = kunit_kzalloc(test, LOG_SIZE, GFP_KERNEL);
	struct kbpf_log log;
	unsigned long addr;
	u32 level, true_size;

	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, out);
	addr = kunit_vm_mmap(test, NULL, 0, LOG_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, addr, 0);
	for (level = 1; level <= 2; level++) {
		KUNIT_ASSERT_EQ(test, kbpf_log_init(&log, level,
						    (char __user *)addr,
						    LOG_SIZE), 0);
		KUNIT_ASSERT_EQ(test, kbpf_verifier_env_init(env, insns,
							     ARRAY_SIZE(insns),
							     &log), 0);
		env->prog_type = BPF_PROG_TYPE_KPROBE;
		KUNIT_EXPECT_EQ(test, kbpf_verify(env), -EACCES);
		kbpf_verifier_env_free(env);
		KUNIT_EXPECT_EQ(test, kbpf_log_finish(&log, &true_size), 0);
		KUNIT_ASSERT_EQ(test, copy_from_user(out, (char __user *)addr,
						     LOG_SIZE - 1), 0);
		KUNIT_EXPECT_TRUE_MSG(test, strstr(out, "\n4: (bf)"), "%s", out);
		KUNIT_EXPECT_TRUE_MSG(test, strstr(out, "R5 !read_ok"),
				      "%s", out);
		KUNIT_EXPECT_EQ_MSG(test, !strstr(out, "\n2: (b7)"), level == 1,
				    "level %u: %s", level, out);
	}
}

static struct kunit_case kbpf_explore_test_cases[] = {
	KUNIT_CASE(explore_cases_test),
	KUNIT_CASE(explore_log_path_test),
	{}
};

static struct kunit_suite kbpf_explore_test_suite = {
	.name = "kbpf_explore",
	.test_cases = kbpf_explore_test_cases,
};

kunit_test_suite(kbpf_explore_test_suite);

MODULE_DESCRIPTION("KUnit tests for the kbpf verifier's exploration");
MODULE_LICENSE("GPL");
