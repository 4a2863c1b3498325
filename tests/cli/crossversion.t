#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# crossversion.t - migration between Debian 12's QEMU 7.2 and QEMU 10.0 from
# bookworm-backports, extracted from its package (fetched with apt-get
# download through a private sources list, the mirror read from this
# machine's apt configuration, cached): on pc-i440fx-7.2 and pc-q35-7.2,
# both ways, the same ROM migrates and a ROM grown past its bucket fails
# with QEMU's message.  Skipped, saying why, when the package cannot be had.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || skip_all "apt-get and dpkg-deb are needed"

# The mirror this machine's apt uses, for a private bookworm-backports list.
uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
[ -n "$uri" ] || uri=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$uri" ] || skip_all "no Debian mirror in this machine's apt configuration"
cache=${XDG_CACHE_HOME:-$HOME/.cache}/romcompat/test-qemu-backports
mkdir -p "$cache/lists/partial" "$cache/archives/partial" "$cache/parts"
printf 'deb %s bookworm-backports main\n' "$uri" >"$cache/sources.list"
: >>"$cache/status"
APT=(-o "Dir::Etc::SourceList=$cache/sources.list" -o "Dir::Etc::SourceParts=$cache/parts"
	-o "Dir::State::Lists=$cache/lists" -o "Dir::Cache=$cache" -o "Dir::State::status=$cache/status"
	-o Debug::NoLocking=1 -qq)
Q10=$cache/root/usr/bin/qemu-system-x86_64
if [ ! -x "$Q10" ]; then
	apt-get "${APT[@]}" update >/dev/null 2>&1 || skip_all "bookworm-backports not reachable from here"
	(cd "$cache/archives" && apt-get "${APT[@]}" download qemu-system-x86 >/dev/null 2>&1) ||
		skip_all "qemu-system-x86 not in bookworm-backports here"
	dpkg-deb -x "$cache"/archives/qemu-system-x86_*.deb "$cache/root" || skip_all "cannot unpack the package"
fi
"$Q10" --version >/dev/null 2>&1 || skip_all "the backports QEMU does not run here: $("$Q10" --version 2>&1 | head -1)"
v10=$("$Q10" --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p')
plan 10

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
E=$ROMDIR/efi-e1000.rom
grow_rom "$E" "$T/grown.rom" 300000
for m in pc-i440fx-7.2 pc-q35-7.2; do
	run migrate --machine $m --nic e1000 --old "$E" --new "$E" --new-qemu "$Q10" --direction both
	is "$rc" 0 "$m: the same ROM migrates 7.2 -> $v10 and back"
	like "$out" "QEMU $v10" "$m: the report names QEMU $v10"
	run migrate --machine $m --nic e1000 --old "$E" --new "$T/grown.rom" --new-qemu "$Q10" --direction both
	is "$rc" 1 "$m: a ROM grown past 256 KiB fails across versions"
	like "$out" "Size mismatch: 0000:00:0[12]\.0/e1000\.rom: 0x40000 != 0x80000" "$m: QEMU's own message, 7.2 -> $v10"
done
is "$(qemu_left "$T")" 0 "no QEMU left"
is "$(find "$TMPDIR" -mindepth 1 | wc -l)" 0 "no run directory left"
