/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kbpf's x86-64 JIT (arch/x86/net/kbpf_jit.c) asks of the kernel it
 * runs in: which hardening the kernel has on, and the thunks its returns
 * and indirect jumps must go through. The host harness, which runs the
 * same JIT in userspace, has its own version of this header, with none.
 */
#ifndef _ASM_X86_KBPF_JIT_H
#define _ASM_X86_KBPF_JIT_H

#include <linux/compiler.h>
#include <linux/cpufeature.h>
#include <linux/kconfig.h>
#include <asm/alternative.h>
#include <asm/nospec-branch.h>

/* Indirect branch targets begin with ENDBR64 when the kernel has IBT. */
static inline bool kbpf_x86_ibt(void)
{
	return IS_ENABLED(CONFIG_X86_KERNEL_IBT);
}

/* An int3 after ret and jmp stops straight-line speculation. */
static inline bool kbpf_x86_sls(void)
{
	return IS_ENABLED(CONFIG_MITIGATION_SLS);
}

/* Where returns go when the CPU needs them through a thunk, else NULL. */
static inline const void *kbpf_x86_return_thunk(void)
{
	return cpu_wants_rethunk() ? x86_return_thunk : NULL;
}

/*
 * Where jmp *reg goes instead: the ITS or retpoline thunk for @reg, or
 * NULL for a plain jmp (after an lfence when @lfence comes back true).
 */
static inline const void *kbpf_x86_indirect_thunk(int reg, bool *lfence)
{
	*lfence = false;
	if (cpu_feature_enabled(X86_FEATURE_INDIRECT_THUNK_ITS))
		return its_static_thunk(reg);
	if (cpu_feature_enabled(X86_FEATURE_RETPOLINE_LFENCE)) {
		*lfence = true;
		return NULL;
	}
	if (cpu_feature_enabled(X86_FEATURE_RETPOLINE)) {
		if (cpu_feature_enabled(X86_FEATURE_CALL_DEPTH))
			return &__x86_indirect_jump_thunk_array[reg];
		return &__x86_indirect_thunk_array[reg];
	}
	return NULL;
}

#endif /* _ASM_X86_KBPF_JIT_H */
