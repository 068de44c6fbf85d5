// SPDX-License-Identifier: GPL-2.0
/*
 * bpf(2) at the machine's limits: maps asked for with more memory than
 * the machine has free, and callers out of file descriptors.
 *
 * What each case wants is what a stock 6.12 kernel does: a clean errno,
 * the caller alive (never OOM-killed to make room for its own map), no
 * other process OOM-killed either (the kernel logs no "invoked oom-killer"),
 * and no object left behind by a call that failed. The same binary passes
 * on both flavours.
 *
 * kbpf does better for such maps: it refuses one bigger than MemAvailable
 * at once with ENOMEM (kbpf_map_memory_claim()), where stock 6.12 first
 * drains memory. Draining wakes the OOM killer in stock's per-CPU maps
 * (their elements are allocated without __GFP_NORETRY) and, on arm64, in
 * any big map (vmalloc's page tables are allocated with GFP_KERNEL after
 * its pages): those cases are skipped on stock, and on kbpf an attempt
 * still running after ATTEMPT_SECONDS is a failure.
 *
 * The sizes come from /proc/meminfo: between MemAvailable and MemTotal,
 * so the kernel takes the request seriously (it is not more than the
 * machine's RAM) and cannot satisfy it (not even by reclaiming caches).
 * Each attempt runs in a child, so an OOM kill shows as the child's death
 * by SIGKILL instead of ending the test run.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/bpf.h>

#include "../kselftest_harness.h"
#include "bpf_insns.h"
#include "oom_watch.h"
#include "possible_cpus.h"
#include "monotonic.h"

/* Values as big as every map type below takes (KMALLOC_MAX_SIZE is more). */
#define BIG_VALUE	65536U

/*
 * How long one attempt may take. Reclaim that frees page cache only for
 * it to be read back in counts as progress, so a doomed allocation may
 * go on a while; the caller then kills it, and a caller being killed
 * must get out of the kernel promptly (KILL_SECONDS).
 */
#define ATTEMPT_SECONDS	30
#define KILL_SECONDS	30

/* The memory cgroup's limit, a map that fits in it and one that does not. */
#define MEMCG_MAX	(32LL << 20)
#define MEMCG_FITS	(8LL << 20)
#define MEMCG_TOO_BIG	(64LL << 20)

/* What create_in_child() says besides an errno. */
#define SIGNALLED	1000	/* + the signal that ended the child */
#define GAVE_UP		2000	/* killed by us after ATTEMPT_SECONDS */
#define UNKILLABLE	3000	/* still there KILL_SECONDS after that */

/* Waits up to @seconds for @pid; its status in @status. */
static bool reaped_within(pid_t pid, int *status, int seconds)
{
	int i;

	for (i = 0; i < seconds * 10; i++) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* A map with 4-byte keys (none for a queue): its fd, or -1 with errno. */
static int create_map(__u32 type, __u32 value_size, __u32 max_entries, __u32 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = type == BPF_MAP_TYPE_QUEUE ? 0 : 4;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.map_flags = flags;
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

/*
 * Creates the map in a child; returns its errno (0 when created),
 * SIGNALLED + the signal that ended it, GAVE_UP or UNKILLABLE.
 */
static int create_in_child(__u32 type, __u32 value_size, __u32 max_entries,
			   __u32 flags)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid)
		_exit(create_map(type, value_size, max_entries, flags) < 0 ? errno : 0);
	if (!reaped_within(pid, &status, ATTEMPT_SECONDS)) {
		kill(pid, SIGKILL);
		return reaped_within(pid, &status, KILL_SECONDS) ? GAVE_UP : UNKILLABLE;
	}
	return WIFSIGNALED(status) ? SIGNALLED + WTERMSIG(status) : WEXITSTATUS(status);
}

/*
 * Between free and total: more than the kernel can give, not more than
 * RAM. Memory a previous case's map held comes back after RCU and a work
 * item: first wait until what is available stops growing.
 */
static long long unsatisfiable_bytes(void)
{
	long long avail = meminfo_bytes("MemAvailable:"), last;
	int i;

	for (i = 0; i < 50; i++) {
		usleep(200 * 1000);
		last = avail;
		avail = meminfo_bytes("MemAvailable:");
		if (avail - last < (32LL << 20))
			break;
	}
	return (avail + meminfo_bytes("MemTotal:")) / 2;
}

