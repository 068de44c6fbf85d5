/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_ERRNO_H
#define _KBPF_HOST_LINUX_ERRNO_H

#include_next <linux/errno.h>

/* The kernel's own errno, past userspace's: what upstream means by it. */
#define ENOTSUPP	524

#endif
