#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ci-recipes.t - the CI recipes of docs/ci/ run here: the script lines of
# the GitLab jobs and the run: steps of the GitHub jobs, read out of the
# YAML, run once per shard with the CI's variables set as the CI sets them
# and local ROM sets (the installed ROMs, a copy with efi-e1000.rom grown
# past 256 KiB) on a slice of the matrix; the merged report must hold the
# verdicts of one unsharded run and its JUnit must validate.  The bisect
# recipe runs under a real `git bisect run` over a small repository whose
# commits grow efi-e1000.rom.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/romlib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
# Debian's python3 (python3-yaml) before whatever else is on PATH.
python3() { if [ -x /usr/bin/python3 ]; then /usr/bin/python3 "$@"; else command python3 "$@"; fi; }
python3 -c 'import yaml' 2>/dev/null || skip_all "python3 with yaml not installed (package python3-yaml)"
command -v xmllint >/dev/null || skip_all "xmllint not installed (package libxml2-utils)"
command -v git >/dev/null || skip_all "git not installed"
plan 37

export TMPDIR=$T/tmp XDG_RUNTIME_DIR='' XDG_CACHE_HOME=$T/cache
mkdir "$TMPDIR"
CI=$SRCDIR/docs/ci
XSD=$SRCDIR/tests/junit/junit.xsd

# romcompat on PATH, as the CI jobs call it.
mkdir "$T/bin"
ln -s "$ROMCOMPAT" "$T/bin/romcompat"
export PATH=$T/bin:$PATH

# The shell a job runs: GitLab's script lines, or GitHub's run: steps
# (leaving out the Install steps); "shards" prints the shard numbers.
cat >"$T/recipe.py" <<'PY'
import sys, yaml
path, kind, job, what = sys.argv[1:5]
doc = yaml.safe_load(open(path))
if kind == "gitlab":
    j = doc[job]
    if what == "shards":
        print(" ".join(str(i) for i in range(1, int(j.get("parallel", 1)) + 1)))
    else:
        print("\n".join(j["script"]))
else:
    j = doc["jobs"][job]
    if what == "shards":
        print(" ".join(str(i) for i in j["strategy"]["matrix"]["shard"]))
    else:
        print("\n".join(s["run"] for s in j["steps"]
                        if "run" in s and not s.get("name", "").startswith("Install")))
PY
recipe() { python3 "$T/recipe.py" "$@"; }

# verdicts REPORT.json: one sorted line per case.
verdicts() {
	python3 -c 'import json, sys
for c in json.load(open(sys.argv[1]))["cases"]:
    print(c["machine"], c["nic"], c["direction"], c["verdict"], c["kind"])' "$1" | sort
}

export ROMCOMPAT_OLD=$ROMDIR ROMCOMPAT_NEW=build/roms
export ROMCOMPAT_MACHINES='pc-q35-7.*;pc-i440fx-7.*' ROMCOMPAT_NICS='e1000;rtl8139;virtio-net-pci'

# The reference: one unsharded run of the same slice.
mkdir -p "$T/ref/build"
cp -r "$(grown_copy grown 300000)" "$T/ref/build/roms"
(cd "$T/ref" && romcompat check --old "$ROMCOMPAT_OLD" --new "$ROMCOMPAT_NEW" \
	--machines "$ROMCOMPAT_MACHINES" --nics "$ROMCOMPAT_NICS" --json ref.json -q >/dev/null 2>&1)
ref=$(verdicts "$T/ref/ref.json")
like "$(printf '%s\n' "$ref" | grep -c ' fail rom-size-mismatch$')" "^[1-9]" \
	"the unsharded run has failures to find ($(printf '%s\n' "$ref" | wc -l) cases)"

