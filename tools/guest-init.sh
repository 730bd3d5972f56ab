#!/bin/busybox sh
# /init of the test guest (copied into the initramfs by tools/initramfs.sh).
# Sets up 64 MiB of zram swap, then runs each line "NAME<TAB>COMMAND" of
# /kdev/cmds. While a command runs, its output goes to the console live as
# "KDEV-LIVE: <line>" (so a guest that hangs or panics still shows how far
# it got); when it has finished, the whole output is printed again between
# "KDEV-OUT-BEGIN: NAME" / "KDEV-OUT-END: NAME" with kernel console messages
# held back (they stay in the ring buffer).
# At the end: the counts of the series' oom_reaper_decision/mrelease_decision
# trace events by reason ("KDEV-DECISIONS: ..."), where the kernel has them,
# the full kernel log between KDEV-DMESG-BEGIN/END, one
# "KDEV-RESULT: NAME RC" per command, "KDEV-DONE", power off.
# /kdev/repeat "N BUDGET_S" (soak): run the command list N times, naming the
# outputs NAME.001, NAME.002, ...; no new round starts after BUDGET_S seconds
# (0: no limit), which is reported as "KDEV-SOAK-STOP: ...".
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mkdir -p /sys/fs/cgroup
mount -t cgroup2 cgroup2 /sys/fs/cgroup || echo "KDEV-WARN: cannot mount cgroup2"
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || echo "KDEV-WARN: cannot mount tracefs"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control || echo "KDEV-WARN: cannot enable +memory"
# The series' decision events (absent on other kernels): how often the
# reapers spared robust lists, waited or fell back, reported at the end.
for ev in oom_reaper_decision mrelease_decision; do
	f=/sys/kernel/tracing/events/oom/$ev/enable
	[ -f "$f" ] && echo 1 >"$f"
done
# zram swap for the cases that need list pages in swap (oom_swapped)
if [ -w /sys/block/zram0/disksize ] && echo 64M >/sys/block/zram0/disksize &&
	mkswap /dev/zram0 >/dev/null && swapon /dev/zram0; then
	echo "KDEV-SWAP: zram0 64M"
else
	echo "KDEV-WARN: no zram swap"
fi
echo "KDEV-NPROC: $(nproc)"
echo "KDEV-UNAME: $(uname -r)"
loglevel=$(cut -f1 /proc/sys/kernel/printk)
: >/tmp/kdev-rcs

run_one() {
	name=$1 cmd=$2
	echo "KDEV-START: $name"
	{ (cd /tmp && sh -c "$cmd") </dev/null 2>&1; echo $? >/tmp/kdev-rc; } |
		tee "/tmp/kdev-out.$name" | sed 's/^/KDEV-LIVE: /'
	echo "$name $(cat /tmp/kdev-rc)" >>/tmp/kdev-rcs
	dmesg -n 1    # keep kernel messages from interleaving with the report
	echo "KDEV-OUT-BEGIN: $name"
	cat "/tmp/kdev-out.$name"
	echo "KDEV-OUT-END: $name"
	dmesg -n "$loglevel"
	rm -f "/tmp/kdev-out.$name"
}

rounds=1 budget=0 soak=no
if [ -f /kdev/repeat ]; then read -r rounds budget </kdev/repeat; soak=yes; fi
t0=$(date +%s)
r=0
while [ "$r" -lt "$rounds" ]; do
	r=$((r + 1))
	if [ "$soak" = yes ] && [ "$budget" -gt 0 ] && [ $(($(date +%s) - t0)) -ge "$budget" ]; then
		echo "KDEV-SOAK-STOP: time budget of ${budget}s used up after $((r - 1)) of $rounds rounds"
		break
	fi
	while IFS='	' read -r name cmd; do
		[ -n "$name" ] || continue
		[ "$soak" = no ] || name=$name.$(printf %03d "$r")
		run_one "$name" "$cmd"
	done </kdev/cmds
done
dmesg -n 1
if [ -f /sys/kernel/tracing/events/oom/oom_reaper_decision/enable ]; then
	echo "KDEV-DECISIONS: $(grep -o '[a-z_]*_decision: pid=[0-9]* reason=[a-z]*' /sys/kernel/tracing/trace |
		sed 's/_decision: pid=[0-9]* reason=/:/' | sort | uniq -c | awk '{printf "%s%s=%s", sep, $2, $1; sep=" "}')"
fi
# Any taint (a WARN, a bad page, a module) fails the run (tools/splatcheck.sh).
echo "KDEV-TAINT: $(cat /proc/sys/kernel/tainted 2>/dev/null || echo unknown)"
echo "KDEV-DMESG-BEGIN"
dmesg
echo "KDEV-DMESG-END"
while read -r name rc; do echo "KDEV-RESULT: $name $rc"; done </tmp/kdev-rcs
echo "KDEV-DONE"
sync
reboot -f
