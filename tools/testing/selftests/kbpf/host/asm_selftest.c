// SPDX-License-Identifier: GPL-2.0
/*
 * Checks the assembler, the disassembler and the test-file parser.
 *
 * Every test file given (the bpf_conformance suite, the harness's own) must
 * parse and assemble, match its "raw" section where it has one, and come
 * back unchanged from a disassemble and assemble round trip; files whose
 * program is meant not to assemble ("-- error") only need to parse.
 *
 * Fixed cases then pin each mnemonic family to the encoding RFC 9669 gives
 * it, so that a mistake shared by the assembler and the disassembler cannot
 * hide behind a successful round trip, and check that bad input fails with
 * the right line number.
 *
 * Usage: asm_selftest [DIR...], each DIR holding .data files; one line per
 * failure, then "N passed, N failed".  Exits 1 if anything failed.
 */

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "datafile.h"

#define ERR_SIZE	256
#define MAX_SLOTS	8
/* Exits after each fuzzed instruction, enough for the furthest jump tried. */
#define FUZZ_PAD	33

static unsigned int passed, failed;

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed++;
}

static bool same_insns(const struct bpf_insn *a, const struct bpf_insn *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (kbpf_insn_to_u64(&a[i]) != kbpf_insn_to_u64(&b[i]))
			return false;
	return true;
}

/* The whole program as kbpf_disasm() prints it, in a malloc()ed string. */
static char *disasm_text(const struct kbpf_asm_prog *prog)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	f = open_memstream(&text, &size);
	if (!f)
		return NULL;
	kbpf_disasm(f, prog->insns, prog->len, prog->map_names, prog->nr_maps);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* Disassembles and reassembles prog; returns false with a message if anything changed. */
static bool round_trip(const char *what, const struct kbpf_asm_prog *prog)
{
	struct kbpf_asm_prog again;
	char err[ERR_SIZE];
	char *text;
	bool ok;

	text = disasm_text(prog);
	if (!text) {
		fail("%s: cannot disassemble", what);
		return false;
	}
	if (kbpf_asm(text, 1, &again, err, sizeof(err))) {
		fail("%s: disassembly does not assemble: %s\n%s", what, err, text);
		free(text);
		return false;
	}
	ok = again.len == prog->len && same_insns(again.insns, prog->insns, prog->len);
	if (!ok)
		fail("%s: round trip changed the program:\n%s", what, text);
	free(text);
	kbpf_asm_prog_free(&again);
	return ok;
}

static bool check_raw(const char *path, const struct kbpf_data_section *sec,
		      const struct kbpf_asm_prog *prog)
{
	struct bpf_insn *raw;
	char err[ERR_SIZE];
	unsigned int len, i;
	bool ok;

	if (kbpf_data_insns(sec, &raw, &len, err, sizeof(err))) {
		fail("%s", err);
		return false;
	}
	ok = len == prog->len && same_insns(raw, prog->insns, len);
	if (!ok) {
		fail("%s: -- raw differs from -- asm (%u vs %u slots)", path, len, prog->len);
		for (i = 0; i < len && i < prog->len; i++)
			printf("  %u: raw 0x%016llx asm 0x%016llx\n", i,
			       (unsigned long long)kbpf_insn_to_u64(&raw[i]),
			       (unsigned long long)kbpf_insn_to_u64(&prog->insns[i]));
	}
	free(raw);
	return ok;
}

/* The sections other tools read must parse too, even though only asm is run here. */
static bool check_other_sections(const struct kbpf_data_file *df)
{
	const struct kbpf_data_section *sec;
	char err[ERR_SIZE];
	size_t len;
	__u64 val;
	__u8 *mem;

	sec = kbpf_data_find(df, "mem");
	if (sec) {
		if (kbpf_data_bytes(sec, &mem, &len, err, sizeof(err))) {
			fail("%s", err);
			return false;
		}
		free(mem);
	}
	sec = kbpf_data_find(df, "result");
	if (sec && kbpf_data_value(sec, &val, err, sizeof(err))) {
		fail("%s", err);
		return false;
	}
	return true;
}

static void test_file(const char *path)
{
	const struct kbpf_data_section *sec;
	struct kbpf_asm_prog prog;
	struct kbpf_data_file df;
	char err[ERR_SIZE];
	bool ok = false;

	if (kbpf_data_load(&df, path, err, sizeof(err))) {
		fail("%s", err);
		goto out;
	}
	sec = kbpf_data_find(&df, "asm");
	if (!sec) {
		fail("%s: no -- asm section", path);
		goto out;
	}
	if (kbpf_asm(sec->body, sec->body_line, &prog, err, sizeof(err))) {
		/* A test of bad input may be bad assembler text. */
		ok = kbpf_data_find(&df, "error");
		if (!ok)
			fail("%s: %s", path, err);
		goto out;
	}
	ok = check_other_sections(&df) && round_trip(path, &prog);
	sec = kbpf_data_find(&df, "raw");
	if (sec && !check_raw(path, sec, &prog))
		ok = false;
	kbpf_asm_prog_free(&prog);
out:
	kbpf_data_free(&df);
	if (ok)
		passed++;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_dir(const char *dir)
{
	char **names = NULL, **p, path[4096];
	unsigned int nr = 0, i;
	struct dirent *de;
	size_t len;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fail("%s: cannot open the test directory", dir);
		return;
	}
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 5, ".data"))
			continue;
		p = realloc(names, (nr + 1) * sizeof(*names));
		if (!p)
			break;
		names = p;
		names[nr] = strdup(de->d_name);
		if (names[nr])
			nr++;
	}
	closedir(d);
	if (!nr)
		fail("%s: no .data files", dir);
	/* Sorted so that failures always come out in the same order. */
	qsort(names, nr, sizeof(*names), cmp_names);
	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		test_file(path);
		free(names[i]);
	}
	free(names);
}

