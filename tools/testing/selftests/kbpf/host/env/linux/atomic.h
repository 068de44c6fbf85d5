/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build of kbpf: the kernel's atomics on the compiler's builtins, the
 * value-returning ones fully ordered as the kernel's are.
 *
 * The fetching operations are compare-and-exchange loops: Debian 12's
 * gcc 12.2 at -O2 compiled __atomic_fetch_or() inlined into the
 * interpreter so that the store was lost (interp_test.c's "fetch or32
 * stores" caught it); clang and -fno-inline were right.
 */
#ifndef _KBPF_HOST_LINUX_ATOMIC_H
#define _KBPF_HOST_LINUX_ATOMIC_H

#include <linux/types.h>

/* The kernel's names for the types are typedefs; macros do here. */
struct kbpf_host_atomic {
	int counter;
};

struct kbpf_host_atomic64 {
	s64 counter;
};

#define atomic_t	struct kbpf_host_atomic
#define atomic64_t	struct kbpf_host_atomic64

static inline void atomic_add(int i, atomic_t *v)
{
	__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);
}

static inline int atomic_fetch_add(int i, atomic_t *v)
{
	int old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	/* The kernel's atomics wrap (it builds with -fno-strict-overflow). */
	while (!__atomic_compare_exchange_n(&v->counter, &old,
					    (int)((u32)old + (u32)i), false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old;
}

static inline void atomic_or(int i, atomic_t *v)
{
	__atomic_fetch_or(&v->counter, i, __ATOMIC_RELAXED);
}

static inline int atomic_fetch_or(int i, atomic_t *v)
{
	int old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&v->counter, &old, old | i, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old;
}

static inline void atomic_and(int i, atomic_t *v)
{
	__atomic_fetch_and(&v->counter, i, __ATOMIC_RELAXED);
}

static inline int atomic_fetch_and(int i, atomic_t *v)
{
	int old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&v->counter, &old, old & i, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old;
}

static inline void atomic_xor(int i, atomic_t *v)
{
	__atomic_fetch_xor(&v->counter, i, __ATOMIC_RELAXED);
}

static inline int atomic_fetch_xor(int i, atomic_t *v)
{
	int old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&v->counter, &old, old ^ i, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old;
}

static inline int atomic_xchg(atomic_t *v, int i)
{
	return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST);
}

static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	__atomic_compare_exchange_n(&v->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

static inline void atomic64_add(s64 i, atomic64_t *v)
{
	__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);
}

static inline s64 atomic64_fetch_add(s64 i, atomic64_t *v)
{
	s64 old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&v->counter, &old,
					    (s64)((u64)old + (u64)i), false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old;
}

static inline void atomic64_or(s64 i, atomic64_t *v)
{
	__atomic_fetch_or(&v->counter, i, __ATOMIC_RELAXED);
}

static inline s64 atomic64_fetch_or(s64 i, atomic64_t *v)
{
	s64 old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&v->counter, &old, old | i, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old;
}

static inline void atomic64_and(s64 i, atomic64_t *v)
{
	__atomic_fetch_and(&v->counter, i, __ATOMIC_RELAXED);
}

static inline s64 atomic64_fetch_and(s64 i, atomic64_t *v)
{
	s64 old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&v->counter, &old, old & i, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old;
}

static inline void atomic64_xor(s64 i, atomic64_t *v)
{
	__atomic_fetch_xor(&v->counter, i, __ATOMIC_RELAXED);
}

static inline s64 atomic64_fetch_xor(s64 i, atomic64_t *v)
{
	s64 old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&v->counter, &old, old ^ i, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old;
}

static inline s64 atomic64_xchg(atomic64_t *v, s64 i)
{
	return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST);
}

static inline s64 atomic64_cmpxchg(atomic64_t *v, s64 old, s64 new)
{
	__atomic_compare_exchange_n(&v->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

#endif
