// SPDX-License-Identifier: GPL-2.0
/*
 * A bpf(2) fuzzer that runs in the guest, with no fuzzing service behind
 * it. Every command of enum bpf_cmd (and a few numbers past its end) gets
 * fully random attrs of random sizes (0, short, exact, longer with a zero
 * or non-zero tail, crossing a page, running into an unmapped one) and
 * valid-looking attrs with exactly one field bent. Maps of every type and
 * flag, with sizes small and far too large; element and batch commands,
 * freezing, mmap of mmapable arrays. Programs from templates that use the
 * live maps (helpers on elements, queues, ring buffers, perf event output,
 * stack ids, loops, bpf-to-bpf and tail calls), mutated templates, random
 * instructions; loaded with and without logs, run with BPF_PROG_TEST_RUN.
 * Perf events (kprobe, tracepoint, cpu-clock) and raw tracepoints,
 * attached by ioctl and by links, detached by closing in any order while
 * other threads pass the hooks. All of it from 2 threads per CPU at once
 * on one shared table of live fds, which threads close, dup, and pass to
 * each other (also through a socketpair with SCM_RIGHTS).
 *
 * The fuzzing runs in a forked child; the parent supervises. Failures:
 *  1. the child was killed by a signal (SIGKILL there is the OOM killer,
 *     which a map creation of many GiB must never wake: the kernel must
 *     answer ENOMEM or E2BIG), or did not finish in time (a hang);
 *  2. the kernel logged an OOM kill during the run (oom_watch.h);
 *  3. a map, program, link or BTF the child created is still alive after
 *     it exited and the kernel had 10 s, then 60 s more, to free it (a
 *     leak; what only went in the 60 s is printed as freed late);
 *  4. a call returned something impossible: success from an unknown
 *     command, a positive value from a command that returns no fd, an
 *     fd that is not open, an info_len grown past what was given, a
 *     kernel-internal errno (ERESTART*) leaking out.
 * The kernel's own reports (WARNING, BUG, KASAN, ...) fail the guest run.
 *
 * With KBPF_FUZZ_FAULTS=P (a kernel with fault injection: the debug
 * flavour), P percent of the slab and page allocations made inside the
 * fuzzer's bpf(2) calls fail, and of the kbpf JIT's steps: every error
 * path must still end in an errno, free what it took and leave no object.
 *
 * Environment: KBPF_FUZZ_SEED (default 1), KBPF_FUZZ_SECONDS (default 20),
 * KBPF_FUZZ_THREADS (default 2 per online CPU). Each thread's PRNG is
 * seeded from the seed and its index alone, so each thread makes the same
 * sequence of choices again for a seed; how the threads interleave, and so
 * what the kernel answers, does not reproduce.
 *
 * What the fuzzer never does, on any kernel: load program types that can
 * act on the machine (flow dissector, netfilter, LSM, struct_ops, syscall,
 * tracing), attach to an interface or netns, let a program call a helper
 * that reaches other processes (bpf_send_signal*, bpf_override_return,
 * bpf_probe_write_user, bpf_sys_bpf) or any kfunc, touch objects other
 * processes made, or ask for a map size between "fits the budget" and
 * "far beyond the RAM".
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#include "bpf_fuzz.h"
#include "bpf_fuzz_progs.h"
#include "bpf_fuzz_attrs.h"
#include "bpf_fuzz_build.h"
#include "bpf_fuzz_crash.h"
#include "fault_inject.h"
#include "oom_watch.h"
#include "possible_cpus.h"
#include "monotonic.h"

/* After SECONDS, this long for the threads to finish their calls. */
#define GRACE		60
#define SETTLE		10
#define LATE		60
#define PMU_DIR		"/sys/bus/event_source/devices"
#define TRACEFS		"/sys/kernel/tracing/events"

struct fuzz_stats *stats;
struct fuzz_env env;

static struct {
	pthread_mutex_t lock;
	struct entry e[TABLE_MAX];
	int n;
	__u64 est;
} table = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Bytes of the maps whose fds are on their way through the socketpair. */
static __u64 inflight_est;

static time_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void anomaly(const char *fmt, ...)
{
	__u64 n = __atomic_fetch_add(&stats->anomalies, 1, __ATOMIC_RELAXED);
	va_list ap;

	if (n >= ARRAY_LEN(stats->anomaly))
		return;
	va_start(ap, fmt);
	vsnprintf(stats->anomaly[n], sizeof(stats->anomaly[n]), fmt, ap);
	va_end(ap);
}

/* Whether @id is of an object this run made (@kind K_PROG_ARRAY_IDS: a prog array). */
static int own_id(__u32 kind, __u32 id)
{
	__u32 base = stats->id_base[kind == K_PROG_ARRAY_IDS ? K_MAP : kind], i;

	if (id < base)
		return 0;
	i = id - base;
	if (i >= ID_BITS)
		return 0;
	return __atomic_load_n(&stats->id_bits[kind][i / 64], __ATOMIC_RELAXED) >> (i % 64) & 1;
}

static void set_id(__u32 kind, __u32 i)
{
	__atomic_fetch_or(&stats->id_bits[kind][i / 64], 1ULL << (i % 64), __ATOMIC_RELAXED);
}

union obj_info {
	struct bpf_map_info map;
	struct bpf_prog_info prog;
	struct bpf_link_info link;
	struct bpf_btf_info btf;
};

static const __u32 info_size[NR_ID_KINDS] = {
	sizeof(struct bpf_map_info), sizeof(struct bpf_prog_info),
	sizeof(struct bpf_link_info), sizeof(struct bpf_btf_info),
};

/* The id of @fd, an object of @kind; 0 if the kernel does not say. */
static __u32 obj_id(__u32 kind, int fd, union obj_info *info)
{
	union bpf_attr a;

	memset(info, 0, sizeof(*info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = info_size[kind];
	a.info.info = (uintptr_t)info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)))
		return 0;
	switch (kind) {
	case K_MAP:
		return info->map.id;
	case K_PROG:
		return info->prog.id;
	case K_LINK:
		return info->link.id;
	default:
		return info->btf.id;
	}
}

