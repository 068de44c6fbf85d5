// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark programs of bench.c written in C. Each computes exactly
 * what its eBPF twin computes (bench.c checks the results agree), so the
 * time ratio is the interpreter's cost over native code.
 */
#include "bench.h"

__u64 bench_native_alu(__u64 n)
{
	__u64 acc = 0, x = 0x9e3779b97f4a7c15ULL;
	const __u64 m = 0x5851f42d4c957f2dULL;

	do {
		x = x * m + 1442695;
		x ^= x >> 29;
		acc += x;
	} while (--n);
	return acc;
}

__u64 bench_native_mem(__u64 *buf, __u64 n)
{
	__u64 acc = 0, i = 0;

	do {
		__u64 *p = &buf[i & 63];

		*p += i;
		acc += *p;
	} while (++i != n);
	return acc;
}

__u64 bench_native_call(__u64 n)
{
	__u64 acc = 0;

	do {
		acc += bench_native_callee(n);
	} while (--n);
	return acc;
}
