// SPDX-License-Identifier: GPL-2.0
/*
 * clang-built BPF objects loaded through libbpf, the way most programs
 * reach bpf(2): libbpf probes the kernel, creates the maps the object
 * defines (.data, .rodata and .bss included), fills in static prog array
 * slots, freezes .rodata and loads each program with its map references
 * rewritten. The programs (progs/objects.bpf.c) then run through
 * BPF_PROG_TEST_RUN and their results are read back from userspace.
 *
 * The object carries BTF, which goes to the kernel with the maps and the
 * programs (loads_with_btf checks that it did). loads_without_btf makes
 * the kernel refuse BTF, where seccomp filters are built in, for the path
 * of older kernels: libbpf then loads everything without it.
 *
 * The object is looked for next to this binary, or in $KBPF_BPF_OBJ_DIR.
 * KBPF_LIBBPF_DEBUG=1 in the environment shows libbpf's debug output.
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "../kselftest_harness.h"
#include "libbpf_util.h"
#include "progs/objects.h"
#include "monotonic.h"

#define OBJ_FILE	"objects.bpf.o"

#define ETH_HDR_LEN	14
/* IEEE local experimental: no protocol handler looks into the payload. */
#define FRAME_PROTO	0x88b5
#define FRAME_LEN	64
/* A socket filter's skb starts at the network header: its len is this. */
#define SKB_LEN		(FRAME_LEN - ETH_HDR_LEN)

/* What the loader puts in .rodata: none is the object's default. */
#define TEST_SCALE	3
#define TEST_STRIDE	5
#define TEST_BIAS	1000

#if defined(__x86_64__)
#define SECCOMP_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_ARCH	AUDIT_ARCH_AARCH64
#else
#error "loads_without_btf needs this architecture's AUDIT_ARCH"
#endif

static const char * const prog_names[] = {
	"count_proto", "fill_array", "percpu_hits", "queue_io", "tail_one",
	"tail_two", "tail_entry", "calls", "sum_args", "stamp",
};

/*
 * Before load, an internal map's initial value is libbpf's own copy of
 * the section, which it writes into the map when it creates it.
 */
static int set_consts(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, ".rodata");
	struct obj_consts *consts;
	size_t size;

	if (!map)
		return -1;
	consts = (struct obj_consts *)bpf_map__initial_value(map, &size);
	if (!consts || size != sizeof(*consts))
		return -1;
	consts->scale = TEST_SCALE;
	consts->stride = TEST_STRIDE;
	consts->bias = TEST_BIAS;
	return 0;
}

static int prog_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);

	return prog ? bpf_program__fd(prog) : -1;
}

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	return map ? bpf_map__fd(map) : -1;
}

static void make_frame(unsigned char *frame, __u8 b0, __u8 b1)
{
	int i;

	memset(frame, 0, ETH_HDR_LEN);
	frame[0] = 0x02;
	frame[5] = 0x01;
	frame[6] = 0x02;
	frame[11] = 0x02;
	frame[12] = FRAME_PROTO >> 8;
	frame[13] = FRAME_PROTO & 0xff;
	frame[ETH_HDR_LEN] = b0;
	frame[ETH_HDR_LEN + 1] = b1;
	for (i = ETH_HDR_LEN + 2; i < FRAME_LEN; i++)
		frame[i] = i;
}

/* Runs a socket filter @repeat times on a frame; returns errno or 0. */
static int run_frame(int fd, __u8 b0, __u8 b1, __u32 repeat, __u32 *retval)
{
	unsigned char frame[FRAME_LEN];
	struct bpf_test_run_opts opts = {
		.sz = sizeof(opts),
		.data_in = frame,
		.data_size_in = sizeof(frame),
		.repeat = repeat,
	};

	make_frame(frame, b0, b1);
	*retval = 0xdeadbeef;
	if (bpf_prog_test_run_opts(fd, &opts))
		return errno;
	*retval = opts.retval;
	return 0;
}