/* Marks a new object's id as this run's, for the leak check and GET_FD_BY_ID. */
static void record_id(struct worker *w, __u32 kind, int fd)
{
	union obj_info info;
	__u32 id = obj_id(kind, fd, &info), i = id - stats->id_base[kind];

	if (!id || id < stats->id_base[kind] || i >= ID_BITS) {
		count(&stats->unrecorded);
		return;
	}
	set_id(kind, i);
	if (kind == K_MAP && info.map.type == BPF_MAP_TYPE_PROG_ARRAY)
		set_id(K_PROG_ARRAY_IDS, i);
	env.recent[kind][below(w, ARRAY_LEN(env.recent[kind]))] = id;
}

static __u64 live_map_bytes(void)
{
	return __atomic_load_n(&table.est, __ATOMIC_RELAXED) +
	       __atomic_load_n(&inflight_est, __ATOMIC_RELAXED);
}

/* Takes @e into the table; when it is full, the oldest entry goes. */
static void table_add(const struct entry *e)
{
	int victim = -1;

	pthread_mutex_lock(&table.lock);
	if (table.n == TABLE_MAX) {
		victim = table.e[0].fd;
		table.est -= table.e[0].est;
		memmove(&table.e[0], &table.e[1], sizeof(table.e[0]) * --table.n);
		count(&stats->evicted);
	}
	table.e[table.n++] = *e;
	table.est += e->est;
	pthread_mutex_unlock(&table.lock);
	if (victim >= 0)
		close(victim);
}

static int matches(const struct entry *e, __u32 kind, __u64 types, __u32 max_key,
		   __u32 max_value)
{
	if (kind != K_NR && e->kind != kind)
		return 0;
	if (types && (e->type >= 64 || !(types & (1ULL << e->type))))
		return 0;
	return (!max_key || e->key_size <= max_key) && (!max_value || e->value_size <= max_value);
}

/*
 * A copy of a random entry of @kind (K_NR: any) whose type is in @types
 * (0: any) and whose key and value are no bigger than given (0: any). The
 * fd stays the table's: by the time it is used, another thread may have
 * closed it, which is part of the fuzzing.
 */
static int table_pick(struct worker *w, __u32 kind, __u64 types, __u32 max_key,
		      __u32 max_value, struct entry *out)
{
	int i, n = 0, k;

	pthread_mutex_lock(&table.lock);
	for (i = 0; i < table.n; i++)
		n += matches(&table.e[i], kind, types, max_key, max_value);
	k = n ? below(w, n) : -1;
	for (i = 0; k >= 0 && i < table.n; i++) {
		if (matches(&table.e[i], kind, types, max_key, max_value) && !k--) {
			*out = table.e[i];
			break;
		}
	}
	pthread_mutex_unlock(&table.lock);
	return n ? 0 : -1;
}

static int table_pick_fd(struct worker *w, int kind)
{
	struct entry e;

	return table_pick(w, kind, 0, 0, 0, &e) ? -1 : e.fd;
}

/* Removes a random entry of @kind: the caller owns its fd from now on. */
static int table_take(struct worker *w, __u32 kind, struct entry *out)
{
	struct entry e;
	int i, ret = -1;

	if (table_pick(w, kind, 0, 0, 0, &e))
		return -1;
	pthread_mutex_lock(&table.lock);
	for (i = 0; i < table.n; i++) {
		if (table.e[i].fd == e.fd) {
			*out = table.e[i];
			table.est -= out->est;
			memmove(&table.e[i], &table.e[i + 1],
				sizeof(table.e[0]) * (table.n - i - 1));
			table.n--;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&table.lock);
	return ret;
}

static int fd_cmd(int cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
	case BPF_PROG_LOAD:
	case BPF_OBJ_GET:
	case BPF_PROG_GET_FD_BY_ID:
	case BPF_MAP_GET_FD_BY_ID:
	case BPF_RAW_TRACEPOINT_OPEN:
	case BPF_BTF_LOAD:
	case BPF_BTF_GET_FD_BY_ID:
	case BPF_LINK_CREATE:
	case BPF_LINK_GET_FD_BY_ID:
	case BPF_ENABLE_STATS:
	case BPF_ITER_CREATE:
	case BPF_TOKEN_CREATE:
		return 1;
	}
	return 0;
}

/* An attr with room for any size the fuzzer gives. */
struct attr_buf {
	union bpf_attr a;
	char tail[2 * PAGE];
};

enum place { AT_STACK, ACROSS_PAGES, INTO_GUARD };

/*
 * One program load at a time. Stock 6.12's verifier keeps its states in
 * memory without a bound of its own: four loads of looping templates at
 * once took 1.4 GiB of slab in copy_verifier_state() and got the fuzzer
 * OOM-killed in a 2 GiB guest. Loads still race with everything else.
 */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * bpf(2) with the attr where @place says, counted; what the kernel must
 * never answer is an anomaly. With ACROSS_PAGES, what the kernel wrote
 * back to the attr comes back to @b.
 */
static long do_bpf(struct worker *w, int cmd, struct attr_buf *b, unsigned int size,
		   enum place place)
{
	int slot = cmd >= 0 && cmd < __MAX_BPF_CMD ? cmd : __MAX_BPF_CMD;
	size_t k = 1 + below(w, PAGE), copy = size;
	char *dst = (char *)b;
	long ret;
	int err;
	__u64 t;

	if (place == ACROSS_PAGES) {
		dst = w->attr_pages + PAGE - k;
		copy = size < PAGE + k ? size : PAGE + k;
	} else if (place == INTO_GUARD) {
		k = 1 + below(w, (size < sizeof(b->a) ? size : sizeof(b->a)) - 1);
		dst = w->attr_pages + 2 * PAGE - k;
		copy = k;
	}
	if (dst != (char *)b)
		memcpy(dst, b, copy);
	if (cmd == BPF_PROG_LOAD)
		pthread_mutex_lock(&load_lock);
	crash_cmd = cmd;
	if (w->fail_fd >= 0)
		pwrite(w->fail_fd, "1", 1, 0);
	t = monotonic_ns();
	ret = syscall(__NR_bpf, cmd, dst, size);
	err = errno;
	t = monotonic_ns() - t;
	if (w->fail_fd >= 0)
		pwrite(w->fail_fd, "0", 1, 0);
	if (cmd == BPF_PROG_LOAD)
		pthread_mutex_unlock(&load_lock);
	if (t > __atomic_load_n(&stats->slowest_ns, __ATOMIC_RELAXED)) {
		stats->slowest_ns = t;
		stats->slowest_cmd = slot;
	}
	if (place == ACROSS_PAGES)
		memcpy(b, dst, sizeof(b->a));

