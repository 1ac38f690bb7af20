#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the test machine for bench/evtchn-domu-rtt: in one boot,
# ROUNDS interleaved rounds of an event channel round trip dom0 <-> domU
# (evtchn guest in SCHEDOP_poll, tests/system/progs/evtchn_ping.c) and
# domU <-> domU (two evscale guests, both in SCHEDOP_poll). Lines for the
# host start with "@@ ".
G=/lib/xvmm/guests
PINGS=1000
ROUNDS=3
xvmm load >/dev/null || { echo "@@ERROR load"; exit 1; }

wait_console() {	# NAME PATTERN
	for _ in $(seq 1 600); do
		xvmm console -n "$1" 2>/dev/null | grep -q "$2" && return 0
		sleep 0.2
	done
	return 1
}

for round in $(seq 1 $ROUNDS); do
	out=$(xvmm create "$G/evtchn.cfg" extra="pings=$PINGS" on_poweroff=preserve)
	id=$(echo "$out" | sed -n 's/.*created domain \([0-9]*\).*/\1/p')
	if wait_console evtchn "evtchn: port "; then
		port=$(xvmm console -n evtchn | sed -n 's/.*evtchn: port \([0-9]*\).*/\1/p' | head -n 1)
		evtchn_ping "$id" "$port" "$PINGS" | sed -n "s/^rtt-us median \([0-9.]*\).*/@@ r$round dom0 \1/p"
	else
		echo "@@ERROR r$round dom0: no port"
	fi
	xvmm destroy evtchn >/dev/null 2>&1

	b=$(xvmm create "$G/evscale.cfg" name=pp-b on_poweroff=preserve extra="pp=b rounds=$PINGS" |
		sed -n 's/.*created domain \([0-9]*\).*/\1/p')
	xvmm create "$G/evscale.cfg" name=pp-a on_poweroff=preserve \
		extra="pp=a peer=$b rounds=$PINGS" >/dev/null
	if wait_console pp-b "evscale: PASS\|FAIL"; then
		xvmm console -n pp-b | sed -n "s/.*ping-pong .* rounds in [0-9]* us, \([0-9]*\) us each, \([0-9]*\) timeouts.*/@@ r$round domu \1 \2/p"
	else
		echo "@@ERROR r$round domu: no verdict"
	fi
	xvmm destroy pp-a >/dev/null 2>&1
	xvmm destroy pp-b >/dev/null 2>&1
done
xvmm unload >/dev/null
echo "@@DONE"
