/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running loaded programs: the runtime each program type gets (helper
 * functions, tail calls, packet loads) and the context socket filters run
 * on.
 */
#ifndef _KBPF_RUN_H
#define _KBPF_RUN_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <uapi/linux/bpf.h>

#include "interp.h"
#include "log.h"

struct pt_regs;

/**
 * struct kbpf_sk_filter_ctx - what a socket filter runs on
 * @skb: the context the program reads and writes (cb[]) in place
 * @mac: the frame from its link-layer header, which ends at @data
 * @data: the packet from its network header on, for LD_ABS/LD_IND
 * @len: bytes at @data
 * @socket_cookie: the cookie of the socket the packet belongs to
 * @socket_uid: the uid owning that socket
 *
 * The program gets &ctx->skb; the packet loads and the packet helpers
 * find the rest around it.
 */
struct kbpf_sk_filter_ctx {
	struct __sk_buff skb;
	const u8 *mac;
	const u8 *data;
	u32 len;
	u64 socket_cookie;
	u32 socket_uid;
};

/**
 * struct kbpf_run_ctx - what a tracing program's helpers know of its event
 * @cookie: the attachment's cookie, for bpf_get_attach_cookie()
 * @regs: the registers where the event fired, for stacks; NULL where
 *	there are none
 * @func_ip: what bpf_get_func_ip() gives a uprobe's program: the probed
 *	address, or the function a uretprobe returns from; 0 elsewhere
 *
 * Tracing hooks run programs with preemption off and set the CPU's run
 * context for the run (kbpf_run_ctx_swap()), restoring the one they
 * interrupted afterwards.
 */
struct kbpf_run_ctx {
	u64 cookie;
	struct pt_regs *regs;
	unsigned long func_ip;
};

DECLARE_PER_CPU(struct kbpf_run_ctx *, kbpf_run_ctx);
DECLARE_PER_CPU(int, kbpf_trace_active);

/* Make @ctx this CPU's run context; returns the one it replaces. */
static inline struct kbpf_run_ctx *kbpf_run_ctx_swap(struct kbpf_run_ctx *ctx)
{
	struct kbpf_run_ctx *old = this_cpu_read(kbpf_run_ctx);

	this_cpu_write(kbpf_run_ctx, ctx);
	return old;
}

const struct kbpf_interp_ops *kbpf_runtime_ops(u32 prog_type);
struct kbpf_prog;

int kbpf_runtime_check(struct kbpf_prog *prog, struct kbpf_log *log);

#endif /* _KBPF_RUN_H */
