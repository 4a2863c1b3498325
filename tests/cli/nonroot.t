#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nonroot.t - romcompat needs no root: migrate, check and a catalog read
# back, run as an ordinary user (nobody) with only its own TMPDIR and
# XDG_CACHE_HOME writable.  Run as root, the test drops to nobody with
# setpriv; run as an ordinary user, it is that user already.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip_all "running as root and setpriv is missing"
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env env "$@"; }
else
	as_user() { env "$@"; }
fi
plan 6

# Everything the user writes is in its own directory, readable to it.
U=$T/user
mkdir -p "$U/tmp" "$U/cache"
cp "$ROMDIR"/*.rom "$U/" 2>/dev/null
grow_rom "$ROMDIR/efi-e1000.rom" "$U/grown.rom" 300000
chmod -R a+rwX "$U"
chmod a+x "$T"
ENV=(PATH=/usr/bin:/bin TMPDIR=$U/tmp XDG_RUNTIME_DIR= XDG_CACHE_HOME=$U/cache HOME=$U)

rc=0
out=$(as_user "${ENV[@]}" id -u) || rc=$?
ok $([ "$out" != 0 ]; echo $?) "runs as uid $out, not root"

rc=0
out=$(as_user "${ENV[@]}" "$ROMCOMPAT" migrate --machine pc-q35-7.2 --nic e1000 \
	--old "$ROMDIR/efi-e1000.rom" --new "$U/grown.rom" 2>&1) || rc=$?
is "$rc" 1 "migrate as an ordinary user: the real migration fails as it should (exit 1)"
like "$out" "Size mismatch: 0000:00:01.0/e1000.rom: 0x40000 != 0x80000" "with QEMU's own message"

rc=0
out=$(as_user "${ENV[@]}" "$ROMCOMPAT" check -q --old "$ROMDIR" --new "$U" \
	--machines pc-i440fx-7.2 --nics 'e1000*' 2>&1) || rc=$?
is "$rc" 0 "check as an ordinary user: exit 0"

rc=0
out=$(as_user "${ENV[@]}" ROMCOMPAT_DATADIR=$U "$ROMCOMPAT" check -q --static --old "$ROMDIR" \
	--new "$U" --machines pc-q35-7.2 2>&1) || rc=$?
is "$rc" 0 "no shipped catalog: read back from QEMU and cached by an ordinary user"
is "$(find "$U/tmp" -mindepth 1 | wc -l)" 0 "nothing left in its TMPDIR"
