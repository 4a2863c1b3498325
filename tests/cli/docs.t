#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# docs.t - every command the documentation shows runs, with the exit status
# the documentation gives it: the commands of README.md, docs/*.md, the
# manual's EXAMPLES and the scenario files' comments, taken out of them by
# tests/doc-examples.sh (which says where it looks and how a command writes
# its exit status: a trailing "# exit N", 0 without one).
#
# Each file's commands run in order in one shell, in a directory of their
# own, with this build's romcompat first on PATH.  The relative paths the
# documents use are made real there: build/roms/ and ipxe/src/bin-qemu/ are
# copies of the installed ROMs with efi-e1000.rom grown past 256 KiB (a
# build that breaks migration), build/efi-e1000.rom that grown ROM,
# ipxe/ an iPXE-like git repository (Makefile in src/) for the bisect
# recipes, ipxe-1.20/
# .. ipxe-1.23/ ROM sets of growing efi-e1000.rom, compat-256k/ the
# installed ROMs and compat.map the file docs/mitigations.md shows,
# ipxe-qemu_VERSION_all.deb a package of the installed ROMs, scenarios/
# and scripts/ those of this tree, and the real iPXE driver images
# (x86-legacy-8086100e.rom, x86_64-efi-8086100e.efirom, ...) of the shared
# iPXE fixtures' built/ folder, when it is there (else the commands that
# name one or use them, `opt1-opt2.sh --drivers`, are skipped, saying
# so).  Absolute placeholders a reader replaces are in PLACEHOLDERS.
# The matrix is cut down: a `romcompat check` or `bisect` gets --machines
# with one machine type appended (three for a shard), the scripts their
# documented slice variables
# (X86_MACHINES, ARM_MACHINES, ROMCOMPAT_MACHINES).
#
# The commands that cannot run in a test are listed in NO_RUN with the
# reason, and only checked for syntax (bash -n); a command that needs the
# Debian archive is skipped, with the reason, when apt cannot reach it.
# Also checked: the manual's SYNOPSIS names every global option and its
# FILES every shipped scenario, and the README's table every command.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/romlib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
for tool in git jq make; do
	command -v $tool >/dev/null || skip_all "$tool not installed (scripts/setup.sh installs it)"
done

