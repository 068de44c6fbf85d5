/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_fuzz's shared state: the per-thread PRNG, the table of live fds the
 * threads share, the figures the supervising parent reads from shared
 * memory, and the one way into bpf(2), which keeps every call safe for
 * the machine it runs on and counts it.
 */
#ifndef KBPF_BPF_FUZZ_H
#define KBPF_BPF_FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#define PAGE		4096UL
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Commands past the end of enum bpf_cmd all count in one bucket. */
#define NR_CMDS		(__MAX_BPF_CMD + 1)
#define ERRNO_MAX	600
#define NR_MAP_TYPES	(__MAX_BPF_MAP_TYPE + 1)

/* Out buffers end where a guard begins, so a kernel overrun is -EFAULT. */
#define SCRATCH_SIZE	(4UL << 20)
#define GUARD_SIZE	(1024UL * 1024)
#define MAX_INSNS	8192

/* Live fds the threads share; the oldest is closed when it is full. */
#define TABLE_MAX	256
/* Bytes that successful valid-looking map creations may hold at once. */
#define MAP_BUDGET	(192UL << 20)
#define MAP_CAP		(8UL << 20)

/* Ids this run created, one bit each from the first free id on. */
#define ID_BITS		(4U * 1024 * 1024)

enum obj_kind { K_MAP, K_PROG, K_LINK, K_BTF, K_PERF, K_OTHER, K_NR };
#define NR_ID_KINDS	(K_BTF + 1)
/* In the id bitmaps after the kinds: the map ids that are prog arrays. */
#define K_PROG_ARRAY_IDS	NR_ID_KINDS

/* Flavours of perf event a K_PERF entry is. */
enum perf_flavour { PE_KPROBE, PE_TRACEPOINT, PE_CLOCK, PE_NR };

/* How a program was made: from a template, a mutated one, random bytes. */
enum prog_origin { PO_TEMPLATE, PO_MUTATED, PO_RANDOM, PO_NR };

/**
 * struct entry - one live fd of the table
 * @fd: the fd, owned by the table: only who removes an entry closes it
 * @kind: enum obj_kind
 * @type: map or program type, or enum perf_flavour
 * @key_size: a map's key size
 * @value_size: a map's value size
 * @max_entries: a map's max_entries
 * @flags: a map's map_flags
 * @est: bytes a map is reckoned to hold, for the budget
 */
struct entry {
	int fd;
	__u32 kind;
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
	__u64 est;
};

/**
 * struct fuzz_stats - figures and findings, in memory the parent shares
 *
 * Written by the child's threads with relaxed atomics, read by the parent
 * once the child is gone (whether it exited or was killed).
 */
struct fuzz_stats {
	__u64 calls[NR_CMDS];
	__u64 ok[NR_CMDS];
	__u64 errnos[NR_CMDS][ERRNO_MAX];
	__u64 random_calls;
	__u64 bent_calls;
	__u64 prog_ok[PO_NR];
	__u64 prog_refused[PO_NR];
	__u64 map_tries[NR_MAP_TYPES];
	__u64 map_ok[NR_MAP_TYPES];
	__u64 huge_tries;
	__u64 huge_ok;
	__u64 perf_open[PE_NR];
	__u64 perf_open_ok[PE_NR];
	__u64 ioc_attach;
	__u64 ioc_attach_ok;
	__u64 link_attach;
	__u64 link_attach_ok;
	__u64 rawtp_attach;
	__u64 rawtp_attach_ok;
	__u64 test_runs;
	__u64 test_runs_ok;
	__u64 mmaps;
	__u64 mmaps_ok;
	__u64 closes;
	__u64 dups;
	__u64 scm_sent;
	__u64 scm_received;
	__u64 triggers;
	__u64 evicted;
	__u64 unrecorded;
	__u64 slowest_ns;
	__u32 slowest_cmd;
	__u64 anomalies;
	char anomaly[8][160];
	__u32 pins;
	__u32 id_base[NR_ID_KINDS];
	__u64 id_bits[NR_ID_KINDS + 1][ID_BITS / 64];
};

/**
 * struct worker - one fuzzing thread
 * @rng: its PRNG state, from the seed and @idx alone
 * @idx: its index
 * @scratch: SCRATCH_SIZE bytes of buffers, then a guard
 * @scratch2: the same again, for a second out buffer of the same call
 * @attr_pages: two pages for attrs that cross a page, then a guard
 * @insns: MAX_INSNS instructions, then a guard
 * @tid: the thread
 */
struct worker {
	__u64 rng;
	int idx;
	char *scratch;
	char *scratch2;
	char *attr_pages;
	struct bpf_insn *insns;
	int fail_fd;
	pthread_t tid;
};

/**
 * struct fuzz_env - what the threads share besides the table
 * @ncpus: possible CPUs, which per-CPU values are sized by
 * @huge_bytes: map sizes from here on must fail at once (twice the RAM)
 * @pin_dir: this run's directory in bpffs
 * @pin_dir_fd: an fd of it, for BPF_F_PATH_FD and BPF_TOKEN_CREATE
 * @sock: a socketpair that fds travel through, also sockmap values
 * @tp_id: perf ids of the tracepoints syscalls/sys_enter_getpid and
 *	sched/sched_switch, or -1
 * @kprobe_type: the kprobe PMU's perf type, or -1
 * @kprobe_sym: a function to kprobe that getpid() or open() reaches
 * @recent: ids of objects this run created lately, per enum obj_kind
 * @deadline: when the threads stop, CLOCK_MONOTONIC seconds
 * @faults: the percentage of allocations made to fail in bpf(2) calls
 */
struct fuzz_env {
	int ncpus;
	__u64 huge_bytes;
	char pin_dir[64];
	int pin_dir_fd;
	int sock[2];
	int tp_id[2];
	int kprobe_type;
	char kprobe_sym[64];
	__u32 recent[NR_ID_KINDS][64];
	time_t deadline;
	unsigned int faults;
};

extern struct fuzz_stats *stats;
extern struct fuzz_env env;

static inline void count(__u64 *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/* One more try of something, and one more success when @ret says so. */
static inline void count_try(__u64 *tries, __u64 *ok, long ret)
{
	count(tries);
	if (ret >= 0)
		count(ok);
}

/* splitmix64: small, and every state gives a good stream. */
static inline __u64 rnd(struct worker *w)
{
	__u64 z = (w->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline __u32 below(struct worker *w, __u32 n)
{
	return n ? rnd(w) % n : 0;
}

static inline int chance(struct worker *w, unsigned int percent)
{
	return below(w, 100) < percent;
}

/* Values at the edges, which the kernel's checks are about. */
static inline __u64 interesting(struct worker *w)
{
	static const __u64 v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256,
		511, 512, 1023, 1024, 4095, 4096, 4097, 65535, 65536, 1 << 20,
		1 << 24, 1 << 28, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
		0x100000000ULL, ~0ULL, 0x8000000000000000ULL,
	};

	return v[below(w, ARRAY_LEN(v))];
}

/* Out buffer of @len bytes that ends where a scratch guard begins. */
static inline void *buf_end(char *scratch, size_t len)
{
	if (len > SCRATCH_SIZE)
		len = SCRATCH_SIZE;
	return scratch + SCRATCH_SIZE - len;
}

#endif /* KBPF_BPF_FUZZ_H */
