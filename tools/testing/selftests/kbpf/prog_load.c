// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_LOAD through bpf(2): the attr rules, the log, and the verifier
 * corpus.
 *
 * The attr and log cases expect what a stock kernel gives, so the same
 * binary passes on both flavours and any difference shows. The corpus
 * case loads every program of tools/testing/selftests/kbpf/verifier/, as
 * "kbpf-host export-corpus" wrote them with the host's verdicts and logs
 * (build/selftests/verifier-corpus.bin, or $KBPF_VERIFIER_CORPUS): on a
 * kbpf kernel the verdict and the whole log must be the host's, the same
 * verifier code; on the stock kernel, where upstream's verifier decides,
 * the programs on which the two disagree are listed, and nothing fails.
 * On another arch than the host's, the kprobe and perf_event programs are
 * left out: their contexts are the registers, laid out per arch. Each
 * program's maps are created first and put at the fds the host numbered
 * them with; programs whose maps the kernel cannot create, or that call a
 * helper kbpf's runtime does not have yet, are counted apart.
 */

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/bpf.h>
#include <linux/capability.h>

#include "../kselftest_harness.h"
#include "verifier_corpus.h"

/* As the host harness's log buffer, so the two logs can be compared. */
#define CORPUS_LOG_SIZE		(16 * 1024 * 1024)
#define CORPUS_DEFAULT		"build/selftests/verifier-corpus.bin"
/* Most maps one corpus program names. */
#define CORPUS_MAX_MAPS		16

static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* Exits with r0 never written: every verifier rejects it. */
static const struct bpf_insn uninit_r0[] = {
	{ .code = BPF_JMP | BPF_EXIT },
};

static int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

/* A socket filter load of @insns; the caller changes what it tests. */
static void load_attr(union bpf_attr *attr, const struct bpf_insn *insns,
		      unsigned int cnt)
{
	memset(attr, 0, sizeof(*attr));
	attr->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr->insns = (uintptr_t)insns;
	attr->insn_cnt = cnt;
	attr->license = (uintptr_t)"GPL";
}

/* Errno of a failing load; 0 (with the fd closed) when it succeeded. */
static int load_errno(union bpf_attr *attr)
{
	int fd = sys_bpf(BPF_PROG_LOAD, attr, sizeof(*attr));

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

TEST(loads_and_closes)
{
	union bpf_attr attr;
	int fd;

	load_attr(&attr, ret0, 2);
	memcpy(attr.prog_name, "ret0.filter_1", sizeof("ret0.filter_1"));
	fd = sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, close(fd));
}

TEST(instruction_count)
{
	union bpf_attr attr;

	load_attr(&attr, ret0, 0);
	EXPECT_EQ(E2BIG, load_errno(&attr));
	load_attr(&attr, ret0, 1000 * 1000 + 1);
	EXPECT_EQ(E2BIG, load_errno(&attr));
}

TEST(unreadable_memory)
{
	union bpf_attr attr;

	load_attr(&attr, ret0, 2);
	attr.insns = 8;
	EXPECT_EQ(EFAULT, load_errno(&attr));
	load_attr(&attr, ret0, 2);
	attr.license = 8;
	EXPECT_EQ(EFAULT, load_errno(&attr));
}

TEST(unknown_flags_and_types)
{
	union bpf_attr attr;

	load_attr(&attr, ret0, 2);
	attr.prog_flags = 1U << 31;
	EXPECT_EQ(EINVAL, load_errno(&attr));
	load_attr(&attr, ret0, 2);
	attr.prog_type = 9999;
	EXPECT_EQ(EINVAL, load_errno(&attr));
}

/* One more map than a program may use (upstream's limit, 64). */
#define TOO_MANY_MAPS		65

/*
 * A load refused because its program names too many maps keeps none of
 * them: once their fds are closed, every map is gone. kbpf used to keep
 * the reference to the map over the limit (and to one whose slot in the
 * used maps could not be allocated) for good.
 */
