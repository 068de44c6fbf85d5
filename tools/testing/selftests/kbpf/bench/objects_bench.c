// SPDX-License-Identifier: GPL-2.0
/*
 * objects_bench: what programs and maps cost on the running kernel, for
 * "make bench", which runs it in a kbpf and a stock guest and prints the
 * ratios. One line per figure: "NAME VALUE UNIT".
 *
 *  - run_*: ns per run of small socket filters through BPF_PROG_TEST_RUN
 *    (repeat), from an empty program to map lookups and updates;
 *  - sys_*: map operations per second through bpf(2);
 *  - load_*: us per BPF_PROG_LOAD of programs of a few sizes, the
 *    verifier's time included.
 *
 * Not a test: nothing fails but the syscalls themselves.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/syscall.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define RUN_REPEAT	200000
#define SYS_OPS		200000
#define LOADS		200

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })
#define MOV_IMM(d, i)	INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV_REG(d, s)	INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ADD_IMM(d, i)	INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ST_W(d, o, i)	INSN(BPF_ST | BPF_MEM | BPF_W, d, 0, o, i)
#define ST_DW(d, o, i)	INSN(BPF_ST | BPF_MEM | BPF_DW, d, 0, o, i)
/* The two slots of a map load. */
#define LD_MAP(d, fd)	INSN(BPF_LD | BPF_IMM | BPF_DW, d, BPF_PSEUDO_MAP_FD, 0, fd)
#define LD_HI()		INSN(0, 0, 0, 0, 0)
#define CALL(f)		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define JEQ_IMM(d, i, o) INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define XADD_DW(d, s)	INSN(BPF_STX | BPF_ATOMIC | BPF_DW, d, s, 0, BPF_ADD)
#define EXIT()		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "objects_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int map_create(__u32 type, __u32 max_entries)
{
	union bpf_attr attr = {
		.map_type = type,
		.key_size = 4,
		.value_size = 8,
		.max_entries = max_entries,
	};
	int fd = sys_bpf(BPF_MAP_CREATE, &attr);

	if (fd < 0)
		die("BPF_MAP_CREATE");
	return fd;
}

static int load(const struct bpf_insn *insns, unsigned int cnt)
{
	union bpf_attr attr = {
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.insns = (uintptr_t)insns,
		.insn_cnt = cnt,
		.license = (uintptr_t)"GPL",
	};
	int fd = sys_bpf(BPF_PROG_LOAD, &attr);

	if (fd < 0)
		die("BPF_PROG_LOAD");
	return fd;
}

/* Mean ns per run of @prog, as the kernel measured it, @repeat runs. */
static double run_ns_n(int prog, unsigned int repeat)
{
	unsigned char frame[64] = {};
	union bpf_attr attr = {};

	attr.test.prog_fd = prog;
	attr.test.data_in = (uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	attr.test.repeat = repeat;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr))
		die("BPF_PROG_TEST_RUN");
	return attr.test.duration;
}

static double run_ns(int prog)
{
	return run_ns_n(prog, RUN_REPEAT);
}

