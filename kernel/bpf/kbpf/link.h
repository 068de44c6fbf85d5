/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Links: programs attached to hooks, held by file descriptors.
 */
#ifndef _KBPF_LINK_H
#define _KBPF_LINK_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <uapi/linux/bpf.h>

struct kbpf_link;
struct kbpf_prog;

/**
 * struct kbpf_link_ops - what a kind of link does
 * @detach: stop the hook from running the program (once, under the
 *	link's lock); runs already under way may finish
 * @free: free the link, detached
 * @fill_info: the kind's part of struct bpf_link_info, from what the
 *	caller gave in @in (buffers); may be NULL
 */
struct kbpf_link_ops {
	void (*detach)(struct kbpf_link *link);
	void (*free)(struct kbpf_link *link);
	int (*fill_info)(const struct kbpf_link *link,
			 const struct bpf_link_info *in,
			 struct bpf_link_info *info);
};

/**
 * struct kbpf_link - a program attached to a hook
 * @refcnt: its descriptors' files and commands using it
 * @id: its global id
 * @type: its BPF_LINK_TYPE_*
 * @ops: its kind's operations
 * @prog: the program, referenced until the link is freed
 * @lock: guards @detached
 * @detached: the hook no longer runs the program
 * @rcu: kinds whose hooks may still be running on the link free it
 *	after a grace period
 */
struct kbpf_link {
	refcount_t refcnt;
	u32 id;
	u32 type;
	const struct kbpf_link_ops *ops;
	struct kbpf_prog *prog;
	struct mutex lock;	/* detached */
	bool detached;
	struct rcu_head rcu;
};

void kbpf_link_init(struct kbpf_link *link, u32 type,
		    const struct kbpf_link_ops *ops, struct kbpf_prog *prog);
int kbpf_link_publish(struct kbpf_link *link);
void kbpf_link_abort(struct kbpf_link *link);
struct kbpf_link *kbpf_link_get_fd(int fd);
void kbpf_link_put(struct kbpf_link *link);
int kbpf_link_info(const struct kbpf_link *link, struct bpf_link_info *info);
int kbpf_link_create(union bpf_attr *attr, union bpf_attr __user *uattr,
		     unsigned int size);
int kbpf_link_detach(union bpf_attr *attr, union bpf_attr __user *uattr,
		     unsigned int size);
int kbpf_link_get_next_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size);
int kbpf_link_get_fd_by_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			   unsigned int size);
int kbpf_raw_tp_open(union bpf_attr *attr, union bpf_attr __user *uattr,
		     unsigned int size);

#endif /* _KBPF_LINK_H */
