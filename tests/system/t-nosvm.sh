#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --cpu EPYC,-svm
#
# On a CPU without SVM, load fails with a clear message, and nothing stays.
. /lib/xvmm/lib.sh

if grep -qw svm /proc/cpuinfo; then
	fail cpu-has-no-svm "the test machine was meant to lack SVM"
else
	pass cpu-has-no-svm
fi
xvmm load >/tmp/load 2>&1
st=$?
cat /tmp/load
if [ $st -ne 0 ] && grep -q 'no usable AMD SVM' /tmp/load; then
	pass load-refused-clearly
else
	fail load-refused-clearly "exit $st: $(cat /tmp/load)"
fi
dmesg | grep -q 'xvmm: VMM init failed (-19)' && pass driver-says-enodev ||
	fail driver-says-enodev "no ENODEV line in dmesg"
expect_fail status-not-loaded sh -c 'xvmm status | grep -q "^loaded: *yes"'
check rmmod rmmod xvmm
finish
