// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-host scalar-soundness [N]: the verifier's scalar domain checked
 * against the interpreter.
 *
 * Each of N samples builds two abstract operands, each with up to
 * MAX_MEMBERS concrete values it must hold: the join of a few random
 * values, the result of a random ALU instruction on such joins, or a join
 * narrowed by a random branch, plus values drawn from what the abstract
 * operand allows. Then every ALU form and every conditional jump runs on
 * the pair: the interpreter computes each pair of members, and the
 * abstract result must hold what it gives; a branch's narrowing must keep
 * every pair that takes the edge, and a decided condition must decide every
 * pair alike. Join and subset are checked on the operands as well.
 *
 * Each of those checks counts once in the closing "N passed, N failed";
 * a failure prints the instruction, the values and the abstract states.
 */
#include <stdio.h>
#include <string.h>

#include <linux/array_size.h>

#include "insn.h"
#include "interp.h"
#include "scalar.h"
#include "soundness.h"

/* About two seconds on the machines kbpf is developed on. */
#define DEFAULT_SAMPLES	20000
#define MAX_MEMBERS	8
#define MAX_REPORTS	20
#define SIGN64		(~0ULL - (~0ULL >> 1))

/**
 * struct operand - an abstract operand and values it must hold
 * @s: the abstract operand
 * @v: the values
 * @n: how many
 * @how: how @s was built
 */
struct operand {
	struct kbpf_scalar s;
	__u64 v[MAX_MEMBERS];
	unsigned int n;
	const char *how;
};

/**
 * struct oracle - the interpreter running one instruction
 * @insns: r0 = r1; r0 OP= r2 or imm; exit, or r0 = whether r1 CMP r2 jumps
 * @prog: the program
 */
struct oracle {
	struct bpf_insn insns[4];
	struct kbpf_interp_prog prog;
};

static __u64 rng = 0x736f756e646e6573ULL;
static unsigned long passed, failed, reports, results;

static struct bpf_insn alu_forms[80], jmp_forms[48];
static unsigned int nr_alu_forms, nr_jmp_forms;

/* xorshift64 */
static __u64 next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Values near the edges of every width and sign, and plain random ones. */
static __u64 random_value(void)
{
	__u64 r = next_random();
	__u64 small = ((r >> 8) & 31) - 16;

	switch (r & 15) {
	case 0: case 1:
		return small;
	case 2:
		return 0x80 + small;
	case 3:
		return 0x8000 + small;
	case 4:
		return 0x80000000 + small;
	case 5:
		return 0x100000000ULL + small;
	case 6:
		return SIGN64 + small;
	case 7:
		return small << ((r >> 16) & 63);
	case 8:
		return (__u64)(__s64)(__s32)next_random();
	case 9:
		return (__u32)next_random();
	case 10:
		return next_random() & 0xff;
	default:
		return next_random();
	}
}

static void add_forms(void)
{
	static const __u8 binary[] = {
		BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_OR, BPF_AND,
		BPF_LSH, BPF_RSH, BPF_XOR, BPF_ARSH, BPF_MOV,
	};
	static const __u8 conds[] = {
		BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE,
		BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE, BPF_JSET,
	};
	static const struct bpf_insn others[] = {
		KBPF_SALU64_REG(BPF_DIV, 0, 2), KBPF_SALU64_IMM(BPF_DIV, 0, 0),
		KBPF_SALU32_REG(BPF_DIV, 0, 2), KBPF_SALU32_IMM(BPF_DIV, 0, 0),
		KBPF_SALU64_REG(BPF_MOD, 0, 2), KBPF_SALU64_IMM(BPF_MOD, 0, 0),
		KBPF_SALU32_REG(BPF_MOD, 0, 2), KBPF_SALU32_IMM(BPF_MOD, 0, 0),
		KBPF_NEG64(0), KBPF_NEG32(0),
		KBPF_MOVSX64(0, 2, 8), KBPF_MOVSX64(0, 2, 16),
		KBPF_MOVSX64(0, 2, 32), KBPF_MOVSX32(0, 2, 8),
		KBPF_MOVSX32(0, 2, 16),
		KBPF_TO_LE(0, 16), KBPF_TO_LE(0, 32), KBPF_TO_LE(0, 64),
		KBPF_TO_BE(0, 16), KBPF_TO_BE(0, 32), KBPF_TO_BE(0, 64),
		KBPF_BSWAP(0, 16), KBPF_BSWAP(0, 32), KBPF_BSWAP(0, 64),
	};
	static const __u8 alu_classes[] = { BPF_ALU64, BPF_ALU };
	static const __u8 jmp_classes[] = { BPF_JMP, BPF_JMP32 };
	unsigned int i, c;

	for (i = 0; i < ARRAY_SIZE(binary); i++) {
		for (c = 0; c < 2; c++) {
			alu_forms[nr_alu_forms++] =
				KBPF_INSN(alu_classes[c] | binary[i] | BPF_X,
					  0, 2, 0, 0);
			alu_forms[nr_alu_forms++] =
				KBPF_INSN(alu_classes[c] | binary[i] | BPF_K,
					  0, 0, 0, 0);
		}
	}
	for (i = 0; i < ARRAY_SIZE(others); i++)
		alu_forms[nr_alu_forms++] = others[i];
	for (i = 0; i < ARRAY_SIZE(conds); i++) {
		for (c = 0; c < 2; c++) {
			jmp_forms[nr_jmp_forms++] =
				KBPF_INSN(jmp_classes[c] | conds[i] | BPF_X,
					  1, 2, 1, 0);
			jmp_forms[nr_jmp_forms++] =
				KBPF_INSN(jmp_classes[c] | conds[i] | BPF_K,
					  1, 0, 1, 0);
		}
	}
}

