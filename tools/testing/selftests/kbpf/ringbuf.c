// SPDX-License-Identifier: GPL-2.0
/*
 * BPF ring buffers as a reader sees them: the map's creation and mmap()
 * rules, records reserved, submitted, discarded and output by programs
 * and read back in order from the mapped ring, poll() readiness, a full
 * ring refusing records until the reader frees room, a reader lying
 * about its position, and writers on two CPUs racing one reader with
 * every record accounted for.
 *
 * The programs run through BPF_PROG_TEST_RUN (raw tracepoint programs),
 * so each record is made on purpose, not by whatever else the system
 * does. Every case expects what a stock 6.12 kernel gives.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <linux/bpf.h>

#include "../kselftest_harness.h"
#include "bpf_insns.h"

#define RING_SIZE	4096
#define MAGIC		0x6b627066
#define REC_HDR		8	/* BPF_RINGBUF_HDR_SZ */

static int ringbuf_map(__u32 size, __u32 key, __u32 value, __u32 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_RINGBUF;
	attr.key_size = key;
	attr.value_size = value;
	attr.max_entries = size;
	attr.map_flags = flags;
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

/*
 * A program that reserves @size bytes of @map, writes MAGIC and the size
 * at its start and releases it with @release (submit or discard); it
 * returns 1, or 0 when the reservation failed.
 */
static int load_writer(int map, int size, __u32 release)
{
	const struct bpf_insn p[] = {
		LD_MAP(1, map),
		IMM_HI(0),
		MOV_IMM(2, size),
		MOV_IMM(3, 0),
		CALL(BPF_FUNC_ringbuf_reserve),
		JEQ_IMM(0, 0, 8),
		MOV_REG(6, 0),
		ST_IMM(BPF_W, 6, 0, MAGIC),
		ST_IMM(BPF_W, 6, 4, size),
		MOV_REG(1, 6),
		MOV_IMM(2, 0),
		CALL(release),
		MOV_IMM(0, 1),
		EXIT(),
		EXIT(),
	};

	return load_insns(BPF_PROG_TYPE_RAW_TRACEPOINT, p, ARRAY_SIZE(p), NULL);
}

/* A program that outputs 16 bytes (MAGIC, 16) into @map; returns the result. */
static int load_outputter(int map)
{
	const struct bpf_insn p[] = {
		ST_IMM(BPF_W, 10, -16, MAGIC),
		ST_IMM(BPF_W, 10, -12, 16),
		ST_IMM(BPF_DW, 10, -8, 0),
		LD_MAP(1, map),
		IMM_HI(0),
		MOV_REG(2, 10),
		ADD_IMM(2, -16),
		MOV_IMM(3, 16),
		MOV_IMM(4, 0),
		CALL(BPF_FUNC_ringbuf_output),
		EXIT(),
	};

	return load_insns(BPF_PROG_TYPE_RAW_TRACEPOINT, p, ARRAY_SIZE(p), NULL);
}

/* A program that returns bpf_ringbuf_query(@map, @flags). */
static int load_query(int map, int flags)
{
	const struct bpf_insn p[] = {
		LD_MAP(1, map),
		IMM_HI(0),
		MOV_IMM(2, flags),
		CALL(BPF_FUNC_ringbuf_query),
		EXIT(),
	};

	return load_insns(BPF_PROG_TYPE_RAW_TRACEPOINT, p, ARRAY_SIZE(p), NULL);
}

/* Test-runs @prog once; its r0, or -1 with errno when the run failed. */
static long long run(int prog)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)))
		return -1;
	return (int)attr.test.retval;
}

/**
 * struct ring - a reader's mapping of a ring buffer
 * @consumer: the reader's position, the one page it may write
 * @producer: the producer's position, then the data, twice
 * @data: the data's first mapping
 * @size: bytes of data
 */
struct ring {
	unsigned long *consumer;
	unsigned long *producer;
	unsigned char *data;
	long size;
};

static int ring_map(struct ring *r, int map, long size)
{
	long page = sysconf(_SC_PAGESIZE);

	r->size = size;
	r->consumer = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED,
			   map, 0);
	r->producer = mmap(NULL, page + 2 * size, PROT_READ, MAP_SHARED, map,
			   page);
	if (r->consumer == MAP_FAILED || r->producer == MAP_FAILED)
		return -1;
	r->data = (unsigned char *)r->producer + page;
	return 0;
}

static void ring_unmap(struct ring *r)
{
	long page = sysconf(_SC_PAGESIZE);

	munmap(r->consumer, page);
	munmap(r->producer, page + 2 * r->size);
}

