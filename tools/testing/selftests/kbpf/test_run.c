// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_TEST_RUN through bpf(2), and programs that use maps, tail
 * calls and bpf-to-bpf calls, run that way. No library and no compiler:
 * each program is a struct bpf_insn array built with the macros below.
 *
 * Socket filters run on a frame that starts with an Ethernet header; the
 * program sees the packet from the network header on. Raw tracepoint
 * programs run on an array of u64 arguments.
 *
 * Every case expects what a stock 6.12 kernel gives, errno for errno, so
 * the same binary passes on both flavours and any difference shows.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/filter.h>

#include "../kselftest_harness.h"
#include "bpf_insns.h"
#include "possible_cpus.h"

/* The kernel's own "not supported" errno, which bpf(2) lets out. */
#define ERRNO_NOTSUPP	524

#define ETH_HDR_LEN	14
/* IEEE local experimental: no protocol handler looks into the payload. */
#define FRAME_PROTO	0x88b5
/* The most arguments a raw tracepoint program's context holds. */
#define RAW_TP_MAX_ARGS	12
/* No CPU number this high is online on the machines the tests run on. */
#define OFFLINE_CPU	4096

static const unsigned char frame[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* destination */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source */
	FRAME_PROTO >> 8, FRAME_PROTO & 0xff,
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	0x6b, 0x62, 0x70, 0x66, 0x00, 0x11, 0x22, 0x33,
};

static int load(__u32 type, const struct bpf_insn *insns, unsigned int cnt)
{
	return load_insns(type, insns, cnt, NULL);
}

static int load_filter(const struct bpf_insn *insns, unsigned int cnt)
{
	return load(BPF_PROG_TYPE_SOCKET_FILTER, insns, cnt);
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

static int elem_errno(int cmd, int fd, const void *key, void *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)key;
	attr.value = (uintptr_t)value;
	return sys_bpf(cmd, &attr, sizeof(attr)) ? errno : 0;
}

static int lookup(int fd, const void *key, void *value)
{
	return elem_errno(BPF_MAP_LOOKUP_ELEM, fd, key, value);
}

static int update(int fd, const void *key, const void *value)
{
	return elem_errno(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value);
}

static int pop(int fd, void *value)
{
	return elem_errno(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, NULL, value);
}

/* A test run of @prog on @frame; the caller changes what it tests. */
static void run_attr(union bpf_attr *attr, int prog)
{
	memset(attr, 0, sizeof(*attr));
	attr->test.prog_fd = prog;
	attr->test.data_in = (uintptr_t)frame;
	attr->test.data_size_in = sizeof(frame);
}

/* Errno of a failing run, or 0. */
static int run_errno(union bpf_attr *attr)
{
	return sys_bpf(BPF_PROG_TEST_RUN, attr, sizeof(*attr)) ? errno : 0;
}

/* Runs @prog once on @frame: its r0, or -1 when the run itself failed. */
static long long run_once(int prog)
{
	union bpf_attr attr;

	run_attr(&attr, prog);
	if (run_errno(&attr))
		return -1;
	return attr.test.retval;
}

/* A raw tracepoint run with @nargs arguments; no packet at all. */
static void raw_tp_attr(union bpf_attr *attr, int prog, const __u64 *args,
			unsigned int nargs)
{
	memset(attr, 0, sizeof(*attr));
	attr->test.prog_fd = prog;
	attr->test.ctx_in = (uintptr_t)args;
	attr->test.ctx_size_in = nargs * sizeof(*args);
}

/* How many of the first @len bytes of @buf are zero. */
static unsigned int zero_bytes(const unsigned char *buf, unsigned int len)
{
	unsigned int i, n = 0;

	for (i = 0; i < len; i++)
		n += !buf[i];
	return n;
}

