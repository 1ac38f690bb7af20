#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The driver applies only R_X86_64_RELATIVE relocations and the image has no
# loader for symbols: refuse to ship an image that needs anything else.
set -eu
elf=$1
bad=$(readelf -rW "$elf" | awk '/^[0-9a-f]+ /{ if ($3 != "R_X86_64_RELATIVE") print $3 }' | sort -u)
if [ -n "$bad" ]; then
	echo "$elf: relocations the loader cannot apply: $bad" >&2
	exit 1
fi
undef=$(nm -u "$elf" || true)
if [ -n "$undef" ]; then
	echo "$elf: undefined symbols: $undef" >&2
	exit 1
fi
