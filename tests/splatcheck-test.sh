#!/bin/bash
# The splat checker on sample logs: tests/splat/good-*.log must pass,
# every tests/splat/bad-*.log must fail.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
check="$HERE/../tools/splatcheck.sh"
fails=0 n=0
for f in "$HERE"/splat/good-*.log; do
	n=$((n + 1))
	if ! "$check" "$f" >/dev/null; then echo "error: $(basename "$f") reported as a splat"; fails=$((fails + 1)); fi
done
for f in "$HERE"/splat/bad-*.log; do
	n=$((n + 1))
	rc=0; "$check" "$f" >/dev/null || rc=$?
	if [ "$rc" != 1 ]; then echo "error: $(basename "$f") not reported as a splat (rc $rc)"; fails=$((fails + 1)); fi
done
rc=0; "$check" "$HERE/splat/no-such.log" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || { echo "error: unreadable log not refused"; fails=$((fails + 1)); }
echo ">> splatcheck: $n sample logs, $fails wrong"
[ "$fails" = 0 ]
