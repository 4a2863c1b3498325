#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# html.t - "romcompat check --html" and "romcompat merge --html": one page
# that references nothing outside itself, rendered by a real browser
# (headless Chromium): the failures listed first (ROM file, NICs, machine
# types, why), then one heatmap cell per case, coloured by its verdict and
# carrying its glyph, pass and fail fills at least 3:1 apart in luminance
# (read from the page's DOM and style sheet with python3's html.parser),
# whose title carries the RAM block and both sizes and says "QEMU says"
# only before QEMU's own line; one pair of bars per ROM file, the file that
# left its bucket marked; QEMU's messages escaped; the whole x86_64 matrix
# under 1 MB.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
CATALOG=${CATALOG:-$(ls "$SRCDIR"/machine-types/x86_64/*.json 2>/dev/null | tail -1)}
[ -r "$CATALOG" ] || skip_all "no x86_64 machine-type catalog in machine-types/ (romcompat machines writes one)"
. "$SRCDIR/tests/cli/romlib.sh"
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
plan 31

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
NEW=$(grown_copy grown 300000)
MACH=pc-q35-7.2

# browser ARGS... URL: headless Chromium with a profile of its own.
browser() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$T/chromium" "$@" 2>/dev/null
}
# page FILE.html OLD NEW: facts about a page, "name value" a line, from
# its DOM (python3's html.parser) and its style sheet: the WCAG contrast
# ratio of the pass and fail fills, cells whose glyph is not their
# verdict's, "QEMU says" before anything but QEMU's line naming the
# cell's block, the order of the sections, whether <title> names both sets.
cat >"$T/page.py" <<'PY'
import re
import sys
from html.parser import HTMLParser

GLYPHS = {("pass", False): "\u2713", ("fail", False): "\u2717", ("pass", True): "\u25cb",
          ("fail", True): "\u00d7", ("error", False): "!", ("error", True): "!",
          ("not-run", False): "\u00b7", ("not-run", True): "\u00b7"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.cells, self.style, self.title, self.order = [], [], "", "", []
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        self.stack.append(tag)
        if tag == "h2" and a.get("id"):
            self.order.append(a["id"])
        if tag == "table" and "heat" in cls:
            self.order.append("heatmap")
        if tag == "td" and "c" in cls:
            self.cell = {"cls": cls, "title": a.get("title", ""), "text": ""}
            self.cells.append(self.cell)

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()
        if tag == "td":
            self.cell = None

    def handle_data(self, data):
        top = self.stack[-1] if self.stack else ""
        if top == "style":
            self.style += data
        elif top == "title":
            self.title += data
        elif self.cell is not None:
            self.cell["text"] += data


def luminance(hex6):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex6[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def fill(style, cls):
    m = re.search(r"(?:^|[}\s])\." + cls + r"\{[^}]*background:#([0-9a-fA-F]{6})", style)
    return m.group(1) if m else None


def qemu_line(said, block):
    return block and re.match(r"(Size|Length) mismatch: " + re.escape(block) +
                              r": 0x[0-9a-f]+ (in )?!= 0x[0-9a-f]+(: .*)?$", said)


page = Page()
page.feed(open(sys.argv[1], encoding="utf-8").read())
p, f = fill(page.style, "v-pass"), fill(page.style, "v-fail")
lp, lf = (luminance(p), luminance(f)) if p and f else (0, 0)
print("contrast %.2f" % ((max(lp, lf) + 0.05) / (min(lp, lf) + 0.05)))
bad, verdicts, wrong = [], set(), 0
for c in page.cells:
    v = [k[2:] for k in c["cls"] if k.startswith("v-")]
    verdicts.update(v[:1])
    want = GLYPHS.get((v[0], "e-predicted" in c["cls"])) if v else "\u2013"
    if c["text"] != want:
        bad.append(" ".join(c["cls"]) + " " + repr(c["text"]))
    block = re.search(r"^RAM block: (.*)$", c["title"], re.M)
    for said in re.findall(r"^QEMU says: (.*)$", c["title"], re.M):
        wrong += not qemu_line(said, block.group(1) if block else None)
print("cells %d" % len(page.cells))
print("glyph-mismatch %d %s" % (len(bad), bad[:3]))
print("verdicts " + " ".join(sorted(verdicts)))
print("qemu-says-wrong %d" % wrong)
print("qemu-says %d" % sum("\nQEMU says: " in c["title"] for c in page.cells))
print("order " + " ".join(page.order))
print("title-names-sets %s" % ("yes" if sys.argv[2] in page.title and
                               sys.argv[3] in page.title else "no"))
PY
page() { python3 "$T/page.py" "$@" 2>&1; }
fact() { printf '%s\n' "$1" | sed -n "s/^$2 //p"; }

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

# The page read from its DOM and style sheet, without a browser.
if ! command -v python3 >/dev/null; then
	for i in $(seq 7); do skip "python3 not installed"; done
else
	facts=$(page "$T/r.html" "$ROMDIR" "$NEW")
	ratio=$(fact "$facts" contrast)
	ok $(awk -v r="$ratio" 'BEGIN { exit !(r >= 3) }' && echo 0 || echo 1) \
		"pass and fail fills: luminance contrast $ratio:1, at least 3:1"
	is "$(fact "$facts" cells) $(fact "$facts" glyph-mismatch)" "$cases 0 []" \
		"every cell has a glyph, and it is its verdict's (✓ pass, ✗ fail)"
	is "$(fact "$facts" qemu-says-wrong)" 0 \
		"'QEMU says' only before QEMU's own line naming the cell's RAM block"
	ok $([ "$(fact "$facts" qemu-says)" -ge 1 ] && echo 0 || echo 1) \
		"and a failing e1000 cell carries it ($(fact "$facts" qemu-says) cells)"
	is "$(fact "$facts" order)" "failures matrix heatmap roms" \
		"the failure list comes before the heatmap, the ROM bars after"
	is "$(fact "$facts" title-names-sets)" yes "<title> names both ROM sets"
	like "$(cat "$T/r.html")" '<tr><td class="rom">efi-e1000.rom</td><td><div>256 KiB &#8594; 512 KiB \(0x40000 &#8594; 0x80000\)</div><div>[0-9]+ cases</div></td><td><div>e1000 on 1 machine type \('"$MACH"'\), old-to-new and new-to-old</div></td><td><div>RAM block [^<]*</div><div class="qemu">QEMU says, for 1 case old-to-new' \
		"the failure list: ROM file, sizes, NIC on machine types, QEMU's line"
fi

# The whole x86_64 matrix (every machine type and NIC, both ways), the
# e1000 and virtio ROMs grown: the page stays under 1 MB.  --static gives
# the same cells without QEMU; the real run (about 10 s) is as large.
FULL=$(grown_copy full 300000)
grow_rom "$ROMDIR/efi-virtio.rom" "$FULL/efi-virtio.rom" 300000
run check --catalog "$CATALOG" --static -q --old "$ROMDIR" --new "$FULL" --html "$T/full.html"
size=$(stat -c %s "$T/full.html" 2>/dev/null || echo 0)
ok $([ "$rc" = 1 ] && [ "$size" -gt 100000 ] && [ "$size" -lt 1000000 ] && echo 0 || echo 1) \
	"the full matrix's page: $size bytes, under 1 MB"
if command -v python3 >/dev/null; then
	facts=$(page "$T/full.html" "$ROMDIR" "$FULL")
	is "$(fact "$facts" glyph-mismatch) $(fact "$facts" verdicts)" "0 [] fail pass" \
		"full matrix, predicted: hollow glyphs of their own ($(fact "$facts" cells) cells)"
else
	skip "python3 not installed"
fi

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
	like "$cells" "title=\"$MACH  e1000  old-to-new~[^\"]*QEMU says: Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000" \
		"the fail cell quotes QEMU's own message"
	is "$(printf '%s\n' "$cells" | grep -c "class=\"c v-pass k-ok e-migrated\" title=\"$MACH  virtio-net-pci  ")" 2 \
		"virtio-net-pci: a pass cell in each direction, proved by a migration"
	like "$d" '<span><i class="sw v-fail k-rom-size-mismatch">✗</i>fail rom-size-mismatch: '"$fails"'</span>' \
		"the legend names the colour and its glyph and counts it"
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
