#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# qemupkg.t - a QEMU from a Debian package: --new-qemu and --new-qemu
# debian:qemu-system-x86 from bookworm-backports (QEMU 10.0), reached with
# --apt-sources (a private list, the mirror read from this machine's apt
# configuration).  The tree is unpacked once and reused; the same ROM
# migrates 7.2 -> 10.0 and back, a grown ROM fails with QEMU's message; an
# unknown version is a one-line input error.  Debs and apt lists stay in a
# cache of the test's own between runs; the unpacked tree is made afresh.
# Skipped, saying why, when the package cannot be had.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v apt-get >/dev/null || skip_all "apt-get is needed"

uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
[ -n "$uri" ] || uri=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$uri" ] || skip_all "no Debian mirror in this machine's apt configuration"
export XDG_CACHE_HOME=${ROMCOMPAT_TEST_CACHE:-$HOME/.cache/romcompat/test-qemupkg}
mkdir -p "$XDG_CACHE_HOME"
printf 'deb %s bookworm-backports main\n' "$uri" >"$XDG_CACHE_HOME/backports.list"
rm -rf "$XDG_CACHE_HOME/romcompat/qemu"
export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
E=$ROMDIR/efi-e1000.rom
grow_rom "$E" "$T/grown.rom" 300000
AS=(--apt-sources "$XDG_CACHE_HOME/backports.list")

# 1. apt's candidate, fetched and unpacked.
run --trace "${AS[@]}" migrate --machine pc-q35-7.2 --nic e1000 --old "$E" --new "$E" \
	--new-qemu debian:qemu-system-x86 --direction both
if [ "$rc" -ne 0 ] && printf '%s\n' "$err" | grep -q "romcompat: error: .*\(apt\|debian:\)"; then
	skip_all "qemu-system-x86 cannot be had from bookworm-backports here: $(printf '%s\n' "$err" | grep 'romcompat: error' | head -1)"
fi
plan 20
is "$rc" 0 "debian:qemu-system-x86: the same ROM migrates 7.2 -> backports and back"
v10=$(printf '%s\n' "$out" | sed -n 's/.*destination: *QEMU \(1[0-9]\.[0-9.]*\),.*/\1/p' | head -1)
like "$v10" '^1[0-9]\.' "the destination is the backports QEMU ($v10)"
like "$err" "unpacked into $XDG_CACHE_HOME/romcompat/qemu/qemu-system-x86_" "the tree was unpacked into the cache"
like "$err" "'-L' '$XDG_CACHE_HOME/romcompat/qemu/[^']*/root/usr/share/qemu'" "it runs with -L its own data directory"
like "$err" "QEMU_MODULE_DIR=$XDG_CACHE_HOME/romcompat/qemu/.*/root/usr/lib/[^/]*/qemu" "and QEMU_MODULE_DIR its own modules"
ver=$(ls "$XDG_CACHE_HOME/romcompat/debs/qemu-system-x86" | head -1 | tr % :)
bin=$(ls -d "$XDG_CACHE_HOME"/romcompat/qemu/qemu-system-x86_*/root/usr/bin/qemu-system-x86_64)
inode=$(stat -c %i "$bin")

# 2. That version again: the unpacked tree is reused, apt is not asked.
for m in pc-i440fx-7.2 pc-q35-7.2; do
	run --trace "${AS[@]}" migrate --machine $m --nic e1000 --old "$E" --new "$T/grown.rom" \
		--new-qemu "debian:qemu-system-x86=$ver" --direction both
	is "$rc" 1 "$m: a ROM grown past 256 KiB fails 7.2 -> $v10 -> 7.2"
	like "$out" "Size mismatch: 0000:00:0[12]\.0/e1000\.rom: 0x40000 != 0x80000" "$m: QEMU's own message"
	like "$out" "QEMU $v10" "$m: the report names QEMU $v10"
done
printf '%s\n' "$err" | grep -qF "cached $bin"
ok $? "the second run reuses the unpacked tree"
is "$(printf '%s\n' "$err" | grep -c "apt: \|unpacking")" 0 "and runs neither apt nor an unpacking"
is "$(stat -c %i "$bin")" "$inode" "the binary is the one unpacked first"

# 3. A version apt does not have: exit 2, one line.
run "${AS[@]}" migrate --machine pc-q35-7.2 --nic e1000 --old "$E" --new "$E" \
	--new-qemu "debian:qemu-system-x86=1:99.0+ds-1"
is "$rc:$(printf '%s\n' "$err" | wc -l)" "2:1" "an unknown version: exit 2, one line"
like "$err" "^romcompat: error: debian:qemu-system-x86=1:99.0\+ds-1: apt has no such version \(it knows: " "it names the version"
printf '%s\n' "$err" | grep -qF "$ver"
ok $? "and the ones apt knows ($ver)"

# 4. The matrix across versions, the new QEMU's catalog read back from it.
run "${AS[@]}" check --old-qemu qemu-system-x86_64 --new-qemu "debian:qemu-system-x86=$ver" \
	--old "$ROMDIR" --new "$ROMDIR" --machines 'pc-q35-7.2;pc-i440fx-7.2' --nics 'e1000,virtio-net-pci'
is "$rc" 0 "check 7.2 <-> $v10, 2 machine types x 2 NICs: compatible"
like "$out" "8 cases: 8 pass" "every case migrated"
is "$(qemu_left "$T")" 0 "no QEMU left"
