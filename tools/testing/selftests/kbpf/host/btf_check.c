// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-host btf FILE...: kbpf's BTF checker on real BTF, raw blobs such
 * as /sys/kernel/btf/vmlinux. Prints, per file, the types and the time
 * the check took, or the log of a refusal. (An object's .BTF section is
 * not such a blob until libbpf has filled in its sections' sizes.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf.h"
#include "btf_check.h"
#include "log.h"

#define LOG_SIZE	4096

static void *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);

	if (!f || !buf) {
		perror(path);
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	/* Files under /sys have no size until read. */
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *more = realloc(buf, cap *= 2);

			if (!more) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = more;
		}
	}
	fclose(f);
	*size = n;
	return buf;
}

static int check_file(const char *path)
{
	static char text[LOG_SIZE];
	struct kbpf_btf_types b;
	struct timespec t0, t1;
	struct kbpf_log log;
	size_t size, len;
	const void *blob;
	u32 true_size;
	void *data;
	int err;

	data = read_all(path, &size);
	if (!data)
		return 1;
	blob = data;
	len = size;
	text[0] = '\0';
	kbpf_log_init(&log, 1, text, sizeof(text));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = kbpf_btf_check(&b, blob, len, &log);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kbpf_log_finish(&log, &true_size);
	if (err) {
		printf("%s: refused (%d): %s", path, err, text);
	} else {
		printf("%s: %u types, %zu bytes, checked in %.2f ms\n", path,
		       b.nr_types - 1, len,
		       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
		kbpf_btf_types_free(&b);
	}
	free(data);
	return !!err;
}

/**
 * kbpf_host_btf() - check the BTF of each file
 * @paths: the files
 * @nr: how many
 *
 * Return: 0 when every file's BTF was accepted, else 1.
 */
int kbpf_host_btf(char **paths, int nr)
{
	int i, bad = 0;

	for (i = 0; i < nr; i++)
		bad |= check_file(paths[i]);
	return bad;
}
