#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --timeout 1200 --file build/kernel/vmlinux --file build/tests/blk/linux-blk-initrd.cpio.gz --file build/tests/blk/rw.img --file build/tests/blk/ro.img --file build/tests/blk/root.img --file build/tests/blk/loop.ko
#
# PV disks: Debian's kernel as a domU with `disk = [...]` lines as xl takes
# them, its own xen-blkfront talking to the runner's blkback. The first
# guest sees xvda (ext4, read-write) and xvdb (ext4, read-only) with the
# right sizes, mounts xvda, reads a known file and a 1 MiB file against its
# checksum, writes files, syncs, trims, and is destroyed without unmounting;
# a second guest on the same image finds what was written intact. The
# read-only disk refuses writes and is unchanged on dom0's side. Configs
# with a missing target, a duplicate vdev or a target another domain is
# writing are refused before any domain exists; the runner's log shows the
# connections and the flushes; a disk hot-plugged into a running guest
# appears, takes writes and goes; a guest boots with its root file system
# on xvda, writes, is destroyed, and a second boot reads it back; memory
# comes back.
. /lib/xvmm/lib.sh

check load xvmm load || { finish; exit 1; }
before=$(free_kb)	# before the images are copied in: they are removed at the end
cp /extra/rw.img /tmp/rw.img
cp /extra/ro.img /tmp/ro.img
ro_sum=$(md5sum </tmp/ro.img)
export XVMM_RUNNER_LOG=/tmp/runner.log

# ---- bad configs: refused before a domain exists ----
blkcfg bad1 'disk = [ "format=raw, vdev=xvda, access=rw, target=/tmp/missing.img" ]'
refused missing-target-refused /tmp/bad1.cfg "disk xvda: /tmp/missing.img: No such file"
blkcfg bad2 'disk = [ "/tmp/rw.img,raw,xvda,rw", "/tmp/ro.img,,d0,ro" ]'
refused duplicate-vdev-refused /tmp/bad2.cfg "already used by 'xvda'"
xvmm list | grep -q '^bad' && fail no-domain-left "$(xvmm list)" || pass no-domain-left

# ---- first guest: read, write, sync, destroyed ----
blkcfg blk1 'disk = [ "format=raw, vdev=xvda, access=rw, target=/tmp/rw.img",
	 "/tmp/ro.img,raw,xvdb,ro" ]'
if ! blk_boot blk1 "" "xvda xvdb"; then
	xvmm destroy blk1 >/dev/null 2>&1
	finish; exit 1
fi
grep -q xvda /tmp/out && grep -q xvdb /tmp/out && pass blk1-sees-xvda-xvdb ||
	fail blk1-sees-xvda-xvdb "$(cat /tmp/out)"
gcmd blk1 30 'cat /sys/block/xvda/size /sys/block/xvdb/size /sys/block/xvda/ro /sys/block/xvdb/ro'
[ "$(tr '\n' ' ' </tmp/out)" = "32768 8192 0 1 " ] && pass sizes-and-ro-flags ||
	fail sizes-and-ro-flags "size/ro: $(tr '\n' ' ' </tmp/out), want 32768 8192 0 1"

gcmd blk1 60 'mount -t ext4 /dev/xvda /mnt && cat /mnt/hello.txt && cd /mnt && md5sum -c big.md5; cd /'
grep -q "hello from the xvmm blk test" /tmp/out && pass read-known-file ||
	fail read-known-file "$(cat /tmp/out)"
grep -q "big.bin: OK" /tmp/out && pass read-1mib-checksum || fail read-1mib-checksum "$(cat /tmp/out)"

gcmd blk1 120 'echo "written by blk1" >/mnt/new.txt && dd if=/dev/urandom of=/mnt/w.bin bs=64k count=32 2>/dev/null && (cd /mnt && md5sum w.bin >w.md5) && dd if=/dev/urandom of=/mnt/trim.bin bs=64k count=64 2>/dev/null && sync && echo synced'
grep -q '^synced' /tmp/out && pass write-and-sync || fail write-and-sync "$(cat /tmp/out)"
# Indirect requests: the backend offers 256 segments, blkfront takes its
# default 32 (11 without indirect), so 1 MiB direct I/O goes as 128 KiB
# INDIRECT requests; the data must come back intact (blk2 checks it again).
gcmd blk1 30 'cat /sys/block/xvda/queue/max_segments'
[ "$(cat /tmp/out)" = 32 ] && pass indirect-segments-negotiated ||
	fail indirect-segments-negotiated "max_segments $(cat /tmp/out), want 32"
