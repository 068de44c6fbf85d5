// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the BTF checker: a corpus of small blobs, each rule of
 * btf.c met once by a blob that keeps it and once by one that breaks it,
 * with the errno and the log words a loader would see; the header's
 * rules by bending a good blob's header; the sizes resolution finds.
 *
 * The host harness runs the same file.
 */

#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "btf.h"
#include "log.h"
#include "verifier.h"

#define LOG_SIZE	512
/* Words of types in the largest blob: the depth test's chain. */
#define MAX_WORDS	(3 * (KBPF_BTF_MAX_DEPTH + 1) + 4)

/*
 * The one string section of every blob, and where each string starts.
 * Each type is its three words: name, INFO(kind, kind_flag, vlen), size
 * or type; then what its kind adds.
 */
static const char strs[] = "\0int\0s\0a\0b\0.data\0v\0f\0bad name\0\x01x";
enum {
	S_INT = 1, S_S = 5, S_A = 7, S_B = 9, S_DATA = 11, S_V = 17, S_F = 19,
	S_BAD = 21, S_NONPRINT = 30
};

#define INFO(kind, kflag, vlen)	((u32)(kflag) << 31 | (kind) << 24 | (vlen))
#define INT_DATA(enc, off, bits)	((enc) << 24 | (off) << 16 | (bits))

struct btf_case {
	const char *name;
	u32 words[40];
	u32 nr_words;
	int err;
	const char *log;	/* words the log must have, when refused */
	u32 id, size;		/* a type's size resolution must find */
};

#define WORDS(...)	.words = { __VA_ARGS__ }, \
			.nr_words = sizeof((u32[]){ __VA_ARGS__ }) / sizeof(u32)

