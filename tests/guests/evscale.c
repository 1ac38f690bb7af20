// SPDX-License-Identifier: GPL-2.0-only
/*
 * evscale: event channels at Xen's scale (tests/system/t-evtchn-scale.sh).
 * What it does depends on its command line:
 *
 * "bind=N [fifo]": binds N IPI ports (vCPU 0), sends on every one and
 *   receives every one: in 2-level from the shared_info bitmaps, or with
 *   "fifo" after EVTCHNOP_init_control and expand_array by walking the
 *   queues the VMM linked (the first port at priority 2, the rest at the
 *   default 7, in send order). Then binds until -ENOSPC and prints the
 *   highest port it got ("highest port P"): max_event_channels, or the
 *   2-level ABI's 4095 / 1023 (32-bit) if that is lower.
 *
 * Two domUs ping-pong over an interdomain channel, both waiting in
 * SCHEDOP_poll with a 1 s timeout between events: a wait that ends by
 * its timeout means the sender's event did not wake the other domain's
 * sleeping vCPU at once, and fails the test.
 * "pp=a peer=B rounds=N [end=gone]": allocates ports 3 and 4 unbound for
 *   domain B, answers N pings on 3; then (unless end=gone) waits until B
 *   closed its end, which leaves port 3 unbound for B again.
 * "pp=b rounds=N [end=gone]": finds the domain whose port 3 waits for it
 *   (EVTCHNOP_bind_interdomain on each domid until one succeeds), sends N
 *   pings, each answered before the next; prints the round trip, then
 *   closes its port, or with end=gone waits until the peer is destroyed
 *   (its port unbound, sends dropped).
 * "pp=c peer=A": a third domain: binding A's ports (3, bound to B; 4,
 *   unbound for B) is refused -EINVAL, a domain that does not exist -ESRCH.
 */
#include "cmdline.h"
#include "guest.h"

DEFINE_GUEST_NAME;

#define HC_event_channel_op	32

#define EVTCHNOP_bind_interdomain	0
#define EVTCHNOP_close			3
#define EVTCHNOP_send			4
#define EVTCHNOP_status			5
#define EVTCHNOP_alloc_unbound		6
#define EVTCHNOP_bind_ipi		7
#define EVTCHNOP_init_control		11
#define EVTCHNOP_expand_array		12
#define EVTCHNOP_set_priority		13
#define EVTCHNSTAT_unbound		1
#define EVTCHNSTAT_interdomain		2
#define XENMEM_add_to_physmap		7
#define XENMAPSPACE_shared_info		0
#define DOMID_SELF			0x7ff0u
#define ENOSPC				28

#define SHINFO_PENDING		2048
#ifdef __x86_64__
#define SHINFO_MASK		2560
#define PENDING_SEL_OFF		8
#define SEL_BITS		64
#else
#define SHINFO_MASK		2176
#define PENDING_SEL_OFF		4
#define SEL_BITS		32
#endif
#define VCPU_TIME_OFF		32

#define F_PENDING		(1u << 31)
#define F_LINKED		(1u << 29)
#define F_BUSY			(1u << 28)
#define LINK_MASK		((1u << 17) - 1)
#define ARRAY_PAGES		4	/* ports 0..4095 */
#define MAX_BIND		4096

#define PP_PORT			3	/* A's first port after the console's and xenstore's */
#define PP_SPARE		4
#define WAIT_NS			1000000000ull	/* a ping's poll timeout: 1 s */
#define FIND_NS			60000000000ull	/* B looks for A this long */

struct alloc_unbound { uint16_t dom, remote_dom; uint32_t port; };
struct bind_interdomain { uint16_t remote_dom, pad; uint32_t remote_port, local_port; };
struct bind_ipi { uint32_t vcpu, port; };
struct status {
	uint16_t dom, pad;
	uint32_t port, status, vcpu;
	union { uint16_t unbound; struct { uint16_t dom, pad; uint32_t port; } inter; } u;
};
struct init_control { uint64_t gfn; uint32_t offset, vcpu; uint8_t link_bits, pad[7]; };
struct fifo_cb { uint32_t ready, rsvd, head[16]; };
struct add_to_physmap { uint16_t domid, size; uint32_t space; unsigned long idx, gpfn; };
struct sched_poll { unsigned long ports; uint32_t nr_ports; uint64_t timeout; };

