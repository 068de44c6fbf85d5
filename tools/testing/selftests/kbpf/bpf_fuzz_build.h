/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_fuzz's valid-looking attrs, one builder per command: the fds come
 * from the table, the buffers from the thread's scratch (out buffers end
 * at a guard), the sizes from what the table says of the map.
 */
#ifndef KBPF_BPF_FUZZ_BUILD_H
#define KBPF_BPF_FUZZ_BUILD_H

#include <stdio.h>
#include <unistd.h>
#include <linux/btf.h>

#include "bpf_fuzz.h"
#include "bpf_fuzz_attrs.h"

static const __u32 map_flag_bits[] = {
	BPF_F_NO_PREALLOC, BPF_F_NO_COMMON_LRU, BPF_F_NUMA_NODE, BPF_F_RDONLY,
	BPF_F_WRONLY, BPF_F_STACK_BUILD_ID, BPF_F_ZERO_SEED, BPF_F_RDONLY_PROG,
	BPF_F_WRONLY_PROG, BPF_F_CLONE, BPF_F_MMAPABLE, BPF_F_PRESERVE_ELEMS,
	BPF_F_INNER_MAP, BPF_F_LINK, BPF_F_PATH_FD, BPF_F_VTYPE_BTF_OBJ_FD,
	BPF_F_TOKEN_FD, BPF_F_SEGV_ON_FAULT, BPF_F_NO_USER_CONV,
};

/* Mostly small sizes, sometimes bigger ones. */
static __u32 pick_size(struct worker *w, __u32 big)
{
	static const __u32 small[] = { 1, 2, 4, 8, 12, 16, 32, 64 };

	if (chance(w, 85))
		return small[below(w, ARRAY_LEN(small))];
	return 1 + below(w, big);
}

/* Sizes a map of this type takes, flags it often has. */
static void map_shape(struct worker *w, union bpf_attr *a)
{
	__u32 t = a->map_type;

	a->key_size = 4;
	a->value_size = pick_size(w, 4096);
	a->max_entries = chance(w, 90) ? 1 + below(w, 256) : 1 + below(w, 65536);
	switch (t) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		a->key_size = pick_size(w, 512);
		if (chance(w, 30))
			a->map_flags |= t <= BPF_MAP_TYPE_PERCPU_HASH ? BPF_F_NO_PREALLOC :
					BPF_F_NO_COMMON_LRU;
		break;
	case BPF_MAP_TYPE_ARRAY:
		if (chance(w, 30))
			a->map_flags |= BPF_F_MMAPABLE;
		break;
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
	case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
	case BPF_MAP_TYPE_DEVMAP_HASH:
		a->value_size = 4;
		a->max_entries = 1 + below(w, 64);
		break;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		a->value_size = 4;
		a->inner_map_fd = table_pick_fd(w, K_MAP);
		break;
	case BPF_MAP_TYPE_STACK_TRACE:
		a->value_size = 8 * (1 + below(w, 127));
		break;
	case BPF_MAP_TYPE_LPM_TRIE:
		a->key_size = 4 + (chance(w, 50) ? 4 : 16);
		a->map_flags |= BPF_F_NO_PREALLOC;
		break;
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
	case BPF_MAP_TYPE_BLOOM_FILTER:
		a->key_size = 0;
		a->map_extra = t == BPF_MAP_TYPE_BLOOM_FILTER ? below(w, 16) : 0;
		break;
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		a->key_size = 0;
		a->value_size = 0;
		a->max_entries = PAGE << below(w, 9);
		break;
	case BPF_MAP_TYPE_ARENA:
		a->key_size = 0;
		a->value_size = 0;
		a->max_entries = 1 + below(w, 1024);
		a->map_flags |= BPF_F_MMAPABLE;
		break;
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case BPF_MAP_TYPE_CGRP_STORAGE:
		a->max_entries = 0;
		a->map_flags |= BPF_F_NO_PREALLOC;
		break;
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		a->key_size = chance(w, 50) ? 8 : 12;
		a->max_entries = 0;
		break;
	}
}

/*
 * Type ids and string offsets of the BTF template below, which maps and
 * programs name when they are given a BTF fd.
 */
