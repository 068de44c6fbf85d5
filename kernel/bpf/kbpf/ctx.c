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
 * read-only, and each access must be aligned to its size.
 *
 * Socket filters see a struct __sk_buff with upstream's rules for them:
 * the packet's metadata fields read in whole or in aligned parts, the
 * control block cb[] read and written, nothing that points into the
 * packet or the socket. How the runtime provides the struct (built per
 * packet, or loads rewritten to the sk_buff) comes with that runtime.
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

/* Is @off in the field of @size bytes at @start? */
static bool in_field(s32 off, size_t start, size_t size)
{
	return off >= (s32)start && off < (s32)(start + size);
}

/* Fields of struct __sk_buff a socket filter may read, a u32 each. */
static bool sk_filter_u32_field(s32 off)
{
	return in_field(off, 0, offsetof(struct __sk_buff, cb)) ||
	       in_field(off, offsetof(struct __sk_buff, hash), sizeof(u32)) ||
	       in_field(off, offsetof(struct __sk_buff, napi_id), sizeof(u32)) ||
	       in_field(off, offsetof(struct __sk_buff, gso_segs), sizeof(u32)) ||
	       in_field(off, offsetof(struct __sk_buff, gso_size), sizeof(u32));
}

static const char *sk_filter_access(s32 off, u32 size, bool write)
{
	const size_t cb = offsetof(struct __sk_buff, cb);
	const s32 cb_end = cb + sizeof(((struct __sk_buff *)0)->cb);

	if (off < 0 || off > (s32)sizeof(struct __sk_buff) - (s32)size)
		return "invalid bpf_context access: outside the context";
	if (off % size)
		return "misaligned context access";
	/* cb[] is the program's scratch space: any aligned access in it. */
	if (in_field(off, cb, cb_end - cb))
		return off + (s32)size > cb_end ?
			"invalid bpf_context access: past cb[]" : NULL;
	if (write)
		return "invalid bpf_context access: a socket filter writes only cb[]";
	if (in_field(off, offsetof(struct __sk_buff, sk), sizeof(u64)))
		return "invalid bpf_context access: the socket is not supported yet";
	if (!sk_filter_u32_field(off))
		return "invalid bpf_context access: not a field a socket filter may read";
	if (size > sizeof(u32))
		return "invalid bpf_context access: the field is 4 bytes";
	return NULL;
}

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
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return sk_filter_access(off, size, write);
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
			return "invalid bpf_context access: registers are read a word at a time";
		break;
	default:
		return "ctx access is not supported yet for this program type";
	}
	if (write)
		return "the context is read-only";
	if (off < lo || off > hi - (s32)size)
		return "invalid bpf_context access: outside the context";
	if (off % size)
		return "misaligned context access";
	return NULL;
}
