#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --timeout 1200 --file build/kernel/vmlinux --file build/tests/netmods/llc.ko --file build/tests/netmods/stp.ko --file build/tests/netmods/bridge.ko --file build/tests/netmods/tun.ko --file build/tests/pvfuzz/linux-pvfuzz-initrd.cpio.gz --file build/tests/blk/ro.img
#
# A bad frontend hurts only itself (issue 11). Debian's kernel as a domU
# with a read-write disk, a read-only disk and a vif on a bridge runs no
# blkfront or netfront but pvfuzz (tests/system/pvfuzz/): a frontend of
# its own over /dev/xen/{xenbus,gntalloc,evtchn} that connects with good
# and malformed nodes and sends random and malformed ring traffic on both
# device kinds, checking every answer (its own verdict line must say
# PASS). Fixed seeds, about 90 s in all: two ordinary runs, a run that
# exits with its rings connected and requests in flight, two runs that pick
# up after it (the vif first), a frontend that connects and then answers
# nothing while dom0 detaches its disk and vif (forced after 10 s), and a
# last run that exits connected before the domain is destroyed. Between
# runs the runner is alive, answers its control socket, has the devices
# back in InitWait with as many descriptors, threads and /dev/xvmm maps as
# before the first run. After destroy: no runner, no tap, dom0's free
# memory and the VMM pool back; a well-behaved guest (xen-blkfront,
# xen-netfront) on the same disks and bridge reads the read-only disk
# intact, writes and reads back the other, pings dom0; the read-only image
# is bit-identical; dom0's kernel logged no warning; the VMM no FATAL.
. /lib/xvmm/lib.sh

for m in llc stp bridge tun; do
	insmod /extra/$m.ko || { fail insmod-$m "insmod $m.ko failed"; finish; exit 1; }
done
run ip link add xenbr0 type bridge
run ip addr add 192.0.2.1/24 dev xenbr0
run ip link set xenbr0 up
check load xvmm load || { finish; exit 1; }
export XVMM_RUNNER_LOG=/tmp/runner.log
pool_free() { xvmm status | sed -n 's/^memory: .* \([0-9]*\) KiB free in the pool/\1/p'; }
dmesg_lines=$(dmesg | wc -l)

mem0=$(free_kb)		# before the disk images: they are removed at the end
pool0=$(pool_free)
# The disks: 4 MiB of scratch the fuzzer may write anywhere, and an ext4
# image served read-only that must come out unchanged.
dd if=/dev/urandom of=/tmp/rw.img bs=1M count=4 2>/dev/null
cp /extra/ro.img /tmp/ro.img
ro_sum=$(md5sum </tmp/ro.img | cut -d' ' -f1)
echo "# before: dom0 free $mem0 kB, VMM pool free $pool0 KiB"

