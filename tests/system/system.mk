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
