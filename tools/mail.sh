#!/bin/bash
# Usage: tools/mail.sh [-v N] <base>
# mainline: export base..series of $WORK/tree/<base> for git send-email into
# $WORK/mail/<base>/ (KDEV_MAIL_DIR overrides), offline. 6.12: a distro
# backport, mailed to no list: a DEP-3 patch queue (Origin, Forwarded,
# Last-Update; series file; README with a kernel ABI note) in
# $WORK/debian-patches/6.12/, authored and signed off like the mail:
#  - you as the author of every patch, with your Signed-off-by (git config
#    user.name/user.email; refused if unset or a placeholder at a reserved
#    domain such as *.example or example.org);
#  - a cover letter from series/<base>/cover-letter.txt when present (first
#    line = subject, rest = body; shortlog and diffstat added by git);
#  - To:/Cc: headers in every patch from the tree's scripts/get_maintainer.pl
#    (no git, no network): maintainers in To, reviewers and lists in Cc, plus
#    linux-api@vger.kernel.org for a patch that changes a syscall's behaviour
#    (see api_patch); the cover letter gets the union;
#  - mainline: subject prefix "RFC PATCH" (KDEV_MAIL_PREFIX overrides);
#  - -v N (N >= 2): subject prefix "... vN" and, in the cover letter, a
#    git range-diff against version N-1 (series-v<N-1>/<base>, applied on base
#    in the object store only: no checkout; KDEV_PREV_SERIES_ROOT overrides
#    series-v<N-1>);
#  - the base: with KSRC (your git tree) a real "base-commit: <sha>"; for a
#    tree made from a tarball, whose base commit is synthetic, a "base:" line
#    naming the upstream version, the Debian package and the upstream tag.
# Nothing is written to your tree (KSRC is only read through the harness's
# clone; the previous version's commits go into that clone's object store).
. "$(dirname "$0")/lib.sh"
ver=1
while [ $# -gt 0 ]; do
	case "$1" in
	-v) [ $# -ge 2 ] || die "-v needs a version number"; ver=$2; shift 2 ;;
	-v*) ver=${1#-v}; shift ;;
	-*) die "unknown option $1 (usage: tools/mail.sh [-v N] <base>)" ;;
	*) break ;;
	esac
done
base=${1:-}; check_base "$base"
case "$ver" in ''|*[!0-9]*|0*) die "version must be a number >= 1, not '$ver'" ;; esac
if [ "$base" != mainline ] && [ "$ver" != 1 ]; then
	note "-v $ver is for mailed versions: ignored for the $base backport, which is not mailed"
	ver=1
fi
T=$(tree_dir "$base")
SD=$(series_dir "$base")
OUT=${KDEV_MAIL_DIR:-$WORK/mail/$base}
LINUX_API=linux-api@vger.kernel.org
if [ -n "${KDEV_SIGNOFF_NAME:-}" ]; then
	uname=$KDEV_SIGNOFF_NAME; uemail=${KDEV_SIGNOFF_EMAIL:?}
else
	uname=$(git -C "$REPO" config user.name || true)
	uemail=$(git -C "$REPO" config user.email || true)
	[ -n "$uname" ] && [ -n "$uemail" ] ||
		die "git config user.name and user.email must be set: they sign off the patches"
fi
# A placeholder (a domain reserved by RFC 2606/6761, like this repository's
# own identity) must never author or sign off a mail that is sent; the
# harness's tests and check.sh's checkpatch export, which are never sent,
# say KDEV_MAIL_ALLOW_PLACEHOLDER=1.
dom=${uemail##*@}
case ${dom,,} in
example|invalid|test|localhost|example.com|example.org|example.net|*.example|*.invalid|*.test|*.localhost|*.example.com|*.example.org|*.example.net)
	[ "${KDEV_MAIL_ALLOW_PLACEHOLDER:-0}" = 1 ] ||
		die "git identity <$uemail> is a placeholder (a reserved domain): set git config user.name and user.email to yours" ;;
esac
[ -d "$T/.git" ] || die "no tree $T; run tools/tree.sh $base first"
n=$(kgit -C "$T" rev-list --count base..series 2>/dev/null) || die "$T has no branch 'series'"
[ "$n" -gt 0 ] || die "series/$base is empty: nothing to mail"
[ -x "$T/scripts/get_maintainer.pl" ] || die "$T has no scripts/get_maintainer.pl: cannot compute recipients"
prev_sd=
if [ "$ver" -ge 2 ]; then
	prev_sd=${KDEV_PREV_SERIES_ROOT:-$REPO/series-v$((ver - 1))}/$base
	[ -f "$prev_sd/series" ] ||
		die "no $prev_sd/series: version $((ver - 1)) of the series is needed for the range-diff of v$ver"
