/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kbpf: the kernel's min/max helpers, each argument once. */
#ifndef _KBPF_HOST_LINUX_MINMAX_H
#define _KBPF_HOST_LINUX_MINMAX_H

#define min_t(type, a, b) \
	({ type _a = (a), _b = (b); _a < _b ? _a : _b; })
#define max_t(type, a, b) \
	({ type _a = (a), _b = (b); _a > _b ? _a : _b; })
#define min(a, b) \
	({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) \
	({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })

#endif
