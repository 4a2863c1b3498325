#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# git-bisect-run.sh - one step of `git bisect run` in an iPXE tree: build
# the ROMs of the commit checked out, then `romcompat bisect` them against
# the reference ROMs.  Exit 0 good, 1 bad, 125 skip (the commit does not
# build, or builds no ROM, or QEMU could not run), 128 stop (not an iPXE
# tree, bad arguments): what git bisect run reads (docs/bisect.md).
#
#   git bisect start BAD GOOD
#   git bisect run /path/to/romcompat/docs/ci/git-bisect-run.sh
#   git bisect reset
#
# or, checking both ends of the range first: docs/ci/ipxe-bisect.sh GOOD BAD.
# It may be started anywhere in the work tree (git bisect run starts it at
# the top level); it builds in the tree's src/, where iPXE's Makefile is.
#
# Environment (all optional):
#   ROMCOMPAT_OLD       reference ROMs, any ROM set (default /usr/lib/ipxe/qemu)
#   ROMCOMPAT_NEW       where the build leaves its ROMs, outside the work tree
#                       (default ${TMPDIR:-/tmp}/romcompat-bisect-UID); the
#                       step's build log is kept there as build.log
#   ROMCOMPAT_BUILD     shell command, run at the top level of the work tree,
#                       that builds the ROMs into $ROMCOMPAT_NEW (default:
#                       pxe-e1000.rom and efi-e1000.rom as ipxe-qemu makes
#                       them: in src/, make CONFIG=qemu NO_WERROR=1
#                       bin/8086100e.rom bin-x86_64-efi/8086100e.efirom, then
#                       util/catrom.pl joins the legacy ROM and the .efirom)
#   ROMCOMPAT_JOBS      make -j for the default build (default: nproc)
#   ROMCOMPAT_CACHE     a directory keeping the ROMs of each commit built
#                       (CACHE/FULL-COMMIT-HASH/*.rom), reused instead of
#                       building again; one cache per build command
#   ROMCOMPAT_MACHINES  machine type globs (default: every versioned one)
#   ROMCOMPAT_NICS      NIC model globs (default: the NICs that load those two
#                       ROMs; a NIC whose ROM the build does not make cannot
#                       be tested, and the step would exit 125)
#   ROMCOMPAT           the romcompat program (default: romcompat on PATH)

: "${ROMCOMPAT_OLD:=/usr/lib/ipxe/qemu}"
: "${ROMCOMPAT_NEW:=${TMPDIR:-/tmp}/romcompat-bisect-$(id -u)}"
: "${ROMCOMPAT_NICS:=e1000;e1000-82544gc;e1000-82545em}"
: "${ROMCOMPAT:=romcompat}"
me=git-bisect-run.sh

# Paths given relative to where the step starts, before it moves to the top.
abs() { case $1 in /* | '') echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
ROMCOMPAT_OLD=$(abs "$ROMCOMPAT_OLD")
ROMCOMPAT_NEW=$(abs "$ROMCOMPAT_NEW")
ROMCOMPAT_CACHE=$(abs "${ROMCOMPAT_CACHE:-}")
case $ROMCOMPAT in */*) ROMCOMPAT=$(abs "$ROMCOMPAT") ;; esac
export ROMCOMPAT_NEW

# What ipxe-qemu ships for the e1000: the legacy ROM alone, and the legacy
# ROM and the x86_64 EFI driver's PCI ROM image (.efirom) in one file.
build_e1000() {
	cd src &&
		make -j"${ROMCOMPAT_JOBS:-$(nproc)}" CONFIG=qemu NO_WERROR=1 \
			bin/8086100e.rom bin-x86_64-efi/8086100e.efirom &&
		cp bin/8086100e.rom "$ROMCOMPAT_NEW/pxe-e1000.rom" &&
		util/catrom.pl bin/8086100e.rom bin-x86_64-efi/8086100e.efirom \
			>"$ROMCOMPAT_NEW/efi-e1000.rom"
}

# skip WHY: the commit cannot be tested; the end of the build log says why.
skip() {
	echo "$me: ${commit:-HEAD}: $1 (exit 125, git skips the commit); last lines of $log:" >&2
	tail -n 20 "$log" >&2
	exit 125
}

top=$(git rev-parse --show-toplevel 2>/dev/null) || {
	echo "$me: $(pwd) is not in a git work tree: run it in the iPXE tree being bisected" >&2
	exit 128
}
cd "$top" || exit 128
commit=$(git rev-parse --verify -q HEAD) || commit=
if [ -z "${ROMCOMPAT_BUILD:-}" ] && [ ! -f src/Makefile ]; then
	echo "$me: $top has no src/Makefile: not an iPXE tree (set ROMCOMPAT_BUILD to build another tree)" >&2
	exit 128
fi
case $ROMCOMPAT_NEW in
"$top" | "$top"/*)
	echo "$me: ROMCOMPAT_NEW=$ROMCOMPAT_NEW is inside the work tree: checking out a commit could change it; pick a directory outside $top" >&2
	exit 128
	;;
esac

# No ROM of an earlier step may count for this commit.
mkdir -p "$ROMCOMPAT_NEW" && rm -f "$ROMCOMPAT_NEW"/*.rom || exit 128
log=$ROMCOMPAT_NEW/build.log
: >"$log" || exit 128
cached=${ROMCOMPAT_CACHE:+$ROMCOMPAT_CACHE/$commit}
if [ -n "$cached" ] && [ -n "$commit" ] && ls "$cached"/*.rom >/dev/null 2>&1; then
	echo "$me: $commit: ROMs from $cached" | tee -a "$log" >&2
	cp "$cached"/*.rom "$ROMCOMPAT_NEW"/ || skip "the cached ROMs could not be copied"
else
	t0=$(date +%s)
	if [ -n "${ROMCOMPAT_BUILD:-}" ]; then
		sh -c "$ROMCOMPAT_BUILD" >>"$log" 2>&1 || skip "the build failed: $ROMCOMPAT_BUILD"
	else
		(build_e1000) >>"$log" 2>&1 || skip "the build failed (make in src/, util/catrom.pl)"
	fi
	echo "$me: ${commit:-HEAD}: built in $(($(date +%s) - t0)) s (log: $log)" >&2
fi
ls "$ROMCOMPAT_NEW"/*.rom >/dev/null 2>&1 || skip "the build made no ROM in $ROMCOMPAT_NEW"
# Keep what was built, by commit; a half-written entry never counts.
if [ -n "$cached" ] && [ -n "$commit" ] && [ ! -d "$cached" ]; then
	mkdir -p "$ROMCOMPAT_CACHE" && rm -rf "$cached.tmp" && mkdir "$cached.tmp" &&
		cp "$ROMCOMPAT_NEW"/*.rom "$cached.tmp"/ && mv "$cached.tmp" "$cached" ||
		echo "$me: $commit: could not keep the ROMs in $cached" >&2
fi

rc=0
"$ROMCOMPAT" bisect --old "$ROMCOMPAT_OLD" --new "$ROMCOMPAT_NEW" \
	${ROMCOMPAT_MACHINES:+--machines "$ROMCOMPAT_MACHINES"} \
	${ROMCOMPAT_NICS:+--nics "$ROMCOMPAT_NICS"} -q || rc=$?
[ "$rc" = 125 ] && skip "romcompat bisect could not test the ROMs built"
exit "$rc"
