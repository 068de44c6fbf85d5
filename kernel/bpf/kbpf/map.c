// SPDX-License-Identifier: GPL-2.0
/*
 * Map objects and the bpf(2) commands on their elements.
 *
 * A map is held by references: each file descriptor's file (and later
 * each pin), and each program that uses it. The userspace ones are also
 * counted apart, because a prog array must empty itself when userspace
 * lets go of it: otherwise two programs tail-calling each other through
 * arrays would hold each other forever.
 *
 * The commands check their attr in upstream's order, so each bad call gets
 * the errno it gets on a stock kernel. Per-CPU types show userspace one
 * value per possible CPU, each rounded up to 8 bytes.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/numa.h>
#include <linux/nodemask.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "btf_object.h"
#include "map.h"
#include "object.h"

static const struct kbpf_map_ops *const kbpf_map_types[] = {
	[BPF_MAP_TYPE_HASH] = &kbpf_hash_ops,
	[BPF_MAP_TYPE_ARRAY] = &kbpf_array_ops,
	[BPF_MAP_TYPE_PROG_ARRAY] = &kbpf_prog_array_ops,
	[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = &kbpf_perf_event_array_ops,
	[BPF_MAP_TYPE_STACK_TRACE] = &kbpf_stack_trace_ops,
	[BPF_MAP_TYPE_RINGBUF] = &kbpf_ringbuf_ops,
	[BPF_MAP_TYPE_PERCPU_HASH] = &kbpf_percpu_hash_ops,
	[BPF_MAP_TYPE_PERCPU_ARRAY] = &kbpf_percpu_array_ops,
	[BPF_MAP_TYPE_QUEUE] = &kbpf_queue_ops,
	[BPF_MAP_TYPE_STACK] = &kbpf_stack_ops,
	[BPF_MAP_TYPE_LRU_HASH] = &kbpf_lru_hash_ops,
	[BPF_MAP_TYPE_LRU_PERCPU_HASH] = &kbpf_lru_percpu_hash_ops,
	[BPF_MAP_TYPE_LPM_TRIE] = &kbpf_lpm_trie_ops,
	[BPF_MAP_TYPE_ARRAY_OF_MAPS] = &kbpf_array_of_maps_ops,
	[BPF_MAP_TYPE_HASH_OF_MAPS] = &kbpf_hash_of_maps_ops,
};

static DEFINE_IDR(kbpf_map_ids);
static DEFINE_SPINLOCK(kbpf_map_ids_lock);

/**
 * kbpf_map_is_percpu() - does a map of @type keep a value per CPU?
 * @type: the BPF_MAP_TYPE_*
 *
 * Return: whether userspace sees one value per possible CPU.
 */
