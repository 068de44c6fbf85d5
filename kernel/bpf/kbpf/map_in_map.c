// SPDX-License-Identifier: GPL-2.0
/*
 * Maps of maps: ARRAY_OF_MAPS and HASH_OF_MAPS hold other maps, which
 * programs look up and then use like any map.
 *
 * At creation, inner_map_fd names a map that says what the held maps are
 * like (type, key and value sizes, flags and, unless BPF_F_INNER_MAP,
 * entries): the verifier checks programs against that, so the syscall
 * only lets in maps that match it. Userspace puts maps in by fd and reads
 * back their ids; programs only look up. The map of maps holds a
 * reference to each map in it; a map taken out stays alive for programs
 * still using it, since maps are freed a grace period after their last
 * reference (map.c).
 *
 * The array keeps map pointers in slots. The hash keeps them as the values
 * of a plain hash map of its own (hash.c), with the syscall's changes
 * serialized by a mutex so that each replaced map is let go exactly once.
 */

#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/slab.h>

#include "map.h"

#define MAP_IN_MAP_FLAGS	(BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY)

/**
 * struct kbpf_map_of_maps - an ARRAY_OF_MAPS or HASH_OF_MAPS map
 * @map: the map; @map.desc.inner points at @inner
 * @inner: what every map it holds is like
 * @lock: serializes the syscall's changes (the hash)
 * @table: the hash: a HASH map of the same keys and map pointers
 * @slots: the array: a map pointer, or NULL, per index
 */
struct kbpf_map_of_maps {
	struct kbpf_map map;
	struct kbpf_map_desc inner;
	struct mutex lock;		/* the syscall's changes */
	struct kbpf_map *table;
	void *walk_keys;		/* two of the table's keys, for mom_free() */
	struct kbpf_map *slots[];
};

static struct kbpf_map_of_maps *to_mom(struct kbpf_map *map)
{
	return container_of(map, struct kbpf_map_of_maps, map);
}

static bool is_array(const struct kbpf_map *map)
{
	return map->desc.type == BPF_MAP_TYPE_ARRAY_OF_MAPS;
}

static int mom_check(const union bpf_attr *attr)
{
	bool array = attr->map_type == BPF_MAP_TYPE_ARRAY_OF_MAPS;

	if (attr->value_size != sizeof(u32) || (attr->map_flags & ~MAP_IN_MAP_FLAGS) ||
	    kbpf_map_check_common(attr) || !attr->key_size ||
	    (array && attr->key_size != sizeof(u32)))
		return -EINVAL;
	return 0;
}

/* The template of the held maps, from the map inner_map_fd names. */
static int take_template(struct kbpf_map_desc *inner, u32 fd)
{
	struct kbpf_map *map = kbpf_map_get_fd(fd, 0);
	int err = 0;

	if (IS_ERR(map))
		return PTR_ERR(map);
	switch (map->desc.type) {
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		/* One level of maps in maps, as upstream. */
		err = -EINVAL;
		break;
	case BPF_MAP_TYPE_PROG_ARRAY:
		/* Upstream's errno for a type that cannot be held. */
		err = -KBPF_ENOTSUPP;
		break;
	default:
		*inner = map->desc;
		inner->inner = NULL;
	}
	kbpf_map_put(map);
	return err;
}

static void mom_free(struct kbpf_map *map)
{
	struct kbpf_map_of_maps *m = to_mom(map);
	u32 i;

	if (is_array(map)) {
		for (i = 0; i < map->desc.max_entries; i++)
			if (m->slots[i])
				kbpf_map_put(m->slots[i]);
	} else if (m->table) {
		u8 *key = m->walk_keys;
		struct kbpf_map **held;
		bool first = true;

		/* Every key's map goes: the keys were made with the map. */
		while (!kbpf_map_next_key(m->table, first ? NULL : key,
					  key + map->desc.key_size)) {
			memcpy(key, key + map->desc.key_size, map->desc.key_size);
			first = false;
			rcu_read_lock();
			held = m->table->ops->lookup(m->table, key);
			if (held)
				kbpf_map_put(*held);
			rcu_read_unlock();
		}
		m->table->ops->free(m->table);
	}
	kfree(m->walk_keys);
	kvfree(m);
}

static struct kbpf_map *mom_alloc(const union bpf_attr *attr)
{
	bool array = attr->map_type == BPF_MAP_TYPE_ARRAY_OF_MAPS;
	struct kbpf_map_of_maps *m;
	union bpf_attr table = {};
	int err;

	m = kbpf_map_area_alloc(struct_size(m, slots, array ? attr->max_entries : 0),
				false);
	if (!m)
		return ERR_PTR(-ENOMEM);
	kbpf_map_init(&m->map, attr);
	mutex_init(&m->lock);
	m->map.desc.inner = &m->inner;
	err = take_template(&m->inner, attr->inner_map_fd);
	if (err)
		goto free;
	if (!array) {
		table.map_type = BPF_MAP_TYPE_HASH;
		table.key_size = attr->key_size;
		table.value_size = sizeof(struct kbpf_map *);
		table.max_entries = attr->max_entries;
		err = kbpf_hash_ops.check(&table);
		if (err)
			goto free;
		/* Freeing walks the keys: no allocation may fail then. */
		err = -ENOMEM;
		m->walk_keys = kmalloc_array(2, attr->key_size, GFP_KERNEL_ACCOUNT);
		if (!m->walk_keys)
			goto free;
		m->table = kbpf_hash_ops.alloc(&table);
		if (IS_ERR(m->table)) {
			err = PTR_ERR(m->table);
			m->table = NULL;
			goto free;
		}
		m->table->ops = &kbpf_hash_ops;
	}
	return &m->map;
free:
	mom_free(&m->map);
	return ERR_PTR(err);
}