DOCS=("$SRCDIR"/README.md "$SRCDIR"/docs/*.md "$SRCDIR"/docs/romcompat.1 "$SRCDIR"/scenarios/*.ini)
# Commands not run, each with its reason: a part of the command as
# written, "|", why.
NO_RUN=(
	"scripts/setup.sh|installs the build's Debian packages as root"
	"make ci|runs the whole test suite, this test included"
	"dpkg-buildpackage|builds the Debian package (tests/cli/debian-package.t builds it from a copy of the tree)"
	"lintian ../romcompat_|reads what dpkg-buildpackage wrote (tests/cli/debian-package.t runs lintian)"
	"autopkgtest |installs the built package in a test bed"
	"virsh dumpxml web01|needs the reader's own libvirt VM"
	"romcompat migrate --domain-xml web01.xml|needs the reader's own VM's XML (tests/cli/libvirt.t checks --domain-xml)"
	"romcompat saved|needs the reader's own saved VM states (tests/cli/saved.t makes real ones and checks them)"
	"romcompat migrate --backend libvirt --connect qemu:///system|needs the system's libvirt daemon (tests/cli/libvirt-system.t starts one)"
)
# Placeholders a reader replaces: "text|what the test puts there".  The
# installed data directory is this tree (the same scenarios/ and
# machine-types/); a checkout of romcompat is this one.
PLACEHOLDERS=(
	"/path/to/romcompat/|$SRCDIR/"
	"/usr/share/romcompat/|$SRCDIR/"
)

# The real iPXE driver images `combine` is shown with (tests/cli/combine.t
# looks for them the same way).
IPXE_BUILT=""
for d in "${ROMCOMPAT_IPXE_FIXTURES:-}" "$SRCDIR/../shared/fixtures/ipxe" "$SRCDIR/../../shared/fixtures/ipxe"; do
	[ -z "$IPXE_BUILT" ] && [ -n "$d" ] && [ -d "$d/built" ] && IPXE_BUILT=$d/built
done

EX=$("$SRCDIR/tests/doc-examples.sh" "${DOCS[@]}")
ncmds=$(printf '%s\n' "$EX" | grep -c '^@cmd ')
plan $((ncmds + ${#NO_RUN[@]} + 4))

chmod a+x "$T"
mkdir -p "$T/bin" "$T/tmp" "$T/logs"
ln -s "$ROMCOMPAT" "$T/bin/romcompat"
SHORT=$(mktemp -d /tmp/rcdocs.XXXXXX)
trap 'rm -rf "$SHORT"; _tap_cleanup' EXIT
CACHE=${ROMCOMPAT_TEST_CACHE:-$HOME/.cache/romcompat/test-docs}
mkdir -p "$CACHE"
ENV=(PATH="$T/bin:$PATH" ROMCOMPAT="$ROMCOMPAT" ROMDIR="$ROMDIR" TMPDIR="$T/tmp"
	XDG_CACHE_HOME="$CACHE" XDG_RUNTIME_DIR=
	X86_MACHINES=pc-q35-7.2 ARM_MACHINES=virt-7.2 ROMCOMPAT_MACHINES=pc-q35-7.2)

# Can apt fetch from the Debian archive here?
apt_ok=yes
env "${ENV[@]}" "$ROMCOMPAT" inspect debian:ipxe-qemu >/dev/null 2>"$T/apt.err" || apt_ok=no

# fixtures DIR: the relative paths the documents use, made real in DIR.
fixtures() {
	local w=$1 n s
	mkdir -p "$w/build" "$w/ipxe/src" "$w/compat-256k"
	cp -r "$SRCDIR/scenarios" "$w/scenarios"
	ln -s "$SRCDIR/scripts" "$w/scripts"
	grown_copy "roms-grown" 300000 >/dev/null
	cp -r "$T/roms-grown" "$w/build/roms"
	cp -r "$T/roms-grown" "$w/ipxe/src/bin-qemu"
	cp "$T/roms-grown/efi-e1000.rom" "$w/build/efi-e1000.rom"
	cp "$ROMDIR"/*.rom "$w/compat-256k/"
	sed -n '/^# compat.map:/,/^```/p' "$SRCDIR/docs/mitigations.md" | sed '$d' >"$w/compat.map"
	n=0
	for s in 0 2048 270000 300000; do
		mkdir "$w/ipxe-1.2$n"
		if [ $s -gt 100000 ]; then
			grow_rom "$ROMDIR/efi-e1000.rom" "$w/ipxe-1.2$n/efi-e1000.rom" $s
		else
			grow_rom "$ROMDIR/efi-e1000.rom" "$w/ipxe-1.2$n/efi-e1000.rom" \
				$(($(stat -c %s "$ROMDIR/efi-e1000.rom") + s))
		fi
		n=$((n + 1))
	done
	mkdir -p "$T/debroot/usr/lib/ipxe/qemu"
	cp "$ROMDIR"/*.rom "$T/debroot/usr/lib/ipxe/qemu/"
	[ -f "$T/deb-ipxe-qemu/ipxe-qemu.deb" ] || build_deb ipxe-qemu "$T/debroot" >/dev/null
	cp "$T/deb-ipxe-qemu/ipxe-qemu.deb" "$w/ipxe-qemu_VERSION_all.deb"
	ipxe_repo "$w/ipxe"
	if [ -n "$IPXE_BUILT" ]; then
		cp "$IPXE_BUILT"/*.rom "$IPXE_BUILT"/*.efirom "$w/"
		chmod u+w "$w"/*.rom "$w"/*.efirom
	fi
}

# ipxe_repo DIR: a git repository laid out like iPXE's for the bisect
# recipes: src/Makefile making bin/8086100e.rom and
# bin-x86_64-efi/8086100e.efirom, and src/util/catrom.pl, whose
# efi-e1000.rom (the installed one, grown to the size in ./size) leaves the
# 256 KiB bucket between tags v1.20.1 and v1.21.1.
ipxe_repo() {
	local r=$1 s base
	base=$(stat -c %s "$ROMDIR/efi-e1000.rom")
	git init -q "$r"
	git -C "$r" config user.email docs@localhost
	git -C "$r" config user.name docs
	mkdir -p "$r/src/util"
	printf '%s\n' 'all:' \
		'bin/8086100e.rom:' "	mkdir -p bin && cp $ROMDIR/pxe-e1000.rom \$@" \
		'bin-x86_64-efi/8086100e.efirom: ../size' "	mkdir -p bin-x86_64-efi && cp ../size \$@" \
		'.PHONY: bin/8086100e.rom bin-x86_64-efi/8086100e.efirom' >"$r/src/Makefile"
	cat >"$r/src/util/catrom.pl" <<CATROM
#!/bin/sh
# The installed efi-e1000.rom grown to the size the "EFI driver" names.
cp "$ROMDIR/efi-e1000.rom" catrom.out
pad=\$((\$(cat "\$2") - \$(stat -c %s catrom.out)))
[ \$pad -gt 0 ] && head -c \$pad /dev/zero | tr '\0' '\377' >>catrom.out
cat catrom.out && rm -f catrom.out
CATROM
	chmod +x "$r/src/util/catrom.pl"
	printf '%s\n' bin bin-x86_64-efi bin-qemu >"$r/src/.gitignore"
	for s in $base:v1.20.1 $((base + 4096)): 270000: 300000:v1.21.1; do
		echo "${s%%:*}" >"$r/size"
		git -C "$r" add -A
		git -C "$r" commit -qm "efi-e1000.rom of ${s%%:*} bytes"
		[ -n "${s#*:}" ] && git -C "$r" tag "${s#*:}"
	done
}

# oneline CMD: the command on one line, for the TAP line.
oneline() { printf '%s' "$1" | sed 's/\\$//' | tr '\n\t' '  ' | tr -s ' '; }

# no_run CMD: the reason CMD is not run, or nothing.
no_run() {
	local e
	for e in "${NO_RUN[@]}"; do
		case $1 in *"${e%%|*}"*)
			echo "${e#*|}"
			return
			;;
		esac
	done
}

# slice_of CMD: the --machines a matrix command gets appended (three
# machine types for a shard, so that no shard is empty).
slice_of() {
	case $1 in
	*qemu-system-aarch64*) echo "--machines virt-7.2" ;;
	*qemu-system-riscv64*) echo "--machines virt" ;;
	*--shard*) echo "--machines 'pc-q35-7.2;pc-i440fx-7.2;pc-q35-7.1'" ;;
	*) echo "--machines pc-q35-7.2" ;;
	esac
}

# with_slice CMD SLICE: CMD with SLICE appended to its last line, before a
# trailing comment and before the quote that closes a multi-line string.
with_slice() {
	local head last comment="" quote=""
	head=$(printf '%s' "$1" | sed '$d')
	last=$(printf '%s' "$1" | tail -n 1)
	if [[ $last =~ ^(.*[^[:space:]])([[:space:]]+#.*)$ ]]; then
		last=${BASH_REMATCH[1]} comment=${BASH_REMATCH[2]}
	fi
	if [ $(($(printf '%s' "$last" | tr -cd "'" | wc -c) % 2)) = 1 ] && [ "${last: -1}" = "'" ]; then
		last=${last%\'} quote="'"
	fi
	printf '%s%s %s%s%s' "${head:+$head$'\n'}" "$last" "$2" "$quote" "$comment"
}

# matrix_cmd CMD: whether CMD runs `romcompat check` or `bisect` (on a line
# of its own, or inside a quoted script).
matrix_cmd() {
	local l
	while IFS= read -r l; do
		l=$(printf '%s' "$l" | sed 's/^[[:space:]]*//; s/^[A-Z_]*=[^ ]* //')
		[[ $l =~ ^romcompat\ (-[-a-z]+\ ([^-\ ][^\ ]*\ )?)*(check|bisect)\  ]] && return 0
	done <<<"$1"
	return 1
}

