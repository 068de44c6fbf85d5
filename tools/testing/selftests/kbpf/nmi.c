// SPDX-License-Identifier: GPL-2.0
/*
 * Programs in NMI context: a perf_event program on the CPU cycles counter
 * runs from the PMU's overflow interrupt, which on the arm64 guests is a
 * pseudo-NMI (GICv3 priority masking, irqchip.gicv3_pseudo_nmi=1). It
 * uses every map type and helper that may run in NMI while threads in
 * process context use the same maps through bpf(2), taking the same
 * locks:
 *
 *  - the program counts each call's outcome (success, EBUSY, any other
 *    error) in an array; an NMI that lands on a CPU holding a map's lock
 *    must get EBUSY (or fail otherwise), never spin on it;
 *  - every record a program was told it wrote (ring buffer, perf event
 *    output) is read back, and every element pushed on the queue is
 *    popped: the counts agree exactly;
 *  - the hash maps hold no more than their entries, each readable;
 *  - and the run ends: no deadlock.
 *
 * The x86 guests have no PMU under TCG: skipped there. On arm64 the
 * kernel must say its PMU uses NMIs. The figures are printed for the
 * reliability note. Every expectation is upstream's too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "bpf_insns.h"
#include "possible_cpus.h"

#define MAX_CPUS	64
#define KEYS		64		/* entries of each hash map */
#define RUN_SECONDS	5
#define SAMPLE_PERIOD	1000000		/* cycles between NMIs: 1 ms at 1 GHz */
#define RB_SIZE		(1024 * 1024)
#define PERF_PAGES	64		/* data pages of each perf buffer */
#define QUEUE_LEN	1024

#define JSGE_IMM(d, i, o)	INSN(BPF_JMP | BPF_JSGE | BPF_K, d, 0, o, i)

/* What the program does, each counted by outcome. */
enum op {
	OP_HASH_UPDATE, OP_HASH_DELETE, OP_DYN_UPDATE, OP_DYN_DELETE,
	OP_LRU_UPDATE, OP_RINGBUF, OP_PERF_OUTPUT, OP_STACKID, OP_QUEUE_PUSH,
	NR_OPS
};

static const char *const op_name[NR_OPS] = {
	"hash update", "hash delete", "no-prealloc hash update",
	"no-prealloc hash delete", "LRU hash update", "ring buffer output",
	"perf event output", "get_stackid", "queue push",
};

enum outcome { OK, BUSY, OTHER, NR_OUTCOMES };

enum map { STATS, HASH, DYN, LRU, PERCPU, RINGBUF, PERF, STACKS, QUEUE, NR_MAPS };

struct prog_buf {
	struct bpf_insn insn[512];
	int len;
};

static void emit(struct prog_buf *p, struct bpf_insn insn)
{
	p->insn[p->len++] = insn;
}

static void emit_map(struct prog_buf *p, int reg, int fd)
{
	emit(p, LD_MAP(reg, fd));
	emit(p, IMM_HI(0));
}

/* stats[op * NR_OUTCOMES + outcome of r0] += 1; r8 and r1..r5 are scratch. */
static void emit_count(struct prog_buf *p, const int *fds, enum op op)
{
	emit(p, MOV_IMM(8, op * NR_OUTCOMES + OK));
	emit(p, JSGE_IMM(0, 0, 3));
	emit(p, ADD_IMM(8, OTHER - OK));
	emit(p, JNE_IMM(0, -EBUSY, 1));
	emit(p, ADD_IMM(8, BUSY - OTHER));
	emit(p, STX(BPF_W, 10, 8, -24));
	emit_map(p, 1, fds[STATS]);
	emit(p, MOV_REG(2, 10));
	emit(p, ADD_IMM(2, -24));
	emit(p, CALL(BPF_FUNC_map_lookup_elem));
	emit(p, JEQ_IMM(0, 0, 2));
	emit(p, MOV_IMM(1, 1));
	emit(p, ATOMIC_ADD(0, 1, 0));
}

