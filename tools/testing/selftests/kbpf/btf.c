// SPDX-License-Identifier: GPL-2.0
/*
 * BTF through bpf(2): BPF_BTF_LOAD of good and bad blobs (errno and log
 * words, upstream's on both kernels), BTF objects' ids and info, BTF on
 * maps (type sizes and kinds) and on programs (func_info, line_info, the
 * source lines in the verifier log, the records in program info).
 *
 * Blobs are built with libbpf's BTF writer and loaded by raw bpf(2), so
 * that every attr field is the test's.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "../kselftest_harness.h"
#include "bpf_insns.h"

/* The kernel-internal errno upstream returns for other BTF versions. */
#define ERRNO_NOTSUPP	524
#define LOG_SIZE	4096

static char log_buf[LOG_SIZE];

/* BPF_BTF_LOAD of @size bytes at @data with a level-1 log; fd or -errno. */
static int btf_load(const void *data, __u32 size, __u32 log_size)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uintptr_t)data;
	attr.btf_size = size;
	attr.btf_log_buf = (uintptr_t)log_buf;
	attr.btf_log_size = log_size;
	attr.btf_log_level = 1;
	log_buf[0] = 0;
	fd = sys_bpf(BPF_BTF_LOAD, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

/* BPF_OBJ_GET_INFO_BY_FD of @len bytes of any object's info; 0 or -errno. */
static int obj_info(int fd, void *info, __u32 len)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = len;
	attr.info.info = (uintptr_t)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) ? -errno : 0;
}

static int btf_info(int fd, struct bpf_btf_info *info)
{
	return obj_info(fd, info, sizeof(*info));
}

static __u32 btf_id_of(int fd)
{
	struct bpf_btf_info info;

	memset(&info, 0, sizeof(info));
	return btf_info(fd, &info) ? 0 : info.id;
}

/*
 * int [1]; struct pair { int a; int b; } [2]; struct one { int a; } [3];
 * int [2] [4]
 */
static struct btf *pair_btf(void)
{
	struct btf *btf = btf__new_empty();

	if (!btf || btf__add_int(btf, "int", 4, BTF_INT_SIGNED) != 1 ||
	    btf__add_struct(btf, "pair", 8) != 2 ||
	    btf__add_field(btf, "a", 1, 0, 0) || btf__add_field(btf, "b", 1, 32, 0) ||
	    btf__add_struct(btf, "one", 4) != 3 || btf__add_field(btf, "a", 1, 0, 0) ||
	    btf__add_array(btf, 1, 1, 2) != 4)
		return NULL;
	return btf;
}

static int load_btf(struct btf *btf)
{
	__u32 size;
	const void *raw = btf__raw_data(btf, &size);

	return raw ? btf_load(raw, size, LOG_SIZE) : -ENOMEM;
}

TEST(load_and_info)
{
	struct btf *btf = pair_btf();
	struct bpf_btf_info info;
	char name[8], line[64], path[64], got[256];
	const void *raw;
	__u32 size;
	bool seen = false;
	FILE *f;
	int fd;

	ASSERT_NE(NULL, btf);
	raw = btf__raw_data(btf, &size);
	fd = btf_load(raw, size, LOG_SIZE);
	ASSERT_LE(0, fd) TH_LOG("errno %d: %s", -fd, log_buf);

	/* The blob comes back byte for byte, as bpftool reads it. */
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, btf_info(fd, &info));
	EXPECT_EQ(size, info.btf_size);
	EXPECT_NE(0, info.id);
	EXPECT_EQ(0, info.kernel_btf);
	EXPECT_EQ(0, info.name_len);
	ASSERT_GE(sizeof(got), size);
	memset(&info, 0, sizeof(info));
	info.btf = (uintptr_t)got;
	info.btf_size = size;
	info.name = (uintptr_t)name;
	info.name_len = sizeof(name);
	memset(name, 'x', sizeof(name));
	ASSERT_EQ(0, btf_info(fd, &info));
	EXPECT_EQ(0, memcmp(got, raw, size));
	EXPECT_STREQ("", name);

	/* A name buffer without its length, or the other way round. */
	memset(&info, 0, sizeof(info));
	info.name = (uintptr_t)name;
	EXPECT_EQ(-EINVAL, btf_info(fd, &info));

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int id;

		if (sscanf(line, "btf_id: %u", &id) == 1) {
			EXPECT_EQ(btf_id_of(fd), id);
			seen = true;
		}
	}
	fclose(f);
	EXPECT_TRUE(seen);
	close(fd);
	btf__free(btf);
}