/**
 * struct tally - what a reader found
 * @records: complete records read, discarded ones included
 * @discarded: those among them the writer discarded
 * @bad: records whose contents are not what the writers put there
 */
struct tally {
	int records;
	int discarded;
	int bad;
};

/*
 * Reads every complete record, as libbpf does: up to the first one still
 * being written, moving the consumer position past each.
 */
static void ring_consume(struct ring *r, struct tally *t)
{
	unsigned long cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
	unsigned long prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
	__u32 len, *hdr, *rec;

	while (cons < prod) {
		hdr = (__u32 *)(r->data + (cons & (r->size - 1)));
		len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		t->records++;
		if (len & BPF_RINGBUF_DISCARD_BIT)
			t->discarded++;
		len &= ~BPF_RINGBUF_DISCARD_BIT;
		rec = hdr + 2;
		/* Its bytes are contiguous even where it wraps. */
		if (len < 8 || rec[0] != MAGIC || rec[1] != len)
			t->bad++;
		cons += (len + REC_HDR + 7) & ~7ul;
		__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
	}
}

/* Is the map's file readable within @ms milliseconds, by epoll? */
static int ready_within(int map, int ms)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(0), n;

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, map, &ev))
		return -1;
	n = epoll_wait(ep, &ev, 1, ms);
	close(ep);
	return n;
}

TEST(ringbuf_create_and_map_rules)
{
	long page = sysconf(_SC_PAGESIZE);
	union bpf_attr attr;
	__u64 key = 0, value;
	void *p;
	int map;

	/* A power of two of whole pages, no key, no value, no other flag. */
	EXPECT_EQ(-1, ringbuf_map(RING_SIZE, 4, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ringbuf_map(RING_SIZE, 0, 8, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ringbuf_map(3 * page, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ringbuf_map(page / 2, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ringbuf_map(RING_SIZE, 0, 0, BPF_F_NO_PREALLOC));
	EXPECT_EQ(EINVAL, errno);
	map = ringbuf_map(RING_SIZE, 0, 0, 0);
	ASSERT_LE(0, map);
	/* It has no elements for the syscall. */
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&value;
	EXPECT_EQ(-1, sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)));
	EXPECT_EQ(-1, sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)));
	EXPECT_EQ(-1, sys_bpf(BPF_MAP_DELETE_ELEM, &attr, sizeof(attr)));

	/* The reader may write its position, and nothing else. */
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, map, 0);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, page);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
				   MAP_SHARED, map, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ | PROT_WRITE,
				   MAP_SHARED, map, page));
	EXPECT_EQ(EPERM, errno);
	/* Both positions and the data twice, read-only, and it stays so. */
	p = mmap(NULL, 2 * page + 2 * RING_SIZE, PROT_READ, MAP_SHARED, map, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, page, PROT_READ | PROT_WRITE));
	munmap(p, 2 * page + 2 * RING_SIZE);
	/* Not past the end, and not privately. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 3 * page + 2 * RING_SIZE, PROT_READ,
				   MAP_SHARED, map, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ, MAP_PRIVATE, map, 0));
	close(map);
}

TEST(ringbuf_records_in_order)
{
	int map = ringbuf_map(RING_SIZE, 0, 0, 0), submit, discard, output;
	struct tally t = {};
	struct ring r;
	int i;

	ASSERT_LE(0, map);
	ASSERT_EQ(0, ring_map(&r, map, RING_SIZE));
	submit = load_writer(map, 24, BPF_FUNC_ringbuf_submit);
	discard = load_writer(map, 12, BPF_FUNC_ringbuf_discard);
	output = load_outputter(map);
	ASSERT_LE(0, submit);
	ASSERT_LE(0, discard);
	ASSERT_LE(0, output);
	/* Nothing written: nothing to read. */
	EXPECT_EQ(0, ready_within(map, 0));
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(1, run(submit));
		ASSERT_EQ(1, run(discard));
		ASSERT_EQ(0, run(output));
	}
	EXPECT_EQ(1, ready_within(map, 1000));
	ring_consume(&r, &t);
	EXPECT_EQ(30, t.records);
	EXPECT_EQ(10, t.discarded);
	EXPECT_EQ(0, t.bad);
	EXPECT_EQ(0, ready_within(map, 0));
	/* The positions moved by 10 records of each size, headers included. */
	EXPECT_EQ(10 * (32 + 24 + 24), *r.producer);
	ring_unmap(&r);
	close(output);
	close(discard);
	close(submit);
	close(map);
}

