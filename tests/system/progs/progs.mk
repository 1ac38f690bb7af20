# SPDX-License-Identifier: GPL-2.0-only
# Static helper programs the system tests run inside the test machine.

PROGS := $(patsubst tests/system/progs/%.c,$(O)/tests/progs/%,$(wildcard tests/system/progs/*.c))

$(O)/tests/progs/%: tests/system/progs/%.c $(wildcard include/xvmm/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude -static -o $@ $<

progs: $(PROGS)

# Malformed kernels for the bad-input tests (t-domains.sh).
BAD_ELFS := $(addprefix $(O)/tests/guests/,bad-overlap.elf bad-outofrange.elf bad-nonote.elf bad-truncated.elf)

$(BAD_ELFS) &: tests/system/progs/make-bad-elfs.py
	@mkdir -p $(O)/tests/guests
	@/usr/bin/python3 tests/system/progs/make-bad-elfs.py $(O)/tests/guests

progs: $(BAD_ELFS)

# The Linux PVH test guest's initramfs (t-linux.sh).
$(O)/tests/guests/linux-initrd.cpio.gz: tests/system/progs/make-guest-initrd.sh \
		$(O)/tests/guest-modules/xvmm_guest_probe.ko $(O)/tests/progs/memtouch
	@mkdir -p $(dir $@)
	@echo "  INITRD  $@"
	@tests/system/progs/make-guest-initrd.sh $@ $(O)/tests/guest-modules/xvmm_guest_probe.ko \
		$(O)/tests/progs/memtouch

progs: $(O)/tests/guests/linux-initrd.cpio.gz

# Signed, unsigned and spoiled VMM images (certs.mk, t-trust.sh).
progs: test-images
