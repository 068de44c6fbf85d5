#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's linux-source-6.12 and unpack it once into the cache.
# The preferred version is pinned in scripts/kbpf/base-version; when the
# archive no longer has it, the newest 6.12.y it has is used with a warning.
# The version in use is recorded in $KBPF_CACHE/base/current.
# KBPF_BASE_VERSION overrides the pinned version (used by the tooling tests).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkg=linux-source-6.12
want=${KBPF_BASE_VERSION:-$(tr -d '[:space:]' <"$KBPF_SCRIPTS/base-version")}
[ -n "$want" ] || kbpf_die "scripts/kbpf/base-version is empty"

have_version() {
	apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' |
		grep -qxF "$1"
}

# Directory names avoid '~', which make and shells treat specially.
dirname_of() { echo "${1//\~/_}"; }

# Already unpacked: nothing to fetch, even offline.
if [ -e "$KBPF_CACHE/base/$(dirname_of "$want")/.unpacked" ]; then
	dirname_of "$want" >"$KBPF_CACHE/base/current"
	exit 0
fi

if ! have_version "$want"; then
	apt-get update -q >/dev/null 2>&1 || true
fi
version=$want
if ! have_version "$want"; then
	version=$(apt-cache madison "$pkg" 2>/dev/null |
		awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -V | tail -n1)
	[ -n "$version" ] ||
		kbpf_die "$pkg is not in the package archive (apt-get update? sources.list?)"
	kbpf_warn "pinned base $want is gone from the archive; using newest $version"
	if [ -e "$KBPF_CACHE/base/$(dirname_of "$version")/.unpacked" ]; then
		dirname_of "$version" >"$KBPF_CACHE/base/current"
		exit 0
	fi
fi

dest=$KBPF_CACHE/base/$(dirname_of "$version")
rm -rf "$dest"
mkdir -p "$dest/deb"
echo "kbpf: fetching $pkg=$version"
(cd "$dest/deb" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$version" >/dev/null) ||
	kbpf_die "could not download $pkg=$version"
deb=$(ls "$dest"/deb/*.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest/deb" --wildcards '*.tar.xz' ||
	kbpf_die "$deb has no source tarball"
tarball=$(find "$dest/deb" -name 'linux-source-*.tar.xz' | head -n1)
[ -n "$tarball" ] || kbpf_die "$deb has no linux-source tarball"
echo "kbpf: unpacking $(basename "$tarball")"
mkdir -p "$dest/linux"
tar -xJf "$tarball" -C "$dest/linux" --strip-components=1 ||
	kbpf_die "could not unpack $tarball"
rm -rf "$dest/deb"
# The base is pristine from here on: nothing may write into it.
chmod -R a-w "$dest/linux"
echo "$version" >"$dest/version"
touch "$dest/.unpacked"
dirname_of "$version" >"$KBPF_CACHE/base/current"
echo "kbpf: base tree $version in $dest/linux"
