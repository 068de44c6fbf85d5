/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libbpf selftests share: libbpf's messages as TAP comments,
 * and their BPF objects found next to the test binary (or in
 * $KBPF_BPF_OBJ_DIR). KBPF_LIBBPF_DEBUG=1 shows libbpf's debug output.
 */
#ifndef KBPF_LIBBPF_UTIL_H
#define KBPF_LIBBPF_UTIL_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

/*
 * libbpf's messages go out as TAP comments, one "# " per line, since a
 * failed load's verifier log comes as one multi-line message.
 */
static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	char *msg, *line, *next;

	if (level == LIBBPF_DEBUG && !getenv("KBPF_LIBBPF_DEBUG"))
		return 0;
	if (vasprintf(&msg, fmt, args) < 0)
		return 0;
	for (line = msg; *line; line = next) {
		next = strchrnul(line, '\n');
		fprintf(stderr, "# %.*s\n", (int)(next - line), line);
		if (*next)
			next++;
	}
	free(msg);
	return 0;
}

/* The path of object @file: in $KBPF_BPF_OBJ_DIR, or next to this binary. */
static int obj_path(char *buf, size_t len, const char *file)
{
	const char *dir = getenv("KBPF_BPF_OBJ_DIR");
	char exe[PATH_MAX];
	char *slash;
	ssize_t n;

	if (!dir) {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n < 0)
			return -1;
		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (!slash)
			return -1;
		*slash = 0;
		dir = exe;
	}
	return snprintf(buf, len, "%s/%s", dir, file) < (int)len ? 0 : -1;
}

/* Object @file, opened, not loaded; NULL (and a comment) on failure. */
static struct bpf_object *open_obj(const char *file)
{
	char path[PATH_MAX];
	struct bpf_object *obj;

	libbpf_set_print(print_libbpf);
	if (obj_path(path, sizeof(path), file))
		return NULL;
	obj = bpf_object__open_file(path, NULL);
	if (!obj)
		fprintf(stderr, "# cannot open %s: %s\n", path, strerror(errno));
	return obj;
}

#endif /* KBPF_LIBBPF_UTIL_H */
