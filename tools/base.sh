#!/bin/bash
# Usage: tools/base.sh <base>          make sure the pristine source tarball of
#                                      <base> is available; print its path
#        tools/base.sh --mirror        print the Debian mirror (and keyring)
#                                      a download would use
#        tools/base.sh --userland ARCH the guest's static busybox and bash
#                                      for ARCH (arm64); print their directory
#   mainline: Debian linux-source-7.2 7.2.13-1. The pinned copy in
#             $KDEV_BASE_DIR (default: ../shared/base beside the repository),
#             checked against its SHA256SUMS; else $WORK/dl/ from an earlier
#             download; else the .deb from Debian sid through a private apt
#             configuration (the system's sources, lists and caches are never
#             touched). The mirror is the one the system's apt sources use for
#             Debian (sources.list / sources.list.d/*.list / *.sources), or
#             $KDEV_DEBIAN_MIRROR; its keyring is the source's Signed-By, or
#             $KDEV_DEBIAN_KEYRING. apt's output: $WORK/logs/base-download.log.
#             Temporary files live in $WORK/dl/apt.* and are removed on every
#             exit (success, error, Ctrl-C, SIGTERM/SIGHUP). apt-get handles
#             Ctrl-C itself and exits with an error, so an interrupted
#             download ends with that error (and the cleanup), not status 130.
#   6.12:     Debian 12's linux-source-6.12, version $LTS_VER with the pinned
#             SHA256: /usr/src/linux-source-6.12.tar.xz if the installed
#             package is that version, else $WORK/dl/ from an earlier
#             download, else that .deb with apt-get download (the system's
#             apt sources; installed packages are not touched). Anything
#             else is a one-line error (KDEV_612_ANY=1 takes whatever is
#             installed, and installs linux-source-6.12 if it is missing).
. "$(dirname "$0")/lib.sh"

MAINLINE_PKG=linux-source-7.2
MAINLINE_VER=7.2.13-1
MAINLINE_TAR=linux-source-7.2.tar.xz
# KDEV_TEST_BASE_SHA256 is for tests/base-download.sh (a fake package) only.
MAINLINE_SHA256=${KDEV_TEST_BASE_SHA256:-ecb3877b9988c936dcc64c63af8a54c2fa6df7f717d4e5ee429d0f4c4859e68b}
# The 6.12 base: Debian 12's linux-source-6.12, pinned by version and hash.
LTS_VER=${KDEV_TEST_LTS_VER:-6.12.117-1~deb12u1}
LTS_SHA256=${KDEV_TEST_LTS_SHA256:-585a4a074597aefa2b1a68ada83a3184ba351c127544dea80618bbcceaa3961f}
BASE_DIR=${KDEV_BASE_DIR:-$(cd "$REPO/.." && pwd)/shared/base}
DL_LOG=$WORK/logs/base-download.log

sha_of() { sha256sum "$1" | cut -d' ' -f1; }
sha_ok() { [ "$(sha_of "$1")" = "$MAINLINE_SHA256" ]; }

# The system's Debian archive entries, one per line: "URI<TAB>SIGNED-BY"
# (SIGNED-BY empty when none or inline). An entry counts when it is an
# enabled "deb" source for a Debian release suite (the system's codename,
# sid/unstable/testing/stable/oldstable, or their -updates/-backports),
# not the security archive, with component main.
system_debian_sources() {
	local SL="" SP="" codename=""
	eval "$(apt-config shell SL Dir::Etc::sourcelist/f SP Dir::Etc::sourceparts/d)"
	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true
	local files=() f
	[ -n "$SL" ] && [ -f "$SL" ] && files+=("$SL")
	if [ -n "$SP" ] && [ -d "$SP" ]; then
		for f in "$SP"*.list "$SP"*.sources; do [ -f "$f" ] && files+=("$f"); done
	fi
	for f in ${files[@]+"${files[@]}"}; do
		case "$f" in
		*.sources) awk -v RS= -v codename="$codename" -f <(deb822_awk) "$f" ;;
		*) awk -v codename="$codename" -f <(oneline_awk) "$f" ;;
		esac
	done
}

# shared awk: is (suite, uri, comps) a Debian release archive with main?
awk_judge='
function debian_entry(suites, uri, comps,   s, n, i, base) {
	if (uri !~ /^(https?|ftp|file):/ || uri ~ /security/) return 0
	if ((" " comps " ") !~ / main /) return 0
	n = split(suites, s, /[ \t]+/)
	for (i = 1; i <= n; i++) {
		base = s[i]; sub(/-(updates|backports|proposed-updates)$/, "", base)
		if (s[i] ~ /security/) continue
		if (base == codename || base ~ /^(sid|unstable|testing|stable|oldstable)$/) return 1
	}
	return 0
}'

