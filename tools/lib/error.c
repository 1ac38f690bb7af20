// SPDX-License-Identifier: GPL-2.0-only
/* Error messages for libxvmm callers. */
#include <stdarg.h>
#include <stdio.h>

#include <libxvmm/error.h>

int xvmm_err_set(struct xvmm_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}
