// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime of loaded programs: the helper functions behind the
 * verifier's helper table, tail calls through prog arrays, packet loads
 * for socket filters, and running a program.
 *
 * The verifier has checked every argument against the helper's prototype
 * (a map of a type that has the operation, keys and values of the map's
 * sizes, memory of the given size), so the functions trust them. Helpers
 * of the verifier's table that have no function here yet make the load
 * fail with a log line naming them, rather than an accepted program the
 * runtime cannot run.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <uapi/linux/filter.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/perf_event.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/static_key.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>
#include <linux/uaccess.h>

#ifdef CONFIG_X86_KERNEL_IBT
#include <asm/ibt.h>
#endif

#include "jit_image.h"
#include "map.h"
#include "prog.h"
#include "run.h"
#include "trace_helpers.h"
#include "verifier.h"

static struct kbpf_map *to_map(u64 r)
{
	return (struct kbpf_map *)(unsigned long)r;
}

static void *to_ptr(u64 r)
{
	return (void *)(unsigned long)r;
}

static u64 map_lookup_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	return (unsigned long)to_map(map)->ops->lookup(to_map(map), to_ptr(key));
}

static u64 map_update_elem(u64 map, u64 key, u64 value, u64 flags, u64 r5)
{
	return to_map(map)->ops->update(to_map(map), to_ptr(key),
					to_ptr(value), flags);
}

static u64 map_delete_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	return to_map(map)->ops->delete(to_map(map), to_ptr(key));
}

static u64 map_push_elem(u64 map, u64 value, u64 flags, u64 r4, u64 r5)
{
	return to_map(map)->ops->push(to_map(map), to_ptr(value), flags);
}

static u64 map_pop_elem(u64 map, u64 value, u64 r3, u64 r4, u64 r5)
{
	return to_map(map)->ops->pop(to_map(map), to_ptr(value));
}

static u64 map_peek_elem(u64 map, u64 value, u64 r3, u64 r4, u64 r5)
{
	return to_map(map)->ops->peek(to_map(map), to_ptr(value));
}

static u64 ktime_get_ns_fn(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	/* The NMI-safe clocks: programs may run in any context. */
	return ktime_get_mono_fast_ns();
}

static u64 ktime_get_boot_ns_fn(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return ktime_get_boot_fast_ns();
}

static u64 ktime_get_coarse_ns_fn(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return ktime_get_coarse_ns();
}

static u64 jiffies64(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return get_jiffies_64();
}

DEFINE_PER_CPU(struct kbpf_run_ctx *, kbpf_run_ctx);
/* Tracing programs running on the CPU: above one, a hook hit inside one. */
DEFINE_PER_CPU(int, kbpf_trace_active);

static DEFINE_PER_CPU(struct rnd_state, kbpf_rnd_state);

static u64 get_prandom_u32(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	/* Per-CPU state: no lock, so callable from NMI context too. */
	return prandom_u32_state(this_cpu_ptr(&kbpf_rnd_state));
}

static u64 get_smp_processor_id(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	/* Programs run with migration disabled: this is their CPU. */
	return raw_smp_processor_id();
}

static u64 get_current_pid_tgid(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return (u64)current->tgid << 32 | current->pid;
}

static u64 get_current_uid_gid(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	kuid_t uid;
	kgid_t gid;

	current_uid_gid(&uid, &gid);
	return (u64)from_kgid(&init_user_ns, gid) << 32 |
	       from_kuid(&init_user_ns, uid);
}

static u64 get_current_comm(u64 buf, u64 size, u64 r3, u64 r4, u64 r5)
{
	strscpy_pad(to_ptr(buf), current->comm, size);
	return 0;
}

static u64 get_current_task(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return (unsigned long)current;
}

/* The probe reads leave zeroes where they could not read, as upstream. */

static u64 probe_read_kernel(u64 dst, u64 size, u64 src, u64 r4, u64 r5)
{
	long err = copy_from_kernel_nofault(to_ptr(dst), to_ptr(src), size);

	if (err)
		memset(to_ptr(dst), 0, size);
	return err;
}

