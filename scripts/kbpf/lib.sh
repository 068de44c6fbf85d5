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

# kbpf_build_lock [-s]: wait for, then hold until this script exits (or
# kbpf_build_unlock), the lock on the assembled tree and the build
# directories in the cache, so two runs at once (make check and make
# vm-run) never assemble or build over each other. -s: shared, for
# readers of what builds make (a guest copying its kernel). Scripts run
# from here see KBPF_BUILD_LOCKED and do not wait for their caller's lock.
kbpf_build_lock() {
	[ -z "${KBPF_BUILD_LOCKED:-}" ] || return 0
	mkdir -p "$KBPF_CACHE/src"
	exec 9>"$KBPF_CACHE/src/.lock"
	if ! flock -n ${1:-} 9; then
		echo "kbpf: waiting for another run's build to finish" >&2
		flock ${1:-} 9
	fi
	export KBPF_BUILD_LOCKED=1
}

# kbpf_build_unlock: let other runs build again.
kbpf_build_unlock() {
	[ "${KBPF_BUILD_LOCKED:-}" = 1 ] || return 0
	exec 9>&-
	unset KBPF_BUILD_LOCKED
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
	kbpf|stock|debug) ;;
	*) kbpf_die "unknown FLAVOUR '$1' (kbpf, stock or debug)" ;;
	esac
}