bool kbpf_map_is_percpu(u32 type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/**
 * kbpf_map_user_value_size() - bytes of a value as the syscall moves it
 * @map: the map
 *
 * Return: the value size, or for per-CPU maps one 8-byte-aligned value
 * for each possible CPU.
 */
u32 kbpf_map_user_value_size(const struct kbpf_map *map)
{
	if (kbpf_map_is_percpu(map->desc.type))
		return round_up(map->desc.value_size, 8) * num_possible_cpus();
	return map->desc.value_size;
}

/**
 * kbpf_map_check_common() - what every map type checks of its attr
 * @attr: the BPF_MAP_CREATE attr
 *
 * Return: 0, or -EINVAL for no entries, no value, or programs allowed
 * neither to read nor to write it.
 */
int kbpf_map_check_common(const union bpf_attr *attr)
{
	u32 prog = attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG);

	if (!attr->max_entries || !attr->value_size ||
	    prog == (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return -EINVAL;
	return 0;
}

/*
 * Pages that map creations are allocating right now. They leave
 * MemAvailable only as they are allocated: two creations checking at
 * once would both see the memory the other is about to take as free.
 */
static atomic_long_t kbpf_map_memory_claimed = ATOMIC_LONG_INIT(0);

/**
 * kbpf_map_memory_claim() - whether a map's up-front memory may be tried
 * at all, and if so, hold it against other creations while it is allocated
 * @bytes: what the map allocates when it is created
 *
 * A request for more than the system could free (MemAvailable) can only
 * fail, and it fails late: first it drains free memory to the watermark,
 * where any GFP_KERNEL allocation, other processes' or the allocators' own
 * (vmalloc's and the per-CPU allocator's page tables and chunks), wakes
 * the OOM killer. Per-CPU memory is also given back asynchronously, after
 * the failure. Refused at once, its caller gets a clean ENOMEM and nobody
 * else is killed. What other creations hold counts as taken, so of two
 * callers each asking for most of the memory, one is refused at once.
 *
 * Return: true if @bytes and what other creations hold is no more than
 * the memory available now; the caller then calls kbpf_map_memory_unclaim()
 * once it has allocated (or failed to).
 */
bool kbpf_map_memory_claim(u64 bytes)
{
	u64 pages = bytes >> PAGE_SHIFT;

	if (pages > totalram_pages())
		return false;
	if (atomic_long_add_return(pages, &kbpf_map_memory_claimed) <= si_mem_available())
		return true;
	atomic_long_sub(pages, &kbpf_map_memory_claimed);
	return false;
}

/**
 * kbpf_map_memory_unclaim() - end a successful kbpf_map_memory_claim()
 * @bytes: as given to it
 *
 * What was allocated now shows in MemAvailable itself.
 */
void kbpf_map_memory_unclaim(u64 bytes)
{
	atomic_long_sub(bytes >> PAGE_SHIFT, &kbpf_map_memory_claimed);
}

/**
 * kbpf_map_area_alloc() - zeroed memory for a map's elements, charged to
 * the caller's memory cgroup
 * @size: bytes
 * @user: the area will be mapped into userspace (whole pages, VM_USERMAP)
 *
 * The size is the user's to choose, up to many GiB. An area more than the
 * machine has free must fail with -ENOMEM in the caller, not get some
 * process OOM-killed to make room: __GFP_RETRY_MAYFAIL lets reclaim run
 * but never the OOM killer.
 *
 * Return: the area, to be freed with kvfree(), or NULL.
 */
void *kbpf_map_area_alloc(u64 size, bool user)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN |
			  __GFP_RETRY_MAYFAIL;
	void *area;

	if (size > MAX_LFS_FILESIZE || !kbpf_map_memory_claim(size))
		return NULL;
	if (user)
		area = __vmalloc_node_range(PAGE_ALIGN(size), SHMLBA,
					    VMALLOC_START, VMALLOC_END, gfp,
					    PAGE_KERNEL, VM_USERMAP,
					    NUMA_NO_NODE,
					    __builtin_return_address(0));
	/* kvmalloc() refuses more than INT_MAX bytes; vmalloc does not. */
	else if (size > INT_MAX)
		area = __vmalloc(size, gfp);
	else
		area = kvmalloc(size, gfp);
	kbpf_map_memory_unclaim(size);
	return area;
}

/**
 * kbpf_map_yield() - between two elements of a long map operation
 *
 * A creation that allocates each element's per-CPU value, or a batch of
 * a million elements, may take minutes in a debug kernel: let others
 * run, and let a caller that is being killed go (upstream only yields; a
 * survivor sees no difference). The allocators do not end such a loop
 * for a killed caller: a memory cgroup lets a dying task's charges
 * through.
 *
 * Return: 0, or -EINTR when the caller has a fatal signal pending.
 */
int kbpf_map_yield(void)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	cond_resched();
	return 0;
}

/**
 * kbpf_map_percpu_value_alloc() - one preallocated element's value on
 * every possible CPU, charged to the caller's memory cgroup
 * @size: bytes on each CPU, a multiple of 8
 *
 * For maps that make all their per-CPU values at creation, one call per
 * element (the caller claims the whole with kbpf_map_memory_claim()).
 * __GFP_NORETRY: out of memory is the caller's ENOMEM, not an OOM kill.
 * The caller's loop calls kbpf_map_yield() between elements.
 *
 * Return: the value, zeroed, or NULL.
 */
void __percpu *kbpf_map_percpu_value_alloc(u32 size)
{
	return __alloc_percpu_gfp(size, 8, GFP_KERNEL_ACCOUNT | __GFP_NORETRY |
				  __GFP_NOWARN);
}

/**
 * kbpf_map_init() - fill what every map has from its attr
 * @map: the new map, zeroed by its type's alloc
 * @attr: the BPF_MAP_CREATE attr
 */
void kbpf_map_init(struct kbpf_map *map, const union bpf_attr *attr)
{
	map->desc.type = attr->map_type;
	map->desc.key_size = attr->key_size;
	map->desc.value_size = attr->value_size;
	map->desc.max_entries = attr->max_entries;
	map->desc.flags = attr->map_flags;
	refcount_set(&map->refcnt, 1);
	atomic64_set(&map->usercnt, 1);
	mutex_init(&map->freeze_lock);
	spin_lock_init(&map->owner_lock);
}

/**
 * kbpf_map_from_desc() - the map around the description the verifier saw
 * @desc: &map->desc of a map
 *
 * Return: the map.
 */
struct kbpf_map *kbpf_map_from_desc(const struct kbpf_map_desc *desc)
{
	return container_of(desc, struct kbpf_map, desc);
}

/**
 * kbpf_map_get() - take a reference to @map
 * @map: a map the caller holds a reference to
 */
void kbpf_map_get(struct kbpf_map *map)
{
	refcount_inc(&map->refcnt);
}

/* What every map holds, then its type's own memory. */
static void kbpf_map_free(struct kbpf_map *map)
{
	if (map->btf)
		kbpf_btf_put(map->btf);
	map->ops->free(map);
}

static void kbpf_map_free_work(struct work_struct *work)
{
	kbpf_map_free(container_of(to_rcu_work(work), struct kbpf_map, free_work));
}

