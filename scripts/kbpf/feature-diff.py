#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What a kbpf kernel tells loaders, next to what a stock kernel tells them.

feature-diff.py KBPF_LOG STOCK_LOG DECISIONS

The logs are the guests' selftest output of one make check; the x86_64
feature_probe selftest prints `bpftool feature probe kernel` there, each
line after "# probe: ". A helper's line is compared as "helper for TYPE:
NAME". Every line one kernel prints and the other does not
must match a decision of DECISIONS: "stock: REGEX" for a line only stock
prints, "kbpf: REGEX" for one only kbpf prints (the whole line matches).
A decision that matches no difference is stale and fails too. TAP output.
"""

import re
import sys

PREFIX = '# probe: '


def probe_lines(log):
    """The probe's lines; a helper's line names its program type
    ("helper for kprobe: bpf_map_lookup_elem"), so that the lines can be
    compared as sets."""
    lines = set()
    prog_type = None
    with open(log, errors='replace') as f:
        for l in f:
            if not l.startswith(PREFIX):
                continue
            l = l[len(PREFIX):].rstrip('\n')
            m = re.match(r'eBPF helpers supported for program type (\S+):$', l)
            if m:
                prog_type = m.group(1)
            elif not l.strip():
                prog_type = None
            elif prog_type and l.startswith('\t- '):
                l = 'helper for %s: %s' % (prog_type, l[3:])
            lines.add(l)
    return lines


def decisions(path):
    res = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            side, sep, regex = line.partition(': ')
            if not sep or side not in ('kbpf', 'stock'):
                sys.exit('%s:%d: not "kbpf: REGEX" or "stock: REGEX"'
                         % (path, n))
            res.append((side, regex, re.compile(regex + r'\Z')))
    return res


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: feature-diff.py KBPF_LOG STOCK_LOG DECISIONS')
    kbpf, stock = probe_lines(sys.argv[1]), probe_lines(sys.argv[2])
    rules = decisions(sys.argv[3])
    n = failed = 0

    def tap(ok, what):
        nonlocal n, failed
        n += 1
        failed += not ok
        print('%s %d - %s' % ('ok' if ok else 'not ok', n, what))

    tap(kbpf and stock, 'both logs have the feature probe (%d and %d lines)'
        % (len(kbpf), len(stock)))
    used = set()
    unexplained = []
    for side, only in (('kbpf', kbpf - stock), ('stock', stock - kbpf)):
        for line in sorted(only):
            hits = [r for r in rules if r[0] == side and r[2].match(line)]
            if hits:
                used.update((r[0], r[1]) for r in hits)
            else:
                unexplained.append('%s only: %s' % (side, line))
    for u in unexplained:
        print('# ' + u)
    tap(not unexplained, 'every difference is a listed kbpf decision '
        '(%d lines only kbpf prints, %d only stock)'
        % (len(kbpf - stock), len(stock - kbpf)))
    stale = [r for r in rules if (r[0], r[1]) not in used]
    for r in stale:
        print('# no difference matches %s: %s' % (r[0], r[1]))
    tap(not stale, 'every decision still matches a difference')
    print('features: %d passed, %d failed' % (n - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