static int run_raw_tp(int fd, const __u64 *args, unsigned int nr,
		      __u32 *retval)
{
	struct bpf_test_run_opts opts = {
		.sz = sizeof(opts),
		.ctx_in = args,
		.ctx_size_in = nr * sizeof(*args),
	};

	*retval = 0xdeadbeef;
	if (bpf_prog_test_run_opts(fd, &opts))
		return errno;
	*retval = opts.retval;
	return 0;
}

static int lookup(int fd, const void *key, void *value)
{
	return bpf_map_lookup_elem(fd, key, value) ? errno : 0;
}

/* .bss through the syscall; tests that map it read it there too. */
static int read_out(struct bpf_object *obj, struct obj_out *out)
{
	__u32 zero = 0;

	return lookup(map_fd(obj, ".bss"), &zero, out);
}

static int map_info(int fd, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(fd, info, &len) ? errno : 0;
}

static __u32 map_id(struct bpf_object *obj, const char *name)
{
	struct bpf_map_info info;

	return map_info(map_fd(obj, name), &info) ? 0 : info.id;
}

static size_t page_round(size_t size)
{
	size_t page = sysconf(_SC_PAGESIZE);

	return (size + page - 1) / page * page;
}

FIXTURE(obj) {
	struct bpf_object *obj;
};

FIXTURE_SETUP(obj)
{
	self->obj = open_obj(OBJ_FILE);
	ASSERT_NE(NULL, self->obj);
	ASSERT_EQ(0, set_consts(self->obj));
	ASSERT_EQ(0, bpf_object__load(self->obj));
}

FIXTURE_TEARDOWN(obj)
{
	bpf_object__close(self->obj);
}

/* Every map as the kernel sees it: libbpf created them from the ELF. */
TEST_F(obj, maps_created)
{
	static const struct {
		const char *name;
		__u32 type, key_size, value_size, max_entries, flags;
	} maps[] = {
		{ "counts", BPF_MAP_TYPE_HASH, 4, 8, OBJ_HASH_MAX, 0 },
		{ "slots", BPF_MAP_TYPE_ARRAY, 4, 8, OBJ_ARRAY_SLOTS, 0 },
		{ "pcpu", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 2, 0 },
		{ "fifo", BPF_MAP_TYPE_QUEUE, 0, 8, OBJ_QUEUE_MAX, 0 },
		{ "jumps", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, OBJ_TAIL_SLOTS, 0 },
		/* Global data: one-element arrays that userspace may mmap. */
		{ ".rodata", BPF_MAP_TYPE_ARRAY, 4, sizeof(struct obj_consts),
		  1, BPF_F_MMAPABLE | BPF_F_RDONLY_PROG },
		{ ".data", BPF_MAP_TYPE_ARRAY, 4, sizeof(struct obj_state),
		  1, BPF_F_MMAPABLE },
		{ ".bss", BPF_MAP_TYPE_ARRAY, 4, sizeof(struct obj_out),
		  1, BPF_F_MMAPABLE },
	};
	struct bpf_map_info info;
	struct bpf_map *map;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		map = bpf_object__find_map_by_name(self->obj, maps[i].name);
		ASSERT_NE(NULL, map) TH_LOG("no map %s", maps[i].name);
		ASSERT_EQ(0, map_info(bpf_map__fd(map), &info));
		EXPECT_EQ(maps[i].type, info.type) TH_LOG("%s", maps[i].name);
		EXPECT_EQ(maps[i].key_size, info.key_size)
			TH_LOG("%s", maps[i].name);
		EXPECT_EQ(maps[i].value_size, info.value_size)
			TH_LOG("%s", maps[i].name);
		EXPECT_EQ(maps[i].max_entries, info.max_entries)
			TH_LOG("%s", maps[i].name);
		EXPECT_EQ(maps[i].flags, info.map_flags)
			TH_LOG("%s", maps[i].name);
		/* libbpf names internal maps after the object and section. */
		EXPECT_EQ(0, strncmp(bpf_map__name(map), info.name,
				     BPF_OBJ_NAME_LEN - 1))
			TH_LOG("%s is %s in the kernel", bpf_map__name(map),
			       info.name);
		EXPECT_NE(0, info.id);
	}
}