/* BPF_BTF_GET_NEXT_ID finds it, GET_FD_BY_ID opens it, closing frees it. */
TEST(ids)
{
	struct btf *btf = pair_btf();
	union bpf_attr attr;
	__u32 id, next = 0;
	bool listed = false;
	int fd, fd2, tries;

	ASSERT_NE(NULL, btf);
	fd = load_btf(btf);
	ASSERT_LE(0, fd) TH_LOG("%s", log_buf);
	id = btf_id_of(fd);
	ASSERT_NE(0, id);
	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.start_id = next;
		if (sys_bpf(BPF_BTF_GET_NEXT_ID, &attr, sizeof(attr))) {
			EXPECT_EQ(ENOENT, errno);
			break;
		}
		next = attr.next_id;
		listed |= next == id;
	}
	EXPECT_TRUE(listed);

	memset(&attr, 0, sizeof(attr));
	attr.btf_id = id;
	fd2 = sys_bpf(BPF_BTF_GET_FD_BY_ID, &attr, sizeof(attr));
	ASSERT_LE(0, fd2);
	EXPECT_EQ(id, btf_id_of(fd2));
	/* Read-only, as upstream's. */
	EXPECT_EQ(O_RDONLY, fcntl(fd2, F_GETFL) & O_ACCMODE);
	/* BTF_GET_FD_BY_ID takes no flags: open_flags is past its fields. */
	attr.open_flags = BPF_F_RDONLY;
	EXPECT_EQ(-1, sys_bpf(BPF_BTF_GET_FD_BY_ID, &attr, sizeof(attr)));
	EXPECT_EQ(EINVAL, errno);
	close(fd2);
	close(fd);

	/* The last reference gone, the id goes (the free is deferred). */
	for (tries = 0; tries < 100; tries++) {
		memset(&attr, 0, sizeof(attr));
		attr.btf_id = id;
		fd = sys_bpf(BPF_BTF_GET_FD_BY_ID, &attr, sizeof(attr));
		if (fd < 0)
			break;
		close(fd);
		usleep(10000);
	}
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(ENOENT, errno);
	btf__free(btf);
}

/* Bent copies of a good blob: the errno and the log words of each. */
TEST(refused)
{
	struct btf *btf = pair_btf();
	struct btf_header *hdr;
	unsigned char *blob;
	union bpf_attr attr;
	const void *raw;
	__u32 size;
	int fd;

	ASSERT_NE(NULL, btf);
	raw = btf__raw_data(btf, &size);
	blob = malloc(size);
	ASSERT_NE(NULL, blob);
	hdr = (struct btf_header *)blob;

	memcpy(blob, raw, size);
	hdr->magic = 0xeb9e;
	EXPECT_EQ(-EINVAL, btf_load(blob, size, LOG_SIZE));
	EXPECT_NE(NULL, strstr(log_buf, "Invalid magic")) TH_LOG("%s", log_buf);

	memcpy(blob, raw, size);
	hdr->version = 2;
	EXPECT_EQ(-ERRNO_NOTSUPP, btf_load(blob, size, LOG_SIZE));
	EXPECT_NE(NULL, strstr(log_buf, "Unsupported version")) TH_LOG("%s", log_buf);

	/* The string section's last byte is its NUL. */
	memcpy(blob, raw, size);
	blob[size - 1] = 'x';
	EXPECT_EQ(-EINVAL, btf_load(blob, size, LOG_SIZE));
	EXPECT_NE(NULL, strstr(log_buf, "Invalid string section"))
		TH_LOG("%s", log_buf);

	/* Member b at bit 32 of a struct of 6 bytes. */
	memcpy(blob, raw, size);
	((struct btf_type *)(blob + hdr->hdr_len + hdr->type_off + 16))->size = 6;
	EXPECT_EQ(-EINVAL, btf_load(blob, size, LOG_SIZE));
	EXPECT_NE(NULL, strstr(log_buf, "Member exceeds struct_size"))
		TH_LOG("%s", log_buf);

	/* More members than the type section holds. */
	memcpy(blob, raw, size);
	((struct btf_type *)(blob + hdr->hdr_len + hdr->type_off + 16))->info += 16;
	EXPECT_EQ(-EINVAL, btf_load(blob, size, LOG_SIZE));
	EXPECT_NE(NULL, strstr(log_buf, "meta_left")) TH_LOG("%s", log_buf);

	/* A log too small for the reason: ENOSPC, as for programs. */
	memcpy(blob, raw, size);
	hdr->magic = 0xeb9e;
	EXPECT_EQ(-ENOSPC, btf_load(blob, size, 4));

	/* Over 16 MiB: refused before it is read. */
	EXPECT_EQ(-E2BIG, btf_load(NULL, 16 * 1024 * 1024 + 1, LOG_SIZE));
	EXPECT_EQ(-EFAULT, btf_load((void *)8, size, LOG_SIZE));

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uintptr_t)raw;
	attr.btf_size = size;
	attr.btf_flags = 1;
	EXPECT_EQ(-1, sys_bpf(BPF_BTF_LOAD, &attr, sizeof(attr)));
	EXPECT_EQ(EINVAL, errno);

	/* Unchanged, it loads. */
	fd = btf_load(raw, size, LOG_SIZE);
	EXPECT_LE(0, fd);
	close(fd);
	free(blob);
	btf__free(btf);
}

