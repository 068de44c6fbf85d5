/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KBPF_HOST_BTF_CHECK_H
#define _KBPF_HOST_BTF_CHECK_H

int kbpf_host_btf(char **paths, int nr);

#endif