/*
 * The loader's .rodata values, not the object's, reached both the map
 * and the programs; libbpf froze the map after filling it.
 */
TEST_F(obj, rodata_set_before_load)
{
	int fd = map_fd(self->obj, ".rodata");
	struct obj_consts consts;
	void *mem;
	__u32 zero = 0, ret;
	__u64 args[2] = { 0, 0 };
	size_t len = page_round(sizeof(consts));

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, lookup(fd, &zero, &consts));
	EXPECT_EQ(TEST_SCALE, consts.scale);
	EXPECT_EQ(TEST_STRIDE, consts.stride);
	EXPECT_EQ(TEST_BIAS, consts.bias);
	EXPECT_NE(0, bpf_map_update_elem(fd, &zero, &consts, BPF_ANY));
	EXPECT_EQ(EPERM, errno);

	/* A frozen map maps read-only, never writable. */
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_EQ(MAP_FAILED, mem);
	EXPECT_EQ(EPERM, errno);
	if (mem != MAP_FAILED)
		munmap(mem, len);
	mem = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, mem);
	EXPECT_EQ(0, memcmp(mem, &consts, sizeof(consts)));
	munmap(mem, len);

	/* calls returns a * a + b * b * scale + bias. */
	fd = prog_fd(self->obj, "calls");
	ASSERT_EQ(0, run_raw_tp(fd, args, 2, &ret));
	EXPECT_EQ(TEST_BIAS, ret);
	args[1] = 1;
	ASSERT_EQ(0, run_raw_tp(fd, args, 2, &ret));
	EXPECT_EQ(TEST_SCALE + TEST_BIAS, ret);
}

/*
 * .data starts with the object's values and .bss with zeros; programs
 * and userspace (through a shared mapping) see each other's writes.
 */
TEST_F(obj, data_and_bss)
{
	int data = map_fd(self->obj, ".data"), bss = map_fd(self->obj, ".bss");
	int fill = prog_fd(self->obj, "fill_array");
	size_t data_len = page_round(sizeof(struct obj_state));
	size_t bss_len = page_round(sizeof(struct obj_out));
	struct obj_state state, *state_mem;
	struct obj_out out, *out_mem;
	__u32 zero = 0, ret, key;
	__u64 slot;

	ASSERT_LE(0, data);
	ASSERT_LE(0, bss);
	ASSERT_EQ(0, lookup(data, &zero, &state));
	EXPECT_EQ(OBJ_INITIAL_SEED, state.seed);
	EXPECT_EQ(0, state.fills);
	ASSERT_EQ(0, lookup(bss, &zero, &out));
	EXPECT_EQ(0, out.runs);
	EXPECT_EQ(0, out.calls_result);

	state_mem = mmap(NULL, data_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 data, 0);
	ASSERT_NE(MAP_FAILED, state_mem);
	out_mem = mmap(NULL, bss_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bss, 0);
	ASSERT_NE(MAP_FAILED, out_mem);
	EXPECT_EQ(OBJ_INITIAL_SEED, state_mem->seed);

	ASSERT_EQ(0, run_frame(fill, 0, 0, 1, &ret));
	EXPECT_EQ(1, state_mem->fills);
	ASSERT_EQ(0, lookup(data, &zero, &state));
	EXPECT_EQ(1, state.fills);

	/* A seed written through the mapping is what the program reads. */
	state_mem->seed = 100;
	ASSERT_EQ(0, run_frame(fill, 0, 0, 1, &ret));
	key = 0;
	ASSERT_EQ(0, lookup(map_fd(self->obj, "slots"), &key, &slot));
	EXPECT_EQ(100 + SKB_LEN, slot);
	EXPECT_EQ(2, state_mem->fills);

	ASSERT_EQ(0, run_frame(prog_fd(self->obj, "count_proto"), 1, 0, 3,
			       &ret));
	EXPECT_EQ(3, out_mem->runs);
	ASSERT_EQ(0, lookup(bss, &zero, &out));
	EXPECT_EQ(3, out.runs);

	munmap(state_mem, data_len);
	munmap(out_mem, bss_len);
}

