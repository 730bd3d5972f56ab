#!/bin/bash
# Usage: tests/mail.sh [<base>]          (default: mainline)
# End to end test of the mechanics of "make mail V=3" (V=N diffs against
# series-v<N-1>; the first posting is unversioned) on the tree of <base>, with
# a test identity (temporary HOME and global git config, plus command-scope
# GIT_CONFIG_* so a user.name in the repository's .git/config cannot leak in;
# the user's own config is never read), into a scratch directory (the user's
# $WORK/mail/<base> is left alone). Then "git send-email --dry-run" on the
# result, with a sendmail stub that records any call (nothing may be sent).
# Checks: [RFC PATCH v3 0/N] .. [RFC PATCH v3 N/N]; every patch has the test
# identity's Signed-off-by and an Assisted-by:; To:/Cc: in every mail;
# linux-mm for mm/ patches, the futex maintainers and reviewers (from the
# tree's MAINTAINERS) for futex patches, linux-api for patches that change a
# syscall (and not for docs/selftests-only ones); the cover letter has the
# union of the recipients, a "Range-diff against v2:" section (all "=" when
# series-v2/<base> equals series/<base>) and the base note; a missing v2 is
# refused with one error line.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
W=${KDEV_WORK:-$REPO/.work}
base=${1:-mainline}
T=$W/tree/$base
[ -z "${KSRC:-}" ] || T=$W/tree/$base-ksrc
mkdir -p "$W/tmp"
tmp=$(mktemp -d "$W/tmp/mailtest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

command -v git-send-email >/dev/null 2>&1 || [ -x "$(git --exec-path)/git-send-email" ] ||
	{ echo "error: git send-email is missing (Debian: apt-get install git-email libmailtools-perl)" >&2; exit 1; }

NAME="Kdev Mail Test"
EMAIL=kdev-mail-test@example.invalid
mkdir -p "$tmp/home"
printf '[user]\n\tname = %s\n\temail = %s\n' "$NAME" "$EMAIL" >"$tmp/gitconfig"
export HOME=$tmp/home GIT_CONFIG_GLOBAL=$tmp/gitconfig GIT_CONFIG_NOSYSTEM=1
# a throwaway identity at a reserved domain, which tools/mail.sh refuses
# unless told that this is a test
export KDEV_MAIL_ALLOW_PLACEHOLDER=1
export GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="$NAME" \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="$EMAIL"
M=$tmp/mail/$base
export KDEV_MAIL_DIR=$M

# A missing previous version is refused, with one error line.
rc=0
KDEV_PREV_SERIES_ROOT=$tmp/no-such-series "$REPO/tools/mail.sh" -v 3 "$base" >"$tmp/out" 2>&1 || rc=$?
if [ "$rc" != 0 ] && [ "$(grep -c '^error: ' "$tmp/out")" = 1 ] && tail -1 "$tmp/out" | grep -q '^error: .*series'; then
	ok "mail -v 3 without a v2 refused: $(tail -1 "$tmp/out")"
else fail "mail -v 3 without a v2: rc=$rc, $(tail -1 "$tmp/out")"; fi
[ ! -e "$M" ] || fail "refused mail export left $M behind"

make -s -C "$REPO" mail BASES="$base" V=3 >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; echo "error: make mail V=3 failed" >&2; exit 1; }
tail -1 "$tmp/make.log"
[ -d "$T/.git" ] || { echo "error: no tree $T" >&2; exit 1; }

