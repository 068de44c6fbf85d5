// SPDX-License-Identifier: GPL-2.0
/*
 * Assembler for the uBPF / bpf_conformance text dialect of eBPF, so that
 * tests can be written as readable text and checked against what the
 * conformance suite expects.  Syntax errors are reported as "line N: ..."
 * with N counted from the caller's first line, so a test file can report
 * its own line numbers.
 *
 * Labels are resolved after the whole text is read, which is also when
 * every jump is checked to land inside the program: only then is the
 * program length known.
 */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"

/* Room for the longest base mnemonic plus its "32" suffix. */
#define MNEMONIC_MAX	16
/* More than any instruction takes, so that a surplus can be reported. */
#define OPERANDS_MAX	4

enum insn_fmt {
	FMT_ALU,	/* op %rD, %rS | imm */
	FMT_NEG,	/* neg %rD */
	FMT_MOVSX,	/* movsx %rD, %rS */
	FMT_END,	/* le16 %rD */
	FMT_LDX,	/* ldxw %rD, [%rS+off] */
	FMT_ST,		/* stw [%rD+off], imm */
	FMT_STX,	/* stxw [%rD+off], %rS */
	FMT_LDDW,	/* lddw %rD, imm64 | map:NAME | map_value:NAME+OFF */
	FMT_LDABS,	/* ldabsw imm */
	FMT_LDIND,	/* ldindw %rS, imm */
	FMT_JA,		/* ja TARGET */
	FMT_JA32,	/* ja32 TARGET, the target going in imm */
	FMT_JCOND,	/* jeq %rD, %rS | imm, TARGET */
	FMT_CALL,	/* call N | NAME | %rN | local TARGET */
	FMT_EXIT,	/* exit */
	FMT_LOCK,	/* lock [fetch] op [%rD+off], %rS */
};

/**
 * struct insn_def - how one mnemonic is encoded
 * @name: the mnemonic
 * @fmt: operand syntax, one of enum insn_fmt
 * @code: opcode byte
 * @off: value of the off field, for the mnemonics that fix it
 * @imm: value of the imm field, for the mnemonics that fix it
 */
struct insn_def {
	const char *name;
	__u8 fmt;
	__u8 code;
	__s16 off;
	__s32 imm;
};

/*
 * Mnemonics that do not follow the "name" / "name32" pattern of the ALU and
 * conditional jump families, which are matched by kbpf_alu_names and
 * kbpf_jmp_names.
 */
