// SPDX-License-Identifier: GPL-2.0-only
/*
 * A tiny printf: %s %c %d %u %x %p %% with optional '0' flag, width and
 * 'l'/'ll' length (hex, decimal). No division, so the 32-bit build needs no
 * libgcc for 64-bit values. Each printf() goes out as one console_io write
 * (once Xen is found) and byte by byte to port 0xE9.
 */
#include "guest.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, unsigned long long v, int base, int neg,
		    unsigned int width, char pad)
{
	static const unsigned long long pow10[] = {
		10000000000000000000ull, 1000000000000000000ull, 100000000000000000ull,
		10000000000000000ull, 1000000000000000ull, 100000000000000ull,
		10000000000000ull, 1000000000000ull, 100000000000ull, 10000000000ull,
		1000000000ull, 100000000ull, 10000000ull, 1000000ull, 100000ull,
		10000ull, 1000ull, 100ull, 10ull, 1ull,
	};
	char digits[24];
	unsigned int n = 0;

	if (base == 16) {
		do {
			digits[n++] = "0123456789abcdef"[v & 15];
			v >>= 4;
		} while (v);
	} else {
		int started = 0;

		for (unsigned int i = 0; i < ARRAY_SIZE(pow10); i++) {
			char d = '0';

			while (v >= pow10[i]) {
				v -= pow10[i];
				d++;
			}
			if (d != '0' || started || i == ARRAY_SIZE(pow10) - 1) {
				started = 1;
				digits[n++] = d;
			}
		}
		/* reverse into least-significant-first order like the hex path */
		for (unsigned int i = 0; i < n / 2; i++) {
			char t = digits[i];

			digits[i] = digits[n - 1 - i];
			digits[n - 1 - i] = t;
		}
	}
	if (neg)
		digits[n++] = '-';
	for (unsigned int i = n; i < width; i++)
		put(o, pad);
	while (n)
		put(o, digits[--n]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		unsigned int width = 0, lng = 0;
		char pad = ' ';
		unsigned long long v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			for (size_t n = strlen(s); n < width; n++)
				put(&o, ' ');
			while (*s)
				put(&o, *s++);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 'd': {
			long long s = lng > 1 ? va_arg(ap, long long) :
				      lng ? va_arg(ap, long) : va_arg(ap, int);

			put_num(&o, s < 0 ? 0ull - (unsigned long long)s : (unsigned long long)s,
				10, s < 0, width, pad);
			break;
		}
		case 'u':
		case 'x':
			v = lng > 1 ? va_arg(ap, unsigned long long) :
			    lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			put_num(&o, v, *fmt == 'x' ? 16 : 10, 0, width, pad);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, width, pad);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		o.buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

void debugcon_write(const char *s, size_t len)
{
	while (len--)
		outb(0xe9, (uint8_t)*s++);
}

void printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	len = strlen(buf);
	if (xen_base)
		HYPERCALL3(HC_console_io, CONSOLEIO_write, len, buf);
	debugcon_write(buf, len);
}
