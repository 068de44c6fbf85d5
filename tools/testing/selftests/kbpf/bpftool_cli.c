// SPDX-License-Identifier: GPL-2.0
/*
 * bpftool, the administrator's tool, on the running kernel: map create,
 * update, lookup, dump and delete on a pinned map; prog loadall of the
 * clang-built objects.bpf.o, prog show (jited where the kernel has a
 * JIT), dump xlated (with source lines), run, map dump typed through the
 * object's BTF; pins removed. btf list and dump of the kernel's BTF, and
 * the C header bpftool writes from it compiled.
 * The outputs are checked for what a stock kernel gives, so both flavours
 * pass. Skipped where the guest has no bpftool (the arm64 busybox root).
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"

#define PIN_MAP		"/sys/fs/bpf/kbpf_cli_map"
#define PIN_DIR		"/sys/fs/bpf/kbpf_cli"
#define FRAME		"/tmp/kbpf_cli_frame"

static char out[64 * 1024];

/* Run a shell command; its output (stdout and stderr) into out[]. */
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	size_t n;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool have_bpftool(void)
{
	return !sh("bpftool version");
}

/* The object next to this binary; @buf has PATH_MAX bytes. */
static void object_path(char *buf)
{
	char exe[PATH_MAX - 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(buf, PATH_MAX, "%s/objects.bpf.o", exe);
}

TEST(map_commands)
{
	if (!have_bpftool())
		SKIP(return, "no bpftool here");
	sh("rm -f " PIN_MAP);
	ASSERT_EQ(0, sh("bpftool map create " PIN_MAP
			" type hash key 4 value 8 entries 8 name kbpf_cli"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, sh("bpftool map update pinned " PIN_MAP
			" key 1 0 0 0 value 7 0 0 0 0 0 0 0"));
	ASSERT_EQ(0, sh("bpftool map lookup pinned " PIN_MAP " key 1 0 0 0"));
	EXPECT_NE(NULL, strstr(out, "07 00 00 00 00 00 00 00")) TH_LOG("%s", out);
	ASSERT_EQ(0, sh("bpftool map show pinned " PIN_MAP));
	EXPECT_NE(NULL, strstr(out, "hash  name kbpf_cli")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "max_entries 8")) TH_LOG("%s", out);
	ASSERT_EQ(0, sh("bpftool map dump pinned " PIN_MAP));
	EXPECT_NE(NULL, strstr(out, "Found 1 element")) TH_LOG("%s", out);
	ASSERT_EQ(0, sh("bpftool map delete pinned " PIN_MAP " key 1 0 0 0"));
	EXPECT_NE(0, sh("bpftool map lookup pinned " PIN_MAP " key 1 0 0 0"));
	EXPECT_EQ(0, unlink(PIN_MAP));
	/* Unpinned and unreferenced: gone. */
	ASSERT_EQ(0, sh("bpftool map show"));
	EXPECT_EQ(NULL, strstr(out, "kbpf_cli")) TH_LOG("%s", out);
}

/*
 * bpftool probes the kernel and loads several programs: seconds on the
 * usual guests, more than the harness's default 30 s on the debug
 * flavour's (KASAN and lockdep on one emulated CPU).
 */
FIXTURE(programs) {};
FIXTURE_SETUP(programs) {}
FIXTURE_TEARDOWN(programs) {}

TEST_F_TIMEOUT(programs, prog_commands, 300)
{
	char obj[PATH_MAX];
	FILE *f;
	int i;

	if (!have_bpftool())
		SKIP(return, "no bpftool here");
	object_path(obj);
	sh("rm -rf " PIN_DIR);
	ASSERT_EQ(0, sh("bpftool prog loadall %s " PIN_DIR, obj)) TH_LOG("%s", out);

	ASSERT_EQ(0, sh("bpftool prog show pinned " PIN_DIR "/count_proto"));
	EXPECT_NE(NULL, strstr(out, "socket_filter  name count_proto")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "map_ids")) TH_LOG("%s", out);
	/* Both flavours JIT on x86_64 (kbpf does not on arm64 yet). */
	if (!access("/proc/sys/net/core/bpf_jit_enable", F_OK))
		EXPECT_NE(NULL, strstr(out, "  jited ")) TH_LOG("%s", out);
	ASSERT_EQ(0, sh("bpftool prog dump xlated pinned " PIN_DIR "/count_proto linum"));
	EXPECT_NE(NULL, strstr(out, "exit")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "map[id:")) TH_LOG("%s", out);
	/* The function's prototype and its source lines, from the BTF. */
	EXPECT_NE(NULL, strstr(out, "int count_proto(struct __sk_buff * skb):"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "objects.bpf.c line_num:")) TH_LOG("%s", out);

	/* A frame whose first byte past the Ethernet header is 42. */
	f = fopen(FRAME, "w");
	ASSERT_NE(NULL, f);
	for (i = 0; i < 64; i++)
		fputc(i == 14 ? 42 : 0, f);
	fclose(f);
	ASSERT_EQ(0, sh("bpftool prog run pinned " PIN_DIR
			"/count_proto data_in " FRAME " repeat 3"));
	/* The third run finds the count at 2 and makes it 3. */
	EXPECT_NE(NULL, strstr(out, "Return value: 3")) TH_LOG("%s", out);
	/* Typed values: the map came with the object's BTF. */
	ASSERT_EQ(0, sh("bpftool map dump name counts"));
	EXPECT_TRUE(strstr(out, "\"key\": 42") && strstr(out, "\"value\": 3"))
		TH_LOG("%s", out);
	unlink(FRAME);
	EXPECT_EQ(0, sh("rm -r " PIN_DIR));
}

#define VMLINUX_H	"/tmp/kbpf_vmlinux.h"
#define VMLINUX_USER	"/tmp/kbpf_vmlinux_user.c"
#define TASK_STRUCT	"\"^\\[[0-9]*\\] STRUCT 'task_struct'\""

/*
 * The kernel's BTF: listed, dumped by id (the kernel gives it back through
 * the object's info), and the C header bpftool writes from it (CO-RE
 * programs' vmlinux.h) compiles, where clang is.
 */
TEST(kernel_btf)
{
	char *line, *next;
	int id = -1;
	FILE *f;

	if (!have_bpftool())
		SKIP(return, "no bpftool here");
	ASSERT_EQ(0, sh("bpftool btf list"));
	for (line = out; line && id < 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strstr(line, "name [vmlinux]") && sscanf(line, "%d:", &id) != 1)
			id = -1;
	}
	ASSERT_LT(0, id) TH_LOG("no vmlinux in bpftool btf list");
	ASSERT_EQ(0, sh("bpftool btf dump id %d | grep -c " TASK_STRUCT, id));
	EXPECT_EQ(0, strcmp(out, "1\n")) TH_LOG("%s", out);

	ASSERT_EQ(0, sh("bpftool btf dump file /sys/kernel/btf/vmlinux format c >" VMLINUX_H));
	if (sh("command -v clang")) {
		unlink(VMLINUX_H);
		SKIP(return, "no clang here");
	}
	f = fopen(VMLINUX_USER, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "#include \"%s\"\n", VMLINUX_H);
	fprintf(f, "int f(struct task_struct *t) { return t->tgid; }\n");
	fclose(f);
	EXPECT_EQ(0, sh("clang -target bpf -O2 -c " VMLINUX_USER " -o /dev/null"))
		TH_LOG("%s", out);
	unlink(VMLINUX_USER);
	unlink(VMLINUX_H);
}

TEST_HARNESS_MAIN
