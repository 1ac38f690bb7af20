#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --timeout 900 --file build/kernel/vmlinux --file build/tests/blk/linux-blk-initrd.cpio.gz --file build/tests/blk/q.qcow2 --file /usr/bin/qemu-nbd
#
# A qcow2 disk: `format=qcow2` is served by a qemu-nbd the runner starts
# (Debian's qemu-utils; here /extra/qemu-nbd through XVMM_QEMU_NBD) and
# blkback's NBD client. The guest mounts the ext4 inside, checks a known
# file and a 1 MiB checksum, writes and syncs, trims, and is destroyed
# still mounted; a second guest reads it back. The image stays a valid
# qcow2 that grew by what was written; no qemu-nbd or socket is left
# behind. Without qemu-nbd, create refuses with a clear message.
. /lib/xvmm/lib.sh

check load xvmm load || { finish; exit 1; }
before=$(free_kb)
cp /extra/q.qcow2 /tmp/q.qcow2
export XVMM_RUNNER_LOG=/tmp/runner.log

blkcfg nonbd 'disk = [ "format=qcow2, vdev=xvda, access=rw, target=/tmp/q.qcow2" ]'
export XVMM_QEMU_NBD=/nonexistent
refused no-qemu-nbd-refused /tmp/nonbd.cfg "needs qemu-nbd"
XVMM_QEMU_NBD=/extra/qemu-nbd
head -c 4 /tmp/q.qcow2 | grep -q QFI && pass image-is-qcow2 || fail image-is-qcow2

blkcfg q1 'disk = [ "format=qcow2, vdev=xvda, access=rw, target=/tmp/q.qcow2" ]'
if ! blk_boot q1 "" xvda; then
	cat /tmp/runner.log
	xvmm destroy q1 >/dev/null 2>&1
	finish; exit 1
fi
grep -q "qcow2 through qemu-nbd, 65536 sectors" /tmp/runner.log && pass served-by-qemu-nbd ||
	fail served-by-qemu-nbd "$(cat /tmp/runner.log)"
gcmd q1 30 'cat /sys/block/xvda/size'
[ "$(cat /tmp/out)" = 65536 ] && pass virtual-size || fail virtual-size "$(cat /tmp/out)"
gcmd q1 60 'mount -t ext4 /dev/xvda /mnt && cat /mnt/hello.txt && cd /mnt && md5sum -c big.md5; cd /'
grep -q "hello from the xvmm blk test" /tmp/out && pass read-known-file || fail read-known-file "$(cat /tmp/out)"
grep -q "big.bin: OK" /tmp/out && pass read-1mib-checksum || fail read-1mib-checksum "$(cat /tmp/out)"
size_before=$(stat -c %s /tmp/q.qcow2)
gcmd q1 120 'echo "written into qcow2" >/mnt/new.txt && dd if=/dev/urandom of=/mnt/w.bin bs=64k count=32 2>/dev/null && (cd /mnt && md5sum w.bin >w.md5) && sync && fstrim /mnt; echo synced'
grep -q '^synced' /tmp/out && pass write-and-sync || fail write-and-sync "$(cat /tmp/out)"
size_after=$(stat -c %s /tmp/q.qcow2)
echo "q.qcow2: $size_before bytes before the writes, $size_after after"
[ "$size_after" -gt $((size_before + 2000000)) ] && pass image-grew || fail image-grew "$size_before -> $size_after"
check destroy-q1 xvmm destroy q1
dom_gone q1 && runner_gone q1 && pass q1-gone || fail q1-gone
grep "vbd xvda (51712): disconnected" /tmp/runner.log | tail -n 1
# qemu-nbd takes one request at a time: one queue, no io_uring.
grep "vbd xvda (51712): connected" /tmp/runner.log | tail -n 1 | grep -q "1 queue(s) .*, synchronous I/O$" &&
	pass qcow2-one-queue-synchronous || fail qcow2-one-queue-synchronous "$(grep 'connected' /tmp/runner.log)"
grep "vbd xvda (51712): disconnected" /tmp/runner.log | tail -n 1 | grep -q " 0 errors, 0 unsupported" &&
	pass no-failed-requests || fail no-failed-requests
sleep 1
pidof qemu-nbd >/dev/null && fail qemu-nbd-gone "$(ps | grep qemu-nbd)" || pass qemu-nbd-gone
ls /run/xvmm/*.nbd >/dev/null 2>&1 && fail nbd-socket-removed "$(ls /run/xvmm)" || pass nbd-socket-removed

blkcfg q2 'disk = [ "/tmp/q.qcow2,qcow2,xvda,rw" ]'
if blk_boot q2 "" xvda; then
	# The journal is replayed (q1 died mounted): many small requests, each a
	# round trip through qemu-nbd; minutes when the machine is busy.
	gcmd q2 300 'mount -t ext4 /dev/xvda /mnt; echo mount=$?'
	echo "q2: mount with journal recovery took $(awk -v a="$t_begin" -v b="$t_end" 'BEGIN { print b - a }') s"
	gcmd q2 120 'cat /mnt/new.txt && cd /mnt && md5sum -c w.md5 && md5sum -c big.md5; cd /; umount /mnt && echo unmounted'
	grep -q "written into qcow2" /tmp/out && pass q2-reads-new-file || fail q2-reads-new-file "$(cat /tmp/out)"
	grep -q "w.bin: OK" /tmp/out && pass q2-written-data-intact || fail q2-written-data-intact "$(cat /tmp/out)"
	grep -q "big.bin: OK" /tmp/out && pass q2-old-data-intact || fail q2-old-data-intact "$(cat /tmp/out)"
	grep -q '^unmounted' /tmp/out && pass q2-umount || {
		fail q2-umount "$(cat /tmp/out)"
		sleep 2
		grep q2 /tmp/runner.log | tail -n 20
		tr -d '\r' <"$(log_of q2)" | tail -n 30
	}
	printf 'poweroff\n' | timeout 3 xvmm console q2 >/dev/null 2>&1
	dom_gone q2 && pass q2-poweroff || fail q2-poweroff "$(xvmm list)"
	runner_gone q2
fi
sleep 1
pidof qemu-nbd >/dev/null && fail qemu-nbd-gone-2 || pass qemu-nbd-gone-2
if grep -E 'BUG:|WARNING: CPU|Oops|Kernel panic|Call Trace' /var/log/xvmm/q1.log /var/log/xvmm/q2.log >/tmp/bad; then
	fail guests-dmesg-clean "$(head -n 5 /tmp/bad)"
else
	pass guests-dmesg-clean
fi
rm -f /tmp/q.qcow2
after=$(free_kb)
echo "free memory: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
