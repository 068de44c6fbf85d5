// SPDX-License-Identifier: GPL-2.0
/*
 * Precision: which numbers in a saved state a check on some path from it
 * depended on.
 *
 * A saved state covers another when every value the other may hold is
 * one the saved state allows (state.c). For most numbers that is too
 * strict: clang's code is full of counters, lengths and flags that no
 * check ever reads, and two paths that differ only in them would be
 * explored twice, then four times, and so on. So a number in a saved
 * state is imprecise, and covers any number, until some check on a path
 * from the save depended on its value: then it and every number it was
 * computed from are marked precise, back through the path to the save
 * and the saves before it, and only precise numbers are compared.
 *
 * The checks that depend on a number's value are those where it leaves
 * the world of numbers (explore.c): it moves a pointer, it sizes memory
 * a helper touches or reserves, it decides a branch (one edge never
 * explored), it decides that a compare is a NULL check, or it stores
 * zeros the stack then knows as zeros. Everything else a number does
 * makes other numbers, which become precise in turn only if they are.
 *
 * Going back needs the instructions a path ran: each path keeps a trail
 * of them since its last save, and each save the trail that led to it.
 * Walking a trail backwards turns "r3 must be precise after insn N" into
 * what must be precise before it: for r3 = r1 + r2 both r1 and r2, for
 * r3 = 5 nothing, for a load of a spilled register the stack slot, for
 * the spill the register stored, through calls and returns into the
 * right frame. A load of stack bytes stored as zeros gives the number 0:
 * it makes the zeros of its slot precise (a store of zeros made the
 * register it stored precise at once). A conditional jump between two registers narrowed both,
 * so one precise after it makes both precise before it. A branch on a
 * number narrows its copies (the numbers that share its id) too, so a
 * jump between copied numbers makes its registers precise whenever
 * anything is, and a number marked precise in a save makes its copies
 * there precise too.
 *
 * Soundness: a saved state is compared only once every path from it has
 * ended (explore.c), so its marks are complete by then. A path pruned
 * because a save covered it takes on what that save's numbers had to be:
 * the same marks go back through its own trail.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "precision.h"

/**
 * kbpf_trail_push() - record that a path runs instruction @insn
 * @trail: the path's trail since its last save
 * @insn: the instruction
 * @frame: the frame it runs in
 *
 * A trail that would pass KBPF_TRAIL_MAX entries is marked lost instead:
 * backtracking through it then takes everything before it as precise.
 *
 * Return: 0 or -ENOMEM.
 */
int kbpf_trail_push(struct kbpf_trail *trail, u32 insn, u8 frame)
{
	struct kbpf_trail_entry *entries;
	u32 cap;

	if (trail->lost)
		return 0;
	if (trail->len == KBPF_TRAIL_MAX) {
		trail->lost = true;
		return 0;
	}
	if (trail->len == trail->cap) {
		cap = trail->cap ? trail->cap * 2 : 16;
		entries = kvmalloc_array(cap, sizeof(*entries), GFP_KERNEL);
		if (!entries)
			return -ENOMEM;
		if (trail->len)
			memcpy(entries, trail->entries,
			       trail->len * sizeof(*entries));
		kvfree(trail->entries);
		trail->entries = entries;
		trail->cap = cap;
	}
	trail->entries[trail->len++] = (struct kbpf_trail_entry){
		.insn = insn,
		.frame = frame,
	};
	return 0;
}

/**
 * kbpf_trail_copy() - make @dst an independent copy of @src
 * @dst: an unused trail
 * @src: the trail to copy
 *
 * Return: 0 or -ENOMEM (@dst is then empty).
 */
int kbpf_trail_copy(struct kbpf_trail *dst, const struct kbpf_trail *src)
{
	*dst = (struct kbpf_trail){ .lost = src->lost };
	if (!src->len)
		return 0;
	dst->entries = kvmalloc_array(src->len, sizeof(*dst->entries),
				      GFP_KERNEL);
	if (!dst->entries)
		return -ENOMEM;
	memcpy(dst->entries, src->entries, src->len * sizeof(*src->entries));
	dst->len = src->len;
	dst->cap = src->len;
	return 0;
}

/**
 * kbpf_trail_free() - release a trail's entries
 * @trail: the trail, empty afterwards
 */
void kbpf_trail_free(struct kbpf_trail *trail)
{
	kvfree(trail->entries);
	*trail = (struct kbpf_trail){};
}

/**
 * kbpf_precise_set_empty() - is nothing left to mark?
 * @set: the set
 *
 * Return: true when no register and no slot is in @set.
 */
