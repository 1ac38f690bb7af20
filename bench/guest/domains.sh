#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the test machine (bench/domains drives it).
G=/lib/xvmm/guests
now() { cut -d' ' -f1 /proc/uptime; }
pf() { xvmm status | sed -n 's/^memory: .*KiB, \([0-9]*\) KiB free in the pool$/\1/p'; }
el() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
xvmm load --mem 96 >/dev/null || { echo "@@ERROR load"; exit 1; }
sed 's/^memory = .*/memory = 2/' "$G/hello.cfg" >/tmp/m.cfg
# One guest first: what the VMM sets up once for all guests is taken then.
xvmm create -c /tmp/m.cfg name=warm >/dev/null 2>&1
create() {	# PREFIX FROM TO [KEY=VALUE...]: blocked guests, one shell
	p=$1; a=$2; b=$3; shift 3
	for i in $(seq $a $b); do xvmm create /tmp/m.cfg name=$p$i cmdline=block "$@" >/dev/null || echo "@@ERROR create $p$i"; done
}
destroy() { for i in $(seq $2 $3); do xvmm destroy $1$i >/dev/null; done; }

for round in 1 2 3; do
	p0=$(pf)
	# 64 guests from one shell, with nothing else there.
	t0=$(now); create a 1 64; t1=$(now)
	p1=$(pf)
	echo "@@ create64-empty $(el $t0 $t1)"
	echo "@@ pool-per-domain $(( (p0 - p1) / 64 ))"
	# 128 more, then 64 more beside those 192.
	create a 65 192
	t0=$(now); create b 1 64; t1=$(now)
	echo "@@ create64-beside192 $(el $t0 $t1)"
	destroy a 1 192; destroy b 1 64
	# 64 from four shells at once.
	t0=$(now)
	for s in 0 1 2 3; do create c $((s * 16 + 1)) $((s * 16 + 16)) & done
	wait; t1=$(now)
	echo "@@ create64-4shells $(el $t0 $t1)"
	destroy c 1 64
	# Per vCPU: 16 guests with 8 vCPUs each against 16 with one (the others stay down).
	p0=$(pf); create v 1 16 vcpus=8; p1=$(pf); destroy v 1 16
	q0=$(pf); create u 1 16; q1=$(pf); destroy u 1 16
	echo "@@ pool-per-vcpu $(( ((p0 - p1) - (q0 - q1)) / (16 * 7) ))"
done
xvmm dmesg | grep "created 'u16'" | tail -n 1 | sed 's/^/@@ created-line /'
xvmm unload >/dev/null
echo "@@DONE"