# needs_apt CMD: yes when CMD fetches from the Debian archive.
needs_apt() {
	case $1 in
	*debian:* | *--apt-sources* | *APT_SOURCES=* | *stable-update.ini* | *cross-version.ini*) echo yes ;;
	esac
}

# The runs: one script per document, each command's output and exit
# status kept in $T/logs/ID.{out,rc}.
declare -A plan_file plan_line plan_cmd plan_exit plan_skip plan_note
used_no_run=""
i=0
script=""
prev_file=""
prev_block=""
finish_script() {
	[ -n "$prev_file" ] || return 0
	printf '%s\n' "$script" >"$T/logs/$(basename "$prev_file").sh"
}
while IFS= read -r hdr; do
	read -r _ file line block exit <<<"$hdr"
	cmd=""
	while IFS= read -r l && [ "$l" != "@end" ]; do
		cmd=${cmd:+$cmd$'\n'}$l
	done
	i=$((i + 1))
	rel=${file#"$SRCDIR"/}
	plan_file[$i]=$rel plan_line[$i]=$line plan_exit[$i]=$exit plan_cmd[$i]=$cmd
	if [ "$file" != "$prev_file" ]; then
		finish_script
		w=$T/w/$(basename "$rel")
		mkdir -p "$w"
		fixtures "$w"
		script="cd '$w'"
		prev_file=$file prev_block=""
	fi
	[ "$block" != "$prev_block" ] && script+=$'\n'"cd '$w'"
	prev_block=$block
	run_cmd=$cmd
	for p in "${PLACEHOLDERS[@]}"; do
		run_cmd=${run_cmd//"${p%%|*}"/"${p#*|}"}
	done
	why=$(no_run "$cmd")
	if [ -n "$why" ]; then
		plan_skip[$i]="not run: $why"
		used_no_run+="${cmd%%$'\n'*}"$'\n'
		printf '%s\n' "$run_cmd" >"$T/logs/$i.syntax"
		continue
	fi
	# (opt1-opt2.sh --drivers takes them from the directory; opt/ holds its layouts.)
	if [ -z "$IPXE_BUILT" ] && [[ $cmd == *-8086100e.* || $cmd == *--drivers* || $cmd == *opt/opt[12]* ]]; then
		plan_skip[$i]="no iPXE driver images (the shared fixtures' ipxe/built/ beside the clone, or ROMCOMPAT_IPXE_FIXTURES)"
		continue
	fi
	if [ "$apt_ok" = no ] && [ -n "$(needs_apt "$cmd")" ]; then
		plan_skip[$i]="the Debian archive cannot be reached here: $(grep -m1 'error' "$T/apt.err")"
		continue
	fi
	q=$(printf '%s' "$cmd" | grep -o 'qemu-system-[a-z0-9_]*' | grep -v '^qemu-system-x86$' | head -1)
	if [ -n "$q" ] && ! have_qemu "$q"; then
		plan_skip[$i]="$q not installed"
		continue
	fi
	if matrix_cmd "$run_cmd"; then
		c=$(slice_of "$run_cmd")
		plan_note[$i]=" [cut: $c]"
		run_cmd=$(with_slice "$run_cmd" "$c")
	fi
	script+=$'\n'"{ $run_cmd"$'\n'"} >'$T/logs/$i.out' 2>&1 </dev/null; echo \$? >'$T/logs/$i.rc'"
done < <(printf '%s\n' "$EX")
finish_script

# Run each document's script; libvirt.md's as an ordinary user when root
# (a session-mode libvirt daemon and its clients must not be root).
for s in "$T"/logs/*.sh; do
	as=()
	extra=()
	if [ "$(basename "$s")" = libvirt.md.sh ]; then
		# libvirt's sockets go under the daemon's directory: a short one.
		extra=(TMPDIR="$SHORT" HOME="$T/w/libvirt.md" XDG_CACHE_HOME="$T/w/libvirt.md/.cache")
		if [ "$(id -u)" = 0 ] && setpriv --reuid=65534 true 2>/dev/null; then
			chown -R nobody: "$T/w/libvirt.md" "$SHORT" "$T/logs"
			as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		fi
	fi
	t0=$SECONDS
	${as[@]+"${as[@]}"} env "${ENV[@]}" ${extra[@]+"${extra[@]}"} timeout 600 bash "$s" >"$s.log" 2>&1
	chown -R "$(id -u):" "$T/logs" 2>/dev/null
	# A daemon the document's commands did not stop (one failed before).
	for d in "$SHORT"/*/; do
		[ -d "$d/run" ] && "$SRCDIR/scripts/libvirt-daemon.sh" stop "$d" >/dev/null 2>&1
	done
	diag "$(basename "$s" .sh): $((SECONDS - t0)) s"
done

for j in $(seq 1 $i); do
	desc="${plan_file[$j]}:${plan_line[$j]}: $(oneline "${plan_cmd[$j]}")${plan_note[$j]:-} (exit ${plan_exit[$j]})"
	if [ -n "${plan_skip[$j]:-}" ]; then
		if [ -f "$T/logs/$j.syntax" ]; then
			bash -n "$T/logs/$j.syntax" 2>"$T/logs/$j.out"
			ok $? "$desc: syntax only, ${plan_skip[$j]}"
		else
			skip "$desc: ${plan_skip[$j]}"
		fi
		continue
	fi
	got=$(cat "$T/logs/$j.rc" 2>/dev/null || echo "never ran")
	is "$got" "${plan_exit[$j]}" "$desc"
	[ "$got" = "${plan_exit[$j]}" ] || sed 's/^/#     /' "$T/logs/$j.out" 2>/dev/null | tail -15
done

# Every NO_RUN entry names a command the documents show.
for e in "${NO_RUN[@]}"; do
	printf '%s' "$used_no_run" | grep -qF -- "${e%%|*}"
	ok $? "NO_RUN names a documented command: ${e%%|*}"
done

# The manual lists what is shipped: every global option in its SYNOPSIS,
# every scenario in its FILES; the README's table every command.
MAN=$(sed 's/\\-/-/g' "$SRCDIR/docs/romcompat.1")
synopsis=$(printf '%s\n' "$MAN" | sed -n '/^\.SH SYNOPSIS/,/^\.SH /p')
global=$("$ROMCOMPAT" --help | sed -n '/^Global options:/,/^$/s/^  \(--[a-z-]*\).*/\1/p')
missing=""
for o in $global; do
	printf '%s\n' "$synopsis" | grep -q -- "$o" || missing+=" $o"
done
is "$missing" "" "the manual's SYNOPSIS names every global option (${global//$'\n'/ })"
files=$(printf '%s\n' "$MAN" | sed -n '/^\.SH FILES/,/^\.SH /p' | tr -d '\\')
missing=""
for f in "$SRCDIR"/scenarios/*.ini; do
	printf '%s\n' "$files" | grep -qF -- "$(basename "$f")" || missing+=" $(basename "$f")"
done
is "$missing" "" "the manual's FILES names every shipped scenario"
commands=$("$ROMCOMPAT" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
missing=""
for c in $commands; do
	grep -q "^| \`romcompat ${c}[ \`]" "$SRCDIR/README.md" || missing+=" $c"
done
is "$missing" "" "the README's table has a row for every command"
# The README's word on --json holds for every command.
nojson=""
for c in $commands; do
	"$ROMCOMPAT" "$c" --help 2>/dev/null | grep -q -- '--json' || nojson+=" $c"
done
if grep -q 'Every command takes `--json' "$SRCDIR/README.md"; then
	is "$nojson" "" "every command takes --json, as the README says"
else
	ok 0 "the README does not claim --json for every command (without it:$nojson)"
fi