TEST(too_many_maps_keep_none)
{
	struct bpf_insn insns[2 * TOO_MANY_MAPS + 2] = {};
	struct bpf_map_info info;
	int fds[TOO_MANY_MAPS], i, left, tries;
	__u32 ids[TOO_MANY_MAPS];
	union bpf_attr attr;

	for (i = 0; i < TOO_MANY_MAPS; i++) {
		memset(&attr, 0, sizeof(attr));
		attr.map_type = BPF_MAP_TYPE_ARRAY;
		attr.key_size = 4;
		attr.value_size = 8;
		attr.max_entries = 1;
		fds[i] = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
		ASSERT_LE(0, fds[i]);
		memset(&info, 0, sizeof(info));
		memset(&attr, 0, sizeof(attr));
		attr.info.bpf_fd = fds[i];
		attr.info.info_len = sizeof(info);
		attr.info.info = (uintptr_t)&info;
		ASSERT_EQ(0, sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)));
		ids[i] = info.id;
		insns[2 * i].code = BPF_LD | BPF_DW | BPF_IMM;
		insns[2 * i].dst_reg = BPF_REG_1;
		insns[2 * i].src_reg = BPF_PSEUDO_MAP_FD;
		insns[2 * i].imm = fds[i];
	}
	insns[2 * i] = ret0[0];
	insns[2 * i + 1] = ret0[1];
	load_attr(&attr, insns, 2 * TOO_MANY_MAPS + 2);
	EXPECT_EQ(E2BIG, load_errno(&attr));
	for (i = 0; i < TOO_MANY_MAPS; i++)
		close(fds[i]);
	/* Maps are freed after an RCU grace period: give them a moment. */
	for (tries = 0; tries < 50; tries++) {
		for (left = 0, i = 0; i < TOO_MANY_MAPS; i++) {
			int fd;

			memset(&attr, 0, sizeof(attr));
			attr.map_id = ids[i];
			fd = sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr, sizeof(attr));
			if (fd >= 0) {
				close(fd);
				left++;
			}
		}
		if (!left)
			break;
		usleep(100 * 1000);
	}
	EXPECT_EQ(0, left);
}

/* A flag upstream knows, for program types kbpf lacks: a reason logged. */
TEST(sleepable_refused_with_log)
{
	char buf[4096] = "";
	union bpf_attr attr;

	load_attr(&attr, ret0, 2);
	attr.prog_flags = BPF_F_SLEEPABLE;
	attr.log_level = 1;
	attr.log_buf = (uintptr_t)buf;
	attr.log_size = sizeof(buf);
	EXPECT_EQ(EINVAL, load_errno(&attr));
	EXPECT_NE(NULL, strstr(buf, "sleepable"));
}

TEST(bad_names)
{
	union bpf_attr attr;

	load_attr(&attr, ret0, 2);
	memcpy(attr.prog_name, "a-b", sizeof("a-b"));
	EXPECT_EQ(EINVAL, load_errno(&attr));
	load_attr(&attr, ret0, 2);
	memset(attr.prog_name, 'a', sizeof(attr.prog_name));
	EXPECT_EQ(EINVAL, load_errno(&attr));
}

TEST(log_attrs)
{
	char buf[256];
	union bpf_attr attr;

	/* A buffer without a level, a level with a buffer of no size. */
	load_attr(&attr, ret0, 2);
	attr.log_buf = (uintptr_t)buf;
	attr.log_size = sizeof(buf);
	EXPECT_EQ(EINVAL, load_errno(&attr));
	load_attr(&attr, ret0, 2);
	attr.log_level = 1;
	attr.log_buf = (uintptr_t)buf;
	EXPECT_EQ(EINVAL, load_errno(&attr));
}

TEST(rejected_with_log)
{
	char buf[4096] = "untouched";
	union bpf_attr attr;

	load_attr(&attr, uninit_r0, 1);
	attr.log_level = 1;
	attr.log_buf = (uintptr_t)buf;
	attr.log_size = sizeof(buf);
	EXPECT_EQ(EACCES, load_errno(&attr));
	EXPECT_NE(NULL, strstr(buf, "R0"));
	EXPECT_EQ(strlen(buf) + 1, attr.log_true_size);
}

