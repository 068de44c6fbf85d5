/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text form of eBPF programs for the host-side tests: the uBPF /
 * bpf_conformance assembly dialect plus a few additions (map references,
 * helper names, legacy packet loads).  The disassembler prints exactly what
 * the assembler reads, so a program survives a round trip bit for bit.
 *
 * The functions are documented where they are defined, in asm.c and
 * disasm.c; the tables both use are defined in isa.c.
 */
#ifndef KBPF_HOST_ASM_H
#define KBPF_HOST_ASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include <linux/bpf.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/**
 * struct kbpf_asm_prog - an assembled program
 * @insns: the instructions; an lddw takes two slots
 * @len: number of slots in @insns
 * @map_names: names used in map: and map_value: operands, in order of first
 *	use; the imm of such an lddw is an index into this table
 * @nr_maps: number of entries in @map_names
 */
struct kbpf_asm_prog {
	struct bpf_insn *insns;
	unsigned int len;
	char **map_names;
	unsigned int nr_maps;
};

/*
 * Mnemonics of the ALU ops and of the conditional jumps, indexed by
 * BPF_OP() >> 4; NULL for the ops that have their own syntax (neg, the byte
 * swaps, ja, call, exit) and for unused values.  The "32" suffix of the
 * 32-bit forms is not included.
 */
extern const char *const kbpf_alu_names[16];
extern const char *const kbpf_jmp_names[16];

/**
 * struct kbpf_atomic_op - an operation of the lock mnemonic
 * @name: operation name, without the "32" suffix
 * @imm: value of the imm field, without BPF_FETCH unless @fetch_implied
 * @fetch_implied: the operation always returns the old value, so an
 *	explicit "fetch" would be redundant
 */
struct kbpf_atomic_op {
	const char *name;
	__s32 imm;
	bool fetch_implied;
};

/* The lock operations; the table ends with an entry whose name is NULL. */
extern const struct kbpf_atomic_op kbpf_atomic_ops[];

int kbpf_parse_number(const char *s, bool *neg, __u64 *mag);

int kbpf_asm(const char *text, unsigned int first_line, struct kbpf_asm_prog *prog,
	     char *err, size_t err_size);
void kbpf_asm_prog_free(struct kbpf_asm_prog *prog);

int kbpf_disasm_insn(const struct bpf_insn *insns, unsigned int left,
		     char *const *map_names, unsigned int nr_maps,
		     char *buf, size_t size);
void kbpf_disasm(FILE *out, const struct bpf_insn *insns, unsigned int len,
		 char *const *map_names, unsigned int nr_maps);

int kbpf_helper_id(const char *name);
const char *kbpf_asm_helper_name(int id);

/**
 * kbpf_insn_to_u64() - an instruction in the form bpf_conformance prints
 * @insn: the instruction
 *
 * The form is the instruction's bytes read as a little-endian number, so the
 * opcode is the low byte.  It is built from the fields rather than copied so
 * that it does not depend on the host's byte order.
 *
 * Return: the 64-bit value.
 */
static inline __u64 kbpf_insn_to_u64(const struct bpf_insn *insn)
{
	return (__u64)insn->code | (__u64)insn->dst_reg << 8 |
	       (__u64)insn->src_reg << 12 | (__u64)(__u16)insn->off << 16 |
	       (__u64)(__u32)insn->imm << 32;
}

/**
 * kbpf_insn_from_u64() - the instruction a bpf_conformance value stands for
 * @v: the value, as kbpf_insn_to_u64() gives it
 *
 * Return: the instruction.
 */
static inline struct bpf_insn kbpf_insn_from_u64(__u64 v)
{
	struct bpf_insn insn = {
		.code = v & 0xff,
		.dst_reg = (v >> 8) & 0xf,
		.src_reg = (v >> 12) & 0xf,
		.off = (__s16)(__u16)(v >> 16),
		.imm = (__s32)(__u32)(v >> 32),
	};

	return insn;
}

#endif /* KBPF_HOST_ASM_H */
