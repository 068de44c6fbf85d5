/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpf-verify's two halves meet here: the loader side (libbpf_verify.c,
 * the C library's and libbpf's headers) and the verifier side
 * (libbpf_verify_core.c, kbpf's core in the host environment). Plain C
 * types only, so that neither side sees the other's headers.
 */
#ifndef _KBPF_LIBBPF_VERIFY_H
#define _KBPF_LIBBPF_VERIFY_H

#include <stdbool.h>

/* A map a program names, as the running kernel describes it. */
struct lv_map {
	int fd;
	unsigned int type, key_size, value_size, max_entries, flags;
	/* The value of a frozen read-only array of one entry, or NULL. */
	const void *frozen;
};

/* What kbpf's verifier made of one program. */
struct lv_result {
	int err;
	unsigned int processed;
	double seconds;
};

/* The loader side wraps the C library's syscall() at link time. */
long __real_syscall(long nr, ...);
long __wrap_syscall(long nr, ...);

void lv_verify(unsigned int prog_type, const void *insns, unsigned int len,
	       const struct lv_map *maps, unsigned int nr_maps, bool perfmon,
	       char *log, unsigned int log_size, struct lv_result *res);

#endif
