// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtchn: SCHEDOP_poll, and an event channel echo for a dom0 program.
 *
 * First, on its own: SCHEDOP_poll refuses 129 ports and port 4096 (-EINVAL)
 * and an unreadable port list (-EFAULT); returns at once for a pending
 * port that is masked (a loopback pair: send on one end, poll the other)
 * and for a timeout in the past; and with a timeout 50 ms ahead and
 * nothing sent it returns 0 no earlier than the deadline (pvclock time).
 * EVTCHNOP_init_control is refused as Xen refuses it for a bad request
 * (XTF xsa-188: frame -2 is -EINVAL; a misaligned offset or one crossing
 * the page -EINVAL; vCPU 1 of a one-vCPU domain -ENOENT); the FIFO ABI
 * itself is evscale.c's.
 *
 * Then, if the command line says "pings=N": allocates a port unbound for
 * dom0 (EVTCHNOP_alloc_unbound, remote_dom 0), prints
 * "xvmm-guest: evtchn: port P", and N times waits for dom0 to signal it
 * and signals back (tests/system/progs/evtchn_ping.c binds and pings).
 * It waits with SCHEDOP_poll on the masked port, or with "mode=block"
 * with SCHEDOP_block and the event upcall (HVM_PARAM_CALLBACK_IRQ vector
 * 0xf3, port unmasked). Each wait gives up after 10 s (FAIL).
 * Prints "echoed N (poll|block)" and PASS.
 */
#include "cmdline.h"
#include "guest.h"
#include "segments.h"

DEFINE_GUEST_NAME;

#define HC_event_channel_op	32
#define HC_hvm_op		34

#define EVTCHNOP_bind_interdomain	0
#define EVTCHNOP_send			4
#define EVTCHNOP_alloc_unbound		6
#define EVTCHNOP_init_control		11

struct init_control {
	uint64_t control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits;
	uint8_t pad[7];
};
#define XENMEM_add_to_physmap		7
#define XENMAPSPACE_shared_info		0
#define HVMOP_set_param			0
#define HVM_PARAM_CALLBACK_IRQ		0
#define DOMID_SELF			0x7ff0u

#define UPCALL_VECTOR		0xf3
#define WAIT_NS			10000000000ull	/* 10 s per ping */
#define TIMEOUT_NS		50000000ull	/* the poll timeout check: 50 ms */

struct alloc_unbound { uint16_t dom, remote_dom; uint32_t port; };
struct bind_interdomain { uint16_t remote_dom, pad; uint32_t remote_port, local_port; };
struct add_to_physmap { uint16_t domid, size; uint32_t space; unsigned long idx, gpfn; };
struct hvm_param { uint16_t domid, pad; uint32_t index; uint64_t value; };
/* public/sched.h: the handle is pointer-sized; timeout is 4-byte aligned in the 32-bit ABI. */
struct sched_poll { unsigned long ports; uint32_t nr_ports; uint64_t timeout; };

/* shared_info: pending bitmap @2048 in both layouts; mask @2560 (64-bit) or @2176 (32-bit). */
#define SHINFO_PENDING		2048
#ifdef __x86_64__
#define SHINFO_MASK		2560
#define PENDING_SEL_OFF		8
#else
#define SHINFO_MASK		2176
#define PENDING_SEL_OFF		4
#endif
#define VCPU_TIME_OFF		32	/* vcpu_info[0].time, both layouts */

