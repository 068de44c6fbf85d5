// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any text through the assembler, and any text as a
 * test file.
 *
 * Properties: bad text fails with a message that starts with the line
 * number; text that assembles comes back from the disassembler as text
 * that assembles to the same instructions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "datafile.h"

static void round_trip(const struct kbpf_asm_prog *prog)
{
	struct kbpf_asm_prog again = {};
	char err[256], *text;
	size_t text_size;
	FILE *out;

	out = open_memstream(&text, &text_size);
	if (!out)
		abort();
	kbpf_disasm(out, prog->insns, prog->len, prog->map_names,
		    prog->nr_maps);
	fclose(out);
	if (kbpf_asm(text, 1, &again, err, sizeof(err)) ||
	    again.len != prog->len ||
	    (prog->len &&
	     memcmp(again.insns, prog->insns, prog->len * sizeof(*prog->insns)))) {
		fprintf(stderr, "round trip failed: %s\n%s\n", err, text);
		abort();
	}
	kbpf_asm_prog_free(&again);
	free(text);
}

/* KBPF_FUZZ_ENTRY is libFuzzer's entry point (see the Makefile). */
int KBPF_FUZZ_ENTRY(const __u8 *data, size_t size)
{
	struct kbpf_asm_prog prog = {};
	struct kbpf_data_file df = {};
	char err[256];
	char *text;

	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	if (!kbpf_asm(text, 1, &prog, err, sizeof(err)))
		round_trip(&prog);
	else if (strncmp(err, "line ", 5))
		abort();
	kbpf_asm_prog_free(&prog);

	kbpf_data_parse(&df, "fuzz", text, size, err, sizeof(err));
	kbpf_data_free(&df);
	free(text);
	return 0;
}
