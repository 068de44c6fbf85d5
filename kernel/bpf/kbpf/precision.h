/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Precision of numbers for pruning: which numbers of a saved state some
 * check on a path from it depended on (precision.c).
 */
#ifndef _KBPF_PRECISION_H
#define _KBPF_PRECISION_H

#include <linux/types.h>

#include "state.h"
#include "verifier.h"

/* struct kbpf_trail_entry.flags */
#define KBPF_TRAIL_SPILL	BIT(0)	/* stored a whole register in .slot */
#define KBPF_TRAIL_FILL		BIT(1)	/* loaded a spilled register, or zeros */
#define KBPF_TRAIL_LINKED	BIT(2)	/* compared numbers that have copies */

/* Entries one trail keeps; past them it is lost (see kbpf_trail). */
#define KBPF_TRAIL_MAX		4096

/**
 * struct kbpf_trail_entry - one instruction a path ran
 * @insn: its index
 * @frame: the frame it ran in (0: the main program)
 * @flags: KBPF_TRAIL_*
 * @stack_frame: for a spill or a fill, the frame whose stack it used
 * @slot: and the slot
 */
struct kbpf_trail_entry {
	u32 insn;
	u8 frame;
	u8 flags;
	u8 stack_frame;
	u8 slot;
};

/**
 * struct kbpf_trail - the instructions a path ran between two saves
 * @entries: in the order they ran
 * @len: entries used
 * @cap: entries allocated
 * @lost: more ran than KBPF_TRAIL_MAX: what depended on what is unknown
 */
struct kbpf_trail {
	struct kbpf_trail_entry *entries;
	u32 len;
	u32 cap;
	bool lost;
};

/**
 * struct kbpf_precise_set - numbers whose exact values a check needs
 * @regs: per frame, a bit per register
 * @slots: per frame, a bit per stack slot holding a spilled number
 */
struct kbpf_precise_set {
	u16 regs[KBPF_MAX_CALL_FRAMES];
	u64 slots[KBPF_MAX_CALL_FRAMES];
};

int kbpf_trail_push(struct kbpf_trail *trail, u32 insn, u8 frame);
int kbpf_trail_copy(struct kbpf_trail *dst, const struct kbpf_trail *src);
void kbpf_trail_free(struct kbpf_trail *trail);
bool kbpf_precise_set_empty(const struct kbpf_precise_set *set);
void kbpf_precise_set_of(struct kbpf_precise_set *set,
			 const struct kbpf_state *st);
void kbpf_backtrack(const struct kbpf_verifier_env *env,
		    const struct kbpf_trail *trail, u32 len,
		    struct kbpf_precise_set *set);
void kbpf_state_mark_precise(struct kbpf_state *st,
			     struct kbpf_precise_set *set);
void kbpf_state_mark_all_precise(struct kbpf_state *st);

#endif /* _KBPF_PRECISION_H */