/**
 * kbpf_map_put() - drop a reference to @map
 * @map: the map
 *
 * The last one frees it, from a workqueue (programs drop their maps from
 * an RCU callback, and freeing may sleep) and after a grace period (a
 * program may have it from a map of maps, without a reference).
 */
void kbpf_map_put(struct kbpf_map *map)
{
	if (!refcount_dec_and_test(&map->refcnt))
		return;
	if (map->id) {
		spin_lock_bh(&kbpf_map_ids_lock);
		idr_remove(&kbpf_map_ids, map->id);
		spin_unlock_bh(&kbpf_map_ids_lock);
	}
	INIT_RCU_WORK(&map->free_work, kbpf_map_free_work);
	queue_rcu_work(system_wq, &map->free_work);
}

/**
 * kbpf_map_get_uref() - take a userspace reference to @map (a pin)
 * @map: a map the caller holds a reference to
 */
void kbpf_map_get_uref(struct kbpf_map *map)
{
	kbpf_map_get(map);
	atomic64_inc(&map->usercnt);
}

/**
 * kbpf_map_put_uref() - drop a userspace reference to @map
 * @map: the map
 *
 * The last one empties a prog array (see the top of this file).
 */
void kbpf_map_put_uref(struct kbpf_map *map)
{
	if (atomic64_dec_and_test(&map->usercnt) && map->ops->release_uref)
		map->ops->release_uref(map);
	kbpf_map_put(map);
}

static int kbpf_map_release(struct inode *inode, struct file *file)
{
	kbpf_map_put_uref(file->private_data);
	return 0;
}

/* Freezing waits for no writable mapping: these count them. */
static void kbpf_map_vma_open(struct vm_area_struct *vma)
{
	struct kbpf_map *map = vma->vm_file->private_data;

	if (vma->vm_flags & VM_MAYWRITE)
		atomic64_inc(&map->writable_mmaps);
}

static void kbpf_map_vma_close(struct vm_area_struct *vma)
{
	struct kbpf_map *map = vma->vm_file->private_data;

	if (vma->vm_flags & VM_MAYWRITE)
		atomic64_dec(&map->writable_mmaps);
}

static const struct vm_operations_struct kbpf_map_vm_ops = {
	.open = kbpf_map_vma_open,
	.close = kbpf_map_vma_close,
};

static int kbpf_map_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kbpf_map *map = file->private_data;
	int err;

	if (!map->ops->mmap)
		return -ENODEV;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mutex_lock(&map->freeze_lock);
	if ((vma->vm_flags & VM_WRITE) && READ_ONCE(map->frozen)) {
		err = -EPERM;
		goto out;
	}
	/* A read-only mapping must not become writable by mprotect(). */
	if (!(vma->vm_flags & VM_WRITE))
		vm_flags_clear(vma, VM_MAYWRITE);
	err = map->ops->mmap(map, vma);
	if (err)
		goto out;
	vma->vm_ops = &kbpf_map_vm_ops;
	kbpf_map_vma_open(vma);
out:
	mutex_unlock(&map->freeze_lock);
	return err;
}

/* A map type without a poll operation has nothing to wait for. */
static __poll_t kbpf_map_poll(struct file *file, struct poll_table_struct *pts)
{
	struct kbpf_map *map = file->private_data;

	if (!map->ops->poll)
		return EPOLLERR;
	return map->ops->poll(map, file, pts);
}

static void kbpf_map_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kbpf_map *map = file->private_data;

	seq_printf(m, "map_type:\t%u\nkey_size:\t%u\nvalue_size:\t%u\n"
		   "max_entries:\t%u\nmap_flags:\t%#x\nmap_id:\t%u\nfrozen:\t%u\n",
		   map->desc.type, map->desc.key_size, map->desc.value_size,
		   map->desc.max_entries, map->desc.flags, map->id,
		   READ_ONCE(map->frozen));
}

static const struct file_operations kbpf_map_fops = {
	.release = kbpf_map_release,
	.mmap = kbpf_map_mmap,
	.poll = kbpf_map_poll,
	.show_fdinfo = kbpf_map_show_fdinfo,
};

/**
 * kbpf_map_get_fd() - the map behind file descriptor @fd, referenced
 * @fd: the file descriptor
 * @mode: FMODE_READ and/or FMODE_WRITE the caller needs the file to have
 *
 * Return: the map with a reference for the caller, or an ERR_PTR():
 * -EBADF for no file, -EINVAL for a file that is no map, -EPERM for a
 * file opened without @mode or, for FMODE_WRITE, a frozen map.
 */
struct kbpf_map *kbpf_map_get_fd(int fd, fmode_t mode)
{
	struct kbpf_map *map;
	struct fd f = fdget(fd);

	if (!fd_file(f))
		return ERR_PTR(-EBADF);
	if (fd_file(f)->f_op != &kbpf_map_fops) {
		fdput(f);
		return ERR_PTR(-EINVAL);
	}
	map = fd_file(f)->private_data;
	if ((fd_file(f)->f_mode & mode) != mode ||
	    ((mode & FMODE_WRITE) && READ_ONCE(map->frozen))) {
		fdput(f);
		return ERR_PTR(-EPERM);
	}
	kbpf_map_get(map);
	fdput(f);
	return map;
}