/* A hash map of counters keyed by a packet byte. */
TEST_F(obj, hash_counting)
{
	static const __u8 keys[] = { 1, 2, 1, 3, 1 };
	static const __u32 rets[] = { 1, 1, 2, 1, 3 };
	int prog = prog_fd(self->obj, "count_proto");
	int fd = map_fd(self->obj, "counts");
	__u32 key, next, ret, nr_keys = 0;
	struct obj_out out;
	__u64 count;
	unsigned int i;

	ASSERT_LE(0, prog);
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(keys); i++) {
		ASSERT_EQ(0, run_frame(prog, keys[i], 0, 1, &ret));
		EXPECT_EQ(rets[i], ret) TH_LOG("run %u", i);
	}
	/* One test run of many repeats counts every one of them. */
	ASSERT_EQ(0, run_frame(prog, 7, 0, 10, &ret));
	EXPECT_EQ(10, ret);

	key = 1;
	ASSERT_EQ(0, lookup(fd, &key, &count));
	EXPECT_EQ(3, count);
	key = 2;
	ASSERT_EQ(0, lookup(fd, &key, &count));
	EXPECT_EQ(1, count);
	key = 7;
	ASSERT_EQ(0, lookup(fd, &key, &count));
	EXPECT_EQ(10, count);
	key = 4;
	EXPECT_EQ(ENOENT, lookup(fd, &key, &count));

	key = 0;
	while (!bpf_map_get_next_key(fd, nr_keys ? &key : NULL, &next)) {
		key = next;
		nr_keys++;
		ASSERT_GE(4, nr_keys);
	}
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(4, nr_keys);

	ASSERT_EQ(0, read_out(self->obj, &out));
	EXPECT_EQ(sizeof(keys) + 10, out.runs);
}

/* An array written slot by slot; .rodata's stride shapes the values. */
TEST_F(obj, array_slots)
{
	int fd = map_fd(self->obj, "slots");
	__u64 value, sum = 0;
	__u32 key, ret;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, run_frame(prog_fd(self->obj, "fill_array"), 0, 0, 1,
			       &ret));
	for (key = 0; key < OBJ_ARRAY_SLOTS; key++) {
		ASSERT_EQ(0, lookup(fd, &key, &value));
		EXPECT_EQ(OBJ_INITIAL_SEED + key * TEST_STRIDE + SKB_LEN,
			  value) TH_LOG("slot %u", key);
		sum += value;
	}
	EXPECT_EQ((__u32)sum, ret);
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
}

/* Each CPU counts in its own copy; the copies add up to the runs. */
TEST_F(obj, percpu_array)
{
	int fd = map_fd(self->obj, "pcpu");
	int ncpus = libbpf_num_possible_cpus();
	__u64 *values, hits = 0, bytes = 0;
	struct obj_out out;
	__u32 key, ret;
	int cpu;

	ASSERT_LE(0, fd);
	ASSERT_LT(0, ncpus);
	values = calloc(ncpus, sizeof(*values));
	ASSERT_NE(NULL, values);
	ASSERT_EQ(0, run_frame(prog_fd(self->obj, "percpu_hits"), 0, 0, 20,
			       &ret));
	EXPECT_EQ(1, ret);

	key = OBJ_PCPU_HITS;
	ASSERT_EQ(0, lookup(fd, &key, values));
	for (cpu = 0; cpu < ncpus; cpu++)
		hits += values[cpu];
	EXPECT_EQ(20, hits);
	ASSERT_EQ(0, read_out(self->obj, &out));
	ASSERT_GT(ncpus, out.cpu);
	/* The CPU of the last run counted at least that run. */
	EXPECT_LE(1, values[out.cpu]);

	key = OBJ_PCPU_BYTES;
	ASSERT_EQ(0, lookup(fd, &key, values));
	for (cpu = 0; cpu < ncpus; cpu++)
		bytes += values[cpu];
	EXPECT_EQ(20 * SKB_LEN, bytes);
	free(values);
}

