// SPDX-License-Identifier: GPL-2.0
/*
 * Hash maps: HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH.
 *
 * Readers (lookups from programs and the syscall) walk a bucket's chain
 * under RCU without a lock; writers take the bucket's raw spinlock with
 * interrupts off, so programs on any CPU and in any context, and the
 * syscall, may update the map at once.
 *
 * Elements are preallocated by default: max_entries of them, plus one
 * per CPU so that replacing a key (new element in, old one out, readers
 * see one or the other) never fails on a full map. Allocating nothing at
 * update time is what lets programs that run in NMI context update a map.
 * A freed preallocated element may be reused at once, while a reader is
 * still on it: the chains are "nulls" lists (Documentation/RCU/
 * rculist_nulls.rst) ending in their bucket's number, and a reader that
 * ends in another bucket's chain starts over. With BPF_F_NO_PREALLOC,
 * elements are allocated on update and freed after a grace period,
 * neither of which NMI context allows: there, programs' updates and
 * deletes of such maps fail with -EBUSY (lookups work everywhere).
 *
 * Nor may a program call the allocators itself: it may run under any
 * lock, the scheduler's included, and the slab and per-CPU allocators
 * may wake kswapd or queue work, which takes the scheduler's locks. So
 * a BPF_F_NO_PREALLOC map keeps a few spare elements, made at creation
 * and, once a program has taken half of them, again from an irq_work,
 * where no lock is held (charged to the creator's memory cgroup); a
 * program's update that finds none left fails with -ENOMEM. Updates
 * from the syscall allocate their own.
 *
 * A program that interrupts an update of the same map on its own CPU (a
 * kprobe inside the update, an NMI) would spin forever on the bucket lock
 * its CPU holds; a per-CPU busy count turns that into -EBUSY instead. In
 * NMI context no lock is waited for at all: the NMI may have interrupted
 * a holder on its own CPU that lockdep (and the busy count, for another
 * map's locks) cannot see. There an update tries the update lock and,
 * for preallocated maps, the free list's lock, and answers -EBUSY when
 * either is held; it keeps both until it is done.
 *
 * PERCPU_HASH elements hold a per-CPU value pointer where a HASH element
 * holds the value; programs see their CPU's value.
 *
 * LRU maps are always preallocated and never full: adding a key to a map
 * of max_entries keys first evicts the least recently used one. Keys are
 * kept in one list, newest first; a lookup only marks its element
 * referenced, and eviction gives referenced elements at the old end a
 * second chance (to the front, mark cleared) before taking the oldest
 * unmarked one. Eviction unlinks the victim from its own bucket, so all
 * updates of an LRU map take one map-wide lock instead of bucket locks;
 * lookups stay lockless. BPF_F_NO_COMMON_LRU (per-CPU lists upstream) is
 * taken and served by the same one list.
 */

#include <linux/err.h>
#include <linux/capability.h>
#include <linux/hardirq.h>
#include <linux/irq_work.h>
#include <linux/jhash.h>
#include <linux/list_nulls.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rculist_nulls.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "map.h"

#define HASH_FLAGS	(BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | \
			 KBPF_MAP_ACCESS_FLAGS | BPF_F_ZERO_SEED | \
			 BPF_F_NO_COMMON_LRU)

/* Elements of the old end of an LRU list looked at for a victim at most. */
#define LRU_SCAN	64

/*
 * Spare elements of a BPF_F_NO_PREALLOC map: as many as fit in
 * SPARE_BYTES, within [SPARE_MIN, SPARE_MAX], and no more than its
 * entries.
 */
#define SPARE_BYTES	(256 * 1024)
#define SPARE_MIN	4
#define SPARE_MAX	64

struct hash_bucket {
	struct hlist_nulls_head head;
	raw_spinlock_t lock;
};

/**
 * struct hash_elem - one key and its value
 * @node: in its bucket's chain
 * @next_free: in the free list, when preallocated and unused
 * @rcu: for freeing after a grace period, when not preallocated
 * @lru_node: in the LRU list, newest first (LRU maps)
 * @referenced: looked up since eviction last passed it (LRU maps)
 * @hash: the key's hash
 * @pcpu: the per-CPU value, in per-CPU maps
 * @key: the key, then at an 8-byte boundary the value in other maps
 */
