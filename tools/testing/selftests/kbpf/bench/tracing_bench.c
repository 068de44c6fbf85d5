// SPDX-License-Identifier: GPL-2.0
/*
 * Tracing benchmarks, run in a guest by scripts/kbpf/bench.sh on both
 * flavours: the cost a program adds to each event of a tight getppid()
 * loop when attached to a kprobe, a syscall tracepoint and a raw
 * tracepoint (ns per call with it, minus without), and how many records
 * per second go through a perf buffer and a ring buffer with a reader
 * draining each.
 *
 * Prints "name value unit" lines; only kbpf/stock ratios mean anything.
 */

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>

#include "../bpf_insns.h"

#if defined(__x86_64__)
#define GETPPID_FUNC	"__x64_sys_getppid"
#elif defined(__aarch64__)
#define GETPPID_FUNC	"__arm64_sys_getppid"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CALLS		200000
#define RING_PAGES	64

static void die(const char *what)
{
	fprintf(stderr, "tracing_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per getppid() call, the best of three rounds. */
static double call_ns(void)
{
	double best = 0;
	int round, i;

	for (round = 0; round < 3; round++) {
		double t = now_ns(), ns;

		for (i = 0; i < CALLS; i++)
			syscall(__NR_getppid);
		ns = (now_ns() - t) / CALLS;
		if (!round || ns < best)
			best = ns;
	}
	return best;
}

static int load(__u32 type, const struct bpf_insn *insns, unsigned int cnt)
{
	int fd = load_insns(type, insns, cnt, NULL);

	if (fd < 0)
		die("load");
	return fd;
}

static int map_create(__u32 type, __u32 key, __u32 value, __u32 entries)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key;
	attr.value_size = value;
	attr.max_entries = entries;
	fd = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		die("map create");
	return fd;
}

/* A typical small program: count the event in an array map. */
static int load_counter(__u32 type, int map)
{
	const struct bpf_insn p[] = {
		ST_IMM(BPF_W, 10, -4, 0),
		LD_MAP(1, map),
		IMM_HI(0),
		MOV_REG(2, 10),
		ADD_IMM(2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(0, 0, 2),
		MOV_IMM(1, 1),
		ATOMIC_ADD(0, 1, 0),
		MOV_IMM(0, 0),
		EXIT(),
	};

	return load(type, p, ARRAY_SIZE(p));
}

static int perf_open(struct perf_event_attr *attr, int cpu)
{
	int fd = syscall(__NR_perf_event_open, attr, -1, cpu, -1,
			 PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		die("perf_event_open");
	return fd;
}

static long read_number(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f || fscanf(f, "%ld", &v) != 1)
		die(path);
	fclose(f);
	return v;
}

static int kprobe_event(void)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = read_number("/sys/bus/event_source/devices/kprobe/type");
	attr.kprobe_func = (uintptr_t)GETPPID_FUNC;
	return perf_open(&attr, 0);
}

static int tracepoint_event(void)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = read_number("/sys/kernel/tracing/events/syscalls/sys_enter_getppid/id");
	attr.sample_period = 1;
	return perf_open(&attr, 0);
}

/* ns a program on @event (a perf event, or -1 for a raw tracepoint) adds. */
static double overhead_ns(__u32 type, int event, double base)
{
	int map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	int prog = load_counter(type, map), link;
	union bpf_attr attr;
	double ns;

	if (event >= 0) {
		if (ioctl(event, PERF_EVENT_IOC_SET_BPF, prog) ||
		    ioctl(event, PERF_EVENT_IOC_ENABLE, 0))
			die("attach");
		link = event;
	} else {
		memset(&attr, 0, sizeof(attr));
		attr.raw_tracepoint.prog_fd = prog;
		attr.raw_tracepoint.name = (uintptr_t)"sys_enter";
		link = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
		if (link < 0)
			die("raw tracepoint");
	}
	ns = call_ns() - base;
	close(link);
	close(prog);
	close(map);
	return ns;
}

struct ring {
	struct perf_event_mmap_page *meta;
	long page;
	int stop;
	unsigned long records, lost;
};

