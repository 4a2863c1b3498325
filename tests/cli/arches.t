#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# arches.t - the matrix on the architectures the seed bug cares about
# beyond x86_64 and aarch64 (opt1-opt2.t covers those): riscv64 `virt`
# loads the same efi-*.rom files and fails on a grown one, proved by
# migration; Debian 12's loongarch64 QEMU (7.2) crashes with SIGFPE when
# it migrates `virt` at all, whatever the NICs, and romcompat reports that
# as QEMU crashing (exit 3), not as a ROM verdict, leaving nothing behind.
# Neither has a versioned machine type, so without --machines the matrix
# takes the machine types on which a NIC loads a ROM: `virt`, as QEMU's
# own catalog says (written by `romcompat machines` from the binary).
. "$(dirname "$0")/lib.sh"

[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 11
# skip_n N REASON: N skipped tests.
skip_n() { for _ in $(seq "$1"); do skip "$2"; done; }

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
	# No --machines: the default selection from the binary's own catalog.
	"$ROMCOMPAT" machines --qemu qemu-system-riscv64 --json "$T/rv-cat.json" >/dev/null 2>&1
	want=$(jq -r '[.machines[] | select(.nics | map(select(.romfile != "")) | length > 0) | .name] | join(",")' "$T/rv-cat.json")
	run check -q --old-qemu qemu-system-riscv64 --new-qemu qemu-system-riscv64 --catalog "$T/rv-cat.json" \
		--nics 'e1000,virtio-net-pci' --old "$ROMDIR" --new "$T/new" --json "$T/rv-default.json"
	is "$rc:$(jq -r '[.cases[].machine] | unique | join(",")' "$T/rv-default.json")" "1:$want" \
		"riscv64 without --machines: the machine types where a NIC loads a ROM ($want), checked: exit 1"
	is "$(jq '[.cases[] | select(.evidence != "predicted")] | length' "$T/rv-default.json")" 4 \
		"riscv64 without --machines: its 4 cases ran on QEMU (none merely predicted)"
	run check -q --static --old-qemu qemu-system-riscv64 --machines 'sifive*' --old "$ROMDIR" --new "$T/new"
	like "$rc:$err" "^2:romcompat: error: machine types 'sifive\*': .*riscv64.* no machine type of that name on which a NIC model loads a ROM" \
		"riscv64: a glob for machine types without NICs is refused, saying why"
else
	skip_n 6 "qemu-system-riscv64 not installed (scripts/setup.sh installs qemu-system-misc)"
fi
if have_qemu qemu-system-loongarch64; then
	# Its migrations crash (below); --static shows the selection alone.
	run check -q --static --old-qemu qemu-system-loongarch64 --new-qemu qemu-system-loongarch64 \
		--nics virtio-net-pci --old "$ROMDIR" --new "$ROMDIR" --json "$T/la-default.json"
	is "$rc:$(jq -r '[.cases[].machine] | unique | join(",")' "$T/la-default.json")" "0:virt" \
		"loongarch64 without --machines: virt is selected"
else
	skip_n 1 "qemu-system-loongarch64 not installed (scripts/setup.sh installs qemu-system-misc)"
fi

if have_qemu qemu-system-loongarch64; then
	run check -q --old-qemu qemu-system-loongarch64 --new-qemu qemu-system-loongarch64 --machines virt \
		--nics 'virtio-net-pci' --old "$ROMDIR" --new "$ROMDIR" --json "$T/la.json"
	v=$(jq -r '[.cases[] | .verdict + ":" + .kind] | unique | join(",")' "$T/la.json")
	if [ "$v" = "pass:ok" ]; then
		is "$rc" 0 "loongarch64 virt migrates with this QEMU"
		skip_n 1 "this QEMU migrates loongarch64 virt: no crash to report"
	else
		is "$rc" 3 "loongarch64 virt: QEMU 7.2 crashes when it migrates: exit 3, not a ROM verdict"
		like "$out$(jq -r '.cases[0].message' "$T/la.json")" "killed by signal 8 \\(Floating point exception\\)" "QEMU's signal is named"
	fi
else
	skip_n 2 "qemu-system-loongarch64 not installed (scripts/setup.sh installs qemu-system-misc)"
fi
is "$(qemu_left "$T")" 0 "no QEMU left"
is "$(find "$TMPDIR" -mindepth 1 | wc -l)" 0 "no run directory left"
