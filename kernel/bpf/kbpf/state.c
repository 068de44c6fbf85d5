// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's abstract state: creating it, copying it at branches, and
 * comparing two of them for pruning.
 *
 * Pruning rests on one question: is every concrete machine state that
 * @cur describes also described by @old? If so, and every path from @old
 * was already found safe, every path from @cur is safe too. Whatever @old
 * leaves unconstrained (an uninitialized register, an unwritten stack
 * byte) was never read on those paths, so @cur may hold anything there.
 */

#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "state.h"

/**
 * kbpf_reg_mark_scalar() - the register holds some unknown number
 * @reg: the register
 */
void kbpf_reg_mark_scalar(struct kbpf_reg *reg)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = KBPF_SCALAR;
	kbpf_scalar_unknown(&reg->var);
}

/**
 * kbpf_reg_mark_const() - the register holds @value
 * @reg: the register
 * @value: the value
 */
void kbpf_reg_mark_const(struct kbpf_reg *reg, u64 value)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = KBPF_SCALAR;
	kbpf_scalar_const(&reg->var, value);
}

static void frame_init(struct kbpf_frame *frame, u32 frameno, u32 callsite,
		       u32 subprog)
{
	memset(frame, 0, sizeof(*frame));
	frame->callsite = callsite;
	frame->subprog = subprog;
	frame->regs[BPF_REG_10].type = KBPF_PTR_TO_STACK;
	frame->regs[BPF_REG_10].frameno = frameno;
}

/**
 * kbpf_state_init() - the state at a program's entry
 * @st: the state
 *
 * r1 holds the context, r10 the frame pointer; nothing else is known.
 *
 * Return: 0 or -ENOMEM.
 */
int kbpf_state_init(struct kbpf_state *st)
{
	memset(st, 0, sizeof(*st));
	if (kbpf_state_push_frame(st, 0, 0))
		return -ENOMEM;
	st->frames[0]->regs[BPF_REG_1].type = KBPF_PTR_TO_CTX;
	return 0;
}

/**
 * kbpf_state_push_frame() - enter a bpf-to-bpf call
 * @st: the state
 * @callsite: the call instruction
 * @subprog: the callee
 *
 * The callee gets the caller's r1-r5 as its arguments and a stack of its
 * own; its other registers are uninitialized.
 *
 * Return: 0 or -ENOMEM.
 */
int kbpf_state_push_frame(struct kbpf_state *st, u32 callsite, u32 subprog)
{
	struct kbpf_frame *frame;
	int i;

	if (st->nr_frames == KBPF_MAX_CALL_FRAMES)
		return -E2BIG;
	frame = kvcalloc(1, sizeof(*frame), GFP_KERNEL);
	if (!frame)
		return -ENOMEM;
	frame_init(frame, st->nr_frames, callsite, subprog);
	if (st->nr_frames)
		for (i = BPF_REG_1; i <= BPF_REG_5; i++)
			frame->regs[i] = st->frames[st->nr_frames - 1]->regs[i];
	st->frames[st->nr_frames++] = frame;
	return 0;
}

/**
 * kbpf_state_pop_frame() - leave the running function
 * @st: the state, with at least two frames
 *
 * The caller gets the callee's r0; its r1-r5 are uninitialized, as the
 * calling convention leaves them.
 */
void kbpf_state_pop_frame(struct kbpf_state *st)
{
	struct kbpf_frame *callee = st->frames[--st->nr_frames];
	struct kbpf_frame *caller = st->frames[st->nr_frames - 1];
	int i;

	caller->regs[BPF_REG_0] = callee->regs[BPF_REG_0];
	for (i = BPF_REG_1; i <= BPF_REG_5; i++)
		memset(&caller->regs[i], 0, sizeof(caller->regs[i]));
	kvfree(callee->stack);
	kvfree(callee);
	st->frames[st->nr_frames] = NULL;
}

/**
 * kbpf_frame_grow() - make room in a frame's stack for @nr_slots slots
 * @frame: the frame
 * @nr_slots: slots wanted, at most KBPF_STACK_SLOTS
 *
 * New slots are unwritten.
 *
 * Return: 0 or -ENOMEM.
 */
