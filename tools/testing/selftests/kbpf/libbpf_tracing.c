// SPDX-License-Identifier: GPL-2.0
/*
 * A clang-built object with a program for each kind of hook, attached
 * the way most tools attach: through libbpf's bpf_program__attach_*()
 * (kprobe and kretprobe through perf's kprobe PMU, a syscall tracepoint,
 * a raw tracepoint, a uprobe on this binary, a sampling perf event),
 * with whatever libbpf probes the kernel for on the way (perf links or
 * the SET_BPF ioctl). Each program counts this process's events; the
 * counts must be exactly the calls made, and stop when the links go.
 * libbpf's ring_buffer reads the records the raw tracepoint program
 * makes, one per call.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../kselftest_harness.h"
#include "getppid_func.h"
#include "file_offset.h"
#include "libbpf_util.h"
#include "progs/tracing.h"

#define OBJ_FILE	"tracing.bpf.o"
#define CALLS		50

static const char * const prog_names[NR_HOOKS] = {
	[HOOK_KPROBE] = "on_kprobe",
	[HOOK_KRETPROBE] = "on_kretprobe",
	[HOOK_TRACEPOINT] = "on_tracepoint",
	[HOOK_RAW_TRACEPOINT] = "on_raw_tracepoint",
	[HOOK_UPROBE] = "on_uprobe",
	[HOOK_PERF_EVENT] = "on_perf_event",
};

/* The uprobe's target; called through a pointer the compiler cannot see. */
static int uprobe_target(int x)
{
	asm volatile("" : "+r"(x));
	return x + 1;
}

static __u64 count_of(int map, __u32 hook)
{
	__u64 v = ~0ull;

	bpf_map_lookup_elem(map, &hook, &v);
	return v;
}

FIXTURE(hooks) {
	struct bpf_object *obj;
	struct bpf_link *links[NR_HOOKS];
	int perf_fd;
	int counts;
};

FIXTURE_SETUP(hooks)
{
	struct tracing_cfg *cfg;
	struct bpf_map *rodata;
	size_t size;

	memset(self->links, 0, sizeof(self->links));
	self->perf_fd = -1;
	self->obj = open_obj(OBJ_FILE);
	ASSERT_NE(NULL, self->obj);
	rodata = bpf_object__find_map_by_name(self->obj, ".rodata");
	ASSERT_NE(NULL, rodata);
	cfg = (struct tracing_cfg *)bpf_map__initial_value(rodata, &size);
	ASSERT_NE(NULL, cfg);
	ASSERT_EQ(sizeof(*cfg), size);
	cfg->tgid = getpid();
	cfg->getppid_nr = __NR_getppid;
	ASSERT_EQ(0, bpf_object__load(self->obj));
	self->counts = bpf_map__fd(bpf_object__find_map_by_name(self->obj, "counts"));
	ASSERT_LE(0, self->counts);
}

FIXTURE_TEARDOWN(hooks)
{
	int i;

	for (i = 0; i < NR_HOOKS; i++)
		bpf_link__destroy(self->links[i]);
	if (self->perf_fd >= 0)
		close(self->perf_fd);
	bpf_object__close(self->obj);
}

static struct bpf_program *prog(struct bpf_object *obj, int hook)
{
	return bpf_object__find_program_by_name(obj, prog_names[hook]);
}

/*
 * Attach every program of @obj, each the way its kind is attached; the
 * sampling event goes in *@perf_fd. Returns the first hook that failed,
 * or -1 when all are attached.
 */