static uint8_t shinfo[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t cb_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint32_t array[ARRAY_PAGES][1024] __attribute__((aligned(PAGE_SIZE)));
static uint32_t bound[MAX_BIND];

static long evtchn_op(unsigned int cmd, void *arg)
{
	return HYPERCALL2(HC_event_channel_op, cmd, arg);
}

static long send(uint32_t port)
{
	return evtchn_op(EVTCHNOP_send, &port);
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Xen system time from vcpu_info[0].time. */
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
	lo = (delta & 0xffffffffu) * mul;
	hi = (delta >> 32) * mul;
	return sys + hi + (lo >> 32);
}

static uint32_t us(uint64_t ns)
{
	uint32_t u = 0;

	while (ns >= 1000) {		/* no 64-bit division in the 32-bit build */
		ns -= 1000;
		u++;
	}
	return u;
}

static void map_shared_info(void)
{
	struct add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
		.gpfn = (unsigned long)((uintptr_t)shinfo / PAGE_SIZE),
	};
	long rc = memory_op(XENMEM_add_to_physmap, &x);

	if (rc)
		fail("add_to_physmap(shared_info) returned %ld", rc);
	while (!*(volatile uint32_t *)(shinfo + VCPU_TIME_OFF))
		HYPERCALL2(HC_sched_op, SCHEDOP_yield, 0);
}

static volatile uint32_t *bitmap_word(unsigned int off, uint32_t n)
{
	return (volatile uint32_t *)(shinfo + off) + n / 32;
}

static int test_and_clear_pending(uint32_t n)
{
	return (__atomic_fetch_and(bitmap_word(SHINFO_PENDING, n), ~(1u << (n % 32)),
				   __ATOMIC_SEQ_CST) >> (n % 32)) & 1;
}

static void set_mask(uint32_t n)
{
	__atomic_fetch_or(bitmap_word(SHINFO_MASK, n), 1u << (n % 32), __ATOMIC_SEQ_CST);
}

static long bind_ipi(uint32_t *port)
{
	struct bind_ipi b = { .vcpu = 0 };
	long rc = evtchn_op(EVTCHNOP_bind_ipi, &b);

	*port = b.port;
	return rc;
}

static long status(uint32_t port, struct status *st)
{
	st->dom = DOMID_SELF;
	st->port = port;
	return evtchn_op(EVTCHNOP_status, st);
}

/* ---- bind=N ------------------------------------------------------------ */

static void receive_2l(uint32_t n)
{
	unsigned long sel = *(volatile unsigned long *)(shinfo + PENDING_SEL_OFF);
	uint32_t got = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (!(sel & (1ul << ((bound[i] / SEL_BITS) % SEL_BITS))))
			fail("port %u pending, its selector bit is not", bound[i]);
		got += test_and_clear_pending(bound[i]);
	}
	if (got != n)
		fail("2-level: %u of %u ports pending", got, n);
	/* Nothing else is pending (ports 1 and 2 are the console's and xenstore's). */
	for (uint32_t w = 0; w < (GUEST_BITS == 64 ? 4096 : 1024) / 32; w++)
		if (*bitmap_word(SHINFO_PENDING, w * 32) & (w ? ~0u : ~7u))
			fail("2-level: a port in %u..%u pending, nothing sent on it", w * 32,
			     w * 32 + 31);
	*(volatile unsigned long *)(shinfo + PENDING_SEL_OFF) = 0;
	shinfo[0] = 0;		/* vcpu_info[0].evtchn_upcall_pending */
}

static volatile uint32_t *word(uint32_t port)
{
	return &array[port / 1024][port % 1024];
}

