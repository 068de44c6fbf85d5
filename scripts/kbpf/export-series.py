#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Export kbpf as a git format-patch series onto the pristine base.

export-series.py SRC OUTDIR

SRC is the assembled tree (assemble-tree.sh), whose .kbpf-touched lists the
paths kbpf adds or changes. The pristine base is committed once into a git
repository in the cache; each block of scripts/kbpf/series.manifest becomes
one commit on top of it, then `git format-patch --cover-letter` writes the
series into OUTDIR. Then every patch goes through checkpatch.pl --strict and
the series is applied with `git am` to the base, which must give the same
tree. Prints one TAP-style line per check and exits non-zero on failure.
"""

import fnmatch
import os
import shutil
import subprocess
import sys
import tempfile

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(SCRIPTS))
CACHE = os.environ.get('KBPF_CACHE') or os.path.join(
    os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'kbpf')
IDENT = ('kbpf developers', 'kbpf@lists.example.org')


def die(msg):
    sys.exit('kbpf: ' + msg)


def git(work, *args, env=None, capture=True):
    full_env = dict(os.environ)
    full_env.update({'GIT_AUTHOR_NAME': IDENT[0], 'GIT_AUTHOR_EMAIL': IDENT[1],
                     'GIT_COMMITTER_NAME': IDENT[0],
                     'GIT_COMMITTER_EMAIL': IDENT[1]})
    full_env.update(env or {})
    res = subprocess.run(['git', '-C', work] + list(args), env=full_env,
                         stdout=subprocess.PIPE if capture else None,
                         stderr=subprocess.PIPE if capture else None, text=True)
    if res.returncode:
        die('git %s failed:\n%s' % (' '.join(args), res.stderr))
    return res.stdout.strip() if capture else ''


def parse_manifest(path):
    """Return (cover, blocks): cover = (subject, body); blocks = [(name,
    globs, subject, body)] in order."""
    blocks = []
    cur = None
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if cur is None and (line.startswith('#') or not line):
                continue
            if line.startswith('['):
                name, _, globs = line[1:].partition(']')
                cur = [name, globs.split(), []]
                blocks.append(cur)
            elif cur is not None:
                cur[2].append(line)
    out = []
    for name, globs, text in blocks:
        while text and not text[-1]:
            text.pop()
        if len(text) < 3 or text[1]:
            die('series.manifest: block [%s] needs a subject, a blank line '
                'and a body' % name)
        out.append((name, globs, text[0], '\n'.join(text[2:]) + '\n'))
    if not out or out[0][0] != 'cover':
        die('series.manifest: the first block must be [cover]')
    return (out[0][2], out[0][3]), out[1:]


def base_repo(base, version):
    """The pristine base committed once; returns (repo path, base commit)."""
    work = os.path.join(CACHE, 'series', 'work')
    stamp = os.path.join(CACHE, 'series', 'base-' + version)
    if os.path.exists(stamp):
        return work, open(stamp).read().strip()
    print('kbpf: committing the pristine base %s (once)' % version,
          file=sys.stderr)
    shutil.rmtree(os.path.join(CACHE, 'series'), ignore_errors=True)
    os.makedirs(work)
    subprocess.run(['cp', '-a', base + '/.', work], check=True)
    subprocess.run(['chmod', '-R', 'u+w', work], check=True)
    git(work, 'init', '-q')
    git(work, 'config', 'core.autocrlf', 'false')
    git(work, 'config', 'gc.auto', '0')
    git(work, 'add', '-A', '-f')
    git(work, 'commit', '-q', '-m', 'Linux %s (Debian linux-source-6.12)'
        % version)
    commit = git(work, 'rev-parse', 'HEAD')
    with open(stamp, 'w') as f:
        f.write(commit + '\n')
    return work, commit


def patch_paths(name):
    """The paths patches/NAME touches."""
    with open(os.path.join(REPO, 'patches', name)) as f:
        return [l[6:].split('\t')[0].rstrip('\n') for l in f
                if l.startswith('+++ b/')]


def patched_contents(base, name, tmp):
    """{path: file in tmp} for the paths patches/NAME touches, as the
    patches of patches/series up to and including NAME leave them."""
    with open(os.path.join(REPO, 'patches', 'series')) as f:
        series = [l.strip() for l in f if l.strip() and not l.startswith('#')]
    if name not in series:
        die('series.manifest names patches/%s, which patches/series does '
            'not list' % name)
    for p in series[:series.index(name) + 1]:
        for path in patch_paths(p):
            dst = os.path.join(tmp, path)
            if not os.path.exists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(os.path.join(base, path), dst)
        subprocess.run(['patch', '-d', tmp, '-p1', '-F0', '-s', '-N',
                        '--no-backup-if-mismatch', '-i',
                        os.path.join(REPO, 'patches', p)], check=True)
    return {path: os.path.join(tmp, path) for path in patch_paths(name)}


def assign(paths, blocks):
    """Map each block name to the touched paths it owns (final content).

    A block may name a patch of patches/ instead of globs: it owns that
    patch's paths as the patch leaves them, and a later block may bring
    one of them to its final content (a base file two patches change)."""
    owned = {b[0]: [] for b in blocks}
    by_patch = set()
    for b in blocks:
        for g in b[1]:
            if g.startswith('patches/'):
                by_patch.update(patch_paths(g[len('patches/'):]))
    errors = []
    for p in paths:
        owners = [b[0] for b in blocks
                  if any(fnmatch.fnmatchcase(p, g) for g in b[1]
                         if not g.startswith('patches/'))]
        if len(owners) > 1 or (not owners and p not in by_patch):
            errors.append('%s matches %s' % (p, owners or 'no block'))
        elif owners:
            owned[owners[0]].append(p)
    if errors:
        die('series.manifest: every touched path must match one block:\n  ' +
            '\n  '.join(errors))
    return owned


def main():
    if len(sys.argv) != 3:
        die('usage: export-series.py SRC OUTDIR')
    src, outdir = sys.argv[1], os.path.abspath(sys.argv[2])
    version = open(os.path.join(src, '.kbpf-base')).read().strip()
    base = os.path.join(CACHE, 'base', version, 'linux')
    touched = open(os.path.join(src, '.kbpf-touched')).read().split()
    cover, blocks = parse_manifest(os.path.join(SCRIPTS, 'series.manifest'))
    owned = assign([p for p in touched if p != 'MAINTAINERS'], blocks)

    work, base_commit = base_repo(base, version)
    date = subprocess.run(['git', '-C', REPO, 'log', '-1', '--format=%aD'],
                          stdout=subprocess.PIPE, text=True).stdout.strip()
    env = {'GIT_AUTHOR_DATE': date, 'GIT_COMMITTER_DATE': date} if date else {}
    git(work, 'checkout', '-q', '-f', '-B', 'kbpf', base_commit)
    git(work, 'clean', '-q', '-f', '-d', '-x')

    sob = 'Signed-off-by: %s <%s>' % IDENT
    tmp = tempfile.mkdtemp()
    for name, globs, subject, body in blocks:
        files = {p: os.path.join(src, p) for p in owned[name]}
        for g in globs:
            if g.startswith('patches/'):
                files.update(patched_contents(base, g[len('patches/'):],
                                              os.path.join(tmp, name)))
        if not files:
            continue
        for p, from_path in files.items():
            dst = os.path.join(work, p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(from_path, dst)
            shutil.copymode(os.path.join(src, p), dst)
        # The F: lines of kbpf's entry that now cover a file.
        with open(os.path.join(work, 'MAINTAINERS'), 'w') as f:
            subprocess.run([os.path.join(SCRIPTS, 'maintainers.sh'),
                            os.path.join(base, 'MAINTAINERS'),
                            os.path.join(REPO, 'MAINTAINERS'), work],
                           stdout=f, check=True)
        git(work, 'add', '-A', '-f', '--', 'MAINTAINERS', *files)
        git(work, 'commit', '-q', '-m', '%s\n\n%s\n%s' % (subject, body, sob),
            env=env)
    shutil.rmtree(tmp)
    # The series must reproduce the assembled tree exactly.
    for p in touched:
        with open(os.path.join(src, p), 'rb') as a, \
                open(os.path.join(work, p), 'rb') as b:
            if a.read() != b.read():
                die('series does not reproduce %s: its F: lines in '
                    'MAINTAINERS must match files' % p)

    shutil.rmtree(outdir, ignore_errors=True)
    git(work, 'format-patch', '-q', '--cover-letter', '--no-signature',
        '-o', outdir, base_commit)
    patches = sorted(os.listdir(outdir))
    cover_path = os.path.join(outdir, patches[0])
    text = open(cover_path).read()
    text = text.replace('*** SUBJECT HERE ***', cover[0])
    text = text.replace('*** BLURB HERE ***', cover[1].rstrip('\n'))
    with open(cover_path, 'w') as f:
        f.write(text)

    # checkpatch runs scripts/spdxcheck.py with python3: Debian's, which has
    # python3-ply, not whatever python3 comes first in PATH.
    system_env = dict(os.environ)
    system_env['PATH'] = '/usr/bin:/bin:' + system_env.get('PATH', '')
    failed = 0
    n = 0
    for p in patches[1:]:
        n += 1
        res = subprocess.run(['perl', 'scripts/checkpatch.pl', '--strict',
                              '--color=never', os.path.join(outdir, p)],
                             cwd=work, env=system_env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        total = [l for l in res.stdout.splitlines() if l.startswith('total:')]
        summary = total[-1] if total else 'no summary'
        clean = ' 0 errors, 0 warnings,' in summary
        if clean:
            print('ok %d - checkpatch --strict %s (%s)' % (n, p, summary))
        else:
            failed += 1
            print(res.stdout)
            print('not ok %d - checkpatch --strict %s (%s)' % (n, p, summary))

    # git am onto the pristine base must give the same tree.
    want = git(work, 'rev-parse', 'kbpf^{tree}')
    git(work, 'checkout', '-q', '-f', '--detach', base_commit)
    res = subprocess.run(['git', '-C', work, 'am', '-q', '--whitespace=error-all']
                         + [os.path.join(outdir, p) for p in patches[1:]],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    n += 1
    got = git(work, 'rev-parse', 'HEAD^{tree}') if res.returncode == 0 else ''
    if res.returncode == 0 and got == want:
        print('ok %d - git am applies the series to the pristine base' % n)
    else:
        failed += 1
        subprocess.run(['git', '-C', work, 'am', '--abort'],
                       stderr=subprocess.DEVNULL)
        print(res.stdout)
        print('not ok %d - git am applies the series to the pristine base' % n)

    # Upstream's internals are keyed on BPF_SYSCALL_STOCK everywhere but
    # the allowlist's sites, and the rename patch is up to date.
    res = subprocess.run([os.path.join(SCRIPTS, 'bpf-syscall-stock.py'),
                          'check', base, work], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    for line in res.stdout.splitlines():
        verdict, sep, rest = line.partition(' - ')
        if sep and verdict.split()[:-1] in (['ok'], ['not', 'ok']):
            n += 1
            line = '%s %d - %s' % (' '.join(verdict.split()[:-1]), n, rest)
        print(line)
    if res.returncode:
        failed += 1
    print('kbpf: series of %d patches in %s' % (len(patches) - 1, outdir),
          file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
