/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs and their native code (jit.c): what the rest of kbpf calls.
 * Without CONFIG_KBPF_JIT every program is interpreted.
 */
#ifndef _KBPF_JIT_IMAGE_H
#define _KBPF_JIT_IMAGE_H

#include <linux/types.h>
#include <uapi/linux/bpf.h>

struct kbpf_prog;

#ifdef CONFIG_KBPF_JIT
void kbpf_jit_prog(struct kbpf_prog *prog);
void kbpf_jit_drop(struct kbpf_prog *prog);
void kbpf_jit_publish(struct kbpf_prog *prog);
void kbpf_jit_unpublish(struct kbpf_prog *prog);
void kbpf_jit_free(struct kbpf_prog *prog);
int kbpf_jit_info(const struct kbpf_prog *prog, struct bpf_prog_info *info,
		  const struct bpf_prog_info *in, bool raw);
u64 kbpf_jit_fallbacks_read(void);
const void *kbpf_jit_func_addr(const struct kbpf_prog *prog, u32 func);
#else
static inline void kbpf_jit_prog(struct kbpf_prog *prog) {}
static inline void kbpf_jit_drop(struct kbpf_prog *prog) {}
static inline void kbpf_jit_publish(struct kbpf_prog *prog) {}
static inline void kbpf_jit_unpublish(struct kbpf_prog *prog) {}
static inline void kbpf_jit_free(struct kbpf_prog *prog) {}
static inline u64 kbpf_jit_fallbacks_read(void)
{
	return 0;
}

static inline int kbpf_jit_info(const struct kbpf_prog *prog,
				struct bpf_prog_info *info,
				const struct bpf_prog_info *in, bool raw)
{
	return 0;
}
#endif

#endif /* _KBPF_JIT_IMAGE_H */
