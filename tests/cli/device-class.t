#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# device-class.t - `romcompat check --device-class nic|display|firmware` on
# real QEMU: a VGA BIOS grown past 64 KiB fails on the VGA's ROM block,
# named as QEMU names it; a -bios image 64 KiB longer fails on pc.bios with
# QEMU's own line; the default classes are those the sets hold files of; a
# class with nothing to check exits 2 with one line; JSON cases carry class
# and device, NIC cases still their nic; merge reads display reports and
# reports written before there were classes; --static predicts the bucket
# of a display ROM and the exact size of a firmware image.
. "$(dirname "$0")/lib.sh"

SEABIOS=/usr/share/seabios
have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -f "$SEABIOS/bios-256k.bin" ] && [ -f "$SEABIOS/vgabios-stdvga.bin" ] ||
	skip_all "seabios is not installed (scripts/setup.sh installs it)"
[ -f "$ROMDIR/efi-e1000.rom" ] || skip_all "ipxe-qemu is not installed (scripts/setup.sh installs it)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 49

export TMPDIR=$T/tmp
M=pc-i440fx-7.2,pc-q35-7.2
mkdir "$TMPDIR" "$T/old" "$T/new" "$T/nic-old" "$T/nic-new"
before=$(cd "$SEABIOS" && sha256sum -- bios-256k.bin vgabios-stdvga.bin)

# The old set: the installed VGA BIOS and -bios image; the new one: the VGA
# BIOS grown to 70000 bytes (64 KiB -> 128 KiB block), the image 64 KiB longer.
cp "$SEABIOS/vgabios-stdvga.bin" "$SEABIOS/bios-256k.bin" "$T/old/"
grow_rom "$SEABIOS/vgabios-stdvga.bin" "$T/new/vgabios-stdvga.bin" 70000
size=$(stat -c %s "$SEABIOS/bios-256k.bin")
cp "$SEABIOS/bios-256k.bin" "$T/new/"
head -c 65536 /dev/zero >>"$T/new/bios-256k.bin"

# Display: each machine type x VGA x direction, a VGA-class device a pair.
run check --old "$T/old" --new "$T/new" --machines "$M" --device-class display --json "$T/display.json"
is "$rc" 1 "display: the grown VGA BIOS fails: exit 1"
is "$(jq -r '[.cases[] | .class] | unique | join(",")' "$T/display.json")" display "only display cases"
is "$(jq -r '.cases | length' "$T/display.json")" 4 "2 machine types x VGA x 2 directions"
is "$(jq -r '[.cases[] | .device] | unique | join(",")' "$T/display.json")" VGA \
	"the device is the display model (the only display ROM the sets hold)"
is "$(jq -r '[.cases[] | select(has("nic"))] | length' "$T/display.json")" 0 "a display case has no nic member"
is "$(jq -r '[.cases[] | .verdict] | unique | join(",")' "$T/display.json")" fail "every case fails"
is "$(jq -r '[.cases[] | select(.evidence != "failed-alone" and .evidence != "attributed")] | length' \
	"$T/display.json")" 0 "evidence: failed alone or attributed, never weaker"
block=$(jq -r '.cases[0].block' "$T/display.json")
like "$block" '^0000:00:[0-9a-f]{2}\.0/vga\.rom$' "the block is VGA's ROM block, as QEMU lists it ($block)"
like "$(jq -r '.cases[0].message' "$T/display.json")" "^Size mismatch: ${block//./\\.}: 0x10000 != 0x20000" \
	"the message is QEMU's own line: 64 KiB against 128 KiB"

# Firmware: each machine type's pc.bios from bios-256k.bin, in a pair of its own.
run check --old "$T/old" --new "$T/new" --machines "$M" --device-class firmware --json "$T/firmware.json" \
	--junit "$T/firmware.xml" --tap "$T/firmware.tap"
is "$rc" 1 "firmware: the longer -bios image fails: exit 1"
is "$(jq -r '[.cases[] | "\(.class) \(.device) \(.romfile)"] | unique | join(",")' "$T/firmware.json")" \
	"firmware pc.bios bios-256k.bin" "firmware cases: the pc.bios block and its image"
is "$(jq -r '[.cases[] | .block] | unique | join(",")' "$T/firmware.json")" pc.bios "every case fails on pc.bios"
is "$(jq -r '[.cases[] | .evidence] | unique | join(",")' "$T/firmware.json")" failed-alone \
	"failed alone: the image is the only difference"
is "$(jq -r '.cases[] | select(.machine == "pc-q35-7.2" and .direction == "old-to-new") | .message' \
	"$T/firmware.json")" "$(printf 'Size mismatch: pc.bios: 0x%x != 0x%x: Invalid argument' "$size" $((size + 65536)))" \
	"QEMU's own line, the image's exact sizes"
