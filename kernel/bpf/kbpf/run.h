/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running loaded programs: the runtime each program type gets (helper
 * functions, tail calls, packet loads) and the context socket filters run
 * on.
 */
#ifndef _KBPF_RUN_H
#define _KBPF_RUN_H

#include <linux/types.h>
#include <uapi/linux/bpf.h>

#include "interp.h"
#include "log.h"

/**
 * struct kbpf_sk_filter_ctx - what a socket filter runs on
 * @skb: the context the program reads and writes (cb[]) in place
 * @data: the packet from its network header on, for LD_ABS/LD_IND
 * @len: bytes at @data
 *
 * The program gets &ctx->skb; the packet loads find the rest around it.
 */
struct kbpf_sk_filter_ctx {
	struct __sk_buff skb;
	const u8 *data;
	u32 len;
};

const struct kbpf_interp_ops *kbpf_runtime_ops(u32 prog_type);
int kbpf_runtime_check(const struct bpf_insn *insns, u32 len,
		       struct kbpf_log *log);

#endif /* _KBPF_RUN_H */