	count(&stats->calls[slot]);
	if (ret >= 0)
		count(&stats->ok[slot]);
	else
		count(&stats->errnos[slot][err < ERRNO_MAX ? err : ERRNO_MAX - 1]);
	if (ret >= 0 && slot == __MAX_BPF_CMD)
		anomaly("unknown command %d returned %ld", cmd, ret);
	else if (ret > 0 && !fd_cmd(cmd))
		anomaly("command %d returned %ld, not 0 or -1", cmd, ret);
	else if (ret >= 0 && fd_cmd(cmd) && fcntl(ret, F_GETFD) < 0)
		anomaly("command %d returned %ld, which is no open fd", cmd, ret);
	if (ret < 0 && err >= 512 && err <= 523)
		anomaly("command %d failed with kernel-internal errno %d", cmd, err);
	errno = err;
	return ret;
}

/* Fills @e from what the kernel says of map @fd. */
static int map_entry(int fd, struct entry *e)
{
	union obj_info info;

	if (!obj_id(K_MAP, fd, &info))
		return -1;
	e->kind = K_MAP;
	e->type = info.map.type;
	e->key_size = info.map.key_size;
	e->value_size = info.map.value_size;
	e->max_entries = info.map.max_entries;
	e->flags = info.map.map_flags;
	e->est = map_est(e->type, e->key_size, e->value_size, e->max_entries, e->flags);
	return 0;
}

/*
 * Puts fd @ret, which @cmd made, into the table: as @res said for a
 * built attr, from the attr or the kernel's information for a random one.
 * New objects are recorded as this run's.
 */
static void adopt(struct worker *w, int cmd, const union bpf_attr *a, struct entry *res,
		  int ret)
{
	struct entry e = *res;

	e.fd = ret;
	switch (cmd) {
	case BPF_MAP_CREATE:
	case BPF_MAP_GET_FD_BY_ID:
		if (map_entry(ret, &e))
			e.kind = K_OTHER;
		break;
	case BPF_PROG_LOAD:
		e.kind = K_PROG;
		e.type = a->prog_type;
		break;
	case BPF_LINK_CREATE:
	case BPF_RAW_TRACEPOINT_OPEN:
	case BPF_LINK_GET_FD_BY_ID:
		e.kind = K_LINK;
		break;
	case BPF_BTF_LOAD:
	case BPF_BTF_GET_FD_BY_ID:
		e.kind = K_BTF;
		break;
	case BPF_PROG_GET_FD_BY_ID:
		e.kind = K_PROG;
		e.type = BPF_PROG_TYPE_UNSPEC;
		break;
	case BPF_OBJ_GET:
		if (e.kind == K_MAP && map_entry(ret, &e))
			e.kind = K_OTHER;
		if (e.kind >= K_PERF)
			e.kind = K_OTHER;
		break;
	default:
		e.kind = K_OTHER;
		break;
	}
	switch (cmd) {
	case BPF_MAP_CREATE:
	case BPF_PROG_LOAD:
	case BPF_LINK_CREATE:
	case BPF_RAW_TRACEPOINT_OPEN:
	case BPF_BTF_LOAD:
		if (e.kind < NR_ID_KINDS)
			record_id(w, e.kind, ret);
		break;
	}
	table_add(&e);
}

/* Mostly the commands that do things, all of them now and then. */
static int pick_cmd(struct worker *w)
{
	static const __u8 weight[__MAX_BPF_CMD] = {
		[BPF_MAP_CREATE] = 8, [BPF_MAP_LOOKUP_ELEM] = 6, [BPF_MAP_UPDATE_ELEM] = 10,
		[BPF_MAP_DELETE_ELEM] = 4, [BPF_MAP_GET_NEXT_KEY] = 3, [BPF_PROG_LOAD] = 10,
		[BPF_PROG_TEST_RUN] = 8, [BPF_OBJ_GET_INFO_BY_FD] = 3,
		[BPF_RAW_TRACEPOINT_OPEN] = 3, [BPF_MAP_LOOKUP_AND_DELETE_ELEM] = 2,
		[BPF_MAP_LOOKUP_BATCH] = 2, [BPF_MAP_LOOKUP_AND_DELETE_BATCH] = 2,
		[BPF_MAP_UPDATE_BATCH] = 2, [BPF_MAP_DELETE_BATCH] = 2, [BPF_LINK_CREATE] = 4,
		[BPF_LINK_DETACH] = 2,
	};
	unsigned int total = 0, r, cmd;

	for (cmd = 0; cmd < __MAX_BPF_CMD; cmd++)
		total += weight[cmd] ? weight[cmd] : 1;
	r = below(w, total);
	for (cmd = 0; cmd < __MAX_BPF_CMD; cmd++) {
		unsigned int wt = weight[cmd] ? weight[cmd] : 1;

		if (r < wt)
			break;
		r -= wt;
	}
	return cmd;
}

/* Random attr words: noise, edge values, live fds, out buffers, bad pointers. */
static void fill_random(struct worker *w, union bpf_attr *a)
{
	__u64 *q = (__u64 *)a;
	unsigned int i;

	for (i = 0; i < sizeof(*a) / 8; i++) {
		switch (below(w, 6)) {
		case 0:
			q[i] = rnd(w);
			break;
		case 1:
			q[i] = interesting(w);
			break;
		case 2:
			q[i] = (__u32)table_pick_fd(w, K_NR) |
			       (__u64)(__u32)table_pick_fd(w, K_NR) << 32;
			break;
		case 3:
			q[i] = (uintptr_t)buf_end(chance(w, 50) ? w->scratch : w->scratch2,
						  below(w, 4096));
			break;
		case 4:
			q[i] = bad_ptrs[below(w, ARRAY_LEN(bad_ptrs))];
			break;
		default:
			q[i] = 0;
			break;
		}
	}
}

