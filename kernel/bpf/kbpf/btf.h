/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BTF as kbpf checks and reads it: a blob userspace (or the kernel's own
 * .BTF section) gave, its header and sections checked, every type's
 * metadata checked, every chain resolved, and each type's size known.
 *
 * Plain C over memory: the host harness builds this file unchanged.
 */
#ifndef _KBPF_BTF_H
#define _KBPF_BTF_H

#include <linux/limits.h>
#include <linux/types.h>
#include <uapi/linux/btf.h>

struct kbpf_log;

/* Upstream's limits: the largest blob BPF_BTF_LOAD takes, chain depth. */
#define KBPF_BTF_MAX_SIZE	(16 * 1024 * 1024)
#define KBPF_BTF_MAX_DEPTH	32

/* A type with no size of its own: void, a function, a forward declaration. */
#define KBPF_BTF_UNSIZED	U32_MAX

/**
 * struct kbpf_btf_types - a checked blob and what the check learnt
 * @data: the whole blob, header included; not owned
 * @size: bytes at @data
 * @hdr: the header, at @data
 * @strs: the string section
 * @str_len: its bytes, the last one NUL
 * @types: @nr_types pointers into the type section; [0] is NULL (void)
 * @sizes: each type's size in bytes once resolved, or KBPF_BTF_UNSIZED
 * @nr_types: types including void, so the largest id is @nr_types - 1
 */
struct kbpf_btf_types {
	const void *data;
	u32 size;
	const struct btf_header *hdr;
	const char *strs;
	u32 str_len;
	const struct btf_type **types;
	u32 *sizes;
	u32 nr_types;
};

int kbpf_btf_check(struct kbpf_btf_types *b, const void *data, u32 size,
		   struct kbpf_log *log);
void kbpf_btf_types_free(struct kbpf_btf_types *b);

const char *kbpf_btf_str(const struct kbpf_btf_types *b, u32 off);
const char *kbpf_btf_kind_name(u32 kind);

/**
 * kbpf_btf_type() - a type of checked BTF
 * @b: the BTF
 * @id: a type id
 *
 * Return: the type, or NULL for void and for ids past the last type.
 */
static inline const struct btf_type *
kbpf_btf_type(const struct kbpf_btf_types *b, u32 id)
{
	return id < b->nr_types ? b->types[id] : NULL;
}

/**
 * kbpf_btf_size() - the size of a type of checked BTF
 * @b: the BTF
 * @id: a type id
 *
 * Return: its size in bytes through typedefs and modifiers, or
 * KBPF_BTF_UNSIZED for void, functions, forward declarations and ids
 * past the last type.
 */
static inline u32 kbpf_btf_size(const struct kbpf_btf_types *b, u32 id)
{
	return id && id < b->nr_types ? b->sizes[id] : KBPF_BTF_UNSIZED;
}

const struct btf_type *kbpf_btf_skip_modifiers(const struct kbpf_btf_types *b,
					       u32 id, u32 *res_id);

#endif /* _KBPF_BTF_H */
