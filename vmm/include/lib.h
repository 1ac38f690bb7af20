/* SPDX-License-Identifier: GPL-2.0-only */
/* The few libc pieces the VMM needs (vmm/lib/). */
#ifndef VMM_LIB_H
#define VMM_LIB_H

#include "types.h"

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
size_t strlcpy(char *dst, const char *src, size_t size);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* FNV-1a, for integrity self-checks. */
u64 hash_fnv1a(const void *data, size_t len, u64 seed);

#endif
