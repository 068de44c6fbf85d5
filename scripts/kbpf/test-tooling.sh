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
