// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's exploration: every path of the program, instruction by
 * instruction, on an abstract state (state.h).
 *
 * A conditional jump whose outcome the bounds do not decide forks the
 * path: one side goes on, the other waits on a stack of pending branches,
 * each refined by what its edge implies. Loops are explored iteration by
 * iteration; nothing else bounds them but the limit of processed
 * instructions, so a program is accepted only when every path ends.
 *
 * At the points where paths meet (structure.c marks them) the state is
 * saved. A later path arriving in a state that a finished save describes
 * completely is pruned: everything from there was already found safe. A
 * save counts its unfinished descendants (@branches) and is finished when
 * that count drops to zero. A path that arrives at an unfinished save of
 * its own, in an equal state, has made no progress: an infinite loop.
 *
 * What is checked so far: registers are initialized before use, r0 is a
 * number at exit, stack accesses stay within the frame and read only
 * written bytes, spilled pointers survive spills and fills but not
 * partial reads, pointer arithmetic is limited to constant offsets, and
 * the stack of a chain of calls fits in 512 bytes, and the context is
 * read as the program type allows (ctx.c), and helpers are called as
 * their prototypes say (helpers.c). Maps come with their table; until
 * then they are refused.
 */

#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/stdarg.h>
#include <linux/string.h>

#include "insn.h"
#include "state.h"
#include "verifier.h"

#define PTR_ARITH	"pointer arithmetic: only add and sub of a constant"

/* Instructions processed over all paths before giving up (upstream's). */
#define KBPF_MAX_PROCESSED	1000000
/*
 * Saved states kept for pruning, per instruction and in all: past these,
 * paths go on unsaved. That costs precision of pruning, never soundness,
 * and bounds the memory and the comparisons a loop can cost.
 */
#define KBPF_MAX_SNAPSHOTS_AT	32
#define KBPF_MAX_SNAPSHOTS	4096
/* Branches waiting at once (upstream's limit), each a copy of the state. */
#define KBPF_MAX_PENDING	8192

/**
 * struct kbpf_snapshot - a state saved where paths meet
 * @st: the state
 * @parent: the previous save on the same path
 * @next: the next save at the same instruction
 * @branches: paths and unfinished saves that descend from this one
 */
struct kbpf_snapshot {
	struct kbpf_state st;
	struct kbpf_snapshot *parent;
	struct kbpf_snapshot *next;
	u32 branches;
};

/**
 * struct kbpf_pending - a branch waiting to be explored
 * @st: its state
 * @insn: where it starts
 * @snap: the last save on its path
 * @log_pos: the log's end where it forked, to go back to at level 1
 * @next: the branch pushed before it
 */
struct kbpf_pending {
	struct kbpf_state st;
	u32 insn;
	struct kbpf_snapshot *snap;
	u64 log_pos;
	struct kbpf_pending *next;
};

struct explorer {
	struct kbpf_verifier_env *env;
	struct kbpf_snapshot **saved;
	struct kbpf_pending *pending;
	struct kbpf_state cur;
	struct kbpf_snapshot *snap;
	u32 insn;
	u32 processed;
	u32 nr_snapshots;
	u32 nr_pending;
};

static int reject(struct explorer *x, const char *fmt, ...) __printf(2, 3);

static int reject(struct explorer *x, const char *fmt, ...)
{
	char msg[128];
	va_list args;

	if (kbpf_log_enabled(x->env->log)) {
		va_start(args, fmt);
		vscnprintf(msg, sizeof(msg), fmt, args);
		va_end(args);
		kbpf_log(x->env->log, "insn %u (code 0x%02x): %s\n", x->insn,
			 x->env->insns[x->insn].code, msg);
	}
	return -EACCES;
}

static struct kbpf_frame *cur_frame(struct explorer *x)
{
	return x->cur.frames[x->cur.nr_frames - 1];
}

static struct kbpf_reg *reg(struct explorer *x, u8 regno)
{
	return &cur_frame(x)->regs[regno];
}

static int check_init(struct explorer *x, u8 regno)
{
	if (reg(x, regno)->type == KBPF_NOT_INIT)
		return reject(x, "R%u is not initialized", regno);
	return 0;
}

