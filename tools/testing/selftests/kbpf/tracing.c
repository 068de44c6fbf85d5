// SPDX-License-Identifier: GPL-2.0
/*
 * Programs on the kernel's hooks, counted exactly: kprobes and kretprobes
 * (perf's kprobe PMU), tracepoints (PERF_TYPE_TRACEPOINT, syscalls), raw
 * tracepoints (BPF_RAW_TRACEPOINT_OPEN), uprobes (perf's uprobe PMU) and
 * a sampling software event; attached with PERF_EVENT_IOC_SET_BPF or a
 * link, detached by BPF_LINK_DETACH or closing; and the errors for the
 * wrong program, a second program, a missing tracepoint, a context read
 * past what the hook gives.
 *
 * Each counting program counts only this process's events, so the count
 * is exactly the number of calls the test makes. Every case expects what
 * a stock 6.12 kernel gives, so the same binary passes on both flavours.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <linux/perf_event.h>

#include "../kselftest_harness.h"
#include "getppid_func.h"
#include "file_offset.h"
#include "bpf_insns.h"

#define TRACEFS		"/sys/kernel/tracing"
#define PMU_DIR		"/sys/bus/event_source/devices"
#define CALLS		100

/* What a counting program leaves in its map's only value. */
struct counter {
	__u64 count;
	__u64 last;	/* a context word of the last run, when asked */
};

/**
 * struct counter_spec - what a counting program counts
 * @type: its program type
 * @match_off: context offset of a word that must equal @match, or -1
 * @match_size: BPF_W or BPF_DW
 * @match: the value
 * @keep_off: context offset of a u64 to keep in counter.last, or -1
 * @ret: what the program returns
 */
struct counter_spec {
	__u32 type;
	int match_off;
	int match_size;
	long long match;
	int keep_off;
	int ret;
};

static int load(__u32 type, const struct bpf_insn *insns, unsigned int cnt)
{
	return load_insns(type, insns, cnt, NULL);
}

/* An array of one @value_size-byte value. */
static int array_map(__u32 value_size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = value_size;
	attr.max_entries = 1;
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

static int counter_map(void)
{
	return array_map(sizeof(struct counter));
}

static struct counter read_counter(int map)
{
	struct counter c = { ~0ull, ~0ull };
	union bpf_attr attr;
	__u32 key = 0;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&c;
	sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr));
	return c;
}

/* A program counting this process's runs into @map, as @s says. */
static int load_counter(const struct counter_spec *s, int map)
{
	struct bpf_insn p[32];
	int n = 0, exits[3], nexits = 0, i;

	p[n++] = MOV_REG(6, 1);
	if (s->match_off >= 0) {
		p[n++] = LDX(s->match_size, 2, 6, s->match_off);
		exits[nexits++] = n;
		p[n++] = JNE_IMM(2, s->match, 0);
	}
	p[n++] = CALL(BPF_FUNC_get_current_pid_tgid);
	p[n++] = RSH_IMM(0, 32);
	exits[nexits++] = n;
	p[n++] = JNE_IMM(0, getpid(), 0);
	p[n++] = ST_IMM(BPF_W, 10, -4, 0);
	p[n++] = LD_MAP(1, map);
	p[n++] = IMM_HI(0);
	p[n++] = MOV_REG(2, 10);
	p[n++] = ADD_IMM(2, -4);
	p[n++] = CALL(BPF_FUNC_map_lookup_elem);
	exits[nexits++] = n;
	p[n++] = JEQ_IMM(0, 0, 0);
	p[n++] = MOV_IMM(1, 1);
	p[n++] = ATOMIC_ADD(0, 1, 0);
	if (s->keep_off >= 0) {
		p[n++] = LDX(BPF_DW, 1, 6, s->keep_off);
		p[n++] = STX(BPF_DW, 0, 1, 8);
	}
	for (i = 0; i < nexits; i++)
		p[exits[i]].off = n - exits[i] - 1;
	p[n++] = MOV_IMM(0, s->ret);
	p[n++] = EXIT();
	return load(s->type, p, n);
}

/* A program of @type that reads the u64 at @off of its context. */
static int load_ctx_reader(__u32 type, int off)
{
	const struct bpf_insn p[] = {
		LDX(BPF_DW, 0, 1, off),
		MOV_IMM(0, 0),
		EXIT(),
	};

	return load(type, p, 3);
}

static int perf_event_open(struct perf_event_attr *attr, int pid, int cpu)
{
	return syscall(__NR_perf_event_open, attr, pid, cpu, -1,
		       PERF_FLAG_FD_CLOEXEC);
}

/* The first number in file @path, or -1. */
static long read_number(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* A perf event of the kprobe (or kretprobe) on @func, not yet enabled. */
static int kprobe_event(const char *func, int ret)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = read_number(PMU_DIR "/kprobe/type");
	/* The PMU's format: "retprobe" is config:0. */
	attr.config = ret ? 1 : 0;
	attr.kprobe_func = (uintptr_t)func;
	return perf_event_open(&attr, -1, 0);
}

/* A perf event of tracepoint @event ("syscalls/sys_enter_getppid"). */
static int tracepoint_event(const char *event)
{
	struct perf_event_attr attr;
	char path[256];

	snprintf(path, sizeof(path), TRACEFS "/events/%s/id", event);
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = read_number(path);
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	return perf_event_open(&attr, -1, 0);
}

static int set_bpf(int event, int prog)
{
	return ioctl(event, PERF_EVENT_IOC_SET_BPF, prog) ? errno : 0;
}

static int enable(int event)
{
	return ioctl(event, PERF_EVENT_IOC_ENABLE, 0);
}

static int link_create(int prog, int target, __u32 attach_type, __u64 cookie)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = prog;
	attr.link_create.target_fd = target;
	attr.link_create.attach_type = attach_type;
	attr.link_create.perf_event.bpf_cookie = cookie;
	return sys_bpf(BPF_LINK_CREATE, &attr, sizeof(attr));
}

static int link_detach(int link)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_detach.link_fd = link;
	return sys_bpf(BPF_LINK_DETACH, &attr, sizeof(attr)) ? errno : 0;
}

static int raw_tp_open(int prog, const char *name)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.prog_fd = prog;
	attr.raw_tracepoint.name = (uintptr_t)name;
	return sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
}

static int get_info(int fd, void *info, __u32 len)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info = (uintptr_t)info;
	attr.info.info_len = len;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) ? errno : 0;
}

static __u32 prog_id(int prog)
{
	struct bpf_prog_info info;

	memset(&info, 0, sizeof(info));
	return get_info(prog, &info, sizeof(info)) ? 0 : info.id;
}

static void call_getppid(int n)
{
	while (n--)
		syscall(__NR_getppid);
}

