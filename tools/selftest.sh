#!/bin/bash
# Usage: tools/selftest.sh <base> <variant> [--expect pass|fail|boot]
# Boot the built kernel <base>-<variant> and run the series' kselftest
# (KDEV_SELFTEST, default tools/testing/selftests/mm/oom_robust_futex.c,
# taken from the "series" branch, built static against the kernel's headers)
# plus a boot smoke test. Logs: $WORK/logs/<base>-<variant>/ (serial.log,
# out/*.txt, summary). Prints one "RESULT:" line; hung_mutexes is the sum of
# the selftest's "lost: X/Y mutexes never handed over" lines (X/Y; 0 if none). Expectations:
#   pass  the selftest passes, no splat       (patched kernel)
#   fail  the selftest fails, guest finished  (known-bad kernel)
#   boot  the guest finished (outcome only reported; the stock kernel)
. "$(dirname "$0")/lib.sh"
base=${1:-}; variant=${2:-}; expect=boot
check_base "$base"; check_variant "$variant"
shift 2
while [ $# -gt 0 ]; do
	case "$1" in
	--expect) expect=${2:-}; shift 2 ;;
	*) die "selftest.sh: unknown option '$1'" ;;
	esac
done
case "$expect" in pass|fail|boot) ;; *) die "selftest.sh: --expect must be pass, fail or boot" ;; esac
SELFTEST=${KDEV_SELFTEST:-tools/testing/selftests/mm/oom_robust_futex.c}
T=$(tree_dir "$base")
B=$(build_dir "$base" "$variant")
name="$(tree_name "$base")-$variant"
L="$WORK/logs/$name"
rm -rf "$L"    # no stale results from an earlier run
[ -f "$B/kdev-ok" ] || die "kernel $name is not built (tools/kbuild.sh $base $variant)"
want=$(kgit -C "$T" rev-parse "$(variant_branch "$variant")")
grep -qx "commit=$want" "$B/kdev-ok" || die "kernel $name is stale: branch $(variant_branch "$variant") moved since the build (tools/kbuild.sh $base $variant)"

mkdir -p "$WORK/tmp"
tmp=$(mktemp -d "$WORK/tmp/selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
args=(--cmd "boot=uname -r && echo 'ok 1 - boot'")
have_test=no
if kgit -C "$T" cat-file -e "series:$SELFTEST" 2>/dev/null; then
	dir=$(dirname "$SELFTEST")
	kgit -C "$T" archive series "$dir" tools/testing/selftests/kselftest.h \
		tools/testing/selftests/kselftest_harness.h | tar -x -C "$tmp"
	bin=$(basename "$SELFTEST" .c)
	gcc -static -O2 -Wall -isystem "$B/usr/include" -I "$tmp/tools/testing/selftests" -I "$tmp/$dir" \
		-o "$tmp/$bin" "$tmp/$SELFTEST" -lpthread >"$tmp/cc.log" 2>&1 ||
		{ cat "$tmp/cc.log" >&2; die "cannot build $SELFTEST"; }
	args+=(--bin "$tmp/$bin" --cmd "selftest=$bin")
	have_test=yes
fi
"$REPO/tools/initramfs.sh" -o "$tmp/initramfs.cpio.gz" "${args[@]}" >/dev/null

rm -rf "$L"
vmrc=0
"$REPO/tools/vm.sh" -k "$B/arch/x86/boot/bzImage" -i "$tmp/initramfs.cpio.gz" -l "$L" \
	-t "${KDEV_BOOT_TIMEOUT:-600}" || vmrc=$?
status=$(cat "$L/status" 2>/dev/null || echo noboot)
splat=no
"$REPO/tools/splatcheck.sh" "$L/serial.log" >"$L/splats.txt" || splat=yes
result= hung=-
if [ "$status" != done ]; then
	result=$(echo "$status" | tr a-z A-Z)
elif [ "$have_test" = no ]; then
	result="NOT-RUN(series-empty)"
else
	rc=$(awk '$1 == "selftest" {print $2}' "$L/results")
	case "$rc" in 0) result=PASS ;; 4) result=SKIP ;; *) result="FAIL(rc=$rc)" ;; esac
	# "lost: X/Y mutexes never handed over" per test case: report sum X/sum Y.
	hung=$( (grep -a -o -E '[0-9]+/[0-9]+ mutexes never handed over' "$L/out/selftest.txt" || true) |
		awk -F'[/ ]' '{x += $1; y += $2} END {print (NR ? x "/" y : 0)}')
fi
printf 'kernel=%s result=%s hung_mutexes=%s splat=%s seconds=%s\n' "$name" "$result" "$hung" "$splat" \
	"$(cat "$L/seconds" 2>/dev/null || echo -)" >"$L/summary"
echo "RESULT: $(cat "$L/summary") log=$L/serial.log"
[ "$splat" = yes ] && sed 's/^/  /' "$L/splats.txt" | head -8
ok=no
case "$expect" in
pass) [ "$result" = PASS ] && [ "$splat" = no ] && ok=yes ;;
fail) case "$result" in FAIL*) ok=yes ;; esac ;;
boot) [ "$status" = done ] && ok=yes ;;
esac
[ "$ok" = yes ] || die "$name: expected $expect, got $result (splat: $splat)"
