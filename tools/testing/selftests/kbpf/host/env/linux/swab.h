/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kbpf: the kernel's names for the UAPI byte swaps. */
#ifndef _KBPF_HOST_LINUX_SWAB_H
#define _KBPF_HOST_LINUX_SWAB_H

#include_next <linux/swab.h>

#define swab16	__swab16
#define swab32	__swab32
#define swab64	__swab64

#endif
