/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CLOCK_MONOTONIC in nanoseconds, the clock bpf_ktime_get_ns() reads:
 * for timing calls and for comparing with what programs saw.
 */
#ifndef KBPF_MONOTONIC_H
#define KBPF_MONOTONIC_H

#include <time.h>
#include <linux/types.h>

static inline __u64 monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#endif /* KBPF_MONOTONIC_H */
