#!/bin/bash
# Usage: tools/demo.sh [<base>]      (default mainline; "make demo")
# The main job: install deps, get the base, materialise the tree, build the
# stock, known-bad and patched kernels, boot each, run the selftest, and
# print a table. Exit 0 only when the known-bad kernel fails the selftest
# and the patched kernel passes it without a splat.
. "$(dirname "$0")/lib.sh"
base=${1:-mainline}; check_base "$base"
"$REPO/tools/deps.sh"
"$REPO/tools/base.sh" "$base" >/dev/null
"$REPO/tools/tree.sh" "$base"
rows=() ok=yes
for v in stock bad patched; do
	case $v in stock) e=boot ;; bad) e=fail ;; patched) e=pass ;; esac
	name="$(tree_name "$base")-$v"
	if ! "$REPO/tools/kbuild.sh" "$base" "$v"; then
		rows+=("$name|NOT-BUILT|-|-"); [ "$v" = stock ] || ok=no; continue
	fi
	"$REPO/tools/selftest.sh" "$base" "$v" --expect "$e" || { [ "$v" = stock ] || ok=no; }
	s="$WORK/logs/$name/summary"
	if [ -f "$s" ]; then
		rows+=("$(sed -E 's/kernel=([^ ]*) result=([^ ]*) hung_mutexes=([^ ]*) splat=([^ ]*).*/\1|\2|\3|\4/' "$s")")
	else
		rows+=("$name|NOT-RUN|-|-")
	fi
done
echo
printf '%-22s %-24s %-13s %s\n' kernel result hung-mutexes splat
for r in "${rows[@]}"; do IFS='|' read -r k res h sp <<<"$r"; printf '%-22s %-24s %-13s %s\n' "$k" "$res" "$h" "$sp"; done
echo "(expected: bad FAIL with hung mutexes, patched PASS without splat; logs in $WORK/logs/)"
[ "$ok" = yes ] || die "demo: the known-bad/patched kernels did not give the expected outcomes"
