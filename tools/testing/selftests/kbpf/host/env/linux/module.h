/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kbpf: module metadata means nothing in a program. */
#ifndef _KBPF_HOST_LINUX_MODULE_H
#define _KBPF_HOST_LINUX_MODULE_H

#include <assert.h>

#define MODULE_DESCRIPTION(desc)	static_assert(sizeof(desc), "description")
#define MODULE_LICENSE(license)		static_assert(sizeof(license), "license")

#endif
