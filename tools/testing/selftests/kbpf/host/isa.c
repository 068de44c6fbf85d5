// SPDX-License-Identifier: GPL-2.0
/*
 * Mnemonic tables shared by the assembler and the disassembler, so that
 * the names one reads are by construction the names the other prints.
 */

#include "asm.h"

const char *const kbpf_alu_names[16] = {
	[BPF_ADD >> 4] = "add",
	[BPF_SUB >> 4] = "sub",
	[BPF_MUL >> 4] = "mul",
	[BPF_DIV >> 4] = "div",
	[BPF_OR >> 4] = "or",
	[BPF_AND >> 4] = "and",
	[BPF_LSH >> 4] = "lsh",
	[BPF_RSH >> 4] = "rsh",
	[BPF_MOD >> 4] = "mod",
	[BPF_XOR >> 4] = "xor",
	[BPF_MOV >> 4] = "mov",
	[BPF_ARSH >> 4] = "arsh",
};

const char *const kbpf_jmp_names[16] = {
	[BPF_JEQ >> 4] = "jeq",
	[BPF_JGT >> 4] = "jgt",
	[BPF_JGE >> 4] = "jge",
	[BPF_JSET >> 4] = "jset",
	[BPF_JNE >> 4] = "jne",
	[BPF_JSGT >> 4] = "jsgt",
	[BPF_JSGE >> 4] = "jsge",
	[BPF_JLT >> 4] = "jlt",
	[BPF_JLE >> 4] = "jle",
	[BPF_JSLT >> 4] = "jslt",
	[BPF_JSLE >> 4] = "jsle",
};

const struct kbpf_atomic_op kbpf_atomic_ops[] = {
	{ "add", BPF_ADD, false },
	{ "and", BPF_AND, false },
	{ "or", BPF_OR, false },
	{ "xor", BPF_XOR, false },
	{ "xchg", BPF_XCHG, true },
	{ "cmpxchg", BPF_CMPXCHG, true },
	{ }
};
