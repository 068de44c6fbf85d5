// SPDX-License-Identifier: GPL-2.0
/*
 * PERF_EVENT_ARRAY maps: perf events by index, usually one per CPU, that
 * programs write records to (bpf_perf_event_output()) and read counters
 * of (bpf_perf_event_read(), bpf_perf_event_read_value()).
 *
 * Userspace stores perf event file descriptors; each slot keeps the
 * event's file referenced. A program reaches the event of a slot under
 * RCU, so a slot's file is let go a grace period after it was replaced
 * or deleted. Records go into the event's own perf ring buffer, the one
 * userspace mmaps, as PERF_SAMPLE_RAW samples of a PERF_COUNT_SW_BPF_OUTPUT
 * event; the event must be on the CPU the program runs on.
 *
 * When the last userspace reference to the map goes, the slots are
 * emptied (unless BPF_F_PRESERVE_ELEMS), as upstream does when the file
 * that filled them is closed: the events' readers are gone.
 */

#include <linux/err.h>
#include <linux/file.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/perf_event.h>
#include <linux/slab.h>

#include "map.h"
#include "trace_helpers.h"

/* Records one CPU may be writing at once: task, irq, NMI, as upstream. */
#define KBPF_OUTPUT_NEST	3

/**
 * struct kbpf_perf_entry - a perf event in a slot
 * @event: the event
 * @file: its file, referenced
 * @rcu: it is let go a grace period after leaving its slot
 */
struct kbpf_perf_entry {
	struct perf_event *event;
	struct file *file;
	struct rcu_head rcu;
};

/**
 * struct kbpf_perf_array - a perf event array
 * @map: the map
 * @slots: an entry pointer per index
 */
struct kbpf_perf_array {
	struct kbpf_map map;
	struct kbpf_perf_entry __rcu *slots[] __counted_by(map.desc.max_entries);
};

/**
 * struct kbpf_output_area - what one CPU's records are built in
 * @data: a sample per nesting level (too big for the stack)
 * @regs: registers per level, for programs whose hook gave none
 * @nest: levels in use
 */
struct kbpf_output_area {
	struct perf_sample_data data[KBPF_OUTPUT_NEST];
	struct pt_regs regs[KBPF_OUTPUT_NEST];
	int nest;
};

static DEFINE_PER_CPU(struct kbpf_output_area, kbpf_output_area);

static struct kbpf_perf_array *to_perf_array(struct kbpf_map *map)
{
	return container_of(map, struct kbpf_perf_array, map);
}

static int perf_array_check(const union bpf_attr *attr)
{
	if (attr->key_size != sizeof(u32) || attr->value_size != sizeof(u32) ||
	    (attr->map_flags & ~(BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY |
				 BPF_F_PRESERVE_ELEMS)) ||
	    kbpf_map_check_common(attr))
		return -EINVAL;
	return 0;
}

static struct kbpf_map *perf_array_alloc(const union bpf_attr *attr)
{
	struct kbpf_perf_array *array;
	size_t size = struct_size(array, slots, attr->max_entries);

	/* Sized by the user: ENOMEM when it does not fit, no OOM kill. */
	if (!kbpf_map_memory_claim(size))
		return ERR_PTR(-ENOMEM);
	array = kvzalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	kbpf_map_memory_unclaim(size);
	if (!array)
		return ERR_PTR(-ENOMEM);
	kbpf_map_init(&array->map, attr);
	return &array->map;
}

static void entry_free_rcu(struct rcu_head *rcu)
{
	struct kbpf_perf_entry *entry = container_of(rcu, struct kbpf_perf_entry, rcu);

	fput(entry->file);
	kfree(entry);
}

/* Put @entry in slot @i (NULL empties it); the old one goes after a GP. */
static int perf_array_swap(struct kbpf_map *map, u32 i,
			   struct kbpf_perf_entry *entry)
{
	struct kbpf_perf_entry *old;

	old = unrcu_pointer(xchg(&to_perf_array(map)->slots[i], RCU_INITIALIZER(entry)));
	if (!old)
		return -ENOENT;
	call_rcu(&old->rcu, entry_free_rcu);
	return 0;
}