gcmd blk1 120 'dd if=/dev/urandom of=/tmp/d.bin bs=1M count=4 2>/dev/null && dd if=/tmp/d.bin of=/mnt/direct.bin bs=1M oflag=direct 2>/dev/null && (cd /mnt && md5sum direct.bin >direct.md5) && sync && echo 3 >/proc/sys/vm/drop_caches && dd if=/mnt/direct.bin bs=1M iflag=direct 2>/dev/null | md5sum && md5sum </tmp/d.bin && rm /tmp/d.bin'
if [ "$(wc -l </tmp/out)" = 2 ] && [ "$(sed -n 1p /tmp/out)" = "$(sed -n 2p /tmp/out)" ]; then
	pass direct-io-1mib-intact
else
	fail direct-io-1mib-intact "$(cat /tmp/out)"
fi
# Discard: the freed blocks become holes in dom0's file (tmpfs punches them).
used_before=$(du -k /tmp/rw.img | cut -f1)
gcmd blk1 60 'rm /mnt/trim.bin && sync && fstrim -v /mnt'
used_after=$(du -k /tmp/rw.img | cut -f1)
echo "rw.img uses $used_before KiB before the trim, $used_after KiB after ($(cat /tmp/out))"
[ "$used_after" -lt $((used_before - 2048)) ] && pass discard-punches-holes ||
	fail discard-punches-holes "$used_before -> $used_after KiB"

# The read-only disk: readable, refuses writes.
gcmd blk1 60 'mount -t ext4 -o ro /dev/xvdb /mnt2 && cat /mnt2/ro.txt'
grep -q "read-only disk" /tmp/out && pass ro-disk-readable || fail ro-disk-readable "$(cat /tmp/out)"
gcmd blk1 60 'touch /mnt2/x 2>&1; echo touch=$?; mount -o remount,rw /mnt2 2>&1; echo remount=$?; dd if=/dev/zero of=/dev/xvdb bs=4096 count=1 conv=fsync 2>&1; echo dd=$?'
if grep -q '^touch=' /tmp/out && ! grep -qE '^(touch|remount|dd)=0' /tmp/out; then
	pass ro-disk-refuses-writes
else
	fail ro-disk-refuses-writes "$(cat /tmp/out)"
fi

grep "vbd xvda (51712): connected" /tmp/runner.log | tail -n 1 | grep -q "persistent grants" &&
	pass xvda-persistent-grants || fail xvda-persistent-grants "$(grep 'connected' /tmp/runner.log)"
# Several requests in flight per queue (blk_uring.c): the file disks go through io_uring.
grep "vbd xvda (51712): connected" /tmp/runner.log | tail -n 1 | grep -q ", io_uring$" &&
	pass xvda-io-uring || fail xvda-io-uring "$(grep 'connected' /tmp/runner.log)"
grep -q "vbd xvda (51712): connected" /tmp/runner.log && pass runner-connected-xvda ||
	fail runner-connected-xvda "$(cat /tmp/runner.log)"
grep -q "vbd xvdb (51728): connected" /tmp/runner.log && pass runner-connected-xvdb ||
	fail runner-connected-xvdb "$(cat /tmp/runner.log)"

# Destroyed with the file system still mounted: what was synced must be there.
check destroy-blk1 xvmm destroy blk1
dom_gone blk1 && runner_gone blk1 && pass blk1-gone || fail blk1-gone "$(xvmm list)"
grep "vbd xvda (51712): disconnected" /tmp/runner.log | tail -n 1 >/tmp/stats
echo "blk1 xvda: $(cat /tmp/stats)"
flushes=$(sed -n 's/.* \([0-9]*\) flushes.*/\1/p' /tmp/stats)
discards=$(sed -n 's/.* \([0-9]*\) discards.*/\1/p' /tmp/stats)
indirect=$(sed -n 's/.*(\([0-9]*\) indirect).*/\1/p' /tmp/stats)
# Every data page went through a persistent map: blkfront keeps at most 1056 grants.
pmapped=$(grep "vbd xvda (51712): persistent grants" /tmp/runner.log | tail -n 1 |
	sed -n 's/.*grants: \([0-9]*\) mapped, \([0-9]*\) segments.*/\1 \2/p')
