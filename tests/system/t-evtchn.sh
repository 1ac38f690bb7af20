#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Event channels between dom0 and a guest, and SCHEDOP_poll, for real:
# the evtchn guest (tests/guests/evtchn.c), 64- and 32-bit, checks poll's
# errors (-EINVAL for port 4096 and 129 ports, -EFAULT), its immediate
# returns (masked pending port, past timeout) and that a 50 ms timeout
# with nothing sent returns no earlier than the deadline. Then it echoes
# pings from dom0 (tests/system/progs/evtchn_ping.c: a port descriptor
# from XVMM_IOCTL_EVTCHN_BIND, poll(2) on it), waiting with SCHEDOP_poll,
# and once with SCHEDOP_block and the upcall. While it waits the vCPU is
# blocked, not spinning: a poll or block that returned at once would make
# the guest's wait loop call it again and again, so its hypercalls stay a
# small multiple of the pings.
# xvmm-run: --timeout 900
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS
PINGS=200

check load xvmm load || { finish; exit 1; }
before=$(free_kb)

wait_console() {	# NAME PATTERN: within 60 s
	for _ in $(seq 1 300); do
		xvmm console -n "$1" 2>/dev/null | grep -q "$2" && return 0
		sleep 0.2
	done
	return 1
}

# The checks alone (no pings on the command line), 64- and 32-bit.
for v in "" -32; do
	name=evtchn$v
	timeout 120 xvmm create -c "$G/$name.cfg" on_poweroff=preserve >/tmp/$name.out 2>&1
	sed 's/^/    /' /tmp/$name.out
	grep -q "xvmm-guest: evtchn: PASS" /tmp/$name.out && pass "checks$v" || fail "checks$v" "no PASS"
	grep -q "evtchn: poll bad port 4096: -22" /tmp/$name.out && pass "bad-port-einval$v" ||
		fail "bad-port-einval$v"
	grep -q "evtchn: poll nr_ports 129: -22" /tmp/$name.out && pass "nr-ports-einval$v" ||
		fail "nr-ports-einval$v"
	grep -q "evtchn: poll unreadable ports: -14" /tmp/$name.out && pass "ports-efault$v" ||
		fail "ports-efault$v"
	grep -q "evtchn: poll masked pending port: 0" /tmp/$name.out && pass "masked-pending$v" ||
		fail "masked-pending$v"
	# The guest itself fails unless it woke at or after the deadline (pvclock time).
	ms=$(sed -n 's/.*poll timeout 50 ms: 0 after \([0-9]*\) ms.*/\1/p' /tmp/$name.out | head -n 1)
	if [ -n "$ms" ] && [ "$ms" -ge 50 ] && [ "$ms" -lt 5000 ]; then
		pass "timeout-returns-after-deadline$v"
	else
		fail "timeout-returns-after-deadline$v" "after '$ms' ms"
	fi
	xvmm destroy "$name" >/dev/null 2>&1
done

# Echo: NAME MODE-ARGS. Starts the guest, pings it from dom0, checks both ends.
echo_test() {
	tag=$1
	shift
	out=$(xvmm create "$G/$1.cfg" on_poweroff=preserve extra="pings=$PINGS $2" 2>&1)
	echo "    $out"
	id=$(echo "$out" | sed -n 's/.*created domain \([0-9]*\).*/\1/p')
	if [ -z "$id" ] || ! wait_console "$1" "evtchn: port "; then
		fail "echo-$tag" "guest did not start: $out"
		xvmm destroy "$1" >/dev/null 2>&1
		return
	fi
	port=$(xvmm console -n "$1" | sed -n 's/.*evtchn: port \([0-9]*\).*/\1/p' | head -n 1)
	hc0=$(xvmm list --counts | awk -v n="$1" '$1 == n { print $8 }')
	# Two programs one after the other: closing the first's descriptor
	# unbinds the port, so the second can bind it again.
	half=$((PINGS / 2))
	evtchn_ping "$id" "$port" $half >/tmp/ping.out 2>&1
	st=$?
	evtchn_ping "$id" "$port" $half >>/tmp/ping.out 2>&1
	st=$((st + $?))
	sed 's/^/    /' /tmp/ping.out
	[ $st -eq 0 ] && [ "$(grep -c "pings $half answered $half" /tmp/ping.out)" = 2 ] &&
		pass "echo-$tag" || fail "echo-$tag" "evtchn_ping exit $st"
	if wait_console "$1" "evtchn: PASS"; then
		pass "guest-echoed-$tag"
	else
		fail "guest-echoed-$tag" "$(xvmm console -n "$1" | tail -n 3)"
	fi
	xvmm console -n "$1" | grep "echoed" | head -n 1 | sed 's/^/    /'
	hc1=$(xvmm list --counts | awk -v n="$1" '$1 == n { print $8 }')
	echo "    hypercalls while echoing: $hc0 -> $hc1"
	# Per ping: one poll (or block) and one send, give or take a spurious wake.
	if [ -n "$hc1" ] && [ $((hc1 - hc0)) -lt $((PINGS * 8)) ]; then
		pass "blocked-not-spinning-$tag"
	else
		fail "blocked-not-spinning-$tag" "hypercalls $hc0 -> $hc1"
	fi
	xvmm destroy "$1" >/dev/null 2>&1
}

echo_test poll evtchn ""
echo_test poll-32 evtchn-32 ""
echo_test block evtchn "mode=block"

# Destroying a domain under a bound descriptor hangs it up; closing it afterwards is fine.
xvmm create "$G/evtchn.cfg" extra="pings=1" >/tmp/hup.out 2>&1
id=$(sed -n 's/.*created domain \([0-9]*\).*/\1/p' /tmp/hup.out)
if [ -n "$id" ] && wait_console evtchn "evtchn: port "; then
	port=$(xvmm console -n evtchn | sed -n 's/.*evtchn: port \([0-9]*\).*/\1/p' | head -n 1)
	evtchn_ping --hup "$id" "$port" >/tmp/hup.out 2>&1 &
	pid=$!
	sleep 1
	xvmm destroy evtchn >/dev/null 2>&1
	wait $pid && pass descriptor-hangs-up-on-destroy ||
		fail descriptor-hangs-up-on-destroy "$(cat /tmp/hup.out)"
	sed 's/^/    /' /tmp/hup.out
else
	fail descriptor-hangs-up-on-destroy "guest did not start"
	xvmm destroy evtchn >/dev/null 2>&1
fi

# A port that is not waiting for dom0 (the console's, already bound) is refused.
xvmm create "$G/spin.cfg" >/tmp/spin.out 2>&1
id=$(sed -n 's/.*created domain \([0-9]*\).*/\1/p' /tmp/spin.out)
expect_fail bind-bound-port evtchn_ping "$id" 1 1
expect_fail bind-bad-port evtchn_ping "$id" 64 1
expect_fail bind-no-domain evtchn_ping 15 3 1
xvmm destroy spin >/dev/null 2>&1

check vmm-alive sh -c 'xvmm status | grep -q "^loaded: *yes"'
after=$(free_kb)
echo "free memory: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned
check unload xvmm unload
finish