TEST(ringbuf_full_until_read)
{
	int map = ringbuf_map(RING_SIZE, 0, 0, 0), writer, avail, size, i, n;
	struct tally t = {};
	struct ring r;

	ASSERT_LE(0, map);
	ASSERT_EQ(0, ring_map(&r, map, RING_SIZE));
	writer = load_writer(map, 1000, BPF_FUNC_ringbuf_submit);
	avail = load_query(map, BPF_RB_AVAIL_DATA);
	size = load_query(map, BPF_RB_RING_SIZE);
	ASSERT_LE(0, writer);
	ASSERT_LE(0, avail);
	ASSERT_LE(0, size);
	EXPECT_EQ(RING_SIZE, run(size));
	/* 1008 bytes a record: four fit in 4096, the fifth does not. */
	for (n = 0, i = 0; i < 10; i++)
		n += run(writer);
	EXPECT_EQ(4, n);
	EXPECT_EQ(4 * 1008, run(avail));
	ring_consume(&r, &t);
	EXPECT_EQ(4, t.records);
	EXPECT_EQ(0, t.bad);
	EXPECT_EQ(0, run(avail));
	/* Read, the room is there again; these records wrap around. */
	for (n = 0, i = 0; i < 10; i++)
		n += run(writer);
	EXPECT_EQ(4, n);
	ring_consume(&r, &t);
	EXPECT_EQ(8, t.records);
	EXPECT_EQ(0, t.bad);
	ring_unmap(&r);
	close(size);
	close(avail);
	close(writer);
	close(map);
}

TEST(ringbuf_reader_lies_about_its_position)
{
	int map = ringbuf_map(RING_SIZE, 0, 0, 0), writer, i;
	unsigned long prod;
	struct tally t = {};
	struct ring r;

	ASSERT_LE(0, map);
	ASSERT_EQ(0, ring_map(&r, map, RING_SIZE));
	writer = load_writer(map, 16, BPF_FUNC_ringbuf_submit);
	ASSERT_LE(0, writer);
	ASSERT_EQ(1, run(writer));
	prod = *r.producer;
	/*
	 * Ahead of the producer, far behind, and back: records fail or go
	 * into the ring, nothing else happens.
	 */
	*r.consumer = prod + 100 * RING_SIZE;
	for (i = 0; i < 300; i++)
		run(writer);
	*r.consumer = 0;
	for (i = 0; i < 300; i++)
		run(writer);
	*r.consumer = *r.producer;
	EXPECT_EQ(1, run(writer));
	ring_consume(&r, &t);
	EXPECT_EQ(1, t.records);
	EXPECT_EQ(0, t.bad);
	ring_unmap(&r);
	close(writer);
	close(map);
}

#define RACE_RUNS	5000

struct race {
	int prog;
	int cpu;
	int written;
};

static int writers_done;

static void *race_writer(void *arg)
{
	struct race *w = arg;
	cpu_set_t cpus;
	int i;

	CPU_ZERO(&cpus);
	CPU_SET(w->cpu, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	/*
	 * A full ring costs the record; then let the reader in, which on a
	 * one-CPU guest only runs when the writers sleep.
	 */
	for (i = 0; i < RACE_RUNS; i++) {
		if (run(w->prog) == 1)
			w->written++;
		else
			usleep(100);
	}
	__atomic_add_fetch(&writers_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST(ringbuf_writers_race_a_reader)
{
	int map = ringbuf_map(RING_SIZE, 0, 0, 0), i, nr_cpus;
	struct race w[2] = {};
	pthread_t threads[2];
	struct tally t = {};
	struct ring r;

	nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	ASSERT_LE(0, map);
	ASSERT_EQ(0, ring_map(&r, map, RING_SIZE));
	writers_done = 0;
	for (i = 0; i < 2; i++) {
		w[i].prog = load_writer(map, 40 + 8 * i, BPF_FUNC_ringbuf_submit);
		ASSERT_LE(0, w[i].prog);
		w[i].cpu = i % nr_cpus;
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, race_writer, &w[i]));
	}
	/* Read while they write: a full ring costs records, never order. */
	while (__atomic_load_n(&writers_done, __ATOMIC_ACQUIRE) < 2) {
		ready_within(map, 10);
		ring_consume(&r, &t);
	}
	for (i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	ring_consume(&r, &t);
	EXPECT_EQ(w[0].written + w[1].written, t.records);
	EXPECT_LT(RACE_RUNS / 10, w[0].written + w[1].written);
	EXPECT_EQ(0, t.bad);
	for (i = 0; i < 2; i++)
		close(w[i].prog);
	ring_unmap(&r);
	close(map);
}

TEST_HARNESS_MAIN
