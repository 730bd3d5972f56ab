#!/bin/bash
# Usage: tools/mail.sh <base>
# Export base..series of $WORK/tree/<base> for git send-email into
# $WORK/mail/<base>/ (KDEV_MAIL_DIR overrides): your Signed-off-by (from
# git config user.name/user.email; refused if unset), a cover letter from
# series/<base>/cover-letter.txt when present (first line = subject, rest =
# body; shortlog and diffstat added by git), and a base-commit: footer.
. "$(dirname "$0")/lib.sh"
base=${1:-}; check_base "$base"
T=$(tree_dir "$base")
SD=$(series_dir "$base")
OUT=${KDEV_MAIL_DIR:-$WORK/mail/$base}
if [ -n "${KDEV_SIGNOFF_NAME:-}" ]; then
	uname=$KDEV_SIGNOFF_NAME; uemail=${KDEV_SIGNOFF_EMAIL:?}
else
	uname=$(git -C "$REPO" config user.name || true)
	uemail=$(git -C "$REPO" config user.email || true)
	[ -n "$uname" ] && [ -n "$uemail" ] ||
		die "git config user.name and user.email must be set: they sign off the patches"
fi
[ -d "$T/.git" ] || die "no tree $T; run tools/tree.sh $base first"
n=$(kgit -C "$T" rev-list --count base..series 2>/dev/null) || die "$T has no branch 'series'"
[ "$n" -gt 0 ] || die "series/$base is empty: nothing to mail"
mkdir -p "$WORK/tmp" "$(dirname "$OUT")"
tmp=$(mktemp -d "$WORK/tmp/mail-$base.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cover=()
[ -f "$SD/cover-letter.txt" ] && cover=(--cover-letter)
FP_GIT_OPTS=(-c "user.name=$uname" -c "user.email=$uemail")
format_patch "$T" --signoff --base="$(kgit -C "$T" rev-parse base)" ${cover[@]+"${cover[@]}"} \
	-o "$tmp/out" base..series >/dev/null
if [ ${#cover[@]} -gt 0 ]; then
	c=$(ls "$tmp"/out/0000-*.patch)
	subject=$(head -1 "$SD/cover-letter.txt")
	tail -n +2 "$SD/cover-letter.txt" | sed '1{/^$/d}' >"$tmp/body"
	SUBJ=$subject awk -v body="$tmp/body" '
		/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, ENVIRON["SUBJ"]); print; next }
		/^\*\*\* BLURB HERE \*\*\*$/ { while ((getline l < body) > 0) print l; next }
		{ print }' "$c" >"$tmp/cover" && mv "$tmp/cover" "$c"
fi
rm -rf "$OUT"; mv "$tmp/out" "$OUT"
echo ">> $(ls "$OUT" | wc -l) mail(s) in $OUT (signed off by $uname <$uemail>)"
