// SPDX-License-Identifier: GPL-2.0
/*
 * Upstream's test_verifier, as kbpf's make check runs it.
 *
 * scripts/kbpf/build-upstream-tests.sh compiles this file with the base
 * tree's tools/testing/selftests/bpf/ on the include path: its
 * test_verifier.c is included, not copied, and runs unchanged, with two
 * additions:
 *
 *  - "--list" prints every test as "INDEX PROG_TYPE VERDICT DESCRIPTION"
 *    (VERDICT: what a privileged load should give, accept or reject), so
 *    that scripts/kbpf/upstream-verifier-diff.py can tell a test's result
 *    from its description (which has spaces) and count refusals;
 *  - bpf_testmod.ko is not built for the guests, and upstream's runner
 *    stops when it cannot load it. The link wraps load_bpf_testmod() so
 *    the run goes on; the tests calling the module's kfuncs then fail
 *    alike on kbpf and stock.
 */
#define main upstream_test_verifier_main
#include "test_verifier.c"
#undef main

int __wrap_load_bpf_testmod(bool verbose);

int __wrap_load_bpf_testmod(bool verbose)
{
	return 0;
}

static void list_tests(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tests); i++)
		/* do_test_single() runs type 0 as a socket filter. */
		printf("%u %d %s %s\n", i,
		       tests[i].prog_type ?: BPF_PROG_TYPE_SOCKET_FILTER,
		       tests[i].result == REJECT ? "reject" : "accept",
		       tests[i].descr);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		list_tests();
		return 0;
	}
	return upstream_test_verifier_main(argc, argv);
}
