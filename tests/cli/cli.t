#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cli.t - one command-line convention for every command (docs/cli.md).
# The command list comes from 'romcompat help'; for each command:
#  - 'romcompat help COMMAND' prints its help, the usage line naming the program;
#  - --json - prints one JSON document and nothing else on standard output;
#  - --json DIRECTORY and --json MISSING-DIR/FILE fail with exit 2 (bisect:
#    128, "stop" for git bisect run) in one line naming --json, before any
#    work (a QEMU on PATH that marks when it runs stays unrun);
#  - --json followed by another option is refused, naming --json;
#  - an unknown option gives one line and exit 2 (bisect 128).
# Then the rules that are not per command: --json=FILE, two reports on
# standard output, conflicting options, -q and -v, the hidden aliases.
# A command missing from the table of examples below fails the test: a new
# command must follow the convention too.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
have_qemu || skip_all "qemu-system-x86_64 not installed"

run help
commands=$(printf '%s\n' "$out" | sed -n '/^Commands:/,/^$/{/^  [a-z]/s/^  \([a-z][a-z-]*\).*/\1/p}')
ncommands=$(printf '%s\n' "$commands" | grep -c .)
[ "$ncommands" -ge 6 ] || skip_all "romcompat help lists no commands (exit $rc)"

E=$ROMDIR/efi-e1000.rom
G=$SRCDIR/tests/golden
ROMS=$T/roms
mkdir "$ROMS" "$T/dir" "$T/bin"
cp "$E" "$ROMS/"

# A fast invocation of each command that succeeds (or finds a failure) here.
example() {
	case $1 in
	inspect) echo "$E" ;;
	diff) echo "$ROMS $ROMS" ;;
	pad) echo "--bucket 256K $E" ;;
	migrate) echo "--machine pc-i440fx-7.2 --nic e1000 --old $E --new $E" ;;
	check) echo "--static --old $ROMS --new $ROMS --machines pc-q35-7.2 --nics e1000" ;;
	bisect) echo "--old $ROMS --new $ROMS --machines pc-q35-7.2 --nics e1000 --direction old-to-new" ;;
	machines) echo "--qemu qemu-system-riscv64 -j 2" ;;
	merge) echo "$G/report-shard-1of2.json $G/report-shard-2of2.json" ;;
	combine) echo "-o $T/combined.rom $E" ;;
	split) echo "-o $T/split $E" ;; # its one run that works writes the files
	needs) echo "--qemu qemu-system-x86_64 --machines microvm" ;;
	saved) echo "--static $SRCDIR/tests/fuzz/corpus-savedstate/q35-e1000-virtio.qevm" ;;
	*) return 1 ;;
	esac
}

# QEMUs that mark that they ran: first on PATH for the "before any work" checks.
for q in qemu-system-x86_64 qemu-system-riscv64; do
	printf '#!/bin/sh\ntouch "%s/qemu-ran"\nexit 1\n' "$T" >"$T/bin/$q"
	chmod +x "$T/bin/$q"
done
# run_fake ARGS...: run with the marking QEMUs; $ran is "ran" when one ran.
run_fake() {
	rm -f "$T/qemu-ran"
	rc=0
	out=$(PATH="$T/bin:$PATH" "$ROMCOMPAT" "$@" 2>"$T/.stderr") || rc=$?
	err=$(cat "$T/.stderr")
	ran=$([ -e "$T/qemu-ran" ] && echo ran)
}
lines() { printf '%s\n' "$1" | grep -c .; }

plan $((ncommands * 8 + 17))

