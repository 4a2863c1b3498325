#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# diff.t - `romcompat diff`: the installed ROMs against copies where
# efi-e1000.rom grows past, grows within, or shrinks below its bucket, or
# disappears; golden reports; every kind of bad input; the NIC models of
# the architecture --arch names (its shipped catalog), x86_64 by default.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/romlib.sh"

[ -d "$ROMDIR" ] || skip_all "$ROMDIR is missing (install ipxe-qemu)"
[ -f "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom is missing"
size=$(stat -c %s "$ROMDIR/efi-e1000.rom")
bucket=1
while [ "$bucket" -lt "$size" ]; do bucket=$((bucket * 2)); done

# The "done" check: efi-e1000.rom grown to 300000 bytes.
grown=$(grown_copy grown 300000)
run diff "$ROMDIR" "$grown"
is "$rc" 1 "a ROM grown to 300000 bytes: exit 1 (incompatible)"
like "$out" "efi-e1000\.rom: $((bucket / 1024)) KiB -> 512 KiB; NIC models on x86_64: e1000 \(not on pc-i440fx-1\.4\), e1000-82544gc, e1000-82545em" \
	"names efi-e1000.rom, both buckets and its NIC models"
like "$out" "^efi-e1000\.rom +$size bytes .* 300000 bytes \(293\.0 KiB\) +512 KiB +GROWS PAST ITS BUCKET" \
	"its table row shows both sizes and the verdict"
is "$(printf '%s\n' "$out" | grep -c 'GROWS PAST\|SHRINKS\|REMOVED')" 1 "no other file is flagged"
is "$err" "" "nothing on stderr"
if ipxe_is_golden_version; then
	golden diff-grown.txt "$(printf '%s\n' "$out" | sed "s|$T|TMP|g")" "text report matches the golden file"
	run diff --json - "$ROMDIR" "$grown"
	golden diff-grown.json "$(printf '%s\n' "$out" | sed "s|$T|TMP|g")" "JSON report matches the golden file"
else
	skip "installed ipxe-qemu is not $IPXE_GOLDEN_VERSION: golden text report"
	skip "installed ipxe-qemu is not $IPXE_GOLDEN_VERSION: golden JSON report"
fi
if command -v jq >/dev/null 2>&1; then
	run diff --json - "$ROMDIR" "$grown"
	is "$(printf '%s' "$out" | jq -r '[.files[] | select(.incompatible) | .name] | join(",")')" \
		"efi-e1000.rom" "JSON: only efi-e1000.rom is incompatible"
	is "$(printf '%s' "$out" | jq -r '.files[] | select(.name == "efi-e1000.rom") | "\(.verdict) \(.new.bucket) \([.nics[].model] | join(","))"')" \
		"grows-past-bucket 524288 e1000,e1000-82544gc,e1000-82545em" "JSON: verdict, new bucket and NIC models"
else
	skip "jq is not installed: JSON checks"
	skip "jq is not installed: JSON checks"
fi

# Same files, and growth within the bucket: compatible.
run diff "$ROMDIR" "$ROMDIR"
is "$rc" 0 "the same directory twice: exit 0"
like "$out" "^Compatible: no ROM file changes bucket" "says so"
within=$(grown_copy within "$bucket")
run diff "$ROMDIR" "$within"
is "$rc" 0 "efi-e1000.rom grown to exactly its bucket ($bucket bytes): exit 0"
like "$out" "^efi-e1000\.rom .* $bucket bytes .* same bucket" "verdict: same bucket"

# Shrinking below the bucket, in the other direction.
run diff "$grown" "$ROMDIR"
is "$rc" 1 "new -> old (512 KiB back to $((bucket / 1024)) KiB): exit 1"
like "$out" "SHRINKS BELOW ITS BUCKET" "verdict: shrinks below its bucket"

# A file that disappears.
mkdir -p "$T/fewer" && cp "$ROMDIR"/*.rom "$T/fewer/" && rm "$T/fewer/efi-virtio.rom"
run diff "$ROMDIR" "$T/fewer"
is "$rc" 1 "a removed ROM: exit 1"
like "$out" "efi-virtio\.rom: removed .*virtio-net-pci" "names it and its NIC models"
run diff "$T/fewer" "$ROMDIR"
is "$rc" 0 "an added ROM: exit 0"

# Two single files pair whatever their names.
run diff "$ROMDIR/efi-e1000.rom" "$grown/efi-e1000.rom"
is "$rc" 1 "two single ROM files: exit 1 when the bucket changes"

# A .deb read in place against the directory it was made from.
deb=$(deb_with_roms)
run diff "$deb" "$ROMDIR"
is "$rc" 0 "a .deb against the same ROMs installed: exit 0"
run diff "$deb" "$grown"
is "$rc" 1 "a .deb against the grown copy: exit 1"

# --- bad inputs: one line naming the input, exit 2, the rest reported ---
bad_new() { # DESCRIPTION PATH EXPECTED-REGEX
	run diff "$ROMDIR" "$2"
	is "$rc" 2 "$1: exit 2"
	like "$err" "^romcompat: error: .*$(basename "$2").*$3" "$1: the error names it"
	is "$(lines "$err")" 1 "$1: exactly one error line"
}
bad_new "nonexistent path" "$T/no-such-dir" "no such file or directory"
bad_new "directory without ROMs" "$(empty_dir)" "no \*\.rom files"
bad_new ".deb without ROMs" "$(deb_without_roms)" "no \*\.rom file"
bad_new "corrupt .deb" "$(corrupt_deb)" "corrupt \.deb"

# Bad files inside a set: the other files are still compared.
mkdir -p "$T/mixed" && cp "$ROMDIR"/*.rom "$T/mixed/"
cp "$(not_a_rom)" "$T/mixed/efi-rtl8139.rom"
head -c 200000 "$ROMDIR/efi-virtio.rom" >"$T/mixed/efi-virtio.rom"
grow_rom "$ROMDIR/efi-e1000.rom" "$T/mixed/efi-e1000.rom" 300000
run diff "$ROMDIR" "$T/mixed"
is "$rc" 2 "not-a-ROM and truncated files in NEW: exit 2"
like "$err" "efi-rtl8139\.rom: not a PCI option ROM" "the not-a-ROM file is named"
like "$err" "efi-virtio\.rom: truncated" "the truncated file is named"
is "$(lines "$err")" 1 "one error line for the set, naming both"
like "$out" "efi-e1000\.rom: $((bucket / 1024)) KiB -> 512 KiB" "the grown file is still reported"

if can_test_unreadable; then
	dir=$(unreadable_dir)
	run_unreadable diff "$ROMDIR" "$dir"
	is "$rc" 2 "unreadable file: exit 2"
	like "$err" "^romcompat: error: cannot read the ROM file $dir/efi-e1000.rom: Permission denied; make it readable" \
		"unreadable file: the error names it"
	is "$(lines "$err")" 1 "unreadable file: exactly one error line"
	like "$out" "^efi-e1000e\.rom .* same bucket" "unreadable file: the other files are still compared"
else
	for i in 1 2 3 4; do skip "cannot make a file unreadable here (root without setpriv)"; done
fi

# --- --arch: the NIC models of that architecture's shipped catalog ---
CAT=$SRCDIR/machine-types
run diff "$ROMDIR" "$grown"
default=$out
run diff --arch x86_64 "$ROMDIR" "$grown"
is "$out" "$default" "--arch x86_64 is the default"
like "$out" "^file .* NIC models on x86_64$" "the NIC column names x86_64"
run diff --arch aarch64 "$ROMDIR" "$grown"
is "$rc" 1 "--arch aarch64: exit 1, the verdict does not depend on the architecture"
like "$out" "^file .* NIC models on aarch64$" "--arch aarch64: the NIC column names aarch64"
like "$out" "efi-e1000\.rom: $((bucket / 1024)) KiB -> 512 KiB; NIC models on aarch64: e1000, e1000-82544gc, e1000-82545em$" \
	"--arch aarch64: e1000 loads efi-e1000.rom on every virt-* (no x86 machine type named)"
run diff --arch riscv64 "$ROMDIR" "$grown"
like "$out" "efi-e1000\.rom: $((bucket / 1024)) KiB -> 512 KiB; NIC models on riscv64: e1000, e1000-82544gc, e1000-82545em$" \
	"--arch riscv64: the models of its unversioned virt (it has no versioned machine type)"
if command -v jq >/dev/null 2>&1; then
	for a in aarch64 riscv64; do
		cat=$(ls "$CAT/$a"/*.json | sort -V | tail -1)
		# The machine types where e1000 loads efi-e1000.rom: versioned ones,
		# or on riscv64 (none versioned) every one where a NIC loads a ROM.
		want=$(jq 'def versioned: .name | test("-[0-9]+\\.[0-9]+");
			([.machines[] | select(versioned)] | length > 0) as $v |
			[.machines[] | select(if $v then versioned else (.nics | map(select(.romfile != "")) | length > 0) end) |
			select(.nics[] | .model == "e1000" and .romfile == "efi-e1000.rom")] | length' "$cat")
		run diff --arch "$a" --json - "$ROMDIR" "$grown"
		is "$(printf '%s' "$out" | jq -r '.arch + " " + ([.files[] | select(.name == "efi-e1000.rom") | .nics[] | select(.model == "e1000") | .["machine-types"]] | map(tostring) | join(","))')" \
			"$a $want" "--arch $a --json: arch, and e1000 loads efi-e1000.rom on the $want machine types its catalog says"
	done
else
	skip "jq is not installed: --arch JSON"
	skip "jq is not installed: --arch JSON"
fi
for a in sparc64 ../x86_64 ""; do
	run diff --arch "$a" "$ROMDIR" "$grown"
	is "$rc:$(lines "$err"):$out" "2:1:" "--arch '$a': exit 2, one line, no report"
	like "$err" "^romcompat: error: --arch .*no machine-type catalog for that architecture.*\(aarch64, loongarch64, riscv64, x86_64\)" \
		"--arch '$a': says which architectures have one"
done

# --- usage ---
run diff "$ROMDIR"
is "$rc" 2 "one path: usage error, exit 2"
like "$err" "exactly two paths" "one path: says what is missing"

plan "$_tap_n"
