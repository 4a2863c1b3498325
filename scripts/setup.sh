#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# setup.sh - install every Debian package romcompat needs to build, test and
# run (idempotent).  The only part of romcompat that needs root, and only
# when a package is missing: run as root it installs them itself; run as
# an ordinary user it re-runs itself with sudo; with neither root nor sudo it
# says so in one line and exits 2.
set -eu

PACKAGES="
build-essential pkg-config make
libglib2.0-dev libjson-c-dev libarchive-dev libvirt-dev libxml2-dev libtirpc-dev
qemu-system-x86 qemu-system-arm qemu-system-misc qemu-utils ipxe-qemu seabios ovmf
libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libvirt-daemon-system
clang libclang-rt-14-dev cppcheck clang-tidy clang-format
libxml2-utils valgrind time bc binutils xz-utils util-linux procps jq groff-base
git perl liblzma-dev
chromium debhelper dpkg-dev fakeroot lintian autopkgtest python3-yaml
"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "setup.sh: all packages are installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		exec sudo "$0" "$@"
	fi
	echo "setup.sh: error: installing${missing} needs root and sudo is not installed: run $0 as root" >&2
	exit 2
fi
echo "setup.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "setup.sh: done"