static const struct btf_case cases[] = {
	/* Accepted, each with a size resolution must find. */
	{ "int", WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32)), 0, NULL, 1, 4 },
	{ "pointer to void", WORDS(0, INFO(BTF_KIND_PTR, 0, 0), 0), 0, NULL, 1, 8 },
	{ "struct holding a pointer to itself",
	  WORDS(S_S, INFO(BTF_KIND_STRUCT, 0, 1), 8, S_A, 2, 0,
		0, INFO(BTF_KIND_PTR, 0, 0), 1), 0, NULL, 1, 8 },
	/* typedef struct s s_t; typedef s_t *s_p; struct s { s_p a; }; */
	{ "struct list through typedefs",
	  WORDS(S_A, INFO(BTF_KIND_TYPEDEF, 0, 0), 2,
		S_S, INFO(BTF_KIND_STRUCT, 0, 1), 8, S_A, 3, 0,
		S_B, INFO(BTF_KIND_TYPEDEF, 0, 0), 4,
		0, INFO(BTF_KIND_PTR, 0, 0), 1), 0, NULL, 1, 8 },
	{ "array of three ints",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 1, 1, 3), 0, NULL, 2, 12 },
	{ "flexible array member",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 1, 1, 0,
		S_S, INFO(BTF_KIND_STRUCT, 0, 2), 4, S_A, 1, 0, S_B, 2, 32),
	  0, NULL, 3, 4 },
	{ "union of int and pointer",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_PTR, 0, 0), 0,
		S_S, INFO(BTF_KIND_UNION, 0, 2), 8, S_A, 1, 0, S_B, 2, 0),
	  0, NULL, 3, 8 },
	{ "bitfields",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 1, 2), 4,
		S_A, 1, 3u << 24 | 0, S_B, 1, 29u << 24 | 3), 0, NULL, 2, 4 },
	{ "const volatile typedef chain",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_CONST, 0, 0), 1,
		0, INFO(BTF_KIND_VOLATILE, 0, 0), 2,
		S_A, INFO(BTF_KIND_TYPEDEF, 0, 0), 3), 0, NULL, 4, 4 },
	{ "enum and enum64",
	  WORDS(S_S, INFO(BTF_KIND_ENUM, 1, 2), 4, S_A, -1, S_B, 7,
		0, INFO(BTF_KIND_ENUM64, 0, 1), 8, S_V, 1, 2), 0, NULL, 2, 8 },
	{ "float", WORDS(S_F, INFO(BTF_KIND_FLOAT, 0, 0), 8), 0, NULL, 1, 8 },
	{ "forward declaration", WORDS(S_S, INFO(BTF_KIND_FWD, 1, 0), 0),
	  0, NULL, 1, KBPF_BTF_UNSIZED },
	{ "function with varargs",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_FUNC_PROTO, 0, 2), 1, S_A, 1, 0, 0,
		S_F, INFO(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL), 2),
	  0, NULL, 3, KBPF_BTF_UNSIZED },
	{ "variable in a section",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, BTF_VAR_GLOBAL_ALLOCATED,
		S_DATA, INFO(BTF_KIND_DATASEC, 0, 1), 8, 2, 4, 4),
	  0, NULL, 3, 8 },
	{ "section name of any printable bytes",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, BTF_VAR_STATIC,
		S_BAD, INFO(BTF_KIND_DATASEC, 0, 1), 4, 2, 0, 4), 0, NULL, 2, 4 },
	{ "decl tags on a struct member and a parameter",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 0, 1), 4, S_A, 1, 0,
		S_V, INFO(BTF_KIND_DECL_TAG, 0, 0), 2, 0,
		0, INFO(BTF_KIND_FUNC_PROTO, 0, 1), 1, S_A, 1,
		S_F, INFO(BTF_KIND_FUNC, 0, 0), 4,
		S_V, INFO(BTF_KIND_DECL_TAG, 0, 0), 5, 0),
	  0, NULL, 2, 4 },
	{ "type tag in a pointer chain",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_TYPE_TAG, 0, 0), 1,
		0, INFO(BTF_KIND_PTR, 0, 0), 2), 0, NULL, 3, 8 },

	/* Refused: the type records. */
	{ "record cut short", WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0)),
	  -EINVAL, "meta_left:8 meta_needed:12" },
	{ "int without its data", WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4),
	  -EINVAL, "meta_left:12 meta_needed:16" },
	{ "stray info bits", WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0) | 1 << 20, 4, 32),
	  -EINVAL, "Invalid btf_info" },
	{ "kind 0", WORDS(0, INFO(0, 0, 0), 0), -EINVAL, "Invalid kind:0" },
	{ "kind past the last", WORDS(0, INFO(20, 0, 0), 0), -EINVAL,
	  "Invalid kind:20" },
	{ "name past the strings", WORDS(99, INFO(BTF_KIND_INT, 0, 0), 4, 32),
	  -EINVAL, "Invalid name_offset:99" },
	{ "int of 3 bytes", WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 3, 24),
	  -EINVAL, "Invalid type_size" },
	{ "int of more bits than bytes",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(0, 1, 32)),
	  -EINVAL, "nr_bits exceeds type_size" },
	{ "int of 129 bits",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 16, INT_DATA(0, 0, 129)),
	  -EINVAL, "nr_bits exceeds 128" },
	{ "int_data's unused bits",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(0, 0, 32) | 1 << 8),
	  -EINVAL, "Invalid int_data:120" },
	{ "signed char", WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 1, INT_DATA(3, 0, 8)),
	  -EINVAL, "Unsupported encoding" },
	{ "int with kind_flag", WORDS(S_INT, INFO(BTF_KIND_INT, 1, 0), 4, 32),
	  -EINVAL, "Invalid btf_info kind_flag" },
	{ "pointer with vlen", WORDS(0, INFO(BTF_KIND_PTR, 0, 1), 0),
	  -EINVAL, "vlen != 0" },
	{ "named pointer", WORDS(S_A, INFO(BTF_KIND_PTR, 0, 0), 0),
	  -EINVAL, "Invalid name" },
	{ "typedef without a name", WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_TYPEDEF, 0, 0), 1),
	  -EINVAL, "TYPEDEF (anon) Invalid name" },
	{ "typedef named with a space",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_BAD, INFO(BTF_KIND_TYPEDEF, 0, 0), 1),
	  -EINVAL, "Invalid name" },
	{ "pointer past the last type", WORDS(0, INFO(BTF_KIND_PTR, 0, 0), 5),
	  -EINVAL, "[1] PTR (anon) Invalid type_id" },

	/* Refused: chains. */
	{ "typedef of itself", WORDS(S_A, INFO(BTF_KIND_TYPEDEF, 0, 0), 1),
	  -EEXIST, "Loop detected" },
	{ "pointers in a ring",
	  WORDS(0, INFO(BTF_KIND_PTR, 0, 0), 2, 0, INFO(BTF_KIND_PTR, 0, 0), 1),
	  -EEXIST, "Loop detected" },
	{ "struct holding itself",
	  WORDS(S_S, INFO(BTF_KIND_STRUCT, 0, 1), 4, S_A, 1, 0),
	  -EEXIST, "Loop detected" },
	{ "struct holding itself through an array and a typedef",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 0, 1), 4, S_A, 3, 0,
		0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 4, 1, 1,
		S_B, INFO(BTF_KIND_TYPEDEF, 0, 0), 2),
	  -EEXIST, "Loop detected" },

	/* Refused: arrays. */
	{ "array with a size",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_ARRAY, 0, 0), 4, 1, 1, 1),
	  -EINVAL, "size != 0" },
	{ "array of void", WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 0, 1, 1),
	  -EINVAL, "Invalid elem" },
	{ "array of functions",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_FUNC_PROTO, 0, 0), 1,
		0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 2, 1, 1),
	  -EINVAL, "Invalid elem" },
	{ "array indexed by a pointer",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_PTR, 0, 0), 1,
		0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 1, 2, 1),
	  -EINVAL, "Invalid index" },
	{ "array past 4 GiB",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 1, 1, 0x40000000),
	  -EINVAL, "Array size overflows U32_MAX" },

	/* Refused: structs and unions. */
	{ "member past the struct",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 0, 1), 4, S_A, 1, 64),
	  -EINVAL, "Member bits_offset exceeds its struct size" },
	{ "member running over the end",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 0, 1), 6, S_A, 1, 32),
	  -EINVAL, "Member exceeds struct_size" },
	{ "member not byte aligned",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 0, 1), 8, S_A, 1, 4),
	  -EINVAL, "Member is not byte aligned" },
	{ "members going backwards",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 0, 2), 8, S_A, 1, 32, S_B, 1, 0),
	  -EINVAL, "Invalid member bits_offset" },
	{ "union member at an offset",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_UNION, 0, 1), 8, S_A, 1, 32),
	  -EINVAL, "Invalid member bits_offset" },
	{ "member of void",
	  WORDS(S_S, INFO(BTF_KIND_STRUCT, 0, 1), 8, S_A, 0, 0),
	  -EINVAL, "Invalid type_id" },
	{ "member named with a space",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 0, 1), 4, S_BAD, 1, 0),
	  -EINVAL, "Invalid name" },
	{ "member of a forward declaration",
	  WORDS(S_A, INFO(BTF_KIND_FWD, 0, 0), 0,
		S_S, INFO(BTF_KIND_STRUCT, 0, 1), 4, S_A, 1, 0),
	  -EINVAL, "Invalid member" },
	{ "bitfield of a pointer",
	  WORDS(0, INFO(BTF_KIND_PTR, 0, 0), 0,
		S_S, INFO(BTF_KIND_STRUCT, 1, 1), 8, S_A, 1, 3u << 24),
	  -EINVAL, "Invalid member base type" },
	{ "bitfield wider than its int",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 1, 1), 8, S_A, 1, 33u << 24),
	  -EINVAL, "Invalid member bitfield_size" },
	{ "bitfield running over the end",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 1, 1), 4, S_A, 1, 3u << 24 | 30),
	  -EINVAL, "Member exceeds struct_size" },

	/* Refused: enums, floats. */
	{ "enum of 3 bytes", WORDS(S_S, INFO(BTF_KIND_ENUM, 0, 0), 3),
	  -EINVAL, "Unexpected size" },
	{ "enum of 8 bytes", WORDS(S_S, INFO(BTF_KIND_ENUM, 0, 0), 8),
	  -EINVAL, "Unexpected size" },
	{ "enumerator without a name",
	  WORDS(S_S, INFO(BTF_KIND_ENUM, 0, 1), 4, 0, 1),
	  -EINVAL, "Invalid name" },
	{ "float of 3 bytes", WORDS(S_F, INFO(BTF_KIND_FLOAT, 0, 0), 3),
	  -EINVAL, "Invalid type_size" },
	{ "forward declaration without a name",
	  WORDS(0, INFO(BTF_KIND_FWD, 0, 0), 0), -EINVAL, "Invalid name" },

	/* Refused: functions. */
	{ "function of linkage 3",
	  WORDS(0, INFO(BTF_KIND_FUNC_PROTO, 0, 0), 0,
		S_F, INFO(BTF_KIND_FUNC, 0, 3), 1),
	  -EINVAL, "Invalid func linkage" },
	{ "function of an int", WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_F, INFO(BTF_KIND_FUNC, 0, 0), 1),
	  -EINVAL, "Invalid type_id" },
	{ "void parameter before the last",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_FUNC_PROTO, 0, 2), 1, 0, 0, S_A, 1),
	  -EINVAL, "Invalid arg#1" },
	{ "named varargs",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_FUNC_PROTO, 0, 1), 1, S_A, 0),
	  -EINVAL, "Invalid arg#1" },
	{ "parameter of a function type",
	  WORDS(0, INFO(BTF_KIND_FUNC_PROTO, 0, 0), 0,
		0, INFO(BTF_KIND_FUNC_PROTO, 0, 1), 0, S_A, 1),
	  -EINVAL, "Invalid arg#1" },
	{ "function returning a function",
	  WORDS(0, INFO(BTF_KIND_FUNC_PROTO, 0, 0), 0,
		0, INFO(BTF_KIND_FUNC_PROTO, 0, 0), 1),
	  -EINVAL, "Invalid return type" },

	/* Refused: variables and sections. */
	{ "variable of linkage 3",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, 3),
	  -EINVAL, "Linkage not supported" },
	{ "variable of a function type",
	  WORDS(0, INFO(BTF_KIND_FUNC_PROTO, 0, 0), 0,
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, 0),
	  -EINVAL, "Invalid type_id" },
	{ "empty section", WORDS(S_DATA, INFO(BTF_KIND_DATASEC, 0, 0), 4),
	  -EINVAL, "vlen == 0" },
	{ "section of no size",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, 0,
		S_DATA, INFO(BTF_KIND_DATASEC, 0, 1), 0, 2, 0, 4),
	  -EINVAL, "size == 0" },
	{ "section of an int",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_DATA, INFO(BTF_KIND_DATASEC, 0, 1), 4, 1, 0, 4),
	  -EINVAL, "Not a VAR kind member" },
	{ "section entries overlapping",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, 0,
		S_DATA, INFO(BTF_KIND_DATASEC, 0, 2), 8, 2, 0, 4, 2, 2, 4),
	  -EINVAL, "Invalid offset" },
	{ "section entry smaller than its variable",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, 0,
		S_DATA, INFO(BTF_KIND_DATASEC, 0, 1), 8, 2, 0, 2),
	  -EINVAL, "Invalid size" },
	{ "section entry past the section",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, 0,
		S_DATA, INFO(BTF_KIND_DATASEC, 0, 1), 8, 2, 6, 4),
	  -EINVAL, "Invalid offset+size" },
	{ "section named with a control byte",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, 0,
		S_NONPRINT, INFO(BTF_KIND_DATASEC, 0, 1), 4, 2, 0, 4),
	  -EINVAL, "Invalid name" },

	/* Refused: tags. */
	{ "decl tag on an int",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_DECL_TAG, 0, 0), 1, -1),
	  -EINVAL, "Invalid type" },
	{ "decl tag on member 1 of 1",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_S, INFO(BTF_KIND_STRUCT, 0, 1), 4, S_A, 1, 0,
		S_V, INFO(BTF_KIND_DECL_TAG, 0, 0), 2, 1),
	  -EINVAL, "Invalid component_idx" },
	/* Found by fuzz_btf: the function comes after its tag. */
	{ "decl tag on a parameter of a function of no prototype",
	  WORDS(S_V, INFO(BTF_KIND_DECL_TAG, 0, 0), 2, 0,
		S_F, INFO(BTF_KIND_FUNC, 0, 0), 0),
	  -EINVAL, "[2] FUNC f Invalid type_id" },
	{ "decl tag of component -2",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		S_V, INFO(BTF_KIND_VAR, 0, 0), 1, 0,
		S_V, INFO(BTF_KIND_DECL_TAG, 0, 0), 2, -2),
	  -EINVAL, "Invalid component_idx" },
	{ "type tag without a name",
	  WORDS(S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32),
		0, INFO(BTF_KIND_TYPE_TAG, 0, 0), 1),
	  -EINVAL, "Invalid name" },
};

