#!/bin/bash
# Usage: tools/splatcheck.sh LOG...
# Fail (exit 1) when a kernel log shows a splat: BUG, WARN (the kernel's own
# "WARNING: ..." report formats only), Oops, GPF, lockdep reports, hung
# tasks, RCU stalls (normal, expedited, tasks-RCU), KASAN, KFENCE, UBSAN,
# SLUB debug reports, kmemleak leaks, refcount_t errors, list corruption,
# debugobjects, panics, lockups, any "cut here" report, and a non-zero taint
# reported by the guest ("KDEV-TAINT: N"). Exit 2 on an unreadable log.
# Not splats: the OOM killer's normal report (including its dump_stack
# "Call Trace:"), and boot messages that merely contain "WARNING:" (CPU
# mitigations, firmware, deprecated options, user space), and a user-space
# process's fault that the kernel logs ("traps: ... general protection fault
# ip:...", "segfault at").
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 LOG..." >&2; exit 2; }
PATTERNS=(
	# BUG: and BUG_ON (includes "BUG: KASAN:", "BUG: KFENCE:", "BUG: sleeping
	# function called from invalid context", "[ BUG: Invalid wait context ]")
	'BUG: '
	'kernel BUG at'
	# WARN(): 7.x prints "WARNING: <file>:<line> at <func>, CPU#<n>: <comm>/<pid>"
	# (or "WARNING: at <func>, CPU#..." without a file); 6.x and older
	# "WARNING: CPU: <n> PID: <pid> at ..."
	'WARNING: CPU: [0-9]+ PID: [0-9]+ at '
	# (%pS of a module function ends in " [module]")
	'WARNING: ([^ ]+:[0-9]+ )?at [^ ]+( \[[^]]+\])?, CPU#[0-9]+: '
	# any other report format still starts with the "cut here" line
	'-+\[ cut here \]-+'
	# lockdep / RCU-lockdep report headlines
	'WARNING: possible (circular locking dependency|recursive locking|irq lock inversion dependency) detected'
	'WARNING: inconsistent lock state'
	'WARNING: suspicious RCU usage'
	'WARNING: bad (unlock balance|contention) detected'
	'WARNING: held lock freed'
	'WARNING: lock held when returning to user space'
	'WARNING: Nested lock was not taken'
	'WARNING: chain_key collision'
	'WARNING: [A-Z_]+-safe -> [A-Z_]+-unsafe lock order detected'
	'WARNING: [^ ]+/[0-9]+ still has locks held'
	'DEBUG_LOCKS_WARN_ON'
	'\bOops\b'
	# the kernel's own GPF ("general protection fault, probably for
	# non-canonical address", "general protection fault: 0000 [#1]", "general
	# protection fault in user access"), not a user-space one that
	# show_unhandled_signals logs ("traps: comm[pid] general protection fault
	# ip:...")
	'general protection fault([,:]| in user access)'
	'Unable to handle kernel'
	# "blocked for more than", "blocked in I/O wait for more than"
	'INFO: task [^ ]+:[0-9]+ blocked.* for more than [0-9]+ seconds'
	# RCU CPU stalls, expedited stalls, tasks-RCU stalls
	'self-detected stall'
	'detected stalls? on CPU'
	'detected expedited stalls'
	'rcu_tasks[a-z_]* detected stalls? on tasks'
	'RCU stall'
	# KASAN (the report's "BUG: KASAN:" is matched above; the GPF addendum here)
	'KASAN: [a-z-]+ in range \['
	'BUG: KFENCE: '
	'UBSAN: '
	# SLUB debug: "BUG <cache> (Not tainted): <problem>" under a ===== banner
	'BUG [^ ]+ \((Not tainted|Tainted: [^)]*)\): '
	# kmemleak (verbose reports and the scan summary)
	'unreferenced object[^0-9]* 0x[0-9a-f]+ \(size [0-9]+\)'
	'kmemleak: [0-9]+ new suspected memory leaks'
	'refcount_t: '
	'list_add corruption'
	'list_del corruption'
	'ODEBUG:'
	'Kernel panic'
	'soft lockup'
	'hard LOCKUP'
	# the guest's taint flags at the end of the run (tools/guest-init.sh)
	'KDEV-TAINT: [1-9]'
)
re=$(printf '%s\n' "${PATTERNS[@]}" | grep -v '^#' | paste -sd'|')
bad=0
for log in "$@"; do
	if [ ! -f "$log" ] || [ ! -r "$log" ]; then echo "error: cannot read $log" >&2; exit 2; fi
	if hits=$(grep -a -n -E "$re" "$log"); then
		bad=1
		echo "splat in $log ($(echo "$hits" | wc -l) line(s)):"
		sed -n "1,10s/^/  /p" <<<"$hits"
	fi
done
exit $bad
