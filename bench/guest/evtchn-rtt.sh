#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the test machine (bench/evtchn-rtt drives it).
G=/lib/xvmm/guests
PINGS=2000
ROUNDS=5
xvmm load >/dev/null || { echo "@@ERROR load"; exit 1; }
mhz=$(dmesg | sed -n 's/.*tsc: Detected \([0-9.]*\) MHz.*/\1/p' | head -n 1)
echo "@@ tsc-mhz $mhz"

# The floor in this same boot: one exit round trip from dom0 ring 0.
for i in 1 2 3; do
	insmod /extra/xvmm_bench.ko iters=5000 && rmmod xvmm_bench
done
dmesg | sed -n 's/.*xvmm_bench: .* \([0-9]*\) ns per call.*/@@ control-call-ns \1/p'

wait_console() {
	for _ in $(seq 1 300); do
		xvmm console -n evtchn 2>/dev/null | grep -q "$1" && return 0
		sleep 0.2
	done
	return 1
}

# One echo run: MODE (poll|block) PLACEMENT (same: guest and pinger on
# CPU 0; cross: guest on CPU 0, pinger on CPU 1).
echo_run() {
	pcpu=1
	[ "$2" = same ] && pcpu=0
	out=$(taskset 1 xvmm create "$G/evtchn.cfg" extra="pings=$PINGS mode=$1" on_poweroff=preserve)
	id=$(echo "$out" | sed -n 's/.*created domain \([0-9]*\).*/\1/p')
	if ! wait_console "evtchn: port "; then
		echo "@@ERROR $1-$2: no port"
		xvmm destroy evtchn >/dev/null
		return
	fi
	port=$(xvmm console -n evtchn | sed -n 's/.*evtchn: port \([0-9]*\).*/\1/p' | head -n 1)
	h0=$(xvmm list --counts | awk '$1 == "evtchn" { print $7, $8 }')
	taskset $((1 << pcpu)) evtchn_ping "$id" "$port" "$PINGS" |
		sed -n "s/^rtt-us /@@ r$round $1-$2 /p"
	wait_console "evtchn: PASS" || echo "@@ERROR $1-$2: no PASS"
	h1=$(xvmm list --counts | awk '$1 == "evtchn" { print $7, $8 }')
	echo "@@ exits-hypercalls $1-$2 $h0 $h1"
	xvmm destroy evtchn >/dev/null
}

# Rounds of everything, interleaved, so the host's load (QEMU threads on a
# shared machine) weighs on each the same: the guest -> dom0 run loop ->
# guest trip (SCHEDOP_yield), two dom0 processes ping-ponging over pipes,
# and the event channel echo with the guest waiting in SCHEDOP_poll or in
# SCHEDOP_block with the upcall; pinned to one CPU or across both.
for round in $(seq 1 $ROUNDS); do
	line=$(taskset 1 xvmm create -c "$G/hcbench.cfg" 2>&1 | grep 'hcbench: hypercall-ticks')
	set -- $line
	echo "@@ r$round yield-ticks $6"
	for place in same cross; do
		evtchn_ping --pipe "$PINGS" $place | sed -n "s/^pipe-rtt-us /@@ r$round pipe-$place /p"
		echo_run poll $place
		echo_run block $place
	done
done
xvmm unload >/dev/null
echo "@@DONE"
