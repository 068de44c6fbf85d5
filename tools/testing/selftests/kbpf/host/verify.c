// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's test files and the commands that run them.
 *
 * A test is a program, the verdict the verifier must give and text its log
 * must hold:
 *
 *	# what the test checks
 *	-- type socket_filter		(optional) the program type
 *	-- map counters hash key=4 value=8 entries=16	(zero or more)
 *	-- level 2			(optional) the log level, 1 by default
 *	-- caps bpf			(optional) the loader has CAP_BPF
 *					only, not CAP_PERFMON: it may not
 *					leak kernel addresses (and loads
 *					socket filters only)
 *	-- asm
 *	mov %r0, %r2
 *	exit
 *	-- expect reject		accept or reject
 *	-- log R2 is not initialized	(zero or more) text the log must hold
 *
 * A section's value is on its header line; only "-- asm" has a body.
 * The program type and the maps are passed to the verifier; "flags=N" on
 * a map line gives its creation flags (BPF_F_*, 0 by default). A
 * "map:NAME" operand must name a map of the file.
 *
 * "kbpf-host verify [-v] FILE" runs one test and prints the verdict, the
 * log and a PASS or FAIL line per check (-v: at log level 2);
 * "kbpf-host verify-suite DIR" runs every DIR/\*.data, prints a line per
 * failing test and ends with "N passed, N failed".
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include <linux/err.h>

#include "asm.h"
#include "datafile.h"
#include "verifier.h"
#include "../verifier_corpus.h"
#include "verify.h"

/* The log buffer each test gets, as a loader's 64 KiB log_buf. */
#define VERIFY_LOG_SIZE		(16 * 1024 * 1024)
/* Lines of the log that verify-suite shows for a failing test. */
#define VERIFY_TAIL_LINES	3

struct name_value {
	const char *name;
	__u32 value;
};

