// SPDX-License-Identifier: GPL-2.0
/*
 * The map commands of bpf(2), with no library in between: BPF_MAP_CREATE
 * and its attr rules, the element commands on array, per-CPU array, hash,
 * per-CPU hash, program array, queue and stack maps, BPF_MAP_FREEZE, and
 * the id commands that find maps and programs again.
 *
 * Every case expects what a stock 6.12 kernel gives, errno for errno, so
 * the same binary passes on both flavours and any difference shows. Where
 * a later kernel answers otherwise, the comment there says so.
 */

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#include "../kselftest_harness.h"
#include "possible_cpus.h"

/* The kernel's own "not supported" errno, which bpf(2) lets out. */
#define ERRNO_NOTSUPP	524

/* No map type or flag has these, in 6.12 or since. */
#define UNKNOWN_MAP_TYPE	9999
#define UNKNOWN_MAP_FLAG	0x40000000U
#define UNKNOWN_ELEM_FLAG	0x100000ULL

#define HASH_MAX	64
#define HASH_KEYS	40

/* Per-CPU values of three words: not a multiple of 8, so padded. */
#define PCPU_WORDS	3
#define PCPU_SIZE	(PCPU_WORDS * 4)

static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

/* Errno of a failing call, or 0 (with any fd it made closed). */
static int bpf_errno(int cmd, union bpf_attr *attr)
{
	int ret = sys_bpf(cmd, attr, sizeof(*attr));

	if (ret < 0)
		return errno;
	if (cmd == BPF_MAP_CREATE || cmd == BPF_PROG_LOAD ||
	    cmd == BPF_MAP_GET_FD_BY_ID || cmd == BPF_PROG_GET_FD_BY_ID)
		close(ret);
	return 0;
}

static void create_attr(union bpf_attr *attr, __u32 type, __u32 key_size,
			__u32 value_size, __u32 max_entries)
{
	memset(attr, 0, sizeof(*attr));
	attr->map_type = type;
	attr->key_size = key_size;
	attr->value_size = value_size;
	attr->max_entries = max_entries;
}

static int create_errno(__u32 type, __u32 key_size, __u32 value_size,
			__u32 max_entries, __u32 flags)
{
	union bpf_attr attr;

	create_attr(&attr, type, key_size, value_size, max_entries);
	attr.map_flags = flags;
	return bpf_errno(BPF_MAP_CREATE, &attr);
}

static int map_create(__u32 type, __u32 key_size, __u32 value_size,
		      __u32 max_entries, __u32 flags)
{
	union bpf_attr attr;

	create_attr(&attr, type, key_size, value_size, max_entries);
	attr.map_flags = flags;
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

/*
 * The element commands share one attr layout; a command that stops
 * before value or flags must see them zero.
 */
static int elem_errno(int cmd, int fd, const void *key, void *value,
		      __u64 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)key;
	attr.value = (uintptr_t)value;
	attr.flags = flags;
	return bpf_errno(cmd, &attr);
}

static int lookup(int fd, const void *key, void *value)
{
	return elem_errno(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

static int update(int fd, const void *key, const void *value, __u64 flags)
{
	return elem_errno(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value, flags);
}

static int delete(int fd, const void *key)
{
	return elem_errno(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

static int next_key(int fd, const void *key, void *next)
{
	return elem_errno(BPF_MAP_GET_NEXT_KEY, fd, key, next, 0);
}

static int pop(int fd, const void *key, void *value)
{
	return elem_errno(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
}

static int freeze(int fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	return bpf_errno(BPF_MAP_FREEZE, &attr);
}

static int load_ret0(__u32 type, const char *name)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = (uintptr_t)ret0;
	attr.insn_cnt = 2;
	attr.license = (uintptr_t)"GPL";
	snprintf(attr.prog_name, sizeof(attr.prog_name), "%s", name);
	return sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
}

static int info_errno(int fd, void *info, __u32 *len)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = *len;
	attr.info.info = (uintptr_t)info;
	ret = bpf_errno(BPF_OBJ_GET_INFO_BY_FD, &attr);
	*len = attr.info.info_len;
	return ret;
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return info_errno(fd, &info, &len) ? 0 : info.id;
}

static __u32 prog_id(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return info_errno(fd, &info, &len) ? 0 : info.id;
}

/* Errno of BPF_{MAP,PROG}_GET_NEXT_ID after @start; the id in @next. */
static int next_id(int cmd, __u32 start, __u32 *next)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start;
	ret = bpf_errno(cmd, &attr);
	*next = attr.next_id;
	return ret;
}

/* Walks the ids from the start, as a tool listing them would. */
static int id_listed(int cmd, __u32 id)
{
	__u32 at = 0;

	while (!next_id(cmd, at, &at))
		if (at == id)
			return 1;
	return 0;
}

static int fd_by_id(int cmd, __u32 id, __u32 open_flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	if (cmd == BPF_MAP_GET_FD_BY_ID)
		attr.map_id = id;
	else
		attr.prog_id = id;
	attr.open_flags = open_flags;
	return sys_bpf(cmd, &attr, sizeof(attr));
}

static size_t percpu_stride(__u32 value_size)
{
	return (value_size + 7) & ~7U;
}

/* A value per CPU that no other CPU, element or word shares. */
static __u32 percpu_word(int cpu, __u32 elem, int word)
{
	return 0x10000000U + cpu * 0x10000 + elem * 0x100 + word;
}

static void percpu_fill(char *buf, int ncpus, size_t stride, __u32 elem)
{
	__u32 *w;
	int cpu, i;

	for (cpu = 0; cpu < ncpus; cpu++) {
		w = (__u32 *)(buf + cpu * stride);
		for (i = 0; i < PCPU_WORDS; i++)
			w[i] = percpu_word(cpu, elem, i);
	}
}

/* The CPU whose value differs, or -1 when every CPU's is @elem's. */
static int percpu_mismatch(const char *buf, int ncpus, size_t stride,
			   __u32 elem)
{
	const __u32 *w;
	int cpu, i;

	for (cpu = 0; cpu < ncpus; cpu++) {
		w = (const __u32 *)(buf + cpu * stride);
		for (i = 0; i < PCPU_WORDS; i++)
			if (w[i] != percpu_word(cpu, elem, i))
				return cpu;
	}
	return -1;
}

TEST(create_each_type)
{
	static const struct {
		__u32 type, key_size, value_size;
	} maps[] = {
		{ BPF_MAP_TYPE_ARRAY, 4, 8 },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8 },
		{ BPF_MAP_TYPE_HASH, 8, 8 },
		{ BPF_MAP_TYPE_PERCPU_HASH, 8, 8 },
		{ BPF_MAP_TYPE_PROG_ARRAY, 4, 4 },
		{ BPF_MAP_TYPE_QUEUE, 0, 8 },
		{ BPF_MAP_TYPE_STACK, 0, 8 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		EXPECT_EQ(0, create_errno(maps[i].type, maps[i].key_size,
					  maps[i].value_size, 4, 0))
			TH_LOG("map type %u", maps[i].type);
}

TEST(create_unknown_type)
{
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_UNSPEC, 4, 4, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(UNKNOWN_MAP_TYPE, 4, 4, 4, 0));
}

TEST(create_zero_sizes)
{
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_ARRAY, 4, 0, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_ARRAY, 4, 4, 0, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 0, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 0, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_HASH, 0, 4, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_HASH, 4, 0, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_HASH, 4, 4, 0, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PERCPU_HASH, 0, 4, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PERCPU_HASH, 4, 0, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_QUEUE, 0, 0, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_QUEUE, 0, 4, 0, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_STACK, 0, 0, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_STACK, 0, 4, 0, 0));
}

TEST(create_array_key_size)
{
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_ARRAY, 0, 4, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_ARRAY, 8, 4, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PERCPU_ARRAY, 2, 4, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PROG_ARRAY, 8, 4, 4, 0));
}

TEST(create_queue_stack_key_size)
{
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_QUEUE, 4, 4, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_STACK, 4, 4, 4, 0));
}

TEST(create_prog_array_value_size)
{
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PROG_ARRAY, 4, 2, 4, 0));
}