static int attach_all(struct bpf_object *obj, struct bpf_link **links,
		      int *perf_fd)
{
	long off = file_offset((void *)uprobe_target);
	struct perf_event_attr pa;
	int i;

	links[HOOK_KPROBE] =
		bpf_program__attach_kprobe(prog(obj, HOOK_KPROBE), false,
					   GETPPID_FUNC);
	links[HOOK_KRETPROBE] =
		bpf_program__attach_kprobe(prog(obj, HOOK_KRETPROBE), true,
					   GETPPID_FUNC);
	/* The section names the tracepoint and the raw tracepoint. */
	links[HOOK_TRACEPOINT] = bpf_program__attach(prog(obj, HOOK_TRACEPOINT));
	links[HOOK_RAW_TRACEPOINT] =
		bpf_program__attach(prog(obj, HOOK_RAW_TRACEPOINT));
	links[HOOK_UPROBE] =
		bpf_program__attach_uprobe(prog(obj, HOOK_UPROBE), false, 0,
					   "/proc/self/exe", off);

	memset(&pa, 0, sizeof(pa));
	pa.size = sizeof(pa);
	pa.type = PERF_TYPE_SOFTWARE;
	pa.config = PERF_COUNT_SW_TASK_CLOCK;
	pa.sample_period = 1000000;	/* 1 ms of this task's time */
	*perf_fd = syscall(__NR_perf_event_open, &pa, 0, -1, -1,
			   PERF_FLAG_FD_CLOEXEC);
	if (*perf_fd >= 0)
		links[HOOK_PERF_EVENT] =
			bpf_program__attach_perf_event(prog(obj, HOOK_PERF_EVENT),
						       *perf_fd);
	for (i = 0; i < NR_HOOKS; i++)
		if (!links[i])
			return i;
	return -1;
}

/* Make CALLS events of each kind, and some task time for the sampler. */
static void fire(void)
{
	int (*target)(int) = uprobe_target;
	int i, sum = 0;

	asm volatile("" : "+r"(target));
	for (i = 0; i < CALLS; i++) {
		syscall(__NR_getppid);
		sum += target(i);
	}
	if (sum != CALLS * (CALLS + 1) / 2)
		abort();
}

TEST_F(hooks, each_hook_counts_exactly)
{
	int i, spin;

	ASSERT_EQ(-1, attach_all(self->obj, self->links, &self->perf_fd))
		TH_LOG("attaching failed: %s", strerror(errno));
	fire();
	for (i = 0; i < NR_HOOKS; i++) {
		if (i == HOOK_PERF_EVENT)
			continue;
		EXPECT_EQ(CALLS, count_of(self->counts, i))
			TH_LOG("hook %d", i);
	}
	/* The sampler fires every millisecond of this task's time. */
	for (spin = 0; count_of(self->counts, HOOK_PERF_EVENT) < 3 &&
	     spin < 2000000; spin++)
		;
	EXPECT_LE(3, count_of(self->counts, HOOK_PERF_EVENT));
}

TEST_F(hooks, destroyed_links_stop_counting)
{
	__u64 before[NR_HOOKS];
	int i;

	ASSERT_EQ(-1, attach_all(self->obj, self->links, &self->perf_fd))
		TH_LOG("attaching failed: %s", strerror(errno));
	fire();
	for (i = 0; i < NR_HOOKS; i++) {
		bpf_link__destroy(self->links[i]);
		self->links[i] = NULL;
		before[i] = count_of(self->counts, i);
	}
	fire();
	for (i = 0; i < NR_HOOKS; i++)
		EXPECT_EQ(before[i], count_of(self->counts, i))
			TH_LOG("hook %d", i);
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct tracing_event *e = data;
	int *seen = ctx;

	/* A record not as written stops the reading with an error. */
	if (size != sizeof(*e) || e->tgid != (__u32)getpid() ||
	    e->nr != __NR_getppid)
		return -EINVAL;
	(*seen)++;
	return 0;
}

TEST_F(hooks, ring_buffer_gets_each_call)
{
	struct ring_buffer *rb;
	int seen = 0, fd;

	fd = bpf_map__fd(bpf_object__find_map_by_name(self->obj, "events"));
	ASSERT_LE(0, fd);
	rb = ring_buffer__new(fd, on_event, &seen, NULL);
	ASSERT_NE(NULL, rb);
	ASSERT_EQ(-1, attach_all(self->obj, self->links, &self->perf_fd))
		TH_LOG("attaching failed: %s", strerror(errno));
	fire();
	/* Each poll waits for the records' wakeup, then reads them all. */
	while (seen < CALLS && ring_buffer__poll(rb, 1000) > 0)
		;
	EXPECT_EQ(CALLS, seen);
	EXPECT_EQ(0, ring_buffer__consume(rb));
	ring_buffer__free(rb);
}

TEST_HARNESS_MAIN
