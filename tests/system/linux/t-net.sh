#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --timeout 1500 --file build/kernel/vmlinux --file build/tests/netmods/llc.ko --file build/tests/netmods/stp.ko --file build/tests/netmods/bridge.ko --file build/tests/netmods/tun.ko --file build/tests/netmods/linux-net-initrd.cpio.gz
#
# PV networking: Debian's stock kernel as a domU with
# vif = [ 'mac=00:16:3e:00:00:02,bridge=xenbr0,ip=192.0.2.2' ], its own
# xen-netfront against xvmm's netback in the runner. In this machine
# (no NIC of its own: nothing leaves it) dom0 gets a bridge xenbr0 with
# 192.0.2.1/24; the guest's tap vif<ID>.0 must be on it with fe:ff:..:ff,
# the guest's eth0 must have the MAC given; ping both ways; 256 MiB each
# way through busybox nc with its checksum intact (a seeded stream from
# progs/pattern, hashed on both ends: the guest has less memory than that); the ip= filter drops a
# spoofed source; a second domU (MAC drawn at random, two vCPUs, so two
# queues) on the same bridge pings the first and sends it two streams at
# once; split event channels on every queue; destroying them removes
# their taps.
. /lib/xvmm/lib.sh

for m in llc stp bridge tun; do
	insmod /extra/$m.ko || { fail insmod-$m "insmod $m.ko failed"; finish; exit 1; }
done
pass dom0-modules
run ip link add xenbr0 type bridge
run ip addr add 192.0.2.1/24 dev xenbr0
run ip link set xenbr0 up
check load xvmm load || { finish; exit 1; }
export XVMM_RUNNER_LOG=/tmp/runner.log
before=$(free_kb)

netcfg() {	# NAME VIFSPEC
	cat >/tmp/$1.cfg <<CFG
name = "$1"
type = "pvh"
kernel = "/extra/vmlinux"
ramdisk = "/extra/linux-net-initrd.cpio.gz"
memory = 192
vcpus = 1
cmdline = "console=hvc0 loglevel=6"
vif = [ '$2' ]
CFG
}
domid_of() { xvmm list | awk -v n="$1" '$1 == n { print $2 }'; }
guest_up() {	# NAME ADDR: netfront loaded, eth0 up with ADDR
	wait_for "$1" "xvmm-linux: init started" 240 || return 1
	sleep 1
	gcmd "$1" 120 'insmod /lib/modules-extra/xen-netfront.ko; for i in $(seq 1 100); do [ -e /sys/class/net/eth0 ] && break; sleep 0.2; done; ip link set eth0 up && ip addr add '"$2"'/24 dev eth0 && cat /sys/class/net/eth0/address && cat /sys/class/net/eth0/operstate'
}

# Refused before any domain exists: a missing bridge, a malformed vif.
netcfg bad 'bridge=nosuchbr0'
if xvmm create /tmp/bad.cfg >/tmp/err 2>&1; then fail missing-bridge-refused "created"; xvmm destroy bad
else grep -q 'bridge nosuchbr0 does not exist' /tmp/err && pass missing-bridge-refused ||
	fail missing-bridge-refused "$(cat /tmp/err)"; fi
netcfg bad 'mac=00:16:3e:00:00,bridge=xenbr0'
if xvmm create /tmp/bad.cfg >/tmp/err 2>&1; then fail bad-mac-refused "created"; xvmm destroy bad
else grep -q "mac '00:16:3e:00:00' is malformed" /tmp/err && pass bad-mac-refused ||
	fail bad-mac-refused "$(cat /tmp/err)"; fi
[ -z "$(xvmm list | awk '$1 == "bad"')" ] && pass refused-left-nothing || fail refused-left-nothing "$(xvmm list)"

netcfg net1 'mac=00:16:3e:00:00:02,bridge=xenbr0,ip=192.0.2.2'
check create-net1 xvmm create /tmp/net1.cfg
if guest_up net1 192.0.2.2; then
	pass net1-netfront-up
else
	fail net1-netfront-up "$(tail -n 30 "$(log_of net1)")"
	xvmm dmesg | tail -n 20
	finish; exit 1
fi
grep -q '^00:16:3e:00:00:02$' /tmp/out && pass guest-mac-as-given || fail guest-mac-as-given "$(cat /tmp/out)"
d1=$(domid_of net1)
tap=vif$d1.0
[ -e /sys/class/net/xenbr0/brif/$tap ] && pass tap-on-bridge ||
	fail tap-on-bridge "no $tap in $(ls /sys/class/net/xenbr0/brif/ 2>&1)"