echo "blk1 xvda persistent grants (mapped, copied past them): $pmapped"
set -- $pmapped
[ "${1:-0}" -gt 0 ] && [ "${2:-1}" = 0 ] && pass persistent-maps-used ||
	fail persistent-maps-used "$(grep 'persistent grants' /tmp/runner.log)"
[ "${indirect:-0}" -ge 32 ] && pass indirect-requests-served || fail indirect-requests-served "$(cat /tmp/stats)"
[ "${flushes:-0}" -gt 0 ] && pass flushes-served || fail flushes-served "$(cat /tmp/stats)"
[ "${discards:-0}" -gt 0 ] && pass discards-served || fail discards-served "$(cat /tmp/stats)"
[ "$(md5sum </tmp/ro.img)" = "$ro_sum" ] && pass ro-image-unchanged || fail ro-image-unchanged

# ---- second guest: reads back what the first wrote ----
blkcfg blk2 'disk = [ "/tmp/rw.img,,xvda", "format=raw, vdev=xvdb, access=ro, target=/tmp/ro.img" ]'
sed -i 's/^vcpus = 1$/vcpus = 2/' /tmp/blk2.cfg	# two vCPUs: blkfront asks for two queues
if blk_boot blk2 "max_ring_page_order=4 feature_persistent=0" "xvda xvdb"; then
	# This one's blkfront asked for 16-page rings (max_ring_page_order=4),
	# two queues (one per vCPU) and no persistent grants: it reads what
	# blk1 wrote through them.
	grep "domain [0-9]* (blk2): vbd xvda (51712): connected" /tmp/runner.log | tail -n 1 >/tmp/conn
	grep -q "16 ring page(s), 512 slots" /tmp/conn && pass multi-page-ring ||
		fail multi-page-ring "$(grep 'blk2' /tmp/runner.log | tail -n 6)"
	grep -q "per-request grants" /tmp/conn && pass blk2-per-request-grants ||
		fail blk2-per-request-grants "$(cat /tmp/conn)"
	grep -q "connected: 2 queue(s)" /tmp/conn && pass blk2-two-queues ||
		fail blk2-two-queues "$(cat /tmp/conn)"
	gcmd blk2 60 'mount -t ext4 /dev/xvda /mnt && cat /mnt/new.txt && cd /mnt && md5sum -c w.md5 && md5sum -c big.md5 && md5sum -c direct.md5; cd /'
	grep -q "direct.bin: OK" /tmp/out && pass blk2-direct-data-intact ||
		fail blk2-direct-data-intact "$(cat /tmp/out)"
	grep -q "written by blk1" /tmp/out && pass blk2-reads-new-file || fail blk2-reads-new-file "$(cat /tmp/out)"
	grep -q "w.bin: OK" /tmp/out && pass blk2-written-data-intact ||
		fail blk2-written-data-intact "$(cat /tmp/out)"
	grep -q "big.bin: OK" /tmp/out && pass blk2-old-data-intact || fail blk2-old-data-intact "$(cat /tmp/out)"

	# Busy: a third domain may not write the image blk2 is using.
	blkcfg blk3 'disk = [ "/tmp/rw.img,,xvda" ]'
	refused busy-target-refused /tmp/blk3.cfg "in use by another domain"
	xvmm destroy blk3 >/dev/null 2>&1

	# Hot plug: a new disk appears as xvdc in the running guest, takes writes,
	# and goes away again on block-detach; its data is in dom0's file.
	dd if=/dev/zero of=/tmp/extra.img bs=1M count=8 2>/dev/null
	check block-attach xvmm block-attach blk2 "format=raw, vdev=xvdc, access=rw, target=/tmp/extra.img"
	gcmd blk2 60 'for i in $(seq 1 100); do [ -e /sys/block/xvdc ] && break; sleep 0.1; done; cat /sys/block/xvdc/size'
	[ "$(cat /tmp/out)" = 16384 ] && pass hotplug-xvdc-appears || fail hotplug-xvdc-appears "$(cat /tmp/out)"
	xvmm block-list blk2 >/tmp/list
	cat /tmp/list
	awk '$1 == 51744 && $4 == 4 { ok = 1 } END { exit !ok }' /tmp/list && pass block-list-shows-xvdc ||
		fail block-list-shows-xvdc "$(cat /tmp/list)"
	expect_fail block-attach-same-vdev xvmm block-attach blk2 /tmp/extra.img,,xvdc
	expect_fail block-attach-bad-spec xvmm block-attach blk2 /tmp/extra.img,,xvdc,rx
	gcmd blk2 60 'dd if=/dev/urandom of=/dev/xvdc bs=64k count=16 conv=fsync 2>/dev/null && dd if=/dev/xvdc bs=64k count=16 2>/dev/null | md5sum'
	gsum=$(cut -d' ' -f1 /tmp/out)
	check block-detach xvmm block-detach blk2 xvdc
	gcmd blk2 30 'ls /sys/block'
	grep -q xvdc /tmp/out && fail hotplug-xvdc-gone "$(cat /tmp/out)" || pass hotplug-xvdc-gone
	xvmm block-list blk2 | grep -q '^51744 ' && fail block-list-without-xvdc || pass block-list-without-xvdc
	hsum=$(dd if=/tmp/extra.img bs=64k count=16 2>/dev/null | md5sum | cut -d' ' -f1)
	[ -n "$gsum" ] && [ "$gsum" = "$hsum" ] && pass hotplug-data-in-file ||
		fail hotplug-data-in-file "guest $gsum, dom0 $hsum"
	expect_fail block-detach-unknown xvmm block-detach blk2 xvdq
	rm -f /tmp/extra.img

	# A clean end: unmount, power off; the devices close with the guest.
	gcmd blk2 60 'cd / && umount /mnt && echo unmounted'
	grep -q '^unmounted' /tmp/out && pass blk2-umount || fail blk2-umount "$(cat /tmp/out)"
	printf 'poweroff\n' | timeout 3 xvmm console blk2 >/dev/null 2>&1
	dom_gone blk2 && pass blk2-poweroff || fail blk2-poweroff "$(xvmm list)"
	runner_gone blk2
