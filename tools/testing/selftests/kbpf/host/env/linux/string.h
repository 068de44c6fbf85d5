/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_STRING_H
#define _KBPF_HOST_LINUX_STRING_H

#include <string.h>

#endif
