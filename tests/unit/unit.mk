# SPDX-License-Identifier: GPL-2.0-only
#
# Host-compiled cmocka tests, built with ASan and UBSan.
# A fragment (vmm/vmm.mk, tools/tools.mk, ...) registers a test with
#   UNIT_TESTS += name
#   UNIT_SRCS_name := tests/unit/test_name.c path/to/code_under_test.c
#   UNIT_CFLAGS_name := -Iextra/include     (optional)
# and gets $(O)/tests/unit/name, run by scripts/check.sh.

UNIT_BIN := $(O)/tests/unit
UNIT_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

define unit_test_rule
$(UNIT_BIN)/$(1): $$(UNIT_SRCS_$(1)) $(CONFIG_H) $$(wildcard include/*/*.h tests/unit/*.h)
	@mkdir -p $$(dir $$@)
	@echo "  UNIT    $$@"
	@$(CC) $(HOSTCFLAGS) $(SANITIZE) -Itests/unit $$(UNIT_CFLAGS_$(1)) -o $$@ $$(UNIT_SRCS_$(1)) $(UNIT_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))

unit-build: $(addprefix $(UNIT_BIN)/,$(UNIT_TESTS))

unit: unit-build
	@scripts/check.sh --unit-only $(O)
