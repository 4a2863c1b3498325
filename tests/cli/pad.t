#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pad.t - romcompat pad: files padded up to a target bucket or trimmed down
# to it (only the bytes after the last image), files whose images are too
# big named, inputs never touched; a padded ROM really migrates from a VM
# started with the bigger bucket.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/romlib.sh"

[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 17

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR" "$T/in"
cp "$ROMDIR/efi-e1000.rom" "$ROMDIR/pxe-e1000.rom" "$T/in/"
size=$(stat -c %s "$ROMDIR/efi-e1000.rom")

run pad --bucket 512K --out "$T/out" "$T/in"
is "$rc" 0 "--bucket 512K: every file fits: exit 0"
is "$(stat -c %s "$T/out/efi-e1000.rom") $(stat -c %s "$T/out/pxe-e1000.rom")" "524288 524288" "both files padded to 512 KiB"
is "$(cmp -n "$size" "$ROMDIR/efi-e1000.rom" "$T/out/efi-e1000.rom" && echo same)" same "the images are unchanged"
is "$(tail -c 16 "$T/out/efi-e1000.rom" | od -An -tx1 | tr -d ' \n')" "ffffffffffffffffffffffffffffffff" "padded with 0xff by default"
is "$(stat -c %s "$T/in/efi-e1000.rom")" "$size" "the input is not modified"

run pad --bucket 0x80000 --fill 0 --json - "$T/in"
is "$(printf '%s' "$out" | jq -r '[.fits, (.files[] | .action + ":" + (.target|tostring) + ":" + (.new_size|tostring))] | join(" ")')" \
	"true padded:524288:524288 padded:524288:524288" "--json: each file's action, target and new size; no --out writes nothing"

run pad --bucket 128K "$T/in"
is "$rc" 1 "a file whose images need more than the bucket: exit 1"
like "$out" "efi-e1000.rom: its images need $size bytes .*more than the 128 KiB bucket: padding cannot help" "it is named, with what its images need"
like "$out" "pxe-e1000.rom +75264 +75264 +128 KiB +unchanged" "a file already in the bucket is unchanged"

run pad --bucket 300K "$T/in"
is "$rc" 2 "--bucket that is no power of two: exit 2"
like "$err" "--bucket 300K: not a power of two" "and says so"

run pad --like "$ROMDIR" "$T/missing"
is "$rc" 2 "a missing input: exit 2"

run pad --bucket 256K --out "$T/in" "$T/in"
is "$rc" 2 "--out the input directory: refused, exit 2"

cp "$T/in/efi-e1000.rom" "$T/in/keep.rom"
printf 'not a rom' >"$T/in/junk.rom"
run pad --bucket 256K "$T/in"
is "$rc" 2 "a file that is not a ROM: exit 2"
like "$err" "junk.rom: .*left out" "and it is named"
rm -f "$T/in/junk.rom" "$T/in/keep.rom"

# A ROM that shrank into a smaller bucket, padded back to the old one: a
# VM started on the old (512 KiB) ROM migrates to a host with the padded one.
if have_qemu; then
	grow_rom "$ROMDIR/efi-e1000.rom" "$T/old-e1000.rom" 300000
	"$ROMCOMPAT" pad --like "$T/old-e1000.rom" --out "$T/padded" "$ROMDIR/efi-e1000.rom" >/dev/null
	run migrate --machine pc-q35-7.2 --nic e1000 --old "$T/old-e1000.rom" --new "$ROMDIR/efi-e1000.rom" --direction old-to-new
	is "$rc" 1 "unpadded: the 512 KiB VM cannot migrate to the 256 KiB ROM"
	run migrate --machine pc-q35-7.2 --nic e1000 --old "$T/old-e1000.rom" --new "$T/padded/efi-e1000.rom" --direction old-to-new
	is "$rc" 0 "padded to 512 KiB: it migrates"
else
	skip "qemu-system-x86_64 not installed" 2
fi
