// SPDX-License-Identifier: GPL-2.0
/*
 * STACK_TRACE maps: bpf_get_stackid() stores the stack of the event, a
 * kernel or user callchain from perf, under an id that is its hash, and
 * programs count by that id; userspace looks the ids up for the
 * addresses (bpftrace's kstack/ustack, BCC's stackcount and profile).
 *
 * There is one bucket per id, the ids a power of two at least
 * max_entries, each with room for value_size / 8 addresses, all
 * allocated at creation. A stack that hashes to a bucket holding another
 * one gets -EEXIST, or replaces it with BPF_F_REUSE_STACKID. Programs run
 * in NMI, so a bucket is claimed with a compare-and-exchange, never
 * waited for: a program meeting a claimed bucket gets -EBUSY, and the
 * syscall retries. Stacks with build ids (BPF_F_STACK_BUILD_ID) are not
 * supported: creating such a map fails with -EOPNOTSUPP.
 */

#include <linux/err.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/nospec.h>
#include <linux/perf_event.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "map.h"
#include "trace_helpers.h"

#define STACK_FLAGS	(BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | \
			 BPF_F_STACK_BUILD_ID)
#define STACKID_FLAGS	(BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK | \
			 BPF_F_FAST_STACK_CMP | BPF_F_REUSE_STACKID)

/**
 * struct kbpf_stack_bucket - one id's stack
 * @busy: claimed by a writer or reader
 * @hash: the hash of the stack
 * @nr: addresses in @ips; 0 when the id is free
 * @ips: the addresses, innermost first
 */
struct kbpf_stack_bucket {
	atomic_t busy;
	u32 hash;
	u32 nr;
	u64 ips[];
};

/**
 * struct kbpf_stack_map - a stack trace map
 * @map: the map
 * @n_buckets: ids, a power of two
 * @bucket_size: bytes from one bucket to the next
 * @buckets: the buckets
 */
struct kbpf_stack_map {
	struct kbpf_map map;
	u32 n_buckets;
	u32 bucket_size;
	void *buckets;
};

static struct kbpf_stack_map *to_stack_map(struct kbpf_map *map)
{
	return container_of(map, struct kbpf_stack_map, map);
}

static struct kbpf_stack_bucket *bucket(struct kbpf_stack_map *smap, u32 id)
{
	return smap->buckets + (size_t)id * smap->bucket_size;
}

static bool claim(struct kbpf_stack_bucket *b)
{
	return atomic_cmpxchg_acquire(&b->busy, 0, 1) == 0;
}

static void release(struct kbpf_stack_bucket *b)
{
	atomic_set_release(&b->busy, 0);
}

static int stack_map_check(const union bpf_attr *attr)
{
	if (attr->key_size != sizeof(u32) || !attr->value_size ||
	    attr->value_size % sizeof(u64) || (attr->map_flags & ~STACK_FLAGS) ||
	    kbpf_map_check_common(attr))
		return -EINVAL;
	if (attr->map_flags & BPF_F_STACK_BUILD_ID)
		return -EOPNOTSUPP;
	/* As upstream: no deeper than perf's own limit. */
	if (attr->value_size / sizeof(u64) > sysctl_perf_event_max_stack)
		return -EINVAL;
	if (attr->max_entries > 1U << 31)
		return -E2BIG;
	return 0;
}

static struct kbpf_map *stack_map_alloc(const union bpf_attr *attr)
{
	struct kbpf_stack_map *smap;
	int err;

	smap = kzalloc(sizeof(*smap), GFP_KERNEL_ACCOUNT);
	if (!smap)
		return ERR_PTR(-ENOMEM);
	kbpf_map_init(&smap->map, attr);
	smap->n_buckets = roundup_pow_of_two(attr->max_entries);
	smap->bucket_size = sizeof(struct kbpf_stack_bucket) + attr->value_size;
	err = -ENOMEM;
	smap->buckets = kbpf_map_area_alloc((u64)smap->n_buckets *
					    smap->bucket_size, false);
	if (!smap->buckets)
		goto free;
	/* perf's per-CPU callchain buffers, which the stacks come through. */
	err = get_callchain_buffers(sysctl_perf_event_max_stack);
	if (err)
		goto free;
	return &smap->map;
free:
	kvfree(smap->buckets);
	kfree(smap);
	return ERR_PTR(err);
}

static void stack_map_free(struct kbpf_map *map)
{
	struct kbpf_stack_map *smap = to_stack_map(map);

	put_callchain_buffers();
	kvfree(smap->buckets);
	kfree(smap);
}

/**
 * kbpf_get_stackid() - bpf_get_stackid(): the id of the event's stack
 * @map: a stack trace map
 * @flags: frames to skip (BPF_F_SKIP_FIELD_MASK), BPF_F_USER_STACK,
 *	BPF_F_FAST_STACK_CMP, BPF_F_REUSE_STACKID
 * @regs: the registers of the event, or NULL for the caller's
 *
 * Return: the id, or -EINVAL for other flags, -EFAULT for no stack,
 * -EEXIST when another stack holds the id, -EBUSY when the id's bucket
 * is being written.
 */
