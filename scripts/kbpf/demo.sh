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
echo "== bpftrace $(bpftrace --version | cut -d" " -f2): every syscall counted by probe for 3 s (top 8)"
bpftrace -e "tracepoint:syscalls:sys_enter_* { @[probe] = count(); } interval:s:3 { exit(); }" |
	grep "^@" | sort -k2 -n | tail -n 8
echo "== bpftrace: file opens with a kretprobe, the opener and its fd"
bpftrace -e "kretprobe:do_sys_openat2 /comm == \"cat\"/ { printf(\"%s opened fd %d\n\", comm, retval); }" \
	-c "/usr/bin/cat /etc/hostname /etc/os-release" | grep "opened fd"
echo "== bpftrace: block I/O sizes on a virtio disk (what BCC bitehist shows)"
bpftrace -e "tracepoint:block:block_rq_issue { @kbytes = hist(args->bytes / 1024); }" \
	-c "/usr/bin/dd if=/dev/vda of=/dev/null bs=1M count=8 iflag=direct" 2>&1 | grep -v "records\|copied"
echo "== bpftrace: where the kernel spends its time, 99 Hz for 2 s (top stack)"
bpftrace -e "profile:hz:99 { @[kstack(5)] = count(); } interval:s:2 { exit(); }" | tail -n 8
# BCC compiles each tool against the kernel headers in the running kernel
# (kheaders): about a minute per tool under TCG.
export PYTHONUNBUFFERED=1
echo "== BCC $(dpkg-query -W -f="\${Version}" bpfcc-tools): execsnoop-bpfcc while a shell runs three commands"
env --default-signal=INT execsnoop-bpfcc >/tmp/execsnoop.out 2>/dev/null &
for i in $(seq 300); do grep -q "^PCOMM" /tmp/execsnoop.out && break; sleep 1; done
sh -c "uname -r >/dev/null; id -u >/dev/null; ls /mnt >/dev/null"
sleep 2
kill -INT $! && wait $!
grep -E "^(PCOMM|sh|uname|id|ls) " /tmp/execsnoop.out
echo "== BCC: block I/O sizes and latencies on the virtio disk (bitehist and biolatency on the block tracepoints)"
build/selftests/x86_64/helpers/bcc_block.py 8 >/tmp/block.out 2>/dev/null &
for i in $(seq 300); do grep -q "^Tracing" /tmp/block.out && break; sleep 1; done
dd if=/dev/vda of=/dev/null bs=64k count=64 iflag=direct 2>/dev/null
dd if=/dev/vda of=/dev/null bs=4k count=64 iflag=direct 2>/dev/null
wait $!
cat /tmp/block.out
'
