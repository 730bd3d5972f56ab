#!/bin/bash
# Usage: tests/expect-test.sh
# The per-case judge (tools/expect.sh judge) on synthetic TAP text: every
# verdict must mean what it says. Also lints tests/expect.txt and checks that
# README.md's "Expected results" section is in sync with it.
. "$(dirname "$0")/lib.sh"
J="$REPO/tools/expect.sh"
fails=0 n=0

# A test table, independent of the real one: 4 cases.
cat >"$tmp/table" <<'EOF'
# base variant case expect reason
mainline  stock  oom_one        pass
mainline  stock  mrelease_one   fail-lost
mainline  stock  oom_stuck      fail-lost
mainline  stock  oom_unlock     any       v1-like flakiness
6.12      stock  oom_one        pass
6.12      stock  mrelease_one   fail-lost
6.12      stock  oom_stuck      fail-lost
6.12      stock  oom_unlock     skip      not on 6.12: "no robust unlock"
mainline  stock  oom_stuck@musl pass      musl victims: a test-only row
mainline  stock  mrelease_one@arm64 pass  arm64 guests: a test-only row
EOF
export KDEV_EXPECT=$tmp/table

# case NAME RESULT(ok|fail|skip:REASON|none) LOST TOTAL [ATTEMPT...]
# ATTEMPT = X:c (conclusive, X lost) or X:i (inconclusive). Prints the
# kselftest-harness text of one case (TEST "handover").
i=0
tcase() {
	local name=$1 res=$2 lost=$3 total=$4 a; shift 4
	i=$((i + 1))
	echo "#  RUN           oom_robust_futex.$name.handover ..."
	for a in "$@"; do
		if [ "${a#*:}" = c ]; then v=conclusive; else v="inconclusive(stall missed)"; fi
		echo "# attempt 1: lost ${a%%:*}/$total, mem_back_ms 12, verdict $v"
	done
	[ "$lost" = - ] || echo "# lost: $lost/$total mutexes never handed over"
	case "$res" in
	ok) echo "#            OK  oom_robust_futex.$name.handover"; echo "ok $i oom_robust_futex.$name.handover" ;;
	fail) echo "# handover: Test failed"; echo "#          FAIL  oom_robust_futex.$name.handover"
	      echo "not ok $i oom_robust_futex.$name.handover" ;;
	skip:*) echo "#      SKIP      ${res#skip:}"; echo "ok $i oom_robust_futex.$name.handover # SKIP ${res#skip:}" ;;
	none) ;;   # crashed or timed out: no result line
	esac
}
# Wrap like run_vmtests.sh (nested TAP, "# " prefix), as the guest runs it.
vmtests() {
	echo "TAP version 13"
	echo "# SKIP ./on-fault-limit"
	printf '# %s\n' "-----------------------" "running ./oom_robust_futex" "-----------------------"
	{ echo "TAP version 13"; echo "1..4"; cat; } | sed 's/^/# /'
	echo "# [FAIL]"; echo "not ok 1 oom_robust_futex # exit=1"; echo "# SUMMARY: PASS=0 SKIP=0 FAIL=1"; echo "1..1"
}

# expect NAME WANT_RC BASE GREP [judge options]: run the judge on $tmp/tap;
# WANT_RC 0 = every cell ok, 1 = some cell not ok; GREP must match its output.
expect() {
	local name=$1 want=$2 base=$3 pat=$4 rc=0; shift 4
	n=$((n + 1))
	"$J" judge "$base" stock "$tmp/tap" "$@" >"$tmp/out" 2>&1 || rc=$?
	if [ "$rc" = "$want" ] && grep -q -E -- "$pat" "$tmp/out"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name (rc $rc, want $want, pattern '$pat')"; sed 's/^/#   /' "$tmp/out"; fails=$((fails + 1))
	fi
}

{ i=0; tcase oom_one ok 0 1 0:c 0:c; tcase mrelease_one fail 1 1 1:c
  tcase oom_stuck fail 3 4 0:i 3:c; tcase oom_unlock fail 2 4 2:c; } | vmtests >"$tmp/tap"
expect "stock as expected (nested run_vmtests TAP)" 0 mainline '^CELLS: ok=4 total=4 lost=6/10 '

sed -e 's/^# //' "$tmp/tap" | grep -v -e '^-' -e '^running' >"$tmp/tap2"; mv "$tmp/tap2" "$tmp/tap"
expect "the same, direct kselftest TAP (no run_vmtests)" 0 mainline '^CELLS: ok=4 total=4'

{ i=0; tcase oom_one ok 0 1 0:c; tcase mrelease_one fail 1 1 1:c; tcase oom_stuck fail 3 4 3:c; } | vmtests >"$tmp/tap"
expect "6.12: skip cell satisfied by an absent case" 0 6.12 '^ok 4 - oom_unlock: absent'
expect "mainline: any cell not satisfied by an absent case" 1 mainline '^not ok 4 - oom_unlock: expected any, got no result'

