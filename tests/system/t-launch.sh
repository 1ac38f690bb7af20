#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/tests/progs/vmmcall_user
#
# Late launch on both CPUs: the VMM runs under the OS, dom0 keeps working
# (a mixed workload on both CPUs gives the right answers), ring 3 cannot
# make control calls, and unload gives the machine back.
. /lib/xvmm/lib.sh

check load xvmm load || { finish; exit 1; }

xvmm status >/tmp/status 2>&1
if grep -q '^cpus: *2 (mask 0x3)' /tmp/status; then
	pass status-two-cpus
else
	fail status-two-cpus "$(cat /tmp/status)"
fi
xvmm dmesg >/tmp/vmmlog
for c in 0 1; do
	if grep -q "cpu$c: launching dom0" /tmp/vmmlog; then
		pass "vmm-log-cpu$c"
	else
		fail "vmm-log-cpu$c" "no launch line for cpu$c in xvmm dmesg"
	fi
done

# A mixed workload pinned to each CPU: processes, pipes, tmpfs I/O, timers.
work() {
	cpu=$1
	out=/tmp/work.$cpu
	taskset -c "$cpu" sh -c '
		i=0; sum=0
		while [ $i -lt 300 ]; do sum=$((sum + i)); i=$((i + 1)); done
		seq 1 2000 | sort -rn | head -n 1 > '"$out"'.pipe
		dd if=/dev/urandom of='"$out"'.bin bs=4k count=256 2>/dev/null
		cp '"$out"'.bin '"$out"'.copy
		cmp '"$out"'.bin '"$out"'.copy && echo same > '"$out"'.cmp
		for k in 1 2 3 4 5; do sleep 0.1; done
		n=0; for k in $(seq 1 40); do n=$((n + $(echo $k | wc -c))); done
		echo "$sum $(cat '"$out"'.pipe) $(cat '"$out"'.cmp) $n" > '"$out"'
	'
}
start=$(date +%s)
work 0 & p0=$!
work 1 & p1=$!
wait $p0 $p1
# sum 0..299 = 44850; max of 1..2000 = 2000; sum of (digits+1) for 1..40 = 9*2 + 31*3 = 111
for c in 0 1; do
	if [ "$(cat /tmp/work.$c 2>/dev/null)" = "44850 2000 same 111" ]; then
		pass "workload-cpu$c"
	else
		fail "workload-cpu$c" "got '$(cat /tmp/work.$c 2>/dev/null)'"
	fi
done
t0=$(cut -d' ' -f1 /proc/uptime)
sleep 1
t1=$(cut -d' ' -f1 /proc/uptime)
if awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; exit !(d >= 0.9 && d < 3) }'; then
	pass sleep-1s
else
	fail sleep-1s "slept from $t0 to $t1"
fi

check ring3-vmmcall-refused /extra/vmmcall_user
check still-loaded-after-ring3 sh -c 'xvmm status | grep -q "^loaded: *yes"'
check selftest-integrity xvmm selftest integrity
# An FPU image the CPU refuses faults inside the VMM, on each CPU: the
# exception table catches it (no FATAL, no parked CPU), dom0's own FPU
# state comes back intact, and the VMM goes on answering.
for cpu in 0 1; do
	check selftest-extable-cpu$cpu taskset -c $cpu xvmm selftest extable
done
awk 'BEGIN { x = 1.5; for (i = 0; i < 1000; i++) x = x * 1.0001; exit !(x > 1.6 && x < 1.7) }' &&
	pass dom0-fpu-after-extable || fail dom0-fpu-after-extable "floating point wrong"
xvmm dmesg | grep -E 'FATAL|CPU parked' >/tmp/fatal &&
	fail no-fatal-after-extable "$(cat /tmp/fatal)" || pass no-fatal-after-extable
check status-after-extable sh -c 'xvmm status | grep -q "^loaded: *yes"'
check unload xvmm unload
expect_fail status-after-unload xvmm status
check no-svme-left sh -c '! grep -q xvmm /proc/modules'

dmesg | grep -E 'cut here|WARNING: CPU|BUG:|Oops|Call Trace|general protection' >/tmp/bad && {
	fail dmesg-clean "kernel complained:"
	sed 's/^/    | /' /tmp/bad | head -n 20
} || pass dmesg-clean

finish