int kbpf_frame_grow(struct kbpf_frame *frame, u32 nr_slots)
{
	struct kbpf_stack_slot *stack;

	if (nr_slots <= frame->nr_slots)
		return 0;
	stack = kvcalloc(nr_slots, sizeof(*stack), GFP_KERNEL);
	if (!stack)
		return -ENOMEM;
	if (frame->nr_slots)
		memcpy(stack, frame->stack, frame->nr_slots * sizeof(*stack));
	kvfree(frame->stack);
	frame->stack = stack;
	frame->nr_slots = nr_slots;
	return 0;
}

/**
 * kbpf_frame_slot() - a frame's stack slot @i, for reading
 * @frame: the frame
 * @i: the slot, below KBPF_STACK_SLOTS
 *
 * Return: the slot; an unwritten one when it was never allocated.
 */
const struct kbpf_stack_slot *kbpf_frame_slot(const struct kbpf_frame *frame,
					      u32 i)
{
	static const struct kbpf_stack_slot unwritten;

	return i < frame->nr_slots ? &frame->stack[i] : &unwritten;
}

/**
 * kbpf_state_copy() - make @dst an independent copy of @src
 * @dst: an unused state
 * @src: the state to copy
 *
 * Return: 0 or -ENOMEM (@dst is then empty and needs no freeing).
 */
int kbpf_state_copy(struct kbpf_state *dst, const struct kbpf_state *src)
{
	u32 i;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < src->nr_frames; i++) {
		dst->frames[i] = kvcalloc(1, sizeof(*dst->frames[i]),
					  GFP_KERNEL);
		if (!dst->frames[i]) {
			kbpf_state_free(dst);
			return -ENOMEM;
		}
		memcpy(dst->frames[i], src->frames[i], sizeof(*src->frames[i]));
		dst->nr_frames++;
		/* The copy gets its own stack, of the same size. */
		dst->frames[i]->stack = NULL;
		dst->frames[i]->nr_slots = 0;
		if (!src->frames[i]->nr_slots)
			continue;
		if (kbpf_frame_grow(dst->frames[i], src->frames[i]->nr_slots)) {
			kbpf_state_free(dst);
			return -ENOMEM;
		}
		memcpy(dst->frames[i]->stack, src->frames[i]->stack,
		       src->frames[i]->nr_slots * sizeof(*src->frames[i]->stack));
	}
	dst->nr_refs = src->nr_refs;
	memcpy(dst->refs, src->refs, src->nr_refs * sizeof(src->refs[0]));
	return 0;
}

/**
 * kbpf_state_bytes() - memory a state takes
 * @st: the state
 *
 * Return: the bytes of its frames and their stacks.
 */
size_t kbpf_state_bytes(const struct kbpf_state *st)
{
	size_t bytes = 0;
	u32 i;

	for (i = 0; i < st->nr_frames; i++)
		bytes += sizeof(*st->frames[i]) +
			 st->frames[i]->nr_slots * sizeof(*st->frames[i]->stack);
	return bytes;
}

/**
 * kbpf_state_free() - release a state's frames
 * @st: the state
 */
void kbpf_state_free(struct kbpf_state *st)
{
	while (st->nr_frames) {
		kvfree(st->frames[--st->nr_frames]->stack);
		kvfree(st->frames[st->nr_frames]);
	}
}

/*
 * Pointers that may be NULL carry the id of the lookup they came from; a
 * NULL check settles every copy with the same id. Numbers copied from one
 * register to another share an id too: a branch on one bounds all. @old
 * covers @cur only if its ids pair with @cur's one to one: copies in @old
 * are copies in @cur. The pairs seen so far, for one comparison of two
 * states.
 */
#define KBPF_IDMAP_SIZE	32

struct idmap {
	u32 nr;
	u32 old[KBPF_IDMAP_SIZE];
	u32 cur[KBPF_IDMAP_SIZE];
};

static bool ids_pair(struct idmap *map, u32 old, u32 cur)
{
	u32 i;

	for (i = 0; i < map->nr; i++)
		if (map->old[i] == old || map->cur[i] == cur)
			return map->old[i] == old && map->cur[i] == cur;
	/* Out of room: say no, which costs pruning, never soundness. */
	if (map->nr == KBPF_IDMAP_SIZE)
		return false;
	map->old[map->nr] = old;
	map->cur[map->nr++] = cur;
	return true;
}

