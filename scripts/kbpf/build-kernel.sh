#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh ARCH FLAVOUR
#
# Build the kernel of one arch (x86_64, arm64) and flavour (kbpf, stock)
# out of tree from the assembled tree. The config is tinyconfig plus the
# fragments in scripts/kbpf/configs/; an option a fragment asks for that the
# final config does not have stops the build. Uses ccache when present.
# Also installs the UAPI headers into the build directory (usr/include) for
# the selftests. Prints the build directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: build-kernel.sh ARCH FLAVOUR}
flavour=${2:?usage: build-kernel.sh ARCH FLAVOUR}
karch=$(kbpf_kernel_arch "$arch")
kbpf_check_flavour "$flavour"

# The tree must not change under this build, nor its directory be built
# by another run at the same time (Kbuild's temporary files are shared).
kbpf_build_lock
src=$("$KBPF_SCRIPTS/assemble-tree.sh")
out=$KBPF_CACHE/build/$arch-$flavour
mkdir -p "$out"

cross=
if [ "$arch" = arm64 ] && [ "$(uname -m)" != aarch64 ]; then
	cross=aarch64-linux-gnu-
	command -v ${cross}gcc >/dev/null ||
		kbpf_die "${cross}gcc missing: run scripts/kbpf/install-deps.sh"
fi
cc=${cross}gcc
if command -v ccache >/dev/null; then
	export CCACHE_DIR=${CCACHE_DIR:-$KBPF_CACHE/ccache}
	# Depend mode hashes Kbuild's own -MMD output instead of running the
	# preprocessor a second time: about a fifth off a cold build.
	export CCACHE_DEPEND=1
	ccache -M 8G >/dev/null
	cc="ccache $cc"
fi
kmake=(make -s -C "$src" O="$out" ARCH="$karch" CROSS_COMPILE="$cross" CC="$cc"
	HOSTCC=gcc -j"$(nproc)")

frags=("$KBPF_SCRIPTS/configs/common.config" "$KBPF_SCRIPTS/configs/$arch.config")
# The debug flavour is kbpf with the kernel's checkers.
[ "$flavour" = debug ] && frags+=("$KBPF_SCRIPTS/configs/kbpf.config")
frags+=("$KBPF_SCRIPTS/configs/$flavour.config")
"${kmake[@]}" tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" \
	>/dev/null
"${kmake[@]}" olddefconfig >/dev/null

# Every option a fragment names must have the value it asks for.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$out/.config" || { echo "  wanted $line" >&2; bad=1; }
		;;
	'# CONFIG_'*' is not set')
		opt=${line#\# }
		opt=${opt%% *}
		grep -q "^$opt=" "$out/.config" && { echo "  wanted $line" >&2; bad=1; }
		;;
	esac
done < <(cat "${frags[@]}")
[ "$bad" = 0 ] || kbpf_die "$arch-$flavour config lacks options its fragments ask for (above)"

start=$(date +%s)
echo "kbpf: building $arch-$flavour kernel in $out" >&2
if ! "${kmake[@]}" >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	kbpf_die "$arch-$flavour kernel build failed (full log: $out/build.log)"
fi
"${kmake[@]}" headers >/dev/null 2>&1 || kbpf_die "$arch-$flavour: make headers failed"
grep -E 'warning:' "$out/build.log" >&2 || true
echo "kbpf: $arch-$flavour built in $(($(date +%s) - start))s" >&2
echo "$out"
