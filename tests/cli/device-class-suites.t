#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# device-class-suites.t - scenarios/seabios-update.ini and
# scenarios/ovmf-update.ini against another suite (trixie, through a
# private sources list): each whole scenario with --static, and a real run
# of each on two machine types.  The versions are whatever the archive has
# when the test runs, so the test asserts the shape of the answer (classes,
# devices, blocks; a real migration fails exactly where the prediction
# says, with QEMU's own line), never a version string.  Skipped, saying
# why, when the archive cannot be reached.
. "$(dirname "$0")/lib.sh"

need_trixie_firmware
plan 16

S=$SRCDIR/scenarios
M=pc-i440fx-7.2,pc-q35-7.2
A=(--apt-sources "$T/trixie.list")

# seabios: the whole scenario predicted, then a real run on two machine types.
run "${A[@]}" check "$S/seabios-update.ini" --static --json "$T/sb-static.json"
ok $([ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; echo $?) "seabios-update.ini --static: a verdict (exit $rc)"
is "$(jq -r '[.cases[] | .class] | unique | join(",")' "$T/sb-static.json")" display,firmware \
	"display and firmware cases"
is "$(jq -r '[.cases[] | select(.class == "firmware") | .device] | unique | join(",")' "$T/sb-static.json")" pc.bios \
	"the firmware cases are pc.bios"
is "$(jq -r '[.cases[] | select(.verdict != "pass" and .verdict != "fail")] | length' "$T/sb-static.json")" 0 \
	"every case predicted"
run "${A[@]}" check "$S/seabios-update.ini" --machines "$M" --json "$T/sb.json"
# The report names the version it fetched, not just the package.
like "$(jq -r '.new.roms' "$T/sb.json")" '^debian:seabios=[0-9][^ ]*$' "the report names the seabios version it fetched"
is "$(jq -r '.new.roms' "$T/sb.json")" "debian:seabios=$(ls "$XDG_CACHE_HOME/romcompat/debs/seabios" | head -1 | tr % :)" \
	"that is the version in the cache"
ok $([ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; echo $?) "seabios-update.ini on $M, real QEMU: a verdict (exit $rc)"
is "$(jq -r '[.cases[] | .evidence] - ["migrated", "failed-alone", "attributed"] | length' "$T/sb.json")" 0 \
	"every verdict rests on a real migration"
is "$(jq -r '[.cases[] | select(."prediction-agrees" != true)] | length' "$T/sb.json")" 0 \
	"QEMU agrees with the prediction on every case"
is "$(jq -r '[.cases[] | select(.verdict == "fail") | select(.message | test("^Size mismatch: ") | not)] | length' \
	"$T/sb.json")" 0 "every failure is QEMU's own size mismatch line"

# ovmf: OVMF.fd as -bios.
old_size=$(stat -L -c %s /usr/share/ovmf/OVMF.fd)
run "${A[@]}" check "$S/ovmf-update.ini" --static --json "$T/ovmf-static.json"
ok $([ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; echo $?) "ovmf-update.ini --static: a verdict (exit $rc)"
is "$(jq -r '[.cases[] | "\(.class) \(.device) \(.romfile)"] | unique | join(",")' "$T/ovmf-static.json")" \
	"firmware pc.bios OVMF.fd" "firmware cases: OVMF.fd as -bios, the pc.bios block"
new_size=$(jq -r '[.cases[] | select(.direction == "old-to-new") | ."destination-size"] | .[0]' "$T/ovmf-static.json")
run "${A[@]}" check "$S/ovmf-update.ini" --machines "$M" --json "$T/ovmf.json"
is "$rc" $([ "$old_size" = "$new_size" ] && echo 0 || echo 1) \
	"ovmf-update.ini on $M, real QEMU: incompatible exactly when OVMF.fd's size changes ($old_size -> $new_size)"
if [ "$old_size" != "$new_size" ]; then
	is "$(jq -r '[.cases[] | .block] | unique | join(",")' "$T/ovmf.json")" pc.bios "every case fails on pc.bios"
	like "$(jq -r '.cases[] | select(.direction == "old-to-new") | .message' "$T/ovmf.json" | head -1)" \
		"$(printf '^Size mismatch: pc\\.bios: 0x%x != 0x%x' "$old_size" "$new_size")" "QEMU's own line, both sizes"
else
	is "$(jq -r '[.cases[] | .evidence] | unique | join(",")' "$T/ovmf.json")" migrated "same size: every case migrated"
	skip "same size: no line to quote"
fi
is "$(qemu_left "$T")" 0 "no QEMU left running"
