// SPDX-License-Identifier: GPL-2.0
/*
 * The BTF checker: reads a blob of BPF Type Format and decides whether
 * kbpf may rely on it.
 *
 * It runs in three passes, and each may trust what the previous proved:
 *
 *  1. The header and the sections: magic, version, flags, a header of at
 *     least the known size (a longer one zero past it), the type and
 *     string sections inside the blob, next to each other with nothing
 *     between or after them, the string section NUL at both ends.
 *  2. Each type's metadata, in id order: the record and what follows it
 *     fit in the type section, the kind is known, the info word has no
 *     stray bits, names point into the string section and are what the
 *     kind wants (none, an identifier, a section name), and the kind's
 *     own rules (sizes, encodings, linkage, vlen, the ids it names).
 *  3. Resolution: chains of pointers and modifiers end, and every type
 *     that holds another by value (typedefs and modifiers, arrays,
 *     struct and union members, variables, section entries) learns that
 *     one's size. A type met again while its own size is being worked out
 *     holds itself, which no C type does: "Loop detected" (-EEXIST, as
 *     upstream). Pointers end
 *     the walk of a size (they are 8 bytes whatever they point to), so
 *     struct lists are fine; their own chains are walked apart, through
 *     pointers and modifiers only.
 *
 * The rules and the log words are upstream's, so loaders see the errno
 * and the reason they would see on a stock kernel. One difference: a
 * header whose length is not a multiple of 4 is refused, so that every
 * type record is aligned (upstream reads such blobs unaligned).
 *
 * Nothing here allocates more than a pointer and a size per type, and the
 * depth of resolution is bounded by KBPF_BTF_MAX_DEPTH.
 */

#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "btf.h"
#include "log.h"
#include "verifier.h"

/* Upstream's longest name (KSYM_NAME_LEN), NUL excluded. */
#define BTF_NAME_MAX		512

/*
 * The index is the caller's to size (up to a few tens of MB for the
 * largest blob BPF_BTF_LOAD takes): charged to it, and failing with
 * -ENOMEM rather than waking the OOM killer.
 */
#define BTF_GFP		(GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL)

/* Resolution states, per type. */
enum { BTF_NEW, BTF_VISITING, BTF_DONE };

struct btf_env {
	struct kbpf_btf_types *b;
	struct kbpf_log *log;
	u8 *state;
	u32 depth;
};

static const char * const kind_names[NR_BTF_KINDS] = {
	[BTF_KIND_UNKN] = "UNKNOWN",
	[BTF_KIND_INT] = "INT",
	[BTF_KIND_PTR] = "PTR",
	[BTF_KIND_ARRAY] = "ARRAY",
	[BTF_KIND_STRUCT] = "STRUCT",
	[BTF_KIND_UNION] = "UNION",
	[BTF_KIND_ENUM] = "ENUM",
	[BTF_KIND_FWD] = "FWD",
	[BTF_KIND_TYPEDEF] = "TYPEDEF",
	[BTF_KIND_VOLATILE] = "VOLATILE",
	[BTF_KIND_CONST] = "CONST",
	[BTF_KIND_RESTRICT] = "RESTRICT",
	[BTF_KIND_FUNC] = "FUNC",
	[BTF_KIND_FUNC_PROTO] = "FUNC_PROTO",
	[BTF_KIND_VAR] = "VAR",
	[BTF_KIND_DATASEC] = "DATASEC",
	[BTF_KIND_FLOAT] = "FLOAT",
	[BTF_KIND_DECL_TAG] = "DECL_TAG",
	[BTF_KIND_TYPE_TAG] = "TYPE_TAG",
	[BTF_KIND_ENUM64] = "ENUM64",
};

/**
 * kbpf_btf_kind_name() - a kind's name, as bpftool and upstream's log say it
 * @kind: BTF_KIND_*
 *
 * Return: the name, or "UNKNOWN".
 */
const char *kbpf_btf_kind_name(u32 kind)
{
	return kind < NR_BTF_KINDS ? kind_names[kind] : kind_names[0];
}

/**
 * kbpf_btf_str() - a string of checked BTF
 * @b: the BTF
 * @off: an offset into its string section
 *
 * Return: the NUL-terminated string, or NULL for an offset past the
 * section.
 */
const char *kbpf_btf_str(const struct kbpf_btf_types *b, u32 off)
{
	return off < b->str_len ? b->strs + off : NULL;
}

