/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbpf's seams: the few calls the kernel's perf and tracing code makes
 * into kbpf when CONFIG_KBPF serves bpf(2). Each call site is a line or
 * two in an existing file; everything else lives in kernel/bpf/kbpf/.
 * Without CONFIG_KBPF the calls are stubs that change nothing.
 */
#ifndef _LINUX_KBPF_H
#define _LINUX_KBPF_H

#include <linux/errno.h>
#include <linux/types.h>

struct perf_event;
struct perf_sample_data;
struct pt_regs;
struct trace_event_call;

#ifdef CONFIG_KBPF

/* Has some program been attached to the trace event @call? */
#define kbpf_trace_attached(call)	(!!READ_ONCE((call)->kbpf_progs))

unsigned int kbpf_trace_call(struct trace_event_call *call, void *ctx);
unsigned int kbpf_uprobe_call(struct trace_event_call *call,
			      struct pt_regs *regs, unsigned long func);
int kbpf_perf_event_set_bpf(struct perf_event *event, u32 prog_fd);
bool kbpf_perf_event_overflow(struct perf_event *event,
			      struct perf_sample_data *data,
			      struct pt_regs *regs);
void kbpf_perf_event_free(struct perf_event *event);
void kbpf_raw_tp_run(void *link, const u64 *args);

#else /* !CONFIG_KBPF */

#define kbpf_trace_attached(call)	((void)(call), false)

static inline unsigned int kbpf_trace_call(struct trace_event_call *call,
					   void *ctx)
{
	return 1;
}

static inline unsigned int kbpf_uprobe_call(struct trace_event_call *call,
					    struct pt_regs *regs,
					    unsigned long func)
{
	return 1;
}

static inline int kbpf_perf_event_set_bpf(struct perf_event *event,
					  u32 prog_fd)
{
	return -EOPNOTSUPP;
}

static inline bool kbpf_perf_event_overflow(struct perf_event *event,
					    struct perf_sample_data *data,
					    struct pt_regs *regs)
{
	return false;
}

static inline void kbpf_perf_event_free(struct perf_event *event)
{
}

#endif /* CONFIG_KBPF */

#endif /* _LINUX_KBPF_H */
