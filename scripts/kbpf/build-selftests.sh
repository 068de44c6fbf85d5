#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-selftests.sh ARCH
#
# Build tools/testing/selftests/kbpf from the assembled tree for ARCH, as
# static binaries, into build/selftests/ARCH of the repository (where the
# guests see them as /mnt/repo/build/selftests/ARCH). Prints that path.
# Also exports the verifier corpus with the host's verdicts and logs to
# build/selftests/verifier-corpus.bin, which prog_load checks the guest
# kernel against.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: build-selftests.sh ARCH}
kbpf_kernel_arch "$arch" >/dev/null
kbpf_build_lock
src=$("$KBPF_SCRIPTS/assemble-tree.sh")
hdr=$("$KBPF_SCRIPTS/uapi-headers.sh" "$arch")
out=$KBPF_REPO/build/selftests/$arch
mkdir -p "$out"
cross=
[ "$arch" = x86_64 ] || [ "$(uname -m)" = aarch64 ] || cross=aarch64-linux-gnu-
upstream_arch=x86
[ "$arch" = x86_64 ] || upstream_arch=arm64
make -s -C "$src/tools/testing/selftests/kbpf" OUTPUT="$out" \
	CROSS_COMPILE="$cross" KHDR_INCLUDES="-isystem $hdr" \
	UPSTREAM_ARCH="$upstream_arch" >&2 ||
	kbpf_die "selftests for $arch did not build"
host=$KBPF_REPO/tools/testing/selftests/kbpf/host
make -s -C "$host" build/kbpf-host >&2 ||
	kbpf_die "the host harness did not build"
"$host/build/kbpf-host" export-corpus "$host/../verifier" \
	"$KBPF_REPO/build/selftests/verifier-corpus.bin" >&2 ||
	kbpf_die "the verifier corpus could not be exported"
echo "$out"