static void bench_runs(void)
{
	int hash = map_create(BPF_MAP_TYPE_HASH, 1024);
	int array = map_create(BPF_MAP_TYPE_ARRAY, 1024);
	struct bpf_insn empty[] = { MOV_IMM(0, 0), EXIT() };
	/* Counts in key 1 of the hash map: lookup, then add or insert. */
	struct bpf_insn hash_count[] = {
		ST_W(10, -4, 1),
		ST_DW(10, -16, 1),
		LD_MAP(1, hash), LD_HI(),
		MOV_REG(2, 10), ADD_IMM(2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(0, 0, 3),
		MOV_IMM(1, 1),
		XADD_DW(0, 1),
		INSN(BPF_JMP | BPF_JA, 0, 0, 8, 0),
		LD_MAP(1, hash), LD_HI(),
		MOV_REG(2, 10), ADD_IMM(2, -4),
		MOV_REG(3, 10), ADD_IMM(3, -16),
		MOV_IMM(4, BPF_ANY),
		CALL(BPF_FUNC_map_update_elem),
		MOV_IMM(0, 0), EXIT(),
	};
	/* Writes element 7 of the array map through map_update_elem. */
	struct bpf_insn array_update[] = {
		ST_W(10, -4, 7),
		ST_DW(10, -16, 42),
		LD_MAP(1, array), LD_HI(),
		MOV_REG(2, 10), ADD_IMM(2, -4),
		MOV_REG(3, 10), ADD_IMM(3, -16),
		MOV_IMM(4, BPF_ANY),
		CALL(BPF_FUNC_map_update_elem),
		MOV_IMM(0, 0), EXIT(),
	};
	int p;

	/*
	 * Compute-heavy: 1000 rounds of a multiply-xorshift mix with a
	 * division, as a filter hashing a packet would (about 9000 insns).
	 */
	struct bpf_insn compute[] = {
		MOV_IMM(0, 0),
		MOV_IMM(2, 1000),
		INSN(BPF_LD | BPF_IMM | BPF_DW, 3, 0, 0, 0x7f4a7c15), LD_HI(),
		/* loop: */
		INSN(BPF_ALU64 | BPF_MUL | BPF_K, 3, 0, 0, 0x4c957f2d),
		ADD_IMM(3, 1442695),
		MOV_REG(4, 3),
		INSN(BPF_ALU64 | BPF_RSH | BPF_K, 4, 0, 0, 29),
		INSN(BPF_ALU64 | BPF_XOR | BPF_X, 3, 4, 0, 0),
		INSN(BPF_ALU64 | BPF_DIV | BPF_X, 4, 2, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_X, 0, 4, 0, 0),
		ADD_IMM(2, -1),
		INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0, -9, 0),
		EXIT(),
	};

	p = load(empty, ARRAY_SIZE(empty));
	printf("run_empty %.1f ns\n", run_ns(p));
	close(p);
	p = load(hash_count, ARRAY_SIZE(hash_count));
	printf("run_hash_lookup_add %.1f ns\n", run_ns(p));
	close(p);
	p = load(array_update, ARRAY_SIZE(array_update));
	printf("run_array_update %.1f ns\n", run_ns(p));
	close(p);
	p = load(compute, ARRAY_SIZE(compute));
	printf("run_compute_9k_insns %.1f ns\n", run_ns_n(p, RUN_REPEAT / 100));
	close(p);
	close(hash);
	close(array);
}

static int elem(int cmd, int fd, __u32 key, __u64 *value)
{
	union bpf_attr attr = {
		.map_fd = fd,
		.key = (uintptr_t)&key,
		.value = (uintptr_t)value,
	};

	return sys_bpf(cmd, &attr);
}

static void bench_syscalls(__u32 type, const char *name)
{
	int fd = map_create(type, 4096);
	__u64 value = 1;
	double t;
	int i;

	t = now_ns();
	for (i = 0; i < SYS_OPS; i++)
		if (elem(BPF_MAP_UPDATE_ELEM, fd, i % 4096, &value))
			die("BPF_MAP_UPDATE_ELEM");
	printf("sys_%s_update %.0f ops/s\n", name, SYS_OPS / ((now_ns() - t) / 1e9));
	t = now_ns();
	for (i = 0; i < SYS_OPS; i++)
		if (elem(BPF_MAP_LOOKUP_ELEM, fd, i % 4096, &value))
			die("BPF_MAP_LOOKUP_ELEM");
	printf("sys_%s_lookup %.0f ops/s\n", name, SYS_OPS / ((now_ns() - t) / 1e9));
	close(fd);
}

/* @n instructions (a multiple of 4): adds, and an if every fourth. */
static void bench_loads(unsigned int n)
{
	struct bpf_insn *insns = calloc(n + 2, sizeof(*insns));
	double t;
	unsigned int i;
	int p;

	if (!insns)
		die("calloc");
	insns[0] = MOV_IMM(0, 0);
	for (i = 1; i < n; i++)
		insns[i] = i % 4 ? ADD_IMM(0, i) :
				   JEQ_IMM(0, i, 1);
	insns[n] = EXIT();
	t = now_ns();
	for (i = 0; i < LOADS; i++) {
		p = load(insns, n + 1);
		close(p);
	}
	printf("load_%u_insns %.1f us\n", n, (now_ns() - t) / LOADS / 1e3);
	free(insns);
}

int main(void)
{
	bench_runs();
	bench_syscalls(BPF_MAP_TYPE_HASH, "hash");
	bench_syscalls(BPF_MAP_TYPE_ARRAY, "array");
	bench_loads(16);
	bench_loads(256);
	bench_loads(4096);
	return 0;
}
