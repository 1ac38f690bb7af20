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
# One fuzzer run to its verdict: NAME CFG GUEST CMDLINE SUMMARY-PATTERN
fuzz_run() {
	timeout 600 xvmm create -c "$G/$2.cfg" name=$1 on_poweroff=preserve on_crash=preserve \
		"cmdline=$4" >/tmp/$1.out 2>&1
	grep "$5\|FAIL" /tmp/$1.out | sed 's/^/    /'
	grep -q "xvmm-guest: $3: PASS" /tmp/$1.out && pass guest-$1 ||
		fail guest-$1 "$(tail -n 3 /tmp/$1.out; xvmm dmesg | tail -n 5)"
	xvmm destroy $1 >/dev/null 2>&1
	vmm_sane $1
}

for v in "" -32; do
	for s in $SEEDS; do
		fuzz_run cpufuzz$v-s$s cpufuzz$v cpufuzz "seed=$s iters=$ITERS" 'faulted/ran\|vectors\|fixed'
	done
	for s in $HSEEDS; do
		fuzz_run fuzz$v-s$s fuzz$v fuzz "seed=$s calls=$HCALLS" 'calls'
	done
done
check dom0-responsive sh -c 'ls /proc >/dev/null'
check selftest-integrity xvmm selftest integrity
after=$(free_kb)
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
