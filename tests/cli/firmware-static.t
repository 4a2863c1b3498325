#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# firmware-static.t - display ROMs and firmware images in ROM sets, from
# the installed seabios and ovmf packages: inspect tells firmware (sized,
# its block its exact size) from option ROMs (vgabios-*.bin, bucketed),
# leaves the ISA VGA BIOSes out, and diff names the block or display device
# that loads a file grown past its block (from the shipped catalog).
. "$(dirname "$0")/lib.sh"

SEABIOS=/usr/share/seabios
OVMF=/usr/share/OVMF
[ -f "$SEABIOS/bios-256k.bin" ] && [ -f "$SEABIOS/vgabios-stdvga.bin" ] ||
	skip_all "seabios is not installed (scripts/setup.sh installs it)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 20

before=$(cd "$SEABIOS" && sha256sum -- *)

run inspect --json - "$SEABIOS/bios-256k.bin"
is "$rc" 0 "inspect bios-256k.bin: exit 0"
entry() { printf '%s\n' "$out" | jq -r ".inputs[0].files[] | select(.name == \"$1\") | $2"; }
is "$(entry bios-256k.bin .kind)" firmware "bios-256k.bin is firmware"
is "$(entry bios-256k.bin .bucket)" "$(stat -L -c %s "$SEABIOS/bios-256k.bin")" "its block is its exact size"

run inspect --json - "$SEABIOS"
is "$rc" 0 "inspect the seabios directory: exit 0"
is "$(entry vgabios-stdvga.bin .kind)" option-rom "vgabios-stdvga.bin is an option ROM"
is "$(entry vgabios-stdvga.bin '.images[0].vendor_id')" 1234 "parsed: its image is the 1234:1111 VGA BIOS"
is "$(entry vgabios-stdvga.bin .bucket)" 65536 "bucketed: 64 KiB"
is "$(entry vgabios-isavga.bin .name)" "" "the ISA VGA BIOS (no PCI Data Structure) is left out"

# A copy where bios-256k.bin is 64 KiB longer and vgabios-stdvga.bin grows past 64 KiB.
mkdir "$T/new"
cp -L "$SEABIOS"/*.bin "$T/new/"
head -c 65536 /dev/zero >>"$T/new/bios-256k.bin"
head -c 30000 /dev/zero >>"$T/new/vgabios-stdvga.bin"
run diff "$SEABIOS" "$T/new"
is "$rc" 1 "bios-256k.bin and vgabios-stdvga.bin grown: exit 1"
like "$out" "bios-256k\.bin: firmware, its block 256 KiB -> 320 KiB .*loaded on x86_64 by: block pc\.bios" \
	"bios-256k.bin: pc.bios changes size"
like "$out" "vgabios-stdvga\.bin: 64 KiB -> 128 KiB; loaded on x86_64 by: display VGA" \
	"vgabios-stdvga.bin: VGA's ROM block changes bucket"
like "$out" "bios\.bin .* same bucket +block pc\.bios \(4 of 55 machine types\)" \
	"bios.bin: pc.bios on the four machine types that load it"
ok $(printf "%s\n" "$out" | grep -q "^  vgabios-cirrus\.bin: "; [ $? -ne 0 ]; echo $?) "an untouched ROM is not listed as incompatible"
run diff --json - "$SEABIOS" "$T/new"
is "$(printf '%s\n' "$out" | jq -r '.files[] | select(.name == "bios-256k.bin") | .firmware[0].model')" pc.bios "JSON: bios-256k.bin's block"
is "$(printf '%s\n' "$out" | jq -r '.files[] | select(.name == "vgabios-stdvga.bin") | .displays[0].model')" VGA "JSON: vgabios-stdvga.bin's display device"

# A firmware image 4 KiB shorter: any size change breaks it.
cp -L "$SEABIOS"/*.bin "$T/new/"
truncate -s -4096 "$T/new/bios-256k.bin"
run diff "$SEABIOS" "$T/new"
is "$rc" 1 "bios-256k.bin 4 KiB shorter: exit 1 (no bucket hides it)"

if [ -f "$OVMF/OVMF_CODE.fd" ]; then
	run inspect --json - "$OVMF/OVMF_CODE.fd"
	is "$(entry OVMF_CODE.fd .kind)" firmware "OVMF_CODE.fd is firmware"
	mkdir "$T/ovmf"
	cp -L "$OVMF/OVMF_CODE.fd" "$T/ovmf/"
	head -c 4096 /dev/zero >>"$T/ovmf/OVMF_CODE.fd"
	run diff "$OVMF/OVMF_CODE.fd" "$T/ovmf/OVMF_CODE.fd"
	is "$rc" 1 "OVMF_CODE.fd 4 KiB longer: exit 1"
else
	skip "ovmf is not installed: OVMF_CODE.fd not inspected"
	skip "ovmf is not installed: OVMF_CODE.fd not compared"
fi

is "$(cd "$SEABIOS" && sha256sum -- *)" "$before" "the installed files are untouched"
is "$(qemu_left "$T")" 0 "no QEMU left running"