/* A type that holds itself: -EEXIST, upstream's errno for it. */
TEST(loop_refused)
{
	struct btf *btf = btf__new_empty();
	__u32 size;
	const void *raw;

	ASSERT_NE(NULL, btf);
	ASSERT_EQ(1, btf__add_struct(btf, "s", 4));
	ASSERT_EQ(0, btf__add_field(btf, "self", 1, 0, 0));
	raw = btf__raw_data(btf, &size);
	EXPECT_EQ(-EEXIST, btf_load(raw, size, LOG_SIZE));
	EXPECT_NE(NULL, strstr(log_buf, "Loop detected")) TH_LOG("%s", log_buf);
	btf__free(btf);
}

static int map_create_flags(__u32 type, __u32 key_size, __u32 value_size,
			    __u32 max_entries, __u32 flags, int btf_fd,
			    __u32 key_id, __u32 value_id)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.map_flags = flags;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.btf_fd = btf_fd;
	attr.btf_key_type_id = key_id;
	attr.btf_value_type_id = value_id;
	fd = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

static int map_create(__u32 type, __u32 key_size, __u32 value_size,
		      __u32 max_entries, int btf_fd, __u32 key_id, __u32 value_id)
{
	return map_create_flags(type, key_size, value_size, max_entries, 0,
				btf_fd, key_id, value_id);
}

/* The first BTF the kernel calls its own, or -1. */
static int kernel_btf_fd(void)
{
	struct bpf_btf_info info;
	union bpf_attr attr;
	__u32 id = 0;
	int fd;

	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.start_id = id;
		if (sys_bpf(BPF_BTF_GET_NEXT_ID, &attr, sizeof(attr)))
			return -1;
		id = attr.next_id;
		memset(&attr, 0, sizeof(attr));
		attr.btf_id = id;
		fd = sys_bpf(BPF_BTF_GET_FD_BY_ID, &attr, sizeof(attr));
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (!btf_info(fd, &info) && info.kernel_btf)
			return fd;
		close(fd);
	}
}

