/* SPDX-License-Identifier: MIT */
/*
 * xvmm control ABI: the one definition shared by the VMM, the dom0 driver
 * and the tools.
 *
 * Control calls are VMMCALL (AMD) / VMCALL (Intel) from dom0 ring 0 only.
 * RAX holds XVMM_HC(op); arguments are in RDI, RSI, RDX, R10; the result
 * comes back in RAX as a non-negative value or a negative errno (Linux
 * numbering, which dom0 userspace sees unchanged through the driver).
 * The op range is disjoint from Xen's hypercall numbers (0..63), so one
 * VMMCALL exit can tell the two apart.
 */
#ifndef XVMM_CONTROL_H
#define XVMM_CONTROL_H

#define XVMM_HC_BASE		0x58560000u	/* "XV" << 16 */
#define XVMM_HC_MASK		0xffff0000u
#define XVMM_HC(op)		(XVMM_HC_BASE | (op))
#define XVMM_HC_IS_CONTROL(rax)	(((rax) & 0xffffffffffff0000ull) == XVMM_HC_BASE)

/* Control operations (low 16 bits of RAX). */
#define XVMM_OP_VERSION		0x0001	/* -> XVMM_ABI_VERSION; RDI = PA of struct xvmm_version or 0 */
#define XVMM_OP_STATUS		0x0002	/* RDI = PA of struct xvmm_status */
#define XVMM_OP_LOG_READ	0x0003	/* RDI = PA of struct xvmm_log_read (one page), RSI = cursor */
#define XVMM_OP_UNLOAD		0x0004	/* on each CPU: leave SVM/VMX, return 0 to the caller */
#define XVMM_OP_SELFTEST	0x0005	/* RDI = XVMM_SELFTEST_* -> 0 or -errno */

/* XVMM_OP_SELFTEST sub-ops. */
#define XVMM_SELFTEST_INTEGRITY	1	/* image text/rodata and the canary page intact */

/* ABI version: bump the major on any incompatible change. */
#define XVMM_ABI_MAJOR		0
#define XVMM_ABI_MINOR		1
#define XVMM_ABI_VERSION	((XVMM_ABI_MAJOR << 16) | XVMM_ABI_MINOR)

#define XVMM_VERSION_STR_LEN	64

struct xvmm_version {
	unsigned int abi;				/* XVMM_ABI_VERSION */
	unsigned int reserved;
	char version[XVMM_VERSION_STR_LEN];		/* NUL-terminated build version */
};

#define XVMM_MAX_CPUS		64

struct xvmm_status {
	unsigned int abi;
	unsigned int nr_cpus;				/* CPUs running under the VMM */
	unsigned long long cpu_mask;			/* bit n: CPU index n launched */
	unsigned long long mem_total;			/* bytes of memory given to the VMM */
	unsigned long long mem_free;			/* bytes of its page pool still free */
	unsigned long long exits[XVMM_MAX_CPUS];	/* #VMEXITs handled per CPU */
	char version[XVMM_VERSION_STR_LEN];
};

/* XVMM_OP_LOG_READ fills one page of this shape. */
#define XVMM_LOG_PAGE		4096
#define XVMM_LOG_DATA_MAX	(XVMM_LOG_PAGE - 16)

struct xvmm_log_read {
	unsigned long long cursor;	/* out: where the next read starts */
	unsigned int len;		/* out: bytes in data */
	unsigned int dropped;		/* out: bytes lost to ring wrap before data */
	char data[XVMM_LOG_DATA_MAX];
};

#endif /* XVMM_CONTROL_H */
