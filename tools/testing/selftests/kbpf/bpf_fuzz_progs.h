/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_fuzz's programs: valid small programs built from blocks that use
 * the table's maps (element helpers, queue and stack, ring buffer, perf
 * event output, stack ids, a bounded loop, a bpf-to-bpf call, a tail
 * call), the same with a few instructions mutated, and random bytes.
 *
 * Whatever comes out, no call to a helper that reaches beyond this
 * process survives sanitize_insns(): the programs run on hooks every
 * process passes (in a guest, PID 1 too, where a stray SIGKILL panics).
 */
#ifndef KBPF_BPF_FUZZ_PROGS_H
#define KBPF_BPF_FUZZ_PROGS_H

#include "bpf_fuzz.h"
#include "bpf_insns.h"

#define MAP_BIT(t)	(1ULL << (t))
#define ELEM_MAPS	(MAP_BIT(BPF_MAP_TYPE_HASH) | MAP_BIT(BPF_MAP_TYPE_ARRAY) |	\
			 MAP_BIT(BPF_MAP_TYPE_PERCPU_HASH) |				\
			 MAP_BIT(BPF_MAP_TYPE_PERCPU_ARRAY) |				\
			 MAP_BIT(BPF_MAP_TYPE_LRU_HASH) |				\
			 MAP_BIT(BPF_MAP_TYPE_LRU_PERCPU_HASH))

/* Stack slots of the blocks: a key of up to 64 bytes, a value of 256. */
#define KEY_OFF		-64
#define VALUE_OFF	-320
#define MAX_PROG_KEY	64
#define MAX_PROG_VALUE	256

/*
 * Helpers no program here may call: each acts on other tasks, on other
 * memory, or (bpf_clone_redirect, even in a test run) on an interface.
 */
static const int denied_helpers[] = {
	BPF_FUNC_probe_write_user, BPF_FUNC_clone_redirect, BPF_FUNC_override_return,
	BPF_FUNC_send_signal, BPF_FUNC_send_signal_thread, BPF_FUNC_sys_bpf, BPF_FUNC_sys_close,
	BPF_FUNC_kallsyms_lookup_name, BPF_FUNC_bprm_opts_set,
};

static int table_pick(struct worker *w, __u32 kind, __u64 types, __u32 max_key,
		      __u32 max_value, struct entry *out);

/*
 * Any helper call left with a denied id, and any kfunc call (a mutation
 * can make one, and a kernel's kfuncs are not ours to vet), becomes
 * bpf_get_prandom_u32().
 */
static void sanitize_insns(struct bpf_insn *insns, unsigned int cnt)
{
	unsigned int i, j;

	for (i = 0; i < cnt; i++) {
		if (insns[i].code != (BPF_JMP | BPF_CALL) ||
		    insns[i].src_reg == BPF_PSEUDO_CALL)
			continue;
		for (j = 0; j < ARRAY_LEN(denied_helpers); j++)
			if (insns[i].imm == denied_helpers[j])
				break;
		if (insns[i].src_reg || j < ARRAY_LEN(denied_helpers)) {
			insns[i].src_reg = 0;
			insns[i].imm = BPF_FUNC_get_prandom_u32;
		}
	}
}

struct prog_gen {
	struct bpf_insn *insns;
	unsigned int n;
	unsigned int cap;
};

static void emit(struct prog_gen *p, struct bpf_insn insn)
{
	if (p->n < p->cap)
		p->insns[p->n++] = insn;
}

static void emit_map(struct prog_gen *p, int reg, int fd)
{
	emit(p, LD_MAP(reg, fd));
	emit(p, IMM_HI(0));
}

static void emit_stack_ptr(struct prog_gen *p, int reg, int off)
{
	emit(p, MOV_REG(reg, BPF_REG_10));
	emit(p, ADD_IMM(reg, off));
}

/* Fills @size bytes (rounded up to 8) of stack from @off: key or value. */
static void emit_fill(struct worker *w, struct prog_gen *p, int off, __u32 size, int zero)
{
	__u32 i;

	for (i = 0; i < (size + 7) / 8; i++)
		emit(p, ST_IMM(BPF_DW, BPF_REG_10, off + 8 * i, zero ? 0 : (__s32)rnd(w)));
}

