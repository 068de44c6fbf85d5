/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build for arm64: the UAPI header has only struct user_pt_regs;
 * kprobe programs see the kernel's struct pt_regs, whose size the
 * verifier checks context accesses against. Its layout as in 6.12.
 */
#ifndef _KBPF_HOST_ASM_PTRACE_H
#define _KBPF_HOST_ASM_PTRACE_H

#include_next <asm/ptrace.h>
#include <linux/types.h>

struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			__u64 regs[31];
			__u64 sp;
			__u64 pc;
			__u64 pstate;
		};
	};
	__u64 orig_x0;
	__s32 syscallno;
	__u32 unused2;
	__u64 sdei_ttbr1;
	__u64 pmr_save;
	__u64 stackframe[2];
	__u64 lockdep_hardirqs;
	__u64 exit_rcu;
};

#endif
