/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel function that serves getppid(), which the tracing selftests
 * put kprobes on: the arch's syscall wrapper.
 */
#ifndef KBPF_GETPPID_FUNC_H
#define KBPF_GETPPID_FUNC_H

#if defined(__x86_64__)
#define GETPPID_FUNC	"__x64_sys_getppid"
#elif defined(__aarch64__)
#define GETPPID_FUNC	"__arm64_sys_getppid"
#else
#error "which function serves getppid() here?"
#endif

#endif /* KBPF_GETPPID_FUNC_H */
