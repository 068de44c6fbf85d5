// SPDX-License-Identifier: GPL-2.0
/*
 * What programs and maps share as objects: their names, the commands that
 * walk and open them by id, and BPF_OBJ_GET_INFO_BY_FD (which also
 * describes links and BTF).
 *
 * Ids are global: walking and opening by id is for administrators
 * (CAP_SYS_ADMIN), as upstream. The info structs are upstream's; userspace
 * may pass a shorter one (it gets what fits) or a longer one whose tail is
 * zero, and learns the size the kernel filled in info_len.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/kallsyms.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "btf_object.h"
#include "jit_image.h"
#include "link.h"
#include "map.h"
#include "object.h"
#include "prog.h"
#include "prog_btf.h"

/**
 * kbpf_obj_name_copy() - copy an object name from an attr
 * @dst: BPF_OBJ_NAME_LEN bytes
 * @src: the attr's BPF_OBJ_NAME_LEN bytes
 *
 * Upstream's rule: NUL-terminated within the field, of [A-Za-z0-9_.].
 *
 * Return: 0, or -EINVAL for a name that breaks it.
 */
int kbpf_obj_name_copy(char *dst, const char *src)
{
	const char *end = memchr(src, '\0', BPF_OBJ_NAME_LEN);
	const char *p;

	if (!end)
		return -EINVAL;
	for (p = src; p < end; p++)
		if (!isalnum(*p) && *p != '_' && *p != '.')
			return -EINVAL;
	memcpy(dst, src, end - src + 1);
	return 0;
}

static int put_next_id(const union bpf_attr *attr, union bpf_attr __user *uattr,
		       u32 id, bool found)
{
	if (!found)
		return -ENOENT;
	return put_user(id, &uattr->next_id);
}

static int next_id_check(const union bpf_attr *attr)
{
	if (attr->start_id >= INT_MAX)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

/**
 * kbpf_prog_get_next_id() - BPF_PROG_GET_NEXT_ID
 * @attr: the command's attr
 * @uattr: userspace's attr, for next_id
 * @size: bytes userspace gave (unused)
 *
 * Return: 0 with the next program id in next_id, -ENOENT after the last,
 * -EINVAL for a start_id past the ids, -EPERM, -EFAULT.
 */
int kbpf_prog_get_next_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size)
{
	struct kbpf_prog *prog;
	u32 id = attr->start_id;
	int err = next_id_check(attr);

	if (err)
		return err;
	prog = kbpf_prog_get_next(&id);
	if (prog)
		kbpf_prog_put(prog);
	return put_next_id(attr, uattr, id, prog);
}

/**
 * kbpf_map_get_next_id() - BPF_MAP_GET_NEXT_ID
 * @attr: the command's attr
 * @uattr: userspace's attr, for next_id
 * @size: bytes userspace gave (unused)
 *
 * Return: as kbpf_prog_get_next_id(), for maps.
 */
int kbpf_map_get_next_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size)
{
	struct kbpf_map *map;
	u32 id = attr->start_id;
	int err = next_id_check(attr);

	if (err)
		return err;
	map = kbpf_map_get_next(&id);
	if (map)
		kbpf_map_put(map);
	return put_next_id(attr, uattr, id, map);
}

/**
 * kbpf_btf_get_next_id() - BPF_BTF_GET_NEXT_ID
 * @attr: the command's attr
 * @uattr: userspace's attr, for next_id
 * @size: bytes userspace gave (unused)
 *
 * Return: as kbpf_prog_get_next_id(), for BTF objects.
 */
int kbpf_btf_get_next_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size)
{
	struct kbpf_btf *btf;
	u32 id = attr->start_id;
	int err = next_id_check(attr);

	if (err)
		return err;
	btf = kbpf_btf_get_next(&id);
	if (btf)
		kbpf_btf_put(btf);
	return put_next_id(attr, uattr, id, btf);
}

