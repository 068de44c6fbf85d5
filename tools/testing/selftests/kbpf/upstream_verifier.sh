#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Upstream's test_verifier (built from the base tree by the Makefile, see
# upstream/test_verifier_kbpf.c) on the running kernel. Its list of tests
# is printed after "# tv-list: ", its output after "# tv: ", so that the
# host can compare the kbpf kernel's verdicts with the stock kernel's of
# the same make check (scripts/kbpf/upstream-verifier-diff.py, against
# upstream/test_verifier.expected). Here: it lists its tests and runs to
# its summary line without the kernel complaining.

tv=$(dirname "$0")/upstream/test_verifier
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
n=0
failed=0

echo "TAP version 13"
if [ ! -x "$tv" ]; then
	echo "1..0 # SKIP $tv was not built"
	exit 0
fi
echo "1..2"

check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

"$tv" --list >"$out" 2>&1
rc=$?
sed 's/^/# tv-list: /' "$out"
[ "$rc" = 0 ] && [ -s "$out" ]
check $? "test_verifier --list"

# Failed tests make it exit 1: the verdicts are compared on the host.
# libbpf's warnings go to stderr, kept apart so that they cannot land in
# the middle of a result line.
timeout 1200 "$tv" >"$out" 2>"$err"
rc=$?
sed 's/^/# tv: /' "$out"
sed 's/^/# tv-stderr: /' "$err"
[ "$rc" -le 1 ] && grep -qE '^Summary: [0-9]+ PASSED' "$out"
check $? "test_verifier ran to its summary (exit $rc)"

echo "# upstream verifier: $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