static u64 probe_read_user(u64 dst, u64 size, u64 src, u64 r4, u64 r5)
{
	long err = copy_from_user_nofault(to_ptr(dst),
					  (const void __user *)to_ptr(src), size);

	if (err)
		memset(to_ptr(dst), 0, size);
	return err;
}

static u64 probe_read_kernel_str(u64 dst, u64 size, u64 src, u64 r4, u64 r5)
{
	long n;

	if (!size)
		return 0;
	n = strncpy_from_kernel_nofault(to_ptr(dst), to_ptr(src), size);
	if (n < 0)
		memset(to_ptr(dst), 0, size);
	return n;
}

static u64 probe_read_user_str(u64 dst, u64 size, u64 src, u64 r4, u64 r5)
{
	long n;

	if (!size)
		return 0;
	n = strncpy_from_user_nofault(to_ptr(dst),
				      (const void __user *)to_ptr(src), size);
	if (n < 0)
		memset(to_ptr(dst), 0, size);
	return n;
}

/*
 * The old probe_read reads user or kernel memory by the address, where
 * the two do not overlap; elsewhere it is kernel memory.
 */
static bool is_user_addr(u64 addr)
{
#ifdef CONFIG_ARCH_HAS_NON_OVERLAPPING_ADDRESS_SPACE
	return addr < TASK_SIZE;
#else
	return false;
#endif
}

static u64 probe_read(u64 dst, u64 size, u64 src, u64 r4, u64 r5)
{
	if (is_user_addr(src))
		return probe_read_user(dst, size, src, 0, 0);
	return probe_read_kernel(dst, size, src, 0, 0);
}

static u64 probe_read_str(u64 dst, u64 size, u64 src, u64 r4, u64 r5)
{
	if (is_user_addr(src))
		return probe_read_user_str(dst, size, src, 0, 0);
	return probe_read_kernel_str(dst, size, src, 0, 0);
}

static u64 trace_printk_fn(u64 fmt, u64 size, u64 a1, u64 a2, u64 a3)
{
	const u64 args[] = { a1, a2, a3 };

	return kbpf_trace_printk(to_ptr(fmt), size, args, ARRAY_SIZE(args));
}

/* The registers of the event the program runs for, if its hook has any. */
static struct pt_regs *event_regs(void)
{
	struct kbpf_run_ctx *run = this_cpu_read(kbpf_run_ctx);

	return run ? run->regs : NULL;
}

static u64 perf_event_output_fn(u64 ctx, u64 map, u64 flags, u64 data, u64 size)
{
	return kbpf_perf_event_output(to_map(map), flags, to_ptr(data), size,
				      event_regs());
}

static u64 perf_event_read_fn(u64 map, u64 flags, u64 r3, u64 r4, u64 r5)
{
	u64 value, enabled, running;
	int err;

	err = kbpf_perf_event_read(to_map(map), flags, &value, &enabled,
				   &running);
	/* As upstream: the count, or the error in its place. */
	return err ? err : value;
}

static u64 perf_event_read_value_fn(u64 map, u64 flags, u64 buf, u64 size,
				    u64 r5)
{
	struct bpf_perf_event_value *v = to_ptr(buf);
	int err = -EINVAL;

	if (size == sizeof(*v))
		err = kbpf_perf_event_read(to_map(map), flags, &v->counter,
					   &v->enabled, &v->running);
	if (err)
		memset(v, 0, size);
	return err;
}

static u64 get_stackid(u64 ctx, u64 map, u64 flags, u64 r4, u64 r5)
{
	return kbpf_get_stackid(to_map(map), flags, event_regs());
}

static u64 get_stack(u64 ctx, u64 buf, u64 size, u64 flags, u64 r5)
{
	return kbpf_get_stack(to_ptr(buf), size, flags, event_regs());
}

