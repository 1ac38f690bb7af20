#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 600
#
# `make demo`: what xvmm is for, in one boot of the test machine. The
# machine runs Debian's own kernel (this is dom0); xvmm is loaded under it
# without a reboot, runs Debian's same kernel as a Xen PVH guest from an
# xl.cfg file, and is unloaded again while dom0 carries on. Each step says
# what it shows; the guest's commands are typed into its console.
. /lib/xvmm/lib.sh

say() { echo; echo "=== $*"; }
show() {	# a command, then its output
	echo "\$ $*"
	"$@"
}
in_guest() {	# a command typed into the guest's shell, and its answer
	echo "guest\$ $1"
	if gcmd demo 60 "$1"; then
		sed 's/^/    /' /tmp/out
	else
		echo "    (no answer within 60 s)"
		return 1
	fi
}

say "1. This machine: Debian's Linux $(uname -r) on $(nproc) CPUs with AMD SVM and nested paging"
grep -q -w svm /proc/cpuinfo && grep -q -w npt /proc/cpuinfo && pass cpu-has-svm-npt || fail cpu-has-svm-npt

say "2. Load xvmm under the running kernel: every CPU now runs as dom0 above the VMM"
if show xvmm load; then pass load; else fail load; finish; exit 1; fi
echo "\$ xvmm status"
xvmm status >/tmp/st && pass status || fail status
grep -E '^(loaded|version|image|cpus|memory):' /tmp/st

say "3. A guest: Debian's same kernel, unmodified, as a Xen PVH domain. Its xl.cfg:"
cat >/tmp/demo.cfg <<CFG
name = "demo"
type = "pvh"
kernel = "/extra/vmlinux"
ramdisk = "$XVMM_GUESTS/linux-initrd.cpio.gz"
memory = 256
vcpus = 2
cmdline = "console=hvc0 loglevel=4"
CFG
sed 's/^/    /' /tmp/demo.cfg
t0=$(now)
show xvmm create /tmp/demo.cfg
if wait_for demo '^/ # ' 300; then
	pass guest-boots
	echo "(its shell prompt came up on the console after $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s)"
else
	fail guest-boots "no shell prompt in 300 s"
	tail -n 20 "$(log_of demo)"
	finish; exit 1
fi
show xvmm list

say "4. Inside the guest, over its Xen console (hvc0)"
in_guest 'uname -sr' && grep -q "$(uname -r)" /tmp/out && pass guest-uname || fail guest-uname
in_guest 'dmesg | grep -i -m 6 xen' && grep -qi 'xen' /tmp/out && pass guest-sees-xen ||
	fail guest-sees-xen
in_guest 'nproc' && grep -qx 2 /tmp/out && pass guest-nproc || fail guest-nproc
in_guest 'grep -E "MemTotal" /proc/meminfo' && pass guest-memory || fail guest-memory

say "5. Shut the guest down, as xl shutdown -w does"
if show xvmm shutdown --wait demo; then pass guest-shutdown; else fail guest-shutdown; fi
show xvmm list

say "6. Unload xvmm: every CPU runs natively again, dom0 never stopped"
if show xvmm unload; then pass unload; else fail unload; fi
show xvmm status 2>&1
echo "dom0 is still here: up $(cut -d' ' -f1 /proc/uptime) s, $(grep -c ^processor /proc/cpuinfo) CPUs online"
finish
