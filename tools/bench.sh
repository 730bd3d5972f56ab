#!/bin/bash
# Usage: tools/bench.sh [<base>] [--report] [--check] [--readme]   (default base: mainline)
# Benchmark, in one run, stock vs the previous version of the series vs each
# layer of the current one: the kernels (harness variants, tools/lib.sh) of
# KDEV_BENCH_VARIANTS, default "stock v2 layer1 patched" = stock, v2
# (series-v2/<base>), v3 layer 1 (the series up to the end of its first
# layer, series/<base>/layers) and v3 (the whole series); any list of two or
# more variants with stock first works (e.g. "stock v1 patched"). Makes sure
# the kernels are built (tools/kbuild.sh, incremental; KDEV_BENCH_NO_BUILD=1
# skips that and fails when a kernel is missing), builds
# bench/robust_bench.c statically, boots each kernel under QEMU (tools/vm.sh:
# TCG, 2 CPUs, KDEV_BENCH_MEM MiB, 2048) with the same initramfs, collects
# the "BENCH ..." lines and writes a table (median / p95 per kernel, ratio of
# medians kernel/stock for every other kernel, lost mutexes as x/N) and two
# SVG plots (gnuplot). Any splat, failed guest, scenario without a result,
# missing metric or lost robust mutex where none may be lost (lost_scope:
# v3 and v2 anywhere, v3 layer 1 in the oom_* scenarios) fails it (exit 1).
#   --report  only redo table and plots from the logs of the last run
#   --check   only check the last run's logs: every scenario has its BENCH
#             line, every metric is there for every kernel, and no kernel
#             lost a robust mutex where none may be lost
#   --readme  regenerate README.md's "## Benchmark" section from the last
#             run's results (and copy the plots to bench/results/)
# BENCH_QUICK=1 (make bench QUICK=1): every scenario once with tiny sizes
# (CI smoke test, ~5 min; no timing asserted, the lost=0 checks are), logs in
# $WORK/logs/bench-quick.
# Runs: KDEV_BENCH_RUNS (10) per scenario; KDEV_BENCH_RUNS_BIG (5) for
# mrelease at 1024 threads, the large victim, the overcommit load and the
# syscall/thread cost loops.
# Output: $L/results.txt (+ results.md), $L/<base>-<variant>/raw.txt (per-run
# lines), $L/*.svg, with L=$WORK/logs/bench.
. "$(dirname "$0")/lib.sh"
guest_arch
[ "$GARCH" = x86_64 ] || die "make bench runs x86_64 guests only, not KDEV_ARCH=$GARCH"
base=mainline action=run
for a in "$@"; do
	case "$a" in
	--report) action=report ;;
	--readme) action=readme ;;
	--check) action=check ;;
	-*) die "bench.sh: unknown option '$a'" ;;
	*) base=$a ;;
	esac
done
check_base "$base"
quick=${BENCH_QUICK:-0}
[ "$quick" = 0 ] || quick=1
# The kernels, stock first: the table's columns and the plots' series in this order.
VARIANTS_B=${KDEV_BENCH_VARIANTS:-stock v2 layer1 patched}
L=$WORK/logs/bench
[ "$quick" = 0 ] || L=$WORK/logs/bench-quick
mem=${KDEV_BENCH_MEM:-2048}
if [ "$quick" = 1 ]; then
	runs=1 runs_big=1
else
	runs=${KDEV_BENCH_RUNS:-10} runs_big=${KDEV_BENCH_RUNS_BIG:-5}