/* A size for a random attr, and maybe a tail past the union. */
static unsigned int random_size(struct worker *w, struct attr_buf *b)
{
	unsigned int n = sizeof(b->a), tail;

	switch (below(w, 8)) {
	case 0:
		return 0;
	case 1:
		return 1 + below(w, n - 1);
	case 2:
		/* Tail: zero, or with one byte set. */
		tail = 1 + below(w, 64);
		if (chance(w, 50))
			b->tail[below(w, tail)] = 1 + below(w, 255);
		return n + tail;
	case 3:
		/* Larger than a page. */
		return PAGE + 1 + below(w, 64);
	default:
		return n;
	}
}

/*
 * One bpf(2) call: a random attr, or a valid-looking one for the command
 * with, sometimes, one field bent.
 */
static void op_cmd(struct worker *w, int random)
{
	struct entry res = { .kind = K_NR };
	enum prog_origin origin = PO_NR;
	enum place place = AT_STACK;
	struct attr_buf b;
	unsigned int size = sizeof(b.a);
	__u32 info_len, map_type;
	int cmd, huge;
	long ret;

	memset(&b, 0, sizeof(b));
	if (random) {
		cmd = chance(w, 95) ? (int)below(w, __MAX_BPF_CMD) : __MAX_BPF_CMD + below(w, 4);
		fill_random(w, &b.a);
		size = random_size(w, &b);
		if (chance(w, 10))
			place = size >= 2 && chance(w, 50) ? INTO_GUARD : ACROSS_PAGES;
		count(&stats->random_calls);
	} else {
		cmd = pick_cmd(w);
		build_attr(w, cmd, &b.a, &res, &origin);
		if (chance(w, 25)) {
			bend_one(w, cmd, &b.a);
			count(&stats->bent_calls);
		}
	}
	/* What the kernel does not read is zero, so the attr is what it sees. */
	if (size < sizeof(b.a))
		memset((char *)&b + size, 0, sizeof(b.a) - size);
	huge = sanitize_attr(w, cmd, &b.a);
	map_type = b.a.map_type < __MAX_BPF_MAP_TYPE ? b.a.map_type : __MAX_BPF_MAP_TYPE;
	info_len = b.a.info.info_len;

	ret = do_bpf(w, cmd, &b, size, place);

	switch (cmd) {
	case BPF_MAP_CREATE:
		count_try(&stats->map_tries[map_type], &stats->map_ok[map_type], ret);
		if (huge)
			count_try(&stats->huge_tries, &stats->huge_ok, ret);
		break;
	case BPF_PROG_LOAD:
		if (origin != PO_NR)
			count(ret >= 0 ? &stats->prog_ok[origin] : &stats->prog_refused[origin]);
		break;
	case BPF_PROG_TEST_RUN:
		count_try(&stats->test_runs, &stats->test_runs_ok, ret);
		break;
	case BPF_LINK_CREATE:
		count_try(&stats->link_attach, &stats->link_attach_ok, ret);
		break;
	case BPF_RAW_TRACEPOINT_OPEN:
		count_try(&stats->rawtp_attach, &stats->rawtp_attach_ok, ret);
		break;
	case BPF_OBJ_GET_INFO_BY_FD:
		if (!ret && place != INTO_GUARD && b.a.info.info_len > info_len)
			anomaly("OBJ_GET_INFO_BY_FD: info_len %u grew to %u",
				info_len, b.a.info.info_len);
		break;
	}
	if (ret >= 0 && fd_cmd(cmd))
		adopt(w, cmd, &b.a, &res, ret);
}

