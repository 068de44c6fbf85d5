/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_BITS_H
#define _KBPF_HOST_LINUX_BITS_H

#define BIT(n)	(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
/* Bits @l to @h, both included, as the kernel's (h < 64). */
#define GENMASK(h, l)	((~0UL >> (63 - (h))) & (~0UL << (l)))
#define GENMASK_ULL(h, l)	((~0ULL >> (63 - (h))) & (~0ULL << (l)))

#endif
