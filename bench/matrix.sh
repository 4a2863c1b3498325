#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# matrix.sh - the full matrix of the installed QEMU (every versioned
# machine type x every NIC model with a default ROM x both directions):
# old = the installed ROMs, new = the same ROMs with the files in GROW
# grown past their bucket (efi-e1000.rom and efi-virtio.rom: the e1000
# family and virtio-net fail, everything else passes).
#
# From one run it prints: the full-matrix wall time of romcompat check -j
# JOBS (median of RUNS runs, each a fresh process with nothing cached),
# the QEMU processes it started and the migrations it completed, its CPU
# share (its own user+system over its own plus its QEMU children's, target
# <= 5 %) and peak RSS (<= 16 MiB), then the naive reference harness on a
# random sample of SAMPLE cases of the same matrix (run on its own, not
# beside the matrix), its time per case, the naive matrix that makes and
# the ratio (target >= 25x).  With REFERENCE=BINARY (romcompat built
# before a change) the reference runs alternate with romcompat's, both
# medians are printed, and every case's verdict and evidence (verdict,
# kind, evidence, RAM block without its PCI address, both sizes) must be
# the same as the reference's, or the script fails.
#
#   bench/matrix.sh                              x86_64, naive sample included
#   REFERENCE=/tmp/romcompat-before bench/matrix.sh   side by side, compared
#   REFERENCE=/tmp/romcompat-before REFERENCE_CATALOG=/tmp/before.json bench/matrix.sh
#                                                the reference with its own catalog
#   NAIVE=0 RUNS=1 bench/matrix.sh               romcompat only, once
#   GROW=all bench/matrix.sh                     every ROM grown: all fail
#   MACHINES='pc-q35-7.2' bench/matrix.sh        a slice
#   ARCH=aarch64 MACHINES='virt*' bench/matrix.sh   the aarch64 virt-* matrix
#   ARCH=riscv64 MACHINES=virt bench/matrix.sh      the riscv64 virt matrix
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
reference=${REFERENCE:-}
reference_catalog=${REFERENCE_CATALOG:-}
naive=${NAIVE_HARNESS:-}
if [ -z "$naive" ]; then
	for d in "$here/../shared" "$here/../../shared"; do
		[ -r "$d/baseline/naive-pair.py" ] && naive=$d/baseline/naive-pair.py && break
	done
