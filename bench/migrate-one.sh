#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# migrate-one.sh - one migration case (pc-i440fx-7.2, e1000, installed
# efi-e1000.rom -> the same grown past its bucket) through romcompat and
# through the naive reference harness, interleaved in the same run, N
# times each.  Prints median wall times, their ratio, and romcompat's own
# CPU on top of its QEMU children's (target <= 10 %) and its peak RSS.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
naive=${NAIVE:-$here/../shared/baseline/naive-pair.py}
romdir=${ROMDIR:-/usr/lib/ipxe/qemu}
n=${N:-20}

work=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$romdir/efi-e1000.rom" "$work/grown.rom"
head -c $((300000 - $(stat -c %s "$romdir/efi-e1000.rom"))) /dev/zero | tr '\0' '\377' >>"$work/grown.rom"
args=(migrate --machine pc-i440fx-7.2 --nic e1000 --old "$romdir/efi-e1000.rom" --new "$work/grown.rom")

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

have_naive=1
[ -r "$naive" ] || { echo "naive harness not found at $naive: romcompat figures only"; have_naive=0; }
: >"$work/rc.t"; : >"$work/naive.t"; : >"$work/stats"
for _ in $(seq "$n"); do
	t0=$(now)
	ROMCOMPAT_STATS=1 "$romcompat" "${args[@]}" >/dev/null 2>>"$work/stats" || [ $? -eq 1 ]
	echo "$(now) - $t0" | bc >>"$work/rc.t"
	if [ $have_naive = 1 ]; then
		t0=$(now)
		python3 "$naive" qemu-system-x86_64 pc-i440fx-7.2 e1000 "$romdir/efi-e1000.rom" "$work/grown.rom" >/dev/null || [ $? -eq 1 ]
		echo "$(now) - $t0" | bc >>"$work/naive.t"
	fi
done

rc_ms=$(median <"$work/rc.t" | awk '{printf "%.1f", $1 * 1000}')
echo "one case, $n runs each, interleaved"
echo "  romcompat migrate      median wall ${rc_ms} ms"
if [ $have_naive = 1 ]; then
	nv_ms=$(median <"$work/naive.t" | awk '{printf "%.1f", $1 * 1000}')
	echo "  naive-pair.py          median wall ${nv_ms} ms"
	awk -v a="$nv_ms" -v b="$rc_ms" 'BEGIN {printf "  speed-up               %.2fx (one case; the matrix shares pairs)\n", a / b}'
fi
grep '^romcompat-stats:' "$work/stats" | sed 's/[a-z-]*=//g' | awk '
	{ self += $2; kids += $3; if ($4 > rss) rss = $4 }
	END {
		printf "  harness CPU overhead   %.1f %% of its QEMU children (target <= 10 %%)\n", 100 * self / kids
		printf "  harness peak RSS       %.1f MiB (target <= 16 MiB)\n", rss / 1024
	}'
