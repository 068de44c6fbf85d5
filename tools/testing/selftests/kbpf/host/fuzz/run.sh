#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh DIR SECONDS [SEED_DIR...]: run every libFuzzer target in DIR for
# SECONDS each, each with its own corpus in DIR/corpus-NAME (kept between
# runs) and the SEED_DIRs as read-only seeds; a target that finds a crash,
# a leak or undefined behaviour fails, and its input is left in DIR. Ends
# with "N passed, N failed".
dir=${1:?usage: run.sh DIR SECONDS [SEED_DIR...]}
seconds=${2:?usage: run.sh DIR SECONDS [SEED_DIR...]}
shift 2
passed=0
failed=0
for bin in "$dir"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	mkdir -p "$dir/corpus-$name"
	if (cd "$dir" && "./$name" -max_total_time="$seconds" -timeout=60 -print_final_stats=1 \
		"corpus-$name" "$@") >"$dir/$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$name.log")
		kept=$(sed -n 's/^kbpf: //p' "$dir/$name.log")
		echo "$name: ${runs:-?} inputs in ${seconds}s${kept:+ ($kept)}, nothing found"
		passed=$((passed + 1))
	else
		echo "$name: FAILED, see $dir/$name.log:"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$dir/$name.log" | head -5
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