struct btf_fixture {
	struct kbpf_log log;
	char __user *ubuf;
	char text[LOG_SIZE];
	u8 blob[sizeof(struct btf_header) + MAX_WORDS * sizeof(u32) + sizeof(strs)];
	u32 size;
};

static struct btf_fixture *fixture(struct kunit *test)
{
	struct btf_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	unsigned long addr;

	KUNIT_ASSERT_NOT_NULL(test, f);
	addr = kunit_vm_mmap(test, NULL, 0, LOG_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, addr, 0);
	f->ubuf = (char __user *)addr;
	return f;
}

/* Lay out header, @nr_words of types and the strings in f->blob. */
static struct btf_header *build(struct btf_fixture *f, const u32 *words,
				u32 nr_words)
{
	struct btf_header *hdr = (struct btf_header *)f->blob;
	u32 type_len = nr_words * sizeof(u32);

	memset(f->blob, 0, sizeof(f->blob));
	hdr->magic = BTF_MAGIC;
	hdr->version = BTF_VERSION;
	hdr->hdr_len = sizeof(*hdr);
	hdr->type_off = 0;
	hdr->type_len = type_len;
	hdr->str_off = type_len;
	hdr->str_len = sizeof(strs);
	memcpy(f->blob + sizeof(*hdr), words, type_len);
	memcpy(f->blob + sizeof(*hdr) + type_len, strs, sizeof(strs));
	f->size = sizeof(*hdr) + type_len + sizeof(strs);
	return hdr;
}