TEST(log_too_small)
{
	char buf[8];
	union bpf_attr attr;

	load_attr(&attr, uninit_r0, 1);
	attr.log_level = 1;
	attr.log_buf = (uintptr_t)buf;
	attr.log_size = sizeof(buf);
	EXPECT_EQ(ENOSPC, load_errno(&attr));
	EXPECT_EQ(sizeof(buf) - 1, strnlen(buf, sizeof(buf)));
	EXPECT_LT(sizeof(buf), attr.log_true_size);
}

TEST(log_size_only)
{
	union bpf_attr attr;

	/* No buffer, no size: the load still says how much log there is. */
	load_attr(&attr, uninit_r0, 1);
	attr.log_level = 1;
	EXPECT_EQ(EACCES, load_errno(&attr));
	EXPECT_LT(1, attr.log_true_size);
}

/**
 * struct corpus_test - one program of the exported corpus
 * @name: the test's file name, without .data
 * @prog_type: the type to load it as
 * @level: its log level
 * @caps: the loader's capabilities, KBPF_CORPUS_CAPS_*
 * @nr_maps: maps it names
 * @maps: type, key size, value size, entries and flags of each, by imm,
 *	then the same of its inner map for maps of maps
 * @frozen: for each map, the value to freeze it with, or NULL
 * @insn_cnt: instructions
 * @host_ret: the host's verdict: 0 or a negative errno
 * @log_len: bytes of the host's log
 * @insns: the instructions
 * @log: the host's log, not NUL-terminated
 */
struct corpus_test {
	char name[256];
	__u32 prog_type, level, caps, nr_maps, insn_cnt, log_len;
	__u32 maps[CORPUS_MAX_MAPS][10];
	void *frozen[CORPUS_MAX_MAPS];
	__s32 host_ret;
	struct bpf_insn *insns;
	char *log;
};

static int read_u32(FILE *f, __u32 *v)
{
	return fread(v, sizeof(*v), 1, f) == 1 ? 0 : -1;
}

/* The next test of @f into @t (whose buffers it frees first). */
static int read_test(FILE *f, struct corpus_test *t)
{
	__u32 len, i;

	free(t->insns);
	free(t->log);
	t->insns = NULL;
	t->log = NULL;
	if (read_u32(f, &len) || len >= sizeof(t->name) ||
	    fread(t->name, 1, len, f) != len)
		return -1;
	t->name[len] = '\0';
	if (read_u32(f, &t->prog_type) || read_u32(f, &t->level) ||
	    read_u32(f, &t->caps) || read_u32(f, &t->nr_maps) || read_u32(f, &t->insn_cnt) ||
	    read_u32(f, (__u32 *)&t->host_ret) || read_u32(f, &t->log_len))
		return -1;
	if (t->nr_maps > CORPUS_MAX_MAPS)
		return -1;
	for (i = 0; i < t->nr_maps; i++) {
		free(t->frozen[i]);
		t->frozen[i] = NULL;
		if (fread(t->maps[i], sizeof(t->maps[i]), 1, f) != 1 ||
		    read_u32(f, &len) || len > 65536)
			return -1;
		if (!len)
			continue;
		t->frozen[i] = malloc(len);
		if (!t->frozen[i] || fread(t->frozen[i], 1, len, f) != len)
			return -1;
	}
	t->insns = calloc(t->insn_cnt + 1, sizeof(*t->insns));
	t->log = malloc(t->log_len + 1);
	if (!t->insns || !t->log ||
	    fread(t->insns, sizeof(*t->insns), t->insn_cnt, f) != t->insn_cnt ||
	    fread(t->log, 1, t->log_len, f) != t->log_len)
		return -1;
	t->log[t->log_len] = '\0';
	return 0;
}

/*
 * The effective capabilities: CAP_BPF alone (@bpf_only) or all the
 * permitted ones back. Only a load runs with CAP_BPF alone; the maps are
 * made with all.
 */
static int set_caps(bool bpf_only)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if (bpf_only) {
		data[0].effective = 0;
		data[1].effective = 1U << (CAP_BPF - 32);
	} else {
		data[0].effective = data[0].permitted;
		data[1].effective = data[1].permitted;
	}
	return syscall(SYS_capset, &hdr, data);
}