mapfile -t patches < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$REPO/series/$base/series")
N=${#patches[@]}
cover=$M/v3-0000-cover-letter.patch
[ -f "$cover" ] || { echo "error: no cover letter $cover" >&2; exit 1; }
[ "$(ls "$M" | wc -l)" = $((N + 1)) ] || fail "$(ls "$M" | wc -l) files in $M, want $((N + 1))"

# hdr FILE NAME: the unfolded value(s) of header NAME (mail header only).
hdr() { awk -v h="$2" '
	/^$/ { exit }
	/^[ \t]/ { if (cur) val = val " " substr($0, 2); next }
	{ if (cur) print val; cur = (tolower(substr($0, 1, length(h) + 1)) == tolower(h) ":"); val = substr($0, length(h) + 3) }
	END { if (cur) print val }' "$1"; }
# addrs: e-mail addresses in a To:/Cc: value on stdin, lower case, one a line.
addrs() { grep -o -E '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+' | tr 'A-Z' 'a-z' | sort -u; }
# Maintainers and reviewers of a MAINTAINERS section (as the series leaves it).
section_addrs() {
	git -C "$T" show series:MAINTAINERS | awk -v s="$1" '$0 == s { on = 1; next } on && /^$/ { on = 0 } on && /^[MR]:/' | addrs
}
futex_people=$(section_addrs "FUTEX SUBSYSTEM")
[ -n "$futex_people" ] || fail "no FUTEX SUBSYSTEM M:/R: entries in MAINTAINERS"

recips() { { hdr "$1" To; hdr "$1" Cc; } | addrs; }
# Files a mail's diff touches.
touched() { sed -n 's#^diff --git a/\([^ ]*\) b/.*#\1#p' "$1"; }
# Expect linux-api: a syscall file, or a kernel hunk naming a syscall.
wants_api() {
	awk '
		/^diff --git / { f = $3; sub(/^a\//, "", f); src = f !~ /^(Documentation|tools)\// && f != "MAINTAINERS"
			if (f ~ /^(kernel\/futex\/syscalls\.c|include\/uapi\/)/) api = 1; next }
		!src { next }
		/^@@ / && /SYSCALL_DEFINE|process_mrelease/ { api = 1 }
		/^[-+]/ && !/^(\+\+\+|---) / && /SYSCALL_DEFINE|process_mrelease/ { api = 1 }
		END { exit !api }' "$1"
}

subj=$(hdr "$cover" Subject)
# git pads the patch number to the width of N ("01/10")
nn() { printf '%0*d' "${#N}" "$1"; }
[[ $subj == "[RFC PATCH v3 $(nn 0)/$N] "* ]] && ok "cover: $subj" || fail "cover subject '$subj', want [RFC PATCH v3 $(nn 0)/$N]"
: >"$tmp/union"
napi=0
for i in $(seq 1 "$N"); do
	f=$(ls "$M"/v3-"$(printf %04d "$i")"-*.patch 2>/dev/null | head -1)
	[ -n "$f" ] || { fail "no mail $i/$N"; continue; }
	b=$(basename "$f")
	s=$(hdr "$f" Subject)
	[[ $s == "[RFC PATCH v3 $(nn "$i")/$N] "* ]] || fail "$b: subject '$s', want [RFC PATCH v3 $(nn "$i")/$N]"
	grep -qxF "Signed-off-by: $NAME <$EMAIL>" "$f" || fail "$b: no Signed-off-by: $NAME <$EMAIL>"
	# The author (From: of the mail, and no in-body From: of someone else).
	[ "$(sed -n 's/^From: //p;/^$/q' "$f")" = "$NAME <$EMAIL>" ] || fail "$b: author is not the sender $NAME <$EMAIL>"
	! sed '1,/^$/d' "$f" | grep -q '^From: ' || fail "$b: in-body From: (author differs from the sender)"
	[ "$(grep -c '^Signed-off-by: ' "$f")" = 1 ] || fail "$b: Signed-off-by of someone else than the sender"
	grep -q '^Assisted-by: ' "$f" || fail "$b: no Assisted-by:"
	[ -n "$(hdr "$f" To)" ] || fail "$b: no To: header"
	[ -n "$(hdr "$f" Cc)" ] || fail "$b: no Cc: header"
	r=$(recips "$f"); printf '%s\n' "$r" >>"$tmp/union"
	t=$(touched "$f")
	if grep -q '^mm/' <<<"$t"; then
		grep -qx 'linux-mm@kvack.org' <<<"$r" || fail "$b touches mm/ but does not go to linux-mm@kvack.org"
	fi
	if grep -q -E '^(kernel/futex/|include/linux/futex)' <<<"$t"; then
		for a in $futex_people; do grep -qxF "$a" <<<"$r" || fail "$b touches futex code but does not go to $a"; done
	fi
	if wants_api "$f"; then
		napi=$((napi + 1))
		grep -qx 'linux-api@vger.kernel.org' <<<"$r" || fail "$b changes a syscall but does not Cc linux-api"
	elif ! grep -q -v -E '^(Documentation/|tools/|MAINTAINERS$)' <<<"$t"; then
		! grep -qx 'linux-api@vger.kernel.org' <<<"$r" || fail "$b touches only docs/tools but Cc's linux-api"
	fi
	ok "$b: $s; $(wc -l <<<"$r") recipient(s)"
done
[ "$napi" -gt 0 ] || fail "no patch of the series changes a syscall? (expected process_mrelease/futex syscalls)"
# Reviewers read 40-150 line cover letters; Andrew copies it into patch 1.
cl=$(wc -l <"$REPO/series/$base/cover-letter.txt")
[ "$cl" -le 150 ] && ok "cover letter: $cl lines" || fail "cover letter has $cl lines, over 150"
cr=$(recips "$cover")
missing=$(sort -u "$tmp/union" | grep -v -x -F -f <(printf '%s\n' "$cr") || true)
[ -z "$missing" ] && ok "cover letter goes to all $(wc -l <<<"$cr") recipients of the patches" ||
	fail "cover letter lacks: $(echo $missing)"

# Range-diff: the section, one line per commit; all "=" when v2 equals v3.
if grep -qx 'Range-diff against v2:' "$cover"; then
	sed -n '/^Range-diff against v2:$/,$p' "$cover" | grep -E '^ *[0-9-]+: +[0-9a-f-]+ [=!<>] ' >"$tmp/rd" || true
	[ "$(wc -l <"$tmp/rd")" -ge "$N" ] || fail "range-diff has $(wc -l <"$tmp/rd") entries for $N patches"
	same=yes
	for p in "${patches[@]}"; do cmp -s "$REPO/series/$base/$p" "$REPO/series-v2/$base/$p" || same=no; done
	cmp -s "$REPO/series/$base/series" "$REPO/series-v2/$base/series" || same=no
	if [ "$same" = yes ]; then
		! grep -q -E ' [!<>] ' "$tmp/rd" || fail "series/$base equals series-v2/$base but the range-diff shows changes"
		ok "range-diff present (v2 = v3: $(wc -l <"$tmp/rd") '=' entries)"
	else
		ok "range-diff present ($(grep -c -E ' [!<>] ' "$tmp/rd" || true) changed of $(wc -l <"$tmp/rd") entries)"
	fi
else fail "cover letter has no 'Range-diff against v2:'"; fi

# Base note: a real base-commit with KSRC, else the upstream version and tag.
if [ -n "${KSRC:-}" ]; then
	grep -qx "base-commit: $(git -C "$T" rev-parse base)" "$cover" && ok "base-commit present" || fail "no base-commit: line"
else
	bn=$(grep -E '^base: Linux [0-9]+\.[0-9]+[^ ]* \(Debian linux-source-[0-9.]+ [^)]+\), tag v[0-9]' "$cover" || true)
	[ -n "$bn" ] && ok "base note: $bn" || fail "no 'base: Linux ... (Debian ...), tag v...' line in the cover letter"
	! grep -q '^base-commit:' "$cover" || fail "synthetic base-commit: in the cover letter"
fi

# git send-email --dry-run, offline: a sendmail stub that must never be called.
printf '#!/bin/sh\necho "$@" >>"%s/sent"\ncat >/dev/null\n' "$tmp" >"$tmp/sendmail"
chmod +x "$tmp/sendmail"
if git send-email --dry-run --confirm=never --from "$NAME <$EMAIL>" --to test@example.invalid \
	--smtp-server "$tmp/sendmail" --suppress-cc=self "$M"/*.patch </dev/null >"$tmp/se.log" 2>&1; then
	nok=$(grep -c '^Result: OK' "$tmp/se.log" || true)
	[ "$nok" = $((N + 1)) ] && ok "git send-email --dry-run: $nok mails OK" || fail "send-email --dry-run: $nok OK, want $((N + 1))"
	got=$(sed -n 's/^Subject: \(\[RFC PATCH v3 [0-9]*\/[0-9]*\]\).*/\1/p' "$tmp/se.log" | tr '\n' ' ')
	want=$(for i in $(seq 0 "$N"); do printf '[RFC PATCH v3 %s/%d] ' "$(nn "$i")" "$N"; done)
	[ "$got" = "$want" ] || fail "send-email subjects: '$got', want '$want'"
	[ "$(grep -c '^To: test@example.invalid' "$tmp/se.log" || true)" = $((N + 1)) ] || fail "send-email: not every mail to test@example.invalid"
	[ "$(grep -c '^Cc: ' "$tmp/se.log" || true)" = $((N + 1)) ] || fail "send-email: not every mail has a Cc:"
else
	tail -5 "$tmp/se.log"; fail "git send-email --dry-run failed"
fi
[ ! -e "$tmp/sent" ] || fail "the sendmail stub was called: $(cat "$tmp/sent")"

if [ "$fails" -gt 0 ]; then echo "error: mail test: $fails failure(s)" >&2; exit 1; fi
echo ">> mail test $base: $((N + 1)) mails, v3 numbering, sign-off, recipients, range-diff, base note, send-email --dry-run OK"
