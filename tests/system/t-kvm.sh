#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/tests/progs/kvm_smoke
#
# KVM and xvmm exclude each other cleanly, in both orders:
#  - while xvmm is loaded, KVM cannot create a VM (EBUSY: EFER.SVME is set);
#  - while a KVM VM exists, `xvmm load` fails with EBUSY and a clear
#    message, leaking nothing; once the VM is gone, load works;
#  - after unload, a KVM VM runs.
. /lib/xvmm/lib.sh
K=/extra/kvm_smoke

check modprobe-kvm-amd modprobe kvm-amd || { finish; exit 1; }
check kvm-runs-before $K run

# 1. xvmm loaded: KVM refuses.
check load xvmm load
$K create >/tmp/create 2>&1
st=$?
if [ $st -eq 3 ]; then
	pass kvm-create-ebusy-while-loaded
else
	fail kvm-create-ebusy-while-loaded "kvm_smoke create exited $st: $(cat /tmp/create)"
fi
check dom0-healthy sh -c 'xvmm status >/dev/null && ls /proc >/dev/null && sleep 0.2'
check unload xvmm unload
check kvm-runs-after-unload $K run

# 2. A KVM VM exists: xvmm refuses to load, and leaks nothing.
before=$(free_kb)
rm -f /tmp/held
$K hold /tmp/held &
holder=$!
for i in $(seq 1 100); do [ -e /tmp/held ] && break; sleep 0.1; done
if [ -e /tmp/held ]; then
	xvmm load >/tmp/load 2>&1
	st=$?
	if [ $st -ne 0 ] && grep -q 'in use by another hypervisor' /tmp/load; then
		pass load-refused-while-kvm-vm
	else
		fail load-refused-while-kvm-vm "exit $st: $(cat /tmp/load)"
	fi
	dmesg | grep -q 'xvmm: VMM init failed (-16)' && pass driver-says-ebusy ||
		fail driver-says-ebusy "no EBUSY message in dmesg"
	rm -f /tmp/held
else
	fail load-refused-while-kvm-vm "kvm_smoke hold did not start"
fi
wait $holder
rmmod xvmm 2>/dev/null
after=$(free_kb)
# One leaked load would be 16 MiB; page-cache noise is far below 4 MiB.
if [ $((before - after)) -lt 4096 ]; then
	pass no-leak-after-refused-load
else
	fail no-leak-after-refused-load "free $before kB before, $after kB after"
fi
check load-after-kvm-vm-gone xvmm load
check unload-again xvmm unload
check kvm-runs-at-end $K run
finish
