#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# bcc_current.py: a BCC program reads its caller's task_struct (pid, tgid,
# the parent's tgid) at getppid(), and this process checks them against
# what it knows. BCC lays the structure out from the running kernel's
# headers and configuration, so a kernel whose headers lied about its
# configuration would fail here. Exits 0 when all agree.

import os
import threading

from bcc import BPF

PROG = r"""
#include <linux/sched.h>

struct seen {
	u32 pid;
	u32 tgid;
	u32 parent_tgid;
};

BPF_ARRAY(seen, struct seen, 1);

TRACEPOINT_PROBE(syscalls, sys_enter_getppid)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct seen s = {};
	int zero = 0;

	if (bpf_get_current_pid_tgid() >> 32 != TGID)
		return 0;
	s.pid = task->pid;
	s.tgid = task->tgid;
	s.parent_tgid = task->real_parent->tgid;
	seen.update(&zero, &s);
	return 0;
}
"""

b = BPF(text=PROG.replace("TGID", str(os.getpid())))
ppid = os.getppid()
s = b["seen"][0]
want = (threading.get_native_id(), os.getpid(), ppid)
got = (s.pid, s.tgid, s.parent_tgid)
print("task_struct says pid %d tgid %d parent tgid %d; the process: %d %d %d"
      % (got + want))
raise SystemExit(0 if got == want else 1)
