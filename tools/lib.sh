# shellcheck shell=bash
# Common helpers for the kdev scripts. Sourced, never run.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${KDEV_WORK:-$REPO/.work}
SERIES_ROOT=${KDEV_SERIES_ROOT:-$REPO/series}
BASES="mainline 6.12"
VARIANTS="stock bad patched"

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
	stock|bad|patched) ;;
	*) die "unknown variant '${1:-}' (known: $VARIANTS)" ;;
	esac
}

# Git branch in the materialised tree for each variant.
variant_branch() {
	case "$1" in stock) echo base ;; bad) echo known-bad ;; patched) echo series ;; esac
}

# Name of the materialised tree: <base>, or <base>-ksrc for a user's tree.
tree_name() { if [ -n "${KSRC:-}" ]; then echo "$1-ksrc"; else echo "$1"; fi; }
tree_dir()  { echo "$WORK/tree/$(tree_name "$1")"; }
build_dir() { echo "$WORK/build/$(tree_name "$1")-$2"; }
series_dir() { echo "$SERIES_ROOT/$1"; }

# git with no user/system configuration, so results do not depend on
# whoever runs it (format-patch output, commit ids).
kgit() {
	GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
	git -c user.name=kdev -c user.email=kdev@localhost \
	    -c advice.detachedHead=false -c init.defaultBranch=base "$@"
}

# Patch file names listed in series/<base>/series (blank lines and # comments skipped).
series_patches() {
	local f; f="$(series_dir "$1")/series"
	[ -f "$f" ] || die "missing $f"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$f"
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
