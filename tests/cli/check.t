#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check.t - "romcompat check" on real QEMU pairs: shared pairs give the
# same verdicts as one pair per case, every verdict names its evidence,
# failures carry QEMU's block and both sizes, ambiguous shared runs are
# split, shards merge into the whole, a signal leaves a valid partial
# report and nothing running, bad input is refused before any QEMU starts.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
CATALOG=${CATALOG:-$(ls "$SRCDIR"/machine-types/x86_64/*.json 2>/dev/null | tail -1)}
[ -r "$CATALOG" ] || skip_all "no x86_64 machine-type catalog in machine-types/ (romcompat machines writes one)"
plan 54

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
left_dirs() { find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'romcompat-*' | wc -l; }

# The new set: the installed ROMs with efi-e1000.rom and efi-virtio.rom
# grown past their 256 KiB bucket, everything else unchanged.
mkdir "$T/new" "$T/same"
cp "$ROMDIR"/*.rom "$T/new/"
cp "$ROMDIR"/*.rom "$T/same/"
grow_rom "$ROMDIR/efi-e1000.rom" "$T/new/efi-e1000.rom" 300000
grow_rom "$ROMDIR/efi-virtio.rom" "$T/new/efi-virtio.rom" 300000
MACH='pc-i440fx-7.2;pc-q35-7.2;pc-i440fx-1.4'
C="--catalog $CATALOG --machines $MACH"

jqr() { jq -r "$1" "$2"; }
verdicts() { jq -r '.cases[] | "\(.machine) \(.nic) \(.direction) \(.verdict) \(.kind) \((.block // "-") | sub("^0000:([0-9a-f]{2}:)?[0-9a-f]{2}.0/"; ""))"' "$1" | sort; }

run check $C --old "$ROMDIR" --new "$T/new" --json "$T/shared.json" --junit "$T/shared.xml"
is "$rc" 1 "grown e1000 and virtio ROMs: exit 1"
total=$(jqr '.cases | length' "$T/shared.json")
fails=$(jqr '[.cases[] | select(.verdict == "fail")] | length' "$T/shared.json")
expect=$(jq -r '[.cases[] | select(.romfile == "efi-e1000.rom" or .romfile == "efi-virtio.rom")] | length' "$T/shared.json")
ok $([ "$total" -gt 40 ] && echo 0 || echo 1) "three machine types, both directions: $total cases"
is "$fails" "$expect" "exactly the cases loading a grown ROM fail ($expect)"
is "$(jqr '[.cases[] | select(.verdict == "pass" and .evidence != "migrated")] | length' "$T/shared.json")" 0 "every pass rests on a completed migration"
is "$(jqr '[.cases[] | select(.verdict == "fail" and .evidence != "attributed" and .evidence != "failed-alone")] | length' "$T/shared.json")" 0 "every failure is attributed or failed alone"
is "$(jqr '[.cases[] | select(.verdict == "fail" and .direction == "old-to-new" and (."source-size" != 262144 or ."destination-size" != 524288))] | length' "$T/shared.json")" 0 "old-to-new failures: 0x40000 on the source, 0x80000 on the destination"
is "$(jqr '[.cases[] | select(.verdict == "fail" and .direction == "new-to-old" and (."source-size" != 524288 or ."destination-size" != 262144))] | length' "$T/shared.json")" 0 "new-to-old failures: the sizes the other way round"
is "$(jqr '[.cases[] | select(.verdict == "fail" and (.block | test("^0000:(00:)?[0-9a-f]{2}\\.0/") | not))] | length' "$T/shared.json")" 0 "every failure names its NIC's RAM block"
is "$(jqr '.summary."prediction-disagreements"' "$T/shared.json")" 0 "static prediction agrees with QEMU on every case"
is "$(jqr '[.cases[] | select(.romfile == "pxe-e1000.rom" and .verdict != "pass")] | length' "$T/shared.json")" 0 "pc-i440fx-1.4's e1000 loads pxe-e1000.rom, untouched: passes"
like "$out" "efi-e1000.rom 0x40000 -> 0x80000: .*e1000" "text report: the e1000 failures in one headline"
like "$out" "QEMU pairs: [0-9]+ for $total cases" "the text says how many QEMU pairs served the cases"
pairs=$(printf '%s\n' "$out" | sed -n 's/^QEMU pairs: \([0-9]*\) .*/\1/p')
ok $([ "$pairs" -le 12 ] && echo 0 || echo 1) "pairs are shared: $pairs pairs for $total cases"
chained=$(printf '%s\n' "$out" | sed -n 's/^QEMU pairs: .* \([0-9]*\) chained on from a destination.*/\1/p')
qemus=$(printf '%s\n' "$out" | sed -n 's/^QEMU pairs: .* \([0-9]*\) QEMU processes.*/\1/p')
ok $([ "${chained:-0}" -ge 3 ] && [ "$qemus" -eq $((2 * pairs - chained)) ] && echo 0 || echo 1) \
	"each machine type's predicted passes chain old -> new -> old: $chained second legs, $qemus QEMUs for $pairs pairs"
if command -v xmllint >/dev/null; then
	xmllint --noout --schema "$SRCDIR/tests/junit/junit.xsd" "$T/shared.xml" 2>/dev/null
	ok $? "JUnit report validates"
else
	skip "xmllint not installed"
fi
is "$(grep -c '<testcase ' "$T/shared.xml")" "$total" "JUnit: one testcase per case"

run check $C --old "$ROMDIR" --new "$T/new" --nics-per-pair 1 --json "$T/alone.json"
is "$rc" 1 "one pair per case: exit 1 too"
verdicts "$T/shared.json" >"$T/v.shared"
verdicts "$T/alone.json" >"$T/v.alone"
ok $(cmp -s "$T/v.shared" "$T/v.alone"; echo $?) "shared pairs and one pair per case give the same verdict, kind and block for every case"
is "$(jqr '[.cases[] | select(.verdict == "fail" and .evidence != "failed-alone")] | length' "$T/alone.json")" 0 "one pair per case: every failure failed alone"

run check $C --old "$ROMDIR" --new "$T/new" --prove-alone --json "$T/prove.json"
is "$rc" 1 "--prove-alone: exit 1"
is "$(jqr '[.cases[] | select(.verdict == "fail" and .evidence != "failed-alone")] | length' "$T/prove.json")" 0 "--prove-alone: every failure proved alone"
verdicts "$T/prove.json" >"$T/v.prove"
ok $(cmp -s "$T/v.shared" "$T/v.prove"; echo $?) "--prove-alone confirms every attributed verdict"
like "$out" "[1-9][0-9]* to prove a failure alone" "the cost of proving alone is reported"

# A chain whose first leg fails: a catalog that claims a romsize for
# pc-q35-7.2's e1000 predicts it to pass, QEMU (not given the romsize)
# fails it; the other NICs move to new pairs, the new-to-old cases to
# pairs of their own, and QEMU's verdicts are those of the honest catalog.
jq '(.machines[] | select(.name == "pc-q35-7.2") | .nics[] | select(.model == "e1000") | .romsize) = 1048576' \
	"$CATALOG" >"$T/claims-romsize.json"
run check --catalog "$T/claims-romsize.json" --machines pc-q35-7.2 --old "$ROMDIR" --new "$T/new" --json "$T/chain-fails.json"
is "$rc" 1 "a chain's first leg fails against its prediction: exit 1"
verdicts "$T/chain-fails.json" >"$T/v.chain-fails"
grep '^pc-q35-7.2 ' "$T/v.shared" >"$T/v.q35"
ok $(cmp -s "$T/v.q35" "$T/v.chain-fails"; echo $?) "a failed first leg: the same verdict, kind and block for every case as without the claim"
is "$(jqr '.summary."prediction-disagreements"' "$T/chain-fails.json")" 2 "the wrong prediction is reported for e1000, both directions"

run check $C --old "$ROMDIR" --new "$T/same" --json "$T/same.json"
is "$rc" 0 "identical ROM sets: exit 0"
is "$(jqr '.summary.evidence.migrated' "$T/same.json")" "$(jqr '.cases | length' "$T/same.json")" "every case migrated"

run check $C --old "$ROMDIR" --new "$T/new" --static --old-qemu /nonexistent/qemu --json "$T/static.json"
is "$rc" 1 "--static: exit 1 without any QEMU"
is "$(jqr '.summary.evidence.predicted' "$T/static.json")" "$total" "--static: every verdict is a prediction"

# Shards: two jobs, merged, give the unsharded verdicts.
run check $C --old "$ROMDIR" --new "$T/new" --shard 1/2 --json "$T/s1.json"
r1=$rc
run check $C --old "$ROMDIR" --new "$T/new" --shard 2/2 --json "$T/s2.json"
is "$r1$rc" 11 "both shards fail (each holds a failing group)"
run merge --json "$T/merged.json" "$T/s1.json" "$T/s2.json"
is "$rc" 1 "merged shards: exit 1"
verdicts "$T/merged.json" >"$T/v.merged"
ok $(cmp -s "$T/v.shared" "$T/v.merged"; echo $?) "merged shards = the unsharded run, case by case"

# An ambiguous shared run: a NIC model QEMU does not have makes the
# whole pair fail to start; splitting isolates it, the others still run.
jq '(.machines[] | select(.name == "pc-q35-7.2") | .nics) += [{"model": "e1000-no-such-model", "romfile": "efi-e1000.rom"}]' "$CATALOG" >"$T/bad-model.json"
run check --catalog "$T/bad-model.json" --machines pc-q35-7.2 --direction old-to-new --old "$ROMDIR" --new "$T/same" --json "$T/amb.json"
is "$rc" 2 "a NIC model this QEMU does not have: exit 2"
is "$(jqr '[.cases[] | select(.verdict == "error")] | map(.nic) | join(",")' "$T/amb.json")" "e1000-no-such-model" "only that NIC is an error"
is "$(jqr '.cases[] | select(.nic == "e1000-no-such-model") | .kind' "$T/amb.json")" "unknown-device" "its kind: unknown-device"
like "$out" "[1-9][0-9]* to isolate an ambiguous run" "isolation pairs are counted"
is "$(jqr '[.cases[] | select(.verdict == "pass" and .evidence == "migrated")] | length' "$T/amb.json")" "$(($(jqr '.cases | length' "$T/amb.json") - 1))" "every other NIC still migrated"

# The old set as a package: its ROMs are copied out for QEMU, then removed.
if command -v dpkg-deb >/dev/null; then
	mkdir -p "$T/pkg/DEBIAN" "$T/pkg/usr/lib/ipxe/qemu"
	cp "$ROMDIR"/*.rom "$T/pkg/usr/lib/ipxe/qemu/"
	printf 'Package: ipxe-qemu\nVersion: 1.0\nArchitecture: all\nMaintainer: Test <test@localhost>\nDescription: test ROMs\n' >"$T/pkg/DEBIAN/control"
	dpkg-deb --root-owner-group -Zgzip --build "$T/pkg" "$T/ipxe-qemu_1.0_all.deb" >/dev/null
	run check $C --old "$T/ipxe-qemu_1.0_all.deb" --new "$T/new" --json "$T/deb.json"
	is "$rc" 1 "old ROMs from a .deb: exit 1"
	verdicts "$T/deb.json" >"$T/v.deb"
	ok $(cmp -s "$T/v.shared" "$T/v.deb"; echo $?) "the .deb gives the same verdicts as the directory"
else
	skip "dpkg-deb not installed"
	skip "dpkg-deb not installed"
fi

# A ROM file missing from a set is an input problem of those cases.
rm "$T/same/efi-rtl8139.rom"
run check $C --old "$ROMDIR" --new "$T/same" --json "$T/missing.json"
is "$rc" 2 "a ROM missing from the new set: exit 2"
like "$(jqr '[.cases[] | select(.kind == "romfile-missing") | .message] | first' "$T/missing.json")" "efi-rtl8139.rom is not in the new ROM set" "the error names the file and the set"

# Bad input: refused before any QEMU starts.
run check $C --old "$ROMDIR" --new "$T/new" --machines 'pc-q99-*'
is "$rc" 2 "a machine glob that selects nothing: exit 2"
run check $C --old "$T/nonexistent" --new "$T/new"
is "$rc" 2 "missing --old: exit 2"
like "$err" "nonexistent" "the error names the path"
run check $C --old "$ROMDIR" --new "$T/new" --old-qemu /nonexistent/qemu-system-x86_64
is "$rc" 3 "QEMU binary missing: exit 3"
run check $C --old "$ROMDIR" --new "$T/new" --shard 3/2
is "$rc" 2 "--shard 3/2: exit 2"

# Standard output full: one line on stderr, exit 3, nothing left.
rc=0
"$ROMCOMPAT" check $C --old "$ROMDIR" --new "$T/new" --nics e1000 >/dev/full 2>"$T/full.err" || rc=$?
is "$rc" 3 "standard output full: exit 3"
like "$(cat "$T/full.err")" "cannot write the report on standard output: No space left on device" "says so in one line"

# SIGINT in the middle: a partial report that says so, nothing left.
"$ROMCOMPAT" check $C --old "$ROMDIR" --new "$T/new" --nics-per-pair 1 -j 1 --json "$T/int.json" >"$T/int.out" 2>"$T/int.err" &
pid=$!
# Signal it once a pair is in flight (a destination QEMU waits for the
# stream), not while the QEMU binaries are still being identified: a
# signal then stops the run before it has a matrix to report on.
for _ in $(seq 200); do
	pgrep -f -- "qemu-system.*$T.*-incoming|qemu-system.*-incoming.*$T" >/dev/null && break
	sleep 0.05
done
sleep 0.3
kill -INT $pid
wait $pid
rc=$?
ok $([ "$rc" -eq 1 ] || [ "$rc" -eq 3 ]; echo $?) "interrupted: exit $rc (1 or 3)"
is "$(jqr '.interrupted' "$T/int.json")" true "the JSON report says it was interrupted"
is "$(jqr '.partial' "$T/int.json")" true "and that it is partial"
is "$(left_dirs)" 0 "no run directory left"
is "$(qemu_left "$T")" 0 "no QEMU left"
