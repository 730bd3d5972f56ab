# shellcheck shell=bash
# Common start of the harness's own tests (tests/*.sh). Sourced, never run.
# Sets HERE (tests/), REPO, W (the work dir) and $tmp, a fresh temporary
# directory under $W/tmp named after the test, removed on exit (a test with
# more to clean up sets its own EXIT trap, which replaces this one).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
REPO=$(dirname "$HERE")
W=${KDEV_WORK:-$REPO/.work}
mkdir -p "$W/tmp"
tmp=$(mktemp -d "$W/tmp/$(basename "${BASH_SOURCE[1]}" .sh).XXXXXX")
trap 'rm -rf "$tmp"' EXIT