static int tracing_type(__u32 type)
{
	return type == BPF_PROG_TYPE_KPROBE || type == BPF_PROG_TYPE_TRACEPOINT ||
	       type == BPF_PROG_TYPE_PERF_EVENT || type == BPF_PROG_TYPE_RAW_TRACEPOINT;
}

/* Lookup, bump the value in place, update with random flags, delete. */
static void blk_elem(struct worker *w, struct prog_gen *p, const struct entry *m)
{
	emit_fill(w, p, KEY_OFF, m->key_size, 1);
	emit(p, ST_IMM(BPF_W, BPF_REG_10, KEY_OFF, below(w, m->max_entries + 1)));
	emit_fill(w, p, VALUE_OFF, m->value_size, 0);
	emit_map(p, BPF_REG_1, m->fd);
	emit_stack_ptr(p, BPF_REG_2, KEY_OFF);
	emit(p, CALL(BPF_FUNC_map_lookup_elem));
	emit(p, JEQ_IMM(BPF_REG_0, 0, 2));
	if (m->value_size >= 8) {
		emit(p, MOV_IMM(BPF_REG_1, 1));
		emit(p, ATOMIC_ADD(BPF_REG_0, BPF_REG_1, 0));
	} else {
		emit(p, LDX(BPF_B, BPF_REG_1, BPF_REG_0, 0));
		emit(p, STX(BPF_B, BPF_REG_0, BPF_REG_1, 0));
	}
	emit_map(p, BPF_REG_1, m->fd);
	emit_stack_ptr(p, BPF_REG_2, KEY_OFF);
	emit_stack_ptr(p, BPF_REG_3, VALUE_OFF);
	emit(p, MOV_IMM(BPF_REG_4, below(w, 3)));
	emit(p, CALL(BPF_FUNC_map_update_elem));
	if (chance(w, 50)) {
		emit_map(p, BPF_REG_1, m->fd);
		emit_stack_ptr(p, BPF_REG_2, KEY_OFF);
		emit(p, CALL(BPF_FUNC_map_delete_elem));
	}
}

static void blk_queue(struct worker *w, struct prog_gen *p, const struct entry *m)
{
	emit_fill(w, p, VALUE_OFF, m->value_size, 0);
	emit_map(p, BPF_REG_1, m->fd);
	emit_stack_ptr(p, BPF_REG_2, VALUE_OFF);
	emit(p, MOV_IMM(BPF_REG_3, chance(w, 30) ? BPF_EXIST : 0));
	emit(p, CALL(BPF_FUNC_map_push_elem));
	emit_map(p, BPF_REG_1, m->fd);
	emit_stack_ptr(p, BPF_REG_2, VALUE_OFF);
	emit(p, CALL(chance(w, 50) ? BPF_FUNC_map_pop_elem : BPF_FUNC_map_peek_elem));
}

static void blk_ringbuf(struct worker *w, struct prog_gen *p, const struct entry *m)
{
	if (chance(w, 30)) {
		emit(p, ST_IMM(BPF_DW, BPF_REG_10, VALUE_OFF, (__s32)rnd(w)));
		emit_map(p, BPF_REG_1, m->fd);
		emit_stack_ptr(p, BPF_REG_2, VALUE_OFF);
		emit(p, MOV_IMM(BPF_REG_3, 8));
		emit(p, MOV_IMM(BPF_REG_4, 0));
		emit(p, CALL(BPF_FUNC_ringbuf_output));
		return;
	}
	emit_map(p, BPF_REG_1, m->fd);
	emit(p, MOV_IMM(BPF_REG_2, 8 * (1 + below(w, 8))));
	emit(p, MOV_IMM(BPF_REG_3, 0));
	emit(p, CALL(BPF_FUNC_ringbuf_reserve));
	emit(p, JEQ_IMM(BPF_REG_0, 0, 4));
	emit(p, ST_IMM(BPF_DW, BPF_REG_0, 0, (__s32)rnd(w)));
	emit(p, MOV_REG(BPF_REG_1, BPF_REG_0));
	emit(p, MOV_IMM(BPF_REG_2, 0));
	emit(p, CALL(chance(w, 70) ? BPF_FUNC_ringbuf_submit : BPF_FUNC_ringbuf_discard));
}