fi
[[ "$runs" =~ ^[1-9][0-9]*$ && "$runs_big" =~ ^[1-9][0-9]*$ ]] || die "bench.sh: bad KDEV_BENCH_RUNS/KDEV_BENCH_RUNS_BIG"
# The current version of the series (series/): variant patched.
CUR=v3
# label VARIANT: the short name in table columns and ratio headers;
# lname VARIANT: the name everywhere else (headers, plot keys, messages);
# origin VARIANT: what the kernel is made of (report's "kernels" line).
label() { case "$1" in patched) echo "$CUR" ;; *) echo "$1" ;; esac; }
lname() { case "$1" in patched) echo "$CUR" ;; layer1) echo "$CUR layer 1" ;; fix) echo "$CUR patch 1" ;; bad) echo known-bad ;; *) echo "$1" ;; esac; }
origin() {
	case "$1" in
	stock) echo base ;; patched) echo series ;; v1|v2) echo "series-$1" ;; fix) echo "series patch 1" ;; bad) echo known-bad ;;
	layer1) echo "series to $(series_layer_end "$base" layer1 2>/dev/null | cut -c1-4 || echo "layer 1")" ;;
	*) echo "$1" ;;
	esac
}
vdir() { echo "$L/$(tree_name "$base")-$1"; }
check_variants() {
	local v
	if [ "$#" -lt 2 ] || [ "$1" != stock ]; then
		die "bench.sh: KDEV_BENCH_VARIANTS='$*': stock first, then at least one more variant"
	fi
	for v in "$@"; do check_variant "$v"; done
	[ -z "$(printf '%s\n' "$@" | sort | uniq -d)" ] || die "bench.sh: KDEV_BENCH_VARIANTS='$*' names a kernel twice"
}
read -r -a vs <<<"$VARIANTS_B"
check_variants ${vs[@]+"${vs[@]}"}
VARIANTS_B="${vs[*]}" NK=${#vs[@]} LAST=${vs[-1]}

# Scenario list: NAME<TAB>COMMAND (each prints exactly one BENCH line).
scenarios() {
	if [ "$quick" = 1 ]; then
		local t=4 m1=1 m2=16 m3=64 ct=500 cc=100000 bt=64 bm=64 ocs=2
	else
		local t=16 m1=1 m2=256 m3=1024 ct=5000 cc=1000000 bt=1000 bm=512 ocs=5
	fi
	printf '%s\t%s\n' \
		oom_robust "robust_bench victim oom robust $runs $t" \
		oom_empty "robust_bench victim oom empty $runs $t" \
		oom_norobust "robust_bench victim oom norobust $runs $t" \
		oom_stuck "robust_bench victim oom stuck $runs $((t / 2))" \
		mrelease_stuck "robust_bench victim mrelease stuck $runs $((t / 2))" \
		oom_starved "robust_bench victim oom starved $runs $t" \
		oom_swapped "robust_bench victim oom swapped $runs $((t * 4))" \
		mrelease_$m1 "robust_bench mrelease $m1 $runs" \
		mrelease_$m2 "robust_bench mrelease $m2 $runs" \
		mrelease_$m3 "robust_bench mrelease $m3 $runs_big" \
		cost "robust_bench cost $runs_big $ct $cc" \
		oom_big "robust_bench victim oom big $runs_big $bt $bm" \
		overcommit "robust_bench overcommit $runs_big $ocs 3 32 64"
}

build_kernels() {
	local v B
	for v in $VARIANTS_B; do
		B=$(build_dir "$base" "$v")
		if [ "${KDEV_BENCH_NO_BUILD:-0}" = 1 ]; then
			[ -f "$B/kdev-ok" ] && [ -f "$B/arch/x86/boot/bzImage" ] ||
				die "bench: kernel $(tree_name "$base")-$v is not built ($B/kdev-ok missing) and KDEV_BENCH_NO_BUILD=1 forbids building it (tools/kbuild.sh $base $v)"
		else
			"$REPO/tools/kbuild.sh" "$base" "$v"
		fi
	done
}

fail=0
run_guests() {
	local tmp v B D name cmds=() n c rc
	mkdir -p "$L" "$WORK/tmp"
	tmp=$(mktemp -d "$WORK/tmp/bench.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	note "building bench/robust_bench.c"
	gcc -static -O2 -Wall -Wextra -Werror -o "$tmp/robust_bench" "$REPO/bench/robust_bench.c" -lpthread
	# Console quiet during the runs (OOM reports over a TCG serial line cost
	# hundreds of ms in the kill path); the whole log still reaches the serial
	# console through the dmesg dump at the end, hence the big log buffer.
	# (guest-init restores the console loglevel after each command: quiet each one)
	while IFS='	' read -r n c; do
		cmds+=(--cmd "$n=dmesg -n 1; $c")
	done < <(scenarios)
	scenarios >"$L/scenarios"
	"$REPO/tools/initramfs.sh" -o "$tmp/bench.cpio.gz" --bin "$tmp/robust_bench" "${cmds[@]}" >/dev/null

	for v in $VARIANTS_B; do
		B=$(build_dir "$base" "$v")
		name="$(tree_name "$base")-$v"
		D=$(vdir "$v")
		note "booting $name ($(lname "$v")) for the benchmark"
		rc=0
		KDEV_APPEND="log_buf_len=16M ${KDEV_APPEND:-}" "$REPO/tools/vm.sh" -k "$B/arch/x86/boot/bzImage" \
			-i "$tmp/bench.cpio.gz" -l "$D" -m "$mem" -t "${KDEV_BENCH_TIMEOUT:-1800}" || rc=$?
		[ "$rc" = 0 ] || { echo "bench: $name guest failed (rc $rc)" >&2; fail=1; }
		if ! "$REPO/tools/splatcheck.sh" "$D/serial.log" >"$D/splats.txt"; then
			echo "bench: splat in $name:" >&2; head -8 "$D/splats.txt" >&2; fail=1
		fi
		: >"$D/raw.txt"
		if [ -d "$D/out" ]; then
			while read -r c r; do
				[ "$r" = 0 ] || { echo "bench: $name: scenario $c exited $r" >&2; fail=1; }
				cat "$D/out/$c.txt" >>"$D/raw.txt"
			done <"$D/results"
		fi
		grep -a '^BENCH ' "$D/raw.txt" >"$D/bench.txt" || true
		grep -a -m1 -o 'KDEV-UNAME: .*' "$D/serial.log" | cut -d' ' -f2 >"$D/uname" || true
		sed -n 's/^commit=//p' "$B/kdev-ok" >"$D/commit"
		# the series' code hash (lib.sh) at the time of the run; the kernel
		# was built from it unless KDEV_BENCH_NO_BUILD=1 took an older
		# build (its commit, recorded above, tells)
		variant_hash "$base" "$v" >"$D/code"
	done
}

# Every scenario produced its BENCH line and every metric is there for every kernel.
check_wellformed() {
	local v D n keys=$L/keys.all bad=0
	for v in $VARIANTS_B; do
		D=$(vdir "$v")
		while IFS='	' read -r n _; do
			[ -f "$D/out/$n.txt" ] && [ "$(grep -ac '^BENCH ' "$D/out/$n.txt")" = 1 ] ||
				{ echo "bench: $(lname "$v"): scenario $n produced no result" >&2; bad=1; }
		done <"$L/scenarios"
		awk '/^BENCH / { id = $2; if ($3 ~ /^(threads|case)=/) id = id " " $3
			for (i = 3; i <= NF; i++) print id, substr($i, 1, index($i, "=") - 1) }' \
			"$D/bench.txt" | sort -u >"$D/keys"
	done
	# shellcheck disable=SC2046
	sort -u $(for v in $VARIANTS_B; do echo "$(vdir "$v")/keys"; done) >"$keys"
	for v in $VARIANTS_B; do
		comm -23 "$keys" "$(vdir "$v")/keys" | sed "s/^/bench: $(lname "$v"): missing metric: /" >&2
		[ -z "$(comm -23 "$keys" "$(vdir "$v")/keys")" ] || bad=1
	done
	return "$bad"
}

# lost_scope VARIANT: the scenarios in which VARIANT must not lose a robust
# mutex (asserted in every run, QUICK=1 included; timing never is): "all"
# for the series (v3) and v2, "oom" (the scenarios named oom_*) for v3
# layer 1, which leaves process_mrelease() as stock (layer 3 changes it), so
# its mrelease scenarios lose mutexes like stock; "none" for the others
# (stock and v1 lose some).
lost_scope() { case "$1" in patched|v2) echo all ;; layer1) echo oom ;; *) echo none ;; esac; }
check_lost() {
	local v D n scope bad ret=0
	for v in $VARIANTS_B; do
		D=$(vdir "$v") scope=$(lost_scope "$v")
		[ "$scope" != none ] || continue
		bad=$(
			if [ "$scope" = all ]; then
				cat "$D/bench.txt"
			else
				while IFS='	' read -r n _; do
					case "$n" in "$scope"_*) [ ! -f "$D/out/$n.txt" ] || cat "$D/out/$n.txt" ;; esac
				done <"$L/scenarios"
			fi | awk '/^BENCH / { for (i = 3; i <= NF; i++) if ($i ~ /^lost=[0-9]+\//) {
				split(substr($i, 6), p, "/"); if (p[1] + 0 > 0) print $2, $3, $i } }' | paste -sd ';' -)
		[ -n "$bad" ] || continue
		echo "bench: $(lname "$v") lost robust mutexes$([ "$scope" = all ] || echo " in the ${scope}_* scenarios"): $bad" >&2
		ret=1
	done
	return "$ret"
}

