#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 1200
#
# Debian's stock kernel with vcpus = 4 on the 2-CPU test machine: its APs
# come up the native way (INIT, SIPI through the local APIC, real mode at
# the trampoline), nproc is 4, each vCPU runs work pinned to it (a checksum
# of the same data, which must agree), a vCPU goes offline and comes back
# (CPU hotplug: INIT and SIPI again), the dmesg stays clean, and poweroff
# ends the domain.
. /lib/xvmm/lib.sh

check load xvmm load || { finish; exit 1; }
before=$(free_kb)
mkcfg smp
sed -i 's/^vcpus = 1$/vcpus = 4/; s/^memory = 160$/memory = 256/' /tmp/smp.cfg
check create-smp xvmm create /tmp/smp.cfg
if wait_for smp "xvmm-linux: init started" 400; then
	pass smp-reached-init
else
	fail smp-reached-init "no init line on hvc0 in 400 s"
	xvmm list
	tail -n 40 "$(log_of smp)"; xvmm dmesg | tail -n 30
	finish; exit 1
fi
sleep 2
gcmd smp 30 'nproc' && grep -qx 4 /tmp/out && pass nproc-4 || fail nproc-4 "$(cat /tmp/out)"
gcmd smp 30 'grep -c ^processor /proc/cpuinfo' && grep -qx 4 /tmp/out && pass cpuinfo-4 ||
	fail cpuinfo-4 "$(cat /tmp/out)"

# The same 8 MiB of data checksummed on each vCPU in turn: same answer.
gcmd smp 120 'dd if=/dev/urandom of=/tmp/blob bs=1M count=8 2>/dev/null; for c in 0 1 2 3; do taskset -c $c md5sum /tmp/blob | cut -d" " -f1; done'
# (The guest's kernel messages share hvc0 with the output: keep only answer lines.)
grep -E '^[0-9a-f]{32}$' /tmp/out >/tmp/sums
cat /tmp/sums
[ "$(sort -u /tmp/sums | grep -c .)" = 1 ] && [ "$(grep -c . /tmp/sums)" = 4 ] &&
	pass work-on-every-vcpu || fail work-on-every-vcpu "$(cat /tmp/out)"
gcmd smp 60 'for c in 0 1 2 3; do taskset -c $c cat /proc/self/stat | cut -d" " -f39 | sed "s/^/cpu=/"; done'
[ "$(grep -x 'cpu=[0-9]*' /tmp/out | tr '\n' ' ')" = "cpu=0 cpu=1 cpu=2 cpu=3 " ] && pass ran-where-pinned ||
	fail ran-where-pinned "$(cat /tmp/out)"

# CPU hotplug: vCPU 3 off and on again.
gcmd smp 60 'echo 0 > /sys/devices/system/cpu/cpu3/online; echo rc=$?; nproc'
grep -q '^rc=0' /tmp/out && grep -qx 3 /tmp/out && pass cpu3-offline || fail cpu3-offline "$(cat /tmp/out)"
gcmd smp 120 'echo 1 > /sys/devices/system/cpu/cpu3/online; echo rc=$?; nproc; taskset -c 3 echo on-cpu3'
grep -q '^rc=0' /tmp/out && grep -qx 4 /tmp/out && grep -q on-cpu3 /tmp/out && pass cpu3-online-again ||
	fail cpu3-online-again "$(cat /tmp/out)"

gcmd smp 30 'dmesg' && cp /tmp/out /tmp/guest-dmesg
grep -E 'smp:|x86: Booting|CPU ?[0-9]+ is (up|now offline)|Xen HVM callback' /tmp/guest-dmesg | sed 's/^/    guest: /'
grep -q 'smp: Brought up 1 node, 4 CPUs' /tmp/guest-dmesg && pass brought-up-4 ||
	fail brought-up-4 "$(grep -i 'smp\|cpu' /tmp/guest-dmesg | head -n 10)"
if grep -E 'BUG:|WARNING: CPU|Oops|Kernel panic|cut here|Call Trace' /tmp/guest-dmesg >/tmp/bad; then
	fail guest-dmesg-clean "$(head -n 5 /tmp/bad)"
else
	pass guest-dmesg-clean
fi
printf 'poweroff\n' | timeout 3 xvmm console smp >/dev/null 2>&1
for _ in $(seq 1 300); do
	xvmm list | grep -q '^smp ' || break
	sleep 0.2
done
xvmm list | grep -q '^smp ' && fail poweroff-ends-domain "$(xvmm list)" || pass poweroff-ends-domain
xvmm dmesg | grep -q FATAL && fail vmm-no-fatal "$(xvmm dmesg | grep FATAL)" || pass vmm-no-fatal
after=$(free_kb)
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
