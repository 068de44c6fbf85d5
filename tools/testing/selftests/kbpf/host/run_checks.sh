#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_checks.sh OUTPUT CONFORMANCE_DIR [arm64]: run the host harness's
# test sets (the core's KUnit suites, the harness's own tests/, the
# assembler's tests and bpf_conformance, the last two through the
# interpreter and the JIT, and the JIT's edge cases), print each one's
# failures and summary, and end with the total as "N passed, N failed".
# A missing CONFORMANCE_DIR is reported and skipped.
#
# With arm64: the arm64 build, each program under $RUN (qemu-aarch64):
# what concerns the JIT, its atomics both with LSE and as LL/SC loops,
# and fuzz_jit's inputs from $X86_FUZZ (the x86-64 build's corpus and
# seeds) then FUZZ_TIME seconds of inputs mutated from them.
out=${1:?usage: run_checks.sh OUTPUT CONFORMANCE_DIR [arm64]}
conformance=${2:?usage: run_checks.sh OUTPUT CONFORMANCE_DIR [arm64]}
passed=0
failed=0

run() {
	name=$1
	shift
	log=$("$@" 2>&1)
	rc=$?
	echo "$log" | grep -E '^(FAIL|SKIP|corpus:|not ok|    not ok|    #|kbpf: [0-9]+ programs)' |
		sed "s/^/$name: /"
	line=$(echo "$log" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n1)
	if [ -z "$line" ]; then
		echo "$name: no summary line (exit $rc)"
		failed=$((failed + 1))
		return
	fi
	echo "$name: $line"
	p=${line%% passed*}
	f=${line#* passed, }
	f=${f%% failed*}
	[ "$rc" = 0 ] || [ "$f" != 0 ] || f=1
	passed=$((passed + p))
	failed=$((failed + f))
}

if [ "${3:-}" = arm64 ]; then
	host="$RUN $out/kbpf-host"
	run kunit $host selftest
	run kunit-llsc env KBPF_HOST_NO_LSE=1 $host selftest
	run harness $host conformance tests
	run harness-jit $host conformance --jit tests
	run jit-edges $host jit-edges
	if [ -d "$conformance" ]; then
		run conformance $host conformance "$conformance"
		run conformance-jit $host conformance --jit "$conformance"
		run conformance-jit-llsc env KBPF_HOST_NO_LSE=1 $host \
			conformance --jit "$conformance"
	else
		echo "conformance: $conformance not found, bpf_conformance skipped"
	fi
	run fuzz-jit sh -c "cd $out && $RUN fuzz/fuzz_jit_replay -seconds=${FUZZ_TIME:-20} \
		$(cd "$X86_FUZZ" && pwd)/corpus-fuzz_jit $(cd "$X86_FUZZ" && pwd)/seeds"
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
fi

run kunit "$out/kbpf-host" selftest
run soundness "$out/kbpf-host" scalar-soundness 4000
run harness "$out/kbpf-host" conformance tests
run harness-jit "$out/kbpf-host" conformance --jit tests
run jit-edges "$out/kbpf-host" jit-edges
run verifier "$out/kbpf-host" verify-suite ../verifier
if [ -d "$conformance" ]; then
	run asm "$out/asm_selftest" tests "$conformance"
	run conformance "$out/kbpf-host" conformance "$conformance"
	run conformance-jit "$out/kbpf-host" conformance --jit "$conformance"
else
	echo "conformance: $conformance not found, bpf_conformance skipped"
	run asm "$out/asm_selftest" tests
fi
# A short fuzzing run: no crash, leak or undefined behaviour on random input.
run fuzz ./fuzz/run.sh "$out/fuzz" 10 "$(pwd)/tests" "$(cd "$out/fuzz/seeds" && pwd)" \
	"$(cd "$out/fuzz/btf-seeds" && pwd)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
