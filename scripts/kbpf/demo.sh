#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build the x86_64 kbpf kernel, boot it and show what kbpf does.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$KBPF_SCRIPTS/build-kernel.sh" x86_64 kbpf >/dev/null
"$KBPF_SCRIPTS/build-selftests.sh" x86_64 >/dev/null
mkdir -p "$KBPF_REPO/build/demo"
clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu \
	-c "$KBPF_SCRIPTS/demo/count.bpf.c" -o "$KBPF_REPO/build/demo/count.bpf.o" ||
	kbpf_die "the demo program did not build"
echo "kbpf: booting the x86_64 kbpf kernel"
"$KBPF_SCRIPTS/vm.sh" x86_64 kbpf '
echo "== kernel: $(uname -r) on $(uname -m)"
zcat /proc/config.gz | grep -E "^CONFIG_KBPF|BPF_SYSCALL"
echo "== bpf(2) entry rules (kselftest, TAP)"
build/selftests/x86_64/syscall_entry
echo "== bpftool from the host root"
bpftool version | head -n1
echo "== a clang-built socket filter loaded by bpftool (libbpf), pinned in /sys/fs/bpf"
bpftool prog load build/demo/count.bpf.o /sys/fs/bpf/count_sizes
bpftool prog show pinned /sys/fs/bpf/count_sizes
echo "== run on frames of 100, 700 and 1500 bytes (BPF_PROG_TEST_RUN), 10, 20 and 30 times"
for run in 100:10 700:20 1500:30; do
	head -c ${run%:*} /dev/urandom >/tmp/frame
	printf "%5s bytes: " ${run%:*}
	bpftool prog run pinned /sys/fs/bpf/count_sizes data_in /tmp/frame repeat ${run#*:}
done
echo "== its hash map, counting packets by size class (bytes / 64)"
bpftool map show name sizes
bpftool map dump name sizes
rm /sys/fs/bpf/count_sizes
'
