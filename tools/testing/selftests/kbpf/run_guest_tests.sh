#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_guest_tests.sh DIR [FLAVOUR]: run every kbpf selftest binary in DIR
# (inside a guest), print their TAP output and exit non-zero if any failed.
# FLAVOUR (kbpf or stock) tells the tests which kernel they should find.
dir=${1:?usage: run_guest_tests.sh DIR [FLAVOUR]}
KBPF_FLAVOUR=${2:-kbpf}
export KBPF_FLAVOUR
rc=0
# A test that provokes the OOM killer (limits does, on purpose) must not
# get this runner killed, and the tests after it with it: the runner is
# exempt, each test is not.
echo -1000 >/proc/self/oom_score_adj 2>/dev/null
for t in "$dir"/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	echo "# kbpf selftest: $(basename "$t")"
	sh -c 'echo 0 >/proc/self/oom_score_adj 2>/dev/null; exec "$0"' "$t" || rc=1
done
exit $rc
