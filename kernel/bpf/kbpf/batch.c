// SPDX-License-Identifier: GPL-2.0
/*
 * The batch commands: BPF_MAP_LOOKUP_BATCH, LOOKUP_AND_DELETE_BATCH,
 * UPDATE_BATCH and DELETE_BATCH move many elements per call.
 *
 * Each map type names its batch operations in its ops table; a type
 * without one gets upstream's -ENOTSUPP (524). Arrays walk their keys,
 * and the batch token userspace passes back (in_batch, out_batch) is the
 * last key done, as upstream's generic walk; hash maps give whole buckets
 * and their token is a bucket number (hash.c). Updates and deletes go
 * through the single-element operations, one key after the other, and
 * stop at the first error with count telling how many were done.
 */

#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "map.h"

/* Upstream's common checks; 1 when there is nothing to do. */
static int batch_start(const union bpf_attr *attr, union bpf_attr __user *uattr)
{
	if (attr->batch.elem_flags & ~BPF_F_LOCK)
		return -EINVAL;
	/* No map here has a spin lock for BPF_F_LOCK. */
	if (attr->batch.elem_flags & BPF_F_LOCK)
		return -EINVAL;
	if (!attr->batch.count)
		return 1;
	if (put_user(0, &uattr->batch.count))
		return -EFAULT;
	return 0;
}

/**
 * kbpf_map_walk_lookup_batch() - LOOKUP_BATCH by walking the keys
 * @map: a map with get_next_key
 * @attr: the command's attr
 * @uattr: userspace's attr, for count
 *
 * Return: 0 with count elements at keys and values and the last key at
 * out_batch, -ENOENT when the walk reached the end (count still says how
 * many came), -EFAULT, -ENOMEM.
 */
int kbpf_map_walk_lookup_batch(struct kbpf_map *map, const union bpf_attr *attr,
			       union bpf_attr __user *uattr)
{
	void __user *ukeys = u64_to_user_ptr(attr->batch.keys);
	void __user *uvalues = u64_to_user_ptr(attr->batch.values);
	u32 key_size = map->desc.key_size, n = 0;
	u32 value_size = kbpf_map_user_value_size(map);
	void *prev, *key, *value, *buf;
	bool have_prev = false;
	int err;

	err = batch_start(attr, uattr);
	if (err)
		return err < 0 ? err : 0;
	buf = kvmalloc(2 * key_size + value_size, GFP_USER | __GFP_NOWARN);
	if (!buf)
		return -ENOMEM;
	prev = buf;
	key = buf + key_size;
	value = buf + 2 * key_size;
	err = -EFAULT;
	if (attr->batch.in_batch) {
		if (copy_from_user(prev, u64_to_user_ptr(attr->batch.in_batch),
				   key_size))
			goto out;
		have_prev = true;
	}
	while (n < attr->batch.count) {
		err = kbpf_map_yield();
		if (err)
			break;
		err = kbpf_map_next_key(map, have_prev ? prev : NULL, key);
		if (err)
			break;
		err = kbpf_map_copy_value(map, key, value);
		if (!err) {
			err = -EFAULT;
			if (copy_to_user(ukeys + (u64)n * key_size, key, key_size) ||
			    copy_to_user(uvalues + (u64)n * value_size, value,
					 value_size))
				goto out;
			err = 0;
			n++;
		} else if (err != -ENOENT) {
			goto out;
		}
		swap(prev, key);
		have_prev = true;
	}
	if (err && err != -ENOENT)
		goto out;
	if (put_user(n, &uattr->batch.count) ||
	    (n && copy_to_user(u64_to_user_ptr(attr->batch.out_batch), prev,
			       key_size)))
		err = -EFAULT;
out:
	kvfree(buf);
	return err;
}

/* UPDATE_BATCH (@values) or DELETE_BATCH (!@values), a key at a time. */
static int keywise_batch(struct kbpf_map *map, const union bpf_attr *attr,
			 union bpf_attr __user *uattr, bool update)
{
	void __user *ukeys = u64_to_user_ptr(attr->batch.keys);
	void __user *uvalues = u64_to_user_ptr(attr->batch.values);
	u32 key_size = map->desc.key_size, n;
	u32 value_size = kbpf_map_user_value_size(map);
	void *key, *value;
	int err;

	err = batch_start(attr, uattr);
	if (err)
		return err < 0 ? err : 0;
	key = kvmalloc(key_size + value_size, GFP_USER | __GFP_NOWARN);
	if (!key)
		return -ENOMEM;
	value = key + key_size;
	for (n = 0; n < attr->batch.count; n++) {
		err = kbpf_map_yield();
		if (err)
			break;
		err = -EFAULT;
		if (copy_from_user(key, ukeys + (u64)n * key_size, key_size) ||
		    (update && copy_from_user(value, uvalues + (u64)n * value_size,
					      value_size)))
			break;
		if (update)
			err = kbpf_map_update_value(map, key, value,
						    attr->batch.elem_flags);
		else
			err = kbpf_map_delete_key(map, key);
		if (err)
			break;
	}
	if (put_user(n, &uattr->batch.count))
		err = -EFAULT;
	kvfree(key);
	return err;
}