static uint8_t shinfo[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static volatile uint32_t upcalls, got_ping;
static uint32_t echo_port;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static long evtchn_op(unsigned int cmd, void *arg)
{
	return HYPERCALL2(HC_event_channel_op, cmd, arg);
}

static long send(uint32_t port)
{
	return evtchn_op(EVTCHNOP_send, &port);
}

static long poll(uint32_t *ports, uint32_t nr, uint64_t timeout)
{
	struct sched_poll p = { .ports = (unsigned long)ports, .nr_ports = nr, .timeout = timeout };

	return HYPERCALL2(HC_sched_op, SCHEDOP_poll, &p);
}

static void bit_set(unsigned int off, unsigned int n, int on)
{
	volatile uint32_t *w = (volatile uint32_t *)(shinfo + off) + n / 32;

	if (on)
		__atomic_fetch_or(w, 1u << (n % 32), __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(w, ~(1u << (n % 32)), __ATOMIC_SEQ_CST);
}

static int test_and_clear_pending(unsigned int n)
{
	volatile uint32_t *w = (volatile uint32_t *)(shinfo + SHINFO_PENDING) + n / 32;

	return (__atomic_fetch_and(w, ~(1u << (n % 32)), __ATOMIC_SEQ_CST) >> (n % 32)) & 1;
}

static int is_pending(unsigned int n)
{
	return (((volatile uint32_t *)(shinfo + SHINFO_PENDING))[n / 32] >> (n % 32)) & 1;
}

/* Xen system time from vcpu_info[0].time (the pvclock the VMM keeps there). */
static uint64_t now_ns(void)
{
	volatile uint8_t *t = shinfo + VCPU_TIME_OFF;
	uint32_t ver, mul;
	uint64_t stamp, sys, delta, lo, hi;
	int8_t shift;

	do {
		ver = *(volatile uint32_t *)t;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		stamp = *(volatile uint64_t *)(t + 8);
		sys = *(volatile uint64_t *)(t + 16);
		mul = *(volatile uint32_t *)(t + 24);
		shift = *(volatile int8_t *)(t + 28);
		delta = rdtsc() - stamp;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while ((ver & 1) || ver != *(volatile uint32_t *)t);
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	/* (delta * mul) >> 32 without a 128-bit type (the 32-bit build has none). */
	lo = (delta & 0xffffffffu) * mul;
	hi = (delta >> 32) * mul;
	return sys + hi + (lo >> 32);
}

static uint32_t ms(uint64_t ns)
{
	uint32_t m = 0;

	while (ns >= 1000000) {		/* no 64-bit division in the 32-bit build */
		ns -= 1000000;
		m++;
	}
	return m;
}

static void map_shared_info(void)
{
	struct add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .idx = 0,
		.gpfn = (unsigned long)((uintptr_t)shinfo / PAGE_SIZE),
	};
	long rc = memory_op(XENMEM_add_to_physmap, &x);

	if (rc)
		fail("add_to_physmap(shared_info) returned %ld", rc);
	/* The pvclock is written at the next entry: wait for it. */
	while (!*(volatile uint32_t *)(shinfo + VCPU_TIME_OFF))
		HYPERCALL2(HC_sched_op, SCHEDOP_yield, 0);
}

static uint32_t alloc_unbound(uint16_t remote)
{
	struct alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
	long rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);

	if (rc)
		fail("alloc_unbound(remote %u) returned %ld", remote, rc);
	return a.port;
}

static void expect(const char *what, long rc, long want)
{
	printf("xvmm-guest: evtchn: %s: %ld\n", what, rc);
	if (rc != want)
		fail("%s returned %ld, expected %ld", what, rc, want);
}

static void poll_checks(void)
{
	struct bind_interdomain b = { .remote_dom = DOMID_SELF };
	struct sched_poll big = { .ports = (unsigned long)0xfffff000u, .nr_ports = 129 };
	uint32_t ports[2], bad = 4096;
	uint64_t t0, t1, deadline;
	long rc;

	expect("poll nr_ports 129", HYPERCALL2(HC_sched_op, SCHEDOP_poll, &big), -EINVAL);
	expect("poll bad port 4096", poll(&bad, 1, 0), -EINVAL);
	expect("poll unreadable ports", poll((uint32_t *)(uintptr_t)0xfffff000u, 1, 0), -EFAULT);

	/* A loopback pair; b's end masked, then made pending from the other end. */
	b.remote_port = alloc_unbound(DOMID_SELF);
	rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);
	if (rc)
		fail("bind_interdomain (loopback) returned %ld", rc);
	test_and_clear_pending(b.local_port);		/* Xen's bind notifies */
	bit_set(SHINFO_MASK, b.local_port, 1);
	ports[0] = 63;					/* free: valid, never pending */
	ports[1] = b.local_port;
	rc = send(b.remote_port);
	if (rc || !is_pending(b.local_port))
		fail("loopback send returned %ld, pending %d", rc, is_pending(b.local_port));
	expect("poll masked pending port", poll(ports, 2, 0), 0);
	test_and_clear_pending(b.local_port);

	expect("poll timeout in the past", poll(ports, 2, 1), 0);

	t0 = now_ns();
	deadline = t0 + TIMEOUT_NS;
	rc = poll(ports, 2, deadline);
	t1 = now_ns();
	printf("xvmm-guest: evtchn: poll timeout %u ms: %ld after %u ms\n",
	       ms(TIMEOUT_NS), rc, ms(t1 - t0));
	if (rc)
		fail("poll with a timeout returned %ld", rc);
	if (t1 < deadline)
		fail("poll with a timeout returned %u ms early", ms(deadline - t1) + 1);
	if (is_pending(b.local_port))
		fail("nothing was sent, yet the port is pending");
}

