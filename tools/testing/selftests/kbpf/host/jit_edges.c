// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-host jit-edges: the programs the JIT's own choices make risky, run
 * JITed and interpreted, which must agree:
 *  - a conditional and an unconditional jump, forward and backward, over
 *    every length of code around the point where the short form stops
 *    reaching (x86-64's rel8; arm64's b.cond, 1 MiB), so both encodings
 *    and the passes that pick them meet their boundary;
 *  - LD_IMM64 of values that take each of its encodings;
 *  - a program of more than 100,000 instructions with jumps across it.
 * Ends with "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/array_size.h>

#include "insn.h"
#include "jit_runner.h"
#include "jit_edges.h"

#ifdef __aarch64__
#include <asm/kbpf_jit.h>
#endif

static unsigned int passed, failed;

/* Run @insns both ways from the same start; count and report the result. */
static void check(const char *what, struct bpf_insn *insns, u32 len, u64 arg)
{
	struct kbpf_interp_prog prog = {
		.insns = insns, .len = len, .stack_depth = KBPF_STACK_SIZE,
	};
	static const struct kbpf_interp_ops ops;
	u64 want = 0, got = 0;
	int err;

	prog.ops = &ops;
	err = kbpf_interp_prepare(&prog) ?: kbpf_interp_exec(&prog, &arg, 1, &want);
	if (!err)
		err = kbpf_jit_exec(&prog, &arg, 1, &got);
	if (err || got != want) {
		printf("FAIL %s: error %d, interpreter 0x%llx, JIT 0x%llx\n", what,
		       err, (unsigned long long)want, (unsigned long long)got);
		failed++;
		return;
	}
	passed++;
}

/*
 * r0 = 1; if r1 == 0 skip @fill copies of @filler; then the same skipped
 * by a ja, and a loop jumping back over it. A filler's code has a fixed
 * size, so the jumps' reach crosses the short form's inside a range of
 * @fill. The stack's first word starts at 0 for fillers that use it.
 */
static void jumps_over(u32 fill, struct bpf_insn filler, const char *name)
{
	struct bpf_insn *insns = calloc(3 * fill + 9, sizeof(*insns));
	char what[96];
	u32 n = 0, i;

	if (!insns) {
		failed++;
		return;
	}
	insns[n++] = KBPF_ST_MEM(BPF_DW, 10, -8, 0);
	insns[n++] = KBPF_MOV64_IMM(0, 1);
	insns[n++] = KBPF_JMP_IMM(BPF_JEQ, 1, 0, fill);
	for (i = 0; i < fill; i++)
		insns[n++] = filler;
	insns[n++] = KBPF_JA(fill);
	for (i = 0; i < fill; i++)
		insns[n++] = filler;
	/* back: r2 counts down from 2, the body is the filler again */
	insns[n++] = KBPF_MOV64_IMM(2, 2);
	for (i = 0; i < fill; i++)
		insns[n++] = filler;
	insns[n++] = KBPF_ALU64_IMM(BPF_SUB, 2, 1);
	insns[n++] = KBPF_JMP_IMM(BPF_JNE, 2, 0, -(int)fill - 2);
	insns[n++] = KBPF_EXIT();
	snprintf(what, sizeof(what), "jumps over %u %s, r1 = 0", fill, name);
	check(what, insns, n, 0);
	snprintf(what, sizeof(what), "jumps over %u %s, r1 = 1", fill, name);
	check(what, insns, n, 1);
	free(insns);
}

static void ld_imm64(u64 value)
{
	struct bpf_insn insns[] = {
		KBPF_MOV64_IMM(0, -1),
		KBPF_LD_IMM64(0, value), KBPF_IMM64_HI(value),
		KBPF_EXIT(),
	};
	char what[64];

	snprintf(what, sizeof(what), "lddw 0x%llx", (unsigned long long)value);
	check(what, insns, ARRAY_SIZE(insns), 0);
}

/* 120,000 instructions: additions, a short jump every 64, one far back. */
static void big_program(void)
{
	u32 len = 120000, n = 0, i;
	struct bpf_insn *insns = calloc(len, sizeof(*insns));

	if (!insns) {
		failed++;
		return;
	}
	insns[n++] = KBPF_MOV64_IMM(0, 0);
	insns[n++] = KBPF_MOV64_IMM(2, 2);
	while (n < len - 4) {
		if (n % 64 == 0)
			insns[n++] = KBPF_JMP_IMM(BPF_JSET, 1, 1, 1);
		else
			insns[n++] = KBPF_ALU64_IMM(BPF_ADD, 0, n);
	}
	/* twice through the whole program: back past s16's reach, by gotol */
	insns[n++] = KBPF_ALU64_IMM(BPF_SUB, 2, 1);
	insns[n++] = KBPF_JMP_IMM(BPF_JEQ, 2, 0, 1);
	i = n;
	insns[n++] = KBPF_GOTOL(2 - (int)(i + 1));
	insns[n++] = KBPF_EXIT();
	check("120000 instructions", insns, n, 0);
	check("120000 instructions, jsets taken", insns, n, 1);
	free(insns);
}

/**
 * kbpf_host_jit_edges() - run the JIT's edge cases against the interpreter
 *
 * Return: 0 when all agree, 1 otherwise.
 */
int kbpf_host_jit_edges(void)
{
	static const u64 values[] = {
		0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0xffffffff80000000ULL, 0xffffffff7fffffffULL, ~0ULL,
		0x123456789abcdef0ULL,
	};
	u32 fill;
	size_t i;
#ifdef __aarch64__
	bool lse;
#endif

	/* x86-64's rel8: additions are 3 bytes each (add r, imm8) there. */
	for (fill = 30; fill <= 50; fill++)
		jumps_over(fill, KBPF_ALU64_IMM(BPF_ADD, 0, 3), "additions");
#ifdef __aarch64__
	/*
	 * arm64's b.cond reaches 1 MiB, and a jump's offset spans at most
	 * 32,767 slots: only code of more than 32 bytes a slot needs the long
	 * form. A cmpxchg on the stack as an LL/SC loop is 36 (9 A64
	 * instructions), so 29,126 of them are as far as b.cond reaches.
	 */
	lse = kbpf_host_arm64_lse;
	kbpf_host_arm64_lse = false;
	for (fill = 29124; fill <= 29129; fill++)
		jumps_over(fill, KBPF_ATOMIC(BPF_DW, BPF_CMPXCHG, 10, 0, -8),
			   "cmpxchg");
	kbpf_host_arm64_lse = lse;
#endif
	for (i = 0; i < ARRAY_SIZE(values); i++)
		ld_imm64(values[i]);
	big_program();
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
