# shellcheck shell=bash
# Common helpers for the kdev scripts. Sourced, never run.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${KDEV_WORK:-$REPO/.work}
SERIES_ROOT=${KDEV_SERIES_ROOT:-$REPO/series}
SERIES_V1_ROOT=${KDEV_SERIES_V1_ROOT:-$SERIES_ROOT-v1}
SERIES_V2_ROOT=${KDEV_SERIES_V2_ROOT:-$SERIES_ROOT-v2}
BASES="mainline 6.12"
VARIANTS="stock bad fix layer1 patched v1 v2"

die()  { echo "error: $*" >&2; exit 1; }
note() { echo ">> $*" >&2; }

check_base() {
	case "${1:-}" in
	mainline|6.12) ;;
	"") die "no base given (known: $BASES)" ;;
	*) die "unknown base '$1' (known: $BASES)" ;;
	esac
}

check_variant() {
	case "${1:-}" in
	stock|bad|fix|layer1|patched|v1|v2) ;;
	*) die "unknown variant '${1:-}' (known: $VARIANTS)" ;;
	esac
}

# Git branch in the materialised tree for each variant (v1, v2 = base + the
# frozen series-v1/<base>/, series-v2/<base>/ patches; fix = the series'
# first patch alone; layer1 = the series up to the end of its first layer,
# see series_layer_end).
variant_branch() {
	case "$1" in stock) echo base ;; bad) echo known-bad ;; fix) echo fix ;; layer1) echo layer1 ;;
	patched) echo series ;; v1) echo v1 ;; v2) echo v2 ;; esac
}

# KDEV_DEBUG=heavy: KASAN + kmemleak (configs/debug-heavy.config) on top of
# the normal fragments, built in a dir of its own (suffix -heavy) so the two
# never mix. Sets DEBUG_FRAGS (array of extra fragments) and DEBUG_SUFFIX.
debug_config() {
	# shellcheck disable=SC2034  # DEBUG_FRAGS is for the callers
	# none: no debug options at all, for cost figures close to a distro
	# kernel (not for testing: no splat would be seen).
	case "${KDEV_DEBUG:-normal}" in
	normal) DEBUG_FRAGS=("$REPO/configs/debug.config"); DEBUG_SUFFIX= ;;
	heavy) DEBUG_FRAGS=("$REPO/configs/debug.config" "$REPO/configs/debug-heavy.config"); DEBUG_SUFFIX=-heavy ;;
	none) DEBUG_FRAGS=(); DEBUG_SUFFIX=-nodebug ;;
	*) die "unknown KDEV_DEBUG '${KDEV_DEBUG:-}' (known: normal heavy none)" ;;
	esac
}

# KDEV_ARCH=x86_64 (default) | arm64: the guest's architecture. arm64
# guests are cross-built with Debian's aarch64-linux-gnu-gcc and boot under
# qemu-system-aarch64 -M virt; their builds and logs carry the suffix -arm64.
# Sets GARCH, ARCH_SUFFIX, KARCH (the kernel's ARCH=), KCROSS
# (CROSS_COMPILE=), KTARGET and KIMAGE (make target, image in the build dir),
# GUEST_CC.
# shellcheck disable=SC2034  # the variables are for the callers
guest_arch() {
	GARCH=${KDEV_ARCH:-x86_64}
	case "$GARCH" in
	x86_64) ARCH_SUFFIX= KARCH=x86 KCROSS= KTARGET=bzImage KIMAGE=arch/x86/boot/bzImage GUEST_CC=gcc ;;
	arm64) ARCH_SUFFIX=-arm64 KARCH=arm64 KCROSS=aarch64-linux-gnu- KTARGET=Image KIMAGE=arch/arm64/boot/Image
	       GUEST_CC=aarch64-linux-gnu-gcc ;;
	*) die "unknown KDEV_ARCH '$GARCH' (known: x86_64 arm64)" ;;
	esac
}
# need_cross_cc: building for KDEV_ARCH needs its compiler (booting does not).
need_cross_cc() {
	guest_arch
	command -v "$GUEST_CC" >/dev/null ||
		die "KDEV_ARCH=$GARCH: no $GUEST_CC (tools/deps.sh, or apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)"
}