/* Check f->blob; the log's text lands in f->text. */
static int check(struct kunit *test, struct btf_fixture *f,
		 struct kbpf_btf_types *b)
{
	u32 true_size;
	int err;

	KUNIT_ASSERT_EQ(test, kbpf_log_init(&f->log, 1, f->ubuf, LOG_SIZE), 0);
	err = kbpf_btf_check(b, f->blob, f->size, &f->log);
	kbpf_log_finish(&f->log, &true_size);
	KUNIT_ASSERT_EQ(test, copy_from_user(f->text, f->ubuf, LOG_SIZE), 0);
	f->text[LOG_SIZE - 1] = '\0';
	return err;
}

static void btf_corpus_test(struct kunit *test)
{
	struct btf_fixture *f = fixture(test);
	const struct btf_case *c;
	struct kbpf_btf_types b;

	for (c = cases; c < cases + ARRAY_SIZE(cases); c++) {
		int err;

		build(f, c->words, c->nr_words);
		err = check(test, f, &b);
		KUNIT_EXPECT_EQ_MSG(test, err, c->err, "%s: log \"%s\"", c->name,
				    f->text);
		if (err) {
			KUNIT_EXPECT_TRUE_MSG(test, strstr(f->text, c->log),
					      "%s: log \"%s\", wanted \"%s\"",
						  c->name, f->text, c->log);
			KUNIT_EXPECT_TRUE(test, !b.types);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, kbpf_btf_size(&b, c->id), c->size,
				    "%s: size of [%u]", c->name, c->id);
		KUNIT_EXPECT_TRUE_MSG(test, !f->text[0], "%s: log \"%s\"", c->name,
				      f->text);
		kbpf_btf_types_free(&b);
	}
}

