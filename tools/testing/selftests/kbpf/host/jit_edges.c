// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-host jit-edges: the programs the JIT's own choices make risky, run
 * JITed and interpreted, which must agree:
 *  - a conditional and an unconditional jump, forward and backward, over
 *    every length of code around the point where the short form (rel8)
 *    stops reaching, so both encodings and the passes that pick them
 *    meet their boundary;
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
 * r0 = 1; if r1 == 0 skip @fill additions of 3 to r0; the filler is
 * 3-byte instructions, so the jump's reach crosses 127 bytes inside the
 * range. Then the same skipped by a ja, and a loop jumping back over it.
 */
static void jumps_over(u32 fill)
{
	struct bpf_insn insns[200];
	char what[64];
	u32 n = 0, i;

	insns[n++] = KBPF_MOV64_IMM(0, 1);
	insns[n++] = KBPF_JMP_IMM(BPF_JEQ, 1, 0, fill);
	for (i = 0; i < fill; i++)
		insns[n++] = KBPF_ALU64_IMM(BPF_ADD, 0, 3);
	insns[n++] = KBPF_JA(fill);
	for (i = 0; i < fill; i++)
		insns[n++] = KBPF_ALU64_IMM(BPF_ADD, 0, 5);
	/* back: r1 counts down from 2, the body is the filler again */
	insns[n++] = KBPF_MOV64_IMM(2, 2);
	for (i = 0; i < fill; i++)
		insns[n++] = KBPF_ALU64_IMM(BPF_ADD, 0, 7);
	insns[n++] = KBPF_ALU64_IMM(BPF_SUB, 2, 1);
	insns[n++] = KBPF_JMP_IMM(BPF_JNE, 2, 0, -(int)fill - 2);
	insns[n++] = KBPF_EXIT();
	snprintf(what, sizeof(what), "jumps over %u additions, r1 = 0", fill);
	check(what, insns, n, 0);
	snprintf(what, sizeof(what), "jumps over %u additions, r1 = 1", fill);
	check(what, insns, n, 1);
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

	for (fill = 30; fill <= 50; fill++)
		jumps_over(fill);
	for (i = 0; i < ARRAY_SIZE(values); i++)
		ld_imm64(values[i]);
	big_program();
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
