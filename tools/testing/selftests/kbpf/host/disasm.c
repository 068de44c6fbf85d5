// SPDX-License-Identifier: GPL-2.0
/*
 * Disassembler printing the dialect asm.c reads.  An instruction is printed
 * as a mnemonic only when assembling that text gives back the very same
 * bits; anything else, including a set bit in a field the instruction does
 * not use, is printed as ".invalid" with its raw value, so nothing is lost
 * or silently normalised when a test shows a program.
 */

#include <stdbool.h>

#include "asm.h"

/* Fits any line, map names aside, which are cut short if they are huge. */
#define LINE_MAX_LEN	256

/* Indexed by BPF_SIZE() >> 3. */
static const char *const size_names[4] = {
	[BPF_W >> 3] = "w",
	[BPF_H >> 3] = "h",
	[BPF_B >> 3] = "b",
	[BPF_DW >> 3] = "dw",
};

/*
 * Small values read best in decimal, masks and addresses in hex; both
 * assemble to the same bits.  A 32-bit field is shown as its unsigned bits,
 * since the assembler takes either reading.
 */
static const char *imm32_str(char *buf, size_t size, __s32 v)
{
	if (v > -4096 && v < 4096)
		snprintf(buf, size, "%d", v);
	else
		snprintf(buf, size, "0x%x", (__u32)v);
	return buf;
}

static const char *imm64_str(char *buf, size_t size, __u64 v)
{
	if ((__s64)v > -4096 && (__s64)v < 4096)
		snprintf(buf, size, "%lld", (long long)v);
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)v);
	return buf;
}

static int dis_alu(const struct bpf_insn *in, char *buf, size_t size)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	bool x = BPF_SRC(in->code) == BPF_X;
	const char *w = is64 ? "" : "32";
	const char *sign = "";
	__u8 op = BPF_OP(in->code);
	char num[32];

	switch (op) {
	case BPF_NEG:
		if (x || in->src_reg || in->off || in->imm)
			return 0;
		snprintf(buf, size, "neg%s %%r%u", w, in->dst_reg);
		return 1;
	case BPF_END:
		if (in->src_reg || in->off || (is64 && x))
			return 0;
		if (in->imm != 16 && in->imm != 32 && in->imm != 64)
			return 0;
		snprintf(buf, size, "%s%d %%r%u", is64 ? "bswap" : x ? "be" : "le", in->imm,
			 in->dst_reg);
		return 1;
	case BPF_MOV:
		if (!in->off)
			break;
		/* movsx: sign-extending moves, told apart by off */
		if (!x || in->imm)
			return 0;
		if (in->off != 8 && in->off != 16 && (in->off != 32 || !is64))
			return 0;
		snprintf(buf, size, "movsx%d%s %%r%u, %%r%u", in->off, is64 ? "64" : "32",
			 in->dst_reg, in->src_reg);
		return 1;
	case BPF_DIV:
	case BPF_MOD:
		/* off 1 makes them signed */
		if (in->off == 1)
			sign = "s";
		else if (in->off)
			return 0;
		break;
	default:
		if (!kbpf_alu_names[op >> 4] || in->off)
			return 0;
	}

	if (x) {
		if (in->imm)
			return 0;
		snprintf(buf, size, "%s%s%s %%r%u, %%r%u", sign, kbpf_alu_names[op >> 4], w,
			 in->dst_reg, in->src_reg);
	} else {
		if (in->src_reg)
			return 0;
		snprintf(buf, size, "%s%s%s %%r%u, %s", sign, kbpf_alu_names[op >> 4], w,
			 in->dst_reg, imm32_str(num, sizeof(num), in->imm));
	}
	return 1;
}

