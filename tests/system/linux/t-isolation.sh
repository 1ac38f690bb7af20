#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 900
#
# A Linux PVH guest cannot reach memory that is not its own: a module in
# the guest forges grant references towards dom0 and another guest (map and
# copy must fail), then reads a guest-physical address beyond its RAM (the
# guest is crashed, nothing else is touched). Dom0, the VMM and the other
# guest carry on.
. /lib/xvmm/lib.sh

wait_state() {	# NAME STATE
	for _ in $(seq 1 300); do
		xvmm list | awk -v n="$1" -v s="$2" '$1 == n && $5 == s { f = 1 } END { exit !f }' && return 0
		sleep 0.2
	done
	return 1
}

check load xvmm load || { finish; exit 1; }
before=$(free_kb)
mkcfg prober 'on_crash = "preserve"'
mkcfg bystander
check create-prober xvmm create /tmp/prober.cfg
check create-bystander xvmm create /tmp/bystander.cfg
wait_for prober "xvmm-linux: init started" 240 && wait_for bystander "xvmm-linux: init started" 240 &&
	pass guests-up || { fail guests-up; xvmm list; finish; exit 1; }
sleep 2
other=$(xvmm list | awk '$1 == "bystander" { print $2 }')

gcmd prober 60 "insmod /lib/modules-extra/xvmm_guest_probe.ko mode=grant other_domid=$other; echo rc=\$?; dmesg | grep xvmm_guest_probe"
cat /tmp/out
grep -q '^rc=0' /tmp/out && pass forged-grant-refs-refused || fail forged-grant-refs-refused "$(cat /tmp/out)"
check selftest-before xvmm selftest integrity

# 0x20000000 is beyond the guest's 160 MiB; so is every VMM and dom0 address it might guess.
printf 'rmmod xvmm_guest_probe; insmod /lib/modules-extra/xvmm_guest_probe.ko mode=read addr=0x20000000\n' |
	timeout 3 xvmm console prober >/dev/null 2>&1
wait_state prober c && pass prober-crashed || fail prober-crashed "$(xvmm list)"
grep -q 'this line must not appear' "$(log_of prober)" && fail prober-read-nothing || pass prober-read-nothing
xvmm dmesg | grep -q 'unbacked guest-physical address 20000000' && pass vmm-logged-the-access ||
	fail vmm-logged-the-access

gcmd bystander 60 'echo still-$((40 + 2))' && grep -q still-42 /tmp/out && pass bystander-unharmed ||
	fail bystander-unharmed "$(cat /tmp/out 2>/dev/null)"
check dom0-unharmed sh -c 'ls /proc >/dev/null && echo ok | grep -q ok'
check selftest-after xvmm selftest integrity

check destroy-prober xvmm destroy prober
check destroy-bystander xvmm destroy bystander
after=$(free_kb)
echo "free memory: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
