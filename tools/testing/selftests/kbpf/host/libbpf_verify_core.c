// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf-verify, kbpf's side: the verifier of kernel/bpf/kbpf/ run on the
 * instructions libbpf was about to load, with the maps the running
 * kernel made for them.
 */

#include <stdlib.h>
#include <time.h>
#include <linux/err.h>
#include <linux/errno.h>

#include "libbpf_verify.h"
#include "log.h"
#include "verifier.h"

struct lv_maps {
	const struct lv_map *maps;
	struct kbpf_map_desc *descs;
	unsigned int nr;
};

/* LD_IMM64 names maps by fd (or fd_array index, resolved by the caller). */
static const struct kbpf_map_desc *find_map(void *owner, u8 src_reg, s32 imm)
{
	const struct lv_maps *m = owner;
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		if (m->maps[i].fd == imm)
			return &m->descs[i];
	return ERR_PTR(-EBADF);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void lv_verify(unsigned int prog_type, const void *insns, unsigned int len,
	       const struct lv_map *maps, unsigned int nr_maps, bool perfmon,
	       char *log_buf, unsigned int log_size, struct lv_result *res)
{
	struct kbpf_verifier_env env = {};
	struct lv_maps m = { maps, NULL, nr_maps };
	struct kbpf_log log;
	unsigned int i;
	u32 true_size;
	double start;

	res->processed = 0;
	res->seconds = 0;
	m.descs = calloc(nr_maps ?: 1, sizeof(*m.descs));
	if (!m.descs) {
		res->err = -ENOMEM;
		return;
	}
	for (i = 0; i < nr_maps; i++) {
		m.descs[i].type = maps[i].type;
		m.descs[i].key_size = maps[i].key_size;
		m.descs[i].value_size = maps[i].value_size;
		m.descs[i].max_entries = maps[i].max_entries;
		m.descs[i].flags = maps[i].flags;
		m.descs[i].frozen = maps[i].frozen;
	}
	kbpf_log_init(&log, KBPF_LOG_LEVEL1, log_buf, log_size);
	res->err = kbpf_verifier_env_init(&env, insns, len, &log);
	if (!res->err) {
		env.prog_type = prog_type;
		env.find_map = find_map;
		env.owner = &m;
		env.allow_ptr_leaks = perfmon;
		env.allow_uninit_stack = perfmon;
		start = now();
		res->err = kbpf_verify(&env);
		res->seconds = now() - start;
		res->processed = env.insns_processed;
	}
	kbpf_verifier_env_free(&env);
	kbpf_log_finish(&log, &true_size);
	free(m.descs);
}
