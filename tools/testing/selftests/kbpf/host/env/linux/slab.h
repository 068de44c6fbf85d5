/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kbpf: the kernel's allocators are the C library's. */
#ifndef _KBPF_HOST_LINUX_SLAB_H
#define _KBPF_HOST_LINUX_SLAB_H

#include <stdlib.h>

#define GFP_KERNEL	0
#define GFP_KERNEL_ACCOUNT	0
#define __GFP_NOWARN	0
#define __GFP_RETRY_MAYFAIL	0

static inline void *kvcalloc(size_t n, size_t size, int gfp)
{
	return calloc(n, size);
}

static inline void *kvmalloc_array(size_t n, size_t size, int gfp)
{
	return n && size > (size_t)-1 / n ? NULL : malloc(n * size);
}

static inline void kvfree(void *p)
{
	free(p);
}

static inline void *kzalloc(size_t size, int gfp)
{
	return calloc(1, size);
}

static inline void kfree(void *p)
{
	free(p);
}

#endif
