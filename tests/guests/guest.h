/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runtime of the xvmm test guests: tiny freestanding PVH kernels built
 * twice from the same sources (-m32 and -m64). Each guest provides
 * guest_main() and names itself with DEFINE_GUEST_NAME; the runtime prints,
 * finds the Xen CPUID leaves, installs the hypercall page and turns a
 * return from guest_main() into a PASS verdict.
 *
 * Xen ABI numbers below are from Xen's public headers (xen.h, version.h,
 * features.h, memory.h, sched.h, arch-x86/cpuid.h); definitions are ours.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/hvm_start_info.h>

/* Hypercall numbers. */
#define HC_memory_op		12
#define HC_xen_version		17
#define HC_console_io		18
#define HC_sched_op_compat	6
#define HC_vcpu_op		24
#define HC_sched_op		29
#define HC_iret			23	/* the page may hold ud2 here */

/* console_io */
#define CONSOLEIO_write		0

/* xen_version sub-ops */
#define XENVER_version		0
#define XENVER_extraversion	1	/* char[16] */
#define XENVER_capabilities	3	/* char[1024] */
#define XENVER_get_features	6	/* struct xen_feature_info */
#define XENVER_pagesize		7

struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};

#define XENFEAT_auto_translated_physmap	2
#define XENFEAT_hvm_callback_vector	8
#define XENFEAT_hvm_safe_pvclock	9

/* memory_op */
#define XENMEM_memory_map	9
#define MEMOP_CMD_MASK		0x3f	/* the rest of cmd is a continuation */

struct xen_memory_map {
	uint32_t nr_entries;		/* IN: room in buffer; OUT: entries */
	void *buffer;			/* handle: pointer-sized in both ABIs */
};

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

/* sched_op */
#define SCHEDOP_yield		0
#define SCHEDOP_block		1
#define SCHEDOP_shutdown	2
#define SCHEDOP_poll		3
#define SHUTDOWN_poweroff	0
#define SHUTDOWN_crash		3

/* Errno values as Xen returns them (negated). */
#define EPERM	1
#define ESRCH	3
#define EFAULT	14
#define EINVAL	22
#define ENOSYS	38

/* CPUID: Xen leaves (relative to the base found by scanning). */
#define XEN_CPUID_FIRST		0x40000000u
#define XEN_CPUID_LAST		0x4000ff00u
#define XEN_CPUID_STEP		0x100u
#define XEN_HVM_CPUID_VCPU_ID	(1u << 3)	/* leaf base+4 EAX */

#define PAGE_SIZE		4096u

/* What the guest can reach: 4 GiB, identity-mapped in long mode, directly without paging. */
#ifdef __x86_64__
#define MAPPED_LIMIT		0x100000000ull
#define GUEST_BITS		64
#else
#define MAPPED_LIMIT		0x100000000ull
#define GUEST_BITS		32
#endif

/* printf("%llx", ULL(v)) for uint64_t values in both builds. */
#define ULL(v)			((unsigned long long)(v))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define noreturn		__attribute__((noreturn))

/* Each guest: its name, and its body. Returning from guest_main() is PASS. */
#define DEFINE_GUEST_NAME	const char guest_name[] = GUEST_NAME
extern const char guest_name[];
void guest_main(void);

/* Runtime state. */
extern struct hvm_start_info *start_info;	/* from EBX at entry */
extern uint32_t xen_base;			/* 0: no Xen leaves */
extern char hypercall_page[];			/* head32.S */
extern char _image_start[], _image_end[], _text_start[], _text_end[];

/* Output: printf goes to port 0xE9 and, once Xen is found, console_io. */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void debugcon_write(const char *s, size_t len);

/* Verdicts; each ends the domain (or halts without Xen). */
noreturn void pass(void);
noreturn void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void skip_no_xen(void);
noreturn void shutdown(unsigned int reason);
noreturn void halt(void);
void need_xen(void);				/* SKIP unless the Xen leaves are there */
/* Point IDT vector @vector (32-255 for interrupts) at @entry, an interrupt gate. */
void idt_set_gate(unsigned int vector, void (*entry)(void));

/* Hypercalls: through the hypercall page, or a bare vmmcall/vmcall. */
void xen_init(void);
long hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
	       unsigned long a3, unsigned long a4, unsigned long a5);
long hypercall_bare(unsigned long nr, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5);
#define HYPERCALL2(nr, a, b) \
	hypercall((nr), (unsigned long)(a), (unsigned long)(b), 0, 0, 0)
#define HYPERCALL3(nr, a, b, c) \
	hypercall((nr), (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), 0, 0)

