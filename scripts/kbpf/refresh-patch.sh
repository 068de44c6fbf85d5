#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# refresh-patch.sh patches/NAME.patch [PATH...]
#
# Rewrite a patch of patches/ from the assembled tree: edit the base files
# in $KBPF_CACHE/src/linux, then run this to turn them into the patch. The
# patch covers the PATHs given (for a new patch) or, by default, the files
# it already touches. Add a new patch's name to patches/series yourself.
# Each base file should belong to one patch: this diffs against the base.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

patch=${1:?usage: refresh-patch.sh patches/NAME.patch [PATH...]}
shift
base=$(kbpf_base_dir)
src=$KBPF_CACHE/src/linux
if [ $# -gt 0 ]; then
	paths=("$@")
else
	[ -f "$patch" ] || kbpf_die "$patch does not exist: name the paths it covers"
	mapfile -t paths < <(sed -n 's|^+++ b/||p' "$patch" | cut -f1)
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for f in "${paths[@]}"; do
	[ -f "$base/$f" ] || kbpf_die "$f is not a base file: new files belong in the overlay"
	diff -u --label "a/$f" --label "b/$f" "$base/$f" "$src/$f" >"$out.one" && {
		kbpf_warn "$f is unchanged from the base"
		continue
	}
	echo "diff --git a/$f b/$f"
	cat "$out.one"
done >"$out"
rm -f "$out.one"
[ -s "$out" ] || kbpf_die "no changes: $patch not written"
cp "$out" "$patch"
echo "kbpf: wrote $patch (${#paths[@]} file(s))"
