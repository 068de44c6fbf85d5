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
 * What is checked: registers are initialized before use, r0 is a number
 * at exit, stack accesses stay within the frame and read only written
 * bytes, spilled pointers survive spills and fills but not partial
 * reads, the stack of a chain of calls fits in 512 bytes, the context is
 * read as the program type allows (ctx.c), helpers are called as their
 * prototypes say (helpers.c), and map values are accessed inside the
 * value, for every offset a pointer may have, and only once a lookup's
 * result was checked against NULL. Pointers move by bounded numbers
 * only: a constant changes their fixed offset, anything else their
 * variable part (stack and map values only). Copies of a number share
 * its bounds when a branch narrows one, and stack bytes stored with zero
 * load as 0.
 */

#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/stdarg.h>
#include <linux/string.h>

#include "format_spec.h"
#include "insn.h"
#include "precision.h"
#include "state.h"
#include "verifier.h"

#define PTR_ARITH	"pointer arithmetic: only add and sub of a constant"

/* Instructions processed over all paths before giving up (upstream's). */
#define KBPF_MAX_PROCESSED	1000000
/*
 * Saved states kept for pruning, per instruction and in all: past these,
 * paths go on unsaved. That costs precision of pruning, never soundness,
 * and bounds the memory and the comparisons a loop can cost. A finished
 * save that keeps failing to cover the paths that come by is dropped
 * (more than KBPF_SNAPSHOT_MISSES per hit, and a few), as upstream does:
 * in a loop, each turn's states rarely cover the next's.
 */
#define KBPF_MAX_SNAPSHOTS_AT	1024
#define KBPF_MAX_SNAPSHOTS	16384
#define KBPF_SNAPSHOT_MISSES	3
/* Branches waiting at once (upstream's limit), each a copy of the state. */
#define KBPF_MAX_PENDING	8192
/*
 * Memory the states of one verification may take: saves (which are
 * optional: past their share, paths go on unsaved) and waiting branches
 * (which are not: past the whole, the program is too complex).
 */
#define KBPF_MAX_SAVED_BYTES	(128UL << 20)
#define KBPF_MAX_STATE_BYTES	(256UL << 20)
/*
 * Instructions between two looks at the scheduler. A pending signal is
 * looked for at every one, as upstream: an instruction's checks (a meet
 * with many saved states) may take long under emulation.
 */
#define KBPF_RESCHED_EVERY	4096

/**
 * struct kbpf_snapshot - a state saved where paths meet
 * @st: the state
 * @parent: the previous save on the same path
 * @next: once finished, the next finished save at the same instruction;
 *	before, the next unfinished save in its bucket of explorer.open
 * @pprev: before it is finished, the link to it in that bucket
 * @insn: the instruction it was saved at
 * @branches: paths and unfinished saves that descend from this one
 * @trail: the instructions run from @parent to here, for precision;
 *	freed once the save is finished (no path walks back through it)
 * @all_precise: every number of @st is precise, and of its ancestors
 * @hash: kbpf_state_hash() of @st, to find equal states fast
 * @bytes: kbpf_state_bytes() of @st
 * @hits: paths this save covered, once finished
 * @misses: paths it was compared with and did not cover
 * @written: per frame, the stack slots wholly written from @parent to
 *	here (all of a frame pushed on the way): what @parent held there
 *	was not read through here
 * @read: per frame, the stack slots some path from here read before
 *	writing them; once the save is finished, @st forgets the others
 */
struct kbpf_snapshot {
	struct kbpf_state st;
	struct kbpf_snapshot *parent;
	struct kbpf_snapshot *next;
	struct kbpf_snapshot **pprev;
	u32 insn;
	u32 branches;
	struct kbpf_trail trail;
	bool all_precise;
	u64 hash;
	size_t bytes;
	u32 hits;
	u32 misses;
	u64 written[KBPF_MAX_CALL_FRAMES];
	u64 read[KBPF_MAX_CALL_FRAMES];
};

/**
 * struct kbpf_pending - a branch waiting to be explored
 * @st: its state
 * @insn: where it starts
 * @snap: the last save on its path
 * @trail: the instructions its path ran since @snap
 * @written: the stack slots its path wholly wrote since @snap
 * @bytes: kbpf_state_bytes() of @st
 * @log_pos: the log's end where it forked, to go back to at level 1
 * @next: the branch pushed before it
 */
struct kbpf_pending {
	struct kbpf_state st;
	u32 insn;
	struct kbpf_snapshot *snap;
	struct kbpf_trail trail;
	u64 written[KBPF_MAX_CALL_FRAMES];
	size_t bytes;
	u64 log_pos;
	struct kbpf_pending *next;
};

/*
 * Unfinished saves, by instruction and fingerprint: the ones a path looks
 * through for an earlier equal state of its own. A loop of many turns
 * leaves one per turn at its head.
 */
#define KBPF_OPEN_BITS		12
#define KBPF_OPEN_BUCKETS	BIT(KBPF_OPEN_BITS)

struct explorer {
	struct kbpf_verifier_env *env;
	/* Per instruction, the finished saves: the ones that prune. */
	struct kbpf_snapshot **saved;
	/* The unfinished saves, in KBPF_OPEN_BUCKETS buckets. */
	struct kbpf_snapshot **open;
	/* Per instruction, saves of both kinds. */
	u16 *nr_saved_at;
	/* Memory of the saves, and of them and the waiting branches. */
	size_t saved_bytes;
	size_t state_bytes;
	struct kbpf_pending *pending;
	struct kbpf_state cur;
	struct kbpf_snapshot *snap;
	struct kbpf_trail trail;
	u64 written[KBPF_MAX_CALL_FRAMES];
	u32 insn;
	u32 processed;
	u32 nr_snapshots;
	u32 total_snapshots;
	u32 peak_snapshots;
	u32 max_snapshots_at;
	u32 nr_pending;
	u32 next_id;
	/* The source line the log showed last, as 1 + its index; 0 none. */
	u32 shown_line;
};

static int reject(struct explorer *x, const char *fmt, ...) __printf(2, 3);

static int reject(struct explorer *x, const char *fmt, ...)
{
	char msg[160];
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
		return reject(x, "R%u !read_ok", regno);
	return 0;
}

static const char *type_name(u8 type)
{
	static const char *const names[] = {
		[KBPF_NOT_INIT] = "uninitialized",
		[KBPF_SCALAR] = "a number",
		[KBPF_PTR_TO_CTX] = "the context",
		[KBPF_PTR_TO_STACK] = "a stack pointer",
		[KBPF_CONST_PTR_TO_MAP] = "a map",
		[KBPF_PTR_TO_MAP_VALUE] = "a map value",
		[KBPF_PTR_TO_MAP_VALUE_OR_NULL] = "a map value or NULL",
		[KBPF_CONST_PTR_TO_MAP_OR_NULL] = "a map or NULL",
		[KBPF_PTR_TO_MEM] = "a reserved record",
		[KBPF_PTR_TO_MEM_OR_NULL] = "a reserved record or NULL",
	};

	return names[type];
}

/* Upstream's name of a register's type, which its messages quote. */
static const char *upstream_type_name(u8 type)
{
	static const char *const names[] = {
		[KBPF_NOT_INIT] = "?",
		[KBPF_SCALAR] = "scalar",
		[KBPF_PTR_TO_CTX] = "ctx",
		[KBPF_PTR_TO_STACK] = "fp",
		[KBPF_CONST_PTR_TO_MAP] = "map_ptr",
		[KBPF_PTR_TO_MAP_VALUE] = "map_value",
		[KBPF_PTR_TO_MAP_VALUE_OR_NULL] = "map_value_or_null",
		[KBPF_CONST_PTR_TO_MAP_OR_NULL] = "map_ptr_or_null",
		[KBPF_PTR_TO_MEM] = "ringbuf_mem",
		[KBPF_PTR_TO_MEM_OR_NULL] = "ringbuf_mem_or_null",
	};

	return names[type];
}

/* The variable part of a pointer's offset, for the log: "" when none. */
static void var_text(char *buf, size_t size, const struct kbpf_reg *r)
{
	if (kbpf_scalar_is_const(&r->var) && !r->var.var.value)
		buf[0] = 0;
	else
		scnprintf(buf, size, "+[%lld,%lld]", (long long)r->var.smin,
			  (long long)r->var.smax);
}

/*
 * The source line an instruction belongs to, when the loader gave
 * line_info and the log did not just show it: "; text @ file:N", as
 * upstream annotates its log.
 */
static void log_line(struct explorer *x)
{
	const struct kbpf_verifier_env *env = x->env;
	u32 lo = 0, hi = env->nr_line_info, mid;
	const struct bpf_line_info *li;
	const char *text, *file, *slash;

	/* After the search, lo - 1 is the last line starting at or before. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (env->line_info[mid].insn_off <= x->insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || lo == x->shown_line)
		return;
	li = &env->line_info[lo - 1];
	/* Records of one line differing only by column show once. */
	if (x->shown_line) {
		const struct bpf_line_info *prev = &env->line_info[x->shown_line - 1];

		if (prev->file_name_off == li->file_name_off &&
		    BPF_LINE_INFO_LINE_NUM(prev->line_col) ==
		    BPF_LINE_INFO_LINE_NUM(li->line_col))
			return;
	}
	x->shown_line = lo;
	text = env->line_strs + li->line_off;
	while (isspace(*text))
		text++;
	file = env->line_strs + li->file_name_off;
	slash = strrchr(file, '/');
	kbpf_log(env->log, "; %s @ %s:%u\n", text, slash ? slash + 1 : file,
		 BPF_LINE_INFO_LINE_NUM(li->line_col));
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
	char var[48];
	int i;

	if (!(x->env->log->level & (KBPF_LOG_LEVEL1 | KBPF_LOG_LEVEL2)))
		return;
	log_line(x);
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
		if (r->type == KBPF_SCALAR || r->type == KBPF_NOT_INIT)
			continue;
		var_text(var, sizeof(var), r);
		if (r->type == KBPF_PTR_TO_STACK)
			p += scnprintf(p, end - p, " R%d=fp%u%+d%s", i,
				       r->frameno, r->off, var);
		else if (r->type == KBPF_PTR_TO_CTX)
			p += scnprintf(p, end - p, " R%d=ctx%+d", i, r->off);
		else if (r->type == KBPF_CONST_PTR_TO_MAP)
			p += scnprintf(p, end - p, " R%d=map", i);
		else if (r->type == KBPF_PTR_TO_MAP_VALUE)
			p += scnprintf(p, end - p, " R%d=map_value%+d%s", i,
				       r->off, var);
		else if (r->type == KBPF_CONST_PTR_TO_MAP_OR_NULL)
			p += scnprintf(p, end - p, " R%d=map_or_null(id=%u)",
				       i, r->id);
		else if (r->type == KBPF_PTR_TO_MEM)
			p += scnprintf(p, end - p, " R%d=record%+d%s(ref=%u)",
				       i, r->off, var, r->ref);
		else if (r->type == KBPF_PTR_TO_MEM_OR_NULL)
			p += scnprintf(p, end - p, " R%d=record_or_null(ref=%u)",
				       i, r->ref);
		else
			p += scnprintf(p, end - p, " R%d=map_value_or_null(id=%u)",
				       i, r->id);
	}
	kbpf_log(x->env->log, "%s\n", line);
}

