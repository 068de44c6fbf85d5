#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Upstream's verifier suites on kbpf, next to the stock kernel of one run.

upstream-verifier-diff.py ARCH KBPF_LOG STOCK_LOG EXPECTED_DIR

The logs are the guests' selftest output of one make check, where the
selftest upstream_verifier runs two suites of the base tree:

  test_verifier  its list of tests after "# tv-list: " ("INDEX PROG_TYPE
                 VERDICT DESCRIPTION"), its output after "# tv: "; a test
                 is its privileged run, "#N/p DESCRIPTION ..."
  verifier_progs the verifier_* test programs through upstream's test
                 loader, after "# vp: "; a test is a subtest framed by
                 "#vp-start NAME" and "#vp-end NAME RESULT"

Each test gets an outcome:

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
each must be listed in EXPECTED_DIR/SUITE.expected as "OUTCOME: NAME"
(or "OUTCOME[ARCH]: NAME" for one arch only) under a comment saying why;
a listed line that matches no difference is stale and fails too. Counts per outcome are printed, among them how many
refusals upstream expects kbpf gives in upstream's words. TAP output,
ending "ARCH: N passed, N failed".
"""

import collections
import os
import re
import sys

VERDICTS = ('refused', 'accepted', 'retval', 'setup')

# test_verifier: the line after "FAIL" that names what went wrong.
TV_FAILURES = [
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

# The test loader's failing checks ("FUNC:FAIL:TAG ..." or, from
# PRINT_FAIL, "FUNC:FAIL:LINE TEXT"), first match wins.
VP_FAILURES = [
    (r'^#vp-unsupported-program-type', 'skip'),
    (r':FAIL:unexpected_load_success', 'accepted'),
    (r':FAIL:unexpected_load_failure', 'refused'),
    (r':FAIL:(\d+ )?Unexpected retval', 'retval'),
    (r':FAIL:(\d+ )?(bpf_prog_test_run|do_prog_test_run)', 'retval'),
    (r':FAIL:(\d+ )?expect_msg', 'message'),
    (r':FAIL:(\d+ )?(get_xlated_program|expect_xlated)', 'xlated'),
    (r':FAIL:', 'setup'),
]


def tv_classify(block):
    """A test_verifier test's outcome: its result line after the
    description, then the lines up to the next test's."""
    first = block[0]
    if first.endswith('OK') or first.endswith(
            'not executed due to unknown alignment)'):
        return 'ok'
    if 'FAIL retval' in first or 'bpf_prog_test_run error' in first:
        return 'retval'
    if first.endswith('FAIL'):
        for line in block[1:]:
            for text, kind in TV_FAILURES:
                if text in line:
                    return kind
        return 'fail'
    if first.startswith('SKIP'):
        return 'skip'
    # A setup message first ("Failed to load BTF spec: ..."), then the
    # result on a line of its own; without one, the test gave up there.
    for i, line in enumerate(block[1:], 1):
        if line.startswith(('OK', 'SKIP', 'FAIL')):
            return tv_classify(block[i:])
    for text, kind in TV_FAILURES:
        if kind == 'setup' and text in first:
            return 'setup'
    return 'other: ' + first


def parse_tv(log):
    """{name: (outcome, verdict)} of test_verifier's privileged runs."""
    tests = {}
    blocks = {}
    current = None
    for line in log:
        if line.startswith('# tv-list: '):
            idx, _, verdict, descr = (line[len('# tv-list: '):].split(' ', 3)
                                      + ['', ''])[:4]
            tests[int(idx)] = (descr, verdict)
            continue
        if not line.startswith('# tv: '):
            continue
        line = line[len('# tv: '):]
        m = re.match(r'#(\d+)/([pu]) ', line)
        if m:
            idx = int(m.group(1))
            current = None
            if m.group(2) == 'p' and idx in tests:
                current = [line[m.end() + len(tests[idx][0]):].strip()]
                blocks[idx] = current
        elif current is not None:
            current.append(line)
    return unique([(tests[idx][0], (tv_classify(blocks[idx]), tests[idx][1]))
                   for idx in sorted(blocks)])


def unique(pairs):
    """{name: value}; a name seen again becomes "NAME [2]", "NAME [3]"...
    in the suite's order (a few tests share a description)."""
    res = {}
    seen = collections.Counter()
    for name, value in pairs:
        seen[name] += 1
        res[name if seen[name] == 1 else '%s [%d]' % (name, seen[name])] = value
    return res


def parse_vp(log):
    """{name: (outcome, verdict)} of the verifier_* subtests."""
    res = []
    block = None
    for line in log:
        if not line.startswith('# vp: '):
            continue
        line = line[len('# vp: '):]
        if line.startswith('#vp-start '):
            block = []
        elif line.startswith('#vp-end ') and block is not None:
            name, _, result = line[len('#vp-end '):].rpartition(' ')
            text = '\n'.join(block)
            outcome = {'OK': 'ok', 'SKIP': 'skip'}.get(result)
            if outcome is None:
                outcome = next((kind for pat, kind in VP_FAILURES
                                if re.search(pat, text, re.M)), 'fail')
            verdict = ('reject' if 'unexpected_load_success' in text else
                       'accept')
            res.append((name, (outcome, verdict)))
            block = None
        elif block is not None:
            block.append(line)
    return unique(res)


def expectations(path, arch):
    """{(outcome, name): line} of the file's lines that apply to @arch."""
    res = {}
    if not os.path.isfile(path):
        sys.exit('%s: no such expectations file' % path)
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            kind, sep, name = line.partition(': ')
            m = re.fullmatch(r'(\w+)(?:\[(\w+)\])?', kind)
            if not sep or not m or m.group(1) not in VERDICTS + ('ok',):
                sys.exit('%s:%d: not "OUTCOME: NAME"' % (path, n))
            if m.group(2) in (None, arch):
                res[(m.group(1), name)] = n
    return res


class Tap:
    def __init__(self):
        self.lines = []
        self.failed = 0

    def check(self, ok, what):
        self.lines.append('%s %d - %s' % ('ok' if ok else 'not ok',
                                          len(self.lines) + 1, what))
        self.failed += not ok


def compare(tap, suite, kbpf, stock, exp_path, arch):
    """One suite: its verdict differences against its expectations."""
    expected = expectations(exp_path, arch)
    if not kbpf or not stock:
        tap.check(False, '%s: output in both logs' % suite)
        return []
    counts = collections.Counter()
    used = set()
    for name in kbpf:
        k, verdict = kbpf[name]
        s = stock.get(name, ('missing', verdict))[0]
        if k == 'skip':
            counts['skipped on kbpf'] += 1
            continue
        counts['run on kbpf'] += 1
        counts['kbpf ' + k] += 1
        # Refusals upstream expects and kbpf gives: in whose words?
        if verdict == 'reject' and s == 'ok' and k in ('ok', 'message'):
            counts['refused as upstream, ' +
                   ('in its words' if k == 'ok' else "in kbpf's words")] += 1
        if k == s:
            counts['same as stock'] += 1
        elif k in ('message', 'xlated') and s == 'ok':
            counts['same verdict, another ' + k] += 1
        elif (k, name) in expected:
            used.add((k, name))
            tap.check(True, '%s %s: %s (stock: %s; expected)'
                      % (suite, k, name, s))
        else:
            counts['verdict differences not listed'] += 1
            tap.check(False, '%s %s: %s (stock: %s; not in %s)'
                      % (suite, k, name, s, exp_path))
    stale = sorted(set(expected) - used, key=lambda key: expected[key])
    tap.check(not stale, '%s: every expectation matches a difference' % suite)
    notes = ['# %s stale, line %d: %s: %s' % (suite, expected[key], *key)
             for key in stale]
    counts['verdict differences listed'] = len(used)
    return notes + ['# %s %s: %d' % (suite, key, counts[key])
                    for key in sorted(counts)]


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    arch, kbpf_log, stock_log, exp_dir = sys.argv[1:]
    logs = []
    for path in (kbpf_log, stock_log):
        with open(path, errors='replace') as f:
            logs.append([line.rstrip('\n') for line in f])
    tap = Tap()
    notes = []
    for suite, parse in (('test_verifier', parse_tv),
                         ('verifier_progs', parse_vp)):
        notes += compare(tap, suite, parse(logs[0]), parse(logs[1]),
                         os.path.join(exp_dir, suite + '.expected'), arch)
    print('TAP version 13')
    print('1..%d' % len(tap.lines))
    print('\n'.join(tap.lines))
    print('\n'.join(notes))
    print('%s: %d passed, %d failed'
          % (arch, len(tap.lines) - tap.failed, tap.failed))
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