/*
 * One comparison of two states: whether numbers no check depended on are
 * compared too (@exact), and the ids paired so far.
 */
struct cmp {
	bool exact;
	struct idmap ids;
};

/* Is every value @cur may hold one @old allows? */
static bool reg_subsumes(const struct kbpf_reg *old, const struct kbpf_reg *cur,
			 struct cmp *cmp)
{
	struct idmap *ids = &cmp->ids;

	if (old->type == KBPF_NOT_INIT)
		return true;
	if (old->type != cur->type)
		return false;
	/* A number no path from @old depended on: any number will do. */
	if (old->type == KBPF_SCALAR && !old->precise && !cmp->exact)
		return true;
	/* Numbers @old knew equal must be equal in @cur too. */
	if (old->type == KBPF_SCALAR)
		return kbpf_scalar_subset(&cur->var, &old->var) &&
		       (!old->id || (cur->id && ids_pair(ids, old->id, cur->id)));
	/* A pointer: the same object, at offsets @old allows. */
	if (old->frameno != cur->frameno || old->map != cur->map ||
	    old->off != cur->off || old->mem_size != cur->mem_size ||
	    !kbpf_scalar_subset(&cur->var, &old->var))
		return false;
	/* Into the same reservation, for those the states hold. */
	if (old->ref && !ids_pair(ids, old->ref, cur->ref))
		return false;
	return !kbpf_type_may_be_null(old->type) ||
	       ids_pair(ids, old->id, cur->id);
}

static bool slot_subsumes(const struct kbpf_stack_slot *old,
			  const struct kbpf_stack_slot *cur, struct cmp *cmp)
{
	bool old_spill = old->bytes[0] == KBPF_STACK_SPILL;
	bool cur_spill = cur->bytes[0] == KBPF_STACK_SPILL;
	bool any_number = old_spill && old->spilled.type == KBPF_SCALAR &&
			  !old->spilled.precise && !cmp->exact;
	int i;

	/*
	 * A spilled register is all eight bytes or none; a spilled number
	 * no path depended on is as good as eight bytes of data.
	 */
	if (old_spill && !any_number)
		return cur_spill && reg_subsumes(&old->spilled, &cur->spilled, cmp);
	for (i = 0; i < 8; i++) {
		if (old->bytes[i] == KBPF_STACK_INVALID)
			continue;
		/* A zero @old relied on must be there; data may be zero. */
		if (old->bytes[i] == KBPF_STACK_ZERO &&
		    cur->bytes[i] != KBPF_STACK_ZERO &&
		    (old->zero_precise || cmp->exact))
			return false;
		/* Data where @old had data; a spilled number is data too. */
		if (cur->bytes[i] == KBPF_STACK_INVALID ||
		    (cur_spill && cur->spilled.type != KBPF_SCALAR))
			return false;
	}
	return true;
}

static bool frame_subsumes(const struct kbpf_frame *old,
			   const struct kbpf_frame *cur, struct cmp *cmp)
{
	u32 i;

	if (old->callsite != cur->callsite || old->subprog != cur->subprog)
		return false;
	for (i = 0; i < __MAX_BPF_REG; i++)
		if (!reg_subsumes(&old->regs[i], &cur->regs[i], cmp))
			return false;
	for (i = 0; i < max(old->nr_slots, cur->nr_slots); i++)
		if (!slot_subsumes(kbpf_frame_slot(old, i),
				   kbpf_frame_slot(cur, i), cmp))
			return false;
	return true;
}

static bool id_shared(struct kbpf_state *st, const struct kbpf_reg *r)
{
	struct kbpf_reg *c;
	u32 f, i;

	for (f = 0; f < st->nr_frames; f++) {
		for (i = 0; i < kbpf_frame_nr_regs(st->frames[f]); i++) {
			c = kbpf_frame_reg(st->frames[f], i);
			if (c != r && c->type == KBPF_SCALAR && c->id == r->id)
				return true;
		}
	}
	return false;
}

/**
 * kbpf_state_forget_lone_ids() - drop the ids no other number shares
 * @st: a state about to be saved for pruning
 *
 * A number whose id no other register or spilled slot has is linked to
 * nothing: without its id, the save covers states where it has none.
 */