/**
 * struct enc_case - text and the encoding RFC 9669 gives it
 * @text: the program
 * @len: number of slots expected
 * @raw: the slots, each as bpf_conformance prints an instruction
 */
struct enc_case {
	const char *text;
	unsigned int len;
	__u64 raw[MAX_SLOTS];
};

static const struct enc_case enc_cases[] = {
	/* ALU and ALU64 */
	{ "add %r1, %r2", 1, { 0x000000000000210f } },
	{ "add %r1, 5", 1, { 0x0000000500000107 } },
	{ "sub32 %r3, -1", 1, { 0xffffffff00000314 } },
	{ "mul %r0, %r9", 1, { 0x000000000000902f } },
	{ "div32 %r2, 7", 1, { 0x0000000700000234 } },
	{ "sdiv %r2, %r3", 1, { 0x000000000001323f } },
	{ "sdiv32 %r2, 3", 1, { 0x0000000300010234 } },
	{ "or %r4, 0xffffffff", 1, { 0xffffffff00000447 } },
	{ "and32 %r1, %r2", 1, { 0x000000000000215c } },
	{ "lsh %r1, 63", 1, { 0x0000003f00000167 } },
	{ "rsh32 %r1, %r2", 1, { 0x000000000000217c } },
	{ "neg %r5", 1, { 0x0000000000000587 } },
	{ "neg32 %r5", 1, { 0x0000000000000584 } },
	{ "mod %r1, %r2", 1, { 0x000000000000219f } },
	{ "smod32 %r1, %r2", 1, { 0x000000000001219c } },
	{ "smod %r1, 10", 1, { 0x0000000a00010197 } },
	{ "xor %r1, 0x80000000", 1, { 0x80000000000001a7 } },
	{ "mov %r10, %r1", 1, { 0x0000000000001abf } },
	{ "mov32 %r0, -2147483648", 1, { 0x80000000000000b4 } },
	{ "mov %r0, 2147483648", 1, { 0x80000000000000b7 } },
	{ "arsh %r1, 4", 1, { 0x00000004000001c7 } },
	{ "arsh32 %r1, %r2", 1, { 0x00000000000021cc } },
	{ "movsx864 %r1, %r2", 1, { 0x00000000000821bf } },
	{ "movsx1664 %r1, %r2", 1, { 0x00000000001021bf } },
	{ "movsx3264 %r1, %r2", 1, { 0x00000000002021bf } },
	{ "movsx832 %r1, %r2", 1, { 0x00000000000821bc } },
	{ "movsx1632 %r1, %r2", 1, { 0x00000000001021bc } },
	/* byte swaps */
	{ "le16 %r1", 1, { 0x00000010000001d4 } },
	{ "le64 %r1", 1, { 0x00000040000001d4 } },
	{ "be32 %r1", 1, { 0x00000020000001dc } },
	{ "bswap16 %r1", 1, { 0x00000010000001d7 } },
	{ "bswap64 %r1", 1, { 0x00000040000001d7 } },
	{ "swap32 %r2", 1, { 0x00000020000002d7 } },
	/* loads and stores */
	{ "ldxb %r1, [%r2+3]", 1, { 0x0000000000032171 } },
	{ "ldxh %r1, [%r2-2]", 1, { 0x00000000fffe2169 } },
	{ "ldxw %r0, [%r1]", 1, { 0x0000000000001061 } },
	{ "ldxdw %r0, [ %r10 - 8 ]", 1, { 0x00000000fff8a079 } },
	{ "ldxsb %r1, [%r2+1]", 1, { 0x0000000000012191 } },
	{ "ldxsh %r1, [%r2]", 1, { 0x0000000000002189 } },
	{ "ldxsw %r1, [%r2]", 1, { 0x0000000000002181 } },
	{ "stb [%r1+2], 0x7f", 1, { 0x0000007f00020172 } },
	{ "sth [%r1], -1", 1, { 0xffffffff0000016a } },
	{ "stw [%r10-4], 5", 1, { 0x00000005fffc0a62 } },
	{ "stdw [%r1+0x10], 1", 1, { 0x000000010010017a } },
	{ "stxb [%r1+1], %r2", 1, { 0x0000000000012173 } },
	{ "stxh [%r1], %r2", 1, { 0x000000000000216b } },
	{ "stxw [%r1-1], %r2", 1, { 0x00000000ffff2163 } },
	{ "stxdw [%r10-8], %r0", 1, { 0x00000000fff80a7b } },
	{ "ldxw %r0, [%r1+32767]", 1, { 0x000000007fff1061 } },
	{ "ldxw %r0, [%r1-32768]", 1, { 0x0000000080001061 } },
	/* atomics */
	{ "lock add [%r10-8], %r1", 1, { 0x00000000fff81adb } },
	{ "lock add32 [%r1+4], %r2", 1, { 0x00000000000421c3 } },
	{ "lock fetch add [%r1], %r2", 1, { 0x00000001000021db } },
	{ "lock or [%r1], %r2", 1, { 0x00000040000021db } },
	{ "lock fetch and32 [%r1], %r2", 1, { 0x00000051000021c3 } },
	{ "lock xor [%r1], %r2", 1, { 0x000000a0000021db } },
	{ "lock fetch xor [%r1], %r2", 1, { 0x000000a1000021db } },
	{ "lock xchg [%r1], %r2", 1, { 0x000000e1000021db } },
	{ "lock cmpxchg32 [%r1], %r2", 1, { 0x000000f1000021c3 } },
	/* 64-bit immediates and legacy packet loads */
	{ "lddw %r1, 0x1122334455667788", 2, { 0x5566778800000118, 0x1122334400000000 } },
	{ "lddw %r0, -1", 2, { 0xffffffff00000018, 0xffffffff00000000 } },
	{ "ldabsb 3", 1, { 0x0000000300000030 } },
	{ "ldabsh 12", 1, { 0x0000000c00000028 } },
	{ "ldabsw 0", 1, { 0x0000000000000020 } },
	{ "ldindb %r3, 1", 1, { 0x0000000100003050 } },
	{ "ldindh %r1, -2", 1, { 0xfffffffe00001048 } },
	{ "ldindw %r7, 0", 1, { 0x0000000000007040 } },
	/* jumps; label offsets count an lddw as two slots */
	{ "ja +0\nexit", 2, { 0x0000000000000005, 0x0000000000000095 } },
	{ "jeq %r1, 5, +1\nexit\nexit", 3,
	  { 0x0000000500010115, 0x0000000000000095, 0x0000000000000095 } },
	{ "jne32 %r1, %r2, -1\nexit", 2, { 0x00000000ffff215e, 0x0000000000000095 } },
	{ "jsgt %r1, %r2, L\nL:\nexit", 2, { 0x000000000000216d, 0x0000000000000095 } },
	{ "jset32 %r3, 0x10, +0\nexit", 2, { 0x0000001000000346, 0x0000000000000095 } },
	{ "jgt %r1, 1, +0\njge %r1, 1, +0\njsge %r1, 1, +0\njle %r1, 1, +0\nexit", 5,
	  { 0x0000000100000125, 0x0000000100000135, 0x0000000100000175,
	    0x00000001000001b5, 0x0000000000000095 } },
	{ "jslt32 %r1, %r2, +1\njsle32 %r1, 1, +0\nexit", 3,
	  { 0x00000000000121ce, 0x00000001000001d6, 0x0000000000000095 } },
	{ "ja32 L\nexit\nL:\nexit", 3,
	  { 0x0000000100000006, 0x0000000000000095, 0x0000000000000095 } },
	{ "may_goto L\nexit\nL:\nexit", 3,
	  { 0x00000000000100e5, 0x0000000000000095, 0x0000000000000095 } },
	{ "jlt %r0, 1, exit  # the first exit\nmov %r0, 1\nexit", 3,
	  { 0x00000001000100a5, 0x00000001000000b7, 0x0000000000000095 } },
	{ "L:\nmov %r0, 0\njeq %r0, 0, L\nexit", 3,
	  { 0x00000000000000b7, 0x00000000fffe0015, 0x0000000000000095 } },
	{ "ja L\nlddw %r0, 1\nL: exit", 4,
	  { 0x0000000000020005, 0x0000000100000018, 0, 0x0000000000000095 } },
	/* calls */
	{ "call 1\nexit", 2, { 0x0000000100000085, 0x0000000000000095 } },
	{ "call bpf_map_lookup_elem", 1, { 0x0000000100000085 } },
	{ "call map_update_elem", 1, { 0x0000000200000085 } },
	{ "call bpf_trace_printk", 1, { 0x0000000600000085 } },
	{ "call local f\nexit\nf:\nexit", 3,
	  { 0x0000000100001085, 0x0000000000000095, 0x0000000000000095 } },
	{ "call local -1", 1, { 0xffffffff00001085 } },
	{ "call %r2", 1, { 0x000000000000028d } },
	{ "exit", 1, { 0x0000000000000095 } },
	/* map references */
	{ "lddw %r1, map:counters\nlddw %r2, map:other\nlddw %r3, map:counters\nexit", 7,
	  { 0x0000000000001118, 0, 0x0000000100001218, 0, 0x0000000000001318, 0,
	    0x0000000000000095 } },
	{ "lddw %r1, map_value:vals+16", 2, { 0x0000000000002118, 0x0000001000000000 } },
	{ "lddw %r1, map_value:vals", 2, { 0x0000000000002118, 0 } },
	{ "lddw %r1, map_value:vals-4", 2, { 0x0000000000002118, 0xfffffffc00000000 } },
	/* layout: comments, blank lines, CRLF, trailing blanks */
	{ "# comment\n\n  mov %r0, 1 # why\r\n\texit\t\n", 2,
	  { 0x00000001000000b7, 0x0000000000000095 } },
};

