#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the test machine (bench/guest-paths drives it).
G=/lib/xvmm/guests
now() { cut -d' ' -f1 /proc/uptime; }
xvmm load >/dev/null || { echo "@@ERROR load"; exit 1; }
mhz=$(dmesg | sed -n 's/.*tsc: Detected \([0-9.]*\) MHz.*/\1/p' | head -n 1)
echo "@@ tsc-mhz $mhz"

# The floor in this same boot: one exit round trip from dom0 ring 0.
for i in 1 2 3; do
	insmod /extra/xvmm_bench.ko iters=5000 && rmmod xvmm_bench
done
dmesg | sed -n 's/.*xvmm_bench: .* \([0-9]*\) ns per call.*/@@ control-call-ns \1/p'

for i in 1 2 3 4 5; do
	line=$(xvmm create -c "$G/hcbench.cfg" 2>&1 | grep 'hcbench: hypercall-ticks')
	set -- $line
	echo "@@ hcbench hypercall-ticks $4 yield-ticks $6"
done

# Exits per second of a guest that spins, and dom0's view of its CPU time.
xvmm create "$G/spin.cfg" >/dev/null
sleep 1
e0=$(xvmm list --counts | awk '$1 == "spin" { print $7 }'); t0=$(now)
sleep 5
e1=$(xvmm list --counts | awk '$1 == "spin" { print $7 }'); t1=$(now)
echo "@@ spin exits $((e1 - e0)) seconds $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
xvmm destroy spin >/dev/null

# From `xvmm create` to the guest's first console line, and its exits by kind.
for i in 1 2 3; do
	t0=$(now)
	xvmm create -c "$G/hello.cfg" | { read -r first; t1=$(now); echo "@@ first-line $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"; cat >/dev/null; }
done
xvmm dmesg | grep 'exits: hypercall' | tail -n 1 | sed 's/^/@@ hello-exit-kinds /'
xvmm unload >/dev/null
echo "@@DONE"
