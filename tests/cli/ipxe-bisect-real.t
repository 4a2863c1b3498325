#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ipxe-bisect-real.t - the bisect recipe (docs/ci/ipxe-bisect.sh and its
# step docs/ci/git-bisect-run.sh) on the real iPXE tree of the shared
# fixtures (ipxe-src.bundle), built for real with gcc: a commit is planted
# that turns on more protocols, commands and image formats in EFI builds
# (src/config/general.h), which moves the legacy + x86_64 EFI e1000 ROM
# out of the 256 KiB bucket, and a harmless commit follows it; the recipe,
# run from the top of the tree as documented, must name exactly the
# planted commit.  The range is GOOD = two upstream commits before it, so
# git bisect tests one upstream commit and the planted one: four commits
# built in all, one clone built cold and then incrementally (about 3 min on
# two cores).  The ROMs of each commit are kept in $BUILD/ipxe-cache/HASH/
# (the step's ROMCOMPAT_CACHE; the planted commits have fixed dates, hence
# fixed hashes), so that a second run builds nothing.
. "$(dirname "$0")/lib.sh"

case ${BUILD:-}:$ROMCOMPAT in
*build-asan*) skip_all "iPXE builds take minutes and this test runs once per make ci: it runs with the plain build, not under AddressSanitizer" ;;
esac
FIX=${ROMCOMPAT_IPXE_FIXTURES:-}
for d in "$SRCDIR/../shared/fixtures/ipxe" "$SRCDIR/../../shared/fixtures/ipxe"; do
	[ -z "$FIX" ] && [ -r "$d/ipxe-src.bundle" ] && FIX=$(cd "$d" && pwd)
done
[ -n "$FIX" ] || skip_all "no iPXE source bundle (../shared/fixtures/ipxe/ipxe-src.bundle beside the clone, or ROMCOMPAT_IPXE_FIXTURES)"
have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
for tool in git gcc make perl setsid; do
	command -v $tool >/dev/null || skip_all "$tool not installed: iPXE cannot be built (scripts/setup.sh installs it)"
done
echo '#include <lzma.h>' | gcc -E -x c - >/dev/null 2>&1 ||
	skip_all "lzma.h missing: iPXE's EFI build needs it (package liblzma-dev; scripts/setup.sh installs it)"
plan 13

BUILD=${BUILD:-$SRCDIR/build}
CACHE=$BUILD/ipxe-cache
export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir -p "$TMPDIR" "$T/bin" "$CACHE"
ln -s "$ROMCOMPAT" "$T/bin/romcompat"
export PATH=$T/bin:$PATH
export ROMCOMPAT_NEW=$T/roms ROMCOMPAT_CACHE=$CACHE ROMCOMPAT_JOBS=2

R=$T/ipxe
git clone -q "$FIX/ipxe-src.bundle" "$R" 2>"$T/clone.err" || skip_all "git clone of $FIX/ipxe-src.bundle failed: $(head -1 "$T/clone.err")"
# Fixed names and dates: the same commits, the same hashes, every run.
export GIT_AUTHOR_NAME=romcompat GIT_AUTHOR_EMAIL=romcompat@localhost GIT_COMMITTER_NAME=romcompat \
	GIT_COMMITTER_EMAIL=romcompat@localhost GIT_AUTHOR_DATE='2026-09-01T12:00:00Z' GIT_COMMITTER_DATE='2026-09-01T12:00:00Z'
good=$(git -C "$R" rev-parse HEAD~2)
tip=$(git -C "$R" rev-parse HEAD)

# The planted commit: more protocols, commands and image formats in EFI
# builds only (the legacy ROM stays as it is).
perl -0pi -e 's{(#include <config/named.h>\n)}{/* EFI builds: more download protocols, commands and image formats */
#if defined ( PLATFORM_efi )
  #define DOWNLOAD_PROTO_FTP	/* File Transfer Protocol */
  #define DOWNLOAD_PROTO_SLAM	/* Scalable Local Area Multicast */
  #define DOWNLOAD_PROTO_NFS	/* Network File System Protocol */
  #define HTTP_ENC_PEERDIST	/* PeerDist content encoding */
  #define IMAGE_CRYPT_CMD	/* Image encryption management commands */
  #define IMAGE_TRUST_CMD	/* Image trust management commands */
  #define IPSTAT_CMD		/* IP statistics commands */
  #define NEIGHBOUR_CMD		/* Neighbour management commands */
  #define NSLOOKUP_CMD		/* DNS resolving command */
  #define PING_CMD		/* Ping command */
  #define TIME_CMD		/* Time commands */
  #define IMAGE_GZIP		/* GZIP compressed image support */
  #define IMAGE_PNM		/* PNM graphical image support */
  #define IMAGE_ZLIB		/* ZLIB compressed image support */
  #define IMAGE_MIME		/* MIME image support */
  #define IMAGE_MEM_CMD		/* Read memory command */
  #define LOTEST_CMD		/* Loopback testing commands */
  #define PROFSTAT_CMD		/* Profiling commands */
  #define NET_PROTO_FCOE	/* Fibre Channel over Ethernet protocol */
  #define VNIC_XSIGO		/* Infiniband Xsigo virtual NICs */
  #define EAP_METHOD_MSCHAPV2	/* MS-CHAPv2 port authentication */
  #define ERRMSG_80211		/* All 802.11 error descriptions (~3.3kb) */
