#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --timeout 1500
#
# Runs inside the test machine (bench/dom0-overhead drives it). Alternating
# rounds of the same dom0 workload with xvmm loaded and not loaded; every
# phase is framed by "@@BENCH <phase> <mode> <round> begin|end <guest-s>"
# lines, at which the host samples QEMU's CPU time.
ROUNDS=$(sed -n "s/.*xvmm_rounds=\([0-9]*\).*/\1/p" /proc/cmdline)
ROUNDS=${ROUNDS:-5}

now() { cut -d' ' -f1 /proc/uptime; }

phase_cpu() { i=0; s=0; while [ $i -lt 200000 ]; do s=$((s + i)); i=$((i + 1)); done; }
phase_syscall() { dd if=/dev/zero of=/dev/null bs=1 count=300000 2>/dev/null; }
phase_fork() { i=0; while [ $i -lt 150 ]; do /bin/true; i=$((i + 1)); done; }
phase_mem() {
	dd if=/dev/zero of=/tmp/mem bs=1M count=192 2>/dev/null
	cat /tmp/mem >/dev/null
	rm -f /tmp/mem
}

run_mode() {
	mode=$1
	round=$2
	if [ "$mode" = loaded ]; then
		xvmm load >/dev/null || { echo "@@BENCH-ERROR load failed"; exit 1; }
	fi
	for p in cpu syscall fork mem; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		sleep 0.5
		t0=$(now)
		echo "@@BENCH $p $mode $round begin"
		phase_$p
		t1=$(now)
		echo "@@BENCH $p $mode $round end $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
		sleep 0.5
	done
	if [ "$mode" = loaded ]; then
		xvmm unload >/dev/null || { echo "@@BENCH-ERROR unload failed"; exit 1; }
	fi
}

for r in $(seq 1 "$ROUNDS"); do
	# Alternate which mode goes first, so drift hits both alike.
	if [ $((r % 2)) -eq 1 ]; then
		run_mode bare "$r"
		run_mode loaded "$r"
	else
		run_mode loaded "$r"
		run_mode bare "$r"
	fi
done

# Exit round trip from dom0 ring 0, and load/unload latency from the driver.
xvmm load >/dev/null
for i in 1 2 3; do
	insmod /extra/xvmm_bench.ko iters=20000 && rmmod xvmm_bench
done
xvmm unload >/dev/null
for i in 1 2 3 4 5; do xvmm load >/dev/null; xvmm unload >/dev/null; done
dmesg | grep -E 'xvmm_bench:|xvmm: .* running on|xvmm: unloaded in' | sed 's/^\[[^]]*\] /@@INFO /'
echo "@@BENCH-DONE"
