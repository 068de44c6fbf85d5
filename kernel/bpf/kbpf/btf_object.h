/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BTF as a kernel object: loaded by BPF_BTF_LOAD (or the kernel's own,
 * "vmlinux"), behind file descriptors, with an id, pinnable, and held by
 * the maps and programs it describes.
 */
#ifndef _KBPF_BTF_OBJECT_H
#define _KBPF_BTF_OBJECT_H

#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <uapi/linux/bpf.h>

#include "btf.h"

/**
 * struct kbpf_btf - a BTF object
 * @types: the checked blob
 * @data: the blob, owned
 * @refcnt: file descriptors, pins, maps and programs holding it
 * @id: its id, 0 until it has one
 * @kernel: the kernel's own, which is never freed
 * @name: "vmlinux" for the kernel's, else empty
 * @free_work: frees it, out of the context of the last put
 */
struct kbpf_btf {
	struct kbpf_btf_types types;
	void *data;
	refcount_t refcnt;
	u32 id;
	bool kernel;
	const char *name;
	struct work_struct free_work;
};

#ifdef CONFIG_DEBUG_INFO_BTF
/* The kernel's .BTF section, as the linker script names its ends. */
extern char __start_BTF[];
extern char __stop_BTF[];
#endif

void kbpf_btf_get(struct kbpf_btf *btf);
void kbpf_btf_put(struct kbpf_btf *btf);
struct kbpf_btf *kbpf_btf_get_fd(int fd);
int kbpf_btf_new_fd(struct kbpf_btf *btf);
int kbpf_btf_info(struct kbpf_btf *btf, struct bpf_btf_info *info);

struct kbpf_btf *kbpf_btf_get_next(u32 *id);
int kbpf_btf_get_id_fd(u32 id);

int kbpf_btf_load(union bpf_attr *attr, union bpf_attr __user *uattr,
		  unsigned int size);

#endif /* _KBPF_BTF_OBJECT_H */