static int perf_array_sys_update(struct kbpf_map *map, const void *key,
				 const void *value, u64 flags)
{
	u32 i = *(const u32 *)key;
	struct kbpf_perf_entry *entry;
	struct file *file;
	u64 count;
	int err;

	if (flags != BPF_ANY)
		return -EINVAL;
	if (i >= map->desc.max_entries)
		return -E2BIG;
	file = perf_event_get(*(const u32 *)value);
	if (IS_ERR(file))
		return PTR_ERR(file);
	/* As upstream: only events a program can read locally. */
	err = perf_event_read_local(file->private_data, &count, NULL, NULL);
	if (err == -EOPNOTSUPP)
		goto put;
	err = -ENOMEM;
	entry = kmalloc(sizeof(*entry), GFP_KERNEL_ACCOUNT);
	if (!entry)
		goto put;
	entry->event = file->private_data;
	entry->file = file;
	i = array_index_nospec(i, map->desc.max_entries);
	perf_array_swap(map, i, entry);
	/*
	 * The last user reference may have gone meanwhile (the syscall holds
	 * the map, not its file): undo, as prog arrays do (array.c).
	 */
	if (!atomic64_read(&map->usercnt) &&
	    !(map->desc.flags & BPF_F_PRESERVE_ELEMS))
		perf_array_swap(map, i, NULL);
	return 0;
put:
	fput(file);
	return err;
}

static int perf_array_sys_lookup(struct kbpf_map *map, const void *key,
				 void *value)
{
	return -EOPNOTSUPP;
}

static int perf_array_sys_delete(struct kbpf_map *map, const void *key)
{
	u32 i = *(const u32 *)key;

	if (i >= map->desc.max_entries)
		return -E2BIG;
	return perf_array_swap(map, array_index_nospec(i, map->desc.max_entries),
			       NULL);
}

static void perf_array_clear(struct kbpf_map *map)
{
	u32 i;

	for (i = 0; i < map->desc.max_entries; i++)
		perf_array_swap(map, i, NULL);
}

static void perf_array_release_uref(struct kbpf_map *map)
{
	if (!(map->desc.flags & BPF_F_PRESERVE_ELEMS))
		perf_array_clear(map);
}

static void perf_array_free(struct kbpf_map *map)
{
	perf_array_clear(map);
	/* The entries' callbacks must not outlive the slots they came from. */
	rcu_barrier();
	kvfree(to_perf_array(map));
}

/*
 * The event of slot @flags (BPF_F_CURRENT_CPU: this CPU's), which must be
 * on this CPU. Runs under RCU.
 */
static struct perf_event *slot_event(struct kbpf_map *map, u64 flags)
{
	u64 i = flags & BPF_F_INDEX_MASK;
	struct kbpf_perf_entry *entry;

	if (flags & ~BPF_F_INDEX_MASK)
		return ERR_PTR(-EINVAL);
	if (i == BPF_F_CURRENT_CPU)
		i = smp_processor_id();
	if (i >= map->desc.max_entries)
		return ERR_PTR(-E2BIG);
	i = array_index_nospec(i, map->desc.max_entries);
	entry = rcu_dereference(to_perf_array(map)->slots[i]);
	return entry ? entry->event : ERR_PTR(-ENOENT);
}

/* Write @raw to the event of slot @flags, from the registers @regs. */
static long output_record(struct kbpf_map *map, u64 flags,
			  struct perf_raw_record *raw, struct pt_regs *regs)
{
	struct kbpf_output_area *area;
	struct perf_sample_data *sd;
	struct perf_event *event;
	long err;
	int nest;

	event = slot_event(map, flags);
	if (IS_ERR(event))
		return PTR_ERR(event);
	if (event->attr.type != PERF_TYPE_SOFTWARE ||
	    event->attr.config != PERF_COUNT_SW_BPF_OUTPUT)
		return -EINVAL;
	if (READ_ONCE(event->oncpu) != smp_processor_id())
		return -EOPNOTSUPP;

