#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Dom0's interface to the VMM under fire (docs/trust.md, "What the fuzzers
# cover"), with a guest running: progs/ioctlfuzz (every ioctl, edge-case
# structures, bad pointers, threads, descriptors closed mid-call, mmaps
# left behind) for fixed seeds, then the raw control calls from ring 0
# (test module xvmm_ctlfuzz: random ops and arguments, physical addresses
# inside the VMM's memory, beyond RAM, unaligned, wrapping). No oops, WARN
# or VMM FATAL; the guest still runs; the pool and dom0's memory come back;
# nothing is left behind and unload works.
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS

pool_free() { xvmm status | sed -n 's/^memory: .* \([0-9]*\) KiB free in the pool/\1/p'; }

check load xvmm load
mem0=$(free_kb); pool0=$(pool_free)
xvmm create $G/spin.cfg >/dev/null 2>&1 && pass guest-running || fail guest-running
sleep 1
dmesg -c >/dev/null
echo "# before: dom0 free ${mem0} kB, VMM pool free ${pool0} KiB"
for seed in 1 2 3; do
	if timeout 600 /lib/xvmm/progs/ioctlfuzz seed=$seed calls=25000 threads=4 >/tmp/fz 2>&1; then
		pass ioctlfuzz-seed-$seed
	else
		fail ioctlfuzz-seed-$seed "$(tail -n 3 /tmp/fz)"
	fi
	sed 's/^/    /' /tmp/fz | tail -n 2
	xvmm list | grep -q '^spin ' && pass guest-alive-after-ioctlfuzz-$seed ||
		fail guest-alive-after-ioctlfuzz-$seed "$(xvmm list; xvmm dmesg | tail -n 5)"
done

chunks=$(xvmm meminfo | awk '{ printf "%s%s", s, $1; s = "," }')
for seed in 1 2; do
	if insmod $XVMM_TEST_MODULES/xvmm_ctlfuzz.ko seed=$seed calls=20000 vmm_chunks=$chunks 2>/tmp/fz; then
		pass ctlfuzz-seed-$seed
		rmmod xvmm_ctlfuzz
	else
		fail ctlfuzz-seed-$seed "$(cat /tmp/fz)"
	fi
	dmesg | grep 'xvmm_ctlfuzz:' | tail -n 2 | sed 's/^/    /'
	xvmm list | grep -q '^spin ' && pass guest-alive-after-ctlfuzz-$seed ||
		fail guest-alive-after-ctlfuzz-$seed "$(xvmm list; xvmm dmesg | tail -n 5)"
done

if dmesg | grep -E 'BUG:|WARNING:|Oops|general protection|Call Trace|cut here' >/tmp/bad; then
	fail dmesg-clean "$(head -n 5 /tmp/bad)"
else
	pass dmesg-clean
fi
xvmm dmesg | grep -q FATAL && fail vmm-no-fatal "$(xvmm dmesg | grep FATAL | head -n 3)" || pass vmm-no-fatal
xvmm list >/tmp/list 2>&1
grep -q '^spin ' /tmp/list && pass guest-survived || fail guest-survived "$(cat /tmp/list)"
[ "$(grep -c . /tmp/list)" -le 3 ] && pass nothing-left-behind || fail nothing-left-behind "$(cat /tmp/list)"
check selftest xvmm selftest integrity
check destroy-spin xvmm destroy spin
# The guest's own lazily made state (ports, maptrack frames the fuzzers
# made it grow) goes with it: compare with before it existed.
pool1=$(pool_free)
[ "$pool1" = "$pool0" ] && pass pool-returned || fail pool-returned "$pool0 -> $pool1 KiB"
mem1=$(free_kb)
echo "# after: dom0 free ${mem1} kB, VMM pool free ${pool1} KiB"
[ $((mem0 - mem1)) -lt 8192 ] && pass dom0-memory-returned || fail dom0-memory-returned "$mem0 -> $mem1 kB"
check unload xvmm unload
finish
