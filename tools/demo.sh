#!/bin/bash
# Usage: tools/demo.sh [<base>]      (default mainline; "make demo")
# The main job: install deps, get the base, materialise the tree, build the
# stock, known-bad and patched kernels (and v1 of the series, when
# series-v1/<base> exists), boot each, run the selftest, and print a table.
# Exit 0 only when the known-bad kernel fails the selftest and the patched
# kernel passes it without a splat (stock and v1 are reported only).
. "$(dirname "$0")/lib.sh"
base=${1:-mainline}; check_base "$base"
guest_arch    # make demo ARCH=arm64: arm64 guests
"$REPO/tools/deps.sh"
"$REPO/tools/base.sh" "$base" >/dev/null
"$REPO/tools/tree.sh" "$base"
rows=() ok=yes variants=(stock bad patched)
if [ -f "$(series_v1_dir "$base")/series" ] && [ -n "$(series_list "$(series_v1_dir "$base")")" ]; then variants+=(v1); fi
for v in "${variants[@]}"; do
	# stock and v1 are reported only; bad must fail, patched must pass
	case $v in stock|v1) e=boot ;; bad) e=fail ;; patched) e=pass ;; esac
	name="$(tree_name "$base")-$v$ARCH_SUFFIX"
	if ! "$REPO/tools/kbuild.sh" "$base" "$v"; then
		rows+=("$name|NOT-BUILT|-|-"); [ "$e" = boot ] || ok=no; continue
	fi
	"$REPO/tools/selftest.sh" "$base" "$v" --expect "$e" || { [ "$e" = boot ] || ok=no; }
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
echo "(expected: bad FAIL with hung mutexes, patched PASS without splat; stock and v1 reported only; logs in $WORK/logs/)"
[ "$ok" = yes ] || die "demo: the known-bad/patched kernels did not give the expected outcomes"
