#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 900
# Runs inside the test machine (bench/linux-boot drives it).
now() { cut -d' ' -f1 /proc/uptime; }
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }	# ticks, all CPUs
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
log=/var/log/xvmm/bench.log
xvmm load >/dev/null || { echo "@@ERROR load"; exit 1; }
cat >/tmp/bench.cfg <<CFG
name = "bench"
type = "pvh"
kernel = "/extra/vmlinux"
ramdisk = "/lib/xvmm/guests/linux-initrd.cpio.gz"
memory = 160
cmdline = "console=hvc0 loglevel=4"
CFG
for r in 1 2 3; do
	b0=$(busy); t0=$(now)
	xvmm create /tmp/bench.cfg >/dev/null
	while ! grep -q '^/ # ' "$log" 2>/dev/null; do sleep 0.02; done
	t1=$(now); b1=$(busy)
	vt=$(xvmm list | awk '$1 == "bench" { print $6 }')
	echo "@@ boot $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') dom0-cpu $(awk -v a="$b0" -v b="$b1" -v h="$hz" 'BEGIN { print (b - a) / h }') vcpu $vt"
	# Console round trips: a line typed into hvc0 until the guest's echo of it
	# comes back through the ring (dom0 -> event -> guest tty -> event -> dom0).
	for i in $(seq 1 10); do
		tok="rt$r$i"
		t0=$(now)
		printf '%s\n' ": $tok" | timeout 2 xvmm console bench >/dev/null 2>&1 &
		while ! grep -q "$tok" "$log"; do sleep 0.005; done
		t1=$(now)
		echo "@@ console-rt $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
		wait
	done
	xvmm destroy bench >/dev/null
	sleep 1
done
xvmm unload >/dev/null
echo "@@DONE"
