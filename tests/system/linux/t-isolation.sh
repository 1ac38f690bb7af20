#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 900
#
# A Linux PVH guest cannot reach memory that is not its own: a module in
# the guest forges grant references towards dom0 and another guest (map and
# copy must fail), then reads and writes a guest-physical address beyond
# its RAM: as on Xen, reads give all ones and writes go nowhere, the VMM
# logs it once, and the prober, dom0 and the other guest carry on. DR0-DR3
# (in no VMCB: the VMM switches them) are the guest's own: it never sees
# dom0's and dom0 never gets the guest's.
. /lib/xvmm/lib.sh

check load xvmm load || { finish; exit 1; }
before=$(free_kb)
mkcfg prober
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
gcmd prober 60 "rmmod xvmm_guest_probe; insmod /lib/modules-extra/xvmm_guest_probe.ko mode=read addr=0x20000000; dmesg | grep 'xvmm_guest_probe: read'"
cat /tmp/out
grep -q 'xvmm_guest_probe: read 0xffffffff$' /tmp/out && pass prober-read-all-ones ||
	fail prober-read-all-ones "$(cat /tmp/out)"
grep -q 'read 0xffffffff after writing' /tmp/out && pass prober-write-went-nowhere ||
	fail prober-write-went-nowhere "$(cat /tmp/out)"
gcmd prober 60 'echo alive-$((40 + 2))' && grep -q alive-42 /tmp/out && pass prober-runs-on ||
	fail prober-runs-on "$(xvmm list)"
xvmm dmesg | grep -q 'read at 20000000, nothing there' && pass vmm-logged-the-access ||
	fail vmm-logged-the-access "$(xvmm dmesg | tail -5)"
[ "$(xvmm dmesg | grep -c ' at 20000000, nothing there')" = 1 ] && pass logged-once ||
	fail logged-once "$(xvmm dmesg | grep 'nothing there')"

# DR0-DR3: dom0 marks its own on every CPU; the guest reads zeros, writes
# its marks, reads them back after a sleep; dom0's marks are still there.
insmod "$XVMM_TEST_MODULES/xvmm_drpoke.ko" mode=set 2>/dev/null
dmesg | grep -q 'xvmm_drpoke: set on' && pass dom0-dr-marked || fail dom0-dr-marked "$(dmesg | tail -3)"
gcmd prober 60 "rmmod xvmm_guest_probe; insmod /lib/modules-extra/xvmm_guest_probe.ko mode=dr; echo rc=\$?; dmesg | grep 'xvmm_guest_probe: dr'"
cat /tmp/out
grep -q '^rc=0' /tmp/out && pass guest-dr-own || fail guest-dr-own "$(cat /tmp/out)"
insmod "$XVMM_TEST_MODULES/xvmm_drpoke.ko" mode=check 2>/dev/null
dmesg | grep 'xvmm_drpoke' | tail -n 4
dmesg | grep -q 'xvmm_drpoke: dom0.s DR0-DR3 intact' && pass dom0-dr-intact ||
	fail dom0-dr-intact "$(dmesg | grep xvmm_drpoke | tail -4)"
insmod "$XVMM_TEST_MODULES/xvmm_drpoke.ko" mode=clear 2>/dev/null

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
