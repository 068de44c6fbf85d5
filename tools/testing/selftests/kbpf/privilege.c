// SPDX-License-Identifier: GPL-2.0
/*
 * What a process without privilege may do with bpf(2) objects it is
 * given: exactly what a stock kernel with unprivileged bpf(2) disabled
 * lets it do.
 *
 * A root process makes a map and two programs and pins the map; the test
 * process drops to nobody (uid and gid 65534, no capabilities) and is
 * sent their fds over SCM_RIGHTS: the map read-write, read-only and
 * write-only, a socket filter and a raw tracepoint program. It may use
 * the map as far as each fd's mode lets it, run and inspect the programs
 * (not their code), open the pins whose permissions let it, and pin into
 * a directory it owns. It may not make maps or programs, walk or open
 * ids, or turn statistics on. Apart from that, kernel.kptr_restrict hides
 * a program's addresses and machine code from root too.
 *
 * Expects a bpf filesystem at /sys/fs/bpf. Every expectation is
 * upstream's, so the same binary passes on both flavours.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "bpf_insns.h"

#define NOBODY		65534
#define BPFFS		"/sys/fs/bpf"
#define PIN_OPEN	BPFFS "/kbpf_priv_open"		/* mode 0644 */
#define PIN_CLOSED	BPFFS "/kbpf_priv_closed"	/* mode 0600 */
#define ROOT_DIR	BPFFS "/kbpf_priv_root"		/* root's, 0755 */
#define OWN_DIR		BPFFS "/kbpf_priv_dir"		/* nobody's */
#define OWN_PIN		OWN_DIR "/mine"
#define TOP_PIN		BPFFS "/kbpf_priv_mine"		/* in the sticky root */
#define KPTR_RESTRICT	"/proc/sys/kernel/kptr_restrict"

/* The fds the root process sends, in this order. */
enum { MAP_RW, MAP_RO, MAP_WO, FILTER, RAW_TP, NR_FDS };

static int bpf_errno(int cmd, union bpf_attr *attr)
{
	int ret = sys_bpf(cmd, attr, sizeof(*attr));

	if (ret < 0)
		return errno;
	if (cmd == BPF_OBJ_GET || cmd == BPF_RAW_TRACEPOINT_OPEN)
		close(ret);
	return 0;
}

static int elem(int cmd, int fd, const void *key, void *value)
{
	union bpf_attr attr = {
		.map_fd = fd,
		.key = (uintptr_t)key,
		.value = (uintptr_t)value,
	};

	return bpf_errno(cmd, &attr);
}

static int next_key(int fd, const void *key, void *next)
{
	union bpf_attr attr = {
		.map_fd = fd,
		.key = (uintptr_t)key,
		.next_key = (uintptr_t)next,
	};

	return bpf_errno(BPF_MAP_GET_NEXT_KEY, &attr);
}

static int freeze(int fd)
{
	union bpf_attr attr = { .map_fd = fd };

	return bpf_errno(BPF_MAP_FREEZE, &attr);
}

/* The object's id; map, program and link info all start type, id. */
static __u32 obj_id(int fd)
{
	struct { __u32 type, id; } info = {};
	union bpf_attr attr = {
		.info.bpf_fd = fd,
		.info.info_len = sizeof(info),
		.info.info = (uintptr_t)&info,
	};

	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) ? 0 : info.id;
}

static int map_by_id(__u32 id, __u32 flags)
{
	union bpf_attr attr = { .map_id = id, .open_flags = flags };

	return sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr, sizeof(attr));
}

static int pin(int fd, const char *path)
{
	union bpf_attr attr = {
		.pathname = (uintptr_t)path,
		.bpf_fd = fd,
	};

	return bpf_errno(BPF_OBJ_PIN, &attr);
}

static int obj_get(const char *path, __u32 flags)
{
	union bpf_attr attr = {
		.pathname = (uintptr_t)path,
		.file_flags = flags,
	};

	return sys_bpf(BPF_OBJ_GET, &attr, sizeof(attr));
}

