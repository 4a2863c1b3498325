#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mitigation.t - check --mitigation: the failures run again on real QEMU
# with romsize pinned to the old bucket (QEMU refuses a larger ROM, and the
# report says so) and with compatibility ROMs chosen by machine type (they
# fix exactly the machine types the mapping names).
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
plan 14

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR" "$T/new" "$T/compat"
cp "$ROMDIR"/*.rom "$T/new/"
cp "$ROMDIR"/*.rom "$T/compat/"
grow_rom "$ROMDIR/efi-e1000.rom" "$T/new/efi-e1000.rom" 300000
printf '# the 256 KiB ROMs stay for q35\npc-q35-* = compat\n' >"$T/map"
S="--machines pc-i440fx-7.2;pc-q35-7.2 --nics e1000 --old $ROMDIR --new $T/new"

run check $S --mitigation romsize
is "$rc" 1 "the matrix still fails: exit 1"
like "$out" "Mitigation: romsize" "the romsize mitigation is reported"
like "$out" "fixes 0 of 4 failing cases" "pinning romsize fixes none of a ROM that outgrew the bucket"
like "$out" "is too large for ROM size 262144" "QEMU's refusal is quoted"

run check $S --mitigation "compat=$T/map"
like "$out" "fixes 2 of 4 failing cases" "compatibility ROMs fix the q35 cases (both directions)"
like "$out" "still fail: pc-i440fx-7.2 e1000" "and leave pc-i440fx-7.2 failing"

# grow_rom pads with 0xff after the last image: trimming fits it back.
run check $S --mitigation pad
is "$rc" 1 "with --mitigation pad the matrix itself still fails: exit 1"
like "$out" "Mitigation: pad: the new ROMs padded or trimmed" "the pad mitigation is reported"
like "$out" "fixes 4 of 4 failing cases" "trimming the padding fixes every case, proved by migration"

# romcompat pad: trimmed to the old bucket, images untouched.
run pad --like "$ROMDIR" --out "$T/fitted" "$T/new"
is "$rc" 0 "pad --like: every file fits: exit 0"
like "$out" "efi-e1000.rom +300000 +[0-9]+ +256 KiB +trimmed +262144" "efi-e1000.rom trimmed from 300000 to 262144 bytes"
is "$(cmp -n "$(stat -c %s "$ROMDIR/efi-e1000.rom")" "$ROMDIR/efi-e1000.rom" "$T/fitted/efi-e1000.rom" && echo same)" same "the images are byte for byte the original's"

run check $S --mitigation bogus
is "$rc" 2 "an unknown mitigation: exit 2"
is "$(qemu_left "$T")" 0 "no QEMU left"
