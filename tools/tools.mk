# SPDX-License-Identifier: GPL-2.0-only
#
# tools/: libxvmm, the domain builder library (host user space), its unit
# tests, and the libFuzzer smoke run. The CLI adds itself in tools/cli/cli.mk.

TOOLS_OUT      := $(O)/tools
LIBXVMM_SRCS   := $(wildcard tools/lib/*.c)
LIBXVMM_OBJS   := $(patsubst tools/lib/%.c,$(TOOLS_OUT)/lib/%.o,$(LIBXVMM_SRCS))
LIBXVMM_HDRS   := $(wildcard tools/lib/include/libxvmm/*.h include/xen/*.h)
LIBXVMM_CFLAGS := $(filter-out -O1 -g,$(HOSTCFLAGS)) -O2 -g -Itools/lib/include
LIBXVMM        := $(TOOLS_OUT)/libxvmm.a
# bzimage.c: xz (liblzma-dev) and gzip (zlib1g-dev), linked after libxvmm.a.
LIBXVMM_LDLIBS := -llzma -lz

$(TOOLS_OUT)/lib/%.o: tools/lib/%.c $(LIBXVMM_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(LIBXVMM_CFLAGS) -c -o $@ $<

$(LIBXVMM): $(LIBXVMM_OBJS)
	@echo "  AR      $@"
	@rm -f $@
	@ar rcs $@ $^

tools: $(LIBXVMM)

# Unit tests (tests/unit/unit.mk builds them with ASan + UBSan).
UNIT_TESTS += xlcfg elf_load start_info acpi
UNIT_SRCS_xlcfg      := tests/unit/test_xlcfg.c tools/lib/xlcfg.c tools/lib/diskspec.c tools/lib/vifspec.c tools/lib/error.c
UNIT_CFLAGS_xlcfg    := -Itools/lib/include
UNIT_SRCS_elf_load   := tests/unit/test_elf_load.c tools/lib/elf_load.c \
                        tools/lib/guest_mem.c tools/lib/error.c
UNIT_CFLAGS_elf_load := -Itools/lib/include
UNIT_SRCS_start_info := tests/unit/test_start_info.c tools/lib/start_info.c \
                        tools/lib/build.c tools/lib/acpi.c tools/lib/elf_load.c \
                        tools/lib/guest_mem.c tools/lib/error.c
UNIT_CFLAGS_start_info := -Itools/lib/include
UNIT_SRCS_acpi       := tests/unit/test_acpi.c tools/lib/acpi.c tools/lib/error.c
UNIT_CFLAGS_acpi     := -Itools/lib/include
UNIT_TESTS += diskspec
UNIT_SRCS_diskspec   := tests/unit/test_diskspec.c tools/lib/diskspec.c tools/lib/vifspec.c tools/lib/xlcfg.c \
                        tools/lib/error.c
UNIT_CFLAGS_diskspec := -Itools/lib/include
UNIT_TESTS += vifspec
UNIT_SRCS_vifspec    := tests/unit/test_vifspec.c tools/lib/vifspec.c tools/lib/diskspec.c \
                        tools/lib/xlcfg.c tools/lib/error.c
UNIT_CFLAGS_vifspec  := -Itools/lib/include
UNIT_TESTS += bzimage
UNIT_SRCS_bzimage    := tests/unit/test_bzimage.c tools/lib/bzimage.c tools/lib/error.c
UNIT_CFLAGS_bzimage  := -Itools/lib/include $(LIBXVMM_LDLIBS)

# fuzz-smoke: libFuzzer harnesses built with clang, each run FUZZ_SECONDS.
FUZZ_SECONDS ?= 20
FUZZ_CC      ?= clang
FUZZ_OUT     := $(O)/tests/fuzz
.PHONY: fuzz-smoke
fuzz-smoke:
	@FUZZ_CC="$(FUZZ_CC)" FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_OUT="$(FUZZ_OUT)" \
		tests/fuzz/fuzz-smoke.sh; rc=$$?; \
	$(MAKE) --no-print-directory fuzz-bzimage || rc=1; exit $$rc

# The bzImage unpacker links liblzma and zlib, which fuzz-smoke.sh's
# harness list has no place for: built and run here the same way.
FUZZ_BZ := $(FUZZ_OUT)/fuzz_bzimage
.PHONY: fuzz-bzimage
fuzz-bzimage:
	@mkdir -p $(FUZZ_OUT)/fuzz_bzimage.corpus
	@if ! command -v $(FUZZ_CC) >/dev/null 2>&1; then \
		echo "SKIP: fuzz_bzimage (clang not installed)"; exit 0; fi; \
	if ! $(FUZZ_CC) -std=c11 -g -O1 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude \
		-Itools/lib/include -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $(FUZZ_BZ) tests/fuzz/fuzz_bzimage.c tools/lib/bzimage.c tools/lib/error.c \
		$(LIBXVMM_LDLIBS) >$(FUZZ_BZ).log 2>&1; then \
		echo "FAIL: fuzz_bzimage (build failed, see $(FUZZ_BZ).log)"; exit 1; fi; \
	rm -f $(FUZZ_BZ)-crash-* $(FUZZ_BZ)-leak-* $(FUZZ_BZ)-timeout-*; \
	if $(FUZZ_BZ) -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -artifact_prefix=$(FUZZ_BZ)- -print_final_stats=1 \
		$(FUZZ_BZ).corpus >>$(FUZZ_BZ).log 2>&1; then \
		echo "PASS: fuzz_bzimage ($$(sed -n 's/^stat::number_of_executed_units: *//p' \
			$(FUZZ_BZ).log | tail -n 1) runs in $(FUZZ_SECONDS)s)"; \
	else \
		echo "FAIL: fuzz_bzimage (crash file $$(ls $(FUZZ_BZ)-crash-* $(FUZZ_BZ)-leak-* \
			$(FUZZ_BZ)-timeout-* 2>/dev/null | head -n 1), log $(FUZZ_BZ).log)"; \
		exit 1; \
	fi

include tools/backend/backend.mk
include tools/backend/netback.mk
include tools/xenstored/xenstored.mk
include tools/cli/cli.mk
