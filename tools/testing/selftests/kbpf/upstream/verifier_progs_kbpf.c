// SPDX-License-Identifier: GPL-2.0
/*
 * Upstream's verifier_* test programs, as kbpf's make check runs them.
 *
 * The base tree's test_progs runs progs/verifier_*.c through its test
 * loader (test_loader.c): each program's BTF annotations say whether it
 * should load, with which log, and what a test run returns. This file is
 * the little of test_progs the loader needs: test_progs.h's subtest calls,
 * and a main() that reads each object file named on its command line and
 * hands it to test_loader__run_subtests(), without CAP_SYS_ADMIN, as
 * prog_tests/verifier.c does. scripts/kbpf/build-selftests.sh builds it
 * with test_loader.c and its helpers from the base tree (nothing of them
 * is in kbpf).
 *
 * Each subtest's output is framed by "#vp-start OBJECT/SUBTEST" and
 * "#vp-end OBJECT/SUBTEST OK|FAIL|SKIP" lines, which
 * scripts/kbpf/upstream-verifier-diff.py reads. Upstream's loader tries
 * every program whatever its type; test_verifier skips a test whose load
 * fails in a program type the kernel does not have, and so does the
 * comparison: the link wraps the C library's syscall(), through which
 * libbpf calls bpf(2), to say so with a "#vp-unsupported-program-type N"
 * line.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/capability.h>

#include "test_progs.h"
#include "cap_helpers.h"
#include "libc_wraps.h"

struct test_env env;
int env_verbosity;

static char object_name[256];
static const void *elf_bytes;
static size_t elf_size;
static char *subtest;
static bool subtest_failed, subtest_skipped;
static int nr_ok, nr_failed, nr_skipped;

bool test__start_subtest(const char *name)
{
	free(subtest);
	subtest = strdup(name);
	subtest_failed = false;
	subtest_skipped = false;
	printf("#vp-start %s/%s\n", object_name, subtest);
	return true;
}

void test__end_subtest(void)
{
	const char *result = "OK";

	if (subtest_failed) {
		result = "FAIL";
		nr_failed++;
	} else if (subtest_skipped) {
		result = "SKIP";
		nr_skipped++;
	} else {
		nr_ok++;
	}
	printf("#vp-end %s/%s %s\n", object_name, subtest, result);
	fflush(stdout);
}

void test__skip(void)
{
	subtest_skipped = true;
}

void test__fail(void)
{
	subtest_failed = true;
}

/* Failures print their logs anyway; nothing more to force. */
void test__force_log(void)
{
}

/* bpf(2) takes three arguments, the other system calls libbpf makes six. */
long __wrap_syscall(long nr, ...)
{
	static bool probing;
	const union bpf_attr *attr;
	long a1, a2, a3, a4, a5, a6, ret;
	va_list ap;
	int err;

	va_start(ap, nr);
	a1 = va_arg(ap, long);
	a2 = va_arg(ap, long);
	a3 = va_arg(ap, long);
	a4 = va_arg(ap, long);
	a5 = va_arg(ap, long);
	a6 = va_arg(ap, long);
	va_end(ap);
	ret = __real_syscall(nr, a1, a2, a3, a4, a5, a6);
	if (ret >= 0 || nr != __NR_bpf || a1 != BPF_PROG_LOAD || probing)
		return ret;
	err = errno;
	attr = (const union bpf_attr *)a2;
	/* The probe loads a program of its own: not through here again. */
	probing = true;
	if (libbpf_probe_bpf_prog_type(attr->prog_type, NULL) <= 0)
		printf("#vp-unsupported-program-type %u\n", attr->prog_type);
	probing = false;
	errno = err;
	return ret;
}

/* The loader asks for the object's bytes, as a skeleton would give them. */
static const void *object_bytes(size_t *size)
{
	*size = elf_size;
	return elf_bytes;
}

static void *read_file(const char *path, size_t *size)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	long n;

	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END)) {
		n = ftell(f);
		if (n > 0 && !fseek(f, 0, SEEK_SET)) {
			buf = malloc(n);
			if (buf)
				len = fread(buf, 1, n, f);
		}
	}
	fclose(f);
	if (buf && len != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	*size = len;
	return buf;
}

/* "dir/verifier_and.bpf.o" is the skeleton "verifier_and". */
static void set_object_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *dot;

	snprintf(object_name, sizeof(object_name), "%s", base ? base + 1 : path);
	dot = strstr(object_name, ".bpf.o");
	if (dot)
		*dot = 0;
}

static int run_object(const char *path)
{
	struct test_loader tester = {};
	__u64 old_caps;
	void *bytes;
	int err;

	bytes = read_file(path, &elf_size);
	if (!bytes) {
		printf("#vp-error %s: %s\n", path, strerror(errno));
		return -1;
	}
	elf_bytes = bytes;
	set_object_name(path);
	err = cap_disable_effective(1ULL << CAP_SYS_ADMIN, &old_caps);
	if (err) {
		printf("#vp-error %s: dropping CAP_SYS_ADMIN: %d\n", path, err);
		free(bytes);
		return -1;
	}
	test_loader__run_subtests(&tester, object_name, object_bytes);
	test_loader_fini(&tester);
	cap_enable_effective(old_caps, NULL);
	free(bytes);
	return 0;
}

int main(int argc, char **argv)
{
	int i, errors = 0;

	for (i = 1; i < argc; i++)
		errors += run_object(argv[i]) < 0;
	printf("#vp-summary %d OK, %d SKIP, %d FAIL, %d objects unread\n",
	       nr_ok, nr_skipped, nr_failed, errors);
	return errors ? 2 : 0;
}
