/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kbpf: one thread, nothing to yield to. */
#ifndef _KBPF_HOST_LINUX_SCHED_H
#define _KBPF_HOST_LINUX_SCHED_H

#define current			((void *)0)
#define cond_resched()		do { } while (0)

#endif
