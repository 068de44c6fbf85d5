/* SPDX-License-Identifier: GPL-2.0 */
/* The number of possible CPUs, for the selftests that move per-CPU values. */
#ifndef KBPF_POSSIBLE_CPUS_H
#define KBPF_POSSIBLE_CPUS_H

#include <stdio.h>
#include <stdlib.h>

/*
 * Per-CPU values cross bpf(2) for every possible CPU, not only the online
 * ones, so the count comes from the possible mask: "0-3,8,10-11".
 */
static int possible_cpus(void)
{
	char buf[256], *p = buf, *end;
	int n = 0, ret;
	long lo, hi;
	FILE *f;

	f = fopen("/sys/devices/system/cpu/possible", "r");
	if (!f)
		return -1;
	ret = fgets(buf, sizeof(buf), f) ? 0 : -1;
	fclose(f);
	if (ret)
		return -1;
	while (*p && *p != '\n') {
		lo = strtol(p, &end, 10);
		if (end == p)
			return -1;
		p = end;
		hi = lo;
		if (*p == '-')
			hi = strtol(p + 1, &p, 10);
		if (hi < lo)
			return -1;
		n += hi - lo + 1;
		if (*p == ',')
			p++;
	}
	return n;
}

#endif