/* Linux's clear_linked: unlink the head (waiting while the VMM holds it BUSY); its LINK. */
static uint32_t unlink_head(uint32_t port)
{
	uint32_t w = *word(port), old, new;

	do {
		old = w & ~F_BUSY;
		new = old & ~(F_LINKED | LINK_MASK);
	} while (!__atomic_compare_exchange_n(word(port), &old, new, 0, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST) && ((w = old), 1));
	return old & LINK_MASK;
}

/* Walk queue @q from its HEAD: the ports must come in @want order. */
static uint32_t consume_queue(struct fifo_cb *cb, unsigned int q, const uint32_t *want, uint32_t n)
{
	uint32_t port = cb->head[q], got = 0;

	while (port) {
		uint32_t next;

		if (port < 3) {		/* the console's or xenstore's: dom0 may signal them */
			next = unlink_head(port);
			__atomic_fetch_and(word(port), ~F_PENDING, __ATOMIC_SEQ_CST);
			port = next;
			continue;
		}
		if (got >= n || port != want[got])
			fail("FIFO queue %u: event %u is port %u, expected %u", q, got, port,
			     got < n ? want[got] : 0);
		if (!(*word(port) & F_PENDING))
			fail("FIFO: port %u linked but not pending", port);
		next = unlink_head(port);
		__atomic_fetch_and(word(port), ~F_PENDING, __ATOMIC_SEQ_CST);
		got++;
		port = next;
	}
	return got;
}

static void fifo_setup(struct fifo_cb **cbp)
{
	struct init_control ic = { .gfn = (uintptr_t)cb_page / PAGE_SIZE };
	long rc = evtchn_op(EVTCHNOP_init_control, &ic);

	if (rc || ic.link_bits != 17)
		fail("init_control returned %ld, link_bits %u", rc, ic.link_bits);
	for (unsigned int i = 0; i < ARRAY_PAGES; i++) {
		uint64_t gfn = (uintptr_t)array[i] / PAGE_SIZE;

		rc = evtchn_op(EVTCHNOP_expand_array, &gfn);
		if (rc)
			fail("expand_array %u returned %ld", i, rc);
	}
	*cbp = (struct fifo_cb *)cb_page;
	printf("xvmm-guest: evscale: FIFO ABI on, %u event array pages\n", ARRAY_PAGES);
}

static void bind_many(uint32_t n, int fifo)
{
	struct fifo_cb *cb = NULL;
	uint32_t port, highest = 0, got;
	struct { uint32_t port, prio; } sp;
	long rc;

	if (n == 0 || n > MAX_BIND)
		fail("bind=%u: 1..%u", n, MAX_BIND);
	if (fifo)
		fifo_setup(&cb);
	for (uint32_t i = 0; i < n; i++) {
		rc = bind_ipi(&bound[i]);
		if (rc)
			fail("bind_ipi %u of %u returned %ld", i + 1, n, rc);
	}
	printf("xvmm-guest: evscale: bound %u ports (%u..%u)\n", n, bound[0], bound[n - 1]);
	if (fifo) {
		sp.port = bound[0];
		sp.prio = 2;
		rc = evtchn_op(EVTCHNOP_set_priority, &sp);
		if (rc)
			fail("set_priority returned %ld", rc);
	}
	for (uint32_t i = 0; i < n; i++) {
		rc = send(bound[i]);
		if (rc)
			fail("send on port %u returned %ld", bound[i], rc);
	}
	if (!fifo) {
		receive_2l(n);
	} else {
		uint32_t ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);

		if (ready != (n > 1 ? (1u << 2) | (1u << 7) : 1u << 2))
			fail("FIFO: READY %#x", ready);
		got = consume_queue(cb, 2, bound, 1) + consume_queue(cb, 7, bound + 1, n - 1);
		if (got != n)
			fail("FIFO: %u of %u events", got, n);
		shinfo[0] = 0;
	}
	printf("xvmm-guest: evscale: sent and received on %u ports (%s)\n", n,
	       fifo ? "fifo" : "2-level");
	/* As far as the limit goes. */
	for (;;) {
		rc = bind_ipi(&port);
		if (rc == -ENOSPC)
			break;
		if (rc)
			fail("bind_ipi past %u returned %ld", highest, rc);
		highest = port;
	}
	if (!highest)
		highest = bound[n - 1];
	printf("xvmm-guest: evscale: highest port %u, then -ENOSPC\n", highest);
	/* The top port works too. */
	if (fifo && highest >= ARRAY_PAGES * 1024)
		fail("port %u is past the event array here", highest);
	rc = send(highest);
	if (rc)
		fail("send on port %u returned %ld", highest, rc);
	if (fifo ? !(*word(highest) & F_PENDING) : !test_and_clear_pending(highest))
		fail("port %u not pending after send", highest);
}

