#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kmemleak.sh [ARCH]: build the kmemleak flavour (kbpf with the kernel's
# leak detector), run every kbpf selftest in it, then let kmemleak scan
# and print what it found. Exits non-zero when the tests fail or kmemleak
# reports an object that kbpf's code allocated.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:-x86_64}
"$KBPF_SCRIPTS/build-kernel.sh" "$arch" kmemleak >/dev/null
"$KBPF_SCRIPTS/build-selftests.sh" "$arch" >/dev/null
"$KBPF_SCRIPTS/vm.sh" "$arch" kmemleak "
sh tools/testing/selftests/kbpf/run_guest_tests.sh build/selftests/$arch kmemleak >/tmp/tests.log 2>&1
rc=\$?
grep -E '^# Totals' /tmp/tests.log
# Objects freed through RCU and workqueues go a little after the tests.
sleep 5
echo clear >/sys/kernel/debug/kmemleak
sh tools/testing/selftests/kbpf/run_guest_tests.sh build/selftests/$arch kmemleak >/dev/null 2>&1
sleep 5
echo scan >/sys/kernel/debug/kmemleak
sleep 5
echo scan >/sys/kernel/debug/kmemleak
cat /sys/kernel/debug/kmemleak >/tmp/leaks
n=\$(grep -c '^unreferenced object' /tmp/leaks || true)
k=\$(grep -c 'kbpf' /tmp/leaks || true)
echo \"kmemleak: \$n unreferenced objects after a second run of the selftests, \$k stack lines in kbpf\"
grep -A14 '^unreferenced object' /tmp/leaks | grep -B4 -A10 kbpf | head -80
[ \$rc = 0 ] && [ \$k = 0 ]
"
