#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# BCC's tools on the running kernel: each traces an exact number of events
# that helpers/loader_workload (or dd, or exec) makes once the tool is
# tracing, and its output is checked for what a stock kernel prints. Runs
# on both flavours with the same expectations; skipped where BCC is not
# installed (the arm64 guest's busybox root). libbcc compiles every tool
# against /sys/kernel/kheaders.tar.xz, so this also checks that a kernel's
# headers and configuration describe it (CONFIG_BPF_SYSCALL included).
#
# BCC's compiler is slow under TCG (about a minute per tool): the cases run
# one at a time, each waiting up to $BCC_WAIT seconds for its tool to start.

dir=$(cd "$(dirname "$0")" && pwd)
wl=$dir/helpers/loader_workload
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
go=$tmp/go
BCC_WAIT=${BCC_WAIT:-400}
# The tools print through Python: unbuffered, their headers show at once.
export PYTHONUNBUFFERED=1
n=0
failed=0

echo "TAP version 13"
if ! command -v execsnoop-bpfcc >/dev/null 2>&1; then
	echo "1..0 # SKIP BCC (bpfcc-tools) is not installed"
	exit 0
fi
echo "1..9"

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		sed 's/^/# /' "$out" | grep -v 'warning:\|note:\|^# *[~^]' | tail -40
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# start_tool READY CMD...: run CMD in the background into $out; wait until
# a line matches READY. Sets $tool. A shell starts background commands
# with SIGINT ignored, and Python then never turns it into
# KeyboardInterrupt: env puts it back.
start_tool() {
	ready=$1
	shift
	: >"$out"
	env --default-signal=INT "$@" >"$out" 2>&1 &
	tool=$!
	i=0
	while ! grep -qE "$ready" "$out"; do
		if ! kill -0 "$tool" 2>/dev/null || [ "$i" -ge "$((BCC_WAIT * 2))" ]; then
			return 1
		fi
		sleep 0.5
		i=$((i + 1))
	done
}

# warm_up PATTERN CMD...: run CMD until the tool prints a line matching
# PATTERN (at most BCC_WAIT seconds). execsnoop and opensnoop print their
# header before they open their perf buffers, and what happens in between
# is lost on any kernel: in the debug guest, long enough to miss an exec.
warm_up() {
	pattern=$1
	shift
	i=0
	while ! grep -qE "$pattern" "$out"; do
		[ "$i" -lt "$((BCC_WAIT * 2))" ] || return 1
		"$@" >/dev/null 2>&1
		sleep 0.5
		i=$((i + 1))
	done
}

