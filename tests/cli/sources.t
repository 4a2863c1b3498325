#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sources.t - debian:PACKAGE[=VERSION] as a ROM source: fetched with apt
# from the archive this machine's apt is configured for, cached, read in
# place; unknown packages and versions are input errors, an unreachable
# archive an infrastructure one; a private sources list never touches the
# system's apt state.  Two runs fetching the same version into one cache
# both succeed (a lock per version); a cached package cut short is
# fetched again, or named for deletion when apt has no copy of it.
. "$(dirname "$0")/lib.sh"

command -v apt-get >/dev/null || skip_all "apt-get not installed"
export XDG_CACHE_HOME=$T/cache TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
version=$(apt-cache policy ipxe-qemu 2>/dev/null | sed -n 's/^ *Candidate: //p')
[ -n "$version" ] && [ "$version" != "(none)" ] || skip_all "apt knows no ipxe-qemu here"
run inspect "debian:ipxe-qemu=$version"
[ "$rc" -eq 3 ] && skip_all "the Debian archive is not reachable from here: $err"
plan 23
vre=$(printf '%s' "$version" | sed 's/[.+~]/\\&/g')

is "$rc" 0 "inspect debian:ipxe-qemu=$version: exit 0"
like "$out" "^debian:ipxe-qemu=$vre: \.deb package, [0-9]+ ROM files" "reads the fetched package in place"
deb=$(ls "$T"/cache/romcompat/debs/ipxe-qemu/*/*.deb 2>/dev/null | head -1)
ok $([ -f "$deb" ]; echo $?) "the package is cached under \$XDG_CACHE_HOME/romcompat/debs"
before=$(stat -c %Y "$deb")
sleep 1
run --trace inspect "debian:ipxe-qemu=$version"
like "$err" "$vre: cached .*/debs/ipxe-qemu/" "a second run takes the cached package"
is "$(stat -c %Y "$deb")" "$before" "and does not fetch it again"
run inspect debian:ipxe-qemu
is "$rc" 0 "debian:ipxe-qemu (the candidate version): exit 0"

mkdir "$T/grown"
dpkg-deb -x "$deb" "$T/x" && cp "$T"/x/usr/lib/ipxe/qemu/*.rom "$T/grown/"
grow_rom "$T/grown/efi-e1000.rom" "$T/grown/big.rom" 300000 && mv "$T/grown/big.rom" "$T/grown/efi-e1000.rom"
run diff "debian:ipxe-qemu=$version" "$T/grown"
is "$rc" 1 "diff of the package against a grown set: exit 1"
like "$out" "efi-e1000.rom: 256 KiB -> 512 KiB" "names the file that leaves its bucket"

# The same source on check's command line: a package, not a path.
run check -q --static --old "debian:ipxe-qemu=$version" --new "$T/grown" --machines pc-q35-7.2 --nics e1000 --json "$T/src.json"
is "$rc" 1 "check --old debian:ipxe-qemu=VERSION on the command line: exit 1 against the grown set"
is "$(jq -r '.cases[0].block // .cases[0].romfile' "$T/src.json")" "efi-e1000.rom" "the package's ROM is the one compared"

# Two runs sharing a fresh cache fetch the same version at once: both succeed.
for round in 1 2; do
	rm -rf "$T/shared"
	ra=0 rb=0
	XDG_CACHE_HOME=$T/shared "$ROMCOMPAT" inspect "debian:ipxe-qemu=$version" >/dev/null 2>"$T/a.err" &
	pid=$!
	XDG_CACHE_HOME=$T/shared "$ROMCOMPAT" inspect "debian:ipxe-qemu=$version" >/dev/null 2>"$T/b.err" || rb=$?
	wait $pid || ra=$?
	is "$ra:$rb:$(cat "$T/a.err" "$T/b.err")" "0:0:" "round $round: two runs fetching the same version into one cache both succeed"
done

# A cached package cut short (a full disk, an interrupted copy) is fetched again.
size=$(stat -c %s "$deb")
truncate -s $((size / 2)) "$deb"
run --trace inspect "debian:ipxe-qemu=$version"
is "$rc" 0 "a cached package cut short: still exit 0"
like "$err" "is damaged \($((size / 2)) bytes that differ from the $size apt expects\): fetching it again" "it is found damaged against apt's size and fetched again"
is "$(stat -c %s "$deb")" "$size" "the cached package is whole again"
# A damaged package of a version apt does not have: the error names the file to delete.
mkdir -p "$T/cache/romcompat/debs/ipxe-qemu/9.9-local"
head -c $((size / 2)) "$deb" >"$T/cache/romcompat/debs/ipxe-qemu/9.9-local/ipxe-qemu_9.9-local_all.deb"
run inspect "debian:ipxe-qemu=9.9-local"
is "$rc:$(printf '%s\n' "$err" | wc -l)" "2:1" "a damaged package apt has no copy of: exit 2, one line"
like "$err" "the cached package .*/9\.9-local/ipxe-qemu_9\.9-local_all\.deb is damaged .*; delete it" "the line names the file to delete"

run inspect debian:ipxe-qemu=0.0.0-no-such-version
is "$rc" 2 "a version apt does not have: exit 2"
like "$err" "apt has no such version \(it knows: .*$vre" "the error lists the versions apt knows"
run inspect debian:no-such-package-romcompat
is "$rc" 2 "a package apt does not know: exit 2"
run inspect 'debian:Bad_Name'
is "$rc" 2 "a malformed source: exit 2"

printf 'deb http://host.invalid/debian bookworm main\n' >"$T/unreachable.list"
run --apt-sources "$T/unreachable.list" inspect debian:ipxe-qemu
is "$rc" 3 "a sources list whose archive cannot be reached: exit 3"
like "$err" "apt-get update with .*unreachable.list failed: .*host.invalid" "the error names the list and apt's reason"
