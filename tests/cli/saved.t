#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# saved.t - romcompat saved on real saved VM states made here with real
# QEMU: a raw stream of pc-q35 with e1000 and virtio-net-pci, a qcow2 image
# with an internal snapshot (HMP savevm) of pc-i440fx with a virtio disk
# and virtio-net-pci, a pc-i440fx-1.4 stream (no configuration section; its
# e1000 loads pxe-e1000.rom).  Each against the installed ROMs (restores)
# and against a set with two ROMs grown past their bucket (both blocks
# named); truncated and corrupt states are one line each and exit 2; the
# user's files are never written; a state is read only as far as its RAM
# block table.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/savedlib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
command -v qemu-img >/dev/null || skip_all "qemu-img not installed"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
plan 65

S=$T/states
mkdir -p "$S"
save_stream "$S/q35.state" pc-q35-7.2 e1000,addr=2 virtio-net-pci,addr=3
ok $? "a raw migration stream of pc-q35-7.2 with e1000 and virtio-net-pci"
save_stream "$T/old14.state" pc-i440fx-1.4 e1000,addr=3 virtio-net-pci,addr=4
ok $? "a raw migration stream of pc-i440fx-1.4"
qemu-img create -q -f qcow2 "$S/vm.qcow2" 64M
save_snapshot "$S/vm.qcow2" pc-i440fx-7.2 suspend virtio-blk-pci,drive=disk0,addr=4 \
	virtio-net-pci,addr=3
