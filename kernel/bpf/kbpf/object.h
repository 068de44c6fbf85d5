/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What programs, maps and BTF share as objects: names, ids, and the
 * bpf(2) commands that find them and describe them.
 */
#ifndef _KBPF_OBJECT_H
#define _KBPF_OBJECT_H

#include <linux/types.h>
#include <uapi/linux/bpf.h>

int kbpf_obj_name_copy(char *dst, const char *src);
int kbpf_map_get_id_fd(u32 id, u32 f_flags);
int kbpf_prog_get_next_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size);
int kbpf_map_get_next_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size);
int kbpf_prog_get_fd_by_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			   unsigned int size);
int kbpf_map_get_fd_by_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size);
int kbpf_btf_get_next_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			 unsigned int size);
int kbpf_btf_get_fd_by_id(union bpf_attr *attr, union bpf_attr __user *uattr,
			  unsigned int size);
int kbpf_obj_get_info_by_fd(union bpf_attr *attr, union bpf_attr __user *uattr,
			    unsigned int size);

int kbpf_obj_pin(union bpf_attr *attr, union bpf_attr __user *uattr,
		 unsigned int size);
int kbpf_obj_get(union bpf_attr *attr, union bpf_attr __user *uattr,
		 unsigned int size);

#endif /* _KBPF_OBJECT_H */
