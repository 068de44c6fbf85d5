// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier: the passes over one program, in order, on one
 * struct kbpf_verifier_env: the structural pass (structure.c), then the
 * liveness of registers (liveness.c), then the exploration of every
 * path (explore.c).
 */

#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "verifier.h"

/**
 * kbpf_verifier_env_init() - set up a verification of a program
 * @env: the verification
 * @insns: the program; not copied, must outlive @env
 * @len: instruction slots in @insns
 * @log: where messages go
 *
 * A program that names maps needs @env->find_map set before
 * kbpf_verify().
 *
 * Return: 0, -E2BIG for a program over KBPF_MAX_INSNS (with a log line),
 * or -ENOMEM.
 */
int kbpf_verifier_env_init(struct kbpf_verifier_env *env,
			   const struct bpf_insn *insns, u32 len,
			   struct kbpf_log *log)
{
	/* The passes count on every field starting at zero. */
	memset(env, 0, sizeof(*env));
	env->insns = insns;
	env->len = len;
	env->prog_type = BPF_PROG_TYPE_UNSPEC;
	env->log = log;
	if (len > KBPF_MAX_INSNS) {
		kbpf_log(log, "program of %u instructions: at most %u allowed\n",
			 len, KBPF_MAX_INSNS);
		return -E2BIG;
	}
	env->aux = kvcalloc(len ?: 1, sizeof(*env->aux), GFP_KERNEL);
	return env->aux ? 0 : -ENOMEM;
}

/**
 * kbpf_verifier_env_free() - release what kbpf_verifier_env_init() took
 * @env: the verification
 */
void kbpf_verifier_env_free(struct kbpf_verifier_env *env)
{
	kvfree(env->aux);
	env->aux = NULL;
}

/**
 * kbpf_lower_calls() - write into a verified program what its calls need
 * @env: the verification that accepted the program
 * @insns: the same program, writable (the loader's copy)
 *
 * Each bpf-to-bpf call carries its callee's stack depth in off, which the
 * instruction set leaves 0: the interpreter and the JITs size the
 * callee's frame by it.
 */
void kbpf_lower_calls(const struct kbpf_verifier_env *env,
		      struct bpf_insn *insns)
{
	u32 i, target;

	for (i = 0; i < env->len; i++) {
		if (insns[i].code != (BPF_JMP | BPF_CALL) ||
		    insns[i].src_reg != BPF_PSEUDO_CALL)
			continue;
		target = i + 1 + insns[i].imm;
		insns[i].off = env->subprogs[env->aux[target].subprog].stack_depth;
	}
}

/**
 * kbpf_verify() - verify a program
 * @env: the verification, from kbpf_verifier_env_init()
 *
 * Return: 0 when the program is safe to run; -EINVAL when it is not well
 * formed; -EACCES when a path is unsafe; -E2BIG when it is too complex to
 * tell; -EAGAIN when a signal interrupted it; -ENOMEM. Every rejection
 * leaves a log line saying where and why.
 */
int kbpf_verify(struct kbpf_verifier_env *env)
{
	int err = kbpf_check_structure(env);

	if (err)
		return err;
	kbpf_compute_liveness(env);
	return kbpf_explore(env);
}