/*
 * Each instruction explored, with the registers that hold something: at
 * level 2 for every path, at level 1 for the current one (the log goes
 * back to the fork when a path ends well, so the path that failed stays).
 */
static void log_insn(struct explorer *x)
{
	const struct bpf_insn *insn = &x->env->insns[x->insn];
	char line[512], *p = line, *end = line + sizeof(line);
	const struct kbpf_reg *r;
	int i;

	if (!(x->env->log->level & (KBPF_LOG_LEVEL1 | KBPF_LOG_LEVEL2)))
		return;
	p += scnprintf(p, end - p, "%u: (%02x) dst r%u src r%u off %d imm %d ;",
		       x->insn, insn->code, insn->dst_reg, insn->src_reg,
		       insn->off, insn->imm);
	for (i = 0; i < __MAX_BPF_REG; i++) {
		r = reg(x, i);
		if (r->type == KBPF_SCALAR && kbpf_scalar_is_const(&r->var))
			p += scnprintf(p, end - p, " R%d=%lld", i,
				       (long long)r->var.var.value);
		else if (r->type == KBPF_SCALAR)
			p += scnprintf(p, end - p, " R%d=[%lld,%lld]", i,
				       (long long)r->var.smin,
				       (long long)r->var.smax);
		else if (r->type == KBPF_PTR_TO_STACK)
			p += scnprintf(p, end - p, " R%d=fp%u%+d", i,
				       r->frameno, r->off);
		else if (r->type == KBPF_PTR_TO_CTX)
			p += scnprintf(p, end - p, " R%d=ctx%+d", i, r->off);
	}
	kbpf_log(x->env->log, "%s\n", line);
}

/* Queue the branch that starts at @insn in state @st, taken from the caller. */
static int push_branch(struct explorer *x, struct kbpf_state *st, u32 insn)
{
	struct kbpf_pending *p;

	if (x->nr_pending == KBPF_MAX_PENDING) {
		kbpf_state_free(st);
		kbpf_log(x->env->log,
			 "insn %u: program too complex: %u branches waiting at once\n",
			 x->insn, KBPF_MAX_PENDING);
		return -E2BIG;
	}
	p = kvcalloc(1, sizeof(*p), GFP_KERNEL);
	if (!p) {
		kbpf_state_free(st);
		return -ENOMEM;
	}
	x->nr_pending++;
	p->st = *st;
	p->insn = insn;
	p->snap = x->snap;
	p->log_pos = kbpf_log_pos(x->env->log);
	p->next = x->pending;
	x->pending = p;
	if (x->snap)
		x->snap->branches++;
	return 0;
}

/* The path ended safely: its saves may now be finished. */
static void end_path(struct explorer *x)
{
	struct kbpf_snapshot *s;

	for (s = x->snap; s; s = s->parent)
		if (--s->branches)
			break;
}

/* Take the next pending branch; false when none is left. */
static bool next_branch(struct explorer *x)
{
	struct kbpf_pending *p = x->pending;

	kbpf_state_free(&x->cur);
	if (!p)
		return false;
	x->pending = p->next;
	x->nr_pending--;
	x->cur = p->st;
	x->insn = p->insn;
	x->snap = p->snap;
	if (!(x->env->log->level & KBPF_LOG_LEVEL2))
		kbpf_log_rewind(x->env->log, p->log_pos);
	kvfree(p);
	return true;
}

static bool is_ancestor(const struct explorer *x, const struct kbpf_snapshot *s)
{
	const struct kbpf_snapshot *a;

	for (a = x->snap; a; a = a->parent)
		if (a == s)
			return true;
	return false;
}

/*
 * At a point where paths meet: 1 when a finished save covers this state
 * (the path is done), 0 to go on (after saving the state), or an error.
 */
