// SPDX-License-Identifier: GPL-2.0
/*
 * Programs as native code: what bpf_prog_info, fdinfo and kallsyms say of
 * a JITed program, the same results with net.core.bpf_jit_enable on and
 * off, the call and tail-call limits at full depth, a stack taken from a
 * helper walking through the program's frame, and prog arrays swapped
 * under running programs.
 *
 * The same binary runs on kbpf and on stock kernels (whose JIT answers the
 * same); a kernel without a JIT skips. kbpf's own
 * rules (which programs fall back to the interpreter, prog arrays and
 * mixed runtimes) are checked on kbpf only.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#include "../kselftest_harness.h"
#include "bpf_insns.h"

#define JIT_KNOB	"/proc/sys/net/core/bpf_jit_enable"
#define FALLBACKS	"/proc/sys/kernel/kbpf_jit_fallbacks"
#define FAIL_JIT	"/sys/kernel/debug/fail_kbpf_jit"
#define SLOTS		16

static const unsigned char frame[64] = { 0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2,
					 0x88, 0xb5, 1, 2, 3, 4, 5, 6, 7, 8 };

static long read_long(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static int write_long(const char *path, long value)
{
	char buf[16];
	int fd = open(path, O_WRONLY), n;

	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld\n", value);
	n = write(fd, buf, n) == n ? 0 : -1;
	close(fd);
	return n;
}

static int write_knob(long value)
{
	return write_long(JIT_KNOB, value);
}

static bool is_kbpf(void)
{
	return access(FALLBACKS, F_OK) == 0;
}

/* The kernel has a JIT and it is on: else the tests skip. */
static bool jit_on(void)
{
	return read_long(JIT_KNOB) == 1;
}

#define NO_JIT	"no JIT on this kernel, or it is off"

static int load_filter(const struct bpf_insn *insns, unsigned int cnt)
{
	return load_insns_named(BPF_PROG_TYPE_SOCKET_FILTER, insns, cnt, NULL, "kbpf_jit");
}

/* One run on @data; its r0, or -1 when the run failed. */
static long long run_on(int prog, const void *data, unsigned int size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog;
	attr.test.data_in = (uintptr_t)data;
	attr.test.data_size_in = size;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)))
		return -1;
	return attr.test.retval;
}

static long long run_once(int prog)
{
	return run_on(prog, frame, sizeof(frame));
}

struct jit_info {
	struct bpf_prog_info info;
	__u64 ksyms[SLOTS];
	__u32 lens[SLOTS];
	unsigned char code[4096];
};

static int get_info(int prog, struct jit_info *ji)
{
	union bpf_attr attr;

	memset(ji, 0, sizeof(*ji));
	ji->info.nr_jited_ksyms = SLOTS;
	ji->info.nr_jited_func_lens = SLOTS;
	ji->info.jited_ksyms = (uintptr_t)ji->ksyms;
	ji->info.jited_func_lens = (uintptr_t)ji->lens;
	ji->info.jited_prog_len = sizeof(ji->code);
	ji->info.jited_prog_insns = (uintptr_t)ji->code;
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = prog;
	attr.info.info_len = sizeof(ji->info);
	attr.info.info = (uintptr_t)&ji->info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
}

/* fdinfo's prog_jited, or -1. */
static int fdinfo_jited(int prog)
{
	char path[64], line[256];
	int jited = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", prog);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "prog_jited: %d", &jited) == 1)
			break;
	fclose(f);
	return jited;
}

/* The name /proc/kallsyms gives @addr, in @name; 0 when found. */
static int kallsyms_name(__u64 addr, char *name, size_t size)
{
	char line[512], sym[256], type;
	unsigned long long a;
	int found = -1;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) != 3 || a != addr)
			continue;
		snprintf(name, size, "%s", sym);
		found = 0;
		break;
	}
	fclose(f);
	return found;
}