static const char *type_name(const struct btf_env *env, const struct btf_type *t)
{
	const char *name = kbpf_btf_str(env->b, t->name_off);

	return !t->name_off ? "(anon)" : name ? name : "(invalid-name-offset)";
}

/* Log "[id] KIND name reason", as upstream names a type it refuses. */
static __printf(3, 4) int bad(const struct btf_env *env, u32 id,
			      const char *fmt, ...)
{
	const struct btf_type *t = env->b->types[id];
	char why[80];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	kbpf_log(env->log, "[%u] %s %s %s\n", id,
		 kbpf_btf_kind_name(BTF_INFO_KIND(t->info)), type_name(env, t),
		 why);
	return -EINVAL;
}

/* A type that holds itself, or a chain that comes back: upstream's errno. */
static int loop_detected(const struct btf_env *env, u32 id)
{
	bad(env, id, "Loop detected");
	return -EEXIST;
}

/* Bytes that follow a type's record, from its kind and vlen. */
static u64 extra_size(const struct btf_type *t)
{
	u32 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
		return sizeof(u32);
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (u64)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (u64)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return (u64)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return (u64)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return (u64)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	default:
		return 0;
	}
}

/* --- pass 1: header and sections --- */

static int check_header(struct btf_env *env)
{
	struct kbpf_btf_types *b = env->b;
	const struct btf_header *hdr = b->data;
	u64 type_end, str_end, total;

	if (b->size < offsetof(struct btf_header, hdr_len) + sizeof(hdr->hdr_len)) {
		kbpf_log(env->log, "btf_header not found\n");
		return -EINVAL;
	}
	if (hdr->hdr_len < sizeof(*hdr) || hdr->hdr_len > b->size) {
		kbpf_log(env->log, "hdr_len not found\n");
		return -EINVAL;
	}
	if (memchr_inv(b->data + sizeof(*hdr), 0, hdr->hdr_len - sizeof(*hdr))) {
		kbpf_log(env->log, "Unsupported btf_header\n");
		return -E2BIG;
	}
	if (hdr->magic != BTF_MAGIC) {
		kbpf_log(env->log, "Invalid magic\n");
		return -EINVAL;
	}
	if (hdr->version != BTF_VERSION) {
		kbpf_log(env->log, "Unsupported version\n");
		return -KBPF_ENOTSUPP;
	}
	if (hdr->flags) {
		kbpf_log(env->log, "Unsupported flags\n");
		return -KBPF_ENOTSUPP;
	}
	if (hdr->hdr_len % 4) {
		kbpf_log(env->log, "Unaligned hdr_len\n");
		return -EINVAL;
	}
	total = b->size - hdr->hdr_len;
	if (!total) {
		kbpf_log(env->log, "No data\n");
		return -EINVAL;
	}
	if (hdr->type_off % 4) {
		kbpf_log(env->log, "Unaligned type_off\n");
		return -EINVAL;
	}
	type_end = (u64)hdr->type_off + hdr->type_len;
	str_end = (u64)hdr->str_off + hdr->str_len;
	if (type_end > total || str_end > total) {
		kbpf_log(env->log, "Total section length too long\n");
		return -EINVAL;
	}
	/* Types first, strings right after them, nothing else. */
	if (hdr->type_off) {
		kbpf_log(env->log, "Unsupported section found\n");
		return -EINVAL;
	}
	if (hdr->str_off < type_end) {
		kbpf_log(env->log, "Section overlap found\n");
		return -EINVAL;
	}
	if (hdr->str_off > type_end || str_end != total) {
		kbpf_log(env->log, "Unsupported section found\n");
		return -EINVAL;
	}
	b->hdr = hdr;
	b->strs = b->data + hdr->hdr_len + hdr->str_off;
	b->str_len = hdr->str_len;
	if (!b->str_len || b->str_len - 1 > BTF_MAX_NAME_OFFSET ||
	    b->strs[0] || b->strs[b->str_len - 1]) {
		kbpf_log(env->log, "Invalid string section\n");
		return -EINVAL;
	}
	if (!hdr->type_len) {
		kbpf_log(env->log, "No type found\n");
		return -EINVAL;
	}
	return 0;
}

/* --- pass 2: each type's metadata --- */