# one-line format: deb [opt=val ...] URI suite component...
oneline_awk() {
	cat <<EOF
$awk_judge
{ sub(/#.*/, "") }
\$1 == "deb" {
	i = 2; signed = ""
	if (\$2 ~ /^\\[/) {
		for (; i <= NF; i++) {
			o = \$i; gsub(/[][]/, "", o)
			if (o ~ /^signed-by=/) { signed = o; sub(/^signed-by=/, "", signed) }
			if (\$i ~ /\\]\$/) { i++; break }
		}
	}
	uri = \$i; suite = \$(i + 1); comps = ""
	for (j = i + 2; j <= NF; j++) comps = comps " " \$j
	if (debian_entry(suite, uri, comps)) print uri "\t" signed
}
EOF
}

# deb822 format: paragraphs of "Field: value" (continuation lines indented).
deb822_awk() {
	cat <<'EOF'
{
	types = uris = suites = comps = signed = ""; enabled = "yes"
	n = split($0, L, "\n")
	for (i = 1; i <= n; i++) {
		if (L[i] ~ /^#/ || L[i] ~ /^[ \t]/ || L[i] !~ /:/) continue
		k = tolower(L[i]); sub(/:.*/, "", k)
		v = L[i]; sub(/^[^:]*:[ \t]*/, "", v); sub(/[ \t]+$/, "", v)
		if (k == "types") types = v
		else if (k == "uris") uris = v
		else if (k == "suites") suites = v
		else if (k == "components") comps = v
		else if (k == "signed-by") signed = (v ~ /^\// ? v : "")
		else if (k == "enabled") enabled = tolower(v)
	}
	if (enabled == "no" || (" " types " ") !~ / deb /) next
	split(uris, U, /[ \t]+/)
	if (debian_entry(suites, U[1], comps)) print U[1] "\t" signed
}
EOF
	echo "$awk_judge"
}

# Sets MIRROR and KEYRING.
pick_mirror() {
	local line=""
	if [ -n "${KDEV_DEBIAN_MIRROR:-}" ]; then
		MIRROR=$KDEV_DEBIAN_MIRROR KEYRING=${KDEV_DEBIAN_KEYRING:-}
	else
		line=$(system_debian_sources | head -n 1) || true
		[ -n "$line" ] || die "no Debian mirror found in the system's apt sources; set KDEV_DEBIAN_MIRROR to a Debian mirror URL or put $MAINLINE_TAR in $BASE_DIR"
		MIRROR=${line%%$'\t'*} KEYRING=${KDEV_DEBIAN_KEYRING:-${line#*$'\t'}}
	fi
	MIRROR=${MIRROR%/}
	if [ -n "$KEYRING" ] && [ ! -r "$KEYRING" ]; then die "keyring $KEYRING (of the Debian mirror $MIRROR) is not readable"; fi
}

DL_TMP=
cleanup() { if [ -n "$DL_TMP" ]; then rm -rf "$DL_TMP"; fi; }

# apt-get/apt-cache with a private configuration: only our sid source, our
# own lists, cache and parts directory (the system's apt.conf.d is used for
# proxies and the like, without its update hooks).
papt() { APT_CONFIG=$DL_TMP/apt.conf "$@"; }

# setup_private_apt [SUITE [ARCH]]: default sid, the host's architecture.
setup_private_apt() {
	local EP="" f suite=${1:-sid} arch=${2:-}
	eval "$(apt-config shell EP Dir::Etc::parts/d)"
	mkdir -p "$DL_TMP/lists/partial" "$DL_TMP/cache/archives/partial" "$DL_TMP/sources.d" \
		"$DL_TMP/prefs.d" "$DL_TMP/conf.d" "$DL_TMP/deb"
	chmod 755 "$DL_TMP"     # apt's _apt sandbox user must reach the lists/cache
	if [ -n "$EP" ] && [ -d "$EP" ]; then
		for f in "$EP"*; do [ -f "$f" ] && ln -s "$f" "$DL_TMP/conf.d/"; done
	fi
	{
		echo "Dir::Etc::parts \"$DL_TMP/conf.d\";"
		echo "Dir::Etc::sourcelist \"$DL_TMP/sources.list\";"
		echo "Dir::Etc::sourceparts \"$DL_TMP/sources.d\";"
		echo "Dir::Etc::preferences \"/dev/null\";"
		echo "Dir::Etc::preferencesparts \"$DL_TMP/prefs.d\";"
		echo "Dir::State::Lists \"$DL_TMP/lists\";"
		echo "Dir::Cache \"$DL_TMP/cache\";"
		echo "Debug::NoLocking \"true\";"
		echo "Acquire::Languages \"none\";"
		[ -z "$arch" ] || echo "APT::Architectures { \"$arch\"; };"
	} >"$DL_TMP/apt.conf"
	# read last (name sorts after the system's parts): no update hooks
	printf '#clear APT::Update::Pre-Invoke;\n#clear APT::Update::Post-Invoke;\n#clear APT::Update::Post-Invoke-Success;\n' \
		>"$DL_TMP/conf.d/zzzz-kdev-private"
	local opt=""
	[ -z "$KEYRING" ] || opt="[signed-by=$KEYRING] "
	echo "deb ${opt}$MIRROR $suite main" >"$DL_TMP/sources.list"
}

download_mainline() {
	local cached=$1 deb n
	pick_mirror
	note "downloading $MAINLINE_PKG=$MAINLINE_VER from Debian sid at $MIRROR (private apt config; log: $DL_LOG)"
	mkdir -p "$WORK/dl" "$(dirname "$DL_LOG")"
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	DL_TMP=$(mktemp -d "$WORK/dl/apt.XXXXXX")
	setup_private_apt
	: >"$DL_LOG"
	run_with_progress "apt-get update (sid)" "$DL_TMP/update.log" papt apt-get -q update || true
	cat "$DL_TMP/update.log" >>"$DL_LOG"
	# a verified (In)Release in our lists = the mirror answered and is trusted
	n=$(find "$DL_TMP/lists" -maxdepth 1 \( -name '*_dists_sid_InRelease' -o -name '*_dists_sid_Release' \) | wc -l)
	[ "$n" -gt 0 ] || die "cannot fetch the sid package index from $MIRROR (unreachable mirror, bad signature or interrupted? see $DL_LOG)"
	if ! (cd "$DL_TMP/deb" && run_with_progress "downloading $MAINLINE_PKG" "$DL_TMP/download.log" \
			papt apt-get -q download "$MAINLINE_PKG=$MAINLINE_VER"); then
		cat "$DL_TMP/download.log" >>"$DL_LOG"
		papt apt-cache show "$MAINLINE_PKG=$MAINLINE_VER" >/dev/null 2>&1 ||
			die "$MAINLINE_PKG $MAINLINE_VER is not in sid at $MIRROR (gone from sid? put the pinned tarball in $BASE_DIR or set KDEV_BASE_DIR)"
		die "downloading $MAINLINE_PKG $MAINLINE_VER from $MIRROR failed (see $DL_LOG)"
	fi
	cat "$DL_TMP/download.log" >>"$DL_LOG"
	deb=$(find "$DL_TMP/deb" -maxdepth 1 -name "${MAINLINE_PKG}_*.deb" | head -n 1)
	[ -n "$deb" ] || die "apt-get download left no $MAINLINE_PKG .deb (see $DL_LOG)"
	{ dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$MAINLINE_TAR" >"$DL_TMP/$MAINLINE_TAR"; } 2>>"$DL_LOG" ||
		die "cannot extract $MAINLINE_TAR from $(basename "$deb") (see $DL_LOG)"
	sha_ok "$DL_TMP/$MAINLINE_TAR" ||
		die "$MAINLINE_TAR from $(basename "$deb"): SHA256 $(sha_of "$DL_TMP/$MAINLINE_TAR"), expected $MAINLINE_SHA256"
	mv "$DL_TMP/$MAINLINE_TAR" "$cached"
	cleanup; DL_TMP=
	trap - EXIT INT TERM HUP
}

get_mainline() {
	local f="$BASE_DIR/$MAINLINE_TAR"
	if [ -f "$f" ]; then
		if [ -f "$BASE_DIR/SHA256SUMS" ] && (cd "$BASE_DIR" && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1) &&
		   sha_ok "$f"; then
			echo "$(cd "$BASE_DIR" && pwd)/$MAINLINE_TAR"
			return
		fi
		note "ignoring $f: SHA256 does not match"
	fi
	local cached="$WORK/dl/$MAINLINE_TAR"
	if [ -f "$cached" ] && sha_ok "$cached"; then echo "$cached"; return; fi
	download_mainline "$cached"
	echo "$cached"
}

get_612() {
	local f=/usr/src/linux-source-6.12.tar.xz v
	local cached=$WORK/dl/linux-source-6.12_${LTS_VER}.tar.xz
	if [ "${KDEV_612_ANY:-0}" = 1 ]; then
		if [ ! -f "$f" ]; then
			note "installing linux-source-6.12 (Debian 12)"
			[ "$(id -u)" = 0 ] || die "$f missing; run: sudo apt-get install linux-source-6.12"
			DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q linux-source-6.12 >&2 ||
				die "apt-get install linux-source-6.12 failed"
		fi
		[ -f "$f" ] || die "$f still missing after installing linux-source-6.12"
		echo "$f"; return
	fi
	# Pinned: the 6.12 series and its expectations are for this source. The
	# installed package is used when it is that version; else the pinned
	# .deb is fetched with apt-get download (the system's apt sources; the
	# installed packages are not touched) and its tarball kept in $WORK/dl.
	v=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo none)
	if [ "$v" = "$LTS_VER" ] && [ -f "$f" ] && [ "$(sha_of "$f")" = "$LTS_SHA256" ]; then
		echo "$f"; return
	fi
	if [ -f "$cached" ] && [ "$(sha_of "$cached")" = "$LTS_SHA256" ]; then
		echo "$cached"; return
	fi
	note "linux-source-6.12 installed: $v; fetching the pinned $LTS_VER"
	mkdir -p "$WORK/dl" "$WORK/logs"
	# global, not local: the EXIT trap runs after this function returned
	d=$(mktemp -d "$WORK/dl/apt612.XXXXXX")
	trap 'rm -rf "$d"' EXIT
	(cd "$d" && apt-get download "linux-source-6.12=$LTS_VER") >"$WORK/logs/base-download-6.12.log" 2>&1 ||
		die "apt-get download linux-source-6.12=$LTS_VER failed (not in the apt sources any more? KDEV_612_ANY=1 takes the installed version; see $WORK/logs/base-download-6.12.log)"
	dpkg-deb -x "$d"/linux-source-6.12_*.deb "$d/x" ||
		die "cannot unpack the linux-source-6.12 $LTS_VER .deb"
	[ -f "$d/x$f" ] || die "the linux-source-6.12 $LTS_VER .deb has no ${f#/}"
	[ "$(sha_of "$d/x$f")" = "$LTS_SHA256" ] ||
		die "linux-source-6.12 $LTS_VER: SHA256 $(sha_of "$d/x$f"), expected $LTS_SHA256"
	mv "$d/x$f" "$cached"
	rm -rf "$d"
	echo "$cached"
}

# --userland ARCH: the guest's static busybox and bash for ARCH, from the
# system's Debian release through a private apt configuration (signatures
# checked by apt; dpkg's architectures and the installed packages are not
# touched), kept in $WORK/userland/ARCH/; prints that directory.
get_userland() {
	local arch=$1 d=$WORK/userland/$1 codename deb
	case $arch in
	arm64) ;;
	*) die "--userland: no guest userland for ARCH '$arch' (known: arm64)" ;;
	esac
	if [ -x "$d/busybox" ] && [ -x "$d/bash" ]; then echo "$d"; return; fi
	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true
	[ -n "$codename" ] || die "--userland: no VERSION_CODENAME in /etc/os-release"
	pick_mirror
	note "downloading busybox-static and bash-static for $arch from Debian $codename at $MIRROR"
	mkdir -p "$WORK/dl" "$WORK/logs"
	trap cleanup EXIT
	DL_TMP=$(mktemp -d "$WORK/dl/apt.XXXXXX")
	setup_private_apt "$codename" "$arch"
	run_with_progress "apt-get update ($codename, $arch)" "$WORK/logs/userland-$arch.log" papt apt-get -q update ||
		die "cannot fetch the $codename $arch package index from $MIRROR (see $WORK/logs/userland-$arch.log)"
	(cd "$DL_TMP/deb" && papt apt-get -q download "busybox-static:$arch" "bash-static:$arch") >>"$WORK/logs/userland-$arch.log" 2>&1 ||
		die "apt-get download busybox-static:$arch bash-static:$arch failed (see $WORK/logs/userland-$arch.log)"
	for deb in "$DL_TMP"/deb/*.deb; do dpkg-deb -x "$deb" "$DL_TMP/x" || die "cannot unpack $(basename "$deb")"; done
	mkdir -p "$d.tmp"
	cp "$DL_TMP/x/bin/busybox" "$d.tmp/busybox" && cp "$DL_TMP/x/bin/bash-static" "$d.tmp/bash" ||
		die "the $arch busybox-static/bash-static packages lack bin/busybox or bin/bash-static"
	for f in "$d.tmp"/*; do
		file -L "$f" | grep -q 'ARM aarch64.*statically linked' || die "$f is not a static $arch program: $(file -b "$f")"
	done
	rm -rf "$d"; mv "$d.tmp" "$d"
	cleanup; DL_TMP=
	trap - EXIT
	echo "$d"
}

if [ "${1:-}" = --userland ]; then
	get_userland "${2:-}"
	exit 0
fi
if [ "${1:-}" = --mirror ]; then
	pick_mirror
	echo "$MIRROR${KEYRING:+ (keyring $KEYRING)}"
	exit 0
fi
base=${1:-}; check_base "$base"
case "$base" in
mainline) get_mainline ;;
6.12) get_612 ;;
esac
