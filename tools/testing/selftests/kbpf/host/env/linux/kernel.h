/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_KERNEL_H
#define _KBPF_HOST_LINUX_KERNEL_H

#include <linux/sprintf.h>

#endif