static u64 get_attach_cookie(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5)
{
	struct kbpf_run_ctx *run = this_cpu_read(kbpf_run_ctx);

	return run ? run->cookie : 0;
}

static u64 get_numa_node_id(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return numa_node_id();
}

#ifdef CONFIG_X86_KERNEL_IBT
/*
 * With IBT, a kprobe on a function's entry sits past the function's ENDBR:
 * the function's address is the kprobe's less that.
 */
static unsigned long function_of(unsigned long kprobe_addr)
{
	u32 insn;

	if (!get_kernel_nofault(insn, (u32 *)(kprobe_addr - ENDBR_INSN_SIZE)) &&
	    is_endbr(insn))
		return kprobe_addr - ENDBR_INSN_SIZE;
	return kprobe_addr;
}
#else
static unsigned long function_of(unsigned long kprobe_addr)
{
	return kprobe_addr;
}
#endif

/* The function a kprobe or uprobe program's event is in; 0 if unknown. */
static u64 get_func_ip(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5)
{
	struct kbpf_run_ctx *run = this_cpu_read(kbpf_run_ctx);
	struct kprobe *kp;

	if (run && run->func_ip)
		return run->func_ip;
	kp = kprobe_running();
	if (!kp || !(kp->flags & KPROBE_FLAG_ON_FUNC_ENTRY))
		return 0;
	return function_of((unsigned long)kp->addr);
}

static u64 ringbuf_output(u64 map, u64 data, u64 size, u64 flags, u64 r5)
{
	return kbpf_ringbuf_output(to_map(map), to_ptr(data), size, flags);
}

static u64 ringbuf_reserve(u64 map, u64 size, u64 flags, u64 r4, u64 r5)
{
	return (unsigned long)kbpf_ringbuf_reserve(to_map(map), size, flags);
}

static u64 ringbuf_submit(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5)
{
	kbpf_ringbuf_commit(to_ptr(sample), flags, false);
	return 0;
}

static u64 ringbuf_discard(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5)
{
	kbpf_ringbuf_commit(to_ptr(sample), flags, true);
	return 0;
}

static u64 ringbuf_query(u64 map, u64 flags, u64 r3, u64 r4, u64 r5)
{
	return kbpf_ringbuf_query(to_map(map), flags);
}

static u64 strncmp_fn(u64 s1, u64 s1_size, u64 s2, u64 r4, u64 r5)
{
	return strncmp(to_ptr(s1), to_ptr(s2), s1_size);
}

/* The verifier saw to data_len: a known multiple of 8, at most 96. */
static u64 snprintf_fn(u64 str, u64 size, u64 fmt, u64 data, u64 data_len)
{
	return kbpf_snprintf(to_ptr(str), size, to_ptr(fmt), to_ptr(data),
			     data_len / 8);
}

static u64 send_signal(u64 sig, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return kbpf_send_signal(sig, false);
}

static u64 send_signal_thread(u64 sig, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return kbpf_send_signal(sig, true);
}

/*
 * Socket filters' own helpers. Their context is the __sk_buff of a
 * kbpf_sk_filter_ctx, whose bytes start at the network header, as the
 * packet loads' offsets do.
 */
static const struct kbpf_sk_filter_ctx *sk_filter_ctx(u64 ctx)
{
	return container_of(to_ptr(ctx), struct kbpf_sk_filter_ctx, skb);
}

static u64 skb_load_bytes(u64 ctx, u64 off, u64 to, u64 len, u64 r5)
{
	const struct kbpf_sk_filter_ctx *c = sk_filter_ctx(ctx);

	if ((u32)off > c->len || len > c->len - (u32)off) {
		/* As upstream: the buffer is cleared when the bytes are not there. */
		memset(to_ptr(to), 0, len);
		return -EFAULT;
	}
	memcpy(to_ptr(to), c->data + (u32)off, len);
	return 0;
}

static u64 get_socket_cookie(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return sk_filter_ctx(ctx)->socket_cookie;
}

static u64 get_socket_uid(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return sk_filter_ctx(ctx)->socket_uid;
}

