/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_LIMITS_H
#define _KBPF_HOST_LINUX_LIMITS_H

#include_next <linux/limits.h>
#include <limits.h>

#define U32_MAX	((unsigned int)~0U)
#define U64_MAX	((unsigned long long)~0ULL)
#define S32_MAX	((int)(U32_MAX >> 1))
#define S32_MIN	(-S32_MAX - 1)

#endif
