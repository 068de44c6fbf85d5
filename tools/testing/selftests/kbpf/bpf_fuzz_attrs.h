/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_fuzz's attrs: for each command a valid-looking attr built from the
 * table's fds, the list of its fields with what kind of value each holds
 * (so that exactly one can be bent: an fd of the wrong type, a size off by
 * one, a pointer nobody mapped), map sizes, and sanitize_attr(), which
 * every attr passes, random or not, on its way into the kernel.
 */
#ifndef KBPF_BPF_FUZZ_ATTRS_H
#define KBPF_BPF_FUZZ_ATTRS_H

#include <stdio.h>
#include <stdlib.h>
#include <linux/perf_event.h>

#include "bpf_fuzz.h"
#include "bpf_fuzz_progs.h"

/* Addresses that are never mapped here: low, kernel, non-canonical. */
static const __u64 bad_ptrs[] = {
	0, 0x1000, 0xdead0000, 0xffff888000000000ULL, 0x8000000000000000ULL,
};

static int table_pick_fd(struct worker *w, int kind);
static int own_id(__u32 kind, __u32 id);

/*
 * Program types the fuzzer loads: none of them can be attached to a
 * hook that changes what the rest of the machine does (no flow
 * dissector, netfilter, LSM, struct_ops, fmod_ret, syscall programs),
 * and the cgroup ones need a cgroup fd, which this process never opens.
 */
static const __u32 prog_types[] = {
	BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_SCHED_CLS,
	BPF_PROG_TYPE_TRACEPOINT, BPF_PROG_TYPE_XDP, BPF_PROG_TYPE_PERF_EVENT,
	BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_PROG_TYPE_SCHED_ACT, BPF_PROG_TYPE_CGROUP_SKB,
	BPF_PROG_TYPE_SK_SKB, BPF_PROG_TYPE_SK_MSG, BPF_PROG_TYPE_UNSPEC, 999,
};

/* The types the templates are for: the first seven above. */
#define NR_TEMPLATE_TYPES	7

/*
 * Attach types any attach, detach or link creation may name: perf
 * events, tracepoints and kprobes by symbol, this process's sockmaps,
 * cgroups (never opened here), and numbers no kernel knows. Never an
 * interface (XDP, tcx, netkit), a netns (flow dissector, sk_lookup),
 * netfilter, or uprobes, which would patch other processes' code.
 */
static const __u32 attach_types[] = {
	BPF_PERF_EVENT, BPF_TRACE_RAW_TP, BPF_TRACE_KPROBE_MULTI, BPF_TRACE_KPROBE_SESSION,
	BPF_TRACE_ITER, BPF_SK_SKB_STREAM_PARSER, BPF_SK_SKB_STREAM_VERDICT,
	BPF_SK_MSG_VERDICT, BPF_SK_SKB_VERDICT, BPF_CGROUP_INET_INGRESS,
	BPF_CGROUP_SOCK_OPS, BPF_LIRC_MODE2, 1000, 0xffffffff,
};

static int in_list(const __u32 *list, unsigned int n, __u32 v)
{
	while (n--)
		if (list[n] == v)
			return 1;
	return 0;
}

static __u32 safe_attach_type(__u32 t)
{
	return in_list(attach_types, ARRAY_LEN(attach_types), t) ? t :
	       attach_types[t % ARRAY_LEN(attach_types)];
}

static __u64 round8(__u64 v)
{
	return (v + 7) & ~7ULL;
}

/* Products that stick at ~0 instead of wrapping to a size that looks small. */
static __u64 mul(__u64 a, __u64 b)
{
	return b && a > ~0ULL / b ? ~0ULL : a * b;
}

static __u64 add(__u64 a, __u64 b)
{
	return a + b < a ? ~0ULL : a + b;
}

