// SPDX-License-Identifier: GPL-2.0
/*
 * The helper functions programs may call, as the verifier sees them: what
 * each argument must be and what comes back. One table, the ABI's ids and
 * argument kinds; which program types may call which helper is decided
 * here too. The functions themselves come with the runtime.
 */

#include <linux/array_size.h>
#include <uapi/linux/bpf.h>

#include "verifier.h"

/*
 * Helpers that need no map. Memory arguments are stack memory for now;
 * each is followed by its size argument.
 */
#define PROBE_READ \
	{ KBPF_ARG_UNINIT_MEM, KBPF_ARG_SIZE_OR_ZERO, KBPF_ARG_ANYTHING }

static const struct kbpf_helper_proto protos[] = {
	[BPF_FUNC_ktime_get_ns] = { "ktime_get_ns" },
	[BPF_FUNC_ktime_get_boot_ns] = { "ktime_get_boot_ns" },
	[BPF_FUNC_ktime_get_coarse_ns] = { "ktime_get_coarse_ns" },
	[BPF_FUNC_jiffies64] = { "jiffies64" },
	[BPF_FUNC_get_prandom_u32] = { "get_prandom_u32" },
	[BPF_FUNC_get_smp_processor_id] = { "get_smp_processor_id" },
	[BPF_FUNC_get_current_pid_tgid] = { "get_current_pid_tgid" },
	[BPF_FUNC_get_current_uid_gid] = { "get_current_uid_gid" },
	[BPF_FUNC_get_current_task] = { "get_current_task" },
	[BPF_FUNC_get_current_comm] = {
		"get_current_comm", { KBPF_ARG_UNINIT_MEM, KBPF_ARG_SIZE } },
	[BPF_FUNC_trace_printk] = {
		"trace_printk", { KBPF_ARG_MEM, KBPF_ARG_SIZE, KBPF_ARG_ANYTHING,
				  KBPF_ARG_ANYTHING, KBPF_ARG_ANYTHING } },
	[BPF_FUNC_probe_read_kernel] = { "probe_read_kernel", PROBE_READ },
	[BPF_FUNC_probe_read_user] = { "probe_read_user", PROBE_READ },
	[BPF_FUNC_probe_read_kernel_str] = { "probe_read_kernel_str", PROBE_READ },
	[BPF_FUNC_probe_read_user_str] = { "probe_read_user_str", PROBE_READ },
};

/* What upstream's base set gives every program type that has helpers. */
static bool is_base_helper(s32 id)
{
	switch (id) {
	case BPF_FUNC_ktime_get_ns:
	case BPF_FUNC_ktime_get_boot_ns:
	case BPF_FUNC_ktime_get_coarse_ns:
	case BPF_FUNC_jiffies64:
	case BPF_FUNC_get_prandom_u32:
	case BPF_FUNC_get_smp_processor_id:
	case BPF_FUNC_trace_printk:
		return true;
	}
	return false;
}

/**
 * kbpf_helper_proto() - the helper @id, if programs of @prog_type may call it
 * @prog_type: the calling program's BPF_PROG_TYPE_*
 * @id: the helper id, the call instruction's imm
 *
 * Tracing programs may call every helper of the table; socket filters the
 * base set (time, random numbers, the CPU, trace_printk).
 *
 * Return: the prototype, or NULL when the call is not allowed.
 */
const struct kbpf_helper_proto *kbpf_helper_proto(u32 prog_type, s32 id)
{
	if (id < 0 || (u32)id >= ARRAY_SIZE(protos) || !protos[id].name)
		return NULL;
	switch (prog_type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
		return &protos[id];
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return is_base_helper(id) ? &protos[id] : NULL;
	}
	return NULL;
}