TEST(map_btf)
{
	struct btf *btf = pair_btf();
	struct bpf_map_info info;
	int btf_fd, fd, kfd;

	ASSERT_NE(NULL, btf);
	btf_fd = load_btf(btf);
	ASSERT_LE(0, btf_fd);

	fd = map_create(BPF_MAP_TYPE_HASH, 4, 8, 4, btf_fd, 1, 2);
	ASSERT_LE(0, fd) TH_LOG("errno %d", -fd);
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, obj_info(fd, &info, sizeof(info)));
	EXPECT_EQ(btf_id_of(btf_fd), info.btf_id);
	EXPECT_EQ(1, info.btf_key_type_id);
	EXPECT_EQ(2, info.btf_value_type_id);
	close(fd);

	/* Sizes that are not the types'. */
	EXPECT_EQ(-EINVAL, map_create(BPF_MAP_TYPE_HASH, 4, 16, 4, btf_fd, 1, 2));
	EXPECT_EQ(-EINVAL, map_create(BPF_MAP_TYPE_HASH, 8, 8, 4, btf_fd, 1, 2));
	/* Arrays: keys are 32-bit ints; only a section goes without a key. */
	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, btf_fd, 1, 2);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-EINVAL, map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, btf_fd, 3, 1));
	EXPECT_EQ(-EINVAL, map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, btf_fd, 0, 2));
	/* LPM trie keys are structs (prefix length, then the data). */
	fd = map_create_flags(BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4, BPF_F_NO_PREALLOC,
			      btf_fd, 2, 1);
	EXPECT_LE(0, fd) TH_LOG("errno %d", -fd);
	close(fd);
	EXPECT_EQ(-EINVAL, map_create_flags(BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4,
					    BPF_F_NO_PREALLOC, btf_fd, 4, 1));
	/* Values that are kernel objects; a prog array's are ints to BTF. */
	EXPECT_EQ(-ERRNO_NOTSUPP, map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4,
					     btf_fd, 1, 1));
	fd = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, btf_fd, 1, 1);
	EXPECT_LE(0, fd);
	close(fd);
	/* Not BTF: a map's fd, a closed one. */
	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, 0, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, map_create(BPF_MAP_TYPE_HASH, 4, 8, 4, fd, 1, 2));
	close(fd);
	EXPECT_EQ(-EBADF, map_create(BPF_MAP_TYPE_HASH, 4, 8, 4, 999, 1, 2));

	/* The kernel's BTF describes no map of a program's. */
	kfd = kernel_btf_fd();
	if (kfd >= 0) {
		EXPECT_EQ(-EACCES, map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, kfd, 1, 1));
		close(kfd);
	}
	close(btf_fd);
	btf__free(btf);
}

/*
 * A program of two functions:
 *	0: r1 = 1		int main_fn(void) { return sub_fn(1); }
 *	1: call pc+1
 *	2: exit
 *	3: r0 = r1		int sub_fn(int x) { return x; }
 *	4: exit
 */
static const struct bpf_insn two_funcs[] = {
	MOV_IMM(1, 1), CALL_SUB(1), EXIT(), MOV_REG(0, 1), EXIT(),
};

struct prog_btf {
	struct btf *btf;
	int fd;
	__u32 main_id, sub_id, int_id;
	__u32 file, line_main, line_ret, line_sub;
	struct bpf_func_info funcs[2];
	struct bpf_line_info lines[3];
};

static int prog_btf_init(struct prog_btf *p)
{
	struct btf *btf = btf__new_empty();
	int proto_main, proto_sub;

	memset(p, 0, sizeof(*p));
	if (!btf)
		return -1;
	p->btf = btf;
	p->int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	proto_main = btf__add_func_proto(btf, p->int_id);
	proto_sub = btf__add_func_proto(btf, p->int_id);
	if (proto_sub < 0 || btf__add_func_param(btf, "x", p->int_id))
		return -1;
	p->main_id = btf__add_func(btf, "main_fn", BTF_FUNC_GLOBAL, proto_main);
	p->sub_id = btf__add_func(btf, "sub_fn", BTF_FUNC_STATIC, proto_sub);
	p->file = btf__add_str(btf, "/src/kbpf/two_funcs.c");
	p->line_main = btf__add_str(btf, "\treturn sub_fn(1);");
	p->line_ret = btf__add_str(btf, "}");
	p->line_sub = btf__add_str(btf, "  return x;");
	p->fd = load_btf(btf);
	if (p->fd < 0)
		return -1;
	p->funcs[0] = (struct bpf_func_info){ 0, p->main_id };
	p->funcs[1] = (struct bpf_func_info){ 3, p->sub_id };
	p->lines[0] = (struct bpf_line_info){ 0, p->file, p->line_main, 10 << 10 | 9 };
	p->lines[1] = (struct bpf_line_info){ 2, p->file, p->line_ret, 11 << 10 };
	p->lines[2] = (struct bpf_line_info){ 3, p->file, p->line_sub, 15 << 10 | 2 };
	return 0;
}

static char prog_log[LOG_SIZE];

