#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Grants for dom0 backends. The grant test guest (tests/guests/grant.c)
# grants pages to dom0; grant_test (tests/system/progs/grant_test.c) copies
# to and from them, maps and mmaps them, and checks that forged refs,
# grants to another domain, read-only writes, frames beyond the guest's RAM
# and a wrong domid are refused. The guest checks what dom0 wrote through
# copies and maps, and that GTF_reading/GTF_writing follow dom0's maps and
# are clear at the end (unmap, and close of a file that kept a map). Then
# dom0's kernel writes to a page mapped read-only (the write lands in junk,
# the guest's page is unchanged, dom0 carries on), and a map is held
# across `xvmm destroy`: the process's mapping is revoked (SIGBUS), dom0
# and the VMM carry on, no memory is lost.
# xvmm-run: --timeout 600
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS

check load xvmm load || { finish; exit 1; }
before=$(free_kb)

wait_console() {	# NAME TEXT SECONDS
	for _ in $(seq 1 $(($3 * 5))); do
		xvmm console -n "$1" 2>/dev/null | grep -q -- "$2" && return 0
		sleep 0.2
	done
	return 1
}

# grant_test's "ok X" / "not ok X: why" lines become PASS/FAIL lines.
report() {	# FILE
	while IFS= read -r line; do
		case "$line" in
		"ok "*) pass "${line#ok }" ;;
		"not ok "*) rest=${line#not ok }; fail "${rest%%:*}" "${rest#*: }" ;;
		*) echo "    $line" ;;
		esac
	done <"$1"
}

# The whole protocol with the 64-bit guest, then the copies and maps
# again with the 32-bit one (its add_to_physmap is the compat layout).
# grant_test's check names get the guest's name as a prefix.
for name in grant grant-32; do
	check "create-$name" xvmm create "$G/$name.cfg" on_poweroff=preserve
	wait_console $name "grant: ready" 60 && pass "$name-ready" ||
		fail "$name-ready" "$(xvmm console -n $name 2>&1 | tail -n 3)"
	grant_test run $name | sed "s/^\(\(not \)\{0,1\}ok \)/\1$name-/" >/tmp/run.out 2>&1
	report /tmp/run.out
	grep -q "^ok $name-mbox-cmd-2\$" /tmp/run.out && pass "$name-run-complete" ||
		fail "$name-run-complete" "grant_test stopped early"
	if wait_console $name "xvmm-guest: grant: PASS" 60; then
		pass "$name-guest-pass"
	else
		fail "$name-guest-pass" \
			"$(xvmm console -n $name 2>&1 | grep 'xvmm-guest: grant' | sort -u | tail -n 3)"
	fi
	check "destroy-$name" xvmm destroy $name
done

check create-grant-guest-2 xvmm create "$G/grant.cfg" name=grant2
wait_console grant2 "grant: ready" 60 && pass guest2-ready || fail guest2-ready

# Dom0's kernel writes to a page dom0 maps read-only (through its own
# mapping of that physical page): the write must not reach the guest, and
# dom0 must carry on.
grant_test rowrite grant2 >/tmp/ro.out 2>&1 &
ro_pid=$!
for _ in $(seq 1 300); do
	grep -q '^va ' /tmp/ro.out && break
	sleep 0.2
done
va=$(awk '$1 == "va" { print $2 }' /tmp/ro.out)
if [ -n "$va" ] && insmod "$XVMM_TEST_MODULES/xvmm_gntpoke.ko" pid=$ro_pid va="$va"; then
	pass dom0-kernel-wrote-readonly-grant
else
	fail dom0-kernel-wrote-readonly-grant "va '$va'"
fi
rmmod xvmm_gntpoke 2>/dev/null
dmesg | grep 'xvmm_gntpoke:' | sed 's/^/    /'
# A control call told to write its result into that page is refused.
dmesg | grep -q 'xvmm_gntpoke: STATUS into the granted page: -14,' &&
	pass control-call-refuses-granted-page ||
	fail control-call-refuses-granted-page "$(dmesg | grep 'STATUS into' | tail -n 1)"
kill -USR1 $ro_pid 2>/dev/null
wait $ro_pid
st=$?
report /tmp/ro.out
[ $st -eq 0 ] && pass rowrite-exit || fail rowrite-exit "exit $st"
xvmm dmesg | grep -q "dom0 wrote to a read-only grant map" && pass vmm-junked-readonly-map ||
	fail vmm-junked-readonly-map "$(xvmm dmesg | tail -n 5)"

# A map held by a process while the domain is destroyed.
grant_test hold grant2 >/tmp/hold.out 2>&1 &
hold_pid=$!
for _ in $(seq 1 300); do
	grep -q '^held' /tmp/hold.out && break
	sleep 0.2
done
grep -q '^held' /tmp/hold.out && pass map-held || fail map-held "$(cat /tmp/hold.out)"
check destroy-under-map xvmm destroy grant2
kill -USR1 $hold_pid 2>/dev/null
wait $hold_pid
st=$?
report /tmp/hold.out
[ $st -eq 0 ] && pass hold-exit || fail hold-exit "exit $st"
dmesg | grep -q "d[0-9]*: 1 grant map(s) revoked before destroy" && pass driver-revoked-map ||
	fail driver-revoked-map "$(dmesg | tail -n 5)"

check vmm-alive xvmm selftest integrity
if dmesg | grep 'xvmm: .*grant map.*\(refused\|still in use\)'; then
	fail no-driver-grant-warnings
else
	pass no-driver-grant-warnings
fi
after=$(free_kb)
echo "free memory: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload xvmm unload
finish
