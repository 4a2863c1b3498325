#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# catalog-versions.t - display devices and firmware blocks are read back
# from each QEMU, so two QEMU versions give two lists: the installed QEMU's
# catalog (shipped, which machines.t proves equal to a read-back) against
# one read back from bookworm-backports' qemu-system-x86 (debian:, through
# a private sources list).  The version is whatever the archive offers
# when the test runs; skipped, saying why, when it cannot be reached.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
command -v apt-get >/dev/null || skip_all "apt-get is needed"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
[ -n "$uri" ] || skip_all "no Debian mirror in this machine's apt configuration"
export XDG_CACHE_HOME=${ROMCOMPAT_TEST_CACHE:-$HOME/.cache/romcompat/test-catalog-versions}
export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir -p "$XDG_CACHE_HOME" "$TMPDIR"
printf 'deb %s bookworm-backports main\n' "$uri" >"$XDG_CACHE_HOME/backports.list"

old_version=$(qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p')
old=$SRCDIR/machine-types/x86_64/$old_version.json
[ -r "$old" ] || skip_all "no shipped catalog for the installed QEMU $old_version"
run --apt-sources "$XDG_CACHE_HOME/backports.list" machines --qemu debian:qemu-system-x86 --json "$T/new.json" -j 2
[ "$rc" -eq 2 ] || [ "$rc" -eq 3 ] &&
	skip_all "qemu-system-x86 cannot be had from bookworm-backports here: $(printf '%s\n' "$err" | grep 'romcompat: error' | head -1)"
plan 9
new=$T/new.json
q() { jq -r "$2" "$1"; }
new_version=$(q "$new" .qemu.version)

is "$rc" 0 "machines --qemu debian:qemu-system-x86 (QEMU $new_version): exit 0"
ok $([ "$new_version" != "$old_version" ]; echo $?) "another QEMU than the installed $old_version"
is "$(q "$new" .format)" 2 "its catalog is format 2"
vga='.machines[] | select(.name == "pc-q35-7.2") | .displays[] | select(.model == "VGA") | .romfile'
is "$(q "$old" "$vga") $(q "$new" "$vga")" "vgabios-stdvga.bin vgabios-stdvga.bin" \
	"pc-q35-7.2's VGA loads vgabios-stdvga.bin in both"
newest() { q "$1" '[.machines[].name | select(test("^pc-q35-[0-9]+\\.[0-9]+$"))] | sort_by(sub("pc-q35-"; "") | split(".") | map(tonumber)) | last'; }
n_new=$(newest "$new")
ok $([ "$(newest "$old")" != "$n_new" ]; echo $?) "its newest q35 ($n_new) is its own, not the installed QEMU's ($(newest "$old"))"
ok $([ "$(q "$new" "[.machines[] | select(.name == \"$n_new\") | .displays[] | select(.romfile != \"\")] | length")" -gt 0 ]; echo $?) \
	"$n_new has display devices that load a ROM, read back from that QEMU"
bios=$(q "$new" ".machines[] | select(.name == \"$n_new\") | .firmware[] | select(.block == \"pc.bios\") | .size")
ok $([ -n "$bios" ] && [ $((bios % 65536)) -eq 0 ]; echo $?) "$n_new: pc.bios read back, a whole number of 64 KiB ($bios bytes)"
old_models=$(q "$old" '[.machines[].displays[] | select(.romfile != "") | .model] | unique | join(" ")')
new_models=$(q "$new" '[.machines[].displays[] | select(.romfile != "") | .model] | unique | join(" ")')
diag "display devices with a ROM: QEMU $old_version: $old_models; QEMU $new_version: $new_models"
ok $([ -n "$new_models" ] && [ -n "$old_models" ]; echo $?) "each catalog lists its own display devices"
is "$(qemu_left "$T")" 0 "no QEMU left running"
