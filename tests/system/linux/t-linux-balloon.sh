#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 1200
#
# Ballooning with maxmem above memory.
#  - The balloon test guest (64- and 32-bit, memory 32, maxmem 48): frames
#    given back read all ones, come back zeroed, grow past memory up to
#    maxmem and not beyond (tests/guests/balloon.c).
#  - Debian's stock kernel with memory = 160, maxmem = 256: lowering its
#    balloon target (xen_memory0/target_kb) gives frames back, which the
#    VMM counts (`xvmm list` Mem) and which are really gone from the guest;
#    raising it again populates them; memtouch then uses the memory; the
#    guest's dmesg stays clean.
#  - Dom0's free memory comes back after every domain is destroyed.
. /lib/xvmm/lib.sh
G=/lib/xvmm/guests

check load xvmm load || { finish; exit 1; }
before=$(free_kb)

for name in balloon balloon-32; do
	timeout 120 xvmm create -c "$G/$name.cfg" maxmem=48 on_poweroff=preserve >/tmp/$name.out 2>&1
	sed 's/^/    /' /tmp/$name.out
	grep -q "xvmm-guest: balloon: PASS" /tmp/$name.out && pass "guest-$name" ||
		fail "guest-$name" "no PASS verdict"
	xvmm destroy "$name" >/dev/null || fail "destroy-$name"
done
xvmm dmesg | grep -q 'nothing there: reads are all ones' && pass vmm-logged-unbacked-read ||
	fail vmm-logged-unbacked-read "$(xvmm dmesg | tail -n 5)"

mem_of() { xvmm list | awk -v n="$1" '$1 == n { print $3 }'; }
kb() { gcmd lb 30 "cat /sys/devices/system/xen_memory/xen_memory0/$1" && tr -dc 0-9 </tmp/out; }
mkcfg lb "maxmem = 256"
check create-linux-maxmem xvmm create /tmp/lb.cfg
if ! wait_for lb "xvmm-linux: init started" 240; then
	fail linux-reached-init "no init line on hvc0 in 240 s"
	tail -n 40 "$(log_of lb)"; xvmm dmesg | tail -n 20
	finish; exit 1
fi
sleep 2
xvmm list
[ "$(mem_of lb)" = 160 ] && pass list-mem-160 || fail list-mem-160 "$(xvmm list)"
cur=$(kb info/current_kb)
echo "guest current_kb $cur"
# Down by 32 MiB: the balloon driver gives 8192 frames back.
gcmd lb 30 "echo $((cur - 32768)) > /sys/devices/system/xen_memory/xen_memory0/target_kb"
ok=0
for _ in $(seq 1 100); do [ "$(mem_of lb)" = 128 ] && { ok=1; break; }; sleep 0.3; done
[ $ok = 1 ] && pass balloon-down-vmm-counts || fail balloon-down-vmm-counts "$(xvmm list)"
now=$(kb info/current_kb)
[ "$now" -eq $((cur - 32768)) ] && pass balloon-down-guest-counts || fail balloon-down-guest-counts "current_kb $now"
gcmd lb 30 'free -m'; cat /tmp/out
# Back up to where it was: the same frames are populated again.
gcmd lb 30 "echo $cur > /sys/devices/system/xen_memory/xen_memory0/target_kb"
ok=0
for _ in $(seq 1 100); do [ "$(mem_of lb)" = 160 ] && { ok=1; break; }; sleep 0.3; done
[ $ok = 1 ] && pass balloon-up-vmm-counts || fail balloon-up-vmm-counts "$(xvmm list)"
gcmd lb 300 'memtouch 48; echo rc=$?'
cat /tmp/out
grep -q '^memtouch: ok' /tmp/out && grep -q '^rc=0' /tmp/out && pass memtouch-after-balloon ||
	fail memtouch-after-balloon "$(cat /tmp/out)"
gcmd lb 30 'dmesg' && cp /tmp/out /tmp/lb-dmesg
grep -i balloon /tmp/lb-dmesg | tail -n 5
if grep -E 'BUG:|WARNING: CPU|Oops|Kernel panic|cut here|Call Trace' /tmp/lb-dmesg >/tmp/bad; then
	fail guest-dmesg-clean "$(head -n 5 /tmp/bad)"
else
	pass guest-dmesg-clean
fi
printf 'poweroff\n' | timeout 3 xvmm console lb >/dev/null 2>&1
gone() { for _ in $(seq 1 300); do xvmm list | grep -q "^$1 " || return 0; sleep 0.2; done; return 1; }
gone lb && pass poweroff-ends-domain || fail poweroff-ends-domain "$(xvmm list)"

after=$(free_kb)
echo "dom0 free: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
