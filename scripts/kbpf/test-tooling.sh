#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The build tooling's own failure paths: each must end with one clear
# message and the right exit status, never a silent pass. TAP output.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

n=0
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME STATUS PATTERN CMD...: CMD exits with STATUS (or any non-zero
# for "fail") and its output matches PATTERN.
expect() {
	local name=$1 want=$2 pat=$3 rc
	shift 3
	n=$((n + 1))
	"$@" >"$tmp/out" 2>&1
	rc=$?
	if { [ "$want" = fail ] && [ "$rc" != 0 ] || [ "$rc" = "$want" ]; } &&
	   grep -qE "$pat" "$tmp/out"; then
		echo "ok $n - $name"
	else
		fails=$((fails + 1))
		sed 's/^/# /' "$tmp/out"
		echo "not ok $n - $name (exit $rc, wanted $want and /$pat/)"
	fi
}

# A patch that does not apply stops assembly before the tree is touched.
mkdir -p "$tmp/patches"
cat >"$tmp/patches/broken.patch" <<'PATCH'
--- a/kernel/bpf/Makefile
+++ b/kernel/bpf/Makefile
@@ -1,2 +1,2 @@
-no such line in the base
+obj-y += nothing.o
 obj-y := core.o
PATCH
echo broken.patch >"$tmp/patches/series"
expect "a patch that does not apply stops the assembly" fail \
	'patches/broken.patch does not apply to base' \
	env KBPF_PATCHES="$tmp/patches" "$KBPF_SCRIPTS/assemble-tree.sh"

echo missing.patch >"$tmp/patches/series"
expect "a series naming a missing patch stops the assembly" fail \
	'names missing.patch, which does not exist' \
	env KBPF_PATCHES="$tmp/patches" "$KBPF_SCRIPTS/assemble-tree.sh"

# A pinned base the archive no longer has: newest 6.12.y, with a warning.
expect "a base gone from the archive falls back with a warning" 0 \
	'pinned base 6\.12\.0-0gone is gone from the archive; using newest' \
	env KBPF_BASE_VERSION=6.12.0-0gone "$KBPF_SCRIPTS/fetch-base.sh"
"$KBPF_SCRIPTS/fetch-base.sh" >/dev/null

# kunit_results turns the kernel's KUnit results into kselftest results:
# a failed case, a missing suite on a kbpf kernel and a bad file must fail.
kunit_bin=$tmp/kunit_results
if src=$("$KBPF_SCRIPTS/assemble-tree.sh") &&
   gcc -O2 -Wall -o "$kunit_bin" "$src/tools/testing/selftests/kbpf/kunit_results.c"; then
	kunit_fake() {
		mkdir -p "$tmp/kunit/kbpf_interp"
		printf 'KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: kbpf_interp\n    1..2\n    ok 1 a_test\n    %s 2 b_test\n# kbpf_interp: done\n%s 1 kbpf_interp\n' \
			"$1" "$1" >"$tmp/kunit/kbpf_interp/results"
	}
	# Only kbpf_interp is faked: the stock flavour lets the others be
	# missing, and reports what is there all the same.
	kunit_fake ok
	expect "kunit_results reports passing cases" 0 '^ok 2 kbpf_interp\.b_test' \
		env KBPF_KUNIT_DIR="$tmp/kunit" KBPF_FLAVOUR=stock "$kunit_bin"
	kunit_fake "not ok"
	expect "kunit_results fails a failing case" fail '^not ok 2 kbpf_interp\.b_test' \
		env KBPF_KUNIT_DIR="$tmp/kunit" KBPF_FLAVOUR=stock "$kunit_bin"
	expect "kunit_results fails a kbpf kernel without the suite" fail \
		'^not ok 1 kbpf_interp: no results' \
		env KBPF_KUNIT_DIR="$tmp/none" KBPF_FLAVOUR=kbpf "$kunit_bin"
	expect "kunit_results skips a stock kernel without the suite" 0 \
		'^ok 1 # SKIP kbpf_interp: not in a stock kernel' \
		env KBPF_KUNIT_DIR="$tmp/none" KBPF_FLAVOUR=stock "$kunit_bin"
else
	n=$((n + 1))
	fails=$((fails + 1))
	echo "not ok $n - kunit_results builds on the host"
fi

# Kconfig resolves what cannot be built: one implementation of bpf(), and
# with kbpf none of the features that need the BPF subsystem's internals.
# kconfig_case NAME FRAGMENT WANT...: allnoconfig with FRAGMENT (lines) for
# x86_64 gives every CONFIG_X=v of WANT; CONFIG_X=n: not set, or not even
# offered.
kconfig_case() {
	local name=$1 frag=$2 want line
	shift 2
	n=$((n + 1))
	printf '%s\n' $frag >"$tmp/frag.config"
	if ! make -s -C "$src" O="$tmp/kconfig" ARCH=x86 \
		KCONFIG_ALLCONFIG="$tmp/frag.config" allnoconfig >"$tmp/out" 2>&1; then
		fails=$((fails + 1))
		sed 's/^/# /' "$tmp/out"
		echo "not ok $n - $name (kconfig failed)"
		return
	fi
	for want in "$@"; do
		line=$want
		case "$want" in
		*=n) grep -q "^${want%=n}=" "$tmp/kconfig/.config" || continue ;;
		*) grep -qxF "$line" "$tmp/kconfig/.config" && continue ;;
		esac
		fails=$((fails + 1))
		grep -E "^(# )?${want%%=*}[= ]" "$tmp/kconfig/.config" | sed 's/^/# got: /'
		echo "not ok $n - $name (wanted $line)"
		return
	done
	echo "ok $n - $name"
}
if [ -n "${src:-}" ]; then
	# What the subsystem-only features need, both implementations alike.
	needs="CONFIG_64BIT=y CONFIG_MULTIUSER=y CONFIG_NET=y CONFIG_INET=y
	       CONFIG_CGROUPS=y CONFIG_SECURITY=y CONFIG_PERF_EVENTS=y
	       CONFIG_FTRACE=y CONFIG_KPROBES=y CONFIG_KPROBE_EVENTS=y
	       CONFIG_BPF_JIT=y CONFIG_CGROUP_BPF=y CONFIG_BPF_LSM=y
	       CONFIG_XDP_SOCKETS=y CONFIG_BPF_EVENTS=y CONFIG_NETDEVICES=y CONFIG_NET_CORE=y
	       CONFIG_NETKIT=y"
	kconfig_case "Kconfig gives a config asking for both implementations one" \
		"CONFIG_BPF_SYSCALL=y CONFIG_BPF_SYSCALL_STOCK=y CONFIG_KBPF=y" \
		CONFIG_BPF_SYSCALL=y CONFIG_KBPF=y CONFIG_BPF_SYSCALL_STOCK=n
	kconfig_case "with kbpf, Kconfig offers no feature that needs the BPF subsystem" \
		"$needs CONFIG_BPF_SYSCALL=y CONFIG_KBPF=y" \
		CONFIG_BPF_SYSCALL=y CONFIG_KBPF=y CONFIG_BPF_SYSCALL_STOCK=n \
		CONFIG_CGROUP_BPF=n CONFIG_BPF_LSM=n CONFIG_XDP_SOCKETS=n \
		CONFIG_BPF_EVENTS=n CONFIG_NETKIT=n
	kconfig_case "with the BPF subsystem, the same config gets those features" \
		"$needs CONFIG_BPF_SYSCALL=y" \
		CONFIG_BPF_SYSCALL=y CONFIG_BPF_SYSCALL_STOCK=y CONFIG_KBPF=n \
		CONFIG_CGROUP_BPF=y CONFIG_BPF_LSM=y CONFIG_XDP_SOCKETS=y \
		CONFIG_BPF_EVENTS=y CONFIG_NETKIT=y
