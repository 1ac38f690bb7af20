// SPDX-License-Identifier: GPL-2.0-only
/* The build's version string (XVMM_VERSION comes from vmm/vmm.mk). */
#include "vmm.h"

#ifndef XVMM_VERSION
#define XVMM_VERSION "unknown"
#endif

const char xvmm_version[] = XVMM_VERSION;