/* Walk the type section; with @types NULL only count. */
static int index_types(struct btf_env *env, const struct btf_type **types,
		       u32 *count)
{
	const struct kbpf_btf_types *b = env->b;
	const void *p = b->data + b->hdr->hdr_len + b->hdr->type_off;
	const void *end = p + b->hdr->type_len;
	u32 n = 1;

	while (p < end) {
		const struct btf_type *t = p;
		u32 left = end - p, kind;
		u64 need;

		if (left < sizeof(*t)) {
			kbpf_log(env->log, "[%u] meta_left:%u meta_needed:%zu\n",
				 n, left, sizeof(*t));
			return -EINVAL;
		}
		if (t->info & ~(0x80000000 | 0x1f000000 | 0xffff)) {
			kbpf_log(env->log, "[%u] Invalid btf_info:%x\n", n, t->info);
			return -EINVAL;
		}
		kind = BTF_INFO_KIND(t->info);
		if (kind == BTF_KIND_UNKN || kind > BTF_KIND_MAX) {
			kbpf_log(env->log, "[%u] Invalid kind:%u\n", n, kind);
			return -EINVAL;
		}
		if (t->name_off >= b->str_len) {
			kbpf_log(env->log, "[%u] Invalid name_offset:%u\n", n,
				 t->name_off);
			return -EINVAL;
		}
		need = sizeof(*t) + extra_size(t);
		if (left < need) {
			kbpf_log(env->log, "[%u] meta_left:%u meta_needed:%llu\n",
				 n, left, (unsigned long long)need);
			return -EINVAL;
		}
		if (n > BTF_MAX_TYPE) {
			kbpf_log(env->log, "Exceeded max num of types\n");
			return -E2BIG;
		}
		if (types)
			types[n] = t;
		n++;
		p += need;
	}
	*count = n;
	return 0;
}

static bool name_is_identifier(const char *s)
{
	const char *end = s + BTF_NAME_MAX;

	if (!isalpha(*s) && *s != '_' && *s != '.')
		return false;
	for (s++; *s && s < end; s++)
		if (!isalnum(*s) && *s != '_' && *s != '.')
			return false;
	return !*s;
}

static bool name_is_section(const char *s)
{
	const char *end = s + BTF_NAME_MAX;

	if (!*s)
		return false;
	for (; *s && s < end; s++)
		if (!isprint(*s))
			return false;
	return !*s;
}

/* Each kind's rule for its own name. */
enum name_rule { NAME_NONE, NAME_ANY, NAME_IDENT, NAME_OPT_IDENT, NAME_SECTION,
		 NAME_NONEMPTY };

static enum name_rule kind_name_rule(u32 kind)
{
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_ARRAY:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC_PROTO:
		return NAME_NONE;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return NAME_OPT_IDENT;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FWD:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
		return NAME_IDENT;
	case BTF_KIND_DATASEC:
		return NAME_SECTION;
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		return NAME_NONEMPTY;
	default:
		return NAME_ANY;
	}
}

static bool name_ok(const struct btf_env *env, u32 off, enum name_rule rule)
{
	const char *s = env->b->strs + off;

	switch (rule) {
	case NAME_NONE:
		return !off;
	case NAME_IDENT:
		return off && name_is_identifier(s);
	case NAME_OPT_IDENT:
		return !off || name_is_identifier(s);
	case NAME_SECTION:
		return off && name_is_section(s);
	case NAME_NONEMPTY:
		return off && *s;
	default:
		return true;
	}
}

static bool kind_takes_kflag(u32 kind)
{
	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

static bool kind_has_vlen(u32 kind)
{
	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_DATASEC:
		return true;
	default:
		return false;
	}
}

/* Kinds whose record's third word is a type id rather than a size. */
static bool kind_refers(u32 kind)
{
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

static bool id_ok(const struct btf_env *env, u32 id)
{
	return id < env->b->nr_types;
}

static int check_int(struct btf_env *env, u32 id, const struct btf_type *t)
{
	u32 data = *(const u32 *)(t + 1);
	u32 bits = BTF_INT_BITS(data), off = BTF_INT_OFFSET(data);
	u32 enc = BTF_INT_ENCODING(data);

	if (data & ~(0x0f000000 | 0x00ff0000 | 0xff))
		return bad(env, id, "Invalid int_data:%x", data);
	if (bits > 128 || bits + off > 128)
		return bad(env, id, "nr_bits exceeds 128");
	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8 &&
	    t->size != 16)
		return bad(env, id, "Invalid type_size");
	if (bits + off > t->size * 8)
		return bad(env, id, "nr_bits exceeds type_size");
	if (enc && enc != BTF_INT_SIGNED && enc != BTF_INT_CHAR &&
	    enc != BTF_INT_BOOL)
		return bad(env, id, "Unsupported encoding");
	return 0;
}