for cmd in $commands; do
	usage_rc=2 verdict=0
	[ "$cmd" = bisect ] && usage_rc=128
	[ "$cmd" = merge ] && verdict=1 # the golden shards hold failures
	if ! args=$(example "$cmd"); then
		ok 1 "$cmd: cli.t has an example for it (add one to example())"
		for _ in 1 2 3 4 5 6 7; do skip "$cmd: no example"; done
		continue
	fi

	run help "$cmd"
	like "$rc:$(printf '%s\n' "$out" | head -1)" "^0:Usage: romcompat $cmd \[OPTION\.\.\.\]" \
		"$cmd: 'romcompat help $cmd' prints its help, the usage line names the program"

	# shellcheck disable=SC2086 # the example is words
	run "$cmd" $args --json -
	is "$(printf '%s' "$out" | jq -s 'length' 2>/dev/null)" 1 \
		"$cmd --json -: one JSON document, nothing else on standard output"
	is "$rc" "$verdict" "$cmd --json -: exit $verdict, the verdict"

	# shellcheck disable=SC2086
	run_fake "$cmd" $args --json "$T/dir"
	is "$rc:$(lines "$err"):$ran" "$usage_rc:1:" "$cmd --json DIRECTORY: exit $usage_rc, one line, no QEMU ran"
	like "$err" "^romcompat: error: --json" "$cmd --json DIRECTORY: the error names --json"

	# shellcheck disable=SC2086
	run_fake "$cmd" $args --json "$T/no-such-dir/r.json"
	is "$rc:$(lines "$err"):$ran" "$usage_rc:1:" \
		"$cmd --json MISSING-DIR/FILE: exit $usage_rc, one line, no QEMU ran"

	# shellcheck disable=SC2086
	run_fake "$cmd" --json --quiet $args
	like "$rc:$(lines "$err"):$ran:$err" "^$usage_rc:1::romcompat: error: --json takes a file name, not the option '--quiet'" \
		"$cmd --json --quiet: refused, naming --json (exit $usage_rc)"

	run_fake "$cmd" --no-such-option
	like "$rc:$(lines "$err"):$err" "^$usage_rc:1:romcompat: error: unknown option --no-such-option" \
		"$cmd --no-such-option: one line, exit $usage_rc"
done

# --json FILE and --json=FILE, the same report.
run inspect --json "$T/a.json" "$E"
run inspect --json="$T/b.json" "$E"
is "$rc:$(cmp -s "$T/a.json" "$T/b.json" && echo same)" "0:same" "--json=FILE writes what --json FILE does"
like "$out" "efi-e1000.rom: ROM file" "with the report in a file, the text still goes to standard output"

# A report option never takes the next option as its file name.
run_fake check --json --old "$ROMS" --new "$ROMS"
is "$rc:$(lines "$err"):$ran" "2:1:" "check --json --old DIR: exit 2, one line, nothing run"
like "$err" "^romcompat: error: --json takes a file name, not the option '--old'" "the error names --json and --old"

# Two reports on standard output; conflicting options: refused before any work.
run_fake check --static --old "$ROMS" --new "$ROMS" --json - --tap -
is "$rc:$(lines "$err"):$out" "2:1:" "check --json - --tap -: exit 2, one line, nothing on standard output"
run_fake check --static --prove-alone --old "$ROMS" --new "$ROMS"
like "$rc:$err" "^2:romcompat: error: --static .*--prove-alone" "check --static --prove-alone: exit 2, naming both"
run_fake check --static --backend libvirt --old "$ROMS" --new "$ROMS"
like "$rc:$err" "^2:romcompat: error: --static .*--backend libvirt" "check --static --backend libvirt: exit 2, naming both"

# check --json -: the text summary's verdict line moves to standard error.
C=(--machines pc-q35-7.2 --nics e1000 --direction old-to-new --old "$ROMS" --new "$ROMS")
run check --static "${C[@]}" --json -
is "$rc:$err" "0:compatible: every case migrates" "check --json -: the verdict line alone on standard error"

# -q: the verdict line only; -v: a line per case on standard error.
run check -q "${C[@]}"
is "$rc:$out" "0:compatible: every case migrates" "check -q: only the verdict line"
run check -v "${C[@]}"
ncases=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) cases:.*/\1/p')
is "$rc:$(printf '%s\n' "$err" | grep -c '^\[[0-9]*/[0-9]*\] pc-q35-7.2 e1000')" "0:$ncases" \
	"check -v: one line per case on standard error ($ncases), the summary on standard output"
run migrate -q --machine pc-i440fx-7.2 --nic e1000 --old "$E" --new "$E"
is "$rc:$(lines "$out")" "0:1" "migrate -q: one line, the verdict"

# migrate's QEMUs are --old-qemu/--new-qemu; --src-qemu/--dst-qemu still work, unlisted.
run help migrate
is "$(printf '%s\n' "$out" | grep -c -- '--old-qemu\|--new-qemu'):$(printf '%s\n' "$out" | grep -c -- '--src-qemu\|--dst-qemu')" \
	"2:0" "migrate --help lists --old-qemu and --new-qemu, not the old names"
run migrate --machine pc-i440fx-7.2 --nic e1000 --old "$E" --new "$E" --src-qemu "$T/no-such-qemu"
like "$rc:$err" "^3:romcompat: error: .*no-such-qemu" "--src-qemu still names the old host's QEMU"

# The program itself: no command, an unknown one, an unknown global option: one line, exit 2.
for args in "" "help no-such-command" "no-such-command" "--no-such-global check"; do
	# shellcheck disable=SC2086 # the words are the arguments
	run $args
	like "$rc:$(lines "$err"):$out:$err" "^2:1::romcompat: error: " "romcompat $args: one error line, exit 2"
done
