#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/check.sh [--unit-only] BUILD_DIR
#
# Runs, in order:
#   1. every executable in BUILD_DIR/tests/unit/ (cmocka, ASan/UBSan);
#      a binary that crashes counts as one failure
#   2. `make fuzz-smoke`, if the Makefile has that target (PASS:/FAIL: lines)
#   3. unless --unit-only, each tests/system/t-*.sh through tests/system/run
#      (PASS:/FAIL:/SKIP: lines; a non-zero exit without a FAIL: line counts
#      as one failure)
# and ends with one line "N passed, N failed[, N skipped]"; exits 1 if
# anything failed.
#
# Environment:
#   SYSTEM_TESTS="t-boot t-launch"  run only these system tests
#   UNIT_TESTS="name ..."           run only these unit binaries
#   NO_FUZZ=1                       skip the fuzz smoke run
#   XVMM_VERBOSE=1                  stream each test machine's console
# Logs: BUILD_DIR/check/ (unit and fuzz output), BUILD_DIR/system/<test>/.

set -uo pipefail

UNIT_ONLY=0
if [ "${1:-}" = --unit-only ]; then
	UNIT_ONLY=1
	shift
fi
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

# Under `make -j check` the jobserver's descriptors are not passed to this
# script; drop them so that the make below does not warn about it.
if [ -n "${MAKEFLAGS:-}" ]; then
	MAKEFLAGS=$(printf '%s' "$MAKEFLAGS" | sed -E 's/ ?--jobserver-(auth|fds)=[^ ]*//g')
	export MAKEFLAGS
fi

LOGS=$B/check
mkdir -p "$LOGS"

passed=0
failed=0
skipped=0
failures=()

note_fail() { failures+=("$1"); }

# --- 1. unit tests ---------------------------------------------------------

unit_bins=()
if [ -d "$B/tests/unit" ]; then
	for f in "$B"/tests/unit/*; do
		[ -f "$f" ] && [ -x "$f" ] || continue
		n=$(basename "$f")
		if [ -n "${UNIT_TESTS:-}" ] && [[ " $UNIT_TESTS " != *" $n "* ]]; then
			continue
		fi
		unit_bins+=("$f")
	done
fi
[ ${#unit_bins[@]} -gt 0 ] && echo "== unit tests (${#unit_bins[@]} binaries)"
for f in "${unit_bins[@]}"; do
	n=$(basename "$f")
	log=$LOGS/unit-$n.log
	(timeout 300 "$f" >"$log" 2>&1 </dev/null) 2>/dev/null
	rc=$?
	p=$(grep -aoE '^\[  PASSED  \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | tail -n 1)
	x=$(grep -aoE '^\[  FAILED  \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | tail -n 1)
	[ -n "$p" ] || p=$(grep -ac '^\[       OK \]' "$log")
	if [ -z "$x" ]; then
		x=0
		[ $rc -ne 0 ] && x=1	# crashed, sanitizer report, timeout
	fi
	passed=$((passed + p))
	failed=$((failed + x))
	if [ "$x" -gt 0 ] || [ $rc -ne 0 ]; then
		why="exit $rc"
		[ $rc -eq 124 ] && why="timed out"
		[ $rc -gt 128 ] && [ $rc -ne 124 ] && why="killed by signal $((rc - 128))"
		echo "FAIL: unit/$n ($p passed, $x failed, $why); output ($log):"
		grep -avE '^\[ (RUN|      OK) ' "$log" | tail -n 40 | sed 's/^/    | /'
		note_fail "unit/$n"
	else
		echo "  ok   unit/$n ($p tests)"
	fi
done

# --- 2. fuzz smoke ---------------------------------------------------------

has_target() {
	{ make -pRrq O="$B" -f Makefile : 2>/dev/null || true; } | grep "^$1:" >/dev/null
}
if [ -z "${NO_FUZZ:-}" ] && has_target fuzz-smoke; then
	echo "== fuzz smoke"
	log=$LOGS/fuzz-smoke.log
	make -s O="$B" fuzz-smoke 2>&1 </dev/null | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(grep -ac '^PASS:' "$log")
	x=$(grep -ac '^FAIL:' "$log")
	passed=$((passed + p))
	failed=$((failed + x))
	if [ "$x" -gt 0 ]; then
		note_fail "fuzz-smoke ($(grep -a '^FAIL:' "$log" | head -n 3 | tr '\n' ' '))"
	elif [ $rc -ne 0 ]; then
		failed=$((failed + 1))
		echo "FAIL: fuzz-smoke (make exited $rc; see $log)"
		note_fail fuzz-smoke
	fi
fi

# --- 3. system tests -------------------------------------------------------

if [ $UNIT_ONLY = 0 ]; then
	if [ -n "${SYSTEM_TESTS:-}" ]; then
		scripts=()
		for t in $SYSTEM_TESTS; do
			t=${t%.sh}
			t=${t##*/}
			if [ -e "tests/system/linux/$t.sh" ]; then
				scripts+=("tests/system/linux/$t.sh")
			else
				scripts+=("tests/system/$t.sh")
			fi
		done
	else
		scripts=(tests/system/t-*.sh tests/system/linux/t-*.sh)
		[ -e "${scripts[0]}" ] || scripts=()
	fi
	if [ ${#scripts[@]} -gt 0 ]; then
		echo "== system tests (${#scripts[@]} scripts)"
		if ! XVMM_KERNEL_ONLY=1 scripts/deps.sh "$B"; then
			echo "FAIL: system (no test kernel: scripts/deps.sh failed)"
			failed=$((failed + 1))
			note_fail "system: kernel cache"
			scripts=()
		fi
	fi
	for s in "${scripts[@]}"; do
		n=$(basename "$s" .sh)
		out=$LOGS/system-$n.out
		if [ ! -f "$s" ]; then
			echo "FAIL: $n (no such test: $s)"
			failed=$((failed + 1))
			note_fail "system/$n"
			continue
		fi
		O=$B tests/system/run "$s" </dev/null | tee "$out"
		rc=${PIPESTATUS[0]}
		p=$(grep -ac '^PASS:' "$out")
		x=$(grep -ac '^FAIL:' "$out")
		k=$(grep -ac '^SKIP:' "$out")
		passed=$((passed + p))
		failed=$((failed + x))
		skipped=$((skipped + k))
		if [ "$x" -gt 0 ]; then
			note_fail "system/$n: $(grep -a '^FAIL:' "$out" | sed 's/^FAIL: //' | head -n 5 | paste -sd, -)"
		elif [ $rc -ne 0 ]; then
			failed=$((failed + 1))
			note_fail "system/$n (exit $rc)"
		fi
	done
fi

# --- summary ---------------------------------------------------------------

if [ ${#failures[@]} -gt 0 ]; then
	echo "== failed:"
	printf '  %s\n' "${failures[@]}"
fi
summary="$passed passed, $failed failed"
[ $skipped -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ $failed -eq 0 ] && [ ${#failures[@]} -eq 0 ]