static __u64 roundup_pow2(__u64 v)
{
	__u64 r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

/*
 * A bloom filter's bit array at its largest: n entries times up to 15
 * hash functions times 7/5 bits, to a power of 2; past 2^31 bits the
 * kernel does not refuse but takes 2^32 bits (512 MiB), whatever n is.
 */
static __u64 bloom_bytes(__u64 n)
{
	__u64 bits = mul(n, 21);

	return (bits > (1ULL << 31) ? 1ULL << 32 : roundup_pow2(bits)) / 8;
}

/*
 * Bytes a map of these sizes holds from its creation on, over-reckoned
 * (per-element headers, per-CPU copies); 0 for the types that allocate
 * as elements come.
 */
static __u64 map_est(__u32 type, __u64 k, __u64 v, __u64 n, __u32 flags)
{
	__u64 cpus = env.ncpus, elem = round8(k) + round8(v) + 64;
	__u64 buckets = mul(roundup_pow2(n), 16);
	int prealloc = !(flags & BPF_F_NO_PREALLOC);

	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return add(buckets, prealloc ? mul(n, elem) : 0);
	case BPF_MAP_TYPE_LRU_HASH:
		return add(buckets, mul(n, elem));
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return add(buckets, prealloc ? mul(n, add(elem, mul(round8(v), cpus))) : 0);
	case BPF_MAP_TYPE_ARRAY:
		return add(mul(n, round8(v)), PAGE);
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return mul(n, add(8, mul(round8(v), cpus)));
	case BPF_MAP_TYPE_STACK_TRACE:
		return add(mul(roundup_pow2(n), 8), mul(n, v + 64));
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return mul(n + 1, v);
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		return n + 4 * PAGE;
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return add(bloom_bytes(n), PAGE);
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_SOCKHASH:
		return buckets;
	case BPF_MAP_TYPE_LPM_TRIE:
	case BPF_MAP_TYPE_ARENA:
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case BPF_MAP_TYPE_CGRP_STORAGE:
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return 0;
	default:
		/* Arrays of fds and pointers, and anything unknown. */
		return n * 8;
	}
}

/*
 * Sizes a kernel refuses by arithmetic alone, before allocating: hash
 * tables and stack maps past 2^31 entries, queues of 4 GiB, ring buffers
 * not a power-of-2 pages, cpumaps past NR_CPUS.
 */
static int map_refused(__u32 type, __u64 v, __u64 n)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_STACK_TRACE:
		return n > (1ULL << 31);
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return v && n >= 0xffffffffULL / v;
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		return n < PAGE || (n & (n - 1));
	case BPF_MAP_TYPE_CPUMAP:
		return n > 8192;
	default:
		return 0;
	}
}

/*
 * The first allocation of a map's creation, which vmalloc() refuses at
 * once when it is beyond the RAM. What comes after it may be allocated
 * piece by piece (per-CPU elements, ring buffer pages) and so may take
 * all the memory there is before failing: only a first allocation that
 * cannot succeed makes a huge size safe to ask for.
 */
static __u64 map_first_alloc(__u32 type, __u64 v, __u64 n)
{
	switch (type) {
	case BPF_MAP_TYPE_ARRAY:
		return mul(n, round8(v));
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_SOCKHASH:
		return mul(roundup_pow2(n), 16);
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return mul(n + 1, v);
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		return 0;
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return bloom_bytes(n);
	default:
		return map_est(type, 0, v, n, 0) ? n * 8 : 0;
	}
}

static __u64 live_map_bytes(void);

static int map_must_fail(const union bpf_attr *a)
{
	return map_refused(a->map_type, a->value_size, a->max_entries) ||
	       map_first_alloc(a->map_type, a->value_size, a->max_entries) >= env.huge_bytes;
}

/*
 * A map creation may ask for little (it fits the budget) or for more
 * than the machine has in its first allocation (it must fail, and at
 * once); never for a size in between, which a kernel might grant by
 * taking the memory others need. Those get the largest max_entries and a
 * page of value, or, where even that is not sure to fail at once, none.
 * Returns 1 for a size that must fail.
 */