static int perf_event_open(struct perf_event_attr *attr, int pid, int cpu)
{
	return syscall(__NR_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* A kprobe or tracepoint event on every task of a CPU, or a cpu-clock one. */
static void op_perf_open(struct worker *w)
{
	enum perf_flavour fl = below(w, PE_NR);
	struct perf_event_attr pa;
	struct entry e = { .kind = K_PERF, .type = fl };
	int pid = -1, cpu = below(w, env.ncpus), fd;

	memset(&pa, 0, sizeof(pa));
	pa.size = sizeof(pa);
	pa.sample_period = 1;
	switch (fl) {
	case PE_KPROBE:
		if (env.kprobe_type < 0)
			return;
		pa.type = env.kprobe_type;
		pa.config1 = (uintptr_t)env.kprobe_sym;
		break;
	case PE_TRACEPOINT:
		pa.type = PERF_TYPE_TRACEPOINT;
		pa.config = env.tp_id[below(w, 2)];
		if ((int)pa.config < 0)
			return;
		break;
	default:
		pa.type = PERF_TYPE_SOFTWARE;
		pa.config = PERF_COUNT_SW_CPU_CLOCK;
		pa.sample_period = 100000 + below(w, 1000000);
		pid = 0;
		cpu = -1;
		break;
	}
	count(&stats->perf_open[fl]);
	fd = perf_event_open(&pa, pid, cpu);
	if (fd < 0)
		return;
	count(&stats->perf_open_ok[fl]);
	e.fd = fd;
	table_add(&e);
}

/* PERF_EVENT_IOC_SET_BPF with a program of the event's type, mostly. */
static void op_ioc_attach(struct worker *w)
{
	static const __u32 types[PE_NR] = {
		BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_TRACEPOINT, BPF_PROG_TYPE_PERF_EVENT,
	};
	struct entry ev, p;

	if (table_pick(w, K_PERF, 0, 0, 0, &ev))
		return;
	if (table_pick(w, K_PROG, chance(w, 80) ? MAP_BIT(types[ev.type]) : 0, 0, 0, &p))
		return;
	count_try(&stats->ioc_attach, &stats->ioc_attach_ok,
		  ioctl(ev.fd, PERF_EVENT_IOC_SET_BPF, p.fd));
	if (chance(w, 50))
		ioctl(ev.fd, chance(w, 70) ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
}

/* An mmapable array mapped, touched at both ends, unmapped. */
/*
 * Maps an mmapable array, whole or one page more, and touches its ends.
 * The table's fd may have been closed and its number reused by another
 * thread since it was picked: the array is mapped through a dup of it
 * whose map is asked for its shape first, which no other thread can
 * change. A mapping past the values must be refused.
 */
static void op_mmap(struct worker *w)
{
	struct entry m, now;
	size_t len, size;
	int rw = chance(w, 70), past = chance(w, 10), fd;
	char *p;

	if (table_pick(w, K_MAP, MAP_BIT(BPF_MAP_TYPE_ARRAY), 0, 0, &m) ||
	    !(m.flags & BPF_F_MMAPABLE))
		return;
	fd = fcntl(m.fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (map_entry(fd, &now) || now.type != BPF_MAP_TYPE_ARRAY ||
	    !(now.flags & BPF_F_MMAPABLE))
		goto out;
	size = ((size_t)round8(now.value_size) * now.max_entries + PAGE - 1) & ~(PAGE - 1);
	len = size + (past ? PAGE : 0);
	count(&stats->mmaps);
	p = mmap(NULL, len, rw ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto out;
	count(&stats->mmaps_ok);
	if (past)
		anomaly("mmap() of %zu bytes of an array of %zu succeeded", len, size);
	else if (rw)
		p[size - 1] = ++p[0];
	else
		__atomic_load_n(&p[size - 1], __ATOMIC_RELAXED);
	munmap(p, len);
out:
	close(fd);
}

static void op_close(struct worker *w)
{
	struct entry e;

	if (table_take(w, K_NR, &e))
		return;
	close(e.fd);
	count(&stats->closes);
}

static void op_dup(struct worker *w)
{
	struct entry e;

	if (table_pick(w, K_NR, 0, 0, 0, &e))
		return;
	e.fd = fcntl(e.fd, F_DUPFD_CLOEXEC, 0);
	if (e.fd < 0)
		return;
	count(&stats->dups);
	table_add(&e);
}

/* An entry leaves through the socketpair; whoever receives it adopts it. */
static void op_scm(struct worker *w)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct entry e;
	struct iovec iov = { .iov_base = &e, .iov_len = sizeof(e) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;

	memset(cbuf, 0, sizeof(cbuf));
	if (chance(w, 50)) {
		if (table_take(w, K_NR, &e))
			return;
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &e.fd, sizeof(int));
		if (sendmsg(env.sock[0], &msg, MSG_DONTWAIT) == sizeof(e)) {
			__atomic_fetch_add(&inflight_est, e.est, __ATOMIC_RELAXED);
			count(&stats->scm_sent);
			close(e.fd);
		} else {
			table_add(&e);
		}
		return;
	}
	if (recvmsg(env.sock[1], &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) != sizeof(e))
		return;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return;
	memcpy(&e.fd, CMSG_DATA(c), sizeof(int));
	__atomic_fetch_sub(&inflight_est, e.est, __ATOMIC_RELAXED);
	count(&stats->scm_received);
	table_add(&e);
}

/* What the attached programs hook: getpid, a context switch, an open. */
static void op_trigger(struct worker *w)
{
	struct timespec ts = { .tv_nsec = below(w, 50000) };
	int fd;

	count(&stats->triggers);
	switch (below(w, 3)) {
	case 0:
		syscall(SYS_getpid);
		break;
	case 1:
		nanosleep(&ts, NULL);
		break;
	default:
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		break;
	}
}

static void op_built_cmd(struct worker *w)
{
	op_cmd(w, 0);
}

static void op_random_cmd(struct worker *w)
{
	op_cmd(w, 1);
}

/* What a thread does, each step picked by its share of 100. */
#define OP(share, fn)	{ share, fn, #fn }
static const struct {
	unsigned int share;
	void (*run)(struct worker *w);
	const char *name;
} ops[] = {
	OP(40, op_built_cmd), OP(15, op_random_cmd), OP(5, op_perf_open),
	OP(7, op_ioc_attach), OP(2, op_mmap), OP(8, op_close), OP(2, op_dup),
	OP(4, op_scm), OP(17, op_trigger),
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned int r, i;

	crash_report_thread(w->idx);
	/* Only this thread's bpf(2) calls are made to fail (do_bpf()). */
	w->fail_fd = env.faults ? fault_inject_thread_fd() : -1;
	while (now() < env.deadline) {
		r = below(w, 100);
		for (i = 0; r >= ops[i].share; i++)
			r -= ops[i].share;
		crash_step = ops[i].name;
		ops[i].run(w);
	}
	return NULL;
}

/* @size bytes readable and writable, then @guard bytes that are not. */
static void *guarded(size_t size, size_t guard)
{
	char *p = mmap(NULL, size + guard, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p, size, PROT_READ | PROT_WRITE))
		return NULL;
	return p;
}

static int child_main(__u64 seed, unsigned int nthreads)
{
	struct worker *ws = calloc(nthreads, sizeof(*ws));
	unsigned int i;

	if (!ws || socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, env.sock))
		return 2;
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &ws[i];

		w->idx = i;
		w->rng = seed;
		w->rng = rnd(w) ^ (0xd1b54a32d192ed03ULL * (i + 1));
		w->scratch = guarded(SCRATCH_SIZE, GUARD_SIZE);
		w->scratch2 = guarded(SCRATCH_SIZE, GUARD_SIZE);
		w->attr_pages = guarded(2 * PAGE, PAGE);
		w->insns = guarded(MAX_INSNS * sizeof(struct bpf_insn), PAGE);
		if (!w->scratch || !w->scratch2 || !w->attr_pages || !w->insns)
			return 2;
		if (pthread_create(&w->tid, NULL, worker_main, w))
			return 2;
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(ws[i].tid, NULL);
	return 0;
}

static long read_long(const char *path)
{
	char buf[64] = "";
	long v = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			v = strtol(buf, NULL, 10);
		fclose(f);
	}
	return v;
}

/*
 * Sets the kernel's fault injection to fail env.faults percent of the
 * allocations (sleeping ones too) and of the kbpf JIT's steps, in tasks
 * that ask for it: the worker threads, in their bpf(2) calls. Returns
 * how many of the three fault attributes the kernel has.
 */
static int setup_faults(void)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc", "fail_kbpf_jit" };
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_LEN(attrs); i++)
		n += !fault_inject_set(attrs[i], env.faults);
	return n;
}