static const struct counter_spec count_all_kprobe = {
	.type = BPF_PROG_TYPE_KPROBE, .match_off = -1, .keep_off = -1,
};

TEST(kprobe_counts_each_call)
{
	int map = counter_map(), prog, event;

	prog = load_counter(&count_all_kprobe, map);
	ASSERT_LE(0, prog);
	event = kprobe_event(GETPPID_FUNC, 0);
	ASSERT_LE(0, event) TH_LOG("kprobe on %s: errno %d", GETPPID_FUNC, errno);
	ASSERT_EQ(0, set_bpf(event, prog));
	ASSERT_EQ(0, enable(event));
	call_getppid(CALLS);
	EXPECT_EQ(CALLS, read_counter(map).count);
	/* One program per event. */
	EXPECT_EQ(EEXIST, set_bpf(event, prog));
	close(event);
	/* Freeing the event detached the program. */
	call_getppid(CALLS);
	EXPECT_EQ(CALLS, read_counter(map).count);
	close(prog);
	close(map);
}

TEST(kretprobe_link_and_detach)
{
	int map = counter_map(), prog, event, link, err;
	struct bpf_link_info info;

	prog = load_counter(&count_all_kprobe, map);
	ASSERT_LE(0, prog);
	event = kprobe_event(GETPPID_FUNC, 1);
	ASSERT_LE(0, event);
	link = link_create(prog, event, BPF_PERF_EVENT, 0);
	ASSERT_LE(0, link) TH_LOG("link_create: errno %d", errno);
	ASSERT_EQ(0, enable(event));
	call_getppid(CALLS);
	EXPECT_EQ(CALLS, read_counter(map).count);

	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, get_info(link, &info, sizeof(info)));
	EXPECT_EQ(BPF_LINK_TYPE_PERF_EVENT, info.type);
	EXPECT_NE(0, info.id);
	EXPECT_EQ(prog_id(prog), info.prog_id);

	/* The event takes one program: a second link or ioctl is refused. */
	EXPECT_GT(0, link_create(prog, event, BPF_PERF_EVENT, 0));
	EXPECT_EQ(EEXIST, errno);

	/* Stock 6.12's perf links can only be closed; kbpf's detach too. */
	err = link_detach(link);
	if (err == EOPNOTSUPP) {
		close(link);
		link = -1;
	} else {
		ASSERT_EQ(0, err);
		/* Detached, the link is still a link. */
		EXPECT_EQ(0, get_info(link, &info, sizeof(info)));
		EXPECT_EQ(prog_id(prog), info.prog_id);
	}
	call_getppid(CALLS);
	EXPECT_EQ(CALLS, read_counter(map).count);
	/* Detached, the event takes a program again. */
	EXPECT_EQ(0, set_bpf(event, prog));
	call_getppid(CALLS);
	EXPECT_EQ(2 * CALLS, read_counter(map).count);
	if (link >= 0)
		close(link);
	close(event);
	close(prog);
	close(map);
}

TEST(tracepoint_syscall_record)
{
	/* sys_enter_getppid's record: trace_entry, then int __syscall_nr. */
	const struct counter_spec spec = {
		.type = BPF_PROG_TYPE_TRACEPOINT, .match_off = 8,
		.match_size = BPF_W, .match = __NR_getppid, .keep_off = -1,
		.ret = 1,
	};
	int map = counter_map(), prog, event, link;

	prog = load_counter(&spec, map);
	ASSERT_LE(0, prog);
	event = tracepoint_event("syscalls/sys_enter_getppid");
	ASSERT_LE(0, event) TH_LOG("tracepoint: errno %d", errno);
	link = link_create(prog, event, BPF_PERF_EVENT, 0);
	ASSERT_LE(0, link);
	ASSERT_EQ(0, enable(event));
	call_getppid(CALLS);
	EXPECT_EQ(CALLS, read_counter(map).count);
	close(link);
	call_getppid(CALLS);
	EXPECT_EQ(CALLS, read_counter(map).count);
	close(event);
	close(prog);
	close(map);
}

TEST(tracepoint_sched_event)
{
	/* Any tracepoint through perf: sched_process_fork on each fork. */
	const struct counter_spec spec = {
		.type = BPF_PROG_TYPE_TRACEPOINT, .match_off = -1,
		.keep_off = -1, .ret = 0,
	};
	int map = counter_map(), prog, event, i;

	prog = load_counter(&spec, map);
	ASSERT_LE(0, prog);
	event = tracepoint_event("sched/sched_process_fork");
	ASSERT_LE(0, event);
	ASSERT_EQ(0, set_bpf(event, prog));
	ASSERT_EQ(0, enable(event));
	for (i = 0; i < 5; i++) {
		pid_t pid = fork();

		if (!pid)
			_exit(0);
		ASSERT_LT(0, pid);
		waitpid(pid, NULL, 0);
	}
	EXPECT_EQ(5, read_counter(map).count);
	close(event);
	close(prog);
	close(map);
}

TEST(raw_tracepoint_sys_enter)
{
	/* sys_enter's arguments: struct pt_regs *regs, long id. */
	const struct counter_spec spec = {
		.type = BPF_PROG_TYPE_RAW_TRACEPOINT, .match_off = 8,
		.match_size = BPF_DW, .match = __NR_getppid, .keep_off = -1,
	};
	int map = counter_map(), prog, link;
	struct bpf_link_info info;
	char name[32];

	prog = load_counter(&spec, map);
	ASSERT_LE(0, prog);
	link = raw_tp_open(prog, "sys_enter");
	ASSERT_LE(0, link) TH_LOG("raw_tp_open: errno %d", errno);
	call_getppid(CALLS);
	EXPECT_EQ(CALLS, read_counter(map).count);

	memset(&info, 0, sizeof(info));
	info.raw_tracepoint.tp_name = (uintptr_t)name;
	info.raw_tracepoint.tp_name_len = sizeof(name);
	ASSERT_EQ(0, get_info(link, &info, sizeof(info)));
	EXPECT_EQ(BPF_LINK_TYPE_RAW_TRACEPOINT, info.type);
	EXPECT_EQ(prog_id(prog), info.prog_id);
	EXPECT_STREQ("sys_enter", name);
	EXPECT_EQ(sizeof("sys_enter"), info.raw_tracepoint.tp_name_len);

	/* Two links of one program on one tracepoint: each runs it. */
	int link2 = raw_tp_open(prog, "sys_enter");

	ASSERT_LE(0, link2);
	call_getppid(CALLS);
	EXPECT_EQ(3 * CALLS, read_counter(map).count);
	close(link2);
	close(link);
	call_getppid(CALLS);
	EXPECT_EQ(3 * CALLS, read_counter(map).count);
	close(prog);
	close(map);
}

