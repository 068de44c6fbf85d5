#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of a kbpf guest (both arches). The root is read-only 9p; writable
# places are tmpfs. The host's vm.sh shares two more 9p directories:
#   xfer  -> /mnt/xfer  (read-write): cmd to run, status and dmesg back
#   repo  -> /mnt/repo  (read-only): the kbpf repository, the working dir
# With kbpf.shell=1 on the command line, an interactive shell runs instead.
# The command's exit status is written to /mnt/xfer/status; kernel warnings
# during the run make it fail. Then the guest resets (QEMU exits).

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=${TERM:-linux}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
for d in /tmp /run /var/tmp /mnt; do
	mount -t tmpfs tmpfs "$d" 2>/dev/null
done
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mkdir -p /mnt/xfer /mnt/repo
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 xfer /mnt/xfer
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro,cache=loose repo /mnt/repo
cd /mnt/repo || exit 1

if grep -q 'kbpf.shell=1' /proc/cmdline; then
	echo "kbpf guest: $(uname -r) $(uname -m); exit the shell to power off"
	# A shell with the serial line as controlling tty, for job control.
	tty=/dev/$(sed -n 's/.*console=\([^ ,]*\).*/\1/p' /proc/cmdline)
	(exec setsid -c sh -i <"$tty" >"$tty" 2>&1)
	rc=0
else
	sh /mnt/xfer/cmd
	rc=$?
fi

dmesg >/mnt/xfer/dmesg
# WARN()s and lockdep's reports ("WARNING: possible circular locking
# dependency"), BUG()s, KASAN and atomic-sleep reports ("BUG: ..."),
# oopses, leaks, undefined behaviour, debugobjects, hung tasks, and any
# OOM kill (a bpf(2) caller must get ENOMEM instead).
if grep -E 'WARNING:|BUG:|Oops|kmemleak: .*suspected|UBSAN:|KASAN:|ODEBUG:|INFO: task .* blocked|invoked oom-killer' \
	/mnt/xfer/dmesg; then
	echo "kbpf guest: the kernel reported a problem (above)"
	[ "$rc" != 0 ] || rc=99
fi
echo "$rc" >/mnt/xfer/status
sync
echo b >/proc/sysrq-trigger