TEST(create_unknown_flags)
{
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_ARRAY, 4, 4, 4,
				       UNKNOWN_MAP_FLAG));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_HASH, 4, 4, 4,
				       UNKNOWN_MAP_FLAG));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_QUEUE, 0, 4, 4,
				       UNKNOWN_MAP_FLAG));
	/* Known flags, but of another map type. */
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_ARRAY, 4, 4, 4,
				       BPF_F_NO_PREALLOC));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_HASH, 4, 4, 4,
				       BPF_F_MMAPABLE));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 4,
				       BPF_F_MMAPABLE));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_QUEUE, 0, 4, 4,
				       BPF_F_NO_PREALLOC));
	/* Only LRU hashes have a common LRU to opt out of. */
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_HASH, 4, 4, 4,
				       BPF_F_NO_COMMON_LRU));
	EXPECT_EQ(0, create_errno(BPF_MAP_TYPE_HASH, 4, 4, 4,
				  BPF_F_NO_PREALLOC));
}

TEST(create_access_flags)
{
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_ARRAY, 4, 4, 4,
				       BPF_F_RDONLY | BPF_F_WRONLY));
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_HASH, 4, 4, 4,
				       BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG));
	/* Special maps refuse even one of the program side flags. */
	EXPECT_EQ(EINVAL, create_errno(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4,
				       BPF_F_RDONLY_PROG));
	EXPECT_EQ(0, create_errno(BPF_MAP_TYPE_ARRAY, 4, 4, 4, BPF_F_RDONLY));
	EXPECT_EQ(0, create_errno(BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_WRONLY));
	EXPECT_EQ(0, create_errno(BPF_MAP_TYPE_ARRAY, 4, 4, 4,
				  BPF_F_RDONLY_PROG));
}

TEST(create_names)
{
	union bpf_attr attr;

	create_attr(&attr, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	memcpy(attr.map_name, "a-b", sizeof("a-b"));
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	create_attr(&attr, BPF_MAP_TYPE_HASH, 4, 4, 4);
	memcpy(attr.map_name, "a b", sizeof("a b"));
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	/* No room left for the terminating NUL. */
	create_attr(&attr, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	memset(attr.map_name, 'a', sizeof(attr.map_name));
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	create_attr(&attr, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	memcpy(attr.map_name, "Map.name_09", sizeof("Map.name_09"));
	EXPECT_EQ(0, bpf_errno(BPF_MAP_CREATE, &attr));
}

/*
 * Upstream reads btf_fd only when a BTF type id is given, and inner_map_fd
 * only for map-in-map types: elsewhere any value in them is ignored.
 */
TEST(create_ignores_unused_fds)
{
	union bpf_attr attr;

	create_attr(&attr, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	attr.btf_fd = 9999;
	EXPECT_EQ(0, bpf_errno(BPF_MAP_CREATE, &attr));
	create_attr(&attr, BPF_MAP_TYPE_HASH, 4, 4, 4);
	attr.inner_map_fd = 9999;
	EXPECT_EQ(0, bpf_errno(BPF_MAP_CREATE, &attr));
	create_attr(&attr, BPF_MAP_TYPE_QUEUE, 0, 4, 4);
	attr.inner_map_fd = -1;
	attr.btf_fd = -1;
	EXPECT_EQ(0, bpf_errno(BPF_MAP_CREATE, &attr));
}

TEST(create_bad_btf_and_extra)
{
	union bpf_attr attr;

	/* A key type without a value type. */
	create_attr(&attr, BPF_MAP_TYPE_HASH, 4, 4, 4);
	attr.btf_key_type_id = 1;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	/* Only struct_ops maps have a kernel value type. */
	create_attr(&attr, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	attr.btf_vmlinux_value_type_id = 1;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	/* Only bloom filters and arenas have a map_extra. */
	create_attr(&attr, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	attr.map_extra = 1;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	create_attr(&attr, BPF_MAP_TYPE_QUEUE, 0, 4, 4);
	attr.map_extra = 1;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
}

TEST(create_numa_node)
{
	union bpf_attr attr;

	create_attr(&attr, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	attr.map_flags = BPF_F_NUMA_NODE;
	attr.numa_node = 0;
	EXPECT_EQ(0, bpf_errno(BPF_MAP_CREATE, &attr));
	attr.numa_node = 1 << 20;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	/* Without the flag, numa_node means nothing. */
	attr.map_flags = 0;
	EXPECT_EQ(0, bpf_errno(BPF_MAP_CREATE, &attr));
	/* Per-CPU memory is placed per CPU, never on one node. */
	create_attr(&attr, BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 4);
	attr.map_flags = BPF_F_NUMA_NODE;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	create_attr(&attr, BPF_MAP_TYPE_PERCPU_HASH, 4, 4, 4);
	attr.map_flags = BPF_F_NUMA_NODE;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
}

TEST(unused_attr_bytes)
{
	__u32 key = 0, value = 0;
	union bpf_attr attr;
	int fd;

	create_attr(&attr, BPF_MAP_TYPE_ARRAY, 4, 4, 4);
	((char *)&attr)[sizeof(attr) - 1] = 1;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));

	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	/* Delete stops at key: a value there is not its to ignore. */
	EXPECT_EQ(EINVAL, elem_errno(BPF_MAP_DELETE_ELEM, fd, &key, &value, 0));
	/* Lookup stops at flags. */
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&value;
	((char *)&attr)[offsetof(union bpf_attr, flags) + 8] = 1;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_LOOKUP_ELEM, &attr));
	EXPECT_EQ(0, lookup(fd, &key, &value));
	close(fd);
}

TEST(array_update_lookup)
{
	__u64 value;
	__u32 key;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	ASSERT_LE(0, fd);
	for (key = 0; key < 4; key++) {
		value = ~0ULL;
		EXPECT_EQ(0, lookup(fd, &key, &value));
		EXPECT_EQ(0, value);
	}
	key = 1;
	value = 0x1122334455667788ULL;
	EXPECT_EQ(0, update(fd, &key, &value, BPF_ANY));
	key = 3;
	value = 42;
	EXPECT_EQ(0, update(fd, &key, &value, BPF_EXIST));
	key = 1;
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(0x1122334455667788ULL, value);
	key = 3;
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(42, value);
	key = 2;
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(0, value);
	close(fd);
}

/* Every element of an array always exists. */
TEST(array_noexist_is_eexist)
{
	__u32 key = 0, value = 1;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EEXIST, update(fd, &key, &value, BPF_NOEXIST));
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(0, value);
	close(fd);
}

TEST(array_out_of_range)
{
	__u32 key = 4, value = 1;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(E2BIG, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	key = ~0U;
	EXPECT_EQ(E2BIG, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	close(fd);
}

TEST(array_delete_einval)
{
	__u32 key = 0;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, delete(fd, &key));
	key = 9;
	EXPECT_EQ(EINVAL, delete(fd, &key));
	close(fd);
	fd = map_create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	key = 0;
	EXPECT_EQ(EINVAL, delete(fd, &key));
	close(fd);
}

/* Only hashes, queues and stacks take LOOKUP_AND_DELETE. */
TEST(array_lookup_and_delete_enotsupp)
{
	__u32 key = 0, value;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ERRNO_NOTSUPP, pop(fd, &key, &value));
	close(fd);
}

TEST(array_get_next_key)
{
	__u32 key, next;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 5, 0);
	ASSERT_LE(0, fd);
	next = ~0U;
	EXPECT_EQ(0, next_key(fd, NULL, &next));
	EXPECT_EQ(0, next);
	for (key = 0; key < 4; key++) {
		EXPECT_EQ(0, next_key(fd, &key, &next));
		EXPECT_EQ(key + 1, next);
	}
	key = 4;
	EXPECT_EQ(ENOENT, next_key(fd, &key, &next));
	/* Past the end starts again, as a missing key does. */
	key = 100;
	next = ~0U;
	EXPECT_EQ(0, next_key(fd, &key, &next));
	EXPECT_EQ(0, next);
	close(fd);
}

TEST(update_unknown_flags)
{
	__u32 key = 0, value = 0;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_NOEXIST | BPF_EXIST));
	EXPECT_EQ(EINVAL, update(fd, &key, &value, UNKNOWN_ELEM_FLAG));
	/* The map has no spin lock for BPF_F_LOCK to take. */
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_F_LOCK));
	close(fd);
	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_NOEXIST | BPF_EXIST));
	EXPECT_EQ(EINVAL, update(fd, &key, &value, UNKNOWN_ELEM_FLAG));
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_F_LOCK));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	close(fd);
	fd = map_create(BPF_MAP_TYPE_QUEUE, 0, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, update(fd, NULL, &value, UNKNOWN_ELEM_FLAG));
	EXPECT_EQ(ENOENT, lookup(fd, NULL, &value));
	close(fd);
}

