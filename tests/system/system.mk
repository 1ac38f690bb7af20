# SPDX-License-Identifier: GPL-2.0-only
#
# System tests: QEMU (TCG, EPYC + SVM + NPT) boots Debian's kernel with a
# busybox initramfs holding the xvmm artifacts; see docs/testing.md.
#
#   make system                      every tests/system/t-*.sh, one boot each
#   make system SYSTEM_TESTS=t-boot  a subset
#   make demo                        load xvmm, show it working (console live)
#   make shell [GDB=1] [SCRIPT=tests/system/t-boot.sh]
#                                    a root shell in the test machine
#   RUNFLAGS="--smp 4 --timeout 900" extra options for tests/system/run

SYSTEM_RUN     := tests/system/run
SYSTEM_TESTS   ?=
SYSTEM_SCRIPTS := $(if $(strip $(SYSTEM_TESTS)),\
                    $(foreach t,$(SYSTEM_TESTS),$(firstword $(wildcard \
                      tests/system/$(basename $(notdir $(t))).sh \
                      tests/system/linux/$(basename $(notdir $(t))).sh) \
                      tests/system/$(basename $(notdir $(t))).sh)),\
                    $(sort $(wildcard tests/system/t-*.sh tests/system/linux/t-*.sh)))
RUNFLAGS       ?=

.PHONY: kernel-cache

# Debian's kernel and modules for the test machine (no package installs).
kernel-cache:
	@XVMM_KERNEL_ONLY=1 scripts/deps.sh $(O)

system: all kernel-cache
	@failed=""; \
	for t in $(SYSTEM_SCRIPTS); do \
		O=$(O) $(SYSTEM_RUN) $(RUNFLAGS) $$t </dev/null || failed="$$failed $$(basename $$t .sh)"; \
	done; \
	if [ -n "$$failed" ]; then echo "system tests failed:$$failed"; exit 1; fi; \
	echo "system tests: all passed"

demo: all kernel-cache
	@O=$(O) $(SYSTEM_RUN) --verbose --name demo $(RUNFLAGS) tests/system/demo.sh </dev/null

shell: all kernel-cache
	@O=$(O) $(SYSTEM_RUN) --interactive $(if $(filter-out 0,$(GDB)),--gdb) $(RUNFLAGS) $(SCRIPT)

# The allocfail variant (tests/system/t-allocfail.sh, `# xvmm-run: --variant
# allocfail`): this configuration with CONFIG_XVMM_FAULT_INJECT on, in
# $(O)/allocfail/: its own .config and VMM image, and xvmm.ko built by
# Kbuild from links to the same sources in $(O)/allocfail/module/ (Kbuild
# puts objects beside the sources, so the default module is left alone).
# Built only when t-allocfail is among the system tests to run.
AF_O   := $(O)/allocfail
AF_MOD := $(AF_O)/module

$(AF_O)/.config: $(KCONFIG_CONFIG) Kconfig
	@mkdir -p $(AF_O)
	@{ grep -v 'CONFIG_XVMM_FAULT_INJECT[ =]' $(KCONFIG_CONFIG); echo CONFIG_XVMM_FAULT_INJECT=y; } >$@.in
	@KCONFIG_CONFIG=$@ $(PYTHON) $(KCONFIGLIB)/defconfig.py --kconfig Kconfig $@.in >/dev/null
	@rm -f $@.in

$(AF_MOD)/xvmm.ko: $(LOADER_SRCS) $(TRUST_GEN_H)
	@echo "  KBUILD  $@ (XVMM_FAULT_INJECT)"
	@mkdir -p $(AF_MOD)
	@# A shell glob, not $(wildcard): xvmm_trust_gen.h is made after this file is read.
	@ln -sf $(CURDIR)/loader/linux/*.c $(CURDIR)/loader/linux/*.h $(CURDIR)/loader/linux/Kbuild \
		$(AF_MOD)/
	@$(MAKE) -s -C $(KDIR) M=$(abspath $(AF_MOD)) XVMM_ROOT=$(CURDIR) XVMM_KCFLAGS=-DXVMM_FAULT_INJECT modules

.PHONY: allocfail-variant
allocfail-variant: $(AF_O)/.config $(AF_MOD)/xvmm.ko $(if $(filter y,$(CONFIG_XVMM_SIGN_IMAGE)),$(SIGN_KEY))
	+@$(MAKE) --no-print-directory O=$(AF_O) KCONFIG_CONFIG=$(AF_O)/.config XVMM_NO_DEPS=1 vmm

ifneq ($(filter %/t-allocfail.sh,$(SYSTEM_SCRIPTS)),)
system check: allocfail-variant
endif