/* r1 = map, r2 = &key (fp - 8), r3 = &value (fp - 16), r4 = flags */
static void emit_elem_call(struct prog_buf *p, int fd, int func, bool value)
{
	emit_map(p, 1, fd);
	emit(p, MOV_REG(2, 10));
	emit(p, ADD_IMM(2, -8));
	if (value) {
		emit(p, MOV_REG(3, 10));
		emit(p, ADD_IMM(3, -16));
		emit(p, MOV_IMM(4, BPF_ANY));
	}
	emit(p, CALL(func));
}

static int load_nmi_prog(const int *fds)
{
	static struct prog_buf p;

	p.len = 0;
	emit(&p, MOV_REG(6, 1));
	/* A key from the clock, so the CPUs and threads collide on some. */
	emit(&p, CALL(BPF_FUNC_ktime_get_ns));
	emit(&p, INSN(BPF_ALU64 | BPF_AND | BPF_K, 0, 0, 0, KEYS - 1));
	emit(&p, STX(BPF_W, 10, 0, -8));
	emit(&p, STX(BPF_DW, 10, 0, -16));

	emit_elem_call(&p, fds[HASH], BPF_FUNC_map_update_elem, true);
	emit_count(&p, fds, OP_HASH_UPDATE);
	emit_elem_call(&p, fds[HASH], BPF_FUNC_map_delete_elem, false);
	emit_count(&p, fds, OP_HASH_DELETE);
	emit_elem_call(&p, fds[DYN], BPF_FUNC_map_update_elem, true);
	emit_count(&p, fds, OP_DYN_UPDATE);
	emit_elem_call(&p, fds[DYN], BPF_FUNC_map_delete_elem, false);
	emit_count(&p, fds, OP_DYN_DELETE);
	emit_elem_call(&p, fds[LRU], BPF_FUNC_map_update_elem, true);
	emit_count(&p, fds, OP_LRU_UPDATE);

	/* This CPU's counter: no lock, no failure. */
	emit(&p, ST_IMM(BPF_W, 10, -24, 0));
	emit_map(&p, 1, fds[PERCPU]);
	emit(&p, MOV_REG(2, 10));
	emit(&p, ADD_IMM(2, -24));
	emit(&p, CALL(BPF_FUNC_map_lookup_elem));
	emit(&p, JEQ_IMM(0, 0, 3));
	emit(&p, LDX(BPF_DW, 1, 0, 0));
	emit(&p, ADD_IMM(1, 1));
	emit(&p, STX(BPF_DW, 0, 1, 0));

	emit_map(&p, 1, fds[RINGBUF]);
	emit(&p, MOV_REG(2, 10));
	emit(&p, ADD_IMM(2, -16));
	emit(&p, MOV_IMM(3, 8));
	emit(&p, MOV_IMM(4, 0));
	emit(&p, CALL(BPF_FUNC_ringbuf_output));
	emit_count(&p, fds, OP_RINGBUF);

	emit(&p, MOV_REG(1, 6));
	emit_map(&p, 2, fds[PERF]);
	emit(&p, INSN(BPF_ALU | BPF_MOV | BPF_K, 3, 0, 0, -1));	/* BPF_F_CURRENT_CPU */
	emit(&p, MOV_REG(4, 10));
	emit(&p, ADD_IMM(4, -16));
	emit(&p, MOV_IMM(5, 8));
	emit(&p, CALL(BPF_FUNC_perf_event_output));
	emit_count(&p, fds, OP_PERF_OUTPUT);

	emit(&p, MOV_REG(1, 6));
	emit_map(&p, 2, fds[STACKS]);
	emit(&p, MOV_IMM(3, 0));
	emit(&p, CALL(BPF_FUNC_get_stackid));
	emit_count(&p, fds, OP_STACKID);

	emit_map(&p, 1, fds[QUEUE]);
	emit(&p, MOV_REG(2, 10));
	emit(&p, ADD_IMM(2, -16));
	emit(&p, MOV_IMM(3, 0));
	emit(&p, CALL(BPF_FUNC_map_push_elem));
	emit_count(&p, fds, OP_QUEUE_PUSH);

	emit(&p, MOV_IMM(0, 0));
	emit(&p, EXIT());
	return load_insns(BPF_PROG_TYPE_PERF_EVENT, p.insn, p.len, NULL);
}