TEST(raw_tracepoint_errors)
{
	int prog, link;

	prog = load_ctx_reader(BPF_PROG_TYPE_RAW_TRACEPOINT, 8);
	ASSERT_LE(0, prog);
	EXPECT_GT(0, raw_tp_open(prog, "no_such_tracepoint"));
	EXPECT_EQ(ENOENT, errno);
	close(prog);

	/* sys_enter has two arguments: reading a third is refused. */
	prog = load_ctx_reader(BPF_PROG_TYPE_RAW_TRACEPOINT, 16);
	ASSERT_LE(0, prog);
	EXPECT_GT(0, raw_tp_open(prog, "sys_enter"));
	EXPECT_EQ(EINVAL, errno);
	/* sched_switch has four (preempt, prev, next, prev_state). */
	link = raw_tp_open(prog, "sched_switch");
	EXPECT_LE(0, link);
	close(link);
	close(prog);

	/* Only raw tracepoint programs. */
	prog = load_ctx_reader(BPF_PROG_TYPE_KPROBE, 0);
	ASSERT_LE(0, prog);
	EXPECT_GT(0, raw_tp_open(prog, "sys_enter"));
	EXPECT_EQ(EINVAL, errno);
	close(prog);
	EXPECT_GT(0, raw_tp_open(-1, "sys_enter"));
	EXPECT_EQ(EBADF, errno);
}

TEST(wrong_program_for_hook)
{
	int kp = load_ctx_reader(BPF_PROG_TYPE_KPROBE, 0);
	int tp = load_ctx_reader(BPF_PROG_TYPE_TRACEPOINT, 8);
	int kevent, tevent, map;

	ASSERT_LE(0, kp);
	ASSERT_LE(0, tp);
	kevent = kprobe_event(GETPPID_FUNC, 0);
	tevent = tracepoint_event("syscalls/sys_enter_getppid");
	ASSERT_LE(0, kevent);
	ASSERT_LE(0, tevent);
	EXPECT_EQ(EINVAL, set_bpf(kevent, tp));
	EXPECT_EQ(EINVAL, set_bpf(tevent, kp));
	EXPECT_GT(0, link_create(tp, kevent, BPF_PERF_EVENT, 0));
	EXPECT_EQ(EINVAL, errno);
	/* Not a program; not a perf event. */
	map = counter_map();
	EXPECT_EQ(EINVAL, set_bpf(kevent, map));
	EXPECT_EQ(EBADF, set_bpf(kevent, -1));
	EXPECT_GT(0, link_create(kp, map, BPF_PERF_EVENT, 0));
	EXPECT_EQ(EBADF, errno);
	/* A link to a perf event takes attach type BPF_PERF_EVENT. */
	EXPECT_GT(0, link_create(kp, kevent, BPF_TRACE_RAW_TP, 0));
	EXPECT_EQ(EINVAL, errno);
	close(map);
	close(kevent);
	close(tevent);
	close(kp);
	close(tp);
}

TEST(tracepoint_reads_past_record)
{
	/* sys_enter_getppid's record has no arguments: 16 bytes. */
	int prog = load_ctx_reader(BPF_PROG_TYPE_TRACEPOINT, 64);
	int event = tracepoint_event("syscalls/sys_enter_getppid");

	ASSERT_LE(0, prog);
	ASSERT_LE(0, event);
	EXPECT_EQ(EACCES, set_bpf(event, prog));
	close(event);
	close(prog);
}

/* The function the uprobe is on; called through a hidden pointer. */
static int uprobe_target(int x)
{
	asm volatile("" : "+r"(x));
	return x + 1;
}

/* A perf event of the uprobe (or uretprobe) on uprobe_target(), disabled. */
static int uprobe_event(int ret)
{
	struct perf_event_attr attr;
	char exe[256];
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = 0;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = read_number(PMU_DIR "/uprobe/type");
	/* The PMU's format: "retprobe" is config:0. */
	attr.config = ret ? 1 : 0;
	attr.uprobe_path = (uintptr_t)exe;
	attr.probe_offset = file_offset((void *)uprobe_target);
	if (attr.probe_offset <= 0)
		return -1;
	return perf_event_open(&attr, -1, 0);
}

/* Calls uprobe_target() @n times, each a real call; returns the sum. */
static int call_uprobe_target(int n)
{
	int (*target)(int) = uprobe_target;
	int i, sum = 0;

	/* The compiler cannot see where it goes. */
	asm volatile("" : "+r"(target));
	for (i = 0; i < n; i++)
		sum += target(i);
	return sum;
}

TEST(uprobe_counts_each_call)
{
	int map = counter_map(), prog, event;

	prog = load_counter(&count_all_kprobe, map);
	ASSERT_LE(0, prog);
	event = uprobe_event(0);
	ASSERT_LE(0, event) TH_LOG("uprobe: errno %d", errno);
	ASSERT_EQ(0, set_bpf(event, prog));
	ASSERT_EQ(0, enable(event));
	EXPECT_EQ(CALLS * (CALLS + 1) / 2, call_uprobe_target(CALLS));
	EXPECT_EQ(CALLS, read_counter(map).count);
	close(event);
	close(prog);
	close(map);
}

TEST(perf_event_sampling)
{
	const struct counter_spec spec = {
		.type = BPF_PROG_TYPE_PERF_EVENT, .match_off = -1,
		.keep_off = offsetof(struct bpf_perf_event_data, sample_period),
		.ret = 1,
	};
	int map = counter_map(), prog, event, kp;
	struct perf_event_attr attr;
	unsigned long spin;
	struct counter c;

	prog = load_counter(&spec, map);
	ASSERT_LE(0, prog);
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_TASK_CLOCK;
	attr.sample_period = 1000000;	/* 1 ms of this task's time */
	attr.disabled = 1;
	event = perf_event_open(&attr, 0, -1);
	ASSERT_LE(0, event);
	/* Sampling events take perf_event programs only. */
	kp = load_ctx_reader(BPF_PROG_TYPE_KPROBE, 0);
	ASSERT_LE(0, kp);
	EXPECT_EQ(EINVAL, set_bpf(event, kp));
	close(kp);
	ASSERT_EQ(0, set_bpf(event, prog));
	ASSERT_EQ(0, enable(event));
	/* Each check is a syscall: task time goes by. */
	for (spin = 0; read_counter(map).count < 5 && spin < 2000000; spin++)
		;
	ioctl(event, PERF_EVENT_IOC_DISABLE, 0);
	c = read_counter(map);
	EXPECT_LE(5, c.count);
	EXPECT_EQ(attr.sample_period, c.last);
	close(event);
	close(prog);
	close(map);
}

