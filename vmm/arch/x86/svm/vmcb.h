/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMCB: AMD APM vol. 2, appendix B ("Layout of VMCB"), tables B-1
 * (control area) and B-2 (state save area, non-SEV).
 */
#ifndef VMM_SVM_VMCB_H
#define VMM_SVM_VMCB_H

#include "types.h"

struct vmcb_seg {
	u16 selector;
	u16 attrib;		/* descriptor bits 40-47 and 52-55, packed */
	u32 limit;
	u64 base;
};

struct vmcb_control {
	u16 intercept_cr_read;		/* 0x000 */
	u16 intercept_cr_write;
	u16 intercept_dr_read;
	u16 intercept_dr_write;
	u32 intercept_exceptions;	/* 0x008 */
	u32 intercept_misc1;		/* 0x00c */
	u32 intercept_misc2;		/* 0x010 */
	u32 intercept_misc3;		/* 0x014 */
	u8 reserved1[0x03c - 0x018];
	u16 pause_filter_threshold;	/* 0x03c */
	u16 pause_filter_count;
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_control;			/* 0x05c */
	u8 reserved2[3];
	u32 int_ctl;			/* 0x060: V_TPR, V_IRQ, V_INTR_MASKING, ... */
	u32 int_vector;			/* 0x064: V_INTR_VECTOR (bits 7:0) */
	u64 int_state;			/* 0x068: interrupt shadow */
	u64 exit_code;			/* 0x070 */
	u64 exit_info1;			/* 0x078 */
	u64 exit_info2;			/* 0x080 */
	u64 exit_int_info;		/* 0x088 */
	u64 np_control;			/* 0x090: bit 0 NP_ENABLE */
	u64 avic_apic_bar;		/* 0x098 */
	u64 ghcb_pa;			/* 0x0a0 */
	u64 event_inj;			/* 0x0a8 */
	u64 n_cr3;			/* 0x0b0 */
	u64 virt_ext;			/* 0x0b8: LBR virtualization, VMSAVE/VMLOAD virt */
	u32 clean;			/* 0x0c0 */
	u32 reserved3;
	u64 next_rip;			/* 0x0c8 */
	u8 insn_len;			/* 0x0d0 */
	u8 insn_bytes[15];
	u8 reserved4[0x400 - 0x0e0];
};

