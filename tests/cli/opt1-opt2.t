#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# opt1-opt2.t - scripts/opt1-opt2.sh on one machine type per architecture:
# the combined ROM (Opt1) has the four EFI images and breaks migration on
# x86_64 and aarch64; per-architecture directories (Opt2) keep it.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
have_qemu qemu-system-aarch64 || skip_all "qemu-system-aarch64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 8

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
out=$(X86_MACHINES=pc-q35-7.2 ARM_MACHINES=virt-7.2 ROMCOMPAT=$ROMCOMPAT \
	"$SRCDIR/scripts/opt1-opt2.sh" "$T/opt" 2>&1)
like "$out" "5  0x[0-9a-f]+ +[0-9]+ bytes .* EFI loongarch64 .*last image" "Opt1's efi-e1000.rom chains x86 legacy, x64, aarch64, riscv64 and loongarch64 images"
is "$(printf '%s\n' "$out" | grep -A1 '^== Opt1, x86_64' | tail -1 | sed 's/:.*//')" "48 cases" "Opt1 x86_64: 48 cases on pc-q35-7.2"
like "$(printf '%s\n' "$out" | grep -A4 '^== Opt1, x86_64')" "efi-e1000.rom 0x40000 -> 0x100000" "Opt1 x86_64: efi-e1000.rom leaves its 256 KiB bucket for 1 MiB"
like "$(printf '%s\n' "$out" | grep -A12 '^== Can padding')" "efi-e1000.rom: its images need 773632 bytes .*more than the 256 KiB bucket" "padding cannot fit Opt1's efi-e1000.rom into 256 KiB"
like "$(printf '%s\n' "$out" | grep -A3 '^== Opt2, x86_64')" "^compatible: every case migrates" "Opt2 x86_64: every case migrates"
like "$(printf '%s\n' "$out" | grep -A3 '^== Opt1, aarch64')" "fail" "Opt1 aarch64 virt-7.2: failures"
like "$(printf '%s\n' "$out" | grep -A3 '^== Opt2, aarch64')" "^compatible: every case migrates" "Opt2 aarch64 virt-7.2: every case migrates"
is "$(qemu_left "$T")" 0 "no QEMU left"
