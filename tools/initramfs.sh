#!/bin/bash
# Usage: tools/initramfs.sh -o OUT.cpio.gz [--bin FILE]... [--cmd NAME=COMMAND]... [--init FILE]
# Build the guest initramfs: busybox-static, /init (tools/guest-init.sh unless
# --init), the given static binaries in /bin, and the commands to run in order.
. "$(dirname "$0")/lib.sh"
out= init="$REPO/tools/guest-init.sh"; bins=(); cmds=()
while [ $# -gt 0 ]; do
	case "$1" in
	-o) out=${2:?}; shift 2 ;;
	--bin) bins+=("${2:?}"); shift 2 ;;
	--cmd) cmds+=("${2:?}"); shift 2 ;;
	--init) init=${2:?}; shift 2 ;;
	*) die "initramfs.sh: unknown option '$1'" ;;
	esac
done
[ -n "$out" ] || die "initramfs.sh: -o OUT is required"
BB=/bin/busybox
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
: >"$root/kdev/cmds"
for c in "${cmds[@]}"; do
	name=${c%%=*}; cmd=${c#*=}
	[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] && [ "$name" != "$c" ] || die "initramfs.sh: bad --cmd '$c' (want NAME=COMMAND)"
	printf '%s\t%s\n' "$name" "$cmd" >>"$root/kdev/cmds"
done
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
echo ">> initramfs $out ($(du -k "$out" | cut -f1) KiB, ${#cmds[@]} command(s))"
