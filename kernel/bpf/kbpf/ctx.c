// SPDX-License-Identifier: GPL-2.0
/*
 * Program contexts: which bytes of its context a program of each type may
 * load, with upstream's rules for the tracing types.
 *
 * kprobe programs see the probed task's struct pt_regs, tracepoint
 * programs the raw trace record (its first 8 bytes excepted), and raw
 * tracepoint programs the tracepoint's arguments as an array of u64. All
 * three are read-only, read in place (no rewriting at load), and each
 * access must be aligned to its size. Types whose context the loader must
 * rewrite (perf_event, socket_filter) come with the loader.
 */

#include <linux/errno.h>
#include <uapi/linux/bpf.h>
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
