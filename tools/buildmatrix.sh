#!/bin/bash
# Usage: tools/buildmatrix.sh [--fast] [--only NAME[,NAME...]] <base>
#        (make buildmatrix [BASE=mainline] [FAST=1] [ONLY=...])
# What the kernel test robot would build: for every patch of the series, in
# order (bisectability), the C files the series touches are compiled with
# W=1 (x86_64 also with sparse, C=1) for each target of the matrix below,
# with Debian's cross compilers. A target is an architecture and a config:
# tinyconfig + configs/buildmatrix.config + the target's own options; every
# option asked for is checked to be set, and an impossible combination is
# reported as "not buildable", never as clean. Only objects the config
# builds are compiled (e.g. no mm/memcontrol.o without MEMCG).
# A warning or error counts when the base tree (the same target, before
# patch 1) does not have it: W=1 and sparse already warn about some of these
# files upstream; those are listed as "base" and do not fail the target.
# Each target is built in its own directory, from a git worktree of the
# materialised tree that this script creates and removes ($WORK/bm/); the
# tree itself (tools/tree.sh) is not touched.
# --fast: the targets CI runs (i386, arm64: every patch). Logs and the
# result table: $WORK/logs/buildmatrix-<base>/ (matrix.txt, one log per
# target). Exit 1 when any target is not clean.
. "$(dirname "$0")/lib.sh"
fast=no only=
while [ $# -gt 1 ]; do
	case "$1" in
	--fast) fast=yes; shift ;;
	--only) only=${2:?}; shift 2 ;;
	*) break ;;
	esac
done
base=${1:-}; check_base "$base"
T=$(tree_dir "$base")
[ -d "$T/.git" ] || die "no tree $T; run tools/tree.sh $base first"
kgit -C "$T" rev-parse -q --verify series >/dev/null || die "$T has no branch series (tools/tree.sh $base)"

# NAME ARCH CROSS_COMPILE OPTIONS...   (options: SYM=y|n|value on top of the common ones)
MATRIX=(
	"x86_64            x86_64  -                      IA32_EMULATION=y TRANSPARENT_HUGEPAGE=y"
	"i386              i386    -                      64BIT=n"
	"arm64             arm64   aarch64-linux-gnu-     COMPAT=y TRANSPARENT_HUGEPAGE=y"
	"arm64-64k         arm64   aarch64-linux-gnu-     ARM64_64K_PAGES=y TRANSPARENT_HUGEPAGE=y"
	"arm               arm     arm-linux-gnueabihf-   ARCH_MULTI_V7=y ARCH_VIRT=y"
	"riscv64           riscv   riscv64-linux-gnu-     COMPAT=y TRANSPARENT_HUGEPAGE=y"
	"s390x             s390    s390x-linux-gnu-       TRANSPARENT_HUGEPAGE=y"
	"ppc64le           powerpc powerpc64le-linux-gnu- PPC64=y PPC_BOOK3S_64=y CPU_LITTLE_ENDIAN=y COMPAT=y TRANSPARENT_HUGEPAGE=y"
	"x86_64-nosmp      x86_64  -                      SMP=n"
	"x86_64-rt         x86_64  -                      PREEMPT_RT=y"
	"x86_64-nocompat   x86_64  -                      IA32_EMULATION=n COMPAT=n TRANSPARENT_HUGEPAGE=y"
	"x86_64-nothp      x86_64  -                      TRANSPARENT_HUGEPAGE=n"
	"x86_64-nomemcg    x86_64  -                      MEMCG=n"
	"x86_64-notracing  x86_64  -                      FTRACE=n ENABLE_DEFAULT_TRACERS=n TRACING=n"
	"x86_64-nofutex    x86_64  -                      FUTEX=n"
	"riscv64-nommu     riscv   riscv64-linux-gnu-     MMU=n SWAP=n"
)
FAST="i386 arm64"
mkdir -p "$WORK/bm" "$WORK/logs" "$WORK/locks"
# one kernel build at a time (tools/kbuild.sh takes the same lock)
exec 8>"$WORK/locks/kbuild"
flock 8
L=$WORK/logs/buildmatrix-$base
rm -rf "$L"; mkdir -p "$L"

