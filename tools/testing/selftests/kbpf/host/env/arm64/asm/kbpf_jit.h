/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build of kbpf's arm64 JIT, run under qemu-aarch64 -cpu max: the
 * landing pads and return-address signing are emitted as in a kernel that
 * has them (the CPU model has BTI and pointer authentication), and
 * kbpf_host_arm64_lse picks the atomics, so one harness runs both kinds.
 */
#ifndef _KBPF_HOST_ASM_ARM64_KBPF_JIT_H
#define _KBPF_HOST_ASM_ARM64_KBPF_JIT_H

#include <stdbool.h>

extern bool kbpf_host_arm64_lse;

static inline bool kbpf_arm64_bti(void)
{
	return true;
}

static inline bool kbpf_arm64_pac(void)
{
	return true;
}

static inline bool kbpf_arm64_lse(void)
{
	return kbpf_host_arm64_lse;
}

#endif