/* One map type whose memory is all taken when it is created. */
struct big_map {
	const char *name;
	__u32 type;
	__u32 value_size;
	__u32 flags;
	/* Bytes of memory one entry takes, at least (on each CPU if percpu). */
	__u32 entry_bytes;
	bool percpu;
};

/* The guests' runner says which kernel this is (KBPF_FLAVOUR). */
static bool on_stock(void)
{
	return !strcmp(getenv("KBPF_FLAVOUR") ?: "kbpf", "stock");
}

static void check_big_map(struct __test_metadata *_metadata,
			  const struct big_map *m)
{
	long long want, entry = m->entry_bytes, entries;
	int kmsg, err;
	bool stock = on_stock();

#ifdef __aarch64__
	if (stock)
		SKIP(return, "stock 6.12 on arm64: vmalloc page tables may OOM-kill");
#endif
	if (m->percpu && stock)
		SKIP(return, "stock 6.12 may OOM-kill for per-CPU maps");
	if (m->percpu)
		entry *= possible_cpus();
	want = unsatisfiable_bytes();
	entries = want / entry;
	kmsg = oom_watch_start();
	ASSERT_LT(0, want);
	ASSERT_LE(0, kmsg);
	if (entries > UINT32_MAX)
		entries = UINT32_MAX;
	TH_LOG("%s: %lld entries, %lld MiB", m->name, entries,
	       entries * entry >> 20);
	err = create_in_child(m->type, m->value_size, entries, m->flags);
	if (err == GAVE_UP)
		TH_LOG("%s: still trying after %d s; killed, it let go", m->name,
		       ATTEMPT_SECONDS);
	EXPECT_TRUE(err == ENOMEM || err == E2BIG || (stock && err == GAVE_UP))
		TH_LOG("%s: wanted ENOMEM or E2BIG, got %d (%s)", m->name,
		       err % 1000, err >= UNKILLABLE ? "unkillable" :
		       err >= SIGNALLED ? "signal" : "errno");
	EXPECT_EQ(0, oom_kills_since(kmsg));
	/* And the machine has its memory back: a small map is no trouble. */
	EXPECT_EQ(0, create_in_child(BPF_MAP_TYPE_ARRAY, 8, 1024, 0));
}

FIXTURE(big)
{
};

FIXTURE_VARIANT(big)
{
	struct big_map map;
};

FIXTURE_SETUP(big)
{
}

FIXTURE_TEARDOWN(big)
{
}

FIXTURE_VARIANT_ADD(big, array)
{
	.map = { "array", BPF_MAP_TYPE_ARRAY, BIG_VALUE, 0, BIG_VALUE },
};

FIXTURE_VARIANT_ADD(big, mmapable_array)
{
	.map = { "mmapable array", BPF_MAP_TYPE_ARRAY, BIG_VALUE, BPF_F_MMAPABLE,
		 BIG_VALUE },
};

FIXTURE_VARIANT_ADD(big, hash)
{
	.map = { "hash", BPF_MAP_TYPE_HASH, BIG_VALUE, 0, BIG_VALUE },
};

/* Per-CPU: each entry is an allocation of its own, on every CPU. */
FIXTURE_VARIANT_ADD(big, percpu_array)
{
	.map = { "percpu array", BPF_MAP_TYPE_PERCPU_ARRAY, 4096, 0, 4096, true },
};

FIXTURE_VARIANT_ADD(big, percpu_hash)
{
	.map = { "percpu hash", BPF_MAP_TYPE_PERCPU_HASH, 4096, 0, 4096, true },
};

FIXTURE_VARIANT_ADD(big, queue)
{
	.map = { "queue", BPF_MAP_TYPE_QUEUE, BIG_VALUE, 0, BIG_VALUE },
};

/* Eight bytes a slot, and as many slots as the user says. */
FIXTURE_VARIANT_ADD(big, perf_event_array)
{
	.map = { "perf event array", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 0, 8 },
};