[ "$(cat /sys/class/net/$tap/address 2>/dev/null)" = fe:ff:ff:ff:ff:ff ] && pass tap-address ||
	fail tap-address "$(cat /sys/class/net/$tap/address 2>&1)"

# Give the guest's stack a moment to bring the link up, then ping both ways.
sleep 2
if ping -c 3 -W 10 192.0.2.2 >/tmp/ping.out 2>&1; then pass ping-dom0-to-guest; else
	fail ping-dom0-to-guest "$(cat /tmp/ping.out)"; fi
gcmd net1 60 'ping -c 3 -W 10 192.0.2.1 >/dev/null 2>&1; echo ping-rc=$?'
grep -q 'ping-rc=0' /tmp/out && pass ping-guest-to-dom0 || fail ping-guest-to-dom0 "$(cat /tmp/out)"

# 256 MiB dom0 -> guest: the guest's listener hashes what it got.
want=$(/lib/xvmm/progs/pattern 1 256 | md5sum | cut -d' ' -f1)
gcmd net1 30 '(nc -l -p 5000 | md5sum >/tmp/rx.md5) & sleep 1; echo listening'
t0=$(now)
/lib/xvmm/progs/pattern 1 256 | timeout 900 nc 192.0.2.2 5000 >/dev/null
t1=$(now)
sleep 1
gcmd net1 60 'for i in $(seq 1 100); do [ -s /tmp/rx.md5 ] && break; sleep 0.2; done; cat /tmp/rx.md5'
got=$(cut -d' ' -f1 /tmp/out | head -n 1)
echo "dom0 -> guest 256 MiB in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s; md5 $want, guest got $got"
[ -n "$got" ] && [ "$got" = "$want" ] && pass transfer-dom0-to-guest ||
	fail transfer-dom0-to-guest "md5 $want sent, guest hashed '$got'"

# 256 MiB guest -> dom0. busybox nc ends when the other side closes, so the
# listener must not close its own sending side (stdin at EOF): it runs a
# program on the connection instead, which hashes the stream.
rm -f /tmp/back.md5
printf '#!/bin/sh\nmd5sum >/tmp/back.md5\n' >/tmp/recv.sh
chmod +x /tmp/recv.sh
timeout 900 nc -l -p 5001 -e /tmp/recv.sh &
lpid=$!
sleep 1
gcmd net1 120 'pattern 2 256 | md5sum'
gsum=$(grep -o '^[0-9a-f]\{32\}' /tmp/out | head -n 1)
t0=$(now)
gcmd net1 900 'pattern 2 256 | nc 192.0.2.1 5001; echo sent'
wait $lpid
t1=$(now)
bsum=$(cut -d' ' -f1 /tmp/back.md5 2>/dev/null)
echo "guest -> dom0 256 MiB in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s; guest md5 $gsum, dom0 got $bsum"
[ -n "$gsum" ] && [ "$gsum" = "$bsum" ] && pass transfer-guest-to-dom0 ||
	fail transfer-guest-to-dom0 "guest sent md5 '$gsum', dom0 received '$bsum'"

# ip=192.0.2.2: a second address on the guest may not talk (vif-bridge's rule).
gcmd net1 60 'ip addr add 192.0.2.99/24 dev eth0; ping -c 2 -W 3 -I 192.0.2.99 192.0.2.1 >/dev/null 2>&1; echo spoof-rc=$?; ip addr del 192.0.2.99/24 dev eth0'
grep -q 'spoof-rc=1' /tmp/out && pass ip-filter-drops-spoofed || fail ip-filter-drops-spoofed "$(cat /tmp/out)"

# Hot plug: a second vif on the running guest, as xl network-attach.
if xvmm network-attach net1 mac=00:16:3e:00:01:02 bridge=xenbr0 >/tmp/att 2>&1; then
	pass network-attach
else
	fail network-attach "$(cat /tmp/att)"
fi
grep -q "^vif$d1.1 00:16:3e:00:01:02$" /tmp/att && pass network-attach-names-tap ||
	fail network-attach-names-tap "$(cat /tmp/att)"
expect_fail network-attach-bad-mac xvmm network-attach net1 mac=01:02:03:04:05:06
expect_fail network-attach-no-bridge xvmm network-attach net1 bridge=nosuchbr0
gcmd net1 60 'for i in $(seq 1 100); do [ -e /sys/class/net/eth1 ] && break; sleep 0.2; done; cat /sys/class/net/eth1/address; ip link set eth1 up; ip addr add 192.0.2.12/24 dev eth1; ping -c 2 -W 10 -I eth1 192.0.2.1 >/dev/null 2>&1; echo ping1-rc=$?'
grep -q '^00:16:3e:00:01:02$' /tmp/out && grep -q 'ping1-rc=0' /tmp/out && pass hotplugged-vif-works ||
	fail hotplugged-vif-works "$(cat /tmp/out)"
