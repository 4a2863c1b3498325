#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# matrix.sh - the full matrix of the installed QEMU (every versioned
# machine type x every NIC model with a default ROM x both directions):
# old = the installed ROMs, new = the same ROMs each grown past its bucket.
# romcompat check -j 2 and the naive reference harness run the same case
# list in the same run; prints both wall times and their ratio (target
# <= 10 s and >= 20x), romcompat's CPU on top of its QEMU children
# (target <= 10 %), its peak RSS (<= 16 MiB), the agreement of the static
# prediction with QEMU (100 %) and whether both harnesses agree case by
# case.
#
#   bench/matrix.sh                 the whole matrix, naive harness included
#   NAIVE=0 bench/matrix.sh         romcompat only
#   MACHINES='pc-q35-7.2' bench/matrix.sh   a slice
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
naive=${NAIVE_HARNESS:-$here/../shared/baseline/naive-pair.py}
romdir=${ROMDIR:-/usr/lib/ipxe/qemu}
catalog=${CATALOG:-$(ls "$here"/machine-types/x86_64/*.json 2>/dev/null | tail -1)}
jobs=${JOBS:-2}
run_naive=${NAIVE:-1}
machines=${MACHINES:-}

[ -r "$catalog" ] || { echo "matrix.sh: no x86_64 catalog (romcompat machines writes one)" >&2; exit 2; }
command -v jq >/dev/null || { echo "matrix.sh: jq is needed (scripts/setup.sh installs it)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Every ROM grown 4 KiB past its power-of-two bucket, padded with 0xFF.
mkdir "$work/new"
for f in "$romdir"/*.rom; do
	size=$(stat -L -c %s "$f")
	bucket=1
	while [ $bucket -lt "$size" ]; do bucket=$((bucket * 2)); done
	cp -L "$f" "$work/new/"
	head -c $((bucket + 4096 - size)) /dev/zero | tr '\0' '\377' >>"$work/new/$(basename "$f")"
done

args=(check --catalog "$catalog" --old "$romdir" --new "$work/new" -j "$jobs" -q --json "$work/rc.json" --junit "$work/rc.xml")
[ -n "$machines" ] && args+=(--machines "$machines")
now() { date +%s.%N; }

t0=$(now)
ROMCOMPAT_STATS=1 "$romcompat" "${args[@]}" >"$work/rc.txt" 2>"$work/rc.err" || [ $? -eq 1 ]
rc_s=$(echo "$(now) - $t0" | bc)
cases=$(jq '.cases | length' "$work/rc.json")
echo "full matrix: $cases cases ($(jq -r '.arch' "$work/rc.json"), QEMU $(jq -r '.old."qemu-version"' "$work/rc.json"), $(basename "$catalog"))"
printf '  romcompat check -j %s  %.2f s  (target <= 10 s)\n' "$jobs" "$rc_s"
grep '^QEMU pairs:' "$work/rc.txt" | sed 's/^/  /'
jq -r '"  verdicts               \(.summary.pass) pass, \(.summary.fail) fail, \(.summary.error) error, \(.summary."not-run") not run",
	"  evidence               \(.summary.evidence | to_entries | map("\(.value) \(.key)") | join(", "))",
	"  prediction agreement   \(((.cases | length) - .summary."prediction-disagreements") * 100 / (.cases | length)) % of cases (target 100 %)"' "$work/rc.json"
grep '^romcompat-stats:' "$work/rc.err" | sed 's/[a-z-]*=//g' | awk '{
	printf "  harness CPU overhead   %.1f %% of its QEMU children (target <= 10 %%)\n", 100 * $2 / $3
	printf "  harness peak RSS       %.1f MiB (target <= 16 MiB)\n", $4 / 1024 }'

[ "$run_naive" = 1 ] || exit 0
[ -r "$naive" ] || { echo "  naive harness not found at $naive: skipped"; exit 0; }
# The same cases for the naive harness: source ROM, destination ROM.
jq -r --arg old "$romdir" --arg new "$work/new" '.cases[] |
	if .direction == "old-to-new" then "\(.machine) \(.nic) \($old)/\(.romfile) \($new)/\(.romfile)"
	else "\(.machine) \(.nic) \($new)/\(.romfile) \($old)/\(.romfile)" end' "$work/rc.json" >"$work/cases"
t0=$(now)
python3 "$naive" --cases "$work/cases" qemu-system-x86_64 >"$work/naive.out" 2>/dev/null || [ $? -eq 1 ]
nv_s=$(echo "$(now) - $t0" | bc)
printf '  naive-pair.py          %.2f s, one pair per case, sequential\n' "$nv_s"
awk -v a="$nv_s" -v b="$rc_s" 'BEGIN {printf "  speed-up               %.1fx (target >= 20x)\n", a / b}'
# Case by case: the naive harness's ok/fail against romcompat's pass/fail.
jq -r '.cases[] | if .verdict == "pass" then "ok" elif .verdict == "fail" then "fail" else .verdict end' "$work/rc.json" >"$work/rc.v"
awk '{print $3}' "$work/naive.out" >"$work/naive.v"
same=$(paste -d' ' "$work/rc.v" "$work/naive.v" | awk '$1 == $2' | wc -l)
echo "  same verdict as naive  $same of $cases cases"