/* The event upcall (mode=block): take port echo_port's event, note it. */
void upcall_handler(void);
void upcall_handler(void)
{
	volatile uint8_t *vi = shinfo;		/* vcpu_info[0] */

	upcalls++;
	vi[0] = 0;				/* evtchn_upcall_pending */
	__atomic_store_n((volatile unsigned long *)(vi + PENDING_SEL_OFF), 0, __ATOMIC_SEQ_CST);
	if (test_and_clear_pending(echo_port))
		got_ping = 1;
}

extern char upcall_entry[];
#ifdef __x86_64__
asm(".pushsection .text\n"
    "upcall_entry:\n"
    "	push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"
    "	push %r8; push %r9; push %r10; push %r11\n"
    "	cld\n"
    "	call upcall_handler\n"
    "	pop %r11; pop %r10; pop %r9; pop %r8\n"
    "	pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"
    "	iretq\n"
    ".popsection");
#else
asm(".pushsection .text\n"
    "upcall_entry:\n"
    "	pushal\n"
    "	cld\n"
    "	call upcall_handler\n"
    "	popal\n"
    "	iret\n"
    ".popsection");
#endif

struct __attribute__((packed)) idt_ptr { uint16_t limit; unsigned long base; };

#ifdef __x86_64__
#define GATE_SIZE	16
#else
#define GATE_SIZE	8
#endif
static uint8_t idt[256 * GATE_SIZE] __attribute__((aligned(16)));

/* The runtime's 32 exception gates, plus the upcall vector. */
static void install_upcall(void)
{
	struct idt_ptr p;
	uintptr_t a = (uintptr_t)upcall_entry;
	uint8_t *g = idt + UPCALL_VECTOR * GATE_SIZE;
	struct hvm_param hp = {
		.domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ,
		.value = (2ull << 56) | UPCALL_VECTOR,
	};
	long rc;

	asm volatile("sidt %0" : "=m"(p));
	memcpy(idt, (void *)p.base, (size_t)p.limit + 1);
	g[0] = (uint8_t)a;
	g[1] = (uint8_t)(a >> 8);
	g[2] = SEL_CS;
	g[3] = 0;
	g[4] = 0;
	g[5] = 0x8e;				/* present, DPL 0, interrupt gate */
	g[6] = (uint8_t)(a >> 16);
	g[7] = (uint8_t)(a >> 24);
#ifdef __x86_64__
	for (int i = 0; i < 4; i++)
		g[8 + i] = (uint8_t)((uint64_t)a >> (32 + 8 * i));
#endif
	p.limit = sizeof(idt) - 1;
	p.base = (unsigned long)idt;
	asm volatile("lidt %0" :: "m"(p));
	rc = HYPERCALL2(HC_hvm_op, HVMOP_set_param, &hp);
	if (rc)
		fail("set_param(CALLBACK_IRQ) returned %ld", rc);
}

