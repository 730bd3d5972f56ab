# Developer / CI harness for the OOM-reaper vs robust-futex patch series.
# Artefacts go to .work/ (override with KDEV_WORK=...). See README.md.
BASE ?= mainline
BASES ?= mainline 6.12
VARIANT ?= stock
# make ... ARCH=arm64: arm64 guests (tools/lib.sh, KDEV_ARCH)
ifeq ($(origin ARCH),command line)
export KDEV_ARCH := $(ARCH)
endif

APP_VARIANTS ?= stock patched

.PHONY: app buildmatrix help demo test test-full check mail export tree build boot deps bench soak

help:
	@echo "make demo            build stock/bad/patched $(BASE) kernels, boot them, run the selftest"
	@echo "make test            the test suite CI runs (.ci/run): harness tests, 4 kernels (mainline stock/bad/patched, arm64 mainline patched; no 6.12 kernel), make app (mainline), make buildmatrix FAST=1"
	@echo "make test-full       16 kernels (stock bad fix v1 v2 layer1 patched on both bases, arm64 mainline stock/patched), make app on 5, the whole build matrix, make bench QUICK=1"
	@echo "make check           checkpatch --strict + series applies, for: $(BASES)"
	@echo "make mail [BASE=..]  mainline: git send-email export into .work/mail/mainline/, unversioned (the first posting; V=N later: vN + range-diff vs series-v<N-1>); 6.12: DEP-3 patch queue in .work/debian-patches/6.12/, mailed to no list"
	@echo "make tree|export     materialise .work/tree/\$$BASE / write it back to series/\$$BASE"
	@echo "make build|boot      one kernel: BASE=$(BASE) VARIANT=$(VARIANT) (stock|bad|fix|layer1|patched|v1|v2)"
	@echo "make bench [QUICK=1] stock vs v2 vs v3 layer 1 vs v3 $(BASE): OOM/process_mrelease() reaping, lost robust mutexes, costs (QEMU)"
	@echo "make soak            boot $(BASE) patched once, run the selftest N times (N=100; VARIANT=, BUDGET=s, ATTEMPTS=k per case)"
	@echo "make app             Debian's unmodified mdb_load (LMDB) killed while it holds its robust writer lock: $(BASE) $(APP_VARIANTS) (APP_VARIANTS=...)"
	@echo "make buildmatrix     every patch of the series, W=1 (+ sparse) on 16 arch/config targets; FAST=1: i386 + arm64 (CI); ONLY=t1,t2"
	@echo "make deps            install the Debian packages needed"
	@echo "ARCH=arm64           with demo, build, boot, soak: arm64 guests (cross-built, qemu-system-aarch64 -M virt)"

deps:
	tools/deps.sh

demo:
	tools/demo.sh $(BASE)

# make app [BASE=mainline] [APP_VARIANTS="stock patched"]: build the kernels
# (incremental), boot each with the LMDB run (tools/app.sh)
app: deps
	@set -e; tools/app.sh preflight; for v in $(APP_VARIANTS); do tools/kbuild.sh $(BASE) $$v; done; tools/app.sh $(BASE) $(APP_VARIANTS)

test:
	@tests/run.sh

test-full:
	@KDEV_FULL=1 tests/run.sh

check: deps
	tools/check.sh $(BASES)

# make mail [BASE=6.12 | BASES="mainline 6.12"] [V=N]: BASE given on the
# command line means that base only
MAIL_BASES = $(if $(filter command line environment,$(origin BASE)),$(BASE),$(BASES))
mail:
	@[ -n "$(strip $(MAIL_BASES))" ] || { echo "error: make mail: no base given (BASE=mainline or BASE=6.12)" >&2; exit 1; }
	@set -e; for b in $(MAIL_BASES); do \
		if grep -q '[^[:space:]]' series/$$b/series; then tools/tree.sh $$b && tools/mail.sh $(if $(V),-v $(V)) $$b; \
		else echo ">> series/$$b is empty: no mail"; fi; done

# make buildmatrix [BASE=mainline] [FAST=1] [ONLY=arm64,i386] (tools/buildmatrix.sh)
buildmatrix:
	tools/deps.sh buildmatrix
	tools/tree.sh $(BASE)
	tools/buildmatrix.sh $(if $(FAST),--fast) $(if $(ONLY),--only $(ONLY)) $(BASE)

tree:
	tools/tree.sh $(BASE)

export:
	tools/export.sh $(BASE)

build:
	tools/kbuild.sh $(BASE) $(VARIANT)

boot:
	tools/selftest.sh $(BASE) $(VARIANT)

# make bench [BASE=mainline] [QUICK=1]: stock vs v2 vs v3 layer 1 vs v3 (tools/bench.sh)
bench:
	$(if $(QUICK),BENCH_QUICK=$(QUICK) )tools/bench.sh $(BASE)

# make soak [N=100] [BASE=mainline] [VARIANT=patched] [BUDGET=seconds] [ATTEMPTS=k]
soak:
	tools/soak.sh -n $(or $(N),100) $(if $(BUDGET),-b $(BUDGET)) $(if $(ATTEMPTS),-a $(ATTEMPTS)) $(BASE) \
		$(if $(filter command line environment,$(origin VARIANT)),$(VARIANT),patched)
