#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A guest cannot hurt the VMM through the CPU state it reaches
# (tests/guests/cpufuzz.c): the CPU-state fuzzer, 64- and 32-bit, with
# several seeds, then the hypercall fuzzer with other seeds. Each must end
# with its PASS; the VMM never prints FATAL, never fails a VMRUN, parks no
# CPU; dom0 answers, the VMM's memory is intact, every page comes back.
#
# Longer by hand (ten times and more): docs/testing.md, "Fuzzing a guest's
# reach". Run inside the test machine (`make shell`), this script also takes
# CPUFUZZ_SEEDS, CPUFUZZ_ITERS, HCFUZZ_SEEDS and HCFUZZ_CALLS from the
# environment.
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS
SEEDS=${CPUFUZZ_SEEDS:-1 2 3}
ITERS=${CPUFUZZ_ITERS:-2000}
HSEEDS=${HCFUZZ_SEEDS:-7 8}
HCALLS=${HCFUZZ_CALLS:-2000}

vmm_sane() {	# WHAT
	if xvmm dmesg | grep -E 'FATAL|VMRUN failed|parking|parked' >/tmp/bad; then
		fail "vmm-sane-after-$1" "$(head -n 3 /tmp/bad)"
		return 1
	fi
	pass "vmm-sane-after-$1"
}

check load xvmm load || { finish; exit 1; }
before=$(free_kb)
for v in "" -32; do
	for s in $SEEDS; do
		name=cpufuzz$v-s$s
		timeout 600 xvmm create -c "$G/cpufuzz$v.cfg" name=$name on_poweroff=preserve \
			on_crash=preserve "cmdline=seed=$s iters=$ITERS" >/tmp/$name.out 2>&1
		grep 'faulted/ran\|vectors\|FAIL' /tmp/$name.out | sed 's/^/    /'
		grep -q "xvmm-guest: cpufuzz: PASS" /tmp/$name.out && pass guest-$name ||
			fail guest-$name "$(tail -n 3 /tmp/$name.out; xvmm dmesg | tail -n 5)"
		xvmm destroy $name >/dev/null 2>&1
		vmm_sane $name
	done
done
for v in "" -32; do
	for s in $HSEEDS; do
		name=fuzz$v-s$s
		timeout 600 xvmm create -c "$G/fuzz$v.cfg" name=$name on_poweroff=preserve \
			on_crash=preserve "cmdline=seed=$s calls=$HCALLS" >/tmp/$name.out 2>&1
		grep 'calls\|FAIL' /tmp/$name.out | sed 's/^/    /'
		grep -q "xvmm-guest: fuzz: PASS" /tmp/$name.out && pass guest-$name ||
			fail guest-$name "$(tail -n 3 /tmp/$name.out)"
		xvmm destroy $name >/dev/null 2>&1
		vmm_sane $name
	done
done
check dom0-responsive sh -c 'ls /proc >/dev/null'
check selftest-integrity xvmm selftest integrity
after=$(free_kb)
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