static int map_create(__u32 type, __u32 key, __u32 value, __u32 entries,
		      __u32 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key;
	attr.value_size = value;
	attr.max_entries = entries;
	attr.map_flags = flags;
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

static int elem(int cmd, int fd, const void *key, void *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)key;
	attr.value = (uintptr_t)value;
	return sys_bpf(cmd, &attr, sizeof(attr)) ? errno : 0;
}

static int perf_event_open(struct perf_event_attr *attr, int cpu)
{
	return syscall(__NR_perf_event_open, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* @cpu's cycles counter, disabled, overflowing every SAMPLE_PERIOD. */
static int cycles_event(int cpu)
{
	struct perf_event_attr pa;

	memset(&pa, 0, sizeof(pa));
	pa.size = sizeof(pa);
	pa.type = PERF_TYPE_HARDWARE;
	pa.config = PERF_COUNT_HW_CPU_CYCLES;
	pa.sample_period = SAMPLE_PERIOD;
	pa.disabled = 1;
	return perf_event_open(&pa, cpu);
}

#ifdef __aarch64__
/* Whether the kernel log says the PMU's interrupt is an NMI. */
static bool pmu_uses_nmis(void)
{
	char line[1024];
	bool found = false;
	ssize_t n;
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return false;
	while ((n = read(fd, line, sizeof(line) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		line[n] = 0;
		found |= !!strstr(line, "counters available, using NMIs");
	}
	close(fd);
	return found;
}
#endif

/* What the threads in process context did; the queue's are exact. */
struct hammer {
	int *fds;
	int stop;
	long long pushed, popped, calls;
	pthread_mutex_t lock;
};

static void *hammer_maps(void *arg)
{
	struct hammer *h = arg;
	long long pushed = 0, popped = 0, calls = 0;
	__u64 value = 0, percpu[MAX_CPUS];
	__u32 key = 0, zero = 0;

	while (!__atomic_load_n(&h->stop, __ATOMIC_RELAXED)) {
		key = (key + 7) & (KEYS - 1);
		elem(BPF_MAP_UPDATE_ELEM, h->fds[HASH], &key, &value);
		elem(BPF_MAP_DELETE_ELEM, h->fds[HASH], &key, NULL);
		elem(BPF_MAP_UPDATE_ELEM, h->fds[DYN], &key, &value);
		elem(BPF_MAP_DELETE_ELEM, h->fds[DYN], &key, NULL);
		elem(BPF_MAP_UPDATE_ELEM, h->fds[LRU], &key, &value);
		elem(BPF_MAP_LOOKUP_ELEM, h->fds[PERCPU], &zero, percpu);
		pushed += !elem(BPF_MAP_UPDATE_ELEM, h->fds[QUEUE], NULL, &value);
		popped += !elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, h->fds[QUEUE], NULL, &value);
		calls += 8;
	}
	pthread_mutex_lock(&h->lock);
	h->pushed += pushed;
	h->popped += popped;
	h->calls += calls;
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

/* Records in the BPF ring buffer, consumed. */
static long long ringbuf_records(int map)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long *cons, *prod, c, p;
	unsigned char *data;
	long long n = 0;

	cons = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, map, 0);
	prod = mmap(NULL, page + 2 * RB_SIZE, PROT_READ, MAP_SHARED, map, page);
	if (cons == MAP_FAILED || prod == MAP_FAILED)
		return -1;
	data = (unsigned char *)prod + page;
	c = *cons;
	p = __atomic_load_n(prod, __ATOMIC_ACQUIRE);
	while (c < p) {
		__u32 len = __atomic_load_n((__u32 *)(data + (c & (RB_SIZE - 1))),
					    __ATOMIC_ACQUIRE);

		if (len & BPF_RINGBUF_BUSY_BIT)
			return -2;	/* the events are off: nothing is being written */
		n += !(len & BPF_RINGBUF_DISCARD_BIT);
		c += (BPF_RINGBUF_HDR_SZ + (len & ~(BPF_RINGBUF_BUSY_BIT |
						    BPF_RINGBUF_DISCARD_BIT)) + 7) & ~7UL;
	}
	__atomic_store_n(cons, c, __ATOMIC_RELEASE);
	munmap(cons, page);
	munmap(prod, page + 2 * RB_SIZE);
	return n;
}

/* PERF_RECORD_SAMPLEs in a perf buffer. */
static long long perf_samples(void *base, long page)
{
	struct perf_event_mmap_page *meta = base;
	__u64 head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	char *data = (char *)base + page;
	__u64 at;
	long long n = 0;

	for (at = meta->data_tail; at < head; ) {
		struct perf_event_header *h = (void *)(data + at % meta->data_size);

		n += h->type == PERF_RECORD_SAMPLE;
		at += h->size;
	}
	return n;
}

/* Keys in a hash map, each one read back; -1 when one cannot be. */
static int hash_keys(int map)
{
	__u32 key, next;
	__u64 value;
	int n = 0, err;

	for (err = elem(BPF_MAP_GET_NEXT_KEY, map, NULL, &next); !err && n <= KEYS;
	     err = elem(BPF_MAP_GET_NEXT_KEY, map, &key, &next)) {
		key = next;
		if (elem(BPF_MAP_LOOKUP_ELEM, map, &key, &value))
			return -1;
		n++;
	}
	return err == ENOENT ? n : -1;
}

TEST(maps_and_helpers_from_nmi)
{
	int ncpus = possible_cpus(), cpu, fds[NR_MAPS], prog, i, j;
	int cycles[MAX_CPUS], outputs[MAX_CPUS];
	void *rings[MAX_CPUS];
	long page = sysconf(_SC_PAGESIZE);
	long long count[NR_OPS][NR_OUTCOMES], runs, samples = 0, records, left = 0;
	struct hammer h = { .fds = fds, .lock = PTHREAD_MUTEX_INITIALIZER };
	pthread_t threads[MAX_CPUS];
	struct perf_event_attr pa;
	__u64 value;

	ASSERT_LT(0, ncpus);
	ASSERT_GE(MAX_CPUS, ncpus);
	cycles[0] = cycles_event(0);
	if (cycles[0] < 0)
		SKIP(return, "no CPU cycles counter (errno %d): no PMU, no NMI", errno);
	close(cycles[0]);
#ifdef __aarch64__
	EXPECT_TRUE(pmu_uses_nmis())
		TH_LOG("the PMU's interrupt is not an NMI here (GICv3 pseudo-NMIs off?)");
#endif

	fds[STATS] = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, NR_OPS * NR_OUTCOMES, 0);
	fds[HASH] = map_create(BPF_MAP_TYPE_HASH, 4, 8, KEYS, 0);
	fds[DYN] = map_create(BPF_MAP_TYPE_HASH, 4, 8, KEYS, BPF_F_NO_PREALLOC);
	fds[LRU] = map_create(BPF_MAP_TYPE_LRU_HASH, 4, 8, KEYS, 0);
	fds[PERCPU] = map_create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, 0);
	fds[RINGBUF] = map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, RB_SIZE, 0);
	fds[PERF] = map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, ncpus, 0);
	fds[STACKS] = map_create(BPF_MAP_TYPE_STACK_TRACE, 4, 127 * 8, 256, 0);
	fds[QUEUE] = map_create(BPF_MAP_TYPE_QUEUE, 0, 8, QUEUE_LEN, 0);
	for (i = 0; i < NR_MAPS; i++)
		ASSERT_LE(0, fds[i]) TH_LOG("map %d: errno %d", i, errno);
	prog = load_nmi_prog(fds);
	ASSERT_LE(0, prog);

	for (cpu = 0; cpu < ncpus; cpu++) {
		__u32 key = cpu;

		memset(&pa, 0, sizeof(pa));
		pa.size = sizeof(pa);
		pa.type = PERF_TYPE_SOFTWARE;
		pa.config = PERF_COUNT_SW_BPF_OUTPUT;
		pa.sample_type = PERF_SAMPLE_RAW;
		pa.sample_period = 1;
		outputs[cpu] = perf_event_open(&pa, cpu);
		ASSERT_LE(0, outputs[cpu]);
		rings[cpu] = mmap(NULL, (1 + PERF_PAGES) * page, PROT_READ | PROT_WRITE,
				  MAP_SHARED, outputs[cpu], 0);
		ASSERT_NE(MAP_FAILED, rings[cpu]);
		ASSERT_EQ(0, elem(BPF_MAP_UPDATE_ELEM, fds[PERF], &key, &outputs[cpu]));
		ASSERT_EQ(0, ioctl(outputs[cpu], PERF_EVENT_IOC_ENABLE, 0));

		cycles[cpu] = cycles_event(cpu);
		ASSERT_LE(0, cycles[cpu]);
		ASSERT_EQ(0, ioctl(cycles[cpu], PERF_EVENT_IOC_SET_BPF, prog));
	}

	for (i = 0; i < ncpus; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, hammer_maps, &h));
	for (cpu = 0; cpu < ncpus; cpu++)
		ASSERT_EQ(0, ioctl(cycles[cpu], PERF_EVENT_IOC_ENABLE, 0));
	sleep(RUN_SECONDS);
	for (cpu = 0; cpu < ncpus; cpu++)
		ASSERT_EQ(0, ioctl(cycles[cpu], PERF_EVENT_IOC_DISABLE, 0));
	__atomic_store_n(&h.stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < ncpus; i++)
		pthread_join(threads[i], NULL);

	for (i = 0; i < NR_OPS; i++) {
		for (j = 0; j < NR_OUTCOMES; j++) {
			__u32 key = i * NR_OUTCOMES + j;

			ASSERT_EQ(0, elem(BPF_MAP_LOOKUP_ELEM, fds[STATS], &key, &value));
			count[i][j] = value;
		}
		TH_LOG("%-24s %8lld ok %6lld EBUSY %6lld other", op_name[i],
		       count[i][OK], count[i][BUSY], count[i][OTHER]);
	}
	runs = count[OP_HASH_UPDATE][OK] + count[OP_HASH_UPDATE][BUSY] +
	       count[OP_HASH_UPDATE][OTHER];
	TH_LOG("%lld program runs in NMI, %lld bpf(2) calls in process context",
	       runs, h.calls);
	EXPECT_LE(ncpus * 100, runs);
	EXPECT_LT(0, count[OP_STACKID][OK]);

	/* Every record a program was told it wrote is there. */
	records = ringbuf_records(fds[RINGBUF]);
	EXPECT_EQ(count[OP_RINGBUF][OK], records);
	for (cpu = 0; cpu < ncpus; cpu++) {
		samples += perf_samples(rings[cpu], page);
		munmap(rings[cpu], (1 + PERF_PAGES) * page);
		close(outputs[cpu]);
		close(cycles[cpu]);
	}
	EXPECT_EQ(count[OP_PERF_OUTPUT][OK], samples);

	/* Every element pushed is popped once. */
	while (!elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fds[QUEUE], NULL, &value))
		left++;
	EXPECT_EQ(count[OP_QUEUE_PUSH][OK] + h.pushed, h.popped + left);

	/* No hash map holds more than it may, and every key reads back. */
	for (i = HASH; i <= LRU; i++) {
		int n = hash_keys(fds[i]);

		EXPECT_LE(0, n) TH_LOG("map %d: a key that does not read back", i);
		EXPECT_GE(KEYS, n);
	}

	close(prog);
	for (i = 0; i < NR_MAPS; i++)
		close(fds[i]);
}

TEST_HARNESS_MAIN
