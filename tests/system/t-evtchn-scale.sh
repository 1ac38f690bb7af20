#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Event channels at Xen's scale, for real (tests/guests/evscale.c):
# - 1000 ports bound, sent and received, 2-level and FIFO, 64- and 32-bit;
#   binding on to -ENOSPC stops at max_event_channels (default 1023), or
#   at 2-level's 4095 (1023 for a 32-bit guest) when the limit is higher;
# - two domUs ping-pong over an interdomain channel (one allocates it
#   unbound for the other), both blocked in SCHEDOP_poll with a 1 s
#   timeout between events: no wait may end by its timeout, so each event
#   woke the other domain's sleeping vCPU at once; a third domU's binds of
#   those ports are refused; closing from one side, and destroying one
#   side, leaves the other's port unbound; the VMM stays up.
# xvmm-run: --timeout 900
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS
ROUNDS=200

check load xvmm load || { finish; exit 1; }
before=$(free_kb)

wait_console() {	# NAME PATTERN SECONDS
	for _ in $(seq 1 $(($3 * 5))); do
		xvmm console -n "$1" 2>/dev/null | grep -q "$2" && return 0
		sleep 0.2
	done
	return 1
}

domid_of() { sed -n 's/.*created domain \([0-9]*\).*/\1/p' "$1" | head -n 1; }

# bind TAG GUEST HIGHEST ARGS...: 1000 ports, then the highest port before -ENOSPC.
bind_test() {
	tag=$1 guest=$2 want=$3
	shift 3
	timeout 300 xvmm create -c "$G/$guest.cfg" on_poweroff=preserve "$@" >/tmp/$tag.out 2>&1
	sed 's/^/    /' /tmp/$tag.out | grep -v "^    $" | tail -n 8
	grep -q "xvmm-guest: evscale: PASS" /tmp/$tag.out &&
		grep -q "evscale: sent and received on 1000 ports" /tmp/$tag.out &&
		pass "bind-1000-$tag" || fail "bind-1000-$tag" "$(grep FAIL /tmp/$tag.out)"
	got=$(sed -n 's/.*evscale: highest port \([0-9]*\), then -ENOSPC.*/\1/p' /tmp/$tag.out)
	[ "$got" = "$want" ] && pass "limit-$want-$tag" || fail "limit-$want-$tag" "highest port '$got'"
	xvmm destroy "$guest" >/dev/null 2>&1
}

bind_test 2l evscale 1023 extra="bind=1000"
bind_test fifo evscale 1023 extra="bind=1000 fifo"
bind_test 2l-4095 evscale 4095 max_event_channels=8000 extra="bind=1000"
bind_test fifo-4095 evscale 4095 max_event_channels=4095 extra="bind=1000 fifo"
bind_test 2l-32 evscale-32 1023 max_event_channels=4095 extra="bind=1000"
bind_test fifo-32 evscale-32 1023 extra="bind=1000 fifo"
expect_fail max-event-channels-too-big xvmm create "$G/evscale.cfg" max_event_channels=131072

# Ping-pong: B first (it looks for the domain whose port 3 waits for it), then A, then C.
pingpong() {	# TAG END
	xvmm create "$G/evscale.cfg" name=pp-b on_poweroff=preserve \
		extra="pp=b rounds=$ROUNDS $2" >/tmp/ppb.out 2>&1
	b=$(domid_of /tmp/ppb.out)
	xvmm create "$G/evscale.cfg" name=pp-a on_poweroff=preserve \
		extra="pp=a peer=$b rounds=$ROUNDS $2" >/tmp/ppa.out 2>&1
	a=$(domid_of /tmp/ppa.out)
	echo "    B is d$b, A is d$a"
	if [ -z "$a" ] || [ -z "$b" ]; then
		fail "pingpong-$1" "$(cat /tmp/ppb.out /tmp/ppa.out)"
		return
	fi
	if [ "$1" = close ]; then
		wait_console pp-a "unbound for d$b" 10
		xvmm create "$G/evscale.cfg" name=pp-c on_poweroff=preserve \
			extra="pp=c peer=$a" >/tmp/ppc.out 2>&1
		if wait_console pp-c "evscale: PASS\|FAIL" 60; then
			xvmm console -n pp-c | grep "evscale:" | sed 's/^/    /'
			xvmm console -n pp-c | grep -q "evscale: PASS" && pass third-domain-refused ||
				fail third-domain-refused
		else
			fail third-domain-refused "no verdict"
		fi
	fi
	if wait_console pp-b "evscale: ping-pong .* rounds" 120; then
		xvmm console -n pp-b | grep "ping-pong" | sed 's/^/    /'
		xvmm console -n pp-b | grep -q "ping-pong $ROUNDS rounds in .* 0 timeouts" &&
			pass "pingpong-$1" || fail "pingpong-$1" "$(xvmm console -n pp-b | tail -n 3)"
	else
		fail "pingpong-$1" "$(xvmm console -n pp-b | tail -n 3)"
	fi
	if [ "$1" = close ]; then
		wait_console pp-a "evscale: PASS\|FAIL" 60
		xvmm console -n pp-a | grep "peer closed" | sed 's/^/    /'
		xvmm console -n pp-a | grep -q "evscale: PASS" && pass close-leaves-peer-unbound ||
			fail close-leaves-peer-unbound "$(xvmm console -n pp-a | tail -n 3)"
		wait_console pp-b "evscale: PASS\|FAIL" 30
		xvmm console -n pp-b | grep -q "evscale: PASS" && pass pingpong-b-passes ||
			fail pingpong-b-passes "$(xvmm console -n pp-b | tail -n 3)"
	else
		# A answered every ping and ended; destroy it while B's port is still bound to it.
		wait_console pp-a "evscale: PASS\|FAIL" 60
		xvmm console -n pp-a | grep -q "evscale: PASS" && pass pingpong-a-passes ||
			fail pingpong-a-passes "$(xvmm console -n pp-a | tail -n 3)"
		check destroy-bound-peer xvmm destroy pp-a
		if wait_console pp-b "evscale: PASS\|FAIL" 60; then
			xvmm console -n pp-b | grep "peer destroyed" | sed 's/^/    /'
			xvmm console -n pp-b | grep -q "evscale: PASS" && pass destroy-leaves-peer-unbound ||
				fail destroy-leaves-peer-unbound "$(xvmm console -n pp-b | tail -n 3)"
		else
			fail destroy-leaves-peer-unbound "no verdict"
		fi
	fi
	for n in pp-a pp-b pp-c; do xvmm destroy $n >/dev/null 2>&1; done
}

pingpong close ""
pingpong gone "end=gone"

check vmm-alive sh -c 'xvmm status | grep -q "^loaded: *yes"'
xvmm dmesg | grep -E "FIFO|not linked" | tail -n 3
after=$(free_kb)
echo "free memory: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned
check unload xvmm unload
finish
