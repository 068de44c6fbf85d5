// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_RINGBUF: one buffer all CPUs write records into, in the
 * order they reserve them, and one userspace reader consumes.
 *
 * The layout userspace maps is the ABI's: at offset 0 a page holding the
 * consumer position (the reader's, writable by it), then a page holding
 * the producer position, then the data, mapped twice in a row so that a
 * record running past the end reads on contiguously. Each record starts
 * with an 8-byte header (struct kbpf_ringbuf_hdr): its length, with
 * BPF_RINGBUF_BUSY_BIT while the program still writes it and
 * BPF_RINGBUF_DISCARD_BIT if it was discarded, and the header's distance
 * in pages from the start of struct kbpf_ringbuf, by which submit and
 * discard, given only the record, find their buffer. Records are 8-byte
 * aligned.
 *
 * Programs reserve under a raw spinlock (tried only, in NMI), then write
 * and commit without it. The reader's position comes from userspace and
 * is trusted for nothing but "how much room is free": no reservation may
 * cover a record that is still being written, whatever it says, because
 * that record's header is how its commit finds the buffer.
 */

#include <linux/irq_work.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "map.h"
#include "trace_helpers.h"

/**
 * struct kbpf_ringbuf_hdr - a record's header, as the ABI lays it out
 * @len: the record's bytes, and BPF_RINGBUF_BUSY_BIT, _DISCARD_BIT
 * @pg_off: pages from the start of struct kbpf_ringbuf to the header
 */
struct kbpf_ringbuf_hdr {
	u32 len;
	u32 pg_off;
};

static_assert(sizeof(struct kbpf_ringbuf_hdr) == BPF_RINGBUF_HDR_SZ);

/* Room the length field leaves beside its two flag bits. */
#define KBPF_RINGBUF_MAX_RECORD	(U32_MAX / 4)

/**
 * struct kbpf_ringbuf - the buffer, at the start of its own mapping
 * @waitq: readers waiting in poll()
 * @wakeup: wakes them from any context, NMI included
 * @lock: orders reservations
 * @mask: data size - 1
 * @pending_pos: no record before it is still being written (under @lock)
 * @pages: every page of the mapping, the data's twice
 * @consumer_pos: the reader's position, on the first page userspace maps
 * @producer_pos: the end of the last reservation, on the second
 * @data: the data, whose pages are mapped again right after it
 */
struct kbpf_ringbuf {
	wait_queue_head_t waitq;
	struct irq_work wakeup;
	raw_spinlock_t lock;
	unsigned long mask;
	unsigned long pending_pos;
	struct page **pages;

	/* What userspace maps: each position on a page of its own. */
	unsigned long consumer_pos __aligned(PAGE_SIZE);
	unsigned long producer_pos __aligned(PAGE_SIZE);
	u8 data[] __aligned(PAGE_SIZE);
};

/* Pages of struct kbpf_ringbuf before the one userspace maps at 0. */
#define KBPF_RINGBUF_PGOFF \
	(offsetof(struct kbpf_ringbuf, consumer_pos) >> PAGE_SHIFT)
/* Pages before the data. */
#define KBPF_RINGBUF_META_PAGES \
	(offsetof(struct kbpf_ringbuf, data) >> PAGE_SHIFT)

struct kbpf_ringbuf_map {
	struct kbpf_map map;
	struct kbpf_ringbuf *rb;
};

static struct kbpf_ringbuf *ringbuf_of(struct kbpf_map *map)
{
	return container_of(map, struct kbpf_ringbuf_map, map)->rb;
}

static void ringbuf_wake(struct irq_work *work)
{
	struct kbpf_ringbuf *rb = container_of(work, struct kbpf_ringbuf,
					       wakeup);

	wake_up_all(&rb->waitq);
}

static void ringbuf_free_pages(struct page **pages, u32 nr)
{
	while (nr--)
		__free_page(pages[nr]);
	kvfree(pages);
}

/*
 * The meta pages, then the data pages, then the data pages again, mapped
 * in one piece that userspace may map too (VM_USERMAP): a record that
 * wraps around the end reads without a break.
 */
static struct kbpf_ringbuf *ringbuf_map_pages(u32 nr_meta, u32 nr_data, int node)
{
	u32 nr_pages = nr_meta + 2 * nr_data, i;
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL |
			  __GFP_NOWARN | __GFP_ZERO;
	struct kbpf_ringbuf *rb;
	struct page **pages;

	pages = kvcalloc(nr_pages, sizeof(*pages), gfp);
	if (!pages)
		return NULL;
	for (i = 0; i < nr_meta + nr_data; i++) {
		pages[i] = alloc_pages_node(node, gfp, 0);
		if (!pages[i]) {
			ringbuf_free_pages(pages, i);
			return NULL;
		}
	}
	memcpy(pages + nr_meta + nr_data, pages + nr_meta,
	       nr_data * sizeof(*pages));
	rb = vmap(pages, nr_pages, VM_MAP | VM_USERMAP, PAGE_KERNEL);
	if (!rb) {
		ringbuf_free_pages(pages, nr_meta + nr_data);
		return NULL;
	}
	/*
	 * The only pointer to the page array is in the ring's own header,
	 * in vmap()ed memory, which kmemleak does not scan.
	 */
	kmemleak_not_leak(pages);
	rb->pages = pages;
	return rb;
}

/*
 * A ring of @data_size bytes; its memory is claimed while it is
 * allocated, as a map's up-front memory (kbpf_map_memory_claim()).
 */
static struct kbpf_ringbuf *ringbuf_alloc(size_t data_size, int node)
{
	struct kbpf_ringbuf *rb;

	if (!kbpf_map_memory_claim(data_size))
		return NULL;
	rb = ringbuf_map_pages(KBPF_RINGBUF_META_PAGES, data_size >> PAGE_SHIFT, node);
	kbpf_map_memory_unclaim(data_size);
	if (!rb)
		return NULL;
	init_waitqueue_head(&rb->waitq);
	init_irq_work(&rb->wakeup, ringbuf_wake);
	raw_spin_lock_init(&rb->lock);
	rb->mask = data_size - 1;
	return rb;
}

static int ringbuf_check(const union bpf_attr *attr)
{
	if (attr->map_flags & ~BPF_F_NUMA_NODE)
		return -EINVAL;
	/* A ring of whole pages, a power of two: positions wrap by mask. */
	if (attr->key_size || attr->value_size ||
	    !is_power_of_2(attr->max_entries) ||
	    !PAGE_ALIGNED(attr->max_entries))
		return -EINVAL;
	return 0;
}

static struct kbpf_map *ringbuf_map_alloc(const union bpf_attr *attr)
{
	int node = attr->map_flags & BPF_F_NUMA_NODE ? attr->numa_node :
						       NUMA_NO_NODE;
	struct kbpf_ringbuf_map *m;

	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->rb = ringbuf_alloc(attr->max_entries, node);
	if (!m->rb) {
		kfree(m);
		return ERR_PTR(-ENOMEM);
	}
	kbpf_map_init(&m->map, attr);
	return &m->map;
}

static void ringbuf_map_free(struct kbpf_map *map)
{
	struct kbpf_ringbuf *rb = ringbuf_of(map);
	struct page **pages = rb->pages;
	u32 nr = KBPF_RINGBUF_META_PAGES + ((rb->mask + 1) >> PAGE_SHIFT);

	/* No program runs any more; a last wakeup may still be queued. */
	irq_work_sync(&rb->wakeup);
	vunmap(rb);
	ringbuf_free_pages(pages, nr);
	kfree(container_of(map, struct kbpf_ringbuf_map, map));
}

/*
 * The reader may write its own position only: a writable mapping is the
 * first page alone. The rest is read-only, and stays so (the mmap code
 * clears VM_MAYWRITE).
 */
static int ringbuf_mmap(struct kbpf_map *map, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & VM_WRITE) &&
	    (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE))
		return -EPERM;
	return remap_vmalloc_range(vma, ringbuf_of(map),
				   vma->vm_pgoff + KBPF_RINGBUF_PGOFF);
}

