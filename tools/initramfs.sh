#!/bin/bash
# Usage: tools/initramfs.sh -o OUT.cpio.gz [--bin FILE]... [--cmd NAME=COMMAND]... [--init FILE]
#                           [--dir SRC=DST]... [--dyn FILE]... [--bash] [--repeat N:BUDGET_S]
# Build the guest initramfs: busybox-static, /init (tools/guest-init.sh unless
# --init), the given static binaries in /bin, and the commands to run in order.
# KDEV_ARCH=arm64: Debian's arm64 busybox and bash (tools/base.sh --userland).
# --dir copies the directory SRC to /DST in the guest (e.g. an installed
# kselftest tree); its executables must be static or scripts. --bash adds a
# static bash as /bin/bash (Debian bash-static; run_vmtests.sh needs bash).
# --dyn copies a dynamically linked program of the host (x86_64 guests only)
# to the same path in the guest, with the shared libraries ldd lists for it
# (an unmodified application from Debian's archive, tools/app.sh).
# --repeat makes the guest run the command list N times (outputs NAME.001,
# NAME.002, ...), starting no new round after BUDGET_S seconds (0: no limit).
. "$(dirname "$0")/lib.sh"
out= init="$REPO/tools/guest-init.sh"; bins=(); cmds=(); dirs=(); dyns=(); bash=no repeat=
while [ $# -gt 0 ]; do
	case "$1" in
	-o) out=${2:?}; shift 2 ;;
	--bin) bins+=("${2:?}"); shift 2 ;;
	--cmd) cmds+=("${2:?}"); shift 2 ;;
	--init) init=${2:?}; shift 2 ;;
	--dir) dirs+=("${2:?}"); shift 2 ;;
	--dyn) dyns+=("${2:?}"); shift 2 ;;
	--bash) bash=yes; shift ;;
	--repeat) repeat=${2:?}; shift 2 ;;
	*) die "initramfs.sh: unknown option '$1'" ;;
	esac
done
[ -n "$out" ] || die "initramfs.sh: -o OUT is required"
[ -z "$repeat" ] || [[ "$repeat" =~ ^[1-9][0-9]*:[0-9]+$ ]] || die "initramfs.sh: bad --repeat '$repeat' (want N:BUDGET_S)"
BASH_STATIC=/bin/bash-static BB=/bin/busybox
guest_arch
if [ "$GARCH" = arm64 ]; then
	# the guest's userland for another architecture: Debian's, fetched once
	ul=$("$REPO/tools/base.sh" --userland "$GARCH") || exit 1    # base.sh said why
	BASH_STATIC=$ul/bash BB=$ul/busybox
fi
if [ "$bash" = yes ] && [ ! -x "$BASH_STATIC" ]; then
	# tools/deps.sh should have installed it; do it here if we can.
	[ "$(id -u)" = 0 ] || die "$BASH_STATIC missing (apt-get install bash-static)"
	note "installing bash-static (static bash for run_vmtests.sh in the guest)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends bash-static >&2 ||
		die "cannot install bash-static (apt-get install bash-static)"
fi
[ -x "$BB" ] || die "$BB missing (apt-get install busybox-static)"
file -L "$BB" 2>/dev/null | grep -q 'statically linked' || ! ldd "$BB" >/dev/null 2>&1 || die "$BB is not static"
mkdir -p "$WORK/tmp" "$(dirname "$out")"
root=$(mktemp -d "$WORK/tmp/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,kdev,etc}
cp "$BB" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$init" "$root/init"; chmod 755 "$root/init"
mknod "$root/dev/console" c 5 1 2>/dev/null || true
mknod "$root/dev/null" c 1 3 2>/dev/null || true
for b in "${bins[@]}"; do
	[ -f "$b" ] || die "initramfs.sh: no such binary $b"
	if ldd "$b" >/dev/null 2>&1; then die "initramfs.sh: $b is not statically linked"; fi
	cp "$b" "$root/bin/"
done
if [ "$bash" = yes ]; then
	file -L "$BASH_STATIC" | grep -q 'statically linked' || die "$BASH_STATIC is not static"
	cp "$BASH_STATIC" "$root/bin/bash"
fi
for d in "${dirs[@]}"; do
	src=${d%%=*}; dst=${d#*=}
	[ "$src" != "$d" ] && [ -d "$src" ] && [[ "$dst" =~ ^/?[A-Za-z0-9_./-]+$ ]] || die "initramfs.sh: bad --dir '$d' (want SRC=DST, SRC a directory)"
	mkdir -p "$root/${dst#/}"
	cp -a "$src/." "$root/${dst#/}/"
	while IFS= read -r f; do
		if file -L "$f" | grep -q 'ELF.*dynamically linked'; then die "initramfs.sh: $f is not statically linked"; fi
	done < <(find "$root/${dst#/}" -type f -perm -u+x)
done
if [ ${#dyns[@]} -gt 0 ] && [ "$GARCH" != x86_64 ]; then die "initramfs.sh: --dyn is for x86_64 guests (host programs)"; fi
for d in "${dyns[@]}"; do
	[[ "$d" = /* ]] && [ -x "$d" ] || die "initramfs.sh: --dyn wants an executable's absolute path, not '$d'"
	libs=$(ldd "$d" 2>/dev/null | grep -o '/[^ ]*' | grep -v '^/.*vdso') || die "initramfs.sh: ldd $d failed (not dynamically linked?)"
	for f in "$d" $libs; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
done
[ -z "$repeat" ] || echo "${repeat%%:*} ${repeat#*:}" >"$root/kdev/repeat"
: >"$root/kdev/cmds"
for c in "${cmds[@]}"; do
	name=${c%%=*}; cmd=${c#*=}
	[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] && [ "$name" != "$c" ] || die "initramfs.sh: bad --cmd '$c' (want NAME=COMMAND)"
	printf '%s\t%s\n' "$name" "$cmd" >>"$root/kdev/cmds"
done
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
echo ">> initramfs $out ($(du -k "$out" | cut -f1) KiB, ${#cmds[@]} command(s))"