host_desc() {
	local model
	model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
	echo "QEMU TCG 2 vCPU, no KVM, ${mem} MiB guest; host: ${model:-unknown CPU}, $(nproc) cores, $(awk '/^MemTotal/ {printf "%d", $2 / 1048576 + 0.5}' /proc/meminfo) GiB"
}

# Table: one row per metric, columns: one per kernel (stock first), then
# kernel/stock for every other kernel (ratio of medians).
# NAME_median + NAME_p95 become one cell "median / p95", labelled "med / max"
# where the scenario ran fewer than 20 times on some kernel: the
# nearest-rank p95 of 19 values or fewer is their maximum (a metric has at
# most one value per run).
make_table() {
	local fmt=$1 v labels="" files=()
	for v in $VARIANTS_B; do
		labels="$labels $(label "$v")" files+=("$(vdir "$v")/bench.txt")
	done
	awk -v fmt="$fmt" -v labels="$labels" '
		BEGIN { nk = split(labels, lab, " "); for (i = 1; i < ARGC; i++) fno[ARGV[i]] = i }
		function num(x) { return x ~ /^-?[0-9]+(\.[0-9]+)?$/ }
		function r(a, b) { return (num(a) && num(b) && a + 0 > 0) ? sprintf("%.3f", b / a) : "-" }
		function short(x) { return num(x) ? sprintf(x + 0 >= 100 ? "%.0f" : x + 0 >= 10 ? "%.1f" : "%.2f", x) : x }
		function dashes(x,   d) { d = "--"; while (length(d) < length(x) + 2) d = d "-"; return d }
		{ f = fno[FILENAME] }
		/^BENCH / {
			id = $2; i = 3
			if ($3 ~ /^(threads|case)=/) { id = id " " substr($3, index($3, "=") + 1); i = 4 }
			if ($2 == "mrelease" && $3 ~ /^threads=/) id = "mrelease " substr($3, 9) " thr"
			for (; i <= NF; i++) {
				k = substr($i, 1, index($i, "=") - 1); val = substr($i, index($i, "=") + 1)
				if (k == "runs" && (!(id in runs) || val + 0 < runs[id])) runs[id] = val + 0
				if (k ~ /^(runs|threads|prefault_mb|seconds|children|child_mb|memcg_mb|calls|late|handover_complete|esrch)$/) continue
				kind = "v"
				if (k ~ /_median$/) { kind = "m"; k = substr(k, 1, length(k) - 7) }
				else if (k ~ /_p95$/) { kind = "p"; k = substr(k, 1, length(k) - 4) }
				m = id SUBSEP k
				if (!(m in seen)) { seen[m] = 1; order[++n] = m }
				v[f, m, kind] = val; has[m, kind] = 1
			}
		}
		function cell(f, m) {
			if (has[m, "m"]) return ((f, m, "m") in v) ? short(v[f, m, "m"]) " / " short(v[f, m, "p"]) : "-"
			return ((f, m, "v") in v) ? v[f, m, "v"] : "-"
		}
		function ratio(f, m) { return has[m, "m"] ? r(v[1, m, "m"], v[f, m, "m"]) : "" }
		END {
			if (fmt == "md") {
				h = "| scenario | metric |"; u = "|----------|--------|"
				for (k = 1; k <= nk; k++) { h = h " " lab[k] " |"; u = u dashes(lab[k]) "|" }
				for (k = 2; k <= nk; k++) { h = h " " lab[k] "/stock |"; u = u dashes(lab[k] "/stock") "|" }
				print h; print u
			} else {
				# ratio columns at least 8 wide, wider for a long label
				for (k = 2; k <= nk; k++) { w[k] = length(lab[k]) + 3; if (w[k] < 8) w[k] = 8 }
				h = sprintf("%-22s %-34s", "scenario", "metric")
				for (k = 1; k <= nk; k++) h = h sprintf(" %21s", lab[k])
				for (k = 2; k <= nk; k++) h = h sprintf(" %" w[k] "s", lab[k] "/st")
				print h
			}
			for (j = 1; j <= n; j++) {
				m = order[j]; split(m, a, SUBSEP)
				lbl = a[2] (has[m, "m"] ? (runs[a[1]] >= 20 ? " (med / p95)" : " (med / max)") : "")
				if (fmt == "md") {
					row = "| " a[1] " | " lbl " |"
					for (k = 1; k <= nk; k++) {
						c = cell(k, m)
						if (a[2] ~ /^lost/ && c !~ /^0\//) c = "**" c "**"
						row = row " " c " |"
					}
					for (k = 2; k <= nk; k++) row = row " " ratio(k, m) " |"
				} else {
					row = sprintf("%-22s %-34s", a[1], lbl)
					for (k = 1; k <= nk; k++) row = row sprintf(" %21s", cell(k, m))
					for (k = 2; k <= nk; k++) row = row sprintf(" %" w[k] "s", ratio(k, m))
				}
				print row
			}
		}' "${files[@]}"
}

# gnuplot's quoting of a title
gq() { printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"; }

make_plots() {
	local v D c i id out=$L dt pmem pmem2 plost w
	command -v gnuplot >/dev/null || { echo "bench: gnuplot missing (apt-get install gnuplot-nox): no plots" >&2; return 0; }
	for v in $VARIANTS_B; do
		D=$(vdir "$v")
		for c in oom_stuck mrelease_stuck; do
			awk -v c="$c" '$1 == "MEM" && $2 == c { printf "%.4f %.3f\n", $3 / 1000, $4 }' "$D/raw.txt" >"$out/mem-$c-$v.dat"
		done
	done
	# lost mutexes in % of those held, per scenario (row) and kernel (column 2...)
	{
		printf '# scenario'; for v in $VARIANTS_B; do printf ' %s' "$(label "$v")"; done; echo
		for id in "oom robust" "oom stuck" "mrelease stuck" "oom starved" mrelease1 mrelease2 mrelease3; do
			printf '%s' "$(echo "$id" | tr ' ' _)"
			for v in $VARIANTS_B; do
				awk -v id="$id" '
					/^BENCH / {
						t = $2 " " substr($3, index($3, "=") + 1)
						if ($2 == "mrelease" && $3 ~ /^threads=/) { nm++; t = "mrelease" nm }
						if (t != id) next
						for (i = 3; i <= NF; i++) if ($i ~ /^lost=/) { split(substr($i, 6), q, "/"); printf " %.1f", (q[2] > 0 ? 100 * q[1] / q[2] : 0); found = 1 }
					}
					END { if (!found) printf " 0" }' "$(vdir "$v")/bench.txt"
			done
			echo
		done
	} >"$out/lost.dat"
	# name the mrelease rows by their thread counts
	awk '/^BENCH mrelease threads=/ { n++; print "mrelease" n, "mrelease_" substr($3, 9) "thr" }' "$(vdir stock)/bench.txt" |
		while read -r a b; do sed -i "s/^$a /$b /" "$out/lost.dat"; done
	# Plot commands, one series per kernel: stock and the last kernel (the
	# series) solid, the ones between dashed; in the histogram, kernel i of
	# NK sits at (i - (NK + 1) / 2) / (NK + gap 1) from the cluster's centre.
	pmem='' pmem2='' plost='' i=0
	for v in $VARIANTS_B; do
		i=$((i + 1))
		dt=1; [ "$i" = 1 ] || [ "$i" = "$NK" ] || dt=$i
		pmem+="${pmem:+, }\"$out/mem-oom_stuck-$v.dat\" w steps lw 2 dt $dt t $(gq "$(lname "$v")")"
		pmem2+="${pmem2:+, }\"$out/mem-mrelease_stuck-$v.dat\" w steps lw 2 dt $dt t $(gq "$(lname "$v")")"
		plost+="${plost:+, }\"$out/lost.dat\" using $((i + 1))$([ "$i" = 1 ] && echo ":xtic(1)") t $(gq "$(lname "$v")")"
	done
	i=0
	for v in $VARIANTS_B; do
		i=$((i + 1))
		plost+=", \"\" using (\$0 + $(awk -v i="$i" -v n="$NK" 'BEGIN { printf "%.4f", (i - (n + 1) / 2) / (n + 1) }')):(\$$((i + 1)) + 3):(sprintf(\"%.0f\", \$$((i + 1)))) with labels font \",$([ "$NK" -le 3 ] && echo 12 || echo 10)\" notitle"
	done
	w=$((NK <= 3 ? 900 : 600 + 100 * NK))
	gnuplot <<EOF || echo "bench: gnuplot failed; plots may be missing" >&2
set terminal svg size 900,420 dynamic font "sans,12" background rgb "white" noenhanced
set output "$out/mem-stuck.svg"
set multiplot layout 1,2 title "Stuck owner (D state in pipe_write() 3.5 s past the kill): memcg memory.current after the kill (run 0)"
set xlabel "seconds after the kill"
set ylabel "MiB"
set xrange [-0.1:4.5]
set yrange [0:*]
set grid
set key top right noenhanced
set title "memcg OOM kill"
plot $pmem
set title "SIGKILL + process_mrelease()"
plot $pmem2
unset multiplot
set terminal svg size $w,420 dynamic font "sans,12" background rgb "white" noenhanced
set output "$out/lost.svg"
set title "Robust mutexes lost (never handed over), % of those held by the victim"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xrange [*:*]
set yrange [0:105]
set ylabel "% lost"
set xlabel ""
unset grid
set grid ytics
set xtics rotate by 20 right noenhanced
set key top left noenhanced
plot $plost
EOF
}

report() {
	local v D secs guests="" kernels="" legend=""
	for v in $VARIANTS_B; do
		D=$(vdir "$v")
		[ -f "$D/bench.txt" ] || die "bench: no results in $D (run tools/bench.sh first)"
		guests+="${guests:+, }$(lname "$v") $(cat "$D/seconds" 2>/dev/null)s"
		kernels+="${kernels:+, }$(lname "$v") $(cat "$D/uname" 2>/dev/null) ($(origin "$v")$([ "$v" = stock ] && echo " " || echo ", ")$(cut -c1-12 "$D/commit" 2>/dev/null)$([ ! -s "$D/code" ] || echo ", code $(cat "$D/code")"))"
		[ "$(label "$v")" = "$(lname "$v")" ] || legend+="; $(label "$v") = $(lname "$v")"
	done
	secs=$(cat "$L/seconds" 2>/dev/null || echo "?")
	{
		echo "# make bench BASE=$base$([ "$quick" = 1 ] && echo " QUICK=1"): $(date -u -r "$(vdir "$LAST")/bench.txt" '+%Y-%m-%d %H:%M UTC'), ${secs}s in all (guests: $guests)"
		echo "# kernels: $kernels"
		# the config these kernels were built with (KDEV_DEBUG, tools/lib.sh debug_config)
		case ${KDEV_DEBUG:-normal} in
		normal) dbg="configs/debug.config (lockdep, DEBUG_VM, KFENCE, UBSAN, ...)" ;;
		heavy) dbg="configs/debug.config + configs/debug-heavy.config (KASAN, kmemleak)" ;;
		*) dbg="no debug options (KDEV_DEBUG=none)" ;;
		esac
		echo "# config: tinyconfig + configs/guest.config + $dbg, HZ=$(awk -F= '/^CONFIG_HZ=/ {print $2}' "$(build_dir "$base" stock)/.config" 2>/dev/null), THP always"
		echo "# machine: $(cat "$L/host" 2>/dev/null || host_desc)"
		echo "# runs: $runs per scenario, $runs_big for mrelease 1024 thr / cost / oom big / overcommit; times in ms unless _us/_ns"
		echo "# ratio = median(kernel) / median(stock); lost = robust mutexes never handed over / held; x/N$legend"
		make_table txt
	} >"$L/results.txt"
	make_table md >"$L/results.md"
	make_plots
	cat "$L/results.txt"
}