/* r0 = 7 * skb->len, through a subprogram, twice nested. */
static const struct bpf_insn three_funcs[] = {
	LDX(BPF_W, BPF_REG_1, BPF_REG_1, offsetof(struct __sk_buff, len)),
	CALL_SUB(1),
	EXIT(),
	/* f1: f2(r1) + 6 * r1 */
	MOV_REG(BPF_REG_7, BPF_REG_1),
	CALL_SUB(3),
	MUL_IMM(BPF_REG_7, 6),
	ADD_REG(BPF_REG_0, BPF_REG_7),
	EXIT(),
	/* f2: r1 */
	MOV_REG(BPF_REG_0, BPF_REG_1),
	EXIT(),
};

TEST(jited_info_fdinfo_kallsyms)
{
	struct bpf_insn insns[] = { MOV_IMM(BPF_REG_0, 5), EXIT() };
	char name[256], want[64];
	struct jit_info ji;
	int prog, i;

	if (!jit_on())
		SKIP(return, NO_JIT);
	prog = load_filter(insns, ARRAY_SIZE(insns));
	ASSERT_LE(0, prog);
	EXPECT_EQ(5, run_once(prog));
	ASSERT_EQ(0, get_info(prog, &ji));
	EXPECT_LT(0, ji.info.jited_prog_len);
	EXPECT_EQ(1, ji.info.nr_jited_ksyms);
	EXPECT_EQ(1, ji.info.nr_jited_func_lens);
	EXPECT_EQ(ji.info.jited_prog_len, ji.lens[0]);
	EXPECT_EQ(1, fdinfo_jited(prog));
	ASSERT_NE(0, ji.ksyms[0]);
	ASSERT_EQ(0, kallsyms_name(ji.ksyms[0], name, sizeof(name)));
	i = snprintf(want, sizeof(want), "bpf_prog_");
	for (int b = 0; b < BPF_TAG_SIZE; b++)
		i += snprintf(want + i, sizeof(want) - i, "%02x", ji.info.tag[b]);
	snprintf(want + i, sizeof(want) - i, "_kbpf_jit");
	EXPECT_STREQ(want, name);
	close(prog);
	/* Gone with the program, once the grace period passed. */
	for (i = 0; i < 100 && !kallsyms_name(ji.ksyms[0], name, sizeof(name)); i++)
		usleep(10000);
	EXPECT_NE(0, kallsyms_name(ji.ksyms[0], name, sizeof(name)));
}

TEST(each_function_a_symbol)
{
	struct jit_info ji;
	__u32 sum = 0;
	char name[256];
	int prog, i;

	if (!jit_on())
		SKIP(return, NO_JIT);
	prog = load_filter(three_funcs, ARRAY_SIZE(three_funcs));
	ASSERT_LE(0, prog);
	/* The packet from its network header on: 14 bytes less. */
	EXPECT_EQ(7 * (sizeof(frame) - 14), run_once(prog));
	ASSERT_EQ(0, get_info(prog, &ji));
	ASSERT_EQ(3, ji.info.nr_jited_ksyms);
	EXPECT_EQ(3, ji.info.nr_jited_func_lens);
	for (i = 0; i < 3; i++) {
		sum += ji.lens[i];
		ASSERT_EQ(0, kallsyms_name(ji.ksyms[i], name, sizeof(name)));
		EXPECT_EQ(0, strncmp(name, "bpf_prog_", 9));
	}
	EXPECT_GE(ji.info.jited_prog_len, sum);
	close(prog);
}

/*
 * Arithmetic the JIT must do exactly as the interpreter: divisions by
 * packet bytes (zero among them), signed ones, shifts by data, byte
 * swaps, 32-bit wraparound, in a bounded loop over the packet.
 */
