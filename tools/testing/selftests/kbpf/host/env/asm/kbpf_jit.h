/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build of kbpf's x86-64 JIT: userspace has none of the kernel's
 * hardening, so returns and indirect jumps are plain.
 */
#ifndef _KBPF_HOST_ASM_KBPF_JIT_H
#define _KBPF_HOST_ASM_KBPF_JIT_H

#include <stdbool.h>
#include <stddef.h>

static inline bool kbpf_x86_ibt(void)
{
	return false;
}

static inline bool kbpf_x86_sls(void)
{
	return false;
}

static inline const void *kbpf_x86_return_thunk(void)
{
	return NULL;
}

static inline const void *kbpf_x86_indirect_thunk(int reg, bool *lfence)
{
	*lfence = false;
	return NULL;
}

#endif
