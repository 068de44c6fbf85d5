/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host harness's JIT runner: kbpf's x86-64 code generator writes into
 * memory mapped near the harness's own code (helper calls are rel32), and
 * the code runs in this process.
 */
#ifndef KBPF_HOST_JIT_RUNNER_H
#define KBPF_HOST_JIT_RUNNER_H

#include <stddef.h>
#include <linux/types.h>

#include "interp.h"
#include "jit.h"

/**
 * struct kbpf_host_jit - a program's JITed code in this process
 * @mem: the executable mapping
 * @size: its bytes
 * @entry: where runs start
 */
struct kbpf_host_jit {
	void *mem;
	size_t size;
	kbpf_jit_entry_fn entry;
};

int kbpf_host_jit_compile(struct kbpf_interp_prog *prog, struct kbpf_host_jit *hj);
u64 kbpf_host_jit_exec(const struct kbpf_host_jit *hj, const u64 *args,
		       unsigned int nr_args);
void kbpf_host_jit_free(struct kbpf_host_jit *hj);

#endif /* KBPF_HOST_JIT_RUNNER_H */
