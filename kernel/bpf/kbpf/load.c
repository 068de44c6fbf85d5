// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_LOAD: from the attr to a verified program behind a file
 * descriptor.
 *
 * The checks run in upstream's order, so a bad load gets the errno it
 * would get on a stock kernel: flags, instruction count, the copies of the
 * instructions and the license, the program type, the name; then the
 * verifier, whose log goes to attr->log_buf with upstream's rules and
 * whose needed size goes back in attr->log_true_size.
 *
 * The program types are those kbpf has contexts and helpers for. Its BTF
 * (func_info, line_info) is checked once the verifier's structural pass
 * has found the functions (prog_btf.c); in-kernel CO-RE relocations,
 * attach BTF ids and tokens are not taken yet.
 *
 * Maps are named by file descriptor (BPF_PSEUDO_MAP_FD, _VALUE) or by
 * index into attr->fd_array (BPF_PSEUDO_MAP_IDX, _IDX_VALUE). The verifier
 * asks for each as it meets it; the program takes a reference to every
 * map once, and lowering puts the map's address, or its value's, into
 * the instruction.
 */

#include <crypto/sha1.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/unaligned.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>
/* After string.h, which it uses without including. */
#include <linux/license.h>

#include "jit.h"
#include "jit_image.h"
#include "map.h"
#include "object.h"
#include "prog.h"
#include "prog_btf.h"
#include "run.h"
#include "verifier.h"

/* Flags that change nothing here: kbpf checks alignment its own way. */
#define KBPF_PROG_LOAD_FLAGS	(BPF_F_STRICT_ALIGNMENT | BPF_F_ANY_ALIGNMENT | \
				 BPF_F_TEST_RND_HI32 | BPF_F_TEST_STATE_FREQ | \
				 BPF_F_TEST_REG_INVARIANTS | BPF_F_SLEEPABLE)

/* Upstream's longest license string, NUL included. */
#define KBPF_LICENSE_LEN	128

static bool prog_type_supported(u32 type)
{
	switch (type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
		return true;
	}
	return false;
}

/*
 * Program types that read kernel memory and see every task's events: as
 * upstream, loading one takes CAP_PERFMON, not CAP_BPF alone (whether or
 * not kbpf has the type: upstream answers EPERM before EINVAL).
 */
static bool prog_type_needs_perfmon(u32 type)
{
	switch (type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_LSM:
	case BPF_PROG_TYPE_STRUCT_OPS:
	case BPF_PROG_TYPE_EXT:
		return true;
	}
	return false;
}

/*
 * A verification and its log, on the heap: the log's formatting buffer
 * alone is 1 KiB, too much for the syscall's stack. The maps the program
 * uses are gathered here as the verifier names them.
 */
struct load_verification {
	struct kbpf_verifier_env env;
	struct kbpf_log log;
	struct kbpf_prog *prog;
	const union bpf_attr *attr;
	u32 max_maps;
};

/* Upstream's limit of maps one program may use. */
#define KBPF_MAX_USED_MAPS	64

/* Keeps @map's reference in the program's used maps, or drops it. */
static int add_used_map(struct load_verification *v, struct kbpf_map *map)
{
	struct kbpf_prog *prog = v->prog;
	struct kbpf_map **maps;
	u32 i, max;

	for (i = 0; i < prog->nr_used_maps; i++) {
		if (prog->used_maps[i] == map) {
			kbpf_map_put(map);
			return 0;
		}
	}
	if (prog->nr_used_maps == KBPF_MAX_USED_MAPS) {
		kbpf_log(&v->log, "too many maps: at most %d\n", KBPF_MAX_USED_MAPS);
		kbpf_map_put(map);
		return -E2BIG;
	}
	if (prog->nr_used_maps == v->max_maps) {
		max = v->max_maps ? v->max_maps * 2 : 4;
		maps = krealloc_array(prog->used_maps, max, sizeof(*maps),
				      GFP_KERNEL_ACCOUNT);
		if (!maps) {
			kbpf_map_put(map);
			return -ENOMEM;
		}
		prog->used_maps = maps;
		v->max_maps = max;
	}
	prog->used_maps[prog->nr_used_maps++] = map;
	return 0;
}

