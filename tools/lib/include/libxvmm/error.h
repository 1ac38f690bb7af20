// SPDX-License-Identifier: GPL-2.0-only
/*
 * Error reporting for libxvmm: every failing call returns a negative errno
 * and, when the caller passes a struct xvmm_err, a one-line message saying
 * what was wrong (and for config files, "file:line: ").
 */
#ifndef LIBXVMM_ERROR_H
#define LIBXVMM_ERROR_H

#define XVMM_ERR_MAX 256

struct xvmm_err {
	char msg[XVMM_ERR_MAX];
};

/* Format a message into err (if not NULL); returns code (a negative errno). */
int xvmm_err_set(struct xvmm_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LIBXVMM_ERROR_H */
