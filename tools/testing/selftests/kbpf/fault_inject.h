/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's fault injection (Documentation/fault-injection/), as the
 * kbpf selftests use it: an attribute of debugfs (failslab,
 * fail_page_alloc, fail_kbpf_jit) set to fail a share of every attempt,
 * sleeping allocations included, in the tasks that ask for it through
 * /proc/thread-self/make-it-fail.
 */
#ifndef KBPF_FAULT_INJECT_H
#define KBPF_FAULT_INJECT_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FAULT_INJECT_DIR	"/sys/kernel/debug"

static inline int fault_inject_knob(const char *attr, const char *knob,
				    const char *val)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), FAULT_INJECT_DIR "/%s/%s", attr, knob);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Fails @percent percent of @attr's attempts in tasks that ask for it.
 * Returns 0, or -1 when the kernel has no such attribute.
 */
static inline int fault_inject_set(const char *attr, unsigned int percent)
{
	char pct[16];

	snprintf(pct, sizeof(pct), "%u", percent);
	if (fault_inject_knob(attr, "probability", pct))
		return -1;
	fault_inject_knob(attr, "interval", "1");
	fault_inject_knob(attr, "times", "-1");
	fault_inject_knob(attr, "space", "0");
	fault_inject_knob(attr, "verbose", "0");
	fault_inject_knob(attr, "task-filter", "Y");
	fault_inject_knob(attr, "ignore-gfp-wait", "N");
	fault_inject_knob(attr, "ignore-gfp-highmem", "N");
	fault_inject_knob(attr, "min-order", "0");
	return 0;
}

/*
 * An fd whose pwrite() of "1" or "0" starts or stops failures in the
 * calling thread, or -1.
 */
static inline int fault_inject_thread_fd(void)
{
	return open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);
}

#endif /* KBPF_FAULT_INJECT_H */
