#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# html.t - "romcompat check --html" and "romcompat merge --html": one page
# that references nothing outside itself, rendered by a real browser
# (headless Chromium): one heatmap cell per case, coloured by its verdict,
# whose title carries the RAM block and both sizes; one pair of bars per
# ROM file, the file that left its bucket marked; QEMU's messages escaped.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
CATALOG=${CATALOG:-$(ls "$SRCDIR"/machine-types/x86_64/*.json 2>/dev/null | tail -1)}
[ -r "$CATALOG" ] || skip_all "no x86_64 machine-type catalog in machine-types/ (romcompat machines writes one)"
. "$SRCDIR/tests/cli/romlib.sh"
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
plan 22

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
NEW=$(grown_copy grown 300000)
MACH=pc-q35-7.2

# browser ARGS... URL: headless Chromium with a profile of its own.
browser() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$T/chromium" "$@" 2>/dev/null
}
# dom FILE.html: the DOM Chromium builds from the page, on one line
# (titles hold line breaks; they become '~').
dom() { browser --dump-dom "file://$1" | tr '\n' '~'; }

run check --catalog "$CATALOG" --machines "$MACH" --nics e1000,virtio-net-pci -q \
	--old "$ROMDIR" --new "$NEW" --json "$T/r.json" --html "$T/r.html"
is "$rc" 1 "grown efi-e1000.rom: check exits 1 and writes the page"
cases=$(jq '.cases | length' "$T/r.json")
fails=$(jq '[.cases[] | select(.verdict == "fail")] | length' "$T/r.json")
roms=$(find "$ROMDIR" -maxdepth 1 -name '*.rom' | wc -l)
ok $([ -s "$T/r.html" ] && head -1 "$T/r.html" | grep -q '^<!DOCTYPE html>' && echo 0 || echo 1) \
	"an HTML document was written"

# Self-contained: no URL, no file, no script, no stylesheet or font to load.
external=$(grep -Eio 'https?:|ftp:|file://|src=|href=|url\(|@import|@font-face|<script|<link|<img|<iframe|<object' "$T/r.html" | sort -u | tr '\n' ' ')
is "$external" "" "the page references nothing outside itself"
like "$(cat "$T/r.html")" "Content-Security-Policy\" content=\"default-src 'none'" \
	"and forbids the browser to load anything"

# merge --html: the same matrix from the JSON report, no ROM bars; a
# hostile QEMU message stays text.
jq '(.cases[] | select(.verdict == "fail")) |= (.message = "</td><img src=x onerror=alert(1)><b>x</b> & \"q\"")' \
	"$T/r.json" >"$T/hostile.json"
run merge --html "$T/m.html" "$T/hostile.json"

if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
	for i in $(seq 13); do skip "chromium not installed (scripts/setup.sh installs it)"; done
else
	d=$(dom "$T/r.html")
	cells=$(printf '%s' "$d" | grep -o '<td class="c [^>]*>')
	is "$(printf '%s\n' "$cells" | grep -c .)" "$cases" "one heatmap cell per case ($cases)"
	is "$(printf '%s\n' "$cells" | grep -c 'class="c v-fail ')" "$fails" \
		"as many fail cells as failing cases ($fails)"
	like "$cells" "class=\"c v-fail k-rom-size-mismatch e-(attributed|failed-alone)\" title=\"$MACH  e1000  old-to-new~fail: rom-size-mismatch~evidence: [^~]*~ROM file: efi-e1000.rom~RAM block: 0000:00:02.0/e1000.rom~source \(old\): 256 KiB \(0x40000\)~destination \(new\): 512 KiB \(0x80000\)~" \
		"e1000 old-to-new: a fail cell with its block and both sizes"
	like "$cells" "class=\"c v-fail [^\"]*\" title=\"$MACH  e1000  new-to-old~[^\"]*source \(new\): 512 KiB \(0x80000\)~destination \(old\): 256 KiB \(0x40000\)" \
		"e1000 new-to-old: the sizes the other way round"
	like "$cells" "title=\"$MACH  e1000  old-to-new~[^\"]*QEMU: Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000" \
		"the fail cell quotes QEMU's own message"
	is "$(printf '%s\n' "$cells" | grep -c "class=\"c v-pass k-ok e-migrated\" title=\"$MACH  virtio-net-pci  ")" 2 \
		"virtio-net-pci: a pass cell in each direction, proved by a migration"
	like "$d" '<span><i class="sw v-fail k-rom-size-mismatch"></i>fail rom-size-mismatch: '"$fails"'</span>' \
		"the legend names the colour and counts it"
	is "$(printf '%s' "$d" | grep -o '<div class="rom[ "]' | wc -l)" "$roms" \
		"one pair of bars per ROM file ($roms)"
	changed=$(printf '%s' "$d" | grep -o '<div class="rom changed"><div class="name">[^<]*<span class="badge">[^<]*</span>')
	is "$changed" '<div class="rom changed"><div class="name">efi-e1000.rom<span class="badge">bucket 256 KiB → 512 KiB</span>' \
		"only efi-e1000.rom is marked: it left its 256 KiB bucket"
	like "$d" 'class="seg a-efi-x64"[^>]*title="image 1: EFI x64' "EFI images drawn as segments"
	like "$d" 'class="seg a-pad"[^>]*title="padding: [0-9]+ bytes \([0-9.]+ KiB\) of 0xff"' \
		"the grown file's 0xFF padding drawn as a segment"

	browser --screenshot="$T/r.png" --window-size=1200,900 "file://$T/r.html" >/dev/null
	ok $([ "$(head -c 8 "$T/r.png" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] &&
		echo 0 || echo 1) "Chromium renders the page to a PNG ($(stat -c %s "$T/r.png" 2>/dev/null) bytes)"

	d=$(dom "$T/m.html")
	is "$(printf '%s' "$d" | grep -o '<td class="c [^>]*>' | grep -c .)" "$cases" \
		"merge --html: the same cells"
fi
ok $(grep -q '<img\|<b>x</b>' "$T/m.html" 2>/dev/null && echo 1 || echo 0) \
	"merge --html: a hostile QEMU message is escaped, not markup"
is "$(grep -c '<div class="rom' "$T/m.html" 2>/dev/null)" 0 "merge --html: no ROM bars (the reports do not carry the files)"
run merge --html "$T/m2.html" "$T/r.json"
is "$rc" 1 "merge --html exits with the report's status"

# Bad input: a page in a directory that does not exist is refused before any QEMU runs.
run check --catalog "$CATALOG" --machines "$MACH" --nics e1000 -q --old "$ROMDIR" --new "$NEW" \
	--html "$T/no-such-dir/r.html"
is "$rc" 2 "an --html path in a missing directory: exit 2, before the run"
like "$err" "^romcompat: error: --html .*/no-such-dir/r.html: .*/no-such-dir is not a directory that exists; create it" "the error names the option, the directory and what to do"
