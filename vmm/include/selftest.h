/* SPDX-License-Identifier: GPL-2.0-only */
/* Self-checks the VMM runs for the test suite (XVMM_OP_SELFTEST). */
#ifndef VMM_SELFTEST_H
#define VMM_SELFTEST_H

#include "types.h"

int selftest_init(void);
int selftest_run(u64 which);

#endif