# stop_tool: SIGINT (what Ctrl-C sends) once the tool has had time to read
# its buffers, then wait for it; SIGKILL if it is still there after 30 s.
stop_tool() {
	sleep 2
	kill -INT "$tool" 2>/dev/null
	i=0
	while kill -0 "$tool" 2>/dev/null && [ "$i" -lt 60 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	kill -KILL "$tool" 2>/dev/null
	wait "$tool"
}

# pid_tool CALLS CMD...: run CMD, with the word PID replaced by the pid of
# a "loader_workload getppid CALLS" that is held until CMD traces; CMD
# ends by itself (a duration). Fails if CMD never started.
pid_tool() {
	calls=$1
	shift
	rm -f "$go"
	sh -c 'while [ ! -e "$0" ]; do sleep 0.1; done; shift; exec "$@"' \
		"$go" x "$wl" getppid "$calls" &
	wpid=$!
	for arg; do
		shift
		[ "$arg" = PID ] && arg=$wpid
		set -- "$@" "$arg"
	done
	if start_tool '^Tracing' "$@"; then
		touch "$go"
		wait "$tool"
		started=0
	else
		kill -KILL "$tool" 2>/dev/null
		started=1
	fi
	touch "$go"
	wait "$wpid"
	return $started
}

# refused_by_inlining CMD...: CMD fails, saying it cannot attach its kprobe
# to blk_account_io_done(), which 6.12 inlines.
refused_by_inlining() {
	! timeout 600 "$@" >"$out" 2>&1 &&
	[ "$(count 'Failed to attach BPF program .* to kprobe b.blk_account_io_done')" = 1 ]
}

# count PATTERN: how many lines of $out match the extended regex PATTERN.
count() {
	grep -cE "$1" "$out"
}

# 1. execsnoop: one line per exec, with its arguments.
cp /bin/true "$tmp/bccmark"
rc=1
if start_tool '^PCOMM' execsnoop-bpfcc -n bccmark &&
   warm_up "^bccmark .* $tmp/bccmark warm$" "$tmp/bccmark" warm; then
	for i in 1 2 3 4 5; do
		"$tmp/bccmark" arg$i
	done
	stop_tool
	[ "$(count "^bccmark +[0-9]+ +[0-9]+ +0 $tmp/bccmark arg[1-5]$")" = 5 ] && rc=0
fi
result $rc "execsnoop: 5 execs, 5 lines with their arguments"

# 2. opensnoop: the path each open() names, and the fd it got.
rc=1
if start_tool '^PID +COMM' opensnoop-bpfcc -n loader_workload &&
   warm_up ' /etc/passwd$' "$wl" open /etc/passwd 1; then
	"$wl" open /etc/hostname 7
	"$wl" open /nonexistent 3
	stop_tool
	[ "$(count '^[0-9]+ +loader_workload +3 +0 /etc/hostname$')" = 7 ] &&
	[ "$(count '^[0-9]+ +loader_workload +-1 +2 /nonexistent$')" = 3 ] && rc=0
fi
result $rc "opensnoop: 7 opens and 3 failed ones, by path"

# 3. funccount on a syscall tracepoint, one process: an exact count. (Through
# helpers/funccount_tp.py: BCC 0.26's funccount cannot print tracepoint
# names under Python 3 on any kernel.)
pid_tool 500 "$dir/helpers/funccount_tp.py" -p PID -d 30 t:syscalls:sys_enter_getppid &&
	[ "$(count '^syscalls:sys_enter_getppid +500$')" = 1 ]
result $? "funccount: sys_enter_getppid 500 times"

# 4. stackcount: the kernel stacks of a kprobe, symbolized, counted. The
# compiler gives __x64_sys_getppid and __do_sys_getppid one address; which
# name BCC prints for it depends on how its sort orders equal addresses,
# which changes from one build to another, on either kernel.
pid_tool 300 stackcount-bpfcc -K -p PID -D 30 __x64_sys_getppid &&
	[ "$(count '^ +__(x64|do)_sys_getppid$')" = 1 ] &&
	[ "$(count '^ +do_syscall_64$')" = 1 ] &&
	[ "$(count '^ +300$')" = 1 ]
result $? "stackcount: one stack through do_syscall_64, 300 times"

# 5. syscount: the system calls of one process, by name.
pid_tool 400 syscount-bpfcc -p PID -d 30 &&
	[ "$(count '^getppid +400$')" = 1 ]
result $? "syscount: getppid 400 times"

# 6, 7. biolatency and bitehist.py probe blk_account_io_done(): BCC cannot
# attach them on any 6.12 kernel, and says so the same way.
refused_by_inlining biolatency-bpfcc 1 1
result $? "biolatency: refuses with 6.12's inlined blk_account_io_done, as stock"
refused_by_inlining python3 /usr/share/doc/bpfcc-tools/examples/tracing/bitehist.py
result $? "bitehist.py: refuses with 6.12's inlined blk_account_io_done, as stock"

# 8. Their tracepoint equivalent on the guest's scratch disk: 100 direct
# reads of 4 KiB, each one request, sized and timed.
rc=1
if [ -b /dev/vda ] && start_tool '^Tracing' "$dir/helpers/bcc_block.py" 20; then
	dd if=/dev/vda of=/dev/null bs=4k count=100 iflag=direct 2>/dev/null
	wait "$tool"
	[ "$(count '^ +4 -> 7 +: 100 ')" = 1 ] &&
	[ "$(count '^kbytes total: 100$')" = 1 ] &&
	[ "$(count '^usecs total: 100$')" = 1 ] && rc=0
fi
result $rc "block tracepoints: 100 direct reads, sized and timed"

# 9. The layout BCC reads task_struct with matches the kernel's.
: >"$out"
"$dir/helpers/bcc_current.py" >"$out" 2>&1
result $? "task_struct's pid, tgid and parent's tgid as the process knows them"

echo "# BCC tools: $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