static void test_encodings(void)
{
	const struct enc_case *c;
	struct kbpf_asm_prog prog;
	struct bpf_insn want[MAX_SLOTS];
	char err[ERR_SIZE];
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(enc_cases); i++) {
		c = &enc_cases[i];
		if (kbpf_asm(c->text, 1, &prog, err, sizeof(err))) {
			fail("'%s': %s", c->text, err);
			continue;
		}
		for (k = 0; k < c->len; k++)
			want[k] = kbpf_insn_from_u64(c->raw[k]);
		if (prog.len != c->len || !same_insns(prog.insns, want, c->len)) {
			fail("'%s': wrong encoding", c->text);
			for (k = 0; k < prog.len; k++)
				printf("  got 0x%016llx\n",
				       (unsigned long long)kbpf_insn_to_u64(&prog.insns[k]));
		} else if (round_trip(c->text, &prog)) {
			passed++;
		}
		kbpf_asm_prog_free(&prog);
	}
}

static void test_map_table(void)
{
	const char *text = "lddw %r1, map:counters\nlddw %r2, map_value:.rodata+8\n"
			   "lddw %r3, map:counters\nexit";
	struct kbpf_asm_prog prog;
	char err[ERR_SIZE];

	if (kbpf_asm(text, 1, &prog, err, sizeof(err))) {
		fail("map table: %s", err);
		return;
	}
	if (prog.nr_maps != 2 || strcmp(prog.map_names[0], "counters") ||
	    strcmp(prog.map_names[1], ".rodata"))
		fail("map table: wrong names");
	else if (prog.insns[2].imm != 1 || prog.insns[4].imm != 0)
		fail("map table: wrong indices");
	else
		passed++;
	kbpf_asm_prog_free(&prog);
}