/* The verifier's find_map: the map an LD_IMM64 names, referenced by @owner. */
static const struct kbpf_map_desc *find_map(void *owner, u8 src, s32 imm)
{
	struct load_verification *v = owner;
	struct kbpf_map *map;
	int fd = imm, err;

	if (src == BPF_PSEUDO_MAP_IDX || src == BPF_PSEUDO_MAP_IDX_VALUE) {
		if (!v->attr->fd_array) {
			kbpf_log(&v->log, "fd_array index %d without fd_array\n", imm);
			return ERR_PTR(-EPROTO);
		}
		if (imm < 0 ||
		    copy_from_user(&fd, u64_to_user_ptr(v->attr->fd_array) +
				   (u64)imm * sizeof(fd), sizeof(fd)))
			return ERR_PTR(-EFAULT);
	}
	map = kbpf_map_get_fd(fd, 0);
	if (IS_ERR(map))
		return ERR_CAST(map);
	if (!kbpf_map_owner_ok(map, v->prog->type)) {
		kbpf_log(&v->log, "prog array %u holds programs of type %u\n",
			 map->id, map->owner_prog_type);
		kbpf_map_put(map);
		return ERR_PTR(-EINVAL);
	}
	err = add_used_map(v, map);
	if (err)
		return ERR_PTR(err);
	return &map->desc;
}

/* Map and map value addresses into the LD_IMM64s that name maps. */
static void lower_maps(const struct kbpf_verifier_env *env,
		       struct bpf_insn *insns)
{
	u32 i;

	for (i = 0; i < env->len; i++) {
		struct kbpf_map *map;
		u64 addr;

		if (!env->aux[i].map)
			continue;
		map = kbpf_map_from_desc(env->aux[i].map);
		addr = (unsigned long)map;
		if (insns[i].src_reg == BPF_PSEUDO_MAP_VALUE ||
		    insns[i].src_reg == BPF_PSEUDO_MAP_IDX_VALUE)
			/* The structural pass checked the offset. */
			map->ops->direct_value_addr(map, insns[i + 1].imm, &addr);
		insns[i].src_reg = 0;
		insns[i].imm = (u32)addr;
		insns[i + 1].imm = addr >> 32;
	}
}

/*
 * The map object behind @desc when it is one the program names (and so
 * holds); NULL for what a map of maps gives, whose desc describes every
 * map the outer one may hold, not one of them.
 */
static struct kbpf_map *named_map(const struct kbpf_prog *prog,
				  const struct kbpf_map_desc *desc)
{
	u32 i;

	for (i = 0; i < prog->nr_used_maps; i++)
		if (&prog->used_maps[i]->desc == desc)
			return prog->used_maps[i];
	return NULL;
}

/*
 * Helper calls always given the same map call that map type's own
 * function (no indirect call through its ops), and lookups in plain
 * arrays are inlined: facts for the JIT, which kbpf_prog_load() drops
 * once the JIT has used them.
 */
static int bind_calls(struct kbpf_prog *prog, const struct kbpf_verifier_env *env)
{
	struct kbpf_jit_call *calls = NULL;
	u32 i;

	if (!IS_ENABLED(CONFIG_KBPF_JIT))
		return 0;
	for (i = 0; i < env->len; i++) {
		const struct bpf_insn *insn = &prog->insns[i];
		struct kbpf_jit_call *c;
		struct kbpf_map *map;

		if (insn->code != (BPF_JMP | BPF_CALL) || insn->src_reg ||
		    !env->aux[i].call_map ||
		    (env->aux[i].flags & KBPF_AUX_CALL_MAPS))
			continue;
		if (insn->imm != BPF_FUNC_map_lookup_elem &&
		    insn->imm != BPF_FUNC_map_update_elem &&
		    insn->imm != BPF_FUNC_map_delete_elem)
			continue;
		map = named_map(prog, env->aux[i].call_map);
		if (!map)
			continue;
		if (!calls) {
			calls = kvcalloc(env->len, sizeof(*calls), GFP_KERNEL);
			if (!calls)
				return -ENOMEM;
			prog->jit_calls = calls;
		}
		c = &calls[i];
		if (insn->imm == BPF_FUNC_map_update_elem) {
			c->fn = map->ops->update;
		} else if (insn->imm == BPF_FUNC_map_delete_elem) {
			c->fn = map->ops->delete;
		} else {
			c->fn = map->ops->lookup;
			if (map->ops->flat_values) {
				c->values = map->ops->flat_values(map, &c->elem_size);
				c->max_entries = map->desc.max_entries;
			}
		}
	}
	return 0;
}

