#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-children.t - children that misbehave, and a run directory a
# killed run left behind:
#  - -j out of 0 .. 256 is refused at once (no thread, no QEMU);
#  - a QEMU from a (planted) package whose '-L help' hangs and ignores
#    SIGTERM: a signal, or its deadline, ends romcompat with one line, exit
#    3, and its process group is gone;
#  - a "QEMU" that writes 20 MB on stderr: the report stays small and says
#    how much was cut; one that then runs the real QEMU gets its right verdict;
#  - a "QEMU" that leaves a process in its group: killed with the group;
#  - a full TMPDIR: QEMU's message is still the evidence, not the source's
#    broken pipe;
#  - a run killed with SIGKILL: its run directory is removed by the next
#    run, and the directory of a run still alive is left alone;
#  - -j 32 with 64 children alive: SIGTERM ends every one of them at once.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
CATALOG=${CATALOG:-$(ls "$SRCDIR"/machine-types/x86_64/*.json 2>/dev/null | tail -1)}
[ -r "$CATALOG" ] || skip_all "no x86_64 machine-type catalog in machine-types/"
plan 37

export TMPDIR=$T/tmp XDG_RUNTIME_DIR= XDG_CACHE_HOME=$T/cache
mkdir "$TMPDIR" "$XDG_CACHE_HOME"
QEMU=$(command -v qemu-system-x86_64)
E=$ROMDIR/efi-e1000.rom
cp "$E" "$T/old.rom"
grow_rom "$E" "$T/grown.rom" 300000
M=(--machine pc-q35-7.2 --nic e1000 --old "$T/old.rom")
# A number no other process has on its command line: sleep MARK.
MARK=$((800000000 + $$))
left_dirs() { find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'romcompat-??????' | wc -l; }
marked() { pgrep -c -f -- "sleep $MARK" || true; }
# group_gone PGID: no process (but zombies init has yet to reap) in the group.
group_gone() {
	local i
	for i in $(seq 50); do
		[ -z "$(ps -o stat= -g "$1" 2>/dev/null | grep -v '^Z')" ] && return 0
		sleep 0.1
	done
	return 1
}
lines() { printf '%s\n' "$1" | grep -c .; }
now() { date +%s.%N; }
secs() { printf '%.2f' "$(echo "$2 - $1" | bc)"; }
below() { [ "$(echo "$1 < $2" | bc)" = 1 ]; }

# 1. -j out of range: one line, exit 2, before anything starts.
run machines -j 100000 -o "$T/m.json"
is "$rc:$(lines "$err")" "2:1" "machines -j 100000: exit 2, one line"
like "$err" "^romcompat: error: --jobs '100000': give a number of jobs from 1 to 256, or 0 for one per CPU$" "it names --jobs and the range"
ok $([ ! -e "$T/m.json" ] && echo 0 || echo 1) "no catalog written"
run machines -j -1
like "$rc:$err" "^2:romcompat: error: --jobs '-1'" "machines -j -1: the --jobs error, exit 2"
run check --catalog "$CATALOG" --old "$ROMDIR" --new "$ROMDIR" -j 257
is "$rc:$(lines "$err")" "2:1" "check -j 257: exit 2, one line"

# 2. A package whose QEMU hangs in '-L help' and ignores SIGTERM.
if command -v dpkg-deb >/dev/null; then
	V=1:9.9+hang-1
	mkdir -p "$T/q/DEBIAN" "$T/q/usr/bin" "$T/d/DEBIAN" "$T/d/usr/share/qemu"
	printf 'Package: qemu-system-x86\nVersion: %s\nArchitecture: amd64\nMaintainer: t <t@example.invalid>\nDescription: planted\n' "$V" >"$T/q/DEBIAN/control"
	sed 's/^Package: .*/Package: qemu-system-data/; s/^Architecture: .*/Architecture: all/' "$T/q/DEBIAN/control" >"$T/d/DEBIAN/control"
	printf '#!/bin/sh\ntrap "" TERM INT HUP\necho $$ >"%s/pgid"\nsleep %s &\nwhile :; do sleep 1; done\n' "$T" "$MARK" >"$T/q/usr/bin/qemu-system-x86_64"
	chmod 755 "$T/q/usr/bin/qemu-system-x86_64"
	echo data >"$T/d/usr/share/qemu/placeholder"
	for p in qemu-system-x86:q qemu-system-data:d; do
		dir="$XDG_CACHE_HOME/romcompat/debs/${p%:*}/$(echo "$V" | tr : %)"
		mkdir -p "$dir"
		dpkg-deb --build "$T/${p#*:}" "$dir/${p%:*}.deb" >/dev/null
	done
	"$ROMCOMPAT" migrate "${M[@]}" --new "$T/old.rom" --new-qemu "debian:qemu-system-x86=$V" \
		>/dev/null 2>"$T/term.err" &
	pid=$!
	for i in $(seq 200); do [ -s "$T/pgid" ] && break; sleep 0.1; done
	t0=$(now)
	kill -TERM $pid
	rc=0
	wait $pid || rc=$?
	took=$(secs "$t0" "$(now)")
	err=$(cat "$T/term.err")
	is "$rc:$(lines "$err")" "3:1" "SIGTERM while '-L help' hangs: exit 3, one line"
	below "$took" 5
	ok $? "romcompat ended ${took} s after the signal"
	group_gone "$(cat "$T/pgid")"
	ok $? "the hanging QEMU's process group is gone"
	is "$(marked)" 0 "and what it started in the background"
	is "$(find "$XDG_CACHE_HOME/romcompat/qemu" -mindepth 1 -maxdepth 1 | wc -l)" 0 "no half-unpacked tree is left in the cache"
	rm -f "$T/pgid"
	t0=$(now)
	run migrate "${M[@]}" --new "$T/old.rom" --new-qemu "debian:qemu-system-x86=$V"
	took=$(secs "$t0" "$(now)")
	is "$rc:$(lines "$err")" "3:1" "'-L help' past its deadline: exit 3, one line"
	like "$err" "qemu-system-x86_64 does not run here: '-L help' did not end within 30 s and was stopped" "the line says what hung and for how long"
	below "$took" 60
	ok $? "romcompat ended after ${took} s (deadline 30 s, grace 2 s)"
	group_gone "$(cat "$T/pgid")"
	ok $? "the group is gone"
	is "$(marked)" 0 "nothing it started is left"
else
	for i in $(seq 10); do skip "dpkg-deb is needed to plant a package"; done
fi

# 3. 20 MB on stderr.  junk: the destination writes one line of 20 MB and
# exits; noisy: writes it, then runs the real QEMU.
for kind in junk noisy; do
	{
		echo '#!/bin/sh'
		echo 'case " $* " in *" -incoming "*)'
		echo '	head -c 20000000 /dev/zero | tr "\0" x >&2; echo >&2'
		[ $kind = junk ] && echo '	exit 1;;' || echo '	;;'
		echo 'esac'
		echo "exec $QEMU \"\$@\""
	} >"$T/$kind-qemu"
	chmod 755 "$T/$kind-qemu"
done
rc=0
/usr/bin/time -f %M -o "$T/rss" "$ROMCOMPAT" check --catalog "$CATALOG" --old "$ROMDIR" --new "$ROMDIR" \
	--new-qemu "$T/junk-qemu" --machines pc-q35-7.2 --nics 'e1000*;virtio*;rtl8139' \
	--direction old-to-new -j 2 -q --json "$T/junk.json" >/dev/null 2>&1 || rc=$?
is "$rc" 3 "a destination that writes 20 MB and exits: the cases are errors, exit 3"
size=$(stat -c %s "$T/junk.json")
ok $([ "$size" -lt 65536 ] && echo 0 || echo 1) "the report of $(jq '.cases | length' "$T/junk.json") cases is $size bytes (was 160 MB)"
is "$(jq '[.cases[] | select((.message | length) > 600 or (.message | test("\\[\\.\\.\\. [0-9]+ more bytes\\]$") | not))] | length' "$T/junk.json")" 0 "every case's message is cut to 512 bytes and says how much more there was"
rss=$(tail -1 "$T/rss")
ok $([ "$rss" -lt 150000 ] && echo 0 || echo 1) "peak RSS ${rss} KiB (was 282 MB)"
run migrate "${M[@]}" --new "$T/grown.rom" --new-qemu "$T/noisy-qemu" --json -
is "$rc" 1 "20 MB on stderr before the real QEMU: still incompatible"
is "$(printf '%s' "$out" | jq -r '.[0] | "\(.kind) \(.evidence)"')" "rom-size-mismatch failed-alone" "QEMU's message is found after the 20 MB"
like "$(printf '%s' "$out" | jq -r '.[0].message')" "^Size mismatch: 0000:00:01.0/e1000.rom: 0x40000 != 0x80000" "and quoted"
is "$(left_dirs):$(qemu_left "$T")" "0:0" "no run directory, no QEMU left"

# 4. A destination that leaves a process in its group, then fails.
printf '#!/bin/sh\nsleep %s &\nexec %s "$@"\n' "$MARK" "$QEMU" >"$T/bg-qemu"
chmod 755 "$T/bg-qemu"
run migrate "${M[@]}" --new "$T/grown.rom" --new-qemu "$T/bg-qemu"
is "$rc" 1 "a destination QEMU with a background process: incompatible"
sleep 0.3
is "$(marked)" 0 "its background process went with its group"

# 5. A full TMPDIR: QEMU's message is not lost with it.
mkdir "$T/full"
if unshare -rm sh -c 'mount -t tmpfs -o size=8k romcompat-probe "$1"' sh "$T/full" 2>/dev/null; then
	rc=0
	unshare -rm sh -c '
		mount -t tmpfs -o size=64k romcompat-full "$1" || exit 90
		head -c 1048576 /dev/zero >"$1/filler" 2>/dev/null
		shift
		TMPDIR=$0 "$@"' "$T/full" "$T/full" "$ROMCOMPAT" migrate "${M[@]}" --new "$T/grown.rom" --json - \
		>"$T/full.out" 2>"$T/full.err" || rc=$?
	is "$rc:$(jq -r '.[0] | "\(.kind) \(.evidence)"' "$T/full.out")" "1:rom-size-mismatch failed-alone" "a full TMPDIR: the failure is still QEMU's size mismatch"
	like "$(jq -r '.[0].message' "$T/full.out")" "^Size mismatch: 0000:00:01.0/e1000.rom" "quoted from QEMU, not the source's broken pipe"
else
	skip "no private user and mount namespace here (unshare -rm, tmpfs)"
	skip "no private user and mount namespace here (unshare -rm, tmpfs)"
fi

# 6. A run killed with SIGKILL leaves its run directory; the next run
# removes it; the directory of a live run stays.
printf '#!/bin/sh\nexec sleep %s\n' "$MARK" >"$T/hang-qemu"
chmod 755 "$T/hang-qemu"
"$ROMCOMPAT" migrate "${M[@]}" --new "$T/old.rom" --new-qemu "$T/hang-qemu" --timeout 120 \
	>/dev/null 2>&1 &
pid=$!
for i in $(seq 200); do [ "$(marked)" -gt 0 ] && [ "$(left_dirs)" -gt 0 ] && break; sleep 0.1; done
live=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'romcompat-??????')
run migrate "${M[@]}" --new "$T/old.rom"
is "$rc" 0 "another run while one hangs: compatible"
ok $([ -n "$live" ] && [ -d "$live" ] && echo 0 || echo 1) "the hanging run's directory is left alone (its lock is held)"
{
	kill -KILL $pid
	wait $pid
} 2>/dev/null
sleep 0.5
ok $([ -d "$live" ] && echo 0 || echo 1) "SIGKILL leaves it behind"
is "$(marked):$(qemu_left "$T")" "0:0" "but no QEMU: they die with romcompat"
run migrate "${M[@]}" --new "$T/old.rom"
is "$rc:$(left_dirs)" "0:0" "the next run removes the stale directory"

# 7. -j 32, every pair's destination hangs: 64 children alive, then SIGTERM.
printf '#!/bin/sh\ncase " $* " in *" -incoming "*) exec sleep %s;; esac\nexec %s "$@"\n' "$MARK" "$QEMU" >"$T/slow-qemu"
chmod 755 "$T/slow-qemu"
mkdir "$T/roms"
cp "$ROMDIR"/*.rom "$T/roms/"
# Under a soft limit of 96 open files (64 QEMUs need about 200
# descriptors): romcompat raises it to the hard limit itself.
(ulimit -Sn 96 && exec "$ROMCOMPAT" check --catalog "$CATALOG" --old "$T/roms" --new "$T/roms" \
	--new-qemu "$T/slow-qemu" --machines 'pc-q35-7.2;pc-i440fx-7.2' --direction old-to-new \
	--nics-per-pair 1 --timeout 300 -j 32 -q >/dev/null 2>"$T/j32.err") &
pid=$!
for i in $(seq 1200); do
	[ "$(marked)" -ge 32 ] && [ "$(pgrep -c -f -- "qemu-system.*$T/roms/" || true)" -ge 32 ] && break
	sleep 0.1
done
alive=$(marked)
ok $([ "$alive" -ge 32 ] && echo 0 || echo 1) "-j 32: $alive hanging destinations and their sources alive"
t0=$(now)
kill -TERM $pid
rc=0
wait $pid || rc=$?
took=$(secs "$t0" "$(now)")
is "$rc" 3 "SIGTERM: exit 3"
below "$took" 10
ok $? "romcompat ended ${took} s after the signal"
sleep 0.3
is "$(marked):$(pgrep -c -f -- "qemu-system.*$T/roms/" || true)" "0:0" "no destination, no source QEMU left"
is "$(left_dirs)" 0 "no run directory left"