static int map_gate(union bpf_attr *a)
{
	__u64 est = map_est(a->map_type, a->key_size, a->value_size, a->max_entries,
			    a->map_flags);

	if (map_must_fail(a))
		return 1;
	if (est <= MAP_CAP && live_map_bytes() + est <= MAP_BUDGET)
		return 0;
	a->max_entries = 0xffffffff;
	if (a->value_size < PAGE)
		a->value_size = PAGE;
	if (map_must_fail(a))
		return 1;
	a->max_entries = 0;
	return 0;
}

/*
 * What every attr goes through before the kernel sees it, whatever made
 * it: no program type or attach type from outside the lists above, no
 * program bytes but the thread's sanitized buffer, no live XDP frames
 * (they would go out on a real interface), no more than 1000 repeats (a
 * long test run looks like a hang), no fd of an object another process
 * made, no struct_ops map. Returns 1 for a map creation that must fail.
 */
static int sanitize_attr(struct worker *w, int cmd, union bpf_attr *a)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
		if (a->map_type == BPF_MAP_TYPE_STRUCT_OPS)
			a->btf_vmlinux_value_type_id = 0;
		return map_gate(a);
	case BPF_PROG_LOAD:
		if (!in_list(prog_types, ARRAY_LEN(prog_types), a->prog_type))
			a->insn_cnt = 0;
		if (a->insns != (uintptr_t)w->insns)
			a->insns = bad_ptrs[a->insns % ARRAY_LEN(bad_ptrs)];
		else
			sanitize_insns(w->insns, a->insn_cnt < MAX_INSNS ? a->insn_cnt : MAX_INSNS);
		break;
	case BPF_PROG_ATTACH:
	case BPF_PROG_DETACH:
		a->attach_type = safe_attach_type(a->attach_type);
		break;
	case BPF_LINK_CREATE:
		a->link_create.attach_type = safe_attach_type(a->link_create.attach_type);
		break;
	case BPF_PROG_TEST_RUN:
		a->test.flags &= ~BPF_F_TEST_XDP_LIVE_FRAMES;
		a->test.repeat %= 1001;
		break;
	case BPF_MAP_GET_FD_BY_ID:
		/*
		 * Not a prog array, either: upstream's deferred clearing of
		 * one (prog_array_map_clear()) takes a reference each time
		 * the last user reference goes, but queues its work only
		 * once; a prog array opened by id again and closed before
		 * that work ran is never freed, on any kernel so far.
		 */
		if (!own_id(K_MAP, a->map_id) || own_id(K_PROG_ARRAY_IDS, a->map_id))
			a->map_id = a->map_id & 1 ? 0 : ~0U;
		break;
	case BPF_PROG_GET_FD_BY_ID:
		if (!own_id(K_PROG, a->prog_id))
			a->prog_id = a->prog_id & 1 ? 0 : ~0U;
		break;
	case BPF_LINK_GET_FD_BY_ID:
		if (!own_id(K_LINK, a->link_id))
			a->link_id = a->link_id & 1 ? 0 : ~0U;
		break;
	case BPF_BTF_GET_FD_BY_ID:
		if (!own_id(K_BTF, a->btf_id))
			a->btf_id = a->btf_id & 1 ? 0 : ~0U;
		break;
	}
	return 0;
}

/* Kinds of field, for bending one. */
enum field_kind { FK_FD, FK_FLAGS, FK_SIZE, FK_PTR, FK_COUNT, FK_TYPE, FK_ID, FK_NAME };

struct field {
	__u16 off;
	__u8 size;
	__u8 kind;
};

#define F(m, k)	{ offsetof(union bpf_attr, m), sizeof(((union bpf_attr *)0)->m), k }

static const struct field f_map_create[] = {
	F(map_type, FK_TYPE), F(key_size, FK_SIZE), F(value_size, FK_SIZE),
	F(max_entries, FK_COUNT), F(map_flags, FK_FLAGS), F(inner_map_fd, FK_FD),
	F(numa_node, FK_COUNT), F(map_name, FK_NAME), F(map_ifindex, FK_COUNT),
	F(btf_fd, FK_FD), F(btf_key_type_id, FK_ID), F(btf_value_type_id, FK_ID),
	F(map_extra, FK_FLAGS), F(map_token_fd, FK_FD),
};

