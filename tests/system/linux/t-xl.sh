#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xvmm-run: --file build/kernel/vmlinux --timeout 1500
#
# xl's verbs, run as `xl` (the name scripts written for xl use: the same
# program, docs/cli.md) against Debian's stock kernel with 2 vCPUs:
#  - list has xl's columns with dom0 first; info; uptime; top; dmesg;
#  - vcpu-list shows the guest's two vCPUs;
#  - pause stops the guest (its console counter and its CPU time stand
#    still, State has p), unpause lets it go on;
#  - mem-set moves the balloon target (memory/target): the VMM counts the
#    frames given back, so does the guest's balloon driver, and back up;
#  - reboot: the domain comes back with the same config (on_reboot's
#    default "restart", as xl);
#  - shutdown -w returns only once the domain is gone; -a: every domain;
#  - unload names a preserved domain that holds it, and succeeds right
#    after a guest's poweroff.
. /lib/xvmm/lib.sh

XL=/tmp/bin/xl
mkdir -p /tmp/bin && ln -sf "$(command -v xvmm)" $XL
export XVMM_RUNNER_LOG=/tmp/runner.log

check load $XL load || { finish; exit 1; }

# --- list and info before any guest: the header and dom0's row.
$XL list >/tmp/list
cat /tmp/list
[ "$(awk 'NR == 1 { print $1, $2, $3, $4, $5, $6 }' /tmp/list)" = "Name ID Mem VCPUs State Time(s)" ] &&
	pass list-header || fail list-header "$(head -n 1 /tmp/list)"
ncpu=$(nproc)
awk -v c="$ncpu" 'NR == 2 && $1 == "Domain-0" && $2 == 0 && $3 > 0 && $4 == c && $5 == "r-----" { f = 1 }
	END { exit !f }' /tmp/list && pass list-dom0-first-row || fail list-dom0-first-row "$(cat /tmp/list)"
$XL info >/tmp/info
cat /tmp/info
grep -qx "nr_cpus                : $ncpu" /tmp/info && grep -q '^xen_version            : 4\.17' /tmp/info &&
	grep -q "^release                : $(uname -r)\$" /tmp/info && pass info ||
	fail info "$(cat /tmp/info)"
$XL dmesg >/tmp/vmmlog && [ -s /tmp/vmmlog ] && pass dmesg || fail dmesg "empty VMM log"

# --- a 2-vCPU guest.
mkcfg xl "maxmem = 256"
check create-xl $XL create /tmp/xl.cfg vcpus=2
if ! wait_for xl "xvmm-linux: init started" 400; then
	fail xl-reached-init "no init line on hvc0 in 400 s"
	tail -n 40 "$(log_of xl)"; cat /tmp/runner.log; xvmm dmesg | tail -n 20
	finish; exit 1
fi
sleep 2
id=$($XL list | awk '$1 == "xl" { print $2 }')
$XL list
$XL list | awk '$1 == "xl" && $3 == 160 && $4 == 2 && substr($5, 4, 1) == "-" { f = 1 } END { exit !f }' &&
	pass list-guest-row || fail list-guest-row "$($XL list)"
$XL list xl >/tmp/list1
[ "$(grep -c . /tmp/list1)" = 2 ] && awk 'NR == 2 { exit !($1 == "xl") }' /tmp/list1 &&
	pass list-one-domain || fail list-one-domain "$(cat /tmp/list1)"
expect_fail list-unknown-domain $XL list nosuch

$XL vcpu-list xl >/tmp/vcpus
cat /tmp/vcpus
[ "$(awk -v id="$id" '$1 == "xl" && $2 == id && $4 ~ /^[0-9]+$/ && $5 != "--p" { print $3 }' /tmp/vcpus | tr '\n' ' ')" = "0 1 " ] &&
	pass vcpu-list-two-vcpus || fail vcpu-list-two-vcpus "$(cat /tmp/vcpus)"
$XL vcpu-list | awk '$1 == "Domain-0"' | grep -c . | grep -qx "$ncpu" && pass vcpu-list-dom0 ||
	fail vcpu-list-dom0 "$($XL vcpu-list)"

$XL uptime >/tmp/uptime
cat /tmp/uptime
awk -v id="$id" '$1 == "xl" && $2 == id && $3 ~ /^[0-9]+:[0-9][0-9]:[0-9][0-9]$/ { f = 1 } END { exit !f }' /tmp/uptime &&
	awk 'NR == 2 && $1 == "Domain-0" && $2 == 0 { f = 1 } END { exit !f }' /tmp/uptime &&
	pass uptime || fail uptime "$(cat /tmp/uptime)"
$XL top >/tmp/top
cat /tmp/top
awk '$1 == "xl" && $9 == 2 && $4 ~ /^[0-9.]+$/ { f = 1 } END { exit !f }' /tmp/top && pass top ||
	fail top "$(cat /tmp/top)"

# --- pause / unpause: a counter on the guest's console.
ticks() { tr -d '\r' <"$(log_of xl)" | grep -c '^tick '; }
cpu_s() { $XL list xl | awk '$1 == "xl" { print $6 }'; }
gcmd xl 30 '(i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done) & echo started' || fail ticker
sleep 2
t0=$(ticks)
check pause $XL pause xl
sleep 1
$XL list xl | awk '$1 == "xl" && substr($5, 3, 1) == "p" { f = 1 } END { exit !f }' && pass list-shows-paused ||
	fail list-shows-paused "$($XL list xl)"
p1=$(ticks); c1=$(cpu_s)
sleep 4
p2=$(ticks); c2=$(cpu_s)
echo "ticks: $t0 before pause, $p1 -> $p2 paused; cpu $c1 -> $c2 s"
[ "$t0" -gt 0 ] && [ "$p1" = "$p2" ] && pass paused-guest-makes-no-progress ||
	fail paused-guest-makes-no-progress "ticks $t0, $p1 -> $p2"
[ "$c1" = "$c2" ] && pass paused-guest-time-stands || fail paused-guest-time-stands "$c1 -> $c2"
check unpause $XL unpause xl
sleep 4
u=$(ticks)
echo "ticks after unpause: $u"
[ "$u" -gt $((p2 + 3)) ] && pass unpaused-guest-goes-on || fail unpaused-guest-goes-on "$p2 -> $u"
gcmd xl 30 'kill $!; echo stopped' >/dev/null

# --- mem-set: the balloon target through xenstore.
# The balloon driver's own count of the guest's pages, into $kb (not in a
# subshell: gcmd numbers its markers).
current_kb() { kb=; gcmd xl 30 "cat /sys/devices/system/xen_memory/xen_memory0/info/current_kb" && kb=$(tr -dc 0-9 </tmp/out); }
mem_of() { $XL list xl | awk '$1 == "xl" { print $3 }'; }
current_kb; m0=$kb
expect_fail mem-set-above-maxmem $XL mem-set xl 300m
expect_fail mem-set-bad-size $XL mem-set xl 12q
check mem-set-down $XL mem-set xl 128m
ok=0
for _ in $(seq 1 100); do [ "$(mem_of)" -le 130 ] && { ok=1; break; }; sleep 0.3; done
[ $ok = 1 ] && pass mem-set-vmm-counts || fail mem-set-vmm-counts "$($XL list xl)"
current_kb; m1=$kb
echo "guest current_kb: $m0 -> $m1; list Mem $(mem_of)"
[ -n "$m0" ] && [ -n "$m1" ] && [ $((m0 - m1)) -ge 28672 ] && pass mem-set-guest-gave-back ||
	fail mem-set-guest-gave-back "$m0 -> $m1 kB"
check mem-set-up $XL mem-set xl 160
ok=0
for _ in $(seq 1 100); do [ "$(mem_of)" -ge 158 ] && { ok=1; break; }; sleep 0.3; done
[ $ok = 1 ] && pass mem-set-back-up || fail mem-set-back-up "$($XL list xl)"

# --- reboot: destroyed and created again from the same config.
up0=$($XL uptime xl | awk '$1 == "xl" { print $3 }')
check reboot $XL reboot xl
ok=0
for _ in $(seq 1 600); do
	grep -q 'reboot: restarted as domain' /tmp/runner.log && wait_for xl "xvmm-linux: init started" 1 && { ok=1; break; }
	sleep 0.5
done
[ $ok = 1 ] && pass reboot-came-back || fail reboot-came-back "$(cat /tmp/runner.log; $XL list)"
grep 'reboot:' /tmp/runner.log
$XL list
$XL list | awk '$1 == "xl" && $3 == 160 && $4 == 2 && substr($5, 4, 1) == "-" { f = 1 } END { exit !f }' &&
	pass reboot-same-config || fail reboot-same-config "$($XL list)"
up1=$($XL uptime xl | awk '$1 == "xl" { print $3 }')
echo "uptime before reboot $up0, after $up1"
sleep 2

# --- shutdown -w: returns when the domain is gone.
check shutdown-wait timeout 180 $XL shutdown -w xl
$XL list | grep -q '^xl ' && fail shutdown-wait-domain-gone "$($XL list)" || pass shutdown-wait-domain-gone

# --- shutdown -a -w: every domain (two without PV drivers: DOM_SHUTDOWN).
check create-spin $XL create "$XVMM_GUESTS/spin.cfg"
check create-spin2 $XL create "$XVMM_GUESTS/spin.cfg" name=spin2
check shutdown-all-wait timeout 120 $XL shutdown -a -w
$XL list | grep -Eq '^spin2? ' && fail shutdown-all-gone "$($XL list)" || pass shutdown-all-gone
expect_fail shutdown-needs-a-domain $XL shutdown -w
expect_fail destroy-dom0-refused $XL destroy 0

# --- unload names what holds it: a preserved domain nobody will tear down.
check create-preserved $XL create "$XVMM_GUESTS/hello.cfg" on_poweroff=preserve
for _ in $(seq 1 300); do
	$XL list | awk '$1 == "hello" && substr($5, 4, 1) == "s" { f = 1 } END { exit !f }' && break
	sleep 0.2
done
if $XL unload >/tmp/unload 2>&1; then
	fail unload-refused-names-domain "unloaded with a domain: $(cat /tmp/unload)"
else
	grep -q 'domain [0-9]* (hello), state ---s--' /tmp/unload && pass unload-refused-names-domain ||
		fail unload-refused-names-domain "$(cat /tmp/unload)"
fi
cat /tmp/unload
check destroy-preserved $XL destroy hello

# --- unload right after a guest powered itself off.
check create-xl-again $XL create /tmp/xl.cfg
wait_for xl "xvmm-linux: init started" 400 || fail xl-again-reached-init
sleep 1
printf 'poweroff\n' | timeout 3 xvmm console xl >/dev/null 2>&1 &
# No sleep: unload as soon as the guest is no longer running, which is
# usually before its runner has destroyed it (the runner drains the
# console first); unload waits for that.
for _ in $(seq 1 3000); do
	st=$($XL list | awk '$1 == "xl" { print $5 }')
	[ "${st:-gone}" = gone ] || [ "$(echo "$st" | cut -c4)" = s ] && break
done
echo "unload with the guest in state ${st:-gone}"
check unload-right-after-poweroff $XL unload
finish