static const struct name_value prog_types[] = {
	{ "socket_filter", BPF_PROG_TYPE_SOCKET_FILTER },
	{ "kprobe", BPF_PROG_TYPE_KPROBE },
	{ "sched_cls", BPF_PROG_TYPE_SCHED_CLS },
	{ "sched_act", BPF_PROG_TYPE_SCHED_ACT },
	{ "tracepoint", BPF_PROG_TYPE_TRACEPOINT },
	{ "xdp", BPF_PROG_TYPE_XDP },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT },
	{ "cgroup_skb", BPF_PROG_TYPE_CGROUP_SKB },
	{ "cgroup_sock", BPF_PROG_TYPE_CGROUP_SOCK },
	{ "lwt_in", BPF_PROG_TYPE_LWT_IN },
	{ "lwt_out", BPF_PROG_TYPE_LWT_OUT },
	{ "lwt_xmit", BPF_PROG_TYPE_LWT_XMIT },
	{ "sock_ops", BPF_PROG_TYPE_SOCK_OPS },
	{ "sk_skb", BPF_PROG_TYPE_SK_SKB },
	{ "cgroup_device", BPF_PROG_TYPE_CGROUP_DEVICE },
	{ "sk_msg", BPF_PROG_TYPE_SK_MSG },
	{ "raw_tracepoint", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "cgroup_sock_addr", BPF_PROG_TYPE_CGROUP_SOCK_ADDR },
	{ "lwt_seg6local", BPF_PROG_TYPE_LWT_SEG6LOCAL },
	{ "lirc_mode2", BPF_PROG_TYPE_LIRC_MODE2 },
	{ "sk_reuseport", BPF_PROG_TYPE_SK_REUSEPORT },
	{ "flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR },
	{ "cgroup_sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL },
	{ "raw_tracepoint_writable", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE },
	{ "cgroup_sockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT },
	{ "tracing", BPF_PROG_TYPE_TRACING },
	{ "struct_ops", BPF_PROG_TYPE_STRUCT_OPS },
	{ "ext", BPF_PROG_TYPE_EXT },
	{ "lsm", BPF_PROG_TYPE_LSM },
	{ "sk_lookup", BPF_PROG_TYPE_SK_LOOKUP },
	{ "syscall", BPF_PROG_TYPE_SYSCALL },
	{ "netfilter", BPF_PROG_TYPE_NETFILTER },
};

/* What a map type allows for its key or value size. */
enum size_rule {
	SIZE_ANY,	/* at least one byte */
	SIZE_NONE,	/* 0: the type has no keys (or values) */
	SIZE_U32,	/* 4: an index, or a file descriptor */
};

/**
 * struct map_type - a map type a test may declare
 * @name: as written in "-- map"
 * @type: the BPF_MAP_TYPE_*
 * @key: enum size_rule for key=
 * @value: enum size_rule for value=
 * @ring: entries= is a buffer size: a power of two, whole pages
 */
struct map_type {
	const char *name;
	__u32 type;
	__u8 key;
	__u8 value;
	bool ring;
};

static const struct map_type map_types[] = {
	{ "hash", BPF_MAP_TYPE_HASH, SIZE_ANY, SIZE_ANY },
	{ "array", BPF_MAP_TYPE_ARRAY, SIZE_U32, SIZE_ANY },
	{ "prog_array", BPF_MAP_TYPE_PROG_ARRAY, SIZE_U32, SIZE_U32 },
	{ "perf_event_array", BPF_MAP_TYPE_PERF_EVENT_ARRAY, SIZE_U32, SIZE_U32 },
	{ "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH, SIZE_ANY, SIZE_ANY },
	{ "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY, SIZE_U32, SIZE_ANY },
	{ "stack_trace", BPF_MAP_TYPE_STACK_TRACE, SIZE_U32, SIZE_ANY },
	{ "cgroup_array", BPF_MAP_TYPE_CGROUP_ARRAY, SIZE_U32, SIZE_U32 },
	{ "lru_hash", BPF_MAP_TYPE_LRU_HASH, SIZE_ANY, SIZE_ANY },
	{ "lru_percpu_hash", BPF_MAP_TYPE_LRU_PERCPU_HASH, SIZE_ANY, SIZE_ANY },
	{ "lpm_trie", BPF_MAP_TYPE_LPM_TRIE, SIZE_ANY, SIZE_ANY },
	{ "array_of_maps", BPF_MAP_TYPE_ARRAY_OF_MAPS, SIZE_U32, SIZE_U32 },
	{ "hash_of_maps", BPF_MAP_TYPE_HASH_OF_MAPS, SIZE_ANY, SIZE_U32 },
	{ "devmap", BPF_MAP_TYPE_DEVMAP, SIZE_U32, SIZE_ANY },
	{ "devmap_hash", BPF_MAP_TYPE_DEVMAP_HASH, SIZE_U32, SIZE_ANY },
	{ "sockmap", BPF_MAP_TYPE_SOCKMAP, SIZE_U32, SIZE_ANY },
	{ "sockhash", BPF_MAP_TYPE_SOCKHASH, SIZE_ANY, SIZE_ANY },
	{ "cpumap", BPF_MAP_TYPE_CPUMAP, SIZE_U32, SIZE_ANY },
	{ "xskmap", BPF_MAP_TYPE_XSKMAP, SIZE_U32, SIZE_U32 },
	{ "queue", BPF_MAP_TYPE_QUEUE, SIZE_NONE, SIZE_ANY },
	{ "stack", BPF_MAP_TYPE_STACK, SIZE_NONE, SIZE_ANY },
	{ "bloom_filter", BPF_MAP_TYPE_BLOOM_FILTER, SIZE_NONE, SIZE_ANY },
	{ "ringbuf", BPF_MAP_TYPE_RINGBUF, SIZE_NONE, SIZE_NONE, true },
	{ "user_ringbuf", BPF_MAP_TYPE_USER_RINGBUF, SIZE_NONE, SIZE_NONE, true },
};

static const struct name_value errno_names[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "E2BIG", E2BIG },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EFAULT", EFAULT },
	{ "EBUSY", EBUSY }, { "EINVAL", EINVAL }, { "ENOSPC", ENOSPC },
	{ "ERANGE", ERANGE }, { "EOPNOTSUPP", EOPNOTSUPP },
};

__printf(3, 4)
static int set_err(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	return -1;
}

/* A u32 in the assembler's decimal or 0x hex, with no sign. */
static bool parse_u32(const char *s, __u32 *val)
{
	__u64 mag;
	bool neg;

	if (*s == '+' || *s == '-' || kbpf_parse_number(s, &neg, &mag) ||
	    mag > 0xffffffffULL)
		return false;
	*val = mag;
	return true;
}

/* Only blank lines and '#' comments, as in a section that has no body. */
static bool body_is_empty(const char *body, unsigned int *line)
{
	const char *p = body;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			return true;
		if (*p != '\n' && *p != '#')
			return false;
		p = strchr(p, '\n');
		if (!p)
			return true;
		p++;
		(*line)++;
	}
}

static int parse_type(struct kbpf_vtest *t,
		      const struct kbpf_data_section *sec,
		      char *err, size_t err_size)
{
	unsigned int i;

	if (sec->argc != 1)
		return set_err(err, err_size,
			       "%s:%u: '-- type' takes one program type",
			       sec->path, sec->header_line);
	for (i = 0; i < ARRAY_SIZE(prog_types); i++) {
		if (!strcmp(sec->argv[0], prog_types[i].name)) {
			t->prog_type_name = prog_types[i].name;
			t->prog_type = prog_types[i].value;
			return 0;
		}
	}
	return set_err(err, err_size, "%s:%u: unknown program type '%s'",
		       sec->path, sec->header_line, sec->argv[0]);
}

static bool size_ok(__u8 rule, __u32 size)
{
	switch (rule) {
	case SIZE_NONE:
		return !size;
	case SIZE_U32:
		return size == 4;
	}
	return size;
}

static const char *size_rule_text(__u8 rule)
{
	switch (rule) {
	case SIZE_NONE:
		return "0";
	case SIZE_U32:
		return "4";
	}
	return "at least 1";
}

/* "inner=NAME": a map of maps holds maps like NAME, declared before it. */
static int parse_inner(const struct kbpf_vtest *t, struct kbpf_vtest_map *map,
		       const struct kbpf_data_section *sec, const char *name,
		       char *err, size_t err_size)
{
	unsigned int i;

	for (i = 0; i < t->nr_maps; i++) {
		if (!strcmp(t->maps[i].name, name)) {
			map->inner = i + 1;
			return 0;
		}
	}
	return set_err(err, err_size, "%s:%u: map %s: inner=%s is no map declared before",
		       sec->path, sec->header_line, map->name, name);
}

/* "frozen=HEX": the value, in bytes, of a frozen read-only 1-entry array. */
static int parse_frozen(struct kbpf_vtest_map *map,
			const struct kbpf_data_section *sec, const char *hex,
			char *err, size_t err_size)
{
	size_t n = strlen(hex) / 2, i;
	unsigned int byte;

	map->frozen = calloc(1, n ? n : 1);
	if (!map->frozen)
		return set_err(err, err_size, "%s: out of memory", sec->path);
	for (i = 0; i < n; i++) {
		if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
			break;
		map->frozen[i] = byte;
	}
	if (i != n || strlen(hex) % 2 || !n)
		return set_err(err, err_size, "%s:%u: map %s: frozen= takes hex bytes",
			       sec->path, sec->header_line, map->name);
	map->frozen_len = n;
	return 0;
}

/*
 * The key=, value= and entries= words of a "-- map" header, the optional
 * flags= (BPF_F_* creation flags, a number) and, for maps of maps,
 * inner=NAME, and frozen=HEX for a frozen array read-only to programs.
 */
static int parse_map_sizes(const struct kbpf_vtest *t,
			   struct kbpf_vtest_map *map,
			   const struct kbpf_data_section *sec,
			   char *err, size_t err_size)
{
	static const char *const keys[] = { "key", "value", "entries", "flags" };
	__u32 *fields[] = { &map->key_size, &map->value_size,
			    &map->max_entries, &map->flags };
	bool seen[ARRAY_SIZE(keys)] = {};
	unsigned int i, k;
	const char *word;
	size_t n;

	for (i = 2; i < sec->argc; i++) {
		word = sec->argv[i];
		if (!strncmp(word, "frozen=", 7)) {
			if (map->frozen)
				return set_err(err, err_size, "%s:%u: map %s: frozen= given twice",
					       sec->path, sec->header_line, map->name);
			if (parse_frozen(map, sec, word + 7, err, err_size))
				return -1;
			continue;
		}
		if (!strncmp(word, "inner=", 6)) {
			if (map->inner)
				return set_err(err, err_size, "%s:%u: map %s: inner= given twice",
					       sec->path, sec->header_line, map->name);
			if (parse_inner(t, map, sec, word + 6, err, err_size))
				return -1;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(keys); k++) {
			n = strlen(keys[k]);
			if (!strncmp(word, keys[k], n) && word[n] == '=')
				break;
		}
		if (k == ARRAY_SIZE(keys))
			return set_err(err, err_size,
				       "%s:%u: map %s: '%s' is not key=, value= or entries=",
				       sec->path, sec->header_line, map->name, word);
		if (seen[k])
			return set_err(err, err_size, "%s:%u: map %s: %s= given twice",
				       sec->path, sec->header_line, map->name,
				       keys[k]);
		if (!parse_u32(word + n + 1, fields[k]))
			return set_err(err, err_size,
				       "%s:%u: map %s: bad number in '%s'",
				       sec->path, sec->header_line, map->name, word);
		seen[k] = true;
	}
	for (k = 0; k < ARRAY_SIZE(keys) - 1; k++)
		if (!seen[k])
			return set_err(err, err_size, "%s:%u: map %s: no %s=",
				       sec->path, sec->header_line, map->name,
				       keys[k]);
	/* Only what the kernel freezes into constants: see map.c. */
	if (map->frozen && (map->type != BPF_MAP_TYPE_ARRAY || map->max_entries != 1 ||
			    !(map->flags & BPF_F_RDONLY_PROG) ||
			    map->frozen_len != map->value_size))
		return set_err(err, err_size,
			       "%s:%u: map %s: frozen= is for arrays of one entry, flags with BPF_F_RDONLY_PROG, value= bytes",
			       sec->path, sec->header_line, map->name);
	return 0;
}

static int check_map(const struct kbpf_vtest_map *map, const struct map_type *mt,
		     const struct kbpf_data_section *sec,
		     char *err, size_t err_size)
{
	__u32 n = map->max_entries;

	if (!size_ok(mt->key, map->key_size))
		return set_err(err, err_size,
			       "%s:%u: map %s: key= of %s maps must be %s",
			       sec->path, sec->header_line, map->name, mt->name,
			       size_rule_text(mt->key));
	if (!size_ok(mt->value, map->value_size))
		return set_err(err, err_size,
			       "%s:%u: map %s: value= of %s maps must be %s",
			       sec->path, sec->header_line, map->name, mt->name,
			       size_rule_text(mt->value));
	if (!n)
		return set_err(err, err_size, "%s:%u: map %s: entries= must not be 0",
			       sec->path, sec->header_line, map->name);
	if (mt->ring && ((n & (n - 1)) || n % 4096))
		return set_err(err, err_size,
			       "%s:%u: map %s: entries= of %s maps is a size: a power of 2, at least 4096",
			       sec->path, sec->header_line, map->name, mt->name);
	return 0;
}

/* The characters the assembler takes in "map:NAME". */
static bool is_map_name(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
			return false;
	return true;
}

/* "-- map NAME TYPE key=K value=V entries=N" */
static int parse_map(struct kbpf_vtest *t, const struct kbpf_data_section *sec,
		     char *err, size_t err_size)
{
	const struct map_type *mt = NULL;
	struct kbpf_vtest_map *map;
	unsigned int i;

	if (sec->argc < 2)
		return set_err(err, err_size,
			       "%s:%u: '-- map' needs NAME TYPE key=K value=V entries=N",
			       sec->path, sec->header_line);
	if (!is_map_name(sec->argv[0]))
		return set_err(err, err_size,
			       "%s:%u: bad map name '%s': letters, digits, '_' and '.' only",
			       sec->path, sec->header_line, sec->argv[0]);
	for (i = 0; i < t->nr_maps; i++)
		if (!strcmp(t->maps[i].name, sec->argv[0]))
			return set_err(err, err_size,
				       "%s:%u: map %s is declared twice",
				       sec->path, sec->header_line, sec->argv[0]);
	for (i = 0; i < ARRAY_SIZE(map_types) && !mt; i++)
		if (!strcmp(sec->argv[1], map_types[i].name))
			mt = &map_types[i];
	if (!mt)
		return set_err(err, err_size, "%s:%u: map %s: unknown map type '%s'",
			       sec->path, sec->header_line, sec->argv[0],
			       sec->argv[1]);

	map = realloc(t->maps, (t->nr_maps + 1) * sizeof(*map));
	if (!map)
		return set_err(err, err_size, "%s: out of memory", sec->path);
	t->maps = map;
	map = &t->maps[t->nr_maps];
	memset(map, 0, sizeof(*map));
	map->name = sec->argv[0];
	map->type_name = mt->name;
	map->type = mt->type;
	if (parse_map_sizes(t, map, sec, err, err_size) ||
	    check_map(map, mt, sec, err, err_size))
		return -1;
	t->nr_maps++;
	return 0;
}

static int parse_level(struct kbpf_vtest *t,
		       const struct kbpf_data_section *sec,
		       char *err, size_t err_size)
{
	if (sec->argc != 1 || !parse_u32(sec->argv[0], &t->level) ||
	    !t->level || (t->level & ~KBPF_LOG_MASK))
		return set_err(err, err_size,
			       "%s:%u: '-- level' takes a log level from 1 to %u",
			       sec->path, sec->header_line, KBPF_LOG_MASK);
	return 0;
}

static int parse_caps(struct kbpf_vtest *t,
		      const struct kbpf_data_section *sec,
		      char *err, size_t err_size)
{
	if (sec->argc != 1 || strcmp(sec->argv[0], "bpf"))
		return set_err(err, err_size,
			       "%s:%u: '-- caps' takes 'bpf' (CAP_BPF alone)",
			       sec->path, sec->header_line);
	t->caps = KBPF_CORPUS_CAPS_BPF;
	return 0;
}

static int parse_asm(struct kbpf_vtest *t, const struct kbpf_data_section *sec,
		     char *err, size_t err_size)
{
	char msg[256];

	if (sec->argc)
		return set_err(err, err_size, "%s:%u: '-- asm' takes no arguments",
			       sec->path, sec->header_line);
	if (kbpf_asm(sec->body, sec->body_line, &t->prog, msg, sizeof(msg)))
		return set_err(err, err_size, "%s: %s", sec->path, msg);
	return 0;
}

static int parse_expect(struct kbpf_vtest *t,
			const struct kbpf_data_section *sec,
			char *err, size_t err_size)
{
	if (sec->argc == 1 && !strcmp(sec->argv[0], "accept"))
		t->expect_accept = true;
	else if (sec->argc != 1 || strcmp(sec->argv[0], "reject"))
		return set_err(err, err_size,
			       "%s:%u: '-- expect' takes accept or reject, not '%s'",
			       sec->path, sec->header_line, sec->args);
	return 0;
}

static int parse_log(struct kbpf_vtest *t, const struct kbpf_data_section *sec,
		     char *err, size_t err_size)
{
	if (!sec->argc)
		return set_err(err, err_size,
			       "%s:%u: '-- log' needs the text the log must hold",
			       sec->path, sec->header_line);
	return 0;
}

/**
 * struct section_kind - a section a verifier test may have
 * @name: its name
 * @once: the test may have at most one
 * @required: the test must have one
 * @parse: reads it into the test
 */
struct section_kind {
	const char *name;
	bool once;
	bool required;
	int (*parse)(struct kbpf_vtest *t, const struct kbpf_data_section *sec,
		     char *err, size_t err_size);
};

static const struct section_kind section_kinds[] = {
	{ "type", true, false, parse_type },
	{ "map", false, false, parse_map },
	{ "level", true, false, parse_level },
	{ "caps", true, false, parse_caps },
	{ "asm", true, true, parse_asm },
	{ "expect", true, true, parse_expect },
	{ "log", false, false, parse_log },
};

static int parse_section(struct kbpf_vtest *t,
			 const struct kbpf_data_section *sec,
			 char *err, size_t err_size)
{
	const struct section_kind *kind = NULL;
	unsigned int i, line = sec->body_line;

	for (i = 0; i < ARRAY_SIZE(section_kinds) && !kind; i++)
		if (!strcmp(sec->name, section_kinds[i].name))
			kind = &section_kinds[i];
	if (!kind)
		return set_err(err, err_size, "%s:%u: unknown section '-- %s'",
			       sec->path, sec->header_line, sec->name);
	if (kind->once && kbpf_data_find(&t->df, kind->name) != sec)
		return set_err(err, err_size, "%s:%u: a second '-- %s' section",
			       sec->path, sec->header_line, kind->name);
	if (kind->parse != parse_asm && !body_is_empty(sec->body, &line))
		return set_err(err, err_size,
			       "%s:%u: text under '-- %s', whose value goes on its header line",
			       sec->path, line, sec->name);
	return kind->parse(t, sec, err, err_size);
}

/* Each "map:NAME" of the program must be a map of the file. */
static int resolve_maps(struct kbpf_vtest *t, char *err, size_t err_size)
{
	const struct kbpf_data_section *sec = kbpf_data_find(&t->df, "asm");
	unsigned int i, j;

	if (!t->prog.nr_maps)
		return 0;
	t->prog_maps = calloc(t->prog.nr_maps, sizeof(*t->prog_maps));
	if (!t->prog_maps)
		return set_err(err, err_size, "%s: out of memory", t->df.path);
	for (i = 0; i < t->prog.nr_maps; i++) {
		for (j = 0; j < t->nr_maps; j++)
			if (!strcmp(t->prog.map_names[i], t->maps[j].name))
				break;
		if (j == t->nr_maps)
			return set_err(err, err_size,
				       "%s:%u: the program uses map:%s, which no '-- map' section declares",
				       t->df.path, sec->header_line,
				       t->prog.map_names[i]);
		t->prog_maps[i] = j;
	}
	return 0;
}

/**
 * kbpf_vtest_load() - read and check a verifier test file
 * @t: receives the test; release with kbpf_vtest_free(), even on failure
 * @path: the file
 * @err: receives "PATH:LINE: reason" (or "PATH: reason") on failure
 * @err_size: size of @err
 *
 * Every section must be one of those the file comment describes, with a
 * valid value; "-- asm" and "-- expect" must be there.
 *
 * Return: 0, or -1 with @err filled in.
 */
int kbpf_vtest_load(struct kbpf_vtest *t, const char *path, char *err,
		    size_t err_size)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	t->level = KBPF_LOG_LEVEL1;
	if (kbpf_data_load(&t->df, path, err, err_size))
		return -1;
	for (i = 0; i < t->df.nr_sections; i++)
		if (parse_section(t, &t->df.sections[i], err, err_size))
			return -1;
	for (i = 0; i < ARRAY_SIZE(section_kinds); i++)
		if (section_kinds[i].required &&
		    !kbpf_data_find(&t->df, section_kinds[i].name))
			return set_err(err, err_size, "%s: no '-- %s' section",
				       path, section_kinds[i].name);
	/* The kernel refuses such a load before verifying: EPERM. */
	if (t->caps == KBPF_CORPUS_CAPS_BPF &&
	    t->prog_type != BPF_PROG_TYPE_SOCKET_FILTER &&
	    t->prog_type != BPF_PROG_TYPE_UNSPEC)
		return set_err(err, err_size,
			       "%s: '-- caps bpf' with a tracing type: loading one takes CAP_PERFMON",
			       path);
	return resolve_maps(t, err, err_size);
}

/**
 * kbpf_vtest_free() - release a test
 * @t: the test; may be one whose load failed, and is left empty
 */
void kbpf_vtest_free(struct kbpf_vtest *t)
{
	unsigned int i;

	kbpf_asm_prog_free(&t->prog);
	kbpf_data_free(&t->df);
	for (i = 0; i < t->nr_maps; i++)
		free(t->maps[i].frozen);
	free(t->maps);
	free(t->prog_maps);
	memset(t, 0, sizeof(*t));
}

/**
 * struct vresult - what the verifier said about a program
 * @ret: its verdict: 0 to accept, or a negative errno (the log's own
 *	error, when it has one, as a loader would return)
 * @log: the log, a string
 * @true_size: the bytes the whole log needs, its NUL included
 * @processed: instructions the verifier went through
 * @ns: nanoseconds kbpf_verify() took
 */
struct vresult {
	int ret;
	char *log;
	__u32 true_size;
	__u32 processed;
	__u64 ns;
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The maps of a test, as the verifier sees them. */
struct vmaps {
	const struct kbpf_vtest *t;
	struct kbpf_map_desc *descs;
};

/* The assembler numbers a program's maps; imm is that number. */
static const struct kbpf_map_desc *find_map(void *owner, __u8 src, __s32 imm)
{
	const struct vmaps *maps = owner;

	if (imm < 0 || (unsigned int)imm >= maps->t->prog.nr_maps)
		return ERR_PTR(-EBADF);
	return &maps->descs[maps->t->prog_maps[imm]];
}

/* Verify @t's program with a log of VERIFY_LOG_SIZE at @level. */
static int run_verifier(const struct kbpf_vtest *t, __u32 level,
			struct vresult *r)
{
	struct vmaps maps = { .t = t };
	struct kbpf_verifier_env *env;
	struct kbpf_log log;
	unsigned int i;
	int ret, log_ret;

	memset(r, 0, sizeof(*r));
	r->log = calloc(1, VERIFY_LOG_SIZE);
	env = calloc(1, sizeof(*env));
	maps.descs = calloc(t->nr_maps + 1, sizeof(*maps.descs));
	if (!r->log || !env || !maps.descs) {
		free(env);
		free(maps.descs);
		return -ENOMEM;
	}
	for (i = 0; i < t->nr_maps; i++) {
		maps.descs[i].type = t->maps[i].type;
		maps.descs[i].key_size = t->maps[i].key_size;
		maps.descs[i].value_size = t->maps[i].value_size;
		maps.descs[i].max_entries = t->maps[i].max_entries;
		maps.descs[i].flags = t->maps[i].flags;
		if (t->maps[i].inner)
			maps.descs[i].inner = &maps.descs[t->maps[i].inner - 1];
		maps.descs[i].frozen = t->maps[i].frozen;
	}
	ret = kbpf_log_init(&log, level, r->log, VERIFY_LOG_SIZE);
	if (ret) {
		free(env);
		free(maps.descs);
		return ret;
	}
	ret = kbpf_verifier_env_init(env, t->prog.insns, t->prog.len, &log);
	if (!ret) {
		env->prog_type = t->prog_type;
		env->allow_ptr_leaks = t->caps != KBPF_CORPUS_CAPS_BPF;
		env->allow_uninit_stack = env->allow_ptr_leaks;
		if (t->prog.nr_maps) {
			env->find_map = find_map;
			env->owner = &maps;
		}
		r->ns = now_ns();
		ret = kbpf_verify(env);
		r->ns = now_ns() - r->ns;
		r->processed = env->insns_processed;
	}
	kbpf_verifier_env_free(env);
	free(env);
	free(maps.descs);
	log_ret = kbpf_log_finish(&log, &r->true_size);
	r->ret = log_ret ?: ret;
	/* A log that could not be written back is still a string. */
	r->log[VERIFY_LOG_SIZE - 1] = '\0';
	return 0;
}

/* "accept", or "reject (ENAME)". */
static const char *verdict(int ret, char *buf, size_t size)
{
	unsigned int i;

	if (!ret)
		return "accept";
	for (i = 0; i < ARRAY_SIZE(errno_names); i++) {
		if (ret == -(int)errno_names[i].value) {
			snprintf(buf, size, "reject (%s)", errno_names[i].name);
			return buf;
		}
	}
	snprintf(buf, size, "reject (%d)", ret);
	return buf;
}

__printf(4, 5)
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	*len += vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
}

/*
 * Compare @r with what @t expects. With @path, print a PASS or FAIL line
 * for each check; always, say in @why what failed ("" if nothing did).
 * Returns the number of failed checks.
 */
static unsigned int check_result(const struct kbpf_vtest *t,
				 const struct vresult *r, const char *path,
				 char *why, size_t why_size)
{
	const struct kbpf_data_section *sec = NULL;
	const char *want = t->expect_accept ? "accept" : "reject";
	unsigned int failed = 0;
	size_t len = 0;
	char buf[32];
	const char *got = verdict(r->ret, buf, sizeof(buf));

	why[0] = '\0';
	if (!r->ret != t->expect_accept) {
		failed++;
		append(why, why_size, &len, "expected %s, got %s", want, got);
		if (path)
			printf("FAIL %s: expected %s, got %s\n", path, want, got);
	} else if (path) {
		printf("PASS %s: expected %s\n", path, want);
	}
	while ((sec = kbpf_data_next(&t->df, sec, "log"))) {
		if (strstr(r->log, sec->args)) {
			if (path)
				printf("PASS %s: log has \"%s\"\n", path, sec->args);
			continue;
		}
		if (path)
			printf("FAIL %s: log lacks \"%s\"\n", path, sec->args);
		if (!failed)
			append(why, why_size, &len, "%s as expected", got);
		append(why, why_size, &len, "; log lacks \"%s\"", sec->args);
		failed++;
	}
	return failed;
}

/* The last VERIFY_TAIL_LINES lines of @log on one line, " | " between. */
static void print_log_tail(const char *log)
{
	const char *end = log + strlen(log), *p;
	unsigned int lines = 1;

	while (end > log && end[-1] == '\n')
		end--;
	if (end == log) {
		printf("(empty)");
		return;
	}
	for (p = end; p > log; p--) {
		if (p[-1] != '\n')
			continue;
		if (lines == VERIFY_TAIL_LINES)
			break;
		lines++;
	}
	if (p > log)
		printf("... | ");
	for (; p < end; p++) {
		if (*p == '\n')
			printf(" | ");
		else
			putchar(*p);
	}
}

/**
 * kbpf_host_verify() - "kbpf-host verify [-v] FILE": run one test
 * @path: the test file
 * @verbose: log at level 2 instead of the test's level
 *
 * Prints the program type and maps the test declares, the verdict, the
 * log, and a PASS or FAIL line for the verdict and for each "-- log".
 *
 * Return: 0 when the test passed, 1 otherwise (the exit status).
 */
int kbpf_host_verify(const char *path, bool verbose)
{
	struct kbpf_vtest t;
	struct vresult r = {};
	unsigned int i, failed = 1;
	char err[512], got[32];
	size_t n;
	int ret;

	if (kbpf_vtest_load(&t, path, err, sizeof(err))) {
		printf("FAIL %s\n", err);
		goto out;
	}
	if (t.prog_type_name)
		printf("type %s\n", t.prog_type_name);
	for (i = 0; i < t.nr_maps; i++)
		printf("map %s %s key=%u value=%u entries=%u\n", t.maps[i].name,
		       t.maps[i].type_name, t.maps[i].key_size,
		       t.maps[i].value_size, t.maps[i].max_entries);
	ret = run_verifier(&t, verbose ? KBPF_LOG_LEVEL2 : t.level, &r);
	if (ret) {
		printf("FAIL %s: the verifier could not be run (%s)\n", path,
		       strerror(-ret));
		goto out;
	}
	printf("%s\n", verdict(r.ret, got, sizeof(got)));
	n = strlen(r.log);
	fputs(r.log, stdout);
	if (n && r.log[n - 1] != '\n')
		putchar('\n');
	if (r.true_size > VERIFY_LOG_SIZE)
		printf("(the log needed %u bytes; the buffer has %u)\n",
		       r.true_size, VERIFY_LOG_SIZE);
	failed = check_result(&t, &r, path, err, sizeof(err));
out:
	free(r.log);
	kbpf_vtest_free(&t);
	return !!failed;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* The *.data names in @dir, sorted; NULL (with a message) on failure. */
static char **list_tests(const char *dir, unsigned int *nr)
{
	unsigned int cap = 0, i;
	char **names = NULL, **p;
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t n;

	*nr = 0;
	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d))) {
		n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".data"))
			continue;
		if (*nr == cap) {
			cap = cap ? cap * 2 : 64;
			p = realloc(names, cap * sizeof(*names));
			if (!p)
				goto oom;
			names = p;
		}
		names[*nr] = strdup(de->d_name);
		if (!names[*nr])
			goto oom;
		(*nr)++;
	}
	closedir(d);
	if (!names)
		names = calloc(1, sizeof(*names));
	if (names)
		qsort(names, *nr, sizeof(*names), by_name);
	return names;
