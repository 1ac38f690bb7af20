/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMM log: a ring dom0 reads through XVMM_OP_LOG_READ (`xvmm dmesg`),
 * copied to a serial port when CONFIG_XVMM_SERIAL_LOG is set.
 */
#ifndef VMM_LOG_H
#define VMM_LOG_H

#include "types.h"

void log_init(void);
void vmm_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Copy up to @max bytes starting at @cursor (a byte count since boot).
 * Returns bytes copied; *next is the cursor after them, *dropped how many
 * bytes between @cursor and the oldest kept byte were overwritten.
 */
u32 log_read(u64 cursor, char *buf, u32 max, u64 *next, u32 *dropped);

#define pr_info(fmt, ...)	vmm_log("(xvmm) " fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	vmm_log("(xvmm) error: " fmt, ##__VA_ARGS__)
#define pr_cpu(c, fmt, ...)	vmm_log("(xvmm) cpu%u: " fmt, (c)->index, ##__VA_ARGS__)

#endif
