/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_STDDEF_H
#define _KBPF_HOST_LINUX_STDDEF_H

#include_next <linux/stddef.h>
#include <stddef.h>

#endif
