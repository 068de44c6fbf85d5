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
 * Memory arguments are stack or map value memory, each followed by its
 * size argument.
 */
#define PROBE_READ \
	{ KBPF_ARG_UNINIT_MEM, KBPF_ARG_SIZE_OR_ZERO, KBPF_ARG_ANYTHING }

static const struct kbpf_helper_proto protos[] = {
	[BPF_FUNC_map_lookup_elem] = {
		"map_lookup_elem", { KBPF_ARG_MAP, KBPF_ARG_MAP_KEY },
		KBPF_RET_MAP_VALUE_OR_NULL },
	[BPF_FUNC_map_update_elem] = {
		"map_update_elem", { KBPF_ARG_MAP, KBPF_ARG_MAP_KEY,
				     KBPF_ARG_MAP_VALUE, KBPF_ARG_ANYTHING } },
	[BPF_FUNC_map_delete_elem] = {
		"map_delete_elem", { KBPF_ARG_MAP, KBPF_ARG_MAP_KEY } },
	[BPF_FUNC_map_push_elem] = {
		"map_push_elem", { KBPF_ARG_MAP, KBPF_ARG_MAP_VALUE,
				   KBPF_ARG_ANYTHING } },
	[BPF_FUNC_map_pop_elem] = {
		"map_pop_elem", { KBPF_ARG_MAP, KBPF_ARG_MAP_VALUE_OUT } },
	[BPF_FUNC_map_peek_elem] = {
		"map_peek_elem", { KBPF_ARG_MAP, KBPF_ARG_MAP_VALUE_OUT } },
	[BPF_FUNC_tail_call] = {
		"tail_call", { KBPF_ARG_CTX, KBPF_ARG_MAP, KBPF_ARG_ANYTHING } },
	[BPF_FUNC_ringbuf_output] = {
		"ringbuf_output", { KBPF_ARG_MAP, KBPF_ARG_MEM,
				    KBPF_ARG_SIZE_OR_ZERO, KBPF_ARG_ANYTHING } },
	[BPF_FUNC_ringbuf_query] = {
		"ringbuf_query", { KBPF_ARG_MAP, KBPF_ARG_ANYTHING } },
	[BPF_FUNC_ringbuf_reserve] = {
		"ringbuf_reserve", { KBPF_ARG_MAP, KBPF_ARG_ALLOC_SIZE,
				     KBPF_ARG_ANYTHING }, KBPF_RET_MEM_OR_NULL },
	[BPF_FUNC_ringbuf_submit] = {
		"ringbuf_submit", { KBPF_ARG_RESERVED, KBPF_ARG_ANYTHING } },
	[BPF_FUNC_ringbuf_discard] = {
		"ringbuf_discard", { KBPF_ARG_RESERVED, KBPF_ARG_ANYTHING } },
	[BPF_FUNC_perf_event_output] = {
		"perf_event_output", { KBPF_ARG_CTX, KBPF_ARG_MAP,
				       KBPF_ARG_ANYTHING, KBPF_ARG_MEM,
				       KBPF_ARG_SIZE_OR_ZERO } },
	[BPF_FUNC_perf_event_read] = {
		"perf_event_read", { KBPF_ARG_MAP, KBPF_ARG_ANYTHING } },
	[BPF_FUNC_perf_event_read_value] = {
		"perf_event_read_value", { KBPF_ARG_MAP, KBPF_ARG_ANYTHING,
					   KBPF_ARG_UNINIT_MEM, KBPF_ARG_SIZE } },
	[BPF_FUNC_get_attach_cookie] = {
		"get_attach_cookie", { KBPF_ARG_CTX } },
	[BPF_FUNC_get_numa_node_id] = { "get_numa_node_id" },
	[BPF_FUNC_skb_load_bytes] = {
		"skb_load_bytes", { KBPF_ARG_CTX, KBPF_ARG_ANYTHING,
				    KBPF_ARG_UNINIT_MEM, KBPF_ARG_SIZE } },
	[BPF_FUNC_get_socket_cookie] = {
		"get_socket_cookie", { KBPF_ARG_CTX } },
	[BPF_FUNC_get_socket_uid] = { "get_socket_uid", { KBPF_ARG_CTX } },
	[BPF_FUNC_get_func_ip] = { "get_func_ip", { KBPF_ARG_CTX } },
	[BPF_FUNC_send_signal] = { "send_signal", { KBPF_ARG_ANYTHING } },
	[BPF_FUNC_send_signal_thread] = {
		"send_signal_thread", { KBPF_ARG_ANYTHING } },
	[BPF_FUNC_get_stackid] = {
		"get_stackid", { KBPF_ARG_CTX, KBPF_ARG_MAP, KBPF_ARG_ANYTHING } },
	[BPF_FUNC_get_stack] = {
		"get_stack", { KBPF_ARG_CTX, KBPF_ARG_UNINIT_MEM,
			       KBPF_ARG_SIZE_OR_ZERO, KBPF_ARG_ANYTHING },
		KBPF_RET_SIZE_OR_ERRNO },
	[BPF_FUNC_probe_read] = { "probe_read", PROBE_READ },
	[BPF_FUNC_probe_read_str] = {
		"probe_read_str", PROBE_READ, KBPF_RET_SIZE_OR_ERRNO },
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
		"trace_printk", { KBPF_ARG_MEM, KBPF_ARG_SIZE,
				  KBPF_ARG_PRINTK_VALUE, KBPF_ARG_PRINTK_VALUE,
				  KBPF_ARG_PRINTK_VALUE } },
	[BPF_FUNC_snprintf] = {
		"snprintf", { KBPF_ARG_UNINIT_MEM, KBPF_ARG_SIZE_OR_ZERO,
			      KBPF_ARG_FORMAT, KBPF_ARG_FORMAT_ARGS,
			      KBPF_ARG_SIZE_OR_ZERO } },
	[BPF_FUNC_strncmp] = {
		"strncmp", { KBPF_ARG_MEM, KBPF_ARG_SIZE, KBPF_ARG_CONST_STR } },
	[BPF_FUNC_probe_read_kernel] = { "probe_read_kernel", PROBE_READ },
	[BPF_FUNC_probe_read_user] = { "probe_read_user", PROBE_READ },
	[BPF_FUNC_probe_read_kernel_str] = {
		"probe_read_kernel_str", PROBE_READ, KBPF_RET_SIZE_OR_ERRNO },
	[BPF_FUNC_probe_read_user_str] = {
		"probe_read_user_str", PROBE_READ, KBPF_RET_SIZE_OR_ERRNO },
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
	case BPF_FUNC_get_numa_node_id:
	case BPF_FUNC_trace_printk:
	case BPF_FUNC_map_lookup_elem:
	case BPF_FUNC_map_update_elem:
	case BPF_FUNC_map_delete_elem:
	case BPF_FUNC_map_push_elem:
	case BPF_FUNC_map_pop_elem:
	case BPF_FUNC_map_peek_elem:
	case BPF_FUNC_tail_call:
	case BPF_FUNC_ringbuf_output:
	case BPF_FUNC_ringbuf_query:
	case BPF_FUNC_ringbuf_reserve:
	case BPF_FUNC_ringbuf_submit:
	case BPF_FUNC_ringbuf_discard:
	case BPF_FUNC_strncmp:
	case BPF_FUNC_snprintf:
		return true;
	}
	return false;
}

