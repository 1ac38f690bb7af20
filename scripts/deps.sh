#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/deps.sh [BUILD_DIR]
#
# 1. Installs (apt-get) the Debian packages the project needs, only those
#    missing; a no-op when everything is there.
# 2. Fills the test-machine kernel cache BUILD_DIR/kernel (default
#    build/kernel, or $O/kernel) from Debian's linux-image package matching
#    the newest installed /usr/src/linux-headers-*-amd64:
#      vmlinuz config System.map vmlinux (uncompressed ELF, the stock PVH
#      guest) and lib/modules/<kver>/ holding the modules the tests need
#      (kvm, kvm-amd and their dependencies) with depmod run on it.
#    The package is only downloaded (apt-get download), never installed.
#    A no-op when the cache is complete.
#
# Environment:
#   XVMM_KMODS       modules to put in the cache (default "kvm kvm-amd");
#                    dependencies are added automatically
#   XVMM_SKIP_PKGS=1 skip step 1 (e.g. when not root and all is present)
#   XVMM_KERNEL_ONLY=1  same as XVMM_SKIP_PKGS=1
#   XVMM_PKGS_ONLY=1 step 1 only: what the Makefile runs before it reads
#                    the configuration (kconfiglib) or the kernel headers
#
# Not root: packages are installed through sudo (asking for a password
# when there is a terminal, `sudo -n` otherwise).

set -euo pipefail

PKGS="build-essential pkg-config python3-kconfiglib libcmocka-dev liblzma-dev zlib1g-dev liburing-dev
linux-headers-amd64 kmod libelf-dev bc flex bison qemu-system-x86
busybox-static cpio xz-utils clang libclang-rt-14-dev gdb e2fsprogs openssl qemu-utils"

KMODS=${XVMM_KMODS:-kvm kvm-amd}

O=${1:-${O:-build}}
KCACHE=$O/kernel

say() { echo "deps: $*"; }
die() { echo "deps: error: $*" >&2; exit 1; }

SUDO=
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		if [ -t 0 ]; then SUDO=sudo; else SUDO="sudo -n"; fi
	fi
fi

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	say "apt-get update"
	$SUDO apt-get update -qq
	apt_updated=1
}

# --- 1. packages -----------------------------------------------------------

missing_pkgs() {
	local p st
	for p in $PKGS; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$st" = installed ] || echo "$p"
	done
}

if [ -z "${XVMM_SKIP_PKGS:-}${XVMM_KERNEL_ONLY:-}" ]; then
	missing=$(missing_pkgs | tr '\n' ' ')
	if [ -n "${missing// /}" ]; then
		say "installing $missing(Debian packages the build, tests and test machine need)"
		[ "$(id -u)" = 0 ] || [ -n "$SUDO" ] ||
			die "not root and no sudo: install as root: apt-get install $missing"
		apt_update
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
			--no-install-recommends $missing
		still=$(missing_pkgs | tr '\n' ' ')
		[ -z "${still// /}" ] || die "still missing after install: $still"
	fi
fi

[ -z "${XVMM_PKGS_ONLY:-}" ] || exit 0

# --- 2. kernel cache -------------------------------------------------------

hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$hdr" ] || die "no /usr/src/linux-headers-*-amd64 (install linux-headers-amd64)"
KVER=${hdr#/usr/src/linux-headers-}
PKG=linux-image-$KVER
STAMP=$KCACHE/.complete
WANT="$KVER $KMODS"

cache_complete() {
	[ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] || return 1
	local f
	for f in vmlinuz vmlinux config System.map "lib/modules/$KVER/modules.dep"; do
		[ -s "$KCACHE/$f" ] || return 1
	done
}

if cache_complete; then
	exit 0
fi

say "filling $KCACHE for $KVER"
mkdir -p "$KCACHE/deb"
rm -f "$STAMP"

deb=$(ls "$KCACHE"/deb/"${PKG}"_*_amd64.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
	# Pin the version to the one of the installed headers, when known.
	hver=$(dpkg-query -W -f='${Version}' "linux-headers-$KVER" 2>/dev/null || true)
	spec=$PKG${hver:+=$hver}
	say "downloading $spec"
	if ! (cd "$KCACHE/deb" && apt-get download -q "$spec" >/dev/null 2>&1); then
		apt_update
		(cd "$KCACHE/deb" && apt-get download -q "$spec") ||
			(cd "$KCACHE/deb" && apt-get download -q "$PKG") ||
			die "cannot download $PKG"
	fi
	deb=$(ls "$KCACHE"/deb/"${PKG}"_*_amd64.deb | sort -V | tail -n 1)
fi
say "using $(basename "$deb")"

stage=$(mktemp -d "$KCACHE/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
dpkg-deb -x "$deb" "$stage"

cp "$stage/boot/vmlinuz-$KVER" "$KCACHE/vmlinuz"
cp "$stage/boot/config-$KVER" "$KCACHE/config"
cp "$stage/boot/System.map-$KVER" "$KCACHE/System.map"

# Modules: resolve dependencies with modinfo on the extracted tree.
src=$stage/lib/modules/$KVER
dst=$KCACHE/lib/modules/$KVER
rm -rf "${KCACHE:?}/lib"
mkdir -p "$dst"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$src/$f" ] && cp "$src/$f" "$dst/"
done

# name (with - or _) -> path relative to $src
modpath() {
	local n=${1//-/_} p
	while read -r p; do
		local b=${p##*/}
		b=${b%%.ko*}
		if [ "${b//-/_}" = "$n" ]; then
			echo "$p"
			return 0
		fi
	done < <(cd "$src" && find kernel -name '*.ko*')
	return 1
}

declare -A done_mods=()
read -r -a queue <<<"$KMODS"
while [ ${#queue[@]} -gt 0 ]; do
	m=${queue[0]}
	queue=("${queue[@]:1}")
	key=${m//-/_}
	[ -n "${done_mods[$key]:-}" ] && continue
	done_mods[$key]=1
	if grep -qE "/${m//[-_]/[-_]}\.ko" "$src/modules.builtin" 2>/dev/null; then
		continue	# built in
	fi
	p=$(modpath "$m") || die "module $m not found in $PKG"
	mkdir -p "$dst/$(dirname "$p")"
	cp "$src/$p" "$dst/$p"
	deps=$(modinfo -F depends "$src/$p" | tr ',' ' ')
	for d in $deps; do queue+=("$d"); done
done
depmod -b "$KCACHE" "$KVER"

# Uncompressed vmlinux from the bzImage (payload xz), as Linux's
# scripts/extract-vmlinux does: try each xz magic offset until one
# decompresses to an ELF.
extract_vmlinux() {
	local img=$1 out=$2 off
	for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$img" | cut -d: -f1); do
		tail -c +$((off + 1)) "$img" | xz -dc >"$out.tmp" 2>/dev/null || true
		if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
			mv "$out.tmp" "$out"
			return 0
		fi
	done
	rm -f "$out.tmp"
	return 1
}
extract_vmlinux "$KCACHE/vmlinuz" "$KCACHE/vmlinux" || die "cannot extract vmlinux from vmlinuz"

echo "$WANT" >"$STAMP"
say "kernel cache ready: $KCACHE (kernel $KVER; modules: $(cd "$dst" && find kernel -name '*.ko*' | sed 's,.*/,,' | tr '\n' ' '))"