struct vmcb_save {
	struct vmcb_seg es;		/* 0x400 */
	struct vmcb_seg cs;
	struct vmcb_seg ss;
	struct vmcb_seg ds;
	struct vmcb_seg fs;
	struct vmcb_seg gs;
	struct vmcb_seg gdtr;
	struct vmcb_seg ldtr;
	struct vmcb_seg idtr;
	struct vmcb_seg tr;		/* 0x490 */
	u8 reserved1[0x4cb - 0x4a0];
	u8 cpl;				/* 0x4cb */
	u32 reserved2;
	u64 efer;			/* 0x4d0 */
	u8 reserved3[0x548 - 0x4d8];
	u64 cr4;			/* 0x548 */
	u64 cr3;
	u64 cr0;
	u64 dr7;
	u64 dr6;
	u64 rflags;			/* 0x570 */
	u64 rip;
	u8 reserved4[0x5d8 - 0x580];
	u64 rsp;			/* 0x5d8 */
	u64 s_cet;
	u64 ssp;
	u64 isst_addr;
	u64 rax;			/* 0x5f8 */
	u64 star;			/* 0x600 */
	u64 lstar;
	u64 cstar;
	u64 sfmask;
	u64 kernel_gs_base;		/* 0x620 */
	u64 sysenter_cs;
	u64 sysenter_esp;
	u64 sysenter_eip;
	u64 cr2;			/* 0x640 */
	u8 reserved5[0x668 - 0x648];
	u64 g_pat;			/* 0x668 */
	u64 dbgctl;
	u64 br_from;
	u64 br_to;
	u64 last_excp_from;
	u64 last_excp_to;		/* 0x690 */
	u8 reserved6[0x1000 - 0x698];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

_Static_assert(sizeof(struct vmcb_control) == 0x400, "VMCB control area");
_Static_assert(__builtin_offsetof(struct vmcb, save.cpl) == 0x4cb, "VMCB cpl");
_Static_assert(__builtin_offsetof(struct vmcb, save.efer) == 0x4d0, "VMCB efer");
_Static_assert(__builtin_offsetof(struct vmcb, save.cr4) == 0x548, "VMCB cr4");
_Static_assert(__builtin_offsetof(struct vmcb, save.rip) == 0x578, "VMCB rip");
_Static_assert(__builtin_offsetof(struct vmcb, save.rsp) == 0x5d8, "VMCB rsp");
_Static_assert(__builtin_offsetof(struct vmcb, save.rax) == 0x5f8, "VMCB rax");
_Static_assert(__builtin_offsetof(struct vmcb, save.cr2) == 0x640, "VMCB cr2");
_Static_assert(__builtin_offsetof(struct vmcb, save.g_pat) == 0x668, "VMCB g_pat");
_Static_assert(sizeof(struct vmcb) == 0x1000, "VMCB size");

/* CR write intercepts (offset 0x02), bit n = CRn. */
#define INTERCEPT_CR0_WRITE	BIT(0)
#define INTERCEPT_CR4_WRITE	BIT(4)

/* Intercept vector 3 (misc1), APM table B-1 offset 0x0c. */
#define INTERCEPT_INTR		BIT(0)
#define INTERCEPT_NMI		BIT(1)
#define INTERCEPT_SMI		BIT(2)
#define INTERCEPT_INIT		BIT(3)
#define INTERCEPT_CPUID		BIT(18)
#define INTERCEPT_HLT		BIT(24)
#define INTERCEPT_INVLPGA	BIT(26)
#define INTERCEPT_IOIO		BIT(27)
#define INTERCEPT_MSR		BIT(28)
#define INTERCEPT_SHUTDOWN	BIT(31)
/* Intercept vector 4 (misc2), offset 0x10. */
#define INTERCEPT_VMRUN		BIT(0)
#define INTERCEPT_VMMCALL	BIT(1)
#define INTERCEPT_VMLOAD	BIT(2)
#define INTERCEPT_VMSAVE	BIT(3)
#define INTERCEPT_STGI		BIT(4)
#define INTERCEPT_CLGI		BIT(5)
#define INTERCEPT_SKINIT	BIT(6)
#define INTERCEPT_MONITOR	BIT(10)
#define INTERCEPT_MWAIT		BIT(11)
#define INTERCEPT_XSETBV	BIT(13)

/* int_ctl (offset 0x60), APM 15.21.4: a virtual interrupt for the guest. */
#define V_IRQ			BIT(8)
#define V_INTR_PRIO_SHIFT	16
#define V_IGN_TPR		BIT(20)
#define V_INTR_MASKING		BIT(24)

/* tlb_control (offset 0x5c), APM 15.16.1. */
#define TLB_CONTROL_FLUSH_ALL	1

/* EVENTINJ (APM 15.20). */
#define EVENTINJ_VALID		BIT(31)
#define EVENTINJ_TYPE_NMI	(2u << 8)
#define EVENTINJ_TYPE_EXCEPTION	(3u << 8)
#define EVENTINJ_ERROR_VALID	BIT(11)

/* Exit codes, APM appendix C. */
#define SVM_EXIT_WRITE_CR0	0x010
#define SVM_EXIT_WRITE_CR4	0x014
#define SVM_EXIT_READ_DR0	0x020	/* .. DR15: 0x02f */
#define SVM_EXIT_WRITE_DR0	0x030	/* .. DR15: 0x03f */
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_SMI		0x062
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_VMLOAD		0x082
#define SVM_EXIT_VMSAVE		0x083
#define SVM_EXIT_STGI		0x084
#define SVM_EXIT_CLGI		0x085
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_MONITOR	0x08a
#define SVM_EXIT_MWAIT		0x08b
#define SVM_EXIT_XSETBV		0x08d
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_CODE_MAX	0x403
/* QEMU reports VMEXIT_INVALID as a 32-bit -1; hardware as a 64-bit one. */
#define SVM_EXIT_INVALID_LOW	0xffffffffull

#endif
