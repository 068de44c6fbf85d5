#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_guest_tests.sh DIR: run every kbpf selftest binary in DIR (inside a
# guest), print their TAP output and exit non-zero if any failed.
dir=${1:?usage: run_guest_tests.sh DIR}
rc=0
for t in "$dir"/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	echo "# kbpf selftest: $(basename "$t")"
	"$t" || rc=1
done
exit $rc
