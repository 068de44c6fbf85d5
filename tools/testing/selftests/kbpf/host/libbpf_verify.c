// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf-verify OBJECT.bpf.o...: kbpf's verifier next to the running
 * kernel's, on the programs a real loader makes of an object.
 *
 * A development tool, not a test: it needs root and a kernel with BPF
 * (the host's), which the project's tests never depend on. libbpf opens
 * and loads each object as any loader would; the link wraps the C
 * library's syscall(), through which libbpf calls bpf(2), so that every
 * BPF_PROG_LOAD is first verified by kbpf's core (built for the host, as
 * the host harness is) on the very instructions, with the maps the
 * kernel made for them (a frozen read-only array's value included), and
 * then handed to the kernel with its statistics asked for. For each
 * program it prints kbpf's verdict, instructions processed and time,
 * the last line of kbpf's log, then the kernel's. This is how the
 * figures of the verifier scale programs were taken.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "libbpf_verify.h"

#define MAX_MAPS	64
#define LOG_SIZE	(16 * 1024 * 1024)
/* The kernel's log level of its statistics line alone (BPF_LOG_STATS). */
#define LOG_STATS	4

static char *log_buf;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The log's last non-empty line. */
static const char *last_line(char *log)
{
	size_t n = strlen(log);

	while (n && log[n - 1] == '\n')
		log[--n] = '\0';
	while (n && log[n - 1] != '\n')
		n--;
	return log + n;
}

/* Describe map @fd to kbpf as the kernel made it; 0 or -1. */
static int describe_map(int fd, struct lv_map *m)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int key = 0;
	void *value;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -1;
	*m = (struct lv_map){
		.fd = fd, .type = info.type, .key_size = info.key_size,
		.value_size = info.value_size,
		.max_entries = info.max_entries, .flags = info.map_flags,
	};
	/* libbpf's .rodata: read-only to programs, frozen, one entry. */
	if (info.type == BPF_MAP_TYPE_ARRAY && info.max_entries == 1 &&
	    (info.map_flags & BPF_F_RDONLY_PROG)) {
		value = calloc(1, info.value_size);
		if (value && !bpf_map_lookup_elem(fd, &key, value))
			m->frozen = value;
		else
			free(value);
	}
	return 0;
}

/* The maps the program's LD_IMM64s name, each once. */
static unsigned int program_maps(const union bpf_attr *attr,
				 struct lv_map *maps)
{
	const struct bpf_insn *insn = (const void *)(unsigned long)attr->insns;
	const int *fd_array = (const void *)(unsigned long)attr->fd_array;
	unsigned int i, j, nr = 0;
	int fd;

	for (i = 0; i + 1 < attr->insn_cnt; i++) {
		if (insn[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		switch (insn[i].src_reg) {
		case BPF_PSEUDO_MAP_FD:
		case BPF_PSEUDO_MAP_VALUE:
			fd = insn[i].imm;
			break;
		case BPF_PSEUDO_MAP_IDX:
		case BPF_PSEUDO_MAP_IDX_VALUE:
			fd = fd_array ? fd_array[insn[i].imm] : -1;
			break;
		default:
			fd = -1;
		}
		i++;
		if (fd < 0 || nr == MAX_MAPS)
			continue;
		for (j = 0; j < nr && maps[j].fd != fd; j++)
			;
		if (j == nr && !describe_map(fd, &maps[nr]))
			nr++;
	}
	return nr;
}

/* kbpf's verdict, then the kernel's, on the program @attr (@size bytes) loads. */
static long compare_load(union bpf_attr *attr, long size)
{
	struct lv_map maps[MAX_MAPS];
	struct lv_result res;
	unsigned int nr, i;
	const char *stats;
	double start;
	long fd;

	nr = program_maps(attr, maps);
	log_buf[0] = '\0';
	lv_verify(attr->prog_type, (const void *)(unsigned long)attr->insns,
		  attr->insn_cnt, maps, nr, true, log_buf, LOG_SIZE, &res);
	printf("kbpf %s: %s (%d), processed %u in %.3f s: %s\n",
	       attr->prog_name, res.err ? "refused" : "loaded", res.err,
	       res.processed, res.seconds, last_line(log_buf));
	for (i = 0; i < nr; i++)
		free((void *)maps[i].frozen);

	log_buf[0] = '\0';
	attr->log_buf = (unsigned long)log_buf;
	attr->log_size = LOG_SIZE;
	attr->log_level = LOG_STATS;
	start = now();
	fd = __real_syscall(__NR_bpf, BPF_PROG_LOAD, attr, size);
	stats = strstr(log_buf, "processed ");
	printf("host %s: %s (%d) in %.3f s: %s\n", attr->prog_name,
	       fd < 0 ? "refused" : "loaded", fd < 0 ? -errno : 0,
	       now() - start, stats ? last_line((char *)stats) : "");
	attr->log_buf = 0;
	attr->log_size = 0;
	attr->log_level = 0;
	return fd;
}

/* bpf(2) takes three arguments, the other system calls libbpf makes six. */
long __wrap_syscall(long nr, ...)
{
	long a1, a2, a3, a4, a5, a6;
	union bpf_attr *attr;
	va_list ap;

	va_start(ap, nr);
	a1 = va_arg(ap, long);
	a2 = va_arg(ap, long);
	a3 = va_arg(ap, long);
	a4 = va_arg(ap, long);
	a5 = va_arg(ap, long);
	a6 = va_arg(ap, long);
	va_end(ap);
	attr = (union bpf_attr *)a2;
	/* libbpf's feature probes are small and named "libbpf_..." or not at all. */
	if (nr == __NR_bpf && a1 == BPF_PROG_LOAD && attr->prog_name[0] &&
	    strncmp(attr->prog_name, "libbpf", 6))
		return compare_load(attr, a3);
	return __real_syscall(nr, a1, a2, a3, a4, a5, a6);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	int i, err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: libbpf-verify OBJECT.bpf.o...\n");
		return 2;
	}
	log_buf = malloc(LOG_SIZE);
	if (!log_buf)
		return 1;
	for (i = 1; i < argc; i++) {
		printf("== %s\n", argv[i]);
		obj = bpf_object__open_file(argv[i], NULL);
		if (!obj) {
			fprintf(stderr, "%s: cannot open: %s\n", argv[i],
				strerror(errno));
			err = 1;
			continue;
		}
		if (bpf_object__load(obj))
			err = 1;
		bpf_object__close(obj);
	}
	return err;
}
