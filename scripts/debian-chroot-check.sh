#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/debian-chroot-check.sh [--user] [--keep] check|deb
#
# What a new user's fresh Debian 12 does with this tree, in a chroot built
# by debootstrap (run by hand as root; docs/testing.md):
#   check  the chroot has only build-essential, git, python3 and sudo; a
#          clone of HEAD runs README's two commands, `make check` and
#          `make demo`, which must install everything else themselves.
#          --user: as a user with sudo rights instead of root.
#   deb    `make deb` here; the chroot gets dkms and Debian's kernel
#          headers, installs both packages (DKMS builds xvmm.ko for those
#          headers), runs `xvmm --version`, then purges them: nothing of
#          theirs may be left (files, DKMS tree, module).
# The debootstrap is kept in /var/tmp/xvmm-chroot/base (made once); each
# run works on a fresh copy, removed afterwards unless --keep.
set -euo pipefail
cd "$(dirname "$0")/.."

user=0 keep=0 mode=
for a in "$@"; do
	case $a in
	--user) user=1 ;;
	--keep) keep=1 ;;
	check | deb) mode=$a ;;
	*) echo "usage: $0 [--user] [--keep] check|deb" >&2; exit 2 ;;
	esac
done
[ -n "$mode" ] || { echo "usage: $0 [--user] [--keep] check|deb" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: run as root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap

CACHE=/var/tmp/xvmm-chroot
BASE=$CACHE/base
MIRROR=${XVMM_MIRROR:-http://deb.debian.org/debian}
say() { echo "chroot-check: $*"; }

if [ ! -f "$BASE/.complete" ]; then
	say "debootstrap bookworm into $BASE (once)"
	rm -rf "$BASE"
	mkdir -p "$CACHE"
	debootstrap --variant=minbase --include=build-essential,git,python3,ca-certificates,sudo \
		bookworm "$BASE" "$MIRROR"
	touch "$BASE/.complete"
fi

R=$(mktemp -d "$CACHE/run.XXXXXX")
mounted=()
cleanup() {
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
	if [ "$keep" = 1 ]; then say "kept $R"; else rm -rf "$R"; fi
}
trap cleanup EXIT
say "fresh copy in $R"
cp -a "$BASE/." "$R/"
for m in proc sys dev dev/pts; do
	mkdir -p "$R/$m"
	case $m in
	proc) mount -t proc proc "$R/proc" ;;
	sys) mount -t sysfs sys "$R/sys" ;;
	dev) mount --bind /dev "$R/dev" ;;
	dev/pts) mount --bind /dev/pts "$R/dev/pts" ;;
	esac
	mounted+=("$R/$m")
done
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
# A Debian 12 as installed: updates and security too (the newest kernels are there).
cat >"$R/etc/apt/sources.list" <<SRC
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${XVMM_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main
SRC
in_chroot() { chroot "$R" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb "$@"; }

if [ "$mode" = check ]; then
	git clone -q . "$R/opt/xvmm"
	if [ "$user" = 1 ]; then
		in_chroot useradd -m -s /bin/bash builder
		echo 'builder ALL=(ALL) NOPASSWD: ALL' >"$R/etc/sudoers.d/builder"
		chown -R 1000:1000 "$R/opt/xvmm" 2>/dev/null || in_chroot chown -R builder: /opt/xvmm
		run() { in_chroot su builder -c "cd /opt/xvmm && $*"; }
	else
		run() { in_chroot sh -c "cd /opt/xvmm && $*"; }
	fi
	say "make check ($( [ "$user" = 1 ] && echo "as a user with sudo" || echo "as root"))"
	run "make check" </dev/null
	say "make demo"
	run "make demo" </dev/null | tee "$R/demo.out"
	grep -q ' passed, 0 failed' "$R/demo.out" || { say "FAIL: make demo did not end in 'N passed, 0 failed'"; exit 1; }
	say "PASS: README's two commands on a fresh Debian 12"
	exit 0
fi

# deb
make -s deb
kver=$(ls -d /usr/src/linux-headers-*-amd64 | sort -V | tail -n 1 | sed 's,.*/linux-headers-,,')
mkdir -p "$R/tmp/debs"
cp build/deb/xvmm_*.deb build/deb/xvmm-dkms_*.deb "$R/tmp/debs/"
say "dkms and linux-headers-$kver into the chroot"
in_chroot apt-get update -qq
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	dkms "linux-headers-$kver" kmod >/dev/null
find "$R" -xdev -path "$R/proc" -prune -o -path "$R/tmp" -prune -o -print | sed "s,^$R,," | sort >"$R/tmp/before"
say "installing the packages (DKMS builds xvmm.ko for $kver)"
debs=$(cd "$R" && ls tmp/debs/*.deb | sed 's,^,/,' | tr '\n' ' ')
# shellcheck disable=SC2086
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $debs
fail=0
check() { if "$@"; then say "ok: $what"; else say "FAIL: $what"; fail=1; fi; }
what="dkms status says installed for $kver"; check in_chroot sh -c "dkms status xvmm | grep -q '$kver.*installed'"
what="xvmm.ko in /lib/modules/$kver"; check test -n "$(find "$R/lib/modules/$kver" -name 'xvmm.ko*' | head -n 1)"
what="modinfo reads it"; check in_chroot sh -c "modinfo -k $kver xvmm | grep -q 'parm:.*require_signature'"
what="xvmm --version runs"; check in_chroot /usr/sbin/xvmm --version
what="the image is signed"; check sh -c "tail -c 28 '$R/usr/lib/xvmm/xvmm.bin' | grep -q 'Module signature appended'"
what="units installed"; check test -f "$R/lib/systemd/system/xvmm.service" -a -f "$R/lib/systemd/system/xvmm-guest@.service"
say "purging"
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq xvmm xvmm-dkms >/dev/null
find "$R" -xdev -path "$R/proc" -prune -o -path "$R/tmp" -prune -o -print | sed "s,^$R,," | sort >"$R/tmp/after"
what="nothing of the packages is left"
check sh -c "! comm -13 '$R/tmp/before' '$R/tmp/after' | grep -E 'xvmm' >'$R/tmp/left'"
[ -s "$R/tmp/left" ] && sed 's/^/    left: /' "$R/tmp/left"
what="dkms knows nothing of xvmm"; check in_chroot sh -c "[ -z \"\$(dkms status xvmm)\" ]"
[ "$fail" = 0 ] && say "PASS: the packages install, build, run and purge cleanly" || { say "FAILED"; exit 1; }