static const struct field f_elem[] = {
	F(map_fd, FK_FD), F(key, FK_PTR), F(value, FK_PTR), F(flags, FK_FLAGS),
};

static const struct field f_batch[] = {
	F(batch.in_batch, FK_PTR), F(batch.out_batch, FK_PTR), F(batch.keys, FK_PTR),
	F(batch.values, FK_PTR), F(batch.count, FK_COUNT), F(batch.map_fd, FK_FD),
	F(batch.elem_flags, FK_FLAGS), F(batch.flags, FK_FLAGS),
};

static const struct field f_prog_load[] = {
	F(prog_type, FK_TYPE), F(insn_cnt, FK_COUNT), F(license, FK_PTR),
	F(log_level, FK_FLAGS), F(log_size, FK_SIZE), F(log_buf, FK_PTR),
	F(kern_version, FK_ID), F(prog_flags, FK_FLAGS), F(prog_name, FK_NAME),
	F(prog_ifindex, FK_COUNT), F(expected_attach_type, FK_TYPE),
	F(prog_btf_fd, FK_FD), F(func_info_rec_size, FK_SIZE), F(func_info, FK_PTR),
	F(func_info_cnt, FK_COUNT), F(line_info_cnt, FK_COUNT), F(attach_btf_id, FK_ID),
	F(attach_prog_fd, FK_FD), F(fd_array, FK_PTR), F(log_true_size, FK_SIZE),
	F(prog_token_fd, FK_FD),
};

static const struct field f_obj[] = {
	F(pathname, FK_PTR), F(bpf_fd, FK_FD), F(file_flags, FK_FLAGS), F(path_fd, FK_FD),
};

static const struct field f_attach[] = {
	F(target_fd, FK_FD), F(attach_bpf_fd, FK_FD), F(attach_type, FK_TYPE),
	F(attach_flags, FK_FLAGS), F(replace_bpf_fd, FK_FD), F(relative_fd, FK_FD),
	F(expected_revision, FK_COUNT),
};

static const struct field f_test[] = {
	F(test.prog_fd, FK_FD), F(test.data_size_in, FK_SIZE), F(test.data_size_out, FK_SIZE),
	F(test.data_in, FK_PTR), F(test.data_out, FK_PTR), F(test.repeat, FK_COUNT),
	F(test.ctx_size_in, FK_SIZE), F(test.ctx_size_out, FK_SIZE), F(test.ctx_in, FK_PTR),
	F(test.ctx_out, FK_PTR), F(test.flags, FK_FLAGS), F(test.cpu, FK_COUNT),
	F(test.batch_size, FK_COUNT),
};

static const struct field f_ids[] = {
	F(start_id, FK_ID), F(next_id, FK_ID), F(open_flags, FK_FLAGS),
};

static const struct field f_info[] = {
	F(info.bpf_fd, FK_FD), F(info.info_len, FK_SIZE), F(info.info, FK_PTR),
};

static const struct field f_query[] = {
	F(query.target_fd, FK_FD), F(query.attach_type, FK_TYPE),
	F(query.query_flags, FK_FLAGS), F(query.prog_ids, FK_PTR), F(query.prog_cnt, FK_COUNT),
	F(query.prog_attach_flags, FK_PTR), F(query.link_ids, FK_PTR),
};

static const struct field f_raw_tp[] = {
	F(raw_tracepoint.name, FK_PTR), F(raw_tracepoint.prog_fd, FK_FD),
	F(raw_tracepoint.cookie, FK_FLAGS),
};

static const struct field f_btf[] = {
	F(btf, FK_PTR), F(btf_log_buf, FK_PTR), F(btf_size, FK_SIZE), F(btf_log_size, FK_SIZE),
	F(btf_log_level, FK_FLAGS), F(btf_flags, FK_FLAGS), F(btf_token_fd, FK_FD),
};

