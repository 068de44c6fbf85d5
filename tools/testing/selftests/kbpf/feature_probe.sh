#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What the running kernel tells loaders about itself: bpftool's feature
# probe (configuration, program and map types, helpers per program type,
# instruction set extensions). Each line is printed after "# probe: " so
# that the host can compare a kbpf kernel's answers with a stock kernel's
# from the same make check (scripts/kbpf/feature-diff.py, against
# feature_probe.decisions). Here: the probe runs, and the answers kbpf
# must give are there. Skipped where bpftool is not installed.

out=$(mktemp)
trap 'rm -f "$out"' EXIT
n=0
failed=0

echo "TAP version 13"
if ! command -v bpftool >/dev/null 2>&1; then
	echo "1..0 # SKIP bpftool is not installed"
	exit 0
fi
echo "1..3"

check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

timeout 600 bpftool feature probe kernel >"$out" 2>&1
rc=$?
sed 's/^/# probe: /' "$out"
check $rc "bpftool feature probe kernel"

# Both implementations are the bpf() system call.
grep -qx 'CONFIG_BPF_SYSCALL is set to y' "$out" &&
grep -qx 'bpf() syscall is available' "$out"
check $? "CONFIG_BPF_SYSCALL=y and bpf() available"

# Unprivileged bpf() is off on both (kbpf: for good).
grep -qE '^bpf\(\) syscall restricted to privileged users' "$out"
check $? "bpf() restricted to privileged users"

echo "# feature probe: $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