enum { BTF_INT_ID = 1, BTF_PROTO_ID, BTF_FUNC_ID, BTF_NR_IDS };
enum { BTF_STR_FILE = 7, BTF_STR_LINE = 11 };

/*
 * A small BTF: [1] a 32-bit int, [2] a function prototype returning it,
 * [3] a function "f" of that prototype; then the strings of a file name
 * and a source line for line_info. Half the time one byte is changed or
 * the whole blob is random.
 */
static __u32 build_btf(struct worker *w, char *buf)
{
	struct {
		__u16 magic;
		__u8 version, flags;
		__u32 hdr_len, type_off, type_len, str_off, str_len;
		__u32 int_name, int_kind, int_size, int_info;
		__u32 proto_name, proto_kind, proto_ret;
		__u32 func_name, func_kind, func_proto;
		char str[18];
	} btf = {
		.magic = 0xeb9f, .version = 1, .hdr_len = 24, .type_len = 40,
		.str_off = 40, .str_len = sizeof(btf.str),
		.int_name = 1, .int_kind = BTF_KIND_INT << 24, .int_size = 4, .int_info = 32,
		.proto_kind = BTF_KIND_FUNC_PROTO << 24, .proto_ret = BTF_INT_ID,
		.func_name = 5, .func_kind = BTF_KIND_FUNC << 24, .func_proto = BTF_PROTO_ID,
		.str = "\0int\0f\0a.c\0r0 = 0",
	};
	__u32 i, size = offsetof(typeof(btf), str) + sizeof(btf.str);

	memcpy(buf, &btf, size);
	if (chance(w, 50)) {
		buf[below(w, size)] = rnd(w);
	} else if (chance(w, 50)) {
		size = below(w, 512);
		for (i = 0; i < size; i++)
			buf[i] = rnd(w);
	}
	return size;
}

/*
 * Sometimes a program names a BTF object and gives the template's
 * function and line for its first instruction: these hold the BTF
 * object for the program's life, and a template with subprograms is
 * refused for having too few records.
 */
static void prog_btf(struct worker *w, union bpf_attr *a)
{
	__u32 *rec = (__u32 *)(w->scratch + 67 * PAGE);

	a->prog_btf_fd = table_pick_fd(w, K_BTF);
	rec[0] = 0;
	rec[1] = chance(w, 90) ? BTF_FUNC_ID : below(w, BTF_NR_IDS);
	a->func_info = (uintptr_t)rec;
	a->func_info_rec_size = 8;
	a->func_info_cnt = 1;
	if (chance(w, 50))
		return;
	rec += 2;
	rec[0] = 0;
	rec[1] = BTF_STR_FILE;
	rec[2] = BTF_STR_LINE;
	rec[3] = 1 << 10 | 1;
	a->line_info = (uintptr_t)rec;
	a->line_info_rec_size = 16;
	a->line_info_cnt = 1;
}

static void build_map_create(struct worker *w, union bpf_attr *a, struct entry *res)
{
	a->map_type = below(w, __MAX_BPF_MAP_TYPE);
	if (chance(w, 5))
		a->map_type = __MAX_BPF_MAP_TYPE + below(w, 3);
	map_shape(w, a);
	if (chance(w, 20))
		a->map_flags |= map_flag_bits[below(w, ARRAY_LEN(map_flag_bits))];
	if (a->map_flags & BPF_F_NUMA_NODE)
		a->numa_node = below(w, 2);
	if (chance(w, 50))
		snprintf(a->map_name, sizeof(a->map_name), "fz%u_%u", w->idx, below(w, 1000));
	/* The template's int as key and value, or other ids of it. */
	if (chance(w, 15)) {
		a->btf_fd = table_pick_fd(w, K_BTF);
		a->btf_key_type_id = chance(w, 70) ? BTF_INT_ID : below(w, BTF_NR_IDS);
		a->btf_value_type_id = chance(w, 70) ? BTF_INT_ID : below(w, BTF_NR_IDS);
	}
	/* Far more than the machine has: must fail, and must not OOM-kill. */
	if (chance(w, 5)) {
		a->max_entries = chance(w, 50) ? 0xffffffff : 1U << (28 + below(w, 4));
		if (chance(w, 50))
			a->value_size = 1 << (12 + below(w, 9));
	}
	res->kind = K_MAP;
}

