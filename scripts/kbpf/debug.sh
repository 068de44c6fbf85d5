#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug.sh [ARCH]: build the debug flavour (kbpf with KASAN, lockdep,
# UBSAN, debugobjects, kmemleak and fault injection: configs/debug.config),
# run every kbpf selftest in it, the bpf(2) fuzzer for KBPF_FUZZ_SECONDS
# (default 300), then for as long again with KBPF_FUZZ_FAULTS percent
# (default 1) of the allocations in its bpf(2) calls made to fail, then
# let kmemleak scan.
#
# Fails when a test fails, when any checker reports (guest-init.sh reads
# the guest's log for KASAN, lockdep, UBSAN, debugobjects, hung tasks,
# OOM kills and WARNs), or when kmemleak finds an unreferenced object.
# Environment: KBPF_VM_TIMEOUT (default 14400 s: the selftests run
# several times slower here), KBPF_FUZZ_SEED, KBPF_FUZZ_THREADS;
# KBPF_DEBUG_SELFTESTS=0 for the fuzzer alone (a soak).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:-x86_64}
fuzz_env="KBPF_FUZZ_SECONDS=${KBPF_FUZZ_SECONDS:-300}"
faults=${KBPF_FUZZ_FAULTS:-1}
tests="sh tools/testing/selftests/kbpf/run_guest_tests.sh \$dir debug"
[ "${KBPF_DEBUG_SELFTESTS:-1}" != 0 ] || tests=true
[ -z "${KBPF_FUZZ_SEED:-}" ] || fuzz_env+=" KBPF_FUZZ_SEED=$KBPF_FUZZ_SEED"
[ -z "${KBPF_FUZZ_THREADS:-}" ] || fuzz_env+=" KBPF_FUZZ_THREADS=$KBPF_FUZZ_THREADS"
"$KBPF_SCRIPTS/build-kernel.sh" "$arch" debug >/dev/null
"$KBPF_SCRIPTS/build-selftests.sh" "$arch" >/dev/null
KBPF_VM_TIMEOUT=${KBPF_VM_TIMEOUT:-14400} "$KBPF_SCRIPTS/vm.sh" "$arch" debug "
dir=build/selftests/$arch
# Only what the tests leave counts, not what booting left.
echo clear >/sys/kernel/debug/kmemleak
$tests
rc=\$?
echo '# kbpf selftest: bpf_fuzz, longer'
env $fuzz_env \$dir/fuzz/bpf_fuzz || rc=1
echo '# kbpf selftest: bpf_fuzz, allocations failing'
env $fuzz_env KBPF_FUZZ_FAULTS=$faults \$dir/fuzz/bpf_fuzz || rc=1
# Objects freed through RCU and workqueues go a little after the tests.
sleep 5
echo scan >/sys/kernel/debug/kmemleak
sleep 5
echo scan >/sys/kernel/debug/kmemleak
cat /sys/kernel/debug/kmemleak >/tmp/leaks
n=\$(grep -c '^unreferenced object' /tmp/leaks || true)
k=\$(grep -c 'kbpf' /tmp/leaks || true)
echo \"# kmemleak: \$n unreferenced objects, \$k stack lines in kbpf\"
# Whose they are: the tasks that allocated them, and the first reports.
grep -o 'comm \"[^\"]*\"' /tmp/leaks | sort | uniq -c | sort -rn | head
head -60 /tmp/leaks
grep -A14 '^unreferenced object' /tmp/leaks | grep -B4 -A10 kbpf | head -80
[ \$n = 0 ] || rc=1
echo \"# debug flavour: selftests and fuzzer \$([ \$rc = 0 ] && echo passed || echo FAILED)\"
exit \$rc
"