/* A good blob with one header field bent: the errno and the log line. */
static void btf_header_test(struct kunit *test)
{
	static const u32 words[] = {
		S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32)
	};
	static const struct {
		const char *name;
		int field, delta, err;
		const char *log;
	} bends[] = {
		{ "magic", 0, 1, -EINVAL, "Invalid magic" },
		{ "version", 1, 1, -KBPF_ENOTSUPP, "Unsupported version" },
		{ "flags", 2, 1, -KBPF_ENOTSUPP, "Unsupported flags" },
		{ "hdr_len short", 3, -4, -EINVAL, "hdr_len not found" },
		{ "hdr_len past the blob", 3, 1000, -EINVAL, "hdr_len not found" },
		{ "type_off unaligned", 4, 2, -EINVAL, "Unaligned type_off" },
		{ "type_off past strings", 4, 4, -EINVAL, "Unsupported section found" },
		{ "type_len cut", 5, -4, -EINVAL, "Unsupported section found" },
		{ "type_len into strings", 5, 4, -EINVAL, "Section overlap found" },
		{ "type_len past the blob", 5, 1000, -EINVAL,
		  "Total section length too long" },
		{ "str_off gap", 6, 4, -EINVAL, "Total section length too long" },
		{ "str_len short", 7, -1, -EINVAL, "Unsupported section found" },
		{ "str_len long", 7, 1, -EINVAL, "Total section length too long" },
	};
	struct btf_fixture *f = fixture(test);
	struct kbpf_btf_types b;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(bends); i++) {
		struct btf_header *hdr = build(f, words, ARRAY_SIZE(words));
		u32 *fields[] = { NULL, NULL, NULL, &hdr->hdr_len, &hdr->type_off,
				  &hdr->type_len, &hdr->str_off, &hdr->str_len };

		switch (bends[i].field) {
		case 0:
			hdr->magic += bends[i].delta;
			break;
		case 1:
			hdr->version += bends[i].delta;
			break;
		case 2:
			hdr->flags += bends[i].delta;
			break;
		default:
			*fields[bends[i].field] += bends[i].delta;
		}
		KUNIT_EXPECT_EQ_MSG(test, check(test, f, &b), bends[i].err, "%s",
				    bends[i].name);
		KUNIT_EXPECT_TRUE_MSG(test, strstr(f->text, bends[i].log),
				      "%s: log \"%s\"", bends[i].name, f->text);
	}

	/* The good blob itself, then longer headers and shorter blobs. */
	build(f, words, ARRAY_SIZE(words));
	KUNIT_ASSERT_EQ(test, check(test, f, &b), 0);
	kbpf_btf_types_free(&b);

	f->size = 3;
	KUNIT_EXPECT_EQ(test, check(test, f, &b), -EINVAL);
	KUNIT_EXPECT_TRUE(test, strstr(f->text, "btf_header not found"));

	f->size = sizeof(struct btf_header);
	KUNIT_EXPECT_EQ(test, check(test, f, &b), -EINVAL);
	KUNIT_EXPECT_TRUE(test, strstr(f->text, "No data"));
}

