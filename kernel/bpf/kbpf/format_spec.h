/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The conversions program formats may use (bpf_trace_printk() and
 * bpf_snprintf()), as upstream allows them: %d %i %u %x %X %c %s %p and
 * %%, with flags from "0+- ", a width and the l and ll modifiers (not on
 * %c %s %p). The verifier checks constant formats with it before a
 * program runs; the runtime parses with it as it prints, so both agree.
 */
#ifndef _KBPF_FORMAT_SPEC_H
#define _KBPF_FORMAT_SPEC_H

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

/* Longest conversion spec: '%', flags, width, "ll", the letter, NUL. */
#define KBPF_FORMAT_SPEC_MAX	16

/* Most arguments a format may take (upstream's MAX_BPRINTF_VARARGS). */
#define KBPF_FORMAT_MAX_ARGS	12

/**
 * kbpf_format_spec_len() - the length of the conversion spec at @fmt
 * @fmt: a '%' that does not start "%%"
 * @longs: gets the number of 'l's
 *
 * Return: the spec's length (under KBPF_FORMAT_SPEC_MAX), or -EINVAL
 * for one upstream refuses or one too long to keep.
 */
static inline int kbpf_format_spec_len(const char *fmt, int *longs)
{
	int i = 1;

	while (fmt[i] && strchr("0+- ", fmt[i]))
		i++;
	while (fmt[i] >= '0' && fmt[i] <= '9')
		i++;
	for (*longs = 0; fmt[i] == 'l' && *longs < 2; i++)
		++*longs;
	if (!fmt[i] || !strchr("diuxXcsp", fmt[i]))
		return -EINVAL;
	if (*longs && strchr("csp", fmt[i]))
		return -EINVAL;
	return i + 1 < KBPF_FORMAT_SPEC_MAX ? i + 1 : -EINVAL;
}

/**
 * kbpf_format_args() - the arguments NUL-terminated format @fmt takes
 * @fmt: the format
 *
 * Return: the number of conversions, or -EINVAL for a refused one.
 */
static inline int kbpf_format_args(const char *fmt)
{
	int n = 0, len, longs;

	while (*fmt) {
		if (*fmt != '%' || fmt[1] == '%') {
			fmt += *fmt == '%' ? 2 : 1;
			continue;
		}
		len = kbpf_format_spec_len(fmt, &longs);
		if (len < 0)
			return len;
		fmt += len;
		n++;
	}
	return n;
}

#endif /* _KBPF_FORMAT_SPEC_H */
