#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# opt1-opt2.sh - the two ways of shipping arm64/riscv64/loong64 EFI drivers
# in ipxe-qemu, checked by real migrations on x86_64 and aarch64 (and
# riscv64 when there are riscv64 drivers):
#   Opt1: one ROM per NIC, x86 legacy + x64 + every other architecture's
#         EFI driver in it (romcompat combine);
#   Opt2: per-architecture ROM directories, the x86 ROMs left as they are,
#         the aarch64 directory holding each NIC's arm64 driver alone (the
#         riscv64 one its riscv64 driver alone).
#
#   scripts/opt1-opt2.sh --drivers DIR [--arches LIST] [--map ROM=PCIID]... [OUTDIR]
#   scripts/opt1-opt2.sh [OUTDIR]          stand-ins (see below)
#
# DIR holds real iPXE builds named as iPXE's build directories name them,
# <arch>-<pciid>.<ext>: x86-legacy-8086100e.rom (bin/8086100e.rom),
# x86_64-efi-8086100e.efirom, arm64-efi-8086100e.efirom,
# riscv64-efi-8086100e.efirom, loong64-efi-8086100e.efirom, where <pciid>
# is the vendor and device ID (lower-case hex) of the installed ROM's
# first image, or the one --map gives: the installed efi-virtio.rom says
# 1af4:1041 (virtio-net's modern ID) while iPXE's virtio-net build is
# bin/1af41000.rom, so --map efi-virtio.rom=1af41000 pairs them.  A NIC whose ID has files in DIR needs the first three;
# riscv64 and loong64 join Opt1 when DIR has them (--arches arm64 leaves
# them out; --arches arm64,riscv64 names them).  A ROM whose ID has no
# file in DIR stays the installed file in every layout, as do pxe-*.rom.
#
# Without --drivers the extra drivers are stand-ins: each ROM's own x64
# EFI image, appended once per architecture with that architecture's EFI
# machine type and the PCIR "last image" flags rewritten, uncompressed
# and so larger than real drivers; every line of output then starts with
# "stand-in:".
#
#   X86_MACHINES=GLOBS ARM_MACHINES=GLOBS RISCV_MACHINES=GLOBS  narrow the
#   matrices (default: every versioned x86_64 machine type; virt-* on
#   aarch64; on riscv64 what check selects there, virt)
#   OUTDIR keeps the layouts (default: a temporary directory, removed)
#   Exit status: 0 every matrix gave its verdict (the verdicts are in the
#   output), 2 bad input (a mistyped X86_MACHINES glob too), 3 a matrix
#   gave none (QEMU could not run it).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
romdir=${ROMDIR:-/usr/lib/ipxe/qemu}
drivers=
arches=
out=
declare -A map=()
worst=0 # the exit status of a check that gave no verdict (2, 3): the script's

usage() { sed -n '10,11p' "$0" | sed 's/^#  */usage: /'; }
die() { echo "opt1-opt2: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--drivers) [ $# -ge 2 ] || die "--drivers needs a directory"; drivers=$2; shift ;;
	--drivers=*) drivers=${1#*=} ;;
	--arches) [ $# -ge 2 ] || die "--arches needs a list, e.g. arm64,riscv64"; arches=$2; shift ;;
	--arches=*) arches=${1#*=} ;;
	--map) [ $# -ge 2 ] || die "--map needs ROM=PCIID"; map[${2%%=*}]=${2#*=}; shift ;;
	--map=*) v=${1#*=}; map[${v%%=*}]=${v#*=} ;;
	-h | --help) usage; exit 0 ;;
	-*) die "unknown option '$1'; see --help" ;;
	*) [ -z "$out" ] || die "one OUTDIR only ('$out', '$1')"; out=$1 ;;
	esac
	shift
done
command -v jq >/dev/null || die "jq is needed (scripts/setup.sh installs it)"
[ -z "$drivers" ] || [ -d "$drivers" ] || die "--drivers $drivers: not a directory; give a directory of <arch>-<pciid>.rom/.efirom builds"
[ -n "$drivers" ] || [ -z "$arches${map[*]}" ] || die "--arches and --map need --drivers"
for k in "${!map[@]}"; do
	[[ ${map[$k]} =~ ^[0-9a-f]{8}$ ]] || die "--map $k=${map[$k]}: give the PCI ID as 8 lower-case hex digits, e.g. efi-virtio.rom=1af41000"
	[ -f "$romdir/$k" ] || die "--map $k: no such ROM in $romdir"
