// SPDX-License-Identifier: GPL-2.0
/*
 * The host's KUnit runner: runs the suites kbpf's core test files register,
 * in the KTAP layout the kernel prints, so a test reads the same in a guest's
 * dmesg and here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kunit/test.h>

#define KUNIT_HOST_MAX_SUITES	16

/* One allocation of a test case, freed when the case ends. */
struct kunit_host_alloc {
	struct kunit_host_alloc *next;
	max_align_t data[];
};

static struct kunit_suite *suites[KUNIT_HOST_MAX_SUITES];
static unsigned int nr_suites;
static unsigned int checks_passed, checks_failed;

/**
 * kunit_host_register() - add a suite to the ones kunit_host_run_all() runs
 * @suite: the suite, as the test file defines it for the kernel
 */
void kunit_host_register(struct kunit_suite *suite)
{
	if (nr_suites == KUNIT_HOST_MAX_SUITES) {
		fprintf(stderr, "kunit: too many suites, %s dropped\n",
			suite->name);
		checks_failed++;
		return;
	}
	suites[nr_suites++] = suite;
}

/**
 * kunit_kzalloc() - zeroed memory that lives until the test case ends
 * @test: the running test
 * @size: bytes wanted
 * @gfp: ignored on the host
 *
 * Return: the memory, or NULL.
 */
void *kunit_kzalloc(struct kunit *test, size_t size, int gfp)
{
	struct kunit_host_alloc *a = calloc(1, sizeof(*a) + size);

	if (!a)
		return NULL;
	a->next = test->allocs;
	test->allocs = a;
	return a->data;
}

/**
 * kunit_vm_mmap() - "user" memory for a test: plain memory on the host
 * @test: the running test
 * @file: ignored
 * @addr: ignored
 * @len: bytes wanted
 * @prot: ignored
 * @flag: ignored
 * @offset: ignored
 *
 * Return: the address, or 0.
 */
unsigned long kunit_vm_mmap(struct kunit *test, void *file, unsigned long addr,
			    unsigned long len, unsigned long prot,
			    unsigned long flag, unsigned long offset)
{
	return (unsigned long)kunit_kzalloc(test, len, GFP_KERNEL);
}

/**
 * kunit_host_compare() - the comparison behind KUNIT_EXPECT_EQ and friends
 * @left: left operand
 * @right: right operand
 * @op: 'e' ==, 'n' !=, 'l' <, 'g' >
 *
 * Return: whether it holds.
 */
bool kunit_host_compare(long long left, long long right, char op)
{
	switch (op) {
	case 'e':
		return left == right;
	case 'n':
		return left != right;
	case 'l':
		return left < right;
	default:
		return left > right;
	}
}

/**
 * kunit_host_check_str() - record a string comparison
 * @test: the running test
 * @fatal: leave the test case when it does not hold
 * @file: source file of the check
 * @line: its line
 * @expr: the checked expression, as written
 * @left: left string
 * @right: right string
 */
void kunit_host_check_str(struct kunit *test, bool fatal, const char *file,
			  int line, const char *expr, const char *left,
			  const char *right)
{
	kunit_host_check(test, !strcmp(left, right), fatal, file, line, expr,
			 0, 0, "\"%s\" vs \"%s\"", left, right);
}

/**
 * kunit_host_check() - record one expectation or assertion
 * @test: the running test
 * @ok: whether it held
 * @fatal: an assertion: leave the test case when it did not hold
 * @file: source file of the check
 * @line: its line
 * @expr: the checked expression, as written
 * @left: left operand's value
 * @right: right operand's value
 * @fmt: printf format of the test's message, then its arguments
 */
void kunit_host_check(struct kunit *test, bool ok, bool fatal,
		      const char *file, int line, const char *expr,
		      long long left, long long right, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		checks_passed++;
		return;
	}
	checks_failed++;
	test->failed = true;
	printf("    # %s: %s:%d: expected %s, got %lld (0x%llx) vs %lld (0x%llx): ",
	       test->name, file, line, expr, left, left, right, right);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (fatal)
		longjmp(test->abort, 1);
}

static bool run_case(struct kunit_case *tc)
{
	struct kunit test = { .name = tc->name };

	if (!setjmp(test.abort))
		tc->run_case(&test);
	while (test.allocs) {
		struct kunit_host_alloc *a = test.allocs;

		test.allocs = a->next;
		free(a);
	}
	return !test.failed;
}

/**
 * kunit_host_run_all() - run every registered suite
 * @passed: set to the number of expectations that held
 * @failed: set to the number that did not
 *
 * Return: the number of test cases that failed.
 */
int kunit_host_run_all(unsigned int *passed, unsigned int *failed)
{
	unsigned int s, bad_cases = 0;

	printf("KTAP version 1\n1..%u\n", nr_suites);
	for (s = 0; s < nr_suites; s++) {
		struct kunit_case *tc;
		unsigned int n = 0, bad = 0;

		for (tc = suites[s]->test_cases; tc->run_case; tc++)
			n++;
		printf("    KTAP version 1\n    # Subtest: %s\n    1..%u\n",
		       suites[s]->name, n);
		n = 0;
		for (tc = suites[s]->test_cases; tc->run_case; tc++) {
			bool ok = run_case(tc);

			bad += !ok;
			printf("    %sok %u %s\n", ok ? "" : "not ", ++n,
			       tc->name);
		}
		printf("%sok %u %s\n", bad ? "not " : "", s + 1,
		       suites[s]->name);
		bad_cases += bad;
	}
	*passed = checks_passed;
	*failed = checks_failed;
	return bad_cases;
}
