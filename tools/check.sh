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
# Docs: the tree's scripts/kernel-doc -none -Wall on every .c/.h the series
# touches must report nothing the same files at base did not already report
# (line numbers ignored); the .rst files the series touches are built with
# Sphinx (Debian's python3-sphinx) through the tree's "make htmldocs" limited
# to their directories (SPHINXDIRS, O= a scratch dir: seconds, not the whole
# book), and any warning about them fails, except cross references that the
# partial build cannot see but that exist in the tree (printed as notes).
# Also printed, never failing: whether this machine's sparse can parse the
# tree under __CHECKER__ (Debian 12's 0.6.4 cannot parse 7.x: see README).
. "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || set -- $BASES
for b in "$@"; do check_base "$b"; done
failed=()

# docs_check <base> <tree>: kernel-doc and Sphinx on what the series touches;
# appends to failed[].
docs_check() {
	local base=$1 T=$2 d f rc ndoc=0 nrst=0 Tp
	Tp=$(cd "$T" && pwd -P)
	d=$(mktemp -d "$WORK/tmp/check-docs-$base.XXXXXX")
	mapfile -t files < <(kgit -C "$T" diff --name-only --diff-filter=d base..series)
	# kernel-doc: series versus base, each from git (whatever is checked out).
	local src=() old=()
	for f in "${files[@]}"; do case "$f" in *.c|*.h) src+=("$f") ;; esac; done
	if [ ${#src[@]} -gt 0 ]; then
		mkdir -p "$d/base" "$d/series"
		kgit -C "$T" archive series -- "${src[@]}" | tar -x -C "$d/series"
		mapfile -t old < <(kgit -C "$T" ls-tree -r --name-only base -- "${src[@]}")
		[ ${#old[@]} -eq 0 ] || kgit -C "$T" archive base -- "${old[@]}" | tar -x -C "$d/base"
		kdoc() { # dir files...: diagnostics, line numbers dropped, sorted
			local dir=$1; shift; [ $# -gt 0 ] || return 0
			(cd "$dir" && PYTHONDONTWRITEBYTECODE=1 PATH=/usr/bin:/bin:$PATH "$T/scripts/kernel-doc" -none -Wall "$@" 2>&1) >"$d/kd.raw" || rc=$?
			if grep -q -E 'Traceback|^Can.t locate|^usage:' "$d/kd.raw"; then
				sed 's/^/  kernel-doc: /' "$d/kd.raw" | tail -5 >&2; return 1
			fi
			sed -E -e 's/^(Warning: )?([^ :]+\.[ch]):[0-9]+:? /\2: /' -e '/^[[:space:]]*$/d' "$d/kd.raw" | LC_ALL=C sort -u
		}
		rc=0
		if ! kdoc "$d/series" "${src[@]}" >"$d/kd.series" || ! kdoc "$d/base" ${old[@]+"${old[@]}"} >"$d/kd.base"; then
			failed+=("$base: scripts/kernel-doc failed to run")
		else
			LC_ALL=C comm -13 "$d/kd.base" "$d/kd.series" >"$d/kd.new"
			if [ -s "$d/kd.new" ]; then
				sed "s#^#  $base: kernel-doc: #" "$d/kd.new" >&2
				failed+=("$base: kernel-doc -Wall: $(wc -l <"$d/kd.new") new warning(s) in the files the series touches")
			fi
			ndoc=${#src[@]}
		fi
	fi
	# Sphinx on the touched .rst files, per nearest directory with an index.rst.
	local rst=() dirs=() x
	for f in "${files[@]}"; do case "$f" in Documentation/*.rst) rst+=("$f") ;; esac; done
	if [ ${#rst[@]} -gt 0 ]; then
		if ! command -v sphinx-build >/dev/null; then
			failed+=("$base: sphinx-build missing (Debian: apt-get install python3-sphinx python3-yaml)")
		else
			for f in "${rst[@]}"; do
				x=$(dirname "$f")
				while [ "$x" != Documentation ] && [ ! -f "$T/$x/index.rst" ]; do x=$(dirname "$x"); done
				[ "$x" = Documentation ] && x=$(cut -d/ -f1-2 <<<"$f")
				dirs+=("${x#Documentation/}")
			done
			mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | LC_ALL=C sort -u)
			rc=0
			PYTHONDONTWRITEBYTECODE=1 PATH=/usr/bin:/bin:$PATH timeout 600 \
				make -s -C "$T" O="$d/docs" SPHINXDIRS="${dirs[*]}" htmldocs >"$d/sphinx.log" 2>&1 || rc=$?
			if [ "$rc" != 0 ]; then
				tail -5 "$d/sphinx.log" | sed "s#^#  $base: htmldocs: #" >&2
				failed+=("$base: make htmldocs SPHINXDIRS=\"${dirs[*]}\" failed (rc $rc)")
			fi
			local w n=0 lbl doc
			for f in "${rst[@]}"; do
				while IFS= read -r w; do
					lbl=$(sed -n "s/.*WARNING: undefined label: '\(.*\)'.*/\1/p" <<<"$w")
					doc=$(sed -n "s/.*WARNING: unknown document: '\(.*\)'.*/\1/p" <<<"$w")
					if [ -n "$lbl" ] && grep -rqiE "^\.\. _$lbl:" "$T/Documentation"; then
						note "check $base: ${w#"$Tp/"} (outside SPHINXDIRS, exists in the tree)"
					elif [ -n "$doc" ] && { [ -f "$T/Documentation/${doc#/}.rst" ] || [ -f "$T/$(dirname "$f")/$doc.rst" ]; }; then
						note "check $base: ${w#"$Tp/"} (outside SPHINXDIRS, exists in the tree)"
					else
						echo "  $base: sphinx: ${w#"$Tp/"}" >&2; n=$((n + 1))
					fi
				done < <(grep -E "(WARNING|ERROR|SEVERE|CRITICAL)" "$d/sphinx.log" | grep -F -e "$T/$f:" -e "$Tp/$f:" || true)
			done
			[ "$n" = 0 ] || failed+=("$base: Sphinx: $n warning(s) in the .rst files the series touches")
			nrst=${#rst[@]}
		fi
	fi
	# sparse: report only here (make buildmatrix runs it where it can)
	if why=$(sparse_usable "$T"); then note "check $base: $why: C=1 usable (make buildmatrix runs it)"
	else note "check $base: $why: C=1 not usable"; fi
	rm -rf "$d"
	echo ">> check $base: docs: kernel-doc -Wall on $ndoc .c/.h file(s), Sphinx on $nrst .rst file(s)"
}

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
	# (an export for checkpatch only, never sent: the placeholder identity
	# the stored patches carry is allowed here)
	KDEV_MAIL_ALLOW_PLACEHOLDER=1 KDEV_MAIL_DIR=$mail "$REPO/tools/mail.sh" "$base" >&2 || { failed+=("$base: mail export failed"); continue; }
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
		case "$(basename "$m")" in *0000-cover-letter.patch) continue ;; esac
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
	docs_check "$base" "$T"
	[ ${#failed[@]} -eq "$nf" ] && echo ">> check $base: ${#patches[@]} patch(es) apply, checkpatch --strict clean ($nexc accepted exception(s), listed above), docs clean"
done
if [ ${#failed[@]} -gt 0 ]; then
	printf '  %s\n' "${failed[@]}" >&2
	die "check failed: ${failed[*]}"
fi
