/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier log: the text userspace reads in log_buf after a program
 * load, with upstream's rules for what is kept when it does not fit.
 */
#ifndef _KBPF_LOG_H
#define _KBPF_LOG_H

#include <linux/compiler.h>
#include <linux/types.h>

/* Upstream's BPF_LOG_* flags of attr->log_level. */
#define KBPF_LOG_LEVEL1		1
#define KBPF_LOG_LEVEL2		2
#define KBPF_LOG_STATS		4
#define KBPF_LOG_FIXED		8
#define KBPF_LOG_MASK		(KBPF_LOG_LEVEL1 | KBPF_LOG_LEVEL2 | \
				 KBPF_LOG_STATS | KBPF_LOG_FIXED)

/* Longest message, NUL included; longer ones are cut, as upstream's are. */
#define KBPF_LOG_LINE_SIZE	1024

/**
 * struct kbpf_log - a log being written to a user buffer
 * @ubuf: the user's buffer, or NULL when only the size is wanted
 * @size: bytes in @ubuf
 * @level: attr->log_level
 * @fault: a copy to or from @ubuf failed; nothing more is written
 * @start: logical offset of the oldest byte still in @ubuf
 * @end: logical offset of the NUL that ends the log
 * @true_size: the most bytes the log ever needed, NUL included
 * @line: formatting space for one message, and for moving the text
 *
 * Offsets are "logical": they count every byte ever written, so a log
 * kept in rotating mode lives at offsets [@start, @end] modulo @size.
 */
struct kbpf_log {
	char __user *ubuf;
	u32 size;
	u32 level;
	bool fault;
	u64 start;
	u64 end;
	u32 true_size;
	char line[KBPF_LOG_LINE_SIZE];
};

int kbpf_log_init(struct kbpf_log *log, u32 level, char __user *ubuf,
		  u32 size);
__printf(2, 3) void kbpf_log(struct kbpf_log *log, const char *fmt, ...);
void kbpf_log_rewind(struct kbpf_log *log, u64 pos);
int kbpf_log_finish(struct kbpf_log *log, u32 *true_size);

/**
 * kbpf_log_enabled() - is anything logged at all?
 * @log: the log
 *
 * Return: whether the caller asked for a log (with or without a buffer).
 */
static inline bool kbpf_log_enabled(const struct kbpf_log *log)
{
	return log->level;
}

/**
 * kbpf_log_pos() - where the next message goes, for kbpf_log_rewind()
 * @log: the log
 *
 * Return: the log's logical length so far.
 */
static inline u64 kbpf_log_pos(const struct kbpf_log *log)
{
	return log->end;
}

#endif /* _KBPF_LOG_H */