TEST(lookup_unknown_flags)
{
	__u32 key = 0, value;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, elem_errno(BPF_MAP_LOOKUP_ELEM, fd, &key, &value,
				     UNKNOWN_ELEM_FLAG));
	EXPECT_EQ(EINVAL, elem_errno(BPF_MAP_LOOKUP_ELEM, fd, &key, &value,
				     BPF_F_LOCK));
	/* Update flags are no lookup flags. */
	EXPECT_EQ(EINVAL, elem_errno(BPF_MAP_LOOKUP_ELEM, fd, &key, &value,
				     BPF_EXIST));
	close(fd);
}

TEST(hash_update_flags)
{
	__u64 key = 7, value = 1;
	int fd;

	fd = map_create(BPF_MAP_TYPE_HASH, 8, 8, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	EXPECT_EQ(ENOENT, update(fd, &key, &value, BPF_EXIST));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	EXPECT_EQ(0, update(fd, &key, &value, BPF_NOEXIST));
	value = 2;
	EXPECT_EQ(EEXIST, update(fd, &key, &value, BPF_NOEXIST));
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(1, value);
	value = 3;
	EXPECT_EQ(0, update(fd, &key, &value, BPF_EXIST));
	value = 0;
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(3, value);
	value = 4;
	EXPECT_EQ(0, update(fd, &key, &value, BPF_ANY));
	value = 0;
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(4, value);
	close(fd);
}

TEST(hash_delete)
{
	__u64 key = 7, value = 1;
	int fd;

	fd = map_create(BPF_MAP_TYPE_HASH, 8, 8, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOENT, delete(fd, &key));
	ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(0, delete(fd, &key));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	EXPECT_EQ(ENOENT, delete(fd, &key));
	EXPECT_EQ(0, update(fd, &key, &value, BPF_NOEXIST));
	close(fd);
}

static void check_hash_full(struct __test_metadata *_metadata, __u32 flags)
{
	__u32 key, value = 5;
	int fd;

	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, flags);
	ASSERT_LE(0, fd);
	for (key = 0; key < 4; key++)
		ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(E2BIG, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(E2BIG, update(fd, &key, &value, BPF_NOEXIST));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	/* Replacing an element needs no room. */
	key = 2;
	value = 6;
	EXPECT_EQ(0, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(0, update(fd, &key, &value, BPF_EXIST));
	EXPECT_EQ(0, delete(fd, &key));
	key = 4;
	EXPECT_EQ(0, update(fd, &key, &value, BPF_NOEXIST));
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(6, value);
	close(fd);
}

TEST(hash_full)
{
	check_hash_full(_metadata, 0);
}

TEST(hash_full_no_prealloc)
{
	check_hash_full(_metadata, BPF_F_NO_PREALLOC);
}

/*
 * An LRU map is never full: adding a key to a full one evicts old ones
 * (how many at once is the kernel's choice). The key just added stays,
 * and so does one that programs keep using; none is beyond max_entries.
 */
static void check_lru(struct __test_metadata *_metadata, __u32 type)
{
	unsigned int count = 0, i;
	/* Room for a per-CPU value of each of 64 CPUs. */
	__u64 value[64] = {};
	__u32 key, next;
	int fd;

	fd = map_create(type, 4, 8, HASH_MAX, 0);
	ASSERT_LE(0, fd);
	for (i = 0; i < HASH_MAX * 3; i++) {
		key = i;
		value[0] = i;
		ASSERT_EQ(0, update(fd, &key, value, BPF_ANY));
		ASSERT_EQ(0, lookup(fd, &key, value));
		EXPECT_EQ(i, value[0]);
	}
	for (key = 0; !next_key(fd, count ? &key : NULL, &next); key = next)
		ASSERT_GE(HASH_MAX, ++count);
	EXPECT_LT(0, count);
	close(fd);
}

TEST(lru_hash)
{
	check_lru(_metadata, BPF_MAP_TYPE_LRU_HASH);
}

TEST(lru_percpu_hash)
{
	check_lru(_metadata, BPF_MAP_TYPE_LRU_PERCPU_HASH);
}

TEST(lru_flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_LRU_HASH;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = HASH_MAX;
	attr.map_flags = BPF_F_NO_PREALLOC;
	/* Upstream's kernel-internal errno: LRU maps are always preallocated. */
	EXPECT_EQ(ERRNO_NOTSUPP, bpf_errno(BPF_MAP_CREATE, &attr));
	attr.map_type = BPF_MAP_TYPE_HASH;
	attr.map_flags = BPF_F_NO_COMMON_LRU;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
}

TEST(hash_iterate)
{
	__u32 key, next, first, value;
	unsigned int seen[HASH_KEYS] = {}, count = 0, i;
	int fd;

	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, HASH_MAX, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOENT, next_key(fd, NULL, &next));
	for (i = 0; i < HASH_KEYS; i++) {
		key = i * 7919 + 3;
		value = i;
		ASSERT_EQ(0, update(fd, &key, &value, BPF_NOEXIST));
	}
	ASSERT_EQ(0, next_key(fd, NULL, &first));
	key = first;
	do {
		i = (key - 3) / 7919;
		ASSERT_EQ(3, key - i * 7919) TH_LOG("stray key %u", key);
		ASSERT_GT(HASH_KEYS, i);
		seen[i]++;
		count++;
		ASSERT_EQ(0, lookup(fd, &key, &value));
		EXPECT_EQ(i, value);
		ASSERT_GE(HASH_KEYS, count);
	} while (!next_key(fd, &key, &key));
	EXPECT_EQ(HASH_KEYS, count);
	for (i = 0; i < HASH_KEYS; i++)
		EXPECT_EQ(1, seen[i]) TH_LOG("key %u", i * 7919 + 3);
	/* The loop ended on the last key, where there is nothing next. */
	EXPECT_EQ(ENOENT, next_key(fd, &key, &next));
	/* A key not in the map restarts the walk. */
	key = 1;
	ASSERT_EQ(ENOENT, lookup(fd, &key, &value));
	next = ~first;
	EXPECT_EQ(0, next_key(fd, &key, &next));
	EXPECT_EQ(first, next);
	close(fd);
}

TEST(hash_lookup_and_delete)
{
	__u64 key = 11, value = 0x55aa;
	int fd;

	fd = map_create(BPF_MAP_TYPE_HASH, 8, 8, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOENT, pop(fd, &key, &value));
	ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	value = 0;
	EXPECT_EQ(0, pop(fd, &key, &value));
	EXPECT_EQ(0x55aa, value);
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	EXPECT_EQ(ENOENT, pop(fd, &key, &value));
	ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	/* No spin lock in the value; and no other flag is known. */
	EXPECT_EQ(EINVAL, elem_errno(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, &key,
				     &value, BPF_F_LOCK));
	EXPECT_EQ(EINVAL, elem_errno(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, &key,
				     &value, BPF_EXIST));
	EXPECT_EQ(0, lookup(fd, &key, &value));
	close(fd);
}

TEST(percpu_array_values)
{
	static const char zero[PCPU_SIZE];
	int ncpus = possible_cpus(), fd, cpu;
	size_t stride = percpu_stride(PCPU_SIZE), size;
	__u32 key;
	char *buf;

	ASSERT_LT(0, ncpus);
	size = ncpus * stride;
	/* One stride more, to see the kernel write no further. */
	buf = malloc(size + stride);
	ASSERT_NE(NULL, buf);
	fd = map_create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, PCPU_SIZE, 3, 0);
	ASSERT_LE(0, fd);
	key = 1;
	memset(buf, 0xa5, size + stride);
	EXPECT_EQ(0, lookup(fd, &key, buf));
	for (cpu = 0; cpu < ncpus; cpu++)
		EXPECT_EQ(0, memcmp(buf + cpu * stride, zero, PCPU_SIZE))
			TH_LOG("cpu %d", cpu);
	EXPECT_EQ((char)0xa5, buf[size]);
	for (key = 0; key < 3; key++) {
		percpu_fill(buf, ncpus, stride, key);
		ASSERT_EQ(0, update(fd, &key, buf, BPF_ANY));
	}
	for (key = 0; key < 3; key++) {
		memset(buf, 0, size);
		ASSERT_EQ(0, lookup(fd, &key, buf));
		EXPECT_EQ(-1, percpu_mismatch(buf, ncpus, stride, key))
			TH_LOG("element %u", key);
	}
	EXPECT_EQ((char)0xa5, buf[size]);
	key = 0;
	EXPECT_EQ(EEXIST, update(fd, &key, buf, BPF_NOEXIST));
	key = 3;
	EXPECT_EQ(E2BIG, update(fd, &key, buf, BPF_ANY));
	EXPECT_EQ(ENOENT, lookup(fd, &key, buf));
	free(buf);
	close(fd);
}

