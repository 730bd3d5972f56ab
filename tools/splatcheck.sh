#!/bin/bash
# Usage: tools/splatcheck.sh LOG...
# Fail (exit 1) when a kernel log shows a splat: BUG, WARNING, Oops, GPF,
# lockdep reports, hung tasks, RCU stalls, KASAN/UBSAN, list corruption,
# debugobjects, panics, lockups. The OOM killer's normal report (including
# its dump_stack "Call Trace:") is not a splat.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 LOG..." >&2; exit 2; }
PATTERNS=(
	'BUG: '
	'kernel BUG at'
	'WARNING: '
	'\bOops\b'
	'general protection'
	'Unable to handle kernel'
	'possible circular locking'
	'inconsistent lock state'
	'suspicious RCU usage'
	'possible recursive locking'
	'DEBUG_LOCKS_WARN_ON'
	'INFO: task .* blocked for more than'
	'self-detected stall'
	'detected stalls? on CPU'
	'RCU stall'
	'KASAN'
	'UBSAN:'
	'list_add corruption'
	'list_del corruption'
	'ODEBUG:'
	'Kernel panic'
	'soft lockup'
	'hard LOCKUP'
)
re=$(IFS='|'; echo "${PATTERNS[*]}")
bad=0
for log in "$@"; do
	[ -r "$log" ] || { echo "error: cannot read $log" >&2; exit 2; }
	if hits=$(grep -a -n -E "$re" "$log"); then
		bad=1
		echo "splat in $log ($(echo "$hits" | wc -l) line(s)):"
		sed -n "1,10s/^/  /p" <<<"$hits"
	fi
done
exit $bad
