/* SPDX-License-Identifier: MIT */
/*
 * sched_op (hypercall 29), as this project writes it.
 *
 * Numbers and layouts from Xen's xen/include/public/sched.h. The structs
 * have the same layout for 32- and 64-bit callers except sched_poll, whose
 * port-list handle is 4 bytes for a 32-bit caller.
 */
#ifndef XEN_SCHED_H
#define XEN_SCHED_H

#include <stdint.h>
#include <stddef.h>
#include "xen.h"

#define SCHEDOP_yield		0	/* arg NULL */
#define SCHEDOP_block		1	/* arg NULL; also clears the upcall mask */
#define SCHEDOP_shutdown	2	/* struct sched_shutdown */
#define SCHEDOP_poll		3	/* struct sched_poll */
#define SCHEDOP_remote_shutdown	4	/* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code	5	/* struct sched_shutdown: latch a code */
#define SCHEDOP_watchdog	6	/* struct sched_watchdog */
#define SCHEDOP_pin_override	7	/* hardware domain only */

/* Shutdown reasons (also domain->shutdown_reason). */
#define SHUTDOWN_poweroff	0
#define SHUTDOWN_reboot		1
#define SHUTDOWN_suspend	2
#define SHUTDOWN_crash		3
#define SHUTDOWN_watchdog	4
#define SHUTDOWN_soft_reset	5
#define SHUTDOWN_MAX		5

struct sched_shutdown {
	uint32_t reason;	/* SHUTDOWN_* */
};

/* x86-64 layout. */
struct sched_poll {
	uint64_t ports;		/* guest address of evtchn_port_t[nr_ports] */
	uint32_t nr_ports;
	uint32_t pad;
	uint64_t timeout;	/* absolute system time (ns); 0 = none */
};

/* 32-bit caller's layout (the uint64_t is 4-byte aligned there). */
struct sched_poll_compat {
	uint32_t ports;
	uint32_t nr_ports;
	uint32_t timeout_lo;
	uint32_t timeout_hi;
};

struct sched_remote_shutdown {
	domid_t domain_id;
	uint16_t pad;
	uint32_t reason;
};

struct sched_watchdog {
	uint32_t id;
	uint32_t timeout;	/* seconds */
};

_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown is 4 bytes");
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll (64-bit) is 24 bytes");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "sched_poll.timeout @16");
_Static_assert(sizeof(struct sched_poll_compat) == 16, "sched_poll (32-bit) is 16 bytes");
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_shutdown");
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog");

#endif