oom:
	fprintf(stderr, "%s: out of memory\n", dir);
	closedir(d);
	for (i = 0; i < *nr; i++)
		free(names[i]);
	free(names);
	return NULL;
}

/**
 * struct suite_stats - what the verifier did over a suite
 * @accepted: programs it accepted
 * @rejected: programs it rejected
 * @processed: instructions it went through, over all programs
 * @ns: nanoseconds it took, over all programs
 */
struct suite_stats {
	unsigned int accepted;
	unsigned int rejected;
	__u64 processed;
	__u64 ns;
};

/* Run one test quietly; print a FAIL line if it fails. */
static bool suite_test(const char *path, struct suite_stats *stats)
{
	struct kbpf_vtest t;
	struct vresult r = {};
	char err[1024];
	bool pass = false;
	int ret;

	if (kbpf_vtest_load(&t, path, err, sizeof(err))) {
		printf("FAIL %s\n", err);
		goto out;
	}
	ret = run_verifier(&t, t.level, &r);
	if (ret) {
		printf("FAIL %s: the verifier could not be run (%s)\n", path,
		       strerror(-ret));
		goto out;
	}
	if (r.ret)
		stats->rejected++;
	else
		stats->accepted++;
	stats->processed += r.processed;
	stats->ns += r.ns;
	if (!check_result(&t, &r, NULL, err, sizeof(err))) {
		pass = true;
		goto out;
	}
	printf("FAIL %s: %s; log: ", path, err);
	print_log_tail(r.log);
	putchar('\n');
out:
	free(r.log);
	kbpf_vtest_free(&t);
	return pass;
}