static int array_map(void)
{
	union bpf_attr attr = {
		.map_type = BPF_MAP_TYPE_ARRAY,
		.key_size = 4,
		.value_size = 8,
		.max_entries = 2,
	};

	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

static int load_ret(__u32 type, int r0)
{
	const struct bpf_insn insns[] = { MOV_IMM(0, r0), EXIT() };

	return load_insns(type, insns, 2, NULL);
}

static void remove_pins(void)
{
	unlink(OWN_PIN);
	unlink(TOP_PIN);
	rmdir(OWN_DIR);
	rmdir(ROOT_DIR);
	unlink(PIN_OPEN);
	unlink(PIN_CLOSED);
}

/* As root: the objects, their pins, and the fds to send in @fds. */
static int make_objects(int fds[NR_FDS])
{
	__u32 id;

	fds[MAP_RW] = array_map();
	id = obj_id(fds[MAP_RW]);
	fds[MAP_RO] = map_by_id(id, BPF_F_RDONLY);
	fds[MAP_WO] = map_by_id(id, BPF_F_WRONLY);
	fds[FILTER] = load_ret(BPF_PROG_TYPE_SOCKET_FILTER, 7);
	fds[RAW_TP] = load_ret(BPF_PROG_TYPE_RAW_TRACEPOINT, 0);
	if (fds[MAP_RW] < 0 || !id || fds[MAP_RO] < 0 || fds[MAP_WO] < 0 ||
	    fds[FILTER] < 0 || fds[RAW_TP] < 0)
		return -1;
	if (pin(fds[MAP_RW], PIN_OPEN) || chmod(PIN_OPEN, 0644) ||
	    pin(fds[MAP_RW], PIN_CLOSED) || chmod(PIN_CLOSED, 0600) ||
	    mkdir(ROOT_DIR, 0755) || mkdir(OWN_DIR, 0755) ||
	    chown(OWN_DIR, NOBODY, NOBODY))
		return -1;
	return 0;
}

static int send_fds(int sock, const int fds[NR_FDS])
{
	char ctl[CMSG_SPACE(NR_FDS * sizeof(int))] = {};
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl,
		.msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(NR_FDS * sizeof(int));
	memcpy(CMSG_DATA(cmsg), fds, NR_FDS * sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fds(int sock, int fds[NR_FDS])
{
	char ctl[CMSG_SPACE(NR_FDS * sizeof(int))] = {};
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl,
		.msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *cmsg;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(NR_FDS * sizeof(int)))
		return -1;
	memcpy(fds, CMSG_DATA(cmsg), NR_FDS * sizeof(int));
	return 0;
}

/* Become nobody: leaving uid 0 for good empties every capability set. */
static void drop_privilege(struct __test_metadata *_metadata)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct caps[2];

	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setresgid(NOBODY, NOBODY, NOBODY));
	ASSERT_EQ(0, setresuid(NOBODY, NOBODY, NOBODY));
	ASSERT_EQ(0, syscall(__NR_capget, &hdr, caps));
	ASSERT_EQ(0, caps[0].effective | caps[1].effective |
		     caps[0].permitted | caps[1].permitted);
}

FIXTURE(given)
{
	int fds[NR_FDS];
	int sock;
	pid_t maker;
};

/*
 * A root child makes the objects and sends them once this process has
 * dropped its privilege, then waits for the test to end to remove the
 * pins (a process without privilege could not).
 */
FIXTURE_SETUP(given)
{
	int sv[2], fds[NR_FDS], status;
	char byte;

	remove_pins();
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	self->maker = fork();
	ASSERT_LE(0, self->maker);
	if (!self->maker) {
		close(sv[0]);
		status = make_objects(fds) || send_fds(sv[1], fds);
		if (!status)
			status = read(sv[1], &byte, 1) < 0;
		remove_pins();
		_exit(status);
	}
	close(sv[1]);
	self->sock = sv[0];
	drop_privilege(_metadata);
	ASSERT_EQ(0, recv_fds(self->sock, self->fds));
}

