#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: kbpf against the stock kernel, in the same QEMU setup and
# one run, then the interpreter against native code on the host.
#
# The guest part runs objects_bench and tracing_bench (tools/testing/selftests/kbpf/bench) in
# an x86_64 kbpf guest and a stock guest (twice: with upstream's JIT, and
# with net.core.bpf_jit_enable=0 for its interpreter) and prints each
# figure with its kbpf/stock ratios. Machines here are shared and noisy:
# only ratios from one run mean anything.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=x86_64
out=$KBPF_REPO/build/bench/$arch
mkdir -p "$out"
hdr=$("$KBPF_SCRIPTS/uapi-headers.sh" "$arch")
gcc -O2 -Wall -static -isystem "$hdr" \
	-o "$out/objects_bench" "$KBPF_REPO/tools/testing/selftests/kbpf/bench/objects_bench.c" ||
	kbpf_die "objects_bench did not build"
gcc -O2 -Wall -static -D_GNU_SOURCE -isystem "$hdr" \
	-o "$out/tracing_bench" "$KBPF_REPO/tools/testing/selftests/kbpf/bench/tracing_bench.c" \
	-lpthread || kbpf_die "tracing_bench did not build"
for f in kbpf stock; do
	"$KBPF_SCRIPTS/build-kernel.sh" "$arch" "$f" >/dev/null
done

rel="build/bench/$arch/objects_bench && build/bench/$arch/tracing_bench"
echo "kbpf bench: x86_64 guests (TCG), kbpf and stock" >&2
"$KBPF_SCRIPTS/vm.sh" "$arch" kbpf "$rel" >"$out/kbpf.txt"
"$KBPF_SCRIPTS/vm.sh" "$arch" stock "$rel" >"$out/stock-jit.txt"
"$KBPF_SCRIPTS/vm.sh" "$arch" stock \
	"sysctl -qw net.core.bpf_jit_enable=0 && $rel" >"$out/stock-interp.txt"

# Lower is better for ns and us, higher for ops/s; the ratio is always
# kbpf's cost over stock's, so below 1 means kbpf is faster.
awk '
FNR == 1 { file++ }
NF == 3 && $1 ~ /^(run|sys|load|trace)_/ {
	v[file, $1] = $2; unit[$1] = $3
	if (file == 1) order[++n] = $1
}
END {
	printf "%-24s %12s %12s %12s %9s %9s\n", "figure", "kbpf", "stock-jit",
	       "stock-intp", "vs jit", "vs intp"
	for (i = 1; i <= n; i++) {
		k = order[i]; a = v[1, k]; b = v[2, k]; c = v[3, k]
		inv = unit[k] == "ops/s"
		r1 = (a && b) ? (inv ? b / a : a / b) : 0
		r2 = (a && c) ? (inv ? c / a : a / c) : 0
		printf "%-24s %9.1f %-2s %9.1f %-2s %9.1f %-2s %8.2fx %8.2fx\n",
		       k, a, substr(unit[k], 1, 2), b, substr(unit[k], 1, 2),
		       c, substr(unit[k], 1, 2), r1, r2
	}
	print "ratios: kbpf cost / stock cost (below 1: kbpf faster)"
}' "$out/kbpf.txt" "$out/stock-jit.txt" "$out/stock-interp.txt"
grep -H "^\(perf\|ring\) buffer:" "$out/kbpf.txt" "$out/stock-jit.txt" "$out/stock-interp.txt" |
	sed "s|^$out/||"

echo
echo "kbpf bench: the interpreter against gcc -O2 on the host"
make -s -C "$KBPF_REPO/tools/testing/selftests/kbpf/host" bench
