// SPDX-License-Identifier: GPL-2.0
/*
 * QUEUE and STACK maps: values without keys, taken out first-in-first-out
 * or last-in-first-out.
 *
 * Both keep their values in a ring of max_entries + 1 slots (one always
 * empty, so that full and empty differ): pushes go in at the head, a queue
 * takes from the tail, a stack from the head. Pushing onto a full map
 * with BPF_EXIST drops the oldest value, at the tail, for both kinds.
 *
 * The values are copied in and out under a raw spinlock; a program in
 * NMI context only tries it, and gets -EBUSY rather than spinning on a
 * lock its own CPU may hold.
 */

#include <linux/err.h>
#include <linux/hardirq.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "map.h"

#define QUEUE_STACK_FLAGS	(BPF_F_NUMA_NODE | KBPF_MAP_ACCESS_FLAGS)

/**
 * struct kbpf_queue_stack - a queue or stack map
 * @map: the map
 * @lock: guards everything below
 * @head: the slot the next push fills
 * @tail: the oldest value's slot
 * @size: slots: max_entries + 1
 * @values: @size slots of value_size bytes
 */
struct kbpf_queue_stack {
	struct kbpf_map map;
	raw_spinlock_t lock;
	u32 head;
	u32 tail;
	u32 size;
	char values[];
};

static struct kbpf_queue_stack *to_qs(struct kbpf_map *map)
{
	return container_of(map, struct kbpf_queue_stack, map);
}

static int qs_check(const union bpf_attr *attr)
{
	if (attr->key_size || (attr->map_flags & ~QUEUE_STACK_FLAGS) ||
	    kbpf_map_check_common(attr))
		return -EINVAL;
	if (attr->value_size > KMALLOC_MAX_SIZE ||
	    attr->max_entries >= U32_MAX / attr->value_size)
		return -E2BIG;
	return 0;
}

static struct kbpf_map *qs_alloc(const union bpf_attr *attr)
{
	u64 size = ((u64)attr->max_entries + 1) * attr->value_size;
	struct kbpf_queue_stack *qs;

	qs = kbpf_map_area_alloc(sizeof(*qs) + size, false);
	if (!qs)
		return ERR_PTR(-ENOMEM);
	kbpf_map_init(&qs->map, attr);
	raw_spin_lock_init(&qs->lock);
	qs->size = attr->max_entries + 1;
	return &qs->map;
}

static void qs_free(struct kbpf_map *map)
{
	kvfree(to_qs(map));
}

static bool qs_lock(struct kbpf_queue_stack *qs, unsigned long *flags)
{
	if (in_nmi())
		return raw_spin_trylock_irqsave(&qs->lock, *flags);
	raw_spin_lock_irqsave(&qs->lock, *flags);
	return true;
}

static void *slot(struct kbpf_queue_stack *qs, u32 i)
{
	return qs->values + (u64)i * qs->map.desc.value_size;
}

static u32 next(const struct kbpf_queue_stack *qs, u32 i)
{
	return i + 1 == qs->size ? 0 : i + 1;
}

static long qs_push(struct kbpf_map *map, const void *value, u64 flags)
{
	struct kbpf_queue_stack *qs = to_qs(map);
	unsigned long irqflags;
	long err = 0;

	if ((flags & BPF_NOEXIST) || flags > BPF_EXIST)
		return -EINVAL;
	if (!qs_lock(qs, &irqflags))
		return -EBUSY;
	if (next(qs, qs->head) == qs->tail) {
		if (!(flags & BPF_EXIST)) {
			err = -E2BIG;
			goto unlock;
		}
		qs->tail = next(qs, qs->tail);
	}
	memcpy(slot(qs, qs->head), value, map->desc.value_size);
	qs->head = next(qs, qs->head);
unlock:
	raw_spin_unlock_irqrestore(&qs->lock, irqflags);
	return err;
}

/* Copy out the value a pop would take, and take it when @take. */
static long qs_take(struct kbpf_map *map, void *value, bool take)
{
	struct kbpf_queue_stack *qs = to_qs(map);
	bool stack = map->desc.type == BPF_MAP_TYPE_STACK;
	unsigned long irqflags;
	long err = 0;
	u32 i;

	if (!qs_lock(qs, &irqflags))
		return -EBUSY;
	if (qs->head == qs->tail) {
		err = -ENOENT;
		goto unlock;
	}
	i = stack ? (qs->head ? qs->head - 1 : qs->size - 1) : qs->tail;
	memcpy(value, slot(qs, i), map->desc.value_size);
	if (take) {
		if (stack)
			qs->head = i;
		else
			qs->tail = next(qs, i);
	}
unlock:
	raw_spin_unlock_irqrestore(&qs->lock, irqflags);
	return err;
}

static long qs_pop(struct kbpf_map *map, void *value)
{
	return qs_take(map, value, true);
}

static long qs_peek(struct kbpf_map *map, void *value)
{
	return qs_take(map, value, false);
}

const struct kbpf_map_ops kbpf_queue_ops = {
	.check = qs_check,
	.alloc = qs_alloc,
	.free = qs_free,
	.push = qs_push,
	.pop = qs_pop,
	.peek = qs_peek,
};

const struct kbpf_map_ops kbpf_stack_ops = {
	.check = qs_check,
	.alloc = qs_alloc,
	.free = qs_free,
	.push = qs_push,
	.pop = qs_pop,
	.peek = qs_peek,
};