bool kbpf_precise_set_empty(const struct kbpf_precise_set *set)
{
	u32 f;

	for (f = 0; f < KBPF_MAX_CALL_FRAMES; f++)
		if (set->regs[f] || set->slots[f])
			return false;
	return true;
}

static bool is_precise_number(const struct kbpf_reg *r)
{
	return r->type == KBPF_SCALAR && r->precise;
}

static bool is_spilled(const struct kbpf_stack_slot *slot)
{
	return slot->bytes[0] == KBPF_STACK_SPILL;
}

/**
 * kbpf_precise_set_of() - the numbers a saved state holds precise
 * @set: filled with them
 * @st: the state
 *
 * A path a save covered must make them precise on its own trail: the
 * paths from the save depended on them.
 */
void kbpf_precise_set_of(struct kbpf_precise_set *set,
			 const struct kbpf_state *st)
{
	const struct kbpf_frame *frame;
	u32 f, i;

	memset(set, 0, sizeof(*set));
	for (f = 0; f < st->nr_frames; f++) {
		frame = st->frames[f];
		for (i = BPF_REG_0; i < BPF_REG_10; i++)
			if (is_precise_number(&frame->regs[i]))
				set->regs[f] |= BIT(i);
		for (i = 0; i < frame->nr_slots; i++)
			if (frame->stack[i].zero_precise ||
			    (is_spilled(&frame->stack[i]) &&
			     is_precise_number(&frame->stack[i].spilled)))
				set->slots[f] |= BIT_ULL(i);
	}
}

static bool has_reg(const struct kbpf_precise_set *set, u8 f, u8 regno)
{
	return set->regs[f] & BIT(regno);
}

/* Before @e ran, what must be precise for @set to be after it. */
static void back_step(const struct kbpf_verifier_env *env,
		      const struct kbpf_trail_entry *e,
		      struct kbpf_precise_set *set)
{
	const struct bpf_insn *insn = &env->insns[e->insn];
	u8 f = e->frame, dst = insn->dst_reg, src = insn->src_reg, fetched;
	u8 op = BPF_OP(insn->code);
	bool reg_src = BPF_SRC(insn->code) == BPF_X;
	u16 *regs = &set->regs[f];

	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		if (!has_reg(set, f, dst) || op == BPF_END)
			return;
		if (op == BPF_MOV)
			*regs &= ~BIT(dst);
		if (reg_src)
			*regs |= BIT(src);
		return;
	case BPF_LD:
		/* A constant, a map, or a packet load (r0; r1-r5 clobbered). */
		*regs &= BPF_MODE(insn->code) == BPF_IMM ? ~BIT(dst) :
			 ~GENMASK(BPF_REG_5, BPF_REG_0);
		return;
	case BPF_LDX:
		if (!has_reg(set, f, dst))
			return;
		*regs &= ~BIT(dst);
		if (e->flags & KBPF_TRAIL_FILL)
			set->slots[e->stack_frame] |= BIT_ULL(e->slot);
		return;
	case BPF_ST:
	case BPF_STX:
		if (BPF_MODE(insn->code) == BPF_ATOMIC) {
			/*
			 * Only the fetching forms write a register, with what
			 * memory held: a spilled number, or nothing known.
			 */
			fetched = insn->imm == BPF_CMPXCHG ? BPF_REG_0 : src;
			if (!(insn->imm & BPF_FETCH) || !has_reg(set, f, fetched))
				return;
			*regs &= ~BIT(fetched);
			if (e->flags & KBPF_TRAIL_FILL)
				set->slots[e->stack_frame] |= BIT_ULL(e->slot);
			return;
		}
		if (!(e->flags & KBPF_TRAIL_SPILL) ||
		    !(set->slots[e->stack_frame] & BIT_ULL(e->slot)))
			return;
		set->slots[e->stack_frame] &= ~BIT_ULL(e->slot);
		if (BPF_CLASS(insn->code) == BPF_STX)
			*regs |= BIT(src);
		return;
	}

	switch (op) {
	case BPF_JA:
	case BPF_JCOND:
		return;
	case BPF_CALL:
		if (insn->src_reg != BPF_PSEUDO_CALL) {
			*regs &= ~GENMASK(BPF_REG_5, BPF_REG_0);
			return;
		}
		/* Back into the caller: the callee's arguments are its. */
		*regs |= set->regs[f + 1] & GENMASK(BPF_REG_5, BPF_REG_1);
		set->regs[f + 1] = 0;
		set->slots[f + 1] = 0;
		return;
	case BPF_EXIT:
		/* Back into the callee, from its caller: r0 is the callee's. */
		if (f && has_reg(set, f - 1, BPF_REG_0)) {
			set->regs[f - 1] &= ~BIT(BPF_REG_0);
			*regs |= BIT(BPF_REG_0);
		}
		return;
	}
	if (!reg_src)
		return;
	if (has_reg(set, f, dst) || has_reg(set, f, src) ||
	    ((e->flags & KBPF_TRAIL_LINKED) && !kbpf_precise_set_empty(set)))
		*regs |= BIT(dst) | BIT(src);
}

