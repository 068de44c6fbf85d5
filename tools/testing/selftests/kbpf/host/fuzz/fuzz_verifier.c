// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes as a program through the verifier, with a
 * log.
 *
 * Properties checked beyond "no crash, hang, leak or undefined behaviour":
 * the log buffer ends up one NUL-terminated string no longer than the
 * true size says (or untouched when nothing was logged), and a program the
 * verifier accepts is one the interpreter's own guard
 * (kbpf_interp_prepare()) accepts too, so the two checks of the
 * instruction set cannot drift apart. Helper ids are left out of that
 * comparison: which exist is the exploration's to check, per program type.
 *
 * And soundness: every accepted program is run in the interpreter, built
 * here with a sanitizer, as the loader will run it: frames sized as the
 * verifier found, maps (maps[] below, named by imm) resolved to
 * addresses, helpers modelled by what they touch. The sanitizer is the
 * instrument that checks each access against what the verifier allowed:
 *  - AddressSanitizer (fuzz_verifier): map values are heap buffers of
 *    exactly value_size bytes and the context one of KBPF_FUZZ_CTX_SIZE,
 *    so a load or store past either is a report; so is one outside the
 *    interpreter's stack area; the helper models read or write their
 *    memory arguments in full; ring buffer records are heap buffers of
 *    the reserved size, freed when released: a use after submit or
 *    discard is a report, a record never released an abort;
 *  - MemorySanitizer (fuzz_verifier_msan): the interpreter's stack starts
 *    uninitialized, so a program that reads stack bytes it never wrote
 *    and lets them decide a branch, an address, a helper's input or r0
 *    is a report.
 * A run that does not end is libFuzzer's timeout; a run that faults (a
 * frame over the stack area) is an abort.
 *
 * fuzz_jit, the same target built with KBPF_FUZZ_JIT, checks the x86-64
 * JIT against the interpreter: every accepted program (of a loader that
 * may not leak addresses or read unwritten stack, whose results are then
 * the same wherever frames and records lie) runs in both from the same
 * start, and r0, the context, the maps' values and every value a lookup
 * handed out must end up the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/array_size.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/minmax.h>

#include "interp.h"
#include "verifier.h"
#ifdef KBPF_FUZZ_JIT
#include "jit_runner.h"
#endif

#if defined(__has_feature)
#if __has_feature(memory_sanitizer)
#define KBPF_FUZZ_MSAN
#include <sanitizer/msan_interface.h>
#endif
#endif

/* Under MemorySanitizer, a report unless all @n bytes at @p were written. */
static void check_initialized(const void *p, size_t n)
{
#ifdef KBPF_FUZZ_MSAN
	__msan_check_mem_is_initialized(p, n);
#endif
}

/* A context as big as any program type's: loads from it are in bounds. */
#define KBPF_FUZZ_CTX_SIZE	8192

/**
 * struct fuzz_map - a map as the fuzzed programs see it
 * @desc: what the verifier knows of it
 * @value: for an array of one entry, its value (direct value addresses)
 */
struct fuzz_map {
	struct kbpf_map_desc desc;
	u8 *value;
};

static struct fuzz_map maps[] = {
	{ { BPF_MAP_TYPE_HASH, 4, 8, 16 } },
	{ { BPF_MAP_TYPE_ARRAY, 4, 16, 1 } },
	{ { BPF_MAP_TYPE_QUEUE, 0, 8, 16 } },
	{ { BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4 } },
	{ { BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 2 } },
	{ { BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_RDONLY_PROG } },
	{ { BPF_MAP_TYPE_HASH, 8, 24, 16 } },
	{ { BPF_MAP_TYPE_RINGBUF, 0, 0, 4096 } },
	/* A map of maps holding maps like the next one. */
	{ { BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0, &maps[9].desc } },
	/*
	 * Its inner map: lookups in the map of maps give a copy of it on
	 * the heap, smaller than its values, so a map taken for memory by a
	 * confused verifier shows as a heap overflow.
	 */
	{ { BPF_MAP_TYPE_HASH, 4, 64, 8 } },
	/*
	 * A frozen .rodata: the verifier reads its value as constants, the
	 * runtime reads the same bytes; small numbers, so a constant read
	 * from the wrong place shows as an access out of bounds.
	 */
	{ { BPF_MAP_TYPE_ARRAY, 4, 16, 1, BPF_F_RDONLY_PROG } },
};

