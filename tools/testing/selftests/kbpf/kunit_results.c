// SPDX-License-Identifier: GPL-2.0
/*
 * Report the kernel's kbpf KUnit suites as kselftest results.
 *
 * The suites run at boot (CONFIG_KBPF_KUNIT_TEST); KUnit keeps each
 * suite's KTAP in /sys/kernel/debug/kunit/SUITE/results. Every test case
 * there becomes one result here. A kernel without kbpf has no such suites:
 * with KBPF_FLAVOUR=stock in the environment that is a skip, otherwise a
 * missing suite is a failure, so a kbpf kernel cannot lose its tests
 * silently. The JIT's suite is there only in kernels with a JIT (their
 * net.core.bpf_jit_enable exists): elsewhere its absence is a skip.
 * KBPF_KUNIT_DIR replaces /sys/kernel/debug/kunit, for testing this
 * program.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kselftest.h"

#define KUNIT_DIR	"/sys/kernel/debug/kunit"

static const char * const suites[] = { "kbpf_interp", "kbpf_log",
					"kbpf_structure", "kbpf_scalar",
					"kbpf_explore", "kbpf_jit" };

#define JIT_SUITE	"kbpf_jit"
#define JIT_KNOB	"/proc/sys/net/core/bpf_jit_enable"

/* Count the test case lines of one suite's results, or report them. */
static int scan_suite(const char *dir, const char *suite, bool report)
{
	char path[512], line[512], name[256];
	int cases = 0, num;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/results", dir, suite);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *p = line;
		bool ok;

		/* Test cases are indented; the suite's own line is not. */
		if (*p != ' ' && *p != '\t') {
			if (report && line[0] == '#')
				ksft_print_msg("%s", line + 1);
			continue;
		}
		p += strspn(p, " \t");
		ok = !strncmp(p, "ok ", 3);
		if (!ok && strncmp(p, "not ok ", 7)) {
			if (report && *p == '#')
				ksft_print_msg("%s", p + 1);
			continue;
		}
		if (sscanf(p + (ok ? 3 : 7), "%d %255s", &num, name) != 2)
			continue;
		cases++;
		if (!report)
			continue;
		if (strstr(p, "# SKIP"))
			ksft_test_result_skip("%s.%s\n", suite, name);
		else
			ksft_test_result(ok, "%s.%s\n", suite, name);
	}
	fclose(f);
	return cases;
}

int main(void)
{
	const char *flavour = getenv("KBPF_FLAVOUR");
	const char *dir = getenv("KBPF_KUNIT_DIR") ?: KUNIT_DIR;
	bool stock = flavour && !strcmp(flavour, "stock");
	int total = 0, n;
	size_t i;

	ksft_print_header();
	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		n = scan_suite(dir, suites[i], false);
		total += n > 0 ? n : 1;
	}
	ksft_set_plan(total);
	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		n = scan_suite(dir, suites[i], true);
		if (n > 0)
			continue;
		if (stock)
			ksft_test_result_skip("%s: not in a stock kernel\n",
					      suites[i]);
		else if (!strcmp(suites[i], JIT_SUITE) && access(JIT_KNOB, F_OK))
			ksft_test_result_skip("%s: no JIT in this kernel\n",
					      suites[i]);
		else
			ksft_test_result_fail("%s: no results in %s\n",
					      suites[i], dir);
	}
	ksft_finished();
}
