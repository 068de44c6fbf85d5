// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes as a program through the verifier, with a
 * log.
 *
 * Properties checked beyond "no crash, hang, leak or undefined behaviour":
 * the log buffer ends up one NUL-terminated string no longer than the
 * true size says (or untouched when nothing was logged), and a program the
 * verifier accepts is one the interpreter's own guard
 * (kbpf_interp_prepare()) accepts too, so the two checks of the
 * instruction set cannot drift apart. Helper ids are left out of that
 * comparison: which exist is the exploration's to check, per program type.
 *
 * And soundness, as far as the verifier accepts programs today (registers
 * and stack only): every accepted program is run in the interpreter,
 * built here with AddressSanitizer, with each frame sized as the verifier
 * found. An access outside the interpreter's stack area is a sanitizer
 * report, a run that does not end is libFuzzer's timeout, and a run that
 * faults (a frame over the stack area) is an abort.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/array_size.h>

#include "interp.h"
#include "verifier.h"

static u64 any_helper(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return 0;
}

static const struct kbpf_interp_prog *const *no_slot(void *map, u32 index)
{
	return NULL;
}

static int no_packet(const void *ctx, s32 offset, u32 size, void *buf)
{
	return -1;
}

static kbpf_helper_fn helpers[__BPF_FUNC_MAX_ID];
static const struct kbpf_interp_ops all_ops = {
	.helpers = helpers,
	.nr_helpers = __BPF_FUNC_MAX_ID,
	.tail_call_slot = no_slot,
	.load_packet = no_packet,
};

/* A context as big as any program type's: loads from it are in bounds. */
#define KBPF_FUZZ_CTX_SIZE	8192

/* The types whose contexts the verifier knows, and one it does not. */
static const u32 prog_types[] = {
	BPF_PROG_TYPE_UNSPEC, BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_TRACEPOINT,
	BPF_PROG_TYPE_RAW_TRACEPOINT,
};

/*
 * Run an accepted program as the loader will: each local call carries its
 * callee's stack depth in off, the first frame its own.
 */
static void run_accepted(const struct kbpf_verifier_env *env,
			 struct bpf_insn *insns)
{
	struct kbpf_interp_prog prog = {
		.insns = insns, .len = env->len, .ops = &all_ops,
		.stack_depth = env->subprogs[0].stack_depth,
	};
	static u64 ctx[KBPF_FUZZ_CTX_SIZE / sizeof(u64)];
	u64 arg = (unsigned long)ctx, r0;
	u32 i, target;

	for (i = 0; i < env->len; i++) {
		if (insns[i].code != (BPF_JMP | BPF_CALL) ||
		    insns[i].src_reg != BPF_PSEUDO_CALL)
			continue;
		target = i + 1 + insns[i].imm;
		insns[i].off = env->subprogs[env->aux[target].subprog].stack_depth;
	}
	if (kbpf_interp_prepare(&prog) || kbpf_interp_exec(&prog, &arg, 1, &r0))
		abort();
}

static bool helper_ids_known(const struct bpf_insn *insns, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (insns[i].code == (BPF_JMP | BPF_CALL) && !insns[i].src_reg &&
		    (insns[i].imm < 0 || insns[i].imm >= __BPF_FUNC_MAX_ID))
			return false;
	return true;
}

/* KBPF_FUZZ_ENTRY is libFuzzer's entry point (see the Makefile). */
int KBPF_FUZZ_ENTRY(const u8 *data, size_t size)
{
	struct kbpf_verifier_env env;
	struct kbpf_interp_prog prog;
	struct bpf_insn *insns;
	struct kbpf_log log;
	u32 log_size, true_size, len, i;
	char *buf;
	int err;

	if (size < 2)
		return 0;
	for (i = 0; i < __BPF_FUNC_MAX_ID; i++)
		helpers[i] = any_helper;
	/* First byte: log size (0 = none); second: level and program type. */
	log_size = data[0];
	len = (size - 2) / sizeof(*insns);
	insns = malloc(len * sizeof(*insns) + 1);
	buf = malloc(log_size + 1);
	if (!insns || !buf)
		abort();
	memcpy(insns, data + 2, len * sizeof(*insns));
	memset(buf, 'X', log_size + 1);
	if (kbpf_log_init(&log, (data[1] & 15) | !!log_size,
			  log_size ? buf : NULL, log_size))
		abort();
	err = kbpf_verifier_env_init(&env, insns, len, &log);
	env.prog_type = prog_types[(data[1] >> 4) % ARRAY_SIZE(prog_types)];
	if (!err)
		err = kbpf_verify(&env);
	if (!err)
		run_accepted(&env, insns);
	kbpf_verifier_env_free(&env);
	kbpf_log_finish(&log, &true_size);
	if (log_size && true_size &&
	    (!memchr(buf, '\0', log_size) || strlen(buf) + 1 > true_size))
		abort();
	if (!true_size && buf[0] != 'X')
		abort();
	if (!err && helper_ids_known(insns, len)) {
		prog.insns = insns;
		prog.len = len;
		prog.stack_depth = KBPF_STACK_SIZE;
		prog.ops = &all_ops;
		if (kbpf_interp_prepare(&prog))
			abort();
	}
	free(insns);
	free(buf);
	return 0;
}
