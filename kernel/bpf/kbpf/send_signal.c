// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_send_signal() and bpf_send_signal_thread(): a tracing program
 * signals the task it runs in (its process, or that thread).
 *
 * Only a user task that is not exiting and is not init may be signalled,
 * and only when the CPU is on that task's own address space (an NMI may
 * come in the middle of a switch). Where interrupts are off (kprobes,
 * perf overflows), signalling cannot take the locks it needs: the signal
 * goes through an irq_work run as soon as they are back on, one pending
 * per CPU (-EBUSY while it is).
 */

#include <linux/irq_work.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <asm/tlb.h>

#include "trace_helpers.h"

/**
 * struct kbpf_signal_work - a signal sent once interrupts are on
 * @work: the irq_work
 * @task: the task to signal, referenced
 * @sig: the signal
 * @type: PIDTYPE_TGID (the process) or PIDTYPE_PID (the thread)
 * @claimed: a send owns the fields until the work has run; claimed by
 *	compare-and-exchange, so an NMI program cannot overwrite them
 */
struct kbpf_signal_work {
	struct irq_work work;
	atomic_t claimed;
	struct task_struct *task;
	u32 sig;
	enum pid_type type;
};

static void send_deferred(struct irq_work *work)
{
	struct kbpf_signal_work *sw = container_of(work, struct kbpf_signal_work,
						   work);

	group_send_sig_info(sw->sig, SEND_SIG_PRIV, sw->task, sw->type);
	put_task_struct(sw->task);
	atomic_set_release(&sw->claimed, 0);
}

static DEFINE_PER_CPU(struct kbpf_signal_work, kbpf_signal_work) = {
	.work = IRQ_WORK_INIT(send_deferred),
};

/**
 * kbpf_send_signal() - signal the current task's process or thread
 * @sig: the signal
 * @thread: the thread only (bpf_send_signal_thread())
 *
 * Return: 0, or -EPERM for a kernel thread, an exiting task, init, or an
 * address space in transition, -EINVAL for no such signal, -EBUSY while
 * the CPU's deferred signal is pending, or the error sending it.
 */
long kbpf_send_signal(u32 sig, bool thread)
{
	enum pid_type type = thread ? PIDTYPE_PID : PIDTYPE_TGID;
	struct kbpf_signal_work *sw;

	if (unlikely(current->flags & (PF_KTHREAD | PF_EXITING)) ||
	    unlikely(!nmi_uaccess_okay()) || unlikely(is_global_init(current)))
		return -EPERM;
	if (!irqs_disabled())
		return group_send_sig_info(sig, SEND_SIG_PRIV, current, type);
	/* Checked now: the deferred send's error would be lost. */
	if (unlikely(!valid_signal(sig)))
		return -EINVAL;
	sw = this_cpu_ptr(&kbpf_signal_work);
	if (atomic_cmpxchg_acquire(&sw->claimed, 0, 1))
		return -EBUSY;
	sw->task = get_task_struct(current);
	sw->sig = sig;
	sw->type = type;
	irq_work_queue(&sw->work);
	return 0;
}
