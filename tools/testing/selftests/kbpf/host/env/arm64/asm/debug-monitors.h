/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of the A64 encoders: the break immediates come with insn.h. */
#ifndef _KBPF_HOST_ASM_DEBUG_MONITORS_H
#define _KBPF_HOST_ASM_DEBUG_MONITORS_H

#include <asm/insn.h>

#endif
