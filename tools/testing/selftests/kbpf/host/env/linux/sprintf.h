/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_SPRINTF_H
#define _KBPF_HOST_LINUX_SPRINTF_H

#include <stdarg.h>
#include <stdio.h>

/* As the kernel's: the number of characters written, not wanted. */
static inline int vscnprintf(char *buf, size_t size, const char *fmt,
			     va_list args)
{
	int n = vsnprintf(buf, size, fmt, args);

	if (n < 0 || !size)
		return 0;
	return (size_t)n >= size ? (int)size - 1 : n;
}

__printf(3, 4)
static inline int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

#endif