/**
 * kbpf_map_keywise_update_batch() - UPDATE_BATCH one key after the other
 * @map: the map
 * @attr: the command's attr
 * @uattr: userspace's attr, for count
 *
 * Return: 0, or the first error, with count set to the keys done.
 */
int kbpf_map_keywise_update_batch(struct kbpf_map *map,
				  const union bpf_attr *attr,
				  union bpf_attr __user *uattr)
{
	return keywise_batch(map, attr, uattr, true);
}

/**
 * kbpf_map_keywise_delete_batch() - DELETE_BATCH one key after the other
 * @map: the map
 * @attr: the command's attr
 * @uattr: userspace's attr, for count
 *
 * Return: 0, or the first error (-ENOENT for a missing key), with count
 * set to the keys done.
 */
int kbpf_map_keywise_delete_batch(struct kbpf_map *map,
				  const union bpf_attr *attr,
				  union bpf_attr __user *uattr)
{
	return keywise_batch(map, attr, uattr, false);
}

/*
 * The four commands: the file's access checked as upstream (lookups need
 * read, the others write), then the type's operation, or -ENOTSUPP.
 */
static int map_batch(const union bpf_attr *attr, union bpf_attr __user *uattr,
		     int cmd)
{
	fmode_t mode = 0;
	struct kbpf_map *map;
	int err = -KBPF_ENOTSUPP;

	if (attr->batch.flags)
		return -EINVAL;
	if (cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH)
		mode |= FMODE_READ;
	if (cmd != BPF_MAP_LOOKUP_BATCH)
		mode |= FMODE_WRITE;
	if (mode & FMODE_WRITE)
		map = kbpf_map_get_writer(attr->batch.map_fd, mode);
	else
		map = kbpf_map_get_fd(attr->batch.map_fd, mode);
	if (IS_ERR(map))
		return PTR_ERR(map);
	switch (cmd) {
	case BPF_MAP_LOOKUP_BATCH:
		if (map->ops->lookup_batch)
			err = map->ops->lookup_batch(map, attr, uattr, false);
		break;
	case BPF_MAP_LOOKUP_AND_DELETE_BATCH:
		if (map->ops->lookup_batch && map->ops->delete_batch)
			err = map->ops->lookup_batch(map, attr, uattr, true);
		break;
	case BPF_MAP_UPDATE_BATCH:
		if (map->ops->update_batch)
			err = map->ops->update_batch(map, attr, uattr);
		break;
	case BPF_MAP_DELETE_BATCH:
		if (map->ops->delete_batch)
			err = map->ops->delete_batch(map, attr, uattr);
		break;
	}
	if (mode & FMODE_WRITE)
		kbpf_map_put_writer(map);
	else
		kbpf_map_put(map);
	return err;
}

/**
 * kbpf_map_lookup_batch() - BPF_MAP_LOOKUP_BATCH
 * @attr: the command's attr
 * @uattr: userspace's attr
 * @size: bytes userspace gave (unused)
 *
 * Return: see the type's lookup_batch; -ENOTSUPP for types without one.
 */
int kbpf_map_lookup_batch(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size)
{
	return map_batch(attr, uattr, BPF_MAP_LOOKUP_BATCH);
}

/**
 * kbpf_map_lookup_and_delete_batch() - BPF_MAP_LOOKUP_AND_DELETE_BATCH
 * @attr: the command's attr
 * @uattr: userspace's attr
 * @size: bytes userspace gave (unused)
 *
 * Return: see the type's lookup_batch; -ENOTSUPP for types without one.
 */
int kbpf_map_lookup_and_delete_batch(union bpf_attr *attr,
				     union bpf_attr __user *uattr,
				     unsigned int size)
{
	return map_batch(attr, uattr, BPF_MAP_LOOKUP_AND_DELETE_BATCH);
}

/**
 * kbpf_map_update_batch() - BPF_MAP_UPDATE_BATCH
 * @attr: the command's attr
 * @uattr: userspace's attr
 * @size: bytes userspace gave (unused)
 *
 * Return: see kbpf_map_keywise_update_batch(); -ENOTSUPP for types
 * without it.
 */
int kbpf_map_update_batch(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size)
{
	return map_batch(attr, uattr, BPF_MAP_UPDATE_BATCH);
}

/**
 * kbpf_map_delete_batch() - BPF_MAP_DELETE_BATCH
 * @attr: the command's attr
 * @uattr: userspace's attr
 * @size: bytes userspace gave (unused)
 *
 * Return: see kbpf_map_keywise_delete_batch(); -ENOTSUPP for types
 * without it.
 */
int kbpf_map_delete_batch(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size)
{
	return map_batch(attr, uattr, BPF_MAP_DELETE_BATCH);
}