/* A program counting this process's runs and keeping what @func(ctx) gives. */
static int load_keeper(__u32 type, __u32 func, int map)
{
	const struct bpf_insn p[] = {
		MOV_REG(6, 1),
		CALL(BPF_FUNC_get_current_pid_tgid),
		RSH_IMM(0, 32),
		JNE_IMM(0, getpid(), 13),
		MOV_REG(1, 6),
		CALL(func),
		MOV_REG(7, 0),
		ST_IMM(BPF_W, 10, -4, 0),
		LD_MAP(1, map),
		IMM_HI(0),
		MOV_REG(2, 10),
		ADD_IMM(2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(0, 0, 3),
		STX(BPF_DW, 0, 7, 8),
		MOV_IMM(1, 1),
		ATOMIC_ADD(0, 1, 0),
		MOV_IMM(0, 0),
		EXIT(),
	};

	return load(type, p, ARRAY_SIZE(p));
}

TEST(attach_cookies)
{
	int map = counter_map(), prog, event, link;
	union bpf_attr attr;
	struct counter c;

	/* A kprobe's cookie comes with its perf link. */
	prog = load_keeper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_attach_cookie, map);
	ASSERT_LE(0, prog);
	event = kprobe_event(GETPPID_FUNC, 0);
	ASSERT_LE(0, event);
	link = link_create(prog, event, BPF_PERF_EVENT, 0x123456789abcull);
	ASSERT_LE(0, link);
	ASSERT_EQ(0, enable(event));
	call_getppid(3);
	c = read_counter(map);
	EXPECT_EQ(3, c.count);
	EXPECT_EQ(0x123456789abcull, c.last);
	close(link);
	close(event);
	close(prog);

	/* A raw tracepoint's with BPF_RAW_TRACEPOINT_OPEN. */
	prog = load_keeper(BPF_PROG_TYPE_RAW_TRACEPOINT,
			   BPF_FUNC_get_attach_cookie, map);
	ASSERT_LE(0, prog);
	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.prog_fd = prog;
	attr.raw_tracepoint.name = (uintptr_t)"sys_enter";
	attr.raw_tracepoint.cookie = 0xfeedull;
	link = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
	ASSERT_LE(0, link);
	syscall(__NR_getppid);
	close(link);
	c = read_counter(map);
	EXPECT_LE(4, c.count);
	EXPECT_EQ(0xfeedull, c.last);
	close(prog);
	close(map);
}

/* The address /proc/kallsyms gives kernel function @name, or 0. */
static unsigned long long kallsyms_addr(const char *name)
{
	unsigned long long addr, found = 0;
	char type, sym[256];
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return 0;
	while (!found && fscanf(f, "%llx %c %255s%*[^\n]", &addr, &type, sym) == 3)
		if (!strcmp(sym, name))
			found = addr;
	fclose(f);
	return found;
}

/* Runs a get_func_ip keeper on @event; returns what it kept, 0 if no run. */
static unsigned long long func_ip_at(int event, int map,
				     void (*fire)(void))
{
	int prog = load_keeper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_func_ip, map);
	struct counter c;

	if (prog < 0 || event < 0 || set_bpf(event, prog) || enable(event))
		return 0;
	fire();
	c = read_counter(map);
	close(event);
	close(prog);
	return c.count ? c.last : 0;
}

static void fire_getppid(void)
{
	call_getppid(2);
}

static void fire_uprobe_target(void)
{
	call_uprobe_target(2);
}

TEST(get_func_ip_of_probes)
{
	unsigned long long func = kallsyms_addr(GETPPID_FUNC);
	int map = counter_map(), tp;

	ASSERT_NE(0, func) TH_LOG("%s not in /proc/kallsyms", GETPPID_FUNC);
	/* A kprobe and a kretprobe on a function: the function. */
	EXPECT_EQ(func, func_ip_at(kprobe_event(GETPPID_FUNC, 0), map,
				   fire_getppid));
	EXPECT_EQ(func, func_ip_at(kprobe_event(GETPPID_FUNC, 1), map,
				   fire_getppid));
	/* A uprobe and a uretprobe: the probed function, in this process. */
	EXPECT_EQ((uintptr_t)uprobe_target,
		  func_ip_at(uprobe_event(0), map, fire_uprobe_target));
	EXPECT_EQ((uintptr_t)uprobe_target,
		  func_ip_at(uprobe_event(1), map, fire_uprobe_target));
	/*
	 * A tracepoint is at no function: its programs may not ask, refused
	 * with the kernel's ENOTSUPP (524), as upstream.
	 */
	tp = load_keeper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_get_func_ip, map);
	EXPECT_EQ(-1, tp);
	EXPECT_EQ(524, errno);
	close(map);
}

static int signals;

static void count_signal(int sig)
{
	signals++;
}

/* A program calling @func(@sig) on this process's getppid() calls. */
static int load_signaller(__u32 type, __u32 func, int sig)
{
	const struct bpf_insn raw[] = {
		LDX(BPF_DW, 2, 1, 8),
		JNE_IMM(2, __NR_getppid, 5),
		CALL(BPF_FUNC_get_current_pid_tgid),
		RSH_IMM(0, 32),
		JNE_IMM(0, getpid(), 2),
		MOV_IMM(1, sig),
		CALL(func),
		MOV_IMM(0, 0),
		EXIT(),
	};

	/* A kprobe on getppid's function needs no syscall number check. */
	if (type == BPF_PROG_TYPE_KPROBE)
		return load(type, raw + 2, ARRAY_SIZE(raw) - 2);
	return load(type, raw, ARRAY_SIZE(raw));
}

/* SIGUSR1s that program sends on @n getppid() calls through hook @type. */
static int signals_sent(__u32 type, __u32 func, int sig, int n)
{
	int prog = load_signaller(type, func, sig), hook;

	if (prog < 0)
		return -1;
	if (type == BPF_PROG_TYPE_KPROBE) {
		hook = kprobe_event(GETPPID_FUNC, 0);
		if (hook < 0 || set_bpf(hook, prog) || enable(hook))
			return -1;
	} else {
		hook = raw_tp_open(prog, "sys_enter");
	}
	signals = 0;
	call_getppid(n);
	close(hook);
	close(prog);
	/* One sent with interrupts off comes as they go back on. */
	usleep(10000);
	return signals;
}

TEST(send_signal_to_the_process)
{
	signal(SIGUSR1, count_signal);
	EXPECT_EQ(5, signals_sent(BPF_PROG_TYPE_RAW_TRACEPOINT,
				  BPF_FUNC_send_signal, SIGUSR1, 5));
	EXPECT_EQ(5, signals_sent(BPF_PROG_TYPE_RAW_TRACEPOINT,
				  BPF_FUNC_send_signal_thread, SIGUSR1, 5));
	/*
	 * A kprobe may run with interrupts off; signals sent then are
	 * pending until they are on: the same signal counts once.
	 */
	EXPECT_LE(1, signals_sent(BPF_PROG_TYPE_KPROBE, BPF_FUNC_send_signal,
				  SIGUSR1, 5));
	/* No such signal: nothing is sent, on either path. */
	EXPECT_EQ(0, signals_sent(BPF_PROG_TYPE_RAW_TRACEPOINT,
				  BPF_FUNC_send_signal, 1000, 5));
	EXPECT_EQ(0, signals_sent(BPF_PROG_TYPE_KPROBE, BPF_FUNC_send_signal,
				  1000, 5));
	signal(SIGUSR1, SIG_DFL);
}

