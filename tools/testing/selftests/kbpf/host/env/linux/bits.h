/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_BITS_H
#define _KBPF_HOST_LINUX_BITS_H

#define BIT(n)	(1UL << (n))

#endif