like "$(cat "$T/firmware.tap")" "not ok [0-9]+ - pc-q35-7\.2 pc\.bios\(bios-256k\.bin\) old-to-new" \
	"TAP names the case by block and image"
like "$(cat "$T/firmware.xml")" 'name="pc\.bios\(bios-256k\.bin\) new-to-old"' "JUnit names it the same way"

# A file only one set holds: the other side's QEMU loads its own (the
# installed VGA BIOS, the installed bios-256k.bin, whose size its catalog has).
mkdir "$T/only-bios" "$T/only-vga"
cp "$SEABIOS/bios-256k.bin" "$T/only-bios/"
cp "$T/new/vgabios-stdvga.bin" "$T/only-vga/"
run check --old "$T/only-bios" --new "$T/only-vga" --machines pc-q35-7.2 --json "$T/own.json"
is "$rc" 1 "the grown VGA BIOS only in the new set still fails: exit 1"
is "$(jq -c '[.cases[] | select(.direction == "old-to-new") | [.class, .verdict, .evidence]]' "$T/own.json")" \
	'[["display","fail","failed-alone"],["firmware","pass","migrated"]]' \
	"VGA against the old host's own BIOS fails alone; pc.bios against the new host's own image migrates"
like "$(jq -r '.cases[] | select(.class == "display" and .direction == "old-to-new") | .message' "$T/own.json")" \
	"^Size mismatch: 0000:00:[0-9a-f]{2}\.0/vga\.rom: 0x10000 != 0x20000" "QEMU's own line: the installed 64 KiB block against 128 KiB"
is "$(jq -r '.cases[] | select(.class == "firmware") | .predicted' "$T/own.json" | sort -u)" pass \
	"the firmware prediction takes the missing side's size from its catalog"

# OVMF: OVMF.fd as -bios (pc.bios) and OVMF_CODE.fd as the pflash code unit
# (system.flash0), each 64 KiB longer on the new side; an image only one set
# holds is not compared (a VM names it: both hosts must have it).
if [ -r /usr/share/ovmf/OVMF.fd ] && [ -r /usr/share/OVMF/OVMF_CODE.fd ]; then
	mkdir "$T/ovmf-old" "$T/ovmf-new"
	cp /usr/share/ovmf/OVMF.fd /usr/share/OVMF/OVMF_CODE.fd "$T/ovmf-old/"
	cp "$T/ovmf-old/OVMF.fd" "$T/ovmf-old/OVMF_CODE.fd" "$T/ovmf-new/"
	head -c 65536 /dev/zero >>"$T/ovmf-new/OVMF.fd"
	head -c 65536 /dev/zero >>"$T/ovmf-new/OVMF_CODE.fd"
	cp /usr/share/OVMF/OVMF_VARS.fd "$T/ovmf-new/OVMF_CODE_4M.fd"
	run check --old "$T/ovmf-old" --new "$T/ovmf-new" --machines pc-q35-7.2 --direction old-to-new --json "$T/ovmf.json"
	is "$rc" 1 "OVMF.fd and OVMF_CODE.fd 64 KiB longer: exit 1"
	is "$(jq -c '[.cases[] | [.device, .romfile, .evidence]]' "$T/ovmf.json")" \
		'[["pc.bios","OVMF.fd","failed-alone"],["system.flash0","OVMF_CODE.fd","failed-alone"]]' \
		"-bios OVMF.fd fails on pc.bios, the pflash code image on system.flash0, each alone (OVMF_CODE_4M.fd, only in the new set, is not compared)"
	like "$(jq -r '.cases[1].message' "$T/ovmf.json")" \
		"$(printf '^Size mismatch: system\\.flash0: 0x%x != 0x%x' "$(stat -c %s "$T/ovmf-old/OVMF_CODE.fd")" \
			"$(stat -c %s "$T/ovmf-new/OVMF_CODE.fd")")" "QEMU's own line for the flash block"
else
	skip "ovmf is not installed (scripts/setup.sh installs it)" 3
fi

# The default: every class the sets hold files of.
cp "$ROMDIR/efi-e1000.rom" "$T/old/"
cp "$ROMDIR/efi-e1000.rom" "$T/new/"
run check --old "$T/old" --new "$T/new" --machines pc-q35-7.2 --nics e1000 --json "$T/all.json"
is "$rc" 1 "default classes with a NIC ROM, a display ROM and a -bios image: exit 1"
is "$(jq -r '[.cases[] | .class] | unique | join(",")' "$T/all.json")" "display,firmware,nic" \
	"the default runs every class the sets hold"
is "$(jq -r '[.cases[] | select(.class == "nic") | .nic == .device] | unique | join(",")' "$T/all.json")" true \
	"a NIC case keeps its nic member, the same as its device"
