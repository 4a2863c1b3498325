#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bisect.t - "romcompat bisect" under a real "git bisect run": a small
# repository whose commits build an efi-e1000.rom that grows commit by
# commit, crossing 256 KiB at a known commit, with one commit whose build
# makes no ROM (git must skip it); the exit codes git reads; list mode.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v git >/dev/null || skip_all "git not installed"
plan 14

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
SLICE="--machines pc-q35-7.2 --nics e1000 -q"
size=$(stat -c %s "$ROMDIR/efi-e1000.rom")

# The repository: "size" says how large the build makes the ROM.
R=$T/repo
git init -q "$R"
git -C "$R" config user.email test@localhost
git -C "$R" config user.name test
cat >"$R/build.sh" <<'BUILD'
#!/bin/sh
# Builds out/efi-e1000.rom of the size in ./size (none when it says "none").
rm -rf out && mkdir out
[ "$(cat size)" = none ] && exit 0
cp "$ROMDIR/efi-e1000.rom" out/
pad=$(($(cat size) - $(stat -c %s out/efi-e1000.rom)))
[ $pad -gt 0 ] && head -c $pad /dev/zero | tr '\0' '\377' >>out/efi-e1000.rom
exit 0
BUILD
chmod +x "$R/build.sh"
i=0
# Commit 3, the first one git bisect tests, builds no ROM: git must skip it;
# commit 6 is the first whose ROM leaves the 256 KiB bucket.
for s in $size $((size + 2048)) $((size + 4096)) none $((size + 8192)) $((size + 12000)) 270000 300000; do
	echo "$s" >"$R/size"
	git -C "$R" add -A
	git -C "$R" commit -qm "commit $i: size $s"
	i=$((i + 1))
done
first_bad=$(git -C "$R" log --format='%H %s' | awk '/size 270000/ {print $1}')

(cd "$R" && git checkout -q HEAD~7 && ROMDIR=$ROMDIR ./build.sh)
run bisect --old "$ROMDIR" --new "$R/out" $SLICE
is "$rc" 0 "the first commit's ROM (same bucket): exit 0 (good)"
like "$out" "^bisect: good: all 2 cases migrate" "says why"
(cd "$R" && git checkout -q master 2>/dev/null || git checkout -q main; ROMDIR=$ROMDIR ./build.sh)
run bisect --old "$ROMDIR" --new "$R/out" $SLICE
is "$rc" 1 "the last commit's ROM (300000 bytes): exit 1 (bad)"
like "$out" "efi-e1000.rom 0x40000 -> 0x80000" "names the ROM and both sizes"
run bisect --old "$ROMDIR" --new "$R/empty-dir" $SLICE
is "$rc" 125 "no ROMs built: exit 125 (git skips)"
run bisect --old "$ROMDIR" --new "$R/out" --old-qemu "$T/no-qemu" $SLICE
is "$rc" 125 "QEMU cannot run: exit 125"
run bisect --old "$ROMDIR" --new "$R/out" --machines 'pc-q99-*'
is "$rc" 128 "bad arguments: 128 (git stops)"
run bisect --bogus
is "$rc" 128 "unknown option: 128"

# git bisect run, for real.
(
	cd "$R" &&
	git bisect start HEAD "$(git rev-list --max-parents=0 HEAD)" >"$T/bisect.log" 2>&1 &&
	ROMDIR=$ROMDIR git bisect run sh -c "./build.sh && '$ROMCOMPAT' bisect --old '$ROMDIR' --new out $SLICE" >>"$T/bisect.log" 2>&1
)
like "$(cat "$T/bisect.log")" "$first_bad is the first bad commit" "git bisect run names the commit whose ROM crosses 256 KiB"
like "$(grep -A2 "size none" "$T/bisect.log")" "bisect: cannot test: new ROMs" "the commit without ROMs was tested and skipped (125), not counted bad"
git -C "$R" bisect reset >/dev/null 2>&1

# List mode over directories.
for n in 0 1 2 3; do
	mkdir "$T/set$n"
	cp "$ROMDIR/efi-e1000.rom" "$T/set$n/"
done
grow_rom "$ROMDIR/efi-e1000.rom" "$T/set2/efi-e1000.rom" 270000
grow_rom "$ROMDIR/efi-e1000.rom" "$T/set3/efi-e1000.rom" 300000
run bisect --good "$T/set0" --candidates "$T/set1" --candidates "$T/set2" --bad "$T/set3" $SLICE
is "$rc" 0 "list mode: exit 0 when the first bad set is named"
like "$out" "^first bad: $T/set2: efi-e1000.rom 0x40000 -> 0x80000" "list mode names set2 and why"
run bisect --good "$T/set0" --bad "$T/set1" $SLICE
is "$rc" 125 "list mode: a 'bad' set that does not fail: 125"
is "$(qemu_left "$T")" 0 "no QEMU left"
