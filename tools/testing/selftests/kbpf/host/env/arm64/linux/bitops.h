/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of the A64 encoders: the bit searches they use. */
#ifndef _KBPF_HOST_LINUX_BITOPS_H
#define _KBPF_HOST_LINUX_BITOPS_H

#include <linux/bits.h>
#include <linux/types.h>

#define ffs(x)		__builtin_ffs(x)
#define __ffs64(x)	((unsigned long)__builtin_ctzll(x))
#define fls64(x)	((x) ? 64 - __builtin_clzll(x) : 0)
#define hweight64(x)	__builtin_popcountll(x)

/* Which kernel headers bring in along with these. */
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))

#endif
