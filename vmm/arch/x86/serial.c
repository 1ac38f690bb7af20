// SPDX-License-Identifier: GPL-2.0-only
/*
 * 16550 UART, polled, transmit only. The default port is COM2 so the VMM's
 * log stays apart from dom0's console on COM1. Dom0 does not drive that
 * UART in the test machine; on a machine where it does, the two interleave.
 */
#include "cpu.h"
#include "generated/config.h"
#include "serial.h"

#ifdef CONFIG_XVMM_SERIAL_LOG
#define PORT		CONFIG_XVMM_SERIAL_PORT
#define UART_THR	0
#define UART_IER	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_THRE	0x20

void serial_init(void)
{
	outb(PORT + UART_IER, 0x00);
	outb(PORT + UART_LCR, 0x80);	/* DLAB: 115200 baud */
	outb(PORT + 0, 0x01);
	outb(PORT + 1, 0x00);
	outb(PORT + UART_LCR, 0x03);	/* 8n1 */
	outb(PORT + UART_FCR, 0xc7);
	outb(PORT + UART_MCR, 0x03);
}

static void put(char c)
{
	/* Bounded wait: a missing UART must not hang the VMM. */
	for (int i = 0; i < 100000 && !(inb(PORT + UART_LSR) & LSR_THRE); i++)
		cpu_relax();
	outb(PORT + UART_THR, (u8)c);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
#else
void serial_init(void)
{
}

void serial_write(const char *s, size_t n)
{
	(void)s;
	(void)n;
}
#endif
