/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_ERRNO_H
#define _KBPF_HOST_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif
