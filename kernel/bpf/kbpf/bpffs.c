// SPDX-License-Identifier: GPL-2.0
/*
 * The bpf filesystem: pinning programs and maps to paths (BPF_OBJ_PIN)
 * and opening them again (BPF_OBJ_GET), so they outlive the process that
 * loaded them.
 *
 * Each mount is its own tree of directories and object files, kept in
 * memory by the dentry cache as ramfs keeps files. An object file's inode
 * holds a reference to its program, or a userspace reference to its map,
 * until the inode goes (unlink, or the unmount). The files cannot be
 * opened: only BPF_OBJ_GET turns them back into file descriptors, with
 * the permissions of the file checked. /sys/fs/bpf is made as the usual
 * mount point.
 */

#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/magic.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "map.h"
#include "object.h"
#include "prog.h"

/* The inode operations of each kind of inode also tell the kinds apart. */
static const struct inode_operations bpffs_dir_iops;
static const struct inode_operations bpffs_prog_iops = {};
static const struct inode_operations bpffs_map_iops = {};

/* Pinned objects are not files to read: only BPF_OBJ_GET opens them. */
static int bpffs_obj_open(struct inode *inode, struct file *file)
{
	return -EIO;
}

static const struct file_operations bpffs_obj_fops = {
	.open = bpffs_obj_open,
};

static struct inode *bpffs_new_inode(struct super_block *sb,
				     const struct inode *dir, umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return ERR_PTR(-ENOSPC);
	inode->i_ino = get_next_ino();
	simple_inode_init_ts(inode);
	inode_init_owner(&nop_mnt_idmap, inode, dir, mode);
	return inode;
}

static void bpffs_instantiate(struct dentry *dentry, struct inode *inode,
			      struct inode *dir)
{
	/* A pinned dentry lives until unlinked, like a ramfs file. */
	d_instantiate(dentry, inode);
	dget(dentry);
	inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
}

static int bpffs_mkdir(struct mnt_idmap *idmap, struct inode *dir,
		       struct dentry *dentry, umode_t mode)
{
	struct inode *inode = bpffs_new_inode(dir->i_sb, dir, mode | S_IFDIR);

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	inode->i_op = &bpffs_dir_iops;
	inode->i_fop = &simple_dir_operations;
	inc_nlink(inode);
	inc_nlink(dir);
	bpffs_instantiate(dentry, inode, dir);
	return 0;
}

static const struct inode_operations bpffs_dir_iops = {
	.lookup = simple_lookup,
	.mkdir = bpffs_mkdir,
	.rmdir = simple_rmdir,
	.unlink = simple_unlink,
	.rename = simple_rename,
};

/**
 * struct bpffs_obj - an object being pinned
 * @prog: the program, or NULL
 * @map: the map, or NULL
 */
struct bpffs_obj {
	struct kbpf_prog *prog;
	struct kbpf_map *map;
};

/* vfs_mkobj()'s callback: the object's inode, holding the pin's reference. */
static int bpffs_mkobj(struct dentry *dentry, umode_t mode, void *arg)
{
	struct inode *dir = d_inode(dentry->d_parent);
	struct bpffs_obj *obj = arg;
	struct inode *inode;

	inode = bpffs_new_inode(dir->i_sb, dir, mode);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	inode->i_op = obj->prog ? &bpffs_prog_iops : &bpffs_map_iops;
	inode->i_fop = &bpffs_obj_fops;
	inode->i_private = obj->prog ? (void *)obj->prog : (void *)obj->map;
	bpffs_instantiate(dentry, inode, dir);
	return 0;
}

static void bpffs_put_obj(struct bpffs_obj *obj)
{
	if (obj->prog)
		kbpf_prog_put(obj->prog);
	else
		kbpf_map_put_uref(obj->map);
}

static void bpffs_evict_inode(struct inode *inode)
{
	struct bpffs_obj obj = {};

	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (inode->i_op == &bpffs_prog_iops)
		obj.prog = inode->i_private;
	else if (inode->i_op == &bpffs_map_iops)
		obj.map = inode->i_private;
	else
		return;
	bpffs_put_obj(&obj);
}

/*
 * The object behind fd @fd, referenced as a pin holds it; as upstream,
 * -EINVAL for any fd that is none, a bad one included.
 */
static int bpffs_get_fd_obj(int fd, struct bpffs_obj *obj)
{
	struct kbpf_map *map;

	obj->prog = kbpf_prog_get_fd(fd);
	if (!IS_ERR(obj->prog))
		return 0;
	obj->prog = NULL;
	map = kbpf_map_get_fd(fd, 0);
	if (IS_ERR(map))
		return -EINVAL;
	kbpf_map_get_uref(map);
	kbpf_map_put(map);
	obj->map = map;
	return 0;
}

/*
 * The directory fd paths are relative to; upstream's rule: -EINVAL for a
 * path_fd without BPF_F_PATH_FD.
 */
static int bpffs_path_fd(const union bpf_attr *attr, int *dfd)
{
	if (!(attr->file_flags & BPF_F_PATH_FD) && attr->path_fd)
		return -EINVAL;
	*dfd = attr->file_flags & BPF_F_PATH_FD ? attr->path_fd : AT_FDCWD;
	return 0;
}