/* A raw_tp program test-run for what bpf_strncmp(@s, 4, @map's string) gives. */
static long long strncmp_retval(int map, __u32 s)
{
	const struct bpf_insn p[] = {
		ST_IMM(BPF_W, 10, -8, s),
		MOV_REG(1, 10),
		ADD_IMM(1, -8),
		MOV_IMM(2, 4),
		LD_IMM64(3, BPF_PSEUDO_MAP_VALUE, map),
		IMM_HI(0),
		CALL(BPF_FUNC_strncmp),
		EXIT(),
	};
	union bpf_attr attr;
	int prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, ARRAY_SIZE(p));

	if (prog < 0)
		return -1000 - errno;
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)))
		attr.test.retval = -2000 - errno;
	close(prog);
	return (int)attr.test.retval;
}

/*
 * libbpf's .rodata: an array of one @size-byte value, read-only to
 * programs, holding @value, frozen if @freeze.
 */
static int rodata_map(const void *value, __u32 size, int freeze)
{
	union bpf_attr attr;
	__u32 key = 0;
	int map;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = size;
	attr.max_entries = 1;
	attr.map_flags = BPF_F_RDONLY_PROG;
	map = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (map < 0)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)value;
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)))
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	if (freeze && sys_bpf(BPF_MAP_FREEZE, &attr, sizeof(attr)))
		return -1;
	return map;
}

TEST(strncmp_with_a_constant_string)
{
	static const char value[8] = "abc\0xyz";
	int map;

	/* Not frozen: the string could change under the program. */
	map = rodata_map(value, sizeof(value), 0);
	ASSERT_LE(0, map);
	EXPECT_EQ(-1000 - EACCES, strncmp_retval(map, 0x636261));
	close(map);
	map = rodata_map(value, sizeof(value), 1);
	ASSERT_LE(0, map);
	EXPECT_EQ(0, strncmp_retval(map, 0x636261));	/* "abc" */
	EXPECT_LT(0, strncmp_retval(map, 0x646261));	/* "abd" */
	EXPECT_GT(0, strncmp_retval(map, 0x626261));	/* "abb" */
	close(map);
}

/*
 * bpf_snprintf(out, @size, @map's format, {-5, 255, 'A', "str", &10.0.0.1,
 * "str"}, 48) by a test-run program into @out's value (32 bytes); returns
 * its result.
 */
static long long snprintf_into(int map, int out, __u32 size, char *text)
{
	const struct bpf_insn p[] = {
		ST_IMM(BPF_DW, 10, -48, -5),
		ST_IMM(BPF_DW, 10, -40, 255),
		ST_IMM(BPF_DW, 10, -32, 'A'),
		ST_IMM(BPF_DW, 10, -56, 0x727473),	/* "str" */
		ST_IMM(BPF_W, 10, -60, 0x0100000a),	/* 10.0.0.1 */
		MOV_REG(1, 10),
		ADD_IMM(1, -56),
		STX(BPF_DW, 10, 1, -24),
		STX(BPF_DW, 10, 1, -8),
		MOV_REG(1, 10),
		ADD_IMM(1, -60),
		STX(BPF_DW, 10, 1, -16),
		ST_IMM(BPF_W, 10, -64, 0),
		LD_MAP(1, out),
		IMM_HI(0),
		MOV_REG(2, 10),
		ADD_IMM(2, -64),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(0, 0, 9),
		MOV_REG(1, 0),
		MOV_IMM(2, size),
		LD_IMM64(3, BPF_PSEUDO_MAP_VALUE, map),
		IMM_HI(0),
		MOV_REG(4, 10),
		ADD_IMM(4, -48),
		MOV_IMM(5, 48),
		CALL(BPF_FUNC_snprintf),
		EXIT(),
		MOV_IMM(0, -1),
		EXIT(),
	};
	long long ret;
	union bpf_attr attr;
	__u32 key = 0;
	int prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, ARRAY_SIZE(p));

	if (prog < 0)
		return -1000 - errno;
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog;
	ret = sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)) ?
	      -2000 - errno : (int)attr.test.retval;
	close(prog);
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = out;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)text;
	sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr));
	return ret;
}

TEST(snprintf_with_a_constant_format)
{
	static const char format[32] = "%d-%x|%c<%s>%pI4[%pks]";
	static const char bad[32] = "%d %n";
	char text[32];
	int map, out = array_map(32);

	ASSERT_LE(0, out);
	map = rodata_map(format, sizeof(format), 1);
	ASSERT_LE(0, map);
	/* The whole text and its NUL: 26 bytes. */
	EXPECT_EQ(26, snprintf_into(map, out, 32, text));
	EXPECT_STREQ("-5-ff|A<str>10.0.0.1[str]", text);
	/*
	 * Cut to fit, still NUL-terminated; the result says it was cut.
	 * (Upstream's does not count %pI4 and %pks text past the cut: 15.)
	 */
	EXPECT_LT(5, snprintf_into(map, out, 5, text));
	EXPECT_STREQ("-5-f", text);
	close(map);
	/* A conversion programs may not use: refused at load. */
	map = rodata_map(bad, sizeof(bad), 1);
	ASSERT_LE(0, map);
	EXPECT_EQ(-1000 - EINVAL, snprintf_into(map, out, 32, text));
	close(map);
	close(out);
}

/* A raw_tp program test-run for what bpf_trace_printk(@fmt, @a1 x 3) returns. */
static long long printk_retval(const char *fmt, __u64 a1)
{
	struct bpf_insn p[32];
	union bpf_attr attr;
	int n = 0, len = strlen(fmt) + 1, i, prog;
	char buf[64] = { 0 };

	memcpy(buf, fmt, len);
	for (i = 0; i < (len + 7) / 8; i++) {
		__u64 word;

		memcpy(&word, buf + 8 * i, 8);
		p[n++] = LD_IMM64(1, 0, (__u32)word);
		p[n++] = IMM_HI(word >> 32);
		p[n++] = STX(BPF_DW, 10, 1, -64 + 8 * i);
	}
	p[n++] = MOV_REG(1, 10);
	p[n++] = ADD_IMM(1, -64);
	p[n++] = MOV_IMM(2, len);
	p[n++] = LD_IMM64(3, 0, (__u32)a1);
	p[n++] = IMM_HI(a1 >> 32);
	p[n++] = MOV_REG(4, 3);
	p[n++] = MOV_REG(5, 3);
	p[n++] = CALL(BPF_FUNC_trace_printk);
	p[n++] = EXIT();
	prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, n);
	if (prog < 0)
		return -1000;
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)))
		attr.test.retval = -2000;
	close(prog);
	return (int)attr.test.retval;
}

