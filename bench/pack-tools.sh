#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/pack-tools.sh DIR PROG...: Debian's own binaries (fio, iperf3) for
# the test machine, whose busybox userspace has no libc: each program and
# every library ldd finds for it go into DIR/bin and DIR/lib, with the
# dynamic loader, and DIR/run PROG ARGS starts one through that loader,
# so the tree works wherever it is unpacked or mounted; files named in
# $PACK_EXTRA (space-separated) go to DIR itself. Then DIR.tar.gz
# (for dom0) and DIR.img, an ext4 image of the tree (a read-only disk for
# a guest).
set -euo pipefail
dir=$1; shift
rm -rf "$dir" "$dir.tar.gz" "$dir.img"
mkdir -p "$dir/bin" "$dir/lib"
for p in "$@"; do
	path=$(command -v "$p") || { echo "pack-tools: $p is not installed" >&2; exit 1; }
	cp -L "$path" "$dir/bin/"
	ldd "$path" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | while read -r lib; do
		cp -Ln "$lib" "$dir/lib/" 2>/dev/null || true
	done
done
for f in ${PACK_EXTRA:-}; do cp -L "$f" "$dir/"; done
cat >"$dir/run" <<'RUN'
#!/bin/sh
# run PROG ARGS: PROG from this tree through its own loader and libraries.
d=$(dirname "$0")
p=$1; shift
exec "$d/lib/ld-linux-x86-64.so.2" --library-path "$d/lib" "$d/bin/$p" "$@"
RUN
chmod +x "$dir/run"
tar -C "$dir" -czf "$dir.tar.gz" .
size=$(( $(du -sm "$dir" | cut -f1) * 12 / 10 + 16 ))
mkfs.ext4 -q -F -L tools -d "$dir" "$dir.img" "${size}M" >/dev/null