static unsigned long ringbuf_unread(struct kbpf_ringbuf *rb)
{
	/* Pairs with the reader's release of its position. */
	unsigned long cons = smp_load_acquire(&rb->consumer_pos);
	/* Pairs with ringbuf_reserve()'s release of the new end. */
	unsigned long prod = smp_load_acquire(&rb->producer_pos);

	return prod - cons;
}

static __poll_t ringbuf_poll(struct kbpf_map *map, struct file *file,
			     struct poll_table_struct *pts)
{
	struct kbpf_ringbuf *rb = ringbuf_of(map);

	poll_wait(file, &rb->waitq, pts);
	return ringbuf_unread(rb) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* Bytes a record of @size takes, header included. */
static u32 record_len(u32 size)
{
	return round_up(size + BPF_RINGBUF_HDR_SZ, 8);
}

/*
 * Moves @rb->pending_pos past the records that are complete: the first
 * one still being written stops it.
 */
static void skip_complete(struct kbpf_ringbuf *rb, unsigned long prod)
{
	const struct kbpf_ringbuf_hdr *hdr;
	unsigned long pos = rb->pending_pos;
	u32 len;

	while (pos != prod) {
		hdr = (void *)rb->data + (pos & rb->mask);
		len = READ_ONCE(hdr->len);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		pos += record_len(len & ~BPF_RINGBUF_DISCARD_BIT);
	}
	rb->pending_pos = pos;
}

static void *ringbuf_reserve(struct kbpf_ringbuf *rb, u64 size)
{
	struct kbpf_ringbuf_hdr *hdr;
	unsigned long cons, prod, end, flags;

	if (size > KBPF_RINGBUF_MAX_RECORD || record_len(size) > rb->mask)
		return NULL;
	if (in_nmi()) {
		/* The CPU may hold it, interrupted: never wait in NMI. */
		if (!raw_spin_trylock_irqsave(&rb->lock, flags))
			return NULL;
	} else {
		raw_spin_lock_irqsave(&rb->lock, flags);
	}
	/* The reader is done with what is before its released position. */
	cons = smp_load_acquire(&rb->consumer_pos);
	prod = rb->producer_pos;
	end = prod + record_len(size);
	skip_complete(rb, prod);
	/*
	 * Less than the whole ring from what is unread, and from the oldest
	 * record being written, which the reader cannot have passed (nor
	 * can a reader that lies about its position make it be written over).
	 */
	if (end - cons > rb->mask || end - rb->pending_pos > rb->mask) {
		raw_spin_unlock_irqrestore(&rb->lock, flags);
		return NULL;
	}
	hdr = (void *)rb->data + (prod & rb->mask);
	hdr->len = size | BPF_RINGBUF_BUSY_BIT;
	hdr->pg_off = ((unsigned long)hdr - (unsigned long)rb) >> PAGE_SHIFT;
	/* The reader sees the busy header before the new end. */
	smp_store_release(&rb->producer_pos, end);
	raw_spin_unlock_irqrestore(&rb->lock, flags);
	return hdr + 1;
}

/**
 * kbpf_ringbuf_reserve() - bpf_ringbuf_reserve(): room for a record
 * @map: a ring buffer map
 * @size: bytes of the record
 * @flags: none are defined
 *
 * Return: the record, to be submitted or discarded, or NULL when the
 * ring has no room.
 */
void *kbpf_ringbuf_reserve(struct kbpf_map *map, u64 size, u64 flags)
{
	if (flags)
		return NULL;
	return ringbuf_reserve(ringbuf_of(map), size);
}

/*
 * Is the reader waiting for the record at @pos? Then it sleeps, or will
 * find this record: it needs a wakeup. Readers further behind are busy.
 */
static bool reader_is_at(struct kbpf_ringbuf *rb, unsigned long pos)
{
	/* Pairs with the reader's release of its position. */
	return (smp_load_acquire(&rb->consumer_pos) & rb->mask) ==
	       (pos & rb->mask);
}

/**
 * kbpf_ringbuf_commit() - bpf_ringbuf_submit() and bpf_ringbuf_discard()
 * @sample: a record kbpf_ringbuf_reserve() gave
 * @flags: BPF_RB_NO_WAKEUP or BPF_RB_FORCE_WAKEUP, or 0: wake the reader
 *	if it waits for this record
 * @discard: mark it discarded (the reader skips it)
 */
void kbpf_ringbuf_commit(void *sample, u64 flags, bool discard)
{
	struct kbpf_ringbuf_hdr *hdr = sample - BPF_RINGBUF_HDR_SZ;
	unsigned long base = ((unsigned long)hdr & PAGE_MASK) -
			     ((unsigned long)hdr->pg_off << PAGE_SHIFT);
	struct kbpf_ringbuf *rb = (void *)base;
	u32 len = hdr->len & ~BPF_RINGBUF_BUSY_BIT;
	unsigned long pos = (void *)hdr - (void *)rb->data;

	if (discard)
		len |= BPF_RINGBUF_DISCARD_BIT;
	/* Full barrier: the record's bytes are seen before its header. */
	xchg(&hdr->len, len);
	if (flags & BPF_RB_FORCE_WAKEUP)
		irq_work_queue(&rb->wakeup);
	else if (!(flags & BPF_RB_NO_WAKEUP) && reader_is_at(rb, pos))
		irq_work_queue(&rb->wakeup);
}

/**
 * kbpf_ringbuf_output() - bpf_ringbuf_output(): copy a record in
 * @map: a ring buffer map
 * @data: the record
 * @size: its bytes
 * @flags: as for kbpf_ringbuf_commit()
 *
 * Return: 0, -EINVAL for unknown flags, -EAGAIN when the ring is full.
 */
long kbpf_ringbuf_output(struct kbpf_map *map, const void *data, u64 size,
			 u64 flags)
{
	void *rec;

	if (flags & ~(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP))
		return -EINVAL;
	rec = ringbuf_reserve(ringbuf_of(map), size);
	if (!rec)
		return -EAGAIN;
	memcpy(rec, data, size);
	kbpf_ringbuf_commit(rec, flags, false);
	return 0;
}

/**
 * kbpf_ringbuf_query() - bpf_ringbuf_query(): the ring's state
 * @map: a ring buffer map
 * @flags: BPF_RB_AVAIL_DATA, BPF_RB_RING_SIZE, BPF_RB_CONS_POS or
 *	BPF_RB_PROD_POS
 *
 * Return: that figure, 0 for anything else.
 */
u64 kbpf_ringbuf_query(struct kbpf_map *map, u64 flags)
{
	struct kbpf_ringbuf *rb = ringbuf_of(map);

	/* Figures of a moment: plain reads, as the reader may move on. */
	switch (flags) {
	case BPF_RB_AVAIL_DATA:
		return ringbuf_unread(rb);
	case BPF_RB_RING_SIZE:
		return rb->mask + 1;
	case BPF_RB_CONS_POS:
		return READ_ONCE(rb->consumer_pos);
	case BPF_RB_PROD_POS:
		return READ_ONCE(rb->producer_pos);
	}
	return 0;
}

/*
 * A ring buffer has records, not elements: the element commands answer
 * upstream's kernel-internal -ENOTSUPP (524), as its ring buffer does.
 */
static int ringbuf_sys_lookup(struct kbpf_map *map, const void *key, void *value)
{
	return -KBPF_ENOTSUPP;
}

static int ringbuf_sys_update(struct kbpf_map *map, const void *key,
			      const void *value, u64 flags)
{
	return -KBPF_ENOTSUPP;
}

static int ringbuf_sys_delete(struct kbpf_map *map, const void *key)
{
	return -KBPF_ENOTSUPP;
}

static int ringbuf_next_key(struct kbpf_map *map, const void *key, void *next)
{
	return -KBPF_ENOTSUPP;
}

const struct kbpf_map_ops kbpf_ringbuf_ops = {
	.check = ringbuf_check,
	.alloc = ringbuf_map_alloc,
	.free = ringbuf_map_free,
	.sys_lookup = ringbuf_sys_lookup,
	.sys_update = ringbuf_sys_update,
	.sys_delete = ringbuf_sys_delete,
	.get_next_key = ringbuf_next_key,
	.mmap = ringbuf_mmap,
	.poll = ringbuf_poll,
};
