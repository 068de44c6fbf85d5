// SPDX-License-Identifier: GPL-2.0
/*
 * btf_bench: what BPF_BTF_LOAD costs on the running kernel, for "make
 * bench", which runs it in a kbpf and a stock guest and prints the
 * ratios. One line per figure: "NAME VALUE UNIT".
 *
 *  - load_btf_vmlinux: us per load of the kernel's own BTF, read from
 *    /sys/kernel/btf/vmlinux (a blob of megabytes, 10^5 types);
 *  - load_btf_prog: us per load of a blob the size of a BPF object's
 *    (a hundred types: structs, functions, variables, a section);
 *  - mem_btf_vmlinux, mem_btf_prog: KiB of memory each such loaded BTF
 *    holds (MemAvailable before and after holding many).
 *
 * Not a test: nothing fails but the syscalls themselves.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <sys/syscall.h>

#define VMLINUX_LOADS	20
#define PROG_LOADS	1000

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int btf_load(const void *data, __u32 size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uintptr_t)data;
	attr.btf_size = size;
	return syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
}

static long mem_available_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static void *read_file(const char *path, __u32 *size)
{
	size_t cap = 1 << 20, n = 0, got;
	char *buf = malloc(cap);
	FILE *f = fopen(path, "rb");

	if (!f || !buf)
		return NULL;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			buf = realloc(buf, cap *= 2);
			if (!buf)
				return NULL;
		}
	}
	fclose(f);
	*size = n;
	return buf;
}

/* A blob shaped like a BPF object's: words of types, then strings. */
struct blob {
	__u32 words[4096];
	__u32 nw, nr_types;
	char strs[4096];
	__u32 slen;
};

static __u32 add_str(struct blob *b, const char *s)
{
	__u32 off = b->slen;
	size_t len = strlen(s) + 1;

	memcpy(b->strs + off, s, len);
	b->slen += len;
	return off;
}

static __u32 add_type(struct blob *b, __u32 name, __u32 kind, __u32 vlen,
		      __u32 size_or_type)
{
	b->words[b->nw++] = name;
	b->words[b->nw++] = kind << 24 | vlen;
	b->words[b->nw++] = size_or_type;
	return ++b->nr_types;
}

static void *prog_blob(__u32 *size)
{
	static struct blob b;
	struct btf_header hdr = { .magic = BTF_MAGIC, .version = BTF_VERSION,
				  .hdr_len = sizeof(hdr) };
	__u32 i, j, intt, ptr, proto, var0 = 0;
	char name[32], *out;

	b.slen = 1;
	intt = add_type(&b, add_str(&b, "int"), BTF_KIND_INT, 0, 4);
	b.words[b.nw++] = 1u << 24 | 32;
	ptr = add_type(&b, 0, BTF_KIND_PTR, 0, intt);
	/* 30 structs of 4 members. */
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		add_type(&b, add_str(&b, name), BTF_KIND_STRUCT, 4, 24);
		for (j = 0; j < 4; j++) {
			snprintf(name, sizeof(name), "f%u", j);
			b.words[b.nw++] = add_str(&b, name);
			b.words[b.nw++] = j == 3 ? ptr : intt;
			b.words[b.nw++] = j == 3 ? 128 : j * 32;
		}
	}
	/* 20 functions of one parameter. */
	for (i = 0; i < 20; i++) {
		proto = add_type(&b, 0, BTF_KIND_FUNC_PROTO, 1, intt);
		b.words[b.nw++] = add_str(&b, "ctx");
		b.words[b.nw++] = ptr;
		snprintf(name, sizeof(name), "fn%u", i);
		add_type(&b, add_str(&b, name), BTF_KIND_FUNC, BTF_FUNC_GLOBAL, proto);
	}
	/* 10 variables in a section. */
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "v%u", i);
		j = add_type(&b, add_str(&b, name), BTF_KIND_VAR, 0, intt);
		b.words[b.nw++] = BTF_VAR_GLOBAL_ALLOCATED;
		var0 = var0 ? var0 : j;
	}
	add_type(&b, add_str(&b, ".bss"), BTF_KIND_DATASEC, 10, 40);
	for (i = 0; i < 10; i++) {
		b.words[b.nw++] = var0 + i;
		b.words[b.nw++] = i * 4;
		b.words[b.nw++] = 4;
	}
	hdr.type_len = b.nw * 4;
	hdr.str_off = hdr.type_len;
	hdr.str_len = b.slen;
	*size = sizeof(hdr) + hdr.type_len + hdr.str_len;
	out = malloc(*size);
	if (!out)
		return NULL;
	memcpy(out, &hdr, sizeof(hdr));
	memcpy(out + sizeof(hdr), b.words, hdr.type_len);
	memcpy(out + sizeof(hdr) + hdr.type_len, b.strs, b.slen);
	return out;
}

/* Load @data @n times holding every fd: us per load, KiB per BTF held. */
static void bench(const char *name, const void *data, __u32 size, int n)
{
	int *fds = calloc(n, sizeof(*fds));
	long before, after;
	double t0, t1;
	int i;

	if (!data || !fds) {
		fprintf(stderr, "%s: no blob\n", name);
		return;
	}
	/* One first, so that the kernel's own BTF is in before measuring. */
	close(btf_load(data, size));
	sleep(1);
	before = mem_available_kib();
	t0 = now_us();
	for (i = 0; i < n; i++) {
		fds[i] = btf_load(data, size);
		if (fds[i] < 0) {
			fprintf(stderr, "%s: BPF_BTF_LOAD: %s\n", name, strerror(errno));
			return;
		}
	}
	t1 = now_us();
	after = mem_available_kib();
	printf("load_btf_%s %.1f us\n", name, (t1 - t0) / n);
	printf("mem_btf_%s %.1f KiB\n", name, (double)(before - after) / n);
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
}

int main(void)
{
	__u32 size = 0;
	void *blob;

	blob = read_file("/sys/kernel/btf/vmlinux", &size);
	bench("vmlinux", blob, size, VMLINUX_LOADS);
	free(blob);
	blob = prog_blob(&size);
	bench("prog", blob, size, PROG_LOADS);
	free(blob);
	return 0;
}
