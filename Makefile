# SPDX-License-Identifier: GPL-2.0-only
#
# xvmm top-level build.  `make` builds every part; `make check` runs every
# test; `make demo` boots the test machine and shows what xvmm does.
# Outputs go to $(O) (default build/), except the Kbuild module objects,
# which Kbuild keeps beside the sources (ignored by git).

O          ?= build
PYTHON     ?= /usr/bin/python3
KCONFIGLIB ?= /usr/lib/python3/dist-packages
KCONFIG_CONFIG ?= .config
# Not exported: Kbuild reads the same variable for the kernel's own config.
KCONFIG_ENV := KCONFIG_CONFIG=$(KCONFIG_CONFIG)

# Debian's headers, newest first; never the running kernel (it is not Debian's).
KDIR ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64)))

CC         ?= gcc
HOSTCFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
              -Iinclude -I$(O)/include
SANITIZE   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.DEFAULT_GOAL := all
.PHONY: all deps defconfig minimal_defconfig menuconfig savedefconfig config \
        vmm module tools guests progs unit-build unit system check demo shell clean distclean

# Everything reads the generated configuration.
CONFIG_H  := $(O)/include/generated/config.h
CONFIG_MK := $(O)/config.mk

# Packages before anything else: the configuration needs kconfiglib and
# the module Debian's kernel headers. The stamp is an included makefile,
# so when scripts/deps.sh has installed something make starts again and
# sees it (KDIR above); it is redone whenever deps.sh changes. The test
# kernel is fetched later, by the targets that boot the test machine.
DEPS_STAMP := $(O)/.deps.mk
$(DEPS_STAMP): scripts/deps.sh
	@XVMM_PKGS_ONLY=1 scripts/deps.sh
	@mkdir -p $(dir $@)
	@echo "# scripts/deps.sh: Debian packages present" >$@
# XVMM_NO_DEPS=1: never install anything (package builds, debian/rules).
ifeq ($(filter clean distclean deps uninstall,$(MAKECMDGOALS))$(XVMM_NO_DEPS),)
-include $(DEPS_STAMP)
DEPS_FIRST := $(DEPS_STAMP)
endif

# The test machine's kernel and the linux-image package it came from
# (scripts/deps.sh, no package installs): the rules that take modules out
# of that package (extract-kmods.sh, the guests' initramfs) depend on it,
# so a fresh tree's `make` or `make check` fetches it before them.
KERNEL_CACHE := $(O)/kernel/vmlinux
$(KERNEL_CACHE): | $(DEPS_FIRST)
	@XVMM_KERNEL_ONLY=1 scripts/deps.sh $(O)

$(KCONFIG_CONFIG): | $(DEPS_FIRST)
	@echo "  CONFIG  defconfig (no $(KCONFIG_CONFIG) yet)"
	@mkdir -p $(dir $(KCONFIG_CONFIG))
	@$(KCONFIG_ENV) $(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig configs/defconfig >/dev/null

$(CONFIG_H) $(CONFIG_MK): $(KCONFIG_CONFIG) Kconfig | $(DEPS_FIRST)
	@mkdir -p $(dir $(CONFIG_H))
	@$(KCONFIG_ENV) $(PYTHON) $(KCONFIGLIB)/genconfig.py --header-path $(CONFIG_H) --config-out $(CONFIG_MK) Kconfig
	@touch $(CONFIG_H) $(CONFIG_MK)

config: $(CONFIG_H)

defconfig:
	@mkdir -p $(dir $(KCONFIG_CONFIG))
	@$(KCONFIG_ENV) $(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig configs/defconfig

minimal_defconfig:
	@mkdir -p $(dir $(KCONFIG_CONFIG))
	@$(KCONFIG_ENV) $(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig configs/minimal_defconfig

menuconfig:
	@$(KCONFIG_ENV) $(PYTHON) $(KCONFIGLIB)/menuconfig.py Kconfig

savedefconfig:
	@$(KCONFIG_ENV) $(PYTHON) $(KCONFIGLIB)/savedefconfig.py --kconfig Kconfig --out configs/defconfig

# Goals that only install or remove things never read (or make) the
# configuration: `make deps` on a fresh machine runs before kconfiglib exists.
ifneq ($(if $(MAKECMDGOALS),$(filter-out clean distclean deps uninstall,$(MAKECMDGOALS)),all),)
-include $(CONFIG_MK)
endif

deps:
	@scripts/deps.sh

include certs.mk
include vmm/vmm.mk
include loader/linux/loader.mk
include tools/tools.mk
include tests/guests/guests.mk
include tests/unit/unit.mk
include tests/system/progs/progs.mk
include tests/system/progs/netmods.mk
include tests/system/pvfuzz/pvfuzz.mk
include tests/system/system.mk
include install.mk

all: vmm module tools guests progs unit-build

check: all
	+@scripts/check.sh $(O)

clean:
	rm -rf $(O)
	$(MAKE) -C $(KDIR) M=$(CURDIR)/loader/linux clean >/dev/null 2>&1 || true

distclean: clean
	rm -f $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old $(TRUST_GEN_H)
	rm -rf certs
