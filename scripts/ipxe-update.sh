#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ipxe-update.sh - one command for a release team: the installed ipxe-qemu
# ROMs against another version of the package, over the full x86_64 and
# aarch64 matrices of the installed QEMU, every case a real migration, both
# directions.  Prints each architecture's verdict; exits with the worse
# of romcompat's exit codes (0 compatible, 1 incompatible, 2 bad input,
# 3 QEMU or apt could not be run).
#
#   scripts/ipxe-update.sh debian:ipxe-qemu=VERSION
#   scripts/ipxe-update.sh ipxe-qemu_VERSION_all.deb
#   APT_SOURCES=trixie.list scripts/ipxe-update.sh debian:ipxe-qemu   # another suite
#   OUT=DIR keeps the JSON and JUnit reports (default: a temporary directory)
#   X86_MACHINES=GLOBS ARM_MACHINES=GLOBS narrow the matrices (default: all)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
[ $# -eq 1 ] || { echo "usage: $0 debian:ipxe-qemu=VERSION | PACKAGE.deb | ROM-DIRECTORY" >&2; exit 2; }
new=$1
old=${OLD:-/usr/lib/ipxe/qemu}
out=${OUT:-}
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-ipxe.XXXXXX")
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
global=()
[ -n "${APT_SOURCES:-}" ] && global=(--apt-sources "$APT_SOURCES")

worst=0
worse() { # exit codes ranked 0 < 1 < 2 < 3
	[ "$1" -gt "$worst" ] && worst=$1
	return 0
}
for arch in x86_64 aarch64; do
	qemu=qemu-system-$arch
	if ! command -v "$qemu" >/dev/null; then
		echo "== $arch: $qemu not installed, skipped (scripts/setup.sh installs it)"
		continue
	fi
	machines=()
	[ "$arch" = x86_64 ] && [ -n "${X86_MACHINES:-}" ] && machines=(--machines "$X86_MACHINES")
	[ "$arch" = aarch64 ] && machines=(--machines "${ARM_MACHINES:-virt-*}")
	echo "== $arch: $old -> $new"
	rc=0
	"$romcompat" "${global[@]}" check --old-qemu "$qemu" --new-qemu "$qemu" "${machines[@]}" \
		--old "$old" --new "$new" --json "$out/$arch.json" --junit "$out/$arch.xml" \
		>"$out/$arch.txt" || rc=$?
	grep -E '^[0-9]+ cases|^evidence|^prediction|^(in)?compatible|^not established|^  [a-z]' "$out/$arch.txt"
	worse "$rc"
done
case $worst in
0) echo "verdict: compatible: every VM migrates both ways on both architectures" ;;
1) echo "verdict: INCOMPATIBLE: some VMs would not migrate (see above)" ;;
*) echo "verdict: not established (exit $worst)" ;;
esac
exit "$worst"
