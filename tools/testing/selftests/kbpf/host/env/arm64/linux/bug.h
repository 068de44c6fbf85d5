/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_BUG_H
#define _KBPF_HOST_LINUX_BUG_H

#include <stdlib.h>

#define BUG()	abort()
#define BUG_ON(cond)	do { if (cond) abort(); } while (0)

#endif