/**
 * kbpf_map_get_writer() - the map behind @fd, for a syscall that writes it
 * @fd: the file descriptor
 * @mode: what kbpf_map_get_fd() needs, FMODE_WRITE included
 *
 * Counts the write as under way until kbpf_map_put_writer(), so that a
 * freeze either sees it (and fails with -EBUSY) or is seen by it: the
 * order of the two stores and two loads below (against kbpf_map_freeze())
 * lets no write happen after a freeze succeeded.
 *
 * Return: the map, referenced, or kbpf_map_get_fd()'s ERR_PTR(); -EPERM
 * too when the map froze meanwhile.
 */
struct kbpf_map *kbpf_map_get_writer(int fd, fmode_t mode)
{
	struct kbpf_map *map = kbpf_map_get_fd(fd, mode | FMODE_WRITE);

	if (IS_ERR(map))
		return map;
	atomic64_inc(&map->writers);
	/* The count before the look at frozen; kbpf_map_freeze() the reverse. */
	smp_mb__after_atomic();
	if (READ_ONCE(map->frozen)) {
		kbpf_map_put_writer(map);
		return ERR_PTR(-EPERM);
	}
	return map;
}

/**
 * kbpf_map_put_writer() - the write kbpf_map_get_writer() began is done
 * @map: the map
 */
void kbpf_map_put_writer(struct kbpf_map *map)
{
	atomic64_dec(&map->writers);
	kbpf_map_put(map);
}

/**
 * kbpf_map_file_flags() - the open flags BPF_F_RDONLY or BPF_F_WRONLY ask for
 * @flags: attr flags
 *
 * Return: O_RDONLY, O_WRONLY or O_RDWR; -EINVAL for both at once.
 */
int kbpf_map_file_flags(u32 flags)
{
	if ((flags & BPF_F_RDONLY) && (flags & BPF_F_WRONLY))
		return -EINVAL;
	if (flags & BPF_F_RDONLY)
		return O_RDONLY;
	if (flags & BPF_F_WRONLY)
		return O_WRONLY;
	return O_RDWR;
}

/**
 * kbpf_map_new_fd() - a new file descriptor for @map
 * @map: the map; the caller's userspace reference goes to the file
 * @flags: O_RDONLY, O_WRONLY or O_RDWR
 *
 * Return: the file descriptor (close-on-exec), or a negative errno with
 * the caller's reference untouched.
 */
int kbpf_map_new_fd(struct kbpf_map *map, int flags)
{
	return anon_inode_getfd("bpf-map", &kbpf_map_fops, map,
				flags | O_CLOEXEC);
}

/*
 * Types whose values are kernel objects, which no program's BTF
 * describes: -ENOTSUPP, as upstream (libbpf then creates them without).
 */
static bool map_type_refuses_btf(u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_STACK_TRACE:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return true;
	default:
		return false;
	}
}

/*
 * The key and value types the attr names must have the map's sizes, and
 * fit its type: array keys are 32-bit ints, LPM trie keys structs. Only
 * a one-element array may go without a key type, with a section (DATASEC)
 * as its value: a loader's global data (.data, .rodata, .bss).
 */
static int map_check_btf(const struct kbpf_map *map, const struct kbpf_btf *btf,
			 u32 key_id, u32 value_id)
{
	const struct kbpf_btf_types *b = &btf->types;
	const struct btf_type *key, *value;
	u32 type = map->desc.type;

	if (map_type_refuses_btf(type))
		return -KBPF_ENOTSUPP;
	value = kbpf_btf_skip_modifiers(b, value_id, NULL);
	if (!value || kbpf_btf_size(b, value_id) != map->desc.value_size)
		return -EINVAL;
	if (!key_id) {
		if (type != BPF_MAP_TYPE_ARRAY || map->desc.max_entries != 1 ||
		    BTF_INFO_KIND(value->info) != BTF_KIND_DATASEC)
			return -EINVAL;
		return 0;
	}
	key = kbpf_btf_skip_modifiers(b, key_id, NULL);
	if (!key || kbpf_btf_size(b, key_id) != map->desc.key_size)
		return -EINVAL;
	switch (type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		if (BTF_INFO_KIND(key->info) != BTF_KIND_INT ||
		    BTF_INT_BITS(*(const u32 *)(key + 1)) != 32 ||
		    BTF_INT_OFFSET(*(const u32 *)(key + 1)))
			return -EINVAL;
		break;
	case BPF_MAP_TYPE_LPM_TRIE:
		if (BTF_INFO_KIND(key->info) != BTF_KIND_STRUCT)
			return -EINVAL;
		break;
	}
	return 0;
}

/*
 * A map described by BTF holds it, for bpftool and map info. Kernel BTF
 * describes no map of a program's (-EACCES, as upstream).
 */