/* What the verifier found that running needs. */
static int lower(struct kbpf_prog *prog, const struct kbpf_verifier_env *env)
{
	prog->verified_insns = env->insns_processed;
	prog->ctx_end = env->ctx_end;
	kbpf_lower_calls(env, prog->insns);
	lower_maps(env, prog->insns);
	prog->run.insns = prog->insns;
	prog->run.len = prog->len;
	prog->run.stack_depth = env->subprogs[0].stack_depth;
	prog->run.ops = kbpf_runtime_ops(prog->type);
	return bind_calls(prog, env) ?: kbpf_interp_prepare(&prog->run);
}

static bool is_map_fd_load(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       (insn->src_reg == BPF_PSEUDO_MAP_FD ||
		insn->src_reg == BPF_PSEUDO_MAP_VALUE);
}

/**
 * kbpf_insns_tag() - upstream's tag of some instructions
 * @insns: the instructions
 * @len: slots in @insns
 * @lowered: they were lowered: every LD_IMM64's value is zeroed (map
 *	addresses differ from load to load); else only map fd loads' imms
 *	(fds differ from process to process), as upstream at load
 * @tag: the first KBPF_TAG_SIZE bytes of their SHA-1
 *
 * Return: 0 or -ENOMEM.
 */
int kbpf_insns_tag(const struct bpf_insn *insns, u32 len, bool lowered, u8 *tag)
{
	u32 digest[SHA1_DIGEST_WORDS], ws[SHA1_WORKSPACE_WORDS];
	u32 size = len * sizeof(struct bpf_insn), total, i;
	__be32 out[SHA1_DIGEST_WORDS];
	struct bpf_insn *copy;
	u8 *buf;

	/* The message, 0x80, zeroes, and its length in bits: whole blocks. */
	total = round_up(size + 1 + sizeof(__be64), SHA1_BLOCK_SIZE);
	buf = kvzalloc(total, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	copy = memcpy(buf, insns, size);
	for (i = 0; i + 1 < len; i++) {
		if (lowered ? copy[i].code == (BPF_LD | BPF_IMM | BPF_DW) :
			      is_map_fd_load(&copy[i])) {
			copy[i].imm = 0;
			copy[++i].imm = 0;
		}
	}
	buf[size] = 0x80;
	put_unaligned_be64((u64)size * 8, buf + total - sizeof(__be64));
	sha1_init(digest);
	for (i = 0; i < total; i += SHA1_BLOCK_SIZE)
		sha1_transform(digest, buf + i, ws);
	for (i = 0; i < SHA1_DIGEST_WORDS; i++)
		out[i] = cpu_to_be32(digest[i]);
	memcpy(tag, out, KBPF_TAG_SIZE);
	memzero_explicit(ws, sizeof(ws));
	kvfree(buf);
	return 0;
}

/*
 * A JITed program whose prog arrays held an interpreted program runs
 * interpreted too (kbpf_map_jit_caller_ok()). Before publishing, when
 * nothing runs it yet.
 */
static void keep_tail_calls_in_one_runtime(struct kbpf_prog *prog)
{
	u32 i;

	for (i = 0; prog->jit && i < prog->nr_used_maps; i++) {
		if (kbpf_map_jit_caller_ok(prog->used_maps[i], true))
			continue;
		kbpf_jit_drop(prog);
	}
}

/* Verify @prog with the log @attr asks for; 0 or the load's errno. */
static int verify(struct kbpf_prog *prog, const union bpf_attr *attr,
		  union bpf_attr __user *uattr, unsigned int size)
{
	struct load_verification *v;
	u32 true_size;
	int err, log_err;

	v = kvzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->prog = prog;
	v->attr = attr;
	err = kbpf_log_init(&v->log, attr->log_level,
			    u64_to_user_ptr(attr->log_buf), attr->log_size);
	if (err)
		goto out;
	err = kbpf_verifier_env_init(&v->env, prog->insns, prog->len, &v->log);
	/* A flag upstream knows: refused with a reason, as upstream does. */
	if (!err && (attr->prog_flags & BPF_F_SLEEPABLE)) {
		kbpf_log(&v->log, "kbpf has no sleepable programs (BPF_F_SLEEPABLE)\n");
		err = -EINVAL;
	}
	if (!err) {
		v->env.prog_type = prog->type;
		v->env.find_map = find_map;
		v->env.owner = v;
		/* Upstream's rule: CAP_PERFMON may read what the kernel has. */
		v->env.allow_ptr_leaks = perfmon_capable();
		v->env.allow_uninit_stack = perfmon_capable();
		err = kbpf_check_structure(&v->env);
	}
	/* Once the functions are known: BTF names them and their lines. */
	if (!err)
		err = kbpf_prog_btf_take(prog, attr, uattr, &v->env);
	if (!err) {
		kbpf_compute_liveness(&v->env);
		err = kbpf_explore(&v->env);
	}
	if (!err)
		err = kbpf_runtime_check(prog, &v->log);
	if (!err)
		err = lower(prog, &v->env);
	kbpf_verifier_env_free(&v->env);

	/* As upstream: a log that did not fit fails the load, even a good one. */
	log_err = kbpf_log_finish(&v->log, &true_size);
	if (log_err)
		err = log_err;
	if (size >= offsetofend(union bpf_attr, log_true_size) &&
	    put_user(true_size, &uattr->log_true_size))
		err = -EFAULT;
out:
	kvfree(v);
	return err;
}

/**
 * kbpf_prog_load() - BPF_PROG_LOAD
 * @attr: the command's attr, zero-filled past what userspace gave
 * @uattr: userspace's attr, for log_true_size
 * @size: bytes of attr userspace gave, at most sizeof(*attr)
 *
 * Return: a file descriptor for the verified program, or a negative errno:
 * -EPERM for a tracing type without CAP_PERFMON,
 * -EINVAL for unknown flags, program types, names and what kbpf does not
 * take yet, -E2BIG for no or too many instructions, -EFAULT for memory
 * that cannot be read or written, the verifier's -EINVAL, -EACCES, -E2BIG
 * or -EBADF, -ENOSPC for a log that did not fit, -ENOMEM.
 */
int kbpf_prog_load(union bpf_attr *attr, union bpf_attr __user *uattr,
		   unsigned int size)
{
	char license[KBPF_LICENSE_LEN] = {};
	struct kbpf_prog *prog;
	int err, fd;

	if (attr->prog_flags & ~KBPF_PROG_LOAD_FLAGS)
		return -EINVAL;
	if (!attr->insn_cnt || attr->insn_cnt > KBPF_MAX_INSNS)
		return -E2BIG;
	if (prog_type_needs_perfmon(attr->prog_type) && !perfmon_capable())
		return -EPERM;
	if (attr->core_relo_cnt || attr->attach_btf_id ||
	    attr->attach_prog_fd || attr->prog_token_fd || attr->prog_ifindex)
		return -EINVAL;

	prog = kbpf_prog_alloc(attr->insn_cnt);
	if (!prog)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_user(prog->insns, u64_to_user_ptr(attr->insns),
			   array_size(prog->len, sizeof(prog->insns[0]))))
		goto out;
	if (strncpy_from_user(license, u64_to_user_ptr(attr->license),
			      sizeof(license) - 1) < 0)
		goto out;
	prog->gpl = license_is_gpl_compatible(license);
	err = -EINVAL;
	if (!prog_type_supported(attr->prog_type))
		goto out;
	prog->type = attr->prog_type;
	prog->expected_attach_type = attr->expected_attach_type;
	err = kbpf_obj_name_copy(prog->name, attr->prog_name);
	if (err)
		goto out;
	prog->uid = current_uid();
	err = kbpf_insns_tag(prog->insns, prog->len, false, prog->tag);
	if (err)
		goto out;

	err = verify(prog, attr, uattr, size);
	if (err)
		goto out;
	kbpf_jit_prog(prog);
	kvfree(prog->jit_calls);
	prog->jit_calls = NULL;
	keep_tail_calls_in_one_runtime(prog);
	prog->load_time = ktime_get_boottime_ns();
	fd = kbpf_prog_publish(prog);
	if (fd >= 0)
		return fd;
	err = fd;
out:
	kbpf_prog_put(prog);
	return err;
}