static int dis_jmp(const struct bpf_insn *in, char *buf, size_t size)
{
	bool j32 = BPF_CLASS(in->code) == BPF_JMP32;
	bool x = BPF_SRC(in->code) == BPF_X;
	const char *w = j32 ? "32" : "";
	__u8 op = BPF_OP(in->code);
	const char *name;
	char num[32];

	switch (op) {
	case BPF_JA:
		if (x || in->dst_reg || in->src_reg)
			return 0;
		/* gotol keeps its offset in imm so it can reach further */
		if (j32 && !in->off)
			snprintf(buf, size, "ja32 %+d", in->imm);
		else if (!j32 && !in->imm)
			snprintf(buf, size, "ja %+d", in->off);
		else
			return 0;
		return 1;
	case BPF_JCOND:
		if (j32 || x || in->dst_reg || in->src_reg != BPF_MAY_GOTO ||
		    in->imm)
			return 0;
		snprintf(buf, size, "may_goto %+d", in->off);
		return 1;
	case BPF_CALL:
		if (j32 || in->off)
			return 0;
		if (x) {
			/* callx, which Linux does not have; shown so tests can skip it */
			if (in->src_reg || in->imm)
				return 0;
			snprintf(buf, size, "call %%r%u", in->dst_reg);
			return 1;
		}
		if (in->dst_reg)
			return 0;
		if (in->src_reg == BPF_PSEUDO_CALL) {
			snprintf(buf, size, "call local %+d", in->imm);
			return 1;
		}
		if (in->src_reg)
			return 0;
		name = kbpf_asm_helper_name(in->imm);
		if (name)
			snprintf(buf, size, "call %s", name);
		else
			snprintf(buf, size, "call %d", in->imm);
		return 1;
	case BPF_EXIT:
		if (j32 || x || in->dst_reg || in->src_reg || in->off || in->imm)
			return 0;
		snprintf(buf, size, "exit");
		return 1;
	}

	name = kbpf_jmp_names[op >> 4];
	if (!name)
		return 0;
	if (x) {
		if (in->imm)
			return 0;
		snprintf(buf, size, "%s%s %%r%u, %%r%u, %+d", name, w, in->dst_reg,
			 in->src_reg, in->off);
	} else {
		if (in->src_reg)
			return 0;
		snprintf(buf, size, "%s%s %%r%u, %s, %+d", name, w, in->dst_reg,
			 imm32_str(num, sizeof(num), in->imm), in->off);
	}
	return 1;
}

static void map_ref(char *buf, size_t size, __s32 idx, char *const *map_names,
		    unsigned int nr_maps)
{
	if (idx >= 0 && (unsigned int)idx < nr_maps && map_names && map_names[idx])
		snprintf(buf, size, "%s", map_names[idx]);
	else
		snprintf(buf, size, "#%d", idx);
}

static int dis_lddw(const struct bpf_insn *in, unsigned int left, char *const *map_names,
		    unsigned int nr_maps, char *buf, size_t size)
{
	const struct bpf_insn *hi = in + 1;
	char num[32], map[LINE_MAX_LEN];
	__u64 v;

	/* The second slot only carries the upper half of the value. */
	if (left < 2 || in->off || hi->code || hi->dst_reg || hi->src_reg || hi->off)
		return 0;
	switch (in->src_reg) {
	case 0:
		v = (__u32)in->imm | (__u64)(__u32)hi->imm << 32;
		snprintf(buf, size, "lddw %%r%u, %s", in->dst_reg, imm64_str(num, sizeof(num), v));
		return 2;
	case BPF_PSEUDO_MAP_FD:
		if (hi->imm)
			return 0;
		map_ref(map, sizeof(map), in->imm, map_names, nr_maps);
		snprintf(buf, size, "lddw %%r%u, map:%s", in->dst_reg, map);
		return 2;
	case BPF_PSEUDO_MAP_VALUE:
		map_ref(map, sizeof(map), in->imm, map_names, nr_maps);
		snprintf(buf, size, "lddw %%r%u, map_value:%s%+d", in->dst_reg, map, hi->imm);
		return 2;
	}
	return 0;
}

static int dis_ld(const struct bpf_insn *in, unsigned int left, char *const *map_names,
		  unsigned int nr_maps, char *buf, size_t size)
{
	const char *sz = size_names[BPF_SIZE(in->code) >> 3];
	__u8 mode = BPF_MODE(in->code);
	char num[32];

	if (in->code == (BPF_LD | BPF_IMM | BPF_DW))
		return dis_lddw(in, left, map_names, nr_maps, buf, size);
	if ((mode != BPF_ABS && mode != BPF_IND) || BPF_SIZE(in->code) == BPF_DW ||
	    in->dst_reg || in->off)
		return 0;
	if (mode == BPF_ABS) {
		if (in->src_reg)
			return 0;
		snprintf(buf, size, "ldabs%s %s", sz, imm32_str(num, sizeof(num), in->imm));
	} else {
		snprintf(buf, size, "ldind%s %%r%u, %s", sz, in->src_reg,
			 imm32_str(num, sizeof(num), in->imm));
	}
	return 1;
}

static int dis_ldx(const struct bpf_insn *in, char *buf, size_t size)
{
	const char *sz = size_names[BPF_SIZE(in->code) >> 3];
	__u8 mode = BPF_MODE(in->code);

	if (in->imm)
		return 0;
	if (mode == BPF_MEMSX && BPF_SIZE(in->code) != BPF_DW)
		snprintf(buf, size, "ldxs%s %%r%u, [%%r%u%+d]", sz, in->dst_reg, in->src_reg,
			 in->off);
	else if (mode == BPF_MEM)
		snprintf(buf, size, "ldx%s %%r%u, [%%r%u%+d]", sz, in->dst_reg, in->src_reg,
			 in->off);
	else
		return 0;
	return 1;
}

