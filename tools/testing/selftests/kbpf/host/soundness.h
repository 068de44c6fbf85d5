/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KBPF_HOST_SOUNDNESS_H
#define KBPF_HOST_SOUNDNESS_H

int kbpf_scalar_soundness(unsigned long samples);

#endif /* KBPF_HOST_SOUNDNESS_H */