/*
 * Not for tracing programs: the coarse clock is read under the
 * timekeeper's seqcount, and a program in NMI context that interrupted
 * its writer would spin forever (upstream does not offer it there
 * either).
 */
static bool is_nmi_unsafe_helper(s32 id)
{
	return id == BPF_FUNC_ktime_get_coarse_ns;
}

/* Helpers whose context is a packet: socket filters only. */
static bool is_packet_helper(s32 id)
{
	return id == BPF_FUNC_skb_load_bytes ||
	       id == BPF_FUNC_get_socket_cookie ||
	       id == BPF_FUNC_get_socket_uid;
}

/* Maps of keys and values that programs read and write in place. */
static bool is_key_value_map(u32 map_type)
{
	switch (map_type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_LPM_TRIE:
		return true;
	}
	return false;
}

/**
 * kbpf_helper_map_ok() - may helper @id work on a map of @map_type?
 * @id: the helper id
 * @map_type: the map's BPF_MAP_TYPE_*
 *
 * Each map type has its own helpers, and the helpers that take a map take
 * only the types made for them: a program array only for tail calls, a
 * perf event array only for perf events, and so on. Programs may only
 * look up maps of maps (the syscall fills them), which gives a map.
 *
 * Return: whether the call may pass such a map.
 */
