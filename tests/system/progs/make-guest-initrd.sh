#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The initramfs of the Linux PVH test guest: busybox and an init that
# reports on hvc0 and then serves a shell there.
set -eu
out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/sbin" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/tmp"
cp /bin/busybox "$tmp/bin/busybox"
for a in sh mount cat echo dmesg grep sleep date poweroff uname ls ps seq wc head tail awk cut tr sync; do
	ln -s busybox "$tmp/bin/$a"
done
# What the kernel runs on `xl shutdown`-style requests (orderly_poweroff):
# there is no init system to signal, so power off at once.
printf '#!/bin/sh\nexec /bin/busybox poweroff -f\n' >"$tmp/sbin/poweroff"
printf '#!/bin/sh\nexec /bin/busybox reboot -f\n' >"$tmp/sbin/reboot"
chmod +x "$tmp/sbin/poweroff" "$tmp/sbin/reboot"
cat >"$tmp/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "xvmm-linux: init started, kernel $(uname -r)"
while :; do
	setsid sh -c 'exec sh -i </dev/hvc0 >/dev/hvc0 2>&1'
done
INIT
chmod +x "$tmp/init"
(cd "$tmp" && find . | cpio -o -H newc --quiet) | gzip -9 >"$out"