static int meet(struct explorer *x)
{
	struct kbpf_snapshot *s;
	u32 here = 0;

	for (s = x->saved[x->insn]; s; s = s->next, here++) {
		if (!s->branches) {
			if (kbpf_state_subsumes(&s->st, &x->cur))
				return 1;
		} else if (kbpf_state_equal(&s->st, &x->cur) && is_ancestor(x, s)) {
			return reject(x, "infinite loop: back here in the same state");
		}
	}
	if (x->nr_snapshots == KBPF_MAX_SNAPSHOTS || here == KBPF_MAX_SNAPSHOTS_AT)
		return 0;
	s = kvcalloc(1, sizeof(*s), GFP_KERNEL);
	if (!s || kbpf_state_copy(&s->st, &x->cur)) {
		kvfree(s);
		return -ENOMEM;
	}
	s->parent = x->snap;
	s->branches = 1;
	s->next = x->saved[x->insn];
	x->saved[x->insn] = s;
	x->snap = s;
	x->nr_snapshots++;
	return 0;
}

static int check_alu(struct explorer *x, const struct bpf_insn *insn)
{
	struct kbpf_reg *dst = reg(x, insn->dst_reg), *src = NULL, src_val;
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	u8 op = BPF_OP(insn->code);
	s64 delta;
	int err;

	/* A copy: dst and src may be the same register. */
	if (BPF_SRC(insn->code) == BPF_X && op != BPF_END) {
		err = check_init(x, insn->src_reg);
		if (err)
			return err;
		src_val = *reg(x, insn->src_reg);
		src = &src_val;
	}
	if (op == BPF_MOV) {
		if (src && src->type != KBPF_SCALAR) {
			if (!alu64 || insn->off)
				return reject(x, PTR_ARITH);
			*dst = *src;
			return 0;
		}
		kbpf_reg_mark_scalar(dst);
	} else {
		err = check_init(x, insn->dst_reg);
		if (err)
			return err;
	}

	if (dst->type != KBPF_SCALAR) {
		/* pointer += constant, pointer -= constant: nothing else */
		if (!alu64 || (op != BPF_ADD && op != BPF_SUB) ||
		    (src && (src->type != KBPF_SCALAR ||
			     !kbpf_scalar_is_const(&src->var))))
			return reject(x, PTR_ARITH);
		delta = src ? (s64)src->var.var.value : insn->imm;
		if (op == BPF_SUB)
			delta = -delta;
		if (delta > (1 << 29) || delta < -(1 << 29) ||
		    dst->off + delta > (1 << 29) || dst->off + delta < -(1 << 29))
			return reject(x, "pointer arithmetic: offset %lld out of range",
				      (long long)delta);
		dst->off += delta;
		return 0;
	}
	if (src && src->type != KBPF_SCALAR)
		return reject(x, PTR_ARITH);
	if (kbpf_scalar_alu(&dst->var, src ? &src->var : NULL, insn))
		return reject(x, "unknown ALU instruction");
	return 0;
}

static int check_ld_imm64(struct explorer *x, const struct bpf_insn *insn)
{
	if (insn->src_reg)
		return reject(x, "maps are not supported yet");
	kbpf_reg_mark_const(reg(x, insn->dst_reg),
			    (u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32));
	return 0;
}

static u32 slot_index(s32 off)
{
	return (-off - 1) / 8;
}

/* The slot holding stack byte @off, for reading: maybe never allocated. */
static const struct kbpf_stack_slot *slot_get(const struct kbpf_frame *frame,
					      s32 off)
{
	return kbpf_frame_slot(frame, slot_index(off));
}

/* The same, for writing, after stack_grow() made room for it. */
static struct kbpf_stack_slot *slot_of(struct kbpf_frame *frame, s32 off)
{
	return &frame->stack[slot_index(off)];
}

static u8 byte_get(const struct kbpf_frame *frame, s32 off)
{
	return slot_get(frame, off)->bytes[(off % 8 + 8) % 8];
}

static void byte_set(struct kbpf_frame *frame, s32 off, u8 kind)
{
	slot_of(frame, off)->bytes[(off % 8 + 8) % 8] = kind;
}

/* Room in @frame's stack down to byte @off. */
static int stack_grow(struct kbpf_frame *frame, s32 off)
{
	return kbpf_frame_grow(frame, slot_index(off) + 1);
}

/*
 * Is [off, off + size) of the stack of the frame @base points into inside
 * the frame? Returns the frame, or NULL after rejecting.
 */
