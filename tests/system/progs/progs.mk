# SPDX-License-Identifier: GPL-2.0-only
# Static helper programs the system tests run inside the test machine.

PROGS := $(patsubst tests/system/progs/%.c,$(O)/tests/progs/%,$(wildcard tests/system/progs/*.c))

$(O)/tests/progs/%: tests/system/progs/%.c $(wildcard include/xvmm/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude -static -o $@ $<

progs: $(PROGS)