/* Lines of the trace buffer holding @text, or -1. */
static int count_trace_lines(const char *text)
{
	FILE *f = fopen(TRACEFS "/trace", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, text);
	fclose(f);
	return n;
}

/* The same, giving a line that is not readable yet a second to show. */
static int trace_lines_with(const char *text)
{
	int n, tries;

	for (tries = 0; !(n = count_trace_lines(text)) && tries < 10; tries++)
		usleep(100000);
	return n;
}

TEST(trace_printk_to_trace_pipe)
{
	int fd = open(TRACEFS "/trace", O_WRONLY | O_TRUNC);

	/* Emptied, the buffer has room and no line of an earlier run. */
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(strlen("kbpf printk -7 fffffff9 fffffffffffffff9\n"),
		  printk_retval("kbpf printk %d %x %lx\n", -7));
	/* Once, on stock, nothing was written: say whether tracing was on. */
	EXPECT_EQ(1, trace_lines_with("bpf_trace_printk: kbpf printk -7 fffffff9 fffffffffffffff9"))
		system("cat " TRACEFS "/trace " TRACEFS "/tracing_on "
		       TRACEFS "/events/bpf_trace/bpf_trace_printk/enable >&2");
	/* Upstream's conversions only; the argument count is the call's. */
	EXPECT_EQ(-EINVAL, printk_retval("kbpf bad %n\n", 0));
	EXPECT_EQ(-EINVAL, printk_retval("kbpf bad %d %d %d %d\n", 0));
	EXPECT_EQ(0, count_trace_lines("kbpf bad"));
	/* A string that cannot be read prints empty; the call goes on. */
	EXPECT_EQ(strlen("kbpf str <>\n"), printk_retval("kbpf str <%s>\n", 8));
}

#define OUTPUT_MAGIC	0x6b627066

/* Records in the perf ring at @base whose raw data starts with @magic. */
static int count_raw_records(void *base, long page, __u64 magic, __u32 *raw_size)
{
	struct perf_event_mmap_page *meta = base;
	__u64 head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	char *data = (char *)base + page;
	__u64 size = meta->data_size, at;
	int n = 0;

	for (at = meta->data_tail; at < head; ) {
		struct perf_event_header *h = (void *)(data + at % size);
		__u64 first;

		if (h->type == PERF_RECORD_SAMPLE) {
			/* PERF_SAMPLE_RAW: a u32 size, then the data. */
			*raw_size = *(__u32 *)(h + 1);
			memcpy(&first, (char *)(h + 1) + 4, 8);
			n += first == magic;
		}
		at += h->size;
	}
	return n;
}

TEST(perf_event_output_to_perf_buffers)
{
	long page = sysconf(_SC_PAGESIZE);
	int ncpus = sysconf(_SC_NPROCESSORS_CONF), cpu, map, prog, link, total = 0;
	int events[64];
	void *rings[64];
	union bpf_attr attr;
	__u32 raw_size = 0;
	const struct bpf_insn p[] = {
		MOV_REG(6, 1),
		LDX(BPF_DW, 2, 6, 8),
		JNE_IMM(2, __NR_getppid, 16),
		CALL(BPF_FUNC_get_current_pid_tgid),
		MOV_REG(7, 0),
		RSH_IMM(7, 32),
		JNE_IMM(7, getpid(), 12),
		STX(BPF_DW, 10, 0, -8),
		ST_IMM(BPF_DW, 10, -16, OUTPUT_MAGIC),
		MOV_REG(1, 6),
		LD_MAP(2, 0),	/* map fd, set below */
		IMM_HI(0),
		INSN(BPF_ALU | BPF_MOV | BPF_K, 3, 0, 0, -1),	/* BPF_F_CURRENT_CPU */
		MOV_REG(4, 10),
		ADD_IMM(4, -16),
		MOV_IMM(5, 16),
		CALL(BPF_FUNC_perf_event_output),
		MOV_IMM(0, 0),
		EXIT(),
		MOV_IMM(0, 0),
		EXIT(),
	};
	struct bpf_insn prog_insns[ARRAY_SIZE(p)];

	ASSERT_GE(64, ncpus);
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = ncpus;
	map = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ASSERT_LE(0, map) TH_LOG("perf event array: errno %d", errno);

	for (cpu = 0; cpu < ncpus; cpu++) {
		struct perf_event_attr pa;
		__u32 key = cpu;

		memset(&pa, 0, sizeof(pa));
		pa.size = sizeof(pa);
		pa.type = PERF_TYPE_SOFTWARE;
		pa.config = PERF_COUNT_SW_BPF_OUTPUT;
		pa.sample_type = PERF_SAMPLE_RAW;
		pa.sample_period = 1;
		pa.wakeup_events = 1;
		events[cpu] = perf_event_open(&pa, -1, cpu);
		rings[cpu] = MAP_FAILED;
		if (events[cpu] < 0)	/* an offline CPU */
			continue;
		rings[cpu] = mmap(NULL, 9 * page, PROT_READ | PROT_WRITE,
				  MAP_SHARED, events[cpu], 0);
		ASSERT_NE(MAP_FAILED, rings[cpu]);
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = map;
		attr.key = (uintptr_t)&key;
		attr.value = (uintptr_t)&events[cpu];
		ASSERT_EQ(0, sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)));
		ASSERT_EQ(0, enable(events[cpu]));
	}
	/* Userspace cannot read the slots back. */
	{
		__u32 key = 0, value;

		memset(&attr, 0, sizeof(attr));
		attr.map_fd = map;
		attr.key = (uintptr_t)&key;
		attr.value = (uintptr_t)&value;
		EXPECT_NE(0, sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)));
	}

	memcpy(prog_insns, p, sizeof(p));
	prog_insns[10].imm = map;
	prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, prog_insns,
		    ARRAY_SIZE(p));
	ASSERT_LE(0, prog);
	link = raw_tp_open(prog, "sys_enter");
	ASSERT_LE(0, link);
	call_getppid(CALLS);
	close(link);

	for (cpu = 0; cpu < ncpus; cpu++) {
		if (rings[cpu] == MAP_FAILED)
			continue;
		total += count_raw_records(rings[cpu], page, OUTPUT_MAGIC, &raw_size);
		munmap(rings[cpu], 9 * page);
		close(events[cpu]);
	}
	EXPECT_EQ(CALLS, total);
	/* 16 bytes, padded so the record stays 8-byte aligned after the size. */
	EXPECT_EQ(20, raw_size);
	close(prog);
	close(map);
}

