#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Allocation failure at every step (the allocfail build variant: xvmm.ko
# and xvmm.bin with CONFIG_XVMM_FAULT_INJECT). For each operation -- load,
# create with 1 and 4 vCPUs, start with 1 and 4 vCPUs, dom0's map of a
# guest's grant, the bind of a guest's event channel, unload -- and for
# each side -- the driver's kernel allocations, the VMM's page pool -- it
# walks N = 1, 2, ...: fail the Nth allocation, run the operation
# (tests/system/progs/allocfail.c), and expect it to fail with ENOMEM (a
# grant map: with GNTST_no_space), and the pool's free bytes, the driver's
# allocations not freed yet, the domain table and whether a VMM is loaded
# to be exactly as before, dom0's free memory (free_kb: after dropping
# caches, counting per-CPU lists) within 512 kB of before the step and of
# before the walk (the noise measured is at most about 200 kB). The walk ends when the operation succeeds having
# counted fewer than N allocations. Then: no WARN, BUG or oops in dmesg,
# no FATAL in the VMM log.
# xvmm-run: --variant allocfail --timeout 900
. /lib/xvmm/lib.sh
G=$XVMM_GUESTS
TOL_KB=512
MAX_N=400
total=0

# Kernel reports from before the test (the boot's own, e.g. SRSO's "WARNING: See ...") do not count.
KERN_BAD='WARNING:|BUG:|Oops|general protection|kernel BUG'
kern_before=$(dmesg | grep -cE "$KERN_BAD")

insmod /lib/xvmm/xvmm.ko load=0 || { fail insmod; finish; exit 1; }
if ! allocfail disarm; then
	fail injection-available "XVMM_IOCTL_FAULT_INJECT refused: not the allocfail variant?"
	finish
	exit 1
fi
pass injection-available
echo "    state: $(allocfail state)"

field() {	# LINE KEY
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# walk NAME drv|vmm OP [ARGS]: one PASS line per walk, a FAIL line per wrong step.
walk() {
	name=$1
	target=$2
	shift 2
	n=1
	bad=0
	drift=0
	walk_free=$(free_kb)
	while [ $n -le $MAX_N ]; do
		pre=$(allocfail state)
		pre_free=$(free_kb)
		out=$(allocfail step "$target" $n "$@" 2>&1 | tail -n 1)
		rc=$(field "$out" rc)
		failed=$(field "$out" failed)
		seen=$(field "$out" seen)
		st=$(field "$out" status)
		case "$out" in step*) ;; *)
			fail "$name-step-$n" "allocfail: $out"
			return ;;
		esac
		if [ "$failed" = 0 ]; then
			# Past the last allocation: the operation must have worked.
			if [ "$rc" = 0 ] && [ "${st:-0}" = 0 ] && [ "$seen" -lt "$n" ]; then
				# What the step made and undid is gone again (a grant map
				# keeps its maptrack pages, a load stays, an unload loads anew).
				case "$1" in create|start|bind)
					post=$(allocfail state)
					[ "$post" = "$pre" ] || { bad=$((bad + 1))
						echo "    $name: after the step that worked '$pre' became '$post'"; } ;;
				esac
				echo "    $name: $seen allocations walked, dom0 free memory at most $drift kB below the walk's start"
				[ $bad = 0 ] && pass "$name" ||
					fail "$name" "$bad wrong steps of $seen allocations"
				total=$((total + seen))
			else
				fail "$name" "step $n failed nothing on purpose but: $out"
			fi
			return
		fi
		post=$(allocfail state)
		post_free=$(free_kb)
		[ $((walk_free - post_free)) -gt $drift ] && drift=$((walk_free - post_free))
		why=
		if [ "$rc" = 0 ] && [ "${st:-0}" = 0 ]; then
			why="succeeded with allocation $n failed"
		elif [ "$rc" != 0 ] && [ "$rc" != 12 ]; then
			why="errno $rc, not ENOMEM"
		elif [ "$rc" = 0 ] && [ "$st" != -13 ]; then
			why="grant status $st, not GNTST_no_space"
		elif [ "$pre" != "$post" ]; then
			why="state '$pre' became '$post'"
		elif [ $((pre_free - post_free)) -gt $TOL_KB ] || [ $((walk_free - post_free)) -gt $TOL_KB ]; then
			why="dom0 free memory $walk_free kB at the start, $pre_free before, $post_free after"
		fi
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			fail "$name-n$n" "$why ($out)"
			dmesg | tail -n 5 | sed 's/^/    dmesg: /'
		fi
		n=$((n + 1))
	done
	fail "$name" "more than $MAX_N allocations?"
}

