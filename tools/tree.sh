#!/bin/bash
# Usage: tools/tree.sh <base>          (KSRC=/path/to/your/linux to use your own tree)
# Materialise $WORK/tree/<base> as a git repo with branches:
#   base       pristine source, one deterministic commit (or your KSRC's HEAD)
#   series     base + series/<base>/* applied with git am
#   known-bad  base + tests/known-bad/<base>-no-reaper-delay.patch
#   fix        the first commit of series (the swapped-list fix alone)
#   layer1     series up to the last patch of layer 1 (series/<base>/layers);
#              left out when that file names no layer1
#   v1, v2     base + series-v1/<base>/*, series-v2/<base>/* (earlier
#              versions of the series, frozen; the "v1" and "v2" variants);
#              each left out when its directory does not exist
# The tree is left checked out on "series", ready for editing; export with
# tools/export.sh. Note: Debian's top-level .gitignore contains "/*", so new
# files in the tree must be added with "git add -f".
. "$(dirname "$0")/lib.sh"
base=${1:-}; check_base "$base"
T=$(tree_dir "$base")
SD=$(series_dir "$base")
KNOWN_BAD="${KDEV_KNOWN_BAD_DIR:-$REPO/tests/known-bad}/$base-no-reaper-delay.patch"
mkdir -p "$WORK/tree" "$WORK/tmp"

# Validate everything before touching anything.
if [ -n "${KSRC:-}" ]; then
	[ -d "$KSRC" ] || die "KSRC=$KSRC does not exist"
	is_kernel_tree "$KSRC" || die "KSRC=$KSRC is not a Linux kernel source tree"
	git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1 || die "KSRC=$KSRC is not a git repository"
	KREV=$(git -C "$KSRC" rev-parse --verify "${KSRC_REF:-HEAD}^{commit}" 2>/dev/null) ||
		die "KSRC=$KSRC has no commit ${KSRC_REF:-HEAD}"
fi
mapfile -t PATCHES < <(series_patches "$base")
for p in "${PATCHES[@]}"; do [ -f "$SD/$p" ] || die "$SD/series lists $p, which does not exist"; done
# LAYER1_N: the position of layer 1's last patch in the series (0: no layers)
LAYER1_N=0
if [ -f "$SD/layers" ]; then
	end=$(series_layer_end "$base" layer1) || die "$SD/layers names no layer1"
	i=0
	for p in "${PATCHES[@]}"; do i=$((i + 1)); [ "$p" != "$end" ] || LAYER1_N=$i; done
	[ "$LAYER1_N" -gt 0 ] || die "$SD/layers: layer1 ends with $end, which $SD/series does not list"
fi
for v in v1 v2; do
	d=$(series_prev_dir "$v" "$base")
	[ -f "$d/series" ] || continue
	for p in $(series_list "$d"); do [ -f "$d/$p" ] || die "$d/series lists $p, which does not exist"; done
done

lock_tree "$base"

create_from_tarball() {
	local tarball msg tmp
	tarball=$("$REPO/tools/base.sh" "$base")
	case "$base" in
	mainline) msg="Debian linux-source-7.2 7.2.13-1" ;;
	6.12) case $tarball in
		*_*.tar.xz) msg=${tarball##*_}; msg="Debian linux-source-6.12 ${msg%.tar.xz}" ;;
		*) msg="Debian linux-source-6.12 $(dpkg-query -W -f='${Version}' linux-source-6.12)" ;;
		esac ;;
	esac
	tmp=$(mktemp -d "$WORK/tree/.$base.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	note "extracting $tarball"
	tar -xJf "$tarball" --strip-components=1 -C "$tmp"
	is_kernel_tree "$tmp" || die "$tarball does not contain a kernel tree"
	note "committing the base tree (git add -f: Debian's .gitignore has /*)"
	kgit -C "$tmp" init -q -b base
	kgit -C "$tmp" add -f -A .
	GIT_AUTHOR_NAME=base GIT_AUTHOR_EMAIL=base@localhost GIT_AUTHOR_DATE=2026-01-01T00:00:00Z \
	GIT_COMMITTER_NAME=base GIT_COMMITTER_EMAIL=base@localhost GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
		GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git -C "$tmp" commit -q -m "$msg"
	mv "$tmp" "$T"
	trap - EXIT
}