TEST(get_stackid_kernel_stack)
{
	int map = counter_map(), stacks, prog, event;
	__u64 ips[32] = { 0 };
	union bpf_attr attr;
	struct counter c;
	__u32 id;
	const struct bpf_insn p[] = {
		MOV_REG(6, 1),
		CALL(BPF_FUNC_get_current_pid_tgid),
		RSH_IMM(0, 32),
		JNE_IMM(0, getpid(), 16),
		MOV_REG(1, 6),
		LD_MAP(2, 0),	/* the stack map, set below */
		IMM_HI(0),
		MOV_IMM(3, 0),
		CALL(BPF_FUNC_get_stackid),
		MOV_REG(7, 0),
		ST_IMM(BPF_W, 10, -4, 0),
		LD_MAP(1, 0),	/* the counter, set below */
		IMM_HI(0),
		MOV_REG(2, 10),
		ADD_IMM(2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JEQ_IMM(0, 0, 3),
		STX(BPF_DW, 0, 7, 8),
		MOV_IMM(1, 1),
		ATOMIC_ADD(0, 1, 0),
		MOV_IMM(0, 0),
		EXIT(),
	};
	struct bpf_insn insns[ARRAY_SIZE(p)];

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_STACK_TRACE;
	attr.key_size = 4;
	attr.value_size = sizeof(ips);
	attr.max_entries = 64;
	stacks = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ASSERT_LE(0, stacks) TH_LOG("stack map: errno %d", errno);
	/* Values are whole addresses. */
	attr.value_size = 12;
	EXPECT_GT(0, sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr)));
	EXPECT_EQ(EINVAL, errno);

	memcpy(insns, p, sizeof(p));
	insns[5].imm = stacks;
	insns[11].imm = map;
	prog = load(BPF_PROG_TYPE_KPROBE, insns, ARRAY_SIZE(p));
	ASSERT_LE(0, prog);
	event = kprobe_event(GETPPID_FUNC, 0);
	ASSERT_LE(0, event);
	ASSERT_EQ(0, set_bpf(event, prog));
	ASSERT_EQ(0, enable(event));
	call_getppid(2);
	close(event);
	c = read_counter(map);
	EXPECT_EQ(2, c.count);
	/* The same stack both times: one id, a valid one. */
	ASSERT_GT(64, (__s64)c.last);
	id = c.last;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = stacks;
	attr.key = (uintptr_t)&id;
	attr.value = (uintptr_t)ips;
	ASSERT_EQ(0, sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)));
	/* Kernel addresses, innermost first: the probed function's. */
	EXPECT_NE(0, ips[0]);
	EXPECT_NE(0, ips[1]);
	EXPECT_EQ(1, ips[0] >> 63);
	/* Userspace only reads and deletes stacks. */
	EXPECT_NE(0, sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)));
	attr.value = 0;
	ASSERT_EQ(0, sys_bpf(BPF_MAP_DELETE_ELEM, &attr, sizeof(attr)));
	attr.value = (uintptr_t)ips;
	EXPECT_NE(0, sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)));
	EXPECT_EQ(ENOENT, errno);
	close(prog);
	close(stacks);
	close(map);
}

static int stop_calls;

static void *keep_calling(void *arg)
{
	while (!__atomic_load_n(&stop_calls, __ATOMIC_ACQUIRE))
		syscall(__NR_getppid);
	return NULL;
}

TEST(attach_and_detach_while_events_fire)
{
	int map = counter_map(), kp, rp, i;
	const struct counter_spec raw = {
		.type = BPF_PROG_TYPE_RAW_TRACEPOINT, .match_off = 8,
		.match_size = BPF_DW, .match = __NR_getppid, .keep_off = -1,
	};
	pthread_t threads[2];
	__u64 last = 0;

	kp = load_counter(&count_all_kprobe, map);
	rp = load_counter(&raw, map);
	ASSERT_LE(0, kp);
	ASSERT_LE(0, rp);
	__atomic_store_n(&stop_calls, 0, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, keep_calling, NULL));
	for (i = 0; i < 40; i++) {
		int event = kprobe_event(GETPPID_FUNC, i & 1);
		int link = raw_tp_open(rp, "sys_enter");
		int plink;

		ASSERT_LE(0, event);
		ASSERT_LE(0, link);
		plink = link_create(kp, event, BPF_PERF_EVENT, i);
		ASSERT_LE(0, plink);
		ASSERT_EQ(0, enable(event));
		syscall(__NR_getppid);
		/* Detach in varying orders while the threads keep firing. */
		if (i & 2) {
			close(event);
			close(plink);
		} else {
			close(plink);
			close(event);
		}
		close(link);
	}
	__atomic_store_n(&stop_calls, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	/* Each round counted this thread's call at least; nothing after. */
	last = read_counter(map).count;
	EXPECT_LE(80, last);
	call_getppid(CALLS);
	EXPECT_EQ(last, read_counter(map).count);
	close(kp);
	close(rp);
	close(map);
}

TEST(probe_read_of_a_bad_address)
{
	/* probe_read_kernel(buf, 8, 8): fails, zero-fills, the run goes on. */
	const struct bpf_insn p[] = {
		ST_IMM(BPF_DW, 10, -8, 0x5a5a5a5a),
		MOV_REG(1, 10),
		ADD_IMM(1, -8),
		MOV_IMM(2, 8),
		MOV_IMM(3, 8),
		CALL(BPF_FUNC_probe_read_kernel),
		LDX(BPF_DW, 1, 10, -8),
		/* r0 = error, plus what was left in the buffer (zero) */
		INSN(BPF_ALU64 | BPF_ADD | BPF_X, 0, 1, 0, 0),
		EXIT(),
	};
	int prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, ARRAY_SIZE(p));
	union bpf_attr attr;

	ASSERT_LE(0, prog);
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog;
	ASSERT_EQ(0, sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)));
	/*
	 * x86 refuses a user address for a kernel read (-ERANGE), arm64
	 * faults on it (-EFAULT); either way the buffer was zeroed.
	 */
	EXPECT_TRUE(attr.test.retval == (__u32)-ERANGE ||
		    attr.test.retval == (__u32)-EFAULT)
		TH_LOG("retval %d", (int)attr.test.retval);
	close(prog);
}

/*
 * A perf event array of one slot holding a BPF output event of CPU 0,
 * enabled, its ring mapped with one page of data; the calling thread
 * moves to CPU 0, where the event is. 0, or -1 on any failure.
 */