#define FROZEN_MAP	10

static const struct kbpf_map_desc *find_map(void *owner, u8 src, s32 imm)
{
	if (imm < 0 || imm >= (s32)ARRAY_SIZE(maps))
		return ERR_PTR(-EBADF);
	return &maps[imm].desc;
}

/*
 * Map values handed out by lookups during one run: each its own heap
 * buffer of value_size bytes, freed after the run.
 */
#define MAX_VALUES	4096
static void *values[MAX_VALUES];
static u32 value_sizes[MAX_VALUES];
static u32 nr_values;

/* The helper reads @n bytes at @p: all must be there, and initialized. */
static void helper_reads(u64 p, u64 n)
{
	static u8 scratch[4096];
	u64 chunk;

	while (n) {
		chunk = min_t(u64, n, sizeof(scratch));
		memcpy(scratch, (void *)(unsigned long)p, chunk);
		check_initialized((void *)(unsigned long)p, chunk);
		p += chunk;
		n -= chunk;
	}
}

/* The helper writes @n bytes at @p. */
static void helper_writes(u64 p, u64 n)
{
	memset((void *)(unsigned long)p, 0x5a, n);
}

static u64 map_lookup_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	const struct fuzz_map *m = (void *)(unsigned long)map;
	u8 first = 0;
	void *v;

	helper_reads(key, m->desc.key_size);
	memcpy(&first, (void *)(unsigned long)key, 1);
	/* Keys decide between NULL and a value, so both paths run. */
	if ((first & 1) || nr_values == MAX_VALUES)
		return 0;
	if (m->desc.inner) {
		struct fuzz_map *inner = malloc(sizeof(*inner));

		if (!inner)
			abort();
		*inner = maps[9];
		value_sizes[nr_values] = sizeof(*inner);
		values[nr_values++] = inner;
		return (unsigned long)inner;
	}
	v = calloc(1, m->desc.value_size);
	if (!v)
		abort();
	value_sizes[nr_values] = m->desc.value_size;
	values[nr_values++] = v;
	return (unsigned long)v;
}

static u64 map_update_elem(u64 map, u64 key, u64 value, u64 r4, u64 r5)
{
	const struct fuzz_map *m = (void *)(unsigned long)map;

	helper_reads(key, m->desc.key_size);
	helper_reads(value, m->desc.value_size);
	return 0;
}

static u64 map_delete_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	helper_reads(key, ((struct fuzz_map *)(unsigned long)map)->desc.key_size);
	return 0;
}

static u64 map_push_elem(u64 map, u64 value, u64 r3, u64 r4, u64 r5)
{
	helper_reads(value,
		     ((struct fuzz_map *)(unsigned long)map)->desc.value_size);
	return 0;
}

/* pop and peek write a whole value. */
static u64 map_pop_elem(u64 map, u64 value, u64 r3, u64 r4, u64 r5)
{
	helper_writes(value,
		      ((struct fuzz_map *)(unsigned long)map)->desc.value_size);
	return 0;
}

/*
 * probe_read*, get_current_comm: (dst, size, ...). The _str forms may
 * return as much as the size: the most the verifier assumes they do.
 */
static u64 writes_r1_r2(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	helper_writes(r1, r2);
	return r2;
}

/* trace_printk: (fmt, size, ...) */
static u64 reads_r1_r2(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	helper_reads(r1, r2);
	return 0;
}

/* ringbuf_output: (map, data, size, flags) */
static u64 reads_r2_r3(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	helper_reads(r2, r3);
	return 0;
}

/* get_stack: (ctx, buf, size, flags); as much as the size, at most. */
static u64 writes_r2_r3(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	helper_writes(r2, r3);
	return r3;
}

/* skb_load_bytes: (ctx, offset, to, len) */
static u64 writes_r3_r4(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	helper_writes(r3, r4);
	return 0;
}

/* perf_event_output: (ctx, map, flags, data, size) */
static u64 reads_r4_r5(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	helper_reads(r4, r5);
	return 0;
}

