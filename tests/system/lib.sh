# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for system tests, sourced inside the test machine:
#   . /lib/xvmm/lib.sh
#
#   pass NAME               record a pass            -> "PASS: NAME"
#   fail NAME [WHY...]      record a failure         -> "FAIL: NAME (WHY)"
#   skip NAME WHY...        record a skip            -> "SKIP: NAME (WHY)"
#   check NAME CMD...       run CMD: pass if it exits 0, else fail
#   expect_fail NAME CMD... run CMD: pass if it exits non-zero, else fail
#   run CMD...              print "# CMD" then run it (output shown)
#   need FILE|CMD...        true if all exist (files or commands on PATH)
#   finish                  print a tally; returns 1 if any fail was recorded
#
# End a test script with `finish` (its status becomes the script's status).
# check/expect_fail show the command's output (indented) only when the
# outcome is not the expected one, to keep logs short.

XVMM_LIB=/lib/xvmm
XVMM_KO=$XVMM_LIB/xvmm.ko
XVMM_BIN=$XVMM_LIB/xvmm.bin
XVMM_GUESTS=$XVMM_LIB/guests
XVMM_TEST_MODULES=$XVMM_LIB/test-modules

_xt_pass=0
_xt_fail=0
_xt_skip=0
_xt_out=/tmp/.xvmm-check.$$

pass() {
	_xt_pass=$((_xt_pass + 1))
	echo "PASS: $1"
}

