// SPDX-License-Identifier: GPL-2.0
/*
 * Array maps: ARRAY, PERCPU_ARRAY and PROG_ARRAY.
 *
 * The key is a u32 index below max_entries; every element exists from the
 * start, zeroed, and none can be deleted. Values sit in one area, each
 * rounded up to 8 bytes; a per-CPU array keeps a per-CPU value for each
 * index instead; a prog array keeps a program pointer per index, set and
 * cleared only by the syscall, read by tail calls.
 *
 * Indexes from programs are clamped under speculation too
 * (array_index_nospec()), so a mispredicted bound check cannot read past
 * the area.
 */

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "map.h"
#include "prog.h"

#define ARRAY_FLAGS	(BPF_F_NUMA_NODE | KBPF_MAP_ACCESS_FLAGS | \
			 BPF_F_MMAPABLE)

/**
 * struct kbpf_array - an array map
 * @map: the map
 * @elem_size: bytes between two values
 * @values: for ARRAY, the values; for PERCPU_ARRAY, a per-CPU value
 *	pointer for each index; for PROG_ARRAY, the slots
 */
struct kbpf_array {
	struct kbpf_map map;
	u32 elem_size;
	void *values;
};

static struct kbpf_array *to_array(struct kbpf_map *map)
{
	return container_of(map, struct kbpf_array, map);
}

static int array_check(const union bpf_attr *attr)
{
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY;

	if (attr->key_size != sizeof(u32) || (attr->map_flags & ~ARRAY_FLAGS) ||
	    kbpf_map_check_common(attr))
		return -EINVAL;
	if (percpu && (attr->map_flags & BPF_F_NUMA_NODE))
		return -EINVAL;
	if (attr->map_type != BPF_MAP_TYPE_ARRAY &&
	    (attr->map_flags & BPF_F_MMAPABLE))
		return -EINVAL;
	if (attr->value_size > INT_MAX)
		return -E2BIG;
	if (percpu && round_up(attr->value_size, 8) > PCPU_MIN_UNIT_SIZE)
		return -E2BIG;
	return 0;
}

static int prog_array_check(const union bpf_attr *attr)
{
	if (attr->value_size != sizeof(u32) ||
	    (attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG |
				BPF_F_MMAPABLE)))
		return -EINVAL;
	return array_check(attr);
}

static void **percpu_slots(struct kbpf_array *array)
{
	return array->values;
}

static void array_free(struct kbpf_map *map)
{
	struct kbpf_array *array = to_array(map);
	u32 i;

	/* Millions of entries may take a while: let others run. */
	if (map->desc.type == BPF_MAP_TYPE_PERCPU_ARRAY && array->values)
		for (i = 0; i < map->desc.max_entries; i++) {
			free_percpu((void __percpu *)percpu_slots(array)[i]);
			cond_resched();
		}
	kvfree(array->values);
	kfree(array);
}

/*
 * Every entry's value on every possible CPU, one allocation per entry.
 * Return: 0, -ENOMEM, or -EINTR for a caller being killed.
 */
static int array_alloc_percpu(struct kbpf_array *array)
{
	u32 n = array->map.desc.max_entries, i;
	u64 bytes = (u64)n * array->elem_size * num_possible_cpus();
	int err = 0;

	if (!kbpf_map_memory_claim(bytes))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		void __percpu *v = kbpf_map_percpu_value_alloc(array->elem_size);

		if (!v) {
			err = -ENOMEM;
			break;
		}
		percpu_slots(array)[i] = (void __force *)v;
		err = kbpf_map_yield();
		if (err)
			break;
	}
	kbpf_map_memory_unclaim(bytes);
	return err;
}

static struct kbpf_map *array_alloc(const union bpf_attr *attr)
{
	bool mmapable = attr->map_flags & BPF_F_MMAPABLE;
	struct kbpf_array *array;
	int err = -ENOMEM;
	u64 area;

	array = kzalloc(sizeof(*array), GFP_KERNEL_ACCOUNT);
	if (!array)
		return ERR_PTR(-ENOMEM);
	kbpf_map_init(&array->map, attr);
	array->elem_size = round_up(attr->value_size, 8);
	switch (attr->map_type) {
	case BPF_MAP_TYPE_ARRAY:
		area = (u64)attr->max_entries * array->elem_size;
		break;
	default:
		area = (u64)attr->max_entries * sizeof(void *);
	}
	array->values = kbpf_map_area_alloc(area, mmapable);
	if (!array->values)
		goto fail;
	if (attr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY) {
		err = array_alloc_percpu(array);
		if (err)
			goto fail;
	}
	return &array->map;
fail:
	array_free(&array->map);
	return ERR_PTR(err);
}

