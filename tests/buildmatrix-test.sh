#!/bin/bash
# Usage: tests/buildmatrix-test.sh
# tools/buildmatrix.sh on a fake kernel tree (a Makefile that plays kbuild,
# a merge_config.sh, a Kconfig that refuses PREEMPT_RT and !MMU), in seconds:
#  - a warning a patch adds fails its target, naming the patch;
#  - a warning the base already has does not;
#  - an option Kconfig refuses fails the target, or makes it N/A where the
#    target is optional (KDEV_BUILDMATRIX_OPTIONAL; none is by default);
#  - up to COUNT occurrences of a listed known false positive (of this
#    base, in the same words) do not fail, and are counted; one more does;
#  - the tree is left as it was (branch, working tree, no worktree).
. "$(dirname "$0")/lib.sh"
export KDEV_WORK=$tmp/w
# the cross compiler riscv64-nommu asks for: a stub (nothing is compiled)
mkdir -p "$tmp/bin"; printf '#!/bin/sh\nexit 0\n' >"$tmp/bin/riscv64-linux-gnu-gcc"; chmod +x "$tmp/bin/riscv64-linux-gnu-gcc"
export PATH=$tmp/bin:$PATH
T=$KDEV_WORK/tree/mainline
mkdir -p "$T/mm" "$T/kernel/futex" "$T/scripts/kconfig" "$KDEV_WORK/locks"
cat >"$T/Makefile" <<'MK'
VERSION = 7
O ?= .
tinyconfig:
	@mkdir -p $(O); printf 'CONFIG_64BIT=y\n' >$(O)/.config
olddefconfig:
	@sed -i '/^CONFIG_PREEMPT_RT=y/d; s/^# CONFIG_MMU is not set/CONFIG_MMU=y/' $(O)/.config
prepare:
	@true
%.o: %.c
	@mkdir -p $(O)/$(dir $@); touch $(O)/$@
	@grep BADWARN $< | while read -r l; do echo "../tree/$<:2:5: warning: unused variable 'bad' [-Wunused-variable]"; done
	@if grep -q BASEWARN $<; then echo "../tree/$<:1:1: warning: no previous prototype [-Wmissing-prototypes]"; fi
