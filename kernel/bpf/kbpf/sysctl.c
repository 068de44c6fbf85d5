// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.unprivileged_bpf_disabled on a kbpf kernel, and
 * kernel.kbpf_jit_fallbacks.
 *
 * kbpf has no unprivileged mode: making a map or a program needs CAP_BPF
 * or CAP_SYS_ADMIN, and other commands only let a process use the fds it
 * was given (syscall.c). Tools read this knob to learn whether
 * unprivileged users may call bpf(2) (bpftool feature probe, hardening
 * checks), so it exists and gives upstream's answer for "disabled, for
 * good": 1. As upstream in
 * that state, writing 1 again is accepted and any other value is -EPERM;
 * values outside 0..2 are -EINVAL, and writing takes CAP_SYS_ADMIN.
 *
 * kernel.kbpf_jit_fallbacks (read-only, with CONFIG_KBPF_JIT) counts the
 * loads that asked for the JIT (net.core.bpf_jit_enable) and run
 * interpreted: a program the JIT does not take, or a JIT that failed.
 */

#include <linux/capability.h>
#include <linux/init.h>
#include <linux/sysctl.h>

#include "jit_image.h"

static int kbpf_unpriv_disabled_handler(const struct ctl_table *table,
					int write, void *buffer, size_t *lenp,
					loff_t *ppos)
{
	int value = 1;
	struct ctl_table tmp = {
		.data = &value,
		.maxlen = sizeof(value),
		.mode = table->mode,
		.extra1 = SYSCTL_ZERO,
		.extra2 = SYSCTL_TWO,
	};
	int err;

	if (write && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (write && !err && value != 1)
		return -EPERM;
	return err;
}

static int kbpf_jit_fallbacks_handler(const struct ctl_table *table,
				      int write, void *buffer, size_t *lenp,
				      loff_t *ppos)
{
	unsigned long value = 0;
	struct ctl_table tmp = {
		.data = &value,
		.maxlen = sizeof(value),
		.mode = table->mode,
	};

	if (write)
		return -EPERM;
	if (IS_ENABLED(CONFIG_KBPF_JIT))
		value = kbpf_jit_fallbacks_read();
	return proc_doulongvec_minmax(&tmp, write, buffer, lenp, ppos);
}

static struct ctl_table kbpf_sysctls[] = {
	{
		.procname = "unprivileged_bpf_disabled",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = kbpf_unpriv_disabled_handler,
	},
	{
		.procname = "kbpf_jit_fallbacks",
		.maxlen = sizeof(unsigned long),
		.mode = 0444,
		.proc_handler = kbpf_jit_fallbacks_handler,
	},
};

static int __init kbpf_sysctl_init(void)
{
	register_sysctl_init("kernel", kbpf_sysctls);
	return 0;
}
late_initcall(kbpf_sysctl_init);
