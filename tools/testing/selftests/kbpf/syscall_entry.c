// SPDX-License-Identifier: GPL-2.0
/*
 * The rules every bpf(2) call passes before its command runs: the size
 * rules of union bpf_attr, unreadable attrs, unknown commands, privilege.
 * Each case expects the errno a stock kernel gives, so the same binary
 * passes on both and any difference shows.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/capability.h>

#include "../kselftest_harness.h"

/* A command number far beyond enum bpf_cmd. */
#define UNKNOWN_CMD 1000

static long sys_bpf(int cmd, const void *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

/* Errno of a failing call, or 0 when it succeeded. */
static int bpf_errno(int cmd, const void *attr, unsigned int size)
{
	return sys_bpf(cmd, attr, size) < 0 ? errno : 0;
}

/* Two pages, the second one inaccessible: ends right at the first's end. */
static char *map_guarded(struct __test_metadata *_metadata, long *page)
{
	char *p;

	*page = sysconf(_SC_PAGESIZE);
	p = mmap(NULL, 2 * *page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, mprotect(p + *page, *page, PROT_NONE));
	memset(p, 0, *page);
	return p;
}

static void drop_bpf_caps(struct __test_metadata *_metadata)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {};

	/* Empty effective, permitted and inheritable sets. */
	ASSERT_EQ(0, syscall(__NR_capset, &hdr, data));
}

TEST(unknown_command)
{
	union bpf_attr attr = {};

	EXPECT_EQ(EINVAL, bpf_errno(UNKNOWN_CMD, &attr, sizeof(attr)));
	EXPECT_EQ(EINVAL, bpf_errno(-1, &attr, sizeof(attr)));
}

TEST(unknown_command_unprivileged)
{
	union bpf_attr attr = {};

	drop_bpf_caps(_metadata);
	EXPECT_EQ(EINVAL, bpf_errno(UNKNOWN_CMD, &attr, sizeof(attr)));
}

TEST(eperm_without_capabilities)
{
	union bpf_attr attr = {
		/* A valid map, so only the privilege check can refuse it. */
		.map_type = BPF_MAP_TYPE_ARRAY,
		.key_size = 4,
		.value_size = 4,
		.max_entries = 1,
	};

	drop_bpf_caps(_metadata);
	EXPECT_EQ(EPERM, bpf_errno(BPF_MAP_CREATE, &attr, sizeof(attr)));
	memset(&attr, 0, sizeof(attr));
	EXPECT_EQ(EPERM, bpf_errno(BPF_PROG_LOAD, &attr, sizeof(attr)));
}

TEST(short_attr_is_zero_filled)
{
	union bpf_attr attr = {};

	/* A zero-length attr is all zeroes: no read, so NULL is fine. */
	EXPECT_EQ(EINVAL, bpf_errno(UNKNOWN_CMD, NULL, 0));
	EXPECT_EQ(EINVAL, bpf_errno(UNKNOWN_CMD, &attr, 4));
}

TEST(long_attr_with_zero_tail)
{
	char buf[sizeof(union bpf_attr) + 64] = {};

	/* Zeroes past the known attr are fine: the command decides. */
	EXPECT_EQ(EINVAL, bpf_errno(UNKNOWN_CMD, buf, sizeof(buf)));
}

TEST(long_attr_with_nonzero_tail)
{
	char buf[sizeof(union bpf_attr) + 64] = {};

	buf[sizeof(union bpf_attr) + 63] = 1;
	EXPECT_EQ(E2BIG, bpf_errno(UNKNOWN_CMD, buf, sizeof(buf)));
	EXPECT_EQ(E2BIG, bpf_errno(BPF_MAP_CREATE, buf, sizeof(buf)));
}

TEST(attr_over_a_page)
{
	long page = sysconf(_SC_PAGESIZE);
	char *buf;

	buf = calloc(2, page);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(E2BIG, bpf_errno(UNKNOWN_CMD, buf, page + 1));
	free(buf);
}

TEST(null_attr)
{
	EXPECT_EQ(EFAULT, bpf_errno(UNKNOWN_CMD, NULL, sizeof(union bpf_attr)));
	EXPECT_EQ(EFAULT, bpf_errno(BPF_MAP_CREATE, NULL, 8));
}

TEST(attr_running_into_unmapped_page)
{
	unsigned int size = sizeof(union bpf_attr);
	long page;
	char *p;

	p = map_guarded(_metadata, &page);
	/* Unaligned, and its last 8 bytes lie in the inaccessible page. */
	EXPECT_EQ(EFAULT, bpf_errno(UNKNOWN_CMD, p + page - size + 8 + 1, size));
	/* The known attr readable, the zero tail check runs into the hole. */
	EXPECT_EQ(EFAULT, bpf_errno(UNKNOWN_CMD, p + page - size, size + 8));
	munmap(p, 2 * page);
}

TEST(unaligned_readable_attr)
{
	unsigned int size = sizeof(union bpf_attr);
	long page;
	char *p;

	p = map_guarded(_metadata, &page);
	/* Odd address, entirely readable: copied like any other. */
	EXPECT_EQ(EINVAL, bpf_errno(UNKNOWN_CMD, p + page - size - 1, size));
	munmap(p, 2 * page);
}

#define UNPRIV_KNOB "/proc/sys/kernel/unprivileged_bpf_disabled"

static int read_knob(struct __test_metadata *_metadata)
{
	char buf[16] = {};
	int fd;

	fd = open(UNPRIV_KNOB, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	return atoi(buf);
}

/* Errno of writing TEXT to the knob, or 0. */
static int write_knob(const char *text)
{
	int fd, err = 0;

	fd = open(UNPRIV_KNOB, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	close(fd);
	return err;
}

/*
 * Both kernels say unprivileged bpf(2) is off: stock with its configured
 * default (BPF_UNPRIV_DEFAULT_OFF: 2, an admin may turn it on), kbpf with
 * 1 (off for good: kbpf has no unprivileged mode), which only 1 may
 * overwrite, as upstream's 1.
 */
TEST(unprivileged_bpf_disabled)
{
	const char *flavour = getenv("KBPF_FLAVOUR") ?: "kbpf";

	EXPECT_EQ(strcmp(flavour, "stock") ? 1 : 2, read_knob(_metadata));
	EXPECT_EQ(EINVAL, write_knob("3"));
	if (strcmp(flavour, "stock")) {
		EXPECT_EQ(EPERM, write_knob("0"));
		EXPECT_EQ(EPERM, write_knob("2"));
		EXPECT_EQ(0, write_knob("1"));
	} else {
		EXPECT_EQ(0, write_knob("2"));
	}
	EXPECT_EQ(strcmp(flavour, "stock") ? 1 : 2, read_knob(_metadata));
}

TEST_HARNESS_MAIN
