// SPDX-License-Identifier: GPL-2.0
/*
 * Programs on perf events: PERF_EVENT_IOC_SET_BPF and perf links.
 *
 * A perf event of a trace event (a tracepoint, a syscall, a kprobe or
 * uprobe, through the PMUs or tracefs) gives its program to the trace
 * event: each trace event keeps an RCU-replaced list of the programs of
 * all its perf events, and the tracing code runs them through the seam
 * kbpf_trace_call() before it writes a perf sample, which is dropped when
 * a program returns 0. Any other perf event is a sampling event (a
 * software or hardware counter): its perf_event program runs at each
 * overflow, through kbpf_perf_event_overflow(), on a
 * struct bpf_perf_event_data filled from the sample.
 *
 * One program per perf event; the event holds a reference to it until
 * the program is detached (link) or the event is freed. A program hit on
 * a CPU where a tracing program is already running (a kprobe inside a
 * program, an NMI sample during one) is not run, and that is counted as
 * a miss of the program, as upstream does.
 */

#include <linux/kbpf.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/trace_events.h>
#include <uapi/linux/bpf_perf_event.h>

#include "attach.h"
#include "prog.h"
#include "run.h"

/* Most programs one trace event runs, upstream's BPF_TRACE_MAX_PROGS. */
#define KBPF_EVENT_MAX_PROGS	64

/**
 * struct kbpf_event_prog - a program attached to a trace event
 * @prog: the program; NULL once detached when no smaller list could be
 *	allocated (runs skip it)
 * @cookie: the attachment's cookie
 */
struct kbpf_event_prog {
	struct kbpf_prog *prog;
	u64 cookie;
};

/**
 * struct kbpf_event_progs - the programs a trace event runs
 * @rcu: replaced lists are freed after a grace period
 * @nr: entries in @items
 * @items: the programs, in the order they were attached
 */
struct kbpf_event_progs {
	struct rcu_head rcu;
	u32 nr;
	struct kbpf_event_prog items[] __counted_by(nr);
};

/**
 * struct kbpf_perf_ctx - what a perf_event program runs on
 * @data: its context, filled from the sample
 * @run: its run context
 */
struct kbpf_perf_ctx {
	struct bpf_perf_event_data data;
	struct kbpf_run_ctx run;
};

/* Guards the lists of every trace event and perf events' programs. */
static DEFINE_MUTEX(kbpf_event_lock);

static void count_misses(const struct kbpf_event_progs *progs)
{
	u32 i;

	for (i = 0; i < progs->nr; i++) {
		struct kbpf_prog *prog = READ_ONCE(progs->items[i].prog);

		if (prog)
			atomic64_inc(&prog->misses);
	}
}

/*
 * Runs the programs of @call on @ctx: a probe's registers, or the trace
 * record whose first word holds the registers. Any context: uprobes come
 * in preemptible, kprobes and tracepoints with preemption off, sometimes
 * in NMI.
 */
static unsigned int run_event(struct trace_event_call *call, void *ctx,
			      unsigned long func_ip)
{
	const struct kbpf_event_progs *progs;
	struct kbpf_run_ctx run, *old;
	unsigned int ret = 1;
	u32 i;

	preempt_disable();
	rcu_read_lock();
	progs = rcu_dereference(call->kbpf_progs);
	if (!progs)
		goto out;
	if (unlikely(__this_cpu_inc_return(kbpf_trace_active) != 1)) {
		count_misses(progs);
		ret = 0;
		goto out_active;
	}
	run.func_ip = func_ip;
	old = kbpf_run_ctx_swap(&run);
	for (i = 0; i < progs->nr; i++) {
		const struct kbpf_prog *prog = READ_ONCE(progs->items[i].prog);

		if (!prog)
			continue;
		run.cookie = progs->items[i].cookie;
		/* Probes run on the registers, tracepoints on the record. */
		run.regs = prog->type == BPF_PROG_TYPE_KPROBE ?
			   ctx : *(struct pt_regs **)ctx;
		ret &= kbpf_prog_run_pinned(prog, ctx);
	}
	kbpf_run_ctx_swap(old);
out_active:
	__this_cpu_dec(kbpf_trace_active);
out:
	rcu_read_unlock();
	preempt_enable();
	return ret;
}

