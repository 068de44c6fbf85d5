#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the base tree's UAPI headers (x86_64) into the cache for the host
# harness, so it builds against the same include/uapi/linux/bpf.h as the
# kernel. Prints the include directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$KBPF_SCRIPTS/fetch-base.sh" >&2
base=$(kbpf_base_dir)
dest=$KBPF_CACHE/uapi/$(cat "$KBPF_CACHE/base/current")
if [ ! -e "$dest/.done" ]; then
	rm -rf "$dest"
	make -s -C "$base" O="$dest/build" ARCH=x86 \
		INSTALL_HDR_PATH="$dest" headers_install >&2 ||
		kbpf_die "headers_install failed"
	rm -rf "$dest/build"
	touch "$dest/.done"
fi
echo "$dest/include"
