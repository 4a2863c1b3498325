#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# arches.t - the matrix on the architectures the seed bug cares about
# beyond x86_64 and aarch64 (opt1-opt2.t covers those): riscv64 `virt`
# loads the same efi-*.rom files and fails on a grown one, proved by
# migration; Debian 12's loongarch64 QEMU (7.2) crashes with SIGFPE when
# it migrates `virt` at all, whatever the NICs, and romcompat reports that
# as QEMU crashing (exit 3), not as a ROM verdict, leaving nothing behind.
. "$(dirname "$0")/lib.sh"

[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 7

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR" "$T/new"
cp "$ROMDIR"/*.rom "$T/new/"
grow_rom "$ROMDIR/efi-e1000.rom" "$T/new/efi-e1000.rom" 300000

if have_qemu qemu-system-riscv64; then
	run check -q --old-qemu qemu-system-riscv64 --new-qemu qemu-system-riscv64 --machines virt \
		--nics 'e1000,virtio-net-pci,rtl8139' --old "$ROMDIR" --new "$T/new" --json "$T/rv.json"
	is "$rc" 1 "riscv64 virt: a grown efi-e1000.rom fails: exit 1"
	is "$(jq -c '[.cases[] | select(.verdict == "fail") | [.nic, .direction, .block, .["source-size"], .["destination-size"]]] | sort' "$T/rv.json")" \
		'[["e1000","new-to-old","0000:00:02.0/e1000.rom",524288,262144],["e1000","old-to-new","0000:00:02.0/e1000.rom",262144,524288]]' \
		"riscv64: e1000 fails both ways with its block and sizes"
	is "$(jq '[.cases[] | select(.verdict == "pass" and .evidence == "migrated")] | length' "$T/rv.json")" 4 "riscv64: virtio-net-pci and rtl8139 migrate (4 cases)"
else
	skip "qemu-system-riscv64 not installed (scripts/setup.sh installs qemu-system-misc)" 3
fi

if have_qemu qemu-system-loongarch64; then
	run check -q --old-qemu qemu-system-loongarch64 --new-qemu qemu-system-loongarch64 --machines virt \
		--nics 'virtio-net-pci' --old "$ROMDIR" --new "$ROMDIR" --json "$T/la.json"
	v=$(jq -r '[.cases[] | .verdict + ":" + .kind] | unique | join(",")' "$T/la.json")
	if [ "$v" = "pass:ok" ]; then
		is "$rc" 0 "loongarch64 virt migrates with this QEMU"
		skip "this QEMU migrates loongarch64 virt: no crash to report" 1
	else
		is "$rc" 3 "loongarch64 virt: QEMU 7.2 crashes when it migrates: exit 3, not a ROM verdict"
		like "$out$(jq -r '.cases[0].message' "$T/la.json")" "killed by signal 8 \\(Floating point exception\\)" "QEMU's signal is named"
	fi
else
	skip "qemu-system-loongarch64 not installed (scripts/setup.sh installs qemu-system-misc)" 2
fi
is "$(qemu_left "$T")" 0 "no QEMU left"
is "$(find "$TMPDIR" -mindepth 1 | wc -l)" 0 "no run directory left"
