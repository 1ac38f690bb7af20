// SPDX-License-Identifier: GPL-2.0-only
/*
 * smp: a second vCPU started as a PVH guest may start one (docs/misc/
 * pvh.pandoc "AP startup"): VCPUOP_initialise with a vcpu_hvm_context (the
 * 32-bit flat state in the 32-bit build, long mode on our own page tables
 * in the 64-bit one), then VCPUOP_up. Run with `vcpus=2`.
 *  - vCPU 1 is down at first (is_up 0); a context it cannot run (CS holding
 *    a data segment, 32-bit build) is -EINVAL; initialising vCPU 0, or
 *    vCPU 1 twice, is -EEXIST; VCPUOP_up comes only after initialise
 *  - vCPU 1 runs: CPUID says it is vCPU 1, a hypercall answers, and both
 *    vCPUs add 1 to one counter 100000 times each with LOCK XADD, truly at
 *    once (200000 at the end)
 *  - vCPU 1 takes itself down (VCPUOP_down): is_up 0; VCPUOP_up resumes it
 *    after its down call; then it goes down again
 */
#include "guest.h"
#include <xen/hvm_vcpu.h>

DEFINE_GUEST_NAME;

#define VCPUOP_initialise	0
#define VCPUOP_up		1
#define VCPUOP_down		2
#define VCPUOP_is_up		3
#define ADDS			100000u

static uint8_t ap_stack[16384] __attribute__((aligned(16)));
static volatile uint32_t ap_id = ~0u, ap_hello, go, ap_added, ap_resumed;
static volatile long ap_version;
static volatile uint32_t counter;

static long vcpu_op(unsigned int cmd, unsigned int id, void *arg)
{
	return HYPERCALL3(HC_vcpu_op, cmd, id, arg);
}

static void add_many(void)
{
	for (uint32_t i = 0; i < ADDS; i++)
		asm volatile("lock xaddl %0, %1" : "+r"((uint32_t){ 1 }), "+m"(counter) :: "memory");
}

/* vCPU 1 starts here, interrupts off, on ap_stack; it never returns. */
static void __attribute__((used, __noreturn__)) ap_main(void)
{
	ap_id = cpuid(xen_base + 4, 0).b;
	ap_version = xen_version(XENVER_version, NULL);
	ap_hello = 1;
	while (!go)
		asm volatile("pause");
	add_many();
	ap_added = 1;
	vcpu_op(VCPUOP_down, 1, NULL);
	ap_resumed = 1;			/* after VCPUOP_up: the down call returned */
	for (;;)
		vcpu_op(VCPUOP_down, 1, NULL);
}

static void context(struct vcpu_hvm_context *c)
{
	uintptr_t sp = (uintptr_t)(ap_stack + sizeof(ap_stack)) - sizeof(void *);

	memset(c, 0, sizeof(*c));
#ifdef __x86_64__
	{
		uint64_t cr0, cr3, cr4;

		asm volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			     : "=r"(cr0), "=r"(cr3), "=r"(cr4));
		c->mode = VCPU_HVM_MODE_64B;
		c->cpu_regs.x86_64.rip = (uintptr_t)ap_main;
		c->cpu_regs.x86_64.rsp = sp;
		c->cpu_regs.x86_64.rflags = 2;
		c->cpu_regs.x86_64.cr0 = cr0;
		c->cpu_regs.x86_64.cr3 = cr3;
		c->cpu_regs.x86_64.cr4 = cr4;
		c->cpu_regs.x86_64.efer = rdmsr(0xc0000080) & ~(1ull << 12);	/* no SVME */
	}
