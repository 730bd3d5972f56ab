#!/bin/bash
# Usage: tools/vm.sh -k bzImage -i initramfs -l LOGDIR [-t TIMEOUT_S] [-m MEM_MB]
# Boot the guest under QEMU (TCG, 2 CPUs; KDEV_ARCH=arm64: qemu-system-aarch64
# -M virt) with a wall-clock timeout. LOGDIR
# (recreated) gets serial.log (the whole console), qemu.log, status
# (done|hung|panic|noboot|nproc), and, only for a guest that finished:
# results ("NAME RC" per command) and out/NAME.txt (each command's output).
# Exit 0 only when the guest ran every command and reported 2 CPUs; else a
# one-line error and non-zero exit.
. "$(dirname "$0")/lib.sh"
kernel= initrd= logdir= timeout_s=${KDEV_BOOT_TIMEOUT:-600} mem=1024
while [ $# -gt 0 ]; do
	case "$1" in
	-k) kernel=${2:?}; shift 2 ;;
	-i) initrd=${2:?}; shift 2 ;;
	-l) logdir=${2:?}; shift 2 ;;
	-t) timeout_s=${2:?}; shift 2 ;;
	-m) mem=${2:?}; shift 2 ;;
	*) die "vm.sh: unknown option '$1'" ;;
	esac
done
[ -f "$kernel" ] || die "vm.sh: no kernel image '$kernel'"
[ -f "$initrd" ] || die "vm.sh: no initramfs '$initrd'"
[ -n "$logdir" ] || die "vm.sh: -l LOGDIR is required"
[[ "$timeout_s" =~ ^[0-9]+$ ]] || die "vm.sh: bad timeout '$timeout_s'"
guest_arch
case $GARCH in
x86_64)
	qemu=(qemu-system-x86_64 -machine pc -cpu max -smp cpus=2,sockets=2)
	# The guest's TSC calibration under TCG is unreliable: tell it the host's.
	mhz=$(awk -F: '/^cpu MHz/ {print $2; exit}' /proc/cpuinfo | tr -d ' ')
	[ -n "$mhz" ] || mhz=$(lscpu | awk -F: '/MHz/ {print $2; exit}' | tr -d ' ')
	khz=$(awk -v m="${mhz:-2000}" 'BEGIN {printf "%d", m * 1000}')
	append="console=ttyS0 tsc_early_khz=$khz tsc=reliable" ;;
arm64)
	# virt with GICv3; -cpu max with the cheap (impdef) pointer auth of TCG
	qemu=(qemu-system-aarch64 -machine virt,gic-version=3 -cpu max,pauth-impdef=on -smp 2)
	append="console=ttyAMA0" ;;
esac
command -v "${qemu[0]}" >/dev/null || die "${qemu[0]} missing (tools/deps.sh)"

rm -rf "$logdir"; mkdir -p "$logdir"
log=$logdir/serial.log
append="$append panic=-1 oops=panic loglevel=7 ${KDEV_APPEND:-}"
echo "${qemu[0]} ... -kernel $kernel -initrd $initrd -append \"$append\" (timeout ${timeout_s}s)" >"$logdir/cmdline"
t0=$(now)
rc=0
timeout -k 10 "$timeout_s" "${qemu[@]}" -m "$mem" \
	-nographic -no-reboot -monitor none -serial "file:$log" -net none \
	-kernel "$kernel" -initrd "$initrd" -append "$append" \
	</dev/null >"$logdir/qemu.log" 2>&1 || rc=$?
secs=$(( $(now) - t0 ))
echo "$secs" >"$logdir/seconds"
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"

fail() { echo "$1" >"$logdir/status"; die "guest $2 (after ${secs}s; log: $log)"; }
if ! grep -q '^KDEV-DONE' "$log"; then
	if grep -q 'Kernel panic' "$log"; then fail panic "panicked: $(grep -m1 -o 'Kernel panic.*' "$log" | cut -c1-100)"; fi
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then fail hung "hung: no KDEV-DONE within ${timeout_s}s"; fi
	fail noboot "stopped without finishing (qemu exit $rc; $(tail -c 300 "$logdir/qemu.log" | tr '\n' ' ' | cut -c1-100))"
fi
nproc=$(grep -a -m1 -o 'KDEV-NPROC: [0-9]*' "$log" | cut -d' ' -f2)
[ "$nproc" = 2 ] || fail nproc "saw ${nproc:-no} CPUs, expected 2"
mkdir -p "$logdir/out.tmp"
awk -v dir="$logdir/out.tmp" '
	/^KDEV-OUT-BEGIN: / { f = dir "/" $2 ".txt"; printf "" > f; next }
	/^KDEV-OUT-END: / { close(f); f = ""; next }
	f != "" { print >> f }' "$log"
grep -a -o '^KDEV-RESULT: [^ ]* [0-9]*' "$log" | cut -d' ' -f2- >"$logdir/results.tmp"
mv "$logdir/out.tmp" "$logdir/out"
mv "$logdir/results.tmp" "$logdir/results"
echo done >"$logdir/status"
echo ">> guest finished in ${secs}s, $nproc CPUs: $(tr '\n' ' ' <"$logdir/results")(log: $log)"
