# SPDX-License-Identifier: GPL-2.0-only
# The fuzzing PV frontend (tests/system/pvfuzz/, tests/system/linux/t-pvfuzz.sh):
# a static program for the Linux test guest, and that guest's initramfs
# with the modules it needs from Debian's kernel package: xen-gntalloc and
# xen-evtchn (its /dev/xen/gntalloc and /dev/xen/evtchn), plus
# xen-blkfront and xen-netfront for the well-behaved guest that follows
# the fuzzer on the same disk and bridge. Kept out of build/tests/guests
# (which every test machine carries) and passed to the test with --file.
# Included from the Makefile.

PVFUZZ_DIR  := $(O)/tests/pvfuzz
PVFUZZ_SRCS := $(wildcard tests/system/pvfuzz/*.c)
PVFUZZ_MODS := xen-gntalloc xen-evtchn xen-blkfront xen-netfront

$(PVFUZZ_DIR)/pvfuzz: $(PVFUZZ_SRCS) tests/system/pvfuzz/pvfuzz.h $(wildcard include/xen/io/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude -static -o $@ $(PVFUZZ_SRCS)

$(PVFUZZ_DIR)/.kmods: tests/system/progs/extract-kmods.sh $(KERNEL_CACHE)
	@mkdir -p $(PVFUZZ_DIR)
	@echo "  KMODS   $(PVFUZZ_DIR)"
	@XVMM_KCACHE=$(O)/kernel tests/system/progs/extract-kmods.sh $(PVFUZZ_DIR) $(PVFUZZ_MODS) && \
		touch $@

$(PVFUZZ_DIR)/linux-pvfuzz-initrd.cpio.gz: tests/system/progs/make-guest-initrd.sh \
		$(PVFUZZ_DIR)/.kmods $(PVFUZZ_DIR)/pvfuzz
	@echo "  INITRD  $@"
	@tests/system/progs/make-guest-initrd.sh $@ $(patsubst %,$(PVFUZZ_DIR)/%.ko,$(PVFUZZ_MODS)) \
		$(PVFUZZ_DIR)/pvfuzz

progs: $(PVFUZZ_DIR)/linux-pvfuzz-initrd.cpio.gz
