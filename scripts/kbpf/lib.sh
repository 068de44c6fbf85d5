# SPDX-License-Identifier: GPL-2.0
#
# Shared settings for kbpf's scripts: where things are cached and built.
# Sourced, never run.

KBPF_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KBPF_CACHE=${KBPF_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/kbpf}
KBPF_SCRIPTS=$KBPF_REPO/scripts/kbpf

kbpf_die() {
	echo "kbpf: $*" >&2
	exit 1
}

kbpf_warn() {
	echo "kbpf: warning: $*" >&2
}

# The base tree's version actually in use (written by fetch-base.sh).
kbpf_base_dir() {
	local v
	v=$(cat "$KBPF_CACHE/base/current" 2>/dev/null) ||
		kbpf_die "no base tree yet: run scripts/kbpf/fetch-base.sh"
	echo "$KBPF_CACHE/base/$v/linux"
}

# Debian's architecture names for the kernel's.
kbpf_kernel_arch() {
	case "$1" in
	x86_64) echo x86 ;;
	arm64) echo arm64 ;;
	*) kbpf_die "unknown ARCH '$1' (x86_64 or arm64)" ;;
	esac
}

kbpf_check_flavour() {
	case "$1" in
	kbpf|stock|kmemleak) ;;
	*) kbpf_die "unknown FLAVOUR '$1' (kbpf, stock or kmemleak)" ;;
	esac
}