static void blk_perf_output(struct worker *w, struct prog_gen *p, const struct entry *m)
{
	emit(p, ST_IMM(BPF_DW, BPF_REG_10, VALUE_OFF, (__s32)rnd(w)));
	emit(p, MOV_REG(BPF_REG_1, BPF_REG_6));
	emit_map(p, BPF_REG_2, m->fd);
	/* BPF_F_CURRENT_CPU, or an index that may be empty or too big. */
	emit(p, LD_IMM64(BPF_REG_3, 0, chance(w, 70) ? (__s32)BPF_F_CURRENT_CPU : below(w, 4)));
	emit(p, IMM_HI(0));
	emit_stack_ptr(p, BPF_REG_4, VALUE_OFF);
	emit(p, MOV_IMM(BPF_REG_5, 8));
	emit(p, CALL(BPF_FUNC_perf_event_output));
}

static void blk_stackid(struct worker *w, struct prog_gen *p, const struct entry *m)
{
	emit(p, MOV_REG(BPF_REG_1, BPF_REG_6));
	emit_map(p, BPF_REG_2, m->fd);
	emit(p, MOV_IMM(BPF_REG_3, chance(w, 30) ? BPF_F_USER_STACK : 0));
	emit(p, CALL(BPF_FUNC_get_stackid));
}

static void blk_loop(struct worker *w, struct prog_gen *p)
{
	emit(p, MOV_IMM(BPF_REG_7, 1 + below(w, 64)));
	emit(p, MOV_IMM(BPF_REG_8, 0));
	emit(p, ADD_IMM(BPF_REG_8, 1));
	emit(p, ADD_IMM(BPF_REG_7, -1));
	emit(p, JNE_IMM(BPF_REG_7, 0, -3));
}

static void blk_helper(struct worker *w, struct prog_gen *p, __u32 type)
{
	static const int any[] = {
		BPF_FUNC_get_prandom_u32, BPF_FUNC_ktime_get_ns, BPF_FUNC_get_smp_processor_id,
	};
	static const int tracing[] = {
		BPF_FUNC_get_current_pid_tgid, BPF_FUNC_get_current_uid_gid,
		BPF_FUNC_get_current_task,
	};

	if (tracing_type(type) && chance(w, 50))
		emit(p, CALL(tracing[below(w, ARRAY_LEN(tracing))]));
	else
		emit(p, CALL(any[below(w, ARRAY_LEN(any))]));
}

/* One block on a map of the table that suits it, or a map-less one. */
static void blk_any(struct worker *w, struct prog_gen *p, __u32 type, int tail_ok)
{
	__u64 queues = MAP_BIT(BPF_MAP_TYPE_QUEUE) | MAP_BIT(BPF_MAP_TYPE_STACK);
	struct entry m;

	switch (below(w, 8)) {
	case 0:
	case 1:
		if (table_pick(w, K_MAP, ELEM_MAPS, MAX_PROG_KEY, MAX_PROG_VALUE, &m))
			break;
		blk_elem(w, p, &m);
		return;
	case 2:
		if (table_pick(w, K_MAP, queues, 0, MAX_PROG_VALUE, &m))
			break;
		blk_queue(w, p, &m);
		return;
	case 3:
		if (table_pick(w, K_MAP, MAP_BIT(BPF_MAP_TYPE_RINGBUF), 0, 0, &m))
			break;
		blk_ringbuf(w, p, &m);
		return;
	case 4:
		if (table_pick(w, K_MAP, MAP_BIT(BPF_MAP_TYPE_PERF_EVENT_ARRAY), 0, 0, &m))
			break;
		blk_perf_output(w, p, &m);
		return;
	case 5:
		if (!tracing_type(type) ||
		    table_pick(w, K_MAP, MAP_BIT(BPF_MAP_TYPE_STACK_TRACE), 0, 0, &m))
			break;
		blk_stackid(w, p, &m);
		return;
	case 6:
		/* Tail calls and bpf-to-bpf calls together want a small stack. */
		if (!tail_ok || table_pick(w, K_MAP, MAP_BIT(BPF_MAP_TYPE_PROG_ARRAY), 0, 0, &m))
			break;
		emit(p, MOV_REG(BPF_REG_1, BPF_REG_6));
		emit_map(p, BPF_REG_2, m.fd);
		emit(p, MOV_IMM(BPF_REG_3, below(w, m.max_entries + 1)));
		emit(p, CALL(BPF_FUNC_tail_call));
		return;
	default:
		blk_loop(w, p);
		return;
	}
	blk_helper(w, p, type);
}