static const struct insn_def fixed_defs[] = {
	{ "neg", FMT_NEG, BPF_ALU64 | BPF_NEG | BPF_K, 0, 0 },
	{ "neg32", FMT_NEG, BPF_ALU | BPF_NEG | BPF_K, 0, 0 },
	{ "movsx864", FMT_MOVSX, BPF_ALU64 | BPF_MOV | BPF_X, 8, 0 },
	{ "movsx1664", FMT_MOVSX, BPF_ALU64 | BPF_MOV | BPF_X, 16, 0 },
	{ "movsx3264", FMT_MOVSX, BPF_ALU64 | BPF_MOV | BPF_X, 32, 0 },
	{ "movsx832", FMT_MOVSX, BPF_ALU | BPF_MOV | BPF_X, 8, 0 },
	{ "movsx1632", FMT_MOVSX, BPF_ALU | BPF_MOV | BPF_X, 16, 0 },
	{ "le16", FMT_END, BPF_ALU | BPF_END | BPF_TO_LE, 0, 16 },
	{ "le32", FMT_END, BPF_ALU | BPF_END | BPF_TO_LE, 0, 32 },
	{ "le64", FMT_END, BPF_ALU | BPF_END | BPF_TO_LE, 0, 64 },
	{ "be16", FMT_END, BPF_ALU | BPF_END | BPF_TO_BE, 0, 16 },
	{ "be32", FMT_END, BPF_ALU | BPF_END | BPF_TO_BE, 0, 32 },
	{ "be64", FMT_END, BPF_ALU | BPF_END | BPF_TO_BE, 0, 64 },
	{ "bswap16", FMT_END, BPF_ALU64 | BPF_END | BPF_TO_LE, 0, 16 },
	{ "bswap32", FMT_END, BPF_ALU64 | BPF_END | BPF_TO_LE, 0, 32 },
	{ "bswap64", FMT_END, BPF_ALU64 | BPF_END | BPF_TO_LE, 0, 64 },
	/* bpf_conformance's older spelling of bswap, still used by its tests */
	{ "swap16", FMT_END, BPF_ALU64 | BPF_END | BPF_TO_LE, 0, 16 },
	{ "swap32", FMT_END, BPF_ALU64 | BPF_END | BPF_TO_LE, 0, 32 },
	{ "swap64", FMT_END, BPF_ALU64 | BPF_END | BPF_TO_LE, 0, 64 },
	{ "ldxb", FMT_LDX, BPF_LDX | BPF_MEM | BPF_B, 0, 0 },
	{ "ldxh", FMT_LDX, BPF_LDX | BPF_MEM | BPF_H, 0, 0 },
	{ "ldxw", FMT_LDX, BPF_LDX | BPF_MEM | BPF_W, 0, 0 },
	{ "ldxdw", FMT_LDX, BPF_LDX | BPF_MEM | BPF_DW, 0, 0 },
	{ "ldxsb", FMT_LDX, BPF_LDX | BPF_MEMSX | BPF_B, 0, 0 },
	{ "ldxsh", FMT_LDX, BPF_LDX | BPF_MEMSX | BPF_H, 0, 0 },
	{ "ldxsw", FMT_LDX, BPF_LDX | BPF_MEMSX | BPF_W, 0, 0 },
	{ "stb", FMT_ST, BPF_ST | BPF_MEM | BPF_B, 0, 0 },
	{ "sth", FMT_ST, BPF_ST | BPF_MEM | BPF_H, 0, 0 },
	{ "stw", FMT_ST, BPF_ST | BPF_MEM | BPF_W, 0, 0 },
	{ "stdw", FMT_ST, BPF_ST | BPF_MEM | BPF_DW, 0, 0 },
	{ "stxb", FMT_STX, BPF_STX | BPF_MEM | BPF_B, 0, 0 },
	{ "stxh", FMT_STX, BPF_STX | BPF_MEM | BPF_H, 0, 0 },
	{ "stxw", FMT_STX, BPF_STX | BPF_MEM | BPF_W, 0, 0 },
	{ "stxdw", FMT_STX, BPF_STX | BPF_MEM | BPF_DW, 0, 0 },
	{ "lddw", FMT_LDDW, BPF_LD | BPF_IMM | BPF_DW, 0, 0 },
	{ "ldabsb", FMT_LDABS, BPF_LD | BPF_ABS | BPF_B, 0, 0 },
	{ "ldabsh", FMT_LDABS, BPF_LD | BPF_ABS | BPF_H, 0, 0 },
	{ "ldabsw", FMT_LDABS, BPF_LD | BPF_ABS | BPF_W, 0, 0 },
	{ "ldindb", FMT_LDIND, BPF_LD | BPF_IND | BPF_B, 0, 0 },
	{ "ldindh", FMT_LDIND, BPF_LD | BPF_IND | BPF_H, 0, 0 },
	{ "ldindw", FMT_LDIND, BPF_LD | BPF_IND | BPF_W, 0, 0 },
	{ "ja", FMT_JA, BPF_JMP | BPF_JA, 0, 0 },
	/* src_reg BPF_MAY_GOTO is 0: the opcode alone says may_goto. */
	{ "may_goto", FMT_JA, BPF_JMP | BPF_JCOND, 0, 0 },
	{ "ja32", FMT_JA32, BPF_JMP32 | BPF_JA, 0, 0 },
	{ "call", FMT_CALL, BPF_JMP | BPF_CALL, 0, 0 },
	{ "exit", FMT_EXIT, BPF_JMP | BPF_EXIT, 0, 0 },
	{ "lock", FMT_LOCK, 0, 0, 0 },
};

/* The names come from the uapi header's helper list, so they follow it. */
#define KBPF_HELPER_NAME(name, id, ...)	\
	[id] = "bpf_" #name,
static const char *const helper_names[] = {
	___BPF_FUNC_MAPPER(KBPF_HELPER_NAME)
};

#undef KBPF_HELPER_NAME

#define NR_HELPER_NAMES ARRAY_SIZE(helper_names)

/**
 * struct asm_label - a label definition
 * @name: the label, without its colon
 * @pc: index of the instruction it names
 * @line: line it was defined on, for duplicate reports
 */
struct asm_label {
	char *name;
	unsigned int pc;
	unsigned int line;
};

