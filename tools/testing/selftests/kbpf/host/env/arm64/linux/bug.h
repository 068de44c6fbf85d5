/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build of the A64 encoders: the assertions they make stop the
 * harness (the names as object-like macros, so the encoders' calls come
 * here).
 */
#ifndef _KBPF_HOST_LINUX_BUG_H
#define _KBPF_HOST_LINUX_BUG_H

#include <stdlib.h>
#include <linux/compiler.h>

static inline void kbpf_host_bug_on(int cond)
{
	if (cond)
		abort();
}

static inline __noreturn void kbpf_host_bug(void)
{
	abort();
}

#define BUG_ON	kbpf_host_bug_on
#define BUG	kbpf_host_bug

#endif