done
case ,$arches, in
,, | ,arm64,* ) ;;
*) die "--arches $arches: arm64 comes first (Opt2's aarch64 directory needs it); e.g. arm64,riscv64" ;;
esac
for a in ${arches//,/ }; do
	case $a in arm64 | riscv64 | loong64) ;; *) die "--arches: unknown '$a'; use arm64, riscv64, loong64" ;; esac
done
# riscv64: Opt2 gets a riscv64 directory when DIR has riscv64 drivers
# that --arches does not leave out.
riscv=
case ,${arches:-arm64,riscv64,loong64}, in
*,riscv64,*) [ -z "$drivers" ] || ! compgen -G "$drivers/riscv64-efi-*.efirom" >/dev/null || riscv=1 ;;
esac
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-opt.XXXXXX")
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out/opt1" "$out/opt2/x86_64" "$out/opt2/aarch64" ${riscv:+"$out/opt2/riscv64"}
work=$(mktemp -d "$out/.work.XXXXXX")

# put_u16 FILE OFFSET VALUE: little-endian 16-bit write in place.
put_u16() { printf "$(printf '\\%03o\\%03o' $(($3 & 255)) $(($3 >> 8)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
get_u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
get_u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
put_u8() { printf "$(printf '\\%03o' "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# bucket BYTES: "256 KiB", "1 MiB"
bucket() { if [ "$1" -ge 1048576 ]; then echo "$(($1 / 1048576)) MiB"; else echo "$(($1 / 1024)) KiB"; fi; }

# Opt1 and Opt2 from stand-ins: copies of the installed x64 image.
standin_layouts() {
	local f name off len pcir last n machine
	for f in "$romdir"/efi-*.rom; do
		name=$(basename "$f")
		read -r off len < <("$romcompat" inspect --json - "$f" 2>/dev/null |
			jq -r '[.. | objects | select(.code_type_name? == "EFI")] | last | "\(.offset) \(.length)"')
		# The ROM without trailing padding, and its x64 EFI image.
		head -c $((off + len)) "$f" >"$out/opt1/$name"
		tail -c +$((off + 1)) "$f" | head -c "$len" >"$work/efi.img"
		pcir=$(get_u16 "$work/efi.img" $((0x18)))
		last=$(get_u8 "$work/efi.img" $((pcir + 0x15)))
		put_u8 "$out/opt1/$name" $((off + pcir + 0x15)) $((last & 0x7f))
		n=0
		for machine in 0xAA64 0x5064 0x6264; do # aarch64, riscv64, loongarch64
			n=$((n + 1))
			cp "$work/efi.img" "$work/arch.img"
			put_u16 "$work/arch.img" $((0x0A)) $((machine))
			[ $n -lt 3 ] && put_u8 "$work/arch.img" $((pcir + 0x15)) $((last & 0x7f))
			cat "$work/arch.img" >>"$out/opt1/$name"
			# Opt2: the aarch64 directory has the aarch64 driver alone.
			if [ "$machine" = 0xAA64 ]; then
				cp "$work/arch.img" "$out/opt2/aarch64/$name"
				put_u8 "$out/opt2/aarch64/$name" $((pcir + 0x15)) $((last | 0x80))
			fi
		done
		cp "$f" "$out/opt2/x86_64/$name"
	done
	echo "== One combined ROM (Opt1): efi-e1000.rom"
	"$romcompat" inspect "$out/opt1/efi-e1000.rom" 2>&1 | sed -n '1,12p'
	echo
}

# combine_rom OUT IMAGE...: romcompat combine; prints "BYTES BUCKET".
combine_rom() {
	local o=$1
	shift
	"$romcompat" combine -q --json - -o "$o" "$@" 2>"$work/err" |
		jq -r '"\(.size) \(.bucket)"' || { cat "$work/err"; return 1; }
}

# Opt1 and Opt2 from the real drivers in $drivers.
driver_layouts() {
	local f name id ids what a img size bkt osize obkt images extra r
	echo "== Per NIC: the installed ROM, Opt1's combined ROM, Opt2's aarch64 ROM (drivers from $drivers)"
	for f in "$romdir"/efi-*.rom; do
		name=$(basename "$f")
		read -r id ids osize obkt < <("$romcompat" inspect --json - "$f" 2>/dev/null |
			jq -r '.inputs[0].files[0] | .images[0] as $i |
			       "\($i.vendor_id)\($i.device_id) \($i.vendor_id):\($i.device_id) \(.size) \(.bucket)"')
		if [ -n "${map[$name]:-}" ]; then
			id=${map[$name]}
			ids="${id:0:4}:${id:4:4} by --map; the ROM says $ids"
		fi
		cp "$f" "$out/opt2/x86_64/$name"
		if ! compgen -G "$drivers/*-$id.*" >/dev/null; then
			cp "$f" "$out/opt1/$name"
			cp "$f" "$out/opt2/aarch64/$name"
			[ -z "$riscv" ] || cp "$f" "$out/opt2/riscv64/$name"
			echo "$name ($ids): no driver for $id in the drivers directory: the installed file in every layout"
			continue
		fi
		images=()
		for img in x86-legacy-$id.rom x86_64-efi-$id.efirom arm64-efi-$id.efirom; do
			[ -f "$drivers/$img" ] || die "$drivers/$img missing: a NIC with drivers needs x86-legacy, x86_64-efi and arm64-efi builds"
			images+=("$drivers/$img")
		done
		what="x86 legacy + x64 + arm64"
		extra=${arches:-arm64,riscv64,loong64}
		for a in riscv64 loong64; do
			case ,$extra, in *,$a,*) ;; *) continue ;; esac
			img=$drivers/$a-efi-$id.efirom
			if [ -f "$img" ]; then
				images+=("$img")
				what="$what + $a"
			elif [ -n "$arches" ]; then
				die "$img missing (--arches names $a)"
			fi
		done
		r=$(combine_rom "$out/opt1/$name" "${images[@]}") || die "combine for $name failed: $r"
		read -r size bkt <<<"$r"
		echo "Opt1 $name ($ids): $what: $size bytes, bucket $(bucket "$bkt") (installed: $osize bytes, bucket $(bucket "$obkt"))"
		r=$(combine_rom "$out/opt2/aarch64/$name" "$drivers/arm64-efi-$id.efirom") ||
			die "combine for aarch64/$name failed: $r"
		read -r size bkt <<<"$r"
		echo "Opt2 aarch64/$name ($ids): arm64: $size bytes, bucket $(bucket "$bkt")"
		[ -n "$riscv" ] || continue
		if [ ! -f "$drivers/riscv64-efi-$id.efirom" ]; then
			cp "$f" "$out/opt2/riscv64/$name"
			echo "Opt2 riscv64/$name ($ids): no riscv64 driver: the installed file"
			continue
		fi
		r=$(combine_rom "$out/opt2/riscv64/$name" "$drivers/riscv64-efi-$id.efirom") ||
			die "combine for riscv64/$name failed: $r"
		read -r size bkt <<<"$r"
		echo "Opt2 riscv64/$name ($ids): riscv64: $size bytes, bucket $(bucket "$bkt")"
	done
	echo
}

# summarize JSON LAYOUT ARCH: one "result:" line from check's JSON report.
summarize() {
	jq -r --arg what "$2 $3" '
	  def size: if . == null then "?" elif . >= 1048576 then "\(. / 1048576) MiB" else "\(. / 1024) KiB" end;
	  ([.cases[].machine] | unique) as $all |
	  [.cases[] | select(.verdict == "fail")] as $f |
	  "result: \($what): \(.summary.cases) cases, \(.summary.pass) pass, \(.summary.fail) fail, \(.summary.error) error" +
	  ( if ($f | length) == 0 then "; every case migrates"
	    else "; fail: " + ([$f | group_by(.romfile)[] |
	      ([.[].machine] | unique) as $m |
	      .[0] as $c |
	      "\($c.romfile) \(if $c.direction == "old-to-new" then $c["source-size"] else $c["destination-size"] end | size)" +
	      " -> \(if $c.direction == "old-to-new" then $c["destination-size"] else $c["source-size"] end | size)" +
	      " on " + (if ($m | length) == ($all | length) then "every machine type checked (\($all | length))"
	                else "\($m | length) of \($all | length) machine types (\($m | join(", ")))" end) +
	      ([.[].direction] | unique) as $d |
	      (if ($d | length) == 2 then ", both directions" else ", \($d[0]) only" end)] | join("; "))
	    end)' "$1"
}

# run TITLE LAYOUT ARCH CHECK-ARGS...: a real matrix, its failures and a result line.
run() {
	local title=$1 layout=$2 arch=$3 rc=0
	shift 3
	echo "== $title"
	"$romcompat" check --json "$work/check.json" "$@" >"$work/check.txt" 2>&1 || rc=$?
	grep -E '^[0-9]+ cases|^evidence|^(in)?compatible|^  efi|^Failures|error' "$work/check.txt" || true
	if [ $rc -gt 1 ] || [ ! -s "$work/check.json" ]; then
		echo "result: $layout $arch: no verdict, romcompat check exited $rc"
		[ $rc -le $worst ] || worst=$rc
	else
		summarize "$work/check.json" "$layout" "$arch"
	fi
	echo
}

main() {
	if [ -n "$drivers" ]; then driver_layouts; else standin_layouts; fi
	# The pxe-*.rom files (i8255x loads pxe-eepro100.rom everywhere) stay as
	# they are in every layout.
	cp "$romdir"/pxe-*.rom "$out/opt1/"
	cp "$romdir"/pxe-*.rom "$out/opt2/x86_64/"
	cp "$romdir"/pxe-*.rom "$out/opt2/aarch64/"
	[ -z "$riscv" ] || cp "$romdir"/pxe-*.rom "$out/opt2/riscv64/"
	local X=(--machines "${X86_MACHINES:-pc-i440fx-*;pc-q35-*}")
	run "Opt1, x86_64: installed ROMs -> combined ROMs" Opt1 x86_64 "${X[@]}" \
		--old "$romdir" --new "$out/opt1"
	# Padding can only cut the bytes after the last image: it cannot save Opt1.
	echo "== Can padding or trimming fit Opt1 into the old buckets?"
	"$romcompat" pad --like "$romdir" "$out/opt1" 2>&1 | grep -E '^efi-e1000.rom|cannot|fitted' || true
	echo
	run "Opt2, x86_64: installed ROMs -> the x86_64 directory" Opt2 x86_64 "${X[@]}" \
		--old "$romdir" --new "$out/opt2/x86_64"
	if command -v qemu-system-aarch64 >/dev/null; then
		local A=(--old-qemu qemu-system-aarch64 --new-qemu qemu-system-aarch64
			--machines "${ARM_MACHINES:-virt-*}")
		run "Opt1, aarch64 virt: installed ROMs -> combined ROMs" Opt1 aarch64 "${A[@]}" \
			--old "$romdir" --new "$out/opt1"
		run "Opt2, aarch64 virt: installed ROMs -> the aarch64 directory" Opt2 aarch64 \
			"${A[@]}" --old "$romdir" --new "$out/opt2/aarch64"
	else
		echo "result: aarch64: not checked, qemu-system-aarch64 is not installed"
	fi
	if [ -n "$riscv" ] && command -v qemu-system-riscv64 >/dev/null; then
		local R=(--old-qemu qemu-system-riscv64 --new-qemu qemu-system-riscv64
			${RISCV_MACHINES:+--machines "$RISCV_MACHINES"})
		run "Opt1, riscv64: installed ROMs -> combined ROMs" Opt1 riscv64 "${R[@]}" \
			--old "$romdir" --new "$out/opt1"
		run "Opt2, riscv64: installed ROMs -> the riscv64 directory" Opt2 riscv64 \
			"${R[@]}" --old "$romdir" --new "$out/opt2/riscv64"
	elif [ -n "$riscv" ]; then
		echo "result: riscv64: not checked, qemu-system-riscv64 is not installed"
	fi
	rm -rf "$work"
	return $worst
}

set -o pipefail
if [ -n "$drivers" ]; then
	main
else
	# A stand-in's figures are not a real driver's: say so on every line.
	main 2>&1 | sed 's/^/stand-in: /'
fi
