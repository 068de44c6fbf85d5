/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test files made of sections, the layout of bpf_conformance's .data files:
 *
 *	# comments before the first section
 *	-- asm
 *	mov %r0, 1
 *	exit
 *	-- result
 *	0x1
 *
 * A header is "-- " followed by the section's name and, optionally, words
 * that parameterise it ("-- map counters hash key=4 value=8 entries=16").
 * The parser keeps every section, in order, known or not; what a section
 * means is up to the test that reads it.  The functions are documented
 * where they are defined, in datafile.c.
 */
#ifndef KBPF_HOST_DATAFILE_H
#define KBPF_HOST_DATAFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/bpf.h>

/**
 * struct kbpf_data_section - one section of a test file
 * @header: the header line after "-- ", without trailing blanks
 * @name: first word of @header
 * @args: the rest of @header, "" when there is none
 * @argv: the words of @args
 * @argc: number of words in @argv
 * @body: the section's lines, each ending in a newline; "" when empty
 * @header_line: line number of the header in the file
 * @body_line: line number of the first line of @body
 * @path: the file's path, for error messages
 */
struct kbpf_data_section {
	char *header;
	char *name;
	char *args;
	char **argv;
	unsigned int argc;
	char *body;
	unsigned int header_line;
	unsigned int body_line;
	const char *path;
};

/**
 * struct kbpf_data_file - a parsed test file
 * @path: where it was read from, or the name given to kbpf_data_parse()
 * @sections: its sections in file order
 * @nr_sections: number of entries in @sections
 */
struct kbpf_data_file {
	char *path;
	struct kbpf_data_section *sections;
	unsigned int nr_sections;
};

int kbpf_data_load(struct kbpf_data_file *df, const char *path, char *err, size_t err_size);
int kbpf_data_parse(struct kbpf_data_file *df, const char *path, const char *text, size_t len,
		    char *err, size_t err_size);
void kbpf_data_free(struct kbpf_data_file *df);

bool kbpf_data_match(const struct kbpf_data_section *sec, const char *name);
const struct kbpf_data_section *kbpf_data_next(const struct kbpf_data_file *df,
					       const struct kbpf_data_section *prev,
					       const char *name);
const struct kbpf_data_section *kbpf_data_find(const struct kbpf_data_file *df,
					       const char *name);
unsigned int kbpf_data_count(const struct kbpf_data_file *df, const char *name);
const char *kbpf_data_arg(const struct kbpf_data_section *sec, const char *key);

int kbpf_data_insns(const struct kbpf_data_section *sec, struct bpf_insn **insns,
		    unsigned int *len, char *err, size_t err_size);
int kbpf_data_bytes(const struct kbpf_data_section *sec, __u8 **buf, size_t *len,
		    char *err, size_t err_size);
int kbpf_data_value(const struct kbpf_data_section *sec, __u64 *val, char *err,
		    size_t err_size);

#endif /* KBPF_HOST_DATAFILE_H */
