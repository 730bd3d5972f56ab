#!/bin/bash
# Usage: tools/deps.sh [buildmatrix]
# Install the Debian 12 packages the harness needs (only the missing ones);
# "buildmatrix" adds the cross compilers and sparse of the whole build
# matrix (make buildmatrix, make test-full; make test's FAST=1 subset needs
# only the arm64 set).
# The terminal gets one line per package set ("installing: ..." or "all
# present"); apt's own output goes to $WORK/logs/deps.log, whose tail is
# shown when apt fails.
. "$(dirname "$0")/lib.sh"
# name|packages
SETS=(
	"harness|gcc make git perl python3 bc bison flex libelf-dev libssl-dev dwarves cpio
	 xz-utils patch rsync kmod ccache busybox-static qemu-system-x86
	 ca-certificates util-linux procps coreutils gzip file
	 python3-ply python3-git"
	# the guest runs run_vmtests.sh, which needs bash; i386 test programs (compat;
	# gcc-12-multilib, not gcc-multilib, which conflicts with the arm64 cross
	# compiler); musl victims; the real application of make app (mdb_load)
	"guest|bash-static gcc-12-multilib libc6-dev-i386 musl-tools lmdb-utils"
	# arm64 guests (KDEV_ARCH=arm64): cross compiler and libc, qemu-system-aarch64
	"arm64|gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm"
	# make buildmatrix: the kernel test robot's architectures, and sparse
	# (only with the argument "buildmatrix")
	"buildmatrix|gcc-arm-linux-gnueabihf gcc-riscv64-linux-gnu gcc-s390x-linux-gnu gcc-powerpc64le-linux-gnu sparse"
	# make mail / tests/mail.sh (git send-email --dry-run), make check (Sphinx)
	"mail and docs|git-email libmailtools-perl python3-sphinx python3-yaml"
	# make bench: the SVG plots
	"bench|gnuplot-nox"
	# tests/base-download.sh signs its local apt repository
	"tests|gpg gpg-agent"
)
LOG=$WORK/logs/deps.log

installed() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q 'install ok installed'; }

fail() {
	if [ -s "$LOG" ]; then
		echo "--- last lines of $LOG:" >&2
		tail -n 15 "$LOG" >&2
		echo "---" >&2
	fi
	die "$* (full log: $LOG)"
}

updated=no
for set in "${SETS[@]}"; do
	name=${set%%|*}
	case " $* " in *" $name "*) ;; *) [ "$name" != buildmatrix ] || continue ;; esac
	missing=()
	for p in ${set#*|}; do installed "$p" || missing+=("$p"); done
	if [ ${#missing[@]} -eq 0 ]; then
		echo ">> deps ($name): all present"
		continue
	fi
	echo ">> deps ($name): installing: ${missing[*]}"
	[ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
	mkdir -p "$(dirname "$LOG")"
	if [ "$updated" = no ]; then
		echo "=== $(date -u '+%F %T') apt-get update" >"$LOG"
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q >>"$LOG" 2>&1 || fail "apt-get update failed"
		updated=yes
	fi
	echo "=== $(date -u '+%F %T') apt-get install ${missing[*]}" >>"$LOG"
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 ||
		fail "apt-get install failed for: ${missing[*]}"
done
