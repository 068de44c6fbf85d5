/* SPDX-License-Identifier: GPL-2.0 */
/* Where code of this process is in its file, for uprobes on it. */
#ifndef KBPF_FILE_OFFSET_H
#define KBPF_FILE_OFFSET_H

#include <stdint.h>
#include <stdio.h>

/* The offset of @addr in the file mapped there, from /proc/self/maps. */
static long file_offset(const void *addr)
{
	unsigned long start, end, off, a = (uintptr_t)addr;
	char line[512];
	long ret = -1;
	FILE *f;

	f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %*s %lx", &start, &end, &off) == 3 &&
		    a >= start && a < end) {
			ret = a - start + off;
			break;
		}
	fclose(f);
	return ret;
}

#endif /* KBPF_FILE_OFFSET_H */
