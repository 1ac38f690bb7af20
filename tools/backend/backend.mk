# SPDX-License-Identifier: GPL-2.0-only
# dom0's PV device backends (docs/pv-devices.md): the xenbus plumbing and
# blkback, linked into the `xvmm` runner (tools/cli/cli.mk). Included from
# tools/tools.mk before xenstored.mk, whose runner test links them too.

BACKEND_SRCS   := $(wildcard tools/backend/*.c)
BACKEND_HDRS   := $(wildcard tools/backend/*.h include/xen/io/*.h)
BACKEND_CFLAGS := -Itools/backend -Itools/xenstored -Itools/lib/include
BACKEND_LDLIBS := -luring	# Debian's liburing-dev (blk_uring.c)

UNIT_TESTS += blkif_ring xenbus_be
UNIT_SRCS_blkif_ring    := tests/unit/test_blkif_ring.c tools/backend/blkif_ring.c
UNIT_CFLAGS_blkif_ring  := $(BACKEND_CFLAGS)
UNIT_SRCS_xenbus_be     := tests/unit/test_xenbus_be.c tools/backend/xenbus_be.c \
                           $(wildcard tools/xenstored/*.c)
UNIT_CFLAGS_xenbus_be   := $(BACKEND_CFLAGS)
UNIT_TESTS += blk_uring
UNIT_SRCS_blk_uring     := tests/unit/test_blk_uring.c tools/backend/blk_uring.c tools/backend/blkif_ring.c
UNIT_CFLAGS_blk_uring   := $(BACKEND_CFLAGS) $(BACKEND_LDLIBS)
UNIT_TESTS += gref_cache
UNIT_SRCS_gref_cache    := tests/unit/test_gref_cache.c tools/backend/gref_cache.c
UNIT_CFLAGS_gref_cache  := $(BACKEND_CFLAGS)
UNIT_TESTS += nbd_client
UNIT_SRCS_nbd_client    := tests/unit/test_nbd_client.c tools/backend/nbd_client.c
UNIT_CFLAGS_nbd_client  := $(BACKEND_CFLAGS) -pthread
