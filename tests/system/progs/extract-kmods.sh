#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# extract-kmods.sh OUTDIR MODULE...: copy the named modules (flat, NAME.ko)
# out of the linux-image .deb that scripts/deps.sh keeps in the kernel
# cache (build/kernel/deb, or $XVMM_KCACHE/deb), without touching the cache.
set -eu
out=$1
shift
kc=${XVMM_KCACHE:-build/kernel}
deb=$(ls "$kc"/deb/linux-image-*_amd64.deb 2>/dev/null | sort -V | tail -n 1)
[ -n "$deb" ] || { echo "extract-kmods: no kernel package in $kc/deb (make deps)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './lib/modules/*/kernel/*'
for m in "$@"; do
	f=$(find "$tmp/lib/modules" -name "$m.ko" | head -n 1)
	[ -n "$f" ] || { echo "extract-kmods: $m.ko not in $(basename "$deb")" >&2; exit 1; }
	cp "$f" "$out/$m.ko"
done