/* What a program of @type returns: mostly a value its hook lets pass. */
static int prog_ret(struct worker *w, __u32 type)
{
	switch (type) {
	case BPF_PROG_TYPE_XDP:
		return chance(w, 80) ? XDP_PASS : below(w, 5);
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return chance(w, 50) ? 0 : 0xffff;
	default:
		return below(w, 2);
	}
}

/*
 * r6 keeps the context; a few blocks; sometimes a bpf-to-bpf call to a
 * subprogram with blocks of its own; the return value. Rarely, a long
 * straight run of arithmetic makes it thousands of instructions long.
 */
static unsigned int gen_template(struct worker *w, __u32 type, unsigned int cap)
{
	struct prog_gen p = { .insns = w->insns, .cap = cap };
	unsigned int i, nblk = below(w, 5), call = 0;
	int sub = chance(w, 25);

	emit(&p, MOV_REG(BPF_REG_6, BPF_REG_1));
	if (chance(w, 1)) {
		unsigned int len = 1000 + below(w, cap - 1100);

		emit(&p, MOV_IMM(BPF_REG_7, 0));
		for (i = 0; i < len; i++)
			emit(&p, ADD_IMM(BPF_REG_7, (__s32)rnd(w)));
	}
	for (i = 0; i < nblk; i++)
		blk_any(w, &p, type, !sub);
	if (sub) {
		emit(&p, MOV_REG(BPF_REG_1, BPF_REG_6));
		call = p.n;
		emit(&p, CALL_SUB(0));
	}
	emit(&p, MOV_IMM(BPF_REG_0, prog_ret(w, type)));
	emit(&p, EXIT());
	if (sub && p.n < p.cap) {
		p.insns[call].imm = p.n - (call + 1);
		emit(&p, MOV_REG(BPF_REG_6, BPF_REG_1));
		for (i = below(w, 3); i; i--)
			blk_any(w, &p, type, 0);
		emit(&p, MOV_IMM(BPF_REG_0, 0));
		emit(&p, EXIT());
	}
	return p.n;
}

/* A few slots of a template get a random opcode, register, offset or imm. */
static void mutate(struct worker *w, struct bpf_insn *insns, unsigned int cnt)
{
	unsigned int n = 1 + below(w, 3);
	struct bpf_insn *in;

	while (n--) {
		in = &insns[below(w, cnt)];
		switch (below(w, 5)) {
		case 0:
			in->code = rnd(w);
			break;
		case 1:
			in->dst_reg = below(w, 16);
			break;
		case 2:
			in->src_reg = below(w, 16);
			break;
		case 3:
			in->off = chance(w, 50) ? in->off + (int)below(w, 5) - 2 : (__s16)rnd(w);
			break;
		default:
			in->imm = interesting(w);
			break;
		}
	}
}

/*
 * A program of @type in w->insns: template, mutated template or random
 * bytes (@origin says which), sanitized. Returns its length.
 */
static unsigned int gen_prog(struct worker *w, __u32 type, enum prog_origin *origin)
{
	unsigned int cnt, i;
	__u64 *raw = (__u64 *)w->insns;

	switch (below(w, 10)) {
	case 0:
		*origin = PO_RANDOM;
		cnt = chance(w, 90) ? 1 + below(w, 64) : 1 + below(w, MAX_INSNS);
		for (i = 0; i < cnt; i++)
			raw[i] = rnd(w);
		if (chance(w, 50))
			w->insns[cnt - 1] = EXIT();
		break;
	case 1:
	case 2:
		*origin = PO_MUTATED;
		cnt = gen_template(w, type, MAX_INSNS / 2);
		mutate(w, w->insns, cnt);
		break;
	default:
		*origin = PO_TEMPLATE;
		/* A rare one past 4096 instructions, as the cap on the rest. */
		cnt = gen_template(w, type, chance(w, 5) ? MAX_INSNS : MAX_INSNS / 2);
		break;
	}
	sanitize_insns(w->insns, cnt);
	return cnt;
}

#endif /* KBPF_BPF_FUZZ_PROGS_H */