static struct kbpf_frame *stack_access(struct explorer *x,
				       const struct kbpf_reg *base, s16 insn_off,
				       u32 size, s32 *off, int *err)
{
	struct kbpf_frame *frame = x->cur.frames[base->frameno];
	struct kbpf_subprog *sub = &x->env->subprogs[frame->subprog];

	*off = base->off + insn_off;
	if (*off < -KBPF_STACK_SIZE || *off + (s32)size > 0) {
		*err = reject(x, "stack out of bounds: off %d size %u", *off, size);
		return NULL;
	}
	/* As upstream: spill tracking, and the C the interpreter is, need it. */
	if (*off % (s32)size) {
		*err = reject(x, "misaligned stack access: off %d size %u", *off, size);
		return NULL;
	}
	sub->stack_depth = max_t(u32, sub->stack_depth, -*off);
	return frame;
}

/* Turn a slot holding a spilled register into plain data. */
static void unspill(struct kbpf_stack_slot *slot)
{
	int i;

	if (slot->bytes[0] != KBPF_STACK_SPILL)
		return;
	for (i = 0; i < 8; i++)
		slot->bytes[i] = KBPF_STACK_DATA;
	memset(&slot->spilled, 0, sizeof(slot->spilled));
}

/* Every byte read must have been written, and none be part of a pointer. */
static int check_stack_read(struct explorer *x, struct kbpf_frame *frame,
			    s32 off, u32 size)
{
	const struct kbpf_stack_slot *slot;
	u32 i;

	for (i = 0; i < size; i++) {
		slot = slot_get(frame, off + i);
		if (byte_get(frame, off + i) == KBPF_STACK_INVALID)
			return reject(x, "invalid read from stack: off %d size %u",
				      off, size);
		if (slot->bytes[0] == KBPF_STACK_SPILL &&
		    slot->spilled.type != KBPF_SCALAR)
			return reject(x, "partial read of a spilled pointer");
	}
	return 0;
}

/* Store @value (NULL: data that is not a register) in frame @frameno. */
static int check_stack_write(struct explorer *x, u8 frameno, s32 off, u32 size,
			     const struct kbpf_reg *value)
{
	struct kbpf_frame *frame = x->cur.frames[frameno];
	struct kbpf_stack_slot *slot;
	u32 i;

	if (stack_grow(frame, off))
		return -ENOMEM;
	slot = slot_of(frame, off);

	/* A frame's stack pointer must not outlive it in its callers' stacks. */
	if (value && value->type == KBPF_PTR_TO_STACK &&
	    value->frameno > frameno)
		return reject(x, "cannot store a pointer to a callee's stack in its caller's");
	/* A whole aligned slot keeps what was stored, pointer or number. */
	if (size == 8 && !(off % 8) && value) {
		memset(slot->bytes, KBPF_STACK_SPILL, sizeof(slot->bytes));
		slot->spilled = *value;
		return 0;
	}
	if (value && value->type != KBPF_SCALAR)
		return reject(x, "invalid size of register spill");
	for (i = 0; i < size; i++) {
		unspill(slot_of(frame, off + i));
		byte_set(frame, off + i, KBPF_STACK_DATA);
	}
	return 0;
}

/* The register a load or store goes through must be a pointer. */
static int check_base(struct explorer *x, u8 regno)
{
	int err = check_init(x, regno);

	if (!err && reg(x, regno)->type == KBPF_SCALAR)
		return reject(x, "R%u is not a pointer", regno);
	return err;
}

/* A load from or store to the context, by the program type's rules. */
static int check_ctx(struct explorer *x, const struct kbpf_reg *base,
		     s16 off, u32 size, bool write)
{
	const char *why;

	/* The access must name the field as written: no moved pointers. */
	if (base->off)
		return reject(x, "dereference of a modified context pointer");
	why = kbpf_ctx_access(x->env->prog_type, off, size, write);
	if (why)
		return reject(x, "%s: off %d size %u", why, off, size);
	return 0;
}

