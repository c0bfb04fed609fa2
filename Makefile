# SPDX-License-Identifier: GPL-2.0
#
# gpuhelper top-level Makefile.
#
#   make              the module (for KVER/KDIR) and the gpuhelper CLI
#   make module       the module only (what DKMS runs)
#   make cli          the CLI only
#   make deps         install every Debian package the build and tests need
#   make check        every test: host, static checks, guests on 6.1 and 6.12
#   make bench        the benchmarks at full size
#   make install      CLI, man pages and config files (DESTDIR, PREFIX)
#
# KVER selects the kernel (default: the running one when its headers are
# installed, else the newest installed headers); KDIR overrides the tree.

VERSION := $(shell cat $(CURDIR)/VERSION)

KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | \
	cut -d/ -f4; fi)
KDIR ?= /lib/modules/$(KVER)/build

.PHONY: all module clean-module cli deps check bench install uninstall clean

all: module cli

module:
	@test -d "$(KDIR)" || { echo "make: no kernel tree at $(KDIR): install linux-headers-$(KVER) or set KDIR="; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean-module:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi

cli:
	$(MAKE) -C userspace

deps:
	./scripts/deps.sh

check:
	./tests/run-all

bench:
	./tests/bench/run --full

install:
	$(MAKE) -C userspace install

uninstall:
	$(MAKE) -C userspace uninstall

clean: clean-module
	$(MAKE) -C userspace clean
	rm -rf build