fi
mkdir -p "$WORK/tmp" "$(dirname "$OUT")"
tmp=$(mktemp -d "$WORK/tmp/mail-$base.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The base note. A harness tree made from a tarball has one synthetic commit
# "Debian <package> <version>": name the upstream version and tag instead.
base_opt=() base_note=
if [ -n "${KSRC:-}" ]; then
	base_opt=(--base="$(kgit -C "$T" rev-parse base)")
else
	msg=$(kgit -C "$T" log -1 --format=%s base)
	[[ $msg =~ ^Debian\ ([a-z0-9.+-]+)\ ([0-9][0-9A-Za-z.+~:-]*)$ ]] ||
		die "base commit of $T is not a harness tarball commit ('$msg'); use KSRC for a git tree"
	pkg=${BASH_REMATCH[1]} dver=${BASH_REMATCH[2]}
	# Upstream version from the Debian version: drop epoch and revision, ~rcN -> -rcN.
	up=${dver#*:}; up=${up%-*}; up=${up%%+*}; up=${up/\~rc/-rc}
	mk=$(kgit -C "$T" show base:Makefile)
	mkv() { sed -n "/^$1 *= */{s///p;q}" <<<"$mk"; }
	kver="$(mkv VERSION).$(mkv PATCHLEVEL)"
	[ "$(mkv SUBLEVEL)" = 0 ] || kver+=".$(mkv SUBLEVEL)"
	kver+=$(mkv EXTRAVERSION)
	[ "$up" = "$kver" ] || die "Debian version $dver ($up) does not match the tree's Makefile ($kver)"
	case "$up" in
	*.*.*) where="tag v$up in linux-stable" ;;
	*) where="tag v$up in mainline (torvalds/linux.git)" ;;
	esac
	base_note="base: Linux $up (Debian $pkg $dver), $where"
fi

# Apply a stored series onto base without a work tree (temporary index,
# git apply --cached, commit-tree); print the last commit.
apply_objects() {
	local sd=$1 p parent idx="$tmp/index" i=0
	parent=$(kgit -C "$T" rev-parse base)
	GIT_INDEX_FILE=$idx kgit -C "$T" read-tree base
	while read -r p; do
		[ -f "$sd/$p" ] || die "$sd/series lists $p, which does not exist"
		i=$((i + 1))
		kgit mailinfo "$tmp/am-msg" "$tmp/am-patch" <"$sd/$p" >"$tmp/am-info"
		GIT_INDEX_FILE=$idx kgit -C "$T" apply --cached "$tmp/am-patch" 2>"$tmp/am-err" ||
			die "$sd/$p does not apply to $base: $(head -1 "$tmp/am-err")"
		local tree a e d s
		tree=$(GIT_INDEX_FILE=$idx kgit -C "$T" write-tree)
		a=$(sed -n 's/^Author: //p' "$tmp/am-info"); e=$(sed -n 's/^Email: //p' "$tmp/am-info")
		d=$(sed -n 's/^Date: //p' "$tmp/am-info"); s=$(sed -n 's/^Subject: //p' "$tmp/am-info")
		{ printf '%s\n\n' "$s"; cat "$tmp/am-msg"; } >"$tmp/am-commit"
		parent=$(GIT_AUTHOR_NAME=$a GIT_AUTHOR_EMAIL=$e GIT_AUTHOR_DATE=$d \
			GIT_COMMITTER_NAME=$a GIT_COMMITTER_EMAIL=$e GIT_COMMITTER_DATE=$d \
			kgit -C "$T" commit-tree "$tree" -p "$parent" -F "$tmp/am-commit")
	done < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$sd/series")
	[ "$i" -gt 0 ] || die "$sd/series is empty: no previous version to compare with"
	echo "$parent"
}

vopt=() rd=()
# Mainline goes out as an RFC until every part has native-hardware numbers
# (KDEV_MAIL_PREFIX overrides, e.g. PATCH). The 6.12 series is a distro
# backport, not a stable request (stable takes only what mainline has): it is
# mailed to no list, see "a Debian-style patch queue" below.
vopt=(--subject-prefix="${KDEV_MAIL_PREFIX:-RFC PATCH}")
if [ "$ver" -ge 2 ]; then
	prev=$(apply_objects "$prev_sd")
	vopt+=(-v "$ver")
	rd=(--range-diff="base..$prev")
