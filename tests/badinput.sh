#!/bin/bash
# Usage: tests/badinput.sh CASE
# Each bad input must end with exactly one "error: ..." line and a non-zero
# exit, and leave nothing half-written behind. Cases: base, variant, arch, ksrc-missing,
# ksrc-not-kernel, no-apply, not-built, no-zram, mail-no-ident, mail-placeholder-ident,
# guest-hang, guest-panic.
. "$(dirname "$0")/lib.sh"

# expect_error CMD...: non-zero exit, last output line is the only "error:" line.
expect_error() {
	local rc=0
	"$@" >"$tmp/out" 2>&1 || rc=$?
	if [ "$rc" = 0 ]; then echo "FAIL: '$*' succeeded"; return 1; fi
	if [ "$(grep -c '^error: ' "$tmp/out")" != 1 ] || ! tail -1 "$tmp/out" | grep -q '^error: '; then
		echo "FAIL: '$*' did not end with one error line:"; tail -5 "$tmp/out"; return 1
	fi
	echo "ok: $* -> $(tail -1 "$tmp/out")"
}

case "${1:-}" in
base)
	for t in tree.sh base.sh export.sh mail.sh check.sh; do expect_error "$REPO/tools/$t" foo; done
	expect_error "$REPO/tools/tree.sh"
	expect_error "$REPO/tools/kbuild.sh" 5.10 stock
	expect_error "$REPO/tools/selftest.sh" foo stock
	# the 6.12 source is pinned: a version apt cannot get is one line
	KDEV_WORK=$tmp/w KDEV_TEST_LTS_VER=0.0-fake expect_error "$REPO/tools/base.sh" 6.12
	[ -z "$(ls -A "$tmp/w/dl" 2>/dev/null)" ] || { echo "FAIL: download left files behind"; exit 1; } ;;
variant)
	expect_error "$REPO/tools/kbuild.sh" mainline debug
	expect_error "$REPO/tools/selftest.sh" mainline debug
	expect_error "$REPO/tools/selftest.sh" mainline stock --expect maybe
	KDEV_SELFTEST_ATTEMPTS=0 expect_error "$REPO/tools/selftest.sh" mainline stock
	expect_error "$REPO/tools/soak.sh" -n 2 -a many mainline
	expect_error "$REPO/tools/soak.sh" -n x mainline
	expect_error "$REPO/tools/app.sh" mainline debug
	expect_error "$REPO/tools/app.sh" mainline
	expect_error "$REPO/tools/app.sh" record mainline v1
	expect_error "$REPO/tools/buildmatrix.sh" 5.10
	expect_error "$REPO/tools/buildmatrix.sh" --only nosuchtarget mainline
	expect_error "$REPO/tools/initramfs.sh" -o "$tmp/x.cpio.gz" --dyn relative/path
	expect_error "$REPO/tools/vm.sh" -k /nonexistent -i /nonexistent -l "$tmp/l"
	expect_error "$REPO/tools/initramfs.sh" -o "$tmp/x.cpio.gz" --cmd "no command"
	[ ! -e "$tmp/x.cpio.gz" ] || { echo "FAIL: initramfs left behind"; exit 1; } ;;
arch)
	KDEV_ARCH=sparc expect_error "$REPO/tools/kbuild.sh" mainline stock
	KDEV_ARCH=sparc expect_error "$REPO/tools/selftest.sh" mainline stock
	KDEV_ARCH=sparc expect_error "$REPO/tools/vm.sh" -k "$REPO/README.md" -i "$REPO/README.md" -l "$tmp/l"
	expect_error "$REPO/tools/base.sh" --userland sparc
	KDEV_ARCH=arm64 expect_error "$REPO/tools/app.sh" mainline stock
	# arm64 without its cross compiler: only bash and dirname on the PATH
	mkdir -p "$tmp/bin"; ln -s "$(command -v bash)" "$(command -v dirname)" "$tmp/bin/"
	expect_error env PATH="$tmp/bin" KDEV_ARCH=arm64 "$REPO/tools/kbuild.sh" mainline stock ;;
ksrc-missing)
	KSRC=$tmp/nope KDEV_WORK=$tmp/w expect_error "$REPO/tools/tree.sh" mainline
	[ ! -e "$tmp/w/tree/mainline-ksrc" ] || { echo "FAIL: tree left behind"; exit 1; } ;;
ksrc-not-kernel)
	mkdir -p "$tmp/notkernel"; echo hello >"$tmp/notkernel/Makefile"
	git -C "$tmp/notkernel" init -q
	KSRC=$tmp/notkernel KDEV_WORK=$tmp/w expect_error "$REPO/tools/tree.sh" mainline
	[ ! -e "$tmp/w/tree/mainline-ksrc" ] || { echo "FAIL: tree left behind"; exit 1; } ;;
