// SPDX-License-Identifier: GPL-2.0
/*
 * Upstream's verifier scale programs: the largest programs of the base
 * tree's BPF selftests (pyperf, strobemeta, loops), built from
 * tools/testing/selftests/bpf/progs by this directory's Makefile with
 * clang-19 into scale/, and loaded through libbpf with the program types
 * prog_tests/bpf_verif_scale.c gives them. Each must load. What the
 * verifier went through (bpf_prog_info.verified_insns) and how long the
 * load took are printed as "# scale: NAME insns N ns N", for
 * scripts/kbpf/scale-diff.py to set next to the other kernel's.
 *
 * Then loop1, the slowest, is loaded again with SIGALRM every 10 ms: the
 * verifier must give up with EAGAIN (libbpf tries five times, each one
 * interrupted), in well under half the time a whole verification took,
 * as upstream. A verification of 1,000,000 instructions may take seconds;
 * its loader must be able to stop it.
 *
 * KBPF_LIBBPF_DEBUG=1 in the environment shows libbpf's debug output.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../kselftest.h"
#include "libbpf_util.h"
#include "monotonic.h"

static const struct {
	const char *name;
	enum bpf_prog_type type;
} scale_progs[] = {
	{ "loop1", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "loop2", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "loop6", BPF_PROG_TYPE_KPROBE },
	{ "pyperf50", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "pyperf100", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "pyperf180", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "pyperf_subprogs", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "strobemeta", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "strobemeta_nounroll1", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "strobemeta_nounroll2", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "strobemeta_subprogs", BPF_PROG_TYPE_RAW_TRACEPOINT },
};

/* Load one program; its verified_insns in @insns, the time in @ns. */
static int load_one(const char *name, enum bpf_prog_type type,
		    unsigned int *insns, unsigned long long *ns)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	struct bpf_program *prog;
	struct bpf_object *obj;
	char file[64];
	int err;

	snprintf(file, sizeof(file), "scale/%s.bpf.o", name);
	obj = open_obj(file);
	if (!obj)
		return -1;
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_type(prog, type);
	*ns = monotonic_ns();
	err = bpf_object__load(obj);
	*ns = monotonic_ns() - *ns;
	if (!err) {
		prog = bpf_object__next_program(obj, NULL);
		err = bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
		*insns = info.verified_insns;
	}
	bpf_object__close(obj);
	return err;
}

static void on_alarm(int sig)
{
}

/*
 * Loads @name again with SIGALRM every 10 ms (libbpf's feature probes,
 * done by the loads before, are cached): its error, the time in @ns.
 */
static int load_interrupted(const char *name, enum bpf_prog_type type,
			    unsigned long long *ns)
{
	struct itimerval every_10ms = {
		.it_interval.tv_usec = 10000,
		.it_value.tv_usec = 10000,
	}, off = {};
	struct sigaction sa;
	unsigned int insns;
	int err;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	if (sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &every_10ms, NULL))
		return -errno;
	err = load_one(name, type, &insns, ns);
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_DFL);
	return err;
}

int main(void)
{
	unsigned long long ns, whole_ns = 0;
	unsigned int i, insns;
	int err;

	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(scale_progs) + 1);
	for (i = 0; i < ARRAY_SIZE(scale_progs); i++) {
		if (load_one(scale_progs[i].name, scale_progs[i].type, &insns,
			     &ns)) {
			ksft_test_result_fail("%s loads\n", scale_progs[i].name);
			continue;
		}
		ksft_print_msg("scale: %s insns %u ns %llu\n",
			       scale_progs[i].name, insns, ns);
		ksft_test_result_pass("%s loads\n", scale_progs[i].name);
		if (i == 0)
			whole_ns = ns;
	}
	err = load_interrupted(scale_progs[0].name, scale_progs[0].type, &ns);
	ksft_print_msg("interrupted: %s error %d after %llu ms (whole: %llu ms)\n",
		       scale_progs[0].name, err, ns / 1000000, whole_ns / 1000000);
	ksft_test_result(err == -EAGAIN && whole_ns && ns < whole_ns / 2,
			 "a signal stops %s's verification with EAGAIN\n",
			 scale_progs[0].name);
	ksft_finished();
}