fail() {
	_n=$1
	shift
	_xt_fail=$((_xt_fail + 1))
	if [ $# -gt 0 ]; then
		echo "FAIL: $_n ($*)"
	else
		echo "FAIL: $_n"
	fi
}

skip() {
	_n=$1
	shift
	_xt_skip=$((_xt_skip + 1))
	echo "SKIP: $_n (${*:-no reason given})"
}

_xt_show_out() {
	if [ -s "$_xt_out" ]; then
		tail -n 30 "$_xt_out" | sed 's/^/    | /'
	fi
	rm -f "$_xt_out"
}

check() {
	_n=$1
	shift
	"$@" >"$_xt_out" 2>&1
	_st=$?
	if [ $_st -eq 0 ]; then
		rm -f "$_xt_out"
		pass "$_n"
		return 0
	fi
	fail "$_n" "'$*' exited $_st"
	_xt_show_out
	return 1
}

expect_fail() {
	_n=$1
	shift
	"$@" >"$_xt_out" 2>&1
	_st=$?
	if [ $_st -ne 0 ]; then
		rm -f "$_xt_out"
		pass "$_n"
		return 0
	fi
	fail "$_n" "'$*' succeeded, expected a failure"
	_xt_show_out
	return 1
}

run() {
	echo "# $*"
	"$@"
}

need() {
	for _x in "$@"; do
		case "$_x" in
		/*) [ -e "$_x" ] || return 1 ;;
		*) command -v "$_x" >/dev/null 2>&1 || return 1 ;;
		esac
	done
	return 0
}

finish() {
	echo "tally: $_xt_pass passed, $_xt_fail failed, $_xt_skip skipped"
	[ $_xt_fail -eq 0 ]
}

# Free memory in kB, counting the pages parked on per-CPU free lists
# (/proc/zoneinfo "count:"): Linux 6.1 keeps freed 2 MiB blocks there, so
# MemFree alone looks like a leak that is not one.
free_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	_pcp=$(awk '$1 == "count:" { s += $2 } END { print s + 0 }' /proc/zoneinfo)
	awk -v p="$_pcp" '/^MemFree:/ { print $2 + p * 4 }' /proc/meminfo
}

# --- The Linux PVH test guest (Debian's kernel as /extra/vmlinux, the
# initramfs from tests/system/progs/make-guest-initrd.sh): config, waiting
# for its hvc0 output (/var/log/xvmm/NAME.log, kept by the console backend)
# and typing commands into its shell.
now() { cut -d' ' -f1 /proc/uptime; }

mkcfg() {	# NAME [EXTRA-LINE]: /tmp/NAME.cfg for the Linux test guest
	cat >/tmp/$1.cfg <<CFG
name = "$1"
type = "pvh"
kernel = "/extra/vmlinux"
ramdisk = "$XVMM_GUESTS/linux-initrd.cpio.gz"
memory = 160
vcpus = 1
cmdline = "console=hvc0 loglevel=6"
${2:-}
CFG
}

log_of() { echo "/var/log/xvmm/$1.log"; }

wait_for() {	# NAME TEXT SECONDS
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		grep -q -- "$2" "$(log_of "$1")" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

seq_no=0
# Type CMD into the guest's shell (`xvmm console` with its input piped, left
# in the background: it follows the console until its timeout). The output
# lands in /tmp/out; t_begin/t_end are dom0 times at which the markers
# around it showed up on the console. Fails on timeout.
gcmd() {	# NAME SECONDS CMD
	seq_no=$((seq_no + 1))
	printf 'echo @@B%s@@; %s; echo @@E%s@@\n' "$seq_no" "$3" "$seq_no" |
		timeout 3 xvmm console "$1" >/dev/null 2>&1 &
	wait_for "$1" "^@@B$seq_no@@" "$2" || return 1
	t_begin=$(now)
	wait_for "$1" "^@@E$seq_no@@" "$2" || return 1
	t_end=$(now)
	tr -d '\r' <"$(log_of "$1")" | sed -n "/^@@B$seq_no@@/,/^@@E$seq_no@@/p" | sed '1d;$d' >/tmp/out
}

# --- PV disks (tests/system/linux/t-blk*.sh): the guest with the initramfs
# of make-blk-files.sh (xen-blkfront, ext4) as /extra/linux-blk-initrd.cpio.gz.
blkcfg() {	# NAME DISK-LINE
	cat >/tmp/$1.cfg <<CFG
name = "$1"
type = "pvh"
kernel = "/extra/vmlinux"
ramdisk = "/extra/linux-blk-initrd.cpio.gz"
memory = 160
vcpus = 1
cmdline = "console=hvc0 loglevel=6"
$2
CFG
}
dom_gone() { for _ in $(seq 1 300); do xvmm list | grep -q "^$1 " || return 0; sleep 0.2; done; return 1; }
# The runner is gone (its socket removed): its disks are closed and unlocked.
runner_gone() { for _ in $(seq 1 100); do [ -e /run/xvmm/$1.sock ] || return 0; sleep 0.1; done; return 1; }
blk_boot() {	# NAME BLKFRONT-PARAMETERS DEVICES: start, load the modules, wait for the disks
	check create-$1 xvmm create /tmp/$1.cfg || return 1
	if ! wait_for $1 "xvmm-linux: init started" 240; then
		fail $1-reached-init "no init line on hvc0 in 240 s"
		tail -n 30 "$(log_of $1)"; cat /tmp/runner.log
		return 1
	fi
	sleep 1
	gcmd $1 60 "/lib/modules-extra/load xen-blkfront '${2:-}' && echo loaded" && grep -q '^loaded' /tmp/out ||
		{ fail $1-modules "$(cat /tmp/out)"; return 1; }
	pass $1-modules
	# blkfront connects asynchronously after insmod.
	gcmd $1 60 "for d in $3; do for i in \$(seq 1 100); do [ -e /sys/block/\$d ] && break; sleep 0.1; done; done; ls /sys/block"
}

refused() {	# NAME CFG TEXT: xvmm create CFG fails, saying TEXT
	if xvmm create "$2" >/tmp/err 2>&1; then
		fail "$1" "created: $(cat /tmp/err)"
	elif grep -q "$3" /tmp/err; then
		pass "$1"
	else
		fail "$1" "$(cat /tmp/err)"
	fi
}