static void test_helpers(void)
{
	if (kbpf_helper_id("bpf_map_lookup_elem") != BPF_FUNC_map_lookup_elem ||
	    kbpf_helper_id("ktime_get_ns") != BPF_FUNC_ktime_get_ns ||
	    kbpf_helper_id("bpf_cgrp_storage_delete") != BPF_FUNC_cgrp_storage_delete ||
	    kbpf_helper_id("unspec") != -1 || kbpf_helper_id("nope") != -1 ||
	    strcmp(kbpf_asm_helper_name(BPF_FUNC_tail_call), "bpf_tail_call") ||
	    kbpf_asm_helper_name(0) || kbpf_asm_helper_name(-1) ||
	    kbpf_asm_helper_name(__BPF_FUNC_MAX_ID))
		fail("helper name table");
	else
		passed++;
}

/**
 * struct err_case - text that must not assemble
 * @text: the program
 * @first_line: number given to its first line
 * @prefix: what the message must start with
 * @what: what the message must contain
 */
struct err_case {
	const char *text;
	unsigned int first_line;
	const char *prefix;
	const char *what;
};

static const struct err_case err_cases[] = {
	{ "mov %r0, 1\nfoo %r0\nexit", 1, "line 2: ", "unknown mnemonic 'foo'" },
	{ "exit\n\n# comment\nbad", 10, "line 13: ", "unknown mnemonic 'bad'" },
	{ "mov %r0\nexit", 1, "line 1: ", "'mov' takes 2 operands, got 1" },
	{ "mov %r0, %r1, %r2", 1, "line 1: ", "takes 2 operands, got 3" },
	{ "mov %r0, 1,", 1, "line 1: ", "empty operand" },
	{ "exit %r0", 1, "line 1: ", "'exit' takes 0 operands, got 1" },
	{ "neg %r1, 1", 1, "line 1: ", "'neg' takes 1 operand, got 2" },
	{ "ja", 1, "line 1: ", "'ja' takes 1 operand, got 0" },
	{ "mov %r11, 1", 1, "line 1: ", "bad register '%r11'" },
	{ "mov %r01, 1", 1, "line 1: ", "bad register '%r01'" },
	{ "mov r0, 1", 1, "line 1: ", "expected a register, got 'r0'" },
	{ "add %r0, 0x100000000", 1, "line 1: ", "does not fit in 32 bits" },
	{ "add %r0, -2147483649", 1, "line 1: ", "does not fit in 32 bits" },
	{ "add %r0, 12abc", 1, "line 1: ", "expected an immediate, got '12abc'" },
	{ "lddw %r0, 0x10000000000000000", 1, "line 1: ", "does not fit in 64 bits" },
	{ "ldxw %r0, [%r1+32768]", 1, "line 1: ", "offset '+32768' is out of range" },
	{ "ldxw %r0, [%r1-32769]", 1, "line 1: ", "offset '-32769' is out of range" },
	{ "ldxw %r0, [%r1+]", 1, "line 1: ", "bad offset" },
	{ "ldxw %r0, %r1", 1, "line 1: ", "expected a memory operand" },
	{ "stw [%r1], %r2", 1, "line 1: ", "expected an immediate" },
	{ "stxw [%r1], 5", 1, "line 1: ", "expected a register, got '5'" },
	{ "ja nowhere\nexit", 1, "line 1: ", "undefined label 'nowhere'" },
	{ "ja exit", 1, "line 1: ", "undefined label 'exit'" },
	{ "L:\nexit\nL:\nexit", 5, "line 7: ", "duplicate label 'L', first defined on line 5" },
	{ "9L:\nexit", 1, "line 1: ", "bad label name '9L'" },
	{ "exit\nja +1\nexit", 1, "line 2: ", "jump target 3 is outside the program" },
	{ "jeq %r0, 0, -2\nexit", 1, "line 1: ", "jump target -1 is outside the program" },
	{ "ja L\nexit\nL:", 1, "line 1: ", "jump target 2 is outside the program" },
	{ "call local +5\nexit", 1, "line 1: ", "outside the program" },
	{ "ja32 -3\nexit", 1, "line 1: ", "outside the program" },
	{ "ja +32768", 1, "line 1: ", "jump offset '+32768' is out of range" },
	{ "jeq %r1, 1, foo bar", 1, "line 1: ", "bad jump target 'foo bar'" },
	{ "call nosuchhelper", 1, "line 1: ", "unknown helper 'nosuchhelper'" },
	{ "call local", 1, "line 1: ", "'call local' needs a target" },
	{ "lddw %r1, map:", 1, "line 1: ", "missing map name" },
	{ "lddw %r1, map:a+4", 1, "line 1: ", "bad map reference 'map:a+4'" },
	{ "lddw %r1, map_value:a*4", 1, "line 1: ", "bad map reference" },
	{ "lock fetch xchg [%r1], %r2", 1, "line 1: ", "'xchg' always fetches" },
	{ "lock nand [%r1], %r2", 1, "line 1: ", "unknown atomic operation 'nand'" },
	{ "lock", 1, "line 1: ", "'lock' needs an operation" },
	{ "lock add [%r1]", 1, "line 1: ", "'lock' takes 2 operands, got 1" },
	{ "movsx864 %r1, 8", 1, "line 1: ", "expected a register, got '8'" },
	{ "ldabsw %r1", 1, "line 1: ", "expected an immediate" },
	{ "ldindw 1, 1", 1, "line 1: ", "expected a register" },
	{ "add64 %r1, 1", 1, "line 1: ", "unknown mnemonic 'add64'" },
	{ "sneg %r1", 1, "line 1: ", "unknown mnemonic 'sneg'" },
};

