/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build of kbpf: the part of KUnit kbpf's tests use. Suites register
 * themselves at startup; kunit.c runs them, prints KTAP as the kernel's
 * KUnit does, and counts every expectation. "User memory" from
 * kunit_vm_mmap() is plain memory here, as copy_to_user() is memcpy().
 */
#ifndef _KBPF_HOST_KUNIT_TEST_H
#define _KBPF_HOST_KUNIT_TEST_H

#include <linux/slab.h>
#include <linux/types.h>
#include <setjmp.h>
#include <stddef.h>

struct kunit_host_alloc;

struct kunit {
	const char *name;
	bool failed;
	jmp_buf abort;
	struct kunit_host_alloc *allocs;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

/* Allocations live until the end of the test case, as KUnit's do. */
void *kunit_kzalloc(struct kunit *test, size_t size, int gfp);
unsigned long kunit_vm_mmap(struct kunit *test, void *file, unsigned long addr,
			    unsigned long len, unsigned long prot,
			    unsigned long flag, unsigned long offset);

void kunit_host_register(struct kunit_suite *suite);
__printf(9, 10)
void kunit_host_check(struct kunit *test, bool ok, bool fatal,
		      const char *file, int line, const char *expr,
		      long long left, long long right, const char *fmt, ...);
void kunit_host_check_str(struct kunit *test, bool fatal, const char *file,
			  int line, const char *expr, const char *left,
			  const char *right);
bool kunit_host_compare(long long left, long long right, char op);
int kunit_host_run_all(unsigned int *passed, unsigned int *failed);

#define KUNIT_CASE(fn)	{ .run_case = fn, .name = #fn }

#define kunit_test_suite(suite)						\
	static void __attribute__((constructor)) suite##_register(void)	\
	{								\
		kunit_host_register(&(suite));				\
	}

/* @op: 'e' equal, 'n' not equal, 'l' less, 'g' greater (signed). */
#define KUNIT_HOST_CMP(test, fatal, left, right, op, opstr, ...)	\
	do {								\
		long long _l = (long long)(left);			\
		long long _r = (long long)(right);			\
									\
		kunit_host_check(test, kunit_host_compare(_l, _r, op),	\
				 fatal, __FILE__, __LINE__,		\
				 #left " " opstr " " #right, _l, _r,	\
				 __VA_ARGS__);				\
	} while (0)

#define KUNIT_EXPECT_EQ(test, left, right) \
	KUNIT_HOST_CMP(test, false, left, right, 'e', "==", "%s", "")
#define KUNIT_EXPECT_EQ_MSG(test, left, right, ...) \
	KUNIT_HOST_CMP(test, false, left, right, 'e', "==", __VA_ARGS__)
#define KUNIT_ASSERT_EQ(test, left, right) \
	KUNIT_HOST_CMP(test, true, left, right, 'e', "==", "%s", "")
#define KUNIT_ASSERT_EQ_MSG(test, left, right, ...) \
	KUNIT_HOST_CMP(test, true, left, right, 'e', "==", __VA_ARGS__)
#define KUNIT_EXPECT_NE(test, left, right) \
	KUNIT_HOST_CMP(test, false, left, right, 'n', "!=", "%s", "")
#define KUNIT_ASSERT_NE(test, left, right) \
	KUNIT_HOST_CMP(test, true, left, right, 'n', "!=", "%s", "")
#define KUNIT_EXPECT_LT(test, left, right) \
	KUNIT_HOST_CMP(test, false, left, right, 'l', "<", "%s", "")
#define KUNIT_EXPECT_GT(test, left, right) \
	KUNIT_HOST_CMP(test, false, left, right, 'g', ">", "%s", "")
#define KUNIT_EXPECT_TRUE(test, cond) \
	KUNIT_HOST_CMP(test, false, !!(cond), 1, 'e', "==", "%s", "")
#define KUNIT_EXPECT_TRUE_MSG(test, cond, ...) \
	KUNIT_HOST_CMP(test, false, !!(cond), 1, 'e', "==", __VA_ARGS__)
#define KUNIT_EXPECT_FALSE(test, cond) \
	KUNIT_HOST_CMP(test, false, !!(cond), 0, 'e', "==", "%s", "")
#define KUNIT_EXPECT_FALSE_MSG(test, cond, ...) \
	KUNIT_HOST_CMP(test, false, !!(cond), 0, 'e', "==", __VA_ARGS__)
#define KUNIT_ASSERT_TRUE(test, cond) \
	KUNIT_HOST_CMP(test, true, !!(cond), 1, 'e', "==", "%s", "")
#define KUNIT_ASSERT_NOT_NULL(test, ptr) \
	KUNIT_HOST_CMP(test, true, !!(ptr), 1, 'e', "==", "%s", "")
#define KUNIT_EXPECT_STREQ(test, left, right) \
	kunit_host_check_str(test, false, __FILE__, __LINE__, \
			     #left " == " #right, left, right)

#endif
