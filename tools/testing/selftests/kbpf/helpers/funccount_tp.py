#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# funccount_tp.py ARGS...: BCC 0.26's funccount-bpfcc, unchanged, with one
# bug of its own worked around. With tracepoints it prints each name with
# bytes.decode(), but BPF.get_tracepoints() gives str under Python 3, so
# the tool counts, then dies printing ("'str' object has no attribute
# 'decode'") on every kernel. Here the names are str that also decode.

import runpy
import sys

from bcc import BPF


class TracepointName(str):
    def decode(self, *args):
        return str(self)


find_tracepoints = BPF.get_tracepoints
BPF.get_tracepoints = staticmethod(
    lambda pattern: [TracepointName(t) for t in find_tracepoints(pattern)])
sys.argv[0] = "/usr/sbin/funccount-bpfcc"
runpy.run_path(sys.argv[0], run_name="__main__")
