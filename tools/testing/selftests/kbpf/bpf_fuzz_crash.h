/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What bpf_fuzz's child says when one of its threads dies of a signal
 * nobody sent on purpose (SIGSEGV, SIGBUS, SIGILL, SIGFPE): the signal,
 * the address and the instruction, the thread and the step it was in
 * (with the bpf(2) command of its last call), the words on its stack
 * that point into the program's text (addr2line turns them into a rough
 * backtrace: the binary is static), and the process's mappings. Without
 * it, a death in a long soak says only "killed by signal 11".
 *
 * The handler runs in the dying thread and uses write(2) alone. It then
 * returns with the signal's default action restored, so the fault
 * repeats and kills the process, and the supervisor counts it as before.
 */
#ifndef KBPF_BPF_FUZZ_CRASH_H
#define KBPF_BPF_FUZZ_CRASH_H

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <fcntl.h>

#include "bpf_fuzz.h"

#define CRASH_ALTSTACK	(64 * 1024)
#define CRASH_STACK_SCAN	2048

/* Where each thread is: set by the worker loop and by every bpf(2) call. */
static __thread const char *crash_step = "setup";
static __thread int crash_cmd = -1;
static __thread int crash_thread = -1;

/* The static binary's text, from the linker. */
extern char __executable_start[], etext[];

static void crash_put(const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t k = write(STDOUT_FILENO, s, n);

		if (k <= 0)
			return;
		s += k;
		n -= k;
	}
}

static void crash_put_num(unsigned long v, unsigned int base)
{
	char buf[24];
	int i = sizeof(buf) - 1;

	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && i > 2);
	if (base == 16) {
		buf[--i] = 'x';
		buf[--i] = '0';
	}
	crash_put(buf + i);
}

static void crash_put_int(long v)
{
	if (v < 0)
		crash_put("-");
	crash_put_num(v < 0 ? -(unsigned long)v : v, 10);
}

static void crash_regs(void *ucv, unsigned long *pc, unsigned long *sp, unsigned long *lr)
{
	ucontext_t *uc = ucv;

	*lr = 0;
#if defined(__x86_64__)
	*pc = uc->uc_mcontext.gregs[REG_RIP];
	*sp = uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
	*pc = uc->uc_mcontext.pc;
	*sp = uc->uc_mcontext.sp;
	*lr = uc->uc_mcontext.regs[30];
#else
	*pc = 0;
	*sp = 0;
#endif
}

static int crash_in_text(unsigned long a)
{
	return a >= (unsigned long)__executable_start && a < (unsigned long)etext;
}

/* Copies /proc/self/maps to stdout: where the addresses above lie. */
static void crash_maps(void)
{
	char buf[1024];
	ssize_t n;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		crash_put(buf);
	}
	close(fd);
}

static void crash_handler(int sig, siginfo_t *si, void *uc)
{
	unsigned long pc, sp, lr, *w;
	unsigned int i, shown = 0;

	crash_regs(uc, &pc, &sp, &lr);
	crash_put("# crash: signal ");
	crash_put_num(sig, 10);
	crash_put(" code ");
	crash_put_int(si->si_code);
	crash_put(" address ");
	crash_put_num((unsigned long)si->si_addr, 16);
	crash_put(" pc ");
	crash_put_num(pc, 16);
	crash_put(" lr ");
	crash_put_num(lr, 16);
	crash_put(" sp ");
	crash_put_num(sp, 16);
	crash_put("\n# crash: thread ");
	crash_put_int(crash_thread);
	crash_put(" in ");
	crash_put(crash_step);
	crash_put(", last bpf(2) command ");
	crash_put_int(crash_cmd);
	crash_put("\n# crash: text addresses on the stack:");
	/* The stack above sp is this thread's: the frames that led here. */
	for (i = 0, w = (unsigned long *)sp; sp && i < CRASH_STACK_SCAN && shown < 32; i++)
		if (crash_in_text(w[i])) {
			crash_put(" ");
			crash_put_num(w[i], 16);
			shown++;
		}
	crash_put("\n");
	crash_maps();
}

/**
 * crash_report_thread() - report this thread's unexpected death
 * @idx: the thread's index, for the report
 *
 * Gives the thread a signal stack (a stack overflow still gets its
 * report) and records its index. The handlers are process-wide: the
 * first call installs them.
 */
static inline void crash_report_thread(int idx)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
	struct sigaction sa = {
		.sa_sigaction = crash_handler,
		.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND,
	};
	stack_t ss = { .ss_size = CRASH_ALTSTACK };
	unsigned int i;

	crash_thread = idx;
	ss.ss_sp = malloc(CRASH_ALTSTACK);
	if (ss.ss_sp)
		sigaltstack(&ss, NULL);
	for (i = 0; i < ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

#endif /* KBPF_BPF_FUZZ_CRASH_H */
