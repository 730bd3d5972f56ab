#!/bin/bash
# Usage: tools/bench.sh [<base>] [--report]   (default base: mainline)
# Benchmark stock vs patched in one run: makes sure both kernels are built
# (tools/kbuild.sh, incremental), builds bench/robust_bench.c statically,
# boots each kernel under QEMU (tools/vm.sh: TCG, 2 CPUs) with the same
# initramfs, collects the "BENCH ..." lines and prints a table of stock,
# patched and patched/stock per metric. Any splat in a serial log fails it.
# Output: $WORK/logs/bench/results.txt; raw logs in $WORK/logs/bench/<base>-<variant>/.
# Repetitions: KDEV_BENCH_RUNS (15) for 1/256 threads and the OOM cases,
# KDEV_BENCH_RUNS_1024 (7) for 1024 threads. --report only rebuilds the
# table from the logs of the last run.
. "$(dirname "$0")/lib.sh"
base=mainline report_only=no
for a in "$@"; do
	case "$a" in
	--report) report_only=yes ;;
	*) base=$a ;;
	esac
done
check_base "$base"
runs=${KDEV_BENCH_RUNS:-15}
runs_big=${KDEV_BENCH_RUNS_1024:-7}
L=$WORK/logs/bench
t_start=$(now)
mkdir -p "$L" "$WORK/tmp"
tmp=$(mktemp -d "$WORK/tmp/bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

[ "$report_only" = yes ] || for v in stock patched; do
	"$REPO/tools/kbuild.sh" "$base" "$v"
done

run_guests() {
	note "building bench/robust_bench.c"
	gcc -static -O2 -Wall -Wextra -Werror -o "$tmp/robust_bench" "$REPO/bench/robust_bench.c" -lpthread
	# Console quiet during the runs (OOM reports over a TCG serial line cost
	# hundreds of ms in the kill path); the whole log still reaches the serial
	# console through the dmesg dump at the end, hence the big log buffer.
	"$REPO/tools/initramfs.sh" -o "$tmp/bench.cpio.gz" --bin "$tmp/robust_bench" \
		--cmd "mrelease1=dmesg -n 1; robust_bench mrelease 1 $runs" \
		--cmd "mrelease256=robust_bench mrelease 256 $runs" \
		--cmd "mrelease1024=robust_bench mrelease 1024 $runs_big" \
		--cmd "oom_norobust=robust_bench oom norobust $runs" \
		--cmd "oom_robust=robust_bench oom robust $runs" >/dev/null

	for v in stock patched; do
		B=$(build_dir "$base" "$v")
		name="$(tree_name "$base")-$v"
		D=$L/$name
		# sizeof(struct task_struct): the size of the init_task object in vmlinux's symbol table.
		hex=$(nm -S "$B/vmlinux" | awk '$4 == "init_task" {print $2}')
		if [ -n "$hex" ]; then echo "BENCH sizeof task_struct_bytes=$((16#$hex))"; fi >"$tmp/$v.size"
		note "booting $name for the benchmark"
		rc=0
		KDEV_APPEND="log_buf_len=16M ${KDEV_APPEND:-}" "$REPO/tools/vm.sh" -k "$B/arch/x86/boot/bzImage" \
			-i "$tmp/bench.cpio.gz" -l "$D" -t "${KDEV_BENCH_TIMEOUT:-900}" || rc=$?
		[ "$rc" = 0 ] || { echo "bench: $name guest failed (rc $rc)" >&2; fail=1; }
		if ! "$REPO/tools/splatcheck.sh" "$D/serial.log" >"$D/splats.txt"; then
			echo "bench: splat in $name:" >&2; head -8 "$D/splats.txt" >&2; fail=1
		fi
		if [ -d "$D/out" ]; then
			awk '$2 != "0"' "$D/results" | while read -r c r; do echo "bench: $name: $c exited $r" >&2; done
			while read -r c _; do cat "$D/out/$c.txt"; done <"$D/results" >"$D/raw.txt"
		else
			: >"$D/raw.txt"
		fi
		cat "$tmp/$v.size" "$D/raw.txt" | grep -a '^BENCH ' >"$D/bench.txt" || true
		grep -a -m1 -o 'KDEV-UNAME: .*' "$D/serial.log" | cut -d' ' -f2 >"$D/uname" || true
	done
}
fail=0
[ "$report_only" = yes ] || run_guests

S=$L/$(tree_name "$base")-stock P=$L/$(tree_name "$base")-patched
secs=$(( $(now) - t_start ))
[ "$report_only" = yes ] || echo "$secs" >"$L/seconds"
{
	echo "# make bench BASE=$base: $(date -u -r "$S/bench.txt" '+%Y-%m-%d %H:%M UTC'), $(cat "$L/seconds" 2>/dev/null || echo "?")s in all"
	echo "# kernels: stock $(cat "$S/uname" 2>/dev/null) ($(cat "$S/seconds" 2>/dev/null)s guest), patched $(cat "$P/uname" 2>/dev/null) ($(cat "$P/seconds" 2>/dev/null)s guest)"
	echo "# config: tinyconfig + configs/guest.config + configs/debug.config (lockdep, DEBUG_VM, ...), HZ=$(awk -F= '/^CONFIG_HZ=/ {print $2}' "$(build_dir "$base" stock)/.config")"
	echo "# guest: QEMU TCG 2 vCPU, 1 GiB, on a $(nproc)-core host; runs: $runs (1024 threads: $runs_big)"
	echo "# ratio = patched/stock; times in ms unless _us; hung = mutexes never handed over / total"
	awk '
		function num(x) { return x ~ /^[0-9]+(\.[0-9]+)?$/ }
		{ f = (FILENAME == ARGV[1]) ? 1 : 2 }
		/^BENCH / {
			id = $2; i = 3
			if ($3 ~ /^(threads|case)=/) { id = id " " $3; i = 4 }
			for (; i <= NF; i++) {
				k = substr($i, 1, index($i, "=") - 1); val = substr($i, index($i, "=") + 1)
				if (k ~ /^(runs|threads|stall_ms)$/) continue
				m = id " " k
				if (!(m in seen)) { seen[m] = 1; order[++n] = m }
				v[f, m] = val
			}
		}
		END {
			printf "%-46s %14s %14s %8s\n", "metric", "stock", "patched", "ratio"
			for (j = 1; j <= n; j++) {
				m = order[j]; s = ((1, m) in v) ? v[1, m] : "-"; p = ((2, m) in v) ? v[2, m] : "-"
				r = (m ~ /(_median|_p95|_bytes)$/ && num(s) && num(p) && s + 0 > 0) ? sprintf("%.3f", p / s) : "-"
				printf "%-46s %14s %14s %8s\n", m, s, p, r
			}
		}' "$S/bench.txt" "$P/bench.txt"
} >"$L/results.txt"
cat "$L/results.txt"
echo ">> bench: $(cat "$L/seconds" 2>/dev/null || echo ?)s; results in $L/results.txt, raw logs in $S/ and $P/"
[ "$fail" = 0 ] || die "bench: a guest failed or splatted (see above)"
