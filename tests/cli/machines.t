#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# machines.t - "romcompat machines" reads the catalog back from the real
# QEMU and agrees with the shipped one; facts QEMU says about old machine
# types; the catalog a check picks (shipped, cached, discovered); QEMU
# binaries that are missing or not QEMU.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 29

export TMPDIR=$T/tmp XDG_CACHE_HOME=$T/cache XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
jqc() { jq -r "$1" "$T/x86.json"; }

run machines --output "$T/x86.json" -j 2
is "$rc" 0 "machines --output: exit 0"
like "$out" "^x86_64 QEMU [0-9.]+ .*: [0-9]+ machine types" "summary names the architecture, version and count"
ver=$(jqc '.qemu.version')
shipped=$SRCDIR/machine-types/x86_64/$ver.json
if [ -r "$shipped" ]; then
	ok $(diff <(jq -S . "$shipped") <(jq -S . "$T/x86.json") >/dev/null; echo $?) "read back again, it is the shipped catalog machine-types/x86_64/$ver.json"
else
	skip "no shipped catalog for QEMU $ver"
fi
is "$(jqc '.machines[] | select(.name == "pc-q35-7.2") | .nics[] | select(.model == "e1000") | .romfile')" efi-e1000.rom "pc-q35-7.2: e1000 loads efi-e1000.rom"
is "$(jqc '.machines[] | select(.name == "pc-i440fx-1.4") | .nics[] | select(.model == "e1000") | .romfile')" pxe-e1000.rom "pc-i440fx-1.4: e1000 loads pxe-e1000.rom (a compat property)"
is "$(jqc '.machines[] | select(.name == "pc-i440fx-2.6") | .nics[] | select(.model == "vmxnet3") | .romfile')" "" "pc-i440fx-2.6: vmxnet3 loads no ROM"
is "$(jqc '.machines[] | select(.name == "pc-i440fx-2.7") | .nics[] | select(.model == "vmxnet3") | .romfile')" efi-vmxnet3.rom "pc-i440fx-2.7: vmxnet3 loads efi-vmxnet3.rom"
is "$(jqc '.machines[] | select(.name == "isapc") | .nics | length')" 0 "isapc: no PCI NIC"
is "$(jqc '[.machines[] | select(.name | test("^pc-(i440fx|q35)-[0-9]+(\\.[0-9]+)+$"))] | length')" 55 "55 versioned pc machine types"
is "$(jqc '[.machines[].nics[] | select(.model == "pvrdma")] | length')" 0 "pvrdma (no RDMA backend here) is not a NIC QEMU will start"
is "$(jqc '[.machines[].nics[].romsize] | unique | map(tostring) | join(",")')" null "no machine type pins a romsize"
# Display devices and firmware blocks (format 2), as QEMU 7.2 reports them.
is "$(jqc '.format')" 2 "the catalog is format 2"
# The search path is what -L help prints, relative to the binary's directory.
bindir=$(dirname "$(readlink -f "$(command -v qemu-system-x86_64)")")
want=$(qemu-system-x86_64 -L help | grep '^/' | while read -r d; do
	case $d in "$bindir"/*) realpath -m --relative-to="$bindir" "$d" ;; *) realpath -m "$d" ;; esac
done | paste -sd ' ')
is "$(jqc '.["search-path"] | join(" ")')" "$want" "search-path: -L help's directories, relative to the binary's ($want)"
ok $(jqc '.["search-path"][]' | grep -c '^/usr/') "no entry tied to /usr"
is "$(jqc '.machines[] | select(.name == "pc-i440fx-7.2") | .displays[] | select(.model == "VGA") | .romfile')" vgabios-stdvga.bin "pc-i440fx-7.2: VGA loads vgabios-stdvga.bin"
is "$(jqc '[.machines[] | select(.name == "pc-q35-7.2") | .displays[] | select(.romfile != "") | .model] | sort | join(" ")')" \
	"VGA ati-vga bochs-display cirrus-vga qxl-vga virtio-vga vmware-svga" "pc-q35-7.2: the display devices that load a ROM"
is "$(jqc '.machines[] | select(.name == "pc-q35-7.2") | .firmware[] | select(.block == "pc.bios") | "\(.file) \(.source)"')" "bios-256k.bin bios" "pc-q35-7.2: pc.bios comes from bios-256k.bin (-bios)"
bios_size=$(jqc '.machines[] | select(.name == "pc-q35-7.2") | .firmware[] | select(.block == "pc.bios") | .size')
if [ -r /usr/share/seabios/bios-256k.bin ]; then
	is "$bios_size" "$(stat -L -c %s /usr/share/seabios/bios-256k.bin)" "pc.bios is exactly bios-256k.bin's size"
else
	skip "seabios not installed: pc.bios size not compared with its file"
fi
is "$(jqc '.machines[] | select(.name == "pc-i440fx-1.4") | .firmware[] | select(.block == "pc.bios") | .file')" bios.bin "pc-i440fx-1.4: pc.bios comes from bios.bin"
is "$(jqc '.machines[] | select(.name == "pc-q35-7.2") | .firmware[] | select(.source == "pflash0") | "\(.block) \(.size)"')" "system.flash0 null" "pc-q35-7.2: pflash0 becomes system.flash0, sized from the image"

# Standard output, on a QEMU with few machine types (x86_64's whole
# catalog was read back above; reading it twice doubles the test's time).
if command -v qemu-system-riscv64 >/dev/null; then
	run machines --qemu qemu-system-riscv64 --output - -j 2
	ok $(printf '%s' "$out" | jq -e '.arch == "riscv64" and (.machines | length > 0)' >/dev/null; echo $?) "--output -: the catalog alone on stdout"
else
	run machines --output - -j 2
	ok $(printf '%s' "$out" | jq -e .machines >/dev/null; echo $?) "--output -: the catalog alone on stdout"
fi

run machines --qemu "$T/no-such-qemu"
is "$rc" 3 "QEMU binary missing: exit 3"
like "$err" "no-such-qemu" "the error names it"
printf '#!/bin/sh\necho "not a QEMU" >&2\nexit 1\n' >"$T/fake-qemu"
chmod +x "$T/fake-qemu"
run machines --qemu "$T/fake-qemu"
is "$rc" 3 "a binary that exits at once: exit 3"
like "$err" "fake-qemu does not start: .*not a QEMU" "the error quotes what it said"
run machines extra
is "$rc" 2 "an argument: exit 2"

# check's catalog: with no shipped catalog it reads one back and caches it.
mkdir "$T/empty"
ROMCOMPAT_DATADIR=$T/empty run --trace check --static --old "$ROMDIR" --new "$ROMDIR" --machines pc-q35-7.2 -q
is "$rc" 0 "check without a shipped catalog: exit 0"
ok $([ -r "$T/cache/romcompat/machine-types/x86_64/$ver.json" ]; echo $?) "the catalog it read back is cached"
ROMCOMPAT_DATADIR=$T/empty run --trace check --static --old "$ROMDIR" --new "$ROMDIR" --machines pc-q35-7.2 -q
like "$err" "catalog of .*: $T/cache/romcompat/machine-types/x86_64/$ver.json" "the second check takes the cached one"
