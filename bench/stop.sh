#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# stop.sh - how long "romcompat check" takes to stop on SIGTERM with every
# worker's QEMU pair alive: -j N (default 256, so 512 QEMUs), one NIC a
# pair, each destination a real QEMU whose ROM is a FIFO nobody writes to:
# it blocks opening it while it sets up its NIC, after its guest RAM was
# allocated, and never answers QMP, so every pair waits until romcompat is
# told to stop.
# Prints how many QEMUs were alive at the signal, the time from the signal
# to romcompat's exit (target <= 2 s) and how many QEMUs were left (must
# be 0); exits 1 when any was left.
#
# A paused QEMU (-m 64 -S) costs about 16 MiB of private memory (42 MiB
# peak RSS with its shared libraries).  When MemAvailable cannot hold 2 N
# of them with RESERVE_MIB (default 3072) to spare, N is lowered to what
# fits and the output says so; the run is also stopped early if
# MemAvailable falls below the reserve while the QEMUs start.
#
#   bench/stop.sh              -j 256
#   JOBS=32 bench/stop.sh      -j 32
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
romdir=${ROMDIR:-/usr/lib/ipxe/qemu}
catalog=${CATALOG:-$(ls "$here"/machine-types/x86_64/*.json 2>/dev/null | tail -1)}
jobs=${JOBS:-256}
reserve_kib=$((${RESERVE_MIB:-3072} * 1024))
per_qemu_kib=$((20 * 1024))
qemu=$(command -v qemu-system-x86_64) || { echo "stop.sh: qemu-system-x86_64 is needed" >&2; exit 2; }
[ -r "$catalog" ] || { echo "stop.sh: no x86_64 catalog (romcompat machines writes one)" >&2; exit 2; }

avail() { awk '/^MemAvailable:/ {print $2}' /proc/meminfo; }
fits=$((($(avail) - reserve_kib) / (2 * per_qemu_kib)))
if [ "$fits" -lt "$jobs" ]; then
	echo "memory: $(($(avail) / 1024)) MiB available holds $((2 * fits)) paused QEMUs, not $((2 * jobs)): -j $fits"
	jobs=$fits
fi
[ "$jobs" -ge 1 ] || { echo "stop.sh: not enough memory for one QEMU pair" >&2; exit 2; }
want=$((2 * jobs))

work=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/roms"
cp -L "$romdir"/*.rom "$work/roms/"
mkfifo "$work/rom.fifo"
cat >"$work/stalled-qemu" <<EOF
#!/bin/sh
# A destination: the real QEMU, its NIC's ROM a FIFO nobody writes to.
case " \$* " in *" -incoming "*) ;; *) exec $qemu "\$@" ;; esac
for a; do
	shift
	case \$a in *romfile=*) a="\${a%%romfile=*}romfile=$work/rom.fifo" ;; esac
	set -- "\$@" "\$a"
done
exec $qemu "\$@"
EOF
chmod 755 "$work/stalled-qemu"
live() { pgrep -c -f -- "qemu-system.*$work/ro" || true; }

"$romcompat" check --catalog "$catalog" --old "$work/roms" --new "$work/roms" \
	--new-qemu "$work/stalled-qemu" --machines 'pc-*' --direction old-to-new \
	--nics-per-pair 1 --timeout 900 -j "$jobs" -q >/dev/null 2>"$work/err" &
pid=$!
avail0=$(avail)
start=$(date +%s)
best=0
best_at=$start
while :; do
	n=$(live)
	now=$(date +%s)
	[ "$n" -gt "$best" ] && best=$n best_at=$now
	[ "$n" -ge "$want" ] && break
	if [ "$(avail)" -lt "$reserve_kib" ]; then
		echo "memory: MemAvailable below $((reserve_kib / 1024)) MiB with $n QEMUs alive: stopping here"
		break
	fi
	[ $((now - best_at)) -ge 60 ] && { echo "no new QEMU for 60 s: stopping at $n"; break; }
	[ $((now - start)) -ge 900 ] && { echo "900 s without $want QEMUs: stopping at $n"; break; }
	sleep 0.5
done
# Let the last ones finish starting.
[ "$n" -ge "$want" ] && sleep "${SETTLE:-5}"
alive=$(live)
echo "started: $alive QEMUs alive after $(($(date +%s) - start)) s (-j $jobs), $(((avail0 - $(avail)) / 1024)) MiB of memory in use by them"
t0=$(date +%s.%N)
kill -TERM $pid
rc=0
wait $pid || rc=$?
t1=$(date +%s.%N)
sleep 1
left=$(live)
took=$(echo "$t1 - $t0" | bc)
printf 'stop: %.2f s from SIGTERM to exit (status %d) with %d QEMUs alive; target <= 2 s: %s\n' \
	"$took" "$rc" "$alive" "$([ "$(echo "$took <= 2" | bc)" = 1 ] && echo met || echo missed)"
echo "QEMUs left: $left"
[ "$left" -eq 0 ]
