# SPDX-License-Identifier: GPL-2.0-only
# xenstored: the xenstore library linked into each domain's runner
# (docs/xenstore.md). Included from tools/tools.mk before tools/cli/cli.mk,
# which links XENSTORED_SRCS into the `xvmm` binary.

XENSTORED_SRCS   := $(wildcard tools/xenstored/*.c)
XENSTORED_HDRS   := $(wildcard tools/xenstored/*.h)
XENSTORED_CFLAGS := -Itools/xenstored

UNIT_TESTS += xenstore_tree xenstore_proto xenstore_ring
UNIT_SRCS_xenstore_tree    := tests/unit/test_xenstore_tree.c $(XENSTORED_SRCS)
UNIT_CFLAGS_xenstore_tree  := $(XENSTORED_CFLAGS)
UNIT_SRCS_xenstore_proto   := tests/unit/test_xenstore_proto.c $(XENSTORED_SRCS)
UNIT_CFLAGS_xenstore_proto := $(XENSTORED_CFLAGS)
UNIT_SRCS_xenstore_ring    := tests/unit/test_xenstore_ring.c $(XENSTORED_SRCS)
UNIT_CFLAGS_xenstore_ring  := $(XENSTORED_CFLAGS)

# The runner's backends (tools/cli/console_backend.c) over a file standing in for /dev/xvmm.
UNIT_TESTS += xenstore_runner
UNIT_SRCS_xenstore_runner   := tests/unit/test_xenstore_runner.c tools/cli/console_backend.c \
                               tools/cli/dev.c tools/lib/xlcfg.c tools/lib/diskspec.c tools/lib/vifspec.c tools/lib/error.c \
                               $(XENSTORED_SRCS) $(BACKEND_SRCS)
UNIT_CFLAGS_xenstore_runner := $(XENSTORED_CFLAGS) $(BACKEND_CFLAGS) -Itools/cli \
                               -Itools/lib/include -pthread $(BACKEND_LDLIBS)
