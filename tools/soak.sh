#!/bin/bash
# Usage: tools/soak.sh [-n N] [-b BUDGET_S] [-a ATTEMPTS] <base> [variant]
#        make soak [N=100] [BASE=mainline] [VARIANT=patched] [BUDGET=seconds] [ATTEMPTS=k]
# Soak test: boot one kernel (default the patched one; built first if it is
# missing or stale) once and run the oom_robust_futex kselftest N times in
# that guest (default 100), through run_vmtests.sh like CI. Each run is
# judged against the cells of tests/expect.txt (tools/expect.sh) with the
# kernel log of that run; a run passes only if every cell holds and it
# caused no splat. The guest starts no new run after BUDGET_S seconds
# (default 120*N), and the guest is killed if it hangs.
# Logs: $WORK/logs/<base>-<variant>-soak/: serial.log, dmesg.txt,
# soak.txt (one line per run), runs/oom.NNN.{txt,cells}, and failed/ with
# the TAP output, judged cells and kernel log of every failing run.
# -a ATTEMPTS: conclusive attempts per case in each run (the selftest's
# OOM_ROBUST_FUTEX_ATTEMPTS, default 5): with 1, a run takes a quarter of the
# time, and N runs are N x 10 cases x 1 attempt.
# Last line: "SOAK: <kernel> X/N passed (...)". Exit 0 only when X = N.
. "$(dirname "$0")/lib.sh"
n=100 budget= attempts=
while [ $# -gt 0 ]; do
	case "$1" in
	-n) n=${2:-}; shift 2 ;;
	-b) budget=${2:-}; shift 2 ;;
	-a) attempts=${2:-}; shift 2 ;;
	-*) die "soak.sh: unknown option '$1'" ;;
	*) break ;;
	esac
done
base=${1:-}; variant=${2:-patched}
check_base "$base"; check_variant "$variant"
[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "soak.sh: N must be a positive number, not '$n'"
[ -z "$budget" ] || [[ "$budget" =~ ^[0-9]+$ ]] || die "soak.sh: BUDGET must be seconds, not '$budget'"
[ -z "$attempts" ] || [[ "$attempts" =~ ^[1-9][0-9]{0,2}$ ]] || die "soak.sh: ATTEMPTS must be 1-999, not '$attempts'"
B=$(build_dir "$base" "$variant")
T=$(tree_dir "$base")
want=$(kgit -C "$T" rev-parse "$(variant_branch "$variant")" 2>/dev/null || echo none)
if [ ! -f "$B/kdev-ok" ] || ! grep -qx "commit=$want" "$B/kdev-ok"; then
	note "kernel $base-$variant missing or stale: building it first"
	"$REPO/tools/kbuild.sh" "$base" "$variant"
fi
rc=0
KDEV_SELFTEST_ATTEMPTS=$attempts "$REPO/tools/selftest.sh" "$base" "$variant" --repeat "$n" ${budget:+--budget "$budget"} || rc=$?
guest_arch
s="$WORK/logs/$(tree_name "$base")-$variant$ARCH_SUFFIX-soak/summary"
[ ! -f "$s" ] || { note "to keep it: tools/results.sh collect-soak $base && tools/results.sh readme"; cat "$s"; }
exit "$rc"