fi
cover=()
[ -f "$SD/cover-letter.txt" ] && cover=(--cover-letter)
# The sender is the author of every patch (the stored patches carry the
# repository's placeholder identity, which must never reach a list), with a
# matching Signed-off-by. Commits are rewritten in the object store only.
head=$(kgit -C "$T" rev-parse base)
while read -r cmt adate cdate; do
	kgit -C "$T" log -1 --format=%B "$cmt" >"$tmp/msg"
	head=$(GIT_AUTHOR_NAME=$uname GIT_AUTHOR_EMAIL=$uemail GIT_AUTHOR_DATE=$adate \
		GIT_COMMITTER_NAME=$uname GIT_COMMITTER_EMAIL=$uemail GIT_COMMITTER_DATE=$cdate \
		kgit -C "$T" commit-tree "$cmt^{tree}" -p "$head" -F "$tmp/msg")
done < <(kgit -C "$T" log --reverse --format='%H @%at @%ct' base..series)
FP_GIT_OPTS=(-c "user.name=$uname" -c "user.email=$uemail")

# 6.12: a Debian-style patch queue instead of mail. Each patch keeps its
# git header (From: = DEP-3 Author, Subject: = Description) and gets the
# DEP-3 fields Origin, Forwarded and Last-Update at the end of its
# description; a series file and a note on the kernel ABI go with them.
if [ "$base" != mainline ]; then
	format_patch "$T" --signoff --no-numbered ${base_opt[@]+"${base_opt[@]}"} \
		-o "$tmp/out" "base..$head" >/dev/null
	: >"$tmp/out/series"
	for p in "$tmp"/out/*.patch; do
		upd=$(sed -n 's/^Date: //p' "$p" | head -1)
		upd=$(date -u -d "$upd" +%F)
		awk -v upd="$upd" -v base="$base" '
			!done && /^---$/ {
				print "Origin: backport, the mainline (Linux 7.2) version of this series, posted as an RFC, not merged"
				print "Forwarded: not-needed (" base " backport; the mainline series is what goes upstream)"
				print "Last-Update: " upd
				done = 1
			}
			{ print }' "$p" >"$p.new" && mv "$p.new" "$p"
		grep -q '^Forwarded: ' "$p" || die "no description end ('---') in $(basename "$p")"
		basename "$p" >>"$tmp/out/series"
	done
	{
		echo "$base backport of the robust futex / OOM reaper series: a distro patch queue"
		echo "(DEP-3 headers), not mailed to any list and not a stable request."
		[ -z "$base_note" ] || echo "$base_note"
		echo
		echo "Kernel ABI: changes to headers that define structures of the kernel ABI"
		echo "(task_struct, mm_struct, signal_struct):"
		kgit -C "$T" diff --stat base..series -- include/linux/sched.h include/linux/mm_types.h \
			include/linux/sched/signal.h | sed 's/^/  /'
		kgit -C "$T" diff base..series -- include/linux/sched.h include/linux/mm_types.h \
			include/linux/sched/signal.h | grep -E '^[-+][^-+]' | sed 's/^/  /'
	} >"$tmp/out/README"
	OUT=${KDEV_MAIL_DIR:-$WORK/debian-patches/$base}
	rm -rf "$OUT"; mkdir -p "$(dirname "$OUT")"; mv "$tmp/out" "$OUT"
	echo ">> $base is a distro backport: mailed to no list; $(wc -l <"$OUT/series") DEP-3 patch(es), series and README (kABI note) in $OUT, authored and signed off by $uname <$uemail>"
	exit 0
fi
format_patch "$T" --signoff ${base_opt[@]+"${base_opt[@]}"} ${vopt[@]+"${vopt[@]}"} \
	${cover[@]+"${cover[@]}"} ${rd[@]+"${rd[@]}"} -o "$tmp/out" "base..$head" >/dev/null
c=
if [ ${#cover[@]} -gt 0 ]; then
	c=$(ls "$tmp"/out/*0000-cover-letter.patch)
	subject=$(head -1 "$SD/cover-letter.txt")
	tail -n +2 "$SD/cover-letter.txt" | sed '1{/^$/d}' >"$tmp/body"
	SUBJ=$subject awk -v body="$tmp/body" '
		/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, ENVIRON["SUBJ"]); print; next }
		/^\*\*\* BLURB HERE \*\*\*$/ { while ((getline l < body) > 0) print l; next }
		{ print }' "$c" >"$tmp/cover" && mv "$tmp/cover" "$c"
fi
if [ -n "$base_note" ]; then
	if [ -n "$c" ]; then printf '\n%s\n' "$base_note" >>"$c"
	else printf '\n%s\n' "$base_note" >>"$(ls "$tmp"/out/*0001-*.patch)"; fi
fi

# Does patch $1 change a syscall's behaviour? It touches a syscall file or a
# uapi header, or a hunk of kernel code (not Documentation/, tools/) whose
# function context or changed lines name a syscall (SYSCALL_DEFINE, or the
# syscalls this series changes).
api_patch() {
	awk '
		/^diff --git / { f = $3; sub(/^a\//, "", f); src = f !~ /^(Documentation|tools)\//
			if (f ~ /^(kernel\/futex\/syscalls\.c|include\/uapi\/)/) api = 1; next }
		!src { next }
		/^@@ / && /SYSCALL_DEFINE|process_mrelease|set_robust_list/ { api = 1 }
		/^[-+]/ && !/^(\+\+\+|---) / && /SYSCALL_DEFINE|process_mrelease|set_robust_list/ { api = 1 }
		END { exit !api }' "$1"
}
# get_maintainer.pl ARGS... PATCH: one address per line, offline. MAINTAINERS
# as the series leaves it (it may add entries), whatever is checked out.
kgit -C "$T" show series:MAINTAINERS >"$tmp/MAINTAINERS"
getm() {
	(cd "$T" && PATH=/usr/bin:/bin:$PATH scripts/get_maintainer.pl --mpath "$tmp/MAINTAINERS" \
		--no-git --no-git-fallback --no-rolestats --no-fixes "$@") 2>"$tmp/gm-err" ||
		die "get_maintainer.pl failed on $(basename "${*: -1}"): $(head -1 "$tmp/gm-err")"
}
# addr_of "Name <a@b>" -> a@b, lower case.
addr_of() { sed -E 's/.*<([^>]*)>.*/\1/' | tr 'A-Z' 'a-z'; }
# uniq_addrs FILE [EXCLUDE]: addresses in FILE once each, in order, none of EXCLUDE's.
uniq_addrs() {
	awk -v ex="${2:-/dev/null}" '
		function key(s) { if (match(s, /<[^>]*>/)) s = substr(s, RSTART + 1, RLENGTH - 2); return tolower(s) }
		BEGIN { while ((getline l < ex) > 0) seen[key(l)] = 1 }
		NF && !seen[key($0)]++' "$1"
}
# add_headers FILE TO_LIST CC_LIST: To:/Cc: (folded) before the end of the header.
add_headers() {
	awk -v tof="$2" -v ccf="$3" '
		function hdr(name, f,   l, s, n) {
			n = 0; s = ""
			while ((getline l < f) > 0) { s = s (n++ ? ",\n    " : name ": ") l }
			if (n) print s
		}
		!done && /^$/ { hdr("To", tof); hdr("Cc", ccf); done = 1 }
		{ print }' "$1" >"$1.new" && mv "$1.new" "$1"
}
: >"$tmp/all-to"; : >"$tmp/all-cc"
for p in "$tmp"/out/*.patch; do
	[ "$p" = "$c" ] && continue
	getm --m --no-r --no-l "$p" >"$tmp/to.raw"
	getm --no-m --r --l "$p" >"$tmp/cc.raw"
	if api_patch "$p"; then echo "$LINUX_API" >>"$tmp/cc.raw"; fi
	uniq_addrs "$tmp/to.raw" >"$tmp/to"
	uniq_addrs "$tmp/cc.raw" "$tmp/to" >"$tmp/cc"
	[ -s "$tmp/to" ] || [ -s "$tmp/cc" ] || die "get_maintainer.pl found no recipient for $(basename "$p")"
	add_headers "$p" "$tmp/to" "$tmp/cc"
	cat "$tmp/to" >>"$tmp/all-to"; cat "$tmp/cc" >>"$tmp/all-cc"
done
if [ -n "$c" ]; then
	uniq_addrs "$tmp/all-to" >"$tmp/to"
	uniq_addrs "$tmp/all-cc" "$tmp/to" >"$tmp/cc"
	add_headers "$c" "$tmp/to" "$tmp/cc"
fi
rm -rf "$OUT"; mv "$tmp/out" "$OUT"
what="signed off by $uname <$uemail>"
[ "$ver" -ge 2 ] && what+=", v$ver with a range-diff against $prev_sd"
[ -n "$base_note" ] && what+=", $base_note"
[ -n "$base_note" ] || what+=", base-commit $(kgit -C "$T" rev-parse --short=12 base)"
echo ">> $(ls "$OUT" | wc -l) mail(s) in $OUT ($what)"