/* The first of @syms that /proc/kallsyms has, for the kprobe events. */
static void pick_kprobe_sym(void)
{
	static const char *const syms[] = {
#if defined(__x86_64__)
		"__x64_sys_getpid",
#elif defined(__aarch64__)
		"__arm64_sys_getpid",
#endif
		"do_sys_openat2",
	};
	char line[512], name[256];
	unsigned int i, best = ARRAY_LEN(syms);
	FILE *f = fopen("/proc/kallsyms", "r");

	env.kprobe_type = read_long(PMU_DIR "/kprobe/type");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && best) {
		if (sscanf(line, "%*s %*s %255s", name) != 1)
			continue;
		for (i = 0; i < best; i++) {
			if (!strcmp(name, syms[i])) {
				best = i;
				snprintf(env.kprobe_sym, sizeof(env.kprobe_sym), "%s", syms[i]);
			}
		}
	}
	fclose(f);
	if (best == ARRAY_LEN(syms))
		env.kprobe_type = -1;
}

static const int next_id_cmd[NR_ID_KINDS] = {
	BPF_MAP_GET_NEXT_ID, BPF_PROG_GET_NEXT_ID, BPF_LINK_GET_NEXT_ID, BPF_BTF_GET_NEXT_ID,
};

static const int fd_by_id_cmd[NR_ID_KINDS] = {
	BPF_MAP_GET_FD_BY_ID, BPF_PROG_GET_FD_BY_ID, BPF_LINK_GET_FD_BY_ID, BPF_BTF_GET_FD_BY_ID,
};

static const char *const kind_name[K_NR] = { "map", "prog", "link", "btf", "perf", "other" };

static __u32 next_id(__u32 kind, __u32 id)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.start_id = id;
	return sys_bpf(next_id_cmd[kind], &a, sizeof(a)) ? 0 : a.next_id;
}

/* This run's ids start past every id that exists now. */
static void id_bases(void)
{
	__u32 kind, id, last;

	for (kind = 0; kind < NR_ID_KINDS; kind++) {
		for (last = 0, id = next_id(kind, 0); id; id = next_id(kind, id))
			last = id;
		stats->id_base[kind] = last + 1;
	}
}

/* Objects of this run still alive: printed (the first 20), counted. */
static int survivors(int print)
{
	union obj_info info;
	union bpf_attr a;
	__u32 kind, id;
	int n = 0, fd;

	for (kind = 0; kind < NR_ID_KINDS; kind++) {
		for (id = next_id(kind, 0); id; id = next_id(kind, id)) {
			if (!own_id(kind, id))
				continue;
			if (print && n < 20) {
				memset(&a, 0, sizeof(a));
				a.start_id = id;
				fd = sys_bpf(fd_by_id_cmd[kind], &a, sizeof(a));
				printf("# left alive: %s id %u", kind_name[kind], id);
				if (fd >= 0 && obj_id(kind, fd, &info)) {
					printf(" type %u", info.map.type);
					if (kind == K_MAP)
						printf(" flags %#x", info.map.map_flags);
				}
				printf("\n");
				if (fd >= 0)
					close(fd);
			}
			n++;
		}
	}
	return n;
}

/*
 * A perf event array made with BPF_F_PRESERVE_ELEMS keeps its events when
 * its last fd goes, on both kernels: with a program that uses the array
 * attached to one of its events, array, event and program hold each
 * other for good, until somebody deletes the elements. The fuzzer does
 * that for this run's arrays still alive (up to PRESERVED_MAX slots each)
 * before it counts what is left.
 */
#define PRESERVED_MAX	65536

static void empty_preserved_arrays(void)
{
	union obj_info info;
	union bpf_attr a;
	__u32 id, key;
	int fd;

	for (id = next_id(K_MAP, 0); id; id = next_id(K_MAP, id)) {
		if (!own_id(K_MAP, id))
			continue;
		memset(&a, 0, sizeof(a));
		a.map_id = id;
		fd = sys_bpf(BPF_MAP_GET_FD_BY_ID, &a, sizeof(a));
		if (fd < 0)
			continue;
		if (obj_id(K_MAP, fd, &info) &&
		    info.map.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY &&
		    (info.map.map_flags & BPF_F_PRESERVE_ELEMS)) {
			for (key = 0; key < info.map.max_entries && key < PRESERVED_MAX; key++) {
				memset(&a, 0, sizeof(a));
				a.map_fd = fd;
				a.key = (uintptr_t)&key;
				sys_bpf(BPF_MAP_DELETE_ELEM, &a, sizeof(a));
			}
		}
		close(fd);
	}
}

/*
 * A path bent by one character (the pointer moved into the name) pins
 * under a name this run never gave, "2" for "m2": what it holds is not
 * leaked, and goes with the pin. Named, for whoever reads why an object
 * lived as long as the run's directory.
 */
static void remove_unknown_pins(void)
{
	DIR *dir = opendir(env.pin_dir);
	struct dirent *de;

	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		printf("# pinned under a bent path: %s/%s, removed\n", env.pin_dir,
		       de->d_name);
		unlinkat(dirfd(dir), de->d_name, 0);
	}
	if (dir)
		closedir(dir);
}

static void remove_pins(void)
{
	char path[128];
	__u32 i;
	int k;

	for (i = 0; i < stats->pins; i++) {
		for (k = 0; k < K_NR; k++) {
			snprintf(path, sizeof(path), "%s/%c%u", env.pin_dir, pin_kind[k], i);
			unlink(path);
		}
	}
	remove_unknown_pins();
	if (env.pin_dir_fd >= 0)
		close(env.pin_dir_fd);
	rmdir(env.pin_dir);
}

static const char *const cmd_names[NR_CMDS] = {
	"MAP_CREATE", "MAP_LOOKUP_ELEM", "MAP_UPDATE_ELEM", "MAP_DELETE_ELEM",
	"MAP_GET_NEXT_KEY", "PROG_LOAD", "OBJ_PIN", "OBJ_GET", "PROG_ATTACH",
	"PROG_DETACH", "PROG_TEST_RUN", "PROG_GET_NEXT_ID", "MAP_GET_NEXT_ID",
	"PROG_GET_FD_BY_ID", "MAP_GET_FD_BY_ID", "OBJ_GET_INFO_BY_FD", "PROG_QUERY",
	"RAW_TRACEPOINT_OPEN", "BTF_LOAD", "BTF_GET_FD_BY_ID", "TASK_FD_QUERY",
	"MAP_LOOKUP_AND_DELETE_ELEM", "MAP_FREEZE", "BTF_GET_NEXT_ID",
	"MAP_LOOKUP_BATCH", "MAP_LOOKUP_AND_DELETE_BATCH", "MAP_UPDATE_BATCH",
	"MAP_DELETE_BATCH", "LINK_CREATE", "LINK_UPDATE", "LINK_GET_FD_BY_ID",
	"LINK_GET_NEXT_ID", "ENABLE_STATS", "ITER_CREATE", "LINK_DETACH",
	"PROG_BIND_MAP", "TOKEN_CREATE", "past the end",
};

