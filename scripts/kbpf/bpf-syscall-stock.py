#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Key the base tree's BPF internals on CONFIG_BPF_SYSCALL_STOCK.

bpf-syscall-stock.py generate BASE   print the patch for patches/
bpf-syscall-stock.py check BASE TREE
                                     TAP: the committed patch is what
                                     generate gives for BASE, and TREE (a
                                     patched tree) keeps BPF_SYSCALL only
                                     where the allowlist says

CONFIG_BPF_SYSCALL means "the bpf() system call exists"; a choice under it
picks the implementation: the kernel's BPF subsystem (BPF_SYSCALL_STOCK)
or kbpf. Every other site in the base that names BPF_SYSCALL needs the
subsystem's internals (its headers' real declarations, its objects, its
struct fields), so it moves to BPF_SYSCALL_STOCK:

  - C, headers, Makefiles: CONFIG_BPF_SYSCALL -> CONFIG_BPF_SYSCALL_STOCK
  - Kconfig expressions: BPF_SYSCALL -> BPF_SYSCALL_STOCK, and
    "select BPF_SYSCALL" -> "depends on BPF_SYSCALL_STOCK" (a symbol may
    not select what a choice under it depends on)
  - kernel/bpf/Kconfig: the choice itself, after the BPF_SYSCALL entry,
    whose selects other than BPF move to BPF_SYSCALL_STOCK

Lines that mean "the system call exists" keep BPF_SYSCALL: they are listed
in bpf-syscall.allowlist (path, the Kconfig entry they are in, the line
without its indentation).
tools/, Documentation/, samples/ and defconfigs are left alone.
"""

import os
import re
import subprocess
import sys

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(SCRIPTS))
ALLOWLIST = os.path.join(SCRIPTS, 'bpf-syscall.allowlist')
PATCH = os.path.join(REPO, 'patches', 'bpf-syscall-stock.patch')
SKIP_DIRS = ('tools/', 'Documentation/', 'samples/', '.git/')
KCONFIG_EXPR = re.compile(r'^\s*(depends on|select|imply|default|def_bool|'
                          r'def_tristate|if|visible if|range)\b')
C_SYMBOL = re.compile(r'\bCONFIG_BPF_SYSCALL\b')
K_SYMBOL = re.compile(r'\bBPF_SYSCALL\b')

CHOICE = '''choice
	prompt "Implementation of the bpf() system call"
	depends on BPF_SYSCALL
	default BPF_SYSCALL_STOCK
	help
	  Who serves bpf() and runs the eBPF programs loaded through it.
	  Loaders see the same system call and the same user ABI either
	  way; features that need the BPF subsystem's internals are
	  offered only with it.

config BPF_SYSCALL_STOCK
	bool "The kernel's BPF subsystem"
%s	help
	  The BPF subsystem of kernel/bpf: its verifier, maps, JITs and
	  every program type and attach point.

endchoice
'''


def die(msg):
    sys.exit('bpf-syscall-stock: ' + msg)


def load_allowlist():
    """{(path, entry, stripped line)} of the lines that keep BPF_SYSCALL."""
    keep = set()
    with open(ALLOWLIST) as f:
        for line in f:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            fields = line.split('\t')
            if len(fields) != 3:
                die('%s: "%s" is not PATH<TAB>ENTRY<TAB>LINE' %
                    (ALLOWLIST, line))
            keep.add((fields[0], fields[1], fields[2].strip()))
    return keep


ENTRY = re.compile(r'^(menuconfig|config)\s+\S+|^choice\b|^menu\b|^endchoice\b')


def sites(path, lines):
    """(line, key) for each line of path; key is what the allowlist says
    of it: (path, Kconfig entry or "-", stripped line)."""
    entry = '-'
    for line in lines:
        if is_kconfig(path):
            m = ENTRY.match(line)
            if m:
                entry = m.group(0)
        yield line, (path, entry, line.strip())


def skipped(path):
    return (path.startswith(SKIP_DIRS) or '/configs/' in path or
            path.endswith('defconfig'))


def candidates(tree):
    """Paths under tree whose text names BPF_SYSCALL, sorted."""
    res = subprocess.run(['grep', '-rlE', '--exclude-dir=.git',
                          r'(\b|CONFIG_)BPF_SYSCALL\b', '.'], cwd=tree,
                         stdout=subprocess.PIPE, text=True)
    if res.returncode > 1:
        die('grep failed in ' + tree)
    paths = [p[2:] for p in res.stdout.split()]
    return sorted(p for p in paths if not skipped(p))


def is_kconfig(path):
    return os.path.basename(path).startswith('Kconfig')


def rename_line(path, line, key, keep):
    """The line keyed on BPF_SYSCALL_STOCK, or unchanged."""
    if key in keep:
        return line
    if not is_kconfig(path):
        return C_SYMBOL.sub('CONFIG_BPF_SYSCALL_STOCK', line)
    if not KCONFIG_EXPR.match(line) or not K_SYMBOL.search(line):
        return line
    m = re.match(r'^(\s*)select\s+BPF_SYSCALL\s*$', line)
    if m:
        return m.group(1) + 'depends on BPF_SYSCALL_STOCK\n'
    if line.lstrip().startswith('select'):
        die('%s: cannot rename "%s"' % (path, line.strip()))
    return K_SYMBOL.sub('BPF_SYSCALL_STOCK', line)


def add_choice(lines):
    """kernel/bpf/Kconfig: move BPF_SYSCALL's selects but BPF into a
    choice's BPF_SYSCALL_STOCK, right after the BPF_SYSCALL entry."""
    try:
        start = lines.index('config BPF_SYSCALL\n')
    except ValueError:
        die('kernel/bpf/Kconfig has no "config BPF_SYSCALL"')
    end = start + 1
    while end < len(lines) and not re.match(r'^(config|menuconfig|choice|'
                                            r'endmenu|source|menu)\b',
                                            lines[end]):
        end += 1
    entry = lines[start:end]
    moved = [l for l in entry if l.lstrip().startswith('select') and
             l.split()[1] != 'BPF']
    if not moved:
        die('kernel/bpf/Kconfig: BPF_SYSCALL selects nothing to move')
    entry = [l for l in entry if l not in moved]
    choice = (CHOICE % ''.join(moved)).splitlines(keepends=True)
    return lines[:start] + entry + choice + ['\n'] + lines[end:]


