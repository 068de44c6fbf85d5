#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build the x86_64 kbpf kernel, boot it and show what kbpf does.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$KBPF_SCRIPTS/build-kernel.sh" x86_64 kbpf >/dev/null
"$KBPF_SCRIPTS/build-selftests.sh" x86_64 >/dev/null
echo "kbpf: booting the x86_64 kbpf kernel"
"$KBPF_SCRIPTS/vm.sh" x86_64 kbpf '
echo "== kernel: $(uname -r) on $(uname -m)"
zcat /proc/config.gz | grep -E "^CONFIG_KBPF|BPF_SYSCALL"
echo "== bpf(2) entry rules (kselftest, TAP)"
build/selftests/x86_64/syscall_entry
echo "== bpftool from the host root"
bpftool version | head -n1
'
