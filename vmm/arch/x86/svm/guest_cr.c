// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's writes to CR0, CR4 and EFER on SVM. They are intercepted
 * (APM vol. 2, 15.9 and 15.11) so that the rules of vmm/xen/cr_policy.c
 * decide them: a bit the guest's CPUID does not offer or an illegal
 * combination is #GP, as on Xen, and never a VMCB that VMRUN refuses
 * (APM 15.5.1). Without decode assists (15.33: QEMU has none) the exit
 * does not say which register was the source: the instruction is fetched
 * at RIP and decoded (vmm/core/insn_decode.c).
 */
#include "cpu.h"
#include "cr_policy.h"
#include "errno.h"
#include "guest_walk.h"
#include "insn_decode.h"
#include "log.h"
#include "svm.h"
#include "vcpu_regs.h"

#define GP_VECTOR	13

/*
 * The guest's EFER.LME lives in the VMCB only while long mode is active
 * (LMA), as Xen's svm_update_guest_efer keeps it: with paging off, LME has
 * no effect until CR0.PG is set, which is intercepted. QEMU 7.2 needs it
 * so: at #VMEXIT it loads the host's CR0 while the guest's EFER is still
 * in place, and with the guest's LME set, PG and PAE clear it takes that
 * for a long-mode entry without PAE and keeps the guest's CR0 for the
 * host (do_vmexit / cpu_x86_update_cr0): the CPU is lost.
 */
static void state_of(const struct svm_world *w, struct guest_cr_state *s)
{
	const struct vmcb *v = w->vmcb;
	const struct svm_vcpu *sv = w->vcpu->arch;

	s->cr0 = v->save.cr0;
	s->cr3 = v->save.cr3;
	s->cr4 = v->save.cr4;
	s->efer = (v->save.efer & ~(EFER_SVME | EFER_LME)) | (sv->guest_lme ? EFER_LME : 0);
	s->cs_long = v->save.cs.attrib & BIT(9);	/* VMCB attrib bit 9 is L */
}

u64 svm_vmcb_efer(u64 guest_efer)
{
	u64 e = (guest_efer & ~EFER_LME) | EFER_SVME;	/* SVME: VMRUN needs it (15.5.1) */

	return (guest_efer & EFER_LMA) ? e | EFER_LME : e;
}

static void apply(struct svm_world *w, const struct guest_cr_state *s, bool flush)
{
	struct vmcb *v = w->vmcb;
	struct svm_vcpu *sv = w->vcpu->arch;

	v->save.cr0 = s->cr0;
	v->save.cr4 = s->cr4;
	sv->guest_lme = s->efer & EFER_LME;
	v->save.efer = svm_vmcb_efer(s->efer);
	if (flush)
		v->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
}

static u64 valid_bits(struct vcpu *vcpu, bool efer)
{
	struct guest_cr_features f;

	guest_cr_features_of(vcpu, &f);
	return efer ? guest_efer_valid_bits(&f) : guest_cr4_valid_bits(&f);
}

const char *svm_guest_cr_write(struct svm_world *w, unsigned int cr)
{
	struct vcpu *vcpu = w->vcpu;
	struct vmcb *v = w->vmcb;
	struct guest_cr_state s;
	struct x86_cr_insn insn;
	u8 bytes[X86_MAX_INSN_LEN];
	unsigned int bits = vcpu_code_bits(vcpu), n;
	bool flush = false;
	u64 val;
	int err;

	n = guest_fetch_insn(vcpu, bytes);
	if (x86_decode_cr_write(bytes, n, bits, &insn)) {
		pr_info("d%u: CR%u write at %llx not decoded (%u bytes: %02x %02x %02x %02x)\n",
			vcpu->domain->id, cr, v->save.rip, n, bytes[0], bytes[1], bytes[2],
			bytes[3]);
		return "control register write not decoded";
	}
	state_of(w, &s);
	val = vcpu_reg_get(vcpu, vcpu_reg_by_number(insn.gpr));
	if (bits != 64)
		val = (u32)val;		/* outside 64-bit mode the operand is 32 bits */
	switch (insn.op) {
	case X86_CLTS:
		val = s.cr0 & ~CR0_TS;
		break;
	case X86_LMSW:
		/* LMSW loads MP, EM, TS and sets (never clears) PE (SDM vol. 2). */
		val = (s.cr0 & ~(u64)(CR0_MP | CR0_EM | CR0_TS)) | (val & 0xe) |
		      (s.cr0 & CR0_PE) | (val & CR0_PE);
		break;
	case X86_MOV_TO_CR:
		if (insn.cr != cr)
			return "control register write not the one that exited";
		break;
	}
	if (cr == 0)
		err = guest_cr0_write(&s, val, &flush);
	else
		err = guest_cr4_write(&s, val, valid_bits(vcpu, false), &flush);
	if (err) {
		svm_inject_exception(v, GP_VECTOR, true, 0);
		return NULL;
	}
	apply(w, &s, flush);
	svm_skip_instruction(v, insn.len);
	return NULL;
}

int svm_guest_efer(struct svm_world *w, bool write, u64 *val)
{
	struct guest_cr_state s;
	bool flush = false;

	state_of(w, &s);
	if (!write) {
		*val = s.efer;		/* SVME is the VMM's, not the guest's */
		return 0;
	}
	if (guest_efer_write(&s, *val, valid_bits(w->vcpu, true), &flush))
		return -EINVAL;
	apply(w, &s, flush);
	return 0;
}
