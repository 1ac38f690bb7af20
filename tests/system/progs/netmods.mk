# SPDX-License-Identifier: GPL-2.0-only
# What t-net.sh needs from Debian's kernel package besides the shared
# kernel cache (build/kernel, whose module list other tests share):
# tun and bridge (with stp, llc) for dom0, xen-netfront for the guest,
# taken from the cached .deb into $(O)/tests/netmods/, and the guest's
# initramfs with xen-netfront and progs/pattern in it, kept out of build/tests/guests (which
# every test machine carries) and passed to t-net with --file. Included
# from the Makefile.

NETMODS_DIR  := $(O)/tests/netmods
NETMODS      := tun llc stp bridge xen-netfront
NETMODS_KOS  := $(patsubst %,$(NETMODS_DIR)/%.ko,$(NETMODS))

$(NETMODS_DIR)/.stamp: tests/system/progs/extract-kmods.sh $(KERNEL_CACHE)
	@mkdir -p $(NETMODS_DIR)
	@echo "  KMODS   $(NETMODS_DIR)"
	@XVMM_KCACHE=$(O)/kernel tests/system/progs/extract-kmods.sh $(NETMODS_DIR) $(NETMODS) && touch $@

$(NETMODS_KOS): $(NETMODS_DIR)/.stamp

$(NETMODS_DIR)/linux-net-initrd.cpio.gz: tests/system/progs/make-guest-initrd.sh \
		$(NETMODS_DIR)/.stamp $(O)/tests/progs/pattern
	@mkdir -p $(dir $@)
	@echo "  INITRD  $@"
	@tests/system/progs/make-guest-initrd.sh $@ $(NETMODS_DIR)/xen-netfront.ko \
		$(O)/tests/progs/pattern

progs: $(NETMODS_DIR)/linux-net-initrd.cpio.gz