static int map_take_btf(struct kbpf_map *map, const union bpf_attr *attr)
{
	struct kbpf_btf *btf;
	int err = 0;

	if (!attr->btf_key_type_id && !attr->btf_value_type_id)
		return 0;
	btf = kbpf_btf_get_fd(attr->btf_fd);
	if (IS_ERR(btf))
		return PTR_ERR(btf);
	if (btf->kernel)
		err = -EACCES;
	else if (attr->btf_value_type_id)
		err = map_check_btf(map, btf, attr->btf_key_type_id,
				    attr->btf_value_type_id);
	if (err) {
		kbpf_btf_put(btf);
		return err;
	}
	map->btf = btf;
	map->btf_key_type_id = attr->btf_key_type_id;
	map->btf_value_type_id = attr->btf_value_type_id;
	return 0;
}

/**
 * kbpf_map_create() - BPF_MAP_CREATE
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: a file descriptor for the new map, or a negative errno: -EINVAL
 * for unknown types, flags, names and fields the type does not take, or
 * BTF types that do not fit it, its type's errno for sizes it cannot
 * hold, -EBADF for no BTF file, -EACCES for the kernel's BTF, -ENOTSUPP
 * for BTF on a type it does not describe, -ENOMEM, -ENOSPC for no id left.
 */
int kbpf_map_create(union bpf_attr *attr, union bpf_attr __user *uattr,
		    unsigned int size)
{
	const struct kbpf_map_ops *ops;
	struct kbpf_map *map;
	int f_flags, err, fd;
	u32 type;

	/*
	 * Kernel types as values (struct_ops), offload, map_extra and tokens
	 * are not taken yet. As upstream, btf_fd and inner_map_fd are only
	 * read when the rest asks for them.
	 */
	if (attr->btf_vmlinux_value_type_id || attr->map_extra ||
	    attr->map_ifindex || (attr->map_flags & BPF_F_TOKEN_FD))
		return -EINVAL;
	f_flags = kbpf_map_file_flags(attr->map_flags);
	if (f_flags < 0)
		return f_flags;
	if ((attr->map_flags & BPF_F_NUMA_NODE) &&
	    (attr->numa_node >= nr_node_ids || !node_online(attr->numa_node)))
		return -EINVAL;

	type = attr->map_type;
	if (type >= ARRAY_SIZE(kbpf_map_types))
		return -EINVAL;
	ops = kbpf_map_types[array_index_nospec(type, ARRAY_SIZE(kbpf_map_types))];
	if (!ops)
		return -EINVAL;
	err = ops->check(attr);
	if (err)
		return err;

	map = ops->alloc(attr);
	if (IS_ERR(map))
		return PTR_ERR(map);
	map->ops = ops;
	err = kbpf_obj_name_copy(map->name, attr->map_name);
	if (!err)
		err = map_take_btf(map, attr);
	if (err)
		goto free;

	idr_preload(GFP_KERNEL);
	spin_lock_bh(&kbpf_map_ids_lock);
	err = idr_alloc_cyclic(&kbpf_map_ids, map, 1, INT_MAX, GFP_ATOMIC);
	spin_unlock_bh(&kbpf_map_ids_lock);
	idr_preload_end();
	if (err < 0)
		goto free;
	map->id = err;

	fd = kbpf_map_new_fd(map, f_flags);
	if (fd >= 0)
		return fd;
	kbpf_map_put(map);
	return fd;
free:
	kbpf_map_free(map);
	return err;
}

/**
 * kbpf_map_get_next() - the map with the lowest id above *@id, referenced
 * @id: in, the id to start after; out, the map's id
 *
 * Return: the map with a reference for the caller, or NULL for none.
 */
struct kbpf_map *kbpf_map_get_next(u32 *id)
{
	struct kbpf_map *map;
	int next = *id + 1;

	spin_lock_bh(&kbpf_map_ids_lock);
	do {
		map = idr_get_next(&kbpf_map_ids, &next);
		if (!map)
			break;
		next++;
	} while (!refcount_inc_not_zero(&map->refcnt));
	spin_unlock_bh(&kbpf_map_ids_lock);
	if (map)
		*id = map->id;
	return map;
}

/**
 * kbpf_map_get_id_fd() - a new file descriptor for the map of id @id
 * @id: the map's id
 * @f_flags: BPF_F_RDONLY or BPF_F_WRONLY, or 0 for both ways
 *
 * Return: the file descriptor, or -ENOENT for no such map, -EINVAL for
 * bad flags.
 */
int kbpf_map_get_id_fd(u32 id, u32 f_flags)
{
	struct kbpf_map *map;
	int flags, fd;

	flags = kbpf_map_file_flags(f_flags);
	if (flags < 0 || (f_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY)))
		return -EINVAL;
	spin_lock_bh(&kbpf_map_ids_lock);
	map = idr_find(&kbpf_map_ids, id);
	if (map && !refcount_inc_not_zero(&map->refcnt))
		map = NULL;
	if (map)
		atomic64_inc(&map->usercnt);
	spin_unlock_bh(&kbpf_map_ids_lock);
	if (!map)
		return -ENOENT;
	fd = kbpf_map_new_fd(map, flags);
	if (fd < 0)
		kbpf_map_put_uref(map);
	return fd;
}

