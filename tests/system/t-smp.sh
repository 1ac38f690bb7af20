#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A test guest with vcpus = 2, 64- and 32-bit, starts its second vCPU with
# VCPUOP_initialise and VCPUOP_up (tests/guests/smp.c): both vCPUs run at
# once, the second goes down and comes up again. The same guest with
# vcpus = 8 on this 2-CPU machine (more vCPUs than CPUs; only two used).
# Also: a domain with vcpus = 65 is refused with a message, nothing left.
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS

check load xvmm load || { finish; exit 1; }
before=$(free_kb)
for v in "" -32; do
	for n in 2 8; do
		name=smp$v-$n
		timeout 120 xvmm create -c "$G/smp$v.cfg" name=$name vcpus=$n on_poweroff=preserve \
			>/tmp/$name.out 2>&1
		sed 's/^/    /' /tmp/$name.out
		grep -q "xvmm-guest: smp: PASS" /tmp/$name.out && pass guest-$name ||
			fail guest-$name "no PASS verdict"
		xvmm list | awk -v n="$name" '$1 == n && $4 == '"$n"' { f = 1 } END { exit !f }' &&
			pass $name-has-$n-vcpus || fail $name-has-$n-vcpus "$(xvmm list)"
		xvmm destroy $name >/dev/null || fail destroy-$name
	done
done
if xvmm create "$G/smp.cfg" name=toomany vcpus=65 >/tmp/toomany.out 2>&1; then
	fail vcpus-65-refused "$(cat /tmp/toomany.out)"
else
	grep -q vcpus /tmp/toomany.out && pass vcpus-65-refused || fail vcpus-65-refused "$(cat /tmp/toomany.out)"
fi
xvmm list | grep -q '^toomany ' && fail nothing-left "$(xvmm list)" || pass nothing-left
xvmm dmesg | grep -q 'FATAL\|VMRUN failed' && fail vmm-no-fatal "$(xvmm dmesg | grep 'FATAL\|VMRUN')" ||
	pass vmm-no-fatal
check selftest xvmm selftest integrity
after=$(free_kb)
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