static u64 skb_event_output(u64 ctx, u64 map, u64 flags, u64 data, u64 size)
{
	const struct kbpf_sk_filter_ctx *c = sk_filter_ctx(ctx);

	return kbpf_perf_event_output_packet(to_map(map), flags, to_ptr(data),
					     size, c->data, c->len);
}

/*
 * One table for every program type: the verifier lets each type call only
 * its own helpers. Socket filters' bpf_perf_event_output() differs (it
 * appends packet bytes): their table replaces that one entry at boot.
 */
static const kbpf_helper_fn helper_fns[] = {
	[BPF_FUNC_map_lookup_elem] = map_lookup_elem,
	[BPF_FUNC_map_update_elem] = map_update_elem,
	[BPF_FUNC_map_delete_elem] = map_delete_elem,
	[BPF_FUNC_map_push_elem] = map_push_elem,
	[BPF_FUNC_map_pop_elem] = map_pop_elem,
	[BPF_FUNC_map_peek_elem] = map_peek_elem,
	[BPF_FUNC_ktime_get_ns] = ktime_get_ns_fn,
	[BPF_FUNC_ktime_get_boot_ns] = ktime_get_boot_ns_fn,
	[BPF_FUNC_ktime_get_coarse_ns] = ktime_get_coarse_ns_fn,
	[BPF_FUNC_jiffies64] = jiffies64,
	[BPF_FUNC_get_prandom_u32] = get_prandom_u32,
	[BPF_FUNC_get_smp_processor_id] = get_smp_processor_id,
	[BPF_FUNC_get_current_pid_tgid] = get_current_pid_tgid,
	[BPF_FUNC_get_current_uid_gid] = get_current_uid_gid,
	[BPF_FUNC_get_current_comm] = get_current_comm,
	[BPF_FUNC_get_current_task] = get_current_task,
	[BPF_FUNC_probe_read] = probe_read,
	[BPF_FUNC_probe_read_str] = probe_read_str,
	[BPF_FUNC_probe_read_kernel] = probe_read_kernel,
	[BPF_FUNC_probe_read_user] = probe_read_user,
	[BPF_FUNC_probe_read_kernel_str] = probe_read_kernel_str,
	[BPF_FUNC_probe_read_user_str] = probe_read_user_str,
	[BPF_FUNC_trace_printk] = trace_printk_fn,
	[BPF_FUNC_perf_event_output] = perf_event_output_fn,
	[BPF_FUNC_perf_event_read] = perf_event_read_fn,
	[BPF_FUNC_perf_event_read_value] = perf_event_read_value_fn,
	[BPF_FUNC_get_attach_cookie] = get_attach_cookie,
	[BPF_FUNC_get_stackid] = get_stackid,
	[BPF_FUNC_get_stack] = get_stack,
	[BPF_FUNC_get_numa_node_id] = get_numa_node_id,
	[BPF_FUNC_get_func_ip] = get_func_ip,
	[BPF_FUNC_strncmp] = strncmp_fn,
	[BPF_FUNC_snprintf] = snprintf_fn,
	[BPF_FUNC_ringbuf_output] = ringbuf_output,
	[BPF_FUNC_ringbuf_reserve] = ringbuf_reserve,
	[BPF_FUNC_ringbuf_submit] = ringbuf_submit,
	[BPF_FUNC_ringbuf_discard] = ringbuf_discard,
	[BPF_FUNC_ringbuf_query] = ringbuf_query,
	[BPF_FUNC_send_signal] = send_signal,
	[BPF_FUNC_send_signal_thread] = send_signal_thread,
	[BPF_FUNC_skb_load_bytes] = skb_load_bytes,
	[BPF_FUNC_get_socket_cookie] = get_socket_cookie,
	[BPF_FUNC_get_socket_uid] = get_socket_uid,
};

static kbpf_helper_fn sk_filter_helper_fns[ARRAY_SIZE(helper_fns)] __ro_after_init;

