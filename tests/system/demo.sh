#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# `make demo`: late-launch xvmm under the running kernel, show it, run a
# little workload as dom0, unload. Each command is printed before its output.
. /lib/xvmm/lib.sh

step() {
	echo
	echo "\$ $*"
	"$@"
	_st=$?
	[ $_st -eq 0 ] || echo "(exit status $_st)"
	return $_st
}

# A shell command line, shown as written.
shstep() {
	echo
	echo "\$ $1"
	sh -c "$1"
	_st=$?
	[ $_st -eq 0 ] || echo "(exit status $_st)"
	return $_st
}

echo
echo "=== xvmm demo on $(uname -r), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
shstep "grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\\n' | grep -x -e svm -e npt"

if ! step xvmm load; then
	fail demo-load
	shstep 'dmesg | tail -n 20'
	finish
	exit 1
fi
pass demo-load
step xvmm status && pass demo-status || fail demo-status
shstep 'xvmm dmesg | tail'

echo
echo "=== a small workload, now running as dom0 on top of xvmm"
shstep 'i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done; echo counted to $i'
shstep 'for i in $(seq 50); do /bin/true; done; echo 50 processes started'
step dd if=/dev/urandom of=/tmp/blob bs=64k count=64
step md5sum /tmp/blob
shstep 'taskset 1 md5sum /tmp/blob & taskset 2 sha1sum /tmp/blob & wait'
echo
echo "=== KVM sees that SVM is taken (EFER.SVME is set) and refuses to create a VM"
step modprobe kvm-amd
if need kvm_smoke; then
	step kvm_smoke create
	[ $? -eq 3 ] && echo "(3: EBUSY, as expected)"
fi
step xvmm status
shstep 'dmesg | tail -n 5'

if step xvmm unload; then
	pass demo-unload
else
	fail demo-unload
fi
step xvmm status
if need kvm_smoke; then
	echo
	echo "=== after unload, KVM works again"
	step kvm_smoke run
fi
echo
finish
