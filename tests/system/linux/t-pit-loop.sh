#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --timeout 900
#
# What Linux's quick PIT calibration does, 300,000 unbacked port reads in
# a row, by the ioloop test guest, 64- and 32-bit side by side, two rounds:
# every guest must pass. The regression test for the guest-boot fault that
# was QEMU's multi-threaded TCG (docs/debugging.md, "QEMU's IGNNE race"):
# with it, nearly every run had a guest found running the VMM's own code.
. /lib/xvmm/lib.sh

check load xvmm load || { finish; exit 1; }
for r in 1 2; do
	xvmm create -c "$XVMM_GUESTS/ioloop.cfg" name=io-a$r on_poweroff=preserve \
		on_crash=preserve >/tmp/a$r 2>&1 &
	xvmm create -c "$XVMM_GUESTS/ioloop-32.cfg" name=io-b$r on_poweroff=preserve \
		on_crash=preserve >/tmp/b$r 2>&1 &
	wait
	for g in a b; do
		if grep -q "xvmm-guest: ioloop: PASS" /tmp/$g$r; then
			pass "ioloop-$g$r"
		else
			fail "ioloop-$g$r" "$(xvmm list | grep "io-$g$r")"
		fi
		xvmm destroy "io-$g$r" >/dev/null
	done
done
xvmm dmesg | grep -E 'previous exit|crashed|host state' | head -n 10
check selftest xvmm selftest integrity
check unload xvmm unload
finish
