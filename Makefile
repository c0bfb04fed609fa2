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
#   make fuzz         fuzz the vBIOS, AML, ids=, mdevs= and vm --from input (FUZZ_SECONDS each)
#   make stress       the guests with 5000 concurrent hand-off cycles per mover
#   make install      CLI, man pages, bash completion (generated from the
#                     option tables) and config files (DESTDIR, PREFIX)
#   make deb          the Debian packages gpuhelper and gpuhelper-dkms, in build/deb/
#
# KVER selects the kernel (default: the running one when its headers are
# installed, else the newest installed headers); KDIR overrides the tree.

VERSION := $(shell cat $(CURDIR)/VERSION)

KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | \
	cut -d/ -f4; fi)
KDIR ?= /lib/modules/$(KVER)/build

# Install locations. The kernel-side files go where modprobe and the
# initramfs generators look, whatever PREFIX is.
PREFIX		?= /usr/local
DESTDIR		?=
MANDIR		?= $(PREFIX)/share/man
BASHCOMPDIR	?= $(PREFIX)/share/bash-completion/completions
MODPROBEDIR	?= /usr/lib/modprobe.d
INITCPIODIR	?= /usr/lib/initcpio
DRACUTDIR	?= /usr/lib/dracut/modules.d/90gpuhelper
ITOOLSDIR	?= /usr/share/initramfs-tools/hooks
LIBVIRTHOOKDIR	?= /etc/libvirt/hooks/qemu.d
UDEVRULESDIR	?= /usr/lib/udev/rules.d
DKMSDIR		?= /usr/src/gpuhelper-$(VERSION)

# The DKMS source set: what builds the module, nothing else.
DKMS_FILES	:= Kbuild Makefile VERSION dkms.conf \
		   $(wildcard kmod/Kbuild kmod/*.[ch] common/*.[ch] include/uapi/linux/*.h)

.PHONY: all module clean-module cli deps check bench fuzz stress install uninstall clean print-dkms-files \
	install-cli install-man install-config install-dkms deb

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

# Longer fuzzing of the vBIOS parser, the AML encoder, the ids= and mdevs=
# parsers and the vm --from XML patcher, with a new seed each run (make
# check runs 8 s each with the fixed seed 1).
FUZZ_SECONDS ?= 600
fuzz:
	./tests/fuzz/run $(FUZZ_SECONDS)

# The guest suites with a long concurrency run: 5000 hand-off cycles per
# mover in stress_test (make check runs 500). Documentation/hardening.rst
stress:
	set -e; for k in $$(./tests/lib/kernels); do \
		GH_VM_APPEND=gh_stress_cycles=5000 GH_VM_TIMEOUT=1800 ./tests/vm/run $$k; done

install: install-cli install-man install-config

install-cli: cli
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 0644 userspace/gpuhelper.bash $(DESTDIR)$(BASHCOMPDIR)/gpuhelper

install-man:
	install -d $(DESTDIR)$(MANDIR)/man8
	for f in Documentation/man/*.8; do [ ! -f $$f ] || install -m 0644 $$f $(DESTDIR)$(MANDIR)/man8/; done

# modprobe.d softdeps and the three initramfs generators' hooks.
install-config:
	install -D -m 0644 kmod/gpuhelper.conf $(DESTDIR)$(MODPROBEDIR)/gpuhelper.conf
	install -D -m 0644 packaging/initramfs/mkinitcpio/gpuhelper $(DESTDIR)$(INITCPIODIR)/install/gpuhelper
	install -D -m 0644 packaging/initramfs/mkinitcpio/gpuhelper.hook $(DESTDIR)$(INITCPIODIR)/hooks/gpuhelper
	install -D -m 0755 packaging/initramfs/dracut/module-setup.sh $(DESTDIR)$(DRACUTDIR)/module-setup.sh
	install -D -m 0755 packaging/initramfs/dracut/gpuhelper-load.sh $(DESTDIR)$(DRACUTDIR)/gpuhelper-load.sh
	install -D -m 0755 packaging/initramfs/initramfs-tools/gpuhelper $(DESTDIR)$(ITOOLSDIR)/gpuhelper
	install -d $(DESTDIR)$(LIBVIRTHOOKDIR)
	sed 's|/usr/sbin/gpuhelper|$(PREFIX)/sbin/gpuhelper|' packaging/libvirt/gpuhelper-hook \
		>$(DESTDIR)$(LIBVIRTHOOKDIR)/gpuhelper
	chmod 0755 $(DESTDIR)$(LIBVIRTHOOKDIR)/gpuhelper
	install -d $(DESTDIR)$(UDEVRULESDIR)
	sed 's|/usr/sbin/gpuhelper|$(PREFIX)/sbin/gpuhelper|' packaging/udev/70-gpuhelper-mdev.rules \
		>$(DESTDIR)$(UDEVRULESDIR)/70-gpuhelper-mdev.rules

# The module's source where DKMS expects it: then
#   dkms install gpuhelper/$(VERSION)
install-dkms:
	for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DESTDIR)$(DKMSDIR)/$$f; done

# The Debian packages (debian/), built by dpkg-buildpackage in a copy of
# the tree (the files git knows, or the whole tree without build/ and .git
# outside a checkout): the packages and the build's files land in build/deb/,
# nothing is written in the tree itself. Documentation/packaging.rst
DEBSRC := build/deb/gpuhelper-$(VERSION)
deb:
	rm -rf build/deb
	mkdir -p $(DEBSRC)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z -co --exclude-standard | \
			tar --null -T - --ignore-failed-read -cf - | tar -xf - -C $(DEBSRC); \
	else \
		tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C $(DEBSRC); \
	fi
	cd $(DEBSRC) && dpkg-buildpackage -b -us -uc -j2 >../build.log 2>&1 || \
		{ tail -n 30 ../build.log; echo "make deb: dpkg-buildpackage failed, see build/deb/build.log"; exit 1; }
	@ls build/deb/*.deb

# The DKMS source set, one path a line (tests/dkms/run checks packages with it).
print-dkms-files:
	@printf '%s\n' $(DKMS_FILES)

uninstall:
	-$(MAKE) -C userspace uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/gpuhelper
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(wildcard Documentation/man/*.8)))
	rm -f $(DESTDIR)$(MODPROBEDIR)/gpuhelper.conf
	rm -f $(DESTDIR)$(INITCPIODIR)/install/gpuhelper $(DESTDIR)$(INITCPIODIR)/hooks/gpuhelper
	rm -rf $(DESTDIR)$(DRACUTDIR)
	rm -f $(DESTDIR)$(ITOOLSDIR)/gpuhelper
	rm -f $(DESTDIR)$(LIBVIRTHOOKDIR)/gpuhelper
	rm -f $(DESTDIR)$(UDEVRULESDIR)/70-gpuhelper-mdev.rules
	rm -rf $(DESTDIR)$(DKMSDIR)

clean: clean-module
	$(MAKE) -C userspace clean
	rm -rf build