/* The last line of a log that says why, for the report. */
static const char *last_line(char *log)
{
	char *end = log + strlen(log), *p;

	while (end > log && end[-1] == '\n')
		*--end = '\0';
	p = strrchr(log, '\n');
	/* Upstream ends with the counts; the reason is the line before. */
	if (p && !strncmp(p + 1, "processed ", 10)) {
		*p = '\0';
		p = strrchr(log, '\n');
	}
	return p ? p + 1 : log;
}

/*
 * Create @t's maps and put each at the fd its imm names (0, 1, ...), as
 * the host numbered them, so that the instructions and the logs stay the
 * host's. The fds they replace (stdin, stdout, ...) are kept in @saved
 * until put_back_fds(). Returns 0, or -1 when the kernel refused a map.
 */
/*
 * A map of the five numbers at @m; for a map of maps, @inner has the five
 * of the map its maps are like (a type of 0 when there is none).
 */
static int create_map(const __u32 *m, const __u32 *inner_desc)
{
	union bpf_attr attr;
	int inner = -1, fd;

	if (inner_desc && inner_desc[0]) {
		inner = create_map(inner_desc, NULL);
		if (inner < 0)
			return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.map_type = m[0];
	attr.key_size = m[1];
	attr.value_size = m[2];
	attr.max_entries = m[3];
	attr.map_flags = m[4];
	attr.inner_map_fd = inner < 0 ? 0 : inner;
	fd = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (inner >= 0)
		close(inner);
	return fd;
}

/* Set key 0 of the array @fd to @value and freeze it: libbpf's .rodata. */
static int freeze(int fd, void *value)
{
	union bpf_attr attr;
	__u32 key = 0;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)value;
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)))
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	return sys_bpf(BPF_MAP_FREEZE, &attr, sizeof(attr));
}

static int create_maps(const struct corpus_test *t, int *saved)
{
	__u32 i;
	int fd;

	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < t->nr_maps; i++)
		saved[i] = -1;
	for (i = 0; i < t->nr_maps; i++) {
		fd = create_map(t->maps[i], t->maps[i] + 5);
		if (fd >= 0 && t->frozen[i] && freeze(fd, t->frozen[i])) {
			close(fd);
			fd = -1;
		}
		if (fd < 0)
			return -1;
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 100);
		if (saved[i] < 0 || dup2(fd, i) < 0) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static void put_back_fds(const struct corpus_test *t, const int *saved)
{
	__u32 i;

	for (i = 0; i < t->nr_maps && saved[i] >= 0; i++) {
		dup2(saved[i], i);
		close(saved[i]);
	}
}

