#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Upstream's verifier scale programs on kbpf, next to the stock kernel.

scale-diff.py KBPF_LOG STOCK_LOG

The logs are one arch's guest selftest output of one make check; the
verif_scale selftest prints "# scale: NAME insns N ns N" for each program
that loaded. A table goes out, one line per program: the instructions
each verifier went through, their ratio, and the ratio of load times
(the guests are emulated and shared: a figure to read, not a test). A
program fails when stock loads it and kbpf does not, or when kbpf goes
through more than twice stock's instructions. TAP output.
"""

import re
import sys

LINE = re.compile(r'^# scale: (\S+) insns (\d+) ns (\d+)$')
MAX_RATIO = 2.0


def scale_lines(log):
    """NAME -> (insns, ns) for each program the log says loaded."""
    found = {}
    with open(log, errors='replace') as f:
        for line in f:
            m = LINE.match(line.rstrip('\n'))
            if m:
                found[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return found


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    kbpf, stock = scale_lines(sys.argv[1]), scale_lines(sys.argv[2])
    names = sorted(set(kbpf) | set(stock))
    print('TAP version 13')
    print('1..%d' % len(names))
    print('# %-22s %10s %10s %7s %7s' % ('program', 'kbpf', 'stock',
                                         'insns', 'time'))
    failed = 0
    for i, name in enumerate(names, 1):
        k, s = kbpf.get(name), stock.get(name)
        if not k or not s:
            print('# %-22s %10s %10s' % (name, k[0] if k else '-',
                                         s[0] if s else '-'))
            ok = not s
            why = 'kbpf does not load it' if s else 'only kbpf loads it'
        else:
            ratio = k[0] / max(s[0], 1)
            print('# %-22s %10d %10d %6.2fx %6.2fx' %
                  (name, k[0], s[0], ratio, k[1] / max(s[1], 1)))
            ok = ratio <= MAX_RATIO
            why = 'kbpf goes through %.2fx stock\'s instructions' % ratio
        if ok:
            print('ok %d %s' % (i, name))
        else:
            failed += 1
            print('not ok %d %s: %s' % (i, name, why))
    print('%d passed, %d failed' % (len(names) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
