#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --timeout 2400
# Runs inside the test machine (bench/pv-io drives it); prints @@ lines.
. /lib/xvmm/lib.sh
err() { echo "@@ERROR $*"; exit 1; }
mkdir -p /tools && tar -xzf /extra/tools.tar.gz -C /tools || err "unpacking the tools"
T=/tools/run
for m in llc stp bridge tun veth; do insmod /extra/$m.ko || err "insmod $m"; done
# fio: psync, one job, 15 s. terse v3: read bw KiB/s field 7, read IOPS 8, write 48, 49.
fio_run() {	# WHO TARGET DIRECT
	for w in seqread:read:1M seqwrite:write:1M randread:randread:4k randwrite:randwrite:4k; do
		name=${w%%:*} rest=${w#*:}
		rw=${rest%%:*} bs=${rest#*:}
		out=$($T fio --name=$name --filename="$2" --rw=$rw --bs=$bs --size=256M --direct=$3 \
			--ioengine=psync --runtime=15 --time_based --minimal 2>&1) || {
			echo "@@ERROR fio $1 $name: $out"; continue; }
		echo "$out" | awk -F';' -v who="$1" -v n="$name" '
			{ if (n ~ /read/) { bw = $7; io = $8 } else { bw = $48; io = $49 } }
			END { print "@@ fio " who " " n " " (n ~ /^seq/ ? bw / 1024 : io) }'
	done
}

# ---- dom0 on the backing file ----
dd if=/dev/zero of=/tmp/data.img bs=1M count=256 2>/dev/null
fio_run dom0 /tmp/data.img 0

# ---- dom0 between two namespaces over a veth pair ----
$T ip netns add a && $T ip netns add b || err "ip netns"
$T ip link add va type veth peer name vb
$T ip link set va netns a && $T ip link set vb netns b
$T ip netns exec a /tools/run ip addr add 169.254.10.1/24 dev va
$T ip netns exec b /tools/run ip addr add 169.254.10.2/24 dev vb
$T ip netns exec a /tools/run ip link set va up
$T ip netns exec b /tools/run ip link set vb up
$T ip netns exec a /tools/run ip link set lo up
$T ip netns exec b /tools/run ip link set lo up
$T ip netns exec a /tools/run iperf3 -s -D -1 >/dev/null 2>&1; sleep 1
echo "@@ net ns tx $($T ip netns exec b /tools/run iperf3 -c 169.254.10.1 -t 10 -f m 2>&1 | awk '/receiver/ { print $7 }')"
$T ip netns exec a /tools/run iperf3 -s -D -1 >/dev/null 2>&1; sleep 1
echo "@@ net ns rx $($T ip netns exec b /tools/run iperf3 -c 169.254.10.1 -t 10 -f m -R 2>&1 | awk '/receiver/ { print $7 }')"
echo "@@ net ns rtt $($T ip netns exec b ping -q -c 100 -i 0.05 169.254.10.1 2>&1 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')"

# ---- the guest: xvda on the same file, the tools on xvdb, a vif ----
ip link add xenbr0 type bridge && ip addr add 192.0.2.1/24 dev xenbr0 && ip link set xenbr0 up || err "bridge"
xvmm load >/dev/null || err "load"
cat >/tmp/pvio.cfg <<CFG
name = "pvio"
type = "pvh"
kernel = "/extra/vmlinux"
ramdisk = "/extra/linux-blk-initrd.cpio.gz"
memory = 384
vcpus = 1
cmdline = "console=hvc0 loglevel=4"
disk = [ "/tmp/data.img,raw,xvda,rw", "/extra/tools.img,raw,xvdb,ro" ]
vif = [ "mac=00:16:3e:00:00:02,bridge=xenbr0,ip=192.0.2.2" ]
CFG
xvmm create /tmp/pvio.cfg >/dev/null || err "create"
wait_for pvio "xvmm-linux: init started" 300 || err "the guest did not start"
sleep 1
gcmd pvio 120 '/lib/modules-extra/load; for i in $(seq 1 100); do [ -b /dev/xvdb ] && break; sleep 0.1; done; mkdir -p /tools; mount -t ext4 -o ro /dev/xvdb /tools; echo mounted'
gcmd pvio 900 'for w in seqread:read:1M seqwrite:write:1M randread:randread:4k randwrite:randwrite:4k; do name=${w%%:*}; rest=${w#*:}; rw=${rest%%:*}; bs=${rest#*:}; /tools/run fio --name=$name --filename=/dev/xvda --rw=$rw --bs=$bs --size=256M --direct=1 --ioengine=psync --runtime=15 --time_based --minimal 2>&1 | awk -F";" -v n=$name "{ if (n ~ /read/) { bw = \$7; io = \$8 } else { bw = \$48; io = \$49 } } END { print \"@@ fio guest \" n \" \" (n ~ /^seq/ ? bw / 1024 : io) }"; done'
grep '^@@ fio guest ' /tmp/out
gcmd pvio 120 'insmod /tools/xen-netfront.ko; for i in $(seq 1 100); do [ -e /sys/class/net/eth0 ] && break; sleep 0.2; done; ip link set eth0 up; ip addr add 192.0.2.2/24 dev eth0; sleep 2; /tools/run iperf3 -s -D; echo up'
sleep 2
echo "@@ net guest tx $($T iperf3 -c 192.0.2.2 -t 10 -f m 2>&1 | awk '/receiver/ { print $7 }')"
echo "@@ net guest rx $($T iperf3 -c 192.0.2.2 -t 10 -f m -R 2>&1 | awk '/receiver/ { print $7 }')"
echo "@@ net guest rtt $(ping -q -c 100 -i 0.05 192.0.2.2 2>&1 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')"
xvmm destroy pvio >/dev/null
sleep 1
xvmm unload >/dev/null
echo "@@DONE"
