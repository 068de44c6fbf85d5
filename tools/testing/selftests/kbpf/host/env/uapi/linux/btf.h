/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kbpf: the kernel's uapi/ prefix names the installed UAPI. */
#include <linux/btf.h>
