// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier log.
 *
 * Userspace gives a buffer, its size and a level; messages are appended.
 * What is kept when the log outgrows the buffer is upstream's ABI:
 *
 *  - with KBPF_LOG_FIXED, the beginning: the buffer ends up holding the
 *    first size - 1 bytes and a NUL;
 *  - otherwise ("rotating", upstream's default since 6.4), the end: the
 *    buffer is written as a ring and turned, at kbpf_log_finish(), into
 *    the last size - 1 bytes and a NUL.
 *
 * Either way a log that did not fit makes the load fail with -ENOSPC, and
 * the true size tells userspace how big a buffer would have held it all.
 * With a level but no buffer nothing is written and the size is still
 * measured: that is how libbpf asks how much to allocate.
 */

#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sprintf.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "log.h"

/**
 * kbpf_log_init() - start a log with upstream's rules for its attributes
 * @log: the log
 * @level: attr->log_level
 * @ubuf: attr->log_buf
 * @size: attr->log_size
 *
 * Return: 0, or -EINVAL when a buffer comes without its size or a level,
 * or a size without a buffer, or the level has unknown bits, or the size
 * is over UINT_MAX >> 2.
 */
int kbpf_log_init(struct kbpf_log *log, u32 level, char __user *ubuf,
		  u32 size)
{
	if (!ubuf != !size || (ubuf && !level))
		return -EINVAL;
	if ((level & ~KBPF_LOG_MASK) || size > U32_MAX >> 2)
		return -EINVAL;

	log->ubuf = ubuf;
	log->size = size;
	log->level = level;
	log->fault = false;
	log->start = 0;
	log->end = 0;
	log->true_size = 0;
	return 0;
}

static void kbpf_log_copy_out(struct kbpf_log *log, u32 at, const char *src,
			      u32 len)
{
	if (!log->fault && copy_to_user(log->ubuf + at, src, len))
		log->fault = true;
}

/**
 * kbpf_log() - append a message
 * @log: the log
 * @fmt: printf format, then its arguments
 *
 * Does nothing when no log was asked for. Messages over
 * KBPF_LOG_LINE_SIZE - 1 bytes are cut there.
 */
void kbpf_log(struct kbpf_log *log, const char *fmt, ...)
{
	u32 n, at, cnt, first;
	u64 old_end, new_end;
	va_list args;

	if (!log->level)
		return;

	va_start(args, fmt);
	n = vscnprintf(log->line, sizeof(log->line), fmt, args) + 1;
	va_end(args);

	/* The message with its NUL takes [old_end, new_end). */
	old_end = log->end;
	new_end = old_end + n;
	log->end = new_end - 1;
	log->true_size = max_t(u64, log->true_size, min_t(u64, new_end, U32_MAX));

	if (log->level & KBPF_LOG_FIXED) {
		if (!log->ubuf || old_end >= log->size)
			return;
		cnt = min_t(u64, log->size - old_end, n);
		log->line[cnt - 1] = '\0';
		kbpf_log_copy_out(log, old_end, log->line, cnt);
		return;
	}

	if (new_end - log->start > log->size)
		log->start = new_end - log->size;
	if (!log->ubuf)
		return;
	/* The last cnt bytes of the message go into the ring at @at. */
	cnt = min(n, log->size);
	div_u64_rem(new_end - cnt, log->size, &at);
	first = min(cnt, log->size - at);
	kbpf_log_copy_out(log, at, log->line + n - cnt, first);
	if (first < cnt)
		kbpf_log_copy_out(log, 0, log->line + n - cnt + first,
				  cnt - first);
}

/**
 * kbpf_log_rewind() - drop what was logged since kbpf_log_pos() gave @pos
 * @log: the log
 * @pos: an earlier kbpf_log_pos(); a later one is ignored
 *
 * The verifier logs each path it explores and rewinds when the path turns
 * out safe, so at level 1 the log shows the path that failed. The true
 * size still counts the dropped text: the buffer had to hold it once.
 */
void kbpf_log_rewind(struct kbpf_log *log, u64 pos)
{
	u32 at;

	if (!log->level || pos > log->end)
		return;
	log->end = pos;
	/* Rewound past what the ring still holds: it holds nothing now. */
	if (log->start > pos)
		log->start = pos;
	if (!log->ubuf)
		return;
	if (log->level & KBPF_LOG_FIXED) {
		if (pos < log->size)
			kbpf_log_copy_out(log, pos, "", 1);
		return;
	}
	div_u64_rem(pos, log->size, &at);
	kbpf_log_copy_out(log, at, "", 1);
}

static void kbpf_reverse_bytes(char *p, u32 n)
{
	char c;
	u32 i;

	for (i = 0; i < n / 2; i++) {
		c = p[i];
		p[i] = p[n - 1 - i];
		p[n - 1 - i] = c;
	}
}

/* Reverse @ubuf[lo, hi) in place, a chunk from each end at a time. */
static void kbpf_log_reverse(struct kbpf_log *log, u32 lo, u32 hi)
{
	char *head = log->line, *tail = log->line + sizeof(log->line) / 2;
	u32 k;

	while (hi - lo > 1 && !log->fault) {
		k = min_t(u32, sizeof(log->line) / 2, (hi - lo) / 2);
		if (copy_from_user(head, log->ubuf + lo, k) ||
		    copy_from_user(tail, log->ubuf + hi - k, k)) {
			log->fault = true;
			return;
		}
		kbpf_reverse_bytes(head, k);
		kbpf_reverse_bytes(tail, k);
		kbpf_log_copy_out(log, lo, tail, k);
		kbpf_log_copy_out(log, hi - k, head, k);
		lo += k;
		hi -= k;
	}
}

/**
 * kbpf_log_finish() - make the buffer one string and say how it went
 * @log: the log
 * @true_size: set to the size a buffer needs to hold the whole log
 *	(0 when no log was asked for), for attr->log_true_size
 *
 * A rotated log is turned so that it starts at the buffer's first byte:
 * three in-place reversals of the user buffer, so that no kernel copy of a
 * buffer of up to 1 GiB is needed.
 *
 * Return: 0; -ENOSPC when the log did not fit in the buffer; -EFAULT when
 * the buffer could not be written. Either error replaces the verdict, as
 * upstream's does: a program whose log was cut is not loaded.
 */
int kbpf_log_finish(struct kbpf_log *log, u32 *true_size)
{
	u32 shift;

	*true_size = 0;
	if (!log->level)
		return 0;

	if (log->ubuf && !(log->level & KBPF_LOG_FIXED) && log->start) {
		div_u64_rem(log->start, log->size, &shift);
		if (shift) {
			kbpf_log_reverse(log, 0, log->size);
			kbpf_log_reverse(log, 0, log->size - shift);
			kbpf_log_reverse(log, log->size - shift, log->size);
		}
	}

	*true_size = log->true_size;
	if (log->fault)
		return -EFAULT;
	if (log->ubuf && log->true_size > log->size)
		return -ENOSPC;
	return 0;
}
