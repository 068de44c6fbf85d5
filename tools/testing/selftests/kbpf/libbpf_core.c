// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE: progs/core.bpf.c reads the calling task through struct
 * definitions whose layout is its own, and libbpf relocates the reads
 * against /sys/kernel/btf/vmlinux. What the program read must be what
 * this process knows of itself (pid, tgid, parent, name), the fields and
 * enum values the kernel's BTF has (read here through libbpf's BTF
 * parser), and nothing for what no kernel has.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "../kselftest_harness.h"
#include "getppid_func.h"
#include "libbpf_util.h"
#include "progs/core.h"

#define OBJ_FILE	"core.bpf.o"
#define COMM		"kbpf_core"

/* The value of @name in enum @type of the kernel's BTF, or -1. */
static long long kernel_enum_value(struct btf *vmlinux, const char *type,
				   const char *name)
{
	int id = btf__find_by_name_kind(vmlinux, type, BTF_KIND_ENUM);
	const struct btf_type *t;
	const struct btf_enum *e;
	int i;

	if (id < 0)
		return -1;
	t = btf__type_by_id(vmlinux, id);
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(vmlinux, e->name_off), name))
			return e->val;
	return -1;
}

TEST(core_reads_current_task)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	struct bpf_program *prog;
	struct bpf_link *link;
	struct bpf_object *obj;
	struct core_seen seen;
	struct bpf_map *bss, *cfg;
	__u32 zero = 0, tgid = getpid();
	int i;

	if (!vmlinux)
		SKIP(return, "no kernel BTF (/sys/kernel/btf/vmlinux)");
	ASSERT_EQ(0, prctl(PR_SET_NAME, COMM));
	libbpf_set_print(print_libbpf);
	obj = open_obj(OBJ_FILE);
	ASSERT_NE(NULL, obj);
	cfg = bpf_object__find_map_by_name(obj, ".rodata");
	ASSERT_NE(NULL, cfg);
	ASSERT_EQ(0, bpf_map__set_initial_value(cfg, &tgid, sizeof(tgid)));
	ASSERT_EQ(0, bpf_object__load(obj));
	prog = bpf_object__find_program_by_name(obj, "read_task");
	ASSERT_NE(NULL, prog);
	link = bpf_program__attach_kprobe(prog, false, GETPPID_FUNC);
	ASSERT_NE(NULL, link) TH_LOG("attach: %s", strerror(errno));
	for (i = 0; i < 3; i++)
		syscall(__NR_getppid);
	bpf_link__destroy(link);

	bss = bpf_object__find_map_by_name(obj, ".bss");
	ASSERT_NE(NULL, bss);
	ASSERT_EQ(0, bpf_map_lookup_elem(bpf_map__fd(bss), &zero, &seen));
	EXPECT_EQ(3, seen.hits);
	EXPECT_EQ(syscall(__NR_gettid), seen.pid);
	EXPECT_EQ(getpid(), seen.tgid);
	EXPECT_EQ(getppid(), seen.ppid);
	EXPECT_STREQ(COMM, seen.comm);
	EXPECT_EQ(1, seen.flags_exists);
	EXPECT_EQ(0, seen.missing_exists);
	EXPECT_EQ(CORE_COMM_LEN, seen.comm_size);
	EXPECT_EQ(kernel_enum_value(vmlinux, "pid_type", "PIDTYPE_TGID"),
		  seen.pidtype_tgid);
	EXPECT_EQ(kernel_enum_value(vmlinux, "pid_type", "PIDTYPE_MAX"),
		  seen.pidtype_max);
	EXPECT_NE(30, seen.pidtype_tgid);
	EXPECT_EQ(0, seen.missing_enum_exists);
	bpf_object__close(obj);
	btf__free(vmlinux);
}

TEST_HARNESS_MAIN
