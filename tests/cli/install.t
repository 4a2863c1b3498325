#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# install.t - `make install PREFIX=DIR` gives a program that works wherever
# the tree is put: installed from the build already made, the prefix is
# moved elsewhere (nothing may depend on the path compiled in), then the
# installed program is run as a user would: --version, inspect, diff,
# check --static with the shipped catalog, check with real QEMU on the
# shipped scenario, the package's smoke test, the libvirt module loaded
# from the installed tree, the manual and the completion.  The build
# tree's program still uses the source tree's data and the build's
# module; uninstall leaves no file.
# Also the README's first command (scripts/setup.sh) as root and as a user
# without sudo, and no report output at the top of the tree.
. "$(dirname "$0")/lib.sh"

BUILD=${BUILD:-$SRCDIR/build}
[ -x "$BUILD/romcompat" ] && [ -f "$BUILD/romcompat-libvirt.so" ] ||
	skip_all "$BUILD/romcompat or its libvirt module not built (make)"
plan 32

export XDG_CACHE_HOME=$T/cache XDG_RUNTIME_DIR=''
# A scenario's reports are written in the current directory.
cd "$T" || exit 1
unset ROMCOMPAT_DATADIR ROMCOMPAT_MODULE_DIR

# Installed from the build as it is (-o: make must not rebuild the program
# for this prefix), then moved.
rc=0
make -C "$SRCDIR" -o "$BUILD/romcompat" -o "$BUILD/romcompat-libvirt.so" \
	install BUILD="$BUILD" PREFIX="$T/p" >"$T/install.log" 2>&1 || rc=$?
is "$rc" 0 "make install BUILD=$BUILD PREFIX=\$T/p"
[ "$rc" = 0 ] || sed 's/^/#   /' "$T/install.log" | tail -10
mv "$T/p" "$T/moved"
P=$T/moved
for f in bin/romcompat lib/romcompat/romcompat-libvirt.so share/man/man1/romcompat.1 \
	share/bash-completion/completions/romcompat share/romcompat/scenarios/ipxe-upload.ini \
	share/doc/romcompat/README.md share/doc/romcompat/ci/gitlab-ci.yml; do
	[ -e "$P/$f" ] || echo "# missing: $f"
done >"$T/missing"
is "$(cat "$T/missing")" "" "the program, module, manual, completion, scenarios, docs and CI recipes installed"
like "$(find "$P/share/romcompat/machine-types" -name '*.json')" "/x86_64/[0-9.]+\.json" \
	"the machine-type catalogs installed"

ROMCOMPAT=$P/bin/romcompat
run --version
is "$rc" 0 "installed romcompat --version: exit 0"
like "$out" "^romcompat [0-9]+\.[0-9]+" "--version names the program and its version"

run inspect "$ROMDIR"
is "$rc" 0 "inspect of the installed ROMs: exit 0"
like "$out" "efi-e1000\.rom .* bucket 256 KiB" "inspect: efi-e1000.rom in the 256 KiB bucket"

