/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of the A64 encoders: nothing to keep kprobes out of. */
#ifndef _KBPF_HOST_ASM_KPROBES_H
#define _KBPF_HOST_ASM_KPROBES_H

#define __kprobes

#endif
