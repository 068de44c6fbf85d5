// SPDX-License-Identifier: GPL-2.0
/*
 * LPM_TRIE maps: longest-prefix match over keys of a prefix length and
 * up to 256 bytes of data (struct bpf_lpm_trie_key_u8), as routing
 * tables and address filters need.
 *
 * The trie is binary and path-compressed: each node holds a prefix (its
 * length and the bits), and its children extend it, the child taken by
 * the first bit past the node's prefix. Nodes that only join two subtrees
 * carry no value ("joins"). A lookup walks down while the node's prefix
 * is a prefix of the key, remembering the last node with a value: that is
 * the longest match.
 *
 * Readers walk under RCU; writers take the map's raw spinlock, build new
 * nodes aside and publish them with one pointer store, and free what they
 * unlink after a grace period. Nodes are allocated on update
 * (BPF_F_NO_PREALLOC is required, as upstream); a full trie is -ENOSPC.
 * None of that may run in NMI: there, programs' updates and deletes fail
 * with -EBUSY (upstream's allocator is NMI-safe; kbpf's kmalloc() not).
 */

#include <linux/err.h>
#include <linux/hardirq.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "map.h"

#define LPM_DATA_MAX	256
#define LPM_FLAGS	(BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | KBPF_MAP_ACCESS_FLAGS)

/**
 * struct lpm_node - a prefix in the trie
 * @rcu: freed after a grace period
 * @child: the subtrees whose next bit is 0 and 1
 * @prefixlen: bits of @data that are the prefix
 * @join: no value: only joins its two children
 * @data: the prefix's bytes, then at an 8-byte boundary the value
 */
struct lpm_node {
	struct rcu_head rcu;
	struct lpm_node __rcu *child[2];
	u32 prefixlen;
	bool join;
	u8 data[] __aligned(8);
};

/**
 * struct kbpf_lpm_trie - an LPM_TRIE map
 * @map: the map
 * @root: the top node
 * @entries: nodes with a value
 * @data_size: bytes of key data
 * @max_prefixlen: @data_size * 8
 * @lock: serializes writers
 */
struct kbpf_lpm_trie {
	struct kbpf_map map;
	struct lpm_node __rcu *root;
	u32 entries;
	u32 data_size;
	u32 max_prefixlen;
	raw_spinlock_t lock;
};

static struct kbpf_lpm_trie *to_trie(struct kbpf_map *map)
{
	return container_of(map, struct kbpf_lpm_trie, map);
}

static void *node_value(const struct kbpf_lpm_trie *t, struct lpm_node *n)
{
	return n->data + round_up(t->data_size, 8);
}

static int lpm_check(const union bpf_attr *attr)
{
	u32 data = attr->key_size - sizeof(struct bpf_lpm_trie_key_u8);

	if (!(attr->map_flags & BPF_F_NO_PREALLOC) ||
	    (attr->map_flags & ~LPM_FLAGS) || kbpf_map_check_common(attr) ||
	    attr->key_size <= sizeof(struct bpf_lpm_trie_key_u8) ||
	    data > LPM_DATA_MAX ||
	    attr->value_size > KMALLOC_MAX_SIZE - LPM_DATA_MAX - sizeof(struct lpm_node))
		return -EINVAL;
	return 0;
}

static struct kbpf_map *lpm_alloc(const union bpf_attr *attr)
{
	struct kbpf_lpm_trie *t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);

	if (!t)
		return ERR_PTR(-ENOMEM);
	kbpf_map_init(&t->map, attr);
	t->data_size = attr->key_size - sizeof(struct bpf_lpm_trie_key_u8);
	t->max_prefixlen = t->data_size * 8;
	raw_spin_lock_init(&t->lock);
	return &t->map;
}

/*
 * Free every node without recursion (the trie may be 2049 levels deep):
 * rotate left children up until the top has none, then free it and go on
 * with its right child.
 */
static void lpm_free(struct kbpf_map *map)
{
	struct kbpf_lpm_trie *t = to_trie(map);
	struct lpm_node *n = rcu_dereference_protected(t->root, 1), *c;

	while (n) {
		c = rcu_dereference_protected(n->child[0], 1);
		if (c) {
			RCU_INIT_POINTER(n->child[0],
					 rcu_dereference_protected(c->child[1], 1));
			RCU_INIT_POINTER(c->child[1], n);
			n = c;
			continue;
		}
		c = rcu_dereference_protected(n->child[1], 1);
		kfree(n);
		n = c;
	}
	kfree(t);
}

/* Bit @i (from the most significant of byte 0) of @data. */
static u32 bit_at(const u8 *data, u32 i)
{
	return (data[i / 8] >> (7 - i % 8)) & 1;
}

/*
 * How many leading bits @n's prefix and @key share, at most the shorter
 * of the two prefixes.
 */
