// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf's JIT in the kernel: when a verified program gets native code, and
 * the life of that code.
 *
 * The kernel's BPF JIT infrastructure (CONFIG_BPF_JIT, which
 * CONFIG_KBPF_JIT selects) does the parts every JIT shares:
 * bpf_jit_binary_pack_alloc() gives an image in executable memory and a
 * writable copy, bpf_jit_binary_pack_finalize() copies it in through the
 * kernel's text poking (the image is never writable and executable at
 * once), and struct bpf_ksym makes each function of the image known to
 * kallsyms, __kernel_text_address() and so the unwinders and perf.
 * net.core.bpf_jit_enable decides, at each load, whether a program is
 * JITed.
 *
 * A program the arch JIT does not take, or whose JIT fails for any reason
 * (memory, size, a helper out of reach), runs in the interpreter: the
 * load never fails because of the JIT. Each such fallback is counted.
 *
 * Every step of compiling that can fail can be made to, with fault
 * injection (/sys/kernel/debug/fail_kbpf_jit, CONFIG_FAULT_INJECTION_DEBUG_FS):
 * the selftests prove each one falls back and, in the debug flavour,
 * leaks nothing.
 *
 * An image is published with the program (its symbols appear, perf is
 * told) and goes in two steps: its symbols when the last reference goes,
 * its memory after the grace period that lets running programs finish.
 */

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/filter.h>
#include <linux/kallsyms.h>
#include <linux/perf_event.h>
#include <linux/slab.h>
#include <linux/sprintf.h>

#include "jit.h"
#include "jit_image.h"
#include "prog.h"
#include "prog_btf.h"

/* Loads that asked for the JIT and run interpreted (kernel.kbpf_jit_fallbacks). */
static atomic64_t kbpf_jit_fallbacks = ATOMIC64_INIT(0);

static DECLARE_FAULT_ATTR(fail_kbpf_jit);

static int __init fail_kbpf_jit_debugfs(void)
{
	/* Without CONFIG_FAULT_INJECTION_DEBUG_FS there is nothing to make. */
	fault_create_debugfs_attr("fail_kbpf_jit", NULL, &fail_kbpf_jit);
	return 0;
}
late_initcall(fail_kbpf_jit_debugfs);

/* -ENOMEM when fault injection says this step fails, else 0. */
static int injected(void)
{
	return should_fail(&fail_kbpf_jit, 1) ? -ENOMEM : 0;
}

/**
 * struct kbpf_jit_sym - one function of an image, as kallsyms knows it
 * @ksym: its symbol and address range
 * @len: its bytes of code
 * @tag: the tag of its instructions (bpf_prog_info's prog_tags)
 */
struct kbpf_jit_sym {
	struct bpf_ksym ksym;
	u32 len;
	u8 tag[KBPF_TAG_SIZE];
};

/**
 * struct kbpf_jit_image - a program's native code
 * @hdr: the allocation, in executable memory
 * @code: where the code starts (the main function's entry)
 * @size: bytes of code
 * @published: its symbols are in kallsyms
 * @nr_funcs: entries in @funcs
 * @funcs: its functions, in image order
 */
struct kbpf_jit_image {
	struct bpf_binary_header *hdr;
	u8 *code;
	u32 size;
	bool published;
	u32 nr_funcs;
	struct kbpf_jit_sym funcs[] __counted_by(nr_funcs);
};

/*
 * Upstream's symbol: bpf_prog_<tag>_<function's name in BTF>, or without
 * func_info bpf_prog_<tag>_<name>, subprograms adding _F<n>.
 */
static void name_func(struct kbpf_jit_sym *sym, const struct kbpf_prog *prog,
		      u32 n)
{
	const char *func = kbpf_prog_func_name(prog, n);
	char *s = sym->ksym.name;
	int len;

	len = snprintf(s, KSYM_NAME_LEN, "bpf_prog_%*phN", KBPF_TAG_SIZE,
		       prog->tag);
	if (func) {
		snprintf(s + len, KSYM_NAME_LEN - len, "_%s", func);
		return;
	}
	if (prog->name[0])
		len += snprintf(s + len, KSYM_NAME_LEN - len, "_%s", prog->name);
	if (n)
		snprintf(s + len, KSYM_NAME_LEN - len, "_F%u", n);
}

