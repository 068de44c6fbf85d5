/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps as kernel objects: what every map has, the operations each type
 * gives, and the bpf(2) commands that reach them.
 *
 * Programs and the syscall reach a map through the same operations table.
 * The program-side operations (lookup, update, delete, push, pop, peek)
 * run under rcu_read_lock() with migration disabled, in whatever context
 * the program runs; the syscall-side ones run in process context under
 * rcu_read_lock() too, for the same locks.
 */
#ifndef _KBPF_MAP_H
#define _KBPF_MAP_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <uapi/linux/bpf.h>

#include "verifier.h"

struct file;
struct poll_table_struct;
struct kbpf_btf;
struct kbpf_map;
struct vm_area_struct;

/* The creation flags every type refuses or takes the same way. */
#define KBPF_MAP_ACCESS_FLAGS	(BPF_F_RDONLY | BPF_F_WRONLY | \
				 BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)

/**
 * struct kbpf_map_ops - what a map type does
 * @check: refuse a BPF_MAP_CREATE attr the type cannot take, with its errno
 * @alloc: a new map for a checked attr, or an ERR_PTR()
 * @free: free the map; no program and no syscall uses it any more
 * @lookup: program side: the value of @key, or NULL
 * @update: program side: store @value at @key under BPF_ANY/NOEXIST/EXIST
 * @delete: program side: remove @key
 * @push: program side: add @value (BPF_EXIST: drop the oldest when full)
 * @pop: program side: take the next value into @value
 * @peek: program side: copy the next value into @value, keeping it
 * @get_next_key: the key after @key (the first one when @key is NULL or
 *	not in the map) into @next
 * @sys_lookup: syscall side, for types whose userspace view of a value
 *	is not the program's (per-CPU values, file descriptors)
 * @sys_update: the same for updates
 * @sys_delete: the same for deletes
 * @release_uref: the last userspace reference is gone (prog arrays empty
 *	themselves so that programs holding each other are freed)
 * @direct_value_addr: the address of the value byte at @off, for
 *	BPF_PSEUDO_MAP_VALUE loads; 0 or -EINVAL
 * @mmap: map the values into userspace
 * @poll: poll() on the map's file: is there something to read?
 * @tail_call_slot: for prog arrays, the slot @index or NULL
 * @flat_values: where the values lie when every key below max_entries
 *	has its value at that address + key * @elem_size, which @lookup
 *	gives (the JIT inlines such lookups); NULL for other types
 * @lookup_batch: BPF_MAP_LOOKUP_BATCH, and with @delete
 *	LOOKUP_AND_DELETE_BATCH (only types with @delete_batch)
 * @update_batch: BPF_MAP_UPDATE_BATCH
 * @delete_batch: BPF_MAP_DELETE_BATCH
 * @fd_values: the syscall's values are file descriptors (prog arrays, maps
 *	of maps): @sys_update resolves them and may sleep, so it runs
 *	outside RCU
 *
 * Members a type does not have are NULL; the commands and the verifier
 * refuse what would need them.
 */
struct kbpf_map_ops {
	int (*check)(const union bpf_attr *attr);
	struct kbpf_map *(*alloc)(const union bpf_attr *attr);
	void (*free)(struct kbpf_map *map);
	void *(*lookup)(struct kbpf_map *map, const void *key);
	long (*update)(struct kbpf_map *map, const void *key, const void *value,
		       u64 flags);
	long (*delete)(struct kbpf_map *map, const void *key);
	long (*push)(struct kbpf_map *map, const void *value, u64 flags);
	long (*pop)(struct kbpf_map *map, void *value);
	long (*peek)(struct kbpf_map *map, void *value);
	int (*get_next_key)(struct kbpf_map *map, const void *key, void *next);
	int (*sys_lookup)(struct kbpf_map *map, const void *key, void *value);
	int (*sys_update)(struct kbpf_map *map, const void *key,
			  const void *value, u64 flags);
	int (*sys_delete)(struct kbpf_map *map, const void *key);
	void (*release_uref)(struct kbpf_map *map);
	int (*direct_value_addr)(const struct kbpf_map *map, u32 off, u64 *addr);
	int (*mmap)(struct kbpf_map *map, struct vm_area_struct *vma);
	__poll_t (*poll)(struct kbpf_map *map, struct file *file,
			 struct poll_table_struct *pts);
	void *(*tail_call_slot)(struct kbpf_map *map, u32 index);
	void *(*flat_values)(const struct kbpf_map *map, u32 *elem_size);
	int (*lookup_batch)(struct kbpf_map *map, const union bpf_attr *attr,
			    union bpf_attr __user *uattr, bool delete);
	int (*update_batch)(struct kbpf_map *map, const union bpf_attr *attr,
			    union bpf_attr __user *uattr);
	int (*delete_batch)(struct kbpf_map *map, const union bpf_attr *attr,
			    union bpf_attr __user *uattr);
	bool fd_values;
};

/**
 * struct kbpf_map - a map
 * @desc: type, sizes and flags: all the verifier sees of it
 * @ops: its type's operations
 * @refcnt: references: files, pins, programs using it
 * @usercnt: the userspace ones among them (files and pins)
 * @id: its global id (BPF_MAP_GET_FD_BY_ID)
 * @name: attr->map_name
 * @frozen: BPF_MAP_FREEZE was done: the syscall may no longer write it
 * @writable_mmaps: writable mappings of it now (freeze waits for none)
 * @writers: syscall writes under way (a freeze meeting one fails)
 * @freeze_lock: orders freezing against new writable mappings
 * @owner_prog_type: for prog arrays, the type of the programs it may
 *	hold and be called from (0 until the first one)
 * @owner_jit_callers: for prog arrays, JITed code tail-calls through it:
 *	it may hold only JITed programs
 * @owner_interpreted: for prog arrays, it held an interpreted program:
 *	JITed code may not tail-call through it
 * @owner_lock: guards the three
 * @free_work: frees it from process context, a grace period after the
 *	last reference (programs may still hold it: maps of maps give maps
 *	to programs without a reference)
 */