static int check_load(struct explorer *x, const struct bpf_insn *insn)
{
	u32 size = kbpf_insn_size_bytes(insn->code);
	const struct kbpf_stack_slot *slot;
	struct kbpf_frame *frame;
	struct kbpf_reg *dst;
	int err;
	s32 off;

	err = check_base(x, insn->src_reg);
	if (err)
		return err;
	dst = reg(x, insn->dst_reg);
	if (reg(x, insn->src_reg)->type == KBPF_PTR_TO_CTX) {
		err = check_ctx(x, reg(x, insn->src_reg), insn->off, size, false);
	} else {
		frame = stack_access(x, reg(x, insn->src_reg), insn->off, size,
				     &off, &err);
		if (!frame)
			return err;
		slot = slot_get(frame, off);
		/* A whole spilled register comes back as it went in. */
		if (size == 8 && !(off % 8) &&
		    slot->bytes[0] == KBPF_STACK_SPILL) {
			*dst = slot->spilled;
			return 0;
		}
		err = check_stack_read(x, frame, off, size);
	}
	if (err)
		return err;
	/* Anything else loaded is a number of the load's width. */
	kbpf_reg_mark_scalar(dst);
	kbpf_scalar_from_load(&dst->var, size,
			      BPF_MODE(insn->code) == BPF_MEMSX);
	return 0;
}

static int check_store(struct explorer *x, const struct bpf_insn *insn)
{
	u32 size = kbpf_insn_size_bytes(insn->code);
	struct kbpf_reg *value = NULL, imm;
	struct kbpf_frame *frame;
	int err;
	s32 off;

	err = check_base(x, insn->dst_reg);
	if (err)
		return err;
	if (BPF_CLASS(insn->code) == BPF_STX) {
		err = check_init(x, insn->src_reg);
		if (err)
			return err;
		value = reg(x, insn->src_reg);
	} else if (size == 8) {
		kbpf_reg_mark_const(&imm, (s64)insn->imm);
		value = &imm;
	}
	if (reg(x, insn->dst_reg)->type == KBPF_PTR_TO_CTX)
		return check_ctx(x, reg(x, insn->dst_reg), insn->off, size, true);
	frame = stack_access(x, reg(x, insn->dst_reg), insn->off, size, &off,
			     &err);
	if (!frame)
		return err;
	return check_stack_write(x, reg(x, insn->dst_reg)->frameno, off, size,
				 value);
}

static int check_atomic(struct explorer *x, const struct bpf_insn *insn)
{
	u32 size = kbpf_insn_size_bytes(insn->code);
	struct kbpf_frame *frame;
	int err;
	s32 off;

	err = check_base(x, insn->dst_reg);
	err = err ?: check_init(x, insn->src_reg);
	if (!err && insn->imm == BPF_CMPXCHG)
		err = check_init(x, BPF_REG_0);
	if (err)
		return err;
	if (reg(x, insn->src_reg)->type != KBPF_SCALAR ||
	    (insn->imm == BPF_CMPXCHG && reg(x, BPF_REG_0)->type != KBPF_SCALAR))
		return reject(x, "atomic operation with a pointer operand");
	if (reg(x, insn->dst_reg)->type == KBPF_PTR_TO_CTX)
		return check_ctx(x, reg(x, insn->dst_reg), insn->off, size, true);
	frame = stack_access(x, reg(x, insn->dst_reg), insn->off, size, &off,
			     &err);
	if (!frame)
		return err;
	err = check_stack_read(x, frame, off, size);
	err = err ?: check_stack_write(x, reg(x, insn->dst_reg)->frameno, off,
				       size, NULL);
	if (err)
		return err;
	/* What the fetching forms return is whatever memory held. */
	if (insn->imm == BPF_CMPXCHG) {
		kbpf_reg_mark_scalar(reg(x, BPF_REG_0));
		kbpf_scalar_from_load(&reg(x, BPF_REG_0)->var, size, false);
	} else if (insn->imm & BPF_FETCH) {
		kbpf_reg_mark_scalar(reg(x, insn->src_reg));
		kbpf_scalar_from_load(&reg(x, insn->src_reg)->var, size, false);
	}
	return 0;
}

