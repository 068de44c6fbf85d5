// SPDX-License-Identifier: GPL-2.0
/*
 * printf-style formatting for programs: bpf_trace_printk() writes the
 * text as a bpf_trace/bpf_trace_printk trace event (the trace pipe), as
 * upstream does; bpf_snprintf() into the program's memory. Formats take
 * the conversions of format_spec.h. Every argument arrives as
 * a u64; each conversion is printed on its own with an argument of the
 * type it names, so nothing depends on how varargs are passed. Strings
 * (%s, %pks, %pus) and IP addresses (%pI4 ...) are read fault-safely
 * from wherever the address points (empty or zero when they cannot be
 * read, as upstream); %p prints the pointer hashed, as in the kernel.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sprintf.h>
#include <linux/string.h>
#include <linux/trace_events.h>
#include <linux/uaccess.h>

#include "format_spec.h"
#include "trace_helpers.h"

#define CREATE_TRACE_POINTS
#include "kbpf_trace.h"

/* Formats one CPU may be building at once: task, irq, NMI. */
#define FORMAT_NEST	3

/**
 * struct format_area - what one CPU formats in (too big for the stack)
 * @out: the text, per nesting level
 * @str: a string argument being read, per level
 * @nest: levels in use
 */
struct format_area {
	char out[FORMAT_NEST][KBPF_FORMAT_MAX];
	char str[FORMAT_NEST][KBPF_FORMAT_MAX];
	int nest;
};

static DEFINE_PER_CPU(struct format_area, format_area);

/*
 * Copy the string at @addr into @buf: from user memory ('u'), kernel
 * memory ('k'), or either by the address (0). Empty if it cannot be read.
 */
static void read_string(char *buf, u64 addr, char space)
{
	const void *src = (const void *)(unsigned long)addr;
	long n;

#ifdef CONFIG_ARCH_HAS_NON_OVERLAPPING_ADDRESS_SPACE
	if (!space)
		space = addr < TASK_SIZE ? 'u' : 'k';
#endif
	if (space == 'u')
		n = strncpy_from_user_nofault(buf, (const char __user *)src,
					      KBPF_FORMAT_MAX);
	else
		n = strncpy_from_kernel_nofault(buf, src, KBPF_FORMAT_MAX);
	if (n < 0)
		buf[0] = 0;
}

/*
 * Print one conversion @spec of @arg, parsed as @conv. Strings are read
 * into @str; an IP address into a local copy (zero if it cannot be read).
 */
static int print_one(char *out, size_t size, char *spec,
		     const struct kbpf_format_conv *conv, u64 arg, char *str)
{
	u8 addr[16];

	switch (conv->letter) {
	case 'c':
		return snprintf(out, size, spec, (char)arg);
	case 's':
		read_string(str, arg, 0);
		return snprintf(out, size, spec, str);
	case 'p':
		if (conv->ext == 'k' || conv->ext == 'u') {
			/* "...pks" prints as "...s". */
			spec[conv->len - 3] = 's';
			spec[conv->len - 2] = 0;
			read_string(str, arg, conv->ext);
			return snprintf(out, size, spec, str);
		}
		if (conv->ext == 'i' || conv->ext == 'I') {
			size_t len = spec[conv->len - 1] == '4' ? 4 : 16;

			if (copy_from_kernel_nofault(addr,
						     (void *)(unsigned long)arg, len))
				memset(addr, 0, len);
			return snprintf(out, size, spec, addr);
		}
		return snprintf(out, size, spec, (void *)(unsigned long)arg);
	case 'd':
	case 'i':
		if (conv->longs == 2)
			return snprintf(out, size, spec, (long long)arg);
		if (conv->longs == 1)
			return snprintf(out, size, spec, (long)arg);
		return snprintf(out, size, spec, (int)arg);
	default:	/* u, x, X */
		if (conv->longs == 2)
			return snprintf(out, size, spec, (unsigned long long)arg);
		if (conv->longs == 1)
			return snprintf(out, size, spec, (unsigned long)arg);
		return snprintf(out, size, spec, (unsigned int)arg);
	}
}

