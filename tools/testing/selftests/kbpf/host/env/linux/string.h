/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_STRING_H
#define _KBPF_HOST_LINUX_STRING_H

#include <linux/errno.h>
#include <string.h>
#include <sys/types.h>

/* The kernel's bounded copy: always NUL-terminated, -E2BIG when cut. */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size);

	if (!size)
		return -E2BIG;
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

/* The kernel's: the first byte of @p that is not @c, or NULL. */
static inline void *memchr_inv(const void *p, int c, size_t n)
{
	const unsigned char *s = p;

	for (; n; n--, s++)
		if (*s != (unsigned char)c)
			return (void *)s;
	return NULL;
}

#endif