struct kbpf_map {
	struct kbpf_map_desc desc;
	const struct kbpf_map_ops *ops;
	refcount_t refcnt;
	atomic64_t usercnt;
	u32 id;
	char name[BPF_OBJ_NAME_LEN];
	bool frozen;
	atomic64_t writable_mmaps;
	atomic64_t writers;
	struct mutex freeze_lock;	/* frozen vs. writable_mmaps */
	u32 owner_prog_type;
	bool owner_jit_callers;
	bool owner_interpreted;
	spinlock_t owner_lock;		/* owner_* */
	struct rcu_work free_work;
	struct kbpf_btf *btf;
	u32 btf_key_type_id;
	u32 btf_value_type_id;
};

extern const struct kbpf_map_ops kbpf_array_ops;
extern const struct kbpf_map_ops kbpf_percpu_array_ops;
extern const struct kbpf_map_ops kbpf_prog_array_ops;
extern const struct kbpf_map_ops kbpf_hash_ops;
extern const struct kbpf_map_ops kbpf_percpu_hash_ops;
extern const struct kbpf_map_ops kbpf_lru_hash_ops;
extern const struct kbpf_map_ops kbpf_lru_percpu_hash_ops;
extern const struct kbpf_map_ops kbpf_lpm_trie_ops;
extern const struct kbpf_map_ops kbpf_array_of_maps_ops;
extern const struct kbpf_map_ops kbpf_hash_of_maps_ops;
extern const struct kbpf_map_ops kbpf_queue_ops;
extern const struct kbpf_map_ops kbpf_stack_ops;
extern const struct kbpf_map_ops kbpf_perf_event_array_ops;
extern const struct kbpf_map_ops kbpf_stack_trace_ops;
extern const struct kbpf_map_ops kbpf_ringbuf_ops;

bool kbpf_map_memory_claim(u64 bytes);
void kbpf_map_memory_unclaim(u64 bytes);
int kbpf_map_yield(void);
void *kbpf_map_area_alloc(u64 size, bool user);
void __percpu *kbpf_map_percpu_value_alloc(u32 size);
void kbpf_map_init(struct kbpf_map *map, const union bpf_attr *attr);
int kbpf_map_check_common(const union bpf_attr *attr);
u32 kbpf_map_user_value_size(const struct kbpf_map *map);
bool kbpf_map_is_percpu(u32 type);
void kbpf_map_get(struct kbpf_map *map);
void kbpf_map_put(struct kbpf_map *map);
void kbpf_map_get_uref(struct kbpf_map *map);
void kbpf_map_put_uref(struct kbpf_map *map);
int kbpf_map_file_flags(u32 flags);
int kbpf_map_new_fd(struct kbpf_map *map, int flags);
struct kbpf_map *kbpf_map_get_fd(int fd, fmode_t mode);
struct kbpf_map *kbpf_map_get_writer(int fd, fmode_t mode);
void kbpf_map_put_writer(struct kbpf_map *map);
bool kbpf_map_owner_ok(struct kbpf_map *map, u32 prog_type);
bool kbpf_map_jit_caller_ok(struct kbpf_map *map, bool jited);
bool kbpf_map_may_hold(struct kbpf_map *map, bool jited);
struct kbpf_map *kbpf_map_from_desc(const struct kbpf_map_desc *desc);
struct kbpf_map *kbpf_map_get_next(u32 *id);

int kbpf_map_copy_value(struct kbpf_map *map, const void *key, void *value);
int kbpf_map_update_value(struct kbpf_map *map, const void *key,
			  const void *value, u64 flags);
int kbpf_map_delete_key(struct kbpf_map *map, const void *key);
int kbpf_map_next_key(struct kbpf_map *map, const void *key, void *next);
int kbpf_array_get_next_key(struct kbpf_map *map, const void *key, void *next);
int kbpf_map_walk_lookup_batch(struct kbpf_map *map, const union bpf_attr *attr,
			       union bpf_attr __user *uattr);
int kbpf_map_keywise_update_batch(struct kbpf_map *map,
				  const union bpf_attr *attr,
				  union bpf_attr __user *uattr);
int kbpf_map_keywise_delete_batch(struct kbpf_map *map,
				  const union bpf_attr *attr,
				  union bpf_attr __user *uattr);

int kbpf_map_create(union bpf_attr *attr, union bpf_attr __user *uattr,
		    unsigned int size);
int kbpf_map_lookup_elem(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size);
int kbpf_map_update_elem(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size);
int kbpf_map_delete_elem(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size);
int kbpf_map_get_next_key(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size);
int kbpf_map_lookup_and_delete_elem(union bpf_attr *attr,
				    union bpf_attr __user *uattr,
				    unsigned int size);
int kbpf_map_freeze(union bpf_attr *attr, union bpf_attr __user *uattr,
		    unsigned int size);
int kbpf_map_lookup_batch(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size);
int kbpf_map_lookup_and_delete_batch(union bpf_attr *attr,
				     union bpf_attr __user *uattr,
				     unsigned int size);
int kbpf_map_update_batch(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size);
int kbpf_map_delete_batch(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size);

#endif /* _KBPF_MAP_H */
