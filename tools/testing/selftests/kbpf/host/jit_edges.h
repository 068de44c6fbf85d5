/* SPDX-License-Identifier: GPL-2.0 */
/* The JIT's edge cases against the interpreter (kbpf-host jit-edges). */
#ifndef KBPF_HOST_JIT_EDGES_H
#define KBPF_HOST_JIT_EDGES_H

int kbpf_host_jit_edges(void);

#endif /* KBPF_HOST_JIT_EDGES_H */