/*
 * Records reserved during one run: each its own heap buffer of exactly
 * the reserved size (zeroed: a ring's old bytes are initialized memory),
 * freed by submit or discard. A use after release is a report, a release
 * of anything else or a record still held when the run ends an abort.
 */
static void *records[MAX_VALUES];
static u32 nr_records, nr_reserves;

static u64 ringbuf_reserve(u64 map, u64 size, u64 flags, u64 r4, u64 r5)
{
	void *rec;

	/* Every other reservation fails: both edges of the check run. */
	if ((nr_reserves++ & 1) || nr_records == MAX_VALUES)
		return 0;
	rec = calloc(1, size ? size : 1);
	if (!rec)
		abort();
	records[nr_records++] = rec;
	return (unsigned long)rec;
}

/* ringbuf_submit, ringbuf_discard: (sample, flags) */
static u64 ringbuf_release(u64 sample, u64 r2, u64 r3, u64 r4, u64 r5)
{
	u32 i;

	for (i = 0; i < nr_records; i++) {
		if (records[i] != (void *)(unsigned long)sample)
			continue;
		free(records[i]);
		records[i] = records[--nr_records];
		return 0;
	}
	abort();
}

/* strncmp: (s1, size, s2), s2 a constant string: read to its NUL. */
static u64 strncmp_model(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	helper_reads(r1, r2);
	helper_reads(r3, strlen((const char *)(unsigned long)r3) + 1);
	return 0;
}

/* snprintf: (str, size, fmt, data, data_len), fmt a constant string. */
static u64 snprintf_model(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	helper_writes(r1, r2);
	helper_reads(r3, strlen((const char *)(unsigned long)r3) + 1);
	helper_reads(r4, r5);
	return 0;
}

static u64 any_helper(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return 0;
}

static const struct kbpf_interp_prog *const *no_slot(void *map, u32 index)
{
	return NULL;
}

static int no_packet(const void *ctx, s32 offset, u32 size, void *buf)
{
	return -1;
}

static kbpf_helper_fn helpers[__BPF_FUNC_MAX_ID];
static const struct kbpf_interp_ops all_ops = {
	.helpers = helpers,
	.nr_helpers = __BPF_FUNC_MAX_ID,
	.tail_call_slot = no_slot,
	.load_packet = no_packet,
};

static void set_helpers(void)
{
	u32 i;

	for (i = 0; i < __BPF_FUNC_MAX_ID; i++)
		helpers[i] = any_helper;
	helpers[BPF_FUNC_map_lookup_elem] = map_lookup_elem;
	helpers[BPF_FUNC_map_update_elem] = map_update_elem;
	helpers[BPF_FUNC_map_delete_elem] = map_delete_elem;
	helpers[BPF_FUNC_map_push_elem] = map_push_elem;
	helpers[BPF_FUNC_map_pop_elem] = map_pop_elem;
	helpers[BPF_FUNC_map_peek_elem] = map_pop_elem;
	helpers[BPF_FUNC_probe_read] = writes_r1_r2;
	helpers[BPF_FUNC_probe_read_str] = writes_r1_r2;
	helpers[BPF_FUNC_probe_read_kernel] = writes_r1_r2;
	helpers[BPF_FUNC_probe_read_user] = writes_r1_r2;
	helpers[BPF_FUNC_probe_read_kernel_str] = writes_r1_r2;
	helpers[BPF_FUNC_probe_read_user_str] = writes_r1_r2;
	helpers[BPF_FUNC_get_current_comm] = writes_r1_r2;
	helpers[BPF_FUNC_trace_printk] = reads_r1_r2;
	helpers[BPF_FUNC_ringbuf_output] = reads_r2_r3;
	helpers[BPF_FUNC_ringbuf_reserve] = ringbuf_reserve;
	helpers[BPF_FUNC_strncmp] = strncmp_model;
	helpers[BPF_FUNC_snprintf] = snprintf_model;
	helpers[BPF_FUNC_ringbuf_submit] = ringbuf_release;
	helpers[BPF_FUNC_ringbuf_discard] = ringbuf_release;
	helpers[BPF_FUNC_get_stack] = writes_r2_r3;
	helpers[BPF_FUNC_perf_event_output] = reads_r4_r5;
	helpers[BPF_FUNC_skb_load_bytes] = writes_r3_r4;
	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		if (maps[i].desc.max_entries != 1 || maps[i].value)
			continue;
		maps[i].value = calloc(1, maps[i].desc.value_size);
		if (!maps[i].value)
			abort();
	}
	for (i = 0; i < maps[FROZEN_MAP].desc.value_size; i++)
		maps[FROZEN_MAP].value[i] = 4 * (i % 4) + i / 4;
	maps[FROZEN_MAP].desc.frozen = maps[FROZEN_MAP].value;
}

