#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uapi-headers.sh [ARCH]
#
# Install the base tree's UAPI headers for ARCH (default x86_64) into the
# cache, so the host harness and the selftests build against the same
# include/uapi/linux/bpf.h as the kernel. Prints the include directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$KBPF_SCRIPTS/fetch-base.sh" >&2
arch=${1:-x86_64}
karch=$(kbpf_kernel_arch "$arch")
base=$(kbpf_base_dir)
dest=$KBPF_CACHE/uapi/$(cat "$KBPF_CACHE/base/current")/$arch
if [ ! -e "$dest/.done" ]; then
	rm -rf "$dest"
	make -s -C "$base" O="$dest/build" ARCH="$karch" \
		INSTALL_HDR_PATH="$dest" headers_install >&2 ||
		kbpf_die "headers_install failed"
	rm -rf "$dest/build"
	touch "$dest/.done"
fi
echo "$dest/include"