/* Both edges of a conditional jump, each with what it implies. */
static int check_cond(struct explorer *x, const struct bpf_insn *insn,
		      u32 target)
{
	bool reg_src = BPF_SRC(insn->code) == BPF_X;
	struct kbpf_reg *dst, *src = NULL, *tdst, *tsrc = NULL;
	struct kbpf_state taken;
	enum kbpf_cond cond = KBPF_COND_UNKNOWN;
	bool taken_ok = true;
	int err;

	err = check_init(x, insn->dst_reg);
	if (!err && reg_src)
		err = check_init(x, insn->src_reg);
	if (err)
		return err;
	dst = reg(x, insn->dst_reg);
	if (reg_src)
		src = reg(x, insn->src_reg);
	/* Comparisons with pointers narrow nothing: both edges as they are. */
	if (dst->type == KBPF_SCALAR && (!src || src->type == KBPF_SCALAR))
		cond = kbpf_scalar_cond(&dst->var, src ? &src->var : NULL, insn);
	if (cond == KBPF_COND_TRUE) {
		x->insn = target;
		return 0;
	}
	if (cond == KBPF_COND_FALSE) {
		x->insn++;
		return 0;
	}

	err = kbpf_state_copy(&taken, &x->cur);
	if (err)
		return err;
	if (dst->type == KBPF_SCALAR && (!src || src->type == KBPF_SCALAR)) {
		tdst = &taken.frames[taken.nr_frames - 1]->regs[insn->dst_reg];
		if (src)
			tsrc = &taken.frames[taken.nr_frames - 1]->regs[insn->src_reg];
		taken_ok = kbpf_scalar_branch(&tdst->var, tsrc ? &tsrc->var : NULL,
					      insn, true);
		if (!kbpf_scalar_branch(&dst->var, src ? &src->var : NULL, insn,
					false)) {
			/* Only the jump can happen: go there. */
			kbpf_state_free(&x->cur);
			x->cur = taken;
			x->insn = target;
			return 0;
		}
	}
	x->insn++;
	if (!taken_ok) {
		kbpf_state_free(&taken);
		return 0;
	}
	return push_branch(x, &taken, target);
}

/*
 * A memory argument and its size: stack bytes [off, off + size) for every
 * size the size register may hold. The helper reads them (all written) or
 * writes them (afterwards written, as far as the smallest size goes).
 */
static int check_helper_mem(struct explorer *x, u8 regno, u8 kind,
			    u8 size_kind)
{
	const struct kbpf_reg *mem = reg(x, regno), *size = reg(x, regno + 1);
	struct kbpf_frame *frame;
	s64 off;
	u32 i;
	int err;

	err = check_init(x, regno + 1);
	if (err)
		return err;
	if (mem->type != KBPF_PTR_TO_STACK)
		return reject(x, "R%u: helper memory must be on the stack", regno);
	if (size->type != KBPF_SCALAR)
		return reject(x, "R%u: a size must be a number", regno + 1);
	if (size_kind == KBPF_ARG_SIZE && !size->var.umin)
		return reject(x, "R%u: size may be 0", regno + 1);
	if (size->var.umax > KBPF_STACK_SIZE)
		return reject(x, "R%u: size may be over %u", regno + 1,
			      KBPF_STACK_SIZE);
	frame = x->cur.frames[mem->frameno];
	off = mem->off;
	if (off < -KBPF_STACK_SIZE || off + (s64)size->var.umax > 0)
		return reject(x, "helper access out of stack bounds: off %lld size %llu",
			      (long long)off, (unsigned long long)size->var.umax);
	if (!size->var.umax)
		return 0;
	x->env->subprogs[frame->subprog].stack_depth =
		max_t(u32, x->env->subprogs[frame->subprog].stack_depth, -off);
	if (kind == KBPF_ARG_MEM)
		return check_stack_read(x, frame, off, size->var.umax);
	if (size->var.umin && stack_grow(frame, off))
		return -ENOMEM;
	for (i = 0; i < size->var.umin; i++) {
		unspill(slot_of(frame, off + i));
		byte_set(frame, off + i, KBPF_STACK_DATA);
	}
	return 0;
}

