#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Every test guest (tests/guests/), 64- and 32-bit, runs to its verdict on
# xvmm; the verdict reaches `xvmm console` and this log. The fault guest
# must end crashed, the VMM and dom0 unharmed. xapic drives the local APIC
# through its xAPIC page (MMIO emulated by the VMM).
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS

check load xvmm load || { finish; exit 1; }
before=$(free_kb)

# Run one guest to the end with its console attached; on_poweroff preserve
# keeps it listed, so its final state and console can be checked too.
run_guest() {
	name=$1
	timeout 120 xvmm create -c "$G/$name.cfg" on_poweroff=preserve >/tmp/$name.out 2>&1
	sed 's/^/    /' /tmp/$name.out
}

for g in hello cpuid xen_version startinfo fuzz xapic crstate; do
	for v in "" -32; do
		name=$g$v
		[ -f "$G/$name.cfg" ] || { fail "guest-$name" "no $G/$name.cfg"; continue; }
		run_guest "$name"
		if grep -q "xvmm-guest: $g: PASS" /tmp/$name.out; then
			pass "guest-$name"
		else
			fail "guest-$name" "no PASS verdict"
		fi
		if xvmm list | awk -v n="$name" '$1 == n && substr($5, 4, 1) == "s" { f = 1 } END { exit !f }'; then
			pass "guest-$name-shut-down"
		else
			fail "guest-$name-shut-down" "$(xvmm list 2>&1 | grep "$name")"
		fi
		xvmm console -n "$name" | grep -q "xvmm-guest: $g: PASS" && pass "console-$name" ||
			fail "console-$name" "verdict not in xvmm console"
		xvmm destroy "$name" >/dev/null || fail "destroy-$name"
	done
done

# xapic's 16-bit read of the version register: emulated, logged once per vCPU.
n=$(xvmm dmesg | grep -c 'xAPIC 2-byte read at offset 30 is not a register access')
[ "$n" -eq 2 ] && pass vmm-logged-xapic-word-read ||
	fail vmm-logged-xapic-word-read "$n log lines, expected one for each of xapic and xapic-32"

# What the VMM does not emulate crashes that domain only, with a log line
# saying why: an instruction it does not decode on the xAPIC page.
for case in undecodable; do
	name=xapic-$case
	timeout 60 xvmm create -c "$G/xapic.cfg" name=$name cmdline=$case on_crash=preserve \
		>/tmp/$name.out 2>&1
	sed 's/^/    /' /tmp/$name.out
	if xvmm list | awk -v n="$name" '$1 == n && substr($5, 5, 1) == "c" { f = 1 } END { exit !f }'; then
		pass guest-$name-crashed
	else
		fail guest-$name-crashed "$(xvmm list 2>&1)"
	fi
	check destroy-$name xvmm destroy $name
done
xvmm dmesg | grep -q 'xAPIC access at fee00030: cannot emulate the instruction at rip [0-9a-f]* (64-bit code): f6 [0-9a-f]* 30 01' &&
	pass vmm-logged-undecodable || fail vmm-logged-undecodable "$(xvmm dmesg | tail -5)"
xvmm dmesg | grep -q 'crashed: MMIO instruction not emulated' &&
	pass vmm-crashed-undecodable || fail vmm-crashed-undecodable
# Where nothing is (IOAPIC, HPET, the APIC page in x2APIC mode): all ones,
# logged once per domain and page.
for a in fec00000 fed00000 fee00030; do
	n=$(xvmm dmesg | grep -c "d[0-9]* v0: read at $a, nothing there: reads are all ones, writes are dropped")
	[ "$n" -eq 2 ] && pass vmm-logged-nothing-at-$a ||
		fail vmm-logged-nothing-at-$a "$n log lines, expected one for each of xapic and xapic-32"
done
# fed000f0 is on the page already logged for fed00000: no line of its own.
xvmm dmesg | grep -q "at fed000f0, nothing there" &&
	fail vmm-logged-once-per-page "$(xvmm dmesg | grep fed000f0)" || pass vmm-logged-once-per-page

# The fault guest triple faults: crashed, preserved (on_crash = preserve).
timeout 60 xvmm create -c "$G/fault.cfg" >/tmp/fault.out 2>&1
sed 's/^/    /' /tmp/fault.out
if xvmm list | awk '$1 == "fault" && substr($5, 5, 1) == "c" { f = 1 } END { exit !f }'; then
	pass guest-fault-crashed
else
	fail guest-fault-crashed "$(xvmm list 2>&1)"
fi
xvmm dmesg | grep -q 'd[0-9]*: crashed: triple fault' && pass vmm-logged-triple-fault ||
	fail vmm-logged-triple-fault
check destroy-crashed xvmm destroy fault
check vmm-alive-after-guests sh -c 'xvmm status | grep -q "^loaded: *yes"'
check selftest-after-guests xvmm selftest integrity

after=$(free_kb)
echo "free memory: $before kB before the guests, $after kB after"
if [ $((before - after)) -lt 4096 ]; then
	pass guest-memory-returned
else
	fail guest-memory-returned "$before kB before, $after kB after"
fi
check unload xvmm unload
finish