/**
 * kbpf_map_owner_ok() - may programs of @prog_type use prog array @map?
 * @map: a map; only prog arrays have an owner
 * @prog_type: the type of a program going in or calling out of it
 *
 * The first program makes its type the array's; tail calls never cross
 * program types, whose contexts differ.
 *
 * Return: whether @prog_type is the array's type (or now became it).
 */
bool kbpf_map_owner_ok(struct kbpf_map *map, u32 prog_type)
{
	bool ok;

	if (map->desc.type != BPF_MAP_TYPE_PROG_ARRAY)
		return true;
	spin_lock(&map->owner_lock);
	if (!map->owner_prog_type)
		map->owner_prog_type = prog_type;
	ok = map->owner_prog_type == prog_type;
	spin_unlock(&map->owner_lock);
	return ok;
}

/* Under the owner lock: set *@mark unless *@refused; whether it was set. */
static bool mark_unless(struct kbpf_map *map, bool *mark, const bool *refused)
{
	bool ok;

	spin_lock(&map->owner_lock);
	ok = !*refused;
	if (ok)
		*mark = true;
	spin_unlock(&map->owner_lock);
	return ok;
}

/**
 * kbpf_map_jit_caller_ok() - may a program tail-call through prog array @map?
 * @map: a map the program uses; only prog arrays are checked
 * @jited: the program runs JITed
 *
 * JITed code jumps into its target's JITed code, so it may not tail-call
 * through an array that ever held an interpreted program, and from then
 * on the array holds JITed programs only (prog_array_sys_update()). An
 * interpreted caller runs any target in the interpreter.
 *
 * Return: whether it may; when it may and is JITed, the array is marked.
 */
bool kbpf_map_jit_caller_ok(struct kbpf_map *map, bool jited)
{
	if (map->desc.type != BPF_MAP_TYPE_PROG_ARRAY || !jited)
		return true;
	return mark_unless(map, &map->owner_jit_callers, &map->owner_interpreted);
}

/**
 * kbpf_map_may_hold() - may prog array @map take a program?
 * @map: a prog array
 * @jited: the program runs JITed
 *
 * The other side of kbpf_map_jit_caller_ok(): an interpreted program may
 * not go into an array JITed code tail-calls through.
 *
 * Return: whether it may; when it may and is interpreted, the array is
 * marked.
 */
bool kbpf_map_may_hold(struct kbpf_map *map, bool jited)
{
	if (jited)
		return true;
	return mark_unless(map, &map->owner_interpreted, &map->owner_jit_callers);
}

/* Upstream's rule: a key of a keyless map must not be given at all. */
static void *copy_key(const struct kbpf_map *map, u64 ukey)
{
	if (map->desc.key_size)
		return vmemdup_user(u64_to_user_ptr(ukey), map->desc.key_size);
	return ukey ? ERR_PTR(-EINVAL) : NULL;
}

/**
 * kbpf_map_copy_value() - the value of @key as the syscall shows it
 * @map: the map
 * @key: the key (NULL for maps without keys)
 * @value: kbpf_map_user_value_size() bytes
 *
 * Queues and stacks peek, per-CPU and fd maps have their own view, the
 * rest copy the value.
 *
 * Return: 0, -ENOENT for no such key, -EINVAL for maps without lookups.
 */
int kbpf_map_copy_value(struct kbpf_map *map, const void *key, void *value)
{
	const void *p;
	int err = 0;

	rcu_read_lock();
	if (map->ops->sys_lookup) {
		err = map->ops->sys_lookup(map, key, value);
	} else if (map->ops->peek) {
		err = map->ops->peek(map, value);
	} else if (map->ops->lookup) {
		p = map->ops->lookup(map, key);
		if (p)
			memcpy(value, p, map->desc.value_size);
		else
			err = -ENOENT;
	} else {
		err = -EINVAL;
	}
	rcu_read_unlock();
	return err;
}

/**
 * kbpf_map_lookup_elem() - BPF_MAP_LOOKUP_ELEM
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: 0 with the value at attr->value, or -EINVAL (flags, fd of no
 * map, BPF_F_LOCK: no map here has a lock), -EBADF, -EPERM, -EFAULT,
 * -ENOENT for no such key, -ENOMEM.
 */
int kbpf_map_lookup_elem(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size)
{
	struct kbpf_map *map;
	void *key, *value;
	u32 value_size;
	int err;

	if (attr->flags & ~BPF_F_LOCK)
		return -EINVAL;
	map = kbpf_map_get_fd(attr->map_fd, FMODE_READ);
	if (IS_ERR(map))
		return PTR_ERR(map);
	err = -EINVAL;
	if (attr->flags & BPF_F_LOCK)
		goto put;
	key = copy_key(map, attr->key);
	err = PTR_ERR(key);
	if (IS_ERR(key))
		goto put;
	value_size = kbpf_map_user_value_size(map);
	err = -ENOMEM;
	value = kvzalloc(value_size, GFP_USER | __GFP_NOWARN);
	if (!value)
		goto free_key;
	err = kbpf_map_copy_value(map, key, value);
	if (!err && copy_to_user(u64_to_user_ptr(attr->value), value, value_size))
		err = -EFAULT;
	kvfree(value);
free_key:
	kvfree(key);
put:
	kbpf_map_put(map);
	return err;
}

