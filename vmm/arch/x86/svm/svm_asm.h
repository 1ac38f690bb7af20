/* SPDX-License-Identifier: GPL-2.0-only */
/* Structure offsets shared by vmrun.S and C (checked in svm.c). */
#ifndef VMM_SVM_ASM_H
#define VMM_SVM_ASM_H

/* struct guest_regs / struct svm_world offsets */
#define GR_RBX	0
#define GR_RCX	8
#define GR_RDX	16
#define GR_RSI	24
#define GR_RDI	32
#define GR_RBP	40
#define GR_R8	48
#define GR_R9	56
#define GR_R10	64
#define GR_R11	72
#define GR_R12	80
#define GR_R13	88
#define GR_R14	96
#define GR_R15	104
#define WORLD_VMCB_PA	112

#endif
