/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace event bpf_trace_printk() writes, under upstream's name, so
 * the trace pipe shows the same lines on kbpf as on a stock kernel.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM bpf_trace

#if !defined(_KBPF_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KBPF_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(bpf_trace_printk,
	    TP_PROTO(const char *bpf_string),
	    TP_ARGS(bpf_string),
	    TP_STRUCT__entry(__string(bpf_string, bpf_string)),
	    TP_fast_assign(__assign_str(bpf_string);),
	    TP_printk("%s", __get_str(bpf_string))
);

#endif /* _KBPF_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kbpf_trace
#include <trace/define_trace.h>
