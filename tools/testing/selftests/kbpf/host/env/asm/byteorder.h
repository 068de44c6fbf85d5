/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kbpf: the kernel's names for the UAPI byte order helpers. */
#ifndef _KBPF_HOST_ASM_BYTEORDER_H
#define _KBPF_HOST_ASM_BYTEORDER_H

#include_next <asm/byteorder.h>

#define cpu_to_le16	__cpu_to_le16
#define cpu_to_le32	__cpu_to_le32
#define cpu_to_le64	__cpu_to_le64
#define cpu_to_be16	__cpu_to_be16
#define cpu_to_be32	__cpu_to_be32
#define cpu_to_be64	__cpu_to_be64
#define be16_to_cpu	__be16_to_cpu
#define be32_to_cpu	__be32_to_cpu

#endif
