/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_ASM_ERRNO_H
#define _KBPF_HOST_ASM_ERRNO_H

#include <asm-generic/errno.h>

#endif
