#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# saved-firmware.t - romcompat saved on display ROM blocks and firmware
# blocks: a raw stream of pc-q35-7.2 with a VGA (its vga.rom from
# vgabios-stdvga.bin) and the default pc.bios (bios-256k.bin), made here
# with real QEMU.  Against the installed files it restores; against a new
# set holding a vgabios-stdvga.bin grown past 64 KiB, or a bios-256k.bin
# 64 KiB longer, it does not, the block named as QEMU names it with both
# lengths, predicted (--static) and refused by the new QEMU, and the old
# file given back to the device (romfile=) or to QEMU (-bios) is proven
# by a load.  The installed files are looked for where the catalog says
# the new QEMU looks (its search-path): a catalog pointing elsewhere moves
# the prediction, and one without a search-path leaves those blocks
# unknown, naming the fix.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/savedlib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
SEABIOS=/usr/share/seabios
[ -r "$SEABIOS/vgabios-stdvga.bin" ] && [ -r "$SEABIOS/bios-256k.bin" ] ||
	skip_all "$SEABIOS/vgabios-stdvga.bin or bios-256k.bin missing (install seabios)"
plan 31

save_stream "$T/vga.state" pc-q35-7.2 VGA
ok $? "a raw migration stream of pc-q35-7.2 with a VGA"
before=$(sha256sum "$T/vga.state")

# A new set with only a grown VGA BIOS, and one with only a longer BIOS
# (64 KiB of 0xFF in front: the reset vector stays at its end).
mkdir -p "$T/vga" "$T/bios"
grow_rom "$SEABIOS/vgabios-stdvga.bin" "$T/vga/vgabios-stdvga.bin" 100000
{
	head -c 65536 /dev/zero | tr '\0' '\377'
	cat "$SEABIOS/bios-256k.bin"
} >"$T/bios/bios-256k.bin"

run saved --static "$T/vga.state" --json "$T/same.json"
is "$rc" 0 "the installed files: restores, exit 0"
like "$out" "0000:00:01.0/vga.rom +0x10000 +0x10000 +vgabios-stdvga.bin +same" "vga.rom from vgabios-stdvga.bin, as saved"
like "$out" "pc.bios +0x40000 +0x40000 +bios-256k.bin +same" "pc.bios from bios-256k.bin, as saved"
is "$(jq -r '.states[0].blocks[] | select(.id == "0000:00:01.0/vga.rom") | .model' "$T/same.json")" \
	"VGA" "JSON: the vga.rom block is the catalog's VGA"

run saved --static --new "$T/vga" "$T/vga.state" --json "$T/vga.json"
is "$rc" 1 "a vgabios-stdvga.bin grown past 64 KiB (--static): exit 1"
like "$out" "0000:00:01.0/vga.rom: 0x10000 saved, 0x20000 on the new host" "the vga.rom block named, both lengths"
is "$(jq -r '[.states[0].blocks[] | select(.verdict == "changed") | .id] | join(" ")' "$T/vga.json")" \
	"0000:00:01.0/vga.rom" "only vga.rom changed: pc.bios is the installed image"

run saved --static --new "$T/bios" "$T/vga.state" --json "$T/bios.json"
is "$rc" 1 "a bios-256k.bin 64 KiB longer (--static): exit 1"
like "$out" "pc.bios: 0x40000 saved, 0x50000 on the new host" "pc.bios named, both exact sizes"
is "$(jq -r '[.states[0].blocks[] | select(.verdict == "changed") | .rom] | join(" ")' "$T/bios.json")" \
	"bios-256k.bin" "only pc.bios changed: the VGA BIOS is the installed one"

run saved "$T/vga.state"
like "$rc:$out" "^0:.*restores \\(loaded\\)" "read-back: the installed files load the state, exit 0"

