/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attaching programs to the kernel's hooks: perf events (trace events
 * and sampling events) and raw tracepoints, directly or through links.
 */
#ifndef _KBPF_ATTACH_H
#define _KBPF_ATTACH_H

#include <linux/types.h>

struct bpf_raw_event_map;
struct kbpf_prog;
struct perf_event;

/* The linker's bounds of the raw tracepoints' section (kbpf_probe.h). */
extern struct bpf_raw_event_map __start__bpf_raw_tp[];
extern struct bpf_raw_event_map __stop__bpf_raw_tp[];

int kbpf_perf_event_attach(struct perf_event *event, struct kbpf_prog *prog,
			   u64 cookie);
void kbpf_perf_event_detach(struct perf_event *event);

#endif /* _KBPF_ATTACH_H */
