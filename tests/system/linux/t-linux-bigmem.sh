#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --mem 8G --timeout 1500
#
# RAM above 4 GiB: Debian's stock kernel as a PVH domU with memory = 6144
# on a test machine with 8 GiB. Its memory map splits RAM around the gap
# below 4 GiB (4032 MiB below, 2112 MiB from 4 GiB, as Xen's PVH builder
# lays it out), `free` sees all of it, and memtouch writes and reads back
# one word per page over 5 GiB (so pages above 4 GiB are used). Dom0's
# free memory comes back after the domain ends; asking for more than dom0
# has is refused with a clear message.
. /lib/xvmm/lib.sh

check load xvmm load || { finish; exit 1; }
before=$(free_kb)
echo "dom0 free before: $before kB"

# More than dom0 has: refused at once, with what dom0 has in the message.
mkcfg huge "memory = 16384"
if xvmm create /tmp/huge.cfg >/tmp/huge.out 2>&1; then
	fail too-big-refused "created a 16 GiB guest on an 8 GiB machine"
	xvmm destroy huge
else
	grep -q "dom0 cannot give 16384 MiB of guest RAM" /tmp/huge.out && grep -q "MiB available" /tmp/huge.out &&
		pass too-big-refused || fail too-big-refused "$(cat /tmp/huge.out)"
fi
xvmm list | grep -q '^huge ' && fail too-big-left-nothing "$(xvmm list)" || pass too-big-left-nothing

mkcfg big "memory = 6144"
check create-6g xvmm create /tmp/big.cfg
if wait_for big "xvmm-linux: init started" 600; then
	pass big-reached-init
else
	fail big-reached-init "no init line on hvc0 in 600 s"
	tail -n 40 "$(log_of big)"; xvmm dmesg | tail -n 20
	finish; exit 1
fi
sleep 2
gcmd big 60 'dmesg' && cp /tmp/out /tmp/big-dmesg
# The map Linux got (hvm_start_info): RAM below 0xFC000000 and from 4 GiB
# (Linux itself reserves the ISA range 0xA0000-0xFFFFF out of the first).
grep -E 'BIOS-e820: \[mem 0x0000000000100000-0x00000000fbffffff\] usable' /tmp/big-dmesg >/dev/null &&
	pass e820-low-ram || fail e820-low-ram "$(grep BIOS-e820 /tmp/big-dmesg)"
grep -E 'BIOS-e820: \[mem 0x0000000100000000-0x0000000183ffffff\] usable' /tmp/big-dmesg >/dev/null &&
	pass e820-high-ram || fail e820-high-ram "$(grep BIOS-e820 /tmp/big-dmesg)"
grep -E 'BIOS-e820: \[mem 0x00000000fc010000-0x00000000fc017fff\] reserved' /tmp/big-dmesg >/dev/null &&
	pass e820-special-reserved || fail e820-special-reserved "$(grep BIOS-e820 /tmp/big-dmesg)"
gcmd big 30 'free -m'
cat /tmp/out
total=$(awk '$1 == "Mem:" { print $2 }' /tmp/out)
# 6144 MiB less what the kernel keeps for itself (its image, struct pages).
[ -n "$total" ] && [ "$total" -ge 5900 ] && [ "$total" -le 6144 ] && pass free-sees-6g ||
	fail free-sees-6g "MemTotal $total MiB"
gcmd big 1200 'memtouch 5120; echo rc=$?'
cat /tmp/out
grep -q '^memtouch: ok' /tmp/out && grep -q '^rc=0' /tmp/out && pass pattern-over-5g ||
	fail pattern-over-5g "$(cat /tmp/out)"
xvmm list
xvmm list | awk '$1 == "big" { f = $3 == 6144 } END { exit !f }' && pass list-shows-6g ||
	fail list-shows-6g "$(xvmm list)"
if grep -E 'BUG:|WARNING: CPU|Oops|Kernel panic|cut here|Call Trace' /tmp/big-dmesg >/tmp/bad; then
	fail guest-dmesg-clean "$(head -n 5 /tmp/bad)"
else
	pass guest-dmesg-clean
fi

printf 'poweroff\n' | timeout 3 xvmm console big >/dev/null 2>&1
gone() { for _ in $(seq 1 600); do xvmm list | grep -q "^$1 " || return 0; sleep 0.2; done; return 1; }
gone big && pass poweroff-ends-domain || fail poweroff-ends-domain "$(xvmm list)"
after=$(free_kb)
echo "dom0 free: $before kB before, $after kB after"
[ $((before - after)) -lt 8192 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