/* Load two_funcs with @p's records as given; fd or -errno. */
static int load_two_funcs(struct prog_btf *p, union bpf_attr *attr)
{
	int fd;

	attr->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr->insns = (uintptr_t)two_funcs;
	attr->insn_cnt = ARRAY_SIZE(two_funcs);
	attr->license = (uintptr_t)"GPL";
	attr->log_buf = (uintptr_t)prog_log;
	attr->log_size = sizeof(prog_log);
	attr->log_level = 2;
	prog_log[0] = 0;
	fd = sys_bpf(BPF_PROG_LOAD, attr, sizeof(*attr));
	return fd < 0 ? -errno : fd;
}

static void with_records(union bpf_attr *attr, struct prog_btf *p)
{
	memset(attr, 0, sizeof(*attr));
	attr->prog_btf_fd = p->fd;
	attr->func_info = (uintptr_t)p->funcs;
	attr->func_info_cnt = 2;
	attr->func_info_rec_size = sizeof(p->funcs[0]);
	attr->line_info = (uintptr_t)p->lines;
	attr->line_info_cnt = 3;
	attr->line_info_rec_size = sizeof(p->lines[0]);
}

TEST(prog_btf)
{
	struct bpf_func_info funcs[2];
	struct bpf_line_info lines[3];
	struct bpf_prog_info info;
	union bpf_attr attr;
	struct prog_btf p;
	__u32 len = sizeof(info);
	int fd;

	ASSERT_EQ(0, prog_btf_init(&p)) TH_LOG("%s", log_buf);
	with_records(&attr, &p);
	fd = load_two_funcs(&p, &attr);
	ASSERT_LE(0, fd) TH_LOG("errno %d: %s", -fd, prog_log);

	/* The verifier log shows each source line before its instructions. */
	EXPECT_NE(NULL, strstr(prog_log, "; return sub_fn(1); @ two_funcs.c:10\n"))
		TH_LOG("%s", prog_log);
	EXPECT_NE(NULL, strstr(prog_log, "; return x; @ two_funcs.c:15\n"))
		TH_LOG("%s", prog_log);

	memset(&info, 0, sizeof(info));
	info.nr_func_info = 2;
	info.func_info_rec_size = sizeof(funcs[0]);
	info.func_info = (uintptr_t)funcs;
	info.nr_line_info = 3;
	info.line_info_rec_size = sizeof(lines[0]);
	info.line_info = (uintptr_t)lines;
	ASSERT_EQ(0, bpf_obj_get_info_by_fd(fd, &info, &len));
	EXPECT_EQ(btf_id_of(p.fd), info.btf_id);
	EXPECT_EQ(2, info.nr_func_info);
	EXPECT_EQ(3, info.nr_line_info);
	EXPECT_EQ(0, memcmp(funcs, p.funcs, sizeof(funcs)));
	EXPECT_EQ(0, memcmp(lines, p.lines, sizeof(lines)));
	close(fd);

	/* Without records the BTF fd is not even looked at, as upstream. */
	memset(&attr, 0, sizeof(attr));
	attr.prog_btf_fd = 999;
	fd = load_two_funcs(&p, &attr);
	EXPECT_LE(0, fd) TH_LOG("errno %d: %s", -fd, prog_log);
	close(fd);
	close(p.fd);
	btf__free(p.btf);
}