/* Headers longer than kbpf knows: zero past it is fine, else -E2BIG. */
static void btf_long_header_test(struct kunit *test)
{
	static const u32 words[] = {
		S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32)
	};
	struct btf_fixture *f = fixture(test);
	struct kbpf_btf_types b;
	struct btf_header *hdr;
	u32 body = sizeof(words) + sizeof(strs);

	hdr = build(f, words, ARRAY_SIZE(words));
	memmove(f->blob + sizeof(*hdr) + 8, f->blob + sizeof(*hdr), body);
	memset(f->blob + sizeof(*hdr), 0, 8);
	hdr->hdr_len += 8;
	f->size += 8;
	KUNIT_EXPECT_EQ(test, check(test, f, &b), 0);
	kbpf_btf_types_free(&b);

	f->blob[sizeof(*hdr) + 5] = 1;
	KUNIT_EXPECT_EQ(test, check(test, f, &b), -E2BIG);
	KUNIT_EXPECT_TRUE(test, strstr(f->text, "Unsupported btf_header"));

	f->blob[sizeof(*hdr) + 5] = 0;
	hdr->hdr_len -= 2;
	KUNIT_EXPECT_EQ(test, check(test, f, &b), -EINVAL);
}

/* Strings: NUL first and last, and names only where they point. */
static void btf_strings_test(struct kunit *test)
{
	static const u32 words[] = {
		S_INT, INFO(BTF_KIND_INT, 0, 0), 4, INT_DATA(1, 0, 32)
	};
	struct btf_fixture *f = fixture(test);
	struct kbpf_btf_types b;
	struct btf_header *hdr;
	char *s;

	hdr = build(f, words, ARRAY_SIZE(words));
	s = (char *)f->blob + sizeof(*hdr) + hdr->str_off;
	s[hdr->str_len - 1] = 'x';
	KUNIT_EXPECT_EQ(test, check(test, f, &b), -EINVAL);
	KUNIT_EXPECT_TRUE(test, strstr(f->text, "Invalid string section"));

	hdr = build(f, words, ARRAY_SIZE(words));
	s[0] = 'x';
	KUNIT_EXPECT_EQ(test, check(test, f, &b), -EINVAL);
	KUNIT_EXPECT_TRUE(test, strstr(f->text, "Invalid string section"));

	hdr = build(f, words, ARRAY_SIZE(words));
	hdr->str_len = 0;
	f->size -= sizeof(strs);
	KUNIT_EXPECT_EQ(test, check(test, f, &b), -EINVAL);
	KUNIT_EXPECT_TRUE(test, strstr(f->text, "Invalid string section"));

	/* The name at the last string's NUL is the empty string: fine. */
	hdr = build(f, words, ARRAY_SIZE(words));
	((struct btf_type *)(hdr + 1))->name_off = sizeof(strs) - 1;
	KUNIT_EXPECT_EQ(test, check(test, f, &b), 0);
	kbpf_btf_types_free(&b);
}

