#!/bin/bash
# Usage: tests/dep3.sh <base>   (a base other than mainline, e.g. 6.12)
# make mail for a distro backport: a DEP-3 patch queue, mailed to no list.
# Every patch: From: and Signed-off-by: the sender, Origin:/Forwarded:/
# Last-Update: before the "---" line, no To:/Cc:; a series file listing every
# patch in order; a README with the kernel ABI note.
. "$(dirname "$0")/lib.sh"
base=${1:?usage: $0 <base>}
fail() { echo "FAIL: $*"; exit 1; }
id="Test Sender <sender@example.org>"
KDEV_MAIL_ALLOW_PLACEHOLDER=1 KDEV_SIGNOFF_NAME="Test Sender" KDEV_SIGNOFF_EMAIL=sender@example.org KDEV_MAIL_DIR=$tmp/q \
	"$REPO/tools/mail.sh" -v 2 "$base" | tee "$tmp/out"
grep -q "mailed to no list" "$tmp/out" || fail "tools/mail.sh $base does not say that it mails nothing"
n=$(grep -c . "$REPO/series/$base/series")
[ "$(wc -l <"$tmp/q/series")" = "$n" ] || fail "series file has $(wc -l <"$tmp/q/series") patches, series/$base has $n"
i=0
while read -r p; do
	i=$((i + 1)); f=$tmp/q/$p
	[ -f "$f" ] || fail "series lists $p, which is not there"
	grep -qxF "From: $id" "$f" || fail "$p: author is not the sender"
	grep -qxF "Signed-off-by: $id" "$f" || fail "$p: no Signed-off-by of the sender"
	! grep -qE '^(To|Cc): ' "$f" || fail "$p: has recipients"
	for h in Origin Forwarded Last-Update; do
		awk -v h="$h:" '$1 == h { found = 1 } /^---$/ { exit } END { exit !found }' "$f" ||
			fail "$p: no DEP-3 $h before the end of the description"
	done
	stored=$(sed -n "${i}p" "$REPO/series/$base/series")
	[ "${p#*-}" = "${stored#*-}" ] || fail "patch $i is $p, series/$base has $stored"
done <"$tmp/q/series"
grep -q "Kernel ABI" "$tmp/q/README" || fail "README has no kernel ABI note"
echo ">> $base: $n DEP-3 patches, mailed to no list"