TEST_F_TIMEOUT(big, enomem_not_oom_kill, 3 * (ATTEMPT_SECONDS + KILL_SECONDS))
{
	check_big_map(_metadata, &variant->map);
}

/*
 * Two callers at once, each asking for more than half of what is free:
 * the second one's allocation is what runs out. Each gets its map or
 * ENOMEM; neither is killed, nor is anything else. Skipped on stock:
 * while the second caller's allocation drains memory, stock 6.12 may
 * OOM-kill a process that faults a page in (seen: the guests' test
 * runner, in CI and locally); kbpf refuses the second map at once.
 */
FIXTURE(pressure)
{
};

FIXTURE_SETUP(pressure)
{
}

FIXTURE_TEARDOWN(pressure)
{
}

TEST_F_TIMEOUT(pressure, two_at_once, 3 * (ATTEMPT_SECONDS + KILL_SECONDS))
{
	long long each = meminfo_bytes("MemAvailable:") * 3 / 5;
	int kmsg, status[2], i;
	pid_t pid[2];

	if (on_stock())
		SKIP(return, "stock 6.12 may OOM-kill another process meanwhile");
	kmsg = oom_watch_start();
	ASSERT_LT(0, each);
	ASSERT_LE(0, kmsg);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			int err = create_in_child(BPF_MAP_TYPE_ARRAY, BIG_VALUE,
						  each / BIG_VALUE, 0);

			/* An exit status has 8 bits. */
			_exit(err == GAVE_UP ? 254 : err >= SIGNALLED ? 255 : err);
		}
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status[i], 0));
		ASSERT_TRUE(WIFEXITED(status[i]));
		EXPECT_TRUE(WEXITSTATUS(status[i]) == 0 ||
			    WEXITSTATUS(status[i]) == ENOMEM ||
			    WEXITSTATUS(status[i]) == 254)
			TH_LOG("caller %d: %d", i, WEXITSTATUS(status[i]));
	}
	EXPECT_EQ(0, oom_kills_since(kmsg));
}

/* How many ids @cmd (BPF_{MAP,PROG}_GET_NEXT_ID) walks through, as a tool would. */
static int count_ids(int cmd)
{
	union bpf_attr attr;
	int n = 0;

	memset(&attr, 0, sizeof(attr));
	while (!sys_bpf(cmd, &attr, sizeof(attr))) {
		attr.start_id = attr.next_id;
		n++;
	}
	return n;
}

/*
 * Out of descriptors: creating a map or loading a program fails with
 * EMFILE, and the object it would have been is gone (its id too), not
 * kept alive by a reference nothing holds.
 */
TEST(out_of_fds)
{
	static const struct bpf_insn ret0[] = { MOV_IMM(0, 0), EXIT() };
	int maps = count_ids(BPF_MAP_GET_NEXT_ID);
	int progs = count_ids(BPF_PROG_GET_NEXT_ID);
	struct rlimit lim = { 32, 32 };
	union bpf_attr attr;
	int status, i;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setrlimit(RLIMIT_NOFILE, &lim))
			_exit(100);
		while (open("/dev/null", O_RDONLY) >= 0)
			;
		if (errno != EMFILE)
			_exit(101);
		memset(&attr, 0, sizeof(attr));
		attr.map_type = BPF_MAP_TYPE_ARRAY;
		attr.key_size = 4;
		attr.value_size = 8;
		attr.max_entries = 4;
		if (sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr)) >= 0 || errno != EMFILE)
			_exit(102);
		memset(&attr, 0, sizeof(attr));
		attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		attr.insns = (uintptr_t)ret0;
		attr.insn_cnt = 2;
		attr.license = (uintptr_t)"GPL";
		if (sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr)) >= 0 || errno != EMFILE)
			_exit(103);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* Ids go when the objects are freed, after a grace period. */
	for (i = 0; i < 50; i++) {
		if (count_ids(BPF_MAP_GET_NEXT_ID) <= maps &&
		    count_ids(BPF_PROG_GET_NEXT_ID) <= progs)
			break;
		usleep(100 * 1000);
	}
	EXPECT_EQ(maps, count_ids(BPF_MAP_GET_NEXT_ID));
	EXPECT_EQ(progs, count_ids(BPF_PROG_GET_NEXT_ID));
}

