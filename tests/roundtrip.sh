#!/bin/bash
# Usage: tests/roundtrip.sh sample|<base>
#   sample: on a tiny fake kernel tree (given as KSRC), make a sample series the
#           way a developer would, export it, materialise it again from the
#           exported files and export again: the files must be byte-identical.
#   <base>: materialise the stored series/<base> and export it unchanged into a
#           scratch copy: it must equal the stored files byte for byte.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
what=${1:?usage: $0 sample|<base>}
mkdir -p "${KDEV_WORK:-$REPO/.work}/tmp"
tmp=$(mktemp -d "${KDEV_WORK:-$REPO/.work}/tmp/roundtrip.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ "$what" != sample ]; then
	src="$REPO/series/$what"
	[ -d "$src" ] || { echo "error: no $src" >&2; exit 1; }
	mkdir -p "$tmp/series"
	cp -a "$src" "$tmp/series/$what"
	KDEV_SERIES_ROOT=$tmp/series "$REPO/tools/tree.sh" "$what"
	find "$tmp/series/$what" -name '*.patch' -delete; : >"$tmp/series/$what/series"
	KDEV_SERIES_ROOT=$tmp/series "$REPO/tools/export.sh" "$what"
	diff -r "$src" "$tmp/series/$what" || { echo "error: export of an unchanged tree differs from series/$what" >&2; exit 1; }
	echo ">> round trip $what: $(wc -l <"$src/series") patch(es) byte-identical"
	exit 0
fi

"$HERE/fake-tree.sh" "$tmp/linux"
export KSRC=$tmp/linux KDEV_WORK=$tmp/work KDEV_SERIES_ROOT=$tmp/series KDEV_KNOWN_BAD_DIR=$tmp/none
mkdir -p "$tmp/series/mainline"; : >"$tmp/series/mainline/series"
"$REPO/tools/tree.sh" mainline
T=$tmp/work/tree/mainline-ksrc
dev() { GIT_AUTHOR_NAME='José Dév' GIT_AUTHOR_EMAIL=jose@example.org git -C "$T" -c user.name=Dev -c user.email=dev@example.org "$@"; }
sed -i 's/^#define OOM_REAPER_DELAY.*/#define OOM_REAPER_DELAY (HZ)/' "$T/mm/oom_kill.c"
dev commit -q -a -m "mm/oom_kill: shorten the reaper delay" -m "Sample commit, with an Assisted-by tag.

Assisted-by: Sample:model-1 sed"
sed -i 's/^int futex_7;/int futex_7 = 1;/' "$T/kernel/futex.c"
printf '// SPDX-License-Identifier: GPL-2.0\nint new_file;\n' >"$T/kernel/new.c"
dev add -f kernel/new.c
dev commit -q -a -m "futex: add a file and change one"
dev mv README README.txt
dev commit -q -m "rename README" -m "Body line with a trailing dot."
"$REPO/tools/export.sh" mainline
n=$(wc -l <"$tmp/series/mainline/series")
[ "$n" = 3 ] || { echo "error: expected 3 exported patches, got $n" >&2; exit 1; }
cp -a "$tmp/series/mainline" "$tmp/snapshot"
# Export again from the same tree, then from a freshly materialised one.
"$REPO/tools/export.sh" mainline
diff -r "$tmp/snapshot" "$tmp/series/mainline" || { echo "error: second export differs" >&2; exit 1; }
rm -rf "$tmp/work"
"$REPO/tools/tree.sh" mainline
"$REPO/tools/export.sh" mainline
diff -r "$tmp/snapshot" "$tmp/series/mainline" || { echo "error: export after re-materialising differs" >&2; exit 1; }
echo ">> round trip sample: 3 patches byte-identical"