run saved --new "$T/vga" "$T/vga.state" --json "$T/vgarb.json"
is "$rc" 1 "read-back: the grown VGA BIOS: exit 1"
like "$out" "QEMU: Size mismatch: 0000:00:01.0/vga.rom: 0x10000 != 0x20000" "QEMU's refusal quoted, the block as QEMU names it"
is "$(jq -r '.states[0] | [.verdict, .evidence] | join(" ")' "$T/vgarb.json")" \
	"will-not-restore refused" "JSON: refused by the new QEMU"
like "$out" "-device VGA,romfile=COPY" "the remedy: the old VGA BIOS as the device's romfile"
like "$out" "proven: with these, the new QEMU loaded the state" "and the state loads with it"

run saved --new "$T/bios" "$T/vga.state" --json "$T/biosrb.json"
is "$rc" 1 "read-back: the longer BIOS: exit 1"
like "$out" "QEMU: Size mismatch: pc.bios: 0x40000 != 0x50000" "QEMU's refusal quoted"
like "$out" "-bios COPY" "the remedy: the old BIOS image with -bios"
like "$out" "proven: with these, the new QEMU loaded the state" "and the state loads with it"

# The search path is the catalog's: a copy whose search-path is a directory
# holding a grown vgabios-stdvga.bin (and the same bios-256k.bin) predicts
# vga.rom changes although the new set (empty) replaces nothing.
mkdir -p "$T/data/machine-types/x86_64" "$T/inst" "$T/empty"
grow_rom "$SEABIOS/vgabios-stdvga.bin" "$T/inst/vgabios-stdvga.bin" 100000
cp "$SEABIOS/bios-256k.bin" "$T/inst/"
jq --arg d "$T/inst" '.["search-path"] = [$d]' "$SRCDIR/machine-types/x86_64/7.2.22.json" \
	>"$T/data/machine-types/x86_64/7.2.22.json"
ROMCOMPAT_DATADIR=$T/data run saved --static --new "$T/empty" "$T/vga.state" --json "$T/sp.json"
is "$rc" 1 "search-path of the catalog: the grown installed VGA BIOS there, exit 1"
like "$out" "0000:00:01.0/vga.rom: 0x10000 saved, 0x20000 on the new host" "vga.rom sized from the file in the catalog's search path"
is "$(jq -r '.states[0].blocks[] | select(.id == "pc.bios") | .verdict' "$T/sp.json")" \
	"same" "pc.bios from the same directory: same"

# An older catalog, without search-path: the installed files are unknown.
jq 'del(.["search-path"])' "$SRCDIR/machine-types/x86_64/7.2.22.json" \
	>"$T/data/machine-types/x86_64/7.2.22.json"
ROMCOMPAT_DATADIR=$T/data run saved --static --new "$T/vga" "$T/vga.state" --json "$T/nosp.json"
is "$rc" 1 "no search-path, a grown VGA BIOS in the new set: exit 1 (vga.rom changed)"
is "$(jq -r '.states[0].blocks[] | select(.id == "pc.bios") | [.rom, .verdict] | join(" ")' "$T/nosp.json")" \
	"bios-256k.bin unknown" "pc.bios, not in the new set: unknown, never guessed"
like "$out" "bios-256k.bin is not in the new ROM set, and where the new QEMU finds the installed one is unknown: .*records no search-path.*regenerate it with 'romcompat machines --qemu qemu-system-x86_64'" \
	"the reason names the fix"
ROMCOMPAT_DATADIR=$T/data run saved --static --new "$T/empty" "$T/vga.state" --json "$T/nosp2.json"
is "$(jq -r '[.states[0].blocks[] | select(.verdict == "unknown" and .rom != null) | .rom] | join(" ")' "$T/nosp2.json")" \
	"bios-256k.bin vgabios-stdvga.bin" "an empty new set: the display ROM and the BIOS unknown"
is "$(jq -r '[.states[0].blocks[] | select(.verdict == "missing")] | length' "$T/nosp2.json")" \
	"0" "neither is called missing"

is "$(sha256sum "$T/vga.state")" "$before" "the state is never written (sha256 before and after)"
is "$(qemu_left "$T")" 0 "no QEMU left running"
