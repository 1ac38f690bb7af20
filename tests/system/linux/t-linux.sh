#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 900
#
# Debian's own 6.1 kernel, unmodified (the same package as dom0's), boots
# on xvmm as a PVH domU with a busybox initramfs, to a shell on hvc0 that
# this test drives over `xvmm console`: Xen PVH detected, the Xen
# clocksource and clockevent in use, FIFO event channels (a second guest
# with xen.fifo_events=0: 2-level), xenbus up, no BUG/WARNING/Oops/panic;
# time keeps; two such guests run at once; `poweroff` in the guest and
# `xvmm shutdown` both end a guest cleanly.
. /lib/xvmm/lib.sh

check load xvmm load || { finish; exit 1; }
before=$(free_kb)
mkcfg linux
check create-linux xvmm create /tmp/linux.cfg
if wait_for linux "xvmm-linux: init started" 240; then
	pass linux-reached-init
else
	fail linux-reached-init "no init line on hvc0 in 240 s"
	xvmm list
	tail -n 40 "$(log_of linux)"; xvmm dmesg | tail -n 20
	finish; exit 1
fi
sleep 2
gcmd linux 30 'uname -r' && grep -q '^6\.1\.' /tmp/out && pass shell-over-hvc0 ||
	fail shell-over-hvc0 "$(cat /tmp/out 2>/dev/null)"

gcmd linux 30 'dmesg' && cp /tmp/out /tmp/guest-dmesg
for pat in "Booting kernel on Xen PVH:pvh-detected" \
	   "clocksource: Switched to clocksource xen:xen-clocksource" \
	   "Xen: using vcpuop timer interface:xen-clockevent" \
	   "Grant table initialized:grant-tables" \
	   "xen:events: Using FIFO-based ABI:fifo-event-channels"; do
	grep -q "${pat%:*}" /tmp/guest-dmesg && pass "${pat##*:}" || fail "${pat##*:}" "no '${pat%:*}' in the guest's dmesg"
done
# Its local APIC starts in xAPIC mode (the reset state); Linux switches to
# x2APIC itself because CPUID offers it with Xen's X2APIC_VIRT.
grep -q 'x2apic enabled' /tmp/guest-dmesg && pass guest-enabled-x2apic ||
	fail guest-enabled-x2apic "$(grep -i apic /tmp/guest-dmesg | head -n 5)"
if grep -E 'BUG:|WARNING: CPU|Oops|Kernel panic|cut here|Call Trace' /tmp/guest-dmesg >/tmp/bad; then
	fail guest-dmesg-clean "$(head -n 5 /tmp/bad)"
else
	pass guest-dmesg-clean
fi
gcmd linux 30 'ls /sys/bus/xen/drivers' &&
	grep -q xenconsole /tmp/out && pass xenbus-drivers || fail xenbus-drivers "$(cat /tmp/out)"

# Time: sleep 5 in the guest against dom0's clock; the date against dom0's.
gcmd linux 30 'sleep 5'
echo "guest sleep 5 took $(awk -v a="$t_begin" -v b="$t_end" 'BEGIN { print b - a }') s of dom0 time"
awk -v a="$t_begin" -v b="$t_end" 'BEGIN { d = b - a; exit !(d >= 4.5 && d <= 5.5) }' &&
	pass guest-sleep-5s || fail guest-sleep-5s "took $t_begin .. $t_end"
# Dom0's clock read before the command is typed and after its answer is
# back: the guest's must lie between them (a second either side for the
# rounding); on a loaded host the console round trip alone can take seconds.
d0=$(date +%s)
gcmd linux 30 'date +%s'
d1=$(date +%s)
g=$(grep -m1 -E '^[0-9]+$' /tmp/out)
echo "guest date $g, dom0 date $d0 .. $d1"
[ -n "$g" ] && [ "$g" -ge $((d0 - 1)) ] && [ "$g" -le $((d1 + 1)) ] && pass guest-date-matches ||
	fail guest-date-matches "guest $g, dom0 $d0 .. $d1"

# A second guest beside the first; both answer, dom0 stays responsive.
# This one is told not to use FIFO event channels: it uses 2-level.
mkcfg linux2
sed -i 's/loglevel=6"/loglevel=6 xen.fifo_events=0"/' /tmp/linux2.cfg
check create-second-linux xvmm create /tmp/linux2.cfg
wait_for linux2 "xvmm-linux: init started" 240 && pass second-linux-reached-init ||
	fail second-linux-reached-init
sleep 2
gcmd linux2 30 'echo second-$((6 * 7))' && grep -q second-42 /tmp/out && pass second-shell ||
	fail second-shell "$(cat /tmp/out 2>/dev/null)"
gcmd linux 30 'echo first-$((6 * 7))' && grep -q first-42 /tmp/out && pass first-shell-still ||
	fail first-shell-still
gcmd linux2 30 'dmesg | grep xen:events' && sed 's/^/    /' /tmp/out
grep -q "Using 2-level ABI" /tmp/out && ! grep -q "FIFO" /tmp/out &&
	pass fifo-events-0-uses-2-level || fail fifo-events-0-uses-2-level "$(cat /tmp/out)"
# (Not `ls /proc`: a console that exits meanwhile makes its entry vanish under ls.)
check dom0-responsive sh -c 'cat /proc/uptime /proc/meminfo >/dev/null && sleep 0.2'
xvmm list

# Ending them: poweroff inside the first, `xvmm shutdown` for the second.
printf 'poweroff\n' | timeout 3 xvmm console linux >/dev/null 2>&1
gone() { for _ in $(seq 1 300); do xvmm list | grep -q "^$1 " || return 0; sleep 0.2; done; return 1; }
gone linux && pass guest-poweroff-ends-domain || fail guest-poweroff-ends-domain "$(xvmm list)"
check xvmm-shutdown xvmm shutdown linux2
gone linux2 && pass xvmm-shutdown-ends-domain || fail xvmm-shutdown-ends-domain "$(xvmm list)"
# The request went the way xl's does: control/shutdown in xenstore, the
# guest's xenbus watch fired and it shut down in order (init's message).
grep -q "The system is going down" "$(log_of linux2)" && pass xenbus-up-shutdown-via-xenstore ||
	fail xenbus-up-shutdown-via-xenstore "$(tail -n 5 "$(log_of linux2)")"
xvmm dmesg | grep -E 'd[0-9]+: (shut down|crashed)' | tail -n 4

after=$(free_kb)
echo "free memory: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
