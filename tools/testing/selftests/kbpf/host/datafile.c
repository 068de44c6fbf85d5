// SPDX-License-Identifier: GPL-2.0
/*
 * Parser for sectioned test files; datafile.h shows the layout.  Errors
 * read "PATH:LINE: reason" with LINE counted in the file, whichever
 * function finds them, so a failing test points at the line to fix.
 */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "datafile.h"

/* Longer than any number or byte a section holds, so a longer word is an error. */
#define TOKEN_MAX	128

static int set_err(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	if (err_size) {
		va_start(ap, fmt);
		vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_blank(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	return !n;
}

/* "--" alone or followed by a blank; "--x" is text, as in a C section's "--i;". */
static bool is_header(const char *s, size_t n)
{
	return n >= 2 && s[0] == '-' && s[1] == '-' && (n == 2 || s[2] == ' ' || s[2] == '\t');
}

/* Copies the text between two headers, turning CRLF into LF and ending on a newline. */
static char *make_body(const char *s, const char *e)
{
	char *body = malloc(e - s + 2), *q = body;

	if (!body)
		return NULL;
	for (; s < e; s++) {
		if (*s == '\r' && (s + 1 == e || s[1] == '\n'))
			continue;
		*q++ = *s;
	}
	if (q > body && q[-1] != '\n')
		*q++ = '\n';
	*q = '\0';
	return body;
}

static int split_words(const char *s, char ***argv, unsigned int *argc)
{
	const char *start;
	char **v;

	*argv = NULL;
	*argc = 0;
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			return 0;
		start = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		v = realloc(*argv, (*argc + 1) * sizeof(*v));
		if (!v)
			return -1;
		*argv = v;
		v[*argc] = strndup(start, s - start);
		if (!v[*argc])
			return -1;
		(*argc)++;
	}
}

static void free_section(struct kbpf_data_section *sec)
{
	unsigned int i;

	free(sec->header);
	free(sec->name);
	free(sec->args);
	for (i = 0; i < sec->argc; i++)
		free(sec->argv[i]);
	free(sec->argv);
	free(sec->body);
}

/* Adds a section for a header line, "--" and blanks included, of n bytes. */
static int add_section(struct kbpf_data_file *df, const char *s, size_t n, unsigned int line,
		       char *err, size_t err_size)
{
	struct kbpf_data_section *sec;
	const char *h = s + 2, *name_end, *args;

	while (n > 2 && isspace((unsigned char)s[n - 1]))
		n--;
	while (h < s + n && isspace((unsigned char)*h))
		h++;
	if (h == s + n)
		return set_err(err, err_size, "%s:%u: section header without a name",
			       df->path, line);
	sec = realloc(df->sections, (df->nr_sections + 1) * sizeof(*sec));
	if (!sec)
		goto oom;
	df->sections = sec;
	sec = &df->sections[df->nr_sections++];
	memset(sec, 0, sizeof(*sec));
	sec->header_line = line;
	sec->body_line = line + 1;
	sec->path = df->path;
	name_end = h;
	while (name_end < s + n && !isspace((unsigned char)*name_end))
		name_end++;
	args = name_end;
	while (args < s + n && isspace((unsigned char)*args))
		args++;
	sec->header = strndup(h, s + n - h);
	sec->name = strndup(h, name_end - h);
	sec->args = strndup(args, s + n - args);
	if (!sec->header || !sec->name || !sec->args ||
	    split_words(sec->args, &sec->argv, &sec->argc))
		goto oom;
	return 0;
oom:
	return set_err(err, err_size, "%s: out of memory", df->path);
}

/**
 * kbpf_data_parse() - parse a test file held in memory
 * @df: receives the sections; release with kbpf_data_free(), even on failure
 * @path: name to use in error messages
 * @text: the file's contents; need not end in a newline or a NUL
 * @len: length of @text
 * @err: receives "PATH:LINE: reason" on failure
 * @err_size: size of @err
 *
 * Before the first section only blank lines and lines starting with '#'
 * may appear.  Inside a section every line is kept, comments included.
 *
 * Return: 0, or -1 with @err filled in.
 */
int kbpf_data_parse(struct kbpf_data_file *df, const char *path, const char *text, size_t len,
		    char *err, size_t err_size)
{
	const char *p = text, *end = text + len, *eol, *body = NULL, *nul;
	struct kbpf_data_section *sec;
	unsigned int line = 0;
	size_t n;

	memset(df, 0, sizeof(*df));
	if (err_size)
		err[0] = '\0';
	df->path = strdup(path);
	if (!df->path)
		return set_err(err, err_size, "%s: out of memory", path);
	nul = memchr(text, '\0', len);
	if (nul) {
		for (line = 1; p < nul; p++)
			line += *p == '\n';
		return set_err(err, err_size, "%s:%u: NUL byte in a text file", path, line);
	}
	while (p < end) {
		eol = memchr(p, '\n', end - p);
		if (!eol)
			eol = end;
		n = eol - p;
		line++;
		if (is_header(p, n)) {
			if (df->nr_sections) {
				sec = &df->sections[df->nr_sections - 1];
				sec->body = make_body(body, p);
				if (!sec->body)
					return set_err(err, err_size, "%s: out of memory", path);
			}
			if (add_section(df, p, n, line, err, err_size))
				return -1;
			body = eol < end ? eol + 1 : end;
		} else if (!df->nr_sections && !is_blank(p, n)) {
			while (isspace((unsigned char)*p))
				p++;
			if (*p != '#')
				return set_err(err, err_size,
					       "%s:%u: text before the first section", path, line);
		}
		p = eol < end ? eol + 1 : end;
	}
	if (!df->nr_sections)
		return set_err(err, err_size, "%s: no sections", path);
	sec = &df->sections[df->nr_sections - 1];
	sec->body = make_body(body, end);
	if (!sec->body)
		return set_err(err, err_size, "%s: out of memory", path);
	return 0;
}

/**
 * kbpf_data_load() - read and parse a test file
 * @df: receives the sections; release with kbpf_data_free(), even on failure
 * @path: the file
 * @err: receives the reason on failure, starting with @path
 * @err_size: size of @err
 *
 * Return: 0, or -1 with @err filled in.
 */
int kbpf_data_load(struct kbpf_data_file *df, const char *path, char *err, size_t err_size)
{
	size_t len = 0, cap = 0, got;
	char *text = NULL, *p;
	FILE *f;
	int ret;

	memset(df, 0, sizeof(*df));
	f = fopen(path, "r");
	if (!f)
		return set_err(err, err_size, "%s: %s", path, strerror(errno));
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			p = realloc(text, cap);
			if (!p) {
				free(text);
				fclose(f);
				return set_err(err, err_size, "%s: out of memory", path);
			}
			text = p;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
	} while (got);
	if (ferror(f)) {
		ret = set_err(err, err_size, "%s: %s", path, strerror(errno));
		free(text);
		fclose(f);
		return ret;
	}
	fclose(f);
	ret = kbpf_data_parse(df, path, text ? text : "", len, err, err_size);
	free(text);
	return ret;
}