static int check_members(struct btf_env *env, u32 id, const struct btf_type *t)
{
	const struct btf_member *m = (const void *)(t + 1);
	bool is_union = BTF_INFO_KIND(t->info) == BTF_KIND_UNION;
	bool kflag = BTF_INFO_KFLAG(t->info);
	u32 i, last = 0;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, m++) {
		u32 off = kflag ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;

		if (m->name_off >= env->b->str_len)
			return bad(env, id, "Invalid member name_offset:%u",
				   m->name_off);
		if (!name_ok(env, m->name_off, NAME_OPT_IDENT))
			return bad(env, id, "Invalid name");
		if (!m->type || !id_ok(env, m->type))
			return bad(env, id, "Invalid type_id");
		if ((is_union && off) || off < last)
			return bad(env, id, "Invalid member bits_offset");
		if (off > (u64)t->size * 8)
			return bad(env, id, "Member bits_offset exceeds its struct size");
		last = off;
	}
	return 0;
}

static int check_enum(struct btf_env *env, u32 id, const struct btf_type *t)
{
	bool wide = BTF_INFO_KIND(t->info) == BTF_KIND_ENUM64;
	u32 i, entry = wide ? sizeof(struct btf_enum64) : sizeof(struct btf_enum);

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return bad(env, id, "Unexpected size");
	if (!wide && t->size > 4)
		return bad(env, id, "Unexpected size");
	for (i = 0; i < BTF_INFO_VLEN(t->info); i++) {
		u32 name = *(const u32 *)((const void *)(t + 1) + i * entry);

		if (name >= env->b->str_len || !name_ok(env, name, NAME_IDENT))
			return bad(env, id, "Invalid name");
	}
	return 0;
}

static int check_func_proto(struct btf_env *env, u32 id, const struct btf_type *t)
{
	const struct btf_param *p = (const void *)(t + 1);
	u32 i, n = BTF_INFO_VLEN(t->info);

	for (i = 0; i < n; i++, p++) {
		if (p->name_off >= env->b->str_len ||
		    !name_ok(env, p->name_off, NAME_OPT_IDENT))
			return bad(env, id, "Invalid arg#%u", i + 1);
		if (!id_ok(env, p->type))
			return bad(env, id, "Invalid arg#%u", i + 1);
		/* void only as the last one, unnamed: "...". */
		if (!p->type && (i + 1 < n || p->name_off))
			return bad(env, id, "Invalid arg#%u", i + 1);
	}
	return 0;
}

static int check_datasec(struct btf_env *env, u32 id, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = (const void *)(t + 1);
	u64 sum = 0, last_end = 0;
	u32 i;

	if (!BTF_INFO_VLEN(t->info))
		return bad(env, id, "vlen == 0");
	if (!t->size)
		return bad(env, id, "size == 0");
	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, v++) {
		if (!v->type || !id_ok(env, v->type))
			return bad(env, id, "Invalid type_id");
		if (v->offset < last_end || v->offset >= t->size)
			return bad(env, id, "Invalid offset");
		if (!v->size || v->size > t->size)
			return bad(env, id, "Invalid size");
		last_end = (u64)v->offset + v->size;
		if (last_end > t->size)
			return bad(env, id, "Invalid offset+size");
		sum += v->size;
	}
	if (sum > t->size)
		return bad(env, id, "Invalid btf_info size");
	return 0;
}

