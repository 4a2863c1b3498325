#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# combine.t - romcompat combine and split on real iPXE drivers (the built/
# folder of the shared iPXE fixtures): the sizes of Opt1 (x86 legacy + x64
# + arm64 = 410,112 B, 512 KiB bucket), the same bytes as iPXE's
# catrom.pl, split giving back the inputs byte for byte, every refusal one
# line; and a malformed build (an efi-*.rom without an EFI image, a chain
# that says another image follows where none does, trailing bytes that are
# not padding) getting its own verdict in diff, check and bisect, never a
# bucket verdict.
. "$(dirname "$0")/lib.sh"

FIX=${ROMCOMPAT_IPXE_FIXTURES:-}
for d in "$SRCDIR/../shared/fixtures/ipxe" "$SRCDIR/../../shared/fixtures/ipxe"; do
	[ -z "$FIX" ] && [ -d "$d/built" ] && FIX=$(cd "$d" && pwd)
done
[ -n "$FIX" ] || skip_all "no iPXE fixtures (../shared/fixtures/ipxe beside the clone, or ROMCOMPAT_IPXE_FIXTURES)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 44

B=$FIX/built
LEG=$B/x86-legacy-8086100e.rom
X64=$B/x86_64-efi-8086100e.efirom
A64=$B/arm64-efi-8086100e.efirom
RV=$B/riscv64-efi-8086100e.efirom
size() { stat -c %s "$1" 2>/dev/null || echo none; }
lines() { printf '%s\n' "$1" | grep -c .; }

# Opt1: legacy + x64 + arm64.
run combine -o "$T/opt1.rom" "$LEG" "$X64" "$A64"
is "$rc:$(size "$T/opt1.rom")" "0:410112" "legacy + x64 + arm64: exit 0, 410,112 bytes"
like "$out" "opt1.rom: 3 images, 410112 bytes .*bucket 512 KiB" "the verdict line names the size and the 512 KiB bucket"
like "$out" "EFI aarch64 \(0xAA64\)" "the table names each image's machine type"

run inspect "$T/opt1.rom"
types=$(printf '%s\n' "$out" | sed -n 's/^ *[0-9] *0x[0-9a-f]* .*bytes ([0-9.]* KiB)  \(x86 legacy\|EFI [a-z0-9]*\) .*/\1/p' | tr '\n' ,)
is "$rc:$types" "0:x86 legacy,EFI x64,EFI aarch64," "inspect lists three images: x86 legacy, EFI x64, EFI aarch64"
like "$out" "EFI aarch64 .*last image" "only the third image is flagged last"
like "$(printf '%s\n' "$out" | grep 'x86 legacy')" "checksum ok" "the legacy checksum was fixed with the flag"

run combine -q --json - -o "$T/opt1-json.rom" "$LEG" "$X64" "$A64"
is "$(printf '%s' "$out" | jq -r '[.images[].efi_machine_type] | map(tostring) | join(",")')" "null,34404,43620" \
	"--json -: machine types 0x8664 and 0xAA64, nothing else on standard output"
is "$(printf '%s' "$out" | jq -r '[.size, .bucket, .fits, ([.images[].last] | map(tostring) | join("/"))] | join(" ")')" \
	"410112 524288 true false/false/true" "--json: size, bucket, the last-image flags"
is "$(cmp "$T/opt1.rom" "$T/opt1-json.rom" && echo same)" same "--json does not change the ROM"

# The same bytes as iPXE's own util/catrom.pl, when perl and the source bundle are here.
if command -v perl >/dev/null && [ -r "$FIX/ipxe-src.bundle" ] &&
	git clone -q "$FIX/ipxe-src.bundle" "$T/ipxe" 2>/dev/null; then
	perl "$T/ipxe/src/util/catrom.pl" "$LEG" "$X64" "$A64" >"$T/catrom.rom"
	is "$(cmp "$T/catrom.rom" "$T/opt1.rom" && echo same)" same "byte for byte what catrom.pl makes"
else
	skip "perl or the iPXE source bundle missing: catrom.pl cannot be run"
fi