static int pop(int fd, __u64 *value)
{
	return bpf_map_lookup_and_delete_elem(fd, NULL, value) ? errno : 0;
}

/* Userspace and the program take turns on one FIFO. */
TEST_F(obj, queue)
{
	int prog = prog_fd(self->obj, "queue_io");
	int fd = map_fd(self->obj, "fifo");
	struct obj_out out;
	__u64 value;
	__u32 ret;

	ASSERT_LE(0, prog);
	ASSERT_LE(0, fd);
	for (value = 5; value <= 7; value++)
		ASSERT_EQ(0, bpf_map_update_elem(fd, NULL, &value, BPF_ANY));
	ASSERT_EQ(0, run_frame(prog, 0, 0, 1, &ret));
	EXPECT_EQ(3, ret);
	ASSERT_EQ(0, read_out(self->obj, &out));
	EXPECT_EQ(5, out.peeked);
	/* A lookup of a queue peeks. */
	ASSERT_EQ(0, lookup(fd, NULL, &value));
	EXPECT_EQ((5 + 6 + 7) * TEST_SCALE, value);
	ASSERT_EQ(0, pop(fd, &value));
	EXPECT_EQ((5 + 6 + 7) * TEST_SCALE, value);
	ASSERT_EQ(0, pop(fd, &value));
	EXPECT_EQ(3, value);
	EXPECT_EQ(ENOENT, pop(fd, &value));

	/* More than one run drains: the rest waits in front of the sum. */
	for (value = 1; value <= OBJ_QUEUE_DRAIN + 1; value++)
		ASSERT_EQ(0, bpf_map_update_elem(fd, NULL, &value, BPF_ANY));
	ASSERT_EQ(0, run_frame(prog, 0, 0, 1, &ret));
	EXPECT_EQ(OBJ_QUEUE_DRAIN, ret);
	ASSERT_EQ(0, pop(fd, &value));
	EXPECT_EQ(OBJ_QUEUE_DRAIN + 1, value);
	ASSERT_EQ(0, pop(fd, &value));
	EXPECT_EQ(OBJ_QUEUE_DRAIN * (OBJ_QUEUE_DRAIN + 1) / 2 * TEST_SCALE,
		  value);
	ASSERT_EQ(0, pop(fd, &value));
	EXPECT_EQ(OBJ_QUEUE_DRAIN, value);
	EXPECT_EQ(ENOENT, pop(fd, &value));

	/* On an empty queue the program pushes a zero sum and count. */
	ASSERT_EQ(0, run_frame(prog, 0, 0, 1, &ret));
	EXPECT_EQ(0, ret);
	ASSERT_EQ(0, pop(fd, &value));
	EXPECT_EQ(0, value);
}

/*
 * Slot 0 holds tail_one from the object's static initializer, slot 1
 * tail_two from here; tail_two counts itself and chains to slot 0.
 */
TEST_F(obj, tail_calls)
{
	int entry = prog_fd(self->obj, "tail_entry");
	int fd = map_fd(self->obj, "jumps");
	int two = prog_fd(self->obj, "tail_two");
	struct bpf_prog_info info;
	__u32 key, value, ret, len = sizeof(info);
	struct obj_out out;

	ASSERT_LE(0, entry);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, two);
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, bpf_obj_get_info_by_fd(prog_fd(self->obj, "tail_one"),
					    &info, &len));
	key = 0;
	ASSERT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(info.id, value);
	key = 1;
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	value = two;
	ASSERT_EQ(0, bpf_map_update_elem(fd, &key, &value, BPF_ANY));

	ASSERT_EQ(0, run_frame(entry, 0, 0, 1, &ret));
	EXPECT_EQ(OBJ_TAIL_ONE_RET, ret);
	ASSERT_EQ(0, read_out(self->obj, &out));
	EXPECT_EQ(0, out.tail_hits);
	ASSERT_EQ(0, run_frame(entry, 0, 1, 1, &ret));
	EXPECT_EQ(OBJ_TAIL_ONE_RET, ret);
	ASSERT_EQ(0, read_out(self->obj, &out));
	EXPECT_EQ(1, out.tail_hits);
	/* An empty slot and one past the end both miss. */
	ASSERT_EQ(0, run_frame(entry, 0, 2, 1, &ret));
	EXPECT_EQ(OBJ_TAIL_MISSED, ret);
	ASSERT_EQ(0, run_frame(entry, 0, 200, 1, &ret));
	EXPECT_EQ(OBJ_TAIL_MISSED, ret);

	key = 0;
	ASSERT_EQ(0, bpf_map_delete_elem(fd, &key));
	ASSERT_EQ(0, run_frame(entry, 0, 1, 1, &ret));
	EXPECT_EQ(OBJ_TAIL_MISSED, ret);
	ASSERT_EQ(0, read_out(self->obj, &out));
	EXPECT_EQ(2, out.tail_hits);
}

