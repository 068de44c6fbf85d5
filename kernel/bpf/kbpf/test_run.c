// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_TEST_RUN: run a program once or many times on an input from
 * userspace, without attaching it, and give back its result.
 *
 * Socket filters run on a packet: data_in is an Ethernet frame, which the
 * program sees from its network header on (as a socket filter on the
 * loopback device would), with __sk_buff fields derived from it and mark,
 * priority and cb[] optionally given in ctx_in. Raw tracepoint programs
 * run once on ctx_in, their u64 arguments, optionally on a chosen CPU.
 * Both follow upstream's attr rules and errnos; the other program types
 * have no test run (-ENOTSUPP, as upstream).
 */

#include <linux/cookie.h>
#include <linux/etherdevice.h>
#include <linux/if_packet.h>
#include <linux/ktime.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

#include "map.h"
#include "prog.h"
#include "run.h"

/* Upstream's room around a test packet, which bounds its size. */
#define TEST_PACKET_MAX	(PAGE_SIZE - NET_SKB_PAD - NET_IP_ALIGN - \
			 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))

/* Arguments a raw tracepoint passes at most (upstream's MAX_BPF_FUNC_ARGS). */
#define RAW_TP_MAX_ARGS	12

/*
 * Cookies of the sockets test runs give their packets. kbpf's own
 * sequence: those sockets exist only for the run, no real one is named
 * by them.
 */
DEFINE_COOKIE(test_socket_cookie);

/* Is [from, to) of @ctx all zero? */
static bool zero_range(const void *ctx, size_t from, size_t to)
{
	return !memchr_inv(ctx + from, 0, to - from);
}

/* ctx_in may set mark, priority and cb[]; anything else must be zero. */
static int check_skb_ctx_in(const struct __sk_buff *in)
{
	if (!zero_range(in, 0, offsetof(struct __sk_buff, mark)) ||
	    !zero_range(in, offsetofend(struct __sk_buff, mark),
			offsetof(struct __sk_buff, priority)) ||
	    !zero_range(in, offsetofend(struct __sk_buff, priority),
			offsetof(struct __sk_buff, cb)) ||
	    !zero_range(in, offsetofend(struct __sk_buff, cb),
			sizeof(struct __sk_buff)))
		return -EINVAL;
	return 0;
}

/* pkt_type as eth_type_trans() sets it for a frame on the loopback device. */
static u32 packet_type(const u8 *dest, const struct net_device *dev)
{
	if (is_multicast_ether_addr(dest))
		return is_broadcast_ether_addr(dest) ? PACKET_BROADCAST :
						       PACKET_MULTICAST;
	return ether_addr_equal(dest, dev->dev_addr) ? PACKET_HOST :
						       PACKET_OTHERHOST;
}

/*
 * Run @prog @repeat times on @ctx, the time per run into @duration (ns,
 * clamped to u32). The runs are pinned (RCU, no migration) in stretches,
 * let go of when the scheduler or a signal asks.
 */
static int run_repeated(const struct kbpf_prog *prog, const void *ctx,
			u32 repeat, u32 *retval, u32 *duration)
{
	u64 start, spent = 0;
	int err = 0;
	u32 i;

	repeat = repeat ?: 1;
	rcu_read_lock();
	migrate_disable();
	start = ktime_get_ns();
	for (i = 0; i < repeat; i++) {
		*retval = kbpf_prog_run_pinned(prog, ctx);
		if (i + 1 == repeat)
			break;
		if (signal_pending(current)) {
			err = -EINTR;
			break;
		}
		if (need_resched()) {
			spent += ktime_get_ns() - start;
			migrate_enable();
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			migrate_disable();
			start = ktime_get_ns();
		}
	}
	spent += ktime_get_ns() - start;
	migrate_enable();
	rcu_read_unlock();
	if (err)
		return err;
	do_div(spent, repeat);
	*duration = min_t(u64, spent, U32_MAX);
	return 0;
}

/* Upstream's ctx_out rule: copy what fits, -ENOSPC when it did not all fit. */
static int put_ctx_out(const union bpf_attr *attr, union bpf_attr __user *uattr,
		       const void *ctx, u32 size)
{
	u32 copy = min(size, attr->test.ctx_size_out);

	if (!attr->test.ctx_out)
		return 0;
	if (copy_to_user(u64_to_user_ptr(attr->test.ctx_out), ctx, copy) ||
	    put_user(size, &uattr->test.ctx_size_out))
		return -EFAULT;
	return copy < size ? -ENOSPC : 0;
}

static int put_results(const union bpf_attr *attr, union bpf_attr __user *uattr,
		       const void *data, u32 size, u32 retval, u32 duration)
{
	u32 copy = size;
	int err = 0;

	/* A size hint clamps the copy; no hint copies it all, as before it. */
	if (attr->test.data_size_out && copy > attr->test.data_size_out) {
		copy = attr->test.data_size_out;
		err = -ENOSPC;
	}
	if (attr->test.data_out &&
	    copy_to_user(u64_to_user_ptr(attr->test.data_out), data, copy))
		return -EFAULT;
	if (put_user(size, &uattr->test.data_size_out) ||
	    put_user(retval, &uattr->test.retval) ||
	    put_user(duration, &uattr->test.duration))
		return -EFAULT;
	return err;
}

static int test_run_sk_filter(const struct kbpf_prog *prog,
			      const union bpf_attr *attr,
			      union bpf_attr __user *uattr)
{
	struct net_device *dev = current->nsproxy->net_ns->loopback_dev;
	u32 size = attr->test.data_size_in, retval, duration;
	struct kbpf_sk_filter_ctx *ctx;
	struct __sk_buff *in = NULL;
	u8 *data;
	int err;

