#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Which images xvmm.ko runs, and who reaches /dev/xvmm (docs/trust.md).
#  - the build's signed image loads, verified by xvmm.ko's build key, no taint
#  - without lockdown an unsigned image loads with a warning and taints 'U'
#  - require_signature=1 refuses it, at insmod from /lib/firmware too
#  - a non-root user, root in a new user namespace and root without
#    CAP_SYS_ADMIN get nothing from /dev/xvmm while a guest runs
#  - locked down (integrity): unsigned, changed after signing and signed by
#    an unknown key are refused, each with its own message, dom0's memory
#    unchanged; the signed image loads and runs a guest
. /lib/xvmm/lib.sh
IMG=/lib/xvmm/images
G=$XVMM_GUESTS

taint_u() { [ $(( $(cat /proc/sys/kernel/tainted) & 64 )) -ne 0 ]; }

# 1. The signed image, no lockdown.
taint_u && fail taint-clear-at-start "$(cat /proc/sys/kernel/tainted)" || pass taint-clear-at-start
check load-signed xvmm load
xvmm status >/tmp/st 2>&1
grep -q "^image:    signature verified by xvmm.ko's build key" /tmp/st && pass status-says-verified ||
	fail status-says-verified "$(grep image /tmp/st)"
dmesg | grep -q "xvmm: image signature verified by xvmm.ko's build key" && pass dmesg-says-verified ||
	fail dmesg-says-verified
taint_u && fail signed-does-not-taint || pass signed-does-not-taint
check unload-signed xvmm unload

# 2. Unsigned, no lockdown: runs, warns, taints.
check load-unsigned-unlocked xvmm load $IMG/xvmm-unsigned.bin
dmesg | grep -q "xvmm: running an image that does not verify: the image is not signed; kernel tainted (U)" &&
	pass unsigned-warns || fail unsigned-warns "$(dmesg | grep xvmm: | tail -n 3)"
taint_u && pass unsigned-taints || fail unsigned-taints "$(cat /proc/sys/kernel/tainted)"
xvmm status 2>&1 | grep -q "^image:    NOT verified (the image is not signed)" && pass status-says-unsigned ||
	fail status-says-unsigned "$(xvmm status 2>&1 | grep image)"
check unload-unsigned xvmm unload

# 3. require_signature=1, through the ioctl and the firmware file at insmod.
check insmod-require insmod $XVMM_KO load=0 require_signature=1
xvmm load $IMG/xvmm-unsigned.bin >/tmp/o 2>&1 && fail require-refuses-unsigned "$(cat /tmp/o)" ||
	{ grep -q "load failed: the image is not signed" /tmp/o && pass require-refuses-unsigned ||
		fail require-refuses-unsigned "$(cat /tmp/o)"; }
dmesg | grep -q "image refused: the image is not signed, and xvmm.ko requires signed images" &&
	pass require-says-why || fail require-says-why "$(dmesg | grep xvmm: | tail -n 2)"
check rmmod-require rmmod xvmm
mkdir -p /lib/firmware
cp $IMG/xvmm-unsigned.bin /lib/firmware/xvmm.bin
expect_fail firmware-unsigned-refused insmod $XVMM_KO require_signature=1
grep -q "^xvmm " /proc/modules && fail firmware-refusal-leaves-nothing || pass firmware-refusal-leaves-nothing
cp $XVMM_BIN /lib/firmware/xvmm.bin
check firmware-signed-loads insmod $XVMM_KO require_signature=1
xvmm status 2>&1 | grep -q "signature verified" && pass firmware-signed-verified ||
	fail firmware-signed-verified "$(xvmm status 2>&1)"
rm -f /lib/firmware/xvmm.bin

# 4. Nobody else reaches /dev/xvmm, with a guest running.
xvmm create $G/spin.cfg >/dev/null 2>&1 && pass guest-running || fail guest-running
/lib/xvmm/progs/devperm nonroot userns nocap >/tmp/perm 2>&1 && pass devperm || fail devperm
sed 's/^/    /' /tmp/perm
for k in nonroot userns nocap; do
	for w in open every-ioctl mmap; do
		grep -q "^devperm: $k $w ok" /tmp/perm && pass "$k-$w-refused" || fail "$k-$w-refused"
	done
done
# Allocation-failure injection is a debug build's (docs/testing.md): this one refuses even root.
out=$(allocfail disarm 2>&1)
case "$out" in
*"Operation not supported"*) pass fault-inject-refused ;;
*) fail fault-inject-refused "allocfail disarm: '$out'" ;;
esac
check destroy-spin xvmm destroy spin
check unload-before-lockdown xvmm unload

# 5. Locked down. The driver goes in first: an unsigned module cannot after.
check insmod-before-lockdown insmod $XVMM_KO load=0
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
if ! echo integrity >/sys/kernel/security/lockdown 2>/tmp/o; then
	fail lockdown "$(cat /tmp/o)"
	finish; exit 1
fi
grep -q '\[integrity\]' /sys/kernel/security/lockdown && pass lockdown-integrity ||
	fail lockdown-integrity "$(cat /sys/kernel/security/lockdown)"
before=$(free_kb)
refused() {	# NAME IMAGE CLI-TEXT DMESG-TEXT
	dmesg -c >/dev/null
	if xvmm load "$2" >/tmp/o 2>&1; then
		fail "$1" "loaded: $(cat /tmp/o)"
		xvmm unload >/dev/null 2>&1; insmod $XVMM_KO load=0 2>/dev/null
		return
	fi
	grep -q "$3" /tmp/o && pass "$1-cli-says" || fail "$1-cli-says" "$(cat /tmp/o)"
	dmesg | grep -q "$4" && pass "$1-dmesg-says" || fail "$1-dmesg-says" "$(dmesg | grep -i xvmm | tail -n 2)"
}
refused locked-unsigned $IMG/xvmm-unsigned.bin "the image is not signed" \
	"image refused: the image is not signed, and the kernel is locked down"
refused locked-tampered $IMG/xvmm-tampered.bin "signature does not match it" \
	"image refused: its signature does not match it (changed after signing?), and the kernel is locked down"
refused locked-otherkey $IMG/xvmm-otherkey.bin "signed by a key the kernel does not trust" \
	"image refused: it is signed by a key the kernel does not trust, and the kernel is locked down"
xvmm status >/tmp/o 2>&1
grep -q "VMM not loaded" /tmp/o && pass refusals-leave-nothing-loaded || fail refusals-leave-nothing-loaded "$(cat /tmp/o)"
after=$(free_kb)
[ $((before - after)) -lt 2048 ] && [ $((after - before)) -lt 2048 ] && pass refusals-leave-memory ||
	fail refusals-leave-memory "$before -> $after kB"
check locked-signed-loads xvmm load
timeout 60 xvmm create -c $G/hello.cfg >/tmp/hello.out 2>&1
grep -q "xvmm-guest: hello: PASS" /tmp/hello.out && pass locked-guest-runs || fail locked-guest-runs "$(tail -n 5 /tmp/hello.out)"
xvmm dmesg | grep -q FATAL && fail vmm-no-fatal || pass vmm-no-fatal
check locked-unload xvmm unload
finish