static int open_output_ring(long page, int *map, int *event, void **ring)
{
	struct perf_event_attr pa;
	union bpf_attr attr;
	cpu_set_t cpus;
	__u32 key = 0;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	*map = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	memset(&pa, 0, sizeof(pa));
	pa.size = sizeof(pa);
	pa.type = PERF_TYPE_SOFTWARE;
	pa.config = PERF_COUNT_SW_BPF_OUTPUT;
	pa.sample_type = PERF_SAMPLE_RAW;
	pa.sample_period = 1;
	*event = perf_event_open(&pa, -1, 0);
	if (*map < 0 || *event < 0)
		return -1;
	*ring = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED,
		     *event, 0);
	if (*ring == MAP_FAILED)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = *map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)event;
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)))
		return -1;
	return enable(*event);
}

TEST(perf_buffer_nobody_reads)
{
	long page = sysconf(_SC_PAGESIZE);
	union bpf_attr attr;
	int map, event, prog, i, failed = 0;
	void *ring;
	/* Each run outputs 256 bytes into slot 0 and returns the result. */
	const struct bpf_insn p[] = {
		MOV_REG(6, 1),
		MOV_REG(1, 10),
		ADD_IMM(1, -256),
		MOV_IMM(2, 256),
		MOV_IMM(3, 0),
		CALL(BPF_FUNC_probe_read_kernel),	/* fills the buffer */
		MOV_REG(1, 6),
		LD_MAP(2, 0),				/* set below */
		IMM_HI(0),
		MOV_IMM(3, 0),
		MOV_REG(4, 10),
		ADD_IMM(4, -256),
		MOV_IMM(5, 256),
		CALL(BPF_FUNC_perf_event_output),
		EXIT(),
	};
	struct bpf_insn insns[ARRAY_SIZE(p)];

	/* One page of data: room for a dozen records, then it is full. */
	ASSERT_EQ(0, open_output_ring(page, &map, &event, &ring));
	memcpy(insns, p, sizeof(p));
	insns[7].imm = map;
	prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, insns, ARRAY_SIZE(p));
	ASSERT_LE(0, prog);
	for (i = 0; i < 100; i++) {
		memset(&attr, 0, sizeof(attr));
		attr.test.prog_fd = prog;
		attr.test.flags = BPF_F_TEST_RUN_ON_CPU;
		attr.test.cpu = 0;
		ASSERT_EQ(0, sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)));
		failed += attr.test.retval != 0;
	}
	/* The records that did not fit fail with -ENOSPC; the rest went in. */
	EXPECT_LT(50, failed);
	EXPECT_GT(100, failed);
	munmap(ring, 2 * page);
	close(prog);
	close(event);
	close(map);
}

/*
 * A socket filter's record may carry packet bytes after its own: their
 * count is in BPF_F_CTXLEN_MASK of the flags. The test packet's network
 * header on starts 12 34 56 78.
 */
TEST(perf_event_output_from_socket_filter)
{
	static const unsigned char frame[] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
		0x88, 0xb5,
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	};
	long page = sysconf(_SC_PAGESIZE);
	union bpf_attr attr;
	__u32 raw_size = 0;
	int map, event, prog;
	unsigned char *raw;
	void *ring;
	/* r0 = perf_event_output(ctx, map, slot 0 | (r7 << 32), fp-8, 8) */
	const struct bpf_insn p[] = {
		ST_IMM(BPF_DW, 10, -8, OUTPUT_MAGIC),
		LD_MAP(2, 0),		/* map fd, set below */
		IMM_HI(0),
		LD_IMM64(3, 0, 0),	/* flags, set below */
		IMM_HI(0),
		MOV_REG(4, 10),
		ADD_IMM(4, -8),
		MOV_IMM(5, 8),
		CALL(BPF_FUNC_perf_event_output),
		EXIT(),
	};
	struct bpf_insn insns[ARRAY_SIZE(p)];
	struct perf_event_mmap_page *meta;

	/* Socket filters run where they are called: on CPU 0 here. */
	ASSERT_EQ(0, open_output_ring(page, &map, &event, &ring));

	memcpy(insns, p, sizeof(p));
	insns[1].imm = map;
	insns[3].imm = 0;		/* slot 0 */
	insns[4].imm = 4;		/* and 4 bytes of the packet */
	prog = load(BPF_PROG_TYPE_SOCKET_FILTER, insns, ARRAY_SIZE(p));
	ASSERT_LE(0, prog);
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog;
	attr.test.data_in = (uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	ASSERT_EQ(0, sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)));
	EXPECT_EQ(0, attr.test.retval);
	ASSERT_EQ(1, count_raw_records(ring, page, OUTPUT_MAGIC, &raw_size));
	EXPECT_EQ(12, raw_size);
	meta = ring;
	raw = (unsigned char *)ring + page + meta->data_tail +
	      sizeof(struct perf_event_header) + 4 + 8;
	EXPECT_EQ(0, memcmp(raw, frame + 14, 4));
	close(prog);

	/* More packet bytes than there are: -EFAULT, and no record. */
	insns[4].imm = sizeof(frame) - 14 + 1;
	prog = load(BPF_PROG_TYPE_SOCKET_FILTER, insns, ARRAY_SIZE(p));
	ASSERT_LE(0, prog);
	attr.test.prog_fd = prog;
	ASSERT_EQ(0, sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)));
	EXPECT_EQ((__u32)-EFAULT, attr.test.retval);
	EXPECT_EQ(1, count_raw_records(ring, page, OUTPUT_MAGIC, &raw_size));

	munmap(ring, 2 * page);
	close(prog);
	close(event);
	close(map);
}

/* A raw_tp program test-run for bpf_get_stack(ctx, buf, 32, @flags). */
static long long get_stack_retval(__u64 flags)
{
	const struct bpf_insn p[] = {
		MOV_REG(2, 10),
		ADD_IMM(2, -32),
		MOV_IMM(3, 32),
		LD_IMM64(4, 0, (__u32)flags),
		IMM_HI(flags >> 32),
		CALL(BPF_FUNC_get_stack),
		EXIT(),
	};
	int prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, ARRAY_SIZE(p));
	union bpf_attr attr;

	if (prog < 0)
		return -1000;
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)))
		attr.test.retval = -2000;
	close(prog);
	return (int)attr.test.retval;
}

TEST(get_stack_into_program_memory)
{
	/*
	 * The test run's own kernel stack is deeper than 4 frames, whichever
	 * unwinder walks it (ORC gives fewer than the guess unwinder did).
	 */
	long long skipped = get_stack_retval(2);

	EXPECT_EQ(32, get_stack_retval(0));
	/* Skipping frames: how deep the rest is depends on the runtime. */
	EXPECT_LT(0, skipped);
	EXPECT_EQ(0, skipped % 8);
	/* Flags it does not know; build ids (kbpf has none) need a user stack. */
	EXPECT_EQ(-EINVAL, get_stack_retval(1ull << 20));
}

TEST_HARNESS_MAIN
