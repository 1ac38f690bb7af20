#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Grants at scale and between guests, with three gntpeer test guests
# (tests/guests/gntpeer.c) driven by gntpeer_ctl
# (tests/system/progs/gntpeer_ctl.c) through their mailbox grants:
# - dom0 maps 600 grants of one guest in one GNT_MAP_BATCH (several grant
#   frames, the xl.cfg max_grant_frames key), reads some through mmap and
#   unmaps them in one GNT_UNMAP_BATCH;
# - guest A maps a page guest B granted to it, both see each other's
#   writes, A copies from it; a third guest C is refused (map and copy,
#   GNTST_general_error) and nothing crashes; after A's unmap B's grant is
#   free again and A's own page is back;
# - B is destroyed while A maps its page: A's map is revoked (its unmap
#   then succeeds, its own page back), A and the VMM carry on.
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

domid() {	# NAME
	xvmm list | awk -v n="$1" '$1 == n { print $2 }'
}

# gntpeer_ctl's "ok X" / "not ok X: why" lines become PASS/FAIL lines.
report() {	# FILE
	while IFS= read -r line; do
		case "$line" in
		"ok "*) pass "${line#ok }" ;;
		"not ok "*) rest=${line#not ok }; fail "${rest%%:*}" "${rest#*: }" ;;
		*) echo "    $line" ;;
		esac
	done <"$1"
}

expect() {	# NAME WANT DOMID CMD [ARGS]
	name=$1 want=$2
	shift 2
	got=$(gntpeer_ctl cmd "$@" 2>&1)
	[ "$got" = "result $want" ] && pass "$name" || fail "$name" "$got (want result $want)"
}

# Bad limits are refused by the tools, with the key named.
if xvmm create "$G/gntpeer.cfg" name=bad max_grant_frames=300 >/tmp/bad.out 2>&1; then
	fail bad-max-grant-frames-refused "created"
	xvmm destroy bad
else
	grep -q "max_grant_frames = 300 is out of range" /tmp/bad.out &&
		pass bad-max-grant-frames-refused || fail bad-max-grant-frames-refused "$(cat /tmp/bad.out)"
fi

for n in b a c; do
	check "create-g$n" xvmm create "$G/gntpeer.cfg" name=g$n max_grant_frames=4 \
		max_maptrack_frames=16 on_poweroff=preserve
	wait_console g$n "gntpeer: ready" 60 && pass "g$n-ready" ||
		fail "g$n-ready" "$(xvmm console -n g$n 2>&1 | tail -n 3)"
done
B=$(domid gb) A=$(domid ga) C=$(domid gc)
echo "    domains: gb $B, ga $A, gc $C"

# Dom0: a batch of 600 maps of gb's grants (refs 512..1111, frames 1 and 2).
expect many-grants 0 "$B" 6 600
gntpeer_ctl batch "$B" 600 >/tmp/batch.out 2>&1
report /tmp/batch.out
grep -q "^ok batch-unmap-all" /tmp/batch.out && pass batch-complete ||
	fail batch-complete "gntpeer_ctl stopped early"

# Guest to guest.
expect gb-grants-to-ga 0 "$B" 1 "$A"
expect ga-maps 0 "$A" 2 "$B" 20
expect gc-map-refused -1 "$C" 2 "$B" 20
expect ga-copies 0 "$A" 5 "$B" 20
expect gc-copy-refused -1 "$C" 5 "$B" 20
expect ga-unmaps 0 "$A" 3
expect gb-sees-reply-and-free-grant 0 "$B" 4
expect ga-unmap-again-bad-handle -4 "$A" 3

# The granter goes while mapped.
expect ga-maps-again 0 "$A" 2 "$B" 20
check destroy-granter-under-map xvmm destroy gb
xvmm dmesg | grep -q "d$A: its maps of d$B's grants revoked" && pass vmm-revoked-guest-map ||
	fail vmm-revoked-guest-map "$(xvmm dmesg | tail -n 5)"
expect ga-unmap-after-granter-gone 0 "$A" 3

for n in a c; do
	expect "g$n-ends" 0 "$(domid g$n)" 7
	wait_console g$n "gntpeer: PASS" 30 && pass "g$n-pass" ||
		fail "g$n-pass" "$(xvmm console -n g$n 2>&1 | tail -n 3)"
	check "destroy-g$n" xvmm destroy g$n
done

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
