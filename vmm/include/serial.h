/* SPDX-License-Identifier: GPL-2.0-only */
/* Polled 16550 output for the VMM's debug log (CONFIG_XVMM_SERIAL_LOG). */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H

#include "types.h"

void serial_init(void);
void serial_write(const char *s, size_t n);

#endif