# The commits to build: base, then each patch of the series.
mapfile -t commits < <(kgit -C "$T" rev-list --reverse base..series)
[ ${#commits[@]} -gt 0 ] || die "series/$base is empty: nothing to build"
series_id=$(kgit -C "$T" rev-parse --short=12 series)
# The C files the series touches (tools/ is the selftest, built elsewhere).
mapfile -t files < <(kgit -C "$T" diff --name-only base series -- '*.c' ':!tools' ':!Documentation')

W=$WORK/bm/tree-$base
cleanup() { kgit -C "$T" worktree remove --force "$W" >/dev/null 2>&1 || rm -rf "$W"; kgit -C "$T" worktree prune; }
trap cleanup EXIT
cleanup
kgit -C "$T" worktree add -q --detach "$W" base

# enabled FILE.c: is FILE.o built by the config in $B? From the Makefiles:
# "obj-$(CONFIG_X) += file.o" / "mmu-$(CONFIG_MMU) := ... file.o", and the
# same for each parent directory ("obj-$(CONFIG_FUTEX) += futex/").
enabled() {
	local f=$1 dir name sym
	dir=$(dirname "$f") name=$(basename "$f" .c).o
	while [ "$dir" != . ]; do
		sym=$(awk -v n="$name" '
			{ line = line $0 }
			/\\$/ { sub(/\\$/, "", line); next }
			{ if (line ~ /^[a-z-]+(\$\(CONFIG_[A-Z0-9_]+\)|y)[ \t]*[:+]?=/ && (" " line " ") ~ ("[ \t=]" n "[ \t]")) {
				  if (match(line, /CONFIG_[A-Z0-9_]+/)) print substr(line, RSTART, RLENGTH); else print "y"; exit }
			  line = "" }' "$W/$dir/Makefile")
		[ -n "$sym" ] || return 1    # not found: treat as not built
		[ "$sym" = y ] || grep -q "^$sym=y" "$B/.config" || return 1
		name=$(basename "$dir")/ dir=$(dirname "$dir")
	done
}

# warnings LOG: the warning/error lines of a build log, without line numbers
# (a patch moves code), one per line, sorted.
warnings() {
	grep -E '(warning|error):' "$1" | sed -E 's/^([^:]+):[0-9]+:[0-9]+:/\1:/; s#^.*/(kernel|mm|include|arch)/#\1/#' | LC_ALL=C sort -u || true
}

printf '%-18s %-8s %s\n' target result detail >"$L/matrix.txt"
total=0 bad=0
for row in "${MATRIX[@]}"; do
	read -r name arch cross opts <<<"$row"
	if [ -n "$only" ]; then case ",$only," in *",$name,"*) ;; *) continue ;; esac
	elif [ "$fast" = yes ]; then case " $FAST " in *" $name "*) ;; *) continue ;; esac; fi
	total=$((total + 1))
	[ "$cross" = - ] && cross=
	if [ -n "$cross" ] && ! command -v "${cross}gcc" >/dev/null; then
		echo "$name: no ${cross}gcc (tools/deps.sh installs the cross compilers)" >&2
		printf '%-18s %-8s %s\n' "$name" FAIL "no ${cross}gcc" >>"$L/matrix.txt"; bad=$((bad + 1)); continue
	fi
	B=$WORK/bm/build-$base-$name
	log=$L/$name.log
	mkdir -p "$B"
	bm() { make -C "$W" O="$B" ARCH="$arch" ${cross:+CROSS_COMPILE=$cross} "$@"; }
	kgit -C "$W" checkout -q --detach base
	# the common options, less those the target sets, then the target's
	frag=$B/target.config
	own=$(for o in $opts; do echo "CONFIG_${o%%=*}"; done)
	grep -v '^#' "$REPO/configs/buildmatrix.config" | grep -vwF -f <(echo "$own") >"$frag" || true
	for o in $opts; do
		case ${o#*=} in n) echo "# CONFIG_${o%%=*} is not set" ;; *) echo "CONFIG_$o" ;; esac
	done >>"$frag"
	{ bm tinyconfig && ARCH=$arch "$W/scripts/kconfig/merge_config.sh" -m -O "$B" "$B/.config" "$frag" && bm olddefconfig; } >"$log" 2>&1 ||
		{ printf '%-18s %-8s %s\n' "$name" FAIL "config failed (see $log)" >>"$L/matrix.txt"; bad=$((bad + 1)); continue; }
	# every option asked for must hold; else this target cannot be built here
	unmet=()
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) grep -qxF -- "$line" "$B/.config" || unmet+=("${line#CONFIG_}") ;;
		"# CONFIG_"*" is not set") s=${line#\# }; s=${s%% *}; ! grep -q "^$s=" "$B/.config" || unmet+=("${s#CONFIG_}=n") ;;
		esac
	done <"$frag"
	if [ ${#unmet[@]} -gt 0 ]; then
		printf '%-18s %-8s %s\n' "$name" N/A "not buildable here: Kconfig refuses ${unmet[*]}" >>"$L/matrix.txt"
		echo "$name: not buildable: ${unmet[*]}" >&2
		continue
	fi
	sparse=
	[ "$arch" = x86_64 ] && [ "$name" = x86_64 ] && command -v sparse >/dev/null && sparse=C=1
	if ! bm -j"$(nproc)" prepare >>"$log" 2>&1; then
		printf '%-18s %-8s %s\n' "$name" FAIL "make prepare failed at base (see $log)" >>"$L/matrix.txt"; bad=$((bad + 1)); continue
	fi
	objs=()
	for f in "${files[@]}"; do enabled "$f" && objs+=("${f%.c}.o"); done
	echo "== $name: objects: ${objs[*]:-none}" >>"$log"
	# base first: what W=1/sparse already say there; then each patch
	status=clean detail= i=0 basew=$B/warn.base
	for c in base "${commits[@]}"; do
		kgit -C "$W" checkout -q --detach "$c"
		plog=$B/patch-$i.log
		# C=2: sparse on every given object, rebuilt or not
		if [ ${#objs[@]} -gt 0 ] && ! bm -j"$(nproc)" W=1 ${sparse:+C=2} CC="ccache ${cross}gcc" "${objs[@]}" >"$plog" 2>&1; then
			if [ "$c" = base ]; then status=FAIL detail="base does not build (see $log)"; cat "$plog" >>"$log"; break; fi
			status=FAIL detail="${detail:+$detail; }patch $i does not build"
		fi
		cat "$plog" >>"$log"
		if [ "$c" = base ]; then warnings "$plog" >"$basew"
		else
			new=$(LC_ALL=C comm -13 "$basew" <(warnings "$plog") | head -3)
			if [ -n "$new" ]; then
				status=FAIL detail="${detail:+$detail; }patch $i: $(echo "$new" | head -1)"
				echo "== $name patch $i new warnings:" >>"$L/new-warnings.txt"; echo "$new" >>"$L/new-warnings.txt"
			fi
		fi
		i=$((i + 1))
	done
	nb=$(wc -l <"$basew" 2>/dev/null || echo 0)
	[ "$status" = clean ] && detail="${#commits[@]} patches, ${#objs[@]} objects (${objs[*]}), W=1${sparse:+ + sparse}; $nb base warning(s)"
	[ "$status" = clean ] || bad=$((bad + 1))
	printf '%-18s %-8s %s\n' "$name" "$status" "$detail" >>"$L/matrix.txt"
	echo "$name: $status" >&2
done
echo "# series $series_id ($base), $(date -u +%F); $total target(s), $bad not clean" >>"$L/matrix.txt"
cat "$L/matrix.txt"
[ "$total" -gt 0 ] || die "buildmatrix: no target matches '${only}'"
[ "$bad" = 0 ] || die "buildmatrix: $bad of $total target(s) not clean (see $L/)"