static const struct kbpf_interp_prog *const *tail_call_slot(void *map, u32 index)
{
	struct kbpf_map *m = map;

	return m->ops->tail_call_slot(m, index);
}

/*
 * Socket filters: LD_ABS/LD_IND offsets count from the network header;
 * as in classic BPF, those from SKF_NET_OFF up count from it too, and
 * those from SKF_LL_OFF up from the link-layer header. Either way the
 * bytes must lie within the frame.
 */
static int load_packet(const void *ctx, s32 offset, u32 size, void *buf)
{
	const struct kbpf_sk_filter_ctx *c;
	const u8 *from;
	s64 off;

	c = container_of(ctx, struct kbpf_sk_filter_ctx, skb);
	if (offset >= 0) {
		from = c->data;
		off = offset;
	} else if (offset >= SKF_NET_OFF) {
		from = c->data;
		off = (s64)offset - SKF_NET_OFF;
	} else if (offset >= SKF_LL_OFF) {
		from = c->mac;
		off = (s64)offset - SKF_LL_OFF;
	} else {
		return -EFAULT;
	}
	if (from + off + size > c->data + c->len)
		return -EFAULT;
	memcpy(buf, from + off, size);
	return 0;
}

static const struct kbpf_interp_ops tracing_ops = {
	.helpers = helper_fns,
	.nr_helpers = ARRAY_SIZE(helper_fns),
	.tail_call_slot = tail_call_slot,
};

static const struct kbpf_interp_ops sk_filter_ops = {
	.helpers = sk_filter_helper_fns,
	.nr_helpers = ARRAY_SIZE(sk_filter_helper_fns),
	.tail_call_slot = tail_call_slot,
	.load_packet = load_packet,
};

/**
 * kbpf_runtime_ops() - what programs of @prog_type run with
 * @prog_type: a BPF_PROG_TYPE_* that loads
 *
 * Every type gets the whole helper table (socket filters with their own
 * bpf_perf_event_output()); the verifier has already refused the calls a
 * type may not make.
 *
 * Return: the interpreter's ops for the type.
 */
const struct kbpf_interp_ops *kbpf_runtime_ops(u32 prog_type)
{
	if (prog_type == BPF_PROG_TYPE_SOCKET_FILTER)
		return &sk_filter_ops;
	return &tracing_ops;
}

/**
 * kbpf_runtime_check() - can the runtime run every helper call of a program?
 * @prog: the verified program
 * @log: where to say which helper is missing
 *
 * The calls also take what their helpers need: bpf_trace_printk() turns
 * on the trace event it writes, as upstream does at load, and
 * bpf_get_stack() perf's callchain buffers, held until the program goes.
 *
 * Return: 0, or -EINVAL for a call to a helper the verifier knows and
 * the runtime does not have yet, or the error getting callchain buffers.
 */
int kbpf_runtime_check(struct kbpf_prog *prog, struct kbpf_log *log)
{
	u32 i;
	int err;

	for (i = 0; i < prog->len; i++) {
		const struct bpf_insn *insn = &prog->insns[i];
		s32 id = insn->imm;

		if (insn->code != (BPF_JMP | BPF_CALL) || insn->src_reg ||
		    id == BPF_FUNC_tail_call)
			continue;
		if (id < 0 || id >= ARRAY_SIZE(helper_fns) || !helper_fns[id]) {
			kbpf_log(log, "helper %d (%s) is not implemented by kbpf yet\n",
				 id, kbpf_helper_name(id) ?: "unknown");
			return -EINVAL;
		}
		if (id == BPF_FUNC_trace_printk)
			kbpf_trace_printk_enable();
		if (id == BPF_FUNC_get_stack && !prog->callchain) {
			err = get_callchain_buffers(sysctl_perf_event_max_stack);
			if (err)
				return err;
			prog->callchain = true;
		}
	}
	return 0;
}