fi
# ---- a block device with 4096-byte sectors (a loop device), through O_DIRECT ----
# sectors and request fields stay in 512-byte units; sector-size says 4096
# and the guest's block layer sends whole blocks (io/blkif.h).
if insmod /extra/loop.ko && dd if=/dev/zero of=/tmp/4k.img bs=1M count=8 2>/dev/null &&
	loop=$(/lib/xvmm/progs/loopdev attach /tmp/4k.img 4096); then
	pass loop-4k-attached
	blkcfg blk4k "disk = [ \"phy:$loop,xvda,w\" ]"
	if blk_boot blk4k "" xvda; then
		grep "(blk4k): vbd xvda (51712): $loop" /tmp/runner.log | tail -n 1 >/tmp/conn
		grep -q "4096-byte blocks, O_DIRECT" /tmp/conn && pass blk4k-backend-4k-direct ||
			fail blk4k-backend-4k-direct "$(grep blk4k /tmp/runner.log)"
		gcmd blk4k 30 'cat /sys/block/xvda/queue/logical_block_size /sys/block/xvda/size'
		[ "$(tr '\n' ' ' </tmp/out)" = "4096 16384 " ] && pass blk4k-guest-sees-4k ||
			fail blk4k-guest-sees-4k "$(tr '\n' ' ' </tmp/out), want 4096 16384"
		gcmd blk4k 120 'dd if=/dev/urandom of=/tmp/x bs=64k count=16 2>/dev/null && dd if=/tmp/x of=/dev/xvda bs=64k seek=3 oflag=direct 2>/dev/null && dd if=/dev/xvda bs=64k skip=3 count=16 iflag=direct 2>/dev/null | md5sum && md5sum </tmp/x'
		gsum=$(sed -n 1p /tmp/out | cut -d' ' -f1)
		[ -n "$gsum" ] && [ "$gsum" = "$(sed -n 2p /tmp/out | cut -d' ' -f1)" ] &&
			pass blk4k-data-intact || fail blk4k-data-intact "$(cat /tmp/out)"
		hsum=$(dd if="$loop" bs=64k skip=3 count=16 2>/dev/null | md5sum | cut -d' ' -f1)
		[ "$gsum" = "$hsum" ] && pass blk4k-data-on-device || fail blk4k-data-on-device "guest $gsum, dom0 $hsum"
		printf 'poweroff\n' | timeout 3 xvmm console blk4k >/dev/null 2>&1
		dom_gone blk4k && runner_gone blk4k && pass blk4k-poweroff || fail blk4k-poweroff "$(xvmm list)"
	fi
	/lib/xvmm/progs/loopdev detach "$loop" || fail loop-4k-detached
