// SPDX-License-Identifier: GPL-2.0
/*
 * Program contexts: which bytes of its context a program of each type may
 * load, with upstream's rules for the tracing types.
 *
 * kprobe programs see the probed task's struct pt_regs, tracepoint
 * programs the raw trace record (its first 8 bytes excepted), raw
 * tracepoint programs the tracepoint's arguments as an array of u64, and
 * perf_event programs a struct bpf_perf_event_data: the registers (read a
 * word at a time), the sample period and the address (any aligned part).
 * The perf event runtime fills that struct at each event, so like the
 * others it is read in place, with no rewriting at load. All are
 * read-only, and each access must be aligned to its size. The socket
 * filter's struct __sk_buff comes with its runtime.
 */

#include <linux/errno.h>
#include <linux/stddef.h>
#include <uapi/linux/bpf.h>
#include <uapi/linux/bpf_perf_event.h>
#include <asm/ptrace.h>

#include "verifier.h"

/* Upstream's limits: PERF_MAX_TRACE_SIZE and MAX_BPF_FUNC_ARGS u64s. */
#define KBPF_TRACE_CTX_SIZE	8192
#define KBPF_RAW_TP_CTX_SIZE	(12 * sizeof(u64))

/**
 * kbpf_ctx_access() - may a program of @prog_type access its context so?
 * @prog_type: the program's BPF_PROG_TYPE_*
 * @off: offset of the access from the start of the context
 * @size: bytes accessed: 1, 2, 4 or 8
 * @write: a store rather than a load
 *
 * Return: NULL when the access is allowed, else why not (for the log).
 */
const char *kbpf_ctx_access(u32 prog_type, s32 off, u32 size, bool write)
{
	s32 lo, hi;

	switch (prog_type) {
	case BPF_PROG_TYPE_KPROBE:
		lo = 0;
		hi = sizeof(struct pt_regs);
		break;
	case BPF_PROG_TYPE_TRACEPOINT:
		lo = sizeof(u64);
		hi = KBPF_TRACE_CTX_SIZE;
		break;
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		lo = 0;
		hi = KBPF_RAW_TP_CTX_SIZE;
		break;
	case BPF_PROG_TYPE_PERF_EVENT:
		lo = 0;
		hi = sizeof(struct bpf_perf_event_data);
		/* As upstream: the registers only as whole words. */
		if (!write && off >= 0 &&
		    off < (s32)offsetof(struct bpf_perf_event_data, sample_period) &&
		    size != sizeof(long))
			return "invalid ctx access: registers are read a word at a time";
		break;
	default:
		return "ctx access is not supported yet for this program type";
	}
	if (write)
		return "the context is read-only";
	if (off < lo || off > hi - (s32)size)
		return "invalid ctx access: outside the context";
	if (off % size)
		return "invalid ctx access: misaligned";
	return NULL;
}
