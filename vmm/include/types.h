/* SPDX-License-Identifier: GPL-2.0-only */
/* Basic types for the freestanding VMM (gcc's freestanding headers only). */
#ifndef VMM_TYPES_H
#define VMM_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;	/* matches the ABI headers */
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ull << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define SZ_2M		(1ull << 21)
#define SZ_1G		(1ull << 30)

#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((u64)(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((u64)(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((u64)(a) - 1)) == 0)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1ull << (n))
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))

#define __packed	__attribute__((packed))
#define __aligned(n)	__attribute__((aligned(n)))
#define __noreturn	__attribute__((noreturn))
#define __unused	__attribute__((unused))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier()	__asm__ __volatile__("" ::: "memory")

#endif