/* Queue the branch that starts at @insn in state @st, taken from the caller. */
static int push_branch(struct explorer *x, struct kbpf_state *st, u32 insn)
{
	size_t bytes = kbpf_state_bytes(st);
	struct kbpf_pending *p;

	if (x->nr_pending == KBPF_MAX_PENDING) {
		kbpf_state_free(st);
		kbpf_log(x->env->log,
			 "insn %u: The sequence of %u jumps is too complex.\n",
			 x->insn, KBPF_MAX_PENDING);
		return -E2BIG;
	}
	if (x->state_bytes + bytes > KBPF_MAX_STATE_BYTES) {
		kbpf_state_free(st);
		kbpf_log(x->env->log,
			 "insn %u: program too complex: its states take more than %lu MiB\n",
			 x->insn, KBPF_MAX_STATE_BYTES >> 20);
		return -E2BIG;
	}
	p = kvcalloc(1, sizeof(*p), GFP_KERNEL);
	if (!p || kbpf_trail_copy(&p->trail, &x->trail)) {
		kvfree(p);
		kbpf_state_free(st);
		return -ENOMEM;
	}
	x->nr_pending++;
	x->state_bytes += bytes;
	p->bytes = bytes;
	p->st = *st;
	p->insn = insn;
	p->snap = x->snap;
	memcpy(p->written, x->written, sizeof(p->written));
	p->log_pos = kbpf_log_pos(x->env->log);
	p->next = x->pending;
	x->pending = p;
	if (x->snap)
		x->snap->branches++;
	return 0;
}

/*
 * A finished save forgets the stack slots no path from it read before
 * writing: what they hold made no difference.
 */
static void forget_unread_slots(struct kbpf_snapshot *s)
{
	struct kbpf_frame *frame;
	u32 f, i;

	for (f = 0; f < s->st.nr_frames; f++) {
		frame = s->st.frames[f];
		for (i = 0; i < frame->nr_slots; i++)
			if (!(s->read[f] & BIT_ULL(i)))
				memset(&frame->stack[i], 0, sizeof(frame->stack[i]));
	}
}

static struct kbpf_snapshot **open_bucket(struct explorer *x, u32 insn,
					  u64 hash)
{
	/* The fingerprint's high bits: its low ones mix little. */
	return &x->open[((hash ^ insn) * 0x9e3779b97f4a7c15ULL) >>
			(64 - KBPF_OPEN_BITS)];
}

/* A finished save leaves the open ones for the list that prunes. */
static void finish_snapshot(struct explorer *x, struct kbpf_snapshot *s)
{
	*s->pprev = s->next;
	if (s->next)
		s->next->pprev = s->pprev;
	s->next = x->saved[s->insn];
	x->saved[s->insn] = s;
	kbpf_trail_free(&s->trail);
	forget_unread_slots(s);
}

/* The path ended safely: its saves may now be finished. */
static void end_path(struct explorer *x)
{
	struct kbpf_snapshot *s;

	for (s = x->snap; s; s = s->parent) {
		if (--s->branches)
			break;
		finish_snapshot(x, s);
	}
}

/*
 * The path reads the stack slots @slots of frame @f: unless it wrote
 * them since its last save, the saves before depend on what they held,
 * back to the one where they were last written.
 */
static void mark_slots_read(struct explorer *x, u32 f, u64 slots)
{
	struct kbpf_snapshot *s;
	u64 back;

	slots &= ~x->written[f];
	for (s = x->snap; s && slots; s = s->parent) {
		back = slots & ~s->read[f];
		s->read[f] |= slots;
		slots = back & ~s->written[f];
	}
}

/* The same for the stack bytes [@lo, @lo + @size) of frame @f. */
static void mark_stack_read(struct explorer *x, u32 f, s32 lo, u32 size)
{
	u32 first = (-(lo + (s32)size)) / 8, last = (-lo - 1) / 8;

	mark_slots_read(x, f, GENMASK_ULL(last, first));
}

/* The path wrote the whole slots in [@lo, @lo + @size) of frame @f. */
static void mark_stack_written(struct explorer *x, u32 f, s32 lo, u32 size)
{
	s32 top = lo + (s32)size;

	/* Round inwards: only slots wholly inside count. */
	lo = -(-lo / 8 * 8);
	top = -((-top + 7) / 8 * 8);
	if (top <= lo)
		return;
	x->written[f] |= GENMASK_ULL((-lo - 1) / 8, -top / 8);
}