/* calls -> weigh -> square, in 64-bit arithmetic throughout. */
TEST_F(obj, subprog_calls)
{
	static const struct {
		__u64 a, b;
	} cases[] = {
		{ 2, 3 },
		{ 1ULL << 32, 5 },
		{ (1ULL << 32) + 1, 0 },
		{ 0xffffffffffffffffULL, 0xfffffffffffffffeULL },
	};
	int fd = prog_fd(self->obj, "calls");
	struct obj_out out;
	__u64 args[2], want;
	unsigned int i;
	__u32 ret;

	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		args[0] = cases[i].a;
		args[1] = cases[i].b;
		want = args[0] * args[0] + args[1] * args[1] * TEST_SCALE +
		       TEST_BIAS;
		ASSERT_EQ(0, run_raw_tp(fd, args, 2, &ret));
		EXPECT_EQ((__u32)want, ret) TH_LOG("case %u", i);
		ASSERT_EQ(0, read_out(self->obj, &out));
		EXPECT_EQ(want, out.calls_result) TH_LOG("case %u", i);
	}
}

/* A raw tracepoint program adds up the arguments it was given. */
TEST_F(obj, raw_tp_args)
{
	__u64 args[OBJ_RAW_TP_ARGS] = {
		1, 2, 3, 1ULL << 32, 0xffffffff00000000ULL, 0x123456789ULL,
	};
	int fd = prog_fd(self->obj, "sum_args");
	struct obj_out out;
	__u64 want = 0;
	unsigned int i;
	__u32 ret;

	ASSERT_LE(0, fd);
	for (i = 0; i < OBJ_RAW_TP_ARGS; i++)
		want += args[i];
	ASSERT_EQ(0, run_raw_tp(fd, args, OBJ_RAW_TP_ARGS, &ret));
	EXPECT_EQ((__u32)want, ret);
	ASSERT_EQ(0, read_out(self->obj, &out));
	EXPECT_EQ(want, out.args_sum);
}

/* bpf_ktime_get_ns() is CLOCK_MONOTONIC; random numbers vary. */
TEST_F(obj, time_and_random)
{
	int fd = prog_fd(self->obj, "stamp");
	__u32 ret, first = 0;
	bool varied = false;
	struct obj_out out;
	__u64 before;
	int i;

	ASSERT_LE(0, fd);
	for (i = 0; i < 8; i++) {
		before = monotonic_ns();
		ASSERT_EQ(0, run_frame(fd, 0, 0, 1, &ret));
		ASSERT_EQ(0, read_out(self->obj, &out));
		EXPECT_LE(before, out.now_ns);
		EXPECT_GE(monotonic_ns(), out.now_ns);
		if (!i)
			first = out.random;
		else if (out.random != first)
			varied = true;
	}
	/* Eight equal 32-bit draws: a chance of 2^-224. */
	EXPECT_TRUE(varied);
}

static int prog_info(int fd, struct bpf_prog_info *info, __u32 *map_ids,
		     __u32 nr_map_ids)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	info->nr_map_ids = nr_map_ids;
	info->map_ids = (uintptr_t)map_ids;
	return bpf_obj_get_info_by_fd(fd, info, &len) ? errno : 0;
}