/* The index of @key, clamped under speculation, or -1 when out of range. */
static s64 array_index(const struct kbpf_map *map, const void *key)
{
	u32 index = *(const u32 *)key;

	if (index >= map->desc.max_entries)
		return -1;
	return array_index_nospec(index, map->desc.max_entries);
}

static void *array_lookup(struct kbpf_map *map, const void *key)
{
	struct kbpf_array *array = to_array(map);
	s64 i = array_index(map, key);

	if (i < 0)
		return NULL;
	return array->values + i * array->elem_size;
}

static void *array_flat_values(const struct kbpf_map *map, u32 *elem_size)
{
	struct kbpf_array *array = container_of(map, struct kbpf_array, map);

	*elem_size = array->elem_size;
	return array->values;
}

static void __percpu *percpu_value(struct kbpf_array *array, s64 i)
{
	return (void __percpu __force *)percpu_slots(array)[i];
}

static void *percpu_array_lookup(struct kbpf_map *map, const void *key)
{
	s64 i = array_index(map, key);

	if (i < 0)
		return NULL;
	return this_cpu_ptr(percpu_value(to_array(map), i));
}

/* Upstream's checks of an array update, in its order. */
static long array_update_check(struct kbpf_map *map, const void *key, u64 flags)
{
	if (flags > BPF_EXIST)
		return -EINVAL;
	if (array_index(map, key) < 0)
		return -E2BIG;
	if (flags == BPF_NOEXIST)
		return -EEXIST;
	return 0;
}

static long array_update(struct kbpf_map *map, const void *key,
			 const void *value, u64 flags)
{
	long err = array_update_check(map, key, flags);

	if (err)
		return err;
	memcpy(array_lookup(map, key), value, map->desc.value_size);
	return 0;
}

static long percpu_array_update(struct kbpf_map *map, const void *key,
				const void *value, u64 flags)
{
	long err = array_update_check(map, key, flags);

	if (err)
		return err;
	memcpy(percpu_array_lookup(map, key), value, map->desc.value_size);
	return 0;
}

static long array_delete(struct kbpf_map *map, const void *key)
{
	return -EINVAL;
}

/**
 * kbpf_array_get_next_key() - the index after *@key, for maps indexed by u32
 * @map: an array-like map
 * @key: an index, or NULL
 * @next: the next index
 *
 * Return: 0; 0 with index 0 for no key or one out of range; -ENOENT
 * after the last.
 */
int kbpf_array_get_next_key(struct kbpf_map *map, const void *key, void *next)
{
	u32 index = key ? *(const u32 *)key : U32_MAX;
	u32 *out = next;

	if (index >= map->desc.max_entries) {
		*out = 0;
		return 0;
	}
	if (index == map->desc.max_entries - 1)
		return -ENOENT;
	*out = index + 1;
	return 0;
}

static int percpu_array_sys_lookup(struct kbpf_map *map, const void *key,
				   void *value)
{
	struct kbpf_array *array = to_array(map);
	s64 i = array_index(map, key);
	int cpu;

	if (i < 0)
		return -ENOENT;
	for_each_possible_cpu(cpu) {
		memcpy(value, per_cpu_ptr(percpu_value(array, i), cpu),
		       map->desc.value_size);
		value += array->elem_size;
	}
	return 0;
}

static int percpu_array_sys_update(struct kbpf_map *map, const void *key,
				   const void *value, u64 flags)
{
	struct kbpf_array *array = to_array(map);
	long err = array_update_check(map, key, flags);
	s64 i = array_index(map, key);
	int cpu;

	if (err)
		return err;
	for_each_possible_cpu(cpu) {
		memcpy(per_cpu_ptr(percpu_value(array, i), cpu), value,
		       map->desc.value_size);
		value += array->elem_size;
	}
	return 0;
}

static int array_direct_value_addr(const struct kbpf_map *map, u32 off,
				   u64 *addr)
{
	const struct kbpf_array *array = container_of(map, struct kbpf_array, map);

	if (map->desc.max_entries != 1 || off >= map->desc.value_size)
		return -EINVAL;
	*addr = (unsigned long)array->values + off;
	return 0;
}

static int array_mmap(struct kbpf_map *map, struct vm_area_struct *vma)
{
	struct kbpf_array *array = to_array(map);
	u64 size = PAGE_ALIGN((u64)map->desc.max_entries * array->elem_size);

	if (!(map->desc.flags & BPF_F_MMAPABLE))
		return -EINVAL;
	if (((u64)vma->vm_pgoff << PAGE_SHIFT) + (vma->vm_end - vma->vm_start) > size)
		return -EINVAL;
	return remap_vmalloc_range(vma, array->values, vma->vm_pgoff);
}

/* Prog arrays: slots of struct kbpf_interp_prog pointers, set by the syscall. */