static const char *errno_name(int e, char *buf, size_t len)
{
	const char *s = e < ERRNO_MAX - 1 ? strerrorname_np(e) : ">=600";

	if (s)
		return s;
	snprintf(buf, len, "%d", e);
	return buf;
}

/* The @n largest of @v[0..len), as "NAME count, ..." into @out. */
static void top_errnos(const __u64 *v, int len, int n, char *out, size_t size)
{
	char name[16];
	int used[8], i, j, best, off = 0;

	out[0] = 0;
	for (j = 0; j < n && j < 8; j++) {
		best = -1;
		for (i = 1; i < len; i++) {
			int k, seen = 0;

			for (k = 0; k < j; k++)
				seen |= used[k] == i;
			if (!seen && v[i] && (best < 0 || v[i] > v[best]))
				best = i;
		}
		if (best < 0)
			break;
		used[j] = best;
		off += snprintf(out + off, size - off, "%s%s %llu", j ? ", " : "",
				errno_name(best, name, sizeof(name)), (unsigned long long)v[best]);
	}
}

static void print_figures(__u64 seed, unsigned int seconds, unsigned int threads,
			  double elapsed)
{
	static const char *const pe_names[PE_NR] = { "kprobe", "tracepoint", "cpu-clock" };
	static const char *const po_names[PO_NR] = { "template", "mutated", "random" };
	static __u64 all[ERRNO_MAX];
	unsigned long long total = 0;
	char top[512];
	int c, e, t;

	for (c = 0; c < NR_CMDS; c++) {
		total += stats->calls[c];
		for (e = 0; e < ERRNO_MAX; e++)
			all[e] += stats->errnos[c][e];
	}
	printf("# seed=%llu seconds=%u threads=%u possible_cpus=%d ran=%.1fs\n",
	       (unsigned long long)seed, seconds, threads, env.ncpus, elapsed);
	printf("# calls: %llu (%.0f/s), %llu with random attrs, %llu with a bent field\n",
	       total, total / (elapsed > 0 ? elapsed : 1),
	       (unsigned long long)stats->random_calls, (unsigned long long)stats->bent_calls);
	for (c = 0; c < NR_CMDS; c++) {
		top_errnos(stats->errnos[c], ERRNO_MAX, 3, top, sizeof(top));
		printf("# %-27s calls %8llu ok %8llu  %s\n", cmd_names[c],
		       (unsigned long long)stats->calls[c], (unsigned long long)stats->ok[c], top);
	}
	top_errnos(all, ERRNO_MAX, 8, top, sizeof(top));
	printf("# top errnos: %s\n", top);
	for (t = 0; t < PO_NR; t++)
		printf("# programs %-8s accepted %llu refused %llu\n", po_names[t],
		       (unsigned long long)stats->prog_ok[t],
		       (unsigned long long)stats->prog_refused[t]);
	printf("# maps created/tried per type:");
	for (t = 0; t < NR_MAP_TYPES; t++)
		if (stats->map_tries[t])
			printf(" %d:%llu/%llu", t, (unsigned long long)stats->map_ok[t],
			       (unsigned long long)stats->map_tries[t]);
	printf("\n# maps of many GiB: tried %llu, created %llu\n",
	       (unsigned long long)stats->huge_tries, (unsigned long long)stats->huge_ok);
	for (t = 0; t < PE_NR; t++)
		printf("# perf events %-10s opened %llu of %llu\n", pe_names[t],
		       (unsigned long long)stats->perf_open_ok[t],
		       (unsigned long long)stats->perf_open[t]);
	printf("# attaches: PERF_EVENT_IOC_SET_BPF %llu of %llu, LINK_CREATE %llu of %llu\n",
	       (unsigned long long)stats->ioc_attach_ok, (unsigned long long)stats->ioc_attach,
	       (unsigned long long)stats->link_attach_ok, (unsigned long long)stats->link_attach);
	printf("# attaches: RAW_TRACEPOINT_OPEN %llu of %llu\n",
	       (unsigned long long)stats->rawtp_attach_ok, (unsigned long long)stats->rawtp_attach);
	printf("# test runs: %llu of %llu; mmaps: %llu of %llu; hook triggers: %llu\n",
	       (unsigned long long)stats->test_runs_ok, (unsigned long long)stats->test_runs,
	       (unsigned long long)stats->mmaps_ok, (unsigned long long)stats->mmaps,
	       (unsigned long long)stats->triggers);
	printf("# slowest call: %s, %.3f s\n", cmd_names[stats->slowest_cmd],
	       stats->slowest_ns / 1e9);
	printf("# fds: closed %llu, dup'd %llu, evicted %llu; ids not recorded %llu\n",
	       (unsigned long long)stats->closes, (unsigned long long)stats->dups,
	       (unsigned long long)stats->evicted, (unsigned long long)stats->unrecorded);
	printf("# fds over SCM_RIGHTS: sent %llu, received %llu\n",
	       (unsigned long long)stats->scm_sent, (unsigned long long)stats->scm_received);
}