/**
 * kbpf_trace_call() - run the programs of trace event @call
 * @call: the trace event that fired
 * @ctx: the programs' context: the kprobe's registers, or the trace
 *	record whose first word holds the registers
 *
 * Called by the tracing code where it would call trace_call_bpf().
 *
 * Return: 0 when the perf sample must be dropped (a program returned 0,
 * or a program was already running on the CPU), else nonzero.
 */
unsigned int kbpf_trace_call(struct trace_event_call *call, void *ctx)
{
	return run_event(call, ctx, 0);
}

/**
 * kbpf_uprobe_call() - run the programs of uprobe event @call
 * @call: the uprobe or uretprobe event that fired
 * @regs: the user registers, the programs' context
 * @func: the function a uretprobe returns from, 0 for a uprobe
 *
 * Return: as kbpf_trace_call().
 */
unsigned int kbpf_uprobe_call(struct trace_event_call *call,
			      struct pt_regs *regs, unsigned long func)
{
	return run_event(call, regs, func ?: instruction_pointer(regs));
}

/* @event's trace event; none in kernels without event tracing. */
static struct trace_event_call *event_call(struct perf_event *event)
{
#ifdef CONFIG_EVENT_TRACING
	return event->tp_event;
#else
	return NULL;
#endif
}

/* Which program type may a perf event of trace event @call run? */
static int trace_event_prog_type(struct trace_event_call *call)
{
	if (call->flags & (TRACE_EVENT_FL_KPROBE | TRACE_EVENT_FL_UPROBE))
		return BPF_PROG_TYPE_KPROBE;
	if ((call->flags & TRACE_EVENT_FL_TRACEPOINT) ||
	    is_syscall_trace_event(call))
		return BPF_PROG_TYPE_TRACEPOINT;
	/* ftrace's function events and the like take no programs. */
	return -EINVAL;
}

static int attach_to_trace_event(struct trace_event_call *call,
				 struct kbpf_prog *prog, u64 cookie)
{
	struct kbpf_event_progs *old, *new;
	int type = trace_event_prog_type(call);
	u32 nr;

	if (type < 0 || prog->type != type)
		return -EINVAL;
	/* A tracepoint program must not read past the record. */
	if (type == BPF_PROG_TYPE_TRACEPOINT &&
	    prog->ctx_end > trace_event_get_offsets(call))
		return -EACCES;