static u32 common_bits(const struct kbpf_lpm_trie *t, const struct lpm_node *n,
		       const struct bpf_lpm_trie_key_u8 *key)
{
	u32 limit = min(n->prefixlen, key->prefixlen), i;

	for (i = 0; i < limit; i += 8) {
		u8 diff = n->data[i / 8] ^ key->data[i / 8];

		if (diff)
			return min(limit, i + __builtin_clz((u32)diff) - 24);
	}
	return limit;
}

static void *lpm_lookup(struct kbpf_map *map, const void *key_ptr)
{
	const struct bpf_lpm_trie_key_u8 *key = key_ptr;
	struct kbpf_lpm_trie *t = to_trie(map);
	struct lpm_node *n, *found = NULL;
	u32 matched;

	for (n = rcu_dereference(t->root); n;) {
		matched = common_bits(t, n, key);
		if (matched < n->prefixlen)
			break;
		if (!READ_ONCE(n->join))
			found = n;
		if (matched >= key->prefixlen || matched == t->max_prefixlen)
			break;
		n = rcu_dereference(n->child[bit_at(key->data, n->prefixlen)]);
	}
	return found ? node_value(t, found) : NULL;
}

static struct lpm_node *new_node(struct kbpf_lpm_trie *t,
				 const struct bpf_lpm_trie_key_u8 *key,
				 u32 prefixlen, const void *value)
{
	size_t size = sizeof(struct lpm_node) + round_up(t->data_size, 8) +
		      (value ? t->map.desc.value_size : 0);
	struct lpm_node *n = kzalloc(size, GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN);

	if (!n)
		return NULL;
	n->prefixlen = prefixlen;
	n->join = !value;
	memcpy(n->data, key->data, t->data_size);
	if (value)
		memcpy(node_value(t, n), value, t->map.desc.value_size);
	return n;
}

/* Upstream's checks for a key that will be new. */
static long check_add(struct kbpf_lpm_trie *t, u64 flags)
{
	if (flags == BPF_EXIST)
		return -ENOENT;
	if (t->entries == t->map.desc.max_entries)
		return -ENOSPC;
	t->entries++;
	return 0;
}

static long lpm_update(struct kbpf_map *map, const void *key_ptr,
		       const void *value, u64 flags)
{
	const struct bpf_lpm_trie_key_u8 *key = key_ptr;
	struct kbpf_lpm_trie *t = to_trie(map);
	struct lpm_node *n, *new, *join = NULL;
	struct lpm_node __rcu **slot;
	unsigned long irqflags;
	u32 matched = 0;
	long err;

	if (flags > BPF_EXIST || key->prefixlen > t->max_prefixlen)
		return -EINVAL;
	/* Its lock, allocations and RCU frees are not for NMI context. */
	if (in_nmi())
		return -EBUSY;
	/* Nodes are made before the lock and freed if not used. */
	new = new_node(t, key, key->prefixlen, value);
	join = new_node(t, key, 0, NULL);
	if (!new || !join) {
		err = -ENOMEM;
		goto free;
	}
	raw_spin_lock_irqsave(&t->lock, irqflags);
	slot = &t->root;
	while ((n = rcu_dereference_protected(*slot, lockdep_is_held(&t->lock)))) {
		matched = common_bits(t, n, key);
		if (matched < n->prefixlen || n->prefixlen == key->prefixlen ||
		    n->prefixlen == t->max_prefixlen)
			break;
		slot = &n->child[bit_at(key->data, n->prefixlen)];
	}
	if (!n) {
		err = check_add(t, flags);
		if (!err)
			rcu_assign_pointer(*slot, new);
	} else if (n->prefixlen == key->prefixlen && matched == n->prefixlen) {
		/* The key is there: a value replaces it, or fills a join. */
		if (!n->join && flags == BPF_NOEXIST)
			err = -EEXIST;
		else
			err = n->join ? check_add(t, flags) : 0;
		if (!err) {
			RCU_INIT_POINTER(new->child[0], rcu_dereference_protected(n->child[0], 1));
			RCU_INIT_POINTER(new->child[1], rcu_dereference_protected(n->child[1], 1));
			rcu_assign_pointer(*slot, new);
			kfree_rcu(n, rcu);
		}
	} else if (matched == key->prefixlen) {
		/* The key is a prefix of the node's: it goes above it. */
		err = check_add(t, flags);
		if (!err) {
			RCU_INIT_POINTER(new->child[bit_at(n->data, matched)], n);
			rcu_assign_pointer(*slot, new);
		}
	} else {
		/* They part after @matched bits: a join holds both. */
		err = check_add(t, flags);
		if (!err) {
			join->prefixlen = matched;
			RCU_INIT_POINTER(join->child[bit_at(key->data, matched)], new);
			RCU_INIT_POINTER(join->child[bit_at(n->data, matched)], n);
			rcu_assign_pointer(*slot, join);
			join = NULL;
		}
	}
	raw_spin_unlock_irqrestore(&t->lock, irqflags);
	if (!err)
		new = NULL;
free:
	kfree(new);
	kfree(join);
	return err;
}

