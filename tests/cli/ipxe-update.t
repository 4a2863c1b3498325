#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ipxe-update.t - scripts/ipxe-update.sh, the release team's one command,
# on a slice of each architecture: the installed ROMs against themselves
# pass on x86_64 and aarch64, against a set with efi-e1000.rom grown past
# its bucket they fail on both, and the exit code is the worse one.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
have_qemu qemu-system-aarch64 || skip_all "qemu-system-aarch64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
plan 5

export TMPDIR=$T/tmp XDG_RUNTIME_DIR= X86_MACHINES='pc-q35-7.2' ARM_MACHINES='virt-7.2'
mkdir "$TMPDIR" "$T/new"
cp "$ROMDIR"/*.rom "$T/new/"
grow_rom "$ROMDIR/efi-e1000.rom" "$T/new/efi-e1000.rom" 300000

rc=0
out=$(ROMCOMPAT=$ROMCOMPAT "$SRCDIR/scripts/ipxe-update.sh" "$ROMDIR" 2>&1) || rc=$?
is "$rc" 0 "the installed ROMs against themselves: exit 0"
like "$out" "verdict: compatible: every VM migrates both ways on both architectures" "on x86_64 and aarch64"
rc=0
out=$(ROMCOMPAT=$ROMCOMPAT "$SRCDIR/scripts/ipxe-update.sh" "$T/new" 2>&1) || rc=$?
is "$rc" 1 "a grown efi-e1000.rom: exit 1"
is "$(printf '%s\n' "$out" | grep -c '^incompatible')" 2 "incompatible on both architectures"
is "$(qemu_left "$T")" 0 "no QEMU left"
