// SPDX-License-Identifier: GPL-2.0
/*
 * The host harness's program loader.
 *
 * Conformance programs come without a verifier's facts, so the loader
 * works out the two the interpreter needs: each subprogram's stack depth
 * (the deepest constant r10 offset it uses; a program without calls gets
 * the whole stack) and where the subprograms start. It refuses what it
 * cannot size rather than guess.
 *
 * Helper 5 is bpf_conformance's "unwind": it returns its first argument,
 * and when that is 0 the program ends there with r0 = 0.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "loader.h"

#define UNWIND_HELPER	5

static jmp_buf *unwind_target;

bool kbpf_host_use_jit;

static u64 unwind_helper(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	if (!r1)
		longjmp(*unwind_target, 1);
	return r1;
}

static const kbpf_helper_fn host_helpers[] = {
	[UNWIND_HELPER] = unwind_helper,
};

static const struct kbpf_interp_ops host_ops = {
	.helpers = host_helpers,
	.nr_helpers = ARRAY_SIZE(host_helpers),
};

static int fail(char *err, size_t err_size, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	return ret;
}

static bool is_local_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) &&
	       insn->src_reg == BPF_PSEUDO_CALL;
}

static bool is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* Stack bytes the subprogram in [start, end) uses, or -1 if r10 escapes. */
static int subprog_depth(const struct bpf_insn *insns, unsigned int start,
			 unsigned int end)
{
	unsigned int i;
	int depth = 0;

	for (i = start; i < end; i++) {
		const struct bpf_insn *insn = &insns[i];
		__u8 class = BPF_CLASS(insn->code);
		bool base10;

		if (is_ld_imm64(insn)) {
			i++;
			continue;
		}
		if (class == BPF_ALU || class == BPF_ALU64 ||
		    class == BPF_JMP || class == BPF_JMP32) {
			if (BPF_SRC(insn->code) == BPF_X && insn->src_reg == 10 &&
			    !(class == BPF_JMP && BPF_OP(insn->code) == BPF_CALL))
				return -1;
			continue;
		}
		base10 = class == BPF_LDX ? insn->src_reg == 10 :
			 insn->dst_reg == 10;
		if (base10 && insn->off < 0 && -insn->off > depth)
			depth = -insn->off;
	}
	return (depth + 7) & ~7;
}