static long lpm_delete(struct kbpf_map *map, const void *key_ptr)
{
	const struct bpf_lpm_trie_key_u8 *key = key_ptr;
	struct kbpf_lpm_trie *t = to_trie(map);
	struct lpm_node __rcu **slot, **parent_slot = NULL;
	struct lpm_node *n, *parent = NULL, *c0, *c1;
	unsigned long irqflags;
	u32 matched = 0;
	long err = 0;

	if (key->prefixlen > t->max_prefixlen)
		return -EINVAL;
	if (in_nmi())
		return -EBUSY;
	raw_spin_lock_irqsave(&t->lock, irqflags);
	slot = &t->root;
	while ((n = rcu_dereference_protected(*slot, lockdep_is_held(&t->lock)))) {
		matched = common_bits(t, n, key);
		if (matched < n->prefixlen || n->prefixlen == key->prefixlen)
			break;
		parent = n;
		parent_slot = slot;
		slot = &n->child[bit_at(key->data, n->prefixlen)];
	}
	if (!n || n->prefixlen != key->prefixlen || matched != n->prefixlen ||
	    n->join) {
		err = -ENOENT;
		goto unlock;
	}
	t->entries--;
	c0 = rcu_dereference_protected(n->child[0], 1);
	c1 = rcu_dereference_protected(n->child[1], 1);
	if (c0 && c1) {
		/* Still joins two subtrees: it only loses its value. */
		WRITE_ONCE(n->join, true);
		goto unlock;
	}
	if (!c0 && !c1 && parent && parent->join) {
		/* A join left with one child is no longer needed either. */
		struct lpm_node *other;

		other = rcu_dereference_protected(parent->child[0], 1);
		if (other == n)
			other = rcu_dereference_protected(parent->child[1], 1);
		rcu_assign_pointer(*parent_slot, other);
		kfree_rcu(parent, rcu);
	} else {
		rcu_assign_pointer(*slot, c0 ?: c1);
	}
	kfree_rcu(n, rcu);
unlock:
	raw_spin_unlock_irqrestore(&t->lock, irqflags);
	return err;
}

/* The first node with a value of @n's subtree in post-order, or NULL. */
static struct lpm_node *first_postorder(struct lpm_node *n)
{
	struct lpm_node *c;

	while (n) {
		c = rcu_dereference(n->child[0]) ?: rcu_dereference(n->child[1]);
		if (!c)
			return n;
		n = c;
	}
	return NULL;
}

/*
 * Keys in post-order (a node after its subtrees), as upstream: the
 * successor of a node is the first of its parent's other subtree, or else
 * the parent itself, joins skipped. A key that is not in the trie starts
 * the walk over.
 */
static int lpm_get_next_key(struct kbpf_map *map, const void *key_ptr,
			    void *next_ptr)
{
	const struct bpf_lpm_trie_key_u8 *key = key_ptr;
	struct bpf_lpm_trie_key_u8 *next = next_ptr;
	struct kbpf_lpm_trie *t = to_trie(map);
	struct lpm_node **path, *n, *found = NULL, *child;
	u32 depth = 0, matched;
	int err = 0;

	/* A path is at most one node per prefix length, and the root. */
	path = kmalloc_array(t->max_prefixlen + 2, sizeof(*path),
			     GFP_ATOMIC | __GFP_NOWARN);
	if (!path)
		return -ENOMEM;
	n = rcu_dereference(t->root);
	if (!key || key->prefixlen > t->max_prefixlen)
		goto first;
	while (n) {
		matched = common_bits(t, n, key);
		if (matched < n->prefixlen)
			break;
		if (n->prefixlen == key->prefixlen)
			break;
		path[depth++] = n;
		n = rcu_dereference(n->child[bit_at(key->data, n->prefixlen)]);
	}
	if (!n || n->prefixlen != key->prefixlen ||
	    common_bits(t, n, key) != n->prefixlen || READ_ONCE(n->join)) {
		n = rcu_dereference(t->root);
		goto first;
	}
	child = n;
	while (depth) {
		struct lpm_node *parent = path[--depth];
		struct lpm_node *right = rcu_dereference(parent->child[1]);

		if (rcu_dereference(parent->child[0]) == child && right) {
			found = first_postorder(right);
			break;
		}
		if (!READ_ONCE(parent->join)) {
			found = parent;
			break;
		}
		child = parent;
	}
	goto out;
first:
	found = first_postorder(n);
out:
	if (found) {
		next->prefixlen = found->prefixlen;
		memcpy(next->data, found->data, t->data_size);
	} else {
		err = -ENOENT;
	}
	kfree(path);
	return err;
}

const struct kbpf_map_ops kbpf_lpm_trie_ops = {
	.check = lpm_check,
	.alloc = lpm_alloc,
	.free = lpm_free,
	.lookup = lpm_lookup,
	.update = lpm_update,
	.delete = lpm_delete,
	.get_next_key = lpm_get_next_key,
};
