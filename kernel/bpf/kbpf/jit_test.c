// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for JITed programs in the kernel: what kallsyms and the
 * symbol lookups of unwinders and oopses make of the image, and what its
 * entry starts with. (Every opcode runs JITed in the interpreter's suite.)
 */

#include <kunit/test.h>
#include <linux/filter.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/string.h>

#include "insn.h"
#include "jit.h"
#include "jit_image.h"
#include "prog.h"
#include "run.h"

/* A published socket filter of @len slots, JITed; NULL when it was not. */
static struct kbpf_prog *jited_prog(struct kunit *test,
				    const struct bpf_insn *insns, u32 len)
{
	struct kbpf_prog *prog = kbpf_prog_alloc(len);

	KUNIT_ASSERT_NOT_NULL(test, prog);
	memcpy(prog->insns, insns, len * sizeof(*insns));
	prog->type = BPF_PROG_TYPE_SOCKET_FILTER;
	strscpy(prog->name, "kunit_jit", sizeof(prog->name));
	memset(prog->tag, 0xab, sizeof(prog->tag));
	prog->run.insns = prog->insns;
	prog->run.len = len;
	prog->run.stack_depth = 0;
	prog->run.ops = kbpf_runtime_ops(prog->type);
	KUNIT_ASSERT_EQ(test, kbpf_interp_prepare(&prog->run), 0);
	kbpf_jit_prog(prog);
	kbpf_jit_publish(prog);
	return prog;
}

static void jit_symbols_test(struct kunit *test)
{
	const struct bpf_insn insns[] = {
		KBPF_CALL_LOCAL(1, 0), KBPF_EXIT(),
		KBPF_MOV64_IMM(0, 7), KBPF_EXIT(),
	};
	char sym[KSYM_SYMBOL_LEN];
	struct kbpf_prog *prog;
	unsigned long addr;

	if (!READ_ONCE(bpf_jit_enable))
		kunit_skip(test, "net.core.bpf_jit_enable is off");
	prog = jited_prog(test, insns, ARRAY_SIZE(insns));
	KUNIT_ASSERT_NOT_NULL(test, prog->jit);
	KUNIT_EXPECT_EQ(test, kbpf_prog_run(prog, NULL), 7);

	addr = (unsigned long)kbpf_jit_func_addr(prog, 0);
	KUNIT_EXPECT_TRUE(test, __kernel_text_address(addr));
	sprint_symbol(sym, addr);
	KUNIT_EXPECT_TRUE_MSG(test,
			      strstarts(sym, "bpf_prog_abababababababab_kunit_jit+0x0/"),
			      "%s", sym);
	/* An oops inside the subprogram names it. */
	addr = (unsigned long)kbpf_jit_func_addr(prog, 1);
	sprint_symbol(sym, addr + 1);
	KUNIT_EXPECT_TRUE_MSG(test,
			      strstarts(sym, "bpf_prog_abababababababab_kunit_jit_F1+0x1/"),
			      "%s", sym);
	/* Under IBT, an indirect call may only land on ENDBR64. */
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT))
		KUNIT_EXPECT_EQ(test, *(u32 *)kbpf_jit_func_addr(prog, 0),
				0xfa1e0ff3);
	/*
	 * Under BTI, blr into the entry and a tail call's br both land on
	 * BTI JC; with pointer authentication PACIASP follows.
	 */
	if (IS_ENABLED(CONFIG_ARM64_BTI_KERNEL))
		KUNIT_EXPECT_EQ(test, *(u32 *)kbpf_jit_func_addr(prog, 0),
				0xd50324dfu);
	if (IS_ENABLED(CONFIG_ARM64) && IS_ENABLED(CONFIG_ARM64_PTR_AUTH_KERNEL))
		KUNIT_EXPECT_EQ(test, ((u32 *)kbpf_jit_func_addr(prog, 0))
				[IS_ENABLED(CONFIG_ARM64_BTI_KERNEL)],
				0xd503233fu);
	kbpf_prog_put(prog);
}

static struct kunit_case kbpf_jit_test_cases[] = {
	KUNIT_CASE(jit_symbols_test),
	{}
};

static struct kunit_suite kbpf_jit_test_suite = {
	.name = "kbpf_jit",
	.test_cases = kbpf_jit_test_cases,
};

kunit_test_suite(kbpf_jit_test_suite);

MODULE_DESCRIPTION("KUnit tests for kbpf's JIT in the kernel");
MODULE_LICENSE("GPL");
