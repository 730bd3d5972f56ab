#!/bin/bash
# Usage: tests/fake-tree.sh <dir>
# Create a tiny git repo that passes for a kernel tree (for fast harness tests).
set -euo pipefail
d=$1
mkdir -p "$d/mm" "$d/scripts" "$d/kernel"
printf 'VERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 13\n' >"$d/Makefile"
printf 'mainmenu "fake"\n' >"$d/Kconfig"
printf '#!/usr/bin/perl\nexit 0;\n' >"$d/scripts/checkpatch.pl"
chmod +x "$d/scripts/checkpatch.pl"
{ echo '// SPDX-License-Identifier: GPL-2.0'; for i in $(seq 1 40); do echo "int oom_$i;"; done
  echo '#define OOM_REAPER_DELAY (2*HZ)'; for i in $(seq 41 80); do echo "int oom_$i;"; done; } >"$d/mm/oom_kill.c"
{ echo '// SPDX-License-Identifier: GPL-2.0'; for i in $(seq 1 30); do echo "int futex_$i;"; done; } >"$d/kernel/futex.c"
echo 'fake kernel tree for harness tests' >"$d/README"
git -C "$d" init -q -b master
git -C "$d" add -A
GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
	git -C "$d" -c user.name=fake -c user.email=fake@localhost commit -q -m "fake base"
