/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_BITFIELD_H
#define _KBPF_HOST_LINUX_BITFIELD_H

#include <linux/bits.h>

#endif