/* The map behind fd @fd, referenced, if it is like the template. */
static struct kbpf_map *held_map(struct kbpf_map_of_maps *m, u32 fd)
{
	const struct kbpf_map_desc *t = &m->inner;
	struct kbpf_map *map = kbpf_map_get_fd(fd, 0);
	const struct kbpf_map_desc *d;

	if (IS_ERR(map))
		return map;
	d = &map->desc;
	if (d->type != t->type || d->key_size != t->key_size ||
	    d->value_size != t->value_size || d->flags != t->flags ||
	    (d->max_entries != t->max_entries &&
	     !(t->flags & BPF_F_INNER_MAP))) {
		kbpf_map_put(map);
		return ERR_PTR(-EINVAL);
	}
	return map;
}

static s64 slot_index(const struct kbpf_map *map, const void *key)
{
	u32 i = *(const u32 *)key;

	if (i >= map->desc.max_entries)
		return -1;
	return array_index_nospec(i, map->desc.max_entries);
}

/* Programs get the held map itself, or NULL. */
static void *mom_lookup(struct kbpf_map *map, const void *key)
{
	struct kbpf_map_of_maps *m = to_mom(map);
	struct kbpf_map **held;
	s64 i;

	if (is_array(map)) {
		i = slot_index(map, key);
		return i < 0 ? NULL : READ_ONCE(m->slots[i]);
	}
	held = m->table->ops->lookup(m->table, key);
	return held ? READ_ONCE(*held) : NULL;
}

static int mom_sys_lookup(struct kbpf_map *map, const void *key, void *value)
{
	struct kbpf_map *held = mom_lookup(map, key);

	if (!held)
		return -ENOENT;
	/* Userspace sees the map's id: fds are per process. */
	*(u32 *)value = held->id;
	return 0;
}

static int mom_sys_update(struct kbpf_map *map, const void *key,
			  const void *value, u64 flags)
{
	struct kbpf_map_of_maps *m = to_mom(map);
	struct kbpf_map *held, *old = NULL, **cur;
	s64 i;
	int err;

	if (flags > BPF_EXIST || (is_array(map) && flags != BPF_ANY))
		return -EINVAL;
	if (is_array(map) && slot_index(map, key) < 0)
		return -E2BIG;
	held = held_map(m, *(const u32 *)value);
	if (IS_ERR(held))
		return PTR_ERR(held);
	if (is_array(map)) {
		i = slot_index(map, key);
		old = xchg(&m->slots[i], held);
		if (old)
			kbpf_map_put(old);
		return 0;
	}
	mutex_lock(&m->lock);
	rcu_read_lock();
	cur = m->table->ops->lookup(m->table, key);
	if (cur)
		old = *cur;
	err = m->table->ops->update(m->table, key, &held, flags);
	rcu_read_unlock();
	mutex_unlock(&m->lock);
	if (err) {
		kbpf_map_put(held);
		return err;
	}
	if (old)
		kbpf_map_put(old);
	return 0;
}

static int mom_sys_delete(struct kbpf_map *map, const void *key)
{
	struct kbpf_map_of_maps *m = to_mom(map);
	struct kbpf_map *old = NULL, **cur;
	s64 i;
	int err;

	if (is_array(map)) {
		i = slot_index(map, key);
		if (i < 0)
			return -E2BIG;
		old = xchg(&m->slots[i], NULL);
		if (!old)
			return -ENOENT;
		kbpf_map_put(old);
		return 0;
	}
	mutex_lock(&m->lock);
	rcu_read_lock();
	cur = m->table->ops->lookup(m->table, key);
	if (cur)
		old = *cur;
	err = m->table->ops->delete(m->table, key);
	rcu_read_unlock();
	mutex_unlock(&m->lock);
	if (!err && old)
		kbpf_map_put(old);
	return err;
}

static int mom_get_next_key(struct kbpf_map *map, const void *key, void *next)
{
	struct kbpf_map_of_maps *m = to_mom(map);

	if (is_array(map))
		return kbpf_array_get_next_key(map, key, next);
	return m->table->ops->get_next_key(m->table, key, next);
}

const struct kbpf_map_ops kbpf_array_of_maps_ops = {
	.check = mom_check,
	.alloc = mom_alloc,
	.free = mom_free,
	.lookup = mom_lookup,
	.get_next_key = mom_get_next_key,
	.sys_lookup = mom_sys_lookup,
	.sys_update = mom_sys_update,
	.sys_delete = mom_sys_delete,
	.fd_values = true,
};

const struct kbpf_map_ops kbpf_hash_of_maps_ops = {
	.check = mom_check,
	.alloc = mom_alloc,
	.free = mom_free,
	.lookup = mom_lookup,
	.get_next_key = mom_get_next_key,
	.sys_lookup = mom_sys_lookup,
	.sys_update = mom_sys_update,
	.sys_delete = mom_sys_delete,
	.fd_values = true,
};
