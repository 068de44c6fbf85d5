/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C library's syscall(), wrapped at link time (-Wl,--wrap=syscall):
 * calls to syscall() reach __wrap_syscall(), which reaches the C
 * library's own through __real_syscall().
 */
#ifndef _KBPF_UPSTREAM_LIBC_WRAPS_H
#define _KBPF_UPSTREAM_LIBC_WRAPS_H

long __real_syscall(long nr, ...);
long __wrap_syscall(long nr, ...);

#endif
