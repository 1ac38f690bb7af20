#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check-elf.sh GUEST.elf...: each file must be an x86 ELF executable with
# a Xen PHYS32_ENTRY note (name "Xen", type 18) whose entry address lies
# inside the file-backed part of a PT_LOAD segment.
set -eu

status=0
for f in "$@"; do
	bad() { echo "check-elf: $f: $*" >&2; status=1; }

	if ! hdr=$(readelf -hW "$f" 2>/dev/null); then
		bad "not an ELF file"; continue
	fi
	echo "$hdr" | grep -q 'Type:.*EXEC' || { bad "not an executable"; continue; }
	echo "$hdr" | grep -Eq 'Machine:.*(80386|X86-64)' || { bad "not x86"; continue; }

	# readelf -n prints the note, then its descriptor bytes as hex.
	# readelf -n shows the note and its descriptor bytes (on the same line,
	# or the next one in other binutils versions).
	entry=$(readelf -nW "$f" | awk '
		$1 == "Xen" && /\(0x00000012\)|PHYS32_ENTRY/ { want = 1 }
		want && /description data:/ {
			sub(/.*description data: */, ""); n = split($0, b, " ")
			v = ""; for (i = (n < 4 ? n : 4); i >= 1; i--) v = v b[i]
			print v; exit }')
	if [ -z "$entry" ]; then
		bad "no Xen PHYS32_ENTRY (type 18) note"; continue
	fi
	entry=$((0x$entry))

	inside=no
	while read -r pa fs; do
		if [ "$entry" -ge $((pa)) ] && [ "$entry" -lt $((pa + fs)) ]; then
			inside=yes
		fi
	done <<-LOADS
	$(readelf -lW "$f" | awk '$1 == "LOAD" { print $4, $5 }')
	LOADS
	if [ "$inside" != yes ]; then
		bad "PVH entry $(printf '%#x' "$entry") is not inside a PT_LOAD segment"; continue
	fi
	echo "  check-elf: $f: PVH entry $(printf '%#x' "$entry") ok"
done
exit $status
