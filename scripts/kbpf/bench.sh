#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: kbpf against the stock kernel, in the same QEMU setup and
# one run, then the interpreter against native code on the host.
#
# The guest part runs objects_bench, tracing_bench and btf_bench
# (tools/testing/selftests/kbpf/bench) in a kbpf guest and a stock guest
# of each arch (KBPF_BENCH_ARCHES, default x86_64 arm64), each twice:
# with its JIT, and with net.core.bpf_jit_enable=0 for its interpreter,
# and prints each
# figure with the kbpf/stock ratios, JIT against JIT and interpreter
# against interpreter. The JIT's time per load is the difference of the
# two kbpf load figures. Machines here are shared and noisy: only ratios
# from one run mean anything.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# bench_arch ARCH: the guest figures for one arch.
bench_arch() {
	local arch=$1 out=$KBPF_REPO/build/bench/$1 hdr cc=gcc f rel
	mkdir -p "$out"
	[ "$arch" = arm64 ] && cc=aarch64-linux-gnu-gcc
	hdr=$("$KBPF_SCRIPTS/uapi-headers.sh" "$arch")
	$cc -O2 -Wall -static -isystem "$hdr" \
		-o "$out/objects_bench" "$KBPF_REPO/tools/testing/selftests/kbpf/bench/objects_bench.c" ||
		kbpf_die "objects_bench did not build"
	$cc -O2 -Wall -static -D_GNU_SOURCE -isystem "$hdr" \
		-o "$out/tracing_bench" "$KBPF_REPO/tools/testing/selftests/kbpf/bench/tracing_bench.c" \
		-lpthread || kbpf_die "tracing_bench did not build"
	$cc -O2 -Wall -static -isystem "$hdr" \
		-o "$out/btf_bench" "$KBPF_REPO/tools/testing/selftests/kbpf/bench/btf_bench.c" ||
		kbpf_die "btf_bench did not build"
	for f in kbpf stock; do
		"$KBPF_SCRIPTS/build-kernel.sh" "$arch" "$f" >/dev/null
	done

	rel="build/bench/$arch/objects_bench && build/bench/$arch/tracing_bench &&
	     build/bench/$arch/btf_bench"
	echo "kbpf bench: $arch guests (TCG), kbpf and stock"
	"$KBPF_SCRIPTS/vm.sh" "$arch" kbpf "$rel" >"$out/kbpf-jit.txt"
	"$KBPF_SCRIPTS/vm.sh" "$arch" kbpf \
		"sysctl -qw net.core.bpf_jit_enable=0 && $rel" >"$out/kbpf-interp.txt"
	"$KBPF_SCRIPTS/vm.sh" "$arch" stock "$rel" >"$out/stock-jit.txt"
	"$KBPF_SCRIPTS/vm.sh" "$arch" stock \
		"sysctl -qw net.core.bpf_jit_enable=0 && $rel" >"$out/stock-interp.txt"

	# Lower is better for ns and us, higher for ops/s; the ratio is always
	# kbpf's cost over stock's, so below 1 means kbpf is faster.
	awk '
	FNR == 1 { file++ }
	NF == 3 && $1 ~ /^(run|sys|load|trace|mem)_/ {
		v[file, $1] = $2; unit[$1] = $3
		if (file == 1) order[++n] = $1
	}
	function ratio(a, b, inv) {
		return (a && b) ? (inv ? b / a : a / b) : 0
	}
	END {
		printf "%-24s %11s %11s %11s %11s %8s %8s\n", "figure", "kbpf-jit",
		       "kbpf-intp", "stock-jit", "stock-intp", "jit", "intp"
		for (i = 1; i <= n; i++) {
			k = order[i]; u = substr(unit[k], 1, 2); inv = unit[k] == "ops/s"
			printf "%-24s %8.1f %-2s %8.1f %-2s %8.1f %-2s %8.1f %-2s %7.2fx %7.2fx\n",
			       k, v[1, k], u, v[2, k], u, v[3, k], u, v[4, k], u,
			       ratio(v[1, k], v[3, k], inv), ratio(v[2, k], v[4, k], inv)
		}
		print "ratios: kbpf cost / stock cost, JIT vs JIT and interpreter vs interpreter (below 1: kbpf faster)"
		k = "load_4096_insns"
		if (v[1, k] && v[2, k])
			printf "kbpf JIT time: %.1f us per 1000 insns (load with JIT less load without)\n",
			       (v[1, k] - v[2, k]) / 4.096
	}' "$out/kbpf-jit.txt" "$out/kbpf-interp.txt" "$out/stock-jit.txt" "$out/stock-interp.txt"
	grep -H "^\(perf\|ring\) buffer:" "$out/kbpf-jit.txt" "$out/kbpf-interp.txt" \
		"$out/stock-jit.txt" "$out/stock-interp.txt" |
		sed "s|^$out/||"
	echo
}

for arch in ${KBPF_BENCH_ARCHES:-x86_64 arm64}; do
	bench_arch "$arch"
done
echo "kbpf bench: the interpreter and the JIT against gcc -O2 on the host"
make -s -C "$KBPF_REPO/tools/testing/selftests/kbpf/host" bench
echo
echo "kbpf bench: the same, arm64, under qemu-aarch64"
make -s -C "$KBPF_REPO/tools/testing/selftests/kbpf/host" JIT_ARCH=arm64 bench