/* A value a map of @m's type takes: fds of the right kind, ifindex, qsize. */
static void map_value(struct worker *w, const struct entry *m, void *val, __u32 size)
{
	__u32 v;

	switch (m->type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
		v = table_pick_fd(w, K_PROG);
		break;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		v = table_pick_fd(w, K_MAP);
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		v = table_pick_fd(w, K_PERF);
		break;
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
		v = env.sock[below(w, 2)];
		break;
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
		v = 1;	/* lo: only XDP redirects, which test runs keep local */
		break;
	case BPF_MAP_TYPE_CPUMAP:
		v = 64 << below(w, 3);
		break;
	default:
		return;
	}
	if (size >= 4)
		memcpy(val, &v, 4);
}

/* Bytes of a value as bpf(2) moves it: per-CPU values for every CPU. */
static __u32 value_bytes(const struct entry *m)
{
	switch (m->type) {
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return round8(m->value_size) * env.ncpus;
	default:
		return m->value_size;
	}
}

static const __u64 elem_flags[] = {
	BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK, BPF_F_LOCK | BPF_EXIST,
};

/*
 * Where an element command's key and value start in the scratch. A map
 * made from random attrs may have keys or values of megabytes: the
 * fuzzer writes no further than the scratch goes, and the kernel reads
 * on into what is there, or into the guard (EFAULT).
 */
#define KEY_AREA	(PAGE * 4)
#define VALUE_AREA	(PAGE * 64)

static size_t fill_len(size_t want, size_t room)
{
	return want < room ? want : room;
}

/* Key from the scratch's input part: an index in range, or random bytes. */
static void *make_key(struct worker *w, const struct entry *m)
{
	size_t at = PAGE * below(w, KEY_AREA / PAGE);
	__u32 *key = (__u32 *)(w->scratch + at);

	memset(key, 0, fill_len(round8(m->key_size) + 8, VALUE_AREA - at));
	if (chance(w, 80))
		*key = below(w, m->max_entries + 2);
	else
		*key = rnd(w);
	return key;
}

static void build_elem(struct worker *w, int cmd, union bpf_attr *a)
{
	struct entry m;
	void *val;
	__u32 vsize;

	if (table_pick(w, K_MAP, 0, 0, 0, &m)) {
		a->map_fd = table_pick_fd(w, K_NR);
		return;
	}
	a->map_fd = m.fd;
	vsize = value_bytes(&m);
	if (cmd != BPF_MAP_GET_NEXT_KEY || chance(w, 80))
		a->key = (uintptr_t)make_key(w, &m);
	switch (cmd) {
	case BPF_MAP_UPDATE_ELEM:
		val = w->scratch + VALUE_AREA;
		vsize = fill_len(vsize, SCRATCH_SIZE - VALUE_AREA);
		memset(val, (int)below(w, 256), vsize);
		map_value(w, &m, val, vsize);
		a->value = (uintptr_t)val;
		a->flags = chance(w, 90) ? elem_flags[below(w, ARRAY_LEN(elem_flags))] : rnd(w);
		break;
	case BPF_MAP_GET_NEXT_KEY:
		a->next_key = (uintptr_t)buf_end(w->scratch2, m.key_size);
		break;
	case BPF_MAP_LOOKUP_ELEM:
	case BPF_MAP_LOOKUP_AND_DELETE_ELEM:
		a->value = (uintptr_t)buf_end(w->scratch2, vsize);
		a->flags = chance(w, 80) ? 0 : BPF_F_LOCK;
		break;
	}
}