/* ---- ping-pong ---------------------------------------------------------- */

static uint32_t timeouts;

/* Until @port is pending, @ns at most; a timeout is counted. Returns whether it came. */
static int wait_event(uint32_t port, uint64_t ns)
{
	uint64_t deadline = now_ns() + ns;

	while (!test_and_clear_pending(port)) {
		struct sched_poll p = { .ports = (unsigned long)&port, .nr_ports = 1,
					.timeout = deadline };
		long rc;

		if (now_ns() >= deadline) {
			timeouts++;
			return 0;
		}
		rc = HYPERCALL2(HC_sched_op, SCHEDOP_poll, &p);
		if (rc)
			fail("poll returned %ld", rc);
	}
	return 1;
}

/* SCHEDOP_poll on no port: blocked until the timeout (or any upcall; there is none). */
static void sleep_ns(uint64_t ns)
{
	struct sched_poll p = { .ports = 0, .nr_ports = 0, .timeout = now_ns() + ns };
	long rc = HYPERCALL2(HC_sched_op, SCHEDOP_poll, &p);

	if (rc)
		fail("poll (sleep) returned %ld", rc);
}

/* Until @port is unbound for @dom (the other end closed or went away), 30 s at most. */
static void wait_unbound(uint32_t port, uint32_t dom)
{
	uint64_t deadline = now_ns() + 30000000000ull;
	struct status st;
	long rc;

	for (;;) {
		rc = status(port, &st);
		if (rc)
			fail("status of port %u returned %ld", port, rc);
		if (st.status == EVTCHNSTAT_unbound && st.u.unbound == dom)
			return;
		if (now_ns() >= deadline)
			fail("port %u still in state %u after 30 s", port, st.status);
		wait_event(port, 100000000ull);
		timeouts = 0;
	}
}

static void pp_a(uint32_t peer, uint32_t rounds, int gone)
{
	struct alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = (uint16_t)peer };
	uint32_t port;
	long rc;

	rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);
	port = a.port;
	if (!rc) {
		a.port = 0;
		rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);	/* the spare one */
	}
	if (rc || port != PP_PORT || a.port != PP_SPARE)
		fail("alloc_unbound for d%u: %ld, ports %u %u", peer, rc, port, a.port);
	set_mask(port);
	printf("xvmm-guest: evscale: ports %u and %u unbound for d%u\n", port, a.port, peer);
	if (!wait_event(port, FIND_NS))
		fail("d%u sent nothing within 60 s", peer);
	for (uint32_t i = 1; i <= rounds; i++) {
		rc = send(port);
		if (rc)
			fail("send %u returned %ld", i, rc);
		if (i < rounds && !wait_event(port, WAIT_NS))
			printf("xvmm-guest: evscale: ping %u: poll timed out\n", i + 1);
	}
	printf("xvmm-guest: evscale: answered %u pings, %u timeouts\n", rounds, timeouts);
	if (timeouts)
		fail("%u waits ended by their timeout", timeouts);
	if (gone)
		return;
	wait_unbound(port, peer);
	rc = send(port);
	printf("xvmm-guest: evscale: peer closed: port %u unbound for d%u, send %ld\n", port, peer,
	       rc);
	if (rc)
		fail("send on the unbound port returned %ld", rc);
}

