#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Build each libFuzzer harness with clang (ASan + UBSan, UB aborts) and run
# it for FUZZ_SECONDS from the seed corpus in tests/fuzz/corpus/<name>/.
# Prints PASS/FAIL/SKIP per harness; exits non-zero if any crashed.
# Called by `make fuzz-smoke` (tools/tools.mk) from the top of the tree.
set -u

CC=${FUZZ_CC:-clang}
SECS=${FUZZ_SECONDS:-20}
OUT=${FUZZ_OUT:-build/tests/fuzz}
CFLAGS="-std=c11 -g -O1 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -Itools/lib/include
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

# name:sources (and any extra flags)
HARNESSES="
xlcfg:tools/lib/xlcfg.c tools/lib/diskspec.c tools/lib/vifspec.c tools/lib/error.c
elf:tools/lib/elf_load.c tools/lib/guest_mem.c tools/lib/error.c
insn_decode:-iquote vmm/include vmm/core/insn_decode.c
blkif_ring:-Itools/backend tools/backend/blkif_ring.c
netif_ring:-Itools/backend tools/backend/netif_ring.c
"

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "$HARNESSES" | while IFS=: read -r name _; do
		[ -n "$name" ] && echo "SKIP: fuzz_$name (clang not installed)"
	done
	exit 0
fi

mkdir -p "$OUT"
failed=0
nl='
'
IFS_SAVE=$IFS
IFS=$nl
for h in $HARNESSES; do
	IFS=$IFS_SAVE
	[ -z "$h" ] && continue
	name=${h%%:*}
	srcs=${h#*:}
	bin=$OUT/fuzz_$name
	work=$OUT/fuzz_$name.corpus
	log=$OUT/fuzz_$name.log
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS -o "$bin" "tests/fuzz/fuzz_$name.c" $srcs >"$log" 2>&1; then
		echo "FAIL: fuzz_$name (build failed, see $log)"
		failed=1
		continue
	fi
	mkdir -p "$work"
	rm -f "$OUT/fuzz_$name-crash-"* "$OUT/fuzz_$name-leak-"* "$OUT/fuzz_$name-timeout-"*
	if "$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$OUT/fuzz_$name-" -print_final_stats=1 \
		"$work" "tests/fuzz/corpus/$name" >>"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		echo "PASS: fuzz_$name (${runs:-?} runs in ${SECS}s)"
	else
		crash=$(ls "$OUT/fuzz_$name-"crash-* "$OUT/fuzz_$name-"leak-* \
			"$OUT/fuzz_$name-"timeout-* 2>/dev/null | head -n 1)
		echo "FAIL: fuzz_$name (crash file ${crash:-none}, log $log)"
		failed=1
	fi
	IFS=$nl
done
IFS=$IFS_SAVE
exit $failed