struct hash_elem {
	struct hlist_nulls_node node;
	union {
		struct hash_elem *next_free;
		struct rcu_head rcu;
	};
	struct list_head lru_node;
	u8 referenced;
	u32 hash;
	void __percpu *pcpu;
	char key[] __aligned(8);
};

/**
 * struct kbpf_hash - a hash map
 * @map: the map
 * @buckets: @nr_buckets of them, a power of two
 * @nr_buckets: buckets
 * @value_off: where in an element's @key the value starts
 * @elem_size: bytes of an element
 * @seed: of the hash function
 * @count: keys in the map
 * @busy: per CPU: an update of this map is under way on it
 * @pool: preallocated elements, NULL with BPF_F_NO_PREALLOC
 * @free_list: the unused ones among them; the spares without @pool
 * @free_lock: guards @free_list and @nr_spare
 * @nr_spare: BPF_F_NO_PREALLOC: elements in @free_list
 * @max_spare: BPF_F_NO_PREALLOC: what @refill brings @nr_spare up to
 * @refill: BPF_F_NO_PREALLOC: makes spares, outside any program
 * @memcg: BPF_F_NO_PREALLOC: the creator's, which spares are charged to
 * @lru: LRU maps: every key's element, newest first
 * @lru_lock: LRU maps: taken for every update, in place of bucket locks
 */
struct kbpf_hash {
	struct kbpf_map map;
	struct hash_bucket *buckets;
	u32 nr_buckets;
	u32 value_off;
	u32 elem_size;
	u32 seed;
	atomic_t count;
	int __percpu *busy;
	void *pool;
	struct hash_elem *free_list;
	raw_spinlock_t free_lock;
	u32 nr_spare;
	u32 max_spare;
	struct irq_work refill;
	struct mem_cgroup *memcg;
	struct list_head lru;
	raw_spinlock_t lru_lock;
};

static struct kbpf_hash *to_hash(struct kbpf_map *map)
{
	return container_of(map, struct kbpf_hash, map);
}