FIXTURE_TEARDOWN(given)
{
	int status;

	close(self->sock);
	ASSERT_EQ(self->maker, waitpid(self->maker, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
}

/* Each fd does what its mode says, and only that. */
TEST_F(given, map_by_fd_mode)
{
	__u32 key = 0, next;
	__u64 value = 42, got = 0;

	EXPECT_EQ(0, elem(BPF_MAP_UPDATE_ELEM, self->fds[MAP_RW], &key, &value));
	EXPECT_EQ(0, elem(BPF_MAP_LOOKUP_ELEM, self->fds[MAP_RW], &key, &got));
	EXPECT_EQ(42, got);
	EXPECT_EQ(0, next_key(self->fds[MAP_RW], NULL, &next));
	/* Arrays cannot delete; the fd's mode is not what refuses it. */
	EXPECT_EQ(EINVAL, elem(BPF_MAP_DELETE_ELEM, self->fds[MAP_RW], &key, NULL));

	got = 0;
	EXPECT_EQ(0, elem(BPF_MAP_LOOKUP_ELEM, self->fds[MAP_RO], &key, &got));
	EXPECT_EQ(42, got);
	EXPECT_EQ(0, next_key(self->fds[MAP_RO], NULL, &next));
	EXPECT_EQ(EPERM, elem(BPF_MAP_UPDATE_ELEM, self->fds[MAP_RO], &key, &value));
	EXPECT_EQ(EPERM, elem(BPF_MAP_DELETE_ELEM, self->fds[MAP_RO], &key, NULL));
	EXPECT_EQ(EPERM, freeze(self->fds[MAP_RO]));

	value = 43;
	EXPECT_EQ(0, elem(BPF_MAP_UPDATE_ELEM, self->fds[MAP_WO], &key, &value));
	EXPECT_EQ(EPERM, elem(BPF_MAP_LOOKUP_ELEM, self->fds[MAP_WO], &key, &got));
	EXPECT_EQ(EPERM, next_key(self->fds[MAP_WO], NULL, &next));
	EXPECT_EQ(0, elem(BPF_MAP_LOOKUP_ELEM, self->fds[MAP_RW], &key, &got));
	EXPECT_EQ(43, got);
}

/* Pins open as their permissions say; nobody may pin where it may write. */
TEST_F(given, pins_by_path_permission)
{
	__u32 key = 0;
	__u64 value = 1;
	int fd;

	fd = obj_get(PIN_OPEN, BPF_F_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, elem(BPF_MAP_LOOKUP_ELEM, fd, &key, &value));
	EXPECT_EQ(EPERM, elem(BPF_MAP_UPDATE_ELEM, fd, &key, &value));
	close(fd);
	EXPECT_EQ(-1, obj_get(PIN_OPEN, 0));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, obj_get(PIN_OPEN, BPF_F_WRONLY));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, obj_get(PIN_CLOSED, BPF_F_RDONLY));
	EXPECT_EQ(EACCES, errno);

	EXPECT_EQ(EACCES, pin(self->fds[MAP_RO], ROOT_DIR "/mine"));
	EXPECT_EQ(0, pin(self->fds[MAP_RO], OWN_PIN));
	fd = obj_get(OWN_PIN, BPF_F_RDONLY);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, unlink(OWN_PIN));
	/* The filesystem's root is like /tmp: 1777. */
	EXPECT_EQ(0, pin(self->fds[MAP_RO], TOP_PIN));
	EXPECT_EQ(0, unlink(TOP_PIN));
	EXPECT_EQ(-1, unlink(PIN_OPEN));
	EXPECT_EQ(EPERM, errno);
}