/**
 * kbpf_data_free() - release a parsed file
 * @df: the file; left empty, so freeing twice is harmless
 */
void kbpf_data_free(struct kbpf_data_file *df)
{
	unsigned int i;

	for (i = 0; i < df->nr_sections; i++)
		free_section(&df->sections[i]);
	free(df->sections);
	free(df->path);
	memset(df, 0, sizeof(*df));
}

/**
 * kbpf_data_match() - tell whether a section has a given name
 * @sec: the section
 * @name: a whole header ("no register offset") or a name whose header goes
 *	on with arguments ("map" for "-- map counters hash ...")
 *
 * Return: true if @name is @sec's header or its first word.
 */
bool kbpf_data_match(const struct kbpf_data_section *sec, const char *name)
{
	return !strcmp(sec->header, name) || !strcmp(sec->name, name);
}

/**
 * kbpf_data_next() - find the next section of a given name
 * @df: the file
 * @prev: the section to search after, or NULL to search from the start
 * @name: as for kbpf_data_match(), or NULL for any section
 *
 * Return: the section, or NULL when there are no more.
 */
const struct kbpf_data_section *kbpf_data_next(const struct kbpf_data_file *df,
					       const struct kbpf_data_section *prev,
					       const char *name)
{
	unsigned int i = prev ? prev - df->sections + 1 : 0;

	for (; i < df->nr_sections; i++)
		if (!name || kbpf_data_match(&df->sections[i], name))
			return &df->sections[i];
	return NULL;
}