/* @form with @imm where it takes an immediate operand. */
static struct bpf_insn with_imm(struct bpf_insn form, __s32 imm)
{
	__u8 op = BPF_OP(form.code);
	bool alu = BPF_CLASS(form.code) == BPF_ALU ||
		   BPF_CLASS(form.code) == BPF_ALU64;

	if (BPF_SRC(form.code) == BPF_K &&
	    !(alu && (op == BPF_END || op == BPF_NEG)))
		form.imm = imm;
	return form;
}

static bool is_jmp(const struct bpf_insn *insn)
{
	return BPF_CLASS(insn->code) == BPF_JMP ||
	       BPF_CLASS(insn->code) == BPF_JMP32;
}

static bool oracle_init(struct oracle *o, const struct bpf_insn *insn)
{
	memset(o, 0, sizeof(*o));
	if (is_jmp(insn)) {
		o->insns[0] = KBPF_MOV64_IMM(0, 1);
		o->insns[1] = *insn;
		o->insns[2] = KBPF_MOV64_IMM(0, 0);
		o->insns[3] = KBPF_EXIT();
		o->prog.len = 4;
	} else {
		o->insns[0] = KBPF_MOV64_REG(0, 1);
		o->insns[1] = *insn;
		o->insns[2] = KBPF_EXIT();
		o->prog.len = 3;
	}
	o->prog.insns = o->insns;
	return !kbpf_interp_prepare(&o->prog);
}

static __u64 oracle_run(const struct oracle *o, __u64 x, __u64 y)
{
	__u64 args[2] = { x, y }, r0 = 0;

	results++;
	if (kbpf_interp_exec(&o->prog, args, 2, &r0))
		return ~0ULL;
	return r0;
}

static void print_scalar(const char *name, const struct kbpf_scalar *s)
{
	printf("    # %s: var 0x%llx/0x%llx u [0x%llx, 0x%llx] s [%lld, %lld]",
	       name, (unsigned long long)s->var.value,
	       (unsigned long long)s->var.mask, (unsigned long long)s->umin,
	       (unsigned long long)s->umax, (long long)s->smin,
	       (long long)s->smax);
	printf(" u32 [0x%x, 0x%x] s32 [%d, %d]\n", s->u32_min, s->u32_max,
	       s->s32_min, s->s32_max);
}

/* Count a failed check; print the first few. */
static bool fail(unsigned long sample, const char *what,
		 const struct bpf_insn *insn, const struct operand *a,
		 const struct operand *b, __u64 x, __u64 y, __u64 out)
{
	failed++;
	if (reports++ >= MAX_REPORTS)
		return false;
	printf("FAIL sample %lu: %s: code 0x%02x off %d imm %d: x 0x%llx y 0x%llx -> 0x%llx\n",
	       sample, what, insn ? insn->code : 0, insn ? insn->off : 0,
	       insn ? insn->imm : 0, (unsigned long long)x,
	       (unsigned long long)y, (unsigned long long)out);
	if (a)
		print_scalar(a->how, &a->s);
	if (b)
		print_scalar(b->how, &b->s);
	return false;
}

static void add_member(struct operand *o, __u64 v)
{
	if (o->n < MAX_MEMBERS)
		o->v[o->n++] = v;
}

