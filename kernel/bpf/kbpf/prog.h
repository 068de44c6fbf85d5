/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs as kernel objects: what a loaded program is, how it is held,
 * and the bpf(2) command that makes one.
 */
#ifndef _KBPF_PROG_H
#define _KBPF_PROG_H

#include <linux/refcount.h>
#include <linux/types.h>
#include <uapi/linux/bpf.h>

/**
 * struct kbpf_prog - a verified program
 * @refcnt: references: its file descriptors' file, and later its users
 * @type: its BPF_PROG_TYPE_*
 * @expected_attach_type: attr->expected_attach_type, as loaded
 * @gpl: its license is GPL-compatible (GPL-only helpers need it)
 * @verified_insns: instructions the verifier went through
 * @stack_depth: bytes of stack its first frame uses
 * @name: attr->prog_name
 * @len: instruction slots in @insns
 * @insns: the program as lowered: each bpf-to-bpf call carries its
 *	callee's stack depth in off
 */
struct kbpf_prog {
	refcount_t refcnt;
	u32 type;
	u32 expected_attach_type;
	bool gpl;
	u32 verified_insns;
	u32 stack_depth;
	char name[BPF_OBJ_NAME_LEN];
	u32 len;
	struct bpf_insn insns[] __counted_by(len);
};

struct kbpf_prog *kbpf_prog_alloc(u32 len);
void kbpf_prog_put(struct kbpf_prog *prog);
int kbpf_prog_new_fd(struct kbpf_prog *prog);
int kbpf_prog_load(union bpf_attr *attr, union bpf_attr __user *uattr,
		   unsigned int size);

#endif /* _KBPF_PROG_H */