/**
 * kbpf_data_find() - find the first section of a given name
 * @df: the file
 * @name: as for kbpf_data_match()
 *
 * Return: the section, or NULL if the file has none.
 */
const struct kbpf_data_section *kbpf_data_find(const struct kbpf_data_file *df,
					       const char *name)
{
	return kbpf_data_next(df, NULL, name);
}

/**
 * kbpf_data_count() - count the sections of a given name
 * @df: the file
 * @name: as for kbpf_data_match()
 *
 * Return: how many sections match.
 */
unsigned int kbpf_data_count(const struct kbpf_data_file *df, const char *name)
{
	const struct kbpf_data_section *sec = NULL;
	unsigned int n = 0;

	while ((sec = kbpf_data_next(df, sec, name)))
		n++;
	return n;
}

/**
 * kbpf_data_arg() - value of a key=value word of a section header
 * @sec: the section
 * @key: the key, without '='
 *
 * Return: the text after "key=", or NULL if no header word has that key.
 */
const char *kbpf_data_arg(const struct kbpf_data_section *sec, const char *key)
{
	size_t n = strlen(key);
	unsigned int i;

	for (i = 0; i < sec->argc; i++)
		if (!strncmp(sec->argv[i], key, n) && sec->argv[i][n] == '=')
			return sec->argv[i] + n + 1;
	return NULL;
}

/**
 * struct body_iter - position in a section body while reading its words
 * @p: next character to read
 * @line: file line number of @p
 */
struct body_iter {
	const char *p;
	unsigned int line;
};

/*
 * Reads the next blank-separated word of a body, skipping '#' comments.
 * Returns 1 with the word in tok and its line in *line, 0 at the end of the
 * body, or -1 with err filled in if the word is too long to be valid.
 */
static int next_token(const struct kbpf_data_section *sec, struct body_iter *it, char *tok,
		      unsigned int *line, char *err, size_t err_size)
{
	const char *start;
	size_t n;

	for (;;) {
		while (isspace((unsigned char)*it->p))
			it->line += *it->p++ == '\n';
		if (*it->p != '#')
			break;
		while (*it->p && *it->p != '\n')
			it->p++;
	}
	if (!*it->p)
		return 0;
	start = it->p;
	while (*it->p && !isspace((unsigned char)*it->p) && *it->p != '#')
		it->p++;
	n = it->p - start;
	*line = it->line;
	if (n >= TOKEN_MAX)
		return set_err(err, err_size, "%s:%u: '%.16s...' is too long", sec->path,
			       it->line, start);
	memcpy(tok, start, n);
	tok[n] = '\0';
	return 1;
}

/*
 * Decimal or 0x hex, in the assembler's syntax except that a '+' is not
 * taken; a leading '-' gives the two's complement.
 */
static bool parse_u64(const char *s, __u64 *val)
{
	__u64 mag;
	bool neg;

	if (*s == '+' || kbpf_parse_number(s, &neg, &mag))
		return false;
	*val = neg ? -mag : mag;
	return true;
}

/**
 * kbpf_data_insns() - read a "raw" section: one instruction per word
 * @sec: the section
 * @insns: receives a malloc()ed array, NULL when the section is empty
 * @len: receives the number of instructions
 * @err: receives "PATH:LINE: reason" on failure
 * @err_size: size of @err
 *
 * Each word is an instruction's 64-bit value as bpf_conformance prints it,
 * opcode in the low byte; see kbpf_insn_from_u64().
 *
 * Return: 0, or -1 with @err filled in and nothing to free.
 */
