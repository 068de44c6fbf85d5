// SPDX-License-Identifier: GPL-2.0
/*
 * Interpreter and JIT benchmark: ns per executed instruction on three
 * kinds of program, interpreted and JITed, against the same computation
 * in C built by gcc -O2. Only the
 * ratio means anything on a shared machine: both sides run in the same
 * process, alternately, and each takes its best of several rounds. The C
 * side lives in bench_native.c, so the compiler cannot fold the iteration
 * count into it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "asm.h"
#include "bench.h"
#include "jit_runner.h"
#include "loader.h"

#define ROUNDS		5
#define ITERATIONS	2000000

/**
 * struct bench - one benchmark
 * @name: what it stresses
 * @text: the program; r1 = a 512-byte buffer, r2 = iterations
 * @per_iter: instructions the loop executes per iteration
 * @fixed: instructions executed outside the loop
 */
struct bench {
	const char *name;
	const char *text;
	unsigned int per_iter, fixed;
};

static const struct bench benches[] = {
	{ "alu", /* multiply, add, shift, xor, accumulate */
	  "mov %r0, 0\n"
	  "lddw %r3, 0x9e3779b97f4a7c15\n"
	  "lddw %r4, 0x5851f42d4c957f2d\n"
	  "loop:\n"
	  "mul %r3, %r4\n"
	  "add %r3, 1442695\n"
	  "mov %r5, %r3\n"
	  "rsh %r5, 29\n"
	  "xor %r3, %r5\n"
	  "add %r0, %r3\n"
	  "sub %r2, 1\n"
	  "jne %r2, 0, loop\n"
	  "exit\n", 8, 4 },
	{ "memory", /* read-modify-write over a 64-word buffer */
	  "mov %r0, 0\n"
	  "mov %r3, 0\n"
	  "loop:\n"
	  "mov %r4, %r3\n"
	  "and %r4, 63\n"
	  "lsh %r4, 3\n"
	  "mov %r5, %r1\n"
	  "add %r5, %r4\n"
	  "ldxdw %r6, [%r5]\n"
	  "add %r6, %r3\n"
	  "stxdw [%r5], %r6\n"
	  "add %r0, %r6\n"
	  "add %r3, 1\n"
	  "jne %r3, %r2, loop\n"
	  "exit\n", 11, 3 },
	{ "call", /* a bpf-to-bpf call per iteration */
	  "mov %r6, %r2\n"
	  "mov %r7, 0\n"
	  "loop:\n"
	  "mov %r1, %r6\n"
	  "call local func\n"
	  "add %r7, %r0\n"
	  "sub %r6, 1\n"
	  "jne %r6, 0, loop\n"
	  "mov %r0, %r7\n"
	  "exit\n"
	  "func:\n"
	  "mov %r0, %r1\n"
	  "mul %r0, 3\n"
	  "add %r0, 7\n"
	  "exit\n", 9, 4 },
};

/* The call benchmark's callee, here so the C loop cannot inline it. */
__u64 bench_native_callee(__u64 x)
{
	return x * 3 + 7;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static __u64 run_native(unsigned int which, __u64 *buf, __u64 n)
{
	switch (which) {
	case 0:
		return bench_native_alu(n);
	case 1:
		return bench_native_mem(buf, n);
	default:
		return bench_native_call(n);
	}
}

static int bench_one(unsigned int which)
{
	const struct bench *b = &benches[which];
	struct kbpf_asm_prog prog = {};
	struct kbpf_host_prog hp = {};
	double best_interp = 1e30, best_native = 1e30, best_jit = 1e30, insns;
	__u64 buf[64], r0 = 0, want = 0, jit_r0 = 0, args[2];
	struct kbpf_host_jit hj;
	char err[256];
	int round;

	if (kbpf_asm(b->text, 1, &prog, err, sizeof(err)) ||
	    kbpf_host_load_insns(&hp, prog.insns, prog.len, err, sizeof(err))) {
		fprintf(stderr, "bench %s: %s\n", b->name, err);
		kbpf_asm_prog_free(&prog);
		return 1;
	}
	kbpf_asm_prog_free(&prog);
	if (kbpf_host_jit_compile(&hp.prog, &hj)) {
		fprintf(stderr, "bench %s: the JIT refused it\n", b->name);
		kbpf_host_prog_free(&hp);
		return 1;
	}
	for (round = 0; round < ROUNDS; round++) {
		__u64 n = ITERATIONS;
		double t;

		memset(buf, 0, sizeof(buf));
		t = now_ns();
		want = run_native(which, buf, n);
		t = now_ns() - t;
		if (t < best_native)
			best_native = t;

		memset(buf, 0, sizeof(buf));
		t = now_ns();
		kbpf_host_exec(&hp, buf, n, &r0);
		t = now_ns() - t;
		if (t < best_interp)
			best_interp = t;

		memset(buf, 0, sizeof(buf));
		args[0] = (unsigned long)buf;
		args[1] = n;
		t = now_ns();
		jit_r0 = kbpf_host_jit_exec(&hj, args, 2);
		t = now_ns() - t;
		if (t < best_jit)
			best_jit = t;
	}
	kbpf_host_jit_free(&hj);
	kbpf_host_prog_free(&hp);
	if (r0 != want || jit_r0 != want) {
		fprintf(stderr, "bench %s: interpreter gave 0x%llx, JIT 0x%llx, C 0x%llx\n",
			b->name, (unsigned long long)r0,
			(unsigned long long)jit_r0, (unsigned long long)want);
		return 1;
	}
	insns = (double)b->per_iter * ITERATIONS + b->fixed;
	printf("%-8s %10.0f %9.2f %9.2f %9.2f %11.1fx %9.2fx\n", b->name, insns,
	       best_interp / insns, best_jit / insns, best_native / insns,
	       best_interp / best_native, best_jit / best_native);
	return 0;
}

/**
 * kbpf_bench_run() - run the interpreter and JIT benchmarks, print the table
 *
 * Return: 0, or 1 if a benchmark did not compute what its C twin did, run
 * either way.
 */
int kbpf_bench_run(void)
{
	unsigned int i;
	int ret = 0;

	printf("interpreter and JIT vs gcc -O2, %u iterations, best of %d rounds, ns per insn\n",
	       ITERATIONS, ROUNDS);
	printf("%-8s %10s %9s %9s %9s %12s %10s\n", "program", "insns",
	       "interp", "jit", "native", "interp/nat", "jit/nat");
	for (i = 0; i < ARRAY_SIZE(benches); i++)
		ret |= bench_one(i);
	return ret;
}