static inline long xen_version(int cmd, void *arg)
{
	return HYPERCALL2(HC_xen_version, cmd, arg);
}

static inline long memory_op(unsigned int cmd, void *arg)
{
	return HYPERCALL2(HC_memory_op, cmd, arg);
}

/* CPU helpers. */
struct cpuid_regs { uint32_t a, b, c, d; };
static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
		     : "0"(leaf), "2"(subleaf));
	return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" :: "c"(msr), "a"((uint32_t)val),
		     "d"((uint32_t)(val >> 32)) : "memory");
}

static inline void outb(uint16_t port, uint8_t val)
{
	asm volatile("outb %0, %1" :: "a"(val), "Nd"(port));
}

/* Guest-physical address <-> pointer (identity mapped). */
static inline void *phys_to_ptr(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

/* Can [pa, pa + len) be read through our mappings? */
static inline int phys_mapped(uint64_t pa, uint64_t len)
{
	return pa < MAPPED_LIMIT && len <= MAPPED_LIMIT - pa;
}

/*
 * Fault recovery. An exception (vectors 0-31) is a FAIL unless a recovery
 * point is armed: then the handler records what happened in last_fault,
 * disarms, and resumes at the fixup address (an iret, all registers as
 * they were at the fault). try_asm() arms around one asm statement; its
 * value is the vector, or NO_FAULT. It must have extended-asm operands
 * (at least ":::") and should clobber "memory". A trap (#DB after a data
 * breakpoint, #BP) resumes at the same fixup as a fault.
 */
#define NO_FAULT		(-1)
#define FAULT_UNREACHABLE	(-2)	/* try_*_phys: not addressable in this build */

struct fault_info {
	int vector;			/* NO_FAULT, or 0-31 */
	unsigned long error, ip, cr2;
	unsigned int count;		/* faults recovered so far */
};
extern volatile struct fault_info last_fault;
extern volatile unsigned long fault_fixup;	/* armed: where the handler resumes */

#ifdef __x86_64__
#define FIXUP_ARM	"movq $9f, fault_fixup(%%rip)\n\t"
#define FIXUP_DONE	"\n9:\tmovq $0, fault_fixup(%%rip)"
#else
#define FIXUP_ARM	"movl $9f, fault_fixup\n\t"
#define FIXUP_DONE	"\n9:\tmovl $0, fault_fixup"
#endif
#define try_asm(insns, ...) ({						\
	last_fault.vector = NO_FAULT;					\
	asm volatile(FIXUP_ARM insns FIXUP_DONE __VA_ARGS__);		\
	last_fault.vector;						\
})

/* Each returns NO_FAULT or the vector (try_*_phys also FAULT_UNREACHABLE). */
int try_rdmsr(uint32_t msr, uint64_t *val);
int try_wrmsr(uint32_t msr, uint64_t val);
int try_write_cr0(unsigned long val);
int try_write_cr3(unsigned long val);
int try_write_cr4(unsigned long val);
int try_lmsw(uint16_t val);
int try_clts(void);
int try_xsetbv(uint32_t xcr, uint64_t val);
int try_xgetbv(uint32_t xcr, uint64_t *val);
int try_ldmxcsr(uint32_t val);
int try_fldcw(uint16_t val);
int try_fxsave(void *area);		/* 512 bytes, 16-byte aligned */
int try_fxrstor(const void *area);
int try_xrstor(const void *area, uint64_t mask);	/* 64-byte aligned */
int try_write_dr(unsigned int n, unsigned long val);	/* 0-7 */
int try_read_dr(unsigned int n, unsigned long *val);
/* A segment register, LDTR or TR loaded with @sel; the old value is put back at once. */
enum seg_reg { SEG_ES, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_NR };
int try_load_seg(enum seg_reg seg, uint16_t sel);
int try_in(uint16_t port, unsigned int size, uint32_t *val);	/* size 1, 2, 4 */
int try_out(uint16_t port, unsigned int size, uint32_t val);
/*
 * A guest-physical access of 1, 2, 4 or 8 bytes by a plain MOV. 64-bit:
 * through a scratch mapping (PML4 slot 1), so any address the page tables
 * can name; 32-bit (paging off): below 4 GiB only.
 */
int try_read_phys(uint64_t pa, unsigned int size, uint64_t *val);
int try_write_phys(uint64_t pa, unsigned int size, uint64_t val);

static inline unsigned long read_cr0(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr4(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* Freestanding string helpers (lib in rt.c; GCC may also call the mem*). */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strncmp(const char *a, const char *b, size_t n);

#endif /* GUEST_H */
