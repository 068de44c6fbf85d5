#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Real loaders on the running kernel: bpftrace one-liners on each kind of
# hook, with loader_workload making an exact number of events, each
# output checked for what a stock kernel prints. Runs on both flavours
# with the same expectations; skipped where bpftrace is not installed
# (the arm64 guest's busybox root).

dir=$(cd "$(dirname "$0")" && pwd)
wl=$dir/helpers/loader_workload
out=$(mktemp)
trap 'rm -f "$out"' EXIT
n=0
failed=0

echo "TAP version 13"
if ! command -v bpftrace >/dev/null 2>&1; then
	echo "1..0 # SKIP bpftrace is not installed"
	exit 0
fi
echo "1..8"

# bt NAME PATTERN CMD PROGRAM [LINES]: run PROGRAM while CMD runs; the
# output must have a line matching the extended regex PATTERN (exactly
# LINES of them when given).
bt() {
	name=$1 pattern=$2 cmd=$3 prog=$4 lines=${5:-}
	n=$((n + 1))
	timeout 300 bpftrace -e "$prog" -c "$cmd" >"$out" 2>&1
	seen=$(grep -Ec "$pattern" "$out")
	if [ "$seen" -gt 0 ] && { [ -z "$lines" ] || [ "$seen" = "$lines" ]; }; then
		echo "ok $n - $name"
	else
		sed 's/^/# /' "$out" | tail -30
		echo "not ok $n - $name"
		failed=$((failed + 1))
	fi
}

bt "every syscall tracepoint, counted by probe" \
	'^@\[tracepoint:syscalls:sys_enter_getppid\]: 500$' "$wl getppid 500" \
	'tracepoint:syscalls:sys_enter_* /comm == "loader_workload"/ { @[probe] = count(); }'

# Without BTF, bpftrace reads arg1 as kernel memory: both kernels print
# the comm and an empty string.
bt "kprobe with printf, one line per open" \
	'^loader_workload: $' "$wl open /etc/hostname 7" \
	'kprobe:do_sys_openat2 /comm == "loader_workload"/
	 { printf("%s: %s\n", comm, str(arg1)); }' 7

# A struct field with no #include: bpftrace knows curtask is a struct
# task_struct from the kernel's BTF (/sys/kernel/btf/vmlinux).
bt "a task_struct field through the kernel's BTF" \
	'^tgid is pid$' "$wl getppid 3" \
	'tracepoint:syscalls:sys_enter_getppid /comm == "loader_workload"/
	 { if (curtask->tgid == pid) { printf("tgid is pid\n"); } exit(); }' 1

bt "kretprobe histogram of return values" \
	'^\[2, 4\) +7 \|@+\|$' "$wl open /etc/hostname 7" \
	'kretprobe:do_sys_openat2 /comm == "loader_workload"/ { @ret = hist(retval); }'

bt "uprobe on a function of a binary, counted" \
	'^@calls: 100$' "$wl func 100" \
	"uprobe:$wl:loader_work { @calls = count(); }"

bt "sched_switch with tracepoint arguments" \
	'^@switches: ([1-9][0-9]|[2-9])' "$wl sleep 20" \
	'tracepoint:sched:sched_switch /args->prev_pid == cpid/ { @switches = count(); }'

bt "profile at 99 Hz with kernel stacks" \
	'^@\[$' "$wl sleep 500" \
	'profile:hz:99 { @[kstack] = count(); }'

bt "BEGIN, interval and END" \
	'^end 3$' "$wl sleep 3000" \
	'BEGIN { printf("begin\n"); }
	 interval:ms:200 { @i++; if (@i == 3) { exit(); } }
	 END { printf("end %d\n", @i); clear(@i); }'

echo "# real loaders: $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
