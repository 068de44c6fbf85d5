/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kbpf: "user" memory is the harness's own memory. */
#ifndef _KBPF_HOST_LINUX_UACCESS_H
#define _KBPF_HOST_LINUX_UACCESS_H

#include <string.h>

static inline unsigned long copy_to_user(void *to, const void *from,
					 unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

static inline unsigned long copy_from_user(void *to, const void *from,
					   unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

#endif