/* On while a BPF_ENABLE_STATS file is open: runs are counted and timed. */
DEFINE_STATIC_KEY_FALSE(kbpf_stats_on);
static DEFINE_MUTEX(kbpf_stats_lock);

static int kbpf_stats_release(struct inode *inode, struct file *file)
{
	mutex_lock(&kbpf_stats_lock);
	static_branch_dec(&kbpf_stats_on);
	mutex_unlock(&kbpf_stats_lock);
	return 0;
}

static const struct file_operations kbpf_stats_fops = {
	.release = kbpf_stats_release,
};

/**
 * kbpf_enable_stats() - BPF_ENABLE_STATS
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: a file descriptor that keeps run-time statistics on while it is
 * open, or -EINVAL for other statistics, -EPERM without CAP_SYS_ADMIN,
 * -EBUSY when too many are open.
 */
int kbpf_enable_stats(union bpf_attr *attr, union bpf_attr __user *uattr,
		      unsigned int size)
{
	int fd;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (attr->enable_stats.type != BPF_STATS_RUN_TIME)
		return -EINVAL;
	mutex_lock(&kbpf_stats_lock);
	if (static_key_count(&kbpf_stats_on.key) > INT_MAX / 2) {
		fd = -EBUSY;
		goto unlock;
	}
	fd = anon_inode_getfd("bpf-stats", &kbpf_stats_fops, NULL, O_CLOEXEC);
	if (fd >= 0)
		static_branch_inc(&kbpf_stats_on);
unlock:
	mutex_unlock(&kbpf_stats_lock);
	return fd;
}

/**
 * kbpf_prog_read_stats() - the runs of @prog counted over all CPUs
 * @prog: the program
 * @cnt: its runs
 * @nsecs: their time, ns
 */
void kbpf_prog_read_stats(const struct kbpf_prog *prog, u64 *cnt, u64 *nsecs)
{
	unsigned int start;
	int cpu;

	*cnt = 0;
	*nsecs = 0;
	for_each_possible_cpu(cpu) {
		const struct kbpf_prog_stats *st = per_cpu_ptr(prog->stats, cpu);
		u64 c, n;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			c = u64_stats_read(&st->cnt);
			n = u64_stats_read(&st->nsecs);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		*cnt += c;
		*nsecs += n;
	}
}

/**
 * kbpf_prog_run_counted() - kbpf_prog_run_pinned() while statistics are on
 * @prog: a loaded program
 * @ctx: its context
 *
 * Counts the run and its time in @prog's per-CPU statistics.
 *
 * Return: the program's r0, truncated as upstream's u32 return.
 */
u32 kbpf_prog_run_counted(const struct kbpf_prog *prog, const void *ctx)
{
	struct kbpf_prog_stats *st;
	unsigned long flags;
	u64 start = sched_clock();
	u32 ret;

	ret = kbpf_prog_exec(prog, ctx);
	st = this_cpu_ptr(prog->stats);
	flags = u64_stats_update_begin_irqsave(&st->syncp);
	u64_stats_inc(&st->cnt);
	u64_stats_add(&st->nsecs, sched_clock() - start);
	u64_stats_update_end_irqrestore(&st->syncp, flags);
	return ret;
}

/**
 * kbpf_prog_run() - run @prog on @ctx
 * @prog: a loaded program
 * @ctx: its context
 *
 * Return: the program's r0, truncated as upstream's u32 return.
 */
u32 kbpf_prog_run(const struct kbpf_prog *prog, const void *ctx)
{
	u32 ret;

	rcu_read_lock();
	migrate_disable();
	ret = kbpf_prog_run_pinned(prog, ctx);
	migrate_enable();
	rcu_read_unlock();
	return ret;
}

static int __init kbpf_run_init(void)
{
	prandom_seed_full_state(&kbpf_rnd_state);
	memcpy(sk_filter_helper_fns, helper_fns, sizeof(helper_fns));
	sk_filter_helper_fns[BPF_FUNC_perf_event_output] = skb_event_output;
	return 0;
}
late_initcall(kbpf_run_init);