else
	fail loop-4k-attached "insmod loop or loopdev attach failed"
fi
rm -f /tmp/4k.img

# ---- root file system on xvda: written, destroyed, booted again ----
cp /extra/root.img /tmp/root.img
blkcfg root1 'disk = [ "format=raw, vdev=xvda, access=rw, target=/tmp/root.img" ]'
rootboot() {	# NAME [OVERRIDE]: boot with / on xvda (the initramfs switches to it)
	check create-$1 xvmm create /tmp/root1.cfg name=$1 ${2:-} \
		"cmdline=console=hvc0 loglevel=6 xvmm.root=/dev/xvda" || return 1
	wait_for $1 "xvmm-rootfs: init started, root /dev/xvda" 240 && pass $1-root-on-xvda || {
		fail $1-root-on-xvda "$(tr -d '\r' <"$(log_of $1)" | tail -n 15)"
		return 1
	}
	sleep 1
}
if rootboot root1; then
	gcmd root1 60 'awk "\$2 == \"/\" { print \$1, \$3 }" /proc/mounts; echo "written on the root disk" >/root.txt && sync && echo synced'
	grep -q '^/dev/xvda ext4' /tmp/out && grep -q '^synced' /tmp/out && pass root1-write-sync ||
		fail root1-write-sync "$(cat /tmp/out)"
	check destroy-root1 xvmm destroy root1
	dom_gone root1 && runner_gone root1
	# The second boot: two vCPUs, so two queues, with persistent grants.
	if rootboot root2 vcpus=2; then
		grep "(root2): vbd xvda (51712): connected" /tmp/runner.log | tail -n 1 >/tmp/conn
		grep -q "connected: 2 queue(s).*persistent grants" /tmp/conn &&
			pass root2-two-queues-persistent || fail root2-two-queues-persistent "$(cat /tmp/conn)"
		gcmd root2 60 'cat /root.txt'
		grep -q "written on the root disk" /tmp/out && pass root2-reads-back ||
			fail root2-reads-back "$(cat /tmp/out)"
		printf 'poweroff\n' | timeout 3 xvmm console root2 >/dev/null 2>&1
		dom_gone root2 && pass root2-poweroff || fail root2-poweroff "$(xvmm list)"
		runner_gone root2
	fi
fi
rm -f /tmp/root.img

if grep -E 'BUG:|WARNING: CPU|Oops|Kernel panic|Call Trace' /var/log/xvmm/blk1.log /var/log/xvmm/blk2.log \
	/var/log/xvmm/root1.log /var/log/xvmm/root2.log /var/log/xvmm/blk4k.log >/tmp/bad; then
	fail guests-dmesg-clean "$(head -n 5 /tmp/bad)"
else
	pass guests-dmesg-clean
fi
grep -i "vbd" /tmp/runner.log | tail -n 8
grep -h -E "blkfront|xvd[ab]|EXT4-fs \(xvd|I/O error" /var/log/xvmm/blk1.log /var/log/xvmm/blk2.log |
	tr -d '\r' | head -n 20
# No request failed: blkfront turns flushes off after one failed empty flush.
grep -h "vbd .*disconnected" /tmp/runner.log | grep -v " 0 errors, 0 unsupported" >/tmp/bad &&
	fail no-failed-requests "$(cat /tmp/bad)" || pass no-failed-requests

rm -f /tmp/rw.img /tmp/ro.img
after=$(free_kb)
echo "free memory: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