static const struct field f_task_fd[] = {
	F(task_fd_query.pid, FK_ID), F(task_fd_query.fd, FK_FD), F(task_fd_query.flags, FK_FLAGS),
	F(task_fd_query.buf_len, FK_SIZE), F(task_fd_query.buf, FK_PTR),
};

static const struct field f_link_create[] = {
	F(link_create.prog_fd, FK_FD), F(link_create.target_fd, FK_FD),
	F(link_create.attach_type, FK_TYPE), F(link_create.flags, FK_FLAGS),
	F(link_create.kprobe_multi.flags, FK_FLAGS), F(link_create.kprobe_multi.cnt, FK_COUNT),
	F(link_create.kprobe_multi.syms, FK_PTR), F(link_create.kprobe_multi.addrs, FK_PTR),
	F(link_create.kprobe_multi.cookies, FK_PTR),
};

static const struct field f_link_update[] = {
	F(link_update.link_fd, FK_FD), F(link_update.new_prog_fd, FK_FD),
	F(link_update.flags, FK_FLAGS), F(link_update.old_prog_fd, FK_FD),
};

static const struct field f_misc[] = {
	F(link_detach.link_fd, FK_FD), F(prog_bind_map.map_fd, FK_FD),
	F(prog_bind_map.flags, FK_FLAGS),
};

static const struct {
	const struct field *f;
	unsigned int n;
} cmd_fields[__MAX_BPF_CMD] = {
	[BPF_MAP_CREATE] = { f_map_create, ARRAY_LEN(f_map_create) },
	[BPF_MAP_LOOKUP_ELEM] = { f_elem, ARRAY_LEN(f_elem) },
	[BPF_MAP_UPDATE_ELEM] = { f_elem, ARRAY_LEN(f_elem) },
	[BPF_MAP_DELETE_ELEM] = { f_elem, ARRAY_LEN(f_elem) },
	[BPF_MAP_GET_NEXT_KEY] = { f_elem, ARRAY_LEN(f_elem) },
	[BPF_PROG_LOAD] = { f_prog_load, ARRAY_LEN(f_prog_load) },
	[BPF_OBJ_PIN] = { f_obj, ARRAY_LEN(f_obj) },
	[BPF_OBJ_GET] = { f_obj, ARRAY_LEN(f_obj) },
	[BPF_PROG_ATTACH] = { f_attach, ARRAY_LEN(f_attach) },
	[BPF_PROG_DETACH] = { f_attach, ARRAY_LEN(f_attach) },
	[BPF_PROG_TEST_RUN] = { f_test, ARRAY_LEN(f_test) },
	[BPF_PROG_GET_NEXT_ID] = { f_ids, ARRAY_LEN(f_ids) },
	[BPF_MAP_GET_NEXT_ID] = { f_ids, ARRAY_LEN(f_ids) },
	[BPF_PROG_GET_FD_BY_ID] = { f_ids, ARRAY_LEN(f_ids) },
	[BPF_MAP_GET_FD_BY_ID] = { f_ids, ARRAY_LEN(f_ids) },
	[BPF_OBJ_GET_INFO_BY_FD] = { f_info, ARRAY_LEN(f_info) },
	[BPF_PROG_QUERY] = { f_query, ARRAY_LEN(f_query) },
	[BPF_RAW_TRACEPOINT_OPEN] = { f_raw_tp, ARRAY_LEN(f_raw_tp) },
	[BPF_BTF_LOAD] = { f_btf, ARRAY_LEN(f_btf) },
	[BPF_BTF_GET_FD_BY_ID] = { f_ids, ARRAY_LEN(f_ids) },
	[BPF_TASK_FD_QUERY] = { f_task_fd, ARRAY_LEN(f_task_fd) },
	[BPF_MAP_LOOKUP_AND_DELETE_ELEM] = { f_elem, ARRAY_LEN(f_elem) },
	[BPF_MAP_FREEZE] = { f_elem, ARRAY_LEN(f_elem) },
	[BPF_BTF_GET_NEXT_ID] = { f_ids, ARRAY_LEN(f_ids) },
	[BPF_MAP_LOOKUP_BATCH] = { f_batch, ARRAY_LEN(f_batch) },
	[BPF_MAP_LOOKUP_AND_DELETE_BATCH] = { f_batch, ARRAY_LEN(f_batch) },
	[BPF_MAP_UPDATE_BATCH] = { f_batch, ARRAY_LEN(f_batch) },
	[BPF_MAP_DELETE_BATCH] = { f_batch, ARRAY_LEN(f_batch) },
	[BPF_LINK_CREATE] = { f_link_create, ARRAY_LEN(f_link_create) },
	[BPF_LINK_UPDATE] = { f_link_update, ARRAY_LEN(f_link_update) },
	[BPF_LINK_GET_FD_BY_ID] = { f_ids, ARRAY_LEN(f_ids) },
	[BPF_LINK_GET_NEXT_ID] = { f_ids, ARRAY_LEN(f_ids) },
	[BPF_ENABLE_STATS] = { f_misc, ARRAY_LEN(f_misc) },
	[BPF_ITER_CREATE] = { f_misc, ARRAY_LEN(f_misc) },
	[BPF_LINK_DETACH] = { f_misc, ARRAY_LEN(f_misc) },
	[BPF_PROG_BIND_MAP] = { f_misc, ARRAY_LEN(f_misc) },
	[BPF_TOKEN_CREATE] = { f_misc, ARRAY_LEN(f_misc) },
};

