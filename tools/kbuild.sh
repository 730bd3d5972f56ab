#!/bin/bash
# Usage: tools/kbuild.sh <base> <variant>      variant: stock | bad | fix | layer1 | patched | v1 | v2
# Build the guest kernel of one variant in $WORK/build/<base>-<variant>:
#   stock = branch base, bad = branch known-bad, patched = branch series.
# One source tree per base; variants are switched with git checkout (only
# changed files get new mtimes). A missing build dir is seeded from the
# stock one (layer1 and v2: from the patched one, when it is built) with
# cp -a, so only the objects that differ are rebuilt.
# Config: tinyconfig + configs/guest.config + configs/debug.config
# + configs/guest-<base>.config if there is one (6.12: hugetlbfs)
# + configs/guest-<arch>.config (KDEV_ARCH=x86_64, the default, or arm64:
# cross-built with aarch64-linux-gnu-gcc into <build dir>-arm64)
# + the tree's tools/testing/selftests/mm/config (as CI systems merge it;
# KDEV_MM_CONFIG=0 leaves it out), then every option of our own fragments is
# checked to be really set. Options of the mm fragment that a tinyconfig
# guest cannot have (modules, debugfs, ...) are listed, not fatal.
. "$(dirname "$0")/lib.sh"
base=${1:-}; variant=${2:-}
check_base "$base"; check_variant "$variant"
need_cross_cc    # KDEV_ARCH (tools/lib.sh)
T=$(tree_dir "$base")
B=$(build_dir "$base" "$variant")
S=$(build_dir "$base" stock)
branch=$(variant_branch "$variant")
[ -d "$T/.git" ] || die "no tree $T; run tools/tree.sh $base first"
kgit -C "$T" rev-parse --verify -q "$branch" >/dev/null || die "$T has no branch '$branch' (run tools/tree.sh $base)"
if [ "$variant" = patched ] && [ "$(kgit -C "$T" rev-parse base)" = "$(kgit -C "$T" rev-parse series)" ]; then
	die "series/$base is empty: nothing to build for $base-patched"
fi
debug_config    # KDEV_DEBUG=normal|heavy|none: DEBUG_FRAGS, DEBUG_SUFFIX
frags=("$REPO/configs/guest.config" ${DEBUG_FRAGS[@]+"${DEBUG_FRAGS[@]}"})
# What one base needs on top, e.g. for its own kselftest runner
[ ! -f "$REPO/configs/guest-$base.config" ] || frags+=("$REPO/configs/guest-$base.config")
# ... and one architecture (x86_64: compat; arm64: the virt machine's UART)
guest_arch
[ ! -f "$REPO/configs/guest-$GARCH.config" ] || frags+=("$REPO/configs/guest-$GARCH.config")
# ARCH always (an ARCH in the caller's environment must not leak in)
kmake() { make -C "$T" O="$B" ARCH="$KARCH" ${KCROSS:+CROSS_COMPILE=$KCROSS} "$@"; }
strict=${#frags[@]}
if [ "${KDEV_MM_CONFIG:-1}" = 1 ]; then frags+=("$T/tools/testing/selftests/mm/config"); fi

lock_tree "$base"
mkdir -p "$WORK/locks"
exec 8>"$WORK/locks/kbuild"
flock 8
wait_for_builds
require_clean_tree "$T"
kgit -C "$T" checkout -q "$branch"
commit=$(kgit -C "$T" rev-parse HEAD)

# layer1 and v2 share task_struct's layout with the series, not with stock:
# seeded from the patched build when there is one, they rebuild a few files.
seed=$S
case $variant in layer1|v2) [ -f "$(build_dir "$base" patched)/kdev-ok" ] && seed=$(build_dir "$base" patched) ;; esac
if [ "$variant" != stock ] && [ ! -d "$B" ] && [ -f "$seed/kdev-ok" ]; then
	note "seeding $B from $seed"
	rm -rf "$B.tmp"; cp -a "$seed" "$B.tmp"; rm -f "$B.tmp/kdev-ok"; mv "$B.tmp" "$B"
fi
mkdir -p "$B"
rm -f "$B/kdev-ok"     # only a finished, verified build carries this marker

cfghash=$(cat "${frags[@]}" | sha256sum | cut -c1-16)
if [ -f "$B/.config" ] && [ "$(cat "$B/kdev-config" 2>/dev/null)" = "$cfghash" ]; then
	note "config of $B is up to date"
else
	note "configuring $B"
	{
		kmake tinyconfig &&
		ARCH=$KARCH "$T/scripts/kconfig/merge_config.sh" -m -O "$B" "$B/.config" "${frags[@]}" &&
		kmake olddefconfig
	} >"$B/config.log" 2>&1 || { tail -20 "$B/config.log" >&2; die "configuring $B failed (see $B/config.log)"; }
fi
missing=() unmet=() i=0
for f in "${frags[@]}"; do
	i=$((i + 1))
	if [ "$i" -gt "$strict" ]; then
		while IFS= read -r line; do
			case "$line" in CONFIG_*=*) grep -qxF -- "$line" "$B/.config" || unmet+=("$line") ;; esac
		done <"$f"
		continue
	fi
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) grep -qxF -- "$line" "$B/.config" || missing+=("$line") ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$B/.config" && missing+=("$line") ;;
		esac
	done <"$f"
done
[ ${#missing[@]} -eq 0 ] || die "options not set in $B/.config: ${missing[*]}"
[ ${#unmet[@]} -eq 0 ] || note "mm selftest config options this tinyconfig guest does not have: ${unmet[*]}"
echo "$cfghash" >"$B/kdev-config"

note "building $(tree_name "$base")-$variant$ARCH_SUFFIX ($branch $(echo "$commit" | cut -c1-12)) in $B"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
t0=$(now)
if ! run_with_progress "building $(tree_name "$base")-$variant$ARCH_SUFFIX" "$B/build.log" \
	kmake CC="ccache ${KCROSS}gcc" -j"$(nproc)" "$KTARGET" headers; then
	grep -E 'error|Error' "$B/build.log" | head -20 >&2 || true
	die "build of $(tree_name "$base")-$variant$ARCH_SUFFIX failed (see $B/build.log)"
fi
secs=$(( $(now) - t0 ))
[ -f "$B/$KIMAGE" ] || die "no $KIMAGE in $B"
printf 'commit=%s\nbranch=%s\nseconds=%s\n' "$commit" "$branch" "$secs" >"$B/kdev-ok"
echo ">> built $(tree_name "$base")-$variant$ARCH_SUFFIX in ${secs}s: $B/$KIMAGE"