no-apply)
	"$HERE/fake-tree.sh" "$tmp/linux"
	export KSRC=$tmp/linux KDEV_WORK=$tmp/w KDEV_SERIES_ROOT=$tmp/series KDEV_KNOWN_BAD_DIR=$tmp/none
	mkdir -p "$tmp/series/mainline"; : >"$tmp/series/mainline/series"
	"$REPO/tools/tree.sh" mainline >/dev/null 2>&1
	T=$tmp/w/tree/mainline-ksrc
	sed -i 's/^int futex_3;/int futex_3 = 3;/' "$T/kernel/futex.c"
	git -C "$T" -c user.name=Dev -c user.email=dev@example.org commit -q -a -m "futex: good change"
	"$REPO/tools/export.sh" mainline >/dev/null
	good=$(git -C "$T" rev-parse series)
	cat >"$tmp/series/mainline/0002-broken.patch" <<'P'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Dev <dev@example.org>
Date: Thu, 1 Jan 2026 00:00:00 +0000
Subject: [PATCH] broken

---
 kernel/futex.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/kernel/futex.c b/kernel/futex.c
--- a/kernel/futex.c
+++ b/kernel/futex.c
@@ -2,3 +2,3 @@
 int futex_1;
-int futex_no_such_line;
+int futex_2 = 2;
 int futex_3;
P
	echo 0002-broken.patch >>"$tmp/series/mainline/series"
	expect_error "$REPO/tools/tree.sh" mainline
	[ "$(git -C "$T" rev-parse series)" = "$good" ] || { echo "FAIL: branch series moved"; exit 1; }
	[ ! -d "$T/.git/rebase-apply" ] || { echo "FAIL: git am left in progress"; exit 1; }
	echo "missing.patch" >>"$tmp/series/mainline/series"
	expect_error "$REPO/tools/tree.sh" mainline ;;
not-built)
	KDEV_WORK=$tmp/w expect_error "$REPO/tools/selftest.sh" mainline stock
	KDEV_WORK=$tmp/w expect_error "$REPO/tools/kbuild.sh" mainline stock ;;
no-zram)
	# a kernel built without zram swap: the swapped-list cases cannot run
	mkdir -p "$tmp/w/build/mainline-stock"; : >"$tmp/w/build/mainline-stock/kdev-ok"
	printf 'CONFIG_SWAP=y\n# CONFIG_ZRAM is not set\n' >"$tmp/w/build/mainline-stock/.config"
	KDEV_WORK=$tmp/w KDEV_DEBUG= KDEV_ARCH= expect_error "$REPO/tools/selftest.sh" mainline stock &&
	tail -1 "$tmp/out" | grep -q 'has no zram swap' || { echo "FAIL: not refused for the missing zram"; exit 1; } ;;
mail-no-ident)
	HOME=$tmp GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 expect_error "$REPO/tools/mail.sh" mainline &&
	tail -1 "$tmp/out" | grep -q 'user.name and user.email must be set' || { echo "FAIL: not refused for the identity"; exit 1; } ;;
mail-placeholder-ident)
	# this repository's own placeholder identity (*.example) must never sign off
	printf '[user]\n\tname = Seed maintainers\n\temail = maintainers@users.noreply.r-seed-e4f7d21f.example\n' >"$tmp/gc"
	HOME=$tmp GIT_CONFIG_GLOBAL=$tmp/gc GIT_CONFIG_NOSYSTEM=1 expect_error "$REPO/tools/mail.sh" mainline &&
	tail -1 "$tmp/out" | grep -q 'is a placeholder' || { echo "FAIL: the placeholder identity was not refused"; exit 1; } ;;
guest-hang|guest-panic)
	K=$W/build/${KDEV_GUEST_BASE:-mainline}-${KDEV_GUEST_VARIANT:-stock}/arch/x86/boot/bzImage
	[ -f "$K" ] || { echo "FAIL: no kernel $K to boot"; exit 1; }
	if [ "$1" = guest-hang ]; then
		printf '#!/bin/busybox sh\n/bin/busybox sleep 100000\n' >"$tmp/init"; want=hung
	else
		printf '#!/bin/busybox sh\nexit 1\n' >"$tmp/init"; want=panic
	fi
	"$REPO/tools/initramfs.sh" -o "$tmp/i.cpio.gz" --init "$tmp/init" >/dev/null
	expect_error "$REPO/tools/vm.sh" -k "$K" -i "$tmp/i.cpio.gz" -l "$tmp/log" -t 30
	[ "$(cat "$tmp/log/status")" = "$want" ] || { echo "FAIL: status $(cat "$tmp/log/status"), want $want"; exit 1; }
	[ ! -e "$tmp/log/results" ] || { echo "FAIL: results written for a failed guest"; exit 1; } ;;
*) echo "error: unknown case '${1:-}'" >&2; exit 2 ;;
esac