static void test_errors(void)
{
	const struct err_case *c;
	struct kbpf_asm_prog prog;
	char err[ERR_SIZE];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(err_cases); i++) {
		c = &err_cases[i];
		if (!kbpf_asm(c->text, c->first_line, &prog, err, sizeof(err))) {
			fail("'%s' assembled but must not", c->text);
			kbpf_asm_prog_free(&prog);
			continue;
		}
		if (strncmp(err, c->prefix, strlen(c->prefix)) || !strstr(err, c->what))
			fail("'%s': message '%s', want '%s...%s'", c->text, err, c->prefix,
			     c->what);
		else if (prog.insns || prog.len || prog.map_names || prog.nr_maps)
			fail("'%s': program not left empty after an error", c->text);
		else
			passed++;
	}
}

/**
 * struct dis_case - instructions and how they must print
 * @len: number of slots
 * @raw: the slots
 * @names: map names to pass, or NULL
 * @text: the expected lines, each ending in a newline
 */
struct dis_case {
	unsigned int len;
	__u64 raw[2];
	char *const *names;
	const char *text;
};

static char *const map_names[] = { "counters" };

static const struct dis_case dis_cases[] = {
	{ 1, { 0x000000000000210f }, NULL, "add %r1, %r2\n" },
	{ 1, { 0xffffffff00000314 }, NULL, "sub32 %r3, -1\n" },
	{ 1, { 0x80000000000001a7 }, NULL, "xor %r1, 0x80000000\n" },
	{ 1, { 0x000000000001323f }, NULL, "sdiv %r2, %r3\n" },
	{ 1, { 0x00000000000821bf }, NULL, "movsx864 %r1, %r2\n" },
	{ 1, { 0x00000020000001dc }, NULL, "be32 %r1\n" },
	{ 1, { 0x00000040000001d7 }, NULL, "bswap64 %r1\n" },
	{ 1, { 0x00000000fff8a079 }, NULL, "ldxdw %r0, [%r10-8]\n" },
	{ 1, { 0x0000000000012191 }, NULL, "ldxsb %r1, [%r2+1]\n" },
	{ 1, { 0x00000005fffc0a62 }, NULL, "stw [%r10-4], 5\n" },
	{ 1, { 0x00000051000021c3 }, NULL, "lock fetch and32 [%r1+0], %r2\n" },
	{ 1, { 0x000000f1000021c3 }, NULL, "lock cmpxchg32 [%r1+0], %r2\n" },
	{ 2, { 0x5566778800000118, 0x1122334400000000 }, NULL,
	  "lddw %r1, 0x1122334455667788\n" },
	{ 2, { 0x0000000000001118, 0 }, map_names, "lddw %r1, map:counters\n" },
	{ 2, { 0x0000000000001118, 0 }, NULL, "lddw %r1, map:#0\n" },
	{ 2, { 0x0000000300002118, 0x0000001000000000 }, map_names,
	  "lddw %r1, map_value:#3+16\n" },
	{ 1, { 0x0000000300000030 }, NULL, "ldabsb 3\n" },
	{ 1, { 0xfffffffe00001048 }, NULL, "ldindh %r1, -2\n" },
	{ 1, { 0x0000000500010115 }, NULL, "jeq %r1, 5, +1\n" },
	{ 1, { 0x00000000ffff215e }, NULL, "jne32 %r1, %r2, -1\n" },
	{ 1, { 0x0000000100000006 }, NULL, "ja32 +1\n" },
	{ 1, { 0x00000000fffe00e5 }, NULL, "may_goto -2\n" },
	{ 1, { 0x00000000000110e5 }, NULL, ".invalid 0x00000000000110e5\n" },
	{ 1, { 0x0000000100000085 }, NULL, "call bpf_map_lookup_elem\n" },
	{ 1, { 0x0000ffff00000085 }, NULL, "call 65535\n" },
	{ 1, { 0x0000000100001085 }, NULL, "call local +1\n" },
	{ 1, { 0x000000000000028d }, NULL, "call %r2\n" },
	{ 1, { 0x0000000000000095 }, NULL, "exit\n" },
	/* an lddw cut short by the end of the program */
	{ 1, { 0x0000000000000018 }, NULL, ".invalid 0x0000000000000018\n" },
	/* an lddw whose second slot is not blank */
	{ 2, { 0x0000000000000018, 0x0000000000000100 }, NULL,
	  ".invalid 0x0000000000000018\n.invalid 0x0000000000000100\n" },
	{ 2, { 0x0000000000004118, 0 }, NULL,
	  ".invalid 0x0000000000004118\n.invalid 0x0000000000000000\n" },
	{ 1, { 0x0000000000000b07 }, NULL, ".invalid 0x0000000000000b07\n" },
	{ 1, { 0x0000000100002107 }, NULL, ".invalid 0x0000000100002107\n" },
	{ 1, { 0x000000010000210f }, NULL, ".invalid 0x000000010000210f\n" },
	{ 1, { 0x0000000000010095 }, NULL, ".invalid 0x0000000000010095\n" },
	{ 1, { 0x00000000000000f7 }, NULL, ".invalid 0x00000000000000f7\n" },
	{ 1, { 0x00000000000000e6 }, NULL, ".invalid 0x00000000000000e6\n" },
	{ 1, { 0x0000000000000096 }, NULL, ".invalid 0x0000000000000096\n" },
	{ 1, { 0x0000000000002085 }, NULL, ".invalid 0x0000000000002085\n" },
	{ 1, { 0x0000000000000038 }, NULL, ".invalid 0x0000000000000038\n" },
	{ 1, { 0x0000000000000099 }, NULL, ".invalid 0x0000000000000099\n" },
	{ 1, { 0x00000002000021db }, NULL, ".invalid 0x00000002000021db\n" },
	{ 1, { 0x00000010000001df }, NULL, ".invalid 0x00000010000001df\n" },
	{ 1, { 0x00000000002021bc }, NULL, ".invalid 0x00000000002021bc\n" },
	{ 1, { 0x00000011000001d4 }, NULL, ".invalid 0x00000011000001d4\n" },
};

