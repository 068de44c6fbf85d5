// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_LOAD: from the attr to a verified program behind a file
 * descriptor.
 *
 * The checks run in upstream's order, so a bad load gets the errno it
 * would get on a stock kernel: flags, instruction count, the copies of the
 * instructions and the license, the program type, the name; then the
 * verifier, whose log goes to attr->log_buf with upstream's rules and
 * whose needed size goes back in attr->log_true_size.
 *
 * The program types are those kbpf has contexts and helpers for. BTF and
 * what rides on it (func_info, line_info, CO-RE relocations, attach BTF
 * ids, tokens) is not taken yet: loaders fall back to loading without it
 * when BPF_BTF_LOAD fails. Maps are not resolved yet either, so a program
 * that names one gets -EBADF.
 */

#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>
/* After string.h, which it uses without including. */
#include <linux/license.h>

#include "prog.h"
#include "verifier.h"

/* Flags that change nothing here: kbpf checks alignment its own way. */
#define KBPF_PROG_LOAD_FLAGS	(BPF_F_STRICT_ALIGNMENT | BPF_F_ANY_ALIGNMENT | \
				 BPF_F_TEST_RND_HI32 | BPF_F_TEST_STATE_FREQ | \
				 BPF_F_TEST_REG_INVARIANTS)

/* Upstream's longest license string, NUL included. */
#define KBPF_LICENSE_LEN	128

static bool prog_type_supported(u32 type)
{
	switch (type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
		return true;
	}
	return false;
}

/* Upstream's rule for object names: NUL-terminated, [A-Za-z0-9_.]. */
static int copy_name(char *dst, const char *src)
{
	const char *end = memchr(src, '\0', BPF_OBJ_NAME_LEN);
	const char *p;

	if (!end)
		return -EINVAL;
	for (p = src; p < end; p++)
		if (!isalnum(*p) && *p != '_' && *p != '.')
			return -EINVAL;
	memcpy(dst, src, end - src + 1);
	return 0;
}

/* What the verifier found that running needs. */
static void lower(struct kbpf_prog *prog, const struct kbpf_verifier_env *env)
{
	prog->stack_depth = env->subprogs[0].stack_depth;
	prog->verified_insns = env->insns_processed;
	kbpf_lower_calls(env, prog->insns);
}

/*
 * A verification and its log, on the heap: the log's formatting buffer
 * alone is 1 KiB, too much for the syscall's stack.
 */
struct load_verification {
	struct kbpf_verifier_env env;
	struct kbpf_log log;
};

/* Verify @prog with the log @attr asks for; 0 or the load's errno. */
static int verify(struct kbpf_prog *prog, const union bpf_attr *attr,
		  union bpf_attr __user *uattr, unsigned int size)
{
	struct load_verification *v;
	u32 true_size;
	int err, log_err;

	v = kvzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	err = kbpf_log_init(&v->log, attr->log_level,
			    u64_to_user_ptr(attr->log_buf), attr->log_size);
	if (err)
		goto out;
	err = kbpf_verifier_env_init(&v->env, prog->insns, prog->len, &v->log);
	if (!err) {
		v->env.prog_type = prog->type;
		err = kbpf_verify(&v->env);
	}
	if (!err)
		lower(prog, &v->env);
	kbpf_verifier_env_free(&v->env);

	/* As upstream: a log that did not fit fails the load, even a good one. */
	log_err = kbpf_log_finish(&v->log, &true_size);
	if (log_err)
		err = log_err;
	if (size >= offsetofend(union bpf_attr, log_true_size) &&
	    put_user(true_size, &uattr->log_true_size))
		err = -EFAULT;
out:
	kvfree(v);
	return err;
}

/**
 * kbpf_prog_load() - BPF_PROG_LOAD
 * @attr: the command's attr, zero-filled past what userspace gave
 * @uattr: userspace's attr, for log_true_size
 * @size: bytes of attr userspace gave, at most sizeof(*attr)
 *
 * Return: a file descriptor for the verified program, or a negative errno:
 * -EINVAL for unknown flags, program types, names and what kbpf does not
 * take yet, -E2BIG for no or too many instructions, -EFAULT for memory
 * that cannot be read or written, the verifier's -EINVAL, -EACCES, -E2BIG
 * or -EBADF, -ENOSPC for a log that did not fit, -ENOMEM.
 */
int kbpf_prog_load(union bpf_attr *attr, union bpf_attr __user *uattr,
		   unsigned int size)
{
	char license[KBPF_LICENSE_LEN] = {};
	struct kbpf_prog *prog;
	int err, fd;

	if (attr->prog_flags & ~KBPF_PROG_LOAD_FLAGS)
		return -EINVAL;
	if (!attr->insn_cnt || attr->insn_cnt > KBPF_MAX_INSNS)
		return -E2BIG;
	if (attr->prog_btf_fd || attr->func_info_cnt || attr->line_info_cnt ||
	    attr->core_relo_cnt || attr->attach_btf_id ||
	    attr->attach_prog_fd || attr->prog_token_fd || attr->prog_ifindex)
		return -EINVAL;

	prog = kbpf_prog_alloc(attr->insn_cnt);
	if (!prog)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_user(prog->insns, u64_to_user_ptr(attr->insns),
			   array_size(prog->len, sizeof(prog->insns[0]))))
		goto out;
	if (strncpy_from_user(license, u64_to_user_ptr(attr->license),
			      sizeof(license) - 1) < 0)
		goto out;
	prog->gpl = license_is_gpl_compatible(license);
	err = -EINVAL;
	if (!prog_type_supported(attr->prog_type))
		goto out;
	prog->type = attr->prog_type;
	prog->expected_attach_type = attr->expected_attach_type;
	err = copy_name(prog->name, attr->prog_name);
	if (err)
		goto out;

	err = verify(prog, attr, uattr, size);
	if (err)
		goto out;
	fd = kbpf_prog_new_fd(prog);
	if (fd >= 0)
		return fd;
	err = fd;
out:
	kbpf_prog_put(prog);
	return err;
}