/*
 * libbpf passes each program's name; the kernel lists the program by id
 * with the maps it uses. libbpf also binds .rodata to every program where
 * the kernel has BPF_PROG_BIND_MAP, so that one may be there too.
 */
TEST_F(obj, prog_ids_and_info)
{
	__u32 counts_id = map_id(self->obj, "counts");
	__u32 bss_id = map_id(self->obj, ".bss");
	__u32 rodata_id = map_id(self->obj, ".rodata");
	__u32 map_ids[8], id, i;
	bool seen_counts = false, seen_bss = false, listed = false;
	struct bpf_prog_info info;
	int fd;

	ASSERT_NE(0, counts_id);
	ASSERT_NE(0, bss_id);
	for (i = 0; i < ARRAY_SIZE(prog_names); i++) {
		struct bpf_program *prog;

		prog = bpf_object__find_program_by_name(self->obj,
							prog_names[i]);
		ASSERT_NE(NULL, prog) TH_LOG("no program %s", prog_names[i]);
		ASSERT_EQ(0, prog_info(bpf_program__fd(prog), &info, NULL, 0));
		EXPECT_STREQ(prog_names[i], info.name);
		EXPECT_EQ(bpf_program__type(prog), info.type)
			TH_LOG("%s", prog_names[i]);
	}

	fd = prog_fd(self->obj, "count_proto");
	ASSERT_EQ(0, prog_info(fd, &info, map_ids, 8));
	EXPECT_EQ(BPF_PROG_TYPE_SOCKET_FILTER, info.type);
	ASSERT_LE(2, info.nr_map_ids);
	ASSERT_GE(3, info.nr_map_ids);
	for (i = 0; i < info.nr_map_ids; i++) {
		if (map_ids[i] == counts_id)
			seen_counts = true;
		else if (map_ids[i] == bss_id)
			seen_bss = true;
		else
			EXPECT_EQ(rodata_id, map_ids[i]);
	}
	EXPECT_TRUE(seen_counts);
	EXPECT_TRUE(seen_bss);

	/* The id walk finds it, and the fd it gives back is the same one. */
	id = 0;
	while (!bpf_prog_get_next_id(id, &id)) {
		if (id == info.id) {
			listed = true;
			break;
		}
	}
	ASSERT_TRUE(listed);
	fd = bpf_prog_get_fd_by_id(id);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, prog_info(fd, &info, NULL, 0));
	EXPECT_STREQ("count_proto", info.name);
	EXPECT_EQ(id, info.id);
	close(fd);
}

static bool jit_enabled(void)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int on = 0;

	if (f) {
		if (fscanf(f, "%d", &on) != 1)
			on = 0;
		fclose(f);
	}
	return on == 1;
}

/* Is there a program symbol "bpf_prog_<tag><suffix>" in /proc/kallsyms? */
static bool kallsyms_has(const char *suffix)
{
	char line[512], name[256];
	size_t n = strlen(suffix);
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	while (f && !found && fgets(line, sizeof(line), f)) {
		size_t len;

		if (sscanf(line, "%*s %*s %255s", name) != 1)
			continue;
		len = strlen(name);
		found = !strncmp(name, "bpf_prog_", 9) && len == 9 + 16 + n &&
			!strcmp(name + len - n, suffix);
	}
	if (f)
		fclose(f);
	return found;
}

/*
 * libbpf loaded the object's BTF and gave it to every map that has key
 * and value types and to every program, with a record per function and
 * source lines, which program info gives back.
 */
