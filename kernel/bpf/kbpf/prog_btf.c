// SPDX-License-Identifier: GPL-2.0
/*
 * What BTF tells about a program: the function each subprogram is
 * (func_info) and the source line of each stretch of instructions
 * (line_info), checked against the program as upstream checks them.
 *
 * Both are taken once the structural pass has found the subprograms, so
 * that the exploration's log can show the source next to the
 * instructions. A load with neither ignores prog_btf_fd, as upstream.
 *
 * kbpf verifies every function in each caller's context, global ones
 * (BTF_FUNC_GLOBAL) too: upstream verifies a global function once,
 * against its prototype, which lets more programs through by staying
 * within the state budget, but a program both verifiers accept means the
 * same. The prototypes are only used for names.
 */

#include <linux/slab.h>
#include <linux/uaccess.h>

#include "btf_object.h"
#include "log.h"
#include "prog.h"
#include "prog_btf.h"
#include "verifier.h"

/* Upstream's limits on the records' sizes userspace may give. */
#define FUNC_INFO_REC_MAX	252
#define LINE_INFO_REC_MAX	252

/*
 * Copy @nr records of @usize bytes at @uptr into @nr of @ksize bytes:
 * userspace's may be longer, with zeros past what kbpf knows.
 */
static int copy_records(void *dst, u64 uptr, u32 nr, u32 ksize, u32 usize)
{
	void __user *src = u64_to_user_ptr(uptr);
	u32 i;
	int err;

	for (i = 0; i < nr; i++, src += usize, dst += ksize) {
		err = check_zeroed_user(src + ksize, usize - ksize);
		if (err <= 0)
			return err ? err : -E2BIG;
		if (copy_from_user(dst, src, ksize))
			return -EFAULT;
	}
	return 0;
}

/* A record size userspace gave: at least kbpf's, a multiple of 4. */
static bool rec_size_ok(u32 usize, u32 ksize, u32 max)
{
	return usize >= ksize && usize <= max && !(usize % sizeof(u32));
}

/*
 * On a record with nonzero bytes past kbpf's: log it and tell userspace
 * the size kbpf knows, as upstream, so that loaders can retry.
 */
static int tail_refused(struct kbpf_log *log, u32 __user *usize, u32 ksize,
			const char *what)
{
	kbpf_log(log, "nonzero tailing record in %s", what);
	return put_user(ksize, usize) ? -EFAULT : -E2BIG;
}

static int take_func_info(struct kbpf_prog *prog, const union bpf_attr *attr,
			  union bpf_attr __user *uattr,
			  const struct kbpf_verifier_env *env)
{
	const struct kbpf_btf_types *b = &prog->btf->types;
	const u32 ksize = sizeof(struct bpf_func_info);
	struct bpf_func_info *fi;
	u32 i, n = attr->func_info_cnt;
	int err;

	if (!rec_size_ok(attr->func_info_rec_size, ksize, FUNC_INFO_REC_MAX)) {
		kbpf_log(env->log, "invalid func info rec size %u\n",
			 attr->func_info_rec_size);
		return -EINVAL;
	}
	/* Before copying: no more records than there can be functions. */
	if (n != env->nr_subprogs) {
		kbpf_log(env->log,
			 "number of funcs in func_info doesn't match number of subprogs\n");
		return -EINVAL;
	}
	fi = kvcalloc(n, ksize, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!fi)
		return -ENOMEM;
	prog->func_info = fi;
	err = copy_records(fi, attr->func_info, n, ksize, attr->func_info_rec_size);
	if (err == -E2BIG)
		return tail_refused(env->log, &uattr->func_info_rec_size, ksize,
				    "func info");
	if (err)
		return err;
	prog->nr_func_info = n;
	for (i = 0; i < n; i++) {
		const struct btf_type *t = kbpf_btf_type(b, fi[i].type_id);

		if (!i && fi[i].insn_off) {
			kbpf_log(env->log,
				 "nonzero insn_off %u for the first func info record",
				 fi[i].insn_off);
			return -EINVAL;
		}
		if (i && fi[i].insn_off <= fi[i - 1].insn_off) {
			kbpf_log(env->log,
				 "same or smaller insn offset (%u) than previous func info record (%u)",
				 fi[i].insn_off, fi[i - 1].insn_off);
			return -EINVAL;
		}
		if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_FUNC) {
			kbpf_log(env->log, "invalid type id %d in func info",
				 fi[i].type_id);
			return -EINVAL;
		}
		if (fi[i].insn_off != env->subprogs[i].start) {
			kbpf_log(env->log,
				 "func_info BTF section doesn't match subprog layout in BPF program\n");
			return -EINVAL;
		}
	}
	return 0;
}

