#!/bin/bash
# Usage: tools/check.sh [<base>...]      (default: all bases)
# For each base: the series applies (tools/tree.sh), stored patches carry an
# Assisted-by tag and no Signed-off-by, and the tree's scripts/checkpatch.pl
# --strict is clean (no ERROR/WARNING/CHECK) on the mail export (in a tree
# made from a tarball, UNKNOWN_COMMIT_ID is ignored: no history). An empty
# series fails: there is nothing to vouch for.
# series/<base>/checkpatch-exceptions may accept one checkpatch message type
# for one patch, with the reason: "<patch file> <TYPE> <reason>" per line.
# Each accepted exception is printed; one naming a patch that is not in the
# series, or without a reason, fails the check.
. "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || set -- $BASES
for b in "$@"; do check_base "$b"; done
failed=()
for base in "$@"; do
	nf=${#failed[@]}
	SD=$(series_dir "$base")
	if ! "$REPO/tools/tree.sh" "$base" >&2; then failed+=("$base: series does not apply"); continue; fi
	mapfile -t patches < <(series_patches "$base")
	if [ ${#patches[@]} -eq 0 ]; then failed+=("$base: series is empty"); continue; fi
	for p in "${patches[@]}"; do
		grep -q '^Signed-off-by:' "$SD/$p" && failed+=("$base: $p carries a Signed-off-by (added by make mail only)")
		grep -q '^Assisted-by: ' "$SD/$p" || failed+=("$base: $p has no Assisted-by: tag")
	done
	T=$(tree_dir "$base")
	mail="$WORK/tmp/check-mail-$base"
	# checkpatch wants the author's Signed-off-by, which "make mail" adds for
	# the submitter: here sign off as the author of the first patch.
	first=$(kgit -C "$T" rev-list --reverse base..series | sed -n 1p)
	KDEV_SIGNOFF_NAME=$(kgit -C "$T" log -1 --format=%an "$first")
	KDEV_SIGNOFF_EMAIL=$(kgit -C "$T" log -1 --format=%ae "$first")
	export KDEV_SIGNOFF_NAME KDEV_SIGNOFF_EMAIL
	KDEV_MAIL_DIR=$mail "$REPO/tools/mail.sh" "$base" >&2 || { failed+=("$base: mail export failed"); continue; }
	# A tree made from a tarball has no history: checkpatch cannot know the
	# commit ids that patches cite, so that one check is skipped there.
	cp_ignore=()
	[ "$(kgit -C "$T" rev-list --count base)" = 1 ] && cp_ignore=(--ignore UNKNOWN_COMMIT_ID)
	# Read the accepted exceptions once: exc_types[patch] = "TYPE ...".
	declare -A exc_types=()
	exc_lines=() nexc=0
	if [ -f "$SD/checkpatch-exceptions" ]; then
		while read -r ep et er; do
			case "$ep" in ''|'#'*) continue ;; esac
			[ -n "$er" ] || failed+=("$base: checkpatch exception for $ep $et gives no reason")
			printf '%s\n' "${patches[@]}" | grep -qxF "$ep" ||
				failed+=("$base: checkpatch exception names $ep, which is not in the series")
			exc_types[$ep]+="$et "
			exc_lines+=(">> check $base: $ep: checkpatch $et accepted: $er")
			nexc=$((nexc + 1))
		done <"$SD/checkpatch-exceptions"
	fi
	[ ${#exc_lines[@]} -eq 0 ] || printf '%s\n' "${exc_lines[@]}"
	for m in "$mail"/*.patch; do
		case "$(basename "$m")" in 0000-*) continue ;; esac
		p_ignore=()
		for et in ${exc_types[$(basename "$m")]:-}; do p_ignore+=(--ignore "$et"); done
		# /usr/bin first: checkpatch's spdxcheck.py needs Debian's python3-ply/-git.
		out=$(cd "$T" && PATH=/usr/bin:/bin:$PATH scripts/checkpatch.pl --strict --no-summary ${cp_ignore[@]+"${cp_ignore[@]}"} ${p_ignore[@]+"${p_ignore[@]}"} "$m" 2>&1) || true
		if grep -q -E '^(ERROR|WARNING|CHECK):' <<<"$out"; then
			sed "s#^#  $base/$(basename "$m"): #" <<<"$out" >&2
			failed+=("$base: checkpatch complains about $(basename "$m")")
		fi
	done
	rm -rf "$mail"
	[ ${#failed[@]} -eq "$nf" ] && echo ">> check $base: ${#patches[@]} patch(es) apply, checkpatch --strict clean ($nexc accepted exception(s), listed above)"
done
if [ ${#failed[@]} -gt 0 ]; then
	printf '  %s\n' "${failed[@]}" >&2
	die "check failed: ${failed[*]}"
fi