static int check_meta(struct btf_env *env, u32 id)
{
	const struct btf_type *t = env->b->types[id];
	u32 kind = BTF_INFO_KIND(t->info), vlen = BTF_INFO_VLEN(t->info);

	if (!name_ok(env, t->name_off, kind_name_rule(kind)))
		return bad(env, id, "Invalid name");
	if (BTF_INFO_KFLAG(t->info) && !kind_takes_kflag(kind))
		return bad(env, id, "Invalid btf_info kind_flag");
	if (vlen && !kind_has_vlen(kind))
		return bad(env, id, "vlen != 0");
	if (kind_refers(kind) && !id_ok(env, t->type))
		return bad(env, id, "Invalid type_id");

	switch (kind) {
	case BTF_KIND_INT:
		return check_int(env, id, t);
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = (const void *)(t + 1);

		if (t->size)
			return bad(env, id, "size != 0");
		if (!a->type || !id_ok(env, a->type))
			return bad(env, id, "Invalid elem");
		if (!a->index_type || !id_ok(env, a->index_type))
			return bad(env, id, "Invalid index");
		return 0;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return check_members(env, id, t);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return check_enum(env, id, t);
	case BTF_KIND_FWD:
		return 0;
	case BTF_KIND_FUNC:
		if (vlen > BTF_FUNC_EXTERN)
			return bad(env, id, "Invalid func linkage");
		return 0;
	case BTF_KIND_FUNC_PROTO:
		return check_func_proto(env, id, t);
	case BTF_KIND_VAR:
		if (((const struct btf_var *)(t + 1))->linkage > BTF_VAR_GLOBAL_EXTERN)
			return bad(env, id, "Linkage not supported");
		if (!t->type)
			return bad(env, id, "Invalid type_id");
		return 0;
	case BTF_KIND_DATASEC:
		return check_datasec(env, id, t);
	case BTF_KIND_FLOAT:
		if (t->size != 2 && t->size != 4 && t->size != 8 &&
		    t->size != 12 && t->size != 16)
			return bad(env, id, "Invalid type_size");
		return 0;
	case BTF_KIND_DECL_TAG:
		if (((const struct btf_decl_tag *)(t + 1))->component_idx < -1)
			return bad(env, id, "Invalid component_idx");
		if (!t->type)
			return bad(env, id, "Invalid type_id");
		return 0;
	}
	return bad(env, id, "Invalid kind");
}

/* --- pass 3: resolution --- */

static u32 kind_of(const struct btf_env *env, u32 id)
{
	return id ? BTF_INFO_KIND(env->b->types[id]->info) : BTF_KIND_UNKN;
}

static bool is_modifier(u32 kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_VOLATILE ||
	       kind == BTF_KIND_CONST || kind == BTF_KIND_RESTRICT ||
	       kind == BTF_KIND_TYPE_TAG;
}

/**
 * kbpf_btf_skip_modifiers() - follow typedefs and modifiers
 * @b: checked BTF
 * @id: a type id
 * @res_id: where the id reached goes, or NULL
 *
 * Return: the first type that is neither, or NULL for void.
 */
const struct btf_type *kbpf_btf_skip_modifiers(const struct kbpf_btf_types *b,
					       u32 id, u32 *res_id)
{
	const struct btf_type *t = kbpf_btf_type(b, id);

	/* Checked BTF has no loops, and chains are at most as long as b. */
	while (t && is_modifier(BTF_INFO_KIND(t->info))) {
		id = t->type;
		t = kbpf_btf_type(b, id);
	}
	if (res_id)
		*res_id = id;
	return t;
}

/*
 * Chains of pointers and modifiers must end: walk one from @id, marking
 * each type on it, until a type of another kind or one an earlier walk
 * already cleared. Meeting a type of this walk again is a loop.
 */
static int resolve_chain(struct btf_env *env, u32 id)
{
	u32 start = id, steps = 0, k;

	for (;;) {
		k = kind_of(env, id);
		if (!is_modifier(k) && k != BTF_KIND_PTR)
			break;
		if (env->state[id] == BTF_DONE)
			break;
		if (env->state[id] == BTF_VISITING)
			return loop_detected(env, start);
		env->state[id] = BTF_VISITING;
		id = env->b->types[id]->type;
		steps++;
	}
	/* Mark the chain cleared; its sizes come in the next walk. */
	for (id = start; steps--; id = env->b->types[id]->type)
		env->state[id] = BTF_DONE;
	return 0;
}

static int resolve_size(struct btf_env *env, u32 id);

/* The size of @id, which a type holds by value; resolving it if need be. */
static int held_size(struct btf_env *env, u32 id, u32 *size)
{
	int err = resolve_size(env, id);

	if (err)
		return err;
	*size = kbpf_btf_size(env->b, id);
	return 0;
}

/* Kinds a struct member, an array element or a variable may be. */
static bool holdable(const struct btf_env *env, u32 id, u32 size)
{
	const struct btf_type *t = kbpf_btf_skip_modifiers(env->b, id, NULL);
	u32 k = t ? BTF_INFO_KIND(t->info) : BTF_KIND_UNKN;

	if (size == KBPF_BTF_UNSIZED)
		return false;
	return k != BTF_KIND_FUNC && k != BTF_KIND_FUNC_PROTO &&
	       k != BTF_KIND_VAR && k != BTF_KIND_DATASEC &&
	       k != BTF_KIND_DECL_TAG && k != BTF_KIND_UNKN;
}

