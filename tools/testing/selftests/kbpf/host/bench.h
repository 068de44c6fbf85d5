/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KBPF_HOST_BENCH_H
#define KBPF_HOST_BENCH_H

#include <linux/types.h>

int kbpf_bench_run(void);

/* The benchmark programs as C, built by gcc -O2 as any native code. */
__u64 bench_native_alu(__u64 n);
__u64 bench_native_mem(__u64 *buf, __u64 n);
__u64 bench_native_call(__u64 n);
__u64 bench_native_callee(__u64 x);

#endif /* KBPF_HOST_BENCH_H */
