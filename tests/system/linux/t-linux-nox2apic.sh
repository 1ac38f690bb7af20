#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 900
#
# Debian's 6.1 kernel as a PVH domU booted with `nox2apic`: it stays in
# the xAPIC mode its local APIC starts in and drives it through the xAPIC
# page, which the VMM emulates (MMIO through nested page faults). It must
# reach a shell on hvc0 with a clean dmesg, not enable x2APIC, have taken
# nested page faults (the APIC accesses), and power off cleanly.
. /lib/xvmm/lib.sh

check load xvmm load || { finish; exit 1; }
mkcfg linuxx
sed -i 's/^cmdline = "\(.*\)"$/cmdline = "\1 nox2apic"/' /tmp/linuxx.cfg
grep -q 'nox2apic' /tmp/linuxx.cfg || { fail cfg "$(cat /tmp/linuxx.cfg)"; finish; exit 1; }
check create-linux-nox2apic xvmm create /tmp/linuxx.cfg
if wait_for linuxx "xvmm-linux: init started" 240; then
	pass linux-nox2apic-reached-init
else
	fail linux-nox2apic-reached-init "no init line on hvc0 in 240 s"
	xvmm list
	tail -n 40 "$(log_of linuxx)"; xvmm dmesg | tail -n 20
	finish; exit 1
fi
sleep 2
gcmd linuxx 30 'dmesg' && cp /tmp/out /tmp/guest-dmesg
grep -iE 'x2apic|apic' /tmp/guest-dmesg | head -n 10
grep -qi 'x2apic enabled' /tmp/guest-dmesg && fail guest-stays-xapic "$(grep -i x2apic /tmp/guest-dmesg)" ||
	pass guest-stays-xapic
if grep -E 'BUG:|WARNING: CPU|Oops|Kernel panic|cut here|Call Trace' /tmp/guest-dmesg >/tmp/bad; then
	fail guest-dmesg-clean "$(head -n 5 /tmp/bad)"
else
	pass guest-dmesg-clean
fi
gcmd linuxx 30 'echo up-$((6 * 7))' && grep -q up-42 /tmp/out && pass shell-over-hvc0 ||
	fail shell-over-hvc0 "$(cat /tmp/out 2>/dev/null)"

printf 'poweroff\n' | timeout 3 xvmm console linuxx >/dev/null 2>&1
gone() { for _ in $(seq 1 300); do xvmm list | grep -q "^$1 " || return 0; sleep 0.2; done; return 1; }
gone linuxx && pass guest-poweroff-ends-domain || fail guest-poweroff-ends-domain "$(xvmm list)"
# The exit counts logged at destroy: the xAPIC accesses are nested page faults.
line=$(xvmm dmesg | grep -E 'd[0-9]+ v0: [0-9]+ exits:' | tail -n 1)
echo "$line"
npf=$(echo "$line" | sed -n 's/.* npf \([0-9]*\).*/\1/p')
[ -n "$npf" ] && [ "$npf" -gt 10 ] && pass xapic-accesses-emulated ||
	fail xapic-accesses-emulated "npf exits: '$npf'"
xvmm dmesg | grep -q 'crashed' && fail vmm-no-crash "$(xvmm dmesg | grep crashed)" || pass vmm-no-crash
check unload xvmm unload
finish
