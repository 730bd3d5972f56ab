#!/bin/bash
# tools/base.sh's download path, without network: a local signed file: apt
# repository with a fake linux-source-7.2 7.2.13-1 .deb (a tiny tarball).
# Checks the good path (and the cache), the pinned-copy lookup, mirror
# detection from apt sources, and that every failure (package missing, .deb
# hash mismatch, tarball SHA256 mismatch, unreachable mirror, bad signature,
# no mirror, Ctrl-C, SIGTERM) exits non-zero with one "error:" line (or the
# signal's exit code) and leaves no apt.* temporary directory behind.
. "$(dirname "$0")/lib.sh"
chmod 755 "$tmp"       # apt's _apt user reads the file: repository
export GNUPGHOME=$tmp/gnupg
mkdir -m 700 "$GNUPGHOME"
listener=
cleanup() {
	[ -z "$listener" ] || kill "$listener" 2>/dev/null || true
	if [ -d "$GNUPGHOME" ]; then gpgconf --homedir "$GNUPGHOME" --kill gpg-agent 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
for c in gpg gpgconf dpkg-deb apt-get setsid; do
	command -v "$c" >/dev/null || { echo "error: $c missing (tools/deps.sh installs it)"; exit 1; }
done
PKG=linux-source-7.2 VER=7.2.13-1 TAR=linux-source-7.2.tar.xz
ARCH=$(dpkg --print-architecture)
BASE="$REPO/tools/base.sh"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# --- a fake package and a signed repository ----------------------------------
mkdir -p "$tmp/src/linux-source-7.2" "$tmp/pkg/DEBIAN" "$tmp/pkg/usr/src"
echo "fake kernel tree" >"$tmp/src/linux-source-7.2/README"
tar -C "$tmp/src" -cJf "$tmp/pkg/usr/src/$TAR" linux-source-7.2
SHA=$(sha256sum <"$tmp/pkg/usr/src/$TAR" | cut -c1-64)
cat >"$tmp/pkg/DEBIAN/control" <<EOF
Package: $PKG
Version: $VER
Architecture: all
Maintainer: kdev test <kdev@localhost>
Description: fake Linux kernel source for tests/base-download.sh
EOF
dpkg-deb --root-owner-group -Zgzip -b "$tmp/pkg" "$tmp/fake.deb" >/dev/null
gpg --batch -q --passphrase '' --quick-gen-key 'kdev test repo <kdev@localhost>' ed25519 sign never 2>/dev/null
gpg --batch -q --export >"$tmp/key.gpg"
: >"$tmp/empty.gpg"

# make_repo DIR [missing|badhash]: dists/sid with one signed InRelease.
make_repo() {
	local d=$1 kind=${2:-good} pool=pool/main/l/$PKG
	local pk="$d/dists/sid/main/binary-$ARCH/Packages"
	mkdir -p "$d/$pool" "$(dirname "$pk")"
	cp "$tmp/fake.deb" "$d/$pool/${PKG}_${VER}_all.deb"
	local sha; sha=$(sha256sum <"$tmp/fake.deb" | cut -c1-64)
	[ "$kind" != badhash ] || sha=$(echo x | sha256sum | cut -c1-64)
	if [ "$kind" = missing ]; then : >"$pk"; else
		{ cat "$tmp/pkg/DEBIAN/control"
		  echo "Filename: $pool/${PKG}_${VER}_all.deb"
		  echo "Size: $(stat -c %s "$tmp/fake.deb")"
		  echo "SHA256: $sha"; } >"$pk"
	fi
	{ echo "Origin: kdev-test"; echo "Suite: unstable"; echo "Codename: sid"
	  echo "Date: $(LC_ALL=C date -u -R)"; echo "Architectures: $ARCH"; echo "Components: main"
	  echo "SHA256:"
	  echo " $(sha256sum <"$pk" | cut -c1-64) $(stat -c %s "$pk") main/binary-$ARCH/Packages"; } >"$d/dists/sid/Release"
	gpg --batch -q --yes --clearsign -o "$d/dists/sid/InRelease" "$d/dists/sid/Release"
	chmod -R a+rX "$d"
}
make_repo "$tmp/repo"
make_repo "$tmp/repo-missing" missing
make_repo "$tmp/repo-badhash" badhash

# --- helpers -----------------------------------------------------------------
# run_base NAME ENV...: run tools/base.sh mainline in a fresh work dir with
# the test repository and ENV; sets RC, OUT (combined output), WD.
run_base() {
	local name=$1; shift
	WD=$tmp/w-$name
	RC=0
	env KDEV_WORK="$WD" KDEV_BASE_DIR="$tmp/no-base" KDEV_DEBIAN_MIRROR="file:$tmp/repo" \
		KDEV_DEBIAN_KEYRING="$tmp/key.gpg" KDEV_TEST_BASE_SHA256="$SHA" "$@" \
		"$BASE" mainline >"$tmp/out" 2>&1 || RC=$?
	OUT=$(cat "$tmp/out")
}
no_leftovers() {
	local left
	left=$(find "$WD/dl" -mindepth 1 -maxdepth 1 -name 'apt.*' 2>/dev/null)
	[ -z "$left" ] || { fail "$1: left behind: $left"; return 1; }
}
# expect_error NAME PATTERN ENV...: fails with exactly one error line, the last
# one, matching PATTERN; no temporary dir and no tarball left behind.
expect_error() {
	local name=$1 pat=$2; shift 2
	run_base "$name" "$@"
	if [ "$RC" = 0 ]; then fail "$name: succeeded"; return; fi
	if [ "$(grep -c '^error: ' <<<"$OUT")" != 1 ] || ! tail -n 1 <<<"$OUT" | grep -q '^error: '; then
		fail "$name: not one error line at the end:"; tail -n 5 <<<"$OUT"; return
	fi
	tail -n 1 <<<"$OUT" | grep -qE "$pat" || { fail "$name: error does not match /$pat/: $(tail -n 1 <<<"$OUT")"; return; }
	[ ! -e "$WD/dl/$TAR" ] || { fail "$name: tarball left in $WD/dl"; return; }
	no_leftovers "$name" && ok "$name (rc $RC): $(tail -n 1 <<<"$OUT")"
}

# --- good path -----------------------------------------------------------------
run_base good
if [ "$RC" = 0 ] && [ "$(tail -n 1 <<<"$OUT")" = "$WD/dl/$TAR" ] && [ -f "$WD/dl/$TAR" ] &&
   [ "$(sha256sum <"$WD/dl/$TAR" | cut -c1-64)" = "$SHA" ] && [ -s "$WD/logs/base-download.log" ]; then
	no_leftovers good && ok "download from a file: repository -> $WD/dl/$TAR"
else
	fail "good download: rc $RC"; tail -n 5 <<<"$OUT"
fi
# the cached copy is used without any mirror
RC=0; out=$(KDEV_WORK="$WD" KDEV_BASE_DIR="$tmp/no-base" KDEV_DEBIAN_MIRROR=file:/nonexistent \
	KDEV_TEST_BASE_SHA256="$SHA" "$BASE" mainline 2>&1) || RC=$?
if [ "$RC" = 0 ] && [ "$out" = "$WD/dl/$TAR" ]; then ok "second run uses the cached tarball"; else fail "cache: rc $RC: $out"; fi

# pinned copy in KDEV_BASE_DIR, with and without a matching SHA256SUMS
mkdir -p "$tmp/pinned"; cp "$tmp/pkg/usr/src/$TAR" "$tmp/pinned/"
(cd "$tmp/pinned" && sha256sum "$TAR" >SHA256SUMS)
RC=0; out=$(KDEV_WORK="$tmp/w-pinned" KDEV_BASE_DIR="$tmp/pinned" KDEV_DEBIAN_MIRROR=file:/nonexistent \
	KDEV_TEST_BASE_SHA256="$SHA" "$BASE" mainline 2>&1) || RC=$?
if [ "$RC" = 0 ] && [ "$out" = "$tmp/pinned/$TAR" ]; then ok "pinned copy from KDEV_BASE_DIR"; else fail "pinned: rc $RC: $out"; fi
echo "0000000000000000000000000000000000000000000000000000000000000000  $TAR" >"$tmp/pinned/SHA256SUMS"
run_base pinned-bad KDEV_BASE_DIR="$tmp/pinned"
if [ "$RC" = 0 ] && grep -q "^>> ignoring $tmp/pinned/$TAR" <<<"$OUT" && [ "$(tail -n 1 <<<"$OUT")" = "$WD/dl/$TAR" ]; then
	no_leftovers pinned-bad && ok "pinned copy with a wrong SHA256SUMS is ignored, downloaded instead"
else
	fail "pinned-bad: rc $RC"; tail -n 5 <<<"$OUT"
fi

# --- failures -----------------------------------------------------------------
expect_error missing 'is not in sid' KDEV_DEBIAN_MIRROR="file:$tmp/repo-missing"
expect_error deb-hash 'downloading .* failed' KDEV_DEBIAN_MIRROR="file:$tmp/repo-badhash"
expect_error tar-sha 'SHA256 [0-9a-f]{64}, expected' KDEV_TEST_BASE_SHA256=0000000000000000000000000000000000000000000000000000000000000000
expect_error no-mirror-dir 'cannot fetch the sid package index' KDEV_DEBIAN_MIRROR="file:$tmp/nonexistent"
expect_error refused 'cannot fetch the sid package index' KDEV_DEBIAN_MIRROR=http://127.0.0.1:9
expect_error bad-signature 'cannot fetch the sid package index' KDEV_DEBIAN_KEYRING="$tmp/empty.gpg"
expect_error no-keyring 'keyring .* is not readable' KDEV_DEBIAN_KEYRING="$tmp/nope.gpg"
printf 'Dir::Etc::sourcelist "%s/none.list";\nDir::Etc::sourceparts "%s/none.d";\n' "$tmp" "$tmp" >"$tmp/apt-none.conf"
expect_error no-sources 'no Debian mirror found' KDEV_DEBIAN_MIRROR= APT_CONFIG="$tmp/apt-none.conf"

# --- mirror detection from the apt sources --------------------------------------
mkdir -p "$tmp/src.d"
cat >"$tmp/src.list" <<'EOF'
deb-src http://src.example/debian bookworm main
deb http://security.example/debian-security bookworm-security main
EOF
cat >"$tmp/src.d/a.sources" <<'EOF'
Types: deb
URIs: https://thirdparty.example/node_20.x
Suites: nodistro
Components: main

Enabled: no
Types: deb
URIs: http://disabled.example/debian
Suites: sid
Components: main

Types: deb deb-src
URIs: http://mirror.example.org/debian/
Suites: unstable
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
printf 'Dir::Etc::sourcelist "%s/src.list";\nDir::Etc::sourceparts "%s/src.d";\n' "$tmp" "$tmp" >"$tmp/apt-src.conf"
got=$(env -u KDEV_DEBIAN_MIRROR -u KDEV_DEBIAN_KEYRING APT_CONFIG="$tmp/apt-src.conf" "$BASE" --mirror 2>&1) || true
want="http://mirror.example.org/debian (keyring /usr/share/keyrings/debian-archive-keyring.gpg)"
if [ "$got" = "$want" ]; then ok "mirror from deb822 sources: $got"; else fail "deb822 mirror: got '$got', want '$want'"; fi
echo "deb [arch=amd64 signed-by=$tmp/key.gpg] file:$tmp/repo/ sid main" >"$tmp/src.list"
got=$(env -u KDEV_DEBIAN_MIRROR -u KDEV_DEBIAN_KEYRING APT_CONFIG="$tmp/apt-src.conf" "$BASE" --mirror 2>&1) || true
want="file:$tmp/repo (keyring $tmp/key.gpg)"
if [ "$got" = "$want" ]; then ok "mirror from a one-line sources.list: $got"; else fail "one-line mirror: got '$got', want '$want'"; fi
run_base from-sources KDEV_DEBIAN_MIRROR= KDEV_DEBIAN_KEYRING= APT_CONFIG="$tmp/apt-src.conf"
if [ "$RC" = 0 ] && [ -f "$WD/dl/$TAR" ]; then no_leftovers from-sources && ok "download through the mirror found in the sources"
else fail "from-sources: rc $RC"; tail -n 5 <<<"$OUT"; fi

# --- interrupted while apt waits for a mirror that never answers -----------------
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1], flush=True); time.sleep(55)' >"$tmp/port" &
listener=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
for sig in INT TERM; do
	WD=$tmp/w-sig$sig
	KDEV_WORK="$WD" KDEV_BASE_DIR="$tmp/no-base" KDEV_DEBIAN_MIRROR="http://127.0.0.1:$port" \
		KDEV_DEBIAN_KEYRING="$tmp/key.gpg" setsid "$BASE" mainline >"$tmp/out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do compgen -G "$WD/dl/apt.*/apt.conf" >/dev/null && break; sleep 0.1; done
	sleep 1
	kill -"$sig" -- -"$pid" 2>/dev/null || kill -"$sig" "$pid"
	RC=0; wait "$pid" || RC=$?
	# apt-get catches SIGINT and exits with an error (bash then skips its
	# INT trap): any non-zero exit is right there; SIGTERM kills apt-get.
	want=143; [ "$sig" = TERM ] || want="non-zero"
	if [ "$RC" = "$want" ] || { [ "$want" = non-zero ] && [ "$RC" != 0 ]; }; then
		no_leftovers "SIG$sig" && ok "SIG$sig during apt-get update: rc $RC, nothing left"
	else fail "SIG$sig: rc $RC, want $want"; tail -n 3 "$tmp/out"; fi
done

echo ">> base-download: $fails failure(s)"
[ "$fails" = 0 ]