static void build_batch(struct worker *w, int cmd, union bpf_attr *a)
{
	__u32 count = chance(w, 90) ? 1 + below(w, 64) : interesting(w);
	__u32 n = count < 4096 ? count : 4096;
	struct entry m;
	__u32 vsize;

	if (table_pick(w, K_MAP, 0, 0, 0, &m)) {
		a->batch.map_fd = table_pick_fd(w, K_NR);
		return;
	}
	vsize = value_bytes(&m);
	a->batch.map_fd = m.fd;
	a->batch.count = count;
	if (cmd == BPF_MAP_UPDATE_BATCH || cmd == BPF_MAP_DELETE_BATCH) {
		/* Inputs: keys in range, values of the pattern the map takes. */
		__u32 *keys = (__u32 *)w->scratch, i;
		char *vals = w->scratch + SCRATCH_SIZE / 2;

		memset(keys, 0, fill_len((size_t)n * m.key_size + 8, SCRATCH_SIZE / 2));
		for (i = 0; i < n && m.key_size >= 4 &&
		     (size_t)(i + 1) * m.key_size <= SCRATCH_SIZE / 2; i++)
			keys[i * m.key_size / 4] = below(w, m.max_entries + 1);
		if ((size_t)n * vsize <= SCRATCH_SIZE / 2) {
			memset(vals, (int)below(w, 256), (size_t)n * vsize);
			if (vsize)
				map_value(w, &m, vals, vsize);
		}
		a->batch.keys = (uintptr_t)keys;
		a->batch.values = (uintptr_t)vals;
	} else {
		a->batch.keys = (uintptr_t)buf_end(w->scratch, (size_t)n * m.key_size);
		a->batch.values = (uintptr_t)buf_end(w->scratch2, (size_t)n * vsize);
		/* The batch token is a key: at the start of the out buffer's page. */
		a->batch.out_batch = (uintptr_t)w->scratch2;
		if (chance(w, 30))
			a->batch.in_batch = (uintptr_t)w->scratch2;
	}
	a->batch.elem_flags = chance(w, 90) ? 0 : BPF_F_LOCK;
}

/* The program types the templates are for, sometimes another one. */
static __u32 pick_prog_type(struct worker *w)
{
	if (chance(w, 90))
		return prog_types[below(w, NR_TEMPLATE_TYPES)];
	return prog_types[below(w, ARRAY_LEN(prog_types))];
}

static void build_prog_load(struct worker *w, union bpf_attr *a, struct entry *res,
			    enum prog_origin *origin)
{
	static const __u32 log_sizes[] = { 1, 2, 7, 15, 20, 127, 128, 1024, 65536 };
	static const __u32 prog_flags[] = {
		BPF_F_STRICT_ALIGNMENT, BPF_F_ANY_ALIGNMENT, BPF_F_TEST_RND_HI32,
		BPF_F_TEST_STATE_FREQ, BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS,
	};
	__u32 type = pick_prog_type(w);

	a->prog_type = type;
	a->insn_cnt = gen_prog(w, type, origin);
	a->insns = (uintptr_t)w->insns;
	a->license = (uintptr_t)(chance(w, 95) ? "GPL" : "Proprietary");
	if (chance(w, 30)) {
		a->log_level = below(w, 3);
		a->log_size = log_sizes[below(w, ARRAY_LEN(log_sizes))];
		a->log_buf = (uintptr_t)buf_end(w->scratch2, a->log_size);
	}
	if (chance(w, 10))
		a->prog_flags = prog_flags[below(w, ARRAY_LEN(prog_flags))];
	/*
	 * A state at every instruction, or a log of every state, makes the
	 * verifier's time grow with the square of a long program's length:
	 * seconds on the host, minutes in an emulated guest.
	 */
	if (a->insn_cnt > 256) {
		a->prog_flags &= ~BPF_F_TEST_STATE_FREQ;
		if (a->log_level > 1)
			a->log_level = 1;
	}
	if (chance(w, 15))
		prog_btf(w, a);
	if (type == BPF_PROG_TYPE_KPROBE && chance(w, 15))
		a->expected_attach_type = BPF_TRACE_KPROBE_MULTI;
	snprintf(a->prog_name, sizeof(a->prog_name), "fz%u", below(w, 1000));
	res->kind = K_PROG;
	res->type = type;
}

/* Pins are named by kind and number, so that OBJ_GET knows what it gets. */
static const char pin_kind[K_NR] = { 'm', 'p', 'l', 'b', 'e', 'o' };

