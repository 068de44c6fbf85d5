/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs as kernel objects: what a loaded program is, how it is held,
 * and the bpf(2) commands that make and run one.
 */
#ifndef _KBPF_PROG_H
#define _KBPF_PROG_H

#include <linux/jump_label.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <uapi/linux/bpf.h>

#include "interp.h"
#include "jit.h"

struct kbpf_jit_call;
struct kbpf_jit_image;
struct kbpf_map;

/**
 * struct kbpf_prog_stats - what one CPU counted of a program's runs
 * @cnt: runs, while BPF_ENABLE_STATS is on
 * @nsecs: their time
 * @syncp: lets 32-bit readers see both consistent
 */
struct kbpf_prog_stats {
	u64_stats_t cnt;
	u64_stats_t nsecs;
	struct u64_stats_sync syncp;
};

/* Bytes of a program's tag: the first ones of the SHA-1 of its code. */
#define KBPF_TAG_SIZE	8

/**
 * struct kbpf_prog - a verified program
 * @refcnt: references: its files, prog arrays holding it, running tests
 * @id: its global id (BPF_PROG_GET_FD_BY_ID)
 * @type: its BPF_PROG_TYPE_*
 * @expected_attach_type: attr->expected_attach_type, as loaded
 * @gpl: its license is GPL-compatible (GPL-only helpers need it)
 * @verified_insns: instructions the verifier went through
 * @ctx_end: bytes of its context it may read (the verifier's ctx_end)
 * @misses: runs skipped because a program was already running on the
 *	CPU (a probe hit inside a program, say): upstream's recursion_misses
 * @name: attr->prog_name
 * @tag: upstream's tag: SHA-1 of the instructions with map references
 *	zeroed, first bytes
 * @load_time: when it was loaded, ns since boot
 * @uid: who loaded it
 * @used_maps: the maps its instructions name and those bound to it
 *	(BPF_PROG_BIND_MAP), each referenced
 * @nr_used_maps: entries in @used_maps
 * @used_maps_lock: guards both once the program is published
 * @stats: per CPU, its runs and their time (BPF_ENABLE_STATS)
 * @run: the program as the interpreter runs it (@insns and the runtime
 *	of its type); prog arrays point here
 * @jit: its native code (jit.c), or NULL when it runs interpreted
 * @jit_entry: where that code is entered (set and cleared with @jit),
 *	for the run path inlined into the hooks
 * @jit_calls: while it is JITed, the helper calls lowering bound (see
 *	struct kbpf_jit_call); NULL after, or when none was
 * @callchain: it calls bpf_get_stack(): it holds perf's callchain buffers
 * @btf: the BTF its func_info and line_info refer to, or NULL (prog_btf.c)
 * @func_info: one record per function, in order, when loaded with them
 * @nr_func_info: records in @func_info
 * @line_info: where each source line's instructions start, when loaded
 *	with them
 * @nr_line_info: records in @line_info
 * @free_work: it is freed after a grace period (it may still be running),
 *	from a workqueue (letting go of the callchain buffers may sleep)
 * @len: instruction slots in @insns
 * @insns: the program as lowered: map addresses in LD_IMM64, the callee's
 *	stack depth in each bpf-to-bpf call's off
 */
struct kbpf_btf;

struct kbpf_prog {
	refcount_t refcnt;
	u32 id;
	u32 type;
	u32 expected_attach_type;
	bool gpl;
	u32 verified_insns;
	u32 ctx_end;
	atomic64_t misses;
	char name[BPF_OBJ_NAME_LEN];
	u8 tag[KBPF_TAG_SIZE];
	u64 load_time;
	kuid_t uid;
	struct kbpf_map **used_maps;
	u32 nr_used_maps;
	struct mutex used_maps_lock;	/* used_maps, nr_used_maps */
	struct kbpf_prog_stats __percpu *stats;
	struct kbpf_interp_prog run;
	struct kbpf_jit_image *jit;
	kbpf_jit_entry_fn jit_entry;
	struct kbpf_jit_call *jit_calls;
	bool callchain;
	struct kbpf_btf *btf;
	struct bpf_func_info *func_info;
	u32 nr_func_info;
	struct bpf_line_info *line_info;
	u32 nr_line_info;
	struct rcu_work free_work;
	u32 len;
	struct bpf_insn insns[] __counted_by(len);
};

struct kbpf_prog *kbpf_prog_alloc(u32 len);
void kbpf_prog_get(struct kbpf_prog *prog);
void kbpf_prog_put(struct kbpf_prog *prog);
int kbpf_prog_publish(struct kbpf_prog *prog);
int kbpf_prog_new_fd(struct kbpf_prog *prog);
struct kbpf_prog *kbpf_prog_get_fd(int fd);
struct kbpf_prog *kbpf_prog_get_next(u32 *id);
int kbpf_prog_get_id_fd(u32 id);
int kbpf_insns_tag(const struct bpf_insn *insns, u32 len, bool lowered, u8 *tag);
int kbpf_prog_load(union bpf_attr *attr, union bpf_attr __user *uattr,
		   unsigned int size);
int kbpf_prog_prepare_run(struct kbpf_prog *prog);
u32 kbpf_prog_run_counted(const struct kbpf_prog *prog, const void *ctx);
u32 kbpf_prog_run(const struct kbpf_prog *prog, const void *ctx);
void kbpf_prog_read_stats(const struct kbpf_prog *prog, u64 *cnt, u64 *nsecs);
int kbpf_enable_stats(union bpf_attr *attr, union bpf_attr __user *uattr,
		      unsigned int size);
int kbpf_prog_bind_map(union bpf_attr *attr, union bpf_attr __user *uattr,
		       unsigned int size);
int kbpf_prog_test_run(union bpf_attr *attr, union bpf_attr __user *uattr,
		       unsigned int size);

DECLARE_STATIC_KEY_FALSE(kbpf_stats_on);

/*
 * The program's native code when it has some, else the interpreter.
 * Inlined into every hook, as upstream's bpf_prog_run(): each call level
 * between a tracepoint and the program is paid on every event.
 */
static __always_inline u64 kbpf_prog_exec(const struct kbpf_prog *prog,
					  const void *ctx)
{
	if (IS_ENABLED(CONFIG_KBPF_JIT) && prog->jit_entry) {
		struct kbpf_jit_run run = {};

		return prog->jit_entry((unsigned long)ctx, 0, 0, 0, 0, &run);
	}
	return kbpf_interp_run(&prog->run, ctx);
}

/**
 * kbpf_prog_run_pinned() - run @prog on @ctx, the caller having pinned it
 * @prog: a loaded program
 * @ctx: its context
 *
 * The caller holds rcu_read_lock() (maps and tail-called programs stay
 * alive for the run) and has migration disabled (per-CPU values stay this
 * CPU's): runs in a loop pay for that once.
 *
 * Return: the program's r0, truncated as upstream's u32 return.
 */
static __always_inline u32 kbpf_prog_run_pinned(const struct kbpf_prog *prog,
						const void *ctx)
{
	if (static_branch_unlikely(&kbpf_stats_on))
		return kbpf_prog_run_counted(prog, ctx);
	return kbpf_prog_exec(prog, ctx);
}

#endif /* _KBPF_PROG_H */
