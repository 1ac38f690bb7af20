// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's DR0-DR3. VMRUN and #VMEXIT switch DR6 and DR7 (they are in
 * the VMCB's save area, APM vol. 2, 15.5.1 and appendix B) but not DR0-DR3:
 * without help a guest would read dom0's breakpoint addresses and leave
 * its own in dom0's registers. As KVM and Xen do, the switch is lazy: a
 * guest starts with its DR0-DR3 accesses intercepted (APM 15.9: the
 * MOV-DR intercepts fire before the instruction executes); the first one
 * saves dom0's, loads the guest's, drops the intercepts and lets the
 * instruction run again, this time natively. Before the CPU goes back to
 * dom0 the guest's are saved and dom0's put back. A guest whose DR7
 * enables a breakpoint gets its own registers loaded before VMRUN, so no
 * breakpoint of its fires on one of dom0's addresses.
 */
#include "cpu.h"
#include "svm.h"

#define DR0_3_INTERCEPTS	0x000fu		/* bits 0-3 of intercept_dr_read/write */
#define DR7_ENABLES		0x00ffull	/* L0/G0 .. L3/G3 */

void svm_guest_dr_init(struct svm_world *w)
{
	struct svm_vcpu *sv = w->vcpu->arch;

	for (unsigned int i = 0; i < 4; i++)
		sv->dr[i] = 0;		/* the architectural reset value (SDM vol. 3, 18.2.4) */
	sv->dr_live = false;
	w->vmcb->control.intercept_dr_read = DR0_3_INTERCEPTS;
	w->vmcb->control.intercept_dr_write = DR0_3_INTERCEPTS;
}

static void dr_load(struct svm_world *w)
{
	struct svm_vcpu *sv = w->vcpu->arch;

	dr0_3_save(sv->host_dr);
	dr0_3_load(sv->dr);
	sv->dr_live = true;
	w->vmcb->control.intercept_dr_read = 0;
	w->vmcb->control.intercept_dr_write = 0;
}

/* Exits 0x20-0x23 and 0x30-0x33: RIP stays, the access runs natively next. */
void svm_guest_dr_access(struct svm_world *w)
{
	struct svm_vcpu *sv = w->vcpu->arch;

	if (!sv->dr_live)
		dr_load(w);
}

void svm_guest_dr_prepare_entry(struct svm_world *w)
{
	struct svm_vcpu *sv = w->vcpu->arch;

	if (!sv->dr_live && (w->vmcb->save.dr7 & DR7_ENABLES))
		dr_load(w);
}

void svm_guest_dr_put(struct svm_world *w)
{
	struct svm_vcpu *sv = w->vcpu->arch;

	if (!sv->dr_live)
		return;
	dr0_3_save(sv->dr);
	dr0_3_load(sv->host_dr);
	sv->dr_live = false;
	w->vmcb->control.intercept_dr_read = DR0_3_INTERCEPTS;
	w->vmcb->control.intercept_dr_write = DR0_3_INTERCEPTS;
}