/* The types whose contexts the verifier knows, and one it does not. */
static const u32 prog_types[] = {
	BPF_PROG_TYPE_UNSPEC, BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_TRACEPOINT,
	BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_PROG_TYPE_SOCKET_FILTER,
	BPF_PROG_TYPE_PERF_EVENT,
};

static u64 ctx[KBPF_FUZZ_CTX_SIZE / sizeof(u64)];

/* What one run leaves behind, for comparing the interpreter's and the JIT's. */
static u64 digest;

static void digest_bytes(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		digest = (digest ^ *b++) * 0x100000001b3ULL;
}

#ifdef KBPF_FUZZ_JIT
static u8 ctx_start[sizeof(ctx)];
static u8 *map_start[ARRAY_SIZE(maps)];
#endif

/* Remember the context and the maps' values as a run finds them. */
static void snapshot_state(void)
{
#ifdef KBPF_FUZZ_JIT
	u32 i;

	memcpy(ctx_start, ctx, sizeof(ctx));
	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		if (!maps[i].value)
			continue;
		if (!map_start[i])
			map_start[i] = malloc(maps[i].desc.value_size);
		if (!map_start[i])
			abort();
		memcpy(map_start[i], maps[i].value, maps[i].desc.value_size);
	}
#endif
}

/* The digest of what the run left; values handed out are freed. */
static void end_run(u64 r0)
{
	u32 i;

	digest = 0xcbf29ce484222325ULL;
	digest_bytes(&r0, sizeof(r0));
	digest_bytes(ctx, sizeof(ctx));
	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (maps[i].value)
			digest_bytes(maps[i].value, maps[i].desc.value_size);
	for (i = 0; i < nr_values; i++)
		digest_bytes(values[i], value_sizes[i]);
	while (nr_values)
		free(values[--nr_values]);
	/* The verifier lets no program end with a reservation held. */
	if (nr_records)
		abort();
}

#ifdef KBPF_FUZZ_JIT
/* Programs JITed and compared, for the report at exit. */
static unsigned long jited;

/* The same run, JITed, from the same start: it must leave the same. */
static void run_jit(struct kbpf_interp_prog *prog, u64 *run_ctx)
{
	u64 want = digest, arg = (unsigned long)run_ctx, r0;
	struct kbpf_host_jit hj;
	u32 i;
	int err;

	err = kbpf_host_jit_compile(prog, &hj);
	if (err == -EOPNOTSUPP)
		return;
	if (err)
		abort();
	memcpy(ctx, ctx_start, sizeof(ctx));
	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (maps[i].value)
			memcpy(maps[i].value, map_start[i], maps[i].desc.value_size);
	nr_reserves = 0;
	r0 = kbpf_host_jit_exec(&hj, &arg, 1);
	kbpf_host_jit_free(&hj);
	end_run(r0);
	if (digest != want) {
		fprintf(stderr, "kbpf: the JIT's run differs from the interpreter's (r0 0x%llx)\n",
			(unsigned long long)r0);
		abort();
	}
	jited++;
}
#else
static void run_jit(struct kbpf_interp_prog *prog, u64 *run_ctx)
{
}
#endif

/*
 * Run an accepted program as the loader will: each local call carries its
 * callee's stack depth in off, the first frame its own, and each LD_IMM64
 * of a map the address of the map or of its value.
 */
static void run_accepted(const struct kbpf_verifier_env *env,
			 struct bpf_insn *insns, bool compare)
{
	struct kbpf_interp_prog prog = {
		.insns = insns, .len = env->len, .ops = &all_ops,
		.stack_depth = env->subprogs[0].stack_depth,
	};
	u64 arg = (unsigned long)ctx, r0, addr;
	const struct fuzz_map *map;
	u32 i;

