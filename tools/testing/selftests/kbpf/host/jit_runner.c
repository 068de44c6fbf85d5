// SPDX-License-Identifier: GPL-2.0
/*
 * The host harness's JIT runner. The code generator is the kernel's
 * (arch/x86/net/kbpf_jit.c or arch/arm64/net/kbpf_jit.c), unchanged;
 * this file does what the kernel's jit.c does with its output: find
 * memory the code's calls reach from, write the code, make it executable,
 * and enter it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jit_runner.h"

#ifdef __aarch64__
#include <stdlib.h>
#include <sys/auxv.h>

/* LSE atomics when the CPU has them, unless KBPF_HOST_NO_LSE is set. */
bool kbpf_host_arm64_lse;

static void __attribute__((constructor)) pick_atomics(void)
{
	kbpf_host_arm64_lse = (getauxval(AT_HWCAP) & HWCAP_ATOMICS) &&
			      !getenv("KBPF_HOST_NO_LSE");
}

/* Guarded pages: an indirect branch must land on a BTI landing pad. */
#define PROT_CODE	(PROT_READ | PROT_EXEC | PROT_BTI)
#else
#define PROT_CODE	(PROT_READ | PROT_EXEC)
#endif

/*
 * x86-64's helper calls are rel32: the code must lie within 2 GiB of the
 * harness (arm64's reach anywhere).
 */
static void *map_near_text(size_t size)
{
	uintptr_t text = (uintptr_t)&kbpf_jit_tail_call;
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t step = 16 << 20, hint;
	int i;

	for (i = 1; i < 64; i++) {
		void *p;

		hint = ((text & ~(uintptr_t)(page - 1)) + i * step) & ~(step - 1);
		p = mmap((void *)hint, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != MAP_FAILED)
			return p;
	}
	return NULL;
}

/**
 * kbpf_host_jit_compile() - JIT a program the interpreter accepted
 * @prog: the program; its jit_tail_entry is set
 * @hj: the code; free with kbpf_host_jit_free()
 *
 * Return: 0, or the code generator's error (-EOPNOTSUPP for a program it
 * leaves to the interpreter).
 */
int kbpf_host_jit_compile(struct kbpf_interp_prog *prog, struct kbpf_host_jit *hj)
{
	struct kbpf_jit_prog jp;
	int err;

	memset(hj, 0, sizeof(*hj));
	err = kbpf_jit_plan(&jp, prog);
	if (!err)
		err = kbpf_arch_jit_size(&jp);
	if (err)
		goto out;
	hj->size = jp.size;
	hj->mem = map_near_text(hj->size);
	if (!hj->mem) {
		err = -ENOMEM;
		goto out;
	}
	jp.image = hj->mem;
	jp.buf = hj->mem;
	err = kbpf_arch_jit_emit(&jp);
	__builtin___clear_cache((char *)hj->mem, (char *)hj->mem + hj->size);
	if (!err && mprotect(hj->mem, hj->size, PROT_CODE))
		err = -errno;
	if (err) {
		munmap(hj->mem, hj->size);
		hj->mem = NULL;
		goto out;
	}
	hj->entry = (kbpf_jit_entry_fn)hj->mem;
	prog->jit_tail_entry = (char *)hj->mem + jp.tail_entry;
out:
	kbpf_arch_jit_free(&jp);
	kbpf_jit_plan_free(&jp);
	return err;
}

/**
 * kbpf_host_jit_exec() - run JITed code
 * @hj: the code
 * @args: r1, r2, ...
 * @nr_args: entries in @args, at most 5
 *
 * Return: r0.
 */
u64 kbpf_host_jit_exec(const struct kbpf_host_jit *hj, const u64 *args,
		       unsigned int nr_args)
{
	struct kbpf_jit_run run = {};
	u64 r[5] = {};

	memcpy(r, args, (nr_args > 5 ? 5 : nr_args) * sizeof(u64));
	return hj->entry(r[0], r[1], r[2], r[3], r[4], &run);
}

/**
 * kbpf_jit_exec() - compile a program, run it once, free the code
 * @prog: a program kbpf_interp_prepare() accepted
 * @args: r1, r2, ...
 * @nr_args: entries in @args, at most 5
 * @r0: the program's r0
 *
 * The host's version of the kernel's (jit.c), for the KUnit suites.
 *
 * Return: 0, or the JIT's error.
 */
int kbpf_jit_exec(struct kbpf_interp_prog *prog, const u64 *args, u32 nr_args,
		  u64 *r0)
{
	struct kbpf_host_jit hj;
	int err;

	err = kbpf_host_jit_compile(prog, &hj);
	if (err)
		return err;
	*r0 = kbpf_host_jit_exec(&hj, args, nr_args);
	prog->jit_tail_entry = NULL;
	kbpf_host_jit_free(&hj);
	return 0;
}

/**
 * kbpf_host_jit_free() - unmap JITed code
 * @hj: the code; may be one that failed to compile
 */
void kbpf_host_jit_free(struct kbpf_host_jit *hj)
{
	if (hj->mem)
		munmap(hj->mem, hj->size);
	hj->mem = NULL;
}