/* No new objects, no walking or opening by id, no statistics. */
TEST_F(given, no_creation_ids_or_stats)
{
	static const int next_id[] = {
		BPF_MAP_GET_NEXT_ID, BPF_PROG_GET_NEXT_ID, BPF_LINK_GET_NEXT_ID,
	};
	__u32 map_id = obj_id(self->fds[MAP_RW]);
	union bpf_attr attr;
	unsigned int i;

	ASSERT_NE(0, map_id);
	EXPECT_EQ(-1, array_map());
	EXPECT_EQ(EPERM, errno);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)(struct bpf_insn[]){ MOV_IMM(0, 0), EXIT() };
	attr.insn_cnt = 2;
	attr.license = (uintptr_t)"GPL";
	EXPECT_EQ(EPERM, bpf_errno(BPF_PROG_LOAD, &attr));
	for (i = 0; i < ARRAY_SIZE(next_id); i++) {
		memset(&attr, 0, sizeof(attr));
		EXPECT_EQ(EPERM, bpf_errno(next_id[i], &attr));
	}
	EXPECT_EQ(-1, map_by_id(map_id, 0));
	EXPECT_EQ(EPERM, errno);
	memset(&attr, 0, sizeof(attr));
	attr.prog_id = obj_id(self->fds[FILTER]);
	EXPECT_EQ(EPERM, bpf_errno(BPF_PROG_GET_FD_BY_ID, &attr));
	memset(&attr, 0, sizeof(attr));
	attr.enable_stats.type = BPF_STATS_RUN_TIME;
	EXPECT_EQ(EPERM, bpf_errno(BPF_ENABLE_STATS, &attr));
}

/* A program's info says what it is, not its code or where it lies. */
TEST_F(given, prog_info_without_code)
{
	struct bpf_insn xlated[8];
	__u64 ksyms[2];
	__u32 lens[2];
	__u8 jited[64];
	struct bpf_prog_info info = {
		.xlated_prog_len = sizeof(xlated),
		.xlated_prog_insns = (uintptr_t)xlated,
		.jited_prog_len = sizeof(jited),
		.jited_prog_insns = (uintptr_t)jited,
		.nr_jited_ksyms = 2,
		.jited_ksyms = (uintptr_t)ksyms,
		.nr_jited_func_lens = 2,
		.jited_func_lens = (uintptr_t)lens,
	};
	union bpf_attr attr = {
		.info.bpf_fd = self->fds[FILTER],
		.info.info_len = sizeof(info),
		.info.info = (uintptr_t)&info,
	};
	__u8 untouched[sizeof(jited)];

	memset(xlated, 0xa5, sizeof(xlated));
	memset(ksyms, 0xa5, sizeof(ksyms));
	memset(lens, 0xa5, sizeof(lens));
	memset(jited, 0xa5, sizeof(jited));
	memset(untouched, 0xa5, sizeof(untouched));
	ASSERT_EQ(0, bpf_errno(BPF_OBJ_GET_INFO_BY_FD, &attr));
	EXPECT_EQ(BPF_PROG_TYPE_SOCKET_FILTER, info.type);
	EXPECT_NE(0, info.id);
	EXPECT_EQ(0, info.xlated_prog_len);
	EXPECT_EQ(0, info.jited_prog_len);
	EXPECT_EQ(0, info.nr_jited_ksyms);
	EXPECT_EQ(0, info.nr_jited_func_lens);
	EXPECT_EQ(0, memcmp(xlated, untouched, sizeof(xlated)));
	EXPECT_EQ(0, memcmp(jited, untouched, sizeof(jited)));
	EXPECT_EQ(0, memcmp(ksyms, untouched, sizeof(ksyms)));
	EXPECT_EQ(0, memcmp(lens, untouched, sizeof(lens)));
}