TEST(prog_btf_refused)
{
	struct bpf_func_info funcs[2];
	struct bpf_line_info lines[3];
	union bpf_attr attr;
	struct prog_btf p;
	__u32 wide[2][4];
	int fd;

	ASSERT_EQ(0, prog_btf_init(&p)) TH_LOG("%s", log_buf);

	with_records(&attr, &p);
	attr.func_info_cnt = 1;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "number of funcs in func_info doesn't match"))
		TH_LOG("%s", prog_log);

	memcpy(funcs, p.funcs, sizeof(funcs));
	with_records(&attr, &p);
	attr.func_info = (uintptr_t)funcs;
	funcs[1].insn_off = 2;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "func_info BTF section doesn't match subprog layout"))
		TH_LOG("%s", prog_log);
	funcs[1].insn_off = 3;
	funcs[1].type_id = p.int_id;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "invalid type id")) TH_LOG("%s", prog_log);

	/* In order from the first instruction, as upstream words it. */
	funcs[1].type_id = p.sub_id;
	funcs[0].insn_off = 1;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "nonzero insn_off 1 for the first func info record"))
		TH_LOG("%s", prog_log);
	funcs[0].insn_off = 0;
	funcs[1].insn_off = 0;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "same or smaller insn offset (0)"))
		TH_LOG("%s", prog_log);

	with_records(&attr, &p);
	attr.func_info_rec_size = 7;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "invalid func info rec size 7"))
		TH_LOG("%s", prog_log);

	/* Longer records: zeros past the known ones are fine, else E2BIG. */
	memset(wide, 0, sizeof(wide));
	memcpy(wide[0], &p.funcs[0], sizeof(p.funcs[0]));
	memcpy(wide[1], &p.funcs[1], sizeof(p.funcs[1]));
	with_records(&attr, &p);
	attr.func_info = (uintptr_t)wide;
	attr.func_info_rec_size = sizeof(wide[0]);
	fd = load_two_funcs(&p, &attr);
	EXPECT_LE(0, fd) TH_LOG("%s", prog_log);
	close(fd);
	wide[1][3] = 1;
	EXPECT_EQ(-E2BIG, load_two_funcs(&p, &attr));
	EXPECT_EQ(sizeof(struct bpf_func_info), attr.func_info_rec_size);

	/* Lines: each function starts one, in order, within the program. */
	memcpy(lines, p.lines, sizeof(lines));
	with_records(&attr, &p);
	attr.line_info = (uintptr_t)lines;
	lines[2].insn_off = 4;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "missing bpf_line_info for func#1"))
		TH_LOG("%s", prog_log);
	lines[2].insn_off = 5;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "Invalid line_info[2].insn_off:5"))
		TH_LOG("%s", prog_log);
	lines[2].insn_off = 3;
	lines[1].line_off = 1 << 20;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "Invalid line_info[1].line_off or .file_name_off"))
		TH_LOG("%s", prog_log);

	/* Every function starts a line. */
	with_records(&attr, &p);
	attr.line_info_cnt = 2;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	EXPECT_NE(NULL, strstr(prog_log, "missing bpf_line_info for 1 funcs starting from func#1"))
		TH_LOG("%s", prog_log);

	/* Not BTF behind prog_btf_fd: no file, a map's, the kernel's. */
	with_records(&attr, &p);
	attr.prog_btf_fd = 999;
	EXPECT_EQ(-EBADF, load_two_funcs(&p, &attr));
	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, 0, 0);
	ASSERT_LE(0, fd);
	with_records(&attr, &p);
	attr.prog_btf_fd = fd;
	EXPECT_EQ(-EINVAL, load_two_funcs(&p, &attr));
	close(fd);
	fd = kernel_btf_fd();
	if (fd >= 0) {
		with_records(&attr, &p);
		attr.prog_btf_fd = fd;
		EXPECT_EQ(-EACCES, load_two_funcs(&p, &attr));
		close(fd);
	}
	close(p.fd);
	btf__free(p.btf);
}

/* A line record may not start on the second half of a 16-byte load. */
TEST(line_on_ld_imm64_refused)
{
	static const struct bpf_insn ld_and_exit[] = {
		INSN(BPF_LD | BPF_IMM | BPF_DW, 0, 0, 0, 7), INSN(0, 0, 0, 0, 0),
		EXIT(),
	};
	struct bpf_line_info lines[2];
	union bpf_attr attr;
	struct prog_btf p;
	int fd;

	ASSERT_EQ(0, prog_btf_init(&p)) TH_LOG("%s", log_buf);
	memcpy(lines, p.lines, sizeof(lines));
	lines[1].insn_off = 1;
	memset(&attr, 0, sizeof(attr));
	attr.prog_btf_fd = p.fd;
	attr.line_info = (uintptr_t)lines;
	attr.line_info_cnt = 2;
	attr.line_info_rec_size = sizeof(lines[0]);
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)ld_and_exit;
	attr.insn_cnt = ARRAY_SIZE(ld_and_exit);
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)prog_log;
	attr.log_size = sizeof(prog_log);
	attr.log_level = 1;
	EXPECT_EQ(-1, sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NE(NULL, strstr(prog_log, "Invalid insn code at line_info[1].insn_off"))
		TH_LOG("%s", prog_log);
	/* On the load itself, and the exit, it loads. */
	lines[1].insn_off = 2;
	prog_log[0] = 0;
	fd = sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	EXPECT_LE(0, fd) TH_LOG("errno %d: %s", errno, prog_log);
	close(fd);
	close(p.fd);
	btf__free(p.btf);
}

TEST_HARNESS_MAIN
