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
UNIT_SRCS_xlcfg      := tests/unit/test_xlcfg.c tools/lib/xlcfg.c tools/lib/error.c
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

# fuzz-smoke: libFuzzer harnesses built with clang, each run FUZZ_SECONDS.
FUZZ_SECONDS ?= 20
FUZZ_CC      ?= clang
FUZZ_OUT     := $(O)/tests/fuzz
.PHONY: fuzz-smoke
fuzz-smoke:
	@FUZZ_CC="$(FUZZ_CC)" FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_OUT="$(FUZZ_OUT)" \
		tests/fuzz/fuzz-smoke.sh

include tools/cli/cli.mk