#define CGROUP_ROOT	"/tmp/kbpf_cgroup2"
#define CGROUP		CGROUP_ROOT "/kbpf_limits"

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	close(fd);
	return err;
}

static long long read_number(const char *path)
{
	char buf[32] = {};
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoll(buf) : -1;
}

/* In a child inside CGROUP: what went wrong, or 0. */
static int charge_in_cgroup(void)
{
	struct rlimit none = { 0, 0 };
	long long before, after;
	int fd;

	if (write_text(CGROUP "/cgroup.procs", "0") || setrlimit(RLIMIT_MEMLOCK, &none))
		return 10;
	before = read_number(CGROUP "/memory.current");
	fd = create_map(BPF_MAP_TYPE_ARRAY, BIG_VALUE, MEMCG_FITS / BIG_VALUE, 0);
	if (fd < 0)
		return 11;
	after = read_number(CGROUP "/memory.current");
	if (before < 0 || after - before < MEMCG_FITS * 7 / 8)
		return 12;
	if (create_map(BPF_MAP_TYPE_ARRAY, BIG_VALUE, MEMCG_TOO_BIG / BIG_VALUE, 0) >= 0)
		return 13;
	return errno == ENOMEM ? 0 : 14;
}

/*
 * A map's memory is charged to its creator's memory cgroup, as upstream:
 * it shows in memory.current, and a map bigger than memory.max gets
 * ENOMEM, with no OOM kill in the cgroup either. RLIMIT_MEMLOCK means
 * nothing to bpf(2) (upstream since 5.11: the cgroup is the limit): the
 * maps are made with it at 0.
 */
TEST(memcg_charges_maps)
{
	int kmsg = oom_watch_start(), status, err;
	char max[32];
	pid_t pid;

	ASSERT_LE(0, kmsg);
	/* The guests' kernels have CONFIG_MEMCG: no skipping a lost option. */
	mkdir(CGROUP_ROOT, 0755);
	ASSERT_EQ(0, mount("none", CGROUP_ROOT, "cgroup2", 0, NULL));
	err = write_text(CGROUP_ROOT "/cgroup.subtree_control", "+memory");
	EXPECT_EQ(0, err) TH_LOG("no memory controller");
	if (err) {
		umount(CGROUP_ROOT);
		return;
	}
	rmdir(CGROUP);
	ASSERT_EQ(0, mkdir(CGROUP, 0755));
	snprintf(max, sizeof(max), "%lld", MEMCG_MAX);
	ASSERT_EQ(0, write_text(CGROUP "/memory.max", max));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(charge_in_cgroup());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child: status %#x", status);
	EXPECT_EQ(0, oom_kills_since(kmsg));
	/* The maps go after a grace period; the cgroup may go before them. */
	EXPECT_EQ(0, rmdir(CGROUP));
	EXPECT_EQ(0, umount(CGROUP_ROOT));
	rmdir(CGROUP_ROOT);
}

/*
 * Operations sized to take about a second here, within bounds, from a
 * first run of PROBE elements (a per-CPU creation's is smaller: its
 * elements take far longer in the debug kernel).
 */
#define BATCH_PROBE	65536U
#define BATCH_MAX	(8U << 20)
#define PERCPU_PROBE	8192U
#define PERCPU_MAX	(4U << 20)

/* @count updates of element 0 of array @fd in one call: its errno, or 0. */
static int update_batch(int fd, __u32 count)
{
	union bpf_attr attr;
	int err = 0;

	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = fd;
	attr.batch.keys = (uintptr_t)calloc(count, 4);
	attr.batch.values = (uintptr_t)calloc(count, 8);
	attr.batch.count = count;
	if (!attr.batch.keys || !attr.batch.values)
		err = ENOMEM;
	else if (sys_bpf(BPF_MAP_UPDATE_BATCH, &attr, sizeof(attr)))
		err = errno;
	else if (attr.batch.count != count)
		err = ERANGE;
	free((void *)(uintptr_t)attr.batch.keys);
	free((void *)(uintptr_t)attr.batch.values);
	return err;
}

