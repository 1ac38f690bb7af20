# SPDX-License-Identifier: GPL-2.0-only
# The `xvmm` command. Static, so the test machine's busybox initramfs needs no libc.
# Links libxvmm ($(LIBXVMM), tools/tools.mk) for the domain builder.

CLI_SRCS := $(wildcard tools/cli/*.c)
CLI_LIB_SRCS := tools/lib/build.c tools/lib/acpi.c tools/lib/elf_load.c \
                tools/lib/start_info.c tools/lib/guest_mem.c tools/lib/error.c \
                tools/lib/bzimage.c

# The build's version, rewritten only when it changes (as the VMM's).
$(O)/tools/version.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define XVMM_CLI_VERSION "$(XVMM_VERSION)"' >$@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(O)/tools/xvmm: $(CLI_SRCS) $(wildcard tools/cli/*.h) $(wildcard include/xvmm/*.h) $(LIBXVMM) \
		$(XENSTORED_SRCS) $(XENSTORED_HDRS) $(BACKEND_SRCS) $(BACKEND_HDRS) $(O)/tools/version.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Itools/lib/include \
		-include $(O)/tools/version.h \
		$(XENSTORED_CFLAGS) $(BACKEND_CFLAGS) -static -pthread -o $@ $(CLI_SRCS) \
		$(XENSTORED_SRCS) $(BACKEND_SRCS) \
		$(LIBXVMM) $(LIBXVMM_LDLIBS) $(BACKEND_LDLIBS)

tools: $(O)/tools/xvmm

# Unit tests of the ioctl-free parts (tests/unit/test_cli_*.c).
UNIT_TESTS += cli_args cli_ranges cli_create cli_verbs
UNIT_SRCS_cli_args     := tests/unit/test_cli_args.c tools/cli/overrides.c tools/cli/domains.c \
                          tools/cli/xl_format.c \
                          tools/lib/xlcfg.c tools/lib/diskspec.c tools/lib/vifspec.c tools/lib/error.c
UNIT_CFLAGS_cli_args   := -Itools/lib/include -Itools/cli
UNIT_SRCS_cli_ranges   := tests/unit/test_cli_ranges.c tools/cli/ranges.c $(CLI_LIB_SRCS)
UNIT_CFLAGS_cli_ranges := -Itools/lib/include -Itools/cli $(LIBXVMM_LDLIBS)
UNIT_SRCS_cli_create   := tests/unit/test_cli_create.c tools/cli/domain_build.c \
                          tools/cli/ranges.c tools/lib/xlcfg.c tools/lib/diskspec.c tools/lib/vifspec.c $(CLI_LIB_SRCS)
UNIT_CFLAGS_cli_create := -Itools/lib/include -Itools/cli $(LIBXVMM_LDLIBS)
UNIT_SRCS_cli_verbs    := tests/unit/test_cli_verbs.c tools/cli/xl_cmds.c tools/cli/xl_format.c \
                          tools/cli/domains.c
UNIT_CFLAGS_cli_verbs  := -Itools/lib/include -Itools/cli
