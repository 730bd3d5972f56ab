#!/bin/bash
# Install the Debian 12 packages the harness needs (only the missing ones).
set -euo pipefail
PKGS="gcc make git perl python3 bc bison flex libelf-dev libssl-dev dwarves cpio
      xz-utils patch rsync kmod ccache busybox-static qemu-system-x86
      linux-source-6.12 ca-certificates util-linux procps coreutils gzip file
      python3-ply python3-git"
missing=()
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo ">> deps: all packages present"
	exit 0
fi
echo ">> deps: installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "error: need root to apt-get install: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q || { echo "error: apt-get update failed" >&2; exit 1; }
apt-get install -y -q --no-install-recommends "${missing[@]}" ||
	{ echo "error: apt-get install failed for: ${missing[*]}" >&2; exit 1; }
echo ">> deps: done"
