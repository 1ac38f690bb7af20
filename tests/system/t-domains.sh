#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Domain lifecycle: two guests one after another and at once, a spinning
# guest that cannot starve dom0 and that destroy ends, unload refused while
# a guest exists, bad input refused clearly with nothing leaked, and dom0's
# free memory back where it was at the end.
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS

check load xvmm load || { finish; exit 1; }
before=$(free_kb)

# xl's State letters: the 4th is s once shut down, the 5th the reason (c: crashed).
wait_state() {	# NAME STATE (r: not shut down, s: shut down, c: crashed) within 60 s
	for _ in $(seq 1 300); do
		xvmm list 2>/dev/null | awk -v n="$1" -v s="$2" '$1 == n &&
			((s == "r" && substr($5, 4, 1) == "-") || (s == "s" && substr($5, 4, 1) == "s") ||
			 (s == "c" && substr($5, 5, 1) == "c")) { f = 1 } END { exit !f }' && return 0
		sleep 0.2
	done
	return 1
}

# One after another, then two at once.
check create-hello xvmm create "$G/hello.cfg" on_poweroff=preserve
wait_state hello s && pass hello-ran || fail hello-ran "$(xvmm list 2>&1)"
check destroy-hello xvmm destroy hello
check create-hello-again xvmm create "$G/hello.cfg" on_poweroff=preserve
wait_state hello s && pass hello-ran-again || fail hello-ran-again
check destroy-hello-again xvmm destroy hello

check create-spin xvmm create "$G/spin.cfg"
check create-second-guest xvmm create "$G/hello.cfg" name=hello2 on_poweroff=preserve
wait_state hello2 s && pass second-guest-ran-beside-spinner || fail second-guest-ran-beside-spinner
xvmm list >/tmp/list
cat /tmp/list
grep -q '^spin ' /tmp/list && grep -q '^hello2 ' /tmp/list && pass list-shows-both ||
	fail list-shows-both
check destroy-hello2 xvmm destroy hello2

# The spinner takes a CPU whenever dom0's scheduler gives its thread one;
# dom0 must still get its work done on both CPUs.
t0=$(cut -d' ' -f1 /proc/uptime)
i=0; s=0
while [ $i -lt 20000 ]; do s=$((s + i)); i=$((i + 1)); done
seq 1 3000 | sort -n | tail -n 1 >/tmp/seq
sleep 1
t1=$(cut -d' ' -f1 /proc/uptime)
echo "dom0 workload beside the spinning guest: $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s"
[ "$s" = 199990000 ] && [ "$(cat /tmp/seq)" = 3000 ] && pass dom0-works-beside-spinner ||
	fail dom0-works-beside-spinner "sum $s, seq $(cat /tmp/seq)"
awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 60) }' && pass dom0-not-starved ||
	fail dom0-not-starved "took $t0 .. $t1"
wait_state spin r && pass spinner-still-running || fail spinner-still-running

# mmap of a domain's page (under the mm lock) from one thread while another
# makes the driver fault on user memory with its own lock held: the driver
# must not deadlock (xvmm_map_lock, loader/linux/xvmm_drv.h).
spin_id=$(xvmm list | awk '$1 == "spin" { print $2 }')
mmap_race "$spin_id" 5 >/tmp/race 2>&1 &
race=$!
for _ in $(seq 1 40); do kill -0 $race 2>/dev/null || break; sleep 0.5; done
if kill -0 $race 2>/dev/null; then
	fail mmap-beside-faulting-ioctl "mmap_race still running after 20 s (deadlock?)"
	kill -9 $race 2>/dev/null
elif wait $race; then
	pass mmap-beside-faulting-ioctl
else
	fail mmap-beside-faulting-ioctl "$(cat /tmp/race)"
fi
cat /tmp/race

xvmm unload >/tmp/unload 2>&1
st=$?
cat /tmp/unload
if [ $st -ne 0 ] && grep -qi 'domain' /tmp/unload; then
	pass unload-refused-with-guest
else
	fail unload-refused-with-guest "exit $st: $(cat /tmp/unload)"
fi
check destroy-spinner xvmm destroy spin
sleep 0.5
xvmm list | grep -q '^spin ' && fail spinner-gone "still listed" || pass spinner-gone

# Bad input: a clear error, nothing created, nothing leaked.
bad() {	# NAME EXPECTED-TEXT CONFIG-LINES...
	n=$1; want=$2; shift 2
	printf '%s\n' "$@" >/tmp/$n.cfg
	xvmm create /tmp/$n.cfg >/tmp/$n.out 2>&1
	st=$?
	if [ $st -ne 0 ] && grep -qi -- "$want" /tmp/$n.out; then
		pass "bad-$n"
	else
		fail "bad-$n" "exit $st: $(cat /tmp/$n.out)"
	fi
}
K="kernel = \"$G/hello.elf\""
bad key "unknown key .mystery_key." 'name = "b1"' "$K" 'memory = 32' 'mystery_key = 5'
bad type "pvh" 'name = "b1t"' "$K" 'memory = 32' 'type = "hvm"'
bad value "memory" 'name = "b2"' "$K" 'memory = "lots"'
bad syntax "syntax.cfg:2" 'name = "b3"' 'memory = = 32' "$K"
bad missing-kernel "/nonexistent/kernel" 'name = "b4"' 'kernel = "/nonexistent/kernel"' 'memory = 32'
bad not-elf "ELF" 'name = "b5"' 'kernel = "/lib/xvmm/lib.sh"' 'memory = 32'
bad no-pvh-note "note" 'name = "b6"' "kernel = \"$G/bad-nonote.elf\"" 'memory = 32'
bad overlap "overlap" 'name = "b7"' "kernel = \"$G/bad-overlap.elf\"" 'memory = 32'
bad out-of-range "RAM" 'name = "b8"' "kernel = \"$G/bad-outofrange.elf\"" 'memory = 32'
bad truncated "trunc" 'name = "b9"' "kernel = \"$G/bad-truncated.elf\"" 'memory = 32'
bad too-much-memory "dom0 cannot give 3000 MiB .*lower memory" 'name = "b10"' "$K" 'memory = 3000'
bad too-much-maxmem "dom0 cannot give 3000 MiB .*lower maxmem" 'name = "b10m"' "$K" 'memory = 32' 'maxmem = 3000'
bad maxmem-below-memory "maxmem = 16 is below memory = 32" 'name = "b10b"' "$K" 'memory = 32' 'maxmem = 16'
head -c 40000000 /dev/zero >/tmp/big.img
bad ramdisk-too-big "ramdisk" 'name = "b11"' "$K" 'memory = 32' 'ramdisk = "/tmp/big.img"'
rm -f /tmp/big.img
[ -z "$(xvmm list 2>/dev/null | awk 'NR > 2')" ] && pass no-domain-left-after-bad-input ||
	fail no-domain-left-after-bad-input "$(xvmm list)"
check vmm-alive xvmm selftest integrity

after=$(free_kb)
echo "free memory: $before kB before, $after kB after"
[ $((before - after)) -lt 4096 ] && pass memory-returned || fail memory-returned "$before -> $after kB"
check unload-after-guests xvmm unload
finish