#endif

$1}' "$R/src/config/general.h"
git -C "$R" commit -qam "[efi] Enable more protocols, commands and image formats"
planted=$(git -C "$R" rev-parse HEAD)
# A harmless commit after it: the tip stays bad.
echo "Built and bisected by romcompat's tests." >>"$R/README.md"
git -C "$R" commit -qam "[doc] Note the bisect test"
bad=$(git -C "$R" rev-parse HEAD)
is "$(git -C "$R" diff --stat "$tip" "$planted" | tail -1 | sed 's/^ *//')" "1 file changed, 26 insertions(+)" \
	"the planted commit changes src/config/general.h only"

# The documented recipe, started from the top of the tree.
t0=$SECONDS
rc=0
(cd "$R" && "$SRCDIR/docs/ci/ipxe-bisect.sh" "$good" "$bad") >"$T/bisect.log" 2>&1 || rc=$?
secs=$((SECONDS - t0))
diag "ipxe-bisect.sh: $secs s ($(grep -c 'ROMs from' "$T/bisect.log") steps from $CACHE)"
grep -E 'built in|ROMs from|^bisect:|first bad' "$T/bisect.log" | sed 's/^/#   /'
is "$rc" 0 "ipxe-bisect.sh $good $bad: exit 0"
[ "$rc" = 0 ] || tail -30 "$T/bisect.log" | sed 's/^/#   /'
is "$(tail -1 "$T/bisect.log")" "first bad commit: $planted [efi] Enable more protocols, commands and image formats" \
	"names exactly the planted commit"
like "$(cat "$T/bisect.log")" "^bisect: bad: efi-e1000.rom 0x40000 -> 0x80000" "a bad step names efi-e1000.rom and its move from 256 KiB to 512 KiB"
# The commits built: both ends, then what git bisect picked.
is "$(grep -E 'built in|ROMs from' "$T/bisect.log" | cut -d' ' -f2 | tr -d : | tr '\n' ' ')" \
	"$good $bad $tip $planted " "four steps: GOOD, BAD, then git bisect picks upstream's tip and the planted commit"
is "$(grep -c '^bisect: good' "$T/bisect.log"):$(grep -c '^bisect: bad' "$T/bisect.log")" "2:2" \
	"two good verdicts (GOOD, upstream's tip), two bad (BAD, the planted commit)"

size() { stat -c %s "$1" 2>/dev/null || echo missing; }
good_efi=$(size "$CACHE/$good/efi-e1000.rom")
bad_efi=$(size "$CACHE/$planted/efi-e1000.rom")
diag "efi-e1000.rom (legacy + x86_64 .efirom, catrom.pl): $good_efi B before, $bad_efi B at the planted commit; pxe-e1000.rom $(size "$CACHE/$good/pxe-e1000.rom") B -> $(size "$CACHE/$planted/pxe-e1000.rom") B"
ok "$([ "$good_efi" -le 262144 ] && [ "$bad_efi" -gt 262144 ] 2>/dev/null; echo $?)" \
	"the real build: efi-e1000.rom $good_efi B (256 KiB bucket) -> $bad_efi B (past 262,144 B)"
is "$(size "$CACHE/$planted/pxe-e1000.rom")" "$(size "$CACHE/$good/pxe-e1000.rom")" "the legacy ROM keeps its size"
ok "$([ "$(size "$CACHE/$tip/efi-e1000.rom")" -le 262144 ] 2>/dev/null; echo $?)" \
	"upstream's tip: efi-e1000.rom $(size "$CACHE/$tip/efi-e1000.rom") B, still in the 256 KiB bucket"

# The tree is as it was.
is "$(git -C "$R" symbolic-ref --short HEAD 2>&1):$(git -C "$R" rev-parse HEAD)" "master:$bad" \
	"the tree is back on its branch at its tip"
ok "$([ ! -e "$R/.git/BISECT_START" ]; echo $?)" "git bisect was reset"

# Again, from src/ and on one machine type: every step's ROMs come from
# the cache, nothing is built.
t0=$SECONDS
rc=0
(cd "$R/src" && ROMCOMPAT_MACHINES=pc-q35-7.2 "$SRCDIR/docs/ci/ipxe-bisect.sh" "$good" "$bad") >"$T/again.log" 2>&1 || rc=$?
diag "again, from the cache: $((SECONDS - t0)) s"
is "$rc:$(grep -c 'built in' "$T/again.log"):$(tail -1 "$T/again.log" | cut -d' ' -f4)" "0:0:$planted" \
	"a second run builds nothing and names the same commit"
is "$(qemu_left "$T")" 0 "no QEMU left"
