/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kbpf: branch hints and annotations for kernel tools. */
#ifndef _KBPF_HOST_LINUX_COMPILER_H
#define _KBPF_HOST_LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define __force
#define __user
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
/* Only objtool, which checks kernel objects, reads this annotation. */
#define __annotate_jump_table
/* Through a helper, as the kernel's compiler_attributes.h spells them. */
#define __kbpf_host_attr(x)	__attribute__((x))
#define __packed	__kbpf_host_attr(__packed__)
#define __noreturn	__kbpf_host_attr(__noreturn__)
/* The host build does not zero automatic variables: nothing to opt out of. */
#define __uninitialized

#endif