fi
romdir=${ROMDIR:-/usr/lib/ipxe/qemu}
arch=${ARCH:-x86_64}
catalog=${CATALOG:-$(ls "$here"/machine-types/"$arch"/*.json 2>/dev/null | tail -1)}
jobs=${JOBS:-2}
runs=${RUNS:-3}
sample=${SAMPLE:-120}
grow=${GROW:-efi-e1000.rom efi-virtio.rom}
run_naive=${NAIVE:-1}
machines=${MACHINES:-}

[ -r "$catalog" ] || { echo "matrix.sh: no $arch catalog (romcompat machines writes one)" >&2; exit 2; }
command -v jq >/dev/null || { echo "matrix.sh: jq is needed (scripts/setup.sh installs it)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The files in GROW grown 4 KiB past their power-of-two bucket, padded
# with 0xFF; the others copied as they are.
mkdir "$work/new"
for f in "$romdir"/*.rom; do
	name=$(basename "$f")
	cp -L "$f" "$work/new/"
	[ "$grow" = all ] || [[ " $grow " == *" $name "* ]] || continue
	size=$(stat -L -c %s "$f")
	bucket=1
	while [ $bucket -lt "$size" ]; do bucket=$((bucket * 2)); done
	head -c $((bucket + 4096 - size)) /dev/zero | tr '\0' '\377' >>"$work/new/$name"
done

args=(check --catalog "$catalog" --old "$romdir" --new "$work/new" -j "$jobs")
[ -n "$machines" ] && args+=(--machines "$machines")
[ "$arch" = x86_64 ] || args+=(--old-qemu "qemu-system-$arch" --new-qemu "qemu-system-$arch")
now() { date +%s.%N; }
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# run BINARY TAG I: one full run; its wall time, stats and report kept.
run() {
	local t0 t1
	t0=$(now)
	local a=("${args[@]}")
	[ "$2" = ref ] && [ -n "$reference_catalog" ] && a[2]=$reference_catalog
	ROMCOMPAT_STATS=1 "$1" "${a[@]}" --json "$work/$2.$3.json" >"$work/$2.$3.txt" 2>"$work/$2.$3.err" || [ $? -eq 1 ]
	t1=$(now)
	echo "$t1 - $t0" | bc >>"$work/$2.wall"
	grep '^romcompat-stats:' "$work/$2.$3.err" | sed 's/[a-z-]*=//g' | cut -d' ' -f2- >>"$work/$2.cpu"
}

# What must not change, per case: the RAM block without its PCI address
# (which depends on how cases share pairs).
evidence() {
	jq -r '.cases[] | [.machine, .nic, .direction, .verdict, .kind, .evidence,
		((.block // "") | sub("^[0-9a-f]{4}:([0-9a-f]{2}:)?[0-9a-f]{2}\\.[0-9a-f]/"; "")),
		(."source-size" // 0), (."destination-size" // 0)] | @tsv' "$1" | sort
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq 1 "$runs"); do
	[ -n "$reference" ] && run "$reference" ref "$i"
	run "$romcompat" rc "$i"
done
last=$work/rc.$runs
cases=$(jq '.cases | length' "$last.json")
echo "matrix: $cases cases ($(jq -r '.arch' "$last.json"), QEMU $(jq -r '.old."qemu-version"' "$last.json"), $(basename "$catalog")${machines:+, machines $machines}; grown: $grow)"
echo "  load average           $load0 before the runs, $(cut -d' ' -f1-3 /proc/loadavg) after (wall times are honest only when it was below ~1.5 before, on 2 cores)"
show() { # TAG LABEL
	local f=$work/$1.$runs
	printf '  %-22s %.2f s median of %s (%s)\n' "$2" "$(median <"$work/$1.wall")" "$runs" "$(sort -g "$work/$1.wall" | tr '\n' ' ' | sed 's/ $//')"
	grep '^QEMU pairs:' "$f.txt" | sed 's/^/    /'
	awk '{print $1 + $2, $1, $2, $3}' "$work/$1.cpu" | sort -g | awk -v n="$runs" 'NR == int((n + 1) / 2) {
		printf "    CPU %.2f s own + %.2f s QEMU (the run of median CPU); harness share %.1f %% (target <= 5 %%); peak RSS %.1f MiB (target <= 16 MiB)\n",
			$2, $3, 100 * $2 / $1, $4 / 1024 }'
}
show rc "romcompat -j $jobs"
jq -r '"    verdicts \(.summary.pass) pass, \(.summary.fail) fail, \(.summary.error) error, \(.summary."not-run") not run; evidence \(.summary.evidence | to_entries | map("\(.value) \(.key)") | join(", "))",
	"    prediction agreement \(((.cases | length) - .summary."prediction-disagreements") * 100 / (.cases | length)) % of cases (target 100 %)"' "$last.json"
status=0
if [ -n "$reference" ]; then
	show ref "reference"
	evidence "$work/ref.1.json" >"$work/ref.ev"
	for i in $(seq 1 "$runs"); do
		evidence "$work/rc.$i.json" >"$work/rc.ev"
		if ! diff "$work/ref.ev" "$work/rc.ev" >"$work/ev.diff"; then
			echo "  run $i: verdict or evidence differs from the reference in $(grep -c '^[<>]' "$work/ev.diff") lines:"
			head -20 "$work/ev.diff" | sed 's/^/    /'
			status=1
		fi
	done
	[ $status = 0 ] && echo "  every case: same verdict and evidence as the reference, in all $runs runs"
	awk -v a="$(median <"$work/ref.wall")" -v b="$(median <"$work/rc.wall")" \
		'BEGIN {printf "  wall, reference / romcompat   %.2fx\n", a / b}'
fi

[ "$run_naive" = 1 ] || exit $status
[ -r "$naive" ] || { echo "  naive harness (shared/baseline/naive-pair.py) not found: skipped"; exit $status; }
# A random sample of the same cases for the naive harness: source ROM,
# destination ROM.
jq -r --arg old "$romdir" --arg new "$work/new" '.cases[] |
	if .direction == "old-to-new" then "\(.machine) \(.nic) \($old)/\(.romfile) \($new)/\(.romfile)"
	else "\(.machine) \(.nic) \($new)/\(.romfile) \($old)/\(.romfile)" end' "$last.json" | shuf -n "$sample" >"$work/cases"
n=$(wc -l <"$work/cases")
qemu=qemu-system-$(jq -r '.arch' "$last.json")
t0=$(now)
python3 "$naive" --cases "$work/cases" "$qemu" >"$work/naive.out" 2>/dev/null || [ $? -eq 1 ]
nv_s=$(echo "$(now) - $t0" | bc)
awk -v t="$nv_s" -v n="$n" -v c="$cases" -v w="$(median <"$work/rc.wall")" 'BEGIN {
	printf "  naive-pair.py          %.1f ms a case (%d random cases, run alone); the matrix: ~%.1f s\n", 1000 * t / n, n, t / n * c
	printf "  speed-up               %.1fx (target >= 25x)\n", t / n * c / w }'
exit $status