static int by_start(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Write each local call's callee stack depth into its off field. */
static int size_frames(struct bpf_insn *insns, unsigned int len, u32 *main_depth,
		       char *err, size_t err_size)
{
	unsigned int i, j, nr = 1;
	int *starts = calloc(len + 1, sizeof(*starts));
	int *depths = calloc(len + 1, sizeof(*depths));
	int ret = -ENOMEM;

	if (!starts || !depths)
		goto out;
	for (i = 0; i < len; i++) {
		long target = (long)i + 1 + insns[i].imm;

		if (!is_local_call(&insns[i]))
			continue;
		if (target < 0 || target >= len) {
			ret = fail(err, err_size, -EINVAL,
				   "insn %u: call local to %ld, outside the program",
				   i, target);
			goto out;
		}
		starts[nr++] = target;
	}
	qsort(starts, nr, sizeof(*starts), by_start);
	for (i = 0; i < nr; i++) {
		unsigned int end = i + 1 < nr ? (unsigned int)starts[i + 1] : len;

		depths[i] = subprog_depth(insns, starts[i], end);
		if (nr > 1 && depths[i] < 0) {
			ret = fail(err, err_size, -EOPNOTSUPP,
				   "subprogram at insn %d passes r10 on; only the verifier can size its stack",
				   starts[i]);
			goto out;
		}
	}
	*main_depth = nr == 1 ? KBPF_STACK_SIZE : depths[0];
	for (i = 0; i < len; i++) {
		long target = (long)i + 1 + insns[i].imm;

		if (!is_local_call(&insns[i]))
			continue;
		for (j = 0; starts[j] != target; j++)
			;
		insns[i].off = depths[j];
	}
	ret = 0;
out:
	free(starts);
	free(depths);
	return ret;
}

/**
 * kbpf_host_load_insns() - load a program for kbpf_host_exec()
 * @hp: the loaded program; free with kbpf_host_prog_free()
 * @insns: the instructions, copied
 * @len: slots in @insns
 * @err: message buffer for failures
 * @err_size: its size
 *
 * Return: 0; -EOPNOTSUPP for a program the harness cannot run on Linux's
 * ISA (the reason in @err), or another negative errno.
 */
int kbpf_host_load_insns(struct kbpf_host_prog *hp, const struct bpf_insn *insns,
			 unsigned int len, char *err, size_t err_size)
{
	unsigned int i;
	int ret;

	for (i = 0; i < len; i++)
		if (insns[i].code == (BPF_JMP | BPF_CALL | BPF_X))
			return fail(err, err_size, -EOPNOTSUPP,
				    "insn %u: callx (a call through a register) is not an instruction Linux defines",
				    i);
	if (!len)
		return fail(err, err_size, -EINVAL, "empty program");
	hp->insns = malloc(len * sizeof(*insns));
	if (!hp->insns)
		return -ENOMEM;
	memcpy(hp->insns, insns, len * sizeof(*insns));
	hp->prog.insns = hp->insns;
	hp->prog.len = len;
	hp->prog.ops = &host_ops;
	ret = size_frames(hp->insns, len, &hp->prog.stack_depth, err, err_size);
	if (ret)
		return ret;
	if (kbpf_interp_prepare(&hp->prog))
		return fail(err, err_size, -EINVAL,
			    "the interpreter refuses the program (unknown opcode, jump outside, or no exit at the end)");
	if (kbpf_host_use_jit) {
		ret = kbpf_host_jit_compile(&hp->prog, &hp->jit);
		if (ret)
			return fail(err, err_size, ret == -EOPNOTSUPP ? -EINVAL : ret,
				    "the JIT refuses the program (%s)", strerror(-ret));
	}
	return 0;
}

/**
 * kbpf_host_load() - assemble and load a .data file's program
 * @df: the parsed file; its "-- asm" section is the program
 * @hp: the loaded program; free with kbpf_host_prog_free()
 * @err: message buffer for failures
 * @err_size: its size
 *
 * Return: as kbpf_host_load_insns(), or -EINVAL when the text does not
 * assemble.
 */
int kbpf_host_load(const struct kbpf_data_file *df, struct kbpf_host_prog *hp,
		   char *err, size_t err_size)
{
	const struct kbpf_data_section *sec = kbpf_data_find(df, "asm");
	struct kbpf_asm_prog prog = {};
	char msg[256];
	int ret;

	if (!sec)
		return fail(err, err_size, -EINVAL, "no \"-- asm\" section");
	if (kbpf_asm(sec->body, sec->body_line, &prog, msg, sizeof(msg)))
		return fail(err, err_size, -EINVAL, "%s", msg);
	if (prog.nr_maps)
		ret = fail(err, err_size, -EOPNOTSUPP,
			   "the program uses maps, which need the verifier's loader");
	else
		ret = kbpf_host_load_insns(hp, prog.insns, prog.len, err,
					   err_size);
	kbpf_asm_prog_free(&prog);
	return ret;
}

/**
 * kbpf_host_exec() - run a loaded program as bpf_conformance does
 * @hp: the program
 * @mem: memory for r1 (may be NULL)
 * @mem_len: its size, in r2
 * @r0: the program's result
 *
 * Runs the JITed code when the program has it.
 *
 * Return: kbpf_interp_exec()'s result; 0 for JITed code.
 */
int kbpf_host_exec(const struct kbpf_host_prog *hp, void *mem, size_t mem_len,
		   __u64 *r0)
{
	__u64 args[2] = { (unsigned long)mem, mem_len };
	jmp_buf unwind;

	unwind_target = &unwind;
	if (setjmp(unwind)) {
		*r0 = 0;
		return 0;
	}
	if (hp->jit.entry) {
		*r0 = kbpf_host_jit_exec(&hp->jit, args, ARRAY_SIZE(args));
		return 0;
	}
	return kbpf_interp_exec(&hp->prog, args, ARRAY_SIZE(args), r0);
}

/**
 * kbpf_host_prog_free() - release a loaded program
 * @hp: the program; may be one whose load failed
 */
void kbpf_host_prog_free(struct kbpf_host_prog *hp)
{
	kbpf_host_jit_free(&hp->jit);
	free(hp->insns);
	hp->insns = NULL;
}