like "$(qemu-img snapshot -l "$S/vm.qcow2")" "suspend" "a qcow2 image with an internal snapshot 'suspend'"
echo "notes" >"$S/README"
sums() { sha256sum "$S"/* "$T/old14.state"; }
before=$(sums)

# The installed ROMs, and a set with two ROMs grown past their bucket.
G=$T/grown
mkdir -p "$G"
cp "$ROMDIR"/*.rom "$G/"
for f in efi-e1000.rom efi-virtio.rom pxe-e1000.rom pxe-virtio.rom; do
	grow_rom "$ROMDIR/$f" "$G/$f" $(($(stat -c %s "$ROMDIR/$f") < 262144 ? 300000 : 600000))
done

run saved --static "$S/q35.state"
is "$rc" 0 "q35 stream against the installed ROMs: restores, exit 0"
like "$out" "q35.state \\(raw, machine pc-q35-7.2, x86_64\\): restores \\(predicted\\)" "machine type from the state; evidence predicted"
like "$out" "0000:00:02.0/e1000.rom +0x40000 +0x40000 +efi-e1000.rom +same" "the e1000 block as saved, from efi-e1000.rom"

run saved --static --new "$G" "$S/q35.state" --json "$T/q35.json" --junit "$T/q35.xml"
is "$rc" 1 "q35 stream against the grown ROMs: will not restore, exit 1"
is "$(jq -r '[.states[0].blocks[] | select(.verdict == "changed") | .id] | join(" ")' "$T/q35.json")" \
	"0000:00:02.0/e1000.rom 0000:00:03.0/virtio-net-pci.rom" "both changed blocks named"
is "$(jq -r '.states[0] | [.format, .machine, .verdict, .evidence] | join(" ")' "$T/q35.json")" \
	"raw pc-q35-7.2 will-not-restore predicted" "JSON: format, machine, verdict, evidence"
is "$(jq -c '.summary' "$T/q35.json")" '{"total":1,"will_not_restore":1,"unchecked":0,"unreadable":0,"skipped":0}' "JSON summary"
like "$out" "1 of 1 saved states will not restore with the new ROMs" "the summary line"
like "$out" "e1000.rom: 0x40000 saved, 0x(80000|100000) on the new host; keep the old efi-e1000.rom" "what would save it"
like "$(cat "$T/q35.xml")" "<failure message=\"will-not-restore\">.*e1000.rom" "JUnit: the state is a failure naming the block"
if command -v xmllint >/dev/null; then
	xmllint --noout --schema "$SRCDIR/tests/junit/junit.xsd" "$T/q35.xml" 2>/dev/null
	ok $? "JUnit: valid against tests/junit/junit.xsd"
else
	skip "xmllint not installed"
fi

run saved --static "$S/vm.qcow2"
is "$rc" 0 "qcow2 snapshot against the installed ROMs: exit 0"
like "$out" "vm.qcow2 \\(snapshot suspend\\) \\(qcow2, machine pc-i440fx-7.2" "the snapshot's VM state read through its L1 table"
run saved --static --new "$G" --snapshot suspend "$S/vm.qcow2" --json -
is "$rc" 1 "qcow2 snapshot against the grown ROMs: exit 1"
is "$(printf '%s' "$out" | jq -r '.states[0].blocks[] | select(.verdict == "changed") | .id')" \
	"0000:00:03.0/virtio-net-pci.rom" "its virtio-net-pci block named"

run saved --static "$T/old14.state"
is "$rc" 2 "pc-i440fx-1.4 without --machine: exit 2"
like "$err" "names no machine type.*--machine" "one line saying to give --machine"
run saved --static --machine pc-i440fx-1.4 "$T/old14.state"
is "$rc" 0 "pc-i440fx-1.4 against the installed ROMs: exit 0"
like "$out" "0000:00:03.0/e1000.rom +0x20000 +0x20000 +pxe-e1000.rom +same" "its e1000 loads pxe-e1000.rom, not efi-e1000.rom"
run saved --static --machine pc-i440fx-1.4 --new "$G" "$T/old14.state" --json "$T/old.json"
is "$rc" 1 "pc-i440fx-1.4 against the grown ROMs: exit 1"
is "$(jq -r '[.states[0].blocks[] | select(.verdict == "changed") | .rom] | join(" ")' "$T/old.json")" \
	"pxe-e1000.rom pxe-virtio.rom" "both pxe- blocks named"

# A directory: every state in it, other files skipped.
run saved --static --new "$G" "$S"
is "$rc" 1 "the directory: exit 1"
like "$out" "2 of 2 saved states will not restore" "both states in it counted"
like "$out" "skipped .*README: not a saved VM state" "the other file listed as skipped"
run saved --static --new "$G" --json - "$S"
like "$(printf '%s' "$out" | jq -r '.skipped[0]')" "README: not a saved VM state" "JSON: the skipped files listed"

# Truncated and corrupt states: one line each, exit 2.
head -c 150 "$S/q35.state" >"$T/cut.state"
run saved --static "$T/cut.state"
is "$rc:$(printf '%s\n' "$err" | grep -c .)" "2:1" "a truncated state: exit 2, one line"
like "$err" "cut.state: truncated" "the line says truncated"
{ head -c 40 "$S/q35.state"; printf '\x99'; tail -c +42 "$S/q35.state" | head -c 1000; } >"$T/bad.state"
run saved --static "$T/bad.state"
is "$rc:$(printf '%s\n' "$err" | grep -c .)" "2:1" "a corrupt state: exit 2, one line"

# Read only as far as the block table: 4 GiB of sparse bytes appended.
cp "$S/q35.state" "$T/big.state"
truncate -s +4G "$T/big.state"
trace=$(ROMCOMPAT_TRACE=1 "$ROMCOMPAT" saved --static "$T/big.state" 2>&1 >/dev/null)
rchar=$(printf '%s\n' "$trace" | sed -n 's/.*process read \([0-9]*\) bytes in all.*/\1/p')
parsed=$(printf '%s\n' "$trace" | sed -n 's/.* \([0-9]*\) bytes read up to its RAM block table.*/\1/p')
diag "4 GiB state: $parsed bytes read up to its RAM block table; the process read $rchar bytes in all"
ok $([ -n "$parsed" ] && [ "$parsed" -lt 1048576 ] && echo 0 || echo 1) "a 4 GiB state: read only up to its block table ($parsed bytes)"
# The whole process's count includes what the sanitizer runtime reads
# itself (/proc/self/maps and the like) in an ASan build.
if [ "${ROMCOMPAT#*build-asan}" = "$ROMCOMPAT" ]; then
	ok $([ -n "$rchar" ] && [ "$rchar" -lt 1048576 ] && echo 0 || echo 1) "a 4 GiB state: the process read under 1 MiB (/proc/self/io rchar: $rchar)"
else
	skip "the ASan runtime's own reads count in /proc/self/io rchar"
fi

# 100 states in a directory, under 10 s.
mkdir -p "$T/many"
for i in $(seq 1 100); do cp "$S/q35.state" "$T/many/vm$i.state"; done
start=$(date +%s.%N)
run saved --static -q --new "$G" "$T/many"
secs=$(echo "$(date +%s.%N) - $start" | bc)
diag "100 states: $secs s"
is "$rc" 1 "100 states: exit 1"
like "$out" "^100 of 100 saved states will not restore" "100 states: -q prints the verdict line"
ok $(echo "$secs < 10" | bc | grep -q 1 && echo 0 || echo 1) "100 states in under 10 s ($secs s)"

# Read back from the new QEMU, and a copy of the state loaded there.
run saved "$S/q35.state"
is "$rc" 0 "read-back: q35 against the installed ROMs: exit 0"
like "$out" "q35.state \\(raw, machine pc-q35-7.2, x86_64\\): restores \\(loaded\\)" "the new QEMU loaded the state"
run saved --new "$G" "$S/q35.state" --json "$T/q35rb.json"
is "$rc" 1 "read-back: q35 against the grown ROMs: exit 1"
like "$out" "will-not-restore \\(refused\\)" "the new QEMU refused the state"
like "$out" "QEMU: Size mismatch: 0000:00:0[23].0/(e1000|virtio-net-pci).rom: 0x40000 != 0x(80000|100000)" "QEMU's line quoted"
is "$(jq -r '[.states[0].blocks[] | select(.verdict == "changed") | "\(.id) \(.evidence)"] | join(",")' "$T/q35rb.json")" \
	"0000:00:02.0/e1000.rom read-back,0000:00:03.0/virtio-net-pci.rom read-back" "both blocks named, their new lengths read back"
run saved --machine pc-i440fx-1.4 --new "$G" "$T/old14.state" --json "$T/oldrb.json"
is "$rc" 1 "read-back: pc-i440fx-1.4 against the grown ROMs: exit 1"
is "$(jq -r '[.states[0].blocks[] | select(.verdict == "changed") | .id] | join(" ")' "$T/oldrb.json")" \
	"0000:00:03.0/e1000.rom 0000:00:04.0/virtio-net-pci.rom" "both blocks named (pxe- files)"
run saved --machine pc-i440fx-1.4 "$T/old14.state"
like "$rc:$out" "^0:.*restores \\(loaded\\)" "read-back: pc-i440fx-1.4 against the installed ROMs loads, exit 0"
run saved --new "$G" "$S/vm.qcow2"
is "$rc" 1 "read-back: the qcow2 snapshot against the grown ROMs: exit 1"
like "$out" "Size mismatch: 0000:00:03.0/virtio-net-pci.rom" "its VM state, copied out of the image, refused for the ROM block"
like "$out" "proven: with these, the new QEMU loaded the state" "the qcow2 snapshot with the installed files as compatibility ROMs loads"
run saved "$S/vm.qcow2"
is "$rc" 0 "read-back: the qcow2 snapshot against the installed ROMs: exit 0"
like "$out" "vm.qcow2 \\(snapshot suspend\\) .*: restores \\(loaded\\)" "its VM state loads, a blank disk of its size standing in for the VM's disk"
# The mitigations, proven by loading the state with them.
like "$(jq -r '.states[0].mitigation.evidence' "$T/q35rb.json")" "^loaded$" "grown ROMs: with the installed files as compatibility ROMs the state loads"
like "$(cat "$T/q35rb.json")" "romfile=" "and the remedy names romfile="
# A state saved with the grown e1000 ROM, restored with the installed one:
# the file shrank into a smaller bucket.
save_stream "$T/grown-e1000.state" pc-q35-7.2 "e1000,addr=2,romfile=$G/efi-e1000.rom"
run saved "$T/grown-e1000.state"
is "$rc" 1 "a ROM that shrank into a smaller bucket: exit 1"
like "$out" "e1000.rom: 0x80000 saved, 0x40000 on the new host; pin the device's ROM BAR to the saved size: -device e1000,romsize=524288" "a ROM that shrank into a smaller bucket: pin romsize"
like "$out" "proven: with these, the new QEMU loaded the state" "romsize pinned: the state loads"
# A new set without the file a NIC loads: QEMU will not even start.
mkdir -p "$T/lacking"
cp "$ROMDIR"/*.rom "$T/lacking/"
rm "$T/lacking/efi-e1000.rom"
run saved --new "$T/lacking" "$S/q35.state"
is "$rc" 1 "a new set without efi-e1000.rom: exit 1"
like "$out" "QEMU: .*failed to find romfile .*lacking/efi-e1000.rom" "QEMU's refusal to start is quoted"
like "$out" "0000:00:02.0/e1000.rom +0x40000 +- +efi-e1000.rom +missing" "the block is missing"
# A new set whose efi-e1000.rom is a malformed build: no verdict from it.
mkdir -p "$T/broken"
cp "$ROMDIR"/*.rom "$T/broken/"
head -c 100000 "$ROMDIR/efi-e1000.rom" >"$T/broken/efi-e1000.rom"
run saved --static --new "$T/broken" "$S/q35.state"
is "$rc:$(printf '%s\n' "$err" | grep -c '^romcompat: error: .*efi-e1000.rom')" "2:1" "a truncated new efi-e1000.rom (--static): exit 2, one line naming it, no verdict"
run saved --new "$T/broken" "$S/q35.state"
is "$rc:$(printf '%s\n' "$err" | grep -c '^romcompat: error: .*efi-e1000.rom')" "2:1" "a truncated new efi-e1000.rom (read-back): exit 2, one line naming it, no verdict"
run saved --new-qemu "$T/no-such-qemu" "$S/q35.state"
is "$rc:$(printf '%s\n' "$err" | grep -c .)" "3:1" "a new QEMU that cannot run: exit 3, one line"

# Memcheck on a read-back that is refused and proven with its mitigation,
# and on the static paths of every container.
if command -v valgrind >/dev/null && [ "${ROMCOMPAT#*build-asan}" = "$ROMCOMPAT" ]; then
	vg() { valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--trace-children=no "$ROMCOMPAT" "$@" >/dev/null 2>"$T/vg.err"; }
	vg saved --new "$G" "$S/q35.state" "$S/vm.qcow2"
	is "$?:$(grep -c '^==' "$T/vg.err")" "1:0" "valgrind: read-back, load, mitigation: exit 1, no error"
	vg saved --static --new "$G" --json "$T/vg.json" "$S" "$T/cut.state" "$T/bad.state" "$T/big.state"
	is "$?:$(grep -c '^==' "$T/vg.err")" "1:0" "valgrind: --static on every container and bad input: exit 1, no error"
else
	skip "valgrind not installed, or an ASan build" 2
fi

is "$(sums)" "$before" "the states are never written (sha256 before and after)"
is "$(qemu_left "$T")" 0 "no QEMU left running"