{ i=0; tcase oom_one ok 0 1 0:c; tcase mrelease_one fail 1 1 1:c; tcase oom_stuck fail 3 4 3:c; tcase oom_unlock "skip:no robust unlock op (ENOSYS)" - 4; } | vmtests >"$tmp/tap"
expect "6.12: skip cell satisfied by the SKIP message it names" 0 6.12 '^ok 4 - oom_unlock: skip: SKIP'
{ i=0; tcase oom_one ok 0 1 0:c; tcase mrelease_one fail 1 1 1:c; tcase oom_stuck fail 3 4 3:c; tcase oom_unlock "skip:must be run as root" - 4; } | vmtests >"$tmp/tap"
expect "6.12: a SKIP for another reason does not satisfy a skip cell" 1 6.12 '^not ok 4 - oom_unlock: .*SKIP for another reason'
{ i=0; for c in oom_one mrelease_one oom_stuck oom_unlock; do tcase $c "skip:no cgroup v2" - 1; done; } | vmtests >"$tmp/tap"
expect "all SKIP is not a pass" 1 mainline '^not ok 1 - oom_one: expected pass, got SKIP \(no cgroup v2\).*a SKIP proves nothing'
grep -q '^CELLS: ok=1 total=4 .*skip:4' "$tmp/out" || { echo "not ok - all-skip counts"; fails=$((fails + 1)); }