# run_recipe NAME FILE KIND SHARD_JOB MERGE_JOB INDEX_VAR TOTAL_VAR
run_recipe() {
	local name=$1 file=$CI/$2 kind=$3 shard_job=$4 merge_job=$5 index_var=$6 total_var=$7
	local d=$T/$name shards total rc k bad=0
	mkdir -p "$d/build"
	cp -r "$T/ref/build/roms" "$d/build/roms"
	shards=$(recipe "$file" "$kind" "$shard_job" shards)
	total=$(echo $shards | wc -w)
	is "$shards" "1 2 3 4" "$name: 4 shards"
	for k in $shards; do
		rc=0
		(cd "$d" && env "$index_var=$k" "$total_var=$total" \
			bash -e -o pipefail -c "$(recipe "$file" "$kind" "$shard_job" script)") \
			>"$d/shard-$k.log" 2>&1 || rc=$?
		[ "$rc" = 0 ] || { bad=1; sed 's/^/#   /' "$d/shard-$k.log"; }
	done
	ok $bad "$name: every shard job succeeds"
	like "$(cat "$d"/shard-*.log)" "shard 4/4 exited (1|3)" "$name: the shard's exit status is logged"
	rc=0
	(cd "$d" && GITHUB_STEP_SUMMARY=$d/step-summary.md \
		bash -e -o pipefail -c "$(recipe "$file" "$kind" "$merge_job" script)") \
		>"$d/merge.log" 2>&1 || rc=$?
	is "$rc" 1 "$name: the merge job fails (exit 1: a case fails)"
	[ "$rc" = 1 ] || sed 's/^/#   /' "$d/merge.log"
	like "$(cat "$d/merge.log")" "^incompatible: [0-9]+ cases do not migrate" "$name: the merge job logs the verdict"
	is "$(verdicts "$d/romcompat.json")" "$ref" "$name: merged verdicts equal the unsharded run's"
	rc=0
	xmllint --noout --schema "$XSD" "$d/romcompat.xml" "$d"/reports/romcompat-*.xml 2>"$d/xmllint.log" || rc=$?
	ok $rc "$name: merged and shard JUnit validate against tests/junit/junit.xsd"
	[ $rc = 0 ] || sed 's/^/#   /' "$d/xmllint.log"
}

run_recipe gitlab gitlab-ci.yml gitlab romcompat romcompat-merge CI_NODE_INDEX CI_NODE_TOTAL
run_recipe github github-workflow.yml github check merge SHARD_INDEX SHARD_TOTAL
like "$(cat "$T/github/step-summary.md" 2>/dev/null)" "^incompatible:" "github: the verdict is in the job summary"

unset ROMCOMPAT_OLD ROMCOMPAT_NEW ROMCOMPAT_MACHINES ROMCOMPAT_NICS

# The bisect recipe under git bisect run: a repository laid out like
# iPXE's (the Makefile in src/), whose build.sh writes efi-e1000.rom of the
# size in ./size into $ROMCOMPAT_NEW, crossing 256 KiB at a known commit,
# one commit building no ROM.  (tests/cli/ipxe-bisect-real.t runs the
# recipe on the real iPXE tree.)
R=$T/repo
git init -q "$R"
git -C "$R" config user.email test@localhost
git -C "$R" config user.name test
cat >"$R/build.sh" <<'BUILD'
#!/bin/sh
[ "$(cat size)" = none ] && exit 0
cp "$ROMDIR/efi-e1000.rom" "$ROMCOMPAT_NEW/"
pad=$(($(cat size) - $(stat -c %s "$ROMCOMPAT_NEW/efi-e1000.rom")))
[ $pad -gt 0 ] && head -c $pad /dev/zero | tr '\0' '\377' >>"$ROMCOMPAT_NEW/efi-e1000.rom"
exit 0
BUILD
chmod +x "$R/build.sh"
# The same ROMs the way the recipe's default build makes them: make's two
# targets in src/ (refusing to build without CONFIG=qemu NO_WERROR=1),
# util/catrom.pl joining them into efi-e1000.rom.
mkdir -p "$R/src/util"
cat >"$R/src/Makefile" <<'MAKE'
.PHONY: bin/8086100e.rom bin-x86_64-efi/8086100e.efirom
bin/8086100e.rom bin-x86_64-efi/8086100e.efirom:
	@test "$(CONFIG):$(NO_WERROR)" = qemu:1 || { echo "stand-in make: CONFIG=$(CONFIG) NO_WERROR=$(NO_WERROR)"; exit 2; }
	@test "$$(cat ../size)" != none || { echo "stand-in make: this commit does not build"; exit 2; }
	mkdir -p bin bin-x86_64-efi
	cp "$(ROMDIR)/pxe-e1000.rom" bin/8086100e.rom
	cp "$(ROMDIR)/efi-e1000.rom" bin-x86_64-efi/8086100e.efirom
MAKE
cat >"$R/src/util/catrom.pl" <<'CATROM'
#!/bin/sh
# Stands in for iPXE's catrom.pl: the EFI file, padded to the size in ../size.
cat "$2"
pad=$(($(cat ../size) - $(stat -c %s "$2")))
[ $pad -gt 0 ] && head -c $pad /dev/zero | tr '\0' '\377'
exit 0
CATROM
chmod +x "$R/src/util/catrom.pl"
printf 'bin/\nbin-x86_64-efi/\n' >"$R/src/.gitignore"
size=$(stat -c %s "$ROMDIR/efi-e1000.rom")
for s in $size $((size + 2048)) $((size + 4096)) none $((size + 8192)) $((size + 12000)) 270000 300000; do
	echo "$s" >"$R/size"
	git -C "$R" add -A
	git -C "$R" commit -qm "size $s"