/*
 * Format @fmt with @args into @out (@size bytes, NUL-terminated unless
 * @size is 0), @str holding string arguments. Returns the length the
 * whole text has (the part that fits is written), or -EINVAL for a
 * conversion upstream does not allow or more conversions than @nr_args.
 */
static int format(char *out, u32 size, char *str, const char *fmt,
		  const u64 *args, u32 nr_args)
{
	char spec[KBPF_FORMAT_SPEC_MAX];
	struct kbpf_format_conv conv;
	u32 len = 0, used = 0;

	while (*fmt) {
		if (*fmt != '%' || fmt[1] == '%') {
			if (len + 1 < size)
				out[len] = *fmt;
			len++;
			fmt += *fmt == '%' ? 2 : 1;
			continue;
		}
		if (kbpf_format_parse(fmt, &conv) || used >= nr_args)
			return -EINVAL;
		memcpy(spec, fmt, conv.len);
		spec[conv.len] = 0;
		fmt += conv.len;
		len += print_one(len < size ? out + len : NULL,
				 len < size ? size - len : 0, spec, &conv,
				 args[used++], str);
	}
	if (size)
		out[min(len, size - 1)] = 0;
	return len;
}

/**
 * kbpf_trace_printk_enable() - turn on the event bpf_trace_printk() writes
 *
 * Called when a program calling it loads, as upstream does, so its lines
 * show in the trace pipe without the user enabling the event.
 */
void kbpf_trace_printk_enable(void)
{
	/* Without event tracing there is no trace pipe to show it in. */
	if (IS_ENABLED(CONFIG_EVENT_TRACING))
		trace_set_clr_event("bpf_trace", "bpf_trace_printk", 1);
}

/**
 * kbpf_trace_printk() - bpf_trace_printk(): format into the trace pipe
 * @fmt: the format
 * @fmt_size: bytes at @fmt, the last of them a NUL
 * @args: up to three arguments
 * @nr_args: how many
 *
 * Runs in any context, including NMI.
 *
 * Return: the length of the text (of which the first KBPF_FORMAT_MAX - 1
 * bytes are written), or -EINVAL for a format that is not a string or
 * has a conversion upstream refuses, -EBUSY nested too deep.
 */
long kbpf_trace_printk(const char *fmt, u32 fmt_size, const u64 *args,
		       u32 nr_args)
{
	struct format_area *area;
	int n, nest;

	if (!fmt_size || fmt[fmt_size - 1])
		return -EINVAL;
	area = get_cpu_ptr(&format_area);
	nest = area->nest++;
	n = -EBUSY;
	if (nest < FORMAT_NEST) {
		n = format(area->out[nest], KBPF_FORMAT_MAX, area->str[nest],
			   fmt, args, nr_args);
		if (n >= 0)
			trace_bpf_trace_printk(area->out[nest]);
	}
	area->nest--;
	put_cpu_ptr(&format_area);
	return n;
}

/**
 * kbpf_snprintf() - bpf_snprintf(): format into program memory
 * @out: where the text goes
 * @size: bytes at @out (0: only the length is wanted)
 * @fmt: the format, a string the verifier checked
 * @args: its arguments
 * @nr_args: how many
 *
 * Runs in any context, including NMI.
 *
 * Return: the length of the whole text with its NUL (more than @size
 * when it was cut), or -EINVAL, -EBUSY as kbpf_trace_printk().
 */
long kbpf_snprintf(char *out, u32 size, const char *fmt, const u64 *args,
		   u32 nr_args)
{
	struct format_area *area;
	int n, nest;

	area = get_cpu_ptr(&format_area);
	nest = area->nest++;
	n = -EBUSY;
	if (nest < FORMAT_NEST)
		n = format(out, size, area->str[nest], fmt, args, nr_args);
	area->nest--;
	put_cpu_ptr(&format_area);
	return n < 0 ? n : n + 1;
}
