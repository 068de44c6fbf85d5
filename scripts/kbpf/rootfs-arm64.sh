#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The arm64 guest's root: Debian's static busybox for arm64 with its applet
# links, and kbpf's guest init. Built once into the cache; the init is
# refreshed on every call. Prints the root's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

root=$KBPF_CACHE/rootfs/arm64
if [ ! -e "$root/.done" ]; then
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,var/tmp,mnt,etc,root}
	mkdir -p "$root/sys/fs/bpf"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root \
		busybox-static:arm64 >/dev/null) ||
		kbpf_die "could not download busybox-static:arm64 (dpkg --add-architecture arm64 and apt-get update, see install-deps.sh)"
	dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$tmp/x"
	cp "$tmp/x/bin/busybox" "$root/bin/busybox"
	rm -rf "$tmp"
	command -v qemu-aarch64 >/dev/null || kbpf_die "qemu-aarch64 missing (qemu-user)"
	for app in $(qemu-aarch64 "$root/bin/busybox" --list-full); do
		[ -e "$root/$app" ] || ln -s /bin/busybox "$root/$app"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'root:x:0:' >"$root/etc/group"
	touch "$root/.done"
fi
cmp -s "$KBPF_SCRIPTS/guest-init.sh" "$root/init" ||
	install -m 755 "$KBPF_SCRIPTS/guest-init.sh" "$root/init"
echo "$root"
