#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Files for the PV disk test (tests/system/linux/t-blk.sh), made on the
# build host before the test machine boots:
#
#   make-blk-files.sh initrd OUT DEB
#       the Linux test guest's initramfs (make-guest-initrd.sh) with the
#       modules a disk needs from Debian's kernel package DEB: xen-blkfront,
#       ext4 and what ext4 needs (jbd2, mbcache, crc16, crc32c for its
#       metadata checksums), in /lib/modules-extra, loaded in that order by
#       /lib/modules-extra/load. Its /init takes xvmm.root=DEV from the
#       kernel command line: the root file system is then DEV, mounted and
#       switched to; without it busybox's init runs from the initramfs.
#   make-blk-files.sh images DIR
#       DIR/rw.img (16 MiB) and DIR/ro.img (4 MiB): ext4 file systems made
#       with mkfs.ext4 -d from a tree holding known files: hello.txt, and
#       big.bin (1 MiB of random bytes) with its checksum in big.md5;
#       DIR/q.qcow2: a 32 MiB ext4 of the same files, as qcow2 (qemu-img);
#       DIR/root.img: a 16 MiB ext4 root file system (static busybox, its
#       init, a shell on hvc0, / remounted read-only at shutdown).
set -eu
what=$1
case $what in
initrd)
	out=$2 deb=$3
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mods="lib/crc16.ko fs/mbcache.ko fs/jbd2/jbd2.ko crypto/crc32c_generic.ko fs/ext4/ext4.ko
	      drivers/block/xen-blkfront.ko"
	pats=
	for m in $mods; do
		pats="$pats ./lib/modules/*/kernel/$m"
	done
	# shellcheck disable=SC2086
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards $pats
	files=
	for m in $mods; do
		f=$(find "$tmp/lib/modules" -path "*/kernel/$m")
		[ -n "$f" ] || { echo "make-blk-files: $m is not in $deb" >&2; exit 1; }
		files="$files $f"
	done
	cat >"$tmp/init" <<'INIT'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
root=
for a in $(cat /proc/cmdline); do
	case $a in xvmm.root=*) root=${a#xvmm.root=} ;; esac
done
if [ -n "$root" ]; then
	/bin/busybox mount -t devtmpfs dev /dev
	/lib/modules-extra/load || exec sh
	for i in $(seq 1 200); do [ -b "$root" ] && break; sleep 0.1; done
	/bin/busybox mkdir -p /newroot
	/bin/busybox mount -t ext4 "$root" /newroot || exec sh
	/bin/busybox mount --move /dev /newroot/dev
	/bin/busybox umount /proc
	exec /bin/busybox switch_root /newroot /sbin/init
fi
/bin/busybox umount /proc
exec /bin/busybox init
INIT
	# shellcheck disable=SC2086
	GUEST_INIT="$tmp/init" "$(dirname "$0")/make-guest-initrd.sh" "$out" $files
	;;
images)
	dir=$2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$dir" "$tmp/rw" "$tmp/ro"
	echo "hello from the xvmm blk test" >"$tmp/rw/hello.txt"
	head -c 1048576 /dev/urandom >"$tmp/rw/big.bin"
	(cd "$tmp/rw" && md5sum big.bin >big.md5)
	echo "read-only disk" >"$tmp/ro/ro.txt"
	rm -f "$dir/rw.img" "$dir/ro.img"
	truncate -s 16M "$dir/rw.img"
	truncate -s 4M "$dir/ro.img"
	mkfs.ext4 -q -F -L xvmmrw -d "$tmp/rw" "$dir/rw.img"
	mkfs.ext4 -q -F -L xvmmro -d "$tmp/ro" "$dir/ro.img"
	truncate -s 32M "$tmp/q.raw"
	mkfs.ext4 -q -F -b 4096 -L xvmmq -d "$tmp/rw" "$tmp/q.raw"
	mkdir -p "$tmp/root/bin" "$tmp/root/sbin" "$tmp/root/etc" "$tmp/root/proc" "$tmp/root/sys" \
		"$tmp/root/dev" "$tmp/root/tmp"
	cp /bin/busybox "$tmp/root/bin/busybox"
	for a in sh mount umount cat echo dmesg grep sleep ls sync awk md5sum dd rm; do
		ln -s busybox "$tmp/root/bin/$a"
	done
	for a in init poweroff reboot halt; do
		ln -s ../bin/busybox "$tmp/root/sbin/$a"
	done
	cat >"$tmp/root/etc/inittab" <<'TAB'
::sysinit:/etc/rcS
hvc0::respawn:-/bin/sh
::shutdown:/bin/mount -o remount,ro /
TAB
	cat >"$tmp/root/etc/rcS" <<'RCS'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "xvmm-rootfs: init started, root $(awk '$2 == "/" { print $1 }' /proc/mounts)" >/dev/hvc0
RCS
	chmod +x "$tmp/root/etc/rcS"
	rm -f "$dir/root.img"
	truncate -s 16M "$dir/root.img"
	mkfs.ext4 -q -F -L xvmmroot -d "$tmp/root" "$dir/root.img"
	rm -f "$dir/q.qcow2"
	qemu-img convert -f raw -O qcow2 "$tmp/q.raw" "$dir/q.qcow2"
	;;
*)
	echo "usage: make-blk-files.sh initrd OUT DEB | images DIR" >&2
	exit 2
	;;
esac
