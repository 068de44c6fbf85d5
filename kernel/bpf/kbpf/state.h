/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The abstract state the verifier carries along a path: what each register
 * of each frame holds, and what each byte of each frame's stack holds.
 */
#ifndef _KBPF_STATE_H
#define _KBPF_STATE_H

#include <linux/types.h>
#include <uapi/linux/bpf.h>

#include "interp.h"
#include "scalar.h"
#include "verifier.h"

enum kbpf_reg_type {
	KBPF_NOT_INIT,		/* never written on this path */
	KBPF_SCALAR,		/* a number, bounded by .var */
	KBPF_PTR_TO_CTX,	/* the program's context, plus .off */
	KBPF_PTR_TO_STACK,	/* frame .frameno's frame pointer, plus .off */
	KBPF_CONST_PTR_TO_MAP,	/* .map itself, for helpers */
	KBPF_PTR_TO_MAP_VALUE,	/* a value of .map, plus .off */
	KBPF_PTR_TO_MAP_VALUE_OR_NULL,	/* the same or NULL, as lookups return */
	KBPF_CONST_PTR_TO_MAP_OR_NULL,	/* a map or NULL, from maps of maps */
	KBPF_PTR_TO_MEM,	/* .mem_size bytes of reservation .ref, plus .off */
	KBPF_PTR_TO_MEM_OR_NULL,	/* the same or NULL, as reserving returns */
};

/* Types a NULL check (and nothing else) turns into pointers. */
static inline bool kbpf_type_may_be_null(u8 type)
{
	return type == KBPF_PTR_TO_MAP_VALUE_OR_NULL ||
	       type == KBPF_CONST_PTR_TO_MAP_OR_NULL ||
	       type == KBPF_PTR_TO_MEM_OR_NULL;
}

/* Most reservations a path may hold at once. */
#define KBPF_MAX_REFS		16

/**
 * struct kbpf_reg - what a register holds
 * @type: enum kbpf_reg_type
 * @frameno: for stack pointers, the frame whose stack it points into
 * @precise: for numbers in a saved state, whether a check on some path
 *	from it depended on the value (precision.c): only then do other
 *	states have to hold a value it allows to be covered by it
 * @off: for pointers, the constant offset from what it points to
 * @id: for pointers that may be NULL, which lookup they came from: a
 *	check of one copy against NULL tells about all of them; for numbers,
 *	which copies hold the same value: a branch on one bounds all
 *	(0: none)
 * @map: for map pointers and map values, the map
 * @ref: for pointers into a reservation (a ring buffer record), which
 *	one: the state holds it until a helper releases it (0: none)
 * @mem_size: for those pointers, the reservation's bytes
 * @var: for scalars, the possible values; for pointers, the variable part
 *	of the offset (0 unless a number was added to it)
 */
struct kbpf_reg {
	u8 type;
	u8 frameno;
	u8 precise;
	s32 off;
	u32 id;
	const struct kbpf_map_desc *map;
	u32 ref;
	u32 mem_size;
	struct kbpf_scalar var;
};

#define KBPF_STACK_SLOTS	(KBPF_STACK_SIZE / 8)

/* What one byte of stack holds. */
enum kbpf_stack_byte {
	KBPF_STACK_INVALID,	/* never written: must not be read */
	KBPF_STACK_DATA,	/* written with something that is not a pointer */
	KBPF_STACK_SPILL,	/* part of the 8-byte register spilled here */
	KBPF_STACK_ZERO,	/* written with zero: loads of it give 0 */
};

/**
 * struct kbpf_stack_slot - eight bytes of stack, 8-byte aligned
 * @bytes: enum kbpf_stack_byte for each byte
 * @zero_precise: in a saved state, a check on some path from it depended
 *	on the number 0 a load of its ZERO bytes gave (precision.c): only
 *	then must other states have zeros there to be covered
 * @spilled: the register stored here, when all eight bytes are SPILL
 */
struct kbpf_stack_slot {
	u8 bytes[8];
	u8 zero_precise;
	struct kbpf_reg spilled;
};

/**
 * struct kbpf_frame - one function's registers and stack
 * @regs: r0 to r10
 * @stack: slot i covers bytes [-8 (i + 1), -8 i) below the frame pointer;
 *	only as many as were written are allocated, the rest are unwritten
 * @nr_slots: slots in @stack
 * @callsite: the call instruction that made this frame (the caller resumes
 *	after it); unused in the first frame
 * @subprog: the subprogram running in it
 *
 * States are copied at every fork and kept at every save, so a frame
 * holds only the stack its program has used: a few slots, most often.
 */
struct kbpf_frame {
	struct kbpf_reg regs[__MAX_BPF_REG];
	struct kbpf_stack_slot *stack;
	u32 nr_slots;
	u32 callsite;
	u32 subprog;
};

/**
 * struct kbpf_held_ref - a reservation the path holds
 * @id: the id its pointers carry in kbpf_reg.ref
 * @insn: the call that made it, for the log
 */
struct kbpf_held_ref {
	u32 id;
	u32 insn;
};

/**
 * struct kbpf_state - the whole machine state on one path
 * @nr_frames: frames in use; the last is the running one
 * @frames: the frames, allocated as calls need them
 * @nr_refs: reservations held, in @refs
 * @refs: each must be released (submitted or discarded) before the
 *	program exits, in order of reservation
 */
struct kbpf_state {
	u32 nr_frames;
	struct kbpf_frame *frames[KBPF_MAX_CALL_FRAMES];
	u32 nr_refs;
	struct kbpf_held_ref refs[KBPF_MAX_REFS];
};

/**
 * kbpf_frame_nr_regs() - registers of @frame, for kbpf_frame_reg()
 * @frame: the frame
 *
 * Return: r0-r10 and one per stack slot.
 */
static inline u32 kbpf_frame_nr_regs(const struct kbpf_frame *frame)
{
	return __MAX_BPF_REG + frame->nr_slots;
}

/**
 * kbpf_frame_reg() - every register value @frame holds, by index
 * @frame: the frame
 * @i: below kbpf_frame_nr_regs()
 *
 * Return: r0-r10, then the register spilled in each slot (not
 * initialized where none is): all the copies a fact about one may be
 * shared with.
 */
static inline struct kbpf_reg *kbpf_frame_reg(struct kbpf_frame *frame, u32 i)
{
	return i < __MAX_BPF_REG ? &frame->regs[i] :
				   &frame->stack[i - __MAX_BPF_REG].spilled;
}

void kbpf_reg_mark_scalar(struct kbpf_reg *reg);
void kbpf_reg_mark_const(struct kbpf_reg *reg, u64 value);
int kbpf_state_init(struct kbpf_state *st);
int kbpf_state_push_frame(struct kbpf_state *st, u32 callsite, u32 subprog);
void kbpf_state_pop_frame(struct kbpf_state *st);
int kbpf_frame_grow(struct kbpf_frame *frame, u32 nr_slots);
const struct kbpf_stack_slot *kbpf_frame_slot(const struct kbpf_frame *frame,
					      u32 i);
int kbpf_state_copy(struct kbpf_state *dst, const struct kbpf_state *src);
void kbpf_state_free(struct kbpf_state *st);
size_t kbpf_state_bytes(const struct kbpf_state *st);
void kbpf_state_forget_lone_ids(struct kbpf_state *st);
bool kbpf_state_subsumes(const struct kbpf_state *old,
			 const struct kbpf_state *cur, bool exact);
bool kbpf_state_equal(const struct kbpf_state *a, const struct kbpf_state *b);
u64 kbpf_state_hash(const struct kbpf_state *st);

#endif /* _KBPF_STATE_H */