TEST(percpu_hash_values)
{
	int ncpus = possible_cpus(), fd;
	size_t stride = percpu_stride(PCPU_SIZE), size;
	__u32 key;
	char *buf;

	ASSERT_LT(0, ncpus);
	size = ncpus * stride;
	buf = malloc(size + stride);
	ASSERT_NE(NULL, buf);
	fd = map_create(BPF_MAP_TYPE_PERCPU_HASH, 4, PCPU_SIZE, 2, 0);
	ASSERT_LE(0, fd);
	key = 10;
	percpu_fill(buf, ncpus, stride, key);
	EXPECT_EQ(ENOENT, update(fd, &key, buf, BPF_EXIST));
	ASSERT_EQ(0, update(fd, &key, buf, BPF_NOEXIST));
	EXPECT_EQ(EEXIST, update(fd, &key, buf, BPF_NOEXIST));
	key = 20;
	percpu_fill(buf, ncpus, stride, key);
	ASSERT_EQ(0, update(fd, &key, buf, BPF_ANY));
	key = 30;
	EXPECT_EQ(E2BIG, update(fd, &key, buf, BPF_ANY));
	memset(buf, 0xa5, size + stride);
	key = 10;
	ASSERT_EQ(0, lookup(fd, &key, buf));
	EXPECT_EQ(-1, percpu_mismatch(buf, ncpus, stride, 10));
	EXPECT_EQ((char)0xa5, buf[size]);
	/* The popped value is every CPU's too. */
	memset(buf, 0, size);
	key = 20;
	ASSERT_EQ(0, pop(fd, &key, buf));
	EXPECT_EQ(-1, percpu_mismatch(buf, ncpus, stride, 20));
	EXPECT_EQ((char)0xa5, buf[size]);
	EXPECT_EQ(ENOENT, lookup(fd, &key, buf));
	free(buf);
	close(fd);
}

static void check_queue_stack(struct __test_metadata *_metadata, __u32 type)
{
	int lifo = type == BPF_MAP_TYPE_STACK, fd;
	__u32 value, i;

	fd = map_create(type, 0, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOENT, lookup(fd, NULL, &value));
	EXPECT_EQ(ENOENT, pop(fd, NULL, &value));
	for (i = 1; i <= 4; i++)
		ASSERT_EQ(0, update(fd, NULL, &i, BPF_ANY));
	EXPECT_EQ(E2BIG, update(fd, NULL, &i, BPF_ANY));
	/* A peek takes nothing away. */
	EXPECT_EQ(0, lookup(fd, NULL, &value));
	EXPECT_EQ(lifo ? 4 : 1, value);
	EXPECT_EQ(0, lookup(fd, NULL, &value));
	EXPECT_EQ(lifo ? 4 : 1, value);
	for (i = 1; i <= 4; i++) {
		ASSERT_EQ(0, pop(fd, NULL, &value));
		EXPECT_EQ(lifo ? 5 - i : i, value);
	}
	EXPECT_EQ(ENOENT, pop(fd, NULL, &value));
	EXPECT_EQ(ENOENT, lookup(fd, NULL, &value));
	close(fd);
}

TEST(queue_fifo)
{
	check_queue_stack(_metadata, BPF_MAP_TYPE_QUEUE);
}

TEST(stack_lifo)
{
	check_queue_stack(_metadata, BPF_MAP_TYPE_STACK);
}

/* BPF_EXIST on a full queue or stack drops its oldest element. */
static void check_overwrite(struct __test_metadata *_metadata, __u32 type)
{
	int lifo = type == BPF_MAP_TYPE_STACK, fd;
	__u32 value, i;

	fd = map_create(type, 0, 4, 3, 0);
	ASSERT_LE(0, fd);
	for (i = 1; i <= 3; i++)
		ASSERT_EQ(0, update(fd, NULL, &i, BPF_EXIST));
	EXPECT_EQ(E2BIG, update(fd, NULL, &i, BPF_ANY));
	EXPECT_EQ(0, update(fd, NULL, &i, BPF_EXIST));
	i++;
	EXPECT_EQ(0, update(fd, NULL, &i, BPF_EXIST));
	for (i = 0; i < PCPU_WORDS; i++) {
		ASSERT_EQ(0, pop(fd, NULL, &value));
		EXPECT_EQ(lifo ? 5 - i : 3 + i, value);
	}
	EXPECT_EQ(ENOENT, pop(fd, NULL, &value));
	close(fd);
}

TEST(queue_overwrite_when_full)
{
	check_overwrite(_metadata, BPF_MAP_TYPE_QUEUE);
}

TEST(stack_overwrite_when_full)
{
	check_overwrite(_metadata, BPF_MAP_TYPE_STACK);
}

/*
 * A ring buffer has records, not elements: every element command gets
 * the kernel's "not supported" (the bpf(2) fuzzer found a kbpf kernel
 * calling a missing update and crashing instead).
 */
TEST(ringbuf_element_commands)
{
	__u64 value = 0, next;
	int fd = map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, getpagesize(), 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(ERRNO_NOTSUPP, lookup(fd, NULL, &value));
	EXPECT_EQ(ERRNO_NOTSUPP, update(fd, NULL, &value, BPF_ANY));
	EXPECT_EQ(ERRNO_NOTSUPP, delete(fd, NULL));
	EXPECT_EQ(ERRNO_NOTSUPP, next_key(fd, NULL, &next));
	close(fd);
}

TEST(queue_stack_refused_ops)
{
	__u32 types[] = { BPF_MAP_TYPE_QUEUE, BPF_MAP_TYPE_STACK };
	__u32 key = 0, value = 1, i;
	int fd;

	for (i = 0; i < 2; i++) {
		fd = map_create(types[i], 0, 4, 4, 0);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, update(fd, NULL, &value, BPF_ANY));
		EXPECT_EQ(EINVAL, delete(fd, NULL));
		EXPECT_EQ(EINVAL, next_key(fd, NULL, &key));
		EXPECT_EQ(EINVAL, update(fd, NULL, &value, BPF_NOEXIST));
		/* With no key size, a key pointer is an error. */
		EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_ANY));
		EXPECT_EQ(EINVAL, lookup(fd, &key, &value));
		EXPECT_EQ(EINVAL, elem_errno(BPF_MAP_LOOKUP_AND_DELETE_ELEM,
					     fd, NULL, &value, BPF_F_LOCK));
		/* The one element survived all of that. */
		EXPECT_EQ(0, pop(fd, NULL, &value));
		EXPECT_EQ(1, value);
		EXPECT_EQ(ENOENT, pop(fd, NULL, &value));
		close(fd);
	}
}

/* A syscall lookup of a program array gives the program's id. */
TEST(prog_array_holds_programs)
{
	__u32 key = 1, value;
	int fd, prog;

	prog = load_ret0(BPF_PROG_TYPE_SOCKET_FILTER, "tail");
	ASSERT_LE(0, prog);
	fd = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	value = prog;
	ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	value = 0;
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(prog_id(prog), value);
	EXPECT_NE(0, value);
	/* The map holds the program, not the fd. */
	close(prog);
	value = 0;
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_NE(0, value);
	EXPECT_EQ(0, delete(fd, &key));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	EXPECT_EQ(ENOENT, delete(fd, &key));
	key = 4;
	EXPECT_EQ(E2BIG, delete(fd, &key));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	close(fd);
}

