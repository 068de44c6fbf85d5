/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tracing helpers need from the files that own their objects:
 * formatted output to the trace pipe, perf event arrays, ring buffers,
 * stack maps, signals.
 */
#ifndef _KBPF_TRACE_HELPERS_H
#define _KBPF_TRACE_HELPERS_H

#include <linux/types.h>

struct kbpf_map;
struct pt_regs;

/* Longest text bpf_trace_printk() writes, and longest string it reads. */
#define KBPF_FORMAT_MAX		512

void kbpf_trace_printk_enable(void);
long kbpf_trace_printk(const char *fmt, u32 fmt_size, const u64 *args,
		       u32 nr_args);
long kbpf_snprintf(char *out, u32 size, const char *fmt, const u64 *args,
		   u32 nr_args);
long kbpf_perf_event_output(struct kbpf_map *map, u64 flags, void *data,
			    u64 size, struct pt_regs *regs);
long kbpf_perf_event_output_packet(struct kbpf_map *map, u64 flags,
				   void *data, u64 size, const u8 *packet,
				   u32 packet_len);
long kbpf_get_stack(void *buf, u32 size, u64 flags, struct pt_regs *regs);
long kbpf_get_stackid(struct kbpf_map *map, u64 flags, struct pt_regs *regs);
long kbpf_send_signal(u32 sig, bool thread);
void *kbpf_ringbuf_reserve(struct kbpf_map *map, u64 size, u64 flags);
void kbpf_ringbuf_commit(void *sample, u64 flags, bool discard);
long kbpf_ringbuf_output(struct kbpf_map *map, const void *data, u64 size,
			 u64 flags);
u64 kbpf_ringbuf_query(struct kbpf_map *map, u64 flags);
int kbpf_perf_event_read(struct kbpf_map *map, u64 flags, u64 *value,
			 u64 *enabled, u64 *running);

#endif /* _KBPF_TRACE_HELPERS_H */