static void print_reproduce(__u64 seed, unsigned int seconds, unsigned int threads)
{
	printf("# reproduce: KBPF_FUZZ_SEED=%llu KBPF_FUZZ_THREADS=%u KBPF_FUZZ_SECONDS=%u",
	       (unsigned long long)seed, threads, seconds);
	if (env.faults)
		printf(" KBPF_FUZZ_FAULTS=%u", env.faults);
	printf(" bpf_fuzz\n");
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static void setup(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	long long mem = meminfo_bytes("MemTotal:");

	setrlimit(RLIMIT_MEMLOCK, &rl);
	env.ncpus = possible_cpus();
	if (env.ncpus < 1)
		env.ncpus = 1;
	env.huge_bytes = 2ULL * (mem > 0 ? mem : 1LL << 40);
	env.tp_id[0] = read_long(TRACEFS "/syscalls/sys_enter_getpid/id");
	env.tp_id[1] = read_long(TRACEFS "/sched/sched_switch/id");
	pick_kprobe_sym();
	snprintf(env.pin_dir, sizeof(env.pin_dir), "/sys/fs/bpf/kbpf_fuzz_%d", getpid());
	mkdir(env.pin_dir, 0700);
	env.pin_dir_fd = open(env.pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	id_bases();
	env.faults = env_ul("KBPF_FUZZ_FAULTS", 0);
	if (env.faults > 100)
		env.faults = 100;
	if (env.faults && !setup_faults()) {
		printf("# no fault injection in this kernel: KBPF_FUZZ_FAULTS ignored\n");
		env.faults = 0;
	}
}

/* Print @path's lines, each after @prefix; at most @max of them. */
static void print_file(const char *prefix, const char *path, int max)
{
	FILE *f = fopen(path, "r");
	char line[256];

	while (f && max-- > 0 && fgets(line, sizeof(line), f))
		printf("%s%s", prefix, line);
	if (f)
		fclose(f);
}

/*
 * Where each of the child's threads is, for a hang: its state and the
 * kernel stack it sleeps or runs in (root reads /proc/TID/stack), before
 * it is killed, and again after, for one the kill could not end.
 */
static void print_threads(pid_t pid, const char *when)
{
	char path[320];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		printf("# thread %s, %s:\n", de->d_name, when);
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, de->d_name);
		print_file("#   stat: ", path, 1);
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", pid, de->d_name);
		print_file("#   ", path, 24);
	}
	if (dir)
		closedir(dir);
}

/*
 * Waits for the child: 0 when it finished, 1 when it was still in a call
 * after the grace time but its SIGKILL ended it (a slow call: big maps
 * take a minute in a debug kernel), -1 when not even that did: a hang.
 */
static int supervise(pid_t pid, unsigned int seconds, int *status)
{
	time_t end = now() + seconds + GRACE;

	while (waitpid(pid, status, WNOHANG) != pid) {
		if (now() >= end) {
			print_threads(pid, "when the time was up");
			kill(pid, SIGKILL);
			for (end = now() + SETTLE; now() < end; usleep(100000))
				if (waitpid(pid, status, WNOHANG) == pid)
					return 1;
			print_threads(pid, "still there after SIGKILL");
			return -1;
		}
		usleep(100000);
	}
	return 0;
}

int main(void)
{
	__u64 seed = env_ul("KBPF_FUZZ_SEED", 1);
	unsigned int seconds = env_ul("KBPF_FUZZ_SECONDS", 20);
	unsigned int threads = env_ul("KBPF_FUZZ_THREADS", 2 * sysconf(_SC_NPROCESSORS_ONLN));
	struct timespec t0, t1;
	int oom_fd, ooms;
	int status = 0, hung, left, fail = 0;
	time_t end, late;
	pid_t pid;
	__u64 i;

	printf("TAP version 13\n1..4\n");
	stats = mmap(NULL, sizeof(*stats), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		     -1, 0);
	if (stats == MAP_FAILED || !threads) {
		printf("Bail out! no shared memory or no threads\n");
		return 1;
	}
	setup();
	print_reproduce(seed, seconds, threads);
	oom_fd = oom_watch_start();
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	env.deadline = now() + seconds;
	pid = fork();
	if (!pid)
		_exit(child_main(seed, threads));
	hung = pid < 0 ? -1 : supervise(pid, seconds, &status);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	if (hung < 0) {
		printf("# the child did not finish within %u s, nor die of SIGKILL: a hang\n",
		       seconds + GRACE);
	} else if (hung) {
		printf("# a call of the child outlived the %u s and its SIGKILL ended it: %s\n",
		       seconds + GRACE, "slow, not hung");
		status = 0;
	} else if (WIFSIGNALED(status)) {
		printf("# the child was killed by signal %d%s\n", WTERMSIG(status),
		       WTERMSIG(status) == SIGKILL ? " (SIGKILL: the OOM killer?)" : "");
	} else if (WEXITSTATUS(status)) {
		printf("# the child exited with %d (setup failed)\n", WEXITSTATUS(status));
	}
	fail |= hung < 0 || !WIFEXITED(status) || WEXITSTATUS(status);
	printf("%sok 1 fuzz seed=%llu\n", hung < 0 || !WIFEXITED(status) || WEXITSTATUS(status) ?
	       "not " : "", (unsigned long long)seed);

	ooms = oom_fd < 0 ? -1 : oom_kills_since(oom_fd);
	if (ooms)
		printf("# %s\n", ooms < 0 ? "no /dev/kmsg to read" : "the kernel OOM-killed");
	fail |= !!ooms;
	printf("%sok 2 no oom kill\n", ooms ? "not " : "");

	/*
	 * Objects go after RCU grace periods and work items: give them time.
	 * A program's maps are put only when its own free work has run, so a
	 * busy kernel (a debug one on one CPU) may take longer: what is still
	 * there after SETTLE is printed, and counts as leaked only if it is
	 * still there LATE seconds on.
	 */
	remove_pins();
	empty_preserved_arrays();
	for (end = now() + SETTLE; (left = survivors(0)) && now() < end; usleep(200000))
		;
	if (left) {
		survivors(1);
		late = now();
		for (end = late + LATE; (left = survivors(0)) && now() < end; usleep(200000))
			;
		if (!left)
			printf("# all gone %ld s later: freed late, not leaked\n",
			       (long)(now() - late));
	}
	fail |= !!left;
	printf("%sok 3 no objects left\n", left ? "not " : "");

	for (i = 0; i < stats->anomalies && i < ARRAY_LEN(stats->anomaly); i++)
		printf("# impossible: %s\n", stats->anomaly[i]);
	fail |= !!stats->anomalies;
	printf("%sok 4 no impossible results\n", stats->anomalies ? "not " : "");

	print_figures(seed, seconds, threads,
		      t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	print_reproduce(seed, seconds, threads);
	return fail ? 1 : 0;
}
