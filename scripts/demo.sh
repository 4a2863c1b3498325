#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# demo.sh - reproduce Debian #881263 on this machine's installed ROMs:
# efi-e1000.rom grown past its 256 KiB bucket breaks migration, grown
# inside the bucket it does not; then the matrix of the newest machine
# types, every NIC model, both directions, on shared QEMU pairs.  Exits 0
# when romcompat told them apart.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
romdir=${ROMDIR:-/usr/lib/ipxe/qemu}
rom=$romdir/efi-e1000.rom
[ -r "$rom" ] || { echo "demo: error: $rom not found: install ipxe-qemu (scripts/setup.sh)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/grown" "$work/inside"
cp "$romdir"/*.rom "$work/grown/"
# 300000 bytes: past 256 KiB, so QEMU gives the ROM a 512 KiB block.
head -c $((300000 - $(stat -c %s "$rom"))) /dev/zero | tr '\0' '\377' >>"$work/grown/efi-e1000.rom"
# 262144 bytes: larger, but still inside the 256 KiB bucket.
cp "$rom" "$work/inside/efi-e1000.rom"
head -c $((262144 - $(stat -c %s "$rom"))) /dev/zero | tr '\0' '\377' >>"$work/inside/efi-e1000.rom"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; }
status=0

step romcompat inspect "$rom"
"$romcompat" inspect "$rom" || status=1

step romcompat diff "$romdir" GROWN
"$romcompat" diff "$romdir" "$work/grown"
[ $? -eq 1 ] || status=1

step romcompat migrate --machine pc-i440fx-7.2 --nic e1000 --old "$rom" --new GROWN/efi-e1000.rom --direction both
"$romcompat" migrate --machine pc-i440fx-7.2 --nic e1000 --old "$rom" \
	--new "$work/grown/efi-e1000.rom" --direction both
[ $? -eq 1 ] || status=1

step romcompat migrate --machine pc-i440fx-7.2 --nic e1000 --old "$rom" --new INSIDE/efi-e1000.rom --direction both
"$romcompat" migrate --machine pc-i440fx-7.2 --nic e1000 --old "$rom" \
	--new "$work/inside/efi-e1000.rom" --direction both
[ $? -eq 0 ] || status=1

step romcompat check --old "$romdir" --new GROWN --machines "'pc-i440fx-7.*;pc-q35-7.*'"
"$romcompat" check --old "$romdir" --new "$work/grown" --machines 'pc-i440fx-7.*;pc-q35-7.*'
[ $? -eq 1 ] || status=1

echo
if [ $status -eq 0 ]; then
	echo "demo: reproduced #881263: growing past the bucket breaks migration, growing inside it does not."
else
	echo "demo: the results above are not what #881263 predicts" >&2
fi
exit $status
