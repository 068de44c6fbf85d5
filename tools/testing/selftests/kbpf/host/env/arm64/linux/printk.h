/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build of the A64 encoders: what they cannot encode they report
 * and return a fault instruction, which the JIT looks for; the report
 * goes to stderr.
 */
#ifndef _KBPF_HOST_LINUX_PRINTK_H
#define _KBPF_HOST_LINUX_PRINTK_H

#include <stdio.h>

#define pr_err(...)	fprintf(stderr, __VA_ARGS__)

#endif
