/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build of kbpf: the part of KUnit kbpf's tests use. Suites register
 * themselves at startup; kunit.c runs them, prints KTAP as the kernel's
 * KUnit does, and counts every expectation.
 */
#ifndef _KBPF_HOST_KUNIT_TEST_H
#define _KBPF_HOST_KUNIT_TEST_H

#include <linux/types.h>
#include <setjmp.h>

struct kunit {
	const char *name;
	bool failed;
	jmp_buf abort;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

void kunit_host_register(struct kunit_suite *suite);
void kunit_host_check(struct kunit *test, bool ok, bool fatal,
		      const char *file, int line, const char *expr,
		      long long left, long long right, const char *fmt, ...);
int kunit_host_run_all(unsigned int *passed, unsigned int *failed);

#define KUNIT_CASE(fn)	{ .run_case = fn, .name = #fn }

#define kunit_test_suite(suite)						\
	static void __attribute__((constructor)) suite##_register(void)	\
	{								\
		kunit_host_register(&(suite));				\
	}

#define KUNIT_HOST_EQ(test, fatal, left, right, ...)			\
	do {								\
		long long _l = (long long)(left);			\
		long long _r = (long long)(right);			\
									\
		kunit_host_check(test, _l == _r, fatal, __FILE__,	\
				 __LINE__, #left " == " #right, _l, _r,	\
				 __VA_ARGS__);				\
	} while (0)

#define KUNIT_EXPECT_EQ(test, left, right) \
	KUNIT_HOST_EQ(test, false, left, right, "%s", "")
#define KUNIT_EXPECT_EQ_MSG(test, left, right, ...) \
	KUNIT_HOST_EQ(test, false, left, right, __VA_ARGS__)
#define KUNIT_ASSERT_EQ(test, left, right) \
	KUNIT_HOST_EQ(test, true, left, right, "%s", "")
#define KUNIT_ASSERT_EQ_MSG(test, left, right, ...) \
	KUNIT_HOST_EQ(test, true, left, right, __VA_ARGS__)

#endif