	if (attr->test.flags || attr->test.cpu || attr->test.batch_size)
		return -EINVAL;
	if (size < ETH_HLEN || size > TEST_PACKET_MAX)
		return -EINVAL;
	data = memdup_user(u64_to_user_ptr(attr->test.data_in), size);
	if (IS_ERR(data))
		return PTR_ERR(data);
	err = -ENOMEM;
	ctx = kzalloc(sizeof(*ctx), GFP_USER);
	if (!ctx)
		goto free_data;
	if (attr->test.ctx_in) {
		in = &ctx->skb;
		err = check_zeroed_user(u64_to_user_ptr(attr->test.ctx_in) + sizeof(*in),
					max_t(u32, attr->test.ctx_size_in, sizeof(*in)) -
					sizeof(*in));
		if (err <= 0) {
			err = err ?: -E2BIG;
			goto free_ctx;
		}
		err = -EFAULT;
		if (copy_from_user(in, u64_to_user_ptr(attr->test.ctx_in),
				   min_t(u32, attr->test.ctx_size_in, sizeof(*in))))
			goto free_ctx;
		err = check_skb_ctx_in(in);
		if (err)
			goto free_ctx;
	}

	ctx->mac = data;
	ctx->data = data + ETH_HLEN;
	ctx->len = size - ETH_HLEN;
	ctx->skb.len = ctx->len;
	ctx->skb.protocol = ((struct ethhdr *)data)->h_proto;
	ctx->skb.pkt_type = packet_type(data, dev);
	ctx->skb.ifindex = dev->ifindex;
	/*
	 * As upstream's test runs, each gives the packet a socket of its
	 * own, opened by root: a new cookie, uid 0.
	 */
	ctx->socket_cookie = gen_cookie_next(&test_socket_cookie);
	ctx->socket_uid = 0;

	err = run_repeated(prog, &ctx->skb, attr->test.repeat, &retval,
			   &duration);
	if (err)
		goto free_ctx;
	/* As upstream, the frame comes back with a blank Ethernet header. */
	memset(data, 0, ETH_HLEN);
	err = put_results(attr, uattr, data, size, retval, duration);
	if (!err && in) {
		struct __sk_buff out = {
			.mark = ctx->skb.mark,
			.priority = ctx->skb.priority,
			.ifindex = ctx->skb.ifindex,
		};

		memcpy(out.cb, ctx->skb.cb, sizeof(out.cb));
		err = put_ctx_out(attr, uattr, &out, sizeof(out));
	}
free_ctx:
	kfree(ctx);
free_data:
	kfree(data);
	return err;
}

struct raw_tp_run {
	const struct kbpf_prog *prog;
	const u64 *args;
	u32 retval;
};

static void raw_tp_run_here(void *data)
{
	struct raw_tp_run *run = data;

	run->retval = kbpf_prog_run(run->prog, run->args);
}

static int test_run_raw_tp(const struct kbpf_prog *prog,
			   const union bpf_attr *attr,
			   union bpf_attr __user *uattr)
{
	bool on_cpu = attr->test.flags & BPF_F_TEST_RUN_ON_CPU;
	u64 args[RAW_TP_MAX_ARGS] = {};
	struct raw_tp_run run = { .prog = prog, .args = args };
	u32 cpu = attr->test.cpu;
	int err = 0;

	if (attr->test.data_in || attr->test.data_out || attr->test.ctx_out ||
	    attr->test.duration || attr->test.repeat || attr->test.batch_size)
		return -EINVAL;
	if (attr->test.ctx_size_in > sizeof(args) ||
	    (attr->test.flags & ~BPF_F_TEST_RUN_ON_CPU) || (!on_cpu && cpu))
		return -EINVAL;
	/* Arguments not given read as zero: the program may read them all. */
	if (copy_from_user(args, u64_to_user_ptr(attr->test.ctx_in),
			   attr->test.ctx_size_in))
		return -EFAULT;

	if (!on_cpu || cpu == get_cpu())
		raw_tp_run_here(&run);
	else if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		err = -ENXIO;
	else
		err = smp_call_function_single(cpu, raw_tp_run_here, &run, 1);
	if (on_cpu)
		put_cpu();
	if (!err && put_user(run.retval, &uattr->test.retval))
		err = -EFAULT;
	return err;
}

/**
 * kbpf_prog_test_run() - BPF_PROG_TEST_RUN
 * @attr: the command's attr
 * @uattr: userspace's attr, for the results
 * @size: bytes userspace gave (unused)
 *
 * Return: 0 with retval (and data_out, data_size_out, duration, ctx_out
 * where the type has them) written, or -EBADF/-EINVAL for the fd, -EINVAL
 * for fields the type does not take, -ENOSPC for outputs that did not
 * fit, -EFAULT, -ENXIO for an offline CPU, -EINTR, -ENOMEM, -ENOTSUPP for
 * types without test runs.
 */
int kbpf_prog_test_run(union bpf_attr *attr, union bpf_attr __user *uattr,
		       unsigned int size)
{
	struct kbpf_prog *prog;
	int err;

	if ((attr->test.ctx_size_in && !attr->test.ctx_in) ||
	    (!attr->test.ctx_size_in && attr->test.ctx_in) ||
	    (attr->test.ctx_size_out && !attr->test.ctx_out) ||
	    (!attr->test.ctx_size_out && attr->test.ctx_out))
		return -EINVAL;
	prog = kbpf_prog_get_fd(attr->test.prog_fd);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	switch (prog->type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
		err = test_run_sk_filter(prog, attr, uattr);
		break;
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		err = test_run_raw_tp(prog, attr, uattr);
		break;
	default:
		err = -KBPF_ENOTSUPP;
	}
	kbpf_prog_put(prog);
	return err;
}