/**
 * kbpf_obj_pin() - BPF_OBJ_PIN
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: 0, or -EINVAL for flags, a path_fd without BPF_F_PATH_FD, or
 * an fd of no program or map (bad fds too), -EPERM for a directory outside a
 * bpf filesystem, the path's errno (-EEXIST, -ENOENT, ...), -ENOSPC.
 */
int kbpf_obj_pin(union bpf_attr *attr, union bpf_attr __user *uattr,
		 unsigned int size)
{
	struct bpffs_obj obj;
	struct dentry *dentry;
	struct path path;
	umode_t mode;
	int err, dfd;

	if (attr->file_flags & ~BPF_F_PATH_FD)
		return -EINVAL;
	err = bpffs_path_fd(attr, &dfd);
	if (err)
		return err;
	err = bpffs_get_fd_obj(attr->bpf_fd, &obj);
	if (err)
		return err;
	dentry = user_path_create(dfd, u64_to_user_ptr(attr->pathname), &path, 0);
	if (IS_ERR(dentry)) {
		bpffs_put_obj(&obj);
		return PTR_ERR(dentry);
	}
	err = -EPERM;
	if (d_inode(path.dentry)->i_op != &bpffs_dir_iops)
		goto out;
	mode = S_IFREG | ((0600) & ~current_umask());
	err = security_path_mknod(&path, dentry, mode, 0);
	if (!err)
		err = vfs_mkobj(dentry, mode, bpffs_mkobj, &obj);
out:
	done_path_create(&path, dentry);
	if (err)
		bpffs_put_obj(&obj);
	return err;
}

/**
 * kbpf_obj_get() - BPF_OBJ_GET
 * @attr: the command's attr
 * @uattr: userspace's attr (unused)
 * @size: bytes userspace gave (unused)
 *
 * Return: a new file descriptor for the pinned object, read-only or
 * write-only for maps as file_flags ask; or -EINVAL for flags, a
 * nonzero bpf_fd, or a path_fd without BPF_F_PATH_FD, the path's errno,
 * -EACCES for a file that is no pinned object or that the caller may not
 * open so.
 */
int kbpf_obj_get(union bpf_attr *attr, union bpf_attr __user *uattr,
		 unsigned int size)
{
	struct inode *inode;
	struct path path;
	int err, dfd, flags, fd;

	if (attr->bpf_fd || (attr->file_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY |
						 BPF_F_PATH_FD)))
		return -EINVAL;
	err = bpffs_path_fd(attr, &dfd);
	if (err)
		return err;
	flags = kbpf_map_file_flags(attr->file_flags);
	if (flags < 0)
		return flags;
	err = user_path_at(dfd, u64_to_user_ptr(attr->pathname), LOOKUP_FOLLOW,
			   &path);
	if (err)
		return err;
	inode = d_backing_inode(path.dentry);
	err = path_permission(&path, ACC_MODE(flags));
	if (err)
		goto out;
	err = -EACCES;
	if (inode->i_op == &bpffs_prog_iops) {
		struct kbpf_prog *prog = inode->i_private;

		kbpf_prog_get(prog);
		fd = kbpf_prog_new_fd(prog);
		if (fd < 0)
			kbpf_prog_put(prog);
		err = fd;
	} else if (inode->i_op == &bpffs_map_iops) {
		struct kbpf_map *map = inode->i_private;

		kbpf_map_get_uref(map);
		fd = kbpf_map_new_fd(map, flags);
		if (fd < 0)
			kbpf_map_put_uref(map);
		err = fd;
	}
	if (err >= 0)
		touch_atime(&path);
out:
	path_put(&path);
	return err;
}

static const struct super_operations bpffs_super_ops = {
	.statfs = simple_statfs,
	.drop_inode = generic_delete_inode,
	.evict_inode = bpffs_evict_inode,
};

static int bpffs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	static const struct tree_descr no_files[] = { { "" } };
	struct inode *root;
	int err;

	err = simple_fill_super(sb, BPF_FS_MAGIC, no_files);
	if (err)
		return err;
	sb->s_op = &bpffs_super_ops;
	root = d_inode(sb->s_root);
	root->i_op = &bpffs_dir_iops;
	/* Like /tmp: everybody may pin, only owners may unpin. */
	root->i_mode = S_IFDIR | 0777 | S_ISVTX;
	return 0;
}

static int bpffs_get_tree(struct fs_context *fc)
{
	return get_tree_nodev(fc, bpffs_fill_super);
}

static const struct fs_context_operations bpffs_context_ops = {
	.get_tree = bpffs_get_tree,
};

static int bpffs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &bpffs_context_ops;
	return 0;
}

static struct file_system_type bpffs_type = {
	.owner = THIS_MODULE,
	.name = "bpf",
	.init_fs_context = bpffs_init_fs_context,
	.kill_sb = kill_litter_super,
};

static int __init bpffs_init(void)
{
	int err;

	err = sysfs_create_mount_point(fs_kobj, "bpf");
	if (err)
		return err;
	err = register_filesystem(&bpffs_type);
	if (err)
		sysfs_remove_mount_point(fs_kobj, "bpf");
	return err;
}
fs_initcall(bpffs_init);