/**
 * kbpf_map_update_value() - store @value at @key from the syscall
 * @map: the map
 * @key: the key (NULL for maps without keys)
 * @value: kbpf_map_user_value_size() bytes
 * @flags: BPF_ANY, BPF_NOEXIST or BPF_EXIST
 *
 * Return: 0 or the type's errno.
 */
int kbpf_map_update_value(struct kbpf_map *map, const void *key,
			  const void *value, u64 flags)
{
	int err;

	if (map->ops->fd_values)
		return map->ops->sys_update(map, key, value, flags);
	rcu_read_lock();
	if (map->ops->sys_update)
		err = map->ops->sys_update(map, key, value, flags);
	else if (map->ops->push)
		err = map->ops->push(map, value, flags);
	else
		err = map->ops->update(map, key, value, flags);
	rcu_read_unlock();
	return err;
}

/**
 * kbpf_map_update_elem() - BPF_MAP_UPDATE_ELEM
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: 0, or -EBADF, -EINVAL (fd of no map, BPF_F_LOCK, flags the type
 * refuses), -EPERM (read-only file or frozen map), -EFAULT, and the
 * type's errno: -EEXIST, -ENOENT, -E2BIG for a full map, -ENOMEM.
 */
int kbpf_map_update_elem(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size)
{
	struct kbpf_map *map;
	void *key, *value;
	int err;

	map = kbpf_map_get_writer(attr->map_fd, FMODE_WRITE);
	if (IS_ERR(map))
		return PTR_ERR(map);
	err = -EINVAL;
	if (attr->flags & BPF_F_LOCK)
		goto put;
	key = copy_key(map, attr->key);
	err = PTR_ERR(key);
	if (IS_ERR(key))
		goto put;
	value = vmemdup_user(u64_to_user_ptr(attr->value),
			     kbpf_map_user_value_size(map));
	err = PTR_ERR(value);
	if (IS_ERR(value))
		goto free_key;
	err = kbpf_map_update_value(map, key, value, attr->flags);
	kvfree(value);
free_key:
	kvfree(key);
put:
	kbpf_map_put_writer(map);
	return err;
}

/**
 * kbpf_map_delete_key() - remove @key from the syscall
 * @map: the map
 * @key: the key
 *
 * Return: 0, -ENOENT for no such key, -EINVAL for types without deletes.
 */
int kbpf_map_delete_key(struct kbpf_map *map, const void *key)
{
	int err;

	if (map->ops->sys_delete)
		return map->ops->sys_delete(map, key);
	if (!map->ops->delete)
		return -EINVAL;
	rcu_read_lock();
	err = map->ops->delete(map, key);
	rcu_read_unlock();
	return err;
}

/**
 * kbpf_map_next_key() - the key after @key, from the syscall
 * @map: the map
 * @key: a key, or NULL for the first
 * @next: room for a key
 *
 * Return: 0, -ENOENT after the last key, -EINVAL for maps without keys.
 */
int kbpf_map_next_key(struct kbpf_map *map, const void *key, void *next)
{
	int err;

	if (!map->ops->get_next_key)
		return -EINVAL;
	rcu_read_lock();
	err = map->ops->get_next_key(map, key, next);
	rcu_read_unlock();
	return err;
}

/**
 * kbpf_map_delete_elem() - BPF_MAP_DELETE_ELEM
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: 0, or -EBADF, -EINVAL (fd of no map, types without deletes),
 * -EPERM, -EFAULT, -ENOENT for no such key.
 */
int kbpf_map_delete_elem(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size)
{
	struct kbpf_map *map;
	void *key;
	int err;

	map = kbpf_map_get_writer(attr->map_fd, FMODE_WRITE);
	if (IS_ERR(map))
		return PTR_ERR(map);
	key = copy_key(map, attr->key);
	err = PTR_ERR(key);
	if (IS_ERR(key))
		goto put;
	err = kbpf_map_delete_key(map, key);
	kvfree(key);
put:
	kbpf_map_put_writer(map);
	return err;
}

/**
 * kbpf_map_get_next_key() - BPF_MAP_GET_NEXT_KEY
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: 0 with the next key at attr->next_key, -ENOENT after the last,
 * or -EBADF, -EINVAL (fd of no map, types without keys), -EPERM, -EFAULT.
 */