/**
 * kbpf_host_verify_suite() - "kbpf-host verify-suite DIR": run every test
 * @dir: the directory; each DIR/\*.data is a test, run in name order
 *
 * Prints a line for each failing test (the file, what was expected, what
 * happened and the end of the log), what the verifier did (programs
 * accepted and rejected, instructions processed, time taken), then
 * "N passed, N failed".
 *
 * Return: 0 when every test passed, 1 when one failed or there were none
 * (the exit status).
 */
int kbpf_host_verify_suite(const char *dir)
{
	unsigned int nr, i, passed = 0, failed = 0;
	char **names = list_tests(dir, &nr);
	struct suite_stats stats = {};
	char *path;

	if (!names)
		return 1;
	for (i = 0; i < nr; i++) {
		path = malloc(strlen(dir) + strlen(names[i]) + 2);
		if (path) {
			sprintf(path, "%s/%s", dir, names[i]);
			if (suite_test(path, &stats))
				passed++;
			else
				failed++;
		} else {
			printf("FAIL %s/%s: out of memory\n", dir, names[i]);
			failed++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	if (!nr)
		fprintf(stderr, "%s: no *.data files\n", dir);
	printf("corpus: %u accepted, %u rejected, %llu insns processed, %.1f ms\n",
	       stats.accepted, stats.rejected,
	       (unsigned long long)stats.processed, stats.ns / 1e6);
	printf("%u passed, %u failed\n", passed, failed);
	return failed || !nr;
}

static int put_u32(FILE *f, __u32 v)
{
	return fwrite(&v, sizeof(v), 1, f) == 1 ? 0 : -1;
}

/* A map's five numbers, as verifier_corpus.h lists them. */
static int put_map(FILE *f, const struct kbpf_vtest_map *m)
{
	return put_u32(f, m->type) | put_u32(f, m->key_size) |
	       put_u32(f, m->value_size) | put_u32(f, m->max_entries) |
	       put_u32(f, m->flags);
}

/* One test as verifier_corpus.h lays it out. */
static int export_test(FILE *f, const char *name, const struct kbpf_vtest *t,
		       const struct vresult *r)
{
	static const struct kbpf_vtest_map no_map;
	__u32 log_len = strlen(r->log);
	const struct kbpf_vtest_map *m;
	unsigned int i;
	int err = 0;

	err |= put_u32(f, strlen(name));
	err |= fwrite(name, 1, strlen(name), f) != strlen(name);
	err |= put_u32(f, t->prog_type);
	err |= put_u32(f, t->level);
	err |= put_u32(f, t->caps);
	err |= put_u32(f, t->prog.nr_maps);
	err |= put_u32(f, t->prog.len);
	err |= put_u32(f, (__u32)r->ret);
	err |= put_u32(f, log_len);
	for (i = 0; i < t->prog.nr_maps; i++) {
		m = &t->maps[t->prog_maps[i]];
		err |= put_map(f, m);
		err |= put_map(f, m->inner ? &t->maps[m->inner - 1] : &no_map);
		err |= put_u32(f, m->frozen_len);
		if (m->frozen_len)
			err |= fwrite(m->frozen, 1, m->frozen_len, f) != m->frozen_len;
	}
	if (t->prog.len)
		err |= fwrite(t->prog.insns, sizeof(*t->prog.insns),
			      t->prog.len, f) != t->prog.len;
	err |= fwrite(r->log, 1, log_len, f) != log_len;
	return err ? -1 : 0;
}

/**
 * kbpf_host_export_corpus() - "kbpf-host export-corpus DIR OUT"
 * @dir: the verifier tests, DIR/\*.data
 * @out: the file to write, in the layout of verifier_corpus.h
 *
 * Each test goes out with the verdict and the log the host's build of the
 * verifier gives it, so a guest can check that its kernel's verifier, the
 * same code, gives the same, on a machine like the host (contexts that
 * hold registers differ between architectures). bpf(2) has no program
 * type 0: tests without a type go out as socket filters, verified as
 * such.
 *
 * Return: 0, or 1 after a message (the exit status).
 */
int kbpf_host_export_corpus(const char *dir, const char *out)
{
	unsigned int nr, i, done = 0;
	char **names = list_tests(dir, &nr);
	char arch[KBPF_CORPUS_ARCH_LEN] = {};
	struct utsname uts;
	struct kbpf_vtest t;
	struct vresult r;
	char err[1024];
	char *path;
	FILE *f;
	int ret = 1;

	if (!names)
		return 1;
	f = fopen(out, "wb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", out, strerror(errno));
		goto out;
	}
	if (uname(&uts))
		goto out;
	/* NUL-padded; machine names are shorter than the field. */
	memcpy(arch, uts.machine,
	       strnlen(uts.machine, sizeof(arch) - 1));
	if (fwrite(KBPF_CORPUS_MAGIC, 1, 8, f) != 8 ||
	    fwrite(arch, 1, sizeof(arch), f) != sizeof(arch) || put_u32(f, nr))
		goto out;
	for (i = 0; i < nr; i++) {
		path = malloc(strlen(dir) + strlen(names[i]) + 2);
		if (!path)
			goto out;
		sprintf(path, "%s/%s", dir, names[i]);
		memset(&r, 0, sizeof(r));
		if (kbpf_vtest_load(&t, path, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
		} else {
			/* bpf(2) has no type 0: those load as socket filters. */
			if (t.prog_type == BPF_PROG_TYPE_UNSPEC)
				t.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
			if (run_verifier(&t, t.level, &r))
				goto next;
			names[i][strlen(names[i]) - 5] = '\0';
			if (!export_test(f, names[i], &t, &r))
				done++;
		}
next:
		free(r.log);
		kbpf_vtest_free(&t);
		free(path);
	}
	if (done == nr)
		ret = 0;
	else
		fprintf(stderr, "%s: %u of %u tests exported\n", out, done, nr);
out:
	if (f && fclose(f) && !ret) {
		fprintf(stderr, "%s: %s\n", out, strerror(errno));
		ret = 1;
	}
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	return ret;
}