/* Where two logs first differ, for the report. */
static size_t first_difference(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

/*
 * Programs that read kernel memory need CAP_PERFMON; CAP_BPF alone loads
 * socket filters. Upstream checks it before the type: EPERM even for a
 * tracing type the kernel lacks (LSM).
 */
TEST(tracing_types_need_perfmon)
{
	static const __u32 tracing[] = {
		BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_TRACEPOINT,
		BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_PROG_TYPE_PERF_EVENT,
		BPF_PROG_TYPE_LSM,
	};
	union bpf_attr attr;
	unsigned int i;

	ASSERT_EQ(0, set_caps(true));
	for (i = 0; i < ARRAY_SIZE(tracing); i++) {
		load_attr(&attr, ret0, 2);
		attr.prog_type = tracing[i];
		EXPECT_EQ(EPERM, load_errno(&attr)) TH_LOG("type %u", tracing[i]);
	}
	load_attr(&attr, ret0, 2);
	EXPECT_EQ(0, load_errno(&attr));
	ASSERT_EQ(0, set_caps(false));
	load_attr(&attr, ret0, 2);
	attr.prog_type = BPF_PROG_TYPE_KPROBE;
	EXPECT_EQ(0, load_errno(&attr));
}

/*
 * The corpus replay takes minutes in an emulated guest: the programs
 * that run into the 1M-instruction limit do it at log level 1, every
 * instruction logged. A fixture only for the longer timeout.
 */
FIXTURE(corpus) {};
FIXTURE_SETUP(corpus) {}
FIXTURE_TEARDOWN(corpus) {}

TEST_F_TIMEOUT(corpus, verifier_corpus, 900)
{
	const char *path = getenv("KBPF_VERIFIER_CORPUS") ?: CORPUS_DEFAULT;
	const char *flavour = getenv("KBPF_FLAVOUR") ?: "kbpf";
	bool stock = !strcmp(flavour, "stock");
	unsigned int loaded = 0, no_maps = 0, arch_bound = 0, differ = 0;
	unsigned int no_helper = 0;
	int saved[CORPUS_MAX_MAPS];
	char magic[8], arch[KBPF_CORPUS_ARCH_LEN], *log;
	struct corpus_test t = {};
	struct utsname uts;
	int other_arch;
	union bpf_attr attr;
	__u32 nr, i;
	size_t at;
	FILE *f;
	int ret;

	f = fopen(path, "rb");
	if (!f)
		SKIP(return, "%s: %s (make check exports it)", path,
		     strerror(errno));
	log = malloc(CORPUS_LOG_SIZE);
	ASSERT_NE(NULL, log);
	ASSERT_EQ(1, fread(magic, sizeof(magic), 1, f));
	ASSERT_EQ(0, memcmp(magic, KBPF_CORPUS_MAGIC, sizeof(magic)));
	ASSERT_EQ(1, fread(arch, sizeof(arch), 1, f));
	ASSERT_EQ(0, uname(&uts));
	other_arch = strncmp(arch, uts.machine, sizeof(arch));
	ASSERT_EQ(0, read_u32(f, &nr));
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, read_test(f, &t));
		/* bpf(2) refuses an empty program before any verifier. */
		if (!t.insn_cnt)
			continue;
		/* Their contexts are the registers, which differ by arch. */
		if (other_arch && (t.prog_type == BPF_PROG_TYPE_KPROBE ||
				   t.prog_type == BPF_PROG_TYPE_PERF_EVENT)) {
			arch_bound++;
			continue;
		}
		if (create_maps(&t, saved) < 0) {
			put_back_fds(&t, saved);
			no_maps++;
			continue;
		}
		load_attr(&attr, t.insns, t.insn_cnt);
		attr.prog_type = t.prog_type;
		attr.log_level = t.level;
		attr.log_buf = (uintptr_t)log;
		attr.log_size = CORPUS_LOG_SIZE;
		log[0] = '\0';
		ASSERT_EQ(0, set_caps(t.caps == KBPF_CORPUS_CAPS_BPF));
		ret = -load_errno(&attr);
		ASSERT_EQ(0, set_caps(false));
		put_back_fds(&t, saved);
		loaded++;
		if (stock) {
			if (!ret != !t.host_ret) {
				TH_LOG("%s: kbpf %s, upstream %s (%d): %.100s",
				       t.name, t.host_ret ? "rejects" : "accepts",
				       ret ? "rejects" : "accepts", ret,
				       ret ? last_line(log) : "");
				differ++;
			}
			continue;
		}
		/* The runtime's helpers come in issue by issue: counted apart. */
		if (ret == -EINVAL && !t.host_ret &&
		    strstr(log, "is not implemented by kbpf yet")) {
			TH_LOG("%s: %s", t.name, last_line(log));
			no_helper++;
			continue;
		}
		if (ret != t.host_ret || strcmp(log, t.log)) {
			at = first_difference(log, t.log);
			TH_LOG("%s: kernel %d, host %d; logs differ at %zu:",
			       t.name, ret, t.host_ret, at);
			TH_LOG("kernel \"%.60s\", host \"%.60s\"", log + at,
			       t.log + at);
			differ++;
		}
	}
	TH_LOG("%u loaded (%u lack a runtime helper); not loaded: %u (maps), %u (%.*s regs)",
	       loaded, no_helper, no_maps, arch_bound, (int)sizeof(arch), arch);
	TH_LOG("%u %s", differ,
	       stock ? "judged otherwise by upstream" : "differ from the host");
	for (i = 0; i < CORPUS_MAX_MAPS; i++)
		free(t.frozen[i]);
	free(t.insns);
	free(t.log);
	free(log);
	fclose(f);
	if (!stock)
		EXPECT_EQ(0, differ);
}

TEST_HARNESS_MAIN