static const struct bpf_insn compute[] = {
	MOV_REG(BPF_REG_6, BPF_REG_1),
	MOV_IMM(BPF_REG_8, 0x12345),
	MOV_IMM(BPF_REG_9, 0),
	/* loop: r0 = packet[r9] */
	INSN(BPF_LD | BPF_IND | BPF_B, 0, BPF_REG_9, 0, 0),
	MOV_REG(BPF_REG_7, BPF_REG_8),
	INSN(BPF_ALU64 | BPF_DIV | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0),
	INSN(BPF_ALU64 | BPF_MOD | BPF_X, BPF_REG_8, BPF_REG_0, 1, 0),
	ADD_REG(BPF_REG_8, BPF_REG_7),
	INSN(BPF_ALU | BPF_MUL | BPF_K, BPF_REG_8, 0, 0, -7),
	INSN(BPF_ALU64 | BPF_LSH | BPF_X, BPF_REG_8, BPF_REG_0, 0, 0),
	INSN(BPF_ALU64 | BPF_ARSH | BPF_K, BPF_REG_8, 0, 0, 3),
	INSN(BPF_ALU | BPF_END | BPF_TO_BE, BPF_REG_7, 0, 0, 32),
	INSN(BPF_ALU64 | BPF_XOR | BPF_X, BPF_REG_8, BPF_REG_7, 0, 0),
	INSN(BPF_ALU | BPF_DIV | BPF_X, BPF_REG_7, BPF_REG_0, 1, 0),
	ADD_REG(BPF_REG_8, BPF_REG_7),
	ADD_IMM(BPF_REG_9, 1),
	INSN(BPF_JMP | BPF_JLT | BPF_K, BPF_REG_9, 0, -14, 40),
	MOV_REG(BPF_REG_0, BPF_REG_8),
	RSH_IMM(BPF_REG_0, 32),
	INSN(BPF_ALU64 | BPF_XOR | BPF_X, BPF_REG_0, BPF_REG_8, 0, 0),
	EXIT(),
};

TEST(same_results_jited_and_interpreted)
{
	unsigned char data[64];
	int jited, interp, i, j;
	struct jit_info ji;

	if (!jit_on())
		SKIP(return, NO_JIT);
	jited = load_filter(compute, ARRAY_SIZE(compute));
	ASSERT_LE(0, jited);
	if (write_knob(0))
		SKIP(return, "the JIT cannot be turned off (BPF_JIT_ALWAYS_ON)");
	interp = load_filter(compute, ARRAY_SIZE(compute));
	ASSERT_EQ(0, write_knob(1));
	ASSERT_LE(0, interp);
	ASSERT_EQ(0, get_info(jited, &ji));
	EXPECT_LT(0, ji.info.jited_prog_len);
	/* Upstream's answer for an interpreted program: one function, no code. */
	ASSERT_EQ(0, get_info(interp, &ji));
	EXPECT_EQ(0, ji.info.jited_prog_len);
	EXPECT_EQ(1, ji.info.nr_jited_ksyms);
	EXPECT_EQ(1, ji.info.nr_jited_func_lens);
	EXPECT_EQ(0, ji.lens[0]);
	EXPECT_EQ(0, fdinfo_jited(interp));
	srand(42);
	for (i = 0; i < 200; i++) {
		memcpy(data, frame, sizeof(frame));
		for (j = 14; j < (int)sizeof(data); j++)
			data[j] = i < 100 ? rand() : rand() % 3;
		EXPECT_EQ(run_on(interp, data, sizeof(data)),
			  run_on(jited, data, sizeof(data)));
	}
	close(interp);
	close(jited);
}

/*
 * Eight frames, the most there may be, each with 64 bytes of stack: 512
 * in all. Each function fills its stack with its depth, calls the next
 * and then checks its stack survived; r0 counts the frames that did.
 */
TEST(calls_eight_deep_full_stack)
{
	struct bpf_insn insns[8 * 16];
	unsigned int n = 0, f, k;
	int prog;

	if (!jit_on())
		SKIP(return, NO_JIT);
	for (f = 0; f < 8; f++) {
		for (k = 1; k <= 8; k++)
			insns[n++] = ST_IMM(BPF_DW, BPF_REG_10, -8 * (int)k, f * 16 + k);
		if (f < 7) {
			/* call the next function, 2 slots after the exit */
			insns[n++] = CALL_SUB(4);
		} else {
			insns[n++] = MOV_IMM(BPF_REG_0, 0);
			insns[n++] = INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0);
		}
		insns[n++] = LDX(BPF_DW, BPF_REG_1, BPF_REG_10, -64);
		insns[n++] = JNE_IMM(BPF_REG_1, f * 16 + 8, 1);
		insns[n++] = ADD_IMM(BPF_REG_0, 1);
		insns[n++] = EXIT();
	}
	prog = load_filter(insns, n);
	ASSERT_LE(0, prog);
	EXPECT_EQ(8, run_once(prog));
	close(prog);
}