void kbpf_state_forget_lone_ids(struct kbpf_state *st)
{
	struct kbpf_reg *r;
	u32 f, i;

	for (f = 0; f < st->nr_frames; f++) {
		for (i = 0; i < kbpf_frame_nr_regs(st->frames[f]); i++) {
			r = kbpf_frame_reg(st->frames[f], i);
			if (r->type == KBPF_SCALAR && r->id && !id_shared(st, r))
				r->id = 0;
		}
	}
}

/**
 * kbpf_state_subsumes() - does @old describe every machine state @cur does?
 * @old: a state from which every path was found safe
 * @cur: the state of the path being explored, at the same instruction
 * @exact: compare every number, also those no path from @old depended on
 *
 * Return: true when exploring on from @cur can find nothing new.
 */
bool kbpf_state_subsumes(const struct kbpf_state *old,
			 const struct kbpf_state *cur, bool exact)
{
	struct cmp cmp = { .exact = exact };
	struct idmap *ids = &cmp.ids;
	u32 i;

	if (old->nr_frames != cur->nr_frames || old->nr_refs != cur->nr_refs)
		return false;
	for (i = 0; i < old->nr_frames; i++)
		if (!frame_subsumes(old->frames[i], cur->frames[i], &cmp))
			return false;
	/*
	 * The same reservations held: each of @old's paths released its
	 * own, through pointers @cur has where @old had them.
	 */
	for (i = 0; i < old->nr_refs; i++)
		if (!ids_pair(ids, old->refs[i].id, cur->refs[i].id))
			return false;
	return true;
}

/* One step of FNV-1a over a 64-bit word. */
static u64 mix(u64 h, u64 v)
{
	return (h ^ v) * 0x100000001b3ULL;
}

static u64 reg_hash(u64 h, const struct kbpf_reg *r)
{
	const struct kbpf_scalar *v = &r->var;

	h = mix(h, r->type);
	if (r->type == KBPF_NOT_INIT)
		return h;
	h = mix(h, ((u64)r->frameno << 32) | (u32)r->off);
	h = mix(h, (unsigned long)r->map);
	h = mix(h, r->mem_size);
	h = mix(h, v->var.value);
	h = mix(h, v->var.mask);
	h = mix(h, v->umin);
	h = mix(h, v->umax);
	h = mix(h, v->smin);
	h = mix(h, v->smax);
	h = mix(h, ((u64)v->u32_min << 32) | v->u32_max);
	return mix(h, ((u64)(u32)v->s32_min << 32) | (u32)v->s32_max);
}

/**
 * kbpf_state_hash() - a fingerprint of what kbpf_state_equal() compares
 * @st: the state
 *
 * Equal states have equal fingerprints (ids, which equality pairs rather
 * than compares, and precision marks are left out; so are unwritten
 * slots, however many a frame has): looking for a path's earlier equal
 * state compares fingerprints first.
 *
 * Return: the fingerprint.
 */
u64 kbpf_state_hash(const struct kbpf_state *st)
{
	const struct kbpf_stack_slot *slot;
	const struct kbpf_frame *frame;
	u64 h = 0xcbf29ce484222325ULL, bytes;
	u32 f, i;

	h = mix(h, ((u64)st->nr_frames << 32) | st->nr_refs);
	for (f = 0; f < st->nr_frames; f++) {
		frame = st->frames[f];
		h = mix(h, ((u64)frame->callsite << 32) | frame->subprog);
		for (i = 0; i < __MAX_BPF_REG; i++)
			h = reg_hash(h, &frame->regs[i]);
		for (i = 0; i < frame->nr_slots; i++) {
			slot = &frame->stack[i];
			memcpy(&bytes, slot->bytes, sizeof(bytes));
			if (!bytes)
				continue;
			h = mix(mix(h, i), bytes);
			if (slot->bytes[0] == KBPF_STACK_SPILL)
				h = reg_hash(h, &slot->spilled);
		}
	}
	return h;
}

/**
 * kbpf_state_equal() - do two states describe exactly the same machines?
 * @a: a state
 * @b: another
 *
 * A path that comes back to an instruction in a state equal to one it had
 * there before has made no progress: it can loop forever.
 *
 * Return: whether each subsumes the other.
 */
bool kbpf_state_equal(const struct kbpf_state *a, const struct kbpf_state *b)
{
	return kbpf_state_subsumes(a, b, true) && kbpf_state_subsumes(b, a, true);
}
