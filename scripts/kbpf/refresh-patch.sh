#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# refresh-patch.sh patches/NAME.patch [PATH...]
#
# Rewrite a patch of patches/ from the assembled tree: edit the base files
# in $KBPF_CACHE/src/linux, then run this to turn them into the patch. The
# patch covers the PATHs given (for a new patch) or, by default, the files
# it already touches. Add a new patch's name to patches/series yourself.
# The patch is the difference from the base with the patches listed before
# it in patches/series applied (all of them, for a patch not listed yet).
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
before=$(mktemp -d)
trap 'rm -rf "$out" "$out.one" "$before"' EXIT

# The files as the patches before this one leave them.
name=$(basename "$patch")
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	[ "$p" = "$name" ] && break
	sed -n 's|^+++ b/||p' "$KBPF_REPO/patches/$p" | cut -f1 |
	while read -r f; do
		[ -e "$before/$f" ] && continue
		mkdir -p "$before/$(dirname "$f")"
		cp "$base/$f" "$before/$f"
		chmod u+w "$before/$f"
	done
	patch -d "$before" -p1 -F0 -s -N --no-backup-if-mismatch \
		-i "$KBPF_REPO/patches/$p" >&2 || kbpf_die "patches/$p does not apply"
done <"$KBPF_REPO/patches/series"

for f in "${paths[@]}"; do
	[ -f "$base/$f" ] || kbpf_die "$f is not a base file: new files belong in the overlay"
	old=$base/$f
	[ -e "$before/$f" ] && old=$before/$f
	diff -u --label "a/$f" --label "b/$f" "$old" "$src/$f" >"$out.one" && {
		kbpf_warn "$f is unchanged from the base"
		continue
	}
	echo "diff --git a/$f b/$f"
	cat "$out.one"
done >"$out"
[ -s "$out" ] || kbpf_die "no changes: $patch not written"
cp "$out" "$patch"
echo "kbpf: wrote $patch (${#paths[@]} file(s))"