readme() {
	local R=$REPO/README.md tmp
	[ -f "$L/results.md" ] || die "bench: no $L/results.md (run make bench first)"
	mkdir -p "$REPO/bench/results"
	for f in mem-stuck.svg lost.svg; do [ -f "$L/$f" ] && cp "$L/$f" "$REPO/bench/results/$f"; done
	cp "$L/results.txt" "$REPO/bench/results/results.txt"
	tmp=$(mktemp)
	{
		cat <<EOF
## Benchmark

<!-- bench:begin (generated by tools/bench.sh --readme from the last make bench; do not edit) -->
\`make bench [BASE=mainline]\` (\`tools/bench.sh\`, program \`bench/robust_bench.c\`)
compares stock, the previous version of the series and each layer of the
current one: the kernels of \`KDEV_BENCH_VARIANTS\` (default
\`stock v2 layer1 patched\`): stock, v2 (\`series-v2/\`), v3 layer 1
(column \`layer1\`: the series up to the end of its first layer,
\`series/<base>/layers\`; \`process_mrelease()\` is still stock's) and
v3 (the whole series). It builds them if needed
(\`KDEV_BENCH_NO_BUILD=1\`: never build, fail if a kernel is missing), boots
each with the same initramfs under QEMU TCG (2 vCPU, \`KDEV_BENCH_MEM\`
MiB, 2048), fails on any splat, failed scenario, missing metric or robust
mutex lost by v3 or v2 (in any scenario) or by v3 layer 1 (in an OOM
scenario), and writes \`.work/logs/bench/results.txt\` (raw per-run lines in
\`.work/logs/bench/<base>-<variant>/raw.txt\`) and the plots below.
\`tools/bench.sh --report\` redoes table and plots from the logs,
\`tools/bench.sh --readme\` this section. Runs: \`KDEV_BENCH_RUNS\` (10),
\`KDEV_BENCH_RUNS_BIG\` (5). \`make bench QUICK=1\` (or \`BENCH_QUICK=1\`):
every scenario once, tiny sizes, logs in \`.work/logs/bench-quick/\`, checks
only that every metric is there for every kernel and the lost mutexes above
(CI smoke test).

Scenarios (victims are static glibc programs; "kill" = the \`oom:mark_victim\`
tracepoint for OOM kills, the \`pidfd_send_signal()\` call for mrelease;
memory = memcg \`memory.current\` polled every 1 ms, \`kill_to_8M\` until it is
below 8 MiB, \`kill_to_half\` below half the victim's prefaulted memory; reap times from the
\`oom:start_task_reaping\`/\`finish_task_reaping\` tracepoints, trace_clock mono):

- \`oom robust\`: threads hold robust process-shared mutexes and exit normally;
  \`oom empty\`: the threads hold nothing (lists registered by glibc, empty:
  the common OOM victim); \`oom norobust\`: *synthetic*, every thread calls
  \`set_robust_list(NULL)\` (no real program does this).
- \`stuck\`: the owner of a robust mutex is in D state in \`pipe_write()\`
  (\`mutex_lock(&pipe->mutex)\`) until 3.5 s after the kill: the benchmark
  holds that pipe mutex with a \`write()\` from a userfaultfd-registered page
  it resolves only then; killed by the memcg OOM killer or by
  \`pidfd_send_signal(SIGKILL)\` + \`process_mrelease()\`.
- \`oom starved\`: the owners run at SCHED_IDLE on CPU 0 behind CPU hogs of
  the benchmark (two nice -20 SCHED_OTHER, one SCHED_FIFO 1: against the
  nice -20 hogs alone, owners woken by the kill still ran within ~0.5 s here)
  until 3 s after the kill. Some owners still get to exit early (fair
  server's 5%), so stock loses only part of the mutexes.
- \`mrelease N thr\`: N threads each hold one robust mutex; SIGKILL through
  a pidfd and \`process_mrelease()\` at once (the call's time, kill → last
  handover).
- \`cost\`: what every system pays: \`pthread_create()+pthread_join()\` and a raw
  \`set_robust_list()\` loop (v2 and v3 take \`current->pi_lock\` there, v3
  layer 1 does not), with a \`getppid()\` loop as the syscall baseline.
- \`oom big\`: a large victim (512 MiB resident, 1000 threads, starved like
  \`oom starved\`, so every kernel's reaper reaps it): reap time, reaper CPU
  (the \`oom_reaper\` kthread's utime+stime, 10 ms ticks), decisions (\`looks\`);
  its memory only drops below 8 MiB at exit (the threads' stacks, kernel
  stacks and page tables are not reaped): see \`kill_to_half\`.
- \`overcommit\`: for a fixed time, 3 children of 32 MiB each (4 threads) in
  a 64 MiB memcg, each exiting 50 ms after its allocation: OOM kills
  (\`memory.events\` oom_kill) and children done: does reaping earlier kill more?

\`reasons\`: the \`oom_reaper_decision\`/\`mrelease_decision\` reason of the
last decision on v2 and v3; v3 layer 1 has \`oom_reaper_decision\` only, so
its mrelease rows say \`reaped\`/\`not_reaped\` like stock's; v1 (if
benchmarked) its \`oom_reaper_dequeue\` reason.

EOF
		echo "Run: $(sed -n '1s/^# //p' "$L/results.txt")."
		echo "$(sed -n '2s/^# //p' "$L/results.txt" | sed 's/^kernels/Kernels/')."
		echo "$(sed -n '3s/^# //p' "$L/results.txt" | sed 's/^config/Config/')."
		echo "Machine: $(sed -n '4s/^# machine: //p' "$L/results.txt"). Absolute times"
		echo "under TCG with lockdep are 10-50x native and noisy; compare ratios and counts."
		echo "$(sed -n '5s/^# //p' "$L/results.txt" | sed 's/^runs/Runs/')."
		[ -f "$L/../bench-quick/seconds" ] && echo "Last \`make bench QUICK=1\`: $(cat "$L/../bench-quick/seconds")s."
		echo
		cat "$L/results.md"
		echo
		echo "![memory after the kill, stuck owner](bench/results/mem-stuck.svg)"
		echo
		echo "![robust mutexes lost per scenario and kernel](bench/results/lost.svg)"
		echo
		echo "Raw numbers: \`bench/results/results.txt\` (copy of the run's table)."
		echo "<!-- bench:end -->"
		echo
	} >"$tmp"
	awk -v f="$tmp" '
		/^## Benchmark$/ { while ((getline l < f) > 0) print l; skip = 1; next }
		skip && /^## / { skip = 0 }
		!skip' "$R" >"$R.tmp" && mv "$R.tmp" "$R"
	rm -f "$tmp"
	note "README.md Benchmark section regenerated; plots in bench/results/"
}

case "$action" in
readme) readme; exit 0 ;;
check)
	check_wellformed || die "bench: a scenario or metric is missing in $L"
	check_lost || die "bench: robust mutexes lost where none may be (see above) in $L"
	echo ">> bench: every scenario and metric present in $L, no robust mutex lost where none may be"; exit 0 ;;
report) report ;;
run)
	t_start=$(now)
	build_kernels
	mkdir -p "$L"
	host_desc >"$L/host"
	run_guests
	echo $(( $(now) - t_start )) >"$L/seconds"
	check_wellformed || fail=1
	check_lost || fail=1
	report
	echo ">> bench: $(cat "$L/seconds")s; results in $L/results.txt, raw per-run lines in $L/*/raw.txt"
	[ "$fail" = 0 ] || die "bench: a guest failed, splatted, a scenario/metric is missing, or robust mutexes were lost (see above)"
	;;
esac
