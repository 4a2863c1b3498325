#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# firmware-suites.t - the seabios and ovmf updates another suite (trixie,
# through a private sources list) offers against the installed ones: the
# versions are whatever the archive has when the test runs, so the test
# asserts the shape of the answer (a firmware file whose size changes is
# incompatible, its block pc.bios; a real -bios migration fails exactly
# when the sizes differ, with QEMU's line carrying both sizes), never a
# version string.  Skipped, saying why, when the archive cannot be reached.
. "$(dirname "$0")/lib.sh"

need_trixie_firmware
plan 10

is "$rc" 0 "trixie's seabios, read through the private sources list: exit 0"
sb_version=$(basename "$(ls -d "$T"/cache/romcompat/debs/seabios/*/ | head -1)")
ok $([ -n "$sb_version" ]; echo $?) "its version resolved from the archive now ($sb_version)"

# seabios: every file judged; a file is incompatible exactly when its block changes.
run --apt-sources "$T/trixie.list" diff --json - /usr/share/seabios debian:seabios
ok $([ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; echo $?) "diff installed seabios -> trixie's: a verdict (exit $rc)"
is "$(printf '%s\n' "$out" | jq '[.files[] | select(.old and .new) | select((.old.bucket != .new.bucket) != .incompatible)] | length')" 0 \
	"every file is incompatible exactly when its block changes"
is "$(printf '%s\n' "$out" | jq -r '[.files[] | select(.name | test("^bios.*\\.bin$")) | .new.kind // .old.kind] | unique | join(",")')" firmware \
	"the BIOS images are judged as firmware"

# ovmf: OVMF.fd, given as -bios, installed against trixie's.
run --apt-sources "$T/trixie.list" inspect debian:ovmf
is "$rc" 0 "trixie's ovmf: exit 0"
deb=$(ls "$T"/cache/romcompat/debs/ovmf/*/*.deb | head -1)
dpkg-deb -x "$deb" "$T/x"
old=/usr/share/ovmf/OVMF.fd
new=$T/x/usr/share/ovmf/OVMF.fd
ok $([ -r "$new" ]; echo $?) "trixie's ovmf ships usr/share/ovmf/OVMF.fd"
old_size=$(stat -L -c %s "$old")
new_size=$(stat -L -c %s "$new" 2>/dev/null || echo 0)
run diff "$old" "$new"
is "$rc" $([ "$old_size" = "$new_size" ] && echo 0 || echo 1) \
	"diff OVMF.fd ($old_size -> $new_size bytes): incompatible exactly when the size changes"
run migrate --machine pc-q35-7.2 --old "$old" --new "$new"
is "$rc" $([ "$old_size" = "$new_size" ] && echo 0 || echo 1) "a real -bios OVMF.fd migration agrees"
if [ "$old_size" != "$new_size" ]; then
	like "$out" "$(printf 'Size mismatch: pc\\.bios: 0x%x != 0x%x' "$old_size" "$new_size")" "QEMU names pc.bios and both sizes"
else
	is "$(qemu_left "$T")" 0 "same size: nothing to name (no QEMU left)"
fi
