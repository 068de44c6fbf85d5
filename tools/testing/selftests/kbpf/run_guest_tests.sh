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
for t in "$dir"/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	echo "# kbpf selftest: $(basename "$t")"
	"$t" || rc=1
done
exit $rc
