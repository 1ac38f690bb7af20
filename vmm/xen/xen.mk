# SPDX-License-Identifier: GPL-2.0-only
#
# Unit tests of vmm/xen (included from vmm/vmm.mk). Each test links the
# code under test with tests/unit/test_xen_fakes.c, which stands in for
# vmm/core's domain functions, the backend's register access and the TSC.

XEN_UNIT_FAKES := tests/unit/test_xen_fakes.c
# The dispatch table names every handler, so hypercall tests link them all
# (and the guest page walk behind every guest buffer).
XEN_UNIT_HCALL := vmm/xen/hypercall.c vmm/xen/version.c vmm/xen/console.c \
	vmm/xen/sched.c vmm/xen/memory.c vmm/xen/hvm.c vmm/xen/evtchn.c vmm/xen/evtchn_fifo.c \
	vmm/xen/vcpu.c vmm/xen/time.c vmm/xen/grant.c vmm/xen/grant_dom0.c \
	vmm/xen/grant_table.c vmm/xen/grant_guest.c \
	vmm/xen/guest_copy.c vmm/xen/privileged.c vmm/core/guest_walk.c \
	vmm/core/vcpu_start.c vmm/core/vlapic.c vmm/xen/cpuid.c vmm/xen/vcpu_context.c \
	vmm/xen/cr_policy.c

XEN_UNIT_TESTS := xen_hypercall xen_version xen_console xen_sched xen_memory xen_hvm \
	xen_evtchn xen_evtchn_fifo xen_vcpu xen_time xen_grant xen_grant_dom0 xen_grant_guest xen_privileged \
	vcpu_start
UNIT_TESTS += $(XEN_UNIT_TESTS) xen_cpuid xen_msr xen_ioport guest_walk

$(foreach t,$(XEN_UNIT_TESTS),$(eval UNIT_SRCS_$(t) := tests/unit/test_$(t).c $(XEN_UNIT_FAKES) $(XEN_UNIT_HCALL)))
UNIT_SRCS_xen_cpuid := tests/unit/test_xen_cpuid.c $(XEN_UNIT_FAKES) vmm/xen/cpuid.c
UNIT_SRCS_xen_msr := tests/unit/test_xen_msr.c $(XEN_UNIT_FAKES) vmm/xen/msr.c
UNIT_SRCS_xen_ioport := tests/unit/test_xen_ioport.c $(XEN_UNIT_FAKES) vmm/xen/ioport.c
UNIT_SRCS_guest_walk := tests/unit/test_guest_walk.c $(XEN_UNIT_FAKES) vmm/core/guest_walk.c vmm/xen/guest_copy.c

$(foreach t,$(XEN_UNIT_TESTS) xen_msr xen_ioport guest_walk,$(eval UNIT_CFLAGS_$(t) := $(VMM_UNIT_CFLAGS) -iquote vmm/xen))
# The CPUID test calls the filter directly (vmm/xen/xen_internal.h).
UNIT_CFLAGS_xen_cpuid := $(VMM_UNIT_CFLAGS) -iquote vmm/xen

# CR0/CR4/EFER write rules, pure (xen_cpuid is stubbed in the test).
UNIT_TESTS += cr_policy
UNIT_SRCS_cr_policy := tests/unit/test_cr_policy.c vmm/xen/cr_policy.c
UNIT_CFLAGS_cr_policy := $(VMM_UNIT_CFLAGS)
