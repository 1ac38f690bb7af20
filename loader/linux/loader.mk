# SPDX-License-Identifier: GPL-2.0-only
#
# xvmm.ko, built by Kbuild against Debian's linux-headers (KDIR, see the
# top Makefile), and the test modules under tests/system/modules/.

LOADER_SRCS := $(wildcard loader/linux/*.c loader/linux/*.h loader/linux/Kbuild) \
	$(wildcard include/xvmm/*.h)
TESTMOD_SRCS := $(wildcard tests/system/modules/*.c tests/system/modules/Kbuild)

# What the configuration asks of the module (Kbuild's XVMM_KCFLAGS).
XVMM_KCFLAGS := $(if $(filter y,$(CONFIG_XVMM_FAULT_INJECT)),-DXVMM_FAULT_INJECT)

loader/linux/xvmm.ko: $(LOADER_SRCS) $(TRUST_GEN_H) $(CONFIG_MK)
	@test -d "$(KDIR)" || { echo "no kernel headers (KDIR=$(KDIR)); run scripts/deps.sh" >&2; exit 1; }
	@echo "  KBUILD  $@ (KDIR=$(KDIR))"
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR)/loader/linux XVMM_KCFLAGS="$(XVMM_KCFLAGS)" modules

$(O)/tests/modules/xvmm_poke.ko: $(TESTMOD_SRCS) $(wildcard include/xvmm/*.h)
	@echo "  KBUILD  $@"
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/system/modules modules
	@mkdir -p $(dir $@)
	@cp tests/system/modules/*.ko $(dir $@)

GUESTMOD_SRCS := $(wildcard tests/system/guest-modules/*.c tests/system/guest-modules/Kbuild)

# Loaded inside the Linux PVH test guest (same kernel as dom0's headers).
$(O)/tests/guest-modules/xvmm_guest_probe.ko: $(GUESTMOD_SRCS)
	@echo "  KBUILD  $@"
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/system/guest-modules modules
	@mkdir -p $(dir $@)
	@cp tests/system/guest-modules/*.ko $(dir $@)

module: $(O)/tests/guest-modules/xvmm_guest_probe.ko
module: loader/linux/xvmm.ko $(if $(TESTMOD_SRCS),$(O)/tests/modules/xvmm_poke.ko)

# The domain id allocator is plain C: tested on the host (tests/unit/unit.mk).
UNIT_TESTS += domid
UNIT_SRCS_domid := tests/unit/test_domid.c loader/linux/xvmm_domid.c
UNIT_CFLAGS_domid := -Iloader/linux