static bool is_percpu(const struct kbpf_hash *h)
{
	return h->map.desc.type == BPF_MAP_TYPE_PERCPU_HASH ||
	       h->map.desc.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static bool is_lru(const struct kbpf_hash *h)
{
	return h->map.desc.type == BPF_MAP_TYPE_LRU_HASH ||
	       h->map.desc.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static void *elem_value(const struct kbpf_hash *h, struct hash_elem *e)
{
	return e->key + h->value_off;
}

static int hash_check(const union bpf_attr *attr)
{
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_HASH ||
		      attr->map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	bool lru = attr->map_type == BPF_MAP_TYPE_LRU_HASH ||
		   attr->map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	u32 flags = attr->map_flags;

	/* In upstream's order, for upstream's errnos. */
	if ((flags & BPF_F_ZERO_SEED) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if ((flags & ~HASH_FLAGS) ||
	    (!lru && (flags & BPF_F_NO_COMMON_LRU)))
		return -EINVAL;
	if (lru && (flags & BPF_F_NO_PREALLOC))
		return -KBPF_ENOTSUPP;
	if ((percpu || (flags & BPF_F_NO_COMMON_LRU)) &&
	    (flags & BPF_F_NUMA_NODE))
		return -EINVAL;
	if (!attr->key_size || kbpf_map_check_common(attr))
		return -EINVAL;
	if ((u64)attr->key_size + attr->value_size >=
	    KMALLOC_MAX_SIZE - sizeof(struct hash_elem))
		return -E2BIG;
	if (percpu && round_up(attr->value_size, 8) > PCPU_MIN_UNIT_SIZE)
		return -E2BIG;
	if (attr->max_entries > 1U << 31)
		return -E2BIG;
	return 0;
}

static void free_elem_now(struct hash_elem *e)
{
	free_percpu(e->pcpu);
	kfree(e);
}

static void free_elem_rcu(struct rcu_head *rcu)
{
	free_elem_now(container_of(rcu, struct hash_elem, rcu));
}

/* An element allocated outside the bucket lock, for BPF_F_NO_PREALLOC. */
static struct hash_elem *elem_alloc(struct kbpf_hash *h, gfp_t gfp)
{
	struct hash_elem *e = kzalloc(h->elem_size, gfp);
	void __percpu *v;

	if (!e || !is_percpu(h))
		return e;
	v = __alloc_percpu_gfp(round_up(h->map.desc.value_size, 8), 8, gfp);
	if (!v) {
		kfree(e);
		return NULL;
	}
	e->pcpu = v;
	return e;
}

static void spare_put(struct kbpf_hash *h, struct hash_elem *e)
{
	unsigned long irqflags;

	raw_spin_lock_irqsave(&h->free_lock, irqflags);
	e->next_free = h->free_list;
	h->free_list = e;
	h->nr_spare++;
	raw_spin_unlock_irqrestore(&h->free_lock, irqflags);
}

/* Make spares up to @max_spare; -ENOMEM if one could not be made. */
static int fill_spares(struct kbpf_hash *h, gfp_t gfp)
{
	struct hash_elem *e;

	while (READ_ONCE(h->nr_spare) < h->max_spare) {
		e = elem_alloc(h, gfp);
		if (!e)
			return -ENOMEM;
		spare_put(h, e);
	}
	return 0;
}

/* The irq_work programs queue: no lock is held here, irqs are off. */
static void refill_spares(struct irq_work *work)
{
	struct kbpf_hash *h = container_of(work, struct kbpf_hash, refill);
	struct mem_cgroup *old = set_active_memcg(h->memcg);

	fill_spares(h, GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN);
	set_active_memcg(old);
}

/* How many spares a BPF_F_NO_PREALLOC map keeps. */
static u32 spares_wanted(const struct kbpf_hash *h)
{
	u64 bytes = h->elem_size;

	if (is_percpu(h))
		bytes += (u64)round_up(h->map.desc.value_size, 8) *
			 num_possible_cpus();
	return min_t(u64, h->map.desc.max_entries,
		     clamp_t(u64, SPARE_BYTES / bytes, SPARE_MIN, SPARE_MAX));
}

static void hash_free(struct kbpf_map *map)
{
	struct kbpf_hash *h = to_hash(map);
	struct hlist_nulls_node *n, *tmp;
	struct hash_elem *e;
	u32 i;

	if (h->buckets && !h->pool) {
		for (i = 0; i < h->nr_buckets; i++) {
			n = h->buckets[i].head.first;
			while (!is_a_nulls(n)) {
				tmp = n->next;
				e = container_of(n, struct hash_elem, node);
				free_elem_now(e);
				n = tmp;
			}
		}
	}
	if (h->pool && is_percpu(h)) {
		for (i = 0; i < map->desc.max_entries + num_possible_cpus(); i++) {
			free_percpu(((struct hash_elem *)(h->pool + (u64)i * h->elem_size))->pcpu);
			cond_resched();
		}
	}
	if (!h->pool) {
		/* No program uses the map any more: no refill is queued after. */
		irq_work_sync(&h->refill);
		while (h->free_list) {
			e = h->free_list;
			h->free_list = e->next_free;
			free_elem_now(e);
		}
		mem_cgroup_put(h->memcg);
	}
	kvfree(h->pool);
	kvfree(h->buckets);
	free_percpu(h->busy);
	kfree(h);
}

static int hash_prealloc(struct kbpf_hash *h)
{
	u32 nr = h->map.desc.max_entries + num_possible_cpus(), i;
	u64 pcpu_bytes = 0;
	struct hash_elem *e;
	int err = 0;

	if (is_percpu(h)) {
		pcpu_bytes = (u64)nr * round_up(h->map.desc.value_size, 8) *
			     num_possible_cpus();
		if (!kbpf_map_memory_claim(pcpu_bytes))
			return -ENOMEM;
	}
	h->pool = kbpf_map_area_alloc((u64)nr * h->elem_size, false);
	if (!h->pool)
		err = -ENOMEM;
	for (i = 0; !err && i < nr; i++) {
		e = h->pool + (u64)i * h->elem_size;
		if (is_percpu(h)) {
			void __percpu *v =
				kbpf_map_percpu_value_alloc(round_up(h->map.desc.value_size, 8));

			if (!v) {
				err = -ENOMEM;
				break;
			}
			e->pcpu = v;
		}
		e->next_free = h->free_list;
		h->free_list = e;
		err = kbpf_map_yield();
	}
	if (is_percpu(h))
		kbpf_map_memory_unclaim(pcpu_bytes);
	return err;
}

static struct kbpf_map *hash_alloc(const union bpf_attr *attr)
{
	struct kbpf_hash *h;
	int err = -ENOMEM;
	u32 i;

	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		return ERR_PTR(-ENOMEM);
	kbpf_map_init(&h->map, attr);
	raw_spin_lock_init(&h->free_lock);
	init_irq_work(&h->refill, refill_spares);
	INIT_LIST_HEAD(&h->lru);
	raw_spin_lock_init(&h->lru_lock);
	h->value_off = round_up(attr->key_size, 8);
	h->elem_size = sizeof(struct hash_elem) + h->value_off;
	if (!is_percpu(h))
		h->elem_size += round_up(attr->value_size, 8);
	h->nr_buckets = roundup_pow_of_two(attr->max_entries);
	h->seed = attr->map_flags & BPF_F_ZERO_SEED ? 0 : get_random_u32();
	h->busy = alloc_percpu_gfp(int, GFP_KERNEL_ACCOUNT);
	h->buckets = kbpf_map_area_alloc((u64)h->nr_buckets * sizeof(*h->buckets),
					 false);
	if (!h->busy || !h->buckets)
		goto fail;
	for (i = 0; i < h->nr_buckets; i++) {
		INIT_HLIST_NULLS_HEAD(&h->buckets[i].head, i);
		raw_spin_lock_init(&h->buckets[i].lock);
	}
	if (!(attr->map_flags & BPF_F_NO_PREALLOC)) {
		err = hash_prealloc(h);
		if (err)
			goto fail;
	} else {
		h->memcg = get_mem_cgroup_from_current();
		h->max_spare = spares_wanted(h);
		if (fill_spares(h, GFP_KERNEL_ACCOUNT | __GFP_NOWARN))
			goto fail;
	}
	return &h->map;
fail:
	hash_free(&h->map);
	return ERR_PTR(err);
}

static u32 key_hash(const struct kbpf_hash *h, const void *key)
{
	return jhash(key, h->map.desc.key_size, h->seed);
}

static struct hash_bucket *bucket_of(const struct kbpf_hash *h, u32 hash)
{
	return &h->buckets[hash & (h->nr_buckets - 1)];
}

/* The element of @key, under RCU or the bucket lock. */
static struct hash_elem *find(const struct kbpf_hash *h, const void *key,
			      u32 hash)
{
	struct hash_bucket *b = bucket_of(h, hash);
	struct hlist_nulls_node *n;
	struct hash_elem *e;

again:
	hlist_nulls_for_each_entry_rcu(e, n, &b->head, node)
		if (e->hash == hash &&
		    !memcmp(e->key, key, h->map.desc.key_size))
			return e;
	/* Ended in another chain: an element moved under us. */
	if (get_nulls_value(n) != (hash & (h->nr_buckets - 1)))
		goto again;
	return NULL;
}

static void *hash_lookup(struct kbpf_map *map, const void *key)
{
	struct kbpf_hash *h = to_hash(map);
	struct hash_elem *e = find(h, key, key_hash(h, key));

	if (!e)
		return NULL;
	/* Only a store when it changes: lookups of hot keys stay reads. */
	if (is_lru(h) && !READ_ONCE(e->referenced))
		WRITE_ONCE(e->referenced, 1);
	if (is_percpu(h))
		return this_cpu_ptr(e->pcpu);
	return elem_value(h, e);
}

/* The lock updates of bucket @b take: its own, or an LRU map's one. */
static raw_spinlock_t *update_lock(struct kbpf_hash *h, struct hash_bucket *b)
{
	return is_lru(h) ? &h->lru_lock : &b->lock;
}

/* In NMI: both locks an update may need, or neither and -EBUSY. */
static int trylock_in_nmi(struct kbpf_hash *h, struct hash_bucket *b,
			  unsigned long *irqflags)
{
	if (!raw_spin_trylock_irqsave(update_lock(h, b), *irqflags))
		return -EBUSY;
	if (h->pool && !raw_spin_trylock(&h->free_lock)) {
		raw_spin_unlock_irqrestore(update_lock(h, b), *irqflags);
		return -EBUSY;
	}
	return 0;
}

static int lock_bucket(struct kbpf_hash *h, struct hash_bucket *b,
		       unsigned long *irqflags)
{
	preempt_disable();
	if (this_cpu_inc_return(*h->busy) != 1)
		goto busy;
	if (in_nmi()) {
		if (trylock_in_nmi(h, b, irqflags))
			goto busy;
		return 0;
	}
	raw_spin_lock_irqsave(update_lock(h, b), *irqflags);
	return 0;
busy:
	this_cpu_dec(*h->busy);
	preempt_enable();
	return -EBUSY;
}

static void unlock_bucket(struct kbpf_hash *h, struct hash_bucket *b,
			  unsigned long irqflags)
{
	if (in_nmi() && h->pool)
		raw_spin_unlock(&h->free_lock);
	raw_spin_unlock_irqrestore(update_lock(h, b), irqflags);
	this_cpu_dec(*h->busy);
	preempt_enable();
}

/* The free list's lock, under the update lock; an NMI holds it already. */
static void lock_free_list(struct kbpf_hash *h)
{
	if (!in_nmi())
		raw_spin_lock(&h->free_lock);
}

static void unlock_free_list(struct kbpf_hash *h)
{
	if (!in_nmi())
		raw_spin_unlock(&h->free_lock);
}

/* A preallocated element, under the bucket lock; NULL when none is left. */
static struct hash_elem *pool_get(struct kbpf_hash *h)
{
	struct hash_elem *e;

	lock_free_list(h);
	e = h->free_list;
	if (e)
		h->free_list = e->next_free;
	unlock_free_list(h);
	return e;
}

/*
 * A spare element for a program's update, under the bucket lock; NULL
 * when none is left. Taking the one that leaves half asks for more.
 */
static struct hash_elem *spare_get(struct kbpf_hash *h)
{
	struct hash_elem *e;

	raw_spin_lock(&h->free_lock);
	e = h->free_list;
	if (e) {
		h->free_list = e->next_free;
		h->nr_spare--;
	}
	if (h->nr_spare <= h->max_spare / 2)
		irq_work_queue(&h->refill);
	raw_spin_unlock(&h->free_lock);
	return e;
}

static void elem_put(struct kbpf_hash *h, struct hash_elem *e)
{
	if (h->pool) {
		lock_free_list(h);
		e->next_free = h->free_list;
		h->free_list = e;
		unlock_free_list(h);
		return;
	}
	call_rcu(&e->rcu, free_elem_rcu);
}

/* Unlink @e from its bucket (and the LRU list); its key is gone. */
static void unlink_elem(struct kbpf_hash *h, struct hash_elem *e)
{
	hlist_nulls_del_rcu(&e->node);
	if (is_lru(h))
		list_del(&e->lru_node);
	elem_put(h, e);
	atomic_dec(&h->count);
}

/*
 * Make room in a full LRU map, under its lock: the oldest element not
 * looked up since eviction last passed it goes.
 */
static void lru_evict(struct kbpf_hash *h)
{
	struct hash_elem *e;
	int i;

	for (i = 0; i < LRU_SCAN; i++) {
		e = list_last_entry(&h->lru, struct hash_elem, lru_node);
		if (!READ_ONCE(e->referenced))
			break;
		WRITE_ONCE(e->referenced, 0);
		list_move(&e->lru_node, &h->lru);
	}
	unlink_elem(h, list_last_entry(&h->lru, struct hash_elem, lru_node));
}

/*
 * Store a per-CPU value: from a program, @value on this CPU and zero on
 * the others for a new key; from the syscall, one value per possible CPU.
 */
static void set_percpu(struct kbpf_hash *h, struct hash_elem *e,
		       const void *value, bool from_sys, bool fresh)
{
	void __percpu *pv = e->pcpu;
	u32 size = h->map.desc.value_size;
	int cpu;

	if (!from_sys && !fresh) {
		memcpy(this_cpu_ptr(pv), value, size);
		return;
	}
	for_each_possible_cpu(cpu) {
		void *dst = per_cpu_ptr(pv, cpu);

		if (from_sys) {
			memcpy(dst, value, size);
			value += round_up(size, 8);
		} else if (cpu == smp_processor_id()) {
			memcpy(dst, value, size);
		} else {
			memset(dst, 0, size);
		}
	}
}

/* @from_sys: the syscall's update (and value), else a program's. */
static long update(struct kbpf_hash *h, const void *key, const void *value,
		   u64 flags, bool from_sys)
{
	u32 hash = key_hash(h, key);
	struct hash_bucket *b = bucket_of(h, hash);
	struct hash_elem *old, *e = NULL;
	unsigned long irqflags;
	long err;

	if (flags > BPF_EXIST)
		return -EINVAL;
	/* Spares are taken under the lock, call_rcu() frees: not in NMI. */
	if (!h->pool && in_nmi())
		return -EBUSY;
	if (!h->pool && from_sys) {
		/* Under rcu_read_lock(): the syscall may not sleep either. */
		e = elem_alloc(h, GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN);
		if (!e)
			return -ENOMEM;
	}
	err = lock_bucket(h, b, &irqflags);
	if (err)
		goto free;
	old = find(h, key, hash);
	err = -EEXIST;
	if (old && flags == BPF_NOEXIST)
		goto unlock;
	err = -ENOENT;
	if (!old && flags == BPF_EXIST)
		goto unlock;
	if (old && is_percpu(h)) {
		set_percpu(h, old, value, from_sys, false);
		if (is_lru(h))
			list_move(&old->lru_node, &h->lru);
		err = 0;
		goto unlock;
	}
	if (!old && is_lru(h) &&
	    atomic_read(&h->count) >= h->map.desc.max_entries)
		lru_evict(h);
	err = -E2BIG;
	if (!old && atomic_inc_return(&h->count) > h->map.desc.max_entries) {
		atomic_dec(&h->count);
		goto unlock;
	}
	if (!e)
		e = h->pool ? pool_get(h) : spare_get(h);
	if (!e) {
		/* The pool has one element per CPU more than keys: never empty. */
		WARN_ON_ONCE(h->pool);
		if (!old)
			atomic_dec(&h->count);
		err = -ENOMEM;
		goto unlock;
	}
	memcpy(e->key, key, h->map.desc.key_size);
	e->hash = hash;
	if (is_percpu(h))
		set_percpu(h, e, value, from_sys, true);
	else
		memcpy(elem_value(h, e), value, h->map.desc.value_size);
	hlist_nulls_add_head_rcu(&e->node, &b->head);
	if (is_lru(h)) {
		e->referenced = 0;
		list_add(&e->lru_node, &h->lru);
	}
	e = NULL;
	if (old) {
		/* The new element took the old one's key, not one more. */
		atomic_inc(&h->count);
		unlink_elem(h, old);
	}
	err = 0;
unlock:
	unlock_bucket(h, b, irqflags);
free:
	/* Only the syscall's own element can be left unused. */
	if (e)
		free_elem_now(e);
	return err;
}

static long hash_update(struct kbpf_map *map, const void *key,
			const void *value, u64 flags)
{
	return update(to_hash(map), key, value, flags, false);
}

static int hash_sys_update(struct kbpf_map *map, const void *key,
			   const void *value, u64 flags)
{
	return update(to_hash(map), key, value, flags, true);
}

static long hash_delete(struct kbpf_map *map, const void *key)
{
	struct kbpf_hash *h = to_hash(map);
	u32 hash = key_hash(h, key);
	struct hash_bucket *b = bucket_of(h, hash);
	unsigned long irqflags;
	struct hash_elem *e;
	long err;

	/* An allocated element is freed with call_rcu(): not in NMI. */
	if (!h->pool && in_nmi())
		return -EBUSY;
	err = lock_bucket(h, b, &irqflags);
	if (err)
		return err;
	e = find(h, key, hash);
	if (e)
		unlink_elem(h, e);
	else
		err = -ENOENT;
	unlock_bucket(h, b, irqflags);
	return err;
}

/* @e's value as userspace sees it: one per possible CPU for per-CPU maps. */
static void copy_out(const struct kbpf_hash *h, struct hash_elem *e, void *value)
{
	u32 size = h->map.desc.value_size;
	int cpu;

	if (!is_percpu(h)) {
		memcpy(value, elem_value(h, e), size);
		return;
	}
	for_each_possible_cpu(cpu) {
		memcpy(value, per_cpu_ptr(e->pcpu, cpu), size);
		value += round_up(size, 8);
	}
}

/*
 * The syscall's lookup: per-CPU values whole, and, as upstream, no use of
 * the key for LRU maps.
 */
static int hash_sys_lookup(struct kbpf_map *map, const void *key, void *value)
{
	struct kbpf_hash *h = to_hash(map);
	struct hash_elem *e = find(h, key, key_hash(h, key));

	if (!e)
		return -ENOENT;
	copy_out(h, e, value);
	return 0;
}

/* The first element of bucket @i or a later one, under RCU. */
static struct hash_elem *first_from(struct kbpf_hash *h, u32 i)
{
	struct hlist_nulls_node *n;

	for (; i < h->nr_buckets; i++) {
		n = rcu_dereference_raw(hlist_nulls_first_rcu(&h->buckets[i].head));
		if (!is_a_nulls(n))
			return container_of(n, struct hash_elem, node);
	}
	return NULL;
}

static int hash_get_next_key(struct kbpf_map *map, const void *key, void *next)
{
	struct kbpf_hash *h = to_hash(map);
	struct hlist_nulls_node *n;
	struct hash_elem *e = NULL;
	u32 hash;

	if (key) {
		hash = key_hash(h, key);
		e = find(h, key, hash);
	}
	if (e) {
		n = rcu_dereference_raw(hlist_nulls_next_rcu(&e->node));
		if (!is_a_nulls(n))
			e = container_of(n, struct hash_elem, node);
		else
			e = first_from(h, (hash & (h->nr_buckets - 1)) + 1);
	} else {
		/* No key, or one that is gone: start over, as upstream. */
		e = first_from(h, 0);
	}
	if (!e)
		return -ENOENT;
	memcpy(next, e->key, map->desc.key_size);
	return 0;
}

/*
 * Copy bucket @i's keys and values (userspace's view) into @keys and
 * @values, at most @room of them, under its update lock; delete them
 * too when @delete. Returns how many the bucket has: more than @room
 * means none was copied.
 */
static u32 take_bucket(struct kbpf_hash *h, u32 i, void *keys, void *values,
		       u32 room, bool delete, int *err)
{
	struct hash_bucket *b = &h->buckets[i];
	u32 key_size = h->map.desc.key_size, n = 0;
	u32 vsize = kbpf_map_user_value_size(&h->map);
	struct hlist_nulls_node *pos;
	struct hash_elem *e;
	unsigned long irqflags;

	*err = lock_bucket(h, b, &irqflags);
	if (*err)
		return 0;
	hlist_nulls_for_each_entry(e, pos, &b->head, node)
		n++;
	if (n > room)
		goto unlock;
	n = 0;
	hlist_nulls_for_each_entry_safe(e, pos, &b->head, node) {
		memcpy(keys + (u64)n * key_size, e->key, key_size);
		copy_out(h, e, values + (u64)n * vsize);
		if (delete)
			unlink_elem(h, e);
		n++;
	}
unlock:
	unlock_bucket(h, b, irqflags);
	return n;
}

/*
 * LOOKUP_BATCH and LOOKUP_AND_DELETE_BATCH, as upstream: whole buckets,
 * from the bucket number in in_batch (0 without), the next one in
 * out_batch; -ENOSPC when the first bucket does not fit in count,
 * -ENOENT with the last bucket done.
 */
static int hash_lookup_batch(struct kbpf_map *map, const union bpf_attr *attr,
			     union bpf_attr __user *uattr, bool delete)
{
	struct kbpf_hash *h = to_hash(map);
	u32 key_size = map->desc.key_size, vsize = kbpf_map_user_value_size(map);
	u32 max = attr->batch.count, total = 0, room = 8, bucket = 0, n;
	void __user *ukeys = u64_to_user_ptr(attr->batch.keys);
	void __user *uvalues = u64_to_user_ptr(attr->batch.values);
	void *keys = NULL, *values = NULL;
	int err = 0;

	if (attr->batch.elem_flags || attr->batch.flags)
		return -EINVAL;
	if (!max)
		return 0;
	if (put_user(0, &uattr->batch.count))
		return -EFAULT;
	if (attr->batch.in_batch &&
	    get_user(bucket, (u32 __user *)u64_to_user_ptr(attr->batch.in_batch)))
		return -EFAULT;
	if (bucket >= h->nr_buckets)
		return -ENOENT;
	while (bucket < h->nr_buckets) {
		if (!keys) {
			keys = kvmalloc_array(room, key_size, GFP_USER | __GFP_NOWARN);
			values = kvmalloc_array(room, vsize, GFP_USER | __GFP_NOWARN);
			err = -ENOMEM;
			if (!keys || !values)
				break;
		}
		n = take_bucket(h, bucket, keys, values, min(room, max - total),
				delete, &err);
		if (err)
			break;
		if (n > max - total) {
			if (!total)
				err = -ENOSPC;
			break;
		}
		if (n > room) {
			/* A bigger bucket than the buffers: grow them, again. */
			kvfree(keys);
			kvfree(values);
			keys = NULL;
			room = n;
			continue;
		}
		err = -EFAULT;
		if (copy_to_user(ukeys + (u64)total * key_size, keys,
				 (u64)n * key_size) ||
		    copy_to_user(uvalues + (u64)total * vsize, values,
				 (u64)n * vsize))
			break;
		err = 0;
		total += n;
		bucket++;
		err = kbpf_map_yield();
		if (err)
			break;
	}
	if (!err && bucket >= h->nr_buckets)
		err = -ENOENT;
	if (err != -EFAULT && err != -ENOMEM &&
	    (put_user(total, &uattr->batch.count) ||
	     put_user(bucket, (u32 __user *)u64_to_user_ptr(attr->batch.out_batch))))
		err = -EFAULT;
	kvfree(keys);
	kvfree(values);
	return err;
}

const struct kbpf_map_ops kbpf_hash_ops = {
	.check = hash_check,
	.alloc = hash_alloc,
	.free = hash_free,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.get_next_key = hash_get_next_key,
	.sys_update = hash_sys_update,
	.lookup_batch = hash_lookup_batch,
	.update_batch = kbpf_map_keywise_update_batch,
	.delete_batch = kbpf_map_keywise_delete_batch,
};

const struct kbpf_map_ops kbpf_lru_hash_ops = {
	.check = hash_check,
	.alloc = hash_alloc,
	.free = hash_free,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.get_next_key = hash_get_next_key,
	.sys_lookup = hash_sys_lookup,
	.lookup_batch = hash_lookup_batch,
	.update_batch = kbpf_map_keywise_update_batch,
	.delete_batch = kbpf_map_keywise_delete_batch,
};

const struct kbpf_map_ops kbpf_lru_percpu_hash_ops = {
	.check = hash_check,
	.alloc = hash_alloc,
	.free = hash_free,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.get_next_key = hash_get_next_key,
	.sys_lookup = hash_sys_lookup,
	.sys_update = hash_sys_update,
	.lookup_batch = hash_lookup_batch,
	.update_batch = kbpf_map_keywise_update_batch,
	.delete_batch = kbpf_map_keywise_delete_batch,
};

const struct kbpf_map_ops kbpf_percpu_hash_ops = {
	.check = hash_check,
	.alloc = hash_alloc,
	.free = hash_free,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.get_next_key = hash_get_next_key,
	.sys_lookup = hash_sys_lookup,
	.sys_update = hash_sys_update,
	.lookup_batch = hash_lookup_batch,
	.update_batch = kbpf_map_keywise_update_batch,
	.delete_batch = kbpf_map_keywise_delete_batch,
};