static int check_helper(struct explorer *x, const struct bpf_insn *insn)
{
	const struct kbpf_helper_proto *proto;
	u8 i, kind;
	int err;

	proto = kbpf_helper_proto(x->env->prog_type, insn->imm);
	if (!proto)
		return reject(x, "helper %d is not allowed for this program type",
			      insn->imm);
	for (i = 0; i < ARRAY_SIZE(proto->args) && proto->args[i]; i++) {
		kind = proto->args[i];
		err = check_init(x, BPF_REG_1 + i);
		/* A memory argument and the size after it go together. */
		if (!err && (kind == KBPF_ARG_MEM || kind == KBPF_ARG_UNINIT_MEM)) {
			err = check_helper_mem(x, BPF_REG_1 + i, kind,
					       proto->args[i + 1]);
			i++;
		}
		if (err)
			return err;
	}
	/* Every helper here returns a number; r1-r5 do not survive calls. */
	kbpf_reg_mark_scalar(reg(x, BPF_REG_0));
	for (i = BPF_REG_1; i <= BPF_REG_5; i++)
		memset(reg(x, i), 0, sizeof(struct kbpf_reg));
	x->insn++;
	return 0;
}

static int check_call(struct explorer *x, const struct bpf_insn *insn)
{
	u32 target = x->insn + 1 + insn->imm;
	int err;

	if (insn->src_reg != BPF_PSEUDO_CALL)
		return check_helper(x, insn);
	err = kbpf_state_push_frame(&x->cur, x->insn,
				    x->env->aux[target].subprog);
	if (err == -E2BIG)
		return reject(x, "calls nest more than %u frames deep",
			      KBPF_MAX_CALL_FRAMES);
	if (err)
		return err;
	x->insn = target;
	return 0;
}

/* 1 when the program's last frame exits: the path is done. */
static int check_exit(struct explorer *x)
{
	const struct kbpf_reg *r0 = reg(x, BPF_REG_0);

	if (r0->type == KBPF_NOT_INIT)
		return reject(x, "R0 is not initialized at exit");
	if (r0->type != KBPF_SCALAR)
		return reject(x, "R0 must be a scalar at exit");
	if (x->cur.nr_frames == 1)
		return 1;
	x->insn = cur_frame(x)->callsite + 1;
	kbpf_state_pop_frame(&x->cur);
	return 0;
}

static int check_jmp(struct explorer *x, const struct bpf_insn *insn)
{
	bool jmp32 = BPF_CLASS(insn->code) == BPF_JMP32;
	struct kbpf_state other;
	int err;

	switch (BPF_OP(insn->code)) {
	case BPF_JA:
		x->insn += 1 + (jmp32 ? insn->imm : insn->off);
		return 0;
	case BPF_EXIT:
		return check_exit(x);
	case BPF_CALL:
		return check_call(x, insn);
	case BPF_JCOND:
		/* may_goto: on while the budget lasts, then the jump. */
		err = kbpf_state_copy(&other, &x->cur);
		if (err)
			return err;
		err = push_branch(x, &other, x->insn + 1 + insn->off);
		x->insn++;
		return err;
	}
	return check_cond(x, insn, x->insn + 1 + insn->off);
}

/* One instruction on the current path: <0 error, 1 path done, 0 go on. */
static int step(struct explorer *x)
{
	const struct bpf_insn *insn = &x->env->insns[x->insn];
	int err;

	log_insn(x);
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		err = check_alu(x, insn);
		break;
	case BPF_LD:
		if (BPF_MODE(insn->code) != BPF_IMM)
			return reject(x, "packet loads are not supported yet");
		err = check_ld_imm64(x, insn);
		x->insn++;
		break;
	case BPF_LDX:
		err = check_load(x, insn);
		break;
	case BPF_ST:
		err = check_store(x, insn);
		break;
	case BPF_STX:
		err = BPF_MODE(insn->code) == BPF_ATOMIC ? check_atomic(x, insn) :
							   check_store(x, insn);
		break;
	default:
		return check_jmp(x, insn);
	}
	if (!err)
		x->insn++;
	return err;
}

/*
 * With every frame's stack depth known, the deepest chain of calls must
 * fit in KBPF_STACK_SIZE: all its frames share one area. Subprograms call
 * each other as a DAG of at most KBPF_MAX_CALL_FRAMES levels, so as many
 * rounds of "mine plus my deepest callee's" settle every total.
 */
