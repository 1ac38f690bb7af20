#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 1500
# Runs inside the test machine (bench/smp drives it).
. /lib/xvmm/lib.sh
ipi() {	# LABEL: three runs of the IPI module in dom0
	for i in 1 2 3; do
		insmod /extra/xvmm_ipibench.ko iters=2000 && rmmod xvmm_ipibench
	done
	dmesg | sed -n 's/.*xvmm_ipibench: .* \([0-9]*\) ns each.*/@@ '"$1"' \1/p' | tail -n 3
	dmesg -c >/dev/null
}
dmesg -c >/dev/null
ipi dom0-bare-ipi-ns
xvmm load >/dev/null || { echo "@@ERROR load"; exit 1; }
ipi dom0-loaded-ipi-ns

guest() {	# NAME VCPUS
	cat >/tmp/$1.cfg <<CFG
name = "$1"
type = "pvh"
kernel = "/extra/vmlinux"
ramdisk = "/extra/ipi-initrd.cpio.gz"
memory = 256
vcpus = $2
cmdline = "console=hvc0 loglevel=4"
CFG
}

# Boot to the shell prompt with 1, 2 and 4 vCPUs, twice each.
for r in 1 2; do
	for n in 1 2 4; do
		guest boot$n$r $n
		t0=$(now)
		xvmm create /tmp/boot$n$r.cfg >/dev/null
		wait_for boot$n$r '^/ # ' 600 || echo "@@ERROR boot vcpus=$n"
		t1=$(now)
		echo "@@ boot vcpus=$n $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
		xvmm destroy boot$n$r >/dev/null
		sleep 1
	done
done

# The same IPI module inside a 2-vCPU guest.
guest ipi 2
xvmm create /tmp/ipi.cfg >/dev/null
wait_for ipi '^/ # ' 600 || echo "@@ERROR guest boot"
for i in 1 2 3; do
	gcmd ipi 120 'insmod /lib/modules-extra/xvmm_ipibench.ko iters=500 && rmmod xvmm_ipibench; dmesg -c | grep ipibench'
	sed -n 's/.*xvmm_ipibench: .* \([0-9]*\) ns each.*/@@ guest-ipi-ns \1/p' /tmp/out
done
xvmm destroy ipi >/dev/null
ipi dom0-loaded-ipi-ns
xvmm unload >/dev/null
echo "@@DONE"
