#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# static.sh - the static prediction benchmark: `romcompat diff` of two full
# ROM sets (the installed ROMs against a copy with efi-e1000.rom grown past
# its bucket), run N times.  Prints the median wall time and the peak RSS
# next to their targets (docs: targets.md, "static prediction").
#
# Usage: bench/static.sh [N]       (N defaults to 50)
# Env:   ROMCOMPAT (default build/romcompat), ROMDIR (default /usr/lib/ipxe/qemu)
# Needs: GNU time (/usr/bin/time, Debian package "time") for the peak RSS.
set -eu

N=${1:-50}
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
ROMCOMPAT=${ROMCOMPAT:-$SRCDIR/build/romcompat}
ROMDIR=${ROMDIR:-/usr/lib/ipxe/qemu}
TARGET_MS=20
TARGET_MIB=16

if [ ! -x "$ROMCOMPAT" ]; then
	echo "static.sh: error: $ROMCOMPAT is missing; run make first" >&2
	exit 2
fi
if ! ls "$ROMDIR"/*.rom >/dev/null 2>&1; then
	echo "static.sh: error: no ROM files in $ROMDIR; install ipxe-qemu or set ROMDIR" >&2
	exit 2
fi
if [ ! -x /usr/bin/time ]; then
	echo "static.sh: error: /usr/bin/time is missing; install the Debian package 'time'" >&2
	exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
cp "$ROMDIR"/*.rom "$T/"
size=$(stat -c %s "$ROMDIR/efi-e1000.rom")
bucket=1
while [ "$bucket" -le "$size" ]; do bucket=$((bucket * 2)); done
# One byte past the bucket: the grown copy must cross it.
head -c $((bucket - size + 1)) /dev/zero | tr '\0' '\377' >>"$T/efi-e1000.rom"

rc=0
"$ROMCOMPAT" diff "$ROMDIR" "$T" >/dev/null || rc=$?
if [ "$rc" != 1 ]; then
	echo "static.sh: error: romcompat diff exited $rc, expected 1 (incompatible)" >&2
	exit 2
fi

# Warm the page cache once, then time each run on its own.
times=()
for _ in $(seq "$N"); do
	start=$(date +%s%N)
	"$ROMCOMPAT" diff "$ROMDIR" "$T" >/dev/null || true
	end=$(date +%s%N)
	times+=($(((end - start) / 1000)))
done
median_us=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {
	if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }')

peak_kb=0
for _ in 1 2 3 4 5; do
	kb=$(/usr/bin/time -f %M "$ROMCOMPAT" diff "$ROMDIR" "$T" 2>&1 >/dev/null | tail -1)
	[ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
done

n_files=$(ls "$ROMDIR"/*.rom | wc -l)
printf 'romcompat diff of two sets of %d ROM files (%s vs a grown copy), %d runs\n' \
	"$n_files" "$ROMDIR" "$N"
printf '%-22s %12s %12s  %s\n' "figure" "measured" "target" "verdict"
awk -v us="$median_us" -v t="$TARGET_MS" 'BEGIN {
	ms = us / 1000; printf "%-22s %9.2f ms %9d ms  %s\n", "median wall time", ms, t, (ms <= t ? "ok" : "MISSED") }'
awk -v kb="$peak_kb" -v t="$TARGET_MIB" 'BEGIN {
	mib = kb / 1024; printf "%-22s %8.2f MiB %8d MiB  %s\n", "peak RSS", mib, t, (mib <= t ? "ok" : "MISSED") }'
