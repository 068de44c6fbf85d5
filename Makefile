# SPDX-License-Identifier: GPL-2.0
#
# kbpf's commands. The kernel builds, base tree and guest roots are cached
# under $(KBPF_CACHE) (default ~/.cache/kbpf); small outputs go to build/
# and out/ in this repository. See README.md.

ARCH ?= x86_64
FLAVOUR ?= kbpf
CMD ?= uname -a
S := scripts/kbpf

.PHONY: all deps demo check series kernel selftests vm vm-run host-check bench debug clean

all: check

deps:
	@bash $(S)/install-deps.sh

demo: deps
	@bash $(S)/demo.sh

check: deps
	@bash $(S)/check.sh

series: deps
	@bash -c 'src=$$($(S)/assemble-tree.sh) && $(S)/export-series.py "$$src" out/series'

kernel: deps
	@bash $(S)/build-kernel.sh $(ARCH) $(FLAVOUR) >/dev/null

selftests: deps
	@bash $(S)/build-selftests.sh $(ARCH) >/dev/null

vm: kernel selftests
	@bash $(S)/vm.sh --shell $(ARCH) $(FLAVOUR)

vm-run: kernel selftests
	@bash $(S)/vm.sh $(ARCH) $(FLAVOUR) '$(subst ','\'',$(value CMD))'

host-check:
	@$(MAKE) -s -C tools/testing/selftests/kbpf/host check

bench: deps
	@bash $(S)/bench.sh

debug: deps
	@bash $(S)/debug.sh $(ARCH)

clean:
	rm -rf build out
	@$(MAKE) -s -C tools/testing/selftests/kbpf/host clean 2>/dev/null || true