static void pp_b(uint32_t rounds, int gone)
{
	struct bind_interdomain b = { .remote_port = PP_PORT };
	uint64_t deadline = now_ns() + FIND_NS, t0, t1;
	uint32_t dom = 0;
	long rc = -1;

	while (rc) {
		for (dom = 1; dom < 64 && rc; dom++) {
			b.remote_dom = (uint16_t)dom;
			rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);
		}
		if (rc && now_ns() >= deadline)
			fail("no domain has port %u unbound for us", PP_PORT);
		if (rc)
			sleep_ns(50000000ull);		/* then look again */
	}
	dom--;
	timeouts = 0;
	set_mask(b.local_port);
	test_and_clear_pending(b.local_port);		/* Xen's bind notifies */
	printf("xvmm-guest: evscale: bound d%u port %u as port %u\n", dom, PP_PORT, b.local_port);
	t0 = now_ns();
	for (uint32_t i = 1; i <= rounds; i++) {
		rc = send(b.local_port);
		if (rc)
			fail("send %u returned %ld", i, rc);
		if (!wait_event(b.local_port, WAIT_NS))
			printf("xvmm-guest: evscale: pong %u: poll timed out\n", i);
	}
	t1 = now_ns();
	printf("xvmm-guest: evscale: ping-pong %u rounds in %u us, %u us each, %u timeouts\n",
	       rounds, us(t1 - t0), rounds ? us(t1 - t0) / rounds : 0, timeouts);
	if (timeouts)
		fail("%u waits ended by their timeout", timeouts);
	if (gone) {
		wait_unbound(b.local_port, dom);
		rc = send(b.local_port);
		printf("xvmm-guest: evscale: peer destroyed: port %u unbound for d%u, send %ld\n",
		       b.local_port, dom, rc);
		if (rc)
			fail("send on the unbound port returned %ld", rc);
		return;
	}
	rc = evtchn_op(EVTCHNOP_close, &b.local_port);
	if (rc)
		fail("close returned %ld", rc);
	printf("xvmm-guest: evscale: closed port %u\n", b.local_port);
}

static void expect(const char *what, long rc, long want)
{
	printf("xvmm-guest: evscale: %s: %ld\n", what, rc);
	if (rc != want)
		fail("%s returned %ld, expected %ld", what, rc, want);
}

static void pp_c(uint32_t peer)
{
	struct bind_interdomain b = { .remote_dom = (uint16_t)peer, .remote_port = PP_SPARE };

	expect("bind the peer's port unbound for another", evtchn_op(EVTCHNOP_bind_interdomain, &b),
	       -EINVAL);
	b.remote_port = PP_PORT;
	expect("bind the peer's port bound to another", evtchn_op(EVTCHNOP_bind_interdomain, &b),
	       -EINVAL);
	b.remote_port = 100000;
	expect("bind a port the peer does not have", evtchn_op(EVTCHNOP_bind_interdomain, &b),
	       -EINVAL);
	b.remote_dom = 1000;
	b.remote_port = PP_PORT;
	expect("bind a domain that does not exist", evtchn_op(EVTCHNOP_bind_interdomain, &b),
	       -ESRCH);
}

void guest_main(void)
{
	uint32_t n = (uint32_t)cmdline_num("bind=", 0);
	uint32_t peer = (uint32_t)cmdline_num("peer=", 0);
	uint32_t rounds = (uint32_t)cmdline_num("rounds=", 100);
	int gone = cmdline_has("end=gone");

	need_xen();
	map_shared_info();
	if (n)
		bind_many(n, cmdline_has("fifo"));
	else if (cmdline_has("pp=a"))
		pp_a(peer, rounds, gone);
	else if (cmdline_has("pp=b"))
		pp_b(rounds, gone);
	else if (cmdline_has("pp=c"))
		pp_c(peer);
	else
		fail("nothing to do: bind=N, or pp=a|b|c");
}