static int map_create(__u32 type, __u32 key_size, __u32 value_size,
		      __u32 max_entries)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

static int map_update(int map, const void *key, const void *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)key;
	attr.value = (uintptr_t)value;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)) ? errno : 0;
}

static int map_lookup(int map, const void *key, void *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)key;
	attr.value = (uintptr_t)value;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)) ? errno : 0;
}

/* Counts its runs in @counter[0], then tail-calls slot 0 of @progs. */
static int load_counting_tail_caller(int counter, int progs)
{
	struct bpf_insn insns[] = {
		MOV_REG(BPF_REG_6, BPF_REG_1),
		ST_IMM(BPF_W, BPF_REG_10, -4, 0),
		LD_MAP(BPF_REG_1, counter), IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(BPF_REG_0, 0, 7),
		MOV_IMM(BPF_REG_1, 1),
		ATOMIC_ADD(BPF_REG_0, BPF_REG_1, 0),
		MOV_REG(BPF_REG_1, BPF_REG_6),
		LD_MAP(BPF_REG_2, progs), IMM_HI(0),
		MOV_IMM(BPF_REG_3, 0),
		CALL(BPF_FUNC_tail_call),
		MOV_IMM(BPF_REG_0, 1),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

TEST(tail_calls_exactly_33)
{
	int counter, progs, prog, key = 0;
	__u64 runs = 0;

	if (!jit_on())
		SKIP(return, NO_JIT);
	counter = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_LE(0, counter);
	progs = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1);
	ASSERT_LE(0, progs);
	prog = load_counting_tail_caller(counter, progs);
	ASSERT_LE(0, prog);
	ASSERT_EQ(0, map_update(progs, &key, &prog));
	EXPECT_EQ(1, run_once(prog));
	ASSERT_EQ(0, map_lookup(counter, &key, &runs));
	/* The first run and 33 tail calls; the 34th goes on. */
	EXPECT_EQ(34, runs);
	close(prog);
	close(progs);
	close(counter);
}

/*
 * A raw tracepoint program takes its own kernel stack with
 * bpf_get_stack() into a map value: one of the return addresses must be
 * inside the program's code, so unwinding went through its frame.
 */
TEST(stack_through_jited_frame)
{
	__u64 stack[32] = {};
	int map, prog, key = 0, i, found = 0;
	struct bpf_insn insns[] = {
		MOV_REG(BPF_REG_6, BPF_REG_1),
		ST_IMM(BPF_W, BPF_REG_10, -4, 0),
		LD_MAP(BPF_REG_1, 0), IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(BPF_REG_0, 0, 5),
		MOV_REG(BPF_REG_1, BPF_REG_6),
		MOV_REG(BPF_REG_2, BPF_REG_0),
		MOV_IMM(BPF_REG_3, sizeof(stack)),
		MOV_IMM(BPF_REG_4, 0),
		CALL(BPF_FUNC_get_stack),
		EXIT(),
	};
	union bpf_attr attr;
	struct jit_info ji;
	__u64 args[1] = {};

	if (!jit_on())
		SKIP(return, NO_JIT);
	map = map_create(BPF_MAP_TYPE_ARRAY, 4, sizeof(stack), 1);
	ASSERT_LE(0, map);
	insns[2] = LD_MAP(BPF_REG_1, map);
	prog = load_insns_named(BPF_PROG_TYPE_RAW_TRACEPOINT, insns,
				ARRAY_SIZE(insns), NULL, "kbpf_stack");
	ASSERT_LE(0, prog);
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog;
	attr.test.ctx_in = (uintptr_t)args;
	attr.test.ctx_size_in = sizeof(args);
	ASSERT_EQ(0, sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)));
	EXPECT_LT(0, (int)attr.test.retval);
	ASSERT_EQ(0, map_lookup(map, &key, stack));
	ASSERT_EQ(0, get_info(prog, &ji));
	for (i = 0; i < 32; i++)
		if (stack[i] > ji.ksyms[0] &&
		    stack[i] <= ji.ksyms[0] + ji.lens[0])
			found = 1;
	EXPECT_EQ(1, found);
	close(prog);
	close(map);
}