/* Each line record: in order, on an instruction, its strings in the BTF. */
static int check_line(const struct kbpf_prog *prog, struct kbpf_log *log, u32 i)
{
	const struct bpf_line_info *li = &prog->line_info[i];
	const struct kbpf_btf_types *b = &prog->btf->types;
	u32 prev = i ? li[-1].insn_off : 0;

	if ((i && li->insn_off <= prev) || li->insn_off >= prog->len) {
		kbpf_log(log,
			 "Invalid line_info[%u].insn_off:%u (prev_offset:%u prog->len:%u)\n",
			 i, li->insn_off, prev, prog->len);
		return -EINVAL;
	}
	/* Not the second half of a 16-byte load. */
	if (!prog->insns[li->insn_off].code) {
		kbpf_log(log, "Invalid insn code at line_info[%u].insn_off\n", i);
		return -EINVAL;
	}
	if (!kbpf_btf_str(b, li->line_off) || !kbpf_btf_str(b, li->file_name_off)) {
		kbpf_log(log, "Invalid line_info[%u].line_off or .file_name_off\n", i);
		return -EINVAL;
	}
	return 0;
}

static int take_line_info(struct kbpf_prog *prog, const union bpf_attr *attr,
			  union bpf_attr __user *uattr,
			  struct kbpf_verifier_env *env)
{
	const u32 ksize = sizeof(struct bpf_line_info);
	u32 i, n = attr->line_info_cnt, sub = 0;
	int err;

	if (!rec_size_ok(attr->line_info_rec_size, ksize, LINE_INFO_REC_MAX))
		return -EINVAL;
	/* Strictly increasing offsets below len: no more than len records. */
	if (n > prog->len) {
		kbpf_log(env->log, "Invalid line_info_cnt %u (prog->len:%u)\n", n,
			 prog->len);
		return -EINVAL;
	}
	prog->line_info = kvcalloc(n, ksize, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!prog->line_info)
		return -ENOMEM;
	err = copy_records(prog->line_info, attr->line_info, n, ksize,
			   attr->line_info_rec_size);
	if (err == -E2BIG)
		return tail_refused(env->log, &uattr->line_info_rec_size, ksize,
				    "line_info");
	if (err)
		return err;
	prog->nr_line_info = n;
	for (i = 0; i < n; i++) {
		u32 off = prog->line_info[i].insn_off;

		err = check_line(prog, env->log, i);
		if (err)
			return err;
		/* Every function starts with a line of its own. */
		if (sub < env->nr_subprogs) {
			if (off == env->subprogs[sub].start) {
				sub++;
			} else if (env->subprogs[sub].start < off) {
				kbpf_log(env->log, "missing bpf_line_info for func#%u\n",
					 sub);
				return -EINVAL;
			}
		}
	}
	if (sub != env->nr_subprogs) {
		kbpf_log(env->log,
			 "missing bpf_line_info for %u funcs starting from func#%u\n",
			 env->nr_subprogs - sub, sub);
		return -EINVAL;
	}
	env->line_info = prog->line_info;
	env->nr_line_info = n;
	env->line_strs = prog->btf->types.strs;
	return 0;
}

/**
 * kbpf_prog_btf_take() - check and keep a program's func_info and line_info
 * @prog: the program being loaded; it keeps the BTF and the records
 * @attr: the BPF_PROG_LOAD attr
 * @uattr: userspace's, for the record sizes kbpf knows on a refusal
 * @env: the verification, past its structural pass; gets the line records
 *	for its log
 *
 * Return: 0, or -EBADF or -EINVAL for prog_btf_fd, -EACCES for the
 * kernel's BTF, -EINVAL (with a log line) for records that disagree with
 * the program, -E2BIG for records with nonzero bytes past kbpf's (their
 * size in kbpf goes back in the attr), -EFAULT, -ENOMEM.
 */