/**
 * struct asm_jump - a jump or local call still to be checked
 * @pc: index of the instruction
 * @line: its line, for error reports
 * @in_imm: the target is kept in imm (ja32, call local) rather than off
 * @label: the target label, or NULL when an offset was written
 */
struct asm_jump {
	unsigned int pc;
	unsigned int line;
	bool in_imm;
	char *label;
};

/**
 * struct asm_state - everything one kbpf_asm() call builds up
 * @line: number of the line being assembled, as reported in errors
 * @err: caller's error buffer
 * @err_size: its size
 * @insns: instructions emitted so far
 * @len: their number
 * @insns_cap: allocated size of @insns
 * @labels: labels defined so far
 * @nr_labels: their number
 * @labels_cap: allocated size of @labels
 * @jumps: jumps to check at the end
 * @nr_jumps: their number
 * @jumps_cap: allocated size of @jumps
 * @maps: map names in order of first use
 * @nr_maps: their number
 * @maps_cap: allocated size of @maps
 * @first_exit: index of the first exit instruction, or -1
 */
struct asm_state {
	unsigned int line;
	char *err;
	size_t err_size;
	struct bpf_insn *insns;
	unsigned int len;
	unsigned int insns_cap;
	struct asm_label *labels;
	unsigned int nr_labels;
	unsigned int labels_cap;
	struct asm_jump *jumps;
	unsigned int nr_jumps;
	unsigned int jumps_cap;
	char **maps;
	unsigned int nr_maps;
	unsigned int maps_cap;
	long first_exit;
};

