#!/bin/bash
# Usage: tools/base.sh <base>
# Make sure the pristine source tarball of <base> is available; print its path.
#   mainline: Debian linux-source-7.2 7.2.13-1. The pinned copy in
#             $REPO/../shared/base (or /work/shared/base), checked against its
#             SHA256SUMS; else the .deb downloaded from Debian sid through a
#             private apt configuration (system sources are never touched).
#   6.12:     Debian 12's linux-source-6.12 (/usr/src/linux-source-6.12.tar.xz).
. "$(dirname "$0")/lib.sh"
base=${1:-}; check_base "$base"

MAINLINE_PKG=linux-source-7.2
MAINLINE_VER=7.2.13-1
MAINLINE_TAR=linux-source-7.2.tar.xz
MAINLINE_SHA256=ecb3877b9988c936dcc64c63af8a54c2fa6df7f717d4e5ee429d0f4c4859e68b

sha_ok() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$MAINLINE_SHA256" ]; }

get_mainline() {
	local d
	for d in "$REPO/../shared/base" /work/shared/base; do
		[ -f "$d/$MAINLINE_TAR" ] || continue
		if [ -f "$d/SHA256SUMS" ] && (cd "$d" && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1) &&
		   sha_ok "$d/$MAINLINE_TAR"; then
			echo "$(cd "$d" && pwd)/$MAINLINE_TAR"
			return
		fi
		note "ignoring $d/$MAINLINE_TAR: SHA256 does not match"
	done
	local cached="$WORK/dl/$MAINLINE_TAR"
	if [ -f "$cached" ] && sha_ok "$cached"; then echo "$cached"; return; fi
	note "downloading $MAINLINE_PKG=$MAINLINE_VER from Debian sid (private apt config)"
	mkdir -p "$WORK/dl"
	local tmp; tmp=$(mktemp -d "$WORK/dl/apt.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/parts"
	echo "deb http://deb.debian.org/debian sid main" >"$tmp/sources.list"
	local opts=(-q -o Dir::Etc::sourcelist="$tmp/sources.list" -o Dir::Etc::sourceparts="$tmp/parts"
		-o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache"
		-o Dir::State::status=/var/lib/dpkg/status -o Debug::NoLocking=true)
	apt-get "${opts[@]}" update >&2 || die "apt-get update (private sid config) failed"
	(cd "$tmp" && apt-get "${opts[@]}" download "$MAINLINE_PKG=$MAINLINE_VER" >&2) ||
		die "cannot download $MAINLINE_PKG=$MAINLINE_VER from sid (gone from sid? put the pinned tarball in ../shared/base)"
	dpkg-deb --fsys-tarfile "$tmp"/${MAINLINE_PKG}_*.deb |
		tar -xO "./usr/src/$MAINLINE_TAR" >"$tmp/$MAINLINE_TAR" || die "cannot extract $MAINLINE_TAR from the .deb"
	sha_ok "$tmp/$MAINLINE_TAR" || die "downloaded $MAINLINE_TAR: SHA256 mismatch"
	mv "$tmp/$MAINLINE_TAR" "$cached"
	echo "$cached"
}

get_612() {
	local f=/usr/src/linux-source-6.12.tar.xz
	if [ ! -f "$f" ]; then
		note "installing linux-source-6.12 (Debian 12)"
		[ "$(id -u)" = 0 ] || die "$f missing; run: sudo apt-get install linux-source-6.12"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.12 >&2 ||
			die "apt-get install linux-source-6.12 failed"
	fi
	[ -f "$f" ] || die "$f still missing after installing linux-source-6.12"
	echo "$f"
}

case "$base" in
mainline) get_mainline ;;
6.12) get_612 ;;
esac