static void test_disasm(void)
{
	const struct dis_case *c;
	char *text = NULL;
	struct bpf_insn *insns;
	unsigned int i, k;
	size_t size;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(dis_cases); i++) {
		c = &dis_cases[i];
		/* Exactly sized, so that valgrind sees any read past the end. */
		insns = malloc(c->len * sizeof(*insns));
		f = open_memstream(&text, &size);
		if (!insns || !f) {
			fail("out of memory");
			free(insns);
			if (f)
				fclose(f);
			free(text);
			return;
		}
		for (k = 0; k < c->len; k++)
			insns[k] = kbpf_insn_from_u64(c->raw[k]);
		kbpf_disasm(f, insns, c->len, c->names, c->names ? ARRAY_SIZE(map_names) : 0);
		fclose(f);
		if (strcmp(text, c->text))
			fail("disasm of 0x%016llx: got '%s', want '%s'",
			     (unsigned long long)c->raw[0], text, c->text);
		else
			passed++;
		free(text);
		text = NULL;
		free(insns);
	}
}

static const __s32 fuzz_imms[] = { 0, 1, -1, 16, 32, 64, BPF_FETCH, BPF_OR, BPF_XOR | BPF_FETCH,
				   BPF_XCHG, BPF_CMPXCHG, 0x7fffffff };
static const __s16 fuzz_offs[] = { 0, 1, -1, 8, 16, 32 };
static const __u8 fuzz_regs[] = { 0, 1, 2, 10, 11 };

/* The fuzz_*[] combination numbered i, i counting from 0. */
static struct bpf_insn fuzz_insn(unsigned int i)
{
	struct bpf_insn insn = {};

	insn.imm = fuzz_imms[i % ARRAY_SIZE(fuzz_imms)];
	i /= ARRAY_SIZE(fuzz_imms);
	insn.off = fuzz_offs[i % ARRAY_SIZE(fuzz_offs)];
	i /= ARRAY_SIZE(fuzz_offs);
	insn.src_reg = fuzz_regs[i % ARRAY_SIZE(fuzz_regs)];
	i /= ARRAY_SIZE(fuzz_regs);
	insn.dst_reg = fuzz_regs[i % ARRAY_SIZE(fuzz_regs)];
	i /= ARRAY_SIZE(fuzz_regs);
	insn.code = i;
	return insn;
}

/*
 * Checks one encoding: if the disassembler prints it as an instruction, that
 * text must assemble back to the same bits.  Jumps land on the exits put
 * after it.  one is a single-slot buffer for the test that nothing past the
 * given slots is read.  Returns false on a failure.
 */
static bool fuzz_one(const struct bpf_insn *insn, struct bpf_insn *one)
{
	struct bpf_insn insns[FUZZ_PAD + 2] = { *insn };
	char text[(FUZZ_PAD + 2) * 8 + 256];
	struct kbpf_asm_prog prog;
	char err[ERR_SIZE];
	unsigned int i, n;
	size_t len;
	bool ok;

	/* Alone, an lddw must show as invalid without a look past its slot. */
	*one = *insn;
	kbpf_disasm_insn(one, 1, NULL, 0, text, sizeof(text));
	if (insn->code == (BPF_LD | BPF_IMM | BPF_DW) && strncmp(text, ".invalid", 8)) {
		fail("lone lddw 0x%016llx shows as '%s'",
		     (unsigned long long)kbpf_insn_to_u64(insn), text);
		return false;
	}
	insns[1].imm = 0x12345678;
	n = kbpf_disasm_insn(insns, 2, NULL, 0, text, sizeof(text));
	/* Maps shown by index have no name to assemble from. */
	if (!strncmp(text, ".invalid", 8) || strstr(text, ":#"))
		return true;
	for (i = n; i < n + FUZZ_PAD; i++)
		insns[i] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	len = strlen(text);
	for (i = 0; i < FUZZ_PAD; i++)
		len += snprintf(text + len, sizeof(text) - len, "\nexit");
	if (kbpf_asm(text, 1, &prog, err, sizeof(err))) {
		/* Targets kept in imm may lie beyond the exits that follow. */
		if ((insn->code == (BPF_JMP32 | BPF_JA) || insn->code == (BPF_JMP | BPF_CALL)) &&
		    strstr(err, "outside the program"))
			return true;
		fail("fuzz: '%s' does not assemble: %s", strtok(text, "\n"), err);
		return false;
	}
	ok = prog.len == n + FUZZ_PAD && same_insns(prog.insns, insns, prog.len);
	if (!ok)
		fail("fuzz: '%s' does not give back 0x%016llx", strtok(text, "\n"),
		     (unsigned long long)kbpf_insn_to_u64(insn));
	kbpf_asm_prog_free(&prog);
	return ok;
}