# Load: the driver's side, then the VMM's own init().
walk load-drv drv load
allocfail state | grep -q loaded=1 && pass loaded || fail loaded
check unload-after-load-drv allocfail unload
walk load-vmm vmm load
echo "    state after load: $(allocfail state)"
allocfail state | grep -q loaded=1 || { fail loaded-vmm; finish; exit 1; }

# Domains: DOM_CREATE (driver only: the VMM sees the domain at start), DOM_START.
walk create1-drv drv create 1
walk create4-drv drv create 4
walk create1-vmm vmm create 1
walk start1-drv drv start 1
walk start4-drv drv start 4
walk start1-vmm vmm start 1
walk start4-vmm vmm start 4

wait_console() {	# NAME TEXT
	for _ in $(seq 1 300); do
		xvmm console -n "$1" 2>/dev/null | grep -q -- "$2" && return 0
		sleep 0.2
	done
	return 1
}

# Dom0 maps the grant guest's writable grant (ref 8, tests/guests/grant.c).
out=$(xvmm create "$G/grant.cfg" on_poweroff=preserve 2>&1)
id=$(echo "$out" | sed -n 's/.*created domain \([0-9]*\).*/\1/p')
if [ -n "$id" ] && wait_console grant "grant: ready"; then
	# The VMM's first: the first map of a guest's grant allocates its maptrack page.
	walk gntmap-vmm vmm gntmap "$id" 8
	walk gntmap-drv drv gntmap "$id" 8
else
	fail gntmap "grant guest did not start: $out"
fi
xvmm destroy grant >/dev/null 2>&1

# Dom0 binds the port the evtchn guest left unbound for it (tests/guests/evtchn.c).
out=$(xvmm create "$G/evtchn.cfg" on_poweroff=preserve extra="pings=1" 2>&1)
id=$(echo "$out" | sed -n 's/.*created domain \([0-9]*\).*/\1/p')
if [ -n "$id" ] && wait_console evtchn "evtchn: port "; then
	port=$(xvmm console -n evtchn | sed -n 's/.*evtchn: port \([0-9]*\).*/\1/p' | head -n 1)
	walk bind-vmm vmm bind "$id" "$port"
	walk bind-drv drv bind "$id" "$port"
else
	fail bind "evtchn guest did not start: $out"
fi
xvmm destroy evtchn >/dev/null 2>&1

check no-domains-left sh -c 'allocfail state | grep -q domains=0'
if xvmm dmesg | grep -q FATAL; then
	fail no-vmm-fatal "$(xvmm dmesg | grep FATAL | head -n 3)"
else
	pass no-vmm-fatal
fi

# Unload (allocfail loads again, unarmed, after each unload that worked).
walk unload-drv drv unload
walk unload-vmm vmm unload
check unload allocfail unload
kern_after=$(dmesg | grep -cE "$KERN_BAD")
if [ "$kern_after" -eq "$kern_before" ]; then
	pass no-kernel-warnings
else
	fail no-kernel-warnings "$(dmesg | grep -E "$KERN_BAD" | tail -n +$((kern_before + 1)) | head -n 3)"
fi
echo "allocations walked: $total; state: $(allocfail state)"
finish
