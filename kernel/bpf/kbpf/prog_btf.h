/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A program's BTF: its functions' names and its source lines.
 */
#ifndef _KBPF_PROG_BTF_H
#define _KBPF_PROG_BTF_H

#include <linux/types.h>
#include <uapi/linux/bpf.h>

struct kbpf_prog;
struct kbpf_verifier_env;

int kbpf_prog_btf_take(struct kbpf_prog *prog, const union bpf_attr *attr,
		       union bpf_attr __user *uattr,
		       struct kbpf_verifier_env *env);
void kbpf_prog_btf_free(struct kbpf_prog *prog);
const char *kbpf_prog_func_name(const struct kbpf_prog *prog, u32 func);
int kbpf_prog_btf_info_check(const struct bpf_prog_info *in);
int kbpf_prog_btf_info(const struct kbpf_prog *prog, struct bpf_prog_info *info,
		       const struct bpf_prog_info *in);

#endif /* _KBPF_PROG_BTF_H */