bool kbpf_helper_map_ok(s32 id, u32 map_type)
{
	switch (id) {
	case BPF_FUNC_map_lookup_elem:
		return is_key_value_map(map_type) ||
		       map_type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		       map_type == BPF_MAP_TYPE_HASH_OF_MAPS;
	case BPF_FUNC_map_update_elem:
	case BPF_FUNC_map_delete_elem:
		return is_key_value_map(map_type);
	case BPF_FUNC_map_push_elem:
		return map_type == BPF_MAP_TYPE_QUEUE ||
		       map_type == BPF_MAP_TYPE_STACK ||
		       map_type == BPF_MAP_TYPE_BLOOM_FILTER;
	case BPF_FUNC_map_pop_elem:
	case BPF_FUNC_map_peek_elem:
		return map_type == BPF_MAP_TYPE_QUEUE ||
		       map_type == BPF_MAP_TYPE_STACK;
	case BPF_FUNC_tail_call:
		return map_type == BPF_MAP_TYPE_PROG_ARRAY;
	case BPF_FUNC_perf_event_output:
	case BPF_FUNC_perf_event_read:
	case BPF_FUNC_perf_event_read_value:
		return map_type == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	case BPF_FUNC_get_stackid:
		return map_type == BPF_MAP_TYPE_STACK_TRACE;
	case BPF_FUNC_ringbuf_output:
	case BPF_FUNC_ringbuf_query:
	case BPF_FUNC_ringbuf_reserve:
		return map_type == BPF_MAP_TYPE_RINGBUF;
	}
	return false;
}

/**
 * kbpf_helper_writes_map() - does helper @id change the map it is given?
 * @id: the helper id
 *
 * Return: whether a BPF_F_RDONLY_PROG map must be refused to it.
 */
bool kbpf_helper_writes_map(s32 id)
{
	return id == BPF_FUNC_map_update_elem || id == BPF_FUNC_map_delete_elem ||
	       id == BPF_FUNC_map_push_elem || id == BPF_FUNC_map_pop_elem;
}

/**
 * kbpf_helper_reads_map() - does helper @id copy values out of its map?
 * @id: the helper id
 *
 * A lookup does not: it gives a pointer, and loads through it are checked
 * (a program may look up a write-only map to write the value, as upstream).
 *
 * Return: whether a BPF_F_WRONLY_PROG map must be refused to it.
 */
bool kbpf_helper_reads_map(s32 id)
{
	return id == BPF_FUNC_map_peek_elem || id == BPF_FUNC_map_pop_elem;
}

/**
 * kbpf_helper_name() - the name of helper @id, for the log
 * @id: the helper id
 *
 * Return: its name without "bpf_", or NULL for a helper kbpf does not have.
 */
const char *kbpf_helper_name(s32 id)
{
	if (id < 0 || (u32)id >= ARRAY_SIZE(protos))
		return NULL;
	return protos[id].name;
}

static bool is_tracing(u32 prog_type)
{
	return prog_type == BPF_PROG_TYPE_KPROBE ||
	       prog_type == BPF_PROG_TYPE_TRACEPOINT ||
	       prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT ||
	       prog_type == BPF_PROG_TYPE_PERF_EVENT;
}

/**
 * kbpf_helper_needs_function() - is @id refused to @prog_type only because
 * its programs do not run at a function?
 * @prog_type: the calling program's BPF_PROG_TYPE_*
 * @id: the helper id
 *
 * bpf_get_func_ip() is a tracing helper, but only probes are at a
 * function: upstream refuses it to the other tracing programs in words
 * (and with an errno) of its own.
 *
 * Return: whether that is why kbpf_helper_proto() refuses the call.
 */
bool kbpf_helper_needs_function(u32 prog_type, s32 id)
{
	return id == BPF_FUNC_get_func_ip && is_tracing(prog_type) &&
	       prog_type != BPF_PROG_TYPE_KPROBE;
}

/**
 * kbpf_helper_proto() - the helper @id, if programs of @prog_type may call it
 * @prog_type: the calling program's BPF_PROG_TYPE_*
 * @id: the helper id, the call instruction's imm
 *
 * Tracing programs may call every helper of the table but the packet ones
 * and the coarse clock (bpf_get_func_ip() only kprobe programs); socket
 * filters the base set (time, random numbers, the CPU, trace_printk, the
 * map helpers, tail calls, ring buffers, strncmp, snprintf), the packet
 * helpers (skb_load_bytes, get_socket_cookie, get_socket_uid) and
 * perf_event_output, as upstream.
 *
 * Return: the prototype, or NULL when the call is not allowed.
 */
const struct kbpf_helper_proto *kbpf_helper_proto(u32 prog_type, s32 id)
{
	if (id < 0 || (u32)id >= ARRAY_SIZE(protos) || !protos[id].name)
		return NULL;
	if (kbpf_helper_needs_function(prog_type, id))
		return NULL;
	if (is_tracing(prog_type) && !is_packet_helper(id) &&
	    !is_nmi_unsafe_helper(id))
		return &protos[id];
	if (prog_type == BPF_PROG_TYPE_SOCKET_FILTER &&
	    (is_base_helper(id) || is_packet_helper(id) ||
	     id == BPF_FUNC_perf_event_output))
		return &protos[id];
	return NULL;
}
