// SPDX-License-Identifier: GPL-2.0-only
/* The VMM log ring (read by dom0 with XVMM_OP_LOG_READ) and its serial copy. */
#include "generated/config.h"
#include "lib.h"
#include "log.h"
#include "serial.h"
#include "spinlock.h"

#define LOG_SIZE	(CONFIG_XVMM_LOG_SIZE_KB * 1024u)

static char ring[LOG_SIZE];
static u64 head;		/* bytes written since init */
static spinlock_t log_lock = SPINLOCK_INIT;

void log_init(void)
{
	head = 0;
	serial_init();
}

void vmm_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;

	spin_lock(&log_lock);
	for (int i = 0; i < n; i++)
		ring[(head + (u64)i) % LOG_SIZE] = line[i];
	head += (u64)n;
	serial_write(line, (size_t)n);
	spin_unlock(&log_lock);
}

u32 log_read(u64 cursor, char *buf, u32 max, u64 *next, u32 *dropped)
{
	u64 oldest, end;
	u32 n = 0;

	spin_lock(&log_lock);
	oldest = head > LOG_SIZE ? head - LOG_SIZE : 0;
	*dropped = 0;
	if (cursor < oldest) {
		*dropped = (u32)MIN(oldest - cursor, (u64)UINT32_MAX);
		cursor = oldest;
	}
	if (cursor > head)
		cursor = head;
	end = MIN(head, cursor + max);
	for (u64 p = cursor; p < end; p++)
		buf[n++] = ring[p % LOG_SIZE];
	*next = end;
	spin_unlock(&log_lock);
	return n;
}