/**
 * kbpf_backtrack() - walk a trail backwards
 * @env: the verification
 * @trail: the instructions a path ran since a save
 * @len: how many of them to walk back through, from the @len-th
 * @set: what must be precise after them; what must be before, on return
 *
 * The caller handles a lost trail: nothing is known of it.
 */
void kbpf_backtrack(const struct kbpf_verifier_env *env,
		    const struct kbpf_trail *trail, u32 len,
		    struct kbpf_precise_set *set)
{
	while (len-- && !kbpf_precise_set_empty(set))
		back_step(env, &trail->entries[len], set);
}

/* Mark @r precise; false when it needs nothing (not a number, or done). */
static bool mark_one(struct kbpf_reg *r)
{
	if (r->type != KBPF_SCALAR || r->precise)
		return false;
	r->precise = 1;
	return true;
}

/* The copies of number @id in @st become precise too: a set for each. */
static void mark_copies(struct kbpf_state *st, u32 id,
			struct kbpf_precise_set *more)
{
	struct kbpf_frame *frame;
	struct kbpf_reg *r;
	u32 f, i;

	for (f = 0; f < st->nr_frames; f++) {
		frame = st->frames[f];
		for (i = 0; i < kbpf_frame_nr_regs(frame); i++) {
			r = kbpf_frame_reg(frame, i);
			if (r->id != id || !mark_one(r))
				continue;
			if (i < __MAX_BPF_REG)
				more->regs[f] |= BIT(i);
			else
				more->slots[f] |= BIT_ULL(i - __MAX_BPF_REG);
		}
	}
}

/**
 * kbpf_state_mark_precise() - mark what a path needs precise in a save
 * @st: the saved state the walk back reached
 * @set: what must be precise there; on return, what must be precise
 *	before it (the registers and slots newly marked, and their copies)
 *
 * What was precise already needs no second walk: the first one went
 * back from here with it. What is not a number is compared whole.
 */
void kbpf_state_mark_precise(struct kbpf_state *st,
			     struct kbpf_precise_set *set)
{
	struct kbpf_precise_set more = {};
	struct kbpf_stack_slot *slot;
	struct kbpf_frame *frame;
	struct kbpf_reg *r;
	u32 f, i;

	for (f = 0; f < KBPF_MAX_CALL_FRAMES; f++) {
		if (f >= st->nr_frames) {
			set->regs[f] = 0;
			set->slots[f] = 0;
			continue;
		}
		frame = st->frames[f];
		for (i = BPF_REG_0; i < BPF_REG_10; i++) {
			r = &frame->regs[i];
			if (!has_reg(set, f, i))
				continue;
			if (!mark_one(r))
				set->regs[f] &= ~BIT(i);
			else if (r->id)
				mark_copies(st, r->id, &more);
		}
		for (i = 0; i < KBPF_STACK_SLOTS; i++) {
			if (!(set->slots[f] & BIT_ULL(i)))
				continue;
			slot = i < frame->nr_slots ? &frame->stack[i] : NULL;
			/* Zeros came from stores of precise zeros. */
			if (slot && !is_spilled(slot) &&
			    memchr(slot->bytes, KBPF_STACK_ZERO, sizeof(slot->bytes)))
				slot->zero_precise = 1;
			if (!slot || !is_spilled(slot) || !mark_one(&slot->spilled))
				set->slots[f] &= ~BIT_ULL(i);
			else if (slot->spilled.id)
				mark_copies(st, slot->spilled.id, &more);
		}
	}
	for (f = 0; f < st->nr_frames; f++) {
		set->regs[f] |= more.regs[f];
		set->slots[f] |= more.slots[f];
	}
}

/**
 * kbpf_state_mark_all_precise() - every number of a save is precise
 * @st: the saved state
 *
 * For saves before a lost trail: what the path depended on is unknown.
 */
void kbpf_state_mark_all_precise(struct kbpf_state *st)
{
	struct kbpf_frame *frame;
	u32 f, i;

	for (f = 0; f < st->nr_frames; f++) {
		frame = st->frames[f];
		for (i = 0; i < kbpf_frame_nr_regs(frame); i++)
			mark_one(kbpf_frame_reg(frame, i));
		for (i = 0; i < frame->nr_slots; i++)
			frame->stack[i].zero_precise = 1;
	}
}