/*
 * Chains of modifiers as long as resolution may go, and one longer: the
 * depth is bounded (-E2BIG), as upstream's.
 */
static void btf_depth_test(struct kunit *test)
{
	struct btf_fixture *f = fixture(test);
	struct kbpf_btf_types b;
	u32 words[MAX_WORDS], n, i, nw;

	for (n = KBPF_BTF_MAX_DEPTH - 1; n <= KBPF_BTF_MAX_DEPTH; n++) {
		/* [1] const of [2], ..., [n] const of [n + 1], an int. */
		for (nw = 0, i = 1; i <= n; i++) {
			words[nw++] = 0;
			words[nw++] = INFO(BTF_KIND_CONST, 0, 0);
			words[nw++] = i + 1;
		}
		words[nw++] = S_INT;
		words[nw++] = INFO(BTF_KIND_INT, 0, 0);
		words[nw++] = 4;
		words[nw++] = 32;
		build(f, words, nw);
		KUNIT_EXPECT_EQ_MSG(test, check(test, f, &b),
				    n < KBPF_BTF_MAX_DEPTH ? 0 : -E2BIG,
				    "%u consts: %s", n, f->text);
		if (n < KBPF_BTF_MAX_DEPTH) {
			KUNIT_EXPECT_EQ(test, kbpf_btf_size(&b, 1), 4);
			kbpf_btf_types_free(&b);
		}
	}
	KUNIT_EXPECT_TRUE(test, strstr(f->text, "Exceeded max resolving depth"));
}

static struct kunit_case kbpf_btf_test_cases[] = {
	KUNIT_CASE(btf_corpus_test),
	KUNIT_CASE(btf_header_test),
	KUNIT_CASE(btf_long_header_test),
	KUNIT_CASE(btf_strings_test),
	KUNIT_CASE(btf_depth_test),
	{}
};

static struct kunit_suite kbpf_btf_test_suite = {
	.name = "kbpf_btf",
	.test_cases = kbpf_btf_test_cases,
};

kunit_test_suite(kbpf_btf_test_suite);

MODULE_DESCRIPTION("KUnit tests for kbpf's BTF checker");
MODULE_LICENSE("GPL");
