/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a test program for the host's interpreter: what BPF_PROG_LOAD
 * will do in the kernel, reduced to what unverified conformance programs
 * need.
 */
#ifndef KBPF_HOST_LOADER_H
#define KBPF_HOST_LOADER_H

#include <stddef.h>
#include <linux/types.h>

#include "datafile.h"
#include "interp.h"
#include "jit_runner.h"

/**
 * struct kbpf_host_prog - a loaded program
 * @insns: the instructions, with each local call's stack depth filled in
 * @prog: what the interpreter runs
 * @jit: its JITed code, when kbpf_host_use_jit was set at load
 */
struct kbpf_host_prog {
	struct bpf_insn *insns;
	struct kbpf_interp_prog prog;
	struct kbpf_host_jit jit;
};

/* Load programs through the JIT too, and run them JITed. */
extern bool kbpf_host_use_jit;

int kbpf_host_load_insns(struct kbpf_host_prog *hp, const struct bpf_insn *insns,
			 unsigned int len, char *err, size_t err_size);
int kbpf_host_load(const struct kbpf_data_file *df, struct kbpf_host_prog *hp,
		   char *err, size_t err_size);
int kbpf_host_exec(const struct kbpf_host_prog *hp, void *mem, size_t mem_len,
		   __u64 *r0);
void kbpf_host_prog_free(struct kbpf_host_prog *hp);

#endif /* KBPF_HOST_LOADER_H */
