#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# `xvmm unload` while something still has /dev/xvmm open: right after a
# guest powered off under `xvmm create -c` (its runner is still exiting),
# it waits and succeeds; with a holder that stays, it says which process
# holds the driver and fails, and succeeds once that process is gone.
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS

check load xvmm load || { finish; exit 1; }
# The original trigger: unload the moment create -c returns, several times.
for i in 1 2 3; do
	timeout 60 xvmm create -c "$G/hello.cfg" >/tmp/hello.out 2>&1
	grep -q "xvmm-guest: hello: PASS" /tmp/hello.out && pass guest-$i || fail guest-$i
	xvmm unload >/tmp/unload.out 2>&1 && pass unload-right-after-poweroff-$i ||
		fail unload-right-after-poweroff-$i "$(cat /tmp/unload.out)"
	check reload-$i xvmm load
done

# A holder that lets go within the wait: unload succeeds.
sleep 1 </dev/xvmm &
check unload-waits-for-holder xvmm unload
wait
check load-again xvmm load

# A holder that stays: unload names it and fails; after it is gone, succeeds.
sleep 30 </dev/xvmm &
holder=$!
if xvmm unload >/tmp/unload.out 2>&1; then
	fail unload-refused-while-held "$(cat /tmp/unload.out)"
else
	pass unload-refused-while-held
fi
grep -q "held open by pid $holder (sleep)" /tmp/unload.out && pass unload-names-holder ||
	fail unload-names-holder "$(cat /tmp/unload.out)"
kill "$holder"
wait "$holder" 2>/dev/null
check unload-after-holder-gone xvmm unload
expect_fail driver-gone sh -c 'grep -q "^xvmm " /proc/modules'
finish