/* The join of up to four values, close together half of the time. */
static void make_join(struct operand *o, unsigned int max)
{
	unsigned int n = 1 + next_random() % max, i;
	struct kbpf_scalar one;
	__u64 v;

	o->n = 0;
	o->how = "join";
	for (i = 0; i < n; i++) {
		if (!i || next_random() & 1)
			v = random_value();
		else
			v = o->v[0] + (__s64)(__s8)next_random();
		add_member(o, v);
		kbpf_scalar_const(&one, v);
		if (i)
			kbpf_scalar_join(&o->s, &one);
		else
			o->s = one;
	}
}

/* A random ALU instruction's result on two joins, with its values. */
static void make_alu(struct operand *o)
{
	struct operand a, b;
	struct oracle orc;
	struct bpf_insn insn;
	unsigned int i;

	make_join(&a, 3);
	make_join(&b, 3);
	insn = with_imm(alu_forms[next_random() % nr_alu_forms],
			(__s32)random_value());
	o->s = a.s;
	o->n = 0;
	o->how = "alu result";
	if (kbpf_scalar_alu(&o->s, &b.s, &insn) || !oracle_init(&orc, &insn)) {
		*o = a;
		return;
	}
	for (i = 0; i < a.n * b.n && o->n < MAX_MEMBERS / 2; i++)
		add_member(o, oracle_run(&orc, a.v[i % a.n], b.v[i / a.n]));
}

/* A join narrowed by one edge of a random branch, with its values there. */
static void make_branch(struct operand *o)
{
	struct operand a, b;
	struct oracle orc;
	struct bpf_insn insn;
	bool taken = next_random() & 1;
	unsigned int i, j;

	make_join(&a, 4);
	make_join(&b, 2);
	insn = with_imm(jmp_forms[next_random() % nr_jmp_forms],
			(__s32)random_value());
	if (BPF_SRC(insn.code) == BPF_K) {
		b.n = 1;
		b.v[0] = (__u64)(__s64)insn.imm;
	}
	*o = a;
	o->how = "branch";
	o->n = 0;
	if (!oracle_init(&orc, &insn) ||
	    !kbpf_scalar_branch(&o->s, &b.s, &insn, taken)) {
		*o = a;
		return;
	}
	for (i = 0; i < a.n; i++) {
		for (j = 0; j < b.n; j++) {
			if ((oracle_run(&orc, a.v[i], b.v[j]) != 0) == taken)
				break;
		}
		if (j < b.n)
			add_member(o, a.v[i]);
	}
	if (!o->n)
		*o = a;
}

/*
 * A random operand. The values it was built from must be in it (for
 * derived operands this checks the instruction that made it); more are
 * drawn from what it allows, ends of its ranges first.
 */
static bool make_operand(struct operand *o, unsigned long sample)
{
	unsigned int i, tries;
	__u64 pick;

	switch (next_random() % 4) {
	case 0:
		make_alu(o);
		break;
	case 1:
		make_branch(o);
		break;
	default:
		make_join(o, 4);
		break;
	}
	for (i = 0; i < o->n; i++)
		if (!kbpf_scalar_contains(&o->s, o->v[i]))
			return fail(sample, "operand misses a value", NULL, o,
				    NULL, o->v[i], 0, 0);
	for (tries = 0; tries < 8 && o->n < MAX_MEMBERS; tries++) {
		switch (tries) {
		case 0:
			pick = o->s.umin;
			break;
		case 1:
			pick = o->s.umax;
			break;
		case 2:
			pick = o->s.smin;
			break;
		case 3:
			pick = o->s.smax;
			break;
		default:
			pick = o->s.var.value | (next_random() & o->s.var.mask);
			break;
		}
		if (kbpf_scalar_contains(&o->s, pick))
			add_member(o, pick);
	}
	passed++;
	return true;
}

static void check_alu(unsigned long sample, const struct bpf_insn *insn,
		      const struct operand *a, const struct operand *b)
{
	struct kbpf_scalar r = a->s;
	unsigned int i, j, nb = b->n;
	struct oracle orc;
	__u64 y, out;

	if (kbpf_scalar_alu(&r, &b->s, insn) || !oracle_init(&orc, insn)) {
		fail(sample, "instruction refused", insn, a, b, 0, 0, 0);
		return;
	}
	if (BPF_SRC(insn->code) == BPF_K)
		nb = 1;
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < nb; j++) {
			y = BPF_SRC(insn->code) == BPF_K ?
			    (__u64)(__s64)insn->imm : b->v[j];
			out = oracle_run(&orc, a->v[i], y);
			if (!kbpf_scalar_contains(&r, out)) {
				fail(sample, "alu result misses a value", insn,
				     a, b, a->v[i], y, out);
				print_scalar("result", &r);
				return;
			}
		}
	}
	passed++;
}

