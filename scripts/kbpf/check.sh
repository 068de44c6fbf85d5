#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test kbpf has, in one run, ending with the line
# "N passed, N failed".
#
#  1. host: the harness's own tests (tools/testing/selftests/kbpf/host);
#     host-arm64: the same harness built for aarch64 with the arm64 JIT,
#     under qemu-aarch64
#  2. series: checkpatch --strict on every patch, git am onto the base
#  3. guests: the selftests in x86_64 and arm64 guests, kbpf and stock
#     (the x86_64 ones include BCC's tools, about ten minutes per kernel)
#  4. features: what bpftool's feature probe said on the x86_64 kbpf and
#     stock kernels differs only by kbpf's listed decisions
#  5. scale: upstream's verifier scale programs, kbpf's instructions
#     processed next to stock's, for each arch (scale-diff.py)
#  6. verifier: upstream's test_verifier, kbpf's verdicts against stock's,
#     for each arch (upstream-verifier-diff.py)
#  7. tooling: the failure paths of these scripts (bad patch, hung guest)
#
# A step that cannot run at all (a build that fails, a guest that hangs)
# counts as one failure. KBPF_CHECK_ARCHES and KBPF_CHECK_FLAVOURS narrow
# the guest runs (default: all).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

arches=${KBPF_CHECK_ARCHES:-x86_64 arm64}
flavours=${KBPF_CHECK_FLAVOURS:-kbpf stock}
logdir=$KBPF_REPO/build/check
mkdir -p "$logdir"
total_pass=0
total_fail=0
summary=()
failed_steps=()

# run_step NAME CMD...: run CMD, show its output, count its results: the
# last "N passed, N failed" line if it prints one, else TAP ok/not ok lines.
run_step() {
	local name=$1 log=$logdir/$1.log rc pass fail line start
	shift
	echo "=== $name"
	start=$(date +%s)
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
	if [ -n "$line" ]; then
		pass=$(echo "$line" | sed -E 's/^([A-Za-z]+: )?([0-9]+) passed.*/\2/')
		fail=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	else
		pass=$(grep -cE '^ok [0-9]+ ' "$log")
		fail=$(grep -cE '^not ok [0-9]+ ' "$log")
	fi
	if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
		echo "kbpf: step $name failed (exit $rc) without a failing test" >&2
		fail=1
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	[ "$fail" = 0 ] || failed_steps+=("$name")
	summary+=("$(printf '%-22s %4d passed, %d failed  (%ds)' "$name" "$pass" "$fail" \
		$(($(date +%s) - start)))")
}

# Every selftest, then the bpf(2) fuzzer briefly (KBPF_CHECK_FUZZ_SECONDS,
# default 20; seed 1): the long runs are make debug's.
guest_tests() {
	local arch=$1 flavour=$2 dir=build/selftests/$1
	"$KBPF_SCRIPTS/build-kernel.sh" "$arch" "$flavour" >/dev/null &&
	"$KBPF_SCRIPTS/build-selftests.sh" "$arch" >/dev/null &&
	KBPF_VM_TIMEOUT=${KBPF_VM_TIMEOUT:-2400} "$KBPF_SCRIPTS/vm.sh" "$arch" "$flavour" "
sh tools/testing/selftests/kbpf/run_guest_tests.sh $dir $flavour
rc=\$?
echo '# kbpf selftest: bpf_fuzz'
KBPF_FUZZ_SECONDS=${KBPF_CHECK_FUZZ_SECONDS:-20} KBPF_FUZZ_SEED=1 $dir/fuzz/bpf_fuzz || rc=1
exit \$rc"
}

series() {
	local src
	src=$("$KBPF_SCRIPTS/assemble-tree.sh") &&
	"$KBPF_SCRIPTS/export-series.py" "$src" "$KBPF_REPO/out/series"
}

start=$(date +%s)
if [ -f "$KBPF_REPO/tools/testing/selftests/kbpf/host/Makefile" ]; then
	run_step host make -s -C "$KBPF_REPO/tools/testing/selftests/kbpf/host" check
	run_step host-arm64 make -s -C "$KBPF_REPO/tools/testing/selftests/kbpf/host" \
		JIT_ARCH=arm64 check
fi
run_step series series
for arch in $arches; do
	for flavour in $flavours; do
		run_step "guest-$arch-$flavour" guest_tests "$arch" "$flavour"
	done
done
if [ -f "$logdir/guest-x86_64-kbpf.log" ] && [ -f "$logdir/guest-x86_64-stock.log" ] &&
   [[ " $arches " == *" x86_64 "* && " $flavours " == *" kbpf "* &&
      " $flavours " == *" stock "* ]]; then
	run_step features "$KBPF_SCRIPTS/feature-diff.py" "$logdir/guest-x86_64-kbpf.log" \
		"$logdir/guest-x86_64-stock.log" \
		"$KBPF_REPO/tools/testing/selftests/kbpf/feature_probe.decisions"
fi
for arch in $arches; do
	if [[ " $flavours " == *" kbpf "* && " $flavours " == *" stock "* ]]; then
		run_step "scale-$arch" "$KBPF_SCRIPTS/scale-diff.py" \
			"$logdir/guest-$arch-kbpf.log" "$logdir/guest-$arch-stock.log"
		run_step "verifier-$arch" "$KBPF_SCRIPTS/upstream-verifier-diff.py" "$arch" \
			"$logdir/guest-$arch-kbpf.log" "$logdir/guest-$arch-stock.log" \
			"$KBPF_REPO/tools/testing/selftests/kbpf/upstream"
	fi
done
run_step tooling "$KBPF_SCRIPTS/test-tooling.sh"

# What failed, again, last: CI shows a run's end, and a guest's log is
# long. The failing tests, kernel reports and the scripts' own words.
for name in "${failed_steps[@]}"; do
	echo "=== why $name failed (from $logdir/$name.log)"
	grep -a -E '^not ok|WARNING:|BUG:|Oops|KASAN:|UBSAN:|oom-killer|^kbpf: ' \
		"$logdir/$name.log" | tail -n 20
	echo "(its last lines:)"
	tail -n 5 "$logdir/$name.log"
done
echo "=== summary ($(($(date +%s) - start))s)"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