xvmm network-list net1 >/tmp/list 2>&1
cat /tmp/list
[ "$(grep -c ' 00:16:3e:00:0[01]:02 .* 4 ' /tmp/list)" = 2 ] && pass network-list ||
	fail network-list "$(cat /tmp/list)"
check network-detach xvmm network-detach net1 1
gcmd net1 30 'for i in $(seq 1 50); do [ -e /sys/class/net/eth1 ] || break; sleep 0.2; done; ls /sys/class/net'
! grep -q eth1 /tmp/out && [ ! -e /sys/class/net/vif$d1.1 ] && pass network-detach-removed ||
	fail network-detach-removed "guest: $(cat /tmp/out); dom0: $(ls /sys/class/net)"
[ "$(xvmm network-list net1 | grep -c 00:16:3e)" = 1 ] && pass network-list-after-detach ||
	fail network-list-after-detach "$(xvmm network-list net1)"

# A second guest, its MAC drawn by the rule libxl uses, pings the first.
netcfg net2 'bridge=xenbr0'
sed -i 's/^vcpus = 1$/vcpus = 2/' /tmp/net2.cfg	# netfront: one queue per vCPU
check create-net2 xvmm create /tmp/net2.cfg
if guest_up net2 192.0.2.3; then
	pass net2-netfront-up
	grep -q '^00:16:3e:[0-7][0-9a-f]:' /tmp/out && pass random-mac-xen-oui ||
		fail random-mac-xen-oui "$(cat /tmp/out)"
	sleep 2
	gcmd net2 60 'ping -c 3 -W 10 192.0.2.2 >/dev/null 2>&1; echo ping-rc=$?'
	grep -q 'ping-rc=0' /tmp/out && pass ping-guest-to-guest || fail ping-guest-to-guest "$(cat /tmp/out)"
	grep "(net2): vif .*connected: " /tmp/runner.log | tail -n 1 >/tmp/conn
	grep -q "2 queue(s), event channel [0-9]* (split)" /tmp/conn && pass net2-two-queues-split ||
		fail net2-two-queues-split "$(cat /tmp/conn)"
	# Two streams at once from net2 (two queues) to net1, each hashed on arrival.
	gcmd net1 30 '(nc -l -p 5002 | md5sum >/tmp/s1.md5) & (nc -l -p 5003 | md5sum >/tmp/s2.md5) & sleep 1; echo listening'
	gcmd net2 600 '(pattern 3 16 | nc 192.0.2.2 5002) & (pattern 4 16 | nc 192.0.2.2 5003) & wait; pattern 3 16 | md5sum; pattern 4 16 | md5sum'
	sent=$(grep -o '^[0-9a-f]\{32\}' /tmp/out | tr '\n' ' ')
	gcmd net1 60 'for i in $(seq 1 100); do [ -s /tmp/s1.md5 ] && [ -s /tmp/s2.md5 ] && break; sleep 0.2; done; cat /tmp/s1.md5 /tmp/s2.md5'
	got=$(grep -o '^[0-9a-f]\{32\}' /tmp/out | tr '\n' ' ')
	echo "net2 -> net1 two 16 MiB streams: sent $sent, got $got"
	[ -n "$got" ] && [ "$got" = "$sent" ] && pass guest-to-guest-two-streams ||
		fail guest-to-guest-two-streams "sent '$sent', net1 got '$got'"
else
	fail net2-netfront-up "$(tail -n 20 "$(log_of net2)")"
fi
d2=$(domid_of net2)

# The guests' kernels saw nothing wrong.
for g in net1 net2; do
	if grep -E 'BUG:|WARNING: CPU|Oops|Kernel panic|Call Trace|netfront.*(error|fail)' "$(log_of $g)" >/tmp/bad; then
		fail $g-console-clean "$(head -n 5 /tmp/bad)"
	else
		pass $g-console-clean
	fi
done

check destroy-net1 xvmm destroy net1
check destroy-net2 xvmm destroy net2
sleep 1
[ ! -e /sys/class/net/$tap ] && [ ! -e /sys/class/net/vif$d2.0 ] && pass taps-removed ||
	fail taps-removed "$(ls /sys/class/net)"
rm -f /tmp/back.md5		# dom0's /tmp is a tmpfs
after=$(free_kb)
echo "free memory: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
grep 'vif' /tmp/runner.log
check unload xvmm unload
finish
