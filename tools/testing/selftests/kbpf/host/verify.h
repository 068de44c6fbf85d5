/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier's test files (tools/testing/selftests/kbpf/verifier/) and
 * the commands that run them: "kbpf-host verify [-v] FILE" and
 * "kbpf-host verify-suite DIR". The functions are documented where they
 * are defined, in verify.c, which also shows the file layout.
 */
#ifndef KBPF_HOST_VERIFY_H
#define KBPF_HOST_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "asm.h"
#include "datafile.h"

/**
 * struct kbpf_vtest_map - a map a test declares with "-- map"
 * @name: the name the program's "map:NAME" operands use
 * @type_name: the type as the test spells it ("hash")
 * @type: the type, a BPF_MAP_TYPE_*
 * @key_size: bytes in a key
 * @value_size: bytes in a value
 * @max_entries: entries the map holds (bytes, for a ring buffer)
 * @flags: BPF_F_* creation flags, from the optional flags=
 * @inner: for maps of maps, 1 + the index of the map declared before it
 *	that inner= names (what the maps it holds are like); 0 for none
 * @frozen: from frozen=HEX, the value of a frozen 1-entry array that is
 *	read-only to programs (what libbpf makes of .rodata); NULL for none
 * @frozen_len: bytes at @frozen
 */
struct kbpf_vtest_map {
	const char *name;
	const char *type_name;
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
	__u32 inner;
	__u8 *frozen;
	__u32 frozen_len;
};

/**
 * struct kbpf_vtest - a parsed verifier test
 * @df: the file; the other fields point into it
 * @prog_type_name: the "-- type" as written, NULL when the test has none
 * @prog_type: the program type, a BPF_PROG_TYPE_* (UNSPEC without a type)
 * @maps: the "-- map" sections, in file order
 * @nr_maps: entries in @maps
 * @prog: the assembled "-- asm" section
 * @prog_maps: for each of @prog's map names, its index in @maps
 * @expect_accept: "-- expect accept" rather than "-- expect reject"
 * @level: the log level, from "-- level" (1 by default)
 * @caps: KBPF_CORPUS_CAPS_*: the loader's capabilities, from "-- caps"
 *	(all of them by default; "-- caps bpf": CAP_BPF alone)
 *
 * The program type and the maps go to the verifier. The log substrings
 * are the file's "-- log" sections, read from @df.
 */
struct kbpf_vtest {
	struct kbpf_data_file df;
	const char *prog_type_name;
	__u32 prog_type;
	struct kbpf_vtest_map *maps;
	unsigned int nr_maps;
	struct kbpf_asm_prog prog;
	unsigned int *prog_maps;
	bool expect_accept;
	__u32 level;
	__u32 caps;
};

int kbpf_vtest_load(struct kbpf_vtest *t, const char *path, char *err,
		    size_t err_size);
void kbpf_vtest_free(struct kbpf_vtest *t);

int kbpf_host_verify(const char *path, bool verbose);
int kbpf_host_verify_suite(const char *dir);
int kbpf_host_export_corpus(const char *dir, const char *out);

#endif /* KBPF_HOST_VERIFY_H */
