// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-host: kbpf's core, built for userspace, and the tools around it.
 *
 *   kbpf-host asm FILE            assemble (a .data file's "-- asm" or plain
 *                                 asm text) to one 0x%016llx word per slot
 *   kbpf-host disasm FILE         words (or a .data file's "-- raw") to asm
 *   kbpf-host run FILE.data       run one test, print r0 and PASS/FAIL
 *   kbpf-host conformance DIR     run every DIR/\*.data
 *   kbpf-host conformance --jit DIR   the same, JITed
 *   kbpf-host btf FILE...         check raw BTF blobs (as vmlinux's)
 *   kbpf-host selftest            run the core's KUnit suites
 *   kbpf-host jit-edges           the JIT's edge cases against the interpreter
 *   kbpf-host bench               interpreter vs native code
 *   kbpf-host scalar-soundness [N]  the verifier's scalar domain against
 *                                 the interpreter, N samples
 *   kbpf-host verify [-v] FILE    verify one verifier test, print the
 *                                 verdict, the log and PASS/FAIL
 *   kbpf-host verify-suite DIR    run every DIR/\*.data verifier test
 *   kbpf-host export-corpus DIR OUT  write the verifier tests of DIR and
 *                                 the host's verdicts and logs to OUT,
 *                                 for the guests (verifier_corpus.h)
 *
 * FILE may be "-" for standard input.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kunit/test.h>

#include "asm.h"
#include "bench.h"
#include "btf_check.h"
#include "datafile.h"
#include "interp.h"
#include "jit_edges.h"
#include "loader.h"
#include "soundness.h"
#include "verify.h"

static char *read_all(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t len = 0, cap = 4096;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);

		len += n;
		if (len + 1 < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
	}
	if (buf)
		buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

/* Does @text have "-- NAME" section lines, as .data files do? */
static bool has_sections(const char *text)
{
	const char *p = text;

	while (p) {
		if (!strncmp(p, "-- ", 3))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/*
 * The text of @section of a .data file, or the whole of a plain file.
 * Returns a string to free, and the file line its text starts on.
 */
static char *load_text(const char *path, const char *section,
		       unsigned int *first_line)
{
	const struct kbpf_data_section *sec;
	struct kbpf_data_file df = {};
	char err[256], *text = NULL;
	char *buf = read_all(path);

	if (!buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	*first_line = 1;
	if (!has_sections(buf))
		return buf;
	if (kbpf_data_parse(&df, path, buf, strlen(buf), err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	sec = kbpf_data_find(&df, section);
	if (!sec) {
		fprintf(stderr, "%s: no \"-- %s\" section\n", path, section);
		goto out;
	}
	text = strdup(sec->body);
	*first_line = sec->body_line;
out:
	kbpf_data_free(&df);
	free(buf);
	return text;
}

static int cmd_asm(const char *path)
{
	struct kbpf_asm_prog prog = {};
	unsigned int first_line, i;
	char err[256], *text;
	int ret = 1;

	text = load_text(path, "asm", &first_line);
	if (!text)
		return 1;
	if (kbpf_asm(text, first_line, &prog, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", path, err);
		goto out;
	}
	for (i = 0; i < prog.len; i++)
		printf("0x%016llx\n",
		       (unsigned long long)kbpf_insn_to_u64(&prog.insns[i]));
	kbpf_asm_prog_free(&prog);
	ret = 0;
out:
	free(text);
	return ret;
}

static int cmd_disasm(const char *path)
{
	struct kbpf_data_section sec = { .path = path };
	struct bpf_insn *insns;
	unsigned int len;
	char err[256];
	int ret = 1;

	sec.body = load_text(path, "raw", &sec.body_line);
	if (!sec.body)
		return 1;
	if (kbpf_data_insns(&sec, &insns, &len, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	kbpf_disasm(stdout, insns, len, NULL, 0);
	free(insns);
	ret = 0;
out:
	free(sec.body);
	return ret;
}

/* Outcome of one conformance test. */
enum test_result { TEST_PASS, TEST_FAIL, TEST_SKIP };

/*
 * Load and run @df's program. Returns 0 with r0 set, -EOPNOTSUPP for a
 * program the harness cannot run (why in @err), or another error with
 * @err set.
 */
static int load_and_run(const struct kbpf_data_file *df, __u64 *r0,
			char *err, size_t err_size)
{
	const struct kbpf_data_section *sec = kbpf_data_find(df, "mem");
	struct kbpf_host_prog hp = {};
	size_t mem_len = 0;
	__u8 *mem = NULL;
	int ret;

	if (sec && kbpf_data_bytes(sec, &mem, &mem_len, err, err_size))
		return -EINVAL;
	ret = kbpf_host_load(df, &hp, err, err_size);
	if (!ret) {
		ret = kbpf_host_exec(&hp, mem, mem_len, r0);
		if (ret)
			snprintf(err, err_size, "run faulted (%s)", strerror(-ret));
	}
	kbpf_host_prog_free(&hp);
	free(mem);
	return ret;
}

/*
 * Run one test file: its program must give "-- result", or, when the file
 * has an "-- error" section, fail to load or run.
 */
static enum test_result run_test(const char *path, bool verbose)
{
	const struct kbpf_data_section *result, *error;
	enum test_result res = TEST_FAIL;
	struct kbpf_data_file df = {};
	__u64 want = 0, r0 = 0;
	char err[256];
	int ret;

	if (kbpf_data_load(&df, path, err, sizeof(err))) {
		printf("FAIL %s: %s\n", path, err);
		goto out;
	}
	result = kbpf_data_find(&df, "result");
	error = kbpf_data_find(&df, "error");
	if (!error && (!result || kbpf_data_value(result, &want, err, sizeof(err)))) {
		printf("FAIL %s: %s\n", path,
		       result ? err : "no \"-- result\" section");
		goto out;
	}
	/*
	 * The interpreter's own guards (frames, stack) catch what only an
	 * unverified program does; JITed code trusts the verifier for them.
	 */
	if (error && kbpf_host_use_jit && !strncmp(error->body, "run faulted", 11)) {
		printf("SKIP %s: %s\n", path,
		       "a run fault of the interpreter's own guards; the JIT trusts the verifier");
		res = TEST_SKIP;
		goto out;
	}
	ret = load_and_run(&df, &r0, err, sizeof(err));
	if (ret == -EOPNOTSUPP) {
		printf("SKIP %s: %s\n", path, err);
		res = TEST_SKIP;
	} else if (error && ret) {
		res = TEST_PASS;
	} else if (error) {
		printf("FAIL %s: r0 = 0x%llx, expected an error (%.*s)\n", path,
		       (unsigned long long)r0, (int)strcspn(error->body, "\n"),
		       error->body);
	} else if (ret) {
		printf("FAIL %s: %s\n", path, err);
	} else if (r0 != want) {
		printf("FAIL %s: r0 = 0x%llx, expected 0x%llx\n", path,
		       (unsigned long long)r0, (unsigned long long)want);
	} else {
		res = TEST_PASS;
	}
	if (res == TEST_PASS && verbose) {
		if (error)
			printf("%s\n", err);
		else
			printf("r0 = 0x%llx\n", (unsigned long long)r0);
		printf("PASS %s\n", path);
	}
out:
	kbpf_data_free(&df);
	return res;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

static int cmd_conformance(const char *dir)
{
	unsigned int counts[3] = {}, nr = 0, cap = 0, i;
	char **names = NULL, path[4096];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 5, ".data"))
			continue;
		if (nr == cap) {
			cap = cap ? cap * 2 : 256;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				return 1;
		}
		names[nr++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nr, sizeof(*names), by_name);
	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		counts[run_test(path, false)]++;
		free(names[i]);
	}
	free(names);
	printf("%u passed, %u failed, %u skipped\n", counts[TEST_PASS],
	       counts[TEST_FAIL], counts[TEST_SKIP]);
	return counts[TEST_FAIL] || !nr;
}

static int cmd_selftest(void)
{
	unsigned int passed, failed;
	int bad_cases = kunit_host_run_all(&passed, &failed);

	printf("%u passed, %u failed\n", passed, failed);
	return bad_cases || failed;
}

static void die_usage(void)
{
	fprintf(stderr,
		"usage: kbpf-host asm FILE | disasm FILE | run FILE.data |\n"
		"                 conformance [--jit] DIR | selftest | jit-edges | bench |\n"
		"                 scalar-soundness [N] | verify [-v] FILE |\n"
		"                 verify-suite DIR | export-corpus DIR OUT | btf FILE...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "asm"))
		return cmd_asm(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "disasm"))
		return cmd_disasm(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "run"))
		return run_test(argv[2], true) != TEST_PASS;
	if (argc == 3 && !strcmp(argv[1], "conformance"))
		return cmd_conformance(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "conformance") &&
	    !strcmp(argv[2], "--jit")) {
		kbpf_host_use_jit = true;
		return cmd_conformance(argv[3]);
	}
	if (argc >= 3 && !strcmp(argv[1], "btf"))
		return kbpf_host_btf(argv + 2, argc - 2);
	if (argc == 2 && !strcmp(argv[1], "selftest"))
		return cmd_selftest();
	if (argc == 2 && !strcmp(argv[1], "jit-edges"))
		return kbpf_host_jit_edges();
	if (argc == 2 && !strcmp(argv[1], "bench"))
		return kbpf_bench_run();
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "scalar-soundness"))
		return kbpf_scalar_soundness(argc == 3 ? strtoul(argv[2], NULL, 0) : 0);
	if (argc == 3 && !strcmp(argv[1], "verify"))
		return kbpf_host_verify(argv[2], false);
	if (argc == 4 && !strcmp(argv[1], "verify") && !strcmp(argv[2], "-v"))
		return kbpf_host_verify(argv[3], true);
	if (argc == 3 && !strcmp(argv[1], "verify-suite"))
		return kbpf_host_verify_suite(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "export-corpus"))
		return kbpf_host_export_corpus(argv[2], argv[3]);
	die_usage();
	return 2;
}