static bool is_int_or_enum(const struct btf_env *env, u32 id)
{
	const struct btf_type *t = kbpf_btf_skip_modifiers(env->b, id, NULL);
	u32 k = t ? BTF_INFO_KIND(t->info) : BTF_KIND_UNKN;

	return k == BTF_KIND_INT || k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64;
}

static int resolve_members(struct btf_env *env, u32 id, const struct btf_type *t)
{
	const struct btf_member *m = (const void *)(t + 1);
	bool kflag = BTF_INFO_KFLAG(t->info);
	u32 i, msize;
	int err;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, m++) {
		u32 off = kflag ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
		u32 bits = kflag ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;

		err = held_size(env, m->type, &msize);
		if (err)
			return err;
		if (!holdable(env, m->type, msize))
			return bad(env, id, "Invalid member");
		if (bits) {
			if (!is_int_or_enum(env, m->type))
				return bad(env, id, "Invalid member base type");
			if (bits > 128 || bits > msize * 8)
				return bad(env, id, "Invalid member bitfield_size");
			if ((u64)off + bits > (u64)t->size * 8)
				return bad(env, id, "Member exceeds struct_size");
			continue;
		}
		if (off % 8)
			return bad(env, id, "Member is not byte aligned");
		if ((u64)off / 8 + msize > t->size)
			return bad(env, id, "Member exceeds struct_size");
	}
	return 0;
}

static int resolve_array(struct btf_env *env, u32 id, const struct btf_type *t,
			 u32 *size)
{
	const struct btf_array *a = (const void *)(t + 1);
	u32 isize, esize;
	int err;

	err = held_size(env, a->index_type, &isize);
	if (err)
		return err;
	if (!is_int_or_enum(env, a->index_type) || isize == KBPF_BTF_UNSIZED)
		return bad(env, id, "Invalid index");
	err = held_size(env, a->type, &esize);
	if (err)
		return err;
	if (!holdable(env, a->type, esize))
		return bad(env, id, "Invalid elem");
	if (check_mul_overflow(esize, a->nelems, size) || *size == KBPF_BTF_UNSIZED)
		return bad(env, id, "Array size overflows U32_MAX");
	return 0;
}

/* Function signatures: a value or void returned, values passed. */
static int resolve_func_proto(struct btf_env *env, u32 id,
			      const struct btf_type *t)
{
	const struct btf_param *p = (const void *)(t + 1);
	u32 i, size;
	int err;

	if (t->type) {
		err = held_size(env, t->type, &size);
		if (err)
			return err;
		if (!holdable(env, t->type, size))
			return bad(env, id, "Invalid return type");
	}
	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, p++) {
		if (!p->type)
			continue;
		err = held_size(env, p->type, &size);
		if (err)
			return err;
		if (!holdable(env, p->type, size))
			return bad(env, id, "Invalid arg#%u", i + 1);
	}
	return 0;
}

static int resolve_datasec(struct btf_env *env, u32 id, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = (const void *)(t + 1);
	u32 i, size;
	int err;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, v++) {
		if (kind_of(env, v->type) != BTF_KIND_VAR)
			return bad(env, id, "Not a VAR kind member");
		err = held_size(env, v->type, &size);
		if (err)
			return err;
		if (size > v->size)
			return bad(env, id, "Invalid size");
	}
	return 0;
}

static int resolve_decl_tag(struct btf_env *env, u32 id, const struct btf_type *t)
{
	s32 idx = ((const struct btf_decl_tag *)(t + 1))->component_idx;
	const struct btf_type *target = env->b->types[t->type];
	u32 k = BTF_INFO_KIND(target->info);
	/*
	 * The tagged type first: a function's prototype, whose parameters
	 * a component names, is only known to be one once it is resolved.
	 */
	int err = resolve_size(env, t->type);

	if (err)
		return err;
	switch (k) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		break;
	case BTF_KIND_FUNC:
		if (idx >= 0)
			target = env->b->types[target->type];
		break;
	case BTF_KIND_VAR:
	case BTF_KIND_TYPEDEF:
		if (idx != -1)
			return bad(env, id, "Invalid component_idx");
		return 0;
	default:
		return bad(env, id, "Invalid type");
	}
	if (idx >= (s32)BTF_INFO_VLEN(target->info))
		return bad(env, id, "Invalid component_idx");
	return 0;
}

