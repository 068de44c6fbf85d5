// SPDX-License-Identifier: GPL-2.0
/*
 * The bpf filesystem through bpf(2): BPF_OBJ_PIN and BPF_OBJ_GET of maps
 * and programs, and their errors.
 *
 * Expects a bpf filesystem at /sys/fs/bpf (the guests mount one) and a
 * tmpfs at /tmp. Every expectation is upstream's, so the same binary
 * passes on both flavours.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "../kselftest_harness.h"

#define BPFFS		"/sys/fs/bpf"
#define MAP_PATH	BPFFS "/kbpf_pin_map"
#define PROG_PATH	BPFFS "/kbpf_pin_prog"
#define DIR_PATH	BPFFS "/kbpf_pin_dir"

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int bpf_errno(int cmd, union bpf_attr *attr)
{
	int ret = sys_bpf(cmd, attr);

	if (ret < 0)
		return errno;
	if (cmd == BPF_OBJ_GET)
		close(ret);
	return 0;
}

static int array_map(void)
{
	union bpf_attr attr = {
		.map_type = BPF_MAP_TYPE_ARRAY,
		.key_size = 4,
		.value_size = 8,
		.max_entries = 2,
	};

	return sys_bpf(BPF_MAP_CREATE, &attr);
}

static int map_elem(int cmd, int fd, __u32 key, __u64 *value)
{
	union bpf_attr attr = {
		.map_fd = fd,
		.key = (uintptr_t)&key,
		.value = (uintptr_t)value,
	};

	return sys_bpf(cmd, &attr) ? errno : 0;
}

/* A socket filter returning 7. */
static int ret7_prog(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 7 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr = {
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.insns = (uintptr_t)insns,
		.insn_cnt = 2,
		.license = (uintptr_t)"GPL",
	};

	return sys_bpf(BPF_PROG_LOAD, &attr);
}

static int pin(int fd, const char *path)
{
	union bpf_attr attr = { .bpf_fd = fd, .pathname = (uintptr_t)path };

	return sys_bpf(BPF_OBJ_PIN, &attr) ? errno : 0;
}

static int get(const char *path, __u32 flags)
{
	union bpf_attr attr = { .pathname = (uintptr_t)path, .file_flags = flags };

	return sys_bpf(BPF_OBJ_GET, &attr);
}

TEST(bpffs_is_mounted)
{
	struct statfs st;

	ASSERT_EQ(0, statfs(BPFFS, &st));
	EXPECT_EQ(BPF_FS_MAGIC, st.f_type);
}

TEST(map_outlives_its_fds)
{
	__u64 value = 42;
	int fd;

	unlink(MAP_PATH);
	fd = array_map();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, map_elem(BPF_MAP_UPDATE_ELEM, fd, 1, &value));
	ASSERT_EQ(0, pin(fd, MAP_PATH));
	close(fd);

	fd = get(MAP_PATH, 0);
	ASSERT_LE(0, fd);
	value = 0;
	EXPECT_EQ(0, map_elem(BPF_MAP_LOOKUP_ELEM, fd, 1, &value));
	EXPECT_EQ(42, value);
	close(fd);

	ASSERT_EQ(0, unlink(MAP_PATH));
	EXPECT_EQ(-1, get(MAP_PATH, 0));
	EXPECT_EQ(ENOENT, errno);
}

TEST(prog_outlives_its_fds)
{
	union bpf_attr attr;
	char packet[64] = {};
	int fd;

	unlink(PROG_PATH);
	fd = ret7_prog();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pin(fd, PROG_PATH));
	close(fd);

	fd = get(PROG_PATH, 0);
	ASSERT_LE(0, fd);
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = fd;
	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	ASSERT_EQ(0, sys_bpf(BPF_PROG_TEST_RUN, &attr));
	EXPECT_EQ(7, attr.test.retval);
	close(fd);
	EXPECT_EQ(0, unlink(PROG_PATH));
}

TEST(read_only_get)
{
	__u64 value = 5;
	int fd;

	unlink(MAP_PATH);
	fd = array_map();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pin(fd, MAP_PATH));
	close(fd);

	fd = get(MAP_PATH, BPF_F_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EPERM, map_elem(BPF_MAP_UPDATE_ELEM, fd, 0, &value));
	EXPECT_EQ(0, map_elem(BPF_MAP_LOOKUP_ELEM, fd, 0, &value));
	close(fd);
	EXPECT_EQ(-1, get(MAP_PATH, BPF_F_RDONLY | BPF_F_WRONLY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, unlink(MAP_PATH));
}