fi

# Two runs at once: one's assembly or build waits for the other's to end
# (a build holds the lock for assembly and compile), then goes on.
mkdir -p "$KBPF_CACHE/src"
flock "$KBPF_CACHE/src/.lock" sleep 3 &
holder=$!
sleep 0.5
start=$(date +%s%N)
expect "a build waits while another run builds" 0 "waiting for another run's build to finish" \
	"$KBPF_SCRIPTS/assemble-tree.sh"
wait "$holder"
n=$((n + 1))
if [ $(($(date +%s%N) - start)) -ge 2000000000 ]; then
	echo "ok $n - it went on only after the other run's lock was let go"
else
	fails=$((fails + 1))
	echo "not ok $n - it went on while the other run still held the lock"
fi

# Bad arguments to the runner.
expect "an unknown arch is refused" fail "unknown ARCH 'riscv'" \
	"$KBPF_SCRIPTS/vm.sh" riscv kbpf true
expect "an unknown flavour is refused" fail "unknown FLAVOUR 'vanilla'" \
	"$KBPF_SCRIPTS/vm.sh" x86_64 vanilla true

# A guest that hangs is stopped by the timeout (needs the x86_64 kernel).
if [ -f "$KBPF_CACHE/build/x86_64-kbpf/arch/x86/boot/bzImage" ]; then
	expect "a hanging guest times out with status 124" 124 'guest timed out after 20s' \
		env KBPF_VM_TIMEOUT=20 "$KBPF_SCRIPTS/vm.sh" x86_64 kbpf 'sleep 600'
	expect "a guest command's status reaches the host" 7 '^from the guest$' \
		"$KBPF_SCRIPTS/vm.sh" x86_64 kbpf 'echo from the guest; exit 7'
fi

echo "1..$n"
[ "$fails" = 0 ]