static int asm_error(struct asm_state *st, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!st->err_size)
		return -1;
	n = snprintf(st->err, st->err_size, "line %u: ", st->line);
	if (n >= 0 && (size_t)n < st->err_size) {
		va_start(ap, fmt);
		vsnprintf(st->err + n, st->err_size - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Makes room for one more element in a growable array.  Returns the array,
 * moved if it had to grow, or NULL with the error reported.
 */
static void *grow(struct asm_state *st, void *arr, unsigned int *cap, unsigned int used,
		  size_t elem_size)
{
	unsigned int new_cap;
	void *p;

	if (used < *cap)
		return arr;
	new_cap = *cap ? *cap * 2 : 16;
	if (new_cap <= *cap) {
		asm_error(st, "program too large");
		return NULL;
	}
	p = realloc(arr, (size_t)new_cap * elem_size);
	if (!p) {
		asm_error(st, "out of memory");
		return NULL;
	}
	*cap = new_cap;
	return p;
}

static int emit(struct asm_state *st, const struct bpf_insn *insn)
{
	struct bpf_insn *insns;

	insns = grow(st, st->insns, &st->insns_cap, st->len, sizeof(*insn));
	if (!insns)
		return -1;
	st->insns = insns;
	st->insns[st->len++] = *insn;
	return 0;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Cuts the first whitespace-separated word off *s; NULL when none is left. */
static char *next_word(char **s)
{
	char *p = *s, *word;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return NULL;
	word = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return word;
}

static bool is_ident(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/*
 * Map names may also carry dots, as section-named maps such as ".rodata"
 * do.  The name ends at the first character that cannot be part of it.
 */
static size_t map_name_len(const char *s)
{
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '.')
		n++;
	return n;
}

/**
 * kbpf_parse_number() - read a number as the assembler writes them
 * @s: the text: an optional '+' or '-', then decimal digits or "0x" (or "0X") and hex
 *	digits, and nothing else
 * @neg: receives whether the sign was '-'
 * @mag: receives the magnitude
 *
 * The sign and the magnitude are kept apart so that each caller can apply
 * its own range.
 *
 * Return: 0, -EINVAL if @s is not a number, or -ERANGE if the magnitude does
 * not fit in 64 bits.
 */
int kbpf_parse_number(const char *s, bool *neg, __u64 *mag)
{
	unsigned int base = 10, d;
	__u64 v = 0;

	*neg = false;
	if (*s == '+' || *s == '-')
		*neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			d = *s - '0';
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = tolower((unsigned char)*s) - 'a' + 10;
		else
			return -EINVAL;
		if (v > (~0ULL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*mag = v;
	return 0;
}

/*
 * An immediate of 32 or 64 bits takes anything that fits as either signed
 * or unsigned: 0xffffffff and -1 are the same 32 bits.  *imm receives the
 * two's complement, to be cut down to the field's width.
 */
static int parse_imm(struct asm_state *st, const char *s, unsigned int bits, __u64 *imm)
{
	__u64 max = ~0ULL >> (64 - bits);
	__u64 mag;
	bool neg;
	int ret;

	ret = kbpf_parse_number(s, &neg, &mag);
	if (ret == -EINVAL)
		return asm_error(st, "expected an immediate, got '%s'", s);
	/* Negative down to the signed minimum, positive up to the unsigned maximum. */
	if (ret || mag > (neg ? max / 2 + 1 : max))
		return asm_error(st, "immediate '%s' does not fit in %u bits", s, bits);
	*imm = neg ? -mag : mag;
	return 0;
}

static int parse_imm32(struct asm_state *st, const char *s, __s32 *imm)
{
	__u64 v = 0;

	if (parse_imm(st, s, 32, &v))
		return -1;
	*imm = (__s32)(__u32)v;
	return 0;
}

/* Reads a signed value that must fit in [min, max]; what names the field. */
static int parse_signed(struct asm_state *st, const char *s, const char *what, long long min,
			long long max, long long *val)
{
	long long v;
	__u64 mag;
	bool neg;
	int ret;

	ret = kbpf_parse_number(s, &neg, &mag);
	if (ret == -EINVAL)
		return asm_error(st, "bad %s '%s'", what, s);
	/* Every field here is at most 32 bits wide, so this bound loses nothing. */
	if (ret || mag > 1ULL << 32)
		return asm_error(st, "%s '%s' is out of range", what, s);
	v = neg ? -(long long)mag : (long long)mag;
	if (v < min || v > max)
		return asm_error(st, "%s '%s' is out of range", what, s);
	*val = v;
	return 0;
}

static int parse_reg(struct asm_state *st, const char *s, int *reg)
{
	const char *p = s + 2;
	unsigned int n = 0;

	if (s[0] != '%' || s[1] != 'r' || !isdigit((unsigned char)*p))
		return asm_error(st, "expected a register, got '%s'", s);
	/* Stop early on long digit strings so n cannot overflow. */
	for (; isdigit((unsigned char)*p) && n <= BPF_REG_10; p++)
		n = n * 10 + (*p - '0');
	if (*p || n > BPF_REG_10 || (s[2] == '0' && s[3]))
		return asm_error(st, "bad register '%s'", s);
	*reg = n;
	return 0;
}

/* [%rN], [%rN+off] or [%rN-off], spaces allowed inside the brackets. */
static int parse_mem(struct asm_state *st, char *s, int *reg, __s16 *off)
{
	size_t n = strlen(s);
	char *inner, *sign, *num;
	long long v = 0;
	char sc;

	if (n < 2 || s[0] != '[' || s[n - 1] != ']')
		return asm_error(st, "expected a memory operand [%%rN+off], got '%s'", s);
	s[n - 1] = '\0';
	inner = s + 1;
	sign = strpbrk(inner, "+-");
	sc = sign ? *sign : '\0';
	if (sign)
		*sign = '\0';
	if (parse_reg(st, trim(inner), reg))
		return -1;
	if (sign) {
		num = trim(sign + 1);
		if (*num == '+' || *num == '-')
			return asm_error(st, "bad offset '%c%s'", sc, num);
		/* Put the sign back in front of the digits to read both as one. */
		*--num = sc;
		if (parse_signed(st, num, "offset", -32768, 32767, &v))
			return -1;
	}
	*off = v;
	return 0;
}

static int add_jump(struct asm_state *st, bool in_imm, const char *label)
{
	struct asm_jump *j;

	j = grow(st, st->jumps, &st->jumps_cap, st->nr_jumps, sizeof(*j));
	if (!j)
		return -1;
	st->jumps = j;
	j = &st->jumps[st->nr_jumps];
	j->pc = st->len;
	j->line = st->line;
	j->in_imm = in_imm;
	j->label = NULL;
	if (label) {
		j->label = strdup(label);
		if (!j->label)
			return asm_error(st, "out of memory");
	}
	st->nr_jumps++;
	return 0;
}

/*
 * A target is a label or a signed offset from the next instruction.  A
 * label leaves 0 in the field for now; resolve_jumps() fills it in.
 */
static int parse_target(struct asm_state *st, const char *s, bool in_imm, long long *val)
{
	*val = 0;
	if (*s == '+' || *s == '-') {
		if (in_imm) {
			if (parse_signed(st, s, "jump offset", INT_MIN, INT_MAX, val))
				return -1;
		} else if (parse_signed(st, s, "jump offset", -32768, 32767, val)) {
			return -1;
		}
		return add_jump(st, in_imm, NULL);
	}
	if (!is_ident(s))
		return asm_error(st, "bad jump target '%s'", s);
	return add_jump(st, in_imm, s);
}

/* Index of a map name in the program's table, adding it on first use. */
static int map_index(struct asm_state *st, const char *name, size_t len, __s32 *idx)
{
	unsigned int i;
	char *copy;
	char **maps;

	for (i = 0; i < st->nr_maps; i++) {
		if (strlen(st->maps[i]) == len && !strncmp(st->maps[i], name, len)) {
			*idx = i;
			return 0;
		}
	}
	maps = grow(st, st->maps, &st->maps_cap, st->nr_maps, sizeof(*maps));
	if (!maps)
		return -1;
	st->maps = maps;
	copy = strndup(name, len);
	if (!copy)
		return asm_error(st, "out of memory");
	st->maps[st->nr_maps] = copy;
	*idx = st->nr_maps++;
	return 0;
}

static int asm_lddw(struct asm_state *st, const struct insn_def *def, char **ops)
{
	struct bpf_insn insn[2] = {
		{ .code = def->code },
	};
	const char *name;
	long long off = 0;
	size_t len;
	int dst;
	__u64 v = 0;

	if (parse_reg(st, ops[0], &dst))
		return -1;
	insn[0].dst_reg = dst;
	if (!strncmp(ops[1], "map:", 4) || !strncmp(ops[1], "map_value:", 10)) {
		bool value = ops[1][3] == '_';

		name = ops[1] + (value ? 10 : 4);
		len = map_name_len(name);
		if (!len)
			return asm_error(st, "missing map name in '%s'", ops[1]);
		if (name[len] && (!value || (name[len] != '+' && name[len] != '-')))
			return asm_error(st, "bad map reference '%s'", ops[1]);
		if (name[len] && parse_signed(st, name + len, "map value offset",
					      INT_MIN, INT_MAX, &off))
			return -1;
		if (map_index(st, name, len, &insn[0].imm))
			return -1;
		insn[0].src_reg = value ? BPF_PSEUDO_MAP_VALUE : BPF_PSEUDO_MAP_FD;
		insn[1].imm = off;
	} else {
		if (parse_imm(st, ops[1], 64, &v))
			return -1;
		insn[0].imm = (__s32)(__u32)v;
		insn[1].imm = (__s32)(__u32)(v >> 32);
	}
	if (emit(st, &insn[0]))
		return -1;
	return emit(st, &insn[1]);
}

static int asm_call(struct asm_state *st, const struct insn_def *def, char *op)
{
	struct bpf_insn insn = { .code = def->code };
	long long target;
	int id, reg;

	if (!strncmp(op, "local", 5) && (!op[5] || isspace((unsigned char)op[5]))) {
		op = trim(op + 5);
		if (!*op)
			return asm_error(st, "'call local' needs a target");
		if (parse_target(st, op, true, &target))
			return -1;
		insn.src_reg = BPF_PSEUDO_CALL;
		insn.imm = target;
	} else if (op[0] == '%') {
		/* callx: Linux has no such instruction, but tests name it */
		insn.code |= BPF_X;
		if (parse_reg(st, op, &reg))
			return -1;
		insn.dst_reg = reg;
	} else if (isdigit((unsigned char)op[0]) || op[0] == '-' || op[0] == '+') {
		if (parse_imm32(st, op, &insn.imm))
			return -1;
	} else {
		id = kbpf_helper_id(op);
		if (id < 0)
			return asm_error(st, "unknown helper '%s'", op);
		insn.imm = id;
	}
	return emit(st, &insn);
}

static int split_operands(struct asm_state *st, char *rest, char **ops, unsigned int *nr)
{
	char *p = rest, *comma;

	*nr = 0;
	if (!*rest)
		return 0;
	for (;;) {
		if (*nr == OPERANDS_MAX)
			return asm_error(st, "too many operands");
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		ops[*nr] = trim(p);
		if (!*ops[*nr])
			return asm_error(st, "empty operand");
		(*nr)++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int check_nr_operands(struct asm_state *st, const char *mnemonic, unsigned int nr,
			     unsigned int want)
{
	if (nr == want)
		return 0;
	return asm_error(st, "'%s' takes %u operand%s, got %u", mnemonic, want,
			 want == 1 ? "" : "s", nr);
}

static int asm_lock(struct asm_state *st, char *rest)
{
	struct bpf_insn insn = { .code = BPF_STX | BPF_ATOMIC | BPF_DW };
	const struct kbpf_atomic_op *def = NULL, *op;
	char *word, *ops[OPERANDS_MAX];
	bool fetch = false, w32;
	unsigned int nr;
	int dst, src;
	size_t len;

	word = next_word(&rest);
	if (word && !strcmp(word, "fetch")) {
		fetch = true;
		word = next_word(&rest);
	}
	if (!word)
		return asm_error(st, "'lock' needs an operation");
	len = strlen(word);
	w32 = len > 2 && !strcmp(word + len - 2, "32");
	if (w32) {
		len -= 2;
		insn.code = BPF_STX | BPF_ATOMIC | BPF_W;
	}
	for (op = kbpf_atomic_ops; op->name; op++) {
		if (strlen(op->name) == len && !strncmp(word, op->name, len))
			def = op;
	}
	if (!def)
		return asm_error(st, "unknown atomic operation '%s'", word);
	if (fetch && def->fetch_implied)
		return asm_error(st, "'%s' always fetches, drop 'fetch'", word);
	insn.imm = def->imm | (fetch ? BPF_FETCH : 0);
	if (split_operands(st, trim(rest), ops, &nr) ||
	    check_nr_operands(st, "lock", nr, 2) ||
	    parse_mem(st, ops[0], &dst, &insn.off) ||
	    parse_reg(st, ops[1], &src))
		return -1;
	insn.dst_reg = dst;
	insn.src_reg = src;
	return emit(st, &insn);
}

static unsigned int fmt_operands(__u8 fmt)
{
	switch (fmt) {
	case FMT_EXIT:
		return 0;
	case FMT_NEG:
	case FMT_END:
	case FMT_LDABS:
	case FMT_JA:
	case FMT_JA32:
	case FMT_CALL:
		return 1;
	case FMT_JCOND:
		return 3;
	default:
		return 2;
	}
}

/* Finds the encoding of a mnemonic; *def is filled in for family members. */
static const struct insn_def *lookup(const char *m, struct insn_def *def)
{
	size_t len = strlen(m);
	char base[MNEMONIC_MAX];
	bool w32;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fixed_defs); i++)
		if (!strcmp(m, fixed_defs[i].name))
			return &fixed_defs[i];
	w32 = len > 2 && !strcmp(m + len - 2, "32");
	if (w32)
		len -= 2;
	if (len >= sizeof(base))
		return NULL;
	memcpy(base, m, len);
	base[len] = '\0';
	memset(def, 0, sizeof(*def));
	def->name = m;
	def->fmt = FMT_ALU;
	/* sdiv and smod are div and mod with off 1 */
	if (!strcmp(base, "sdiv") || !strcmp(base, "smod")) {
		def->off = 1;
		memmove(base, base + 1, len);
	}
	for (i = 0; i < 16; i++) {
		if (kbpf_alu_names[i] && !strcmp(base, kbpf_alu_names[i])) {
			def->code = (w32 ? BPF_ALU : BPF_ALU64) | i << 4;
			return def;
		}
	}
	if (def->off)
		return NULL;
	for (i = 0; i < 16; i++) {
		if (kbpf_jmp_names[i] && !strcmp(base, kbpf_jmp_names[i])) {
			def->fmt = FMT_JCOND;
			def->code = (w32 ? BPF_JMP32 : BPF_JMP) | i << 4;
			return def;
		}
	}
	return NULL;
}

/* The second operand of ALU ops and conditional jumps: %rS or imm. */
static int parse_src(struct asm_state *st, const char *s, struct bpf_insn *insn, int *src)
{
	if (s[0] == '%') {
		insn->code |= BPF_X;
		return parse_reg(st, s, src);
	}
	return parse_imm32(st, s, &insn->imm);
}

static int asm_insn(struct asm_state *st, char *mnemonic, char *rest)
{
	const struct insn_def *def;
	struct insn_def family;
	struct bpf_insn insn = {};
	char *ops[OPERANDS_MAX];
	long long target;
	int dst = 0, src = 0;
	unsigned int nr;

	def = lookup(mnemonic, &family);
	if (!def)
		return asm_error(st, "unknown mnemonic '%s'", mnemonic);
	if (def->fmt == FMT_LOCK)
		return asm_lock(st, rest);
	if (split_operands(st, rest, ops, &nr) ||
	    check_nr_operands(st, mnemonic, nr, fmt_operands(def->fmt)))
		return -1;
	insn.code = def->code;
	insn.off = def->off;
	insn.imm = def->imm;

	switch (def->fmt) {
	case FMT_ALU:
		if (parse_reg(st, ops[0], &dst) || parse_src(st, ops[1], &insn, &src))
			return -1;
		break;
	case FMT_NEG:
	case FMT_END:
		if (parse_reg(st, ops[0], &dst))
			return -1;
		break;
	case FMT_MOVSX:
		if (parse_reg(st, ops[0], &dst) || parse_reg(st, ops[1], &src))
			return -1;
		break;
	case FMT_LDX:
		if (parse_reg(st, ops[0], &dst) ||
		    parse_mem(st, ops[1], &src, &insn.off))
			return -1;
		break;
	case FMT_ST:
		if (parse_mem(st, ops[0], &dst, &insn.off) ||
		    parse_imm32(st, ops[1], &insn.imm))
			return -1;
		break;
	case FMT_STX:
		if (parse_mem(st, ops[0], &dst, &insn.off) ||
		    parse_reg(st, ops[1], &src))
			return -1;
		break;
	case FMT_LDDW:
		return asm_lddw(st, def, ops);
	case FMT_LDABS:
		if (parse_imm32(st, ops[0], &insn.imm))
			return -1;
		break;
	case FMT_LDIND:
		if (parse_reg(st, ops[0], &src) || parse_imm32(st, ops[1], &insn.imm))
			return -1;
		break;
	case FMT_JA:
		if (parse_target(st, ops[0], false, &target))
			return -1;
		insn.off = target;
		break;
	case FMT_JA32:
		if (parse_target(st, ops[0], true, &target))
			return -1;
		insn.imm = target;
		break;
	case FMT_JCOND:
		if (parse_reg(st, ops[0], &dst) || parse_src(st, ops[1], &insn, &src) ||
		    parse_target(st, ops[2], false, &target))
			return -1;
		insn.off = target;
		break;
	case FMT_CALL:
		return asm_call(st, def, ops[0]);
	case FMT_EXIT:
		if (st->first_exit < 0)
			st->first_exit = st->len;
		break;
	}
	insn.dst_reg = dst;
	insn.src_reg = src;
	return emit(st, &insn);
}

static int define_label(struct asm_state *st, const char *name)
{
	struct asm_label *l;
	unsigned int i;

	if (!is_ident(name))
		return asm_error(st, "bad label name '%s'", name);
	for (i = 0; i < st->nr_labels; i++)
		if (!strcmp(st->labels[i].name, name))
			return asm_error(st, "duplicate label '%s', first defined on line %u",
					 name, st->labels[i].line);
	l = grow(st, st->labels, &st->labels_cap, st->nr_labels, sizeof(*l));
	if (!l)
		return -1;
	st->labels = l;
	l = &st->labels[st->nr_labels];
	l->name = strdup(name);
	if (!l->name)
		return asm_error(st, "out of memory");
	l->pc = st->len;
	l->line = st->line;
	st->nr_labels++;
	return 0;
}

static int asm_line(struct asm_state *st, char *line)
{
	char *hash = strchr(line, '#');
	char *rest, *word;
	size_t len;

	if (hash)
		*hash = '\0';
	rest = line;
	word = next_word(&rest);
	if (!word)
		return 0;
	len = strlen(word);
	if (word[len - 1] == ':') {
		word[len - 1] = '\0';
		if (define_label(st, word))
			return -1;
		word = next_word(&rest);
		if (!word)
			return 0;
	}
	return asm_insn(st, word, trim(rest));
}

/*
 * Fills in label targets and checks every jump lands on an instruction.
 * "exit" names the first exit instruction unless a label of that name
 * exists, as bpf_conformance's tests expect.
 */
static int resolve_jumps(struct asm_state *st)
{
	struct bpf_insn *insn;
	struct asm_jump *j;
	long long target, delta;
	unsigned int i, k;

	for (i = 0; i < st->nr_jumps; i++) {
		j = &st->jumps[i];
		insn = &st->insns[j->pc];
		st->line = j->line;
		if (j->label) {
			target = -1;
			for (k = 0; k < st->nr_labels; k++)
				if (!strcmp(st->labels[k].name, j->label))
					target = st->labels[k].pc;
			if (target < 0 && !strcmp(j->label, "exit"))
				target = st->first_exit;
			if (target < 0)
				return asm_error(st, "undefined label '%s'", j->label);
			delta = target - (j->pc + 1LL);
			if (!j->in_imm && (delta < -32768 || delta > 32767))
				return asm_error(st, "jump to '%s' is too far for a 16-bit offset",
						 j->label);
			if (j->in_imm)
				insn->imm = delta;
			else
				insn->off = delta;
		} else {
			delta = j->in_imm ? insn->imm : insn->off;
			target = j->pc + 1LL + delta;
		}
		if (target < 0 || target >= st->len)
			return asm_error(st, "jump target %lld is outside the program (%u slots)",
					 target, st->len);
	}
	return 0;
}

static void free_state(struct asm_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nr_labels; i++)
		free(st->labels[i].name);
	free(st->labels);
	for (i = 0; i < st->nr_jumps; i++)
		free(st->jumps[i].label);
	free(st->jumps);
	for (i = 0; i < st->nr_maps; i++)
		free(st->maps[i]);
	free(st->maps);
	free(st->insns);
}

/**
 * kbpf_asm() - assemble a program from text
 * @text: the program, one instruction or label per line
 * @first_line: number to report for the first line of @text, so that errors
 *	can name lines of the file the text came from
 * @prog: receives the program; release it with kbpf_asm_prog_free()
 * @err: receives "line N: reason" on failure
 * @err_size: size of @err
 *
 * Every jump must land inside the program.  Text with no instructions gives
 * an empty program, which is not an error here: rejecting it is the loader's
 * business, and tests may want to watch it do so.
 *
 * Return: 0 on success, -1 on failure with @prog left empty.
 */
int kbpf_asm(const char *text, unsigned int first_line, struct kbpf_asm_prog *prog,
	     char *err, size_t err_size)
{
	struct asm_state st = {
		.line = first_line,
		.err = err,
		.err_size = err_size,
		.first_exit = -1,
	};
	const char *p = text, *eol;
	char *line;
	int ret = 0;

	memset(prog, 0, sizeof(*prog));
	if (err_size)
		err[0] = '\0';
	while (*p && !ret) {
		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		line = strndup(p, eol - p);
		if (!line)
			ret = asm_error(&st, "out of memory");
		else
			ret = asm_line(&st, line);
		free(line);
		p = *eol ? eol + 1 : eol;
		st.line++;
	}
	if (!ret)
		ret = resolve_jumps(&st);
	if (!ret) {
		prog->insns = st.insns;
		prog->len = st.len;
		prog->map_names = st.maps;
		prog->nr_maps = st.nr_maps;
		st.insns = NULL;
		st.maps = NULL;
		st.nr_maps = 0;
	}
	free_state(&st);
	return ret;
}

/**
 * kbpf_asm_prog_free() - release what kbpf_asm() allocated
 * @prog: the program; left empty, so freeing twice is harmless
 */
void kbpf_asm_prog_free(struct kbpf_asm_prog *prog)
{
	unsigned int i;

	for (i = 0; i < prog->nr_maps; i++)
		free(prog->map_names[i]);
	free(prog->map_names);
	free(prog->insns);
	memset(prog, 0, sizeof(*prog));
}

/**
 * kbpf_helper_id() - look up a helper by name
 * @name: the helper's name, with or without the "bpf_" prefix
 *
 * Return: the helper's id, or -1 if the uapi header does not list it.
 */
int kbpf_helper_id(const char *name)
{
	unsigned int i;

	for (i = 1; i < NR_HELPER_NAMES; i++) {
		if (!helper_names[i])
			continue;
		if (!strcmp(name, helper_names[i]) || !strcmp(name, helper_names[i] + 4))
			return i;
	}
	return -1;
}

/**
 * kbpf_asm_helper_name() - name a helper
 * @id: the helper's id
 *
 * Return: the name with its "bpf_" prefix, or NULL if @id is not a helper.
 */
const char *kbpf_asm_helper_name(int id)
{
	if (id <= 0 || (unsigned int)id >= NR_HELPER_NAMES)
		return NULL;
	return helper_names[id];
}