static int check_stack_chains(struct explorer *x)
{
	struct kbpf_verifier_env *env = x->env;
	u32 round, sp, i, callee, total[KBPF_MAX_SUBPROGS];

	for (sp = 0; sp < env->nr_subprogs; sp++) {
		env->subprogs[sp].stack_depth = (env->subprogs[sp].stack_depth + 7) & ~7U;
		total[sp] = env->subprogs[sp].stack_depth;
	}
	for (round = 0; round < KBPF_MAX_CALL_FRAMES; round++) {
		for (sp = 0; sp < env->nr_subprogs; sp++) {
			for (i = env->subprogs[sp].start;
			     i < env->subprogs[sp + 1].start; i++) {
				if (env->insns[i].code != (BPF_JMP | BPF_CALL) ||
				    env->insns[i].src_reg != BPF_PSEUDO_CALL)
					continue;
				callee = env->aux[i + 1 + env->insns[i].imm].subprog;
				total[sp] = max(total[sp],
						env->subprogs[sp].stack_depth + total[callee]);
			}
		}
	}
	if (total[0] > KBPF_STACK_SIZE) {
		x->insn = 0;
		return reject(x, "combined stack of %u bytes in a call chain, over %u",
			      total[0], KBPF_STACK_SIZE);
	}
	return 0;
}

static void free_explorer(struct explorer *x)
{
	struct kbpf_pending *p;
	struct kbpf_snapshot *s, *next;
	u32 i;

	/* Not through next_branch(): the log must keep the failing path. */
	kbpf_state_free(&x->cur);
	while ((p = x->pending)) {
		x->pending = p->next;
		kbpf_state_free(&p->st);
		kvfree(p);
	}
	for (i = 0; x->saved && i < x->env->len; i++) {
		for (s = x->saved[i]; s; s = next) {
			next = s->next;
			kbpf_state_free(&s->st);
			kvfree(s);
		}
	}
	kvfree(x->saved);
}

/**
 * kbpf_explore() - check every path of a structurally sound program
 * @env: the verification, after kbpf_check_structure()
 *
 * Return: 0 when every path is safe, with each subprogram's stack depth
 * in @env; -EACCES with a log line when one is not; -E2BIG when the
 * program takes more than KBPF_MAX_PROCESSED instructions to explore;
 * -ENOMEM.
 */
int kbpf_explore(struct kbpf_verifier_env *env)
{
	struct explorer x = { .env = env };
	int err;

	/*
	 * Every helper the program names must exist for its type, also in
	 * code no path reaches: the loader resolves every call.
	 */
	for (x.insn = 0; x.insn < env->len; x.insn++)
		if (env->insns[x.insn].code == (BPF_JMP | BPF_CALL) &&
		    !env->insns[x.insn].src_reg &&
		    !kbpf_helper_proto(env->prog_type, env->insns[x.insn].imm))
			return reject(&x, "helper %d is not allowed for this program type",
				      env->insns[x.insn].imm);
	x.insn = 0;

	x.saved = kvcalloc(env->len, sizeof(*x.saved), GFP_KERNEL);
	if (!x.saved)
		return -ENOMEM;
	err = kbpf_state_init(&x.cur);
	while (!err) {
		if (++x.processed > KBPF_MAX_PROCESSED) {
			kbpf_log(env->log,
				 "program too complex: more than %u instructions processed\n",
				 KBPF_MAX_PROCESSED);
			err = -E2BIG;
			break;
		}
		if (env->aux[x.insn].flags & KBPF_AUX_JUMP_TARGET) {
			err = meet(&x);
			if (err < 0)
				break;
			if (err) {
				err = 0;
				end_path(&x);
				if (!next_branch(&x))
					break;
				continue;
			}
		}
		err = step(&x);
		if (err > 0) {
			err = 0;
			end_path(&x);
			if (!next_branch(&x))
				break;
		}
	}
	if (!err)
		err = check_stack_chains(&x);
	if (!err) {
		/* At level 1 only a failing path is worth keeping. */
		if (!(env->log->level & KBPF_LOG_LEVEL2))
			kbpf_log_rewind(env->log, 0);
		kbpf_log(env->log, "processed %u insns, %u states saved\n",
			 x.processed, x.nr_snapshots);
	}
	free_explorer(&x);
	return err;
}