struct swapper {
	int progs;
	int targets[2];
	bool stop;
};

static void *swap_targets(void *arg)
{
	struct swapper *s = arg;
	unsigned int i = 0;
	int key = 0;

	while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED))
		map_update(s->progs, &key, &s->targets[i++ & 1]);
	return NULL;
}

static int load_ret(int value)
{
	struct bpf_insn insns[] = { MOV_IMM(BPF_REG_0, value), EXIT() };

	return load_filter(insns, ARRAY_SIZE(insns));
}

/* Targets swapped in a prog array while callers run: always one of them. */
TEST(prog_array_swapped_while_running)
{
	struct bpf_insn insns[] = {
		LD_MAP(BPF_REG_2, 0), IMM_HI(0),
		MOV_IMM(BPF_REG_3, 0),
		CALL(BPF_FUNC_tail_call),
		MOV_IMM(BPF_REG_0, 1),
		EXIT(),
	};
	struct swapper s = {};
	union bpf_attr attr;
	pthread_t thread;
	int caller, i, key = 0;

	if (!jit_on())
		SKIP(return, NO_JIT);
	s.progs = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1);
	ASSERT_LE(0, s.progs);
	s.targets[0] = load_ret(10);
	s.targets[1] = load_ret(20);
	ASSERT_LE(0, s.targets[0]);
	ASSERT_LE(0, s.targets[1]);
	ASSERT_EQ(0, map_update(s.progs, &key, &s.targets[0]));
	insns[0] = LD_MAP(BPF_REG_2, s.progs);
	caller = load_filter(insns, ARRAY_SIZE(insns));
	ASSERT_LE(0, caller);
	ASSERT_EQ(0, pthread_create(&thread, NULL, swap_targets, &s));
	for (i = 0; i < 200; i++) {
		memset(&attr, 0, sizeof(attr));
		attr.test.prog_fd = caller;
		attr.test.data_in = (uintptr_t)frame;
		attr.test.data_size_in = sizeof(frame);
		attr.test.repeat = 100;
		ASSERT_EQ(0, sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)));
		if (attr.test.retval != 10 && attr.test.retval != 20)
			break;
	}
	__atomic_store_n(&s.stop, true, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	EXPECT_EQ(200, i);
	close(caller);
	close(s.targets[0]);
	close(s.targets[1]);
	close(s.progs);
}