run combine -o "$T/opt1-rv.rom" "$LEG" "$X64" "$A64" "$RV"
is "$rc:$(size "$T/opt1-rv.rom")" "0:594944" "+ riscv64: 594,944 bytes"
like "$out" "bucket 1 MiB" "+ riscv64: the 1 MiB bucket"
run combine -o "$T/today.rom" "$LEG" "$X64"
is "$rc:$(size "$T/today.rom")" "0:241664" "legacy + x64 (as ipxe-qemu ships): 241,664 bytes"
like "$out" "bucket 256 KiB" "legacy + x64: the 256 KiB bucket"

# A multi-image input contributes its images.
run combine -o "$T/opt1-again.rom" "$T/today.rom" "$A64"
is "$rc:$(cmp "$T/opt1-again.rom" "$T/opt1.rom" && echo same)" "0:same" "a combined ROM as input gives its images: the same Opt1"

# diff: the installed set against one with the combined efi-e1000.rom.
mkdir "$T/set"
cp "$ROMDIR"/*.rom "$T/set/"
cp "$T/opt1.rom" "$T/set/efi-e1000.rom"
run diff "$ROMDIR" "$T/set"
is "$rc" 1 "diff installed -> Opt1 set: exit 1"
like "$out" "efi-e1000.rom: 256 KiB -> 512 KiB" "diff names the 256 KiB -> 512 KiB move"

# split gives back the inputs byte for byte.
run split -o "$T/parts" "$T/opt1-rv.rom"
is "$rc:$(cd "$T/parts" 2>/dev/null && ls | tr '\n' ' ')" \
	"0:arm64-efi.efirom riscv64-efi.efirom x86-legacy.rom x86_64-efi.efirom " "split: one file per image, named by kind"
same=0
for pair in "x86-legacy.rom:$LEG" "x86_64-efi.efirom:$X64" "arm64-efi.efirom:$A64" "riscv64-efi.efirom:$RV"; do
	cmp -s "$T/parts/${pair%%:*}" "${pair#*:}" && same=$((same + 1))
done
is "$same" 4 "split of combine: each input back byte for byte (flag and checksum restored)"
echo keep >"$T/keep"
cp "$T/keep" "$T/parts/x86-legacy.rom"
run split -o "$T/parts" "$T/opt1-rv.rom"
is "$rc:$(lines "$err")" "2:1" "split over existing files: exit 2, one line"
like "$err" "^romcompat: error: .*x86-legacy.rom exists" "the error names the file"
is "$(cmp "$T/parts/x86-legacy.rom" "$T/keep" && echo kept)" kept "the existing file is not touched"
run split -o "$T/parts2" --json - "$T/opt1.rom"
is "$(printf '%s' "$out" | jq -r '[.images[].file] | join(" ")')" "x86-legacy.rom x86_64-efi.efirom arm64-efi.efirom" \
	"split --json -: the file of each image"
run split -o "$T/parts3" "$T/set/pxe-e1000.rom"
is "$rc:$(cmp "$T/parts3/x86-legacy.rom" "$ROMDIR/pxe-e1000.rom" && echo same)" "0:same" "split of a one-image ROM: the image itself"

# Refusals: one line, exit 2, nothing written.
printf 'MZ\220\0' >"$T/ipxe.efi"
head -c 8192 /dev/zero >>"$T/ipxe.efi"
refuse() { # refuse DESCRIPTION REGEX ARGS...
	_d=$1 _re=$2
	shift 2
	run combine -o "$T/refused.rom" "$@"
	like "$rc:$(lines "$err"):$(size "$T/refused.rom"):$err" "^2:1:none:romcompat: error: .*$_re" "$_d"
}
refuse "a bare PE .efi: exit 2, one line naming .efirom" "ipxe.efi: a bare PE file.*efirom" "$LEG" "$T/ipxe.efi"
refuse "a file that is no ROM: exit 2, one line" "keep: not a PCI option ROM" "$T/keep" "$X64"
refuse "a second x64 image: exit 2, one line" "a second EFI x64 .*one image per architecture" "$X64" "$T/today.rom"
refuse "e1000 and virtio-net images: exit 2, one line naming both ids" "1af4:1000.*8086:100e" "$LEG" "$B/x86_64-efi-1af41000.efirom"

# Targets: --bucket and --like.
run combine --bucket 256K -o "$T/big.rom" "$LEG" "$X64" "$A64"
is "$rc:$(size "$T/big.rom")" "1:none" "--bucket 256K with three images: exit 1, nothing written"
like "$out" "need 410112 bytes .*147968 bytes more than the 256 KiB bucket" "the excess is named"
run combine --like "$ROMDIR/efi-e1000.rom" -o "$T/like.rom" "$LEG" "$X64"
is "$rc:$(size "$T/like.rom")" "0:262144" "--like the installed efi-e1000.rom: padded to 256 KiB"
is "$(cmp -n 241664 "$T/like.rom" "$T/today.rom" && echo same):$(tail -c 8 "$T/like.rom" | od -An -tx1 | tr -d ' \n')" \
	"same:ffffffffffffffff" "the images unchanged, padded with 0xFF"
run combine --like "$ROMDIR/efi-e1000.rom" -o "$T/like3.rom" "$LEG" "$X64" "$A64"
is "$rc:$(size "$T/like3.rom")" "1:none" "--like with three images: exit 1, nothing written"

# A malformed build: its own verdict, exit 2, never a bucket verdict.
mkdir "$T/noefi" "$T/chain" "$T/trail" "$T/zeros"
cp "$ROMDIR"/*.rom "$T/noefi/" && cp "$LEG" "$T/noefi/efi-e1000.rom"
run diff "$ROMDIR" "$T/noefi"
is "$rc:$(lines "$err")" "2:1" "diff: an efi-*.rom without an EFI image: exit 2, one error line"
like "$(printf '%s\n' "$out" | grep '^efi-e1000.rom')" "MALFORMED BUILD" "its verdict is a malformed build"
like "$err" "efi-e1000.rom: malformed build: .*without an EFI image" "the error says why"
like "$out" "^pxe-e1000.rom .*same bucket" "a pxe-*.rom rightly has no EFI image"
cp "$ROMDIR"/*.rom "$T/chain/" && head -c 73216 "$T/today.rom" >"$T/chain/efi-e1000.rom"
run diff "$ROMDIR" "$T/chain"
like "$rc:$err" "^2:.*malformed build: image 1 .*not flagged as the last image" \
	"diff: a chain that says another image follows where none does: exit 2, said so"
is "$(printf '%s\n' "$out" | grep -c 'SHRINKS\|GROWS')" 0 "no bucket verdict for it"
cp "$ROMDIR"/*.rom "$T/trail/"
printf 'garbage after the last image %.0s' $(seq 200) >>"$T/trail/efi-e1000.rom"
run diff "$ROMDIR" "$T/trail"
like "$rc:$(printf '%s\n' "$out" | grep '^efi-e1000.rom'):$err" "^2:.*MALFORMED BUILD.*not padding" \
	"diff: trailing bytes that are no repeated fill byte: a malformed build, exit 2"
cp "$ROMDIR"/*.rom "$T/zeros/"
head -c 4096 /dev/zero >>"$T/zeros/efi-e1000.rom"
run diff "$ROMDIR" "$T/zeros"
is "$rc" 0 "0x00 padding is padding: no malformed verdict"

C=(--machines pc-q35-7.2 --nics e1000 --direction old-to-new --old "$ROMDIR")
if have_qemu; then
	run check "${C[@]}" --new "$T/noefi" --json "$T/check.json"
	is "$rc:$(jq -r '.cases[0] | .verdict + " " + .kind' "$T/check.json")" "2:error malformed-rom" \
		"check: the malformed ROM's case is an error of kind malformed-rom, exit 2"
	like "$(jq -r '.cases[0].message' "$T/check.json"):$(printf '%s\n' "$out" | grep '^QEMU pairs')" "without an EFI image.*:QEMU pairs: 0 " \
		"check: the reason is the case's message, and no QEMU ran for it"
	run bisect -q "${C[@]}" --new "$T/chain"
	like "$rc:$out" "^125:bisect: cannot test: .*malformed build" "bisect: a malformed build is 125, with the reason"
else
	for _ in 1 2 3; do skip "qemu-system-x86_64 not installed"; done
fi
