#!/bin/busybox sh
# /init of the test guest (copied into the initramfs by tools/initramfs.sh).
# Runs each line "NAME<TAB>COMMAND" of /kdev/cmds, prints its output (TAP),
# then one "KDEV-RESULT: NAME RC" line per command, "KDEV-DONE", and powers off.
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
echo "KDEV-NPROC: $(nproc)"
echo "KDEV-UNAME: $(uname -r)"
: >/tmp/kdev-rcs
while IFS='	' read -r name cmd; do
	[ -n "$name" ] || continue
	echo "KDEV-START: $name"
	(cd /tmp && sh -c "$cmd") >"/tmp/kdev-out.$name" 2>&1
	echo "$name $?" >>/tmp/kdev-rcs
done </kdev/cmds
dmesg -n 1    # keep late kernel messages from interleaving with the report
while read -r name rc; do
	echo "KDEV-OUT-BEGIN: $name"
	cat "/tmp/kdev-out.$name"
	echo "KDEV-OUT-END: $name"
done </tmp/kdev-rcs
echo "KDEV-DMESG-BEGIN"
dmesg
echo "KDEV-DMESG-END"
while read -r name rc; do echo "KDEV-RESULT: $name $rc"; done </tmp/kdev-rcs
echo "KDEV-DONE"
sync
reboot -f
