#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/vmm/xvmm-alt.bin
#
# 50 load/unload cycles in one boot with a workload between them, then a
# rebuilt image with another version string: the new version reports, and
# dom0's free memory ends where it started.
. /lib/xvmm/lib.sh

work() {
	seq 1 500 | sort -rn | head -n 1 >/dev/null
	dd if=/dev/zero of=/tmp/w bs=64k count=16 2>/dev/null && rm -f /tmp/w
}

before=$(free_kb)
ok=0
for i in $(seq 1 50); do
	if ! xvmm load >/tmp/load 2>&1; then
		fail "cycle-$i-load" "$(cat /tmp/load)"
		break
	fi
	work &
	w=$!
	work
	wait $w
	if ! xvmm status | grep -q '^cpus: *2'; then
		fail "cycle-$i-status" "$(xvmm status 2>&1)"
		break
	fi
	if ! xvmm unload >/tmp/unload 2>&1; then
		fail "cycle-$i-unload" "$(cat /tmp/unload)"
		break
	fi
	work
	ok=$i
done
[ "$ok" -eq 50 ] && pass load-unload-50-cycles
after=$(free_kb)
echo "free memory before ${before} kB, after 50 cycles ${after} kB"
# Every cycle allocates 16 MiB: one leaked cycle would show as 16384 kB.
if [ $((before - after)) -lt 4096 ] && [ $((after - before)) -lt 4096 ]; then
	pass no-memory-leaked
else
	fail no-memory-leaked "free $before kB before, $after kB after"
fi

main_version=$(xvmm load >/dev/null 2>&1 && xvmm status | sed -n 's/^version: *\([^ ]*\).*/\1/p')
xvmm unload >/dev/null 2>&1
check load-rebuilt-image xvmm load /extra/xvmm-alt.bin
alt_version=$(xvmm status | sed -n 's/^version: *\([^ ]*\).*/\1/p')
echo "versions: first image '$main_version', rebuilt image '$alt_version'"
if [ -n "$alt_version" ] && [ "$alt_version" = "$main_version-alt" ]; then
	pass new-version-reports
else
	fail new-version-reports "first '$main_version', rebuilt '$alt_version'"
fi
check unload-rebuilt xvmm unload
finish