#else
	c->mode = VCPU_HVM_MODE_32B;
	c->cpu_regs.x86_32.eip = (uintptr_t)ap_main;
	c->cpu_regs.x86_32.esp = sp;
	c->cpu_regs.x86_32.eflags = 2;
	c->cpu_regs.x86_32.cr0 = 0x11;		/* PE, ET */
	c->cpu_regs.x86_32.cs_limit = c->cpu_regs.x86_32.ds_limit = ~0u;
	c->cpu_regs.x86_32.ss_limit = c->cpu_regs.x86_32.es_limit = ~0u;
	c->cpu_regs.x86_32.cs_ar = 0xc9b;
	c->cpu_regs.x86_32.ds_ar = c->cpu_regs.x86_32.ss_ar = c->cpu_regs.x86_32.es_ar = 0xc93;
	c->cpu_regs.x86_32.tr_limit = 0x67;
	c->cpu_regs.x86_32.tr_ar = 0x8b;
#endif
}

/* Wait for *flag with yields; the other vCPU runs on another thread. */
static void wait_for(volatile uint32_t *flag, const char *what)
{
	for (unsigned long i = 0; !*flag; i++) {
		if (i > 2000000)
			fail("vCPU 1 never %s", what);
		HYPERCALL2(HC_sched_op, SCHEDOP_yield, 0);
	}
}

static void wait_down(void)
{
	for (unsigned long i = 0; vcpu_op(VCPUOP_is_up, 1, NULL) != 0; i++) {
		if (i > 2000000)
			fail("vCPU 1 never went down");
		HYPERCALL2(HC_sched_op, SCHEDOP_yield, 0);
	}
}

void guest_main(void)
{
	static struct vcpu_hvm_context c;
	long rc;

	need_xen();
	rc = vcpu_op(VCPUOP_is_up, 1, NULL);
	if (rc != 0)
		fail("vCPU 1 is_up %ld at start (run with vcpus=2)", rc);
	if (vcpu_op(VCPUOP_is_up, 0, NULL) != 1)
		fail("vCPU 0 not up");
	context(&c);
	rc = vcpu_op(VCPUOP_initialise, 0, &c);
	if (rc != -17)
		fail("initialise of vCPU 0 returned %ld, want -EEXIST", rc);
#ifndef __x86_64__
	c.cpu_regs.x86_32.cs_ar = 0xc93;
	rc = vcpu_op(VCPUOP_initialise, 1, &c);
	if (rc != -EINVAL)
		fail("initialise with a data segment in CS returned %ld, want -EINVAL", rc);
	context(&c);
#endif
	rc = vcpu_op(VCPUOP_initialise, 1, &c);
	if (rc)
		fail("initialise of vCPU 1 returned %ld", rc);
	rc = vcpu_op(VCPUOP_initialise, 1, &c);
	if (rc != -17)
		fail("second initialise of vCPU 1 returned %ld, want -EEXIST", rc);
	if (vcpu_op(VCPUOP_is_up, 1, NULL) != 0)
		fail("vCPU 1 up before VCPUOP_up");
	rc = vcpu_op(VCPUOP_up, 1, NULL);
	if (rc)
		fail("VCPUOP_up returned %ld", rc);
	wait_for(&ap_hello, "said hello");
	if (ap_id != 1)
		fail("vCPU 1's CPUID says vCPU %u", ap_id);
	if (ap_version != xen_version(XENVER_version, NULL))
		fail("xen_version on vCPU 1 gave %lx", ap_version);
	printf("xvmm-guest: %s: vCPU 1 up: CPUID vCPU id %u, xen_version %lx\n", guest_name,
	       ap_id, ap_version);

	go = 1;
	add_many();
	wait_for(&ap_added, "finished its adds");
	if (counter != 2 * ADDS)
		fail("counter %u after two vCPUs added %u each", counter, ADDS);
	wait_down();
	printf("xvmm-guest: %s: both vCPUs added at once: %u; vCPU 1 went down\n", guest_name,
	       counter);

	if (ap_resumed)
		fail("vCPU 1 ran on while down");
	rc = vcpu_op(VCPUOP_up, 1, NULL);
	if (rc)
		fail("VCPUOP_up again returned %ld", rc);
	wait_for(&ap_resumed, "resumed after VCPUOP_up");
	wait_down();
	printf("xvmm-guest: %s: vCPU 1 up again after its VCPUOP_down, and down\n", guest_name);
}
