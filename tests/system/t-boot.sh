#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The test machine itself: CPU features, CPU count, the kernel module tree,
# and that xvmm.ko can be loaded and removed.
. /lib/xvmm/lib.sh

flags=$(grep -m1 '^flags' /proc/cpuinfo)
for f in svm npt; do
	case " ${flags#*:} " in
	*" $f "*) pass "cpuinfo-$f" ;;
	*) fail "cpuinfo-$f" "no '$f' in /proc/cpuinfo flags" ;;
	esac
done

ncpu=$(grep -c '^processor' /proc/cpuinfo)
if [ "$ncpu" -eq 2 ]; then
	pass cpus-2
else
	fail cpus-2 "found $ncpu CPUs"
fi

# kvm-amd pulls kvm (and its dependencies) in through modules.dep.
if check modprobe-kvm-amd modprobe kvm-amd; then
	check kvm-amd-listed grep -q '^kvm_amd ' /proc/modules
	check rmmod-kvm-amd modprobe -r kvm-amd
fi

if [ -f "$XVMM_KO" ]; then
	if check insmod-xvmm insmod "$XVMM_KO"; then
		check rmmod-xvmm rmmod xvmm
	fi
else
	fail insmod-xvmm "$XVMM_KO missing (loader/linux/xvmm.ko not built)"
fi

dmesg | grep -E 'cut here|WARNING: CPU|BUG:|Oops|Call Trace|general protection|RIP: ' >/tmp/bad && {
	fail dmesg-clean "kernel complained:"
	sed 's/^/    | /' /tmp/bad | head -n 20
} || pass dmesg-clean

finish