static void check_jmp(unsigned long sample, const struct bpf_insn *insn,
		      const struct operand *a, const struct operand *b)
{
	struct kbpf_scalar d[2] = { a->s, a->s }, s[2] = { b->s, b->s };
	bool reg = BPF_SRC(insn->code) == BPF_X, possible[2];
	unsigned int i, j, nb = reg ? b->n : 1;
	enum kbpf_cond cond;
	struct oracle orc;
	__u64 y, taken;

	if (!oracle_init(&orc, insn)) {
		fail(sample, "jump refused", insn, a, b, 0, 0, 0);
		return;
	}
	possible[0] = kbpf_scalar_branch(&d[0], &s[0], insn, false);
	possible[1] = kbpf_scalar_branch(&d[1], &s[1], insn, true);
	cond = kbpf_scalar_cond(&a->s, &b->s, insn);
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < nb; j++) {
			y = reg ? b->v[j] : (__u64)(__s64)insn->imm;
			taken = oracle_run(&orc, a->v[i], y) ? 1 : 0;
			if ((cond == KBPF_COND_TRUE && !taken) ||
			    (cond == KBPF_COND_FALSE && taken)) {
				fail(sample, "condition decided wrongly", insn,
				     a, b, a->v[i], y, taken);
				return;
			}
			if (!possible[taken] ||
			    !kbpf_scalar_contains(&d[taken], a->v[i]) ||
			    (reg && !kbpf_scalar_contains(&s[taken], y))) {
				fail(sample, taken ? "taken edge loses a pair" :
				     "edge not taken loses a pair", insn, a,
				     b, a->v[i], y, taken);
				if (possible[taken]) {
					print_scalar("dst on the edge",
						     &d[taken]);
					print_scalar("src on the edge",
						     &s[taken]);
				}
				return;
			}
		}
	}
	passed++;
}

/*
 * The join holds both operands' values and both operands by subset();
 * subset() only says yes when it is so.
 */
static void check_join(unsigned long sample, const struct operand *a,
		       const struct operand *b)
{
	struct kbpf_scalar j = a->s;
	unsigned int i;

	kbpf_scalar_join(&j, &b->s);
	if (!kbpf_scalar_subset(&a->s, &j) || !kbpf_scalar_subset(&b->s, &j) ||
	    !kbpf_scalar_subset(&a->s, &a->s)) {
		fail(sample, "join is not above its operands", NULL, a, b, 0, 0,
		     0);
		print_scalar("join", &j);
		return;
	}
	for (i = 0; i < a->n + b->n; i++) {
		__u64 v = i < a->n ? a->v[i] : b->v[i - a->n];

		if (!kbpf_scalar_contains(&j, v)) {
			fail(sample, "join misses a value", NULL, a, b, v, 0,
			     0);
			return;
		}
	}
	for (i = 0; i < a->n; i++) {
		if (kbpf_scalar_subset(&a->s, &b->s) &&
		    !kbpf_scalar_contains(&b->s, a->v[i])) {
			fail(sample, "subset of a scalar that misses a value",
			     NULL, a, b, a->v[i], 0, 0);
			return;
		}
	}
	passed++;
}

/**
 * kbpf_scalar_soundness() - check the scalar domain against the interpreter
 * @samples: how many pairs of operands to try; 0 for the default
 *
 * Return: 0 when every check passed, 1 otherwise.
 */
int kbpf_scalar_soundness(unsigned long samples)
{
	struct operand a, b;
	unsigned long n;
	__s32 imm;
	unsigned int i;

	if (!samples)
		samples = DEFAULT_SAMPLES;
	add_forms();
	for (n = 0; n < samples; n++) {
		if (!make_operand(&a, n) || !make_operand(&b, n))
			continue;
		/* An immediate related to b's values half of the time. */
		imm = next_random() & 1 ? (__s32)b.v[0] : (__s32)random_value();
		for (i = 0; i < nr_alu_forms; i++) {
			struct bpf_insn insn = with_imm(alu_forms[i], imm);

			check_alu(n, &insn, &a, &b);
		}
		for (i = 0; i < nr_jmp_forms; i++) {
			struct bpf_insn insn = with_imm(jmp_forms[i], imm);

			check_jmp(n, &insn, &a, &b);
		}
		check_join(n, &a, &b);
	}
	printf("scalar-soundness: %lu samples, %lu concrete results checked\n",
	       samples, results);
	printf("%lu passed, %lu failed\n", passed, failed);
	return failed != 0;
}