# Name of the materialised tree: <base>, or <base>-ksrc for a user's tree.
tree_name() { if [ -n "${KSRC:-}" ]; then echo "$1-ksrc"; else echo "$1"; fi; }
tree_dir()  { echo "$WORK/tree/$(tree_name "$1")"; }
build_dir() { debug_config; guest_arch; echo "$WORK/build/$(tree_name "$1")-$2$DEBUG_SUFFIX$ARCH_SUFFIX"; }
series_dir() { echo "$SERIES_ROOT/$1"; }
series_v1_dir() { echo "$SERIES_V1_ROOT/$1"; }
series_v2_dir() { echo "$SERIES_V2_ROOT/$1"; }
# series_prev_dir v1|v2 BASE: a frozen earlier version of the series
series_prev_dir() { case "$1" in v1) series_v1_dir "$2" ;; v2) series_v2_dir "$2" ;; *) die "no frozen series '$1'" ;; esac; }

# git with no user/system configuration, so results do not depend on
# whoever runs it (format-patch output, commit ids), and no automatic gc: a
# "git gc --auto" that a commit starts in the background inherits the tree
# lock (fd 9) and holds it for minutes while it repacks a kernel tree.
kgit() {
	GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
	git -c user.name=kdev -c user.email=kdev@localhost -c gc.auto=0 -c maintenance.auto=false \
	    -c advice.detachedHead=false -c init.defaultBranch=base "$@"
}

# Patch file names listed in <dir>/series (blank lines and # comments skipped).
series_list() {
	local f="$1/series"
	[ -f "$f" ] || die "missing $f"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$f"
}
series_patches() { series_list "$(series_dir "$1")"; }
# series_layer_end BASE LAYER: the last patch of LAYER, from the line
# "LAYER <patch file>" of series/<base>/layers; fails when there is none.
# The layers of v3 each stand alone: layer1 keeps the reaper's delay (one
# robust-list walk, a deadline queue, sparing at the deadline), the rest of
# the series goes on top of it.
series_layer_end() {
	local f; f="$(series_dir "$1")/layers"
	[ -f "$f" ] || return 1
	awk -v l="$2" '$1 == l { print $2; found = 1 } END { exit !found }' "$f"
}
# variant_hash BASE VARIANT: short hash of the code a variant's kernel and
# selftest are made of: the patch ids (git patch-id --stable: the diff, not
# the changelog) of the selftest (the series' last patch) always; patch 1 for
# fix; the patches up to the end of layer 1 for layer1; every patch for
# patched; the known-bad patch for bad; series-v1 for v1, series-v2 for v2.
# A result whose hash differs today is stale; a changelog edit is not, and
# neither is an edit of a Documentation/**/*.rst file (prose: no kernel
# build or guest run uses it; make test's checkpatch and Sphinx steps check
# it on every run). A patch of only such files counts as a constant, so
# adding or dropping one still changes the hash.
variant_hash() {
	local sd p all id; sd=$(series_dir "$1")
	mapfile -t all < <(series_list "$sd")
	{
		[ ${#all[@]} -eq 0 ] || echo "$sd/${all[-1]}"
		case "$2" in
		fix) [ ${#all[@]} -eq 0 ] || echo "$sd/${all[0]}" ;;
		layer1) local end; end=$(series_layer_end "$1" layer1 || true)
			for p in "${all[@]}"; do [ -z "$end" ] || echo "$sd/$p"; [ "$p" != "$end" ] || break; done ;;
		patched) for p in "${all[@]}"; do echo "$sd/$p"; done ;;
		bad) [ ! -f "$REPO/tests/known-bad/$1-no-reaper-delay.patch" ] || echo "$REPO/tests/known-bad/$1-no-reaper-delay.patch" ;;
		v1|v2) for p in $(series_list "$(series_prev_dir "$2" "$1")" 2>/dev/null); do echo "$(series_prev_dir "$2" "$1")/$p"; done ;;
		esac
	} | while IFS= read -r p; do
		if grep -q '^diff --git ' "$p"; then
			# the patch without its Documentation/**/*.rst files
			id=$(awk '/^diff --git / { doc = ($3 ~ /^a\/Documentation\/.*\.rst$/ && $4 ~ /^b\/Documentation\/.*\.rst$/) } !doc' "$p")
			if ! grep -q '^diff --git ' <<<"$id"; then echo documentation-only
			else
				# (a patch git patch-id gives no id for, e.g. a mode change: its text)
				git patch-id --stable <<<"$id" | cut -d' ' -f1 | grep . || sha1sum <<<"$id" | cut -d' ' -f1
			fi
		else
			# a plain diff without "diff --git" (known-bad): its lines from "--- a/"
			sed -n '/^--- a\//,$p' "$p" | sha1sum | cut -d' ' -f1
		fi
	done | sha256sum | cut -c1-12
}

