#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-reports.t - report and catalog paths that are not plain files,
# and small structured inputs (scenario, catalog, report to merge) that
# are hostile or odd.  Every device, FIFO and link is made here in $T
# (mknod, mkfifo, ln -s): nothing outside $T is ever written to.
#
#  - writers: a link to a character device, a FIFO and a link to it, a
#    dangling link, a link to a regular file, a link to standard output:
#    devices and FIFOs are written in place, links stay links; a
#    directory, socket or block device is refused with exit 2 before any
#    QEMU starts;
#  - inputs: a FIFO or a device as scenario, catalog, compatibility
#    mapping or report to merge is refused at once (one line, exit 2), a
#    huge one (a copy of /dev/zero, a 20 GB sparse file) before a byte is
#    read, with the peak RSS measured;
#  - JSON inputs: a member given twice, a number beyond 64 bits, a
#    catalog of another architecture than its QEMU: refused;
#  - names that are not UTF-8 or hold control characters: --json output
#    stays valid JSON with the raw bytes in a *_hex member beside; text
#    output shows them escaped.
. "$(dirname "$0")/lib.sh"

[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
command -v python3 >/dev/null || skip_all "python3 not installed (it makes a socket and reads JSON strictly)"
CATALOG=$(ls "$SRCDIR"/machine-types/x86_64/*.json 2>/dev/null | tail -1)
[ -r "$CATALOG" ] || skip_all "no x86_64 machine-type catalog in machine-types/"
mknod "$T/probe" c 1 3 2>/dev/null || skip_all "mknod not allowed here (needs CAP_MKNOD)"
rm -f "$T/probe"
plan 57

export TMPDIR=$T/tmp XDG_CACHE_HOME=$T/cache XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
G=$SRCDIR/tests/golden
STATIC=(check --static --catalog "$CATALOG" --old "$ROMDIR" --new "$ROMDIR" --machines pc-q35-7.2
	--nics e1000 -q)

# A character device like /dev/null, a FIFO, links to both, a directory.
mknod "$T/null" c 1 3
ln -s null "$T/null-link"
mkfifo "$T/fifo"
ln -s fifo "$T/fifo-link"
mkdir "$T/dir"
types() { stat -c %F "$@" | tr '\n' ',' | sed 's/,$//'; }
ALL_TYPES="character special file,symbolic link,fifo,symbolic link,directory"
# A QEMU that leaves a marker when it runs at all.
printf '#!/bin/sh\ntouch "%s/qemu-ran"\nexit 1\n' "$T" >"$T/fake-qemu"
chmod +x "$T/fake-qemu"

# reader FIFO OUT: read a FIFO in the background, as a CI step would.
reader() { timeout 30 cat "$1" >"$2" & }

# --- 1. Report writers -----------------------------------------------------
reader "$T/fifo" "$T/fifo.out"
echo "an earlier report" >"$T/old.html"
ln -s old.html "$T/old-link"
ln -s new.json "$T/dangling"
run "${STATIC[@]}" --json "$T/null-link" --junit "$T/null" --tap "$T/fifo-link" \
	--html "$T/old-link"
wait
is "$rc" 0 "check --json LINK-TO-DEVICE --junit DEVICE --tap LINK-TO-FIFO --html LINK: exit 0"
is "$(types "$T/null" "$T/null-link" "$T/fifo" "$T/fifo-link" "$T/dir")" "$ALL_TYPES" \
	"the device is still a device, the FIFO a FIFO, the links links"
like "$(head -1 "$T/fifo.out")" '^1\.\.[0-9]+$' "the TAP report went through the FIFO to its reader"
is "$(stat -c %F "$T/old-link"):$(grep -c '<html' "$T/old.html")" "symbolic link:1" \
	"a link to a report: the link stays, the file it points to is the new report"
run "${STATIC[@]}" --json "$T/dangling"
is "$(stat -c %F "$T/dangling"):$(jq -r .format "$T/new.json")" "symbolic link:1" \
	"a dangling link: the report is made where it points"
is "$(ls -A "$T" | grep -v '^\.stderr$' | grep -c '^\.')" 0 "no temporary file left beside any report"

for opt in --json --junit --tap --html; do
	rm -f "$T/qemu-ran"
	run check --catalog "$CATALOG" --old-qemu "$T/fake-qemu" --old "$ROMDIR" --new "$ROMDIR" \
		"$opt" "$T/dir"
	is "$rc:$(printf '%s\n' "$err" | wc -l):$([ -e "$T/qemu-ran" ] && echo ran)" "2:1:" \
		"check $opt DIRECTORY: exit 2, one line, before any QEMU runs"
done
like "$err" "^romcompat: error: --html: cannot write the report $T/dir: a directory, not a file" \
	"the error names the option and the directory"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/sock"
mknod "$T/blk" b 7 250
run "${STATIC[@]}" --json "$T/sock"
is "$rc:$(stat -c %F "$T/sock")" "2:socket" "check --json SOCKET: exit 2, the socket left alone"
run "${STATIC[@]}" --junit "$T/blk"
is "$rc:$(stat -c %F "$T/blk")" "2:block special file" "check --junit BLOCK-DEVICE: exit 2, left alone"

reader "$T/fifo-link" "$T/merge-fifo.out"
run merge --json "$T/null-link" --junit "$T/fifo" --html "$T/null" \
	"$G/report-shard-1of2.json" "$G/report-shard-2of2.json"
wait
is "$rc" 1 "merge --json LINK-TO-DEVICE --junit FIFO --html DEVICE: the merged verdict (1)"
is "$(types "$T/null" "$T/null-link" "$T/fifo" "$T/fifo-link" "$T/dir")" "$ALL_TYPES" \
	"merge: device, FIFO and links unchanged"
like "$(head -1 "$T/merge-fifo.out")" '^<\?xml' "merge: the JUnit report went through the FIFO"
run merge --html "$T/dir" "$T/no-such-report.json"
like "$rc:$err" "^2:romcompat: error: --html: cannot write the report $T/dir: a directory" \
	"merge --html DIRECTORY: refused before the reports are read"

if have_qemu qemu-system-riscv64; then
	run machines --qemu qemu-system-riscv64 -j 2 -o "$T/null-link"
	is "$rc:$(types "$T/null" "$T/null-link")" "0:character special file,symbolic link" \
		"machines -o LINK-TO-DEVICE: exit 0, the device and the link unchanged"
	reader "$T/fifo-link" "$T/machines-fifo.out"
	run machines --qemu qemu-system-riscv64 -j 2 -o "$T/fifo"
	wait
	is "$(jq -r .arch "$T/machines-fifo.out"):$(stat -c %F "$T/fifo")" "riscv64:fifo" \
		"machines -o FIFO: the catalog went through the FIFO, which is still one"
	# What /dev/stdout is: a link to the file, pipe or terminal of fd 1.
	ln -s /proc/self/fd/1 "$T/stdout-link"
	rc=0
	"$ROMCOMPAT" machines --qemu qemu-system-riscv64 -j 2 -o "$T/stdout-link" \
		>"$T/captured.json" 2>"$T/.stderr" || rc=$?
	is "$rc:$(jq -r .arch "$T/captured.json"):$(stat -c %F "$T/stdout-link")" \
		"0:riscv64:symbolic link" \
		"machines -o LINK-TO-STDOUT into a file: the catalog alone on stdout, the link kept"
	rc=0
	"$ROMCOMPAT" machines --qemu qemu-system-riscv64 -j 2 -o "$T/stdout-link" 2>"$T/.stderr" |
		cat >"$T/piped.json"
	is "$(jq -r .arch "$T/piped.json"):$(stat -c %F "$T/stdout-link")" "riscv64:symbolic link" \
		"machines -o LINK-TO-STDOUT into a pipe: the catalog through the pipe, the link kept"
else
	for i in 1 2 3 4; do skip "qemu-system-riscv64 not installed"; done
fi
rm -f "$T/qemu-ran"
run machines --qemu "$T/fake-qemu" -o "$T/dir"
is "$rc:$(printf '%s\n' "$err" | wc -l):$([ -e "$T/qemu-ran" ] && echo ran)" "2:1:" \
	"machines -o DIRECTORY: exit 2, one line, before any QEMU runs"
is "$(find "$TMPDIR" -mindepth 1 | wc -l)" 0 "no run directory left"

# --- 4. Inputs that are not regular files: refused at once -----------------
mknod "$T/zero" c 1 5
# refused NAME ARGS...: romcompat ARGS, bounded in time and address space
# (a regression must not take the machine's memory: /dev/zero never ends),
# peak RSS in $rss (KiB); then exit 2, one line on stderr.
refused() {
	local name=$1
	shift
	rc=0
	(
		case $ROMCOMPAT in *asan*) ;; *) ulimit -v 4000000 ;; esac
		exec timeout 30 /usr/bin/time -o "$T/rss" -f %M "$ROMCOMPAT" "$@"
	) >"$T/.out" 2>"$T/.stderr" || rc=$?
	err=$(cat "$T/.stderr")
	rss=$(tail -1 "$T/rss")
	is "$rc:$(printf '%s\n' "$err" | wc -l)" "2:1" "$name: exit 2, one line"
}
refused "a FIFO as the scenario" check "$T/fifo"
like "$err" "scenario $T/fifo: a FIFO, not a regular file" "it says what the scenario is"
refused "a FIFO as the catalog" "${STATIC[@]/$CATALOG/$T/fifo-link}"
refused "a FIFO as the compatibility mapping" "${STATIC[@]}" --mitigation "compat=$T/fifo"
refused "a FIFO as a report to merge" merge "$G/report-shard-1of2.json" "$T/fifo-link"
refused "a character device as the scenario" check "$T/zero"
refused "a directory as the catalog" "${STATIC[@]/$CATALOG/$T/dir}"
is "$(types "$T/null" "$T/null-link" "$T/fifo" "$T/fifo-link" "$T/dir")" "$ALL_TYPES" \
	"the inputs are left as they were"

# --- 5. Inputs too large: the size is checked before reading -----------------
refused "merge of a copy of /dev/zero" merge "$T/zero"
ok $([ "$rss" -lt 65536 ]; echo $?) "merge of a copy of /dev/zero: peak RSS $rss KiB (< 64 MiB)"
truncate -s 20G "$T/huge.json"
refused "merge of a 20 GB sparse file" merge "$T/huge.json"
like "$err" "report $T/huge.json: 21474836480 bytes, more than the 16777216 a report may have" \
	"the error gives the size and the bound (16 MiB)"
ok $([ "$rss" -lt 65536 ]; echo $?) "merge of a 20 GB file: peak RSS $rss KiB (< 64 MiB)"
refused "a 20 GB catalog" "${STATIC[@]/$CATALOG/$T/huge.json}"
ok $([ "$rss" -lt 65536 ]; echo $?) "a 20 GB catalog: peak RSS $rss KiB (< 64 MiB)"
refused "a 20 GB scenario" check "$T/huge.json"

# --- 18. JSON json-c would take wrongly; a catalog of another architecture ---
sed '0,/"verdict": "pass"/s//"verdict": "fail", "verdict": "pass"/' \
	"$G/report-shard-1of2.json" >"$T/twice.json"
run merge "$T/twice.json" "$G/report-shard-2of2.json"
like "$rc:$err" "^2:romcompat: error: $T/twice.json: line [0-9]+: member \"verdict\" given twice in one object" \
	"merge: a report with a member twice is refused (json-c keeps the last)"
sed '0,/"source-size": [0-9]*/s//"source-size": 1000000000000000000000000000000/' \
	"$G/report-shard-1of2.json" >"$T/huge-number.json"
run merge "$T/huge-number.json" "$G/report-shard-2of2.json"
like "$rc:$err" "^2:romcompat: error: $T/huge-number.json: line [0-9]+: the number 10{30} is out of range" \
	"merge: 10^30 is refused, not clamped to INT64_MAX"
sed '0,/"arch": "x86_64"/s//"arch": "x86_64", "arch": "aarch64"/' "$CATALOG" >"$T/twice-catalog.json"
run "${STATIC[@]/$CATALOG/$T/twice-catalog.json}"
like "$rc:$err" "^2:romcompat: error: $T/twice-catalog.json: line [0-9]+: member \"arch\" given twice" \
	"a catalog with a member twice is refused"
if have_qemu; then
	run check --catalog "$SRCDIR/machine-types/aarch64/7.2.22.json" --old "$ROMDIR" \
		--new "$ROMDIR" --machines virt
	like "$rc:$err" "^2:romcompat: error: catalog .*/aarch64/7.2.22.json is for aarch64, but QEMU .*qemu-system-x86_64 is x86_64" \
		"check: a catalog of another architecture than its QEMU is refused, naming both"
	is "$(printf '%s\n' "$err" | wc -l):$(qemu_left "$T")" "1:0" "one line, no QEMU left"
else
	skip "qemu-system-x86_64 not installed"
	skip "qemu-system-x86_64 not installed"
fi

# --- 19, 20. Names that are not UTF-8 or hold control characters -----------
mkdir "$T/roms"
cp "$ROMDIR/efi-e1000.rom" "$T/roms/a"$'\xff'"b.rom"
cp "$ROMDIR/efi-e1000.rom" "$T/roms/nl"$'\n'"x"$'\033'"[31m.rom"
# json_ok FILE: python3 parses it as strict JSON (UTF-8).
json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$1"; }
"$ROMCOMPAT" inspect --json - "$T/roms" >"$T/inspect.json" 2>/dev/null
ok $(json_ok "$T/inspect.json"; echo $?) "inspect --json: valid JSON with a name holding byte 0xff"
is "$(jq -r '.inputs[0].files[] | select(.name_hex) | .name_hex' "$T/inspect.json")" \
	"$(printf 'a\377b.rom' | od -An -tx1 | tr -d ' \n')" \
	"inspect --json: the name's exact bytes in name_hex, beside the repaired name"
is "$(jq -r '.inputs[0].files[].name' "$T/inspect.json" | head -1)" "a"$'\xef\xbf\xbd'"b.rom" \
	"inspect --json: the byte that is not UTF-8 is U+FFFD in the name"
"$ROMCOMPAT" diff --json - "$T/roms" "$T/roms" >"$T/diff.json" 2>/dev/null
ok $(json_ok "$T/diff.json"; echo $?) "diff --json: valid JSON"
run inspect "$T/roms"
like "$out" '^a\\xffb\.rom  249856 bytes' "inspect text: byte 0xff shown as \\xff"
like "$out" '^nl\\nx\\x1b\[31m\.rom  249856 bytes' "inspect text: newline and escape shown as \\n and \\x1b"
ok $(printf '%s' "$out" | grep -q $'\033'; [ $? = 1 ]; echo $?) "inspect text: no escape character reaches the terminal"
run diff "$T/roms" "$T/roms"
like "$out" 'nl\\nx\\x1b\[31m\.rom +249856 bytes' "diff text: the name escaped in the table"

WEIRD=$T/roms/old$'\xff\n'
mkdir "$WEIRD"
cp "$ROMDIR"/*.rom "$WEIRD/"
run "${STATIC[@]}" --old "$WEIRD" --json "$T/weird.json"
ok $(json_ok "$T/weird.json"; echo $?) "check --json with ROMs in a directory named with 0xff and a newline: valid JSON"
is "$(jq -r .old.roms_hex "$T/weird.json")" "$(printf '%s' "$WEIRD" | od -An -tx1 | tr -d ' \n')" \
	"check --json: roms_hex holds the path's bytes"
run merge --json "$T/weird-merged.json" "$T/weird.json"
ok $(cmp -s "$T/weird.json" "$T/weird-merged.json"; echo $?) \
	"merge takes it back: the merged report is the same, bytes and all"
run "${STATIC[@]}" --old "$WEIRD/missing"$'\n'"x"
is "$rc:$(printf '%s\n' "$err" | wc -l)" "2:1" "a bad path holding a newline: exit 2, one line"
like "$err" 'old\\xff\\n/missing\\nx: ' "the error shows the path escaped"