/* Every opcode with a spread of field values, valid or not. */
static void test_fuzz(void)
{
	unsigned int i, nr, bad = 0;
	struct bpf_insn *one;

	one = malloc(sizeof(*one));
	if (!one) {
		fail("out of memory");
		return;
	}
	nr = 256 * ARRAY_SIZE(fuzz_regs) * ARRAY_SIZE(fuzz_regs) * ARRAY_SIZE(fuzz_offs) *
	     ARRAY_SIZE(fuzz_imms);
	/* Stop after a few failures; one bug tends to fail thousands of encodings. */
	for (i = 0; i < nr && bad < 10; i++) {
		struct bpf_insn insn = fuzz_insn(i);

		if (!fuzz_one(&insn, one))
			bad++;
	}
	free(one);
	if (!bad)
		passed++;
}

/**
 * struct file_err_case - a test file that must not parse
 * @text: the file's contents
 * @len: its length if it holds a NUL byte, else 0
 * @section: section to read after parsing, or NULL if parsing must fail
 * @want: the expected error message
 */
struct file_err_case {
	const char *text;
	size_t len;
	const char *section;
	const char *want;
};

static const struct file_err_case file_err_cases[] = {
	{ "mov %r0, 1\n-- asm\n", 0, NULL, "t.data:1: text before the first section" },
	{ "# only comments\n\n", 0, NULL, "t.data: no sections" },
	{ "", 0, NULL, "t.data: no sections" },
	{ "-- asm\nexit\n--\n", 0, NULL, "t.data:3: section header without a name" },
	{ "-- asm\nexit\n--  \t\n", 0, NULL, "t.data:3: section header without a name" },
	{ "-- asm\n\0exit\n", 13, NULL, "t.data:2: NUL byte in a text file" },
	{ "-- mem\n00 ff\n00 1g\n", 0, "mem", "t.data:3: bad byte '1g'" },
	{ "-- mem\n0x00\n", 0, "mem", "t.data:2: bad byte '0x00'" },
	{ "-- mem\n100\n", 0, "mem", "t.data:2: bad byte '100'" },
	{ "# c\n-- result\n\n", 0, "result", "t.data:2: '-- result' holds no value" },
	{ "-- result\n1\n2\n", 0, "result",
	  "t.data:3: '-- result' holds more than one value" },
	{ "-- result\n0x\n", 0, "result", "t.data:2: bad value '0x'" },
	{ "-- result\n0x10000000000000000\n", 0, "result",
	  "t.data:2: bad value '0x10000000000000000'" },
	{ "-- raw\n0x95\n\nzz\n", 0, "raw", "t.data:4: bad instruction value 'zz'" },
};

static void test_file_errors(void)
{
	const struct kbpf_data_section *sec;
	const struct file_err_case *c;
	struct kbpf_data_file df;
	struct bpf_insn *insns;
	char err[ERR_SIZE];
	unsigned int i, n;
	int ret = -1;
	size_t len;
	__u64 val;
	__u8 *mem;

	for (i = 0; i < ARRAY_SIZE(file_err_cases); i++) {
		c = &file_err_cases[i];
		len = c->len ? c->len : strlen(c->text);
		ret = kbpf_data_parse(&df, "t.data", c->text, len, err, sizeof(err));
		if (!ret && c->section) {
			sec = kbpf_data_find(&df, c->section);
			if (!strcmp(c->section, "mem"))
				ret = kbpf_data_bytes(sec, &mem, &len, err, sizeof(err));
			else if (!strcmp(c->section, "raw"))
				ret = kbpf_data_insns(sec, &insns, &n, err, sizeof(err));
			else
				ret = kbpf_data_value(sec, &val, err, sizeof(err));
		}
		kbpf_data_free(&df);
		if (!ret)
			fail("file case %u parsed but must not", i);
		else if (strcmp(err, c->want))
			fail("file case %u: message '%s', want '%s'", i, err, c->want);
		else
			passed++;
	}

	ret = kbpf_data_load(&df, "/nonexistent/t.data", err, sizeof(err));
	kbpf_data_free(&df);
	if (!ret || strcmp(err, "/nonexistent/t.data: No such file or directory"))
		fail("missing file: '%s'", err);
	else
		passed++;
	ret = kbpf_data_load(&df, "/", err, sizeof(err));
	kbpf_data_free(&df);
	if (!ret || strcmp(err, "/: Is a directory"))
		fail("directory as a file: '%s'", err);
	else
		passed++;
}

static const char sample_file[] =
	"# header comment\n"
	"-- asm\n"
	"mov %r0, 1\n"
	"exit\n"
	"-- no register offset\n"
	"call instruction\n"
	"-- map counters hash key=4 value=8 entries=16\n"
	"--   map   other  array\tkey=4  \r\n"
	"-- mem\n"
	"00 01 ff # a comment\n"
	"a\n"
	"-- c\n"
	"--i;\n"
	"-- result\r\n"
	"0x10\r\n"
	"-- raw\n"
	"0x00000001000000b7\n"
	"0x0000000000000095";