{ i=0; tcase oom_one ok 0 1 0:c; tcase mrelease_one none 1 1 1:c; tcase oom_stuck fail 3 4 3:c; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "missing case (crash: no result line)" 1 mainline '^not ok 2 - mrelease_one: expected fail-lost, got no result'

{ i=0; tcase oom_one "skip:inconclusive: 5/5 attempts missed the stall" - 1 0:i 0:i; tcase mrelease_one fail 1 1 1:c
  tcase oom_stuck "skip:inconclusive: ESRCH" - 4 0:i; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "inconclusive SKIP satisfies neither pass nor fail-lost" 1 mainline '^not ok 3 - oom_stuck: .*inconclusive SKIP proves nothing'
grep -q '^not ok 1 - oom_one: .*inconclusive SKIP' "$tmp/out" || { echo "not ok - inconclusive pass cell"; fails=$((fails + 1)); }

{ i=0; tcase oom_one ok 0 1 0:i 0:i; tcase mrelease_one fail 1 1 1:c; tcase oom_stuck fail 3 4 3:i 0:c; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "ok with only inconclusive attempts is not a pass" 1 mainline '^not ok 1 - oom_one: .*no conclusive attempt'
grep -q '^not ok 3 - oom_stuck: .*lost only in inconclusive' "$tmp/out" || { echo "not ok - inconclusive loss"; fails=$((fails + 1)); }

{ i=0; tcase oom_one ok 0 1 0:c; tcase mrelease_one fail 0 1 0:c; tcase oom_stuck fail - 4; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "fail without lost mutexes is not fail-lost" 1 mainline '^not ok 2 - mrelease_one: .*not ok but no mutex lost'
grep -q '^not ok 3 - oom_stuck: .*without a lost line' "$tmp/out" || { echo "not ok - fail without lost line"; fails=$((fails + 1)); }

{ i=0; tcase oom_one ok 1 1 1:c; tcase mrelease_one ok 0 1 0:c; tcase oom_stuck fail 3 4 3:c; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "ok that lost mutexes is no pass; a pass is no fail-lost" 1 mainline '^not ok 1 - oom_one: .*ok but mutexes were lost'

{ i=0; tcase oom_one ok - 1; tcase mrelease_one fail 1 1 1:c; tcase oom_stuck fail 3 4 3:c; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "a bare ok (no lost: line, no attempt) is no pass" 1 mainline '^not ok 1 - oom_one: .*no evidence'
{ i=0; tcase oom_one ok 0 1; tcase mrelease_one fail 1 1 1:c; tcase oom_stuck fail 3 4 3:c; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "ok with a lost: line but no attempt line is no pass" 1 mainline '^not ok 1 - oom_one: .*no conclusive attempt \(no evidence\)'

{ i=0; tcase oom_one ok 0 1 0:c; tcase mrelease_one fail 1 1 1:c; } | vmtests >"$tmp/tap"
expect "guest timeout (partial output) fails every cell" 1 mainline '^not ok 1 - oom_one: guest hung; ' --status hung
grep -q '^CELLS: ok=0 total=4' "$tmp/out" || { echo "not ok - timeout counts"; fails=$((fails + 1)); }
: >"$tmp/tap"
expect "guest panic, no output" 1 mainline '^not ok 2 - mrelease_one: guest panic; expected fail-lost, got no result' --status panic

{ i=0; tcase oom_one ok 0 1 0:c; tcase mrelease_one fail 1 1 1:c; tcase oom_stuck ok 0 4 0:c; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "a victim's row replaces the case's row for that victim" 0 mainline '^ok 3 - oom_stuck: pass: ok' --victim musl
expect "... and only for that victim" 1 mainline '^not ok 3 - oom_stuck: expected fail-lost' --victim i386
{ i=0; tcase oom_one ok 0 1 0:c; tcase mrelease_one ok 0 1 0:c; tcase oom_stuck fail 3 4 3:c; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "an arm64 row replaces the case's row on an arm64 guest" 0 mainline '^ok 2 - mrelease_one: pass: ok' --arch arm64
expect "... and not on x86" 1 mainline '^not ok 2 - mrelease_one: expected fail-lost'
expect "... nor for a victim" 1 mainline '^not ok 2 - mrelease_one: expected fail-lost' --victim musl
n=$((n + 1))
if "$J" judge mainline stock "$tmp/tap" --victim musl --arch arm64 >/dev/null 2>&1; then
	echo "not ok $n - --victim with --arch is refused"; fails=$((fails + 1))
else echo "ok $n - --victim with --arch is refused"; fi
n=$((n + 1))
if "$J" markdown | grep -q '^The arm64 guests are judged by the same cells, except:'; then
	echo "ok $n - the README lists arm64 rows apart from the victims'"
else echo "not ok $n - the README lists arm64 rows apart from the victims'"; fails=$((fails + 1)); fi

{ i=0; tcase oom_one ok 0 1 0:c; tcase mrelease_one fail 1 1 1:c; tcase oom_stuck fail 3 4 3:c; tcase oom_unlock ok 0 4; } | vmtests >"$tmp/tap"
expect "a kernel splat fails every cell" 1 mainline '^not ok 1 - oom_one: kernel splat in this boot; ' --splat yes
{ cat "$tmp/tap"; echo "# ok 9 oom_robust_futex.oom_new.handover"; } >"$tmp/tap2"; mv "$tmp/tap2" "$tmp/tap"
expect "a case missing from the table fails" 1 mainline '^not ok 5 - oom_new: not in the expectation table'
n=$((n + 1))
if "$J" judge mainline patched "$tmp/tap" >"$tmp/out" 2>&1; then
	echo "not ok $n - a variant without cells is an error"; fails=$((fails + 1))
else echo "ok $n - a variant without cells is an error"; fi

unset KDEV_EXPECT
# Recorded TAP of real guest runs (tests/tap/<base>-<variant>.tap, copied
# from $WORK/logs/<base>-<variant>/out/oom.txt): each must satisfy its own
# column of tests/expect.txt, and must not satisfy a column whose verdicts
# differ (stock against patched and back). Re-record after changing cases.
for f in "$REPO"/tests/tap/*.tap; do
	k=$(basename "$f" .tap); b=${k%-*} v=${k##*-}
	n=$((n + 1))
	if "$J" judge "$b" "$v" "$f" >"$tmp/out" 2>&1; then echo "ok $n - recorded $k TAP satisfies its cells"
	else echo "not ok $n - recorded $k TAP:"; grep '^not ok' "$tmp/out" | head -5 | sed 's/^/#   /'; fails=$((fails + 1)); fi
	case $v in stock|bad) other=patched ;; patched) other=stock ;; *) continue ;; esac
	n=$((n + 1))
	if "$J" judge "$b" "$other" "$f" >"$tmp/out" 2>&1; then
		echo "not ok $n - recorded $k TAP also satisfies the $other cells"; fails=$((fails + 1))
	else echo "ok $n - recorded $k TAP fails the $other cells"; fi
done
n=$((n + 1))
if "$J" lint; then echo "ok $n - tests/expect.txt valid, README in sync"; else echo "not ok $n - tests/expect.txt lint"; fails=$((fails + 1)); fi
printf 'mainline stock oom_one pass\nmainline stock oom_two any\nmainline bad oom_one maybe\nmainline bad oom_two skip no quoted message\n' >"$tmp/badtable"
n=$((n + 1))
if KDEV_EXPECT=$tmp/badtable "$J" lint >"$tmp/out" 2>&1; then echo "not ok $n - lint accepts a bad table"; fails=$((fails + 1))
elif grep -q 'needs a reason' "$tmp/out" && grep -q 'bad expect' "$tmp/out" && grep -q 'skip needs the SKIP message' "$tmp/out"; then
	echo "ok $n - lint rejects a bad table"
else echo "not ok $n - lint output:"; sed 's/^/#   /' "$tmp/out"; fails=$((fails + 1)); fi

echo "$((n - fails))/$n passed"
[ "$fails" = 0 ]