/* Returns @ret. */
static int load_ret(int ret)
{
	struct bpf_insn insns[] = {
		MOV_IMM(BPF_REG_0, ret),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

/*
 * Counts its runs in key 1 of a hash map, which the 64-bit load names by
 * @src and @imm: adds the element on the first run and adds to it
 * atomically after.
 */
static int load_counter(int src, int imm, const int *fd_array)
{
	struct bpf_insn insns[] = {
		ST_IMM(BPF_W, BPF_REG_10, -4, 1),
		ST_IMM(BPF_DW, BPF_REG_10, -16, 1),
		LD_IMM64(BPF_REG_1, src, imm),
		IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(BPF_REG_0, 0, 3),
		MOV_IMM(BPF_REG_1, 1),
		ATOMIC_ADD(BPF_REG_0, BPF_REG_1, 0),
		JA(8),
		LD_IMM64(BPF_REG_1, src, imm),
		IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		MOV_REG(BPF_REG_3, BPF_REG_10),
		ADD_IMM(BPF_REG_3, -16),
		MOV_IMM(BPF_REG_4, BPF_ANY),
		CALL(BPF_FUNC_map_update_elem),
		MOV_IMM(BPF_REG_0, 0),
		EXIT(),
	};

	return load_insns(BPF_PROG_TYPE_SOCKET_FILTER, insns, ARRAY_SIZE(insns),
			fd_array);
}

/* Adds 1 to this CPU's value of key 0 in the per-CPU array @map. */
static int load_percpu_prog(int map)
{
	struct bpf_insn insns[] = {
		ST_IMM(BPF_W, BPF_REG_10, -4, 0),
		LD_MAP(BPF_REG_1, map),
		IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(BPF_REG_0, 0, 3),
		LDX(BPF_DW, BPF_REG_1, BPF_REG_0, 0),
		ADD_IMM(BPF_REG_1, 1),
		STX(BPF_DW, BPF_REG_0, BPF_REG_1, 0),
		MOV_IMM(BPF_REG_0, 0),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

/* Pushes 7 on the queue @map; returns what the push returned. */
static int load_push_prog(int map)
{
	struct bpf_insn insns[] = {
		ST_IMM(BPF_DW, BPF_REG_10, -8, 7),
		LD_MAP(BPF_REG_1, map),
		IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -8),
		MOV_IMM(BPF_REG_3, 0),
		CALL(BPF_FUNC_map_push_elem),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

/*
 * Returns the u64 at offset 8 of element 0 of the array @map, shifted
 * right by 4 so that bits of both halves reach the 32-bit retval. The
 * address comes from the load itself, with no lookup.
 */
static int load_direct_value_prog(int map)
{
	struct bpf_insn insns[] = {
		LD_IMM64(BPF_REG_1, BPF_PSEUDO_MAP_VALUE, map),
		IMM_HI(8),
		LDX(BPF_DW, BPF_REG_0, BPF_REG_1, 0),
		RSH_IMM(BPF_REG_0, 4),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

/* Returns the u32 at key 1 of the array @map and stores 0xabcd at key 0. */
static int load_array_prog(int map)
{
	struct bpf_insn insns[] = {
		ST_IMM(BPF_W, BPF_REG_10, -4, 0),
		LD_MAP(BPF_REG_1, map),
		IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(BPF_REG_0, 0, 10),
		ST_IMM(BPF_W, BPF_REG_0, 0, 0xabcd),
		ST_IMM(BPF_W, BPF_REG_10, -4, 1),
		LD_MAP(BPF_REG_1, map),
		IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(BPF_REG_0, 0, 2),
		LDX(BPF_W, BPF_REG_0, BPF_REG_0, 0),
		EXIT(),
		/* Either lookup missing, which an array never does. */
		MOV_IMM(BPF_REG_0, -1),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

/* bpf_tail_call(ctx, @map, @index), then returns 1 if it came back. */
static int load_tail_caller(int map, int index)
{
	struct bpf_insn insns[] = {
		LD_MAP(BPF_REG_2, map),
		IMM_HI(0),
		MOV_IMM(BPF_REG_3, index),
		CALL(BPF_FUNC_tail_call),
		MOV_IMM(BPF_REG_0, 1),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

TEST(skb_retval_and_data_out)
{
	unsigned char out[64];
	union bpf_attr attr;
	int prog;

	prog = load_ret(7);
	ASSERT_LE(0, prog);
	memset(out, 0xa5, sizeof(out));
	run_attr(&attr, prog);
	attr.test.data_out = (uintptr_t)out;
	attr.test.data_size_out = sizeof(out);
	ASSERT_EQ(0, run_errno(&attr));
	EXPECT_EQ(7, attr.test.retval);
	EXPECT_EQ(sizeof(frame), attr.test.data_size_out);
	/*
	 * The payload comes back as it went in. The Ethernet header does
	 * too, but zeroed: the filter never saw it, and the kernel pushes
	 * a blank one back in front of the network header.
	 */
	EXPECT_EQ(0, memcmp(out + ETH_HDR_LEN, frame + ETH_HDR_LEN,
			    sizeof(frame) - ETH_HDR_LEN));
	EXPECT_EQ(ETH_HDR_LEN, zero_bytes(out, ETH_HDR_LEN));
	EXPECT_EQ(0xa5, out[sizeof(frame)]);
	close(prog);
}

TEST(skb_data_out_too_small)
{
	unsigned char out[sizeof(frame)];
	union bpf_attr attr;
	int prog;

	prog = load_ret(9);
	ASSERT_LE(0, prog);
	memset(out, 0xa5, sizeof(out));
	run_attr(&attr, prog);
	attr.test.data_out = (uintptr_t)out;
	attr.test.data_size_out = ETH_HDR_LEN + 2;
	/* The run still happened: its results are out, with the error. */
	EXPECT_EQ(ENOSPC, run_errno(&attr));
	EXPECT_EQ(9, attr.test.retval);
	EXPECT_EQ(sizeof(frame), attr.test.data_size_out);
	EXPECT_EQ(ETH_HDR_LEN, zero_bytes(out, ETH_HDR_LEN));
	EXPECT_EQ(frame[ETH_HDR_LEN], out[ETH_HDR_LEN]);
	EXPECT_EQ(frame[ETH_HDR_LEN + 1], out[ETH_HDR_LEN + 1]);
	EXPECT_EQ(0xa5, out[ETH_HDR_LEN + 2]);
	close(prog);
}

TEST(skb_frame_shorter_than_ethernet)
{
	union bpf_attr attr;
	int prog;

	prog = load_ret(1);
	ASSERT_LE(0, prog);
	run_attr(&attr, prog);
	attr.test.data_size_in = ETH_HDR_LEN - 1;
	EXPECT_EQ(EINVAL, run_errno(&attr));
	/* A bare header is a packet of no bytes, and runs. */
	run_attr(&attr, prog);
	attr.test.data_size_in = ETH_HDR_LEN;
	EXPECT_EQ(0, run_errno(&attr));
	EXPECT_EQ(1, attr.test.retval);
	close(prog);
}

TEST(skb_repeat)
{
	union bpf_attr attr;
	int prog;

	prog = load_ret(3);
	ASSERT_LE(0, prog);
	/* The duration is the mean per run, and may round down to 0. */
	run_attr(&attr, prog);
	attr.test.repeat = 1000;
	EXPECT_EQ(0, run_errno(&attr));
	EXPECT_EQ(3, attr.test.retval);
	close(prog);
}

TEST(skb_ld_abs)
{
	struct bpf_insn insns[] = {
		MOV_REG(BPF_REG_6, BPF_REG_1),
		LD_ABS(BPF_B, 0),
		/* Not reached past the end, where the program returns 0. */
		ADD_IMM(BPF_REG_0, 0x1000000),
		EXIT(),
	};
	unsigned int i;
	int prog;
	static const struct {
		int size, off;
		long long ret;
	} loads[] = {
		/* Offsets count from the network header, not the frame. */
		{ BPF_B, 0, 0x1000012 },
		{ BPF_H, 0, 0x1001234 },
		{ BPF_W, 0, 0x13345678 },
		{ BPF_B, 15, 0x1000033 },
		/* Past the end: the program ends at once, returning 0. */
		{ BPF_B, 16, 0 },
		{ BPF_W, 14, 0 },
		/* Classic BPF's bases: the network header, the frame. */
		{ BPF_B, SKF_NET_OFF + 1, 0x1000034 },
		{ BPF_H, SKF_LL_OFF + 12, 0x10088b5 },
		{ BPF_B, SKF_LL_OFF + 14, 0x1000012 },
		{ BPF_B, SKF_LL_OFF + 29, 0x1000033 },
		{ BPF_B, SKF_LL_OFF + 30, 0 },
		{ BPF_B, SKF_LL_OFF - 1, 0 },
		{ BPF_B, -1, 0 },
	};

	for (i = 0; i < ARRAY_SIZE(loads); i++) {
		insns[1] = LD_ABS(loads[i].size, loads[i].off);
		prog = load_filter(insns, ARRAY_SIZE(insns));
		ASSERT_LE(0, prog);
		EXPECT_EQ(loads[i].ret, run_once(prog))
			TH_LOG("load %u", i);
		close(prog);
	}
}

TEST(skb_ctx_len_and_protocol)
{
	struct bpf_insn insns[] = {
		LDX(BPF_W, BPF_REG_0, BPF_REG_1, offsetof(struct __sk_buff, len)),
		EXIT(),
	};
	int prog;

	prog = load_filter(insns, ARRAY_SIZE(insns));
	ASSERT_LE(0, prog);
	EXPECT_EQ(sizeof(frame) - ETH_HDR_LEN, run_once(prog));
	close(prog);

	/* The ethertype, as the frame has it: network order. */
	insns[0] = LDX(BPF_W, BPF_REG_0, BPF_REG_1,
		       offsetof(struct __sk_buff, protocol));
	prog = load_filter(insns, ARRAY_SIZE(insns));
	ASSERT_LE(0, prog);
	EXPECT_EQ(htons(FRAME_PROTO), run_once(prog));
	close(prog);
}

TEST(skb_ctx_in)
{
	struct bpf_insn insns[] = {
		LDX(BPF_W, BPF_REG_0, BPF_REG_1, offsetof(struct __sk_buff, mark)),
		LDX(BPF_W, BPF_REG_2, BPF_REG_1,
		    offsetof(struct __sk_buff, priority)),
		ADD_REG(BPF_REG_0, BPF_REG_2),
		LDX(BPF_W, BPF_REG_2, BPF_REG_1,
		    offsetof(struct __sk_buff, cb[4])),
		ADD_REG(BPF_REG_0, BPF_REG_2),
		EXIT(),
	};
	struct __sk_buff in, out;
	union bpf_attr attr;
	int prog;

	prog = load_filter(insns, ARRAY_SIZE(insns));
	ASSERT_LE(0, prog);
	memset(&in, 0, sizeof(in));
	in.mark = 0x10000;
	in.priority = 0x200;
	in.cb[4] = 3;
	memset(&out, 0xa5, sizeof(out));
	run_attr(&attr, prog);
	attr.test.ctx_in = (uintptr_t)&in;
	attr.test.ctx_size_in = sizeof(in);
	attr.test.ctx_out = (uintptr_t)&out;
	attr.test.ctx_size_out = sizeof(out);
	ASSERT_EQ(0, run_errno(&attr));
	EXPECT_EQ(0x10203, attr.test.retval);
	EXPECT_EQ(in.mark, out.mark);
	EXPECT_EQ(in.priority, out.priority);
	EXPECT_EQ(in.cb[4], out.cb[4]);
	close(prog);
}

TEST(skb_ctx_in_refused)
{
	struct __sk_buff in;
	union bpf_attr attr;
	int prog;

	prog = load_ret(0);
	ASSERT_LE(0, prog);
	/* The length comes from the data: a context may not claim one. */
	memset(&in, 0, sizeof(in));
	in.len = 4;
	run_attr(&attr, prog);
	attr.test.ctx_in = (uintptr_t)&in;
	attr.test.ctx_size_in = sizeof(in);
	EXPECT_EQ(EINVAL, run_errno(&attr));
	/* A size without a buffer, and a buffer without a size. */
	run_attr(&attr, prog);
	attr.test.ctx_size_in = sizeof(in);
	EXPECT_EQ(EINVAL, run_errno(&attr));
	memset(&in, 0, sizeof(in));
	run_attr(&attr, prog);
	attr.test.ctx_in = (uintptr_t)&in;
	EXPECT_EQ(EINVAL, run_errno(&attr));
	/* The same buffer, sized, is a valid all-zero context. */
	attr.test.ctx_size_in = sizeof(in);
	EXPECT_EQ(0, run_errno(&attr));
	close(prog);
}

TEST(skb_flags_and_cpu)
{
	union bpf_attr attr;
	int prog;

	prog = load_ret(0);
	ASSERT_LE(0, prog);
	/* Socket filters run where they are called, on no chosen CPU. */
	run_attr(&attr, prog);
	attr.test.flags = BPF_F_TEST_RUN_ON_CPU;
	EXPECT_EQ(EINVAL, run_errno(&attr));
	run_attr(&attr, prog);
	attr.test.cpu = 1;
	EXPECT_EQ(EINVAL, run_errno(&attr));
	run_attr(&attr, prog);
	attr.test.flags = 1U << 31;
	EXPECT_EQ(EINVAL, run_errno(&attr));
	run_attr(&attr, prog);
	attr.test.batch_size = 1;
	EXPECT_EQ(EINVAL, run_errno(&attr));
	close(prog);
}

/*
 * bpf_skb_load_bytes(ctx, @off, fp-8, @len) into a stack slot filled with
 * ones first; returns the slot's low 32 bits, or the helper's error.
 */
static long long skb_load_bytes_run(int off, int len)
{
	struct bpf_insn insns[] = {
		MOV_IMM(BPF_REG_2, -1),
		STX(BPF_DW, BPF_REG_10, BPF_REG_2, -8),
		MOV_IMM(BPF_REG_2, off),
		MOV_REG(BPF_REG_3, BPF_REG_10),
		ADD_IMM(BPF_REG_3, -8),
		MOV_IMM(BPF_REG_4, len),
		CALL(BPF_FUNC_skb_load_bytes),
		JNE_IMM(BPF_REG_0, 0, 1),
		LDX(BPF_W, BPF_REG_0, BPF_REG_10, -8),
		EXIT(),
	};
	long long ret;
	int prog;

	prog = load_filter(insns, ARRAY_SIZE(insns));
	if (prog < 0)
		return -2;
	ret = run_once(prog);
	close(prog);
	return ret;
}

TEST(skb_load_bytes)
{
	/* Offsets count from the network header: 9a bc de f0 at 4. */
	EXPECT_EQ(0xf0debc9a, skb_load_bytes_run(4, 4));
	EXPECT_EQ(0xffffff12, skb_load_bytes_run(0, 1));
	EXPECT_EQ(0x33221100, skb_load_bytes_run(12, 4));
	/* Past the end: -EFAULT, and the buffer is cleared. */
	EXPECT_EQ((__u32)-EFAULT, skb_load_bytes_run(13, 4));
	EXPECT_EQ((__u32)-EFAULT, skb_load_bytes_run(16, 1));
	EXPECT_EQ((__u32)-EFAULT, skb_load_bytes_run(-1, 1));
}

/* A filter returning what the helper @func gives for its packet. */
static int load_socket_query(int func)
{
	struct bpf_insn insns[] = {
		CALL(func),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

TEST(skb_socket_uid_and_cookie)
{
	long long first, second;
	int prog;

	/* Test runs give the packet a socket of their own, opened by root. */
	prog = load_socket_query(BPF_FUNC_get_socket_uid);
	ASSERT_LE(0, prog);
	EXPECT_EQ(0, run_once(prog));
	close(prog);

	/* A new socket, so a new cookie, for each run. */
	prog = load_socket_query(BPF_FUNC_get_socket_cookie);
	ASSERT_LE(0, prog);
	first = run_once(prog);
	second = run_once(prog);
	EXPECT_NE(0, first);
	EXPECT_NE(0, second);
	EXPECT_NE(first, second);
	close(prog);
}

static int load_raw_tp_sum(void)
{
	struct bpf_insn insns[] = {
		LDX(BPF_DW, BPF_REG_0, BPF_REG_1, 0),
		LDX(BPF_DW, BPF_REG_2, BPF_REG_1, 8),
		ADD_REG(BPF_REG_0, BPF_REG_2),
		EXIT(),
	};

	return load(BPF_PROG_TYPE_RAW_TRACEPOINT, insns, ARRAY_SIZE(insns));
}

TEST(raw_tp_args)
{
	__u64 args[RAW_TP_MAX_ARGS + 1] = { 40, 2 };
	union bpf_attr attr;
	int prog;

	prog = load_raw_tp_sum();
	ASSERT_LE(0, prog);
	raw_tp_attr(&attr, prog, args, 2);
	ASSERT_EQ(0, run_errno(&attr));
	EXPECT_EQ(42, attr.test.retval);
	raw_tp_attr(&attr, prog, args, RAW_TP_MAX_ARGS);
	args[0] = 1000;
	EXPECT_EQ(0, run_errno(&attr));
	EXPECT_EQ(1002, attr.test.retval);
	/* One argument more than any tracepoint has. */
	raw_tp_attr(&attr, prog, args, RAW_TP_MAX_ARGS + 1);
	EXPECT_EQ(EINVAL, run_errno(&attr));
	close(prog);
}

TEST(raw_tp_refused_attrs)
{
	__u64 args[2] = { 1, 2 };
	union bpf_attr attr;
	int prog;

	prog = load_raw_tp_sum();
	ASSERT_LE(0, prog);
	/* A tracepoint has arguments, no packet, and runs once. */
	raw_tp_attr(&attr, prog, args, 2);
	attr.test.data_in = (uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	EXPECT_EQ(EINVAL, run_errno(&attr));
	raw_tp_attr(&attr, prog, args, 2);
	attr.test.repeat = 2;
	EXPECT_EQ(EINVAL, run_errno(&attr));
	/* A CPU is only chosen with the flag that says so. */
	raw_tp_attr(&attr, prog, args, 2);
	attr.test.cpu = 1;
	EXPECT_EQ(EINVAL, run_errno(&attr));
	close(prog);
}

TEST(raw_tp_on_cpu)
{
	__u64 args[2] = { 5, 6 };
	union bpf_attr attr;
	int prog;

	prog = load_raw_tp_sum();
	ASSERT_LE(0, prog);
	raw_tp_attr(&attr, prog, args, 2);
	attr.test.flags = BPF_F_TEST_RUN_ON_CPU;
	attr.test.cpu = 0;
	ASSERT_EQ(0, run_errno(&attr));
	EXPECT_EQ(11, attr.test.retval);
	raw_tp_attr(&attr, prog, args, 2);
	attr.test.flags = BPF_F_TEST_RUN_ON_CPU;
	attr.test.cpu = OFFLINE_CPU;
	EXPECT_EQ(ENXIO, run_errno(&attr));
	close(prog);
}

TEST(run_refused_programs)
{
	struct bpf_insn insns[] = {
		MOV_IMM(BPF_REG_0, 0),
		EXIT(),
	};
	union bpf_attr attr;
	int prog, map;

	/* Loads, but a kprobe has no run of its own to test. */
	prog = load(BPF_PROG_TYPE_KPROBE, insns, ARRAY_SIZE(insns));
	ASSERT_LE(0, prog);
	run_attr(&attr, prog);
	EXPECT_EQ(ERRNO_NOTSUPP, run_errno(&attr));
	close(prog);

	run_attr(&attr, -1);
	EXPECT_EQ(EBADF, run_errno(&attr));
	run_attr(&attr, prog);
	EXPECT_EQ(EBADF, run_errno(&attr));
	/* An open fd, but of a map. */
	map = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	ASSERT_LE(0, map);
	run_attr(&attr, map);
	EXPECT_EQ(EINVAL, run_errno(&attr));
	close(map);
}

TEST(hash_counter)
{
	__u32 key = 1;
	__u64 value = 0;
	union bpf_attr attr;
	int map, prog;

	map = map_create(BPF_MAP_TYPE_HASH, 4, 8, 4);
	ASSERT_LE(0, map);
	prog = load_counter(BPF_PSEUDO_MAP_FD, map, NULL);
	ASSERT_LE(0, prog);
	EXPECT_EQ(ENOENT, lookup(map, &key, &value));
	run_attr(&attr, prog);
	attr.test.repeat = 10;
	ASSERT_EQ(0, run_errno(&attr));
	EXPECT_EQ(0, attr.test.retval);
	ASSERT_EQ(0, lookup(map, &key, &value));
	EXPECT_EQ(10, value);
	/* Only key 1 was ever added. */
	key = 0;
	EXPECT_EQ(ENOENT, lookup(map, &key, &value));
	close(prog);
	close(map);
}

TEST(array_read_and_write)
{
	__u32 key, value;
	int map, prog;

	map = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 2);
	ASSERT_LE(0, map);
	prog = load_array_prog(map);
	ASSERT_LE(0, prog);
	key = 1;
	value = 777;
	ASSERT_EQ(0, update(map, &key, &value));
	EXPECT_EQ(777, run_once(prog));
	key = 0;
	ASSERT_EQ(0, lookup(map, &key, &value));
	EXPECT_EQ(0xabcd, value);
	/* Read at each run, not once at load. */
	key = 1;
	value = 778;
	ASSERT_EQ(0, update(map, &key, &value));
	EXPECT_EQ(778, run_once(prog));
	close(prog);
	close(map);
}

TEST(percpu_array_sum)
{
	union bpf_attr attr;
	int ncpus, map, prog, cpu;
	__u64 *values, sum = 0;
	__u32 key = 0;

	ncpus = possible_cpus();
	ASSERT_LT(0, ncpus);
	values = calloc(ncpus, sizeof(*values));
	ASSERT_NE(NULL, values);
	map = map_create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1);
	ASSERT_LE(0, map);
	prog = load_percpu_prog(map);
	ASSERT_LE(0, prog);
	/* Runs of 5, 1 and 1, maybe on different CPUs: the sum is all. */
	run_attr(&attr, prog);
	attr.test.repeat = 5;
	ASSERT_EQ(0, run_errno(&attr));
	EXPECT_EQ(0, run_once(prog));
	EXPECT_EQ(0, run_once(prog));
	ASSERT_EQ(0, lookup(map, &key, values));
	for (cpu = 0; cpu < ncpus; cpu++)
		sum += values[cpu];
	EXPECT_EQ(7, sum);
	free(values);
	close(prog);
	close(map);
}

TEST(queue_push)
{
	__u64 value = 0;
	int map, prog;

	map = map_create(BPF_MAP_TYPE_QUEUE, 0, 8, 4);
	ASSERT_LE(0, map);
	prog = load_push_prog(map);
	ASSERT_LE(0, prog);
	EXPECT_EQ(0, run_once(prog));
	EXPECT_EQ(0, pop(map, &value));
	EXPECT_EQ(7, value);
	/* Pushed once, so popped once. */
	EXPECT_EQ(ENOENT, pop(map, &value));
	close(prog);
	close(map);
}

TEST(map_value_direct_load)
{
	__u64 value[2] = { 1, 0x123456789ULL };
	__u32 key = 0;
	int map, prog;

	map = map_create(BPF_MAP_TYPE_ARRAY, 4, sizeof(value), 1);
	ASSERT_LE(0, map);
	prog = load_direct_value_prog(map);
	ASSERT_LE(0, prog);
	ASSERT_EQ(0, update(map, &key, value));
	EXPECT_EQ(0x12345678, run_once(prog));
	/* Read at each run, not once at load. */
	value[1] = 0x50;
	ASSERT_EQ(0, update(map, &key, value));
	EXPECT_EQ(5, run_once(prog));
	close(prog);
	close(map);
}

TEST(tail_call)
{
	int map, callee, caller, far, key, i;

	map = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4);
	ASSERT_LE(0, map);
	callee = load_ret(42);
	ASSERT_LE(0, callee);
	caller = load_tail_caller(map, 0);
	ASSERT_LE(0, caller);
	far = load_tail_caller(map, 5);
	ASSERT_LE(0, far);
	/* An empty slot: the program goes on after the call. */
	EXPECT_EQ(1, run_once(caller));
	key = 0;
	ASSERT_EQ(0, update(map, &key, &callee));
	EXPECT_EQ(42, run_once(caller));
	/* Past max_entries, it goes on the same way. */
	EXPECT_EQ(1, run_once(far));
	/* Every slot filled changes nothing for index 5. */
	for (i = 1; i < 4; i++)
		ASSERT_EQ(0, update(map, &i, &callee));
	EXPECT_EQ(1, run_once(far));
	ASSERT_EQ(0, elem_errno(BPF_MAP_DELETE_ELEM, map, &key, NULL));
	EXPECT_EQ(1, run_once(caller));
	close(far);
	close(caller);
	close(callee);
	close(map);
}

TEST(prog_array_one_type)
{
	int map, filter, raw_tp, key = 0;

	map = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2);
	ASSERT_LE(0, map);
	filter = load_ret(1);
	ASSERT_LE(0, filter);
	raw_tp = load_raw_tp_sum();
	ASSERT_LE(0, raw_tp);
	ASSERT_EQ(0, update(map, &key, &filter));
	/* A tail call keeps the context: its type must not change. */
	key = 1;
	EXPECT_EQ(EINVAL, update(map, &key, &raw_tp));
	close(raw_tp);
	close(filter);
	close(map);
}

TEST(bpf_to_bpf_call)
{
	struct bpf_insn insns[] = {
		MOV_IMM(BPF_REG_1, 21),
		CALL_SUB(2),
		ADD_IMM(BPF_REG_0, 1000),
		EXIT(),
		/* The subprogram: r1 * 2. */
		MOV_REG(BPF_REG_0, BPF_REG_1),
		MUL_IMM(BPF_REG_0, 2),
		EXIT(),
	};
	int prog;

	prog = load_filter(insns, ARRAY_SIZE(insns));
	ASSERT_LE(0, prog);
	EXPECT_EQ(1042, run_once(prog));
	close(prog);

	insns[0] = MOV_IMM(BPF_REG_1, 4);
	prog = load_filter(insns, ARRAY_SIZE(insns));
	ASSERT_LE(0, prog);
	EXPECT_EQ(1008, run_once(prog));
	close(prog);
}

TEST(map_idx_fd_array)
{
	int fds[2];
	__u32 key = 1;
	__u64 value = 0;
	union bpf_attr attr;
	int map, prog;

	map = map_create(BPF_MAP_TYPE_HASH, 4, 8, 4);
	ASSERT_LE(0, map);
	/* Index 1, so a loader reading slot 0 or the imm as an fd fails. */
	fds[0] = -1;
	fds[1] = map;
	prog = load_counter(BPF_PSEUDO_MAP_IDX, 1, fds);
	ASSERT_LE(0, prog);
	run_attr(&attr, prog);
	attr.test.repeat = 3;
	ASSERT_EQ(0, run_errno(&attr));
	ASSERT_EQ(0, lookup(map, &key, &value));
	EXPECT_EQ(3, value);
	close(prog);
	close(map);
}

TEST(map_outlives_its_fd)
{
	__u32 key = 1, value = 31;
	int map, prog;

	map = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 2);
	ASSERT_LE(0, map);
	ASSERT_EQ(0, update(map, &key, &value));
	prog = load_array_prog(map);
	ASSERT_LE(0, prog);
	close(map);
	/* The program's reference keeps the map, and its values, alive. */
	EXPECT_EQ(31, run_once(prog));
	EXPECT_EQ(31, run_once(prog));
	close(prog);
}

/*
 * Looks up key 0 of the array of maps @outer, then key 5 of the map it
 * gives, and returns that value; 1000 for an empty slot, 2000 for no key.
 */
static int load_map_in_map_prog(int outer)
{
	struct bpf_insn insns[] = {
		ST_IMM(BPF_W, BPF_REG_10, -4, 0),
		ST_IMM(BPF_W, BPF_REG_10, -8, 5),
		LD_MAP(BPF_REG_1, outer),
		IMM_HI(0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(BPF_REG_0, 0, 7),
		MOV_REG(BPF_REG_1, BPF_REG_0),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -8),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(BPF_REG_0, 0, 4),
		LDX(BPF_DW, BPF_REG_0, BPF_REG_0, 0),
		EXIT(),
		MOV_IMM(BPF_REG_0, 1000),
		EXIT(),
		MOV_IMM(BPF_REG_0, 2000),
		EXIT(),
	};

	return load_filter(insns, ARRAY_SIZE(insns));
}

/* A program follows an array of maps to one of its maps and reads it. */
TEST(map_in_map)
{
	__u32 key = 5, slot = 0, fd;
	union bpf_attr attr;
	__u64 value = 77;
	int inner, outer, prog;

	inner = map_create(BPF_MAP_TYPE_HASH, 4, 8, 8);
	ASSERT_LE(0, inner);
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY_OF_MAPS;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 2;
	attr.inner_map_fd = inner;
	outer = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ASSERT_LE(0, outer);
	prog = load_map_in_map_prog(outer);
	ASSERT_LE(0, prog);

	EXPECT_EQ(1000, run_once(prog));
	fd = inner;
	ASSERT_EQ(0, update(outer, &slot, &fd));
	EXPECT_EQ(2000, run_once(prog));
	ASSERT_EQ(0, update(inner, &key, &value));
	EXPECT_EQ(77, run_once(prog));
	/* The array holds the map: the program still finds it. */
	close(inner);
	EXPECT_EQ(77, run_once(prog));
	ASSERT_EQ(0, elem_errno(BPF_MAP_DELETE_ELEM, outer, &slot, NULL));
	EXPECT_EQ(1000, run_once(prog));
	close(prog);
	close(outer);
}

static int prog_info(int prog, struct bpf_prog_info *info, __u32 *map_ids,
		     __u32 nr_map_ids)
{
	union bpf_attr attr;

	memset(info, 0, sizeof(*info));
	info->map_ids = (uintptr_t)map_ids;
	info->nr_map_ids = nr_map_ids;
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = prog;
	attr.info.info_len = sizeof(*info);
	attr.info.info = (uintptr_t)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) ? errno : 0;
}

/* Runs are counted and timed while a BPF_ENABLE_STATS fd is open, only. */
TEST(run_stats)
{
	struct bpf_prog_info info;
	union bpf_attr attr;
	int prog, stats;

	prog = load_ret(3);
	ASSERT_LE(0, prog);
	memset(&attr, 0, sizeof(attr));
	attr.enable_stats.type = BPF_STATS_RUN_TIME + 1;
	EXPECT_EQ(-1, sys_bpf(BPF_ENABLE_STATS, &attr, sizeof(attr)));
	EXPECT_EQ(EINVAL, errno);
	attr.enable_stats.type = BPF_STATS_RUN_TIME;
	stats = sys_bpf(BPF_ENABLE_STATS, &attr, sizeof(attr));
	ASSERT_LE(0, stats);

	/*
	 * Enough runs to span clock ticks: sched_clock() may count in
	 * jiffies in a guest without a stable TSC.
	 */
	run_attr(&attr, prog);
	attr.test.repeat = 100000;
	ASSERT_EQ(0, run_errno(&attr));
	ASSERT_EQ(0, prog_info(prog, &info, NULL, 0));
	EXPECT_EQ(100000, info.run_cnt);
	EXPECT_LT(0, info.run_time_ns);

	close(stats);
	EXPECT_EQ(3, run_once(prog));
	ASSERT_EQ(0, prog_info(prog, &info, NULL, 0));
	EXPECT_EQ(100000, info.run_cnt);
	close(prog);
}

/* A bound map is one more map of the program's, held as long as it is. */
TEST(bind_map)
{
	struct bpf_map_info map_info;
	struct bpf_prog_info info;
	union bpf_attr attr;
	__u32 ids[4] = {};
	int prog, map;

	prog = load_ret(0);
	ASSERT_LE(0, prog);
	map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ASSERT_LE(0, map);
	memset(&attr, 0, sizeof(attr));
	attr.prog_bind_map.prog_fd = prog;
	attr.prog_bind_map.map_fd = map;
	attr.prog_bind_map.flags = 1;
	EXPECT_EQ(-1, sys_bpf(BPF_PROG_BIND_MAP, &attr, sizeof(attr)));
	EXPECT_EQ(EINVAL, errno);
	attr.prog_bind_map.flags = 0;
	ASSERT_EQ(0, sys_bpf(BPF_PROG_BIND_MAP, &attr, sizeof(attr)));
	/* Binding it again changes nothing. */
	ASSERT_EQ(0, sys_bpf(BPF_PROG_BIND_MAP, &attr, sizeof(attr)));
	attr.prog_bind_map.map_fd = prog;
	EXPECT_EQ(-1, sys_bpf(BPF_PROG_BIND_MAP, &attr, sizeof(attr)));
	EXPECT_EQ(EINVAL, errno);

	ASSERT_EQ(0, prog_info(prog, &info, ids, 4));
	ASSERT_EQ(1, info.nr_map_ids);
	memset(&map_info, 0, sizeof(map_info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = map;
	attr.info.info_len = sizeof(map_info);
	attr.info.info = (uintptr_t)&map_info;
	ASSERT_EQ(0, sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)));
	EXPECT_EQ(map_info.id, ids[0]);

	/* The program keeps the map when its fd goes. */
	close(map);
	memset(&attr, 0, sizeof(attr));
	attr.map_id = ids[0];
	map = sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr, sizeof(attr));
	EXPECT_LE(0, map);
	close(map);
	close(prog);
}

TEST_HARNESS_MAIN
