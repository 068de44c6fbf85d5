// SPDX-License-Identifier: GPL-2.0
/*
 * Raw tracepoints: BPF_RAW_TRACEPOINT_OPEN attaches a program to a
 * tracepoint itself, ahead of any trace event, and gives a link.
 *
 * The glue include/trace/kbpf_probe.h generates for every tracepoint
 * names it in the __bpf_raw_tp_map section with a probe function that
 * packs the tracepoint's arguments into an array of u64; the link
 * registers that probe with itself as the probe's data, and the probe
 * hands the arguments to kbpf_raw_tp_run(). Tracepoints of modules are
 * not served yet.
 */

#include <linux/kbpf.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>

#include "attach.h"
#include "link.h"
#include "prog.h"
#include "run.h"

/* Longest tracepoint name taken, as upstream. */
#define KBPF_RAW_TP_NAME_MAX	128

/**
 * struct kbpf_raw_tp_link - a program on a raw tracepoint
 * @link: the link
 * @btp: the tracepoint and its probe
 * @cookie: what bpf_get_attach_cookie() gives the program
 */
struct kbpf_raw_tp_link {
	struct kbpf_link link;
	const struct bpf_raw_event_map *btp;
	u64 cookie;
};

static const struct bpf_raw_event_map *find_raw_tp(const char *name)
{
	const struct bpf_raw_event_map *btp;

	/*
	 * A kernel without tracepoints has none to find, and no
	 * tracepoint_probe_register() to call: the code after a failed
	 * lookup is left out of the build.
	 */
	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		return NULL;
	for (btp = __start__bpf_raw_tp; btp < __stop__bpf_raw_tp; btp++)
		if (!strcmp(btp->tp->name, name))
			return btp;
	return NULL;
}

/**
 * kbpf_raw_tp_run() - run a raw tracepoint's program
 * @link: the probe's data: the struct kbpf_raw_tp_link
 * @args: the tracepoint's arguments, as u64
 *
 * Called by the generated probes, with preemption off.
 */
void kbpf_raw_tp_run(void *link, const u64 *args)
{
	struct kbpf_raw_tp_link *rl = link;
	const struct kbpf_prog *prog = rl->link.prog;
	struct kbpf_run_ctx run = { .cookie = rl->cookie };
	struct kbpf_run_ctx *old;

	if (unlikely(__this_cpu_inc_return(kbpf_trace_active) != 1)) {
		atomic64_inc(&rl->link.prog->misses);
		goto out;
	}
	rcu_read_lock();
	old = kbpf_run_ctx_swap(&run);
	kbpf_prog_run_pinned(prog, args);
	kbpf_run_ctx_swap(old);
	rcu_read_unlock();
out:
	__this_cpu_dec(kbpf_trace_active);
}

static void raw_tp_detach(struct kbpf_link *link)
{
	struct kbpf_raw_tp_link *rl = container_of(link, struct kbpf_raw_tp_link, link);

	tracepoint_probe_unregister(rl->btp->tp, rl->btp->bpf_func, rl);
}

static void raw_tp_free(struct kbpf_link *link)
{
	struct kbpf_raw_tp_link *rl = container_of(link, struct kbpf_raw_tp_link, link);

	/* A probe that started before the detach may still read it. */
	kfree_rcu(rl, link.rcu);
}

/* As upstream: the name's size with its NUL; -ENOSPC when cut short. */
static int raw_tp_fill_info(const struct kbpf_link *link,
			    const struct bpf_link_info *in,
			    struct bpf_link_info *info)
{
	struct kbpf_raw_tp_link *rl = container_of(link, struct kbpf_raw_tp_link, link);
	const char *name = rl->btp->tp->name;
	u32 len = strlen(name) + 1, ulen = in->raw_tracepoint.tp_name_len;
	char __user *ubuf = u64_to_user_ptr(in->raw_tracepoint.tp_name);

	info->raw_tracepoint.tp_name = in->raw_tracepoint.tp_name;
	info->raw_tracepoint.tp_name_len = len;
	if (!ubuf || !ulen)
		return ubuf || ulen ? -EINVAL : 0;
	if (ulen >= len)
		return copy_to_user(ubuf, name, len) ? -EFAULT : 0;
	if (copy_to_user(ubuf, name, ulen - 1) || put_user(0, ubuf + ulen - 1))
		return -EFAULT;
	return -ENOSPC;
}

static const struct kbpf_link_ops raw_tp_link_ops = {
	.detach = raw_tp_detach,
	.free = raw_tp_free,
	.fill_info = raw_tp_fill_info,
};

/**
 * kbpf_raw_tp_open() - BPF_RAW_TRACEPOINT_OPEN
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: the link's descriptor, or -EBADF/-EINVAL for no program,
 * -EINVAL for a program that is no raw tracepoint program or reads more
 * arguments than the tracepoint has, -ENOENT for no such tracepoint,
 * -EEXIST when the program is already attached there, -EFAULT, -ENOMEM.
 */
int kbpf_raw_tp_open(union bpf_attr *attr, union bpf_attr __user *uattr,
		     unsigned int size)
{
	const struct bpf_raw_event_map *btp;
	char name[KBPF_RAW_TP_NAME_MAX];
	struct kbpf_raw_tp_link *rl;
	struct kbpf_prog *prog;
	long n;
	int err;

	prog = kbpf_prog_get_fd(attr->raw_tracepoint.prog_fd);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	err = -EINVAL;
	if (prog->type != BPF_PROG_TYPE_RAW_TRACEPOINT)
		goto put_prog;
	n = strncpy_from_user(name, u64_to_user_ptr(attr->raw_tracepoint.name),
			      sizeof(name) - 1);
	err = n < 0 ? -EFAULT : -ENOENT;
	if (n < 0)
		goto put_prog;
	name[n] = 0;
	btp = find_raw_tp(name);
	if (!btp)
		goto put_prog;
	err = -EINVAL;
	if (prog->ctx_end > btp->num_args * sizeof(u64))
		goto put_prog;
	err = -ENOMEM;
	rl = kzalloc(sizeof(*rl), GFP_KERNEL_ACCOUNT);
	if (!rl)
		goto put_prog;
	kbpf_link_init(&rl->link, BPF_LINK_TYPE_RAW_TRACEPOINT, &raw_tp_link_ops,
		       prog);
	rl->btp = btp;
	rl->cookie = attr->raw_tracepoint.cookie;
	err = tracepoint_probe_register_may_exist(btp->tp, btp->bpf_func, rl);
	if (err) {
		kbpf_link_abort(&rl->link);
		return err;
	}
	return kbpf_link_publish(&rl->link);
put_prog:
	kbpf_prog_put(prog);
	return err;
}