/* Drain the ring of CPU 0's output event until told to stop. */
static void *reader(void *arg)
{
	struct ring *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		__u64 head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
		__u64 tail = r->meta->data_tail;
		char *data = (char *)r->meta + r->page;

		while (tail < head) {
			struct perf_event_header *h =
				(void *)(data + tail % r->meta->data_size);

			if (h->type == PERF_RECORD_SAMPLE)
				r->records++;
			else if (h->type == PERF_RECORD_LOST)
				r->lost += *(__u64 *)((char *)(h + 1) + 8);
			tail += h->size;
		}
		__atomic_store_n(&r->meta->data_tail, tail, __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * Runs @prog on sys_enter for CALLS getppid() calls while @drain runs on
 * @reader, which it stops through @stop afterwards; returns the calls' ns.
 */
static double drained_calls_ns(int prog, void *(*drain)(void *), void *reader,
			       int *stop)
{
	union bpf_attr attr;
	pthread_t thread;
	int link, i;
	double t;

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.prog_fd = prog;
	attr.raw_tracepoint.name = (uintptr_t)"sys_enter";
	link = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
	if (link < 0)
		die("raw tracepoint");
	if (pthread_create(&thread, NULL, drain, reader))
		die("reader");
	t = now_ns();
	for (i = 0; i < CALLS; i++)
		syscall(__NR_getppid);
	t = now_ns() - t;
	close(link);
	__atomic_store_n(stop, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	return t;
}

/* Records per second from a raw tracepoint program through a perf buffer. */
static void perf_buffer_rate(void)
{
	int map = map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 1);
	struct perf_event_attr pa;
	struct ring r = { .page = sysconf(_SC_PAGESIZE) };
	union bpf_attr attr;
	cpu_set_t cpus;
	int event, prog;
	__u32 key = 0;
	double t;
	const struct bpf_insn p[] = {
		ST_IMM(BPF_DW, 10, -8, 1),
		ST_IMM(BPF_DW, 10, -16, 2),
		LD_MAP(2, map),
		IMM_HI(0),
		INSN(BPF_ALU | BPF_MOV | BPF_K, 3, 0, 0, 0),	/* slot 0 */
		MOV_REG(4, 10),
		ADD_IMM(4, -16),
		MOV_IMM(5, 16),
		CALL(BPF_FUNC_perf_event_output),
		MOV_IMM(0, 0),
		EXIT(),
	};

	/* Everything on CPU 0: the program writes to CPU 0's event. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	memset(&pa, 0, sizeof(pa));
	pa.size = sizeof(pa);
	pa.type = PERF_TYPE_SOFTWARE;
	pa.config = PERF_COUNT_SW_BPF_OUTPUT;
	pa.sample_type = PERF_SAMPLE_RAW;
	pa.sample_period = 1;
	pa.wakeup_events = 1;
	event = perf_open(&pa, 0);
	r.meta = mmap(NULL, (RING_PAGES + 1) * r.page, PROT_READ | PROT_WRITE,
		      MAP_SHARED, event, 0);
	if (r.meta == MAP_FAILED)
		die("mmap");
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&event;
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)) ||
	    ioctl(event, PERF_EVENT_IOC_ENABLE, 0))
		die("perf event array");
	prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, ARRAY_SIZE(p));
	t = drained_calls_ns(prog, reader, &r, &r.stop);
	printf("trace_perf_buffer_records %.0f ops/s\n", r.records / (t / 1e9));
	printf("perf buffer: %lu of %d records lost\n", r.lost, CALLS);
	close(prog);
	munmap(r.meta, (RING_PAGES + 1) * r.page);
	close(event);
	close(map);
}

/**
 * struct ringbuf_reader - drains a BPF ring buffer, as libbpf does
 * @consumer: the reader's position (mapped writable)
 * @producer: the producer's position, then the data
 * @size: bytes of data
 * @stop: set when the writer is done
 * @records: records read
 */
struct ringbuf_reader {
	unsigned long *consumer;
	unsigned long *producer;
	long size;
	int stop;
	unsigned long records;
};

static void *ringbuf_drain(void *arg)
{
	struct ringbuf_reader *r = arg;
	unsigned char *data = (unsigned char *)r->producer + sysconf(_SC_PAGESIZE);

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		unsigned long cons = *r->consumer;
		unsigned long prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);

		while (cons < prod) {
			__u32 len = __atomic_load_n((__u32 *)(data + (cons & (r->size - 1))),
						    __ATOMIC_ACQUIRE);

			if (len & BPF_RINGBUF_BUSY_BIT)
				break;
			r->records++;
			cons += ((len & ~BPF_RINGBUF_DISCARD_BIT) + 8 + 7) & ~7ul;
		}
		__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Records per second from a raw tracepoint program through a ring buffer. */
static void ringbuf_rate(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct ringbuf_reader r = { .size = RING_PAGES * page };
	int map = map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, r.size);
	int prog;
	double t;
	const struct bpf_insn p[] = {
		ST_IMM(BPF_DW, 10, -8, 1),
		ST_IMM(BPF_DW, 10, -16, 2),
		LD_MAP(1, map),
		IMM_HI(0),
		MOV_REG(2, 10),
		ADD_IMM(2, -16),
		MOV_IMM(3, 16),
		MOV_IMM(4, 0),
		CALL(BPF_FUNC_ringbuf_output),
		MOV_IMM(0, 0),
		EXIT(),
	};

	r.consumer = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, map, 0);
	r.producer = mmap(NULL, page + 2 * r.size, PROT_READ, MAP_SHARED, map,
			  page);
	if (r.consumer == MAP_FAILED || r.producer == MAP_FAILED)
		die("ring buffer mmap");
	prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, ARRAY_SIZE(p));
	t = drained_calls_ns(prog, ringbuf_drain, &r, &r.stop);
	printf("trace_ringbuf_records %.0f ops/s\n", r.records / (t / 1e9));
	printf("ring buffer: %lu records read for %d calls\n", r.records, CALLS);
	close(prog);
	munmap(r.consumer, page);
	munmap(r.producer, page + 2 * r.size);
	close(map);
}

int main(void)
{
	double base = call_ns();

	printf("trace_getppid_bare %.1f ns\n", base);
	printf("trace_kprobe_overhead %.1f ns\n",
	       overhead_ns(BPF_PROG_TYPE_KPROBE, kprobe_event(), base));
	printf("trace_tracepoint_overhead %.1f ns\n",
	       overhead_ns(BPF_PROG_TYPE_TRACEPOINT, tracepoint_event(), base));
	printf("trace_raw_tp_overhead %.1f ns\n",
	       overhead_ns(BPF_PROG_TYPE_RAW_TRACEPOINT, -1, base));
	perf_buffer_rate();
	ringbuf_rate();
	return 0;
}