/* sti; vmmcall: the STI shadow keeps the upcall out until the VMM has seen the block. */
static long block_sti(void)
{
	unsigned long cmd = SCHEDOP_block, arg = 0;
	long ret;

#ifdef __x86_64__
	asm volatile("sti; vmmcall" : "=a"(ret), "+D"(cmd), "+S"(arg)
		     : "0"((unsigned long)HC_sched_op) : "memory", "rdx", "r10", "r8");
#else
	asm volatile("sti; vmmcall" : "=a"(ret), "+b"(cmd), "+c"(arg)
		     : "0"((unsigned long)HC_sched_op) : "memory", "edx", "esi", "edi");
#endif
	return ret;
}

static void wait_poll(uint32_t n)
{
	uint64_t deadline = now_ns() + WAIT_NS;

	while (!test_and_clear_pending(echo_port)) {
		long rc;

		if (now_ns() >= deadline)
			fail("no ping %u from dom0 within 10 s", n);
		rc = poll(&echo_port, 1, deadline);
		if (rc)
			fail("poll for ping %u returned %ld", n, rc);
	}
}

static void wait_block(uint32_t n)
{
	uint64_t deadline = now_ns() + WAIT_NS;

	asm volatile("cli");
	while (!got_ping) {
		if (now_ns() >= deadline)
			fail("no ping %u from dom0 within 10 s (%u upcalls)", n, upcalls);
		block_sti();
		asm volatile("cli");
	}
	got_ping = 0;
}

static uint8_t fifo_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* Requests Xen refuses are refused before anything changes (a valid one would switch to FIFO). */
static void fifo_checks(void)
{
	struct init_control ic = { (uint64_t)-2, 0, 0, 0, { 0 } };

	expect("init_control of frame -2", evtchn_op(EVTCHNOP_init_control, &ic), -EINVAL);
	ic.control_gfn = (uintptr_t)fifo_page / PAGE_SIZE;
	ic.offset = 4;
	expect("init_control at offset 4", evtchn_op(EVTCHNOP_init_control, &ic), -EINVAL);
	ic.offset = 4096 - 64;
	expect("init_control crossing the page", evtchn_op(EVTCHNOP_init_control, &ic), -EINVAL);
	ic.offset = 0;
	ic.vcpu = 1;
	expect("init_control for vCPU 1", evtchn_op(EVTCHNOP_init_control, &ic), -2);	/* ENOENT */
	printf("xvmm-guest: evtchn: init_control: bad requests refused as Xen does\n");
}

void guest_main(void)
{
	unsigned int pings;
	int block;
	long rc;

	need_xen();
	map_shared_info();
	poll_checks();
	fifo_checks();

	pings = (unsigned int)cmdline_num("pings=", 0);
	if (!pings)
		return;
	block = cmdline_has("mode=block");
	echo_port = alloc_unbound(0);
	if (block) {
		install_upcall();
		bit_set(SHINFO_MASK, echo_port, 0);
	} else {
		bit_set(SHINFO_MASK, echo_port, 1);	/* poll does not need the upcall */
	}
	printf("xvmm-guest: evtchn: port %u\n", echo_port);
	for (unsigned int i = 1; i <= pings; i++) {
		if (block)
			wait_block(i);
		else
			wait_poll(i);
		rc = send(echo_port);
		if (rc)
			fail("send for ping %u returned %ld", i, rc);
	}
	asm volatile("cli");
	printf("xvmm-guest: evtchn: echoed %u (%s, %u upcalls)\n", pings,
	       block ? "block" : "poll", upcalls);
}