TEST(pin_errors)
{
	union bpf_attr attr;
	int fd, pipe_fds[2];

	unlink(MAP_PATH);
	fd = array_map();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pin(fd, MAP_PATH));
	EXPECT_EQ(EEXIST, pin(fd, MAP_PATH));
	/* Only a bpf filesystem holds objects. */
	EXPECT_EQ(EPERM, pin(fd, "/tmp/kbpf_pin_map"));
	EXPECT_EQ(ENOENT, pin(fd, BPFFS "/no/such/dir"));
	/* Upstream tries each kind of object, and says EINVAL for none. */
	EXPECT_EQ(EINVAL, pin(-1, BPFFS "/kbpf_pin_bad"));
	ASSERT_EQ(0, pipe(pipe_fds));
	EXPECT_EQ(EINVAL, pin(pipe_fds[0], BPFFS "/kbpf_pin_bad"));
	close(pipe_fds[0]);
	close(pipe_fds[1]);

	memset(&attr, 0, sizeof(attr));
	attr.bpf_fd = fd;
	attr.pathname = (uintptr_t)BPFFS "/kbpf_pin_bad";
	attr.file_flags = BPF_F_RDONLY;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_OBJ_PIN, &attr));
	attr.file_flags = 0;
	attr.path_fd = 3;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_OBJ_PIN, &attr));
	attr.path_fd = 0;
	attr.pathname = 8;
	EXPECT_EQ(EFAULT, bpf_errno(BPF_OBJ_PIN, &attr));
	close(fd);
	EXPECT_EQ(0, unlink(MAP_PATH));
}

TEST(get_errors)
{
	union bpf_attr attr;
	int fd;

	EXPECT_EQ(-1, get(BPFFS "/kbpf_no_such_pin", 0));
	EXPECT_EQ(ENOENT, errno);
	/* A directory, or a file elsewhere, is no pinned object. */
	EXPECT_EQ(-1, get(BPFFS, 0));
	EXPECT_EQ(EACCES, errno);
	fd = open("/tmp/kbpf_pin_plain", O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-1, get("/tmp/kbpf_pin_plain", 0));
	EXPECT_EQ(EACCES, errno);
	unlink("/tmp/kbpf_pin_plain");

	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uintptr_t)BPFFS;
	attr.bpf_fd = 1;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_OBJ_GET, &attr));
	attr.bpf_fd = 0;
	attr.file_flags = 1U << 20;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_OBJ_GET, &attr));
}

TEST(directories_and_path_fd)
{
	union bpf_attr attr;
	int fd, dir;

	rmdir(DIR_PATH);
	ASSERT_EQ(0, mkdir(DIR_PATH, 0700));
	fd = array_map();
	ASSERT_LE(0, fd);
	dir = open(DIR_PATH, O_DIRECTORY | O_RDONLY);
	ASSERT_LE(0, dir);

	/* Relative to path_fd with BPF_F_PATH_FD. */
	memset(&attr, 0, sizeof(attr));
	attr.bpf_fd = fd;
	attr.pathname = (uintptr_t)"m";
	attr.path_fd = dir;
	attr.file_flags = BPF_F_PATH_FD;
	ASSERT_EQ(0, bpf_errno(BPF_OBJ_PIN, &attr));
	close(fd);

	EXPECT_EQ(-1, rmdir(DIR_PATH));
	EXPECT_EQ(ENOTEMPTY, errno);
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uintptr_t)"m";
	attr.path_fd = dir;
	attr.file_flags = BPF_F_PATH_FD;
	fd = sys_bpf(BPF_OBJ_GET, &attr);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, unlinkat(dir, "m", 0));
	close(dir);
	EXPECT_EQ(0, rmdir(DIR_PATH));
}

/* A pinned object file is no file to read. */
TEST(pinned_file_does_not_open)
{
	int fd;

	unlink(PROG_PATH);
	fd = ret7_prog();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pin(fd, PROG_PATH));
	close(fd);
	EXPECT_EQ(-1, open(PROG_PATH, O_RDONLY));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(0, unlink(PROG_PATH));
}

TEST_HARNESS_MAIN