static void build_obj(struct worker *w, int cmd, union bpf_attr *a, struct entry *res)
{
	char *path = w->scratch + 65 * PAGE;
	int kind = below(w, K_PERF);
	__u32 n;
	int rel;

	if (cmd == BPF_OBJ_PIN) {
		a->bpf_fd = table_pick_fd(w, kind);
		n = __atomic_fetch_add(&stats->pins, 1, __ATOMIC_RELAXED);
	} else {
		n = below(w, stats->pins + 1);
		a->file_flags = chance(w, 70) ? 0 : 1 + below(w, 2);
		res->kind = kind;
	}
	rel = chance(w, 20);
	snprintf(path, PAGE, "%s%s%c%u", rel ? "" : env.pin_dir, rel ? "" : "/",
		 pin_kind[kind], n);
	if (rel) {
		a->file_flags |= BPF_F_PATH_FD;
		a->path_fd = env.pin_dir_fd;
	}
	a->pathname = (uintptr_t)path;
}

/*
 * The fds and attach types that go together: a perf event for the
 * tracing programs, this process's sockmap for the socket ones.
 */
static void build_link_create(struct worker *w, union bpf_attr *a, struct entry *res)
{
	static const char *syms[1];
	struct entry p;

	res->kind = K_LINK;
	if (table_pick(w, K_PROG, 0, 0, 0, &p)) {
		a->link_create.prog_fd = table_pick_fd(w, K_NR);
		a->link_create.attach_type = attach_types[below(w, ARRAY_LEN(attach_types))];
		return;
	}
	a->link_create.prog_fd = p.fd;
	if (p.type == BPF_PROG_TYPE_KPROBE && chance(w, 30)) {
		syms[0] = env.kprobe_sym;
		a->link_create.attach_type = BPF_TRACE_KPROBE_MULTI;
		a->link_create.kprobe_multi.cnt = 1;
		a->link_create.kprobe_multi.syms = (uintptr_t)syms;
		return;
	}
	switch (p.type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		a->link_create.attach_type = BPF_PERF_EVENT;
		a->link_create.target_fd = table_pick_fd(w, K_PERF);
		a->link_create.perf_event.bpf_cookie = rnd(w);
		break;
	default:
		a->link_create.attach_type = attach_types[below(w, ARRAY_LEN(attach_types))];
		a->link_create.target_fd = table_pick_fd(w, K_MAP);
		break;
	}
}

static void build_test_run(struct worker *w, union bpf_attr *a)
{
	static const __u32 data_sizes[] = { 0, 1, 13, 14, 15, 64, 128, 1500, 3000, 4096, 9000 };
	__u32 in = data_sizes[below(w, ARRAY_LEN(data_sizes))];
	__u32 out = chance(w, 70) ? in + 256 : below(w, 64);
	struct entry p;
	__u32 i;

	if (table_pick(w, K_PROG, 0, 0, 0, &p))
		a->test.prog_fd = table_pick_fd(w, K_NR);
	else
		a->test.prog_fd = p.fd;
	for (i = 0; i < in; i += 8)
		*(__u64 *)(w->scratch + i) = rnd(w);
	a->test.data_in = (uintptr_t)w->scratch;
	a->test.data_size_in = in;
	a->test.data_out = (uintptr_t)buf_end(w->scratch2, out);
	a->test.data_size_out = out;
	a->test.repeat = chance(w, 70) ? below(w, 4) : below(w, 1001);
	if (chance(w, 30)) {
		/* A zeroed context of a plausible size: __sk_buff, xdp_md, raw args. */
		__u32 ctx = chance(w, 50) ? 8 * (1 + below(w, 24)) : 24;

		memset(w->scratch + SCRATCH_SIZE / 2, 0, ctx);
		a->test.ctx_in = (uintptr_t)(w->scratch + SCRATCH_SIZE / 2);
		a->test.ctx_size_in = ctx;
		if (chance(w, 50)) {
			a->test.ctx_out = (uintptr_t)buf_end(w->scratch, ctx);
			a->test.ctx_size_out = ctx;
		}
	}
	if (chance(w, 10)) {
		a->test.flags = BPF_F_TEST_RUN_ON_CPU;
		a->test.cpu = below(w, env.ncpus + 1);
	}
}