/* Work out @id's size, and check what it holds by value. */
static int resolve_size(struct btf_env *env, u32 id)
{
	const struct btf_type *t;
	u32 size = KBPF_BTF_UNSIZED;
	int err = 0;

	if (!id || env->state[id] == BTF_DONE)
		return 0;
	if (env->state[id] == BTF_VISITING)
		return loop_detected(env, id);
	if (env->depth == KBPF_BTF_MAX_DEPTH) {
		kbpf_log(env->log, "Exceeded max resolving depth:%u\n",
			 KBPF_BTF_MAX_DEPTH);
		return -E2BIG;
	}
	t = env->b->types[id];
	env->state[id] = BTF_VISITING;
	env->depth++;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		size = t->size;
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		err = resolve_members(env, id, t);
		size = t->size;
		break;
	case BTF_KIND_PTR:
		size = sizeof(u64);
		break;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		if (kind_of(env, t->type) == BTF_KIND_PTR)
			size = sizeof(u64);
		else
			err = held_size(env, t->type, &size);
		break;
	case BTF_KIND_ARRAY:
		err = resolve_array(env, id, t, &size);
		break;
	case BTF_KIND_FUNC:
		if (kind_of(env, t->type) != BTF_KIND_FUNC_PROTO)
			err = bad(env, id, "Invalid type_id");
		break;
	case BTF_KIND_FUNC_PROTO:
		err = resolve_func_proto(env, id, t);
		break;
	case BTF_KIND_VAR:
		err = held_size(env, t->type, &size);
		if (!err && !holdable(env, t->type, size))
			err = bad(env, id, "Invalid type_id");
		break;
	case BTF_KIND_DATASEC:
		err = resolve_datasec(env, id, t);
		size = t->size;
		break;
	case BTF_KIND_DECL_TAG:
		err = resolve_decl_tag(env, id, t);
		break;
	}
	env->depth--;
	if (err)
		return err;
	env->b->sizes[id] = size;
	env->state[id] = BTF_DONE;
	return 0;
}

/**
 * kbpf_btf_check() - check a blob of BTF and index its types
 * @b: filled in: the blob's sections, types and sizes
 * @data: the blob; it must outlive @b
 * @size: its bytes
 * @log: where the reason for a refusal goes
 *
 * Return: 0, or -EINVAL (with a log line), -EEXIST for a loop, -E2BIG for
 * a header with unknown nonzero fields, too many types or too deep a chain,
 * -ENOTSUPP for another version or flags, -ENOMEM. On failure @b holds
 * nothing to free.
 */
int kbpf_btf_check(struct kbpf_btf_types *b, const void *data, u32 size,
		   struct kbpf_log *log)
{
	struct btf_env env = { .b = b, .log = log };
	u32 id, n;
	int err;

	memset(b, 0, sizeof(*b));
	b->data = data;
	b->size = size;
	err = check_header(&env);
	if (!err)
		err = index_types(&env, NULL, &n);
	if (err)
		return err;
	b->types = kvcalloc(n, sizeof(*b->types), BTF_GFP);
	b->sizes = kvcalloc(n, sizeof(*b->sizes), BTF_GFP);
	env.state = kvcalloc(n, sizeof(*env.state), BTF_GFP);
	err = -ENOMEM;
	if (!b->types || !b->sizes || !env.state)
		goto out;
	b->nr_types = n;
	err = index_types(&env, b->types, &n);
	for (id = 1; !err && id < n; id++)
		err = check_meta(&env, id);
	for (id = 1; !err && id < n; id++)
		err = resolve_chain(&env, id);
	/* The chain walks' marks meant "cleared"; sizes start afresh. */
	if (!err)
		memset(env.state, BTF_NEW, n);
	for (id = 1; !err && id < n; id++)
		err = resolve_size(&env, id);
out:
	kvfree(env.state);
	if (err)
		kbpf_btf_types_free(b);
	return err;
}

/**
 * kbpf_btf_types_free() - free what kbpf_btf_check() allocated
 * @b: checked BTF; its blob stays its owner's
 */
void kbpf_btf_types_free(struct kbpf_btf_types *b)
{
	kvfree(b->types);
	kvfree(b->sizes);
	b->types = NULL;
	b->sizes = NULL;
	b->nr_types = 0;
}
