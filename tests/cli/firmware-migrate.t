#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# firmware-migrate.t - real migrations with display ROMs and firmware
# images: a VGA BIOS grown past 64 KiB fails on the VGA's ROM block, named
# as QEMU names it; a -bios image 64 KiB longer (x86 BIOS images are whole
# multiples of 64 KiB) fails on pc.bios, whose size is the image's exact
# size; the same files on both sides migrate.
. "$(dirname "$0")/lib.sh"

SEABIOS=/usr/share/seabios
have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -f "$SEABIOS/bios-256k.bin" ] && [ -f "$SEABIOS/vgabios-stdvga.bin" ] ||
	skip_all "seabios is not installed (scripts/setup.sh installs it)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 16

export TMPDIR=$T/tmp
mkdir "$TMPDIR" "$T/old" "$T/new"
before=$(cd "$SEABIOS" && sha256sum -- bios-256k.bin vgabios-stdvga.bin)

# VGA: vgabios-stdvga.bin (39 KiB, a 64 KiB block) grown to 70000 bytes (128 KiB).
cp "$SEABIOS/vgabios-stdvga.bin" "$T/old/"
cp "$SEABIOS/vgabios-stdvga.bin" "$T/new/"
head -c $((70000 - $(stat -c %s "$T/new/vgabios-stdvga.bin"))) /dev/zero >>"$T/new/vgabios-stdvga.bin"
run migrate --machine pc-q35-7.2 --nic VGA --old "$T/old/vgabios-stdvga.bin" \
	--new "$T/new/vgabios-stdvga.bin" --json "$T/vga.json"
is "$rc" 1 "VGA with its BIOS grown past 64 KiB: exit 1"
block=$(jq -r '.[0]["ramblock-differences"][0].block' "$T/vga.json")
like "$block" '^0000:00:[0-9a-f]{2}\.0/vga\.rom$' "the block that differs is VGA's ROM block, as QEMU lists it ($block)"
is "$(jq -r '.[0].block' "$T/vga.json")" "$block" "QEMU's refusal names that block"
like "$out" "QEMU says: +Size mismatch: ${block//./\\.}: 0x10000 != 0x20000" "QEMU's own line: 64 KiB against 128 KiB"
is "$(jq -r '.[0].nic' "$T/vga.json")" VGA "the case names the device"

run migrate --machine pc-q35-7.2 --nic VGA --old "$T/old/vgabios-stdvga.bin" --new "$SEABIOS/vgabios-stdvga.bin" -q
is "$rc" 0 "VGA with the same BIOS on both sides: exit 0"

# -bios: bios-256k.bin and a copy 64 KiB longer.
cp "$SEABIOS/bios-256k.bin" "$T/old/"
cp "$SEABIOS/bios-256k.bin" "$T/new/"
head -c 65536 /dev/zero >>"$T/new/bios-256k.bin"
size=$(stat -c %s "$T/old/bios-256k.bin")
run migrate --machine pc-q35-7.2 --old "$T/old/bios-256k.bin" --new "$T/new/bios-256k.bin" \
	--direction both --json "$T/bios.json"
is "$rc" 1 "-bios image 64 KiB longer: exit 1"
is "$(jq -r '[.[].block] | unique | join(",")' "$T/bios.json")" pc.bios "both directions fail on pc.bios"
like "$out" "$(printf 'Size mismatch: pc\\.bios: 0x%x != 0x%x' "$size" $((size + 65536)))" \
	"QEMU's own line, the image's exact sizes"
is "$(jq -r '.[0].class' "$T/bios.json")" firmware "the case is a firmware case"

run migrate --machine pc-q35-7.2 --old "$T/old/bios-256k.bin" --new "$SEABIOS/bios-256k.bin" -q
is "$rc" 0 "the same -bios image on both sides: exit 0"

run migrate --machine pc-q35-7.2 --old "$T/old/bios-256k.bin" --new "$T/old/vgabios-stdvga.bin"
is "$rc" 2 "no --nic, and only one side a firmware image: exit 2"
like "$err" "--nic unless --old and --new are firmware images" "the error says why"
run migrate --machine pc-q35-7.2 --nic no-such-vga --old "$T/old/vgabios-stdvga.bin" --new "$T/new/vgabios-stdvga.bin"
like "$err" "not a PCI NIC or display device of machine type pc-q35-7\.2 .*cirrus-vga" \
	"an unknown model: the error lists the display devices too"

is "$(cd "$SEABIOS" && sha256sum -- bios-256k.bin vgabios-stdvga.bin)" "$before" "the installed files are untouched"
is "$(qemu_left "$T")" 0 "no QEMU left running"