/**
 * kbpf_prog_get_fd_by_id() - BPF_PROG_GET_FD_BY_ID
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: a new file descriptor, or -ENOENT, -EPERM.
 */
int kbpf_prog_get_fd_by_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			   unsigned int size)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return kbpf_prog_get_id_fd(attr->prog_id);
}

/**
 * kbpf_map_get_fd_by_id() - BPF_MAP_GET_FD_BY_ID
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: a new file descriptor, read-only or write-only as open_flags
 * say, or -ENOENT, -EINVAL for other flags, -EPERM.
 */
int kbpf_map_get_fd_by_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size)
{
	if (attr->open_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return kbpf_map_get_id_fd(attr->map_id, attr->open_flags);
}

/**
 * kbpf_btf_get_fd_by_id() - BPF_BTF_GET_FD_BY_ID
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: a new read-only file descriptor, or -ENOENT, -EPERM.
 */
int kbpf_btf_get_fd_by_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return kbpf_btf_get_id_fd(attr->btf_id);
}

/*
 * The program as userspace may see it: map addresses in LD_IMM64 turned
 * back into map ids (BPF_PSEUDO_MAP_FD) and value addresses into map id
 * and offset (BPF_PSEUDO_MAP_VALUE), as upstream dumps them.
 */
static struct bpf_insn *xlated_insns(const struct kbpf_prog *prog)
{
	struct bpf_insn *insns;
	u32 i, m;

	insns = kvmemdup(prog->insns, array_size(prog->len, sizeof(*insns)),
			 GFP_USER);
	if (!insns)
		return NULL;
	for (i = 0; i + 1 < prog->len; i++) {
		u64 imm = (u32)insns[i].imm | (u64)insns[i + 1].imm << 32;

		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		for (m = 0; m < prog->nr_used_maps; m++) {
			const struct kbpf_map *map = prog->used_maps[m];
			u64 value = 0;

			if (imm == (unsigned long)map) {
				insns[i].src_reg = BPF_PSEUDO_MAP_FD;
				insns[i].imm = map->id;
				insns[i + 1].imm = 0;
				break;
			}
			if (map->ops->direct_value_addr &&
			    !map->ops->direct_value_addr(map, 0, &value) &&
			    imm >= value && imm - value < map->desc.value_size) {
				insns[i].src_reg = BPF_PSEUDO_MAP_VALUE;
				insns[i].imm = map->id;
				insns[i + 1].imm = imm - value;
				break;
			}
		}
		i++;
	}
	return insns;
}

/* Copy what fits of @len bytes at @src to the user buffer of @ulen bytes. */
static int copy_array_out(u64 dst, u32 ulen, const void *src, u32 len)
{
	if (!dst || !ulen)
		return 0;
	if (copy_to_user(u64_to_user_ptr(dst), src, min(ulen, len)))
		return -EFAULT;
	return 0;
}

/* The ids of the maps @prog uses; BPF_PROG_BIND_MAP may add some meanwhile. */
static int prog_map_ids(struct kbpf_prog *prog, struct bpf_prog_info *info,
			const struct bpf_prog_info *in)
{
	u32 __user *ids = u64_to_user_ptr(in->map_ids);
	int err = 0;
	u32 i;

	mutex_lock(&prog->used_maps_lock);
	info->nr_map_ids = prog->nr_used_maps;
	for (i = 0; ids && i < min(in->nr_map_ids, prog->nr_used_maps); i++)
		if (put_user(prog->used_maps[i]->id, &ids[i]))
			err = -EFAULT;
	mutex_unlock(&prog->used_maps_lock);
	return err;
}

