#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package kbpf's builds, guests and tests need.
# Idempotent: packages already present are not fetched again.
set -euo pipefail

pkgs=(
	build-essential flex bison bc libelf-dev libssl-dev cpio rsync ccache
	kmod python3 python3-ply python3-git perl git xz-utils
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	qemu-system-x86 qemu-system-arm qemu-user
	clang llvm lld libclang-rt-14-dev libbpf-dev bpftool bpftrace bpfcc-tools python3-bpfcc
	# verif_scale's programs, as the verifier issues measured them.
	clang-19
	# pahole: the kernels' BTF (CONFIG_DEBUG_INFO_BTF).
	dwarves
	libcap-dev
	# libbpf_objects links libbpf statically, for the arm64 guest too.
	libbpf-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64
)

die() { echo "install-deps: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root to install packages"

# The arm64 guest's userland (busybox) comes from Debian's arm64 archive.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	rm -f /var/lib/apt/kbpf-updated
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ] || [ ! -e /var/lib/apt/kbpf-updated ]; then
	apt-get update -q >/dev/null || die "apt-get update failed"
	touch /var/lib/apt/kbpf-updated
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
fi