/* What else the fds are good for: running, attaching, binding. */
TEST_F(given, programs_run_and_attach)
{
	__u8 frame[64] = {};
	union bpf_attr attr = {
		.test.prog_fd = self->fds[FILTER],
		.test.data_in = (uintptr_t)frame,
		.test.data_size_in = sizeof(frame),
	};

	EXPECT_EQ(0, bpf_errno(BPF_PROG_TEST_RUN, &attr));
	EXPECT_EQ(7, attr.test.retval);

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = (uintptr_t)"sys_enter";
	attr.raw_tracepoint.prog_fd = self->fds[RAW_TP];
	EXPECT_EQ(0, bpf_errno(BPF_RAW_TRACEPOINT_OPEN, &attr));

	memset(&attr, 0, sizeof(attr));
	attr.prog_bind_map.prog_fd = self->fds[FILTER];
	attr.prog_bind_map.map_fd = self->fds[MAP_RO];
	EXPECT_EQ(0, bpf_errno(BPF_PROG_BIND_MAP, &attr));
}

static int read_int(const char *path)
{
	char buf[16] = {};
	int fd = open(path, O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '?';
	if (fd >= 0)
		close(fd);
	return buf[0] == '?' ? -1 : atoi(buf);
}

static int write_int(const char *path, int value)
{
	char buf[16];
	int fd = open(path, O_WRONLY), n;

	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%d", value);
	n = write(fd, buf, n) == n ? 0 : -1;
	close(fd);
	return n;
}

/* The program's info as root, with buffers for its addresses and code. */
struct code_info {
	struct bpf_prog_info info;
	__u64 ksym;
	__u32 len;
	__u8 jited[16];
};

static int code_info(int prog, struct code_info *c)
{
	union bpf_attr attr = {
		.info.bpf_fd = prog,
		.info.info_len = sizeof(c->info),
		.info.info = (uintptr_t)&c->info,
	};

	memset(c, 0, sizeof(*c));
	c->info.nr_jited_ksyms = 1;
	c->info.jited_ksyms = (uintptr_t)&c->ksym;
	c->info.nr_jited_func_lens = 1;
	c->info.jited_func_lens = (uintptr_t)&c->len;
	c->info.jited_prog_len = sizeof(c->jited);
	c->info.jited_prog_insns = (uintptr_t)c->jited;
	return bpf_errno(BPF_OBJ_GET_INFO_BY_FD, &attr);
}

/*
 * kptr_restrict 2 hides a program's address, function lengths and
 * machine code even from root: their buffers stay as they were and
 * their pointers come back 0. With 0, root sees them.
 */
TEST(kptr_restrict_hides_addresses)
{
	int old = read_int(KPTR_RESTRICT), prog;
	struct code_info c;

	ASSERT_LE(0, old);
	prog = load_ret(BPF_PROG_TYPE_SOCKET_FILTER, 7);
	ASSERT_LE(0, prog);

	ASSERT_EQ(0, write_int(KPTR_RESTRICT, 2));
	EXPECT_EQ(0, code_info(prog, &c));
	EXPECT_EQ(1, c.info.nr_jited_ksyms);
	EXPECT_EQ(0, c.info.jited_ksyms);
	EXPECT_EQ(0, c.ksym);
	EXPECT_EQ(0, c.info.jited_func_lens);
	EXPECT_EQ(0, c.len);
	if (c.info.jited_prog_len)
		EXPECT_EQ(0, c.info.jited_prog_insns);
	EXPECT_EQ(0, c.jited[0] | c.jited[1] | c.jited[2] | c.jited[3]);

	ASSERT_EQ(0, write_int(KPTR_RESTRICT, 0));
	EXPECT_EQ(0, code_info(prog, &c));
	EXPECT_EQ((uintptr_t)&c.ksym, c.info.jited_ksyms);
	EXPECT_NE(0, c.ksym);
	EXPECT_EQ(c.info.jited_prog_len, c.len);
	if (c.info.jited_prog_len)
		EXPECT_NE(0, c.jited[0] | c.jited[1] | c.jited[2] | c.jited[3]);

	EXPECT_EQ(0, write_int(KPTR_RESTRICT, old));
	close(prog);
}

TEST_HARNESS_MAIN
