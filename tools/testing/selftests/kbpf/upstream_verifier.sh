#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Upstream's test_verifier and verifier_* test programs (built from the
# base tree by the Makefile, see upstream/test_verifier_kbpf.c and
# upstream/verifier_progs_kbpf.c) on the running kernel. test_verifier's
# list of tests is printed after "# tv-list: ", its output after "# tv: ",
# the test programs' after "# vp: ", so that the host can compare the
# kbpf kernel's verdicts with the stock kernel's of the same make check
# (scripts/kbpf/upstream-verifier-diff.py, against upstream/*.expected).
# Here: both run to their summary lines without the kernel complaining.

tv=$(dirname "$0")/upstream/test_verifier
vp=$(dirname "$0")/upstream/verifier_progs
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

# Failed subtests are compared on the host; 2 is an object it could not read.
timeout 1200 "$vp" "$(dirname "$0")"/upstream/progs/*.bpf.o >"$out" 2>"$err"
rc=$?
sed 's/^/# vp: /' "$out"
sed 's/^/# vp-stderr: /' "$err"
[ "$rc" = 0 ] && grep -qE '^#vp-summary [0-9]+ OK' "$out"
check $? "verifier_* programs ran to their summary (exit $rc)"

echo "# upstream verifier: $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