# A "kernel tree" has at least these.
is_kernel_tree() {
	[ -f "$1/Makefile" ] && [ -f "$1/Kconfig" ] && [ -f "$1/scripts/checkpatch.pl" ] &&
	[ -f "$1/mm/oom_kill.c" ] && grep -q '^VERSION =' "$1/Makefile"
}

# Serialise work on one tree (checkouts, builds).
lock_tree() {
	mkdir -p "$WORK/locks"
	exec 9>"$WORK/locks/tree-$(tree_name "$1")"
	flock 9
}

# Never run two kernel builds at once (2 cores): wait for any other one.
wait_for_builds() {
	local n=0
	while pgrep -f "make O=|make -C .* O=" >/dev/null; do
		[ $((n % 10)) -eq 0 ] && note "waiting for another kernel build to finish: $(pgrep -af 'make O=|make -C .* O=' | head -1 | cut -c1-120)"
		n=$((n + 1)); sleep 15
	done
}

# Wait until no make process works in tree $1 (a build reads its sources).
wait_for_tree_users() {
	local t p busy n=0
	t=$(cd "$1" && pwd -P)
	while :; do
		busy=
		for p in $(pgrep -x make); do
			[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$t" ] && busy=$p
		done
		[ -z "$busy" ] && return 0
		[ $((n % 10)) -eq 0 ] && note "waiting for the build running in $1 (pid $busy) to finish"
		n=$((n + 1)); sleep 15
	done
}

# Refuse to switch branches under a developer's uncommitted edits.
require_clean_tree() {
	if [ -n "$(kgit -C "$1" status --porcelain --untracked-files=no)" ]; then
		die "$1 has uncommitted changes; commit or stash them first"
	fi
}

now() { date +%s; }

# run_with_progress LABEL LOGFILE CMD...: run CMD (in the foreground, so
# Ctrl-C reaches it) with stdout and stderr to LOGFILE, and print
# ">> LABEL: still running (Ns)" to stderr every KDEV_PROGRESS_SECS (60)
# seconds until it ends. Returns CMD's exit status. The ticker stops within
# a second of CMD or of the calling shell ending.
run_with_progress() {
	local label=$1 log=$2; shift 2
	local every=${KDEV_PROGRESS_SECS:-60} me=$BASHPID t0 ticker rc=0
	t0=$(now)
	(
		n=0
		while sleep 1 && kill -0 "$me" 2>/dev/null; do
			n=$((n + 1))
			[ $((n % every)) -ne 0 ] || echo ">> $label: still running ($(( $(now) - t0 ))s)" >&2
		done
	) &
	ticker=$!
	"$@" >"$log" 2>&1 || rc=$?
	kill "$ticker" 2>/dev/null || true
	wait "$ticker" 2>/dev/null || true
	return "$rc"
}

# git format-patch with every option that affects the output fixed, and no
# user/system git config, so an unchanged tree reproduces the stored files
# byte for byte.
FP_GIT_OPTS=()
format_patch() {
	local tree=$1; shift
	kgit -C "$tree" ${FP_GIT_OPTS[@]+"${FP_GIT_OPTS[@]}"} -c core.abbrev=12 -c diff.renames=true -c diff.algorithm=myers \
		-c diff.indentHeuristic=true -c core.quotePath=true \
		format-patch --no-signature --no-thread --no-attach --encode-email-headers \
		--unified=3 "$@"
}

# stale_mark FILE BASE COLUMN: " (stale)" when the code the result was
# measured on (variant_hash) changed since.
stale_mark() {
	[ "$(sed -n 's/^series_hash=//p' "$1")" = "$(variant_hash "$2" "${3%-arm64}")" ] || echo ' (stale)'
}

# readme_with_section BEGIN_MARK END_MARK MARKDOWN HEADING BEFORE_REGEX [FILE]:
# README.md (or FILE, default $REPO/README.md) on stdout, the lines between the two marks replaced by
# MARKDOWN; without the marks, a new "## HEADING" section holding them goes
# before the first line matching BEFORE_REGEX (else at the end). For the
# generated README sections (tools/expect.sh, tools/results.sh).
readme_with_section() {
	local bm=$1 em=$2 md=$3 heading=$4 before=$5 in=${6:-$REPO/README.md}
	if grep -qF "$bm" "$in"; then
		awk -v bm="$bm" -v em="$em" -v md="$md" '
			$0 == bm { print; print md; skip = 1; next }
			$0 == em { skip = 0 }
			!skip' "$in"
	else
		awk -v bm="$bm" -v em="$em" -v md="$md" -v h="$heading" -v re="$before" '
			function section() { print "## " h "\n"; print bm; print md; print em; print ""; done = 1 }
			$0 ~ re && !done { section() }
			{ print }
			END { if (!done) { print ""; section() } }' "$in"
	fi
}

# sparse_usable TREE: can this machine's sparse check TREE (C=1)? Prints
# which sparse, or why not: Debian 12's 0.6.4 cannot parse
# __typeof_unqual__, which 7.x trees use under __CHECKER__.
sparse_usable() {
	command -v sparse >/dev/null || { echo "no sparse (apt-get install sparse)"; return 1; }
	local v d rc=0; v="sparse $(sparse --version 2>&1 | head -1)"
	if grep -q 'defined(__CHECKER__)' "$1/include/linux/compiler_types.h" 2>/dev/null &&
	   grep -q '__typeof_unqual__' "$1/include/linux/compiler_types.h"; then
		d=$(mktemp -d)
		printf 'int f(const int *p) { __typeof_unqual__(*p) x = *p; return x; }\n' >"$d/tu.c"
		# not "sparse | grep -q": under pipefail, sparse's SIGPIPE would say "usable"
		if grep -q error <<<"$(sparse "$d/tu.c" 2>&1 || true)"; then
			v="$v cannot parse __typeof_unqual__, which this tree uses under __CHECKER__"; rc=1
		fi
		rm -rf "$d"
	fi
	echo "$v"; return "$rc"
}

# readme_update readme|check WHAT BEGIN_MARK END_MARK MARKDOWN HEADING BEFORE_REGEX:
# write README.md with the section regenerated, or (check) fail with one
# line when the README differs from that (tools/app.sh, tools/buildmatrix.sh).
readme_update() {
	local mode=$1 what=$2 tmpf rc=0
	tmpf=$(mktemp)
	readme_with_section "$3" "$4" "$5" "$6" "$7" >"$tmpf"
	if [ "$mode" = check ]; then
		cmp -s "$tmpf" "$REPO/README.md" || rc=1
		rm -f "$tmpf"
		[ "$rc" = 0 ] || die "README $what is out of date with its results (run the readme command)"
		echo ">> README $what in sync with its results"
	else
		cat "$tmpf" >"$REPO/README.md"; rm -f "$tmpf"
		echo ">> README.md: $what regenerated"
	fi
}