done
first_bad=$(git -C "$R" log --format='%H %s' | awk '/size 270000/ {print $1}')
tip=$(git -C "$R" rev-parse HEAD)
root=$(git -C "$R" rev-list --max-parents=0 HEAD)
(
	cd "$R" &&
	git bisect start "$tip" "$root" >"$T/bisect.log" 2>&1 &&
	ROMDIR=$ROMDIR ROMCOMPAT_BUILD=./build.sh ROMCOMPAT_NEW=$T/bisect-roms \
		ROMCOMPAT_MACHINES=pc-q35-7.2 ROMCOMPAT_NICS=e1000 \
		git bisect run "$CI/git-bisect-run.sh" >>"$T/bisect.log" 2>&1
)
like "$(cat "$T/bisect.log")" "$first_bad is the first bad commit" "bisect recipe: git names the commit whose ROM crosses 256 KiB"
like "$(grep -A6 "size none" "$T/bisect.log")" "the build made no ROM in $T/bisect-roms \(exit 125" "bisect recipe: the commit without ROMs is skipped (125), saying so"
git -C "$R" bisect reset >/dev/null 2>&1

# Its default build (make in src/, util/catrom.pl) and default NIC models.
(
	cd "$R" &&
	git bisect start "$tip" "$root" >"$T/bisect2.log" 2>&1 &&
	ROMDIR=$ROMDIR ROMCOMPAT_NEW=$T/bisect-roms ROMCOMPAT_MACHINES=pc-q35-7.2 \
		git bisect run "$CI/git-bisect-run.sh" >>"$T/bisect2.log" 2>&1
)
like "$(cat "$T/bisect2.log")" "$first_bad is the first bad commit" "bisect recipe, default build: the same commit"
like "$(git -C "$R" bisect log)" "^# skip: \[[0-9a-f]+\] size none" "bisect recipe, default build: the commit that does not build is skipped"
like "$(grep -A6 'size none' "$T/bisect2.log")" "the build failed .*last lines of $T/bisect-roms/build.log" \
	"bisect recipe: a skip says why and where the build log is"
like "$(grep -A8 'size none' "$T/bisect2.log")" "stand-in make: this commit does not build" "bisect recipe: a skip shows the end of the build log"
like "$(grep -c "^bisect: good: all 6 cases migrate" "$T/bisect2.log")" "^[1-9]" "bisect recipe, default build: 3 NIC models, 2 directions per step"
git -C "$R" bisect reset >/dev/null 2>&1

# A commit that does not build is skipped too, its log kept; from a
# subdirectory the step finds the top; a bad --old, or a tree that is not
# iPXE's, stops.
rc=0
(cd "$R/src/util" && ROMCOMPAT_BUILD='echo compiler says no; false' ROMCOMPAT_NEW=$T/bisect-roms \
	"$CI/git-bisect-run.sh" >/dev/null 2>"$T/step.err") || rc=$?
is "$rc" 125 "bisect recipe: a failing build exits 125"
is "$(tail -1 "$T/step.err"):$(cat "$T/bisect-roms/build.log")" "compiler says no:compiler says no" \
	"bisect recipe: the build log is kept and its end shown"
rc=0
(cd "$R/src/util" && ROMDIR=$ROMDIR ROMCOMPAT_BUILD=./build.sh ROMCOMPAT_NEW=$T/bisect-roms \
	ROMCOMPAT_MACHINES=pc-q35-7.2 ROMCOMPAT_NICS=e1000 "$CI/git-bisect-run.sh" >"$T/step.out" 2>&1) || rc=$?
is "$rc:$(grep -c '^bisect: bad' "$T/step.out")" "1:1" "bisect recipe: started in src/util, it builds at the top (ROMCOMPAT_BUILD) and tests"
rc=0
(cd "$R" && ROMDIR=$ROMDIR ROMCOMPAT_BUILD=./build.sh ROMCOMPAT_NEW=$T/bisect-roms \
	ROMCOMPAT_OLD=$T/no-such-roms "$CI/git-bisect-run.sh" >/dev/null 2>&1) || rc=$?
is "$rc" 128 "bisect recipe: unreadable reference ROMs exit 128"
mkdir "$T/not-ipxe"
git init -q "$T/not-ipxe"
rc=0
(cd "$T/not-ipxe" && ROMCOMPAT_NEW=$T/bisect-roms "$CI/git-bisect-run.sh" >/dev/null 2>"$T/step.err") || rc=$?
is "$rc:$(wc -l <"$T/step.err")" "128:1" "bisect recipe: a tree without src/Makefile stops (128), one line"