static void test_file_sections(void)
{
	const struct kbpf_data_section *sec, *map1, *map2;
	static const __u8 want_mem[] = { 0x00, 0x01, 0xff, 0x0a };
	struct kbpf_data_file df;
	struct kbpf_asm_prog prog;
	struct bpf_insn *raw;
	char err[ERR_SIZE];
	unsigned int n;
	size_t len;
	__u64 val;
	__u8 *mem;

	if (kbpf_data_parse(&df, "s.data", sample_file, sizeof(sample_file) - 1, err,
			    sizeof(err))) {
		fail("sample file: %s", err);
		kbpf_data_free(&df);
		return;
	}

	sec = kbpf_data_find(&df, "asm");
	if (df.nr_sections != 8 || !sec || strcmp(sec->body, "mov %r0, 1\nexit\n") ||
	    sec->header_line != 2 || sec->body_line != 3 || strcmp(sec->args, "") || sec->argc)
		fail("sample file: asm section");
	else
		passed++;

	sec = kbpf_data_find(&df, "no register offset");
	if (!sec || strcmp(sec->name, "no") || strcmp(sec->body, "call instruction\n"))
		fail("sample file: section named with spaces");
	else
		passed++;

	map1 = kbpf_data_find(&df, "map");
	map2 = map1 ? kbpf_data_next(&df, map1, "map") : NULL;
	if (kbpf_data_count(&df, "map") != 2 || !map1 || !map2 ||
	    kbpf_data_next(&df, map2, "map") || map1->argc != 5 ||
	    strcmp(map1->argv[0], "counters") || strcmp(map1->argv[1], "hash") ||
	    strcmp(map1->args, "counters hash key=4 value=8 entries=16") ||
	    strcmp(kbpf_data_arg(map1, "entries"), "16") ||
	    strcmp(kbpf_data_arg(map1, "value"), "8") || kbpf_data_arg(map1, "nope") ||
	    kbpf_data_arg(map1, "ke") || strcmp(map1->body, "") || map2->argc != 3 ||
	    strcmp(map2->argv[0], "other") || strcmp(kbpf_data_arg(map2, "key"), "4") ||
	    strcmp(map2->header, "map   other  array\tkey=4"))
		fail("sample file: map sections");
	else
		passed++;

	sec = kbpf_data_find(&df, "c");
	if (!sec || strcmp(sec->body, "--i;\n"))
		fail("sample file: a line starting with -- but no blank");
	else
		passed++;

	sec = kbpf_data_find(&df, "mem");
	if (!sec || kbpf_data_bytes(sec, &mem, &len, err, sizeof(err))) {
		fail("sample file: mem: %s", sec ? err : "missing");
	} else {
		if (len != sizeof(want_mem) || memcmp(mem, want_mem, len))
			fail("sample file: mem bytes");
		else
			passed++;
		free(mem);
	}

	sec = kbpf_data_find(&df, "result");
	if (!sec || kbpf_data_value(sec, &val, err, sizeof(err)) || val != 0x10 ||
	    strcmp(sec->body, "0x10\n"))
		fail("sample file: result with CRLF line ends");
	else
		passed++;

	sec = kbpf_data_find(&df, "raw");
	if (!sec || kbpf_data_insns(sec, &raw, &n, err, sizeof(err))) {
		fail("sample file: raw: %s", sec ? err : "missing");
	} else {
		sec = kbpf_data_find(&df, "asm");
		if (kbpf_asm(sec->body, sec->body_line, &prog, err, sizeof(err)))
			fail("sample file: asm: %s", err);
		else if (prog.len != n || !same_insns(prog.insns, raw, n))
			fail("sample file: raw and asm differ");
		else
			passed++;
		kbpf_asm_prog_free(&prog);
		free(raw);
	}

	if (kbpf_data_next(&df, &df.sections[df.nr_sections - 1], NULL) ||
	    kbpf_data_find(&df, "nope") || kbpf_data_count(&df, NULL) != 8)
		fail("sample file: iteration");
	else
		passed++;
	kbpf_data_free(&df);
}

/* Line numbers in asm errors are the file's when the body's first line is passed in. */
static void test_file_asm_lines(void)
{
	static const char text[] = "# c\n-- result\n0x1\n-- asm\nmov %r0, 1\n\nbogus\n";
	const struct kbpf_data_section *sec;
	struct kbpf_data_file df;
	struct kbpf_asm_prog prog;
	char err[ERR_SIZE];

	if (kbpf_data_parse(&df, "l.data", text, sizeof(text) - 1, err, sizeof(err))) {
		fail("line numbers: %s", err);
	} else {
		sec = kbpf_data_find(&df, "asm");
		if (!kbpf_asm(sec->body, sec->body_line, &prog, err, sizeof(err)))
			fail("line numbers: bad asm assembled");
		else if (strcmp(err, "line 7: unknown mnemonic 'bogus'"))
			fail("line numbers: got '%s'", err);
		else
			passed++;
		kbpf_asm_prog_free(&prog);
	}
	kbpf_data_free(&df);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		test_dir(argv[i]);
	test_encodings();
	test_map_table();
	test_helpers();
	test_errors();
	test_disasm();
	test_fuzz();
	test_file_errors();
	test_file_sections();
	test_file_asm_lines();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