	old = rcu_dereference_protected(call->kbpf_progs,
					lockdep_is_held(&kbpf_event_lock));
	nr = old ? old->nr : 0;
	if (nr >= KBPF_EVENT_MAX_PROGS)
		return -E2BIG;
	new = kmalloc(struct_size(new, items, nr + 1), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->nr = nr + 1;
	if (nr)
		memcpy(new->items, old->items, nr * sizeof(new->items[0]));
	new->items[nr].prog = prog;
	new->items[nr].cookie = cookie;
	rcu_assign_pointer(call->kbpf_progs, new);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static void detach_from_trace_event(struct trace_event_call *call,
				    struct perf_event *event)
{
	struct kbpf_event_progs *old, *new = NULL;
	u32 i, j, at;

	old = rcu_dereference_protected(call->kbpf_progs,
					lockdep_is_held(&kbpf_event_lock));
	for (at = 0; at < old->nr; at++)
		if (old->items[at].prog == event->kbpf_prog &&
		    old->items[at].cookie == event->bpf_cookie)
			break;
	if (WARN_ON_ONCE(at == old->nr))
		return;
	if (old->nr > 1) {
		new = kmalloc(struct_size(new, items, old->nr - 1), GFP_KERNEL);
		if (!new) {
			/* Runs skip the slot; the list shrinks next time. */
			WRITE_ONCE(old->items[at].prog, NULL);
			return;
		}
		new->nr = old->nr - 1;
		for (i = 0, j = 0; i < old->nr; i++)
			if (i != at)
				new->items[j++] = old->items[i];
	}
	rcu_assign_pointer(call->kbpf_progs, new);
	kfree_rcu(old, rcu);
}

static int attach_to_sampling_event(struct perf_event *event,
				    struct kbpf_prog *prog, u64 cookie)
{
	/* Hardware breakpoints and in-kernel counters have their handler. */
	if (event->overflow_handler_context)
		return -EINVAL;
	if (prog->type != BPF_PROG_TYPE_PERF_EVENT)
		return -EINVAL;
	return 0;
}

/**
 * kbpf_perf_event_attach() - run @prog at each firing of @event
 * @event: a perf event
 * @prog: the program; on success the event holds the caller's reference
 * @cookie: what bpf_get_attach_cookie() gives the program
 *
 * Return: 0, or -EEXIST when @event has a program, -EINVAL for a program
 * of the wrong type for the event (or an event that takes none), -EACCES
 * for a tracepoint program reading past the event's record, -E2BIG when
 * the trace event has all the programs it may, -ENOMEM.
 */
int kbpf_perf_event_attach(struct perf_event *event, struct kbpf_prog *prog,
			   u64 cookie)
{
	int err;

	mutex_lock(&kbpf_event_lock);
	if (event->kbpf_prog)
		err = -EEXIST;
	else if (event_call(event))
		err = attach_to_trace_event(event_call(event), prog, cookie);
	else
		err = attach_to_sampling_event(event, prog, cookie);
	if (!err) {
		event->bpf_cookie = cookie;
		/* Overflows read it under RCU: the cookie is set before. */
		smp_store_release(&event->kbpf_prog, prog);
	}
	mutex_unlock(&kbpf_event_lock);
	return err;
}

/**
 * kbpf_perf_event_detach() - stop running @event's program and drop it
 * @event: a perf event, with or without a program
 *
 * The program may still be running on another CPU: it is freed a grace
 * period after its last reference goes.
 */
void kbpf_perf_event_detach(struct perf_event *event)
{
	struct kbpf_prog *prog;

	mutex_lock(&kbpf_event_lock);
	prog = event->kbpf_prog;
	if (prog) {
		if (event_call(event))
			detach_from_trace_event(event_call(event), event);
		WRITE_ONCE(event->kbpf_prog, NULL);
	}
	mutex_unlock(&kbpf_event_lock);
	if (prog)
		kbpf_prog_put(prog);
}

/**
 * kbpf_perf_event_set_bpf() - PERF_EVENT_IOC_SET_BPF
 * @event: the perf event of the ioctl
 * @prog_fd: the ioctl's argument: a program's file descriptor
 *
 * Return: 0, or -EBADF/-EINVAL for no program, or as
 * kbpf_perf_event_attach().
 */
int kbpf_perf_event_set_bpf(struct perf_event *event, u32 prog_fd)
{
	struct kbpf_prog *prog = kbpf_prog_get_fd(prog_fd);
	int err;

	if (IS_ERR(prog))
		return PTR_ERR(prog);
	err = kbpf_perf_event_attach(event, prog, 0);
	if (err)
		kbpf_prog_put(prog);
	return err;
}

/**
 * kbpf_perf_event_free() - a perf event is being freed: drop its program
 * @event: the event
 */
void kbpf_perf_event_free(struct perf_event *event)
{
	if (event->kbpf_prog)
		kbpf_perf_event_detach(event);
}

/**
 * kbpf_perf_event_overflow() - run a sampling event's program
 * @event: the event that overflowed
 * @data: the sample
 * @regs: the registers at the overflow
 *
 * Called at each overflow of a sampling event, often in NMI context.
 *
 * Return: true when the sample must be dropped (the program returned 0,
 * or a program was already running on the CPU).
 */
bool kbpf_perf_event_overflow(struct perf_event *event,
			      struct perf_sample_data *data,
			      struct pt_regs *regs)
{
	struct kbpf_perf_ctx ctx;
	struct kbpf_run_ctx *old;
	struct kbpf_prog *prog;
	u32 ret = 1;

	if (!READ_ONCE(event->kbpf_prog) || event_call(event))
		return false;
	rcu_read_lock();
	/* Pairs with the attach's release: the cookie is in place. */
	prog = smp_load_acquire(&event->kbpf_prog);
	if (!prog)
		goto out;
	if (unlikely(__this_cpu_inc_return(kbpf_trace_active) != 1)) {
		atomic64_inc(&prog->misses);
		ret = 0;
		goto out_active;
	}
	perf_prepare_sample(data, event, regs);
	memcpy(&ctx.data.regs, perf_arch_bpf_user_pt_regs(regs),
	       sizeof(ctx.data.regs));
	ctx.data.sample_period = data->period;
	ctx.data.addr = data->addr;
	ctx.run.cookie = event->bpf_cookie;
	ctx.run.regs = regs;
	ctx.run.func_ip = 0;
	old = kbpf_run_ctx_swap(&ctx.run);
	ret = kbpf_prog_run_pinned(prog, &ctx.data);
	kbpf_run_ctx_swap(old);
out_active:
	__this_cpu_dec(kbpf_trace_active);
out:
	rcu_read_unlock();
	return !ret;
}