/* r0 = the first 8 bytes of @map's value at the key in packet byte 0. */
static int load_array_reader(int map)
{
	struct bpf_insn insns[] = {
		MOV_REG(BPF_REG_6, BPF_REG_1),
		LD_ABS(BPF_B, 0),
		STX(BPF_W, BPF_REG_10, BPF_REG_0, -4),
		LD_MAP(BPF_REG_1, map), IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JNE_IMM(BPF_REG_0, 0, 2),
		MOV_IMM(BPF_REG_0, 0xdead),
		EXIT(),
		LDX(BPF_DW, BPF_REG_0, BPF_REG_0, 0),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

/*
 * Array lookups, which JITs inline: every key in range finds its value,
 * keys past the end find nothing, for a value size the code multiplies
 * by and one it shifts by; the same with the knob off.
 */
TEST(array_lookups)
{
	static const unsigned int sizes[] = { 24, 8 };
	unsigned char data[sizeof(frame)];
	int map, jited, interp, key;
	unsigned int s;
	__u64 value[3];

	if (!jit_on())
		SKIP(return, NO_JIT);
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		map = map_create(BPF_MAP_TYPE_ARRAY, 4, sizes[s], 5);
		ASSERT_LE(0, map);
		for (key = 0; key < 5; key++) {
			value[0] = key * 100 + 1;
			ASSERT_EQ(0, map_update(map, &key, value));
		}
		jited = load_array_reader(map);
		ASSERT_LE(0, jited);
		interp = -1;
		if (!write_knob(0)) {
			interp = load_array_reader(map);
			write_knob(1);
			ASSERT_LE(0, interp);
		}
		memcpy(data, frame, sizeof(frame));
		for (key = 0; key < 256; key++) {
			long long want = key < 5 ? key * 100 + 1 : 0xdead;

			data[14] = key;
			EXPECT_EQ(want, run_on(jited, data, sizeof(data)));
			if (interp >= 0)
				EXPECT_EQ(want, run_on(interp, data, sizeof(data)));
		}
		if (interp >= 0)
			close(interp);
		close(jited);
		close(map);
	}
}

/*
 * One lookup reached with either of two arrays (packet byte 0's low bit
 * picks, the rest is the key): a JIT that bound the call to one map
 * would read the other's keys in it.
 */
TEST(lookup_given_two_maps)
{
	struct bpf_insn insns[] = {
		MOV_REG(BPF_REG_6, BPF_REG_1),
		LD_ABS(BPF_B, 0),
		MOV_REG(BPF_REG_7, BPF_REG_0),
		RSH_IMM(BPF_REG_7, 1),
		STX(BPF_W, BPF_REG_10, BPF_REG_7, -4),
		LD_MAP(BPF_REG_1, 0), IMM_HI(0),		/* maps[0] */
		INSN(BPF_JMP | BPF_JSET | BPF_K, BPF_REG_0, 0, 2, 1),
		LD_MAP(BPF_REG_1, 0), IMM_HI(0),		/* maps[1] */
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JNE_IMM(BPF_REG_0, 0, 2),
		MOV_IMM(BPF_REG_0, 0xdead),
		EXIT(),
		LDX(BPF_DW, BPF_REG_0, BPF_REG_0, 0),
		EXIT(),
	};
	unsigned char data[sizeof(frame)];
	int maps[2], prog, m, key;
	__u64 value;

	if (!jit_on())
		SKIP(return, NO_JIT);
	for (m = 0; m < 2; m++) {
		maps[m] = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4);
		ASSERT_LE(0, maps[m]);
		for (key = 0; key < 4; key++) {
			value = (m + 1) * 100 + key;
			ASSERT_EQ(0, map_update(maps[m], &key, &value));
		}
	}
	insns[5] = LD_MAP(BPF_REG_1, maps[0]);
	insns[8] = LD_MAP(BPF_REG_1, maps[1]);
	prog = load_filter(insns, ARRAY_SIZE(insns));
	ASSERT_LE(0, prog);
	memcpy(data, frame, sizeof(frame));
	for (key = 0; key < 12; key++) {
		data[14] = key;
		EXPECT_EQ(key >> 1 >= 4 ? 0xdead : (2 - (key & 1)) * 100 + (key >> 1),
			  run_on(prog, data, sizeof(data)));
	}
	close(prog);
	close(maps[0]);
	close(maps[1]);
}

/*
 * kbpf's rules: a program the JIT does not take (a tail call in a program
 * with subprograms) runs interpreted and is counted; JITed code never
 * tail-calls into an interpreted program.
 */