int kbpf_data_insns(const struct kbpf_data_section *sec, struct bpf_insn **insns,
		    unsigned int *len, char *err, size_t err_size)
{
	struct body_iter it = { sec->body, sec->body_line };
	struct bpf_insn *v = NULL, *p;
	unsigned int n = 0, line;
	char tok[TOKEN_MAX];
	__u64 raw;
	int ret;

	while ((ret = next_token(sec, &it, tok, &line, err, err_size)) > 0) {
		if (!parse_u64(tok, &raw)) {
			ret = set_err(err, err_size, "%s:%u: bad instruction value '%s'",
				      sec->path, line, tok);
			break;
		}
		p = realloc(v, (n + 1) * sizeof(*v));
		if (!p) {
			ret = set_err(err, err_size, "%s: out of memory", sec->path);
			break;
		}
		v = p;
		v[n++] = kbpf_insn_from_u64(raw);
	}
	if (ret) {
		free(v);
		return -1;
	}
	*insns = v;
	*len = n;
	return 0;
}

/**
 * kbpf_data_bytes() - read a "mem" section: hex bytes separated by blanks
 * @sec: the section
 * @buf: receives a malloc()ed buffer, NULL when the section is empty
 * @len: receives the number of bytes
 * @err: receives "PATH:LINE: reason" on failure
 * @err_size: size of @err
 *
 * Return: 0, or -1 with @err filled in and nothing to free.
 */
int kbpf_data_bytes(const struct kbpf_data_section *sec, __u8 **buf, size_t *len,
		    char *err, size_t err_size)
{
	struct body_iter it = { sec->body, sec->body_line };
	__u8 *v = NULL, *p;
	char tok[TOKEN_MAX];
	unsigned int line;
	size_t n = 0;
	int ret;

	while ((ret = next_token(sec, &it, tok, &line, err, err_size)) > 0) {
		if (strlen(tok) > 2 || !isxdigit((unsigned char)tok[0]) ||
		    (tok[1] && !isxdigit((unsigned char)tok[1]))) {
			ret = set_err(err, err_size, "%s:%u: bad byte '%s'", sec->path, line, tok);
			break;
		}
		p = realloc(v, n + 1);
		if (!p) {
			ret = set_err(err, err_size, "%s: out of memory", sec->path);
			break;
		}
		v = p;
		v[n++] = strtoul(tok, NULL, 16);
	}
	if (ret) {
		free(v);
		return -1;
	}
	*buf = v;
	*len = n;
	return 0;
}

/**
 * kbpf_data_value() - read a section holding one number, as "result" does
 * @sec: the section
 * @val: receives the number
 * @err: receives "PATH:LINE: reason" on failure
 * @err_size: size of @err
 *
 * The number is decimal or 0x hex; a leading '-' gives its two's complement.
 *
 * Return: 0, or -1 with @err filled in.
 */
int kbpf_data_value(const struct kbpf_data_section *sec, __u64 *val, char *err,
		    size_t err_size)
{
	struct body_iter it = { sec->body, sec->body_line };
	char tok[TOKEN_MAX];
	unsigned int line;
	int ret;

	ret = next_token(sec, &it, tok, &line, err, err_size);
	if (ret < 0)
		return -1;
	if (!ret)
		return set_err(err, err_size, "%s:%u: '-- %s' holds no value", sec->path,
			       sec->header_line, sec->header);
	if (!parse_u64(tok, val))
		return set_err(err, err_size, "%s:%u: bad value '%s'", sec->path, line, tok);
	ret = next_token(sec, &it, tok, &line, err, err_size);
	if (ret < 0)
		return -1;
	if (ret)
		return set_err(err, err_size, "%s:%u: '-- %s' holds more than one value",
			       sec->path, line, sec->header);
	return 0;
}
