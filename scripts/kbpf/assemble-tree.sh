#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble the patched kernel tree: a copy of the pristine base, plus every
# kernel-tree path of this repository (the overlay), plus patches/series
# applied in order, plus kbpf's MAINTAINERS entry in its sorted place.
#
# Incremental: only files whose content changed are rewritten, so Kbuild
# rebuilds only what an edit touched. Files the previous assembly changed
# and this one no longer does go back to the base's content.
#
# KBPF_PATCHES overrides the patches directory (used by the tooling tests).
#
# Prints the assembled tree's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Repository paths that are kernel-tree paths (the rest is tooling).
OVERLAY_DIRS=(Documentation arch include kernel tools)

# One assembly at a time, and none while another run builds from the tree.
kbpf_build_lock
"$KBPF_SCRIPTS/fetch-base.sh" >&2
base=$(kbpf_base_dir)
version=$(cat "$KBPF_CACHE/base/current")
src=$KBPF_CACHE/src/linux
touched_list=$src/.kbpf-touched

if [ "$(cat "$src/.kbpf-base" 2>/dev/null)" != "$version" ]; then
	echo "kbpf: copying base $version to $src" >&2
	rm -rf "$src" "$src.tmp"
	cp -a "$base" "$src.tmp"
	chmod -R u+w "$src.tmp"
	echo "$version" >"$src.tmp/.kbpf-base"
	: >"$src.tmp/.kbpf-touched"
	mv "$src.tmp" "$src"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# 1. Patched files: base content, then the series in order.
patches=${KBPF_PATCHES:-$KBPF_REPO/patches}
series=$patches/series
if [ -s "$series" ]; then
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		[ -f "$patches/$p" ] ||
			kbpf_die "patches/series names $p, which does not exist"
		sed -n -e 's|^--- a/||p' -e 's|^+++ b/||p' "$patches/$p" |
		while read -r f; do
			f=${f%%	*}
			if [ -f "$base/$f" ] && [ ! -e "$stage/$f" ]; then
				mkdir -p "$stage/$(dirname "$f")"
				cp "$base/$f" "$stage/$f"
				chmod u+w "$stage/$f"
			fi
		done
		if ! out=$(patch -d "$stage" -p1 -F0 -s -N --dry-run \
				-i "$patches/$p" 2>&1); then
			echo "$out" >&2
			kbpf_die "patches/$p does not apply to base $version (see above)"
		fi
		patch -d "$stage" -p1 -F0 -s -N --no-backup-if-mismatch \
			-i "$patches/$p" >&2
	done <"$series"
fi

# 2. The overlay: files the repository tracks, or would track, under the
#    kernel-tree directories. Build products are ignored by .gitignore.
(cd "$KBPF_REPO" && git ls-files -z --cached --others --exclude-standard \
	-- "${OVERLAY_DIRS[@]}") |
while IFS= read -r -d '' f; do
	[ -f "$KBPF_REPO/$f" ] || continue
	[ -e "$stage/$f" ] &&
		kbpf_die "$f is both in the overlay and patched by patches/: pick one"
	mkdir -p "$stage/$(dirname "$f")"
	cp "$KBPF_REPO/$f" "$stage/$f"
done

# 3. MAINTAINERS: kbpf's entry inserted where the sorted list wants it.
"$KBPF_SCRIPTS/maintainers.sh" "$base/MAINTAINERS" "$KBPF_REPO/MAINTAINERS" \
	>"$stage/MAINTAINERS"

# 4. Sync the stage into the tree, touching only what changed.
(cd "$stage" && find . -type f -printf '%P\n' | sort) >"$stage.list"
changed=0
while read -r f; do
	if ! cmp -s "$stage/$f" "$src/$f"; then
		mkdir -p "$(dirname "$src/$f")"
		cp "$stage/$f" "$src/$f"
		changed=$((changed + 1))
	fi
done <"$stage.list"
# Files the last assembly touched that this one does not: back to base.
comm -23 <(sort "$touched_list") "$stage.list" | while read -r f; do
	if [ -f "$base/$f" ]; then
		cp "$base/$f" "$src/$f"
		chmod u+w "$src/$f"
	else
		rm -f "$src/$f"
	fi
	echo "kbpf: $f no longer in the series; restored" >&2
done
mv "$stage.list" "$touched_list"
[ "$changed" = 0 ] || echo "kbpf: assembled tree: $changed file(s) updated" >&2
echo "$src"