/* The instructions as userspace may see them, into its buffer. */
static int prog_xlated_insns(struct kbpf_prog *prog,
			     const struct bpf_prog_info *in)
{
	struct bpf_insn *insns;
	int err;

	if (!in->xlated_prog_insns || !in->xlated_prog_len)
		return 0;
	mutex_lock(&prog->used_maps_lock);
	insns = xlated_insns(prog);
	err = insns ? copy_array_out(in->xlated_prog_insns, in->xlated_prog_len,
				     insns, prog->len * sizeof(*insns)) :
		      -ENOMEM;
	mutex_unlock(&prog->used_maps_lock);
	kvfree(insns);
	return err;
}

static int prog_info(struct kbpf_prog *prog, struct bpf_prog_info *info)
{
	const struct bpf_prog_info in = *info;
	bool raw = kallsyms_show_value(current_cred());
	int err;

	/*
	 * Userspace's buffer pointers stay as it gave them, as upstream:
	 * loaders read the sizes, then call again with the buffers.
	 */
	memset(info, 0, sizeof(*info));
	info->jited_prog_insns = in.jited_prog_insns;
	info->xlated_prog_insns = in.xlated_prog_insns;
	info->map_ids = in.map_ids;
	info->jited_ksyms = in.jited_ksyms;
	info->jited_func_lens = in.jited_func_lens;
	info->func_info = in.func_info;
	info->line_info = in.line_info;
	info->jited_line_info = in.jited_line_info;
	info->prog_tags = in.prog_tags;
	err = kbpf_prog_btf_info_check(&in);
	if (err)
		return err;

	info->type = prog->type;
	info->id = prog->id;
	memcpy(info->tag, prog->tag, sizeof(info->tag));
	info->load_time = prog->load_time;
	info->created_by_uid = from_kuid_munged(current_user_ns(), prog->uid);
	memcpy(info->name, prog->name, sizeof(info->name));
	info->gpl_compatible = prog->gpl;
	info->verified_insns = prog->verified_insns;
	info->recursion_misses = atomic64_read(&prog->misses);
	kbpf_prog_read_stats(prog, &info->run_cnt, &info->run_time_ns);
	err = prog_map_ids(prog, info, &in);
	if (err)
		return err;
	if (prog->btf)
		info->btf_id = prog->btf->id;
	/*
	 * Its code, as instructions or machine code, and where it lies are
	 * for CAP_BPF only: a process given the fd of a program learns no
	 * more of it than this, as upstream (which leaves nr_prog_tags as
	 * userspace gave it, here too).
	 */
	if (!bpf_capable()) {
		info->nr_prog_tags = in.nr_prog_tags;
		return 0;
	}
	info->xlated_prog_len = prog->len * sizeof(struct bpf_insn);
	/*
	 * An interpreted program is one function without code, as upstream
	 * says (its address is what runs it); the JIT says more. Addresses
	 * and lengths go only to those who may see kernel addresses
	 * (kernel.kptr_restrict); for the others the buffers are left alone
	 * and their pointers come back 0, as upstream.
	 */
	info->nr_jited_ksyms = 1;
	info->nr_jited_func_lens = 1;
	if (!raw) {
		if (in.nr_jited_ksyms)
			info->jited_ksyms = 0;
		if (in.nr_jited_func_lens)
			info->jited_func_lens = 0;
	} else if ((in.jited_ksyms && in.nr_jited_ksyms &&
		    put_user((u64)(unsigned long)kbpf_interp_run,
			     (u64 __user *)u64_to_user_ptr(in.jited_ksyms))) ||
		   (in.jited_func_lens && in.nr_jited_func_lens &&
		    put_user(0, (u32 __user *)u64_to_user_ptr(in.jited_func_lens)))) {
		return -EFAULT;
	}
	/* Its own tag, unless the JIT gives one per function. */
	info->nr_prog_tags = 1;
	if (in.prog_tags && in.nr_prog_tags &&
	    copy_to_user(u64_to_user_ptr(in.prog_tags), prog->tag, BPF_TAG_SIZE))
		return -EFAULT;
	err = kbpf_jit_info(prog, info, &in, raw);
	if (!err)
		err = kbpf_prog_btf_info(prog, info, &in);
	if (err)
		return err;
	return prog_xlated_insns(prog, &in);
}