	area = this_cpu_ptr(&kbpf_output_area);
	nest = this_cpu_inc_return(kbpf_output_area.nest) - 1;
	err = -EBUSY;
	if (nest >= KBPF_OUTPUT_NEST)
		goto out;
	sd = &area->data[nest];
	if (!regs) {
		regs = &area->regs[nest];
		perf_fetch_caller_regs(regs);
	}
	perf_sample_data_init(sd, 0, 0);
	perf_sample_save_raw_data(sd, event, raw);
	err = perf_event_output(event, sd, regs);
out:
	this_cpu_dec(kbpf_output_area.nest);
	return err;
}

/**
 * kbpf_perf_event_output() - bpf_perf_event_output() for tracing programs
 * @map: a perf event array
 * @flags: the slot (BPF_F_CURRENT_CPU or an index)
 * @data: the record
 * @size: its bytes
 * @regs: the registers of the program's event, or NULL for the caller's
 *
 * Return: 0, or -EINVAL for other flags or an event that is not a
 * PERF_COUNT_SW_BPF_OUTPUT one, -E2BIG past the array, -ENOENT for an
 * empty slot, -EOPNOTSUPP for an event of another CPU, -EBUSY nested too
 * deep, or perf's error writing it (-ENOSPC when its buffer is full: the
 * record is counted as lost there).
 */
long kbpf_perf_event_output(struct kbpf_map *map, u64 flags, void *data,
			    u64 size, struct pt_regs *regs)
{
	struct perf_raw_record raw = {
		.frag = { .size = size, .data = data },
	};

	return output_record(map, flags, &raw, regs);
}

/**
 * kbpf_perf_event_output_packet() - bpf_perf_event_output() for socket
 * filters
 * @map: a perf event array
 * @flags: the slot, and in BPF_F_CTXLEN_MASK how many bytes of the
 *	packet follow the record
 * @data: the record
 * @size: its bytes
 * @packet: the packet's bytes, from the network header
 * @packet_len: how many there are
 *
 * Return: as kbpf_perf_event_output(), and -EFAULT when the packet has
 * fewer bytes than asked for.
 */
long kbpf_perf_event_output_packet(struct kbpf_map *map, u64 flags,
				   void *data, u64 size, const u8 *packet,
				   u32 packet_len)
{
	u64 tail = (flags & BPF_F_CTXLEN_MASK) >> 32;
	struct perf_raw_frag frag = {
		.data = (void *)packet, .size = tail,
	};
	struct perf_raw_record raw = {
		.frag = { .size = size, .data = data },
	};

	if (tail > packet_len)
		return -EFAULT;
	/* perf walks the fragments while a fragment's pad is a pointer. */
	if (tail)
		raw.frag.next = &frag;
	return output_record(map, flags & ~BPF_F_CTXLEN_MASK, &raw, NULL);
}

/**
 * kbpf_perf_event_read() - a counter of a perf event array's event
 * @map: the perf event array
 * @flags: the slot (BPF_F_CURRENT_CPU or an index)
 * @value: the count
 * @enabled: time enabled
 * @running: time running
 *
 * Return: 0, or -EINVAL/-E2BIG/-ENOENT as kbpf_perf_event_output(), or
 * perf's error reading it (an event of another CPU or task).
 */
int kbpf_perf_event_read(struct kbpf_map *map, u64 flags, u64 *value,
			 u64 *enabled, u64 *running)
{
	struct perf_event *event = slot_event(map, flags);

	if (IS_ERR(event))
		return PTR_ERR(event);
	return perf_event_read_local(event, value, enabled, running);
}

const struct kbpf_map_ops kbpf_perf_event_array_ops = {
	.check = perf_array_check,
	.alloc = perf_array_alloc,
	.free = perf_array_free,
	.get_next_key = kbpf_array_get_next_key,
	.sys_lookup = perf_array_sys_lookup,
	.sys_update = perf_array_sys_update,
	.sys_delete = perf_array_sys_delete,
	.release_uref = perf_array_release_uref,
	.fd_values = true,
};
