#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# opt1-opt2.sh - the two ways of shipping arm64/riscv64/loong64 EFI drivers
# in ipxe-qemu, checked by real migrations:
#   Opt1: one ROM per NIC, every architecture's EFI driver in it;
#   Opt2: per-architecture ROM directories, the x86 ROMs left as they are.
# The extra drivers are stand-ins: each ROM's own x64 EFI image, appended
# once per architecture with that architecture's EFI machine type and the
# PCIR "last image" flags rewritten, so the image chain is what a combined
# ROM would be (romcompat inspect shows it).  Their size is the x64
# driver's; real ones are of the same order.
#
#   scripts/opt1-opt2.sh [OUTDIR]     (default: a temporary directory)
#   X86_MACHINES=GLOBS ARM_MACHINES=GLOBS  narrow the matrices
#   (default: every versioned x86_64 machine type; virt-* on aarch64)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
romdir=${ROMDIR:-/usr/lib/ipxe/qemu}
out=${1:-}
command -v jq >/dev/null || { echo "opt1-opt2: jq is needed (scripts/setup.sh installs it)" >&2; exit 2; }
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-opt.XXXXXX")
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out/opt1" "$out/opt2/x86_64" "$out/opt2/aarch64"

# put_u16 FILE OFFSET VALUE: little-endian 16-bit write in place.
put_u16() { printf "$(printf '\\%03o\\%03o' $(($3 & 255)) $(($3 >> 8)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
get_u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
get_u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
put_u8() { printf "$(printf '\\%03o' "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }

for f in "$romdir"/efi-*.rom; do
	name=$(basename "$f")
	read -r off len < <("$romcompat" inspect --json - "$f" |
		jq -r '[.. | objects | select(.code_type_name? == "EFI")] | last | "\(.offset) \(.length)"')
	# The ROM without trailing padding, and its x64 EFI image.
	head -c $((off + len)) "$f" >"$out/opt1/$name"
	tail -c +$((off + 1)) "$f" | head -c "$len" >"$out/efi.img"
	pcir=$(get_u16 "$out/efi.img" $((0x18)))
	last=$(get_u8 "$out/efi.img" $((pcir + 0x15)))
	put_u8 "$out/opt1/$name" $((off + pcir + 0x15)) $((last & 0x7f))
	n=0
	for machine in 0xAA64 0x5064 0x6264; do     # aarch64, riscv64, loongarch64
		n=$((n + 1))
		cp "$out/efi.img" "$out/arch.img"
		put_u16 "$out/arch.img" $((0x0A)) $((machine))
		[ $n -lt 3 ] && put_u8 "$out/arch.img" $((pcir + 0x15)) $((last & 0x7f))
		cat "$out/arch.img" >>"$out/opt1/$name"
		# Opt2: the aarch64 directory has the aarch64 driver alone.
		if [ "$machine" = 0xAA64 ]; then
			cp "$out/arch.img" "$out/opt2/aarch64/$name"
			put_u8 "$out/opt2/aarch64/$name" $((pcir + 0x15)) $((last | 0x80))
		fi
	done
	cp "$f" "$out/opt2/x86_64/$name"
done
rm -f "$out/efi.img" "$out/arch.img"
# The pxe-*.rom files (i8255x loads pxe-eepro100.rom everywhere) stay as
# they are in every layout.
cp "$romdir"/pxe-*.rom "$out/opt1/"
cp "$romdir"/pxe-*.rom "$out/opt2/x86_64/"
cp "$romdir"/pxe-*.rom "$out/opt2/aarch64/"

echo "== One combined ROM (Opt1): efi-e1000.rom"
"$romcompat" inspect "$out/opt1/efi-e1000.rom" | sed -n '1,12p'
echo
run() {
	echo "== $1"
	shift
	"$romcompat" check "$@" | grep -E '^[0-9]+ cases|^evidence|^(in)?compatible|^  efi|^Failures' || true
	echo
}
X=(--machines "${X86_MACHINES:-pc-i440fx-*;pc-q35-*}")
run "Opt1, x86_64: installed ROMs -> combined ROMs" "${X[@]}" --old "$romdir" --new "$out/opt1"
# Padding can only cut the bytes after the last image: it cannot save Opt1.
echo "== Can padding or trimming fit Opt1 into the old buckets?"
"$romcompat" pad --like "$romdir" "$out/opt1" | grep -E '^efi-e1000.rom|cannot' || true
echo
run "Opt2, x86_64: installed ROMs -> the x86_64 directory" "${X[@]}" \
	--old "$romdir" --new "$out/opt2/x86_64"
if command -v qemu-system-aarch64 >/dev/null; then
	A="--old-qemu qemu-system-aarch64 --new-qemu qemu-system-aarch64 --machines ${ARM_MACHINES:-virt-*}"
	run "Opt1, aarch64 virt: installed ROMs -> combined ROMs" $A --old "$romdir" --new "$out/opt1"
	run "Opt2, aarch64 virt: installed ROMs -> the aarch64 directory" $A --old "$romdir" \
		--new "$out/opt2/aarch64"
fi