/* A per-CPU map of @count entries, each value allocated as it is made. */
static int create_percpu(__u32 type, __u32 count)
{
	int fd = create_map(type, 8, count, 0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int create_percpu_array(int fd, __u32 count)
{
	return create_percpu(BPF_MAP_TYPE_PERCPU_ARRAY, count);
}

static int create_percpu_hash(int fd, __u32 count)
{
	return create_percpu(BPF_MAP_TYPE_PERCPU_HASH, count);
}

/* One call of @count elements on map @fd (or none): its errno, or 0. */
typedef int (*long_op_fn)(int fd, __u32 count);

/* A child that writes a byte to @ready, then runs @op. */
static pid_t start_long_op(long_op_fn op, int fd, __u32 count, int ready)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (write(ready, "", 1) != 1)
		_exit(100);
	_exit(op(fd, count));
}

/*
 * Sizes @op to take about a second (@probe to @max elements), times it
 * whole in a child, then kills a child a tenth of that into another:
 * it must be gone in less than half.
 */
static void killed_midway(struct __test_metadata *_metadata, long_op_fn op, int fd,
			  __u32 probe, __u32 max, const char *what)
{
	double whole, gone;
	int pipefd[2], status;
	__u32 count;
	char byte;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	whole = monotonic_ns() / 1e9;
	ASSERT_EQ(0, op(fd, probe));
	whole = monotonic_ns() / 1e9 - whole;
	count = whole * max > probe ? probe / whole : max;
	if (count < probe)
		count = probe;

	pid = start_long_op(op, fd, count, pipefd[1]);
	ASSERT_LT(0, pid);
	ASSERT_EQ(1, read(pipefd[0], &byte, 1));
	whole = monotonic_ns() / 1e9;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	whole = monotonic_ns() / 1e9 - whole;
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("%s, whole: status %#x", what, status);

	pid = start_long_op(op, fd, count, pipefd[1]);
	ASSERT_LT(0, pid);
	ASSERT_EQ(1, read(pipefd[0], &byte, 1));
	usleep(whole * 1e5);
	gone = monotonic_ns() / 1e9;
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	gone = monotonic_ns() / 1e9 - gone;
	TH_LOG("%u %s: %.0f ms; killed a tenth in, gone after %.0f ms",
	       count, what, whole * 1e3, gone * 1e3);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_LT(gone, whole / 2);
	close(pipefd[0]);
	close(pipefd[1]);
}

/*
 * A batch of millions of elements takes seconds (minutes in the debug
 * kernel, where the fuzzer's slowest took 356 s and outlived its
 * SIGKILL). A caller killed in the middle must go at once, not when the
 * batch is done: kbpf looks for a fatal signal between elements. Stock
 * only yields there, so this is kbpf's alone.
 */
TEST(batch_ends_for_a_killed_caller)
{
	int fd;

	if (on_stock())
		SKIP(return, "stock 6.12 finishes a batch before it lets its caller die");
	fd = create_map(BPF_MAP_TYPE_ARRAY, 8, 1, 0);
	ASSERT_LE(0, fd);
	killed_midway(_metadata, update_batch, fd, BATCH_PROBE, BATCH_MAX, "batch updates");
	close(fd);
}

/*
 * Per-CPU maps allocate each element's values when they are created: a
 * million elements take seconds, and in the debug kernel a creation of
 * them outlived the fuzzer's SIGKILL by minutes (a memory cgroup lets a
 * dying task's charges through, so nothing fails). kbpf looks for a
 * fatal signal between elements; stock only yields.
 */
TEST(percpu_array_creation_ends_for_a_killed_caller)
{
	if (on_stock())
		SKIP(return, "stock 6.12 allocates every element before it lets its caller die");
	killed_midway(_metadata, create_percpu_array, -1, PERCPU_PROBE, PERCPU_MAX,
		      "per-CPU array entries");
}

TEST(percpu_hash_creation_ends_for_a_killed_caller)
{
	if (on_stock())
		SKIP(return, "stock 6.12 allocates every element before it lets its caller die");
	killed_midway(_metadata, create_percpu_hash, -1, PERCPU_PROBE, PERCPU_MAX,
		      "per-CPU hash elements");
}

TEST_HARNESS_MAIN
