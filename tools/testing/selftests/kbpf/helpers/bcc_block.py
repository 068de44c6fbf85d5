#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# bcc_block.py SECONDS: block I/O sizes (what BCC's bitehist.py shows) and
# latencies (what biolatency-bpfcc shows) for SECONDS, from the block
# tracepoints. BCC 0.26's own tools put kprobes on blk_account_io_done(),
# which Linux 6.12 inlines, so they fail on every 6.12 kernel; these
# tracepoints are their stable equivalent. Prints both histograms and
# their totals.

import sys
import time

from bcc import BPF

PROG = r"""
/* A request is known by its device and first sector while in flight. */
struct rq_key {
	u64 dev;
	u64 sector;
};

BPF_HASH(issued, struct rq_key, u64);
BPF_HISTOGRAM(kbytes);
BPF_HISTOGRAM(usecs);

TRACEPOINT_PROBE(block, block_rq_issue)
{
	struct rq_key key = { .dev = args->dev, .sector = args->sector };
	u64 now = bpf_ktime_get_ns();

	kbytes.increment(bpf_log2l(args->bytes / 1024));
	issued.update(&key, &now);
	return 0;
}

TRACEPOINT_PROBE(block, block_rq_complete)
{
	struct rq_key key = { .dev = args->dev, .sector = args->sector };
	u64 *then = issued.lookup(&key);

	if (!then)
		return 0;
	usecs.increment(bpf_log2l((bpf_ktime_get_ns() - *then) / 1000));
	issued.delete(&key);
	return 0;
}
"""

b = BPF(text=PROG)
print("Tracing block I/O for %s s" % sys.argv[1], flush=True)
time.sleep(float(sys.argv[1]))
for name in ("kbytes", "usecs"):
    b[name].print_log2_hist(name)
    print("%s total: %d" % (name, sum(v.value for v in b[name].values())))