MK
cat >"$T/scripts/kconfig/merge_config.sh" <<'MC'
#!/bin/bash
while [ "${1#-}" != "$1" ]; do case $1 in -O) shift 2 ;; *) shift ;; esac; done
cfg=$1; shift
for f in "$@"; do
	while IFS= read -r l; do
		case $l in CONFIG_*=*) s=${l%%=*} ;; "# CONFIG_"*) s=${l#\# }; s=${s%% *} ;; *) continue ;; esac
		sed -i "/^$s=/d; /^# $s is not set/d" "$cfg"; echo "$l" >>"$cfg"
	done <"$f"
done
MC
chmod +x "$T/scripts/kconfig/merge_config.sh"
printf 'obj-y := oom_kill.o\n' >"$T/mm/Makefile"
printf 'obj-$(CONFIG_FUTEX) += futex/\n' >"$T/kernel/Makefile"
printf 'obj-y += core.o\n' >"$T/kernel/futex/Makefile"
printf 'int a;\n' >"$T/mm/oom_kill.c"
printf 'int BASEWARN;\n' >"$T/kernel/futex/core.c"
g() { git -C "$T" -c user.name=t -c user.email=t@localhost "$@"; }
g init -q -b base; g add -A; g commit -q -m base
g checkout -q -b series
printf 'int BASEWARN;\nint b;\n' >"$T/kernel/futex/core.c"; g commit -qam "patch 1: clean"
printf 'int a;\nint BADWARN;\n' >"$T/mm/oom_kill.c"; g commit -qam "patch 2: adds a warning"
printf 'int a;\nint BADWARN;\nint BADWARN2;\n' >"$T/mm/oom_kill.c"; g commit -qam "patch 3: adds the same warning once more"
head=$(g rev-parse HEAD)

rc=0
KDEV_BUILDMATRIX_OPTIONAL=riscv64-nommu "$REPO/tools/buildmatrix.sh" --only x86_64,x86_64-rt,x86_64-nofutex,riscv64-nommu mainline >"$tmp/out" 2>&1 || rc=$?
M=$KDEV_WORK/logs/buildmatrix-mainline/matrix.txt
fail() { echo "FAIL: $*"; cat "$tmp/out"; exit 1; }
[ "$rc" != 0 ] || fail "a patch that adds a warning passed"
tail -1 "$tmp/out" | grep -q '^error: buildmatrix: 3 of 4 target' || fail "last line is not the one error line"
grep -q '^x86_64  *FAIL  *patch 2: mm/oom_kill.c: .*warning: unused variable' "$M" || fail "x86_64 not failed by patch 2's warning"
grep -q '^x86_64  *FAIL.*patch 1' "$M" && fail "patch 1 blamed for the base's warning"
grep -q '^x86_64-rt  *FAIL  *config: Kconfig refuses PREEMPT_RT=y' "$M" || fail "refused PREEMPT_RT did not fail x86_64-rt"
grep -q '^riscv64-nommu  *N/A  *not buildable here: Kconfig refuses MMU=n' "$M" || fail "optional riscv64-nommu not N/A"
grep -q '^x86_64-nofutex  *FAIL.*patch 2' "$M" || fail "x86_64-nofutex (no futex objects) missed patch 2"
grep -q '^x86_64-nofutex .*kernel/futex' "$M" && fail "x86_64-nofutex built kernel/futex without CONFIG_FUTEX"
rc=0; "$REPO/tools/buildmatrix.sh" --only riscv64-nommu mainline >"$tmp/out" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q '^riscv64-nommu  *FAIL  *config: Kconfig refuses MMU=n' "$M" || fail "riscv64-nommu refused but not failed (it is not optional)"
echo "ok: a new warning fails (patch 2), the base's does not, a refused option fails (N/A where optional)"
# a known false positive of this base does not fail; one of another base,
# or in other words, does
printf '# comment\n6.12 | mm/oom_kill.c: : warning: unused variable %s [-Wunused-variable] | 1 | other base\n' "'bad'" >"$tmp/known"
rc=0; KDEV_BUILDMATRIX_KNOWN=$tmp/known "$REPO/tools/buildmatrix.sh" --only x86_64 mainline >"$tmp/out" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q '^x86_64  *FAIL  *patch 2' "$M" || fail "another base's known entry hid patch 2's warning"
printf 'mainline | mm/oom_kill.c: : warning: unused variable %s [-Wunused-variable] | 2 | fake\n' "'bad'" >"$tmp/known"
rc=0; KDEV_BUILDMATRIX_KNOWN=$tmp/known "$REPO/tools/buildmatrix.sh" --only x86_64 mainline >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 0 ] && grep -q '^x86_64  *clean .*; 2 known false positive(s), known$' "$M" || fail "two listed known false positives failed the target"
grep -q ', known [0-9a-f]\{12\};' "$M" || fail "the result carries no hash of the known entries"
printf 'mainline | mm/oom_kill.c: : warning: unused variable %s [-Wunused-variable] | 1 | fake\n' "'bad'" >"$tmp/known"
rc=0; KDEV_BUILDMATRIX_KNOWN=$tmp/known "$REPO/tools/buildmatrix.sh" --only x86_64 mainline >"$tmp/out" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q '^x86_64  *FAIL  *patch 3: mm/oom_kill.c: .*unused variable' "$M" || fail "one more than COUNT of a known warning did not fail (patch 3)"
printf 'mainline | mm/oom_kill.c: : warning: unused variable | fake\n' >"$tmp/known"
rc=0; KDEV_BUILDMATRIX_KNOWN=$tmp/known "$REPO/tools/buildmatrix.sh" --only x86_64 mainline >"$tmp/out" 2>&1 || rc=$?
[ "$rc" != 0 ] && [ "$(grep -c '^error: ' "$tmp/out")" = 1 ] && tail -1 "$tmp/out" | grep -q 'known.*not "BASE | WARNING | COUNT | WHY"' ||
	fail "a malformed known entry did not end with one error line"
printf 'mainline | mm/oom_kill.c: : warning: unused variable %s [-Wunused-variable] | 1 | fake\n' "'other'" >"$tmp/known"
rc=0; KDEV_BUILDMATRIX_KNOWN=$tmp/known "$REPO/tools/buildmatrix.sh" --only x86_64 mainline >"$tmp/out" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q '^x86_64  *FAIL  *patch 2' "$M" || fail "a known entry in other words hid patch 2's warning"
echo "ok: up to COUNT of a known false positive of this base pass, counted; one more, another base's or another warning does not; a malformed entry is one error"
[ "$(g rev-parse HEAD)" = "$head" ] && [ "$(g symbolic-ref --short HEAD)" = series ] && [ -z "$(g status --porcelain)" ] ||
	fail "the tree was changed"
[ "$(g worktree list | wc -l)" = 1 ] || fail "a worktree was left behind"
echo "ok: the tree is as it was, no worktree left"