is "$(jq -r '[.cases[] | select(.class == "nic") | .verdict] | unique | join(",")' "$T/all.json")" pass \
	"the NIC, whose ROM is the same, migrates beside the failing VGA"
is "$(jq -r '[.cases[] | select(.class == "display") | .evidence] | unique | join(",")' "$T/all.json")" \
	failed-alone "the VGA fails alone in its shared pair: QEMU names its block"
rm "$T/old/efi-e1000.rom" "$T/new/efi-e1000.rom"
run check --old "$T/old" --new "$T/new" --machines pc-q35-7.2 --static --json -
is "$(printf '%s' "$out" | jq -r '[.cases[] | .class] | unique | join(",")')" "display,firmware" \
	"sets without a NIC ROM: no NIC class by default"

# A class with nothing to check.
run check --old "$T/old" --new "$T/new" --machines pc-q35-7.2 --device-class nic --static
is "$rc" 2 "--device-class nic with sets that hold no NIC ROM: exit 2"
is "$(printf '%s\n' "$err" | wc -l)" 1 "one line"
like "$err" "device class nic: nothing to check .* holds 0 NIC ROMs, 1 display ROMs, 1 firmware images" \
	"it names the class and what the sets hold"
run check --old "$T/old" --new "$T/new" --device-class gpu --static
is "$rc" 2 "--device-class gpu: exit 2"
like "$err" "^romcompat: error: --device-class: 'gpu' is not a device class \(nic, display, firmware\)$" \
	"it names the value and the classes"

run check --old "$T/old" --new "$T/new" --device-class display --backend libvirt
is "$rc" 2 "--device-class display with --backend libvirt (NICs only): exit 2"
like "$err" "^romcompat: error: --backend libvirt checks NIC ROMs only, not device class display; use the direct backend for display and firmware$" \
	"one line saying which backend runs them"

# The scenario key, and --static: a display ROM by its bucket, firmware by exact size.
grow_rom "$SEABIOS/vgabios-stdvga.bin" "$T/new/vgabios-stdvga.bin" 50000
cat >"$T/s.ini" <<EOF
[old]
roms = $T/old
[new]
roms = $T/new
[matrix]
machines = pc-q35-7.2
device-classes = display;firmware
EOF
run check "$T/s.ini" --static --json "$T/static.json"
is "$rc" 1 "--static: exit 1"
is "$(jq -r '.cases[] | select(.class == "display") | .verdict' "$T/static.json" | sort -u)" pass \
	"a VGA BIOS grown within its 64 KiB bucket is predicted to pass"
is "$(jq -r '.cases[] | select(.class == "firmware") | .verdict' "$T/static.json" | sort -u)" fail \
	"a -bios image of another size is predicted to fail"
like "$(jq -r '.cases[] | select(.class == "firmware") | .message' "$T/static.json" | head -1)" \
	"bios-256k\.bin: pc\.bios is $(printf '0x%x' "$size") \(old\) and $(printf '0x%x' $((size + 65536))) \(new\), the file's exact size" \
	"the prediction names the exact sizes"

# merge: a display report, and a NIC report written before there were classes.
run merge --json "$T/merged.json" "$T/display.json"
is "$rc" 1 "merge of a display report: exit 1"
is "$(jq -c '[.cases[] | [.class, .device, has("nic")]] | unique' "$T/merged.json")" '[["display","VGA",false]]' \
	"the merged report keeps class and device"
is "$(jq -r '.matrix.digest' "$T/merged.json")" "$(jq -r '.matrix.digest' "$T/display.json")" "and the digest"
run check --old "$ROMDIR" --new "$ROMDIR" --machines pc-q35-7.2 --nics e1000 --static --json "$T/nic.json"
# (sed, not jq: jq would rewrite the times, which merge checks against the summary)
sed '/^ *"class": "nic",$/d; /^ *"device": "e1000",$/d' "$T/nic.json" >"$T/old-format.json"
run merge --json "$T/remerged.json" "$T/old-format.json"
is "$rc" 0 "a report without class or device merges"
is "$(jq -c '[.cases[] | [.class, .device, .nic]] | unique' "$T/remerged.json")" '[["nic","e1000","e1000"]]' \
	"its cases read back as NIC cases"
jq '.cases[0].nic = "VGA" | .cases[0].class = "display"' "$T/display.json" >"$T/display-nic.json"
run merge "$T/display-nic.json"
is "$rc" 2 "a display case with a nic member: exit 2"
like "$err" 'display-nic\.json: \$\.cases\[0\]: only a NIC case has a nic member' "the JSON path is named"

is "$(cd "$SEABIOS" && sha256sum -- bios-256k.bin vgabios-stdvga.bin)" "$before" "the installed files are untouched"
is "$(qemu_left "$T")" 0 "no QEMU left running"
