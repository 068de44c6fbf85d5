#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Upstream's test_verifier on kbpf, next to the stock kernel of one run.

upstream-verifier-diff.py ARCH KBPF_LOG STOCK_LOG EXPECTED

The logs are the guests' selftest output of one make check: the selftest
upstream_verifier prints test_verifier's list of tests after "# tv-list: "
("INDEX PROG_TYPE DESCRIPTION") and its output after "# tv: ". Each
privileged run of a test ("#N/p DESCRIPTION ...") gets an outcome:

  ok         the test's expectation met
  message    the expected verdict, another verifier message or log
             (upstream checks its own wording; kbpf has its own)
  xlated     the expected verdict; upstream's rewrite of the program
             (the xlated instructions the test looks for) is not kbpf's
  refused    refused where the test expects a load
  accepted   loaded where the test expects a refusal
  retval     loaded, but ran to another result
  setup      the test could not be set up (no vmlinux BTF, no module)
  skip       not run: a program or map type the kernel does not have,
             no JIT, ...

A test whose outcome on kbpf is neither its outcome on stock nor "skip"
nor "message"/"xlated" where stock's is "ok" is a verdict difference:
each must be listed in EXPECTED as "OUTCOME: DESCRIPTION" under a comment
saying why; a listed line that matches no difference is stale and fails
too. Counts per outcome are printed, and the message differences
(item "messages" of kbpf's verifier doc) are listed as TAP comments.
TAP output, ending "ARCH: N passed, N failed".
"""

import collections
import re
import sys

LIST = '# tv-list: '
OUT = '# tv: '
RESULT = re.compile(r'#(\d+)/([pu]) ')

# The line after "FAIL" that names what went wrong, first match wins.
FAILURES = [
    ('Unexpected success to load!', 'accepted'),
    ("Failed to load prog '", 'refused'),
    ('Unexpected verifier log!', 'message'),
    ('Unexpected error message!', 'message'),
    ('Unexpected insn_processed', 'message'),
    ("can't find expected subsequence", 'xlated'),
    ('found unexpected subsequence', 'xlated'),
    ("can't get xlated program", 'xlated'),
    ('Failed to find BTF ID', 'setup'),
    ('Failed to load BTF', 'setup'),
    ('Failed to create', 'setup'),
]
VERDICTS = ('refused', 'accepted', 'retval', 'setup')


def classify(block):
    """The outcome of one test's output: its result line after the
    description, then the lines up to the next test's."""
    first = block[0]
    if first.endswith('OK') or first.endswith(
            'not executed due to unknown alignment)'):
        return 'ok'
    if 'FAIL retval' in first or 'bpf_prog_test_run error' in first:
        return 'retval'
    if first.endswith('FAIL'):
        for line in block[1:]:
            for text, kind in FAILURES:
                if text in line:
                    return kind
        return 'fail'
    if first.startswith('SKIP'):
        return 'skip'
    # A setup message first ("Failed to load BTF spec: ..."), then the
    # result on a line of its own.
    for line in block[1:]:
        if line.startswith(('OK', 'SKIP', 'FAIL')):
            return classify([line] + block[block.index(line) + 1:])
    return 'other: ' + first


def parse(log):
    """{index: (prog_type, description)}, {index: outcome} of one guest."""
    tests = {}
    blocks = {}
    current = None
    with open(log, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith(LIST):
                idx, ptype, descr = (line[len(LIST):].split(' ', 2) + [''])[:3]
                tests[int(idx)] = (int(ptype), descr)
                continue
            if not line.startswith(OUT):
                continue
            line = line[len(OUT):]
            m = RESULT.match(line)
            if m:
                idx = int(m.group(1))
                current = None
                if m.group(2) == 'p' and idx in tests:
                    current = [line[m.end() + len(tests[idx][1]):].strip()]
                    blocks[idx] = current
            elif current is not None:
                current.append(line)
    return tests, {idx: classify(b) for idx, b in blocks.items()}


def expectations(path):
    res = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            kind, sep, descr = line.partition(': ')
            if not sep or kind not in VERDICTS + ('ok',):
                sys.exit('%s:%d: not "OUTCOME: DESCRIPTION"' % (path, n))
            res[(kind, descr)] = n
    return res


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    arch, kbpf_log, stock_log, exp_path = sys.argv[1:]
    tests, kbpf = parse(kbpf_log)
    _, stock = parse(stock_log)
    expected = expectations(exp_path)
    print('TAP version 13')
    if not tests or not kbpf or not stock:
        print('1..1')
        print('not ok 1 - %s: test_verifier output in both logs' % arch)
        print('%s: 0 passed, 1 failed' % arch)
        return 1

    counts = collections.Counter()
    diffs = []
    messages = []
    for idx in sorted(tests):
        k = kbpf.get(idx, 'missing')
        s = stock.get(idx, 'missing')
        descr = tests[idx][1]
        if k == 'skip':
            counts['skipped on kbpf'] += 1
            continue
        counts['run on kbpf'] += 1
        counts['kbpf ' + k] += 1
        if k == s:
            counts['same as stock'] += 1
        elif k in ('message', 'xlated') and s == 'ok':
            counts['same verdict, another ' + k] += 1
            if k == 'message':
                messages.append(descr)
        else:
            diffs.append((idx, k, s, descr))

    used = set()
    n = 0
    failed = 0
    print('1..%d' % (len(diffs) + 1))
    for idx, k, s, descr in diffs:
        n += 1
        key = (k, descr)
        if key in expected:
            used.add(key)
            print('ok %d - #%d %s: %s (stock: %s; expected)' % (n, idx, k, descr, s))
        else:
            failed += 1
            print('not ok %d - #%d %s: %s (stock: %s; not in %s)'
                  % (n, idx, k, descr, s, exp_path))
    stale = sorted(set(expected) - used, key=lambda key: expected[key])
    n += 1
    if stale:
        failed += 1
        print('not ok %d - every expectation matches a difference' % n)
        for kind, descr in stale:
            print('# stale, line %d: %s: %s' % (expected[(kind, descr)], kind, descr))
    else:
        print('ok %d - every expectation matches a difference' % n)
    for descr in messages:
        print('# message differs: %s' % descr)
    for key in sorted(counts):
        print('# %s: %d' % (key, counts[key]))
    print('# verdict differences: %d (all listed: %s)'
          % (len(diffs), 'yes' if failed == 0 else 'no'))
    print('%s: %d passed, %d failed' % (arch, n - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