TEST(prog_array_takes_only_programs)
{
	__u32 key = 0, value;
	int fd, other, pipefd[2];

	fd = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(pipefd));
	value = pipefd[0];
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_ANY));
	other = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, other);
	value = other;
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_ANY));
	value = -1;
	EXPECT_EQ(EBADF, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	close(other);
	close(pipefd[0]);
	close(pipefd[1]);
	close(fd);
}

TEST(prog_array_update_rules)
{
	__u32 key = 0, value;
	int fd, prog;

	prog = load_ret0(BPF_PROG_TYPE_SOCKET_FILTER, "tail");
	ASSERT_LE(0, prog);
	fd = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	value = prog;
	/* Only BPF_ANY: not even BPF_EXIST is taken. */
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_NOEXIST));
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_EXIST));
	key = 4;
	EXPECT_EQ(E2BIG, update(fd, &key, &value, BPF_ANY));
	key = 0;
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	value = prog;
	EXPECT_EQ(0, update(fd, &key, &value, BPF_ANY));
	/* Replacing a slot's program is an update like any other. */
	EXPECT_EQ(0, update(fd, &key, &value, BPF_ANY));
	close(prog);
	close(fd);
}

/* The first program stored fixes the type every later one must have. */
TEST(prog_array_one_program_type)
{
	int fd, filter, tp;
	__u32 key = 0, value;

	filter = load_ret0(BPF_PROG_TYPE_SOCKET_FILTER, "filter");
	ASSERT_LE(0, filter);
	tp = load_ret0(BPF_PROG_TYPE_TRACEPOINT, "tp");
	ASSERT_LE(0, tp);
	fd = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	value = filter;
	ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	key = 1;
	value = tp;
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_ANY));
	/* Emptying the map does not free the type again. */
	key = 0;
	ASSERT_EQ(0, delete(fd, &key));
	EXPECT_EQ(EINVAL, update(fd, &key, &value, BPF_ANY));
	value = filter;
	EXPECT_EQ(0, update(fd, &key, &value, BPF_ANY));
	close(fd);
	close(tp);
	close(filter);
}

TEST(freeze_array)
{
	__u32 key = 0, value = 3;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(0, freeze(fd));
	value = 4;
	EXPECT_EQ(EPERM, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(3, value);
	EXPECT_EQ(0, next_key(fd, NULL, &key));
	/*
	 * Not EBUSY: a frozen map's fds have lost write access, and that
	 * is checked first.
	 */
	EXPECT_EQ(EPERM, freeze(fd));
	close(fd);
}

TEST(freeze_hash_and_queue)
{
	__u32 key = 1, value = 3;
	int fd;

	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	ASSERT_EQ(0, freeze(fd));
	EXPECT_EQ(EPERM, delete(fd, &key));
	EXPECT_EQ(EPERM, pop(fd, &key, &value));
	EXPECT_EQ(0, lookup(fd, &key, &value));
	close(fd);
	fd = map_create(BPF_MAP_TYPE_QUEUE, 0, 4, 4, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, update(fd, NULL, &value, BPF_ANY));
	ASSERT_EQ(0, freeze(fd));
	EXPECT_EQ(EPERM, update(fd, NULL, &value, BPF_ANY));
	/* A pop writes: frozen, only the peek is left. */
	EXPECT_EQ(EPERM, pop(fd, NULL, &value));
	EXPECT_EQ(0, lookup(fd, NULL, &value));
	EXPECT_EQ(3, value);
	close(fd);
}

TEST(read_only_and_write_only)
{
	__u32 key = 0, value = 1;
	int fd;

	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EPERM, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(EPERM, delete(fd, &key));
	EXPECT_EQ(EPERM, freeze(fd));
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	EXPECT_EQ(ENOENT, next_key(fd, NULL, &key));
	close(fd);
	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(EPERM, lookup(fd, &key, &value));
	EXPECT_EQ(EPERM, next_key(fd, NULL, &key));
	/* A pop reads as well as writes. */
	EXPECT_EQ(EPERM, pop(fd, &key, &value));
	EXPECT_EQ(0, delete(fd, &key));
	close(fd);
}

TEST(bad_map_fds)
{
	__u32 key = 0, value = 0;
	int pipefd[2], prog;

	EXPECT_EQ(EBADF, lookup(-1, &key, &value));
	EXPECT_EQ(EBADF, update(-1, &key, &value, BPF_ANY));
	EXPECT_EQ(EBADF, delete(-1, &key));
	EXPECT_EQ(EBADF, next_key(-1, NULL, &key));
	EXPECT_EQ(EBADF, pop(-1, &key, &value));
	EXPECT_EQ(EBADF, freeze(-1));
	ASSERT_EQ(0, pipe(pipefd));
	EXPECT_EQ(EINVAL, lookup(pipefd[0], &key, &value));
	EXPECT_EQ(EINVAL, update(pipefd[1], &key, &value, BPF_ANY));
	EXPECT_EQ(EINVAL, delete(pipefd[0], &key));
	EXPECT_EQ(EINVAL, next_key(pipefd[0], NULL, &key));
	EXPECT_EQ(EINVAL, freeze(pipefd[1]));
	close(pipefd[0]);
	close(pipefd[1]);
	prog = load_ret0(BPF_PROG_TYPE_SOCKET_FILTER, "notamap");
	ASSERT_LE(0, prog);
	EXPECT_EQ(EINVAL, lookup(prog, &key, &value));
	EXPECT_EQ(EINVAL, update(prog, &key, &value, BPF_ANY));
	close(prog);
}

TEST(faulting_pointers)
{
	void *bad = (void *)8;
	__u32 key = 0, value = 0;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EFAULT, lookup(fd, bad, &value));
	EXPECT_EQ(EFAULT, lookup(fd, &key, bad));
	EXPECT_EQ(EFAULT, update(fd, bad, &value, BPF_ANY));
	EXPECT_EQ(EFAULT, update(fd, &key, bad, BPF_ANY));
	EXPECT_EQ(EFAULT, next_key(fd, bad, &key));
	EXPECT_EQ(EFAULT, next_key(fd, &key, bad));
	EXPECT_EQ(EFAULT, next_key(fd, NULL, bad));
	close(fd);
	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	EXPECT_EQ(EFAULT, delete(fd, bad));
	EXPECT_EQ(EFAULT, pop(fd, bad, &value));
	/* Nothing was taken away on the faults. */
	EXPECT_EQ(0, lookup(fd, &key, &value));
	close(fd);
	fd = map_create(BPF_MAP_TYPE_QUEUE, 0, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EFAULT, update(fd, NULL, bad, BPF_ANY));
	EXPECT_EQ(ENOENT, lookup(fd, NULL, &value));
	close(fd);
}

TEST(map_ids)
{
	__u32 id, next;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	id = map_id(fd);
	ASSERT_NE(0, id);
	EXPECT_TRUE(id_listed(BPF_MAP_GET_NEXT_ID, id));
	EXPECT_EQ(EINVAL, next_id(BPF_MAP_GET_NEXT_ID, INT_MAX, &next));
	close(fd);
}

