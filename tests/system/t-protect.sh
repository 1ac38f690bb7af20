#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Dom0 cannot read or change VMM memory: a dom0 kernel module reads every
# byte of it looking for the VMM's canary and then overwrites every byte.
# The VMM checks itself afterwards, and dom0 lives on.
. /lib/xvmm/lib.sh
POKE=$XVMM_TEST_MODULES/xvmm_poke.ko

[ -f "$POKE" ] || { fail poke-module-present "$POKE missing"; finish; exit 1; }
check load xvmm load || { finish; exit 1; }
chunks=$(xvmm meminfo | awk '{ printf "%s%s", sep, $1; sep = "," }')
if [ -n "$chunks" ]; then
	pass meminfo
else
	fail meminfo "no chunks reported"
fi
check selftest-before xvmm selftest integrity
check poke-reads-no-canary insmod "$POKE" chunks="$chunks"
dmesg | grep 'xvmm_poke:' | tail -n 1
dmesg | grep -q 'xvmm_poke: read and overwrote 16777216 bytes' && pass poke-covered-all ||
	fail poke-covered-all "the module did not touch all 16 MiB"
rmmod xvmm_poke 2>/dev/null
check selftest-after xvmm selftest integrity
check dom0-alive sh -c 'echo hello | grep -q hello && sleep 0.1'
check vmm-still-answers sh -c 'xvmm status | grep -q "^loaded: *yes"'
check unload xvmm unload
finish
