/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The conversions program formats may use (bpf_trace_printk() and
 * bpf_snprintf()), as upstream allows them: %d %i %u %x %X %c %s %p and
 * %%, with flags from "0+- ", a width and the l and ll modifiers (not on
 * %c %s %p); %p may be %pK %px %pB %ps %pS (the kernel prints the
 * pointer so), %pks %pus (a kernel or user string) or %pi4 %pI4 %pi6
 * %pI6 (the address the pointer points to). The verifier checks
 * constant formats with it before a program runs; the runtime parses
 * with it as it prints, so both agree.
 */
#ifndef _KBPF_FORMAT_SPEC_H
#define _KBPF_FORMAT_SPEC_H

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

/* Longest conversion spec: '%', flags, width, "ll", the letters, NUL. */
#define KBPF_FORMAT_SPEC_MAX	16

/* Most arguments a format may take (upstream's MAX_BPRINTF_VARARGS). */
#define KBPF_FORMAT_MAX_ARGS	12

/**
 * struct kbpf_format_conv - one conversion spec of a format
 * @len: its length, '%' included
 * @longs: its 'l's
 * @letter: the conversion, one of "diuxXcsp"
 * @ext: for %p, the letter after it that changes it ("KxBsSkuiI"), or 0
 */
struct kbpf_format_conv {
	int len;
	int longs;
	char letter;
	char ext;
};

/* The letters %p may take, and how many follow the 'p'. */
static inline int kbpf_format_p_ext(const char *after_p)
{
	if ((after_p[0] == 'k' || after_p[0] == 'u') && after_p[1] == 's')
		return 2;
	if ((after_p[0] == 'i' || after_p[0] == 'I') &&
	    (after_p[1] == '4' || after_p[1] == '6'))
		return 2;
	if (after_p[0] && strchr("KxBsS", after_p[0]))
		return 1;
	/* Another letter or digit would be an extension it does not know. */
	if ((after_p[0] >= 'a' && after_p[0] <= 'z') ||
	    (after_p[0] >= 'A' && after_p[0] <= 'Z') ||
	    (after_p[0] >= '0' && after_p[0] <= '9'))
		return -EINVAL;
	return 0;
}

/**
 * kbpf_format_parse() - read the conversion spec at @fmt
 * @fmt: a '%' that does not start "%%"
 * @conv: gets what it is
 *
 * Return: 0, or -EINVAL for a spec upstream refuses or one too long to
 * keep (KBPF_FORMAT_SPEC_MAX).
 */
static inline int kbpf_format_parse(const char *fmt,
				    struct kbpf_format_conv *conv)
{
	int i = 1, ext = 0;

	while (fmt[i] && strchr("0+- ", fmt[i]))
		i++;
	while (fmt[i] >= '0' && fmt[i] <= '9')
		i++;
	for (conv->longs = 0; fmt[i] == 'l' && conv->longs < 2; i++)
		conv->longs++;
	if (!fmt[i] || !strchr("diuxXcsp", fmt[i]))
		return -EINVAL;
	if (conv->longs && strchr("csp", fmt[i]))
		return -EINVAL;
	conv->letter = fmt[i];
	conv->ext = 0;
	if (fmt[i] == 'p') {
		ext = kbpf_format_p_ext(fmt + i + 1);
		if (ext < 0)
			return ext;
		if (ext)
			conv->ext = fmt[i + 1];
	}
	conv->len = i + 1 + ext;
	return conv->len < KBPF_FORMAT_SPEC_MAX ? 0 : -EINVAL;
}

/**
 * kbpf_format_args() - the arguments NUL-terminated format @fmt takes
 * @fmt: the format
 *
 * Return: the number of conversions, or -EINVAL for a refused one.
 */
static inline int kbpf_format_args(const char *fmt)
{
	struct kbpf_format_conv conv;
	int n = 0;

	while (*fmt) {
		if (*fmt != '%' || fmt[1] == '%') {
			fmt += *fmt == '%' ? 2 : 1;
			continue;
		}
		if (kbpf_format_parse(fmt, &conv))
			return -EINVAL;
		fmt += conv.len;
		n++;
	}
	return n;
}

#endif /* _KBPF_FORMAT_SPEC_H */
