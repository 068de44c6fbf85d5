/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory for the tests that ask bpf(2) for too much of it: what
 * /proc/meminfo says, and whether the kernel OOM-killed anything while a
 * test ran, from the kernel's log (/proc/vmstat's oom_kill needs
 * CONFIG_VM_EVENT_COUNTERS, which the guests' small kernels leave out).
 * A bpf(2) caller asking for more memory than there is must get ENOMEM,
 * never have the kernel kill something (itself or another process) to
 * make room.
 */
#ifndef KBPF_OOM_WATCH_H
#define KBPF_OOM_WATCH_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A /proc/meminfo figure ("MemTotal:") in bytes; negative without one. */
static inline long long meminfo_bytes(const char *name)
{
	char line[256];
	long long kib = -1;
	size_t len = strlen(name);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len)) {
			kib = strtoll(line + len, NULL, 10);
			break;
		}
	fclose(f);
	return kib * 1024;
}

/* The kernel's log from now on: an fd for oom_kills_since(), or -1. */
static inline int oom_watch_start(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* OOM kills the kernel logged since oom_watch_start() gave @fd; closes it. */
static inline int oom_kills_since(int fd)
{
	char rec[8192];
	ssize_t n;
	int kills = 0;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* records lost to a wrap */
			continue;
		if (n <= 0)
			break;
		rec[n] = 0;
		kills += !!strstr(rec, "invoked oom-killer");
	}
	close(fd);
	return kills;
}

#endif /* KBPF_OOM_WATCH_H */
