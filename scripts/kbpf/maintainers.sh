#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# maintainers.sh BASE_MAINTAINERS ENTRY [PATTERN_FILTER_TREE]
#
# Print BASE_MAINTAINERS with the entry from ENTRY inserted before the first
# entry whose title sorts after it. With a tree given, keep only the F: lines
# that match a file present in that tree (the series export grows the entry
# patch by patch this way); with none of them left, the base as it is.
set -euo pipefail

base=$1
entry=$2
tree=${3:-}

filtered=$(mktemp)
trap 'rm -f "$filtered"' EXIT
while IFS= read -r line; do
	case "$line" in
	F:*)
		if [ -n "$tree" ]; then
			pat=${line#F:}
			pat=${pat#"${pat%%[![:space:]]*}"}
			# A directory pattern matches anything below it.
			case "$pat" in */) pat="$pat*" ;; esac
			# shellcheck disable=SC2086
			(cd "$tree" && compgen -G "$pat" >/dev/null) || continue
		fi
		;;
	esac
	printf '%s\n' "$line"
done <"$entry" >>"$filtered"

if ! grep -q '^F:' "$filtered"; then
	cat "$base"
	exit 0
fi

title=$(head -n1 "$entry")
# The list is sorted, but not perfectly: go between two neighbours that sort
# around our title, one of them of our first letter.
awk -v title="$title" -v entry="$filtered" '
	function emit(   l) {
		while ((getline l < entry) > 0)
			print l
		print ""
		done = 1
	}
	inlist && prev == "" && /^[0-9A-Z]/ && substr($0, 2, 1) != ":" {
		if (!done && last != "" && last < title && $0 > title &&
		    (substr($0, 1, 1) == substr(title, 1, 1) ||
		     substr(last, 1, 1) == substr(title, 1, 1)))
			emit()
		last = $0
	}
	/^Maintainers List/ { inlist = 1 }
	{ print; prev = $0 }
	END { if (!done) exit 1 }
' "$base"