/* The arch JIT's code for @run, in executable memory; NULL to interpret. */
static struct kbpf_jit_image *compile(struct kbpf_interp_prog *run,
				      const struct kbpf_jit_call *calls, int *err)
{
	struct bpf_binary_header *rw_hdr = NULL;
	struct kbpf_jit_image *img = NULL;
	struct kbpf_jit_prog jp;
	u8 *rw_code;
	u32 i;

	*err = kbpf_jit_plan(&jp, run);
	jp.calls = calls;
	if (!*err)
		*err = injected() ?: kbpf_arch_jit_size(&jp);
	if (*err)
		goto out;
	img = injected() ? NULL :
	      kzalloc(struct_size(img, funcs, jp.nr_funcs), GFP_KERNEL_ACCOUNT);
	if (!img) {
		*err = -ENOMEM;
		goto out;
	}
	img->nr_funcs = jp.nr_funcs;
	img->size = jp.size;
	img->hdr = injected() ? NULL :
		   bpf_jit_binary_pack_alloc(jp.size, &img->code,
					     BPF_IMAGE_ALIGNMENT, &rw_hdr, &rw_code,
					     kbpf_arch_jit_fill_hole, false);
	if (!img->hdr) {
		*err = -ENOMEM;
		goto out;
	}
	jp.image = img->code;
	jp.buf = rw_code;
	*err = injected() ?: kbpf_arch_jit_emit(&jp);
	/*
	 * Finalizing copies the writable image in and frees it; only then
	 * does the executable one know its size, which freeing it needs.
	 * Code that failed to emit is copied but never published.
	 */
	if (bpf_jit_binary_pack_finalize(img->hdr, rw_hdr)) {
		*err = *err ?: -EFAULT;
		goto out;	/* it freed both */
	}
	if (*err) {
		bpf_jit_binary_pack_free(img->hdr, NULL);
		goto out;
	}
	for (i = 0; i < jp.nr_funcs; i++) {
		struct kbpf_jit_sym *sym = &img->funcs[i];

		/* Only programs with subprograms report a tag per function. */
		if (jp.nr_funcs > 1)
			*err = injected() ?:
			       kbpf_insns_tag(run->insns + jp.funcs[i].start,
					      jp.funcs[i].end - jp.funcs[i].start,
					      true, sym->tag);
		if (*err) {
			bpf_jit_binary_pack_free(img->hdr, NULL);
			goto out;
		}
		sym->ksym.start = (unsigned long)img->code + jp.funcs[i].image_off;
		sym->ksym.end = sym->ksym.start + jp.funcs[i].image_len;
		sym->len = jp.funcs[i].image_len;
		INIT_LIST_HEAD_RCU(&sym->ksym.lnode);
	}
	run->jit_tail_entry = img->code + jp.tail_entry;
out:
	kbpf_arch_jit_free(&jp);
	kbpf_jit_plan_free(&jp);
	if (*err) {
		kfree(img);
		return NULL;
	}
	return img;
}

/**
 * kbpf_jit_prog() - give a verified, lowered program native code
 * @prog: the program, before it is published
 *
 * When net.core.bpf_jit_enable is on. Any failure leaves the program to
 * the interpreter and is counted; none fails the load.
 */
void kbpf_jit_prog(struct kbpf_prog *prog)
{
	struct kbpf_jit_image *img;
	u32 i;
	int err;

	if (!READ_ONCE(bpf_jit_enable))
		return;
	img = compile(&prog->run, prog->jit_calls, &err);
	if (!img) {
		atomic64_inc(&kbpf_jit_fallbacks);
		pr_debug("kbpf: program %s runs interpreted: JIT error %d\n",
			 prog->name, err);
		return;
	}
	for (i = 0; i < img->nr_funcs; i++)
		name_func(&img->funcs[i], prog, i);
	prog->jit = img;
	prog->jit_entry = (kbpf_jit_entry_fn)img->code;
}

static void free_image(struct kbpf_jit_image *img)
{
	bpf_jit_binary_pack_free(img->hdr, NULL);
	kfree(img);
}

/**
 * kbpf_jit_exec() - compile a program, run it once, free the code
 * @prog: a program kbpf_interp_prepare() accepted
 * @args: r1, r2, ...
 * @nr_args: entries in @args, at most 5
 * @r0: the program's r0
 *
 * For tests that run the same program through the interpreter and the
 * JIT (the KUnit opcode suite).
 *
 * Return: 0, or the JIT's error (-EOPNOTSUPP for a program it leaves to
 * the interpreter).
 */
int kbpf_jit_exec(struct kbpf_interp_prog *prog, const u64 *args, u32 nr_args,
		  u64 *r0)
{
	struct kbpf_jit_run run = {};
	struct kbpf_jit_image *img;
	kbpf_jit_entry_fn entry;
	u64 r[5] = {};
	int err;

	img = compile(prog, NULL, &err);
	if (!img)
		return err;
	memcpy(r, args, min(nr_args, 5U) * sizeof(u64));
	entry = (kbpf_jit_entry_fn)img->code;
	*r0 = entry(r[0], r[1], r[2], r[3], r[4], &run);
	prog->jit_tail_entry = NULL;
	free_image(img);
	return 0;
}

/**
 * kbpf_jit_drop() - let a program not yet published run interpreted
 * @prog: the program
 *
 * Counted as a fallback.
 */
void kbpf_jit_drop(struct kbpf_prog *prog)
{
	kbpf_jit_free(prog);
	prog->run.jit_tail_entry = NULL;
	atomic64_inc(&kbpf_jit_fallbacks);
}

/**
 * kbpf_jit_publish() - make a published program's code known by name
 * @prog: the program, now with an id
 *
 * Its functions go into kallsyms, and perf records a PERF_RECORD_KSYMBOL
 * for each, so stacks through them name them.
 */