static struct kbpf_interp_prog **prog_slot(struct kbpf_map *map, s64 i)
{
	return (struct kbpf_interp_prog **)to_array(map)->values + i;
}

static void *prog_array_tail_call_slot(struct kbpf_map *map, u32 index)
{
	if (index >= map->desc.max_entries)
		return NULL;
	return prog_slot(map, array_index_nospec(index, map->desc.max_entries));
}

static struct kbpf_prog *slot_prog(struct kbpf_interp_prog *run)
{
	return run ? container_of(run, struct kbpf_prog, run) : NULL;
}

/* Empty slot @i; the program goes when no CPU can be running it. */
static int prog_array_clear(struct kbpf_map *map, s64 i)
{
	struct kbpf_prog *old = slot_prog(xchg(prog_slot(map, i), NULL));

	if (!old)
		return -ENOENT;
	kbpf_prog_put(old);
	return 0;
}

static int prog_array_sys_update(struct kbpf_map *map, const void *key,
				 const void *value, u64 flags)
{
	s64 i = array_index(map, key);
	struct kbpf_prog *prog, *old;

	if (flags != BPF_ANY)
		return -EINVAL;
	if (i < 0)
		return -E2BIG;
	prog = kbpf_prog_get_fd(*(const u32 *)value);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	if (!kbpf_map_owner_ok(map, prog->type) ||
	    !kbpf_map_may_hold(map, !!prog->jit)) {
		kbpf_prog_put(prog);
		return -EINVAL;
	}
	old = slot_prog(xchg(prog_slot(map, i), &prog->run));
	if (old)
		kbpf_prog_put(old);
	/*
	 * The syscall holds the map, not the file it came through: another
	 * thread may have closed that last user reference meanwhile, and
	 * release_uref emptied the array before this program went in. Take
	 * it out again, or it and the array could hold each other forever.
	 * Both sides order with full barriers (xchg, atomic64_dec_and_test):
	 * either the emptying sees this slot or this sees the count at 0.
	 */
	if (!atomic64_read(&map->usercnt))
		prog_array_clear(map, i);
	return 0;
}

static int prog_array_sys_lookup(struct kbpf_map *map, const void *key,
				 void *value)
{
	s64 i = array_index(map, key);
	struct kbpf_prog *prog;

	if (i < 0)
		return -ENOENT;
	prog = slot_prog(READ_ONCE(*prog_slot(map, i)));
	if (!prog)
		return -ENOENT;
	/* Userspace sees the program's id: fds are per process. */
	*(u32 *)value = prog->id;
	return 0;
}

static int prog_array_sys_delete(struct kbpf_map *map, const void *key)
{
	s64 i = array_index(map, key);

	if (i < 0)
		return -E2BIG;
	return prog_array_clear(map, i);
}

static void prog_array_release_uref(struct kbpf_map *map)
{
	u32 i;

	for (i = 0; i < map->desc.max_entries; i++)
		prog_array_clear(map, i);
}

static void prog_array_free(struct kbpf_map *map)
{
	prog_array_release_uref(map);
	array_free(map);
}

static int array_lookup_batch(struct kbpf_map *map, const union bpf_attr *attr,
			      union bpf_attr __user *uattr, bool delete)
{
	return kbpf_map_walk_lookup_batch(map, attr, uattr);
}

const struct kbpf_map_ops kbpf_array_ops = {
	.check = array_check,
	.alloc = array_alloc,
	.free = array_free,
	.lookup = array_lookup,
	.flat_values = array_flat_values,
	.update = array_update,
	.delete = array_delete,
	.get_next_key = kbpf_array_get_next_key,
	.direct_value_addr = array_direct_value_addr,
	.mmap = array_mmap,
	.lookup_batch = array_lookup_batch,
	.update_batch = kbpf_map_keywise_update_batch,
};

const struct kbpf_map_ops kbpf_percpu_array_ops = {
	.check = array_check,
	.alloc = array_alloc,
	.free = array_free,
	.lookup = percpu_array_lookup,
	.update = percpu_array_update,
	.delete = array_delete,
	.get_next_key = kbpf_array_get_next_key,
	.sys_lookup = percpu_array_sys_lookup,
	.sys_update = percpu_array_sys_update,
	.lookup_batch = array_lookup_batch,
	.update_batch = kbpf_map_keywise_update_batch,
};

const struct kbpf_map_ops kbpf_prog_array_ops = {
	.check = prog_array_check,
	.alloc = array_alloc,
	.free = prog_array_free,
	.get_next_key = kbpf_array_get_next_key,
	.sys_lookup = prog_array_sys_lookup,
	.sys_update = prog_array_sys_update,
	.sys_delete = prog_array_sys_delete,
	.release_uref = prog_array_release_uref,
	.tail_call_slot = prog_array_tail_call_slot,
	.fd_values = true,
};