TEST(map_get_fd_by_id)
{
	struct bpf_map_info info, again;
	union bpf_attr attr;
	__u32 len, last, key = 0, value = 0;
	int fd, byid;

	create_attr(&attr, BPF_MAP_TYPE_HASH, 4, 8, 16);
	attr.map_flags = BPF_F_NO_PREALLOC;
	memcpy(attr.map_name, "by_id", sizeof("by_id"));
	fd = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ASSERT_LE(0, fd);
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	ASSERT_EQ(0, info_errno(fd, &info, &len));
	EXPECT_EQ(sizeof(info), len);
	EXPECT_EQ(BPF_MAP_TYPE_HASH, info.type);
	EXPECT_EQ(4, info.key_size);
	EXPECT_EQ(8, info.value_size);
	EXPECT_EQ(16, info.max_entries);
	EXPECT_EQ(BPF_F_NO_PREALLOC, info.map_flags);
	EXPECT_STREQ("by_id", (char *)info.name);

	byid = fd_by_id(BPF_MAP_GET_FD_BY_ID, info.id, 0);
	ASSERT_LE(0, byid);
	memset(&again, 0, sizeof(again));
	len = sizeof(again);
	ASSERT_EQ(0, info_errno(byid, &again, &len));
	EXPECT_EQ(info.id, again.id);
	EXPECT_EQ(info.type, again.type);
	EXPECT_EQ(info.key_size, again.key_size);
	EXPECT_EQ(info.value_size, again.value_size);
	EXPECT_EQ(info.max_entries, again.max_entries);
	EXPECT_EQ(info.map_flags, again.map_flags);
	EXPECT_EQ(0, memcmp(info.name, again.name, sizeof(info.name)));
	/* The same map: what one fd writes, the other reads. */
	ASSERT_EQ(0, update(byid, &key, &value, BPF_NOEXIST));
	EXPECT_EQ(EEXIST, update(fd, &key, &value, BPF_NOEXIST));
	close(byid);

	byid = fd_by_id(BPF_MAP_GET_FD_BY_ID, info.id, BPF_F_RDONLY);
	ASSERT_LE(0, byid);
	EXPECT_EQ(EPERM, update(byid, &key, &value, BPF_ANY));
	EXPECT_EQ(0, lookup(byid, &key, &value));
	close(byid);
	EXPECT_EQ(-1, fd_by_id(BPF_MAP_GET_FD_BY_ID, info.id,
			       BPF_F_RDONLY | BPF_F_WRONLY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, fd_by_id(BPF_MAP_GET_FD_BY_ID, info.id,
			       BPF_F_NO_PREALLOC));
	EXPECT_EQ(EINVAL, errno);

	/* Ids start at 1; and none follows the last one. */
	EXPECT_EQ(-1, fd_by_id(BPF_MAP_GET_FD_BY_ID, 0, 0));
	EXPECT_EQ(ENOENT, errno);
	last = info.id;
	while (!next_id(BPF_MAP_GET_NEXT_ID, last, &last))
		;
	EXPECT_EQ(-1, fd_by_id(BPF_MAP_GET_FD_BY_ID, last + 1, 0));
	EXPECT_EQ(ENOENT, errno);
	close(fd);
	/* Gone with its last fd. */
	EXPECT_EQ(-1, fd_by_id(BPF_MAP_GET_FD_BY_ID, info.id, 0));
	EXPECT_EQ(ENOENT, errno);
}

TEST(map_info_len)
{
	struct bpf_map_info info;
	char big[512] = {};
	__u32 len;
	int fd;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, fd);
	/* A shorter struct, as an older program knows it. */
	memset(&info, 0xa5, sizeof(info));
	len = offsetof(struct bpf_map_info, key_size);
	EXPECT_EQ(0, info_errno(fd, &info, &len));
	EXPECT_EQ(offsetof(struct bpf_map_info, key_size), len);
	EXPECT_EQ(BPF_MAP_TYPE_ARRAY, info.type);
	EXPECT_NE(0, info.id);
	EXPECT_EQ(0xa5a5a5a5, info.key_size);
	/*
	 * A longer one: what the kernel does not know must be zero, and
	 * info_len comes back as what it filled in. That is 6.12's struct,
	 * this header's; later kernels have grown it.
	 */
	len = sizeof(big);
	EXPECT_EQ(0, info_errno(fd, big, &len));
	EXPECT_LE(sizeof(info), len);
	EXPECT_GT(sizeof(big), len);
	big[sizeof(big) - 1] = 1;
	len = sizeof(big);
	EXPECT_EQ(E2BIG, info_errno(fd, big, &len));
	close(fd);
}

/* A bad fd is EBADFD here, not the EBADF of the other commands. */
TEST(info_bad_fds)
{
	struct bpf_map_info info;
	int pipefd[2];
	__u32 len;

	len = sizeof(info);
	EXPECT_EQ(EBADFD, info_errno(-1, &info, &len));
	ASSERT_EQ(0, pipe(pipefd));
	len = sizeof(info);
	EXPECT_EQ(EINVAL, info_errno(pipefd[0], &info, &len));
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST(prog_ids_and_info)
{
	struct bpf_insn xlated[4];
	struct bpf_prog_info info;
	__u32 len, id, next;
	int prog, byid;

	prog = load_ret0(BPF_PROG_TYPE_SOCKET_FILTER, "ret0_info");
	ASSERT_LE(0, prog);
	id = prog_id(prog);
	ASSERT_NE(0, id);
	EXPECT_TRUE(id_listed(BPF_PROG_GET_NEXT_ID, id));
	EXPECT_EQ(EINVAL, next_id(BPF_PROG_GET_NEXT_ID, INT_MAX, &next));

	byid = fd_by_id(BPF_PROG_GET_FD_BY_ID, id, 0);
	ASSERT_LE(0, byid);
	/* The info struct is read too: its lengths size the user buffers. */
	memset(&info, 0, sizeof(info));
	memset(xlated, 0xa5, sizeof(xlated));
	info.xlated_prog_insns = (uintptr_t)xlated;
	info.xlated_prog_len = sizeof(xlated);
	len = sizeof(info);
	ASSERT_EQ(0, info_errno(byid, &info, &len));
	EXPECT_EQ(BPF_PROG_TYPE_SOCKET_FILTER, info.type);
	EXPECT_EQ(id, info.id);
	EXPECT_STREQ("ret0_info", (char *)info.name);
	EXPECT_EQ(sizeof(ret0), info.xlated_prog_len);
	EXPECT_EQ(0, memcmp(xlated, ret0, sizeof(ret0)));
	EXPECT_EQ(0, info.nr_map_ids);
	EXPECT_EQ(1, (int)info.gpl_compatible);
	close(byid);
	close(prog);
	EXPECT_EQ(-1, fd_by_id(BPF_PROG_GET_FD_BY_ID, 0, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, fd_by_id(BPF_PROG_GET_FD_BY_ID, id, 0));
	EXPECT_EQ(ENOENT, errno);
}

/* One batch command; its errno, with count (in and out) in @count. */
static int batch(int cmd, int fd, void *in, void *out, void *keys,
		 void *values, __u32 *count)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = fd;
	attr.batch.in_batch = (uintptr_t)in;
	attr.batch.out_batch = (uintptr_t)out;
	attr.batch.keys = (uintptr_t)keys;
	attr.batch.values = (uintptr_t)values;
	attr.batch.count = *count;
	ret = sys_bpf(cmd, &attr, sizeof(attr)) ? errno : 0;
	*count = attr.batch.count;
	return ret;
}

/*
 * Walk a hash map of HASH_KEYS keys with @cmd, 8 elements at a time at
 * most, passing each call's token back: every key comes once, with its
 * value, and the walk ends with ENOENT.
 */
static void walk_hash_batches(struct __test_metadata *_metadata, int fd,
			      int cmd)
{
	unsigned int seen[HASH_KEYS] = {}, total = 0, i;
	__u32 keys[8], values[8], token, count;
	bool first = true;
	int err;

	do {
		count = 8;
		err = batch(cmd, fd, first ? NULL : &token, &token, keys,
			    values, &count);
		ASSERT_TRUE(!err || err == ENOENT) TH_LOG("errno %d", err);
		ASSERT_GE(8, count);
		for (i = 0; i < count; i++) {
			ASSERT_GT(HASH_KEYS, keys[i]);
			EXPECT_EQ(keys[i] * 3, values[i]);
			seen[keys[i]]++;
		}
		total += count;
		first = false;
	} while (!err);
	EXPECT_EQ(HASH_KEYS, total);
	for (i = 0; i < HASH_KEYS; i++)
		EXPECT_EQ(1, seen[i]) TH_LOG("key %u", i);
}

static int hash_of_keys(void)
{
	__u32 key, value;
	int fd;

	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, HASH_MAX, 0);
	for (key = 0; fd >= 0 && key < HASH_KEYS; key++) {
		value = key * 3;
		if (update(fd, &key, &value, BPF_NOEXIST))
			return -1;
	}
	return fd;
}

TEST(hash_lookup_batch)
{
	__u32 key, value;
	int fd = hash_of_keys();

	ASSERT_LE(0, fd);
	walk_hash_batches(_metadata, fd, BPF_MAP_LOOKUP_BATCH);
	/* A lookup takes nothing away. */
	key = HASH_KEYS - 1;
	EXPECT_EQ(0, lookup(fd, &key, &value));
	close(fd);
}

TEST(hash_lookup_and_delete_batch)
{
	__u32 next;
	int fd = hash_of_keys();

	ASSERT_LE(0, fd);
	walk_hash_batches(_metadata, fd, BPF_MAP_LOOKUP_AND_DELETE_BATCH);
	EXPECT_EQ(ENOENT, next_key(fd, NULL, &next));
	close(fd);
}

