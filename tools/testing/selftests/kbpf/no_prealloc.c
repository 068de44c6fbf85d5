// SPDX-License-Identifier: GPL-2.0
/*
 * Programs adding keys to BPF_F_NO_PREALLOC hash maps. A program may run
 * under any lock, the scheduler's included, where the slab and per-CPU
 * allocators must not be called (they may wake kswapd or queue work,
 * which take the scheduler's locks). So a program's new key takes an
 * element made earlier, outside any program:
 *
 *  - with every slab allocation of the calling thread failing
 *    (failslab), a syscall tracepoint's program still adds its keys;
 *  - without failures, far more keys than are made ahead are added one
 *    event after another: what programs take is made again in time;
 *  - a program on sched_switch, which runs under the runqueue's lock,
 *    adds per-CPU values; the debug flavour's lockdep watches it.
 *
 * Upstream does the same (its BPF memory allocator), so every case
 * expects what a stock 6.12 kernel gives.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#include "../kselftest_harness.h"
#include "bpf_insns.h"
#include "fault_inject.h"

#define TRACEFS		"/sys/kernel/tracing"
#define MAX_ENTRIES	1024

/* What the program leaves in its results map. */
struct results {
	__u64 ok;
	__u64 failed;
	__s64 last_error;
};

static int map_create(__u32 type, __u32 key_size, __u32 value_size, __u32 max,
		      __u32 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max;
	attr.map_flags = flags;
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

static struct results read_results(int map)
{
	struct results r = { ~0ull, ~0ull, 0 };
	union bpf_attr attr;
	__u32 key = 0;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&r;
	sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr));
	return r;
}

/* An array of one @value_size-byte value, zero. */
static int array_map(__u32 value_size)
{
	return map_create(BPF_MAP_TYPE_ARRAY, 4, value_size, 1, 0);
}

/*
 * A tracepoint program that, when this process is current, stores
 * @source's value at a key of @hash, the time ANDed with @key_mask, and
 * counts the update's outcome in @results.
 */
static int load_adder(int hash, int source, int results, int key_mask)
{
	struct bpf_insn p[] = {
		CALL(BPF_FUNC_get_current_pid_tgid),
		RSH_IMM(0, 32),
		JNE_IMM(0, getpid(), 31),
		ST_IMM(BPF_W, 10, -20, 0),
		LD_MAP(1, source),
		IMM_HI(0),
		MOV_REG(2, 10),
		ADD_IMM(2, -20),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(0, 0, 24),
		MOV_REG(6, 0),
		CALL(BPF_FUNC_ktime_get_ns),
		INSN(BPF_ALU64 | BPF_AND | BPF_K, 0, 0, 0, key_mask),
		STX(BPF_DW, 10, 0, -8),
		LD_MAP(1, hash),
		IMM_HI(0),
		MOV_REG(2, 10),
		ADD_IMM(2, -8),
		MOV_REG(3, 6),
		MOV_IMM(4, BPF_ANY),
		CALL(BPF_FUNC_map_update_elem),
		MOV_REG(7, 0),
		LD_MAP(1, results),
		IMM_HI(0),
		MOV_REG(2, 10),
		ADD_IMM(2, -20),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(0, 0, 6),
		MOV_IMM(1, 1),
		JNE_IMM(7, 0, 2),
		ATOMIC_ADD(0, 1, offsetof(struct results, ok)),
		JA(2),
		ATOMIC_ADD(0, 1, offsetof(struct results, failed)),
		STX(BPF_DW, 0, 7, offsetof(struct results, last_error)),
		MOV_IMM(0, 0),
		EXIT(),
	};

	return load_insns(BPF_PROG_TYPE_TRACEPOINT, p, ARRAY_SIZE(p), NULL);
}

/* A perf event of tracepoint @event, with @prog attached and enabled. */
static int attach(const char *event, int prog)
{
	struct perf_event_attr attr;
	char path[256];
	FILE *f;
	int fd, id = -1;

	snprintf(path, sizeof(path), TRACEFS "/events/%s/id", event);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &id) != 1)
		id = -1;
	fclose(f);
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = id;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog) ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

FIXTURE(adder) {
	int hash;
	int source;
	int results;
	int prog;
};