TEST_F(obj, loads_with_btf)
{
	struct bpf_prog_info info;
	struct bpf_map_info minfo;
	__u32 btf_id, i, len;
	int fd;

	ASSERT_EQ(0, map_info(map_fd(self->obj, "counts"), &minfo));
	btf_id = minfo.btf_id;
	EXPECT_NE(0, btf_id);
	EXPECT_NE(0, minfo.btf_key_type_id);
	EXPECT_NE(0, minfo.btf_value_type_id);
	/* Global data: a section as the value, no key type. */
	ASSERT_EQ(0, map_info(map_fd(self->obj, ".bss"), &minfo));
	EXPECT_EQ(btf_id, minfo.btf_id);
	EXPECT_EQ(0, minfo.btf_key_type_id);
	EXPECT_NE(0, minfo.btf_value_type_id);
	for (i = 0; i < ARRAY_SIZE(prog_names); i++) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		fd = prog_fd(self->obj, prog_names[i]);
		ASSERT_EQ(0, bpf_obj_get_info_by_fd(fd, &info, &len));
		EXPECT_EQ(btf_id, info.btf_id) TH_LOG("%s", prog_names[i]);
		EXPECT_LE(1, info.nr_func_info) TH_LOG("%s", prog_names[i]);
		EXPECT_LE(1, info.nr_line_info) TH_LOG("%s", prog_names[i]);
	}
	/* calls() and the two functions it calls. */
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	ASSERT_EQ(0, bpf_obj_get_info_by_fd(prog_fd(self->obj, "calls"), &info, &len));
	EXPECT_EQ(3, info.nr_func_info);
	/* JITed, each function's symbol bears its name from the BTF. */
	if (jit_enabled()) {
		EXPECT_TRUE(kallsyms_has("_weigh"));
		EXPECT_TRUE(kallsyms_has("_square"));
	}
}

/* Whether the kernel takes a one-type BTF blob: 0, or its errno. */
static int kernel_btf_errno(void)
{
	struct btf *btf = btf__new_empty();
	int err;

	if (!btf)
		return errno;
	err = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	if (err >= 0)
		err = btf__load_into_kernel(btf);
	btf__free(btf);
	return err < 0 ? -err : 0;
}

/*
 * The path every load takes on kbpf, on any kernel: a seccomp filter
 * fails BPF_BTF_LOAD with EINVAL, so libbpf finds no BTF support and
 * must create the maps and load the programs without it. Where seccomp
 * filters are not built in (the guests' kernels), only a kernel that
 * refuses BTF by itself, as kbpf does, has this path to test.
 */
TEST(loads_without_btf)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 3),
		/* The command's low word: both architectures are little endian. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_BTF_LOAD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = {
		.len = ARRAY_SIZE(filter),
		.filter = filter,
	};
	struct bpf_prog_info info;
	struct bpf_map_info minfo;
	struct bpf_object *obj;
	__u32 ret, len = sizeof(info);
	__u64 count, args[2] = { 2, 3 };
	__u32 key = 9;
	int fd;

	libbpf_set_print(print_libbpf);
	/* The test runs in its own child, so the filter ends with it. */
	ASSERT_EQ(0, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog)) {
		ASSERT_EQ(EINVAL, errno);
		if (!kernel_btf_errno())
			SKIP(return,
			     "no seccomp filters, and the kernel takes BTF");
	}
	ASSERT_EQ(EINVAL, kernel_btf_errno());

	obj = open_obj(OBJ_FILE);
	ASSERT_NE(NULL, obj);
	ASSERT_EQ(0, set_consts(obj));
	ASSERT_EQ(0, bpf_object__load(obj));

	fd = prog_fd(obj, "count_proto");
	ASSERT_EQ(0, run_frame(fd, key, 0, 2, &ret));
	EXPECT_EQ(2, ret);
	ASSERT_EQ(0, lookup(map_fd(obj, "counts"), &key, &count));
	EXPECT_EQ(2, count);

	/* Nothing BTF-related got through to the kernel. */
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, bpf_obj_get_info_by_fd(fd, &info, &len));
	EXPECT_EQ(0, info.btf_id);
	EXPECT_EQ(0, info.nr_func_info);
	EXPECT_EQ(0, info.nr_line_info);
	ASSERT_EQ(0, map_info(map_fd(obj, "counts"), &minfo));
	EXPECT_EQ(0, minfo.btf_id);

	/* Calls and global data work without BTF as well. */
	fd = prog_fd(obj, "calls");
	ASSERT_EQ(0, run_raw_tp(fd, args, 2, &ret));
	EXPECT_EQ(4 + 9 * TEST_SCALE + TEST_BIAS, ret);
	bpf_object__close(obj);
}

TEST_HARNESS_MAIN