/* The information structs' array pointers, each to an out buffer. */
static void build_info(struct worker *w, union bpf_attr *a)
{
	static const __u32 lens[] = {
		0, 1, 4, 8, sizeof(struct bpf_map_info), sizeof(struct bpf_prog_info),
		sizeof(struct bpf_link_info), sizeof(struct bpf_prog_info) + 8, 4096,
	};
	__u32 len = lens[below(w, ARRAY_LEN(lens))];
	struct bpf_prog_info *info;

	a->info.bpf_fd = table_pick_fd(w, below(w, K_NR));
	a->info.info_len = len;
	info = buf_end(w->scratch2, len);
	memset(info, 0, len);
	a->info.info = (uintptr_t)info;
	if (len >= sizeof(*info) && chance(w, 40)) {
		__u32 n = below(w, 64);

		info->xlated_prog_len = 8 * n;
		info->xlated_prog_insns = (uintptr_t)buf_end(w->scratch, 8 * n);
		info->jited_prog_len = 16 * n;
		info->jited_prog_insns = (uintptr_t)buf_end(w->scratch, 16 * n);
		info->nr_map_ids = below(w, 8);
		info->map_ids = (uintptr_t)buf_end(w->scratch, 4 * info->nr_map_ids);
		info->nr_jited_ksyms = below(w, 4);
		info->jited_ksyms = (uintptr_t)buf_end(w->scratch, 8 * info->nr_jited_ksyms);
		info->nr_jited_func_lens = below(w, 4);
		info->jited_func_lens = (uintptr_t)buf_end(w->scratch,
							   4 * info->nr_jited_func_lens);
	}
}

static void build_ids(struct worker *w, int cmd, union bpf_attr *a, struct entry *res)
{
	static const int kinds[] = {
		[BPF_PROG_GET_NEXT_ID] = K_PROG, [BPF_MAP_GET_NEXT_ID] = K_MAP,
		[BPF_PROG_GET_FD_BY_ID] = K_PROG, [BPF_MAP_GET_FD_BY_ID] = K_MAP,
		[BPF_BTF_GET_FD_BY_ID] = K_BTF, [BPF_BTF_GET_NEXT_ID] = K_BTF,
		[BPF_LINK_GET_FD_BY_ID] = K_LINK, [BPF_LINK_GET_NEXT_ID] = K_LINK,
	};
	int kind = kinds[cmd];

	a->start_id = chance(w, 80) ? env.recent[kind][below(w, 64)] : interesting(w);
	if (cmd == BPF_MAP_GET_FD_BY_ID)
		a->open_flags = chance(w, 70) ? 0 : 1 + below(w, 3);
	if (cmd == BPF_PROG_GET_FD_BY_ID || cmd == BPF_MAP_GET_FD_BY_ID ||
	    cmd == BPF_BTF_GET_FD_BY_ID || cmd == BPF_LINK_GET_FD_BY_ID)
		res->kind = kind;
}

/* A valid-looking attr for @cmd; @res says what fd a success gives. */
static void build_attr(struct worker *w, int cmd, union bpf_attr *a, struct entry *res,
		       enum prog_origin *origin)
{
	static const char *const tps[] = { "sys_enter", "sched_switch", "sys_exit", "no_such" };
	char *buf = w->scratch + 66 * PAGE;

