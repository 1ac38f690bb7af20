# SPDX-License-Identifier: GPL-2.0-only
# netback's unit tests (its sources are in BACKEND_SRCS, tools/backend/backend.mk).
# Included from tools/tools.mk after backend.mk.

UNIT_TESTS += netif_ring
UNIT_SRCS_netif_ring    := tests/unit/test_netif_ring.c tools/backend/netif_ring.c
UNIT_CFLAGS_netif_ring  := $(BACKEND_CFLAGS)