long kbpf_get_stackid(struct kbpf_map *map, u64 flags, struct pt_regs *regs)
{
	struct kbpf_stack_map *smap = to_stack_map(map);
	u32 max = map->desc.value_size / sizeof(u64);
	u32 skip = flags & BPF_F_SKIP_FIELD_MASK;
	bool user = flags & BPF_F_USER_STACK;
	struct perf_callchain_entry *trace;
	struct kbpf_stack_bucket *b;
	struct pt_regs caller;
	u32 nr, hash, id;
	long ret;
	u64 *ips;

	if (flags & ~STACKID_FLAGS)
		return -EINVAL;
	/* Raw tracepoints have no registers: the stack is the caller's. */
	if (!regs) {
		perf_fetch_caller_regs(&caller);
		regs = &caller;
	}
	/* perf's buffers hold no more than its limit. */
	trace = get_perf_callchain(regs, !user, user,
				   min_t(u32, max + skip, sysctl_perf_event_max_stack),
				   false, false);
	if (!trace || trace->nr <= skip)
		return -EFAULT;
	nr = min_t(u32, trace->nr - skip, max);
	ips = trace->ip + skip;
	hash = jhash2((u32 *)ips, nr * sizeof(u64) / sizeof(u32), 0);
	id = hash & (smap->n_buckets - 1);
	b = bucket(smap, id);
	if (!claim(b))
		return -EBUSY;
	ret = id;
	if (b->nr && (b->hash != hash || b->nr != nr ||
		      ((flags & BPF_F_FAST_STACK_CMP) ? 0 :
		       memcmp(b->ips, ips, nr * sizeof(u64))))) {
		if (!(flags & BPF_F_REUSE_STACKID)) {
			ret = -EEXIST;
			goto out;
		}
		b->nr = 0;
	}
	if (!b->nr) {
		memcpy(b->ips, ips, nr * sizeof(u64));
		b->hash = hash;
		b->nr = nr;
	}
out:
	release(b);
	return ret;
}

/**
 * kbpf_get_stack() - bpf_get_stack(): the event's stack into @buf
 * @buf: the program's memory
 * @size: its bytes
 * @flags: frames to skip (BPF_F_SKIP_FIELD_MASK), BPF_F_USER_STACK
 * @regs: the registers of the event, or NULL for the caller's
 *
 * The program's load took perf's callchain buffers. What the stack does
 * not fill of @buf is zeroed, as everything is on an error.
 *
 * Return: the bytes of addresses copied, or -EINVAL for other flags
 * (build ids included) or a size that is no whole number of addresses,
 * -EFAULT for no stack.
 */
long kbpf_get_stack(void *buf, u32 size, u64 flags, struct pt_regs *regs)
{
	u32 skip = flags & BPF_F_SKIP_FIELD_MASK, max = size / sizeof(u64);
	bool user = flags & BPF_F_USER_STACK;
	struct perf_callchain_entry *trace;
	struct pt_regs caller;
	long err = -EINVAL;
	u32 nr;

	if ((flags & ~(BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK)) ||
	    size % sizeof(u64))
		goto clear;
	if (!regs) {
		perf_fetch_caller_regs(&caller);
		regs = &caller;
	}
	err = -EFAULT;
	trace = get_perf_callchain(regs, !user, user,
				   min_t(u32, max + skip, sysctl_perf_event_max_stack),
				   false, false);
	if (!trace || trace->nr < skip)
		goto clear;
	nr = min_t(u32, trace->nr - skip, max);
	memcpy(buf, trace->ip + skip, nr * sizeof(u64));
	memset(buf + nr * sizeof(u64), 0, size - nr * sizeof(u64));
	return nr * sizeof(u64);
clear:
	memset(buf, 0, size);
	return err;
}

/* Claim the bucket of an id for the syscall: a program's claim is short. */
static struct kbpf_stack_bucket *claim_id(struct kbpf_map *map, const void *key)
{
	struct kbpf_stack_map *smap = to_stack_map(map);
	u32 id = *(const u32 *)key;
	struct kbpf_stack_bucket *b;

	if (id >= smap->n_buckets)
		return NULL;
	b = bucket(smap, array_index_nospec(id, smap->n_buckets));
	while (!claim(b))
		cpu_relax();
	return b;
}

static int stack_map_sys_lookup(struct kbpf_map *map, const void *key,
				void *value)
{
	struct kbpf_stack_bucket *b = claim_id(map, key);
	int err = -ENOENT;

	if (!b)
		return -ENOENT;
	if (b->nr) {
		memcpy(value, b->ips, b->nr * sizeof(u64));
		memset(value + b->nr * sizeof(u64), 0,
		       map->desc.value_size - b->nr * sizeof(u64));
		err = 0;
	}
	release(b);
	return err;
}

/* Only programs store stacks, as upstream. */
static int stack_map_sys_update(struct kbpf_map *map, const void *key,
				const void *value, u64 flags)
{
	return -EINVAL;
}

static int stack_map_sys_delete(struct kbpf_map *map, const void *key)
{
	struct kbpf_stack_bucket *b = claim_id(map, key);
	int err = -ENOENT;

	if (!b)
		return -ENOENT;
	if (b->nr) {
		b->nr = 0;
		err = 0;
	}
	release(b);
	return err;
}

static int stack_map_get_next_key(struct kbpf_map *map, const void *key,
				  void *next)
{
	struct kbpf_stack_map *smap = to_stack_map(map);
	u32 id = key ? *(const u32 *)key + 1 : 0;

	if (key && *(const u32 *)key >= smap->n_buckets)
		id = 0;
	for (; id < smap->n_buckets; id++)
		if (READ_ONCE(bucket(smap, id)->nr)) {
			*(u32 *)next = id;
			return 0;
		}
	return -ENOENT;
}

const struct kbpf_map_ops kbpf_stack_trace_ops = {
	.check = stack_map_check,
	.alloc = stack_map_alloc,
	.free = stack_map_free,
	.get_next_key = stack_map_get_next_key,
	.sys_lookup = stack_map_sys_lookup,
	.sys_update = stack_map_sys_update,
	.sys_delete = stack_map_sys_delete,
};
