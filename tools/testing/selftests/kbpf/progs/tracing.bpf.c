// SPDX-License-Identifier: GPL-2.0
/*
 * Programs for libbpf_tracing: one for each kind of hook libbpf attaches,
 * each counting this process's events in its own slot of one array.
 * The loader sets the process and the syscall number in .rodata (the
 * object serves x86_64 and arm64, whose syscall numbers differ). The raw
 * tracepoint program also puts a record of each call in a ring buffer.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "tracing.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NR_HOOKS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

/* Not const: the loader replaces them before load. */
struct tracing_cfg cfg SEC(".rodata") = { 0 };

static void count(__u32 hook)
{
	__u64 *v;

	if (bpf_get_current_pid_tgid() >> 32 != cfg.tgid)
		return;
	v = bpf_map_lookup_elem(&counts, &hook);
	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("kprobe")
int on_kprobe(void *ctx)
{
	count(HOOK_KPROBE);
	return 0;
}

SEC("kretprobe")
int on_kretprobe(void *ctx)
{
	count(HOOK_KRETPROBE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_tracepoint(void *ctx)
{
	count(HOOK_TRACEPOINT);
	return 0;
}

/* A record of the call in the events ring buffer. */
static void emit(__u32 nr)
{
	struct tracing_event *e;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (tgid != cfg.tgid)
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return;
	e->tgid = tgid;
	e->nr = nr;
	bpf_ringbuf_submit(e, 0);
}

/* sys_enter's arguments: struct pt_regs *regs, long id. */
SEC("raw_tracepoint/sys_enter")
int on_raw_tracepoint(__u64 *args)
{
	if (args[1] == cfg.getppid_nr) {
		count(HOOK_RAW_TRACEPOINT);
		emit(args[1]);
	}
	return 0;
}

SEC("uprobe")
int on_uprobe(void *ctx)
{
	count(HOOK_UPROBE);
	return 0;
}

SEC("perf_event")
int on_perf_event(void *ctx)
{
	count(HOOK_PERF_EVENT);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
