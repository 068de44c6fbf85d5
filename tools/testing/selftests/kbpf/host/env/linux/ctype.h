/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_CTYPE_H
#define _KBPF_HOST_LINUX_CTYPE_H

#include <ctype.h>

#endif
