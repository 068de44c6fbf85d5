/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kbpf's arm64 JIT (arch/arm64/net/kbpf_jit.c) asks of the kernel it
 * runs in: which hardening the kernel was built with and whether the CPUs
 * have the LSE atomics. The host harness, which runs the same JIT in
 * userspace under qemu-aarch64, has its own version of this header.
 */
#ifndef _ASM_ARM64_KBPF_JIT_H
#define _ASM_ARM64_KBPF_JIT_H

#include <linux/cpufeature.h>
#include <linux/kconfig.h>
#include <linux/types.h>

/* Indirect branch targets begin with a BTI landing pad. */
static inline bool kbpf_arm64_bti(void)
{
	return IS_ENABLED(CONFIG_ARM64_BTI_KERNEL);
}

/* Return addresses are signed on the way in and checked on the way out. */
static inline bool kbpf_arm64_pac(void)
{
	return IS_ENABLED(CONFIG_ARM64_PTR_AUTH_KERNEL);
}

/* Atomics in one instruction (ARMv8.1 LSE) rather than LL/SC loops. */
static inline bool kbpf_arm64_lse(void)
{
	return IS_ENABLED(CONFIG_ARM64_LSE_ATOMICS) &&
	       cpus_have_cap(ARM64_HAS_LSE_ATOMICS);
}

#endif /* _ASM_ARM64_KBPF_JIT_H */