static __u64 bent_value(struct worker *w, const struct field *f, __u64 cur)
{
	int fd;

	switch (f->kind) {
	case FK_FD:
		switch (below(w, 5)) {
		case 0:
			return -1;
		case 1:
			return 0x7fffffff;
		case 2:
			/* Most likely an fd of another kind than the field's. */
			fd = table_pick_fd(w, below(w, K_NR));
			return fd < 0 ? 0 : fd;
		case 3:
			return env.sock[below(w, 2)];
		default:
			return below(w, 3);
		}
	case FK_FLAGS:
		switch (below(w, 3)) {
		case 0:
			return cur ^ (1ULL << below(w, f->size * 8));
		case 1:
			return ~0ULL;
		default:
			return rnd(w);
		}
	case FK_SIZE:
		switch (below(w, 4)) {
		case 0:
			return 0;
		case 1:
			return cur + 1;
		case 2:
			return cur - 1;
		default:
			return interesting(w);
		}
	case FK_PTR:
		if (chance(w, 20))
			return (uintptr_t)buf_end(w->scratch, 1 + below(w, 8));
		return bad_ptrs[below(w, ARRAY_LEN(bad_ptrs))];
	case FK_TYPE:
		return chance(w, 70) ? below(w, 70) : interesting(w);
	case FK_ID:
		return chance(w, 50) ? cur + 1 : interesting(w);
	default:
		return chance(w, 50) ? below(w, 16) : interesting(w);
	}
}

/* Exactly one field of a valid-looking attr gets a wrong value. */
static void bend_one(struct worker *w, int cmd, union bpf_attr *a)
{
	const struct field *f;
	__u64 cur = 0, v;
	char *p = (char *)a;
	unsigned int i;

	if (cmd >= __MAX_BPF_CMD || !cmd_fields[cmd].n)
		return;
	f = &cmd_fields[cmd].f[below(w, cmd_fields[cmd].n)];
	if (f->kind == FK_NAME) {
		for (i = 0; i < f->size; i++)
			p[f->off + i] = rnd(w);
		return;
	}
	memcpy(&cur, p + f->off, f->size);
	v = bent_value(w, f, cur);
	memcpy(p + f->off, &v, f->size);
}

#endif /* KBPF_BPF_FUZZ_ATTRS_H */