int kbpf_map_get_next_key(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size)
{
	struct kbpf_map *map;
	void *key = NULL, *next;
	int err;

	map = kbpf_map_get_fd(attr->map_fd, FMODE_READ);
	if (IS_ERR(map))
		return PTR_ERR(map);
	if (attr->key) {
		key = copy_key(map, attr->key);
		err = PTR_ERR(key);
		if (IS_ERR(key))
			goto put;
	}
	err = -EINVAL;
	if (!map->ops->get_next_key)
		goto free_key;
	err = -ENOMEM;
	next = kvmalloc(map->desc.key_size, GFP_USER);
	if (!next)
		goto free_key;
	err = kbpf_map_next_key(map, key, next);
	if (!err && copy_to_user(u64_to_user_ptr(attr->next_key), next,
				 map->desc.key_size))
		err = -EFAULT;
	kvfree(next);
free_key:
	kvfree(key);
put:
	kbpf_map_put(map);
	return err;
}

/**
 * kbpf_map_lookup_and_delete_elem() - BPF_MAP_LOOKUP_AND_DELETE_ELEM
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Queues and stacks pop; hash maps copy the value out and delete the key.
 *
 * Return: 0 with the value at attr->value, or -ENOENT for nothing there,
 * -EINVAL for flags, -ENOTSUPP for types without it, -EBADF, -EPERM,
 * -EFAULT, -ENOMEM.
 */
int kbpf_map_lookup_and_delete_elem(union bpf_attr *attr,
				    union bpf_attr __user *uattr,
				    unsigned int size)
{
	struct kbpf_map *map;
	void *key, *value;
	u32 value_size;
	int err;

	if (attr->flags & ~BPF_F_LOCK)
		return -EINVAL;
	map = kbpf_map_get_writer(attr->map_fd, FMODE_READ | FMODE_WRITE);
	if (IS_ERR(map))
		return PTR_ERR(map);
	/* No map here has a lock for BPF_F_LOCK. */
	err = -EINVAL;
	if (attr->flags)
		goto put;
	/* Upstream's kernel-internal errno for the types without it. */
	err = -KBPF_ENOTSUPP;
	if (!map->ops->pop && map->desc.type != BPF_MAP_TYPE_HASH &&
	    map->desc.type != BPF_MAP_TYPE_PERCPU_HASH &&
	    map->desc.type != BPF_MAP_TYPE_LRU_HASH &&
	    map->desc.type != BPF_MAP_TYPE_LRU_PERCPU_HASH)
		goto put;
	key = copy_key(map, attr->key);
	err = PTR_ERR(key);
	if (IS_ERR(key))
		goto put;
	value_size = kbpf_map_user_value_size(map);
	err = -ENOMEM;
	value = kvzalloc(value_size, GFP_USER | __GFP_NOWARN);
	if (!value)
		goto free_key;
	if (map->ops->pop) {
		rcu_read_lock();
		err = map->ops->pop(map, value);
		rcu_read_unlock();
	} else {
		err = kbpf_map_copy_value(map, key, value);
		if (!err) {
			rcu_read_lock();
			err = map->ops->delete(map, key);
			rcu_read_unlock();
		}
	}
	if (!err && copy_to_user(u64_to_user_ptr(attr->value), value, value_size))
		err = -EFAULT;
	kvfree(value);
free_key:
	kvfree(key);
put:
	kbpf_map_put_writer(map);
	return err;
}

/*
 * A frozen array of one entry that programs may only read never changes
 * again (the syscall may not write it, nor a mapping be made writable):
 * the verifier may read its value as constants from now on.
 */
static void freeze_constant(struct kbpf_map *map)
{
	u64 addr;

	if (map->desc.type != BPF_MAP_TYPE_ARRAY ||
	    !(map->desc.flags & BPF_F_RDONLY_PROG) ||
	    map->ops->direct_value_addr(map, 0, &addr))
		return;
	WRITE_ONCE(map->desc.frozen, (const u8 *)(unsigned long)addr);
}

/**
 * kbpf_map_freeze() - BPF_MAP_FREEZE
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * After it the syscall may no longer write the map (programs may, unless
 * it was made BPF_F_RDONLY_PROG: that is what makes it constant).
 *
 * Return: 0, or -EBADF, -EINVAL, -EPERM (read-only file, or frozen
 * already), -EBUSY while writable mappings are open.
 */
int kbpf_map_freeze(union bpf_attr *attr, union bpf_attr __user *uattr,
		    unsigned int size)
{
	struct kbpf_map *map;
	int err = 0;

	map = kbpf_map_get_fd(attr->map_fd, FMODE_WRITE);
	if (IS_ERR(map))
		return PTR_ERR(map);
	mutex_lock(&map->freeze_lock);
	if (atomic64_read(&map->writable_mmaps)) {
		err = -EBUSY;
		goto unlock;
	}
	WRITE_ONCE(map->frozen, true);
	/* Pairs with kbpf_map_get_writer(): see there. */
	smp_mb();
	if (atomic64_read(&map->writers)) {
		WRITE_ONCE(map->frozen, false);
		err = -EBUSY;
		goto unlock;
	}
	freeze_constant(map);
unlock:
	mutex_unlock(&map->freeze_lock);
	kbpf_map_put(map);
	return err;
}