TEST(kbpf_fallbacks_and_mixed_runtimes)
{
	struct bpf_insn mixed[] = {
		CALL_SUB(2),
		MOV_IMM(BPF_REG_0, 3),
		EXIT(),
		LD_MAP(BPF_REG_2, 0), IMM_HI(0),
		MOV_IMM(BPF_REG_3, 0),
		CALL(BPF_FUNC_tail_call),
		MOV_IMM(BPF_REG_0, 0),
		EXIT(),
	};
	struct bpf_insn caller_insns[] = {
		LD_MAP(BPF_REG_2, 0), IMM_HI(0),
		MOV_IMM(BPF_REG_3, 0),
		CALL(BPF_FUNC_tail_call),
		MOV_IMM(BPF_REG_0, 1),
		EXIT(),
	};
	int progs, prog, interp, caller, jited, key = 0;
	struct jit_info ji;
	long before;

	if (!jit_on())
		SKIP(return, NO_JIT);
	if (!is_kbpf())
		SKIP(return, "kbpf's own rules (Documentation/bpf/kbpf/jit.rst)");
	progs = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1);
	ASSERT_LE(0, progs);
	before = read_long(FALLBACKS);
	mixed[3] = LD_MAP(BPF_REG_2, progs);
	prog = load_filter(mixed, ARRAY_SIZE(mixed));
	ASSERT_LE(0, prog);
	EXPECT_EQ(0, fdinfo_jited(prog));
	EXPECT_EQ(before + 1, read_long(FALLBACKS));
	EXPECT_EQ(3, run_once(prog));
	close(prog);

	/* An interpreted program in the array: its JITed callers interpret. */
	ASSERT_EQ(0, write_knob(0));
	interp = load_ret(5);
	ASSERT_EQ(0, write_knob(1));
	ASSERT_LE(0, interp);
	ASSERT_EQ(0, map_update(progs, &key, &interp));
	caller_insns[0] = LD_MAP(BPF_REG_2, progs);
	caller = load_filter(caller_insns, ARRAY_SIZE(caller_insns));
	ASSERT_LE(0, caller);
	EXPECT_EQ(0, fdinfo_jited(caller));
	EXPECT_EQ(5, run_once(caller));
	close(caller);
	close(interp);
	close(progs);

	/* An array JITed code calls through takes no interpreted program. */
	progs = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1);
	ASSERT_LE(0, progs);
	caller_insns[0] = LD_MAP(BPF_REG_2, progs);
	caller = load_filter(caller_insns, ARRAY_SIZE(caller_insns));
	ASSERT_LE(0, caller);
	EXPECT_EQ(1, fdinfo_jited(caller));
	ASSERT_EQ(0, write_knob(0));
	interp = load_ret(5);
	ASSERT_EQ(0, write_knob(1));
	ASSERT_LE(0, interp);
	EXPECT_EQ(EINVAL, map_update(progs, &key, &interp));
	jited = load_ret(6);
	ASSERT_LE(0, jited);
	ASSERT_EQ(0, map_update(progs, &key, &jited));
	EXPECT_EQ(6, run_once(caller));
	ASSERT_EQ(0, get_info(caller, &ji));
	EXPECT_LT(0, ji.info.jited_prog_len);
	close(jited);
	close(interp);
	close(caller);
	close(progs);
}

/*
 * Each step of compiling made to fail in turn (fault injection: the k-th
 * chance to fail fails, and only it): the program loads all the same, runs
 * interpreted with the right result, and the fallback is counted. The
 * debug flavour (kmemleak) checks nothing leaked on the way.
 */
TEST(kbpf_jit_failures_fall_back)
{
	int prog, k, fallbacks = 0;
	long before;

	if (!jit_on())
		SKIP(return, NO_JIT);
	if (access(FAIL_JIT "/probability", W_OK))
		SKIP(return, "no fault injection (CONFIG_FAULT_INJECTION_DEBUG_FS)");
	before = read_long(FALLBACKS);
	ASSERT_EQ(0, write_long(FAIL_JIT "/verbose", 0));
	ASSERT_EQ(0, write_long(FAIL_JIT "/probability", 100));
	/* Plan, image record, executable memory, code, three functions' tags. */
	for (k = 1; k <= 7; k++) {
		/* The first k - 1 chances spend the budget, the k-th fails. */
		ASSERT_EQ(0, write_long(FAIL_JIT "/space", k));
		ASSERT_EQ(0, write_long(FAIL_JIT "/times", 1));
		prog = load_filter(three_funcs, ARRAY_SIZE(three_funcs));
		ASSERT_LE(0, prog);
		EXPECT_EQ(7 * (sizeof(frame) - 14), run_once(prog));
		if (fdinfo_jited(prog) == 0)
			fallbacks++;
		else
			TH_LOG("failure point %d was not reached", k);
		close(prog);
	}
	ASSERT_EQ(0, write_long(FAIL_JIT "/probability", 0));
	EXPECT_EQ(7, fallbacks);
	EXPECT_EQ(before + fallbacks, read_long(FALLBACKS));
	prog = load_filter(three_funcs, ARRAY_SIZE(three_funcs));
	ASSERT_LE(0, prog);
	EXPECT_EQ(1, fdinfo_jited(prog));
	close(prog);
}

TEST_HARNESS_MAIN
