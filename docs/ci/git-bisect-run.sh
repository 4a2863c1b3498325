#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# git-bisect-run.sh - one step of `git bisect run` in an iPXE tree: build
# the ROMs of the commit checked out, then `romcompat bisect` them against
# the reference ROMs.  Exit 0 good, 1 bad, 125 skip (the commit does not
# build, or builds no ROM, or QEMU could not run), 128 stop (bad
# arguments): what git bisect run reads (docs/bisect.md).
#
#   cd ipxe/src
#   git bisect start BAD GOOD
#   git bisect run /path/to/romcompat/docs/ci/git-bisect-run.sh
#   git bisect reset
#
# Environment (all optional):
#   ROMCOMPAT_OLD       reference ROMs, any ROM set (default /usr/lib/ipxe/qemu)
#   ROMCOMPAT_NEW       where the build leaves its ROMs
#                       (default ${TMPDIR:-/tmp}/romcompat-bisect-UID)
#   ROMCOMPAT_BUILD     shell command that builds them into $ROMCOMPAT_NEW
#                       (default: pxe-e1000.rom and efi-e1000.rom from
#                       bin/8086100e.rom and bin-x86_64-efi/8086100e.efi, as
#                       ipxe-qemu makes them)
#   ROMCOMPAT_MACHINES  machine type globs (default: every versioned one)
#   ROMCOMPAT_NICS      NIC model globs (default: the NICs that load those two
#                       ROMs; a NIC whose ROM the build does not make cannot
#                       be tested, and the step would exit 125)
#   ROMCOMPAT           the romcompat program (default: romcompat on PATH)

: "${ROMCOMPAT_OLD:=/usr/lib/ipxe/qemu}"
: "${ROMCOMPAT_NEW:=${TMPDIR:-/tmp}/romcompat-bisect-$(id -u)}"
: "${ROMCOMPAT_NICS:=e1000;e1000-82544gc;e1000-82545em}"
: "${ROMCOMPAT:=romcompat}"
export ROMCOMPAT_NEW

# What ipxe-qemu ships for the e1000: the legacy ROM alone, and the legacy
# ROM and the EFI driver in one file.
build_e1000() {
	make -j"$(nproc)" bin/8086100e.rom bin-x86_64-efi/8086100e.efi >/dev/null 2>&1 &&
		cp bin/8086100e.rom "$ROMCOMPAT_NEW/pxe-e1000.rom" &&
		util/catrom.pl bin/8086100e.rom bin-x86_64-efi/8086100e.efi >"$ROMCOMPAT_NEW/efi-e1000.rom"
}

# No ROM of an earlier step may count for this commit.
mkdir -p "$ROMCOMPAT_NEW" && rm -f "$ROMCOMPAT_NEW"/*.rom || exit 128
if [ -n "${ROMCOMPAT_BUILD:-}" ]; then
	sh -c "$ROMCOMPAT_BUILD" || exit 125
else
	build_e1000 || exit 125
fi
exec "$ROMCOMPAT" bisect --old "$ROMCOMPAT_OLD" --new "$ROMCOMPAT_NEW" \
	${ROMCOMPAT_MACHINES:+--machines "$ROMCOMPAT_MACHINES"} \
	${ROMCOMPAT_NICS:+--nics "$ROMCOMPAT_NICS"} -q