	switch (cmd) {
	case BPF_MAP_CREATE:
		build_map_create(w, a, res);
		return;
	case BPF_MAP_LOOKUP_ELEM:
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_DELETE_ELEM:
	case BPF_MAP_GET_NEXT_KEY:
	case BPF_MAP_LOOKUP_AND_DELETE_ELEM:
		build_elem(w, cmd, a);
		return;
	case BPF_MAP_FREEZE:
		a->map_fd = table_pick_fd(w, K_MAP);
		return;
	case BPF_MAP_LOOKUP_BATCH:
	case BPF_MAP_LOOKUP_AND_DELETE_BATCH:
	case BPF_MAP_UPDATE_BATCH:
	case BPF_MAP_DELETE_BATCH:
		build_batch(w, cmd, a);
		return;
	case BPF_PROG_LOAD:
		build_prog_load(w, a, res, origin);
		return;
	case BPF_OBJ_PIN:
	case BPF_OBJ_GET:
		build_obj(w, cmd, a, res);
		return;
	case BPF_PROG_ATTACH:
	case BPF_PROG_DETACH:
		a->target_fd = table_pick_fd(w, chance(w, 50) ? K_MAP : K_PERF);
		a->attach_bpf_fd = table_pick_fd(w, K_PROG);
		a->attach_type = attach_types[below(w, ARRAY_LEN(attach_types))];
		a->attach_flags = chance(w, 70) ? 0 : 1 << below(w, 4);
		return;
	case BPF_PROG_TEST_RUN:
		build_test_run(w, a);
		return;
	case BPF_PROG_GET_NEXT_ID:
	case BPF_MAP_GET_NEXT_ID:
	case BPF_PROG_GET_FD_BY_ID:
	case BPF_MAP_GET_FD_BY_ID:
	case BPF_BTF_GET_FD_BY_ID:
	case BPF_BTF_GET_NEXT_ID:
	case BPF_LINK_GET_FD_BY_ID:
	case BPF_LINK_GET_NEXT_ID:
		build_ids(w, cmd, a, res);
		return;
	case BPF_OBJ_GET_INFO_BY_FD:
		build_info(w, a);
		return;
	case BPF_PROG_QUERY:
		a->query.target_fd = table_pick_fd(w, chance(w, 50) ? K_MAP : K_PERF);
		a->query.attach_type = attach_types[below(w, ARRAY_LEN(attach_types))];
		a->query.prog_cnt = below(w, 16);
		a->query.prog_ids = (uintptr_t)buf_end(w->scratch2, 4 * a->query.prog_cnt);
		return;
	case BPF_RAW_TRACEPOINT_OPEN:
		a->raw_tracepoint.name = (uintptr_t)tps[below(w, ARRAY_LEN(tps))];
		a->raw_tracepoint.prog_fd = table_pick_fd(w, K_PROG);
		res->kind = K_LINK;
		return;
	case BPF_BTF_LOAD:
		a->btf = (uintptr_t)buf;
		a->btf_size = build_btf(w, buf);
		if (chance(w, 30)) {
			a->btf_log_level = 1 + below(w, 2);
			a->btf_log_size = chance(w, 50) ? 1 + below(w, 20) : 1024;
			a->btf_log_buf = (uintptr_t)buf_end(w->scratch2, a->btf_log_size);
		}
		res->kind = K_BTF;
		return;
	case BPF_TASK_FD_QUERY:
		a->task_fd_query.pid = chance(w, 90) ? getpid() : below(w, 2);
		a->task_fd_query.fd = table_pick_fd(w, chance(w, 50) ? K_PERF : K_LINK);
		a->task_fd_query.buf_len = chance(w, 50) ? below(w, 32) : 256;
		a->task_fd_query.buf = (uintptr_t)buf_end(w->scratch2, a->task_fd_query.buf_len);
		return;
	case BPF_LINK_CREATE:
		build_link_create(w, a, res);
		return;
	case BPF_LINK_UPDATE:
		a->link_update.link_fd = table_pick_fd(w, K_LINK);
		a->link_update.new_prog_fd = table_pick_fd(w, K_PROG);
		if (chance(w, 30)) {
			a->link_update.flags = BPF_F_REPLACE;
			a->link_update.old_prog_fd = table_pick_fd(w, K_PROG);
		}
		return;
	case BPF_LINK_DETACH:
		a->link_detach.link_fd = table_pick_fd(w, K_LINK);
		return;
	case BPF_ENABLE_STATS:
		a->enable_stats.type = chance(w, 90) ? BPF_STATS_RUN_TIME : 1 + below(w, 4);
		res->kind = K_OTHER;
		return;
	case BPF_ITER_CREATE:
		a->iter_create.link_fd = table_pick_fd(w, K_LINK);
		res->kind = K_OTHER;
		return;
	case BPF_PROG_BIND_MAP:
		a->prog_bind_map.prog_fd = table_pick_fd(w, K_PROG);
		a->prog_bind_map.map_fd = table_pick_fd(w, K_MAP);
		return;
	case BPF_TOKEN_CREATE:
		a->token_create.bpffs_fd = env.pin_dir_fd;
		res->kind = K_OTHER;
		return;
	}
}

#endif /* KBPF_BPF_FUZZ_BUILD_H */
