#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# inspect.t - `romcompat inspect`: the installed ROMs against golden
# reports, a .deb read in place, and every kind of bad input (one error
# line naming it, exit 2, the other inputs still reported).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/romlib.sh"

[ -d "$ROMDIR" ] || skip_all "$ROMDIR is missing (install ipxe-qemu)"

# --- good inputs ---
run inspect "$ROMDIR"
is "$rc" 0 "inspect of the installed ROMs exits 0"
is "$err" "" "and prints nothing on stderr"
like "$out" "^$ROMDIR: directory, [0-9]+ ROM files" "the report opens with the directory and its file count"
like "$out" "efi-e1000.rom +[0-9]+ bytes \([0-9.]+ KiB\) +bucket [0-9]+ KiB" "sizes in bytes and KiB, buckets in KiB"
if ipxe_is_golden_version; then
	golden inspect-bookworm.txt "$out" "text report of bookworm's ROMs matches the golden file"
	run inspect --json - "$ROMDIR/efi-e1000.rom"
	golden inspect-efi-e1000.json "$out" "JSON report of bookworm's efi-e1000.rom matches the golden file"
	like "$out" '"length": 75264' "legacy image of 75264 bytes"
	like "$out" '"length": 174592' "EFI image of 174592 bytes"
else
	skip "installed ipxe-qemu is not $IPXE_GOLDEN_VERSION: golden text report"
	skip "installed ipxe-qemu is not $IPXE_GOLDEN_VERSION: golden JSON report"
	skip "installed ipxe-qemu is not $IPXE_GOLDEN_VERSION: legacy image length"
	skip "installed ipxe-qemu is not $IPXE_GOLDEN_VERSION: EFI image length"
fi

if command -v jq >/dev/null 2>&1; then
	run inspect --json - "$ROMDIR"
	n_files=$(ls "$ROMDIR"/*.rom | wc -l)
	is "$(printf '%s' "$out" | jq '.inputs[0].files | length')" "$n_files" "JSON lists every *.rom file"
	is "$(printf '%s' "$out" | jq '[.inputs[0].files[] | .bucket >= .size] | all')" "true" \
		"every bucket holds its file"
else
	skip "jq is not installed: JSON structure checks"
	skip "jq is not installed: JSON bucket checks"
fi

deb=$(deb_with_roms)
run inspect "$deb"
is "$rc" 0 "inspect of a .deb exits 0"
like "$out" "^$deb: \.deb package, [0-9]+ ROM files" "the .deb's ROMs are listed"
like "$out" "member   usr/share/qemu/efi-e1000.rom" "with the member they come from"
run inspect "$ROMDIR"
dir_sizes=$(printf '%s\n' "$out" | grep -E '^[a-z].*\.rom ')
run inspect "$deb"
is "$(printf '%s\n' "$out" | grep -E '^[a-z].*\.rom ')" "$dir_sizes" "the .deb read in place gives the same files and sizes as the directory"

# --- bad inputs: one line naming the input, exit 2, the good input still reported ---
bad_input() { # DESCRIPTION PATH EXPECTED-REGEX
	run inspect "$ROMDIR/efi-e1000.rom" "$2"
	is "$rc" 2 "$1: exit 2"
	like "$err" "^romcompat: error: .*$(basename "$2").*$3" "$1: the error names it"
	is "$(lines "$err")" 1 "$1: exactly one error line"
	like "$out" "efi-e1000.rom +249856 bytes|efi-e1000.rom +[0-9]+ bytes" "$1: the good input is still reported"
}
bad_input "nonexistent path" "$T/no-such-dir" "no such file or directory"
bad_input "directory without ROMs" "$(empty_dir)" "no \*\.rom files"
bad_input "not a ROM" "$(not_a_rom)" "not a PCI option ROM"
bad_input "truncated ROM" "$(truncated_rom)" "truncated"
bad_input ".deb without ROMs" "$(deb_without_roms)" "no \*\.rom file"
bad_input "corrupt .deb" "$(corrupt_deb)" "corrupt \.deb"

run inspect "$(truncated_rom)"
like "$out" "image .*run past the end of the file" "a truncated ROM still shows what was parsed"

if can_test_unreadable; then
	dir=$(unreadable_dir)
	run_unreadable inspect "$dir"
	is "$rc" 2 "unreadable file: exit 2"
	like "$err" "^romcompat: error: cannot read the ROM file $dir/efi-e1000.rom: Permission denied; make it readable" \
		"unreadable file: the error names it and the cause"
	is "$(lines "$err")" 1 "unreadable file: exactly one error line"
	like "$out" "efi-e1000e.rom +249856 bytes|efi-e1000e.rom +[0-9]+ bytes" \
		"unreadable file: the other files are still reported"
else
	for i in 1 2 3 4; do skip "cannot make a file unreadable here (root without setpriv)"; done
fi

# --- a metapackage: no files of its own, the error names what it depends on ---
if command -v dpkg-deb >/dev/null; then
	mkdir -p "$T/meta/DEBIAN"
	printf 'Package: ovmf\nVersion: 1.0\nArchitecture: all\nMaintainer: x <x@x>\nDepends: ovmf-generic\nDescription: meta\n meta\n' \
		>"$T/meta/DEBIAN/control"
	dpkg-deb --build "$T/meta" "$T/meta.deb" >/dev/null 2>&1
	run inspect "$T/meta.deb"
	is "$rc:$(lines "$err")" "2:1" "a metapackage: exit 2, one error line"
	like "$err" "holds no \\*\\.rom file .*\\(it depends on ovmf-generic\\)" "the line names the package it depends on"
else
	skip "dpkg-deb not installed" 2
fi

# --- usage ---
run inspect
is "$rc" 2 "no path: usage error, exit 2"
like "$err" "give at least one" "no path: says what is missing"
run inspect --frobnicate "$ROMDIR"
is "$rc" 2 "unknown option: exit 2"

plan "$_tap_n"
