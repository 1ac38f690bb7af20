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

# The PV disk test (tests/system/linux/t-blk.sh): its guest initramfs with
# xen-blkfront and ext4 from Debian's kernel package (the one deps.sh
# downloaded), and two ext4 images; kept out of build/tests/guests (which
# every test machine carries) and passed to the test with --file.
BLK_DIR := $(O)/tests/blk
# The package's name is known only once the kernel cache is there: looked up when the rule runs.
BLK_DEB = $$(ls $(O)/kernel/deb/linux-image-*_amd64.deb 2>/dev/null | sort -V | tail -n 1)

$(BLK_DIR)/linux-blk-initrd.cpio.gz: tests/system/progs/make-blk-files.sh \
		tests/system/progs/make-guest-initrd.sh $(KERNEL_CACHE)
	@mkdir -p $(dir $@)
	@echo "  INITRD  $@"
	@deb=$(BLK_DEB); if [ -z "$$deb" ]; then echo "no kernel package in $(O)/kernel/deb (make deps)" >&2; \
		exit 1; fi; tests/system/progs/make-blk-files.sh initrd $@ "$$deb"

$(BLK_DIR)/rw.img $(BLK_DIR)/ro.img $(BLK_DIR)/q.qcow2 $(BLK_DIR)/root.img &: \
		tests/system/progs/make-blk-files.sh
	@echo "  MKFS    $(BLK_DIR)/rw.img $(BLK_DIR)/ro.img $(BLK_DIR)/q.qcow2 $(BLK_DIR)/root.img"
	@tests/system/progs/make-blk-files.sh images $(BLK_DIR)

progs: $(BLK_DIR)/rw.img

# The loop driver, for t-blk's disk with 4096-byte sectors (progs/loopdev).
$(BLK_DIR)/loop.ko: tests/system/progs/extract-kmods.sh $(KERNEL_CACHE)
	@mkdir -p $(BLK_DIR)
	@echo "  KMODS   $@"
	@XVMM_KCACHE=$(O)/kernel tests/system/progs/extract-kmods.sh $(BLK_DIR) loop

progs: $(BLK_DIR)/loop.ko $(BLK_DIR)/linux-blk-initrd.cpio.gz

# Signed, unsigned and spoiled VMM images (certs.mk, t-trust.sh).
progs: test-images
