/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_LINUX_STDARG_H
#define _KBPF_HOST_LINUX_STDARG_H

#include <stdarg.h>

#endif