/* Take the next pending branch; false when none is left. */
static bool next_branch(struct explorer *x)
{
	struct kbpf_pending *p = x->pending;

	kbpf_state_free(&x->cur);
	kbpf_trail_free(&x->trail);
	if (!p)
		return false;
	x->pending = p->next;
	x->nr_pending--;
	x->state_bytes -= p->bytes;
	x->cur = p->st;
	x->trail = p->trail;
	memcpy(x->written, p->written, sizeof(x->written));
	x->insn = p->insn;
	x->snap = p->snap;
	x->shown_line = 0;
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
 * Registers no path from here reads before writing (liveness.c) are
 * forgotten: states that differ only there behave the same from here on.
 * A caller's frame resumes after its call, which sets r0 and leaves r1-r5
 * uninitialized: only the r6-r9 live there count.
 */
static void forget_dead_regs(struct explorer *x)
{
	struct kbpf_state *st = &x->cur;
	struct kbpf_frame *frame;
	u32 f, live, i;

	for (f = 0; f < st->nr_frames; f++) {
		frame = st->frames[f];
		if (f == st->nr_frames - 1)
			live = x->env->aux[x->insn].live;
		else
			live = x->env->aux[st->frames[f + 1]->callsite + 1].live &
			       GENMASK(BPF_REG_9, BPF_REG_6);
		for (i = BPF_REG_0; i < BPF_REG_10; i++)
			if (!(live & BIT(i)))
				memset(&frame->regs[i], 0, sizeof(frame->regs[i]));
	}
}

static void free_snapshot(struct kbpf_snapshot *s)
{
	kbpf_state_free(&s->st);
	kbpf_trail_free(&s->trail);
	kvfree(s);
}

/* A path ran past what its trail holds: nothing before is known. */
static void mark_all_precise(struct kbpf_snapshot *s)
{
	for (; s && !s->all_precise; s = s->parent) {
		kbpf_state_mark_all_precise(&s->st);
		s->all_precise = true;
	}
}

/*
 * A check depended on the numbers of @set, in the current state before
 * the running instruction (@running) or at a point where paths meet:
 * mark what they came from precise in the saves of this path.
 */
static void mark_precise(struct explorer *x, struct kbpf_precise_set *set,
			 bool running)
{
	const struct kbpf_trail *trail = &x->trail;
	struct kbpf_snapshot *s = x->snap;
	u32 len = trail->len;

	if (running && !trail->lost)
		len--;
	for (;;) {
		if (trail->lost) {
			mark_all_precise(s);
			return;
		}
		kbpf_backtrack(x->env, trail, len, set);
		if (!s || kbpf_precise_set_empty(set))
			return;
		kbpf_state_mark_precise(&s->st, set);
		trail = &s->trail;
		len = trail->len;
		s = s->parent;
	}
}

/* The running instruction depends on the numbers in @regs. */
static void mark_precise_regs(struct explorer *x, u16 regs)
{
	struct kbpf_precise_set set = {};

	set.regs[x->cur.nr_frames - 1] = regs;
	mark_precise(x, &set, true);
}

/* What the trail needs to know of the running instruction. */
static void trail_note(struct explorer *x, u8 flags, u8 frameno, u32 slot)
{
	struct kbpf_trail_entry *e;

	if (x->trail.lost)
		return;
	e = &x->trail.entries[x->trail.len - 1];
	e->flags |= flags;
	e->stack_frame = frameno;
	e->slot = slot;
}

/*
 * At a point where paths meet: 1 when a finished save covers this state
 * (the path is done), 0 to go on (after saving the state), or an error.
 */
static int meet(struct explorer *x)
{
	struct kbpf_snapshot *s, **link;
	struct kbpf_precise_set set;
	u32 f;
	u64 hash;

	forget_dead_regs(x);
	/*
	 * As saves do: an id no other number has links nothing. Without
	 * this, a state would never equal its own save (which forgot the
	 * id) and a loop back to it would go unnoticed, one save per turn.
	 */
	kbpf_state_forget_lone_ids(&x->cur);
	link = &x->saved[x->insn];
	while ((s = *link)) {
		if (kbpf_state_subsumes(&s->st, &x->cur, false)) {
			s->hits++;
			/* What the save's paths depended on, this one does. */
			kbpf_precise_set_of(&set, &s->st);
			mark_precise(x, &set, false);
			for (f = 0; f < s->st.nr_frames; f++)
				mark_slots_read(x, f, s->read[f]);
			return 1;
		}
		/* Finished: no path walks back through it any more. */
		if (++s->misses > (s->hits + 1) * KBPF_SNAPSHOT_MISSES) {
			*link = s->next;
			x->saved_bytes -= s->bytes;
			x->state_bytes -= s->bytes;
			free_snapshot(s);
			x->nr_snapshots--;
			x->nr_saved_at[x->insn]--;
			continue;
		}
		link = &s->next;
	}
	hash = kbpf_state_hash(&x->cur);
	for (s = *open_bucket(x, x->insn, hash); s; s = s->next)
		if (s->insn == x->insn && s->hash == hash &&
		    kbpf_state_equal(&s->st, &x->cur) && is_ancestor(x, s))
			return reject(x, "infinite loop: back here in the same state");
	if (x->nr_snapshots == KBPF_MAX_SNAPSHOTS ||
	    x->nr_saved_at[x->insn] == KBPF_MAX_SNAPSHOTS_AT ||
	    x->saved_bytes + kbpf_state_bytes(&x->cur) > KBPF_MAX_SAVED_BYTES)
		return 0;
	s = kvcalloc(1, sizeof(*s), GFP_KERNEL);
	if (!s || kbpf_state_copy(&s->st, &x->cur)) {
		kvfree(s);
		return -ENOMEM;
	}
	kbpf_state_forget_lone_ids(&s->st);
	s->hash = hash;
	s->bytes = kbpf_state_bytes(&s->st);
	x->saved_bytes += s->bytes;
	x->state_bytes += s->bytes;
	s->trail = x->trail;
	x->trail = (struct kbpf_trail){};
	memcpy(s->written, x->written, sizeof(s->written));
	memset(x->written, 0, sizeof(x->written));
	s->parent = x->snap;
	s->branches = 1;
	s->insn = x->insn;
	link = open_bucket(x, x->insn, hash);
	s->next = *link;
	if (s->next)
		s->next->pprev = &s->next;
	s->pprev = link;
	*link = s;
	x->snap = s;
	x->total_snapshots++;
	x->max_snapshots_at = max_t(u32, x->max_snapshots_at,
				    ++x->nr_saved_at[x->insn]);
	x->peak_snapshots = max(x->peak_snapshots, ++x->nr_snapshots);
	return 0;
}

/*
 * Offsets of pointers stay within +-2^29 of what they point to, as
 * upstream's: far enough for any object, and no sum of them overflows.
 */
#define KBPF_MAX_PTR_OFF	((s64)BIT(29))

/*
 * pointer += number, pointer -= number, number += pointer. A constant
 * moves the fixed offset; any other number, bounded, goes into the
 * variable part, which only stack and map value pointers may have (their
 * accesses are checked for every offset it allows). Pointers that may be
 * NULL and map pointers must stay as they came.
 */
static int check_ptr_alu(struct explorer *x, const struct bpf_insn *insn,
			 struct kbpf_reg *dst, const struct kbpf_reg *src)
{
	const struct bpf_insn add = KBPF_ALU64_REG(BPF_OP(insn->code), 0, 0);
	u8 op = BPF_OP(insn->code), ptr_regno = insn->dst_reg;
	struct kbpf_reg ptr, num;
	s64 delta;

	if (BPF_CLASS(insn->code) != BPF_ALU64 || (op != BPF_ADD && op != BPF_SUB))
		return reject(x, PTR_ARITH);
	/*
	 * The difference of two pointers is a number, as upstream gives
	 * loaders that may read kernel addresses (clang emits it for
	 * lengths within a map value): it reads no memory, but it tells
	 * how far apart two kernel objects lie. Their sum means nothing.
	 */
	if (dst->type != KBPF_SCALAR && src && src->type != KBPF_SCALAR) {
		if (op != BPF_SUB || !x->env->allow_ptr_leaks)
			return reject(x, "R%u pointer %s pointer prohibited",
				      insn->dst_reg, op == BPF_SUB ? "-=" : "+=");
		kbpf_reg_mark_scalar(dst);
		return 0;
	}
	if (dst->type == KBPF_SCALAR) {
		if (op == BPF_SUB)
			return reject(x, "R%u tried to subtract pointer from scalar",
				      insn->dst_reg);
		ptr = *src;
		num = *dst;
		ptr_regno = insn->src_reg;
	} else {
		ptr = *dst;
		if (src)
			num = *src;
		else
			kbpf_reg_mark_const(&num, (s64)insn->imm);
	}
	if (kbpf_type_may_be_null(ptr.type))
		return reject(x, "R%u may be NULL: no arithmetic on it before a NULL check",
			      ptr_regno);
	/* The pointer keeps what the number was: the number must be precise. */
	if (dst->type == KBPF_SCALAR)
		mark_precise_regs(x, BIT(insn->dst_reg));
	else if (src)
		mark_precise_regs(x, BIT(insn->src_reg));
	/* A known 0 added leaves a map pointer what it was, as upstream. */
	if (ptr.type == KBPF_CONST_PTR_TO_MAP) {
		if (op != BPF_ADD || !kbpf_scalar_is_const(&num.var) ||
		    num.var.var.value)
			return reject(x, "R%u is a map: no arithmetic on it",
				      ptr_regno);
		*dst = ptr;
		return 0;
	}

	if (kbpf_scalar_is_const(&num.var)) {
		delta = (s64)num.var.var.value;
		if (delta > KBPF_MAX_PTR_OFF || delta < -KBPF_MAX_PTR_OFF)
			return reject(x, "pointer arithmetic: offset %lld out of range",
				      (long long)delta);
		if (op == BPF_SUB)
			delta = -delta;
		if (ptr.off + delta > KBPF_MAX_PTR_OFF ||
		    ptr.off + delta < -KBPF_MAX_PTR_OFF)
			return reject(x, "pointer arithmetic: offset %lld out of range",
				      (long long)(ptr.off + delta));
		ptr.off += delta;
	} else {
		if (ptr.type == KBPF_PTR_TO_CTX)
			return reject(x, "R%u is the context: only constant offsets",
				      ptr_regno);
		if (num.var.smin < -KBPF_MAX_PTR_OFF)
			return reject(x,
				      "math between %s pointer and register with unbounded min value is not allowed: it is in [%lld,%lld]",
				      upstream_type_name(ptr.type),
				      (long long)num.var.smin,
				      (long long)num.var.smax);
		if (num.var.smax > KBPF_MAX_PTR_OFF)
			return reject(x,
				      "value %lld makes %s pointer be out of bounds: the number added is in [%lld,%lld]",
				      (long long)num.var.smax,
				      upstream_type_name(ptr.type),
				      (long long)num.var.smin,
				      (long long)num.var.smax);
		kbpf_scalar_alu(&ptr.var, &num.var, &add);
		if (ptr.var.smin < -KBPF_MAX_PTR_OFF ||
		    ptr.var.smax > KBPF_MAX_PTR_OFF)
			return reject(x, "pointer arithmetic: variable offset out of range");
	}
	*dst = ptr;
	return 0;
}

static int check_alu(struct explorer *x, const struct bpf_insn *insn)
{
	struct kbpf_reg *dst = reg(x, insn->dst_reg), *src = NULL, src_val;
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	u8 op = BPF_OP(insn->code);
	int err;

	/*
	 * The ISA gives 0 (or the dividend) for a zero divisor, but a
	 * constant one reached is a program bug, refused as upstream does
	 * (its tests mark paths that must be dead with one).
	 */
	if ((op == BPF_DIV || op == BPF_MOD) && BPF_SRC(insn->code) == BPF_K &&
	    !insn->imm) {
		reject(x, "div by zero");
		return -EINVAL;
	}
	/* A copy: dst and src may be the same register. */
	if (BPF_SRC(insn->code) == BPF_X && op != BPF_END) {
		err = check_init(x, insn->src_reg);
		if (err)
			return err;
		src_val = *reg(x, insn->src_reg);
		src = &src_val;
	}
	if (op == BPF_MOV) {
		/* Part of a pointer is a number (the loader may read it). */
		if (src && src->type != KBPF_SCALAR &&
		    (!alu64 || insn->off) && x->env->allow_ptr_leaks)
			kbpf_reg_mark_scalar(src);
		if (src && src->type != KBPF_SCALAR) {
			if (!alu64 || insn->off)
				return reject(x, "R%u partial copy of pointer",
					      insn->src_reg);
			*dst = *src;
			return 0;
		}
		kbpf_reg_mark_scalar(dst);
	} else {
		err = check_init(x, insn->dst_reg);
		if (err)
			return err;
	}
	/*
	 * A negated or byte-swapped pointer is a number, for a loader that
	 * may read addresses (upstream's allow_ptr_leaks, as there).
	 */
	if ((op == BPF_NEG || op == BPF_END) && dst->type != KBPF_SCALAR &&
	    x->env->allow_ptr_leaks)
		kbpf_reg_mark_scalar(dst);
	if (dst->type != KBPF_SCALAR || (src && src->type != KBPF_SCALAR))
		return check_ptr_alu(x, insn, dst, src);
	if (kbpf_scalar_alu(&dst->var, src ? &src->var : NULL, insn))
		return reject(x, "unknown ALU instruction");
	dst->id = 0;
	/*
	 * A copy is the same number: a branch on one bounds both. A 32-bit
	 * copy is one too when the source has no upper bits to lose.
	 */
	if (op == BPF_MOV && src && !insn->off &&
	    (alu64 || src->var.umax <= U32_MAX)) {
		if (!reg(x, insn->src_reg)->id)
			reg(x, insn->src_reg)->id = ++x->next_id;
		dst->id = reg(x, insn->src_reg)->id;
	}
	return 0;
}

/* A number, a map (structure.c found it), or the address in a map value. */
static int check_ld_imm64(struct explorer *x, const struct bpf_insn *insn)
{
	struct kbpf_reg *dst = reg(x, insn->dst_reg);

	if (!insn->src_reg) {
		kbpf_reg_mark_const(dst, (u32)insn[0].imm |
					 ((u64)(u32)insn[1].imm << 32));
		return 0;
	}
	memset(dst, 0, sizeof(*dst));
	dst->map = x->env->aux[x->insn].map;
	if (insn->src_reg == BPF_PSEUDO_MAP_FD ||
	    insn->src_reg == BPF_PSEUDO_MAP_IDX) {
		dst->type = KBPF_CONST_PTR_TO_MAP;
	} else {
		dst->type = KBPF_PTR_TO_MAP_VALUE;
		dst->off = insn[1].imm;
	}
	return 0;
}

/*
 * LD_ABS and LD_IND: the socket filter's legacy packet loads. The runtime
 * finds the packet through the context in r6, calls out like a helper
 * (r1-r5 do not survive) and ends the program with r0 = 0 when the bytes
 * are not in the packet; else r0 holds them, in host order.
 */
static int check_ld_packet(struct explorer *x, const struct bpf_insn *insn)
{
	const struct kbpf_reg *r6 = reg(x, BPF_REG_6);
	u32 size = kbpf_insn_size_bytes(insn->code);
	int err;
	u8 i;

	if (x->env->prog_type != BPF_PROG_TYPE_SOCKET_FILTER)
		return reject(x, "LD_ABS and LD_IND are for socket filters only");
	if (r6->type != KBPF_PTR_TO_CTX || r6->off)
		return reject(x, "LD_ABS and LD_IND need the context in r6; R6 is %s",
			      type_name(r6->type));
	/* A packet too short ends the program there, the reservation held. */
	if (x->cur.nr_refs)
		return reject(x, "LD_ABS/LD_IND may end the program: not with a reservation held");
	if (BPF_MODE(insn->code) == BPF_IND) {
		err = check_init(x, insn->src_reg);
		if (err)
			return err;
		if (reg(x, insn->src_reg)->type != KBPF_SCALAR)
			return reject(x, "R%u: a packet offset must be a number",
				      insn->src_reg);
	}
	for (i = BPF_REG_1; i <= BPF_REG_5; i++)
		memset(reg(x, i), 0, sizeof(struct kbpf_reg));
	kbpf_reg_mark_scalar(reg(x, BPF_REG_0));
	kbpf_scalar_from_load(&reg(x, BPF_REG_0)->var, size, false);
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
 * The offsets, from what @base points to, at which an access @insn_off
 * past it may start: @base's fixed offset plus every value its variable
 * part may take. Offsets are bounded (KBPF_MAX_PTR_OFF): no overflow.
 */
struct span {
	s64 lo;
	s64 hi;
};

static struct span access_span(const struct kbpf_reg *base, s64 insn_off)
{
	struct span sp = {
		.lo = base->off + insn_off + base->var.smin,
		.hi = base->off + insn_off + base->var.smax,
	};

	return sp;
}

/* Every offset the access may start at is a multiple of @size. */
static bool access_aligned(const struct kbpf_reg *base, s64 insn_off, u32 size)
{
	return !(base->var.var.mask & (size - 1)) &&
	       !((base->off + insn_off + base->var.var.value) & (size - 1));
}

static void log_span(char *buf, size_t len, struct span sp)
{
	if (sp.lo == sp.hi)
		scnprintf(buf, len, "%lld", (long long)sp.lo);
	else
		scnprintf(buf, len, "[%lld,%lld]", (long long)sp.lo,
			  (long long)sp.hi);
}

/*
 * Does every access of @size bytes, through @base at @insn_off, stay in
 * the frame @base points into? Returns the frame, or NULL after
 * rejecting; the frame's stack depth grows to cover the access.
 */
static struct kbpf_frame *stack_access(struct explorer *x,
				       const struct kbpf_reg *base,
				       s64 insn_off, u64 size,
				       struct span *sp, int *err)
{
	struct kbpf_frame *frame = x->cur.frames[base->frameno];
	struct kbpf_subprog *sub = &x->env->subprogs[frame->subprog];
	char at[48];

	*sp = access_span(base, insn_off);
	if (sp->lo < -KBPF_STACK_SIZE || sp->hi + (s64)size > 0) {
		log_span(at, sizeof(at), *sp);
		*err = reject(x, "stack out of bounds: off %s size %llu", at,
			      (unsigned long long)size);
		return NULL;
	}
	sub->stack_depth = max_t(u32, sub->stack_depth, -sp->lo);
	return frame;
}

/* The same for a load or store: aligned too, as upstream's rule. */
static struct kbpf_frame *stack_load_store(struct explorer *x,
					   const struct kbpf_reg *base,
					   s16 insn_off, u32 size,
					   struct span *sp, int *err)
{
	struct kbpf_frame *frame = stack_access(x, base, insn_off, size, sp,
						err);
	char at[48];

	/* Spill tracking, and the C the interpreter is, need it. */
	if (frame && !access_aligned(base, insn_off, size)) {
		log_span(at, sizeof(at), *sp);
		*err = reject(x, "misaligned stack access: off %s size %u", at,
			      size);
		return NULL;
	}
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

/*
 * A write into part of @slot: a pointer spilled there is gone, and the
 * rest of its bytes are data, which would let a loader that may not read
 * kernel addresses read part of one (upstream's rule and words).
 */
static int clobber(struct explorer *x, struct kbpf_stack_slot *slot)
{
	if (slot->bytes[0] == KBPF_STACK_SPILL &&
	    slot->spilled.type != KBPF_SCALAR && !x->env->allow_ptr_leaks)
		return reject(x, "attempt to corrupt spilled pointer on stack");
	unspill(slot);
	return 0;
}

/* Every byte read must have been written, and none be part of a pointer. */
static int check_stack_read(struct explorer *x, struct kbpf_frame *frame,
			    s32 off, u32 size, bool pointers_ok)
{
	const struct kbpf_stack_slot *slot;
	u32 i;

	mark_stack_read(x, frame->regs[BPF_REG_10].frameno, off, size);
	for (i = 0; i < size; i++) {
		slot = slot_get(frame, off + i);
		if (byte_get(frame, off + i) == KBPF_STACK_INVALID &&
		    !x->env->allow_uninit_stack)
			return reject(x, "invalid read from stack: off %d size %u",
				      off, size);
		if (slot->bytes[0] == KBPF_STACK_SPILL &&
		    slot->spilled.type != KBPF_SCALAR &&
		    !x->env->allow_ptr_leaks &&
		    (!pointers_ok || slot->spilled.type == KBPF_NOT_INIT))
			return reject(x, "partial read of a spilled pointer");
	}
	return 0;
}

/*
 * A store of @size bytes somewhere in [sp.lo, sp.hi + size): which bytes
 * it writes is not known, so none becomes readable, and what was spilled
 * or zero there is data now (a number's bytes stay readable).
 */
static int stack_write_somewhere(struct explorer *x, struct kbpf_frame *frame,
				 struct span sp, u32 size)
{
	u32 i, b;
	int err;

	for (i = slot_index(sp.hi + size - 1); i <= slot_index(sp.lo); i++) {
		if (i >= frame->nr_slots)
			continue;
		err = clobber(x, &frame->stack[i]);
		if (err)
			return err;
		for (b = 0; b < 8; b++)
			if (frame->stack[i].bytes[b] == KBPF_STACK_ZERO)
				frame->stack[i].bytes[b] = KBPF_STACK_DATA;
	}
	return 0;
}

/* Are the @size bytes a store of @value writes all zero? */
static bool stores_zero(const struct kbpf_reg *value, u32 size)
{
	u64 mask = size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;

	return value && value->type == KBPF_SCALAR &&
	       kbpf_scalar_is_const(&value->var) &&
	       !(value->var.var.value & mask);
}

/* Were the @size bytes at @off all written with zeros? */
static bool stack_is_zero(const struct kbpf_frame *frame, s32 off, u32 size)
{
	u32 i;

	for (i = 0; i < size; i++)
		if (byte_get(frame, off + i) != KBPF_STACK_ZERO)
			return false;
	return true;
}

/*
 * Store @value (a register, an immediate, or NULL for data the verifier
 * does not know) in frame @frameno.
 */
static int check_stack_write(struct explorer *x, u8 frameno, struct span sp,
			     u32 size, const struct kbpf_reg *value)
{
	struct kbpf_frame *frame = x->cur.frames[frameno];
	u8 kind = stores_zero(value, size) ? KBPF_STACK_ZERO : KBPF_STACK_DATA;
	struct kbpf_stack_slot *slot;
	s32 off = sp.lo;
	u32 i;
	int err;

	/* A frame's stack pointer must not outlive it in its callers' stacks. */
	if (value && value->type == KBPF_PTR_TO_STACK &&
	    value->frameno > frameno)
		return reject(x, "cannot store a pointer to a callee's stack in its caller's");
	if (value && value->type != KBPF_SCALAR && sp.lo != sp.hi)
		return reject(x, "a pointer stored at a variable stack offset");
	if (sp.lo != sp.hi)
		return stack_write_somewhere(x, frame, sp, size);
	if (stack_grow(frame, off))
		return -ENOMEM;
	mark_stack_written(x, frameno, off, size);
	slot = slot_of(frame, off);
	/* A whole aligned slot keeps what was stored, pointer or number. */
	if (size == 8 && !(off % 8) && value && kind != KBPF_STACK_ZERO) {
		memset(slot->bytes, KBPF_STACK_SPILL, sizeof(slot->bytes));
		slot->spilled = *value;
		trail_note(x, KBPF_TRAIL_SPILL, frameno, slot_index(off));
		return 0;
	}
	if (value && value->type != KBPF_SCALAR)
		return reject(x, "invalid size of register spill");
	for (i = 0; i < size; i++) {
		err = clobber(x, slot_of(frame, off + i));
		if (err)
			return err;
		byte_set(frame, off + i, kind);
	}
	return 0;
}

/*
 * Does every access of @size bytes through @regno, a pointer into an
 * object of @limit bytes, at @insn_off, stay inside? The log calls the
 * object @what and its size @size_name, in upstream's words: the access
 * at a known offset, or which end of a variable one is out.
 */
static int check_inside(struct explorer *x, u8 regno, s64 insn_off, u64 size,
			u32 limit, const char *what, const char *size_name)
{
	struct span sp = access_span(reg(x, regno), insn_off);
	char at[48];

	log_span(at, sizeof(at), sp);
	if (sp.lo >= 0 && sp.hi + (s64)size <= limit)
		return 0;
	if (sp.lo == sp.hi)
		return reject(x, "invalid access to %s, %s=%u off=%lld size=%llu",
			      what, size_name, limit, (long long)sp.lo,
			      (unsigned long long)size);
	if (sp.lo < 0)
		return reject(x,
			      "R%u min value is outside of the allowed memory range: %s access at off %s (bound the number added from below)",
			      regno, what, at);
	return reject(x,
		      "R%u max value is outside of the allowed memory range: %s access at off %s size %llu, past its %u bytes",
		      regno, what, at, (unsigned long long)size, limit);
}

/* An access through map value pointer @regno, by the map's rules. */
static int check_map_value(struct explorer *x, u8 regno, s64 insn_off,
			   u64 size, bool write)
{
	const struct kbpf_map_desc *map = reg(x, regno)->map;

	if (write && (map->flags & BPF_F_RDONLY_PROG))
		return reject(x, "R%u: the map is read-only to programs", regno);
	if (!write && (map->flags & BPF_F_WRONLY_PROG))
		return reject(x, "R%u: the map is write-only to programs", regno);
	return check_inside(x, regno, insn_off, size, map->value_size,
			    "map value", "value_size");
}

/* An access through @regno, a pointer into a reserved record. */
static int check_record(struct explorer *x, u8 regno, s64 insn_off, u64 size)
{
	return check_inside(x, regno, insn_off, size, reg(x, regno)->mem_size,
			    "memory", "mem_size");
}

/*
 * A load at a known offset of a value that never changes (a frozen array
 * read-only to programs, as libbpf's .rodata) gives a known number: @dst
 * becomes it. The access was checked: it is inside the value.
 */
static bool load_frozen(const struct kbpf_reg *base, const struct bpf_insn *insn,
			u32 size, struct kbpf_reg *dst)
{
	const u8 *value = READ_ONCE(base->map->frozen);
	u64 n = 0;
	s64 off;

	if (!value || !kbpf_scalar_is_const(&base->var))
		return false;
	off = base->off + (s64)base->var.var.value + insn->off;
	/* Little-endian both, the host harness's and the kernels' arches. */
	memcpy(&n, value + off, size);
	if (BPF_MODE(insn->code) == BPF_MEMSX && size < 8)
		n = (u64)((s64)(n << (64 - 8 * size)) >> (64 - 8 * size));
	kbpf_reg_mark_const(dst, (s64)n);
	return true;
}

/* The register a load or store goes through must point to memory. */
static int check_base(struct explorer *x, u8 regno)
{
	int err = check_init(x, regno);

	if (err)
		return err;
	switch (reg(x, regno)->type) {
	case KBPF_PTR_TO_CTX:
	case KBPF_PTR_TO_STACK:
	case KBPF_PTR_TO_MAP_VALUE:
	case KBPF_PTR_TO_MEM:
		return 0;
	case KBPF_PTR_TO_MAP_VALUE_OR_NULL:
	case KBPF_CONST_PTR_TO_MAP_OR_NULL:
	case KBPF_PTR_TO_MEM_OR_NULL:
		return reject(x, "R%u may be NULL: compare it with 0 before using it",
			      regno);
	}
	return reject(x, "R%u invalid mem access '%s': it is %s, not a pointer to memory",
		      regno, upstream_type_name(reg(x, regno)->type),
		      type_name(reg(x, regno)->type));
}

/* Which map a helper call is given, for binding the call when lowering. */
static void note_call_map(struct explorer *x, const struct kbpf_map_desc *map)
{
	struct kbpf_insn_aux *aux = &x->env->aux[x->insn];

	if (!aux->call_map)
		aux->call_map = map;
	else if (aux->call_map != map)
		aux->flags |= KBPF_AUX_CALL_MAPS;
}

/*
 * The same load or store must not go through the context on one path
 * and through another pointer on another: a context access is one the
 * lowering may rewrite (upstream's rule and words).
 */
static int check_same_base(struct explorer *x, u8 type)
{
	u8 *seen = &x->env->aux[x->insn].base_type;

	if (!*seen)
		*seen = type;
	if (*seen != type &&
	    (*seen == KBPF_PTR_TO_CTX || type == KBPF_PTR_TO_CTX))
		return reject(x, "same insn cannot be used with different pointers");
	return 0;
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
	x->env->ctx_end = max_t(u32, x->env->ctx_end, off + size);
	return 0;
}

static int check_load(struct explorer *x, const struct bpf_insn *insn)
{
	u32 size = kbpf_insn_size_bytes(insn->code);
	const struct kbpf_stack_slot *slot;
	const struct kbpf_reg *base;
	struct kbpf_frame *frame;
	struct kbpf_reg *dst;
	struct span sp;
	int err;

	err = check_base(x, insn->src_reg) ?:
	      check_same_base(x, reg(x, insn->src_reg)->type);
	if (err)
		return err;
	base = reg(x, insn->src_reg);
	dst = reg(x, insn->dst_reg);
	if (base->type == KBPF_PTR_TO_CTX) {
		err = check_ctx(x, base, insn->off, size, false);
	} else if (base->type == KBPF_PTR_TO_MAP_VALUE) {
		err = check_map_value(x, insn->src_reg, insn->off, size, false);
		if (!err && load_frozen(base, insn, size, dst))
			return 0;
	} else if (base->type == KBPF_PTR_TO_MEM) {
		err = check_record(x, insn->src_reg, insn->off, size);
	} else {
		frame = stack_load_store(x, base, insn->off, size, &sp, &err);
		if (!frame)
			return err;
		slot = slot_get(frame, sp.lo);
		/* A whole spilled register comes back as it went in. */
		if (size == 8 && sp.lo == sp.hi && !(sp.lo % 8) &&
		    slot->bytes[0] == KBPF_STACK_SPILL) {
			*dst = slot->spilled;
			mark_stack_read(x, base->frameno, sp.lo, size);
			trail_note(x, KBPF_TRAIL_FILL, base->frameno,
				   slot_index(sp.lo));
			return 0;
		}
		err = check_stack_read(x, frame, sp.lo, sp.hi - sp.lo + size,
				       false);
		if (!err && sp.lo == sp.hi && stack_is_zero(frame, sp.lo, size)) {
			kbpf_reg_mark_const(dst, 0);
			trail_note(x, KBPF_TRAIL_FILL, base->frameno,
				   slot_index(sp.lo));
			return 0;
		}
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
	const struct kbpf_reg *base;
	struct span sp;
	int err;

	err = check_base(x, insn->dst_reg) ?:
	      check_same_base(x, reg(x, insn->dst_reg)->type);
	if (err)
		return err;
	if (BPF_CLASS(insn->code) == BPF_STX) {
		err = check_init(x, insn->src_reg);
		if (err)
			return err;
		value = reg(x, insn->src_reg);
	} else {
		kbpf_reg_mark_const(&imm, (s64)insn->imm);
		value = &imm;
	}
	base = reg(x, insn->dst_reg);
	/*
	 * Map values are read by userspace, a socket filter's cb[] by the
	 * programs after it: only the stack may hold a kernel address,
	 * unless the loader may read them.
	 */
	if (base->type != KBPF_PTR_TO_STACK && value->type != KBPF_SCALAR &&
	    !x->env->allow_ptr_leaks)
		return reject(x, "R%u leaks addr into mem", insn->src_reg);

	if (base->type == KBPF_PTR_TO_CTX)
		return check_ctx(x, base, insn->off, size, true);
	if (base->type == KBPF_PTR_TO_MAP_VALUE)
		return check_map_value(x, insn->dst_reg, insn->off, size, true);
	if (base->type == KBPF_PTR_TO_MEM)
		return check_record(x, insn->dst_reg, insn->off, size);
	if (!stack_load_store(x, base, insn->off, size, &sp, &err))
		return err;
	/* Part of a pointer, or one at no known slot, is data there. */
	if (value->type != KBPF_SCALAR && x->env->allow_ptr_leaks &&
	    (size != 8 || sp.lo != sp.hi))
		value = NULL;
	/* The stack knows the zeros stored: they came from a precise 0. */
	if (BPF_CLASS(insn->code) == BPF_STX && stores_zero(value, size))
		mark_precise_regs(x, BIT(insn->src_reg));
	return check_stack_write(x, base->frameno, sp, size, value);
}

static int check_atomic(struct explorer *x, const struct bpf_insn *insn)
{
	u8 fetched = insn->imm == BPF_CMPXCHG ? BPF_REG_0 : insn->src_reg;
	u32 size = kbpf_insn_size_bytes(insn->code);
	const struct kbpf_stack_slot *slot;
	struct kbpf_reg old = {};
	const struct kbpf_reg *base;
	struct kbpf_frame *frame;
	struct span sp;
	int err;

	err = check_base(x, insn->dst_reg);
	err = err ?: check_init(x, insn->src_reg);
	if (!err && insn->imm == BPF_CMPXCHG)
		err = check_init(x, BPF_REG_0);
	if (err)
		return err;
	if (!x->env->allow_ptr_leaks &&
	    (reg(x, insn->src_reg)->type != KBPF_SCALAR ||
	     (insn->imm == BPF_CMPXCHG && reg(x, BPF_REG_0)->type != KBPF_SCALAR)))
		return reject(x, "R%u leaks addr into mem", insn->src_reg);
	base = reg(x, insn->dst_reg);
	/* As upstream: contexts may be rewritten at load, atomics cannot. */
	if (base->type == KBPF_PTR_TO_CTX)
		return reject(x, "atomic operation on the context");
	if (base->type == KBPF_PTR_TO_MAP_VALUE || base->type == KBPF_PTR_TO_MEM) {
		/* Atomic instructions fault on unaligned memory. */
		if (!access_aligned(base, insn->off, size))
			return reject(x, "misaligned atomic access to %s",
				      type_name(base->type));
		err = base->type == KBPF_PTR_TO_MEM ?
		      check_record(x, insn->dst_reg, insn->off, size) :
		      check_map_value(x, insn->dst_reg, insn->off, size, true);
	} else {
		frame = stack_load_store(x, base, insn->off, size, &sp, &err);
		if (!frame)
			return err;
		err = check_stack_read(x, frame, sp.lo, sp.hi - sp.lo + size,
				       false);
		/*
		 * A whole spilled register, or stored zeros, is what a
		 * fetch gives back: the stack is the program's own, nothing
		 * else changes it between the read and the write.
		 */
		slot = slot_get(frame, sp.lo);
		if (!err && size == 8 && sp.lo == sp.hi && !(sp.lo % 8) &&
		    slot->bytes[0] == KBPF_STACK_SPILL) {
			old = slot->spilled;
			/* A number keeps its bounds, not its copies' id. */
			if (old.type == KBPF_SCALAR)
				old.id = 0;
			trail_note(x, KBPF_TRAIL_FILL, base->frameno,
				   slot_index(sp.lo));
		} else if (!err && sp.lo == sp.hi &&
			   stack_is_zero(frame, sp.lo, size)) {
			kbpf_reg_mark_const(&old, 0);
			trail_note(x, KBPF_TRAIL_FILL, base->frameno,
				   slot_index(sp.lo));
		}
		err = err ?: check_stack_write(x, base->frameno, sp, size, NULL);
	}
	if (err || !(insn->imm & BPF_FETCH))
		return err;
	/* Else the fetching forms return whatever memory held. */
	if (old.type != KBPF_NOT_INIT) {
		*reg(x, fetched) = old;
		return 0;
	}
	kbpf_reg_mark_scalar(reg(x, fetched));
	kbpf_scalar_from_load(&reg(x, fetched)->var, size, false);
	return 0;
}

static void mark_null(struct kbpf_reg *r, u32 id, bool is_null)
{
	if (!kbpf_type_may_be_null(r->type) || r->id != id)
		return;
	if (is_null) {
		kbpf_reg_mark_const(r, 0);
		return;
	}
	switch (r->type) {
	case KBPF_CONST_PTR_TO_MAP_OR_NULL:
		r->type = KBPF_CONST_PTR_TO_MAP;
		break;
	case KBPF_PTR_TO_MEM_OR_NULL:
		r->type = KBPF_PTR_TO_MEM;
		break;
	default:
		r->type = KBPF_PTR_TO_MAP_VALUE;
	}
	r->id = 0;
}

/*
 * Reservation @ref ends on this path: it was released, or it failed (a
 * NULL record holds nothing). Every pointer into it is gone with it.
 */
static void drop_ref(struct kbpf_state *st, u32 ref)
{
	struct kbpf_reg *r;
	u32 f, i;

	for (i = 0; i < st->nr_refs; i++) {
		if (st->refs[i].id != ref)
			continue;
		memmove(&st->refs[i], &st->refs[i + 1],
			(st->nr_refs - i - 1) * sizeof(st->refs[0]));
		st->nr_refs--;
		break;
	}
	for (f = 0; f < st->nr_frames; f++) {
		for (i = 0; i < kbpf_frame_nr_regs(st->frames[f]); i++) {
			r = kbpf_frame_reg(st->frames[f], i);
			if (r->type != KBPF_SCALAR && r->ref == ref)
				memset(r, 0, sizeof(*r));
		}
	}
}

/*
 * After a NULL check of one copy of a lookup's result, every copy (same
 * id), in every frame's registers and stack, is NULL or not.
 */
static void mark_nullness(struct kbpf_state *st, u32 id, bool is_null)
{
	u32 f, i;

	for (f = 0; f < st->nr_frames; f++)
		for (i = 0; i < kbpf_frame_nr_regs(st->frames[f]); i++)
			mark_null(kbpf_frame_reg(st->frames[f], i), id, is_null);
	/* A reservation's id is its pointers' id until the check. */
	if (is_null)
		drop_ref(st, id);
}

/*
 * A 64-bit == or != of a pointer with 0, an immediate or a register known
 * to be 0: a NULL check. A 32-bit one is not: a pointer's lower half may
 * be 0.
 */
static bool compares_ptr_with_null(const struct bpf_insn *insn,
				   const struct kbpf_reg *dst,
				   const struct kbpf_reg *src)
{
	if (BPF_CLASS(insn->code) != BPF_JMP ||
	    (BPF_OP(insn->code) != BPF_JEQ && BPF_OP(insn->code) != BPF_JNE) ||
	    dst->type == KBPF_SCALAR)
		return false;
	if (!src)
		return !insn->imm;
	return src->type == KBPF_SCALAR && kbpf_scalar_is_const(&src->var) &&
	       !src->var.var.value;
}

/* Both edges of a NULL check: NULL on one, the map value on the other. */
static int check_null(struct explorer *x, const struct bpf_insn *insn,
		      u32 target)
{
	bool eq = BPF_OP(insn->code) == BPF_JEQ;
	const struct kbpf_reg *dst = reg(x, insn->dst_reg);
	struct kbpf_state taken;
	u32 id = dst->id;
	int err;

	/* Pointers that are never NULL: the outcome is known. */
	if (!kbpf_type_may_be_null(dst->type)) {
		x->insn = eq ? x->insn + 1 : target;
		return 0;
	}
	err = kbpf_state_copy(&taken, &x->cur);
	if (err)
		return err;
	mark_nullness(&taken, id, eq);
	mark_nullness(&x->cur, id, !eq);
	x->insn++;
	return push_branch(x, &taken, target);
}

/*
 * After an edge narrowed @r, every number with its id (copies of it, in
 * any frame's registers or stack) holds the same value: narrow them too.
 */
static void share_bounds(struct kbpf_state *st, const struct kbpf_reg *r)
{
	const struct kbpf_reg narrowed = *r;
	struct kbpf_reg *c;
	u32 f, i;

	if (narrowed.type != KBPF_SCALAR || !narrowed.id)
		return;
	for (f = 0; f < st->nr_frames; f++) {
		for (i = 0; i < kbpf_frame_nr_regs(st->frames[f]); i++) {
			c = kbpf_frame_reg(st->frames[f], i);
			if (c->type == KBPF_SCALAR && c->id == narrowed.id)
				c->var = narrowed.var;
		}
	}
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
	u16 numbers = 0;
	int err;

	err = check_init(x, insn->dst_reg);
	if (!err && reg_src)
		err = check_init(x, insn->src_reg);
	if (err)
		return err;
	dst = reg(x, insn->dst_reg);
	if (reg_src)
		src = reg(x, insn->src_reg);
	/* Whether a pointer is compared with NULL depends on the number. */
	if (dst->type != KBPF_SCALAR && src && src->type == KBPF_SCALAR)
		mark_precise_regs(x, BIT(insn->src_reg));
	if (compares_ptr_with_null(insn, dst, src))
		return check_null(x, insn, target);
	/* Other comparisons with pointers narrow nothing. */
	if (dst->type == KBPF_SCALAR && (!src || src->type == KBPF_SCALAR)) {
		cond = kbpf_scalar_cond(&dst->var, src ? &src->var : NULL, insn);
		numbers = BIT(insn->dst_reg) | (src ? BIT(insn->src_reg) : 0);
		/* A branch narrows copies too: see precision.c. */
		if (src && (dst->id || src->id))
			trail_note(x, KBPF_TRAIL_LINKED, 0, 0);
	}
	/* An edge never explored: the numbers decided it. */
	if (cond != KBPF_COND_UNKNOWN)
		mark_precise_regs(x, numbers);
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
		share_bounds(&taken, tdst);
		if (tsrc)
			share_bounds(&taken, tsrc);
		if (!kbpf_scalar_branch(&dst->var, src ? &src->var : NULL, insn,
					false)) {
			/* Only the jump can happen: go there. */
			mark_precise_regs(x, numbers);
			kbpf_state_free(&x->cur);
			x->cur = taken;
			x->insn = target;
			return 0;
		}
		share_bounds(&x->cur, dst);
		if (src)
			share_bounds(&x->cur, src);
	}
	x->insn++;
	if (!taken_ok) {
		mark_precise_regs(x, numbers);
		kbpf_state_free(&taken);
		return 0;
	}
	return push_branch(x, &taken, target);
}

/*
 * Upstream's words, which loaders look for when they probe for helpers:
 * "invalid func" for an id outside the ABI, "unknown func" (older
 * kernels' words) for one kbpf does not have, and 6.12's for a helper
 * the program type may not call; EINVAL, not EACCES. bpf_get_func_ip()
 * outside a probe has words of its own, and ENOTSUPP.
 */
static int reject_helper(struct explorer *x, s32 id)
{
	const char *name = kbpf_helper_name(id);

	if (kbpf_helper_needs_function(x->env->prog_type, id)) {
		reject(x, "func bpf_%s#%d not supported for program type %u",
		       name, id, x->env->prog_type);
		return -KBPF_ENOTSUPP;
	}
	if (id < 0 || id >= __BPF_FUNC_MAX_ID)
		reject(x, "invalid func unknown#%d", id);
	else if (!name)
		reject(x, "unknown func #%d: kbpf does not have this helper", id);
	else
		reject(x, "program of this type cannot use helper bpf_%s#%d",
		       name, id);
	/* Upstream's errno for all three, which loaders test too. */
	return -EINVAL;
}

/*
 * Memory a helper reads (@kind KBPF_ARG_MEM: all of it initialized; or
 * KBPF_ARG_FORMAT_ARGS, where spilled pointers are arguments too) or
 * writes (KBPF_ARG_UNINIT_MEM): at least @min_size and at most @max_size
 * bytes from the pointer in @regno, for every offset the pointer may
 * have. Stack, map values and records qualify. What the helper surely
 * writes, the stack has initialized afterwards.
 */
static int check_helper_mem(struct explorer *x, u8 regno, u64 min_size,
			    u64 max_size, u8 kind)
{
	bool write = kind == KBPF_ARG_UNINIT_MEM;
	const struct kbpf_reg *mem = reg(x, regno);
	struct kbpf_frame *frame;
	struct span sp;
	int err;
	u32 i;

	if (mem->type == KBPF_PTR_TO_MAP_VALUE)
		return check_map_value(x, regno, 0, max_size, write);
	if (mem->type == KBPF_PTR_TO_MEM)
		return check_record(x, regno, 0, max_size);
	if (mem->type != KBPF_PTR_TO_STACK)
		return reject(x, "R%u is %s: expected a pointer to stack, map value or record",
			      regno, type_name(mem->type));
	if (!max_size)
		return 0;
	frame = stack_access(x, mem, 0, max_size, &sp, &err);
	if (!frame)
		return err;
	if (!write)
		return check_stack_read(x, frame, sp.lo, sp.hi - sp.lo + max_size,
					kind == KBPF_ARG_FORMAT_ARGS);
	if (sp.lo != sp.hi || !min_size)
		return stack_write_somewhere(x, frame, sp, max_size);
	if (stack_grow(frame, sp.lo))
		return -ENOMEM;
	for (i = 0; i < min_size; i++) {
		err = clobber(x, slot_of(frame, sp.lo + i));
		if (err)
			return err;
		byte_set(frame, sp.lo + i, KBPF_STACK_DATA);
	}
	mark_stack_written(x, mem->frameno, sp.lo, min_size);
	/* Beyond @min_size it may or may not have written. */
	if (max_size > min_size)
		return stack_write_somewhere(x, frame,
					     (struct span){ sp.lo + min_size, sp.lo + min_size },
					     max_size - min_size);
	return 0;
}

/* A memory argument in @regno, its size in the next register. */
static int check_helper_sized_mem(struct explorer *x, u8 regno, u8 kind,
				  u8 size_kind)
{
	const struct kbpf_reg *size = reg(x, regno + 1);
	int err;

	err = check_init(x, regno + 1);
	if (err)
		return err;
	if (size->type != KBPF_SCALAR)
		return reject(x, "R%u: a size must be a number", regno + 1);
	if (size->var.smin < 0)
		return reject(x,
			      "R%u min value is negative, either use unsigned index or do a if (index >=0) check.",
			      regno + 1);
	if (size_kind == KBPF_ARG_SIZE && !size->var.umin)
		return reject(x, "R%u invalid zero-sized read: u64=[%llu,%llu]",
			      regno + 1, (unsigned long long)size->var.umin,
			      (unsigned long long)size->var.umax);
	if (size->var.umax > KBPF_MAX_PTR_OFF)
		return reject(x,
			      "R%u unbounded memory access, use 'var &= const' or 'if (var < const)': size may be %llu",
			      regno + 1, (unsigned long long)size->var.umax);
	mark_precise_regs(x, BIT(regno + 1));
	return check_helper_mem(x, regno, size->var.umin, size->var.umax, kind);
}

/*
 * A string no one can change while the program runs: in the value of a
 * frozen map read-only to programs (libbpf's .rodata), at a known offset,
 * its NUL inside the value.
 */
static int check_const_str(struct explorer *x, u8 regno)
{
	const struct kbpf_reg *r = reg(x, regno);
	const u8 *value;
	s64 off;

	value = r->type == KBPF_PTR_TO_MAP_VALUE ? READ_ONCE(r->map->frozen) : NULL;
	if (!value)
		return reject(x, "R%u is %s: a constant string must be in a frozen read-only map",
			      regno, type_name(r->type));
	if (!kbpf_scalar_is_const(&r->var))
		return reject(x, "R%u: a constant string needs a known offset", regno);
	off = r->off + (s64)r->var.var.value;
	if (off < 0 || off >= r->map->value_size)
		return reject(x, "R%u: a constant string at off %lld: outside the value",
			      regno, (long long)off);
	if (!memchr(value + off, 0, r->map->value_size - off))
		return reject(x, "R%u: the string at off %lld has no NUL inside the value",
			      regno, (long long)off);
	return 0;
}

/*
 * A constant format in @regno whose arguments are an array of u64 sized
 * by @regno + 2: a known size, whole arguments, enough for every
 * conversion, each a conversion upstream allows.
 */
static int check_format(struct explorer *x, u8 regno)
{
	const struct kbpf_reg *r = reg(x, regno), *size = reg(x, regno + 2);
	const char *fmt;
	int err, n;

	err = check_const_str(x, regno) ?: check_init(x, regno + 2);
	if (err)
		return err;
	if (size->type != KBPF_SCALAR || !kbpf_scalar_is_const(&size->var) ||
	    size->var.var.value % 8 ||
	    size->var.var.value > KBPF_FORMAT_MAX_ARGS * 8)
		return reject(x, "R%u: format arguments: a known multiple of 8 bytes, at most %u",
			      regno + 2, KBPF_FORMAT_MAX_ARGS * 8);
	mark_precise_regs(x, BIT(regno + 2));
	fmt = (const char *)READ_ONCE(r->map->frozen) + r->off + r->var.var.value;
	n = kbpf_format_args(fmt);
	if (n < 0)
		reject(x, "R%u: the format has a conversion programs may not use",
		       regno);
	else if ((u64)n > size->var.var.value / 8)
		reject(x, "R%u: the format takes %d arguments, R%u gives %llu",
		       regno, n, regno + 1,
		       (unsigned long long)size->var.var.value / 8);
	else
		return 0;
	/* Upstream's errno for a format it cannot print. */
	return -EINVAL;
}

/* One argument, in @regno, of the kind @proto gives it at @i. */
static int check_helper_arg(struct explorer *x, const struct bpf_insn *insn,
			    const struct kbpf_helper_proto *proto, u8 i,
			    const struct kbpf_map_desc **map)
{
	u8 regno = BPF_REG_1 + i, kind = proto->args[i];
	const struct kbpf_reg *r = reg(x, regno);
	int err;

	/*
	 * bpf_printk("...") leaves the registers after its arguments unset;
	 * upstream does not look at them, and offers bpf_trace_printk()
	 * only to loaders that may read kernel data, which is what an unset
	 * register holds.
	 */
	if (kind == KBPF_ARG_PRINTK_VALUE && r->type == KBPF_NOT_INIT &&
	    x->env->allow_ptr_leaks)
		return 0;
	err = check_init(x, regno);
	if (err)
		return err;
	switch (kind) {
	case KBPF_ARG_CTX:
		if (r->type != KBPF_PTR_TO_CTX || r->off)
			return reject(x, "R%u is %s: %s takes the context as it came",
				      regno, type_name(r->type), proto->name);
		return 0;
	case KBPF_ARG_MAP:
		if (r->type != KBPF_CONST_PTR_TO_MAP)
			return reject(x, "R%u is %s: %s takes a map", regno,
				      type_name(r->type), proto->name);
		if (!kbpf_helper_map_ok(insn->imm, r->map->type))
			return reject(x, "%s cannot use a map of type %u",
				      proto->name, r->map->type);
		if ((r->map->flags & BPF_F_RDONLY_PROG) &&
		    kbpf_helper_writes_map(insn->imm))
			return reject(x, "%s cannot change a map read-only to programs",
				      proto->name);
		if ((r->map->flags & BPF_F_WRONLY_PROG) &&
		    kbpf_helper_reads_map(insn->imm))
			return reject(x, "%s cannot read a map write-only to programs",
				      proto->name);
		*map = r->map;
		note_call_map(x, r->map);
		return 0;
	case KBPF_ARG_MAP_KEY:
		return check_helper_mem(x, regno, (*map)->key_size,
					(*map)->key_size, KBPF_ARG_MEM);
	case KBPF_ARG_MAP_VALUE:
		return check_helper_mem(x, regno, (*map)->value_size,
					(*map)->value_size, KBPF_ARG_MEM);
	case KBPF_ARG_MAP_VALUE_OUT:
		return check_helper_mem(x, regno, (*map)->value_size,
					(*map)->value_size, KBPF_ARG_UNINIT_MEM);
	case KBPF_ARG_MEM:
	case KBPF_ARG_UNINIT_MEM:
	case KBPF_ARG_FORMAT_ARGS:
		return check_helper_sized_mem(x, regno, kind, proto->args[i + 1]);
	case KBPF_ARG_ALLOC_SIZE:
		if (r->type != KBPF_SCALAR || !kbpf_scalar_is_const(&r->var) ||
		    r->var.var.value > (u64)KBPF_MAX_PTR_OFF)
			return reject(x, "R%u: %s takes a known size, at most %lld",
				      regno, proto->name, (long long)KBPF_MAX_PTR_OFF);
		mark_precise_regs(x, BIT(regno));
		return 0;
	case KBPF_ARG_CONST_STR:
		return check_const_str(x, regno);
	case KBPF_ARG_FORMAT:
		return check_format(x, regno);
	case KBPF_ARG_RESERVED:
		if (r->type != KBPF_PTR_TO_MEM)
			return reject(x, "R%u is %s: %s takes a reserved record",
				      regno, type_name(r->type), proto->name);
		if (r->off || !kbpf_scalar_is_const(&r->var) || r->var.var.value)
			return reject(x, "R%u: %s takes the record as reserved, unmoved",
				      regno, proto->name);
		return 0;
	}
	return 0;
}

/* A call that releases its reservation argument ends it on this path. */
static u32 released_ref(struct explorer *x, const struct kbpf_helper_proto *proto)
{
	u8 i;

	for (i = 0; i < ARRAY_SIZE(proto->args); i++)
		if (proto->args[i] == KBPF_ARG_RESERVED)
			return reg(x, BPF_REG_1 + i)->ref;
	return 0;
}

/* The size argument of a call that reserves memory. */
static u32 alloc_size(struct explorer *x, const struct kbpf_helper_proto *proto)
{
	u8 i;

	for (i = 0; i < ARRAY_SIZE(proto->args); i++)
		if (proto->args[i] == KBPF_ARG_ALLOC_SIZE)
			return reg(x, BPF_REG_1 + i)->var.var.value;
	return 0;
}

/* The most bytes the call's size argument allows. */
static u64 max_size(struct explorer *x, const struct kbpf_helper_proto *proto)
{
	u8 i;

	for (i = 0; i < ARRAY_SIZE(proto->args); i++)
		if (proto->args[i] == KBPF_ARG_SIZE ||
		    proto->args[i] == KBPF_ARG_SIZE_OR_ZERO)
			return reg(x, BPF_REG_1 + i)->var.umax;
	return U64_MAX;
}

static int check_helper(struct explorer *x, const struct bpf_insn *insn)
{
	const struct kbpf_helper_proto *proto;
	const struct kbpf_map_desc *map = NULL;
	struct kbpf_reg *r0;
	u32 ref, size;
	u64 written;
	int err;
	u8 i;

	proto = kbpf_helper_proto(x->env->prog_type, insn->imm);
	if (!proto)
		return reject_helper(x, insn->imm);
	for (i = 0; i < ARRAY_SIZE(proto->args) && proto->args[i]; i++) {
		err = check_helper_arg(x, insn, proto, i, &map);
		if (err)
			return err;
	}
	/* A tail call that works never comes back to release anything. */
	if (insn->imm == BPF_FUNC_tail_call && x->cur.nr_refs)
		return reject(x, "tail_call would leave the reservation from insn %u held",
			      x->cur.refs[0].insn);
	if (proto->ret == KBPF_RET_MEM_OR_NULL && x->cur.nr_refs == KBPF_MAX_REFS)
		return reject(x, "more than %u reservations held at once",
			      KBPF_MAX_REFS);
	ref = released_ref(x, proto);
	size = alloc_size(x, proto);
	written = max_size(x, proto);
	/* r1-r5 do not survive calls. */
	for (i = BPF_REG_1; i <= BPF_REG_5; i++)
		memset(reg(x, i), 0, sizeof(struct kbpf_reg));
	if (ref)
		drop_ref(&x->cur, ref);
	r0 = reg(x, BPF_REG_0);
	kbpf_reg_mark_scalar(r0);
	/*
	 * The size argument was checked against the memory, so it is
	 * bounded (and precise); the helper writes no more than it says.
	 */
	if (proto->ret == KBPF_RET_SIZE_OR_ERRNO) {
		r0->var.smin = -MAX_ERRNO;
		r0->var.smax = written;
		r0->var.s32_min = -MAX_ERRNO;
		r0->var.s32_max = written;
		if (!kbpf_scalar_normalize(&r0->var))
			kbpf_scalar_unknown(&r0->var);
	}
	if (proto->ret == KBPF_RET_MEM_OR_NULL) {
		memset(r0, 0, sizeof(*r0));
		r0->type = KBPF_PTR_TO_MEM_OR_NULL;
		r0->mem_size = size;
		r0->id = ++x->next_id;
		r0->ref = r0->id;
		x->cur.refs[x->cur.nr_refs].id = r0->ref;
		x->cur.refs[x->cur.nr_refs++].insn = x->insn;
	}
	if (proto->ret == KBPF_RET_MAP_VALUE_OR_NULL) {
		memset(r0, 0, sizeof(*r0));
		r0->type = KBPF_PTR_TO_MAP_VALUE_OR_NULL;
		r0->map = map;
		/* A map of maps holds maps: its lookup gives one of them. */
		if (map->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		    map->type == BPF_MAP_TYPE_HASH_OF_MAPS) {
			if (!map->inner)
				return reject(x, "a map of maps without its inner map");
			r0->type = KBPF_CONST_PTR_TO_MAP_OR_NULL;
			r0->map = map->inner;
		}
		r0->id = ++x->next_id;
	}
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
	/* A new frame: nothing of a stack before it is read through it. */
	x->written[x->cur.nr_frames - 1] = ~0ULL;
	x->insn = target;
	return 0;
}

/* 1 when the program's last frame exits: the path is done. */
static int check_exit(struct explorer *x)
{
	const struct kbpf_reg *r0 = reg(x, BPF_REG_0);

	/*
	 * A subprogram may leave r0 unset, as upstream lets it: the caller's
	 * r0 is then unset, and reading it is refused there.
	 */
	if (r0->type == KBPF_NOT_INIT && x->cur.nr_frames == 1)
		return reject(x, "R0 is not initialized at exit");
	/*
	 * A subprogram gives its caller whatever r0 holds, pointers too,
	 * but not into its own stack, which ends with it.
	 */
	if (x->cur.nr_frames > 1 && r0->type == KBPF_PTR_TO_STACK &&
	    r0->frameno == x->cur.nr_frames - 1)
		return reject(x, "cannot return stack pointer to the caller");
	if (x->cur.nr_frames == 1 && r0->type != KBPF_SCALAR &&
	    !x->env->allow_ptr_leaks)
		return reject(x, "R0 leaks addr as return value");
	if (x->cur.nr_frames == 1 && x->cur.nr_refs)
		return reject(x, "the reservation from insn %u is neither submitted nor discarded",
			      x->cur.refs[0].insn);
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
	/*
	 * Checked where it runs, as upstream does: a write to r10 on a path
	 * the exploration finds dead is no harm (upstream's tests mark such
	 * paths with one).
	 */
	if (kbpf_insn_writes_fp(insn))
		return reject(x, "frame pointer is read only");
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		err = check_alu(x, insn);
		break;
	case BPF_LD:
		if (BPF_MODE(insn->code) != BPF_IMM) {
			err = check_ld_packet(x, insn);
			break;
		}
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
	kbpf_trail_free(&x->trail);
	while ((p = x->pending)) {
		x->pending = p->next;
		kbpf_state_free(&p->st);
		kbpf_trail_free(&p->trail);
		kvfree(p);
	}
	for (i = 0; x->saved && i < x->env->len; i++) {
		for (s = x->saved[i]; s; s = next) {
			next = s->next;
			free_snapshot(s);
		}
	}
	for (i = 0; x->open && i < KBPF_OPEN_BUCKETS; i++) {
		for (s = x->open[i]; s; s = next) {
			next = s->next;
			free_snapshot(s);
		}
	}
	kvfree(x->saved);
	kvfree(x->open);
	kvfree(x->nr_saved_at);
	kfree(x);
}

/**
 * kbpf_explore() - check every path of a structurally sound program
 * @env: the verification, after kbpf_check_structure()
 *
 * Return: 0 when every path is safe, with each subprogram's stack depth
 * in @env; -EACCES with a log line when one is not; -E2BIG when the
 * program takes more than KBPF_MAX_PROCESSED instructions to explore;
 * -EAGAIN when a signal came first (as upstream); -ENOMEM.
 */
int kbpf_explore(struct kbpf_verifier_env *env)
{
	struct explorer *x;
	int err;

	/* On the heap: with its current state, too big for a stack frame. */
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	x->env = env;
	/*
	 * Every helper the program names must exist for its type, also in
	 * code no path reaches: the loader resolves every call.
	 */
	for (x->insn = 0; x->insn < env->len; x->insn++) {
		if (env->insns[x->insn].code == (BPF_JMP | BPF_CALL) &&
		    !env->insns[x->insn].src_reg &&
		    !kbpf_helper_proto(env->prog_type, env->insns[x->insn].imm)) {
			err = reject_helper(x, env->insns[x->insn].imm);
			free_explorer(x);
			return err;
		}
	}
	x->insn = 0;

	x->saved = kvcalloc(env->len, sizeof(*x->saved), GFP_KERNEL);
	x->open = kvcalloc(KBPF_OPEN_BUCKETS, sizeof(*x->open), GFP_KERNEL);
	x->nr_saved_at = kvcalloc(env->len, sizeof(*x->nr_saved_at), GFP_KERNEL);
	if (!x->saved || !x->open || !x->nr_saved_at) {
		free_explorer(x);
		return -ENOMEM;
	}
	err = kbpf_state_init(&x->cur);
	while (!err) {
		if (++x->processed > KBPF_MAX_PROCESSED) {
			/* Upstream's words, which loaders and users look for. */
			kbpf_log(env->log, "BPF program is too large. Processed %u insn\n",
				 x->processed);
			err = -E2BIG;
			break;
		}
		/* Seconds of work: let the loader give up, and others run. */
		if (signal_pending(current)) {
			kbpf_log(env->log, "verification interrupted by a signal\n");
			err = -EAGAIN;
			break;
		}
		if (!(x->processed % KBPF_RESCHED_EVERY))
			cond_resched();
		if (env->aux[x->insn].flags & KBPF_AUX_JUMP_TARGET) {
			err = meet(x);
			if (err < 0)
				break;
			if (err) {
				err = 0;
				end_path(x);
				if (!next_branch(x))
					break;
				continue;
			}
		}
		err = kbpf_trail_push(&x->trail, x->insn, x->cur.nr_frames - 1);
		err = err ?: step(x);
		if (err > 0) {
			err = 0;
			end_path(x);
			if (!next_branch(x))
				break;
		}
	}
	env->insns_processed = x->processed;
	if (!err)
		err = check_stack_chains(x);
	/* At level 1 only a failing path is worth keeping. */
	if (!err && !(env->log->level & KBPF_LOG_LEVEL2))
		kbpf_log_rewind(env->log, 0);
	/* Upstream's statistics line, which tools parse. */
	kbpf_log(env->log,
		 "processed %u insns (limit %u) max_states_per_insn %u total_states %u peak_states %u\n",
		 x->processed, KBPF_MAX_PROCESSED, x->max_snapshots_at,
		 x->total_snapshots, x->peak_snapshots);
	free_explorer(x);
	return err;
}