# ROMCOMPAT_CACHE: the ROMs of a commit built once are used again.
cnt=$T/builds
rc=0
for i in 1 2; do
	(cd "$R" && ROMDIR=$ROMDIR ROMCOMPAT_BUILD="echo x >>'$cnt'; ./build.sh" ROMCOMPAT_NEW=$T/bisect-roms \
		ROMCOMPAT_CACHE=$T/cache ROMCOMPAT_MACHINES=pc-q35-7.2 ROMCOMPAT_NICS=e1000 \
		"$CI/git-bisect-run.sh" >"$T/cache$i.out" 2>&1) || rc=$?
done
is "$rc:$(wc -l <"$cnt"):$(ls "$T/cache")" "1:1:$tip" "bisect recipe: ROMCOMPAT_CACHE: built once, tested twice (bad), kept by commit"

# The entry point: both ends checked first, the first bad commit printed,
# the tree left as it was.
ipxe_bisect() {
	(cd "$R" && ROMDIR=$ROMDIR ROMCOMPAT_NEW=$T/bisect-roms ROMCOMPAT_MACHINES=pc-q35-7.2 ROMCOMPAT_NICS=e1000 \
		"$CI/ipxe-bisect.sh" "$@")
}
state() { echo "$(git -C "$R" symbolic-ref --short HEAD 2>/dev/null || echo detached):$(git -C "$R" bisect log >/dev/null 2>&1 && echo bisecting || echo idle)"; }
branch=$(git -C "$R" symbolic-ref --short HEAD)
rc=0
ipxe_bisect "$root" "$tip" >"$T/entry.log" 2>&1 || rc=$?
is "$rc:$(tail -1 "$T/entry.log")" "0:first bad commit: $first_bad size 270000" "ipxe-bisect.sh: exit 0, the first bad commit on the last line"
is "$(state)" "$branch:idle" "ipxe-bisect.sh: git bisect reset, back on $branch"
rc=0
ipxe_bisect "$first_bad" "$tip" >"$T/entry.log" 2>&1 || rc=$?
is "$rc:$(grep -c '^ipxe-bisect.sh: ' "$T/entry.log"):$(tail -1 "$T/entry.log")" \
	"2:2:ipxe-bisect.sh: the 'good' end $first_bad tests bad: a 'good' end that is bad is an error (pick an older good commit)" \
	"ipxe-bisect.sh: a 'good' end that tests bad: exit 2, one line"
rc=0
ipxe_bisect "$root" "$root~0" >/dev/null 2>&1 || rc=$?
rc2=0
ipxe_bisect "$root" "$first_bad~1" >"$T/entry.log" 2>&1 || rc2=$?
is "$rc:$rc2:$(tail -1 "$T/entry.log")" \
	"2:2:ipxe-bisect.sh: the 'bad' end $first_bad~1 tests good: a 'bad' end that is good is an error (nothing to bisect)" \
	"ipxe-bisect.sh: GOOD = BAD, and a 'bad' end that tests good: exit 2, one line"
rc=0
ipxe_bisect "$root" >"$T/entry.log" 2>&1 || rc=$?
is "$rc:$(wc -l <"$T/entry.log")" "2:1" "ipxe-bisect.sh: usage: exit 2, one line"
is "$(state)" "$branch:idle" "ipxe-bisect.sh: a range end refused, the tree is back on $branch"
# A signal while git bisect runs: the bisect is reset.
# The ends build; the first step git bisect runs sleeps, as a long build does.
slow='if [ "$(cat size)" = 300000 ] || [ -z "$(git log -1 --format=%P)" ]; then ./build.sh; else echo $$ >"$SLEEPER"; exec sleep 60; fi'
(cd "$R" && exec env ROMDIR="$ROMDIR" ROMCOMPAT_NEW="$T/bisect-roms" ROMCOMPAT_BUILD="$slow" SLEEPER="$T/sleeper" \
	ROMCOMPAT_MACHINES=pc-q35-7.2 ROMCOMPAT_NICS=e1000 "$CI/ipxe-bisect.sh" "$root" "$tip" >"$T/sig.log" 2>&1) &
pid=$!
for _ in $(seq 1 600); do
	[ -s "$T/sleeper" ] && break
	sleep 0.1
done
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
sleeper=$(cat "$T/sleeper" 2>/dev/null || echo none)
for _ in $(seq 1 50); do
	kill -0 "$sleeper" 2>/dev/null || break
	sleep 0.1
done
is "$rc:$(state):$(kill -0 "$sleeper" 2>/dev/null && echo running || echo stopped)" "143:$branch:idle:stopped" \
	"ipxe-bisect.sh: SIGTERM during git bisect run: exit 143, git bisect reset, the build stopped"
[ "$sleeper" != none ] && kill "$sleeper" 2>/dev/null
is "$(qemu_left "$T")" 0 "no QEMU left"