TEST(array_lookup_batch)
{
	__u32 keys[4], values[4], token, count, key, value;
	int fd, i;

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 10, 0);
	ASSERT_LE(0, fd);
	for (key = 0; key < 10; key++) {
		value = 100 + key;
		ASSERT_EQ(0, update(fd, &key, &value, BPF_ANY));
	}
	/* The token is the last key done: 0-3, 4-7, then 8-9 and the end. */
	for (i = 0; i < 3; i++) {
		count = 4;
		ASSERT_EQ(i == 2 ? ENOENT : 0,
			  batch(BPF_MAP_LOOKUP_BATCH, fd, i ? &token : NULL,
				&token, keys, values, &count));
		ASSERT_EQ(i == 2 ? 2 : 4, count);
		EXPECT_EQ(i * 4, keys[0]);
		EXPECT_EQ(100 + i * 4, values[0]);
		if (i < 2)
			EXPECT_EQ(i * 4 + 3, token);
	}
	count = 4;
	EXPECT_EQ(ERRNO_NOTSUPP, batch(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd,
				       NULL, &token, keys, values, &count));
	count = 4;
	EXPECT_EQ(ERRNO_NOTSUPP, batch(BPF_MAP_DELETE_BATCH, fd, NULL, NULL,
				       keys, NULL, &count));
	close(fd);
}

TEST(update_and_delete_batch)
{
	__u32 keys[10], values[10], count, key, value;
	int fd, i;

	fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, HASH_MAX, 0);
	ASSERT_LE(0, fd);
	for (i = 0; i < 10; i++) {
		keys[i] = i + 1000;
		values[i] = i;
	}
	count = 10;
	ASSERT_EQ(0, batch(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, values,
			   &count));
	EXPECT_EQ(10, count);
	key = 1009;
	ASSERT_EQ(0, lookup(fd, &key, &value));
	EXPECT_EQ(9, value);

	/* Stops at the first key that is not there, count says where. */
	keys[3] = 7;
	count = 10;
	EXPECT_EQ(ENOENT, batch(BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys,
				NULL, &count));
	EXPECT_EQ(3, count);
	key = 1002;
	EXPECT_EQ(ENOENT, lookup(fd, &key, &value));
	key = 1004;
	EXPECT_EQ(0, lookup(fd, &key, &value));
	close(fd);
}

TEST(batch_refused)
{
	__u32 keys[4], values[4], count = 4, token;
	union bpf_attr attr;
	int fd;

	fd = map_create(BPF_MAP_TYPE_QUEUE, 0, 4, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ERRNO_NOTSUPP, batch(BPF_MAP_LOOKUP_BATCH, fd, NULL, &token,
				       keys, values, &count));
	close(fd);

	fd = hash_of_keys();
	ASSERT_LE(0, fd);
	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = fd;
	attr.batch.keys = (uintptr_t)keys;
	attr.batch.values = (uintptr_t)values;
	attr.batch.out_batch = (uintptr_t)&token;
	attr.batch.count = 4;
	attr.batch.flags = 1;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_LOOKUP_BATCH, &attr));
	attr.batch.flags = 0;
	attr.batch.elem_flags = BPF_F_LOCK;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_LOOKUP_BATCH, &attr));
	/* Nothing asked, nothing done. */
	attr.batch.elem_flags = 0;
	attr.batch.count = 0;
	EXPECT_EQ(0, bpf_errno(BPF_MAP_LOOKUP_BATCH, &attr));
	close(fd);
}

/* An IPv4 LPM key: prefix length, then the address in network order. */
struct lpm_v4 {
	__u32 prefixlen;
	__u8 addr[4];
};

static struct lpm_v4 v4(__u32 prefixlen, __u8 a, __u8 b, __u8 c, __u8 d)
{
	struct lpm_v4 k = { prefixlen, { a, b, c, d } };

	return k;
}

static int lpm_map(__u32 max_entries)
{
	return map_create(BPF_MAP_TYPE_LPM_TRIE, sizeof(struct lpm_v4), 4,
			  max_entries, BPF_F_NO_PREALLOC);
}

static int lpm_add(int fd, struct lpm_v4 k, __u32 value)
{
	return update(fd, &k, &value, BPF_ANY);
}

/* The value of the longest prefix matching @addr, or 0 for none. */
static __u32 lpm_match(int fd, __u8 a, __u8 b, __u8 c, __u8 d)
{
	struct lpm_v4 k = v4(32, a, b, c, d);
	__u32 value = 0;

	return lookup(fd, &k, &value) ? 0 : value;
}

TEST(lpm_longest_match)
{
	struct lpm_v4 k;
	__u32 value;
	int fd = lpm_map(16);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, lpm_add(fd, v4(8, 10, 0, 0, 0), 8));
	ASSERT_EQ(0, lpm_add(fd, v4(16, 10, 1, 0, 0), 16));
	ASSERT_EQ(0, lpm_add(fd, v4(24, 10, 1, 2, 0), 24));
	ASSERT_EQ(0, lpm_add(fd, v4(24, 10, 1, 3, 0), 243));
	ASSERT_EQ(0, lpm_add(fd, v4(0, 0, 0, 0, 0), 1));

	EXPECT_EQ(24, lpm_match(fd, 10, 1, 2, 77));
	EXPECT_EQ(243, lpm_match(fd, 10, 1, 3, 1));
	EXPECT_EQ(16, lpm_match(fd, 10, 1, 9, 9));
	EXPECT_EQ(8, lpm_match(fd, 10, 200, 0, 1));
	EXPECT_EQ(1, lpm_match(fd, 192, 168, 0, 1));
	/* The key's own prefix length bounds the match. */
	k = v4(20, 10, 1, 2, 0);
	ASSERT_EQ(0, lookup(fd, &k, &value));
	EXPECT_EQ(16, value);

	/* Deleting the /16 leaves the /8 to match its addresses. */
	k = v4(16, 10, 1, 0, 0);
	ASSERT_EQ(0, delete(fd, &k));
	EXPECT_EQ(ENOENT, delete(fd, &k));
	EXPECT_EQ(8, lpm_match(fd, 10, 1, 9, 9));
	EXPECT_EQ(24, lpm_match(fd, 10, 1, 2, 77));
	k = v4(0, 0, 0, 0, 0);
	ASSERT_EQ(0, delete(fd, &k));
	EXPECT_EQ(0, lpm_match(fd, 192, 168, 0, 1));
	close(fd);
}

TEST(lpm_update_rules)
{
	struct lpm_v4 k = v4(24, 10, 1, 2, 0);
	__u32 value = 5;
	int fd = lpm_map(2);

	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOENT, update(fd, &k, &value, BPF_EXIST));
	ASSERT_EQ(0, update(fd, &k, &value, BPF_NOEXIST));
	EXPECT_EQ(EEXIST, update(fd, &k, &value, BPF_NOEXIST));
	value = 6;
	EXPECT_EQ(0, update(fd, &k, &value, BPF_EXIST));
	EXPECT_EQ(6, lpm_match(fd, 10, 1, 2, 3));
	/* Bits past the prefix do not make another key. */
	k.addr[3] = 99;
	EXPECT_EQ(EEXIST, update(fd, &k, &value, BPF_NOEXIST));
	k = v4(16, 10, 1, 0, 0);
	ASSERT_EQ(0, update(fd, &k, &value, BPF_ANY));
	k = v4(8, 10, 0, 0, 0);
	EXPECT_EQ(ENOSPC, update(fd, &k, &value, BPF_ANY));
	k = v4(33, 10, 0, 0, 0);
	EXPECT_EQ(EINVAL, update(fd, &k, &value, BPF_ANY));
	k = v4(8, 10, 0, 0, 0);
	EXPECT_EQ(EINVAL, update(fd, &k, &value, BPF_EXIST + 1));
	close(fd);
}