fzcfg() {	# NAME MAC
	cat >/tmp/$1.cfg <<CFG
name = "$1"
type = "pvh"
kernel = "/extra/vmlinux"
ramdisk = "/extra/linux-pvfuzz-initrd.cpio.gz"
memory = 192
vcpus = 1
cmdline = "console=hvc0 loglevel=6"
disk = [ "/tmp/rw.img,raw,xvda,rw", "format=raw, vdev=xvdb, access=ro, target=/tmp/ro.img" ]
vif = [ 'mac=$2,bridge=xenbr0' ]
CFG
}
domid_of() { xvmm list | awk -v n="$1" '$1 == n { print $2 }'; }
# The runner: the process `xvmm create CFG` left behind.
runner_pid() {
	for p in /proc/[0-9]*; do
		[ "$(tr '\0' ' ' <$p/cmdline 2>/dev/null)" = "xvmm create /tmp/$1.cfg " ] && echo ${p#/proc/}
	done | head -n 1
}
runner_res() {	# PID: "fds threads xvmm-maps rss-kB", once gcmd's console client (3 s) has gone
	sleep 3.5
	echo "$(ls /proc/$1/fd | wc -l) $(ls /proc/$1/task | wc -l) $(grep -c /dev/xvmm /proc/$1/maps) $(awk '/^VmRSS:/ { print $2 }' /proc/$1/status)"
}
# Both disks and the vif are back in InitWait (2) and the control socket answers.
devices_initwait() {
	xvmm block-list fz1 >/tmp/bl 2>&1 && xvmm network-list fz1 >/tmp/nl 2>&1 || return 1
	[ "$(awk '$1 == 51712 || $1 == 51728 { if ($4 == 2) n++ } END { print n + 0 }' /tmp/bl)" = 2 ] &&
		[ "$(grep -c ' 00:16:3e:00:00:0f .* 2 ' /tmp/nl)" = 1 ]
}

fzcfg fz1 00:16:3e:00:00:0f
check create-fz1 xvmm create /tmp/fz1.cfg || { finish; exit 1; }
if ! wait_for fz1 "xvmm-linux: init started" 240; then
	fail fz1-init "$(tail -n 20 "$(log_of fz1)")"
	finish; exit 1
fi
sleep 1
gcmd fz1 60 'insmod /lib/modules-extra/xen-gntalloc.ko && insmod /lib/modules-extra/xen-evtchn.ko && ls /dev/xen'
grep -q gntalloc /tmp/out && grep -q evtchn /tmp/out && pass fz1-devices ||
	{ fail fz1-devices "$(cat /tmp/out)"; finish; exit 1; }
d1=$(domid_of fz1)
rp=$(runner_pid fz1)
[ -n "$rp" ] && pass runner-found || fail runner-found "no process 'xvmm create /tmp/fz1.cfg'"
res0=$(runner_res $rp)
echo "# runner $rp before fuzzing: fds threads /dev/xvmm-maps rss-kB = $res0"

# Frames for the guest's rx ring while it fuzzes: ARP requests for
# addresses nobody has go to every port of the bridge.
pingers=
for a in 71 72 73 74; do
	ping -i 0.3 192.0.2.$a >/dev/null 2>&1 &
	pingers="$pingers $!"
done

# NAME SEED SECS [ARGS]: one run of the fuzzer in the guest (ARGS: exit=1, kinds=...).
fuzz() {
	gcmd fz1 $(($3 + 120)) "pvfuzz seed=$2 secs=$3 $4; echo pvfuzz-rc=\$?"
	st=$?
	grep '^pvfuzz: ' /tmp/out | grep -v '^pvfuzz: \.' | tail -n 12
	if [ $st -ne 0 ]; then
		fail $1 "no end of the run on hvc0 in $(($3 + 120)) s"
	elif [ "${4#*exit=1}" != "${4:-}" ]; then
		grep -q '^pvfuzz: exit with .* connected' /tmp/out && grep -q '^pvfuzz-rc=0' /tmp/out &&
			pass $1 || fail $1 "$(grep -E 'FAIL|exit|rc=' /tmp/out | head -n 5)"
	else
		grep -q "^pvfuzz: PASS seed $2:" /tmp/out && grep -q '^pvfuzz-rc=0' /tmp/out && pass $1 ||
			fail $1 "$(grep -E 'FAIL|rc=' /tmp/out | head -n 8)"
	fi
	xvmm list | grep -q "^fz1 " && pass $1-domain-alive || fail $1-domain-alive "$(xvmm list)"
	[ -d /proc/$rp ] && pass $1-runner-alive || fail $1-runner-alive "runner $rp is gone"
}
fuzz_clean() {	# NAME: after a run that cleaned up: devices in InitWait, nothing kept
	i=0
	until devices_initwait || [ $i -ge 50 ]; do sleep 0.2; i=$((i + 1)); done
	devices_initwait && pass $1-devices-initwait ||
		fail $1-devices-initwait "$(cat /tmp/bl /tmp/nl)"
	res=$(runner_res $rp)
	echo "# runner after $1: fds threads /dev/xvmm-maps rss-kB = $res"
	[ "${res% *}" = "${res0% *}" ] && pass $1-no-fd-thread-or-map-kept ||
		fail $1-no-fd-thread-or-map-kept "fds threads maps: ${res0% *} before, ${res% *} now"
}

fuzz fuzz-seed1 1 30
fuzz_clean seed1
rss1=${res##* }
fuzz fuzz-seed2 2 25
fuzz_clean seed2
# By hand, longer (docs/testing.md): pvfuzz.long=SECS on the kernel command
# line adds seeds 101, 102, ... of up to 120 s each, SECS in all.
long=$(sed -n 's/.*pvfuzz\.long=\([0-9]*\).*/\1/p' /proc/cmdline)
s=101
left=${long:-0}
while [ "$left" -gt 0 ]; do
	t=$((left < 120 ? left : 120))
	fuzz fuzz-long-seed$s $s $t
	fuzz_clean long-seed$s
	left=$((left - t))
	s=$((s + 1))
done
fuzz fuzz-exit-connected 3 6 exit=1
xvmm block-list fz1
# The dead frontend's disk is still connected, its event channel closed by
# the guest's kernel; the next frontend gets the same port number for the
# vif and must be able to connect it before anyone touches that disk.
fuzz fuzz-vif-after-dead-frontend 4 8 kinds=vif
fuzz fuzz-after-dead-frontend 6 10
fuzz_clean after-dead
rss2=${res##* }
# Freed memory stays with glibc's per-thread arenas and stack cache, so the
# resident size may grow some as I/O threads come and go; a leak per
# request or per connect would show as far more.
[ $((rss2 - rss1)) -lt 16384 ] && pass runner-rss-bounded ||
	fail runner-rss-bounded "VmRSS $rss1 kB after the first run, $rss2 kB after the fifth"

# A frontend that stops answering: connected, requests queued, no answer
# taken and no state change followed. Detaching its disk and its vif must
# not wait for it: after 10 s dom0 removes them by force.
gcmd fz1 30 'pvfuzz seed=7 hold=45 >/dev/hvc0 2>&1 & sleep 1; echo started'
if wait_for fz1 "pvfuzz: holding 3 device" 60; then
	pass hold-connected
	t0=$(now)
	xvmm block-detach fz1 xvdb >/tmp/det 2>&1
	st=$?
	t1=$(now)
	echo "# block-detach of a silent frontend's disk: exit $st after $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s: $(cat /tmp/det)"
	[ $st -eq 0 ] && ! xvmm block-list fz1 | grep -q '^51728 ' && pass detach-silent-disk ||
		fail detach-silent-disk "exit $st; $(xvmm block-list fz1)"
	t0=$(now)
	xvmm network-detach fz1 0 >/tmp/det 2>&1
	st=$?
	t1=$(now)
	echo "# network-detach of a silent frontend's vif: exit $st after $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s: $(cat /tmp/det)"
	[ $st -eq 0 ] && [ ! -e /sys/class/net/vif$d1.0 ] && ! xvmm network-list fz1 | grep -q 00:16:3e &&
		pass detach-silent-vif || fail detach-silent-vif "exit $st; $(xvmm network-list fz1)"
	wait_for fz1 "pvfuzz: hold over" 120 && pass hold-over ||
		fail hold-over "$(tr -d '\r' <"$(log_of fz1)" | grep pvfuzz | tail -n 3)"
else
	fail hold-connected "$(tr -d '\r' <"$(log_of fz1)" | grep pvfuzz | tail -n 5)"
fi
fuzz fuzz-exit-before-destroy 5 6 exit=1
kill $pingers 2>/dev/null

grep -c 'broke its ring' /tmp/runner.log | sed 's/^/# backend closings on broken rings: /'
grep -c 'connecting to the frontend\|mapping the\|binding event channel\|protocol' /tmp/runner.log |
	sed 's/^/# runner log lines on refused connects: /'
if grep -E 'BUG:|Oops|Kernel panic|Call Trace' "$(log_of fz1)" >/tmp/bad; then
	fail fz1-kernel-clean "$(head -n 5 /tmp/bad)"
else
	pass fz1-kernel-clean
fi

# Destroyed with rings connected and requests in flight.
check destroy-fz1 xvmm destroy fz1
dom_gone fz1 && runner_gone fz1 && pass fz1-gone || fail fz1-gone "$(xvmm list)"
for _ in $(seq 1 50); do [ -d /proc/$rp ] || break; sleep 0.1; done
[ ! -d /proc/$rp ] && pass runner-exited || fail runner-exited "runner $rp still there"
[ ! -e /sys/class/net/vif$d1.0 ] && pass tap-removed || fail tap-removed "$(ls /sys/class/net)"
[ "$(md5sum </tmp/ro.img | cut -d' ' -f1)" = "$ro_sum" ] && pass ro-image-unchanged ||
	fail ro-image-unchanged "md5 changed"
pool1=$(pool_free)
[ "$pool1" = "$pool0" ] && pass pool-returned || fail pool-returned "$pool0 -> $pool1 KiB"

# A well-behaved guest on the same disks and bridge.
fzcfg good1 00:16:3e:00:00:10
check create-good1 xvmm create /tmp/good1.cfg
if wait_for good1 "xvmm-linux: init started" 240; then
	sleep 1
	gcmd good1 120 'insmod /lib/modules-extra/xen-blkfront.ko && insmod /lib/modules-extra/xen-netfront.ko; for d in xvda xvdb; do for i in $(seq 1 100); do [ -e /sys/block/$d ] && break; sleep 0.1; done; done; for i in $(seq 1 100); do [ -e /sys/class/net/eth0 ] && break; sleep 0.2; done; ls /sys/block; ip link set eth0 up && ip addr add 192.0.2.20/24 dev eth0 && echo eth0-up'
	grep -q xvda /tmp/out && grep -q xvdb /tmp/out && grep -q eth0-up /tmp/out &&
		pass good1-devices || fail good1-devices "$(cat /tmp/out)"
	gcmd good1 60 'md5sum </dev/xvdb; dd if=/dev/urandom of=/tmp/w bs=64k count=16 2>/dev/null; md5sum </tmp/w; dd if=/tmp/w of=/dev/xvda bs=64k seek=8 conv=fsync 2>/dev/null; echo 3 >/proc/sys/vm/drop_caches; dd if=/dev/xvda bs=64k skip=8 count=16 2>/dev/null | md5sum'
	sums=$(grep -o '^[0-9a-f]\{32\}' /tmp/out | tr '\n' ' ')
	set -- $sums
	[ "$1" = "$ro_sum" ] && pass good1-reads-ro-disk || fail good1-reads-ro-disk "$1, want $ro_sum"
	hsum=$(dd if=/tmp/rw.img bs=64k skip=8 count=16 2>/dev/null | md5sum | cut -d' ' -f1)
	[ -n "$2" ] && [ "$2" = "$3" ] && [ "$2" = "$hsum" ] && pass good1-writes-rw-disk ||
		fail good1-writes-rw-disk "wrote $2, read back $3, dom0 file $hsum"
	sleep 2
	gcmd good1 60 'ping -c 3 -W 10 192.0.2.1 >/dev/null 2>&1; echo ping-rc=$?'
	grep -q 'ping-rc=0' /tmp/out && pass good1-pings-dom0 || fail good1-pings-dom0 "$(cat /tmp/out)"
else
	fail good1-init "$(tail -n 20 "$(log_of good1)")"
fi
check destroy-good1 xvmm destroy good1
dom_gone good1 && runner_gone good1 && pass good1-gone || fail good1-gone "$(xvmm list)"

rm -f /tmp/rw.img /tmp/ro.img		# dom0's /tmp is a tmpfs
mem1=$(free_kb)
pool2=$(pool_free)
echo "# after: dom0 free $mem1 kB (before $mem0), VMM pool free $pool2 KiB (before $pool0)"
[ $((mem0 - mem1)) -lt 4096 ] && pass memory-returned || fail memory-returned "$mem0 -> $mem1 kB"
[ "$pool2" = "$pool0" ] && pass pool-returned-after-good1 || fail pool-returned-after-good1 "$pool0 -> $pool2 KiB"
if dmesg | tail -n +$((dmesg_lines + 1)) | grep -E 'WARNING|BUG:|Oops|Call Trace|general protection' >/tmp/bad; then
	fail dom0-dmesg-clean "$(head -n 8 /tmp/bad)"
else
	pass dom0-dmesg-clean
fi
xvmm dmesg | grep -q FATAL && fail vmm-no-fatal "$(xvmm dmesg | grep FATAL | head -n 3)" || pass vmm-no-fatal
grep 'vbd\|vif' /tmp/runner.log | grep -c . | sed 's/^/# runner log lines of the devices: /'
check unload xvmm unload
finish
