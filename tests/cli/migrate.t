#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# migrate.t - "romcompat migrate" against real QEMU: #881263 reproduced in
# both directions, growth inside the bucket, shrinking, missing and empty
# ROMs, awkward paths, bad machine types and binaries, a QEMU killed
# mid-migration and romcompat interrupted: never a QEMU or run dir left.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
plan 39

E=$ROMDIR/efi-e1000.rom
grow_rom "$E" "$T/grown.rom" 300000
grow_rom "$E" "$T/inside.rom" 262144
# A private TMPDIR: every run directory romcompat makes must be gone after.
export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
left_dirs() { find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'romcompat-*' | wc -l; }
M="--machine pc-i440fx-7.2 --nic e1000"

run migrate $M --old "$E" --new "$E" --direction both
is "$rc" 0 "same ROM migrates both ways (exit 0)"
like "$out" "old-to-new .* migrated +ok" "old-to-new migrated"
like "$out" "new-to-old .* migrated +ok" "new-to-old migrated"

run migrate $M --old "$E" --new "$T/grown.rom" --direction both
is "$rc" 1 "ROM grown past 256 KiB: exit 1"
like "$out" "Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000" "old-to-new: QEMU's own line, 0x40000 != 0x80000"
like "$out" "Size mismatch: 0000:00:02.0/e1000.rom: 0x80000 != 0x40000" "new-to-old: 0x80000 != 0x40000"
like "$out" "0000:00:02.0/e1000.rom +source 0x40000 \(256 KiB\) +destination 0x80000 \(512 KiB\)" "RAM-block comparison names the block and both sizes"
is "$(printf '%s\n' "$out" | grep -c 'rom-size-mismatch')" 2 "both directions classified rom-size-mismatch"

run migrate --machine pc-q35-7.2 --nic e1000 --old "$E" --new "$T/grown.rom" --json -
is "$rc" 1 "q35: grown ROM fails"
like "$out" '"block": "0000:00:01.0/e1000.rom"' "q35 block is 0000:00:01.0/e1000.rom (JSON)"
like "$out" '"source-size": 262144' "JSON source size"
like "$out" '"destination-size": 524288' "JSON destination size"
like "$out" '"destination-romfile": "'"$T"'/grown.rom"' "the romfile QEMU reports it loaded"

run migrate $M --old "$E" --new "$T/inside.rom" --direction both
is "$rc" 0 "grown inside the bucket (262144 bytes) migrates"

run migrate $M --old "$E" --new "$ROMDIR/pxe-e1000.rom"
is "$rc" 1 "shrinking below the bucket (75264 bytes) fails"
like "$out" "0x40000 != 0x20000" "256 KiB -> 128 KiB named"

run migrate $M --old "$E" --new "$T/missing.rom"
is "$rc" 2 "missing ROM file: exit 2"
like "$err" "^romcompat: error: --new ROM $T/missing.rom: No such file" "one line naming the file"

run migrate $M --old "$E" --new ""
is "$rc" 1 "romfile= empty on the destination: incompatible"
like "$out" 'unknown-ramblock' "classified unknown-ramblock"
like "$out" 'Unknown ramblock "0000:00:02.0/e1000.rom"' "QEMU's line shown"

mkdir "$T/a,b c"
cp "$T/grown.rom" "$T/a,b c/x.rom"
run migrate $M --old "$E" --new "$T/a,b c/x.rom"
is "$rc" 1 "ROM path with a comma and a space reaches QEMU intact"
like "$out" "romfile $T/a,b c/x.rom" "QEMU reports the exact path"

run migrate --machine pc-nope-1.0 --nic e1000 --old "$E" --new "$E"
is "$rc" 2 "unknown machine type: exit 2"
like "$out" "unknown-machine-type" "classified unknown-machine-type"

run migrate --machine pc-i440fx-7.2 --nic e1000x --old "$E" --new "$E"
is "$rc" 2 "unknown NIC model: exit 2"
like "$err" "^romcompat: error: --nic e1000x: not a PCI NIC or display device of machine type pc-i440fx-7.2 in QEMU .*; it has: e1000, " "refused before any pair starts, with the models the QEMU lists"

run migrate $M --old "$E" --new "$E" --old-qemu "$T/no-such-qemu"
is "$rc" 3 "QEMU binary missing: exit 3"
like "$err" "no-such-qemu" "the error names the binary"

# A destination QEMU SIGKILLed as soon as the migration socket exists.
cat >"$T/dying-qemu" <<SH
#!/bin/bash
qemu-system-x86_64 "\$@" &
q=\$!
for i in \$(seq 2000); do
	ls "$TMPDIR"/romcompat-*/mig.sock >/dev/null 2>&1 && break
	sleep 0.002
done
kill -9 \$q
wait \$q
kill -9 \$\$
SH
chmod +x "$T/dying-qemu"
run migrate $M --old "$E" --new "$E" --new-qemu "$T/dying-qemu" --memory 2048 --timeout 10
ok $([ "$rc" = 3 ]; echo $?) "QEMU killed mid-migration: exit 3 (got $rc)"
like "$out" "qemu-crashed" "classified qemu-crashed"

# A QEMU that never answers QMP: the case ends at its deadline.
cat >"$T/hung-qemu" <<SH
#!/bin/bash
exec sleep 30
SH
chmod +x "$T/hung-qemu"
start=$(date +%s)
run migrate $M --old "$E" --new "$E" --new-qemu "$T/hung-qemu" --timeout 1
is "$rc" 3 "QEMU that never answers: exit 3"
like "$out" "timeout" "classified timeout"
ok $([ $(($(date +%s) - start)) -le 5 ]; echo $?) "ended by its deadline"

# SIGINT to romcompat in the middle of a run.
marker=$T/sigint-marker.rom
cp "$T/grown.rom" "$marker"
cat >"$T/slow-qemu" <<SH
#!/bin/bash
sleep 0.5
exec qemu-system-x86_64 "\$@"
SH
chmod +x "$T/slow-qemu"
"$ROMCOMPAT" migrate $M --old "$E" --new "$marker" --old-qemu "$T/slow-qemu" --direction both >/dev/null 2>"$T/int.err" &
pid=$!
sleep 0.8
kill -INT $pid
wait $pid
rc=$?
is "$rc" 3 "SIGINT: exit 3"
like "$(cat "$T/int.err")" "interrupted by INT" "says it was interrupted"
sleep 0.2
is "$(qemu_left sigint-marker)" 0 "no QEMU left after SIGINT"

is "$(left_dirs)" 0 "no run directory left behind"
is "$(qemu_left "$T")" 0 "no QEMU of this test left running"