def generate(base):
    keep = load_allowlist()
    out = []
    for path in candidates(base):
        with open(os.path.join(base, path)) as f:
            old = f.readlines()
        new = [rename_line(path, l, k, keep) for l, k in sites(path, old)]
        if path == 'kernel/bpf/Kconfig':
            new = add_choice(new)
        if new == old:
            continue
        out.append('diff --git a/%s b/%s\n' % (path, path))
        out.append(unified_diff(path, os.path.join(base, path), ''.join(new)))
    return ''.join(out)


def unified_diff(path, old_file, new_text):
    """GNU diff -u of old_file against new_text, as the other patches."""
    res = subprocess.run(['diff', '-u', '--label', 'a/' + path, '--label',
                          'b/' + path, old_file, '-'], input=new_text,
                         stdout=subprocess.PIPE, text=True)
    if res.returncode != 1:
        die('diff failed on ' + path)
    return res.stdout


def stray_sites(tree, keep):
    """Lines of tree naming BPF_SYSCALL off the allowlist, and allowlist
    entries tree does not have."""
    seen = set()
    stray = []
    for path in candidates(tree):
        pat = K_SYMBOL if is_kconfig(path) else C_SYMBOL
        with open(os.path.join(tree, path), errors='replace') as f:
            for n, (line, key) in enumerate(sites(path, f), 1):
                if not pat.search(line) or (is_kconfig(path) and
                                            key[2].startswith('#')):
                    continue
                if key in keep:
                    seen.add(key)
                else:
                    stray.append('%s:%d: %s' % (path, n, line.strip()))
    return stray, sorted(keep - seen)


def check(base, tree):
    n = 0
    failed = 0
    n += 1
    with open(PATCH) as f:
        committed = f.read()
    if generate(base) == committed:
        print('ok %d - patches/bpf-syscall-stock.patch is what '
              'bpf-syscall-stock.py generates from the base' % n)
    else:
        failed += 1
        print('# regenerate: scripts/kbpf/bpf-syscall-stock.py generate '
              'BASE >patches/bpf-syscall-stock.patch')
        print('not ok %d - patches/bpf-syscall-stock.patch is stale' % n)
    n += 1
    stray, missing = stray_sites(tree, load_allowlist())
    for s in stray:
        print('# not on the allowlist: ' + s)
    for path, entry, text in missing:
        print('# allowlisted but not found: %s (%s): %s' % (path, entry, text))
    if stray or missing:
        failed += 1
        print('not ok %d - BPF_SYSCALL sites are the allowlist\'s' % n)
    else:
        print('ok %d - BPF_SYSCALL sites outside tools/, Documentation/, '
              'samples/ and defconfigs are the allowlist\'s' % n)
    return failed


def main():
    if len(sys.argv) == 3 and sys.argv[1] == 'generate':
        sys.stdout.write(generate(sys.argv[2]))
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == 'check':
        return 1 if check(sys.argv[2], sys.argv[3]) else 0
    die('usage: bpf-syscall-stock.py generate BASE | check BASE TREE')


if __name__ == '__main__':
    sys.exit(main())