	kbpf_lower_calls(env, insns);
	for (i = 0; i < env->len; i++) {
		if (!env->aux[i].map)
			continue;
		map = (const struct fuzz_map *)env->aux[i].map;
		addr = (unsigned long)map;
		if (insns[i].src_reg == BPF_PSEUDO_MAP_VALUE ||
		    insns[i].src_reg == BPF_PSEUDO_MAP_IDX_VALUE)
			addr = (unsigned long)map->value + (u32)insns[i + 1].imm;
		insns[i].src_reg = 0;
		insns[i].imm = (u32)addr;
		insns[i + 1].imm = addr >> 32;
	}
	nr_reserves = 0;
	snapshot_state();
	if (kbpf_interp_prepare(&prog) || kbpf_interp_exec(&prog, &arg, 1, &r0))
		abort();
	check_initialized(&r0, sizeof(r0));
	end_run(r0);
	if (compare)
		run_jit(&prog, ctx);
}

static bool helper_ids_known(const struct bpf_insn *insns, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (insns[i].code == (BPF_JMP | BPF_CALL) && !insns[i].src_reg &&
		    (insns[i].imm < 0 || insns[i].imm >= __BPF_FUNC_MAX_ID))
			return false;
	return true;
}

#ifdef KBPF_FUZZ_JIT
static const char *jit_report(void)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), ", %lu JITed and compared", jited);
	return buf;
}
#else
static const char *jit_report(void)
{
	return "";
}
#endif

/* Programs verified and accepted, for the report at exit. */
static unsigned long verified, accepted;

static void __attribute__((destructor)) report(void)
{
	if (verified)
		fprintf(stderr, "kbpf: %lu programs verified, %lu accepted and run%s\n",
			verified, accepted, jit_report());
}

/* KBPF_FUZZ_ENTRY is libFuzzer's entry point (see the Makefile). */
int KBPF_FUZZ_ENTRY(const u8 *data, size_t size)
{
	struct kbpf_verifier_env env;
	struct kbpf_interp_prog prog;
	struct bpf_insn *insns;
	struct kbpf_log log;
	u32 log_size, true_size, len;
	char *buf;
	int err;

	if (size < 2)
		return 0;
	set_helpers();
	/*
	 * First byte: log size (0 = none); second: level, and program type
	 * (its high half: past the types, the same types for a loader that
	 * may leak kernel addresses, CAP_PERFMON).
	 */
	log_size = data[0];
	len = (size - 2) / sizeof(*insns);
	insns = malloc(len * sizeof(*insns) + 1);
	buf = malloc(log_size + 1);
	if (!insns || !buf)
		abort();
	memcpy(insns, data + 2, len * sizeof(*insns));
	memset(buf, 'X', log_size + 1);
	if (kbpf_log_init(&log, (data[1] & 15) | !!log_size,
			  log_size ? buf : NULL, log_size))
		abort();
	err = kbpf_verifier_env_init(&env, insns, len, &log);
	env.prog_type = prog_types[(data[1] >> 4) % ARRAY_SIZE(prog_types)];
	env.allow_ptr_leaks = (data[1] >> 4) >= ARRAY_SIZE(prog_types);
	/* MemorySanitizer is there to find reads of unwritten stack. */
#ifndef KBPF_FUZZ_MSAN
	env.allow_uninit_stack = env.allow_ptr_leaks;
#endif
	env.find_map = find_map;
	if (!err)
		err = kbpf_verify(&env);
	verified++;
	if (!err) {
		accepted++;
		run_accepted(&env, insns,
			     !env.allow_ptr_leaks && !env.allow_uninit_stack);
	}
	kbpf_verifier_env_free(&env);
	kbpf_log_finish(&log, &true_size);
	if (log_size && true_size &&
	    (!memchr(buf, '\0', log_size) || strlen(buf) + 1 > true_size))
		abort();
	if (!true_size && buf[0] != 'X')
		abort();
	if (!err && helper_ids_known(insns, len)) {
		prog.insns = insns;
		prog.len = len;
		prog.stack_depth = KBPF_STACK_SIZE;
		prog.ops = &all_ops;
		if (kbpf_interp_prepare(&prog))
			abort();
	}
	free(insns);
	free(buf);
	return 0;
}
