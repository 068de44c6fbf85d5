// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes through the BTF checker.
 *
 * Properties: a refusal comes with a log line; accepted BTF holds what
 * the checker promises its readers (maps, programs, bpftool), which this
 * target walks for itself: every type and name inside the blob, every
 * chain of modifiers ending, every struct member, array and section
 * entry within the size resolution gave. The sanitizers catch a read
 * past the blob on the way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "log.h"

static void fail(const char *why, u32 id)
{
	fprintf(stderr, "accepted BTF breaks a promise: %s at [%u]\n", why, id);
	abort();
}

static void check_name(const struct kbpf_btf_types *b, u32 off, u32 id)
{
	const char *s = kbpf_btf_str(b, off);

	if (!s || !memchr(s, '\0', b->str_len - off))
		fail("name outside the strings", id);
}

static void check_type(const struct kbpf_btf_types *b, u32 id)
{
	const struct btf_type *t = kbpf_btf_type(b, id);
	const void *end = (const char *)b->strs;
	u32 i, vlen = BTF_INFO_VLEN(t->info), size = kbpf_btf_size(b, id);

	if ((const void *)(t + 1) > end)
		fail("type past its section", id);
	check_name(b, t->name_off, id);
	/* Ends: each step of a chain goes to a valid id. */
	kbpf_btf_skip_modifiers(b, id, NULL);
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = (const void *)(t + 1);

		if (size != t->size)
			fail("struct size", id);
		for (i = 0; i < vlen; i++, m++) {
			u32 msize = kbpf_btf_size(b, m->type);
			u32 off = BTF_INFO_KFLAG(t->info) ?
				  BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
			u32 bits = BTF_INFO_KFLAG(t->info) ?
				   BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;

			check_name(b, m->name_off, id);
			if (msize == KBPF_BTF_UNSIZED)
				fail("member of no size", id);
			if (bits ? (u64)off + bits > (u64)t->size * 8 :
				   (u64)off / 8 + msize > t->size)
				fail("member past its struct", id);
		}
		break;
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = (const void *)(t + 1);
		u32 esize = kbpf_btf_size(b, a->type);

		if (esize == KBPF_BTF_UNSIZED || (u64)esize * a->nelems != size)
			fail("array size", id);
		break;
	}
	case BTF_KIND_DATASEC: {
		const struct btf_var_secinfo *v = (const void *)(t + 1);

		for (i = 0; i < vlen; i++, v++)
			if ((u64)v->offset + v->size > t->size ||
			    kbpf_btf_size(b, v->type) > v->size)
				fail("section entry", id);
		break;
	}
	case BTF_KIND_FUNC:
		if (BTF_INFO_KIND(kbpf_btf_type(b, t->type)->info) !=
		    BTF_KIND_FUNC_PROTO)
			fail("function without a prototype", id);
		break;
	}
}

static unsigned long nr_checked, nr_accepted;

/* How much of the input was BTF kbpf took (run.sh prints this line). */
static void __attribute__((destructor)) report(void)
{
	if (nr_checked)
		fprintf(stderr, "kbpf: %lu blobs checked, %lu accepted and walked\n",
			nr_checked, nr_accepted);
}

/* KBPF_FUZZ_ENTRY is libFuzzer's entry point (see the Makefile). */
int KBPF_FUZZ_ENTRY(const __u8 *data, size_t size)
{
	static char text[4096];
	struct kbpf_btf_types b;
	struct kbpf_log log;
	u32 true_size, id;
	void *copy;
	int err;

	/* A copy of exactly @size bytes, so ASan sees any read past it. */
	copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	text[0] = '\0';
	kbpf_log_init(&log, 1, text, sizeof(text));
	err = kbpf_btf_check(&b, copy, size, &log);
	kbpf_log_finish(&log, &true_size);
	nr_checked++;
	if (err) {
		if (!text[0])
			fail("refused without a log line", 0);
	} else {
		nr_accepted++;
		for (id = 1; id < b.nr_types; id++)
			check_type(&b, id);
		kbpf_btf_types_free(&b);
	}
	free(copy);
	return 0;
}
