#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The initramfs of the Linux PVH test guest: busybox as init, a shell on
# hvc0, and the usual poweroff/reboot that go through init.
# GUEST_INIT=FILE in the environment: FILE is /init instead (it ends by
# running busybox's init, or another one).
set -eu
out=$1
shift			# then: kernel modules (*.ko) for /lib/modules-extra, programs for /bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/sbin" "$tmp/etc" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/tmp"
cp /bin/busybox "$tmp/bin/busybox"
mkdir -p "$tmp/lib/modules-extra" "$tmp/mnt" "$tmp/mnt2"
# /lib/modules-extra/load [NAME ARGS]: inserts them in the order given;
# module NAME (e.g. xen-blkfront) gets the parameters ARGS.
names=
for m in "$@"; do
	case $m in
	*.ko)
		cp "$m" "$tmp/lib/modules-extra/"
		names="$names $(basename "$m" .ko)"
		;;
	*) cp "$m" "$tmp/bin/" ;;
	esac
done
cat >"$tmp/lib/modules-extra/load" <<LOAD
#!/bin/sh
for m in$names; do
	a=
	[ "\$m" = "\${1:-}" ] && a=\${2:-}
	insmod /lib/modules-extra/\$m.ko \$a || exit 1
done
LOAD
chmod +x "$tmp/lib/modules-extra/load"
for a in sh mount umount cat echo dmesg grep sleep date uname ls ps seq wc head tail awk cut tr sync \
	 insmod rmmod md5sum dd cmp touch rm mkdir du fstrim stat ip ping nc timeout free; do
	ln -s busybox "$tmp/bin/$a"
done
for a in init poweroff reboot halt; do
	ln -s ../bin/busybox "$tmp/sbin/$a"
done
if [ -n "${GUEST_INIT:-}" ]; then
	cp "$GUEST_INIT" "$tmp/init"
	chmod +x "$tmp/init"
else
	ln -s bin/busybox "$tmp/init"
fi
cat >"$tmp/etc/inittab" <<'TAB'
::sysinit:/etc/rcS
hvc0::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/sync
TAB
cat >"$tmp/etc/rcS" <<'RCS'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "xvmm-linux: init started, kernel $(uname -r)" >/dev/hvc0
RCS
chmod +x "$tmp/etc/rcS"
(cd "$tmp" && find . | cpio -o -H newc --quiet) | gzip -9 >"$out"
