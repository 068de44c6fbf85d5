#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh ARCH FLAVOUR CMD...   run CMD in a fresh guest, print its output,
#                             exit with its status
# vm.sh --shell ARCH FLAVOUR  interactive shell in a fresh guest
#
# The guest boots the kernel built by build-kernel.sh under QEMU (TCG) with
# a read-only 9p root: the host's own root for x86_64 (so Debian's bpftool,
# bpftrace, BCC and libbpf run in it), a busybox root for arm64. CMD runs
# with the repository as working directory (/mnt/repo, read-only) under
# /bin/sh. Environment: KBPF_VM_TIMEOUT (seconds, default 900), KBPF_VM_MEM
# (default 2G), KBPF_VM_CPUS (default 2 on arm64, 1 on x86_64: see below),
# KBPF_VM_APPEND (more kernel command line).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

shell=0
if [ "${1:-}" = --shell ]; then
	shell=1
	shift
fi
arch=${1:?usage: vm.sh [--shell] ARCH FLAVOUR [CMD...]}
flavour=${2:?usage: vm.sh [--shell] ARCH FLAVOUR [CMD...]}
shift 2
kbpf_kernel_arch "$arch" >/dev/null
kbpf_check_flavour "$flavour"
[ "$shell" = 1 ] || [ $# -gt 0 ] || kbpf_die "vm.sh: no command to run"

timeout=${KBPF_VM_TIMEOUT:-900}
build=$KBPF_CACHE/build/$arch-$flavour
# Not while another run rebuilds the kernel; the guest boots a copy of
# it, so a build may start again once it has one.
kbpf_build_lock -s
common_append="loglevel=1 panic=-1 rootfstype=9p root=root ro"
common_append+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose"
case "$arch" in
x86_64)
	kernel=$build/arch/x86/boot/bzImage
	root=/
	init=$KBPF_SCRIPTS/guest-init.sh
	qemu=(qemu-system-x86_64 -M pc -cpu max)
	# One CPU until the bpf(2) fuzzer's "Oops: int3" at a tracepoint's
	# static call with two is understood (reliability.rst); the kernels
	# have ACPI, so KBPF_VM_CPUS=2 gives them two.
	cpus=${KBPF_VM_CPUS:-1}
	append="console=ttyS0 $common_append init=$init"
	# Under KASAN and kmemleak, ACPI's AML interpreter takes the debug
	# boot past 25 minutes under TCG; without ACPI it boots in 30 s, on
	# the one CPU the MP table names.
	[ "$flavour" != debug ] || append+=" acpi=off"
	;;
arm64)
	kernel=$build/arch/arm64/boot/Image
	root=$("$KBPF_SCRIPTS/rootfs-arm64.sh")
	# A GICv3 and its priority masking make the PMU's interrupt a
	# pseudo-NMI: perf_event programs on CPU cycles run in NMI context.
	qemu=(qemu-system-aarch64 -M virt,gic-version=3 -cpu max,pauth-impdef=on)
	cpus=${KBPF_VM_CPUS:-2}
	append="console=ttyAMA0 $common_append init=/init irqchip.gicv3_pseudo_nmi=1"
	;;
esac
[ -f "$kernel" ] ||
	kbpf_die "no $arch-$flavour kernel: run make kernel ARCH=$arch FLAVOUR=$flavour"
command -v "${qemu[0]}" >/dev/null ||
	kbpf_die "${qemu[0]} missing: run scripts/kbpf/install-deps.sh"

xfer=$(mktemp -d)
trap 'rm -rf "$xfer"' EXIT
cp "$kernel" "$xfer/kernel"
kernel=$xfer/kernel
kbpf_build_unlock
{
	echo "export KBPF_ARCH=$arch KBPF_FLAVOUR=$flavour"
	printf '%s\n' "$*"
} >"$xfer/cmd"

[ "$shell" = 0 ] || append+=" kbpf.shell=1"
[ -z "${KBPF_VM_APPEND:-}" ] || append+=" $KBPF_VM_APPEND"
# A scratch virtio disk (/dev/vda in the guest) for block I/O tracing.
truncate -s 64M "$xfer/disk.img"
qemu+=(-drive "file=$xfer/disk.img,if=virtio,format=raw")
qemu+=(-m "${KBPF_VM_MEM:-2G}" -smp "$cpus" -nodefaults -no-reboot
	-display none -kernel "$kernel" -append "$append"
	-virtfs "local,path=$root,mount_tag=root,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$xfer,mount_tag=xfer,security_model=none"
	-virtfs "local,path=$KBPF_REPO,mount_tag=repo,security_model=none,readonly=on,multidevs=remap")

if [ "$shell" = 1 ]; then
	"${qemu[@]}" -serial mon:stdio
	exit 0
fi

set +e
timeout -k 10 "$timeout" "${qemu[@]}" -serial stdio </dev/null |
	# Unbuffered, so a long run's log shows how far it got. A NUL byte
	# on the serial line would make grep take the rest for binary and
	# print none of it: NULs go, and grep is told the input is text.
	stdbuf -o0 tr -d "\r\000" |
	grep -a --line-buffered -v "^\[ *[0-9.]*\] sysrq: Resetting$"
qrc=${PIPESTATUS[0]}
set -e
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "kbpf: $arch-$flavour guest timed out after ${timeout}s" >&2
	exit 124
fi
if [ ! -s "$xfer/status" ]; then
	echo "kbpf: $arch-$flavour guest ended without a status (qemu exit $qrc):" >&2
	echo "the kernel crashed or the guest init failed" >&2
	exit 125
fi
exit "$(cat "$xfer/status")"