create_from_ksrc() {
	local tmp
	tmp=$(mktemp -d "$WORK/tree/.$base-ksrc.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	note "cloning $KSRC (shared objects, your checkout and branches are not touched)"
	kgit clone -q --shared --no-checkout "$KSRC" "$tmp"
	kgit -C "$tmp" checkout -q -B base "$KREV"
	mv "$tmp" "$T"
	trap - EXIT
}

if [ ! -d "$T/.git" ]; then
	[ -e "$T" ] && die "$T exists but is not a git tree; remove it"
	if [ -n "${KSRC:-}" ]; then create_from_ksrc; else create_from_tarball; fi
fi
kgit -C "$T" rev-parse --verify -q base >/dev/null || die "$T has no branch 'base'"
if [ -n "${KSRC:-}" ] && [ "$(kgit -C "$T" rev-parse base)" != "$KREV" ]; then
	die "$T was made from another KSRC commit; remove it to start again"
fi

wait_for_tree_users "$T"
require_clean_tree "$T"

# Apply patches on a detached HEAD at base; print the resulting commit.
apply() {
	local what=$1; shift
	kgit -C "$T" checkout -q --detach base
	local p
	for p in "$@"; do
		if ! kgit -C "$T" am -q --committer-date-is-author-date "$p" >"$WORK/tmp/am.log" 2>&1; then
			kgit -C "$T" am --abort >/dev/null 2>&1 || true
			kgit -C "$T" checkout -q --detach base
			die "$what: $(basename "$p") does not apply to $base (see $WORK/tmp/am.log)"
		fi
	done
	kgit -C "$T" rev-parse HEAD
}

# Same commits (authors, dates, messages) and same resulting tree?
same_series() {
	[ "$(kgit -C "$T" log --format='%an%ae%ad%B' "base..$1")" = "$(kgit -C "$T" log --format='%an%ae%ad%B' "base..$2")" ] &&
	[ "$(kgit -C "$T" rev-parse "$1^{tree}")" = "$(kgit -C "$T" rev-parse "$2^{tree}")" ]
}

# Does the series branch already export to exactly the stored files? Then
# leave it (and the working tree's mtimes) alone.
series_current() {
	kgit -C "$T" rev-parse --verify -q series >/dev/null || return 1
	local d; d=$(mktemp -d "$WORK/tmp/tree-check.XXXXXX")
	format_patch "$T" --zero-commit -o "$d" base..series >/dev/null
	local ok=yes got
	got=$(cd "$d" && ls | LC_ALL=C sort)
	[ "$got" = "$(printf '%s\n' ${PATCHES[@]+"${PATCHES[@]}"})" ] || [ -z "$got$(printf '%s' ${PATCHES[@]+"${PATCHES[@]}"})" ] || ok=no
	if [ "$ok" = yes ]; then
		for p in ${PATCHES[@]+"${PATCHES[@]}"}; do cmp -s "$d/$p" "$SD/$p" || ok=no; done
	fi
	rm -rf "$d"
	[ "$ok" = yes ]
}

full=()
for p in ${PATCHES[@]+"${PATCHES[@]}"}; do full+=("$SD/$p"); done
if series_current; then
	new=$(kgit -C "$T" rev-parse series)
else
	new=$(apply "series/$base" ${full[@]+"${full[@]}"})
fi
if old=$(kgit -C "$T" rev-parse --verify -q series) && [ "$old" != "$new" ] && ! same_series "$old" "$new"; then
	bk="series-backup-$(date +%Y%m%d-%H%M%S)"
	kgit -C "$T" branch -q "$bk" "$old"
	note "branch series differed from series/$base (unexported edits?); kept it as $bk"
fi
[ "$(kgit -C "$T" rev-parse --verify -q series || true)" = "$new" ] || kgit -C "$T" branch -q -f series "$new"

# fix: the first patch of the series alone (the swapped-list fix, which
# stands on its own); follows the series branch.
first=$(kgit -C "$T" rev-list --reverse base..series)
first=${first%%$'\n'*}
if [ -n "$first" ]; then
	[ "$(kgit -C "$T" rev-parse --verify -q fix || true)" = "$first" ] || kgit -C "$T" branch -q -f fix "$first"
fi

if [ -f "$KNOWN_BAD" ]; then
	# No Date: header in the test patch: add a fixed one so the commit id is stable.
	kb="$WORK/tmp/known-bad-$base.patch"
	if grep -q '^Date:' "$KNOWN_BAD"; then cp "$KNOWN_BAD" "$kb"; else
		sed '1,/^$/{/^From:/a\
Date: Thu, 1 Jan 2026 00:00:00 +0000
}' "$KNOWN_BAD" >"$kb"; fi
	sum=$(sha256sum <"$kb" | cut -c1-64)
	if ! kgit -C "$T" rev-parse --verify -q known-bad >/dev/null ||
	   [ "$(kgit -C "$T" config kdev.known-bad || true)" != "$sum" ]; then
		bad=$(apply "known-bad" "$kb") || { kgit -C "$T" checkout -q series; exit 1; }
		kgit -C "$T" branch -q -f known-bad "$bad"
		kgit -C "$T" config kdev.known-bad "$sum"
	fi
else
	note "no $KNOWN_BAD: no known-bad branch"
fi

# layer1: the series up to the end of its first layer; follows the series
# branch.
if [ "$LAYER1_N" -gt 0 ]; then
	l1=$(kgit -C "$T" rev-list --reverse base..series | sed -n "${LAYER1_N}p")
	[ "$(kgit -C "$T" rev-parse --verify -q layer1 || true)" = "$l1" ] || kgit -C "$T" branch -q -f layer1 "$l1"
fi

# v1, v2: rebuilt only when the frozen patches (or their order) change.
for v in v1 v2; do
	d=$(series_prev_dir "$v" "$base")
	prev=()
	[ -f "$d/series" ] && mapfile -t prev < <(series_list "$d")
	if [ ${#prev[@]} -eq 0 ]; then
		note "no patches in $d: no $v branch"
		continue
	fi
	pfull=()
	for p in "${prev[@]}"; do pfull+=("$d/$p"); done
	sum=$( { printf '%s\n' "${prev[@]}"; cat "${pfull[@]}"; } | sha256sum | cut -c1-64)
	if ! kgit -C "$T" rev-parse --verify -q "$v" >/dev/null ||
	   [ "$(kgit -C "$T" config "kdev.$v" || true)" != "$sum" ]; then
		c=$(apply "series-$v/$base" "${pfull[@]}") || { kgit -C "$T" checkout -q series; exit 1; }
		kgit -C "$T" branch -q -f "$v" "$c"
		kgit -C "$T" config "kdev.$v" "$sum"
	fi
done
[ "$(kgit -C "$T" symbolic-ref -q HEAD || true)" = refs/heads/series ] || kgit -C "$T" checkout -q series
echo ">> tree $T: base $(kgit -C "$T" rev-parse --short=12 base), series $(kgit -C "$T" rev-list --count base..series) patch(es)"