FIXTURE_VARIANT(adder) {
	__u32 type;
	__u32 value_size;
};

FIXTURE_VARIANT_ADD(adder, hash) {
	.type = BPF_MAP_TYPE_HASH,
	.value_size = 8,
};

FIXTURE_VARIANT_ADD(adder, percpu_hash) {
	.type = BPF_MAP_TYPE_PERCPU_HASH,
	.value_size = 8,
};

FIXTURE_SETUP(adder)
{
	self->hash = map_create(variant->type, 8, variant->value_size, MAX_ENTRIES,
				BPF_F_NO_PREALLOC);
	ASSERT_LE(0, self->hash);
	self->source = array_map(variant->value_size);
	ASSERT_LE(0, self->source);
	self->results = array_map(sizeof(struct results));
	ASSERT_LE(0, self->results);
	self->prog = load_adder(self->hash, self->source, self->results, -1);
	ASSERT_LE(0, self->prog);
}

FIXTURE_TEARDOWN(adder)
{
	close(self->prog);
	close(self->results);
	close(self->source);
	close(self->hash);
}

TEST_F(adder, keys_added_while_slab_fails)
{
	int event, fail, i;
	struct results r;

	if (fault_inject_set("failslab", 100))
		SKIP(return, "no failslab in this kernel");
	fail = fault_inject_thread_fd();
	ASSERT_LE(0, fail);
	event = attach("syscalls/sys_enter_getppid", self->prog);
	ASSERT_LE(0, event);
	ASSERT_EQ(1, pwrite(fail, "1", 1, 0));
	for (i = 0; i < 3; i++)
		syscall(__NR_getppid);
	ASSERT_EQ(1, pwrite(fail, "0", 1, 0));
	fault_inject_set("failslab", 0);
	close(fail);
	close(event);
	r = read_results(self->results);
	EXPECT_EQ(3, r.ok);
	EXPECT_EQ(0, r.failed) TH_LOG("last error %lld", (long long)r.last_error);
}

TEST_F(adder, many_keys_one_event_after_another)
{
	const int calls = MAX_ENTRIES / 2;
	struct results r;
	int event, i;

	event = attach("syscalls/sys_enter_getppid", self->prog);
	ASSERT_LE(0, event);
	for (i = 0; i < calls; i++)
		syscall(__NR_getppid);
	close(event);
	r = read_results(self->results);
	EXPECT_EQ(calls, r.ok);
	EXPECT_EQ(0, r.failed) TH_LOG("last error %lld", (long long)r.last_error);
}

static int stop;

static void *switch_often(void *arg)
{
	const struct timespec tick = { 0, 100 * 1000 };

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
		nanosleep(&tick, NULL);
	return NULL;
}

/*
 * sched_switch's program runs under the runqueue lock. 512 keys of big
 * per-CPU values use up the per-CPU allocator's populated pages, after
 * which an allocation queues work to make more: from there, a deadlock
 * that lockdep reports. A key already there is updated in place, so the
 * only failure may be ENOMEM (no spare left at that moment).
 */
TEST(per_cpu_values_added_under_the_runqueue_lock)
{
	int hash, source, results, prog, event, i;
	pthread_t threads[2];
	struct results r;

	hash = map_create(BPF_MAP_TYPE_PERCPU_HASH, 8, 4096, MAX_ENTRIES,
			  BPF_F_NO_PREALLOC);
	ASSERT_LE(0, hash);
	source = array_map(4096);
	ASSERT_LE(0, source);
	results = array_map(sizeof(struct results));
	ASSERT_LE(0, results);
	prog = load_adder(hash, source, results, 511);
	ASSERT_LE(0, prog);
	event = attach("sched/sched_switch", prog);
	ASSERT_LE(0, event);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, switch_often, NULL));
	sleep(2);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	close(event);
	r = read_results(results);
	TH_LOG("%llu updates, %llu failed",
	       (unsigned long long)r.ok, (unsigned long long)r.failed);
	EXPECT_LT(0, r.ok);
	if (r.failed)
		EXPECT_EQ(-ENOMEM, r.last_error);
	close(prog);
	close(results);
	close(source);
	close(hash);
}

TEST_HARNESS_MAIN
