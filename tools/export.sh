#!/bin/bash
# Usage: tools/export.sh <base>
# Write the commits base..series of $WORK/tree/<base> back to series/<base>/
# (NNNN-*.patch + the "series" file). Stored patches carry no Signed-off-by;
# tools/mail.sh adds yours when you send.
. "$(dirname "$0")/lib.sh"
base=${1:-}; check_base "$base"
T=$(tree_dir "$base")
SD=$(series_dir "$base")
[ -d "$T/.git" ] || die "no tree $T; run tools/tree.sh $base first"
kgit -C "$T" rev-parse --verify -q series >/dev/null || die "$T has no branch 'series'"
mkdir -p "$SD" "$WORK/tmp"
tmp=$(mktemp -d "$WORK/tmp/export-$base.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
format_patch "$T" --zero-commit -o "$tmp/out" base..series >/dev/null
mkdir -p "$tmp/out"
(cd "$tmp/out" && ls | sort) >"$tmp/series"
# Replace the stored files only now that the whole export succeeded.
find "$SD" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete
cp "$tmp"/out/*.patch "$SD"/ 2>/dev/null || true
cp "$tmp/series" "$SD/series"
echo ">> exported $(wc -l <"$SD/series") patch(es) to $SD"