static int dis_st(const struct bpf_insn *in, char *buf, size_t size)
{
	const char *sz = size_names[BPF_SIZE(in->code) >> 3];
	char num[32];

	if (BPF_MODE(in->code) != BPF_MEM || in->src_reg)
		return 0;
	snprintf(buf, size, "st%s [%%r%u%+d], %s", sz, in->dst_reg, in->off,
		 imm32_str(num, sizeof(num), in->imm));
	return 1;
}

static int dis_stx(const struct bpf_insn *in, char *buf, size_t size)
{
	const char *sz = size_names[BPF_SIZE(in->code) >> 3];
	const char *w = BPF_SIZE(in->code) == BPF_W ? "32" : "";
	const struct kbpf_atomic_op *op;

	if (BPF_MODE(in->code) == BPF_MEM) {
		if (in->imm)
			return 0;
		snprintf(buf, size, "stx%s [%%r%u%+d], %%r%u", sz, in->dst_reg, in->off,
			 in->src_reg);
		return 1;
	}
	if (BPF_MODE(in->code) != BPF_ATOMIC ||
	    (BPF_SIZE(in->code) != BPF_W && BPF_SIZE(in->code) != BPF_DW))
		return 0;
	for (op = kbpf_atomic_ops; op->name; op++) {
		/* "fetch" is shown only where it is a choice */
		if (in->imm == op->imm ||
		    (!op->fetch_implied && in->imm == (op->imm | BPF_FETCH))) {
			snprintf(buf, size, "lock %s%s%s [%%r%u%+d], %%r%u",
				 in->imm != op->imm ? "fetch " : "", op->name, w, in->dst_reg,
				 in->off, in->src_reg);
			return 1;
		}
	}
	return 0;
}

/**
 * kbpf_disasm_insn() - print one instruction
 * @insns: the instruction to print, followed by the rest of the program
 * @left: number of slots from @insns to the end of the program; nothing
 *	past them is read, so an lddw in the last slot shows as invalid
 * @map_names: names to show for map references, or NULL to show indices
 * @nr_maps: number of entries in @map_names
 * @buf: receives the text, without a newline
 * @size: size of @buf; longer text is cut short
 *
 * An encoding the assembler cannot produce prints as ".invalid 0x..." with
 * the raw 64-bit value of its first slot.
 *
 * Return: number of slots the instruction takes (1, or 2 for a valid lddw),
 * or 0 when @left is 0.
 */
int kbpf_disasm_insn(const struct bpf_insn *insns, unsigned int left,
		     char *const *map_names, unsigned int nr_maps,
		     char *buf, size_t size)
{
	int n = 0;

	if (size)
		buf[0] = '\0';
	if (!left)
		return 0;
	/* The assembler only names %r0 to %r10; pseudo src values are all below that. */
	if (insns->dst_reg <= BPF_REG_10 && insns->src_reg <= BPF_REG_10) {
		switch (BPF_CLASS(insns->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			n = dis_alu(insns, buf, size);
			break;
		case BPF_JMP:
		case BPF_JMP32:
			n = dis_jmp(insns, buf, size);
			break;
		case BPF_LD:
			n = dis_ld(insns, left, map_names, nr_maps, buf, size);
			break;
		case BPF_LDX:
			n = dis_ldx(insns, buf, size);
			break;
		case BPF_ST:
			n = dis_st(insns, buf, size);
			break;
		case BPF_STX:
			n = dis_stx(insns, buf, size);
			break;
		}
	}
	if (!n) {
		snprintf(buf, size, ".invalid 0x%016llx",
			 (unsigned long long)kbpf_insn_to_u64(insns));
		n = 1;
	}
	return n;
}

/**
 * kbpf_disasm() - print a program, one instruction per line
 * @out: stream to print to
 * @insns: the program
 * @len: number of slots in @insns
 * @map_names: names to show for map references, or NULL to show indices
 * @nr_maps: number of entries in @map_names
 *
 * Jumps show numeric offsets, so the output assembles back to @insns.
 */
void kbpf_disasm(FILE *out, const struct bpf_insn *insns, unsigned int len,
		 char *const *map_names, unsigned int nr_maps)
{
	char line[LINE_MAX_LEN];
	unsigned int i = 0;

	while (i < len) {
		i += kbpf_disasm_insn(insns + i, len - i, map_names, nr_maps, line, sizeof(line));
		fprintf(out, "%s\n", line);
	}
}
