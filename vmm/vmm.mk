# SPDX-License-Identifier: GPL-2.0-only
#
# The VMM image: freestanding, position independent, linked at 0 and
# relocated by the driver (include/xvmm/image.h).
#   $(O)/vmm/xvmm.elf   with symbols, for gdb
#   $(O)/vmm/xvmm.bin   what the driver loads (signed: certs.mk)
#   $(O)/vmm/xvmm.unsigned.bin  the same before signing
#   $(O)/vmm/xvmm-alt.bin  the same with another version string (reload test)

VMM_O := $(O)/vmm
XVMM_VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

VMM_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-missing-field-initializers \
	-ffreestanding -nostdlib -fno-builtin -fno-stack-protector -fno-common \
	-fpie -fvisibility=hidden -include vmm/include/visibility.h \
	-mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
	-fcf-protection=branch -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -fno-jump-tables \
	-Ivmm/include -Ivmm/arch/x86/include -Ivmm/arch/x86/svm -Iinclude -I$(O)/include
VMM_LDFLAGS := -nostdlib -pie --no-dynamic-linker -z noexecstack -z norelro \
	-z max-page-size=4096 --hash-style=sysv --build-id=none

VMM_SRCS := $(wildcard vmm/core/*.c vmm/lib/*.c vmm/xen/*.c vmm/arch/x86/*.c vmm/arch/x86/*.S)
ifeq ($(CONFIG_XVMM_SVM),y)
VMM_SRCS += $(wildcard vmm/arch/x86/svm/*.c vmm/arch/x86/svm/*.S)
endif
VMM_SRCS := $(filter-out vmm/core/version.c,$(VMM_SRCS))
VMM_OBJS := $(patsubst %,$(VMM_O)/%.o,$(VMM_SRCS))
VMM_HDRS := $(wildcard vmm/include/*.h vmm/arch/x86/include/*.h vmm/arch/x86/svm/*.h include/xvmm/*.h)

$(VMM_O)/%.c.o: %.c $(VMM_HDRS) $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(VMM_CFLAGS) -c -o $@ $<

$(VMM_O)/%.S.o: %.S $(VMM_HDRS) $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(VMM_CFLAGS) -D__ASSEMBLER__ -c -o $@ $<

$(VMM_O)/vmm.lds: vmm/vmm.lds.S include/xvmm/image.h
	@mkdir -p $(dir $@)
	@$(CC) -E -P -D__ASSEMBLER__ -Iinclude -x c -o $@ $<

# The version string lives alone in one object so a second image differs only there.
$(VMM_O)/version-%.o: vmm/core/version.c $(VMM_HDRS) FORCE
	@mkdir -p $(dir $@)
	@$(CC) $(VMM_CFLAGS) -DXVMM_VERSION='"$(XVMM_VERSION)$(if $(filter alt,$*),-alt)"' -c -o $@.tmp $<
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

define vmm_link
	@echo "  LD      $@"
	@ld $(VMM_LDFLAGS) -T $(VMM_O)/vmm.lds -o $@ $(VMM_OBJS) $(1)
	@scripts/check-vmm-image.sh $@
endef

$(VMM_O)/xvmm.elf: $(VMM_OBJS) $(VMM_O)/version-main.o $(VMM_O)/vmm.lds
	$(call vmm_link,$(VMM_O)/version-main.o)

$(VMM_O)/xvmm-alt.elf: $(VMM_OBJS) $(VMM_O)/version-alt.o $(VMM_O)/vmm.lds
	$(call vmm_link,$(VMM_O)/version-alt.o)

$(VMM_O)/%.unsigned.bin: $(VMM_O)/%.elf
	@echo "  BIN     $@"
	@objcopy -O binary $< $@

# Signed (certs.mk, docs/trust.md) unless CONFIG_XVMM_SIGN_IMAGE is off.
$(VMM_O)/xvmm.bin $(VMM_O)/xvmm-alt.bin: $(VMM_O)/%.bin: $(VMM_O)/%.unsigned.bin \
		$(if $(filter y,$(CONFIG_XVMM_SIGN_IMAGE)),$(SIGN_KEY))
	@echo "  SIGN    $@$(if $(filter y,$(CONFIG_XVMM_SIGN_IMAGE)),, (signing off: a copy))"
	$(call sign_image,$<,$@)

vmm: $(VMM_O)/xvmm.bin $(VMM_O)/xvmm-alt.bin

.PHONY: FORCE
FORCE:

# Unit tests of VMM logic, built for the host (tests/unit/unit.mk).
VMM_UNIT_CFLAGS := -iquote vmm/include -iquote vmm/arch/x86/include -iquote vmm/arch/x86/svm \
	-Wno-unused-parameter
UNIT_TESTS += npt svm_exit vmm_lib
UNIT_SRCS_npt := tests/unit/test_npt.c vmm/arch/x86/paging.c vmm/arch/x86/svm/npt.c
UNIT_CFLAGS_npt := $(VMM_UNIT_CFLAGS)
UNIT_SRCS_svm_exit := tests/unit/test_svm_exit.c vmm/arch/x86/svm/exit.c vmm/arch/x86/svm/vmcb_ops.c
UNIT_CFLAGS_svm_exit := $(VMM_UNIT_CFLAGS)
UNIT_SRCS_vmm_lib := tests/unit/test_vmm_lib.c vmm/lib/format.c vmm/lib/string.c
UNIT_CFLAGS_vmm_lib := $(VMM_UNIT_CFLAGS) -fno-builtin
# The local APIC model, with the vmm/xen fakes standing in for the domain and the log.
UNIT_TESTS += vlapic
UNIT_SRCS_vlapic := tests/unit/test_vlapic.c tests/unit/test_xen_fakes.c vmm/core/vlapic.c vmm/core/vcpu_start.c vmm/xen/cpuid.c
UNIT_CFLAGS_vlapic := $(VMM_UNIT_CFLAGS)
UNIT_TESTS += insn_decode
UNIT_SRCS_insn_decode := tests/unit/test_insn_decode.c vmm/core/insn_decode.c
UNIT_CFLAGS_insn_decode := $(VMM_UNIT_CFLAGS)
UNIT_TESTS += mmio
UNIT_SRCS_mmio := tests/unit/test_mmio.c tests/unit/test_xen_fakes.c vmm/core/mmio.c \
	vmm/core/insn_decode.c vmm/core/vlapic.c vmm/core/vcpu_start.c vmm/xen/cpuid.c vmm/core/guest_walk.c
UNIT_CFLAGS_mmio := $(VMM_UNIT_CFLAGS)
UNIT_TESTS += svm_guest_exit
UNIT_SRCS_svm_guest_exit := tests/unit/test_svm_guest_exit.c vmm/arch/x86/svm/guest_exit.c \
	vmm/arch/x86/svm/vmcb_ops.c
UNIT_CFLAGS_svm_guest_exit := $(VMM_UNIT_CFLAGS)
# The VMRUN consistency checks, against this machine's CPUID.
UNIT_TESTS += svm_vmcb_check
UNIT_SRCS_svm_vmcb_check := tests/unit/test_svm_vmcb_check.c vmm/arch/x86/svm/vmcb_check.c \
	vmm/xen/cr_policy.c
UNIT_CFLAGS_svm_vmcb_check := $(VMM_UNIT_CFLAGS)
# The guest MSR policy, with the vLAPIC and the Xen MSRs behind it.
UNIT_TESTS += msr_policy
UNIT_SRCS_msr_policy := tests/unit/test_msr_policy.c tests/unit/test_xen_fakes.c \
	vmm/core/msr_policy.c vmm/core/vlapic.c vmm/core/vcpu_start.c vmm/xen/cpuid.c vmm/xen/msr.c
UNIT_CFLAGS_msr_policy := $(VMM_UNIT_CFLAGS) -iquote vmm/xen
# The lazy DR0-DR3 switch, with the registers faked.
UNIT_TESTS += svm_guest_dr
UNIT_SRCS_svm_guest_dr := tests/unit/test_svm_guest_dr.c vmm/arch/x86/svm/guest_dr.c
UNIT_CFLAGS_svm_guest_dr := $(VMM_UNIT_CFLAGS)
-include vmm/xen/xen.mk
# A domain's RAM: chunk list, guest-physical layout, frames given back (vendor and pool faked).
UNIT_TESTS += domain_ram
UNIT_SRCS_domain_ram := tests/unit/test_domain_ram.c vmm/core/domain_ram.c
UNIT_CFLAGS_domain_ram := $(VMM_UNIT_CFLAGS)
# The domain table: ids over Xen's space, leaves, the grace period before a free (pool faked).
UNIT_TESTS += domain_table
UNIT_SRCS_domain_table := tests/unit/test_domain_table.c vmm/core/domain_table.c
UNIT_CFLAGS_domain_table := $(VMM_UNIT_CFLAGS)
# The allocation-failure injection counter (include/xvmm/fault_inject.h), shared with the driver.
UNIT_TESTS += fault_inject
UNIT_SRCS_fault_inject := tests/unit/test_fault_inject.c
UNIT_CFLAGS_fault_inject := -pthread
