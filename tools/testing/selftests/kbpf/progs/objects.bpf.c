// SPDX-License-Identifier: GPL-2.0
/*
 * Programs for libbpf_objects: what clang makes of ordinary BPF C, loaded
 * by libbpf. Maps are defined in SEC(".maps") and global data lives in
 * .rodata, .data and .bss, so libbpf creates every map and rewrites every
 * map reference itself. Only socket filters and raw tracepoint programs,
 * which BPF_PROG_TEST_RUN can run without attaching anything.
 *
 * No CO-RE and no kernel BTF: the object's own BTF only tells libbpf how
 * the maps look, and the programs must load where the kernel takes none.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "objects.h"

/*
 * BPF_LD_ABS, which clang emits for this builtin: socket filters may
 * not read packet data through pointers, and no helper is needed.
 */
unsigned long long load_byte(void *skb, unsigned long long off)
	asm("llvm.bpf.load.byte");

/*
 * Not const: clang folds a const variable's initializer into the code,
 * and the loader replaces these values before load. The section name is
 * what makes libbpf create the map read-only for programs and freeze it.
 */
struct obj_consts cfg SEC(".rodata") = {
	.scale = OBJ_DEFAULT_SCALE,
	.stride = OBJ_DEFAULT_STRIDE,
	.bias = OBJ_DEFAULT_BIAS,
};

struct obj_state state = {
	.seed = OBJ_INITIAL_SEED,
};

struct obj_out out;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OBJ_HASH_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OBJ_ARRAY_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, OBJ_QUEUE_MAX);
	__type(value, __u64);
} fifo SEC(".maps");

/* Counts packets by their first byte after the Ethernet header. */
SEC("socket")
int count_proto(struct __sk_buff *skb)
{
	__u32 key = load_byte(skb, 0);
	__u64 one = 1;
	__u64 *count;

	__sync_fetch_and_add(&out.runs, 1);
	count = bpf_map_lookup_elem(&counts, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return *count;
	}
	/* Two CPUs may both miss; the loser's NOEXIST leaves the winner's. */
	bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	return 1;
}

/* Writes seed + i * stride + len to every slot; returns their sum. */
SEC("socket")
int fill_array(struct __sk_buff *skb)
{
	__u64 sum = 0;
	__u32 i;

	for (i = 0; i < OBJ_ARRAY_SLOTS; i++) {
		__u32 key = i;
		__u64 *slot = bpf_map_lookup_elem(&slots, &key);

		if (!slot)
			return 0;
		*slot = state.seed + i * cfg.stride + skb->len;
		sum += *slot;
	}
	state.fills++;
	return sum;
}

SEC("socket")
int percpu_hits(struct __sk_buff *skb)
{
	__u32 key = OBJ_PCPU_HITS;
	__u64 *val;

	/* Per-CPU values need no atomics: each CPU has its own copy. */
	val = bpf_map_lookup_elem(&pcpu, &key);
	if (!val)
		return 0;
	*val += 1;
	key = OBJ_PCPU_BYTES;
	val = bpf_map_lookup_elem(&pcpu, &key);
	if (!val)
		return 0;
	*val += skb->len;
	out.cpu = bpf_get_smp_processor_id();
	return 1;
}

/*
 * Drains the queue, then pushes the sum of what it popped (times scale)
 * and how many values that was. Returns the count.
 */
SEC("socket")
int queue_io(struct __sk_buff *skb)
{
	__u64 sum = 0, n = 0, val;
	int i;

	if (!bpf_map_peek_elem(&fifo, &val))
		out.peeked = val;
	for (i = 0; i < OBJ_QUEUE_DRAIN; i++) {
		if (bpf_map_pop_elem(&fifo, &val))
			break;
		sum += val;
		n++;
	}
	val = sum * cfg.scale;
	bpf_map_push_elem(&fifo, &val, 0);
	bpf_map_push_elem(&fifo, &n, 0);
	return n;
}

SEC("socket")
int tail_one(struct __sk_buff *skb)
{
	return OBJ_TAIL_ONE_RET;
}

/*
 * Slot 0 is filled by libbpf from this initializer at load time; the
 * loader puts tail_two in slot 1 itself, and slots 2 and 3 stay empty.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, OBJ_TAIL_SLOTS);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = {
		[0] = (void *)&tail_one,
	},
};

/* Counts itself, then chains on to slot 0. */
SEC("socket")
int tail_two(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&out.tail_hits, 1);
	bpf_tail_call(skb, &jumps, 0);
	return OBJ_TAIL_MISSED;
}

/* Jumps to the slot that the packet's second payload byte names. */
SEC("socket")
int tail_entry(struct __sk_buff *skb)
{
	__u32 index = load_byte(skb, 1);

	bpf_tail_call(skb, &jumps, index);
	return OBJ_TAIL_MISSED;
}

/*
 * __noinline keeps these as bpf-to-bpf calls, two deep. They live apart
 * from the tail calls and LD_ABS above: a stock kernel refuses LD_ABS in
 * a program with calls, and tail calls there unless the JIT supports them.
 */
static __noinline __u64 square(__u64 x)
{
	return x * x;
}

static __noinline __u64 weigh(__u64 a, __u64 b)
{
	return square(a) + square(b) * cfg.scale + cfg.bias;
}

/* Returns weigh(arg0, arg1) truncated; the whole value goes to .bss. */
SEC("raw_tp/kbpf_calls")
int calls(__u64 *ctx)
{
	out.calls_result = weigh(ctx[0], ctx[1]);
	return out.calls_result;
}

SEC("raw_tp/kbpf_args")
int sum_args(__u64 *ctx)
{
	__u64 sum = 0;
	int i;

	/* Unrolled: a raw tracepoint's context is read at constant offsets. */
#pragma unroll
	for (i = 0; i < OBJ_RAW_TP_ARGS; i++)
		sum += ctx[i];
	out.args_sum = sum;
	return sum;
}

SEC("socket")
int stamp(struct __sk_buff *skb)
{
	out.now_ns = bpf_ktime_get_ns();
	out.random = bpf_get_prandom_u32();
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