void kbpf_jit_publish(struct kbpf_prog *prog)
{
	struct kbpf_jit_image *img = prog->jit;
	u32 i;

	if (!img)
		return;
	for (i = 0; i < img->nr_funcs; i++) {
		struct kbpf_jit_sym *sym = &img->funcs[i];

		bpf_ksym_add(&sym->ksym);
		perf_event_ksymbol(PERF_RECORD_KSYMBOL_TYPE_BPF, sym->ksym.start,
				   sym->len, false, sym->ksym.name);
	}
	img->published = true;
}

/**
 * kbpf_jit_unpublish() - forget a program's code by name
 * @prog: the program, its last reference gone
 *
 * Before the grace period after which kbpf_jit_free() frees the code, so
 * no lookup of kallsyms can find a freed symbol.
 */
void kbpf_jit_unpublish(struct kbpf_prog *prog)
{
	struct kbpf_jit_image *img = prog->jit;
	u32 i;

	if (!img || !img->published)
		return;
	for (i = 0; i < img->nr_funcs; i++) {
		struct kbpf_jit_sym *sym = &img->funcs[i];

		perf_event_ksymbol(PERF_RECORD_KSYMBOL_TYPE_BPF, sym->ksym.start,
				   sym->len, true, sym->ksym.name);
		bpf_ksym_del(&sym->ksym);
	}
	img->published = false;
}

/**
 * kbpf_jit_free() - free a program's code
 * @prog: the program, after a grace period since kbpf_jit_unpublish()
 */
void kbpf_jit_free(struct kbpf_prog *prog)
{
	struct kbpf_jit_image *img = prog->jit;

	if (!img)
		return;
	free_image(img);
	prog->jit = NULL;
	prog->jit_entry = NULL;
}

/**
 * kbpf_jit_info() - what bpf_prog_info says of a program's code
 * @prog: the program
 * @info: its jited_prog_len, nr_jited_ksyms, nr_jited_func_lens and, for
 *	more than one function, nr_prog_tags set
 * @in: what userspace gave: buffers for the code, addresses, lengths, tags
 * @raw: the caller may see kernel addresses (kallsyms_show_value())
 *
 * Code, addresses and function lengths go only to those who may see
 * kernel addresses; for the others their buffers are left alone and the
 * pointers in @info are 0, as upstream.
 *
 * Return: 0 or -EFAULT.
 */
int kbpf_jit_info(const struct kbpf_prog *prog, struct bpf_prog_info *info,
		  const struct bpf_prog_info *in, bool raw)
{
	const struct kbpf_jit_image *img = prog->jit;
	u64 __user *ksyms = u64_to_user_ptr(in->jited_ksyms);
	u32 __user *lens = u64_to_user_ptr(in->jited_func_lens);
	u8 (__user *tags)[BPF_TAG_SIZE] = u64_to_user_ptr(in->prog_tags);
	u32 i;

	if (!img)
		return 0;
	info->jited_prog_len = img->size;
	info->nr_jited_ksyms = img->nr_funcs;
	info->nr_jited_func_lens = img->nr_funcs;
	if (in->jited_prog_len) {
		if (!raw)
			info->jited_prog_insns = 0;
		else if (in->jited_prog_insns &&
			 copy_to_user(u64_to_user_ptr(in->jited_prog_insns),
				      img->code, min(in->jited_prog_len, img->size)))
			return -EFAULT;
	}
	/* prog_info() has set their pointers for a caller who may not see. */
	if (!raw) {
		ksyms = NULL;
		lens = NULL;
	}
	for (i = 0; ksyms && i < min(in->nr_jited_ksyms, img->nr_funcs); i++)
		if (put_user(img->funcs[i].ksym.start, &ksyms[i]))
			return -EFAULT;
	for (i = 0; lens && i < min(in->nr_jited_func_lens, img->nr_funcs); i++)
		if (put_user(img->funcs[i].len, &lens[i]))
			return -EFAULT;
	/* One tag per function, as upstream for programs with subprograms. */
	if (img->nr_funcs == 1)
		return 0;
	info->nr_prog_tags = img->nr_funcs;
	for (i = 0; tags && i < min(in->nr_prog_tags, img->nr_funcs); i++)
		if (copy_to_user(tags[i], img->funcs[i].tag, BPF_TAG_SIZE))
			return -EFAULT;
	return 0;
}

/**
 * kbpf_jit_func_addr() - where a JITed program's function starts
 * @prog: a JITed program
 * @func: the function's index, 0 for the main one
 *
 * Return: its address, or NULL when @prog has no such function.
 */
const void *kbpf_jit_func_addr(const struct kbpf_prog *prog, u32 func)
{
	if (!prog->jit || func >= prog->jit->nr_funcs)
		return NULL;
	return (const void *)prog->jit->funcs[func].ksym.start;
}

/**
 * kbpf_jit_fallbacks_read() - loads that asked for the JIT and got none
 *
 * Return: their number since boot.
 */
u64 kbpf_jit_fallbacks_read(void)
{
	return atomic64_read(&kbpf_jit_fallbacks);
}