static void map_info(const struct kbpf_map *map, struct bpf_map_info *info)
{
	memset(info, 0, sizeof(*info));
	info->type = map->desc.type;
	info->id = map->id;
	info->key_size = map->desc.key_size;
	info->value_size = map->desc.value_size;
	info->max_entries = map->desc.max_entries;
	info->map_flags = map->desc.flags;
	memcpy(info->name, map->name, sizeof(info->name));
	if (map->btf) {
		info->btf_id = map->btf->id;
		info->btf_key_type_id = map->btf_key_type_id;
		info->btf_value_type_id = map->btf_value_type_id;
	}
}

/**
 * kbpf_obj_get_info_by_fd() - BPF_OBJ_GET_INFO_BY_FD
 * @attr: the command's attr
 * @uattr: userspace's attr, for info.info_len
 * @size: bytes userspace gave (unused)
 *
 * Return: 0 with struct bpf_prog_info, bpf_map_info, bpf_link_info or
 * bpf_btf_info at info.info (-ENOSPC with it too, for a BTF name cut
 * short), or -EBADFD for no file (as upstream), -EINVAL for a file that
 * is none of them,
 * -E2BIG for a longer struct with a nonzero tail, -EFAULT, -ENOMEM.
 */
int kbpf_obj_get_info_by_fd(union bpf_attr *attr, union bpf_attr __user *uattr,
			    unsigned int size)
{
	union {
		struct bpf_prog_info prog;
		struct bpf_map_info map;
		struct bpf_link_info link;
		struct bpf_btf_info btf;
	} info;
	void __user *uinfo = u64_to_user_ptr(attr->info.info);
	struct kbpf_link *link = NULL;
	struct kbpf_btf *btf = NULL;
	struct kbpf_prog *prog;
	struct kbpf_map *map;
	u32 len, info_size;
	int err;

	prog = kbpf_prog_get_fd(attr->info.bpf_fd);
	map = IS_ERR(prog) ? kbpf_map_get_fd(attr->info.bpf_fd, 0) : NULL;
	if (IS_ERR(map)) {
		map = NULL;
		link = kbpf_link_get_fd(attr->info.bpf_fd);
	}
	if (IS_ERR(link)) {
		link = NULL;
		btf = kbpf_btf_get_fd(attr->info.bpf_fd);
		if (IS_ERR(btf))
			return PTR_ERR(btf) == -EBADF ? -EBADFD : PTR_ERR(btf);
	}
	info_size = btf ? sizeof(info.btf) : link ? sizeof(info.link) :
		    map ? sizeof(info.map) : sizeof(info.prog);
	len = min(attr->info.info_len, info_size);
	err = check_zeroed_user(uinfo + info_size,
				max(attr->info.info_len, info_size) - info_size);
	if (err <= 0) {
		err = err ? err : -E2BIG;
		goto put;
	}
	memset(&info, 0, sizeof(info));
	err = -EFAULT;
	if (copy_from_user(&info, uinfo, len))
		goto put;
	if (btf) {
		err = kbpf_btf_info(btf, &info.btf);
	} else if (link) {
		err = kbpf_link_info(link, &info.link);
	} else if (map) {
		map_info(map, &info.map);
		err = 0;
	} else {
		err = prog_info(prog, &info.prog);
	}
	/* A name cut short (-ENOSPC) still gives back the rest, as upstream. */
	if ((!err || err == -ENOSPC) &&
	    (copy_to_user(uinfo, &info, len) ||
	     put_user(len, &uattr->info.info_len)))
		err = -EFAULT;
put:
	if (btf)
		kbpf_btf_put(btf);
	else if (link)
		kbpf_link_put(link);
	else if (map)
		kbpf_map_put(map);
	else
		kbpf_prog_put(prog);
	return err;
}