int kbpf_prog_btf_take(struct kbpf_prog *prog, const union bpf_attr *attr,
		       union bpf_attr __user *uattr,
		       struct kbpf_verifier_env *env)
{
	struct kbpf_btf *btf;
	int err;

	if (!attr->func_info_cnt && !attr->line_info_cnt)
		return 0;
	btf = kbpf_btf_get_fd(attr->prog_btf_fd);
	if (IS_ERR(btf))
		return PTR_ERR(btf);
	prog->btf = btf;
	if (btf->kernel)
		return -EACCES;
	if (attr->func_info_cnt) {
		err = take_func_info(prog, attr, uattr, env);
		if (err)
			return err;
	}
	if (attr->line_info_cnt)
		return take_line_info(prog, attr, uattr, env);
	return 0;
}

/**
 * kbpf_prog_btf_free() - drop what kbpf_prog_btf_take() kept
 * @prog: the program
 */
void kbpf_prog_btf_free(struct kbpf_prog *prog)
{
	kvfree(prog->func_info);
	kvfree(prog->line_info);
	if (prog->btf)
		kbpf_btf_put(prog->btf);
}

/**
 * kbpf_prog_func_name() - the name BTF gives a function of a program
 * @prog: the program
 * @func: the function's index, 0 the main program
 *
 * Return: the name, or NULL when the program came without func_info.
 */
const char *kbpf_prog_func_name(const struct kbpf_prog *prog, u32 func)
{
	const struct btf_type *t;

	if (func >= prog->nr_func_info)
		return NULL;
	t = kbpf_btf_type(&prog->btf->types, prog->func_info[func].type_id);
	return kbpf_btf_str(&prog->btf->types, t->name_off);
}

/* Copy what fits of @n records of @ksize bytes to userspace's array. */
static int copy_out(u64 uptr, u32 unr, const void *src, u32 n, u32 ksize)
{
	if (!uptr || !unr || !n)
		return 0;
	if (copy_to_user(u64_to_user_ptr(uptr), src, min(unr, n) * ksize))
		return -EFAULT;
	return 0;
}

/**
 * kbpf_prog_btf_info_check() - the record sizes of userspace's bpf_prog_info
 * @in: userspace's struct
 *
 * Return: 0, or -EINVAL when it asks for records of another size than
 * kbpf's, as upstream.
 */
int kbpf_prog_btf_info_check(const struct bpf_prog_info *in)
{
	if ((in->nr_func_info || in->func_info_rec_size) &&
	    in->func_info_rec_size != sizeof(struct bpf_func_info))
		return -EINVAL;
	if ((in->nr_line_info || in->line_info_rec_size) &&
	    in->line_info_rec_size != sizeof(struct bpf_line_info))
		return -EINVAL;
	if ((in->nr_jited_line_info || in->jited_line_info_rec_size) &&
	    in->jited_line_info_rec_size != sizeof(u64))
		return -EINVAL;
	return 0;
}

/**
 * kbpf_prog_btf_info() - the BTF records of struct bpf_prog_info
 * @prog: the program
 * @info: filled in: the records' counts and sizes
 * @in: userspace's struct, for its buffers (kbpf_prog_btf_info_check()ed)
 *
 * Return: 0 or -EFAULT.
 */
int kbpf_prog_btf_info(const struct kbpf_prog *prog, struct bpf_prog_info *info,
		       const struct bpf_prog_info *in)
{
	info->func_info_rec_size = sizeof(struct bpf_func_info);
	info->line_info_rec_size = sizeof(struct bpf_line_info);
	info->jited_line_info_rec_size = sizeof(u64);
	info->nr_func_info = prog->nr_func_info;
	info->nr_line_info = prog->nr_line_info;
	if (copy_out(in->func_info, in->nr_func_info, prog->func_info,
		     prog->nr_func_info, sizeof(struct bpf_func_info)) ||
	    copy_out(in->line_info, in->nr_line_info, prog->line_info,
		     prog->nr_line_info, sizeof(struct bpf_line_info)))
		return -EFAULT;
	return 0;
}