mkdir "$T/grown"
cp "$ROMDIR"/*.rom "$T/grown/"
grow_rom "$ROMDIR/efi-e1000.rom" "$T/grown/efi-e1000.rom" 300000
run diff "$ROMDIR" "$T/grown"
is "$rc" 1 "diff against a ROM grown past its bucket: exit 1"
like "$out" "efi-e1000\.rom" "diff names the grown ROM"

# The shipped catalog, found beside the moved program (the cache is empty).
run --trace check --static --old "$ROMDIR" --new "$T/grown" --machines pc-q35-7.2 --nics e1000 -q
is "$rc" 1 "check --static with the shipped catalog: exit 1"
like "$err" "catalog of .*: $P/share/romcompat/machine-types/x86_64/" \
	"the catalog read is the moved tree's"

if have_qemu; then
	run check "$P/share/romcompat/scenarios/ipxe-upload.ini" --new "$T/grown" \
		--machines pc-q35-7.2 --nics e1000
	is "$rc" 1 "check of the installed scenario with real QEMU, pc-q35-7.2 e1000: exit 1"
	like "$out" "efi-e1000\.rom 0x40000 -> 0x80000" "the failure names the ROM and both sizes"
	[ "$(qemu_left "$T")" = 0 ]
	ok $? "no QEMU left behind"
	rc=0
	"$SRCDIR/debian/tests/smoke" "$P/bin/romcompat" >"$T/smoke.log" 2>&1 || rc=$?
	is "$rc" 0 "the package's smoke test (debian/tests/smoke) passes on the moved tree"
	[ "$rc" = 0 ] || grep -v '^ok' "$T/smoke.log" | sed 's/^/#   /' | head -20
else
	for _ in 1 2 3 4; do skip "qemu-system-x86_64 not installed"; done
fi

# The module: loaded from the moved tree; no daemon listens on the socket,
# so the run ends at the connection, past loading the module.
uri="qemu+unix:///session?socket=$T/no-daemon.sock"
run --trace migrate --backend libvirt --connect "$uri" --machine pc-q35-7.2 --nic e1000 \
	--old "$ROMDIR/efi-e1000.rom" --new "$ROMDIR/efi-e1000.rom"
is "$rc" 3 "migrate --backend libvirt without a daemon: exit 3"
like "$err" "libvirt backend loaded from $P/lib/romcompat/romcompat-libvirt\.so" \
	"the module is the moved tree's"
like "$err" "romcompat: error: .*cannot connect" "it fails at the connection, not at the module"

rc=0
MANPAGER=cat MANWIDTH=80 man -l "$P/share/man/man1/romcompat.1" >"$T/man.out" 2>"$T/man.err" || rc=$?
is "$rc:$(cat "$T/man.err")" 0: "man -l of the installed manual: exit 0, nothing on stderr"
like "$(cat "$T/man.out")" "^SYNOPSIS" "the installed manual renders"

# The completion, as a shell that finds romcompat in the moved bin/: machine
# types from the moved tree's catalog.
out=$(PATH=$P/bin:$PATH bash -c '
	. "$1/share/bash-completion/completions/romcompat"
	COMP_WORDS=(romcompat migrate --machine pc-q35-7.)
	COMP_CWORD=3
	_romcompat
	printf "%s\n" "${COMPREPLY[@]}"' sh "$P")
like "$out" "^pc-q35-7\.2$" "the installed completion offers machine types from the installed catalog"

# The build tree's program: the source tree's data, the build's module.
ROMCOMPAT=$BUILD/romcompat
run --trace check --static --old "$ROMDIR" --new "$T/grown" --machines pc-q35-7.2 --nics e1000 -q
is "$rc" 1 "the build's program: check --static, exit 1"
like "$err" "catalog of .*: $SRCDIR/machine-types/x86_64/" "it reads the source tree's catalog"
run --trace migrate --backend libvirt --connect "$uri" --machine pc-q35-7.2 --nic e1000 \
	--old "$ROMDIR/efi-e1000.rom" --new "$ROMDIR/efi-e1000.rom"
like "$err" "libvirt backend loaded from $BUILD/romcompat-libvirt\.so" "it loads the build's module"

rc=0
make -C "$SRCDIR" uninstall BUILD="$BUILD" PREFIX="$P" >"$T/uninstall.log" 2>&1 || rc=$?
is "$rc:$(find "$P" ! -type d)" 0: "make uninstall: exit 0, no file left"

# scripts/setup.sh.  tools/: a PATH with neither sudo nor apt-get (a run
# that would install something fails instead of installing); nothing/:
# the same with a dpkg-query that finds no package installed.
mkdir "$T/tools" "$T/nothing"
for t in id grep dpkg-query; do
	ln -s "$(command -v $t)" "$T/tools/$t"
	[ $t = dpkg-query ] || ln -s "$(command -v $t)" "$T/nothing/$t"
done
printf '#!/bin/sh\nexit 1\n' >"$T/nothing/dpkg-query"
chmod 755 "$T/nothing/dpkg-query" "$T" "$T/tools" "$T/nothing"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	rc=0
	out=$(PATH=$T/tools "$SRCDIR/scripts/setup.sh" 2>&1) || rc=$?
	if [ "$out" = "setup.sh: all packages are installed" ]; then
		is "$rc" 0 "setup.sh as root with every package installed: exit 0, nothing done"
		rc=0
		out=$(setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$T/tools" \
			"$SRCDIR/scripts/setup.sh" 2>&1) || rc=$?
		is "$rc:$out" "0:setup.sh: all packages are installed" \
			"setup.sh as a user without sudo, every package installed: exit 0"
	else
		skip "packages are missing here: $out"
		skip "packages are missing here"
	fi
	rc=0
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$T/nothing" \
		"$SRCDIR/scripts/setup.sh" 2>&1) || rc=$?
	is "$rc" 2 "setup.sh as a user without sudo, packages missing: exit 2"
	like "$out" "^setup.sh: error: installing build-essential .* needs root and sudo is not installed: run .*setup.sh as root$" \
		"one line saying what is missing and what to do"
	is "$(printf '%s\n' "$out" | wc -l)" 1 "and only that line"
else
	for _ in 1 2 3 4 5; do skip "needs root and setpriv to run setup.sh as root and as another user"; done
fi

# No report output at the top of the tree: none committed, and such files
# are ignored there.
if git -C "$SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
	scratch=$(git -C "$SRCDIR" ls-files -co --exclude-standard -- ':(top,glob)*' |
		grep -E '^[^/]+\.(json|txt|xml|html|tap|log|out|err)$')
	is "$scratch" "" "no report output at the top of the tree"
	scratch="r1.json m.json e.txt report.html r.xml r.tap"
	# shellcheck disable=SC2086
	is "$(cd "$SRCDIR" && git check-ignore --no-index $scratch | tr '\n' ' ')" "$scratch " \
		"reports written at the top of the tree are ignored"
else
	skip "not a git checkout"
	skip "not a git checkout"
fi
