# SPDX-License-Identifier: GPL-2.0-only
# The `xvmm` command. Static, so the test machine's busybox initramfs needs no libc.

$(O)/tools/xvmm: $(wildcard tools/cli/*.c tools/cli/*.h) $(wildcard include/xvmm/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Itools/lib/include \
		-static -o $@ $(filter %.c,$^)

tools: $(O)/tools/xvmm