TEST(lpm_iterate)
{
	static const __u8 nets[][3] = {
		{ 8, 10, 0 }, { 16, 10, 1 }, { 24, 10, 1 }, { 24, 10, 2 },
		{ 12, 172, 16 }, { 32, 172, 16 }, { 1, 128, 0 }, { 0, 0, 0 },
	};
	unsigned int seen[ARRAY_SIZE(nets)] = {}, n = 0, i;
	struct lpm_v4 k, next;
	__u32 value;
	int fd = lpm_map(16);

	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(nets); i++) {
		k = v4(nets[i][0], nets[i][1], nets[i][2], 0, 0);
		value = i;
		ASSERT_EQ(0, update(fd, &k, &value, BPF_NOEXIST));
	}
	ASSERT_EQ(0, next_key(fd, NULL, &next));
	do {
		ASSERT_GT(2 * ARRAY_SIZE(nets), ++n);
		ASSERT_EQ(0, lookup(fd, &next, &value));
		ASSERT_GT(ARRAY_SIZE(nets), value);
		EXPECT_EQ(nets[value][0], next.prefixlen);
		seen[value]++;
		k = next;
	} while (!next_key(fd, &k, &next));
	for (i = 0; i < ARRAY_SIZE(nets); i++)
		EXPECT_EQ(1, seen[i]) TH_LOG("prefix %u", i);
	close(fd);
}

/* Is @addr inside prefix @len of @net? */
static bool in_prefix(const __u8 *net, __u32 len, const __u8 *addr)
{
	__u32 i;

	for (i = 0; i < len; i++)
		if (((net[i / 8] ^ addr[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

/*
 * Random prefixes in, a third of them out again, then random addresses:
 * every lookup must give what a plain search of the prefixes gives, and
 * a walk of the keys must find each prefix left once.
 */
TEST(lpm_against_model)
{
	enum { NR = 200, PROBES = 3000 };
	struct { __u8 addr[4]; __u32 len; bool live; } m[NR];
	unsigned int i, j, live = 0, walked = 0;
	struct lpm_v4 k, next;
	__u32 value, best, want;
	int fd = lpm_map(NR);

	ASSERT_LE(0, fd);
	srand(1234);
	for (i = 0; i < NR; i++) {
		m[i].len = rand() % 33;
		for (j = 0; j < 4; j++)
			m[i].addr[j] = (j * 8 < m[i].len) ? rand() & 0xc3 : 0;
		/* Bits past the length are not part of the prefix. */
		for (j = m[i].len; j < 32; j++)
			m[i].addr[j / 8] &= ~(0x80 >> (j % 8));
		m[i].live = true;
		for (j = 0; j < i; j++)
			if (m[j].live && m[j].len == m[i].len &&
			    !memcmp(m[j].addr, m[i].addr, 4))
				m[i].live = false;
		if (!m[i].live)
			continue;
		k = v4(m[i].len, m[i].addr[0], m[i].addr[1], m[i].addr[2],
		       m[i].addr[3]);
		value = i;
		ASSERT_EQ(0, update(fd, &k, &value, BPF_NOEXIST));
	}
	for (i = 0; i < NR; i += 3) {
		if (!m[i].live)
			continue;
		k = v4(m[i].len, m[i].addr[0], m[i].addr[1], m[i].addr[2],
		       m[i].addr[3]);
		ASSERT_EQ(0, delete(fd, &k));
		m[i].live = false;
	}
	for (i = 0; i < PROBES; i++) {
		__u8 a[4] = { rand() & 0xc3, rand() & 0xc3, rand(), rand() };

		want = 0;
		best = 0;
		for (j = 0; j < NR; j++) {
			if (m[j].live && in_prefix(m[j].addr, m[j].len, a) &&
			    (!want || m[j].len > best)) {
				want = j + 1;
				best = m[j].len;
			}
		}
		k = v4(32, a[0], a[1], a[2], a[3]);
		if (!want) {
			EXPECT_EQ(ENOENT, lookup(fd, &k, &value));
			continue;
		}
		ASSERT_EQ(0, lookup(fd, &k, &value));
		EXPECT_EQ(m[want - 1].len, m[value].len);
	}
	for (i = 0; i < NR; i++)
		live += m[i].live;
	if (!next_key(fd, NULL, &next)) {
		do {
			ASSERT_GE(live, ++walked);
			k = next;
		} while (!next_key(fd, &k, &next));
	}
	EXPECT_EQ(live, walked);
	close(fd);
}

TEST(lpm_create_rules)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_LPM_TRIE;
	attr.key_size = sizeof(struct lpm_v4);
	attr.value_size = 4;
	attr.max_entries = 4;
	/* Never preallocated: the flag is required. */
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	attr.map_flags = BPF_F_NO_PREALLOC;
	attr.key_size = 4;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	attr.key_size = 4 + 257;
	EXPECT_EQ(EINVAL, bpf_errno(BPF_MAP_CREATE, &attr));
	attr.key_size = 4 + 256;
	EXPECT_EQ(0, bpf_errno(BPF_MAP_CREATE, &attr));
}

static int map_of_maps(__u32 type, __u32 key_size, int inner, __u32 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = 4;
	attr.max_entries = 4;
	attr.inner_map_fd = inner;
	attr.map_flags = flags;
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

/* Maps go in by fd and come back as ids; only maps like the template. */
static void check_map_of_maps(struct __test_metadata *_metadata, __u32 type)
{
	__u32 key_size = type == BPF_MAP_TYPE_ARRAY_OF_MAPS ? 4 : 8;
	__u64 key = 1, other_key = 3;
	__u32 value;
	int tmpl, a, b, wrong, outer;

	tmpl = map_create(BPF_MAP_TYPE_HASH, 4, 8, 16, 0);
	a = map_create(BPF_MAP_TYPE_HASH, 4, 8, 16, 0);
	b = map_create(BPF_MAP_TYPE_HASH, 4, 8, 16, 0);
	wrong = map_create(BPF_MAP_TYPE_HASH, 4, 16, 16, 0);
	ASSERT_LE(0, tmpl);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, wrong);
	outer = map_of_maps(type, key_size, tmpl, 0);
	ASSERT_LE(0, outer);
	close(tmpl);

	value = a;
	ASSERT_EQ(0, update(outer, &key, &value, BPF_ANY));
	ASSERT_EQ(0, lookup(outer, &key, &value));
	EXPECT_EQ(map_id(a), value);
	value = b;
	ASSERT_EQ(0, update(outer, &key, &value, BPF_ANY));
	ASSERT_EQ(0, lookup(outer, &key, &value));
	EXPECT_EQ(map_id(b), value);
	EXPECT_EQ(ENOENT, lookup(outer, &other_key, &value));

	/* Not like the template, or no map at all. */
	value = wrong;
	EXPECT_EQ(EINVAL, update(outer, &other_key, &value, BPF_ANY));
	value = -1;
	EXPECT_EQ(EBADF, update(outer, &other_key, &value, BPF_ANY));

	/* The map of maps holds its maps: b outlives its fd. */
	value = map_id(b);
	close(b);
	ASSERT_EQ(0, lookup(outer, &key, &value));
	ASSERT_EQ(0, delete(outer, &key));
	EXPECT_EQ(ENOENT, delete(outer, &key));
	close(a);
	close(wrong);
	close(outer);
}

TEST(array_of_maps)
{
	check_map_of_maps(_metadata, BPF_MAP_TYPE_ARRAY_OF_MAPS);
}

TEST(hash_of_maps)
{
	check_map_of_maps(_metadata, BPF_MAP_TYPE_HASH_OF_MAPS);
}

TEST(map_of_maps_create_rules)
{
	int pipe_fds[2], prog_array, fd;

	ASSERT_EQ(0, pipe(pipe_fds));
	EXPECT_EQ(-1, map_of_maps(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, pipe_fds[0], 0));
	EXPECT_EQ(EINVAL, errno);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	EXPECT_EQ(-1, map_of_maps(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, -1, 0));
	EXPECT_EQ(EBADF, errno);
	/* Prog arrays are not held (upstream's 524), maps of maps neither. */
	prog_array = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	ASSERT_LE(0, prog_array);
	fd = map_create(BPF_MAP_TYPE_HASH, 4, 8, 4, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, map_of_maps(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, prog_array, 0));
	EXPECT_EQ(ERRNO_NOTSUPP, errno) TH_LOG("errno %d", errno);
	close(prog_array);
	prog_array = map_of_maps(BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, fd, 0);
	ASSERT_LE(0, prog_array);
	EXPECT_EQ(-1, map_of_maps(BPF_MAP_TYPE_HASH_OF_MAPS, 4, prog_array, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("errno %d", errno);
	close(prog_array);
	close(fd);
}

TEST_HARNESS_MAIN
