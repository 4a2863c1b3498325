# SPDX-License-Identifier: GPL-2.0-or-later
# romlib.sh - shared by inspect.t and diff.t: golden files, the installed
# ROMs' version, and the broken inputs every ROM-reading command must
# report (each helper builds its input under $T and prints its path).

IPXE_GOLDEN_VERSION=1.0.0+git-20190125.36a4c85-5.1

# The golden files describe bookworm's ipxe-qemu exactly; other versions skip them.
ipxe_is_golden_version() {
	[ "$(dpkg-query -W -f '${Version}' ipxe-qemu 2>/dev/null)" = "$IPXE_GOLDEN_VERSION" ] &&
		[ -d "$ROMDIR" ]
}

# golden NAME ACTUAL DESCRIPTION: compare with tests/golden/NAME
# (ROMCOMPAT_REGOLD=1 rewrites the golden file instead).
golden() {
	_g="$SRCDIR/tests/golden/$1"
	if [ -n "${ROMCOMPAT_REGOLD:-}" ]; then
		printf '%s\n' "$2" >"$_g"
	fi
	if [ ! -f "$_g" ]; then
		ok 1 "$3 (tests/golden/$1 is missing)"
		return
	fi
	if printf '%s\n' "$2" | diff -u "$_g" - >"$T/.golden.diff"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		sed 's/^/#   /' "$T/.golden.diff" | head -40
	fi
}

# A copy of the installed ROMs in $T/$1, efi-e1000.rom grown to $2 bytes with 0xFF.
grown_copy() {
	mkdir -p "$T/$1"
	cp "$ROMDIR"/*.rom "$T/$1/"
	grow_rom "$ROMDIR/efi-e1000.rom" "$T/$1/efi-e1000.rom" "$2"
	echo "$T/$1"
}

# A directory with no *.rom in it.
empty_dir() {
	mkdir -p "$T/empty"
	echo "nothing here" >"$T/empty/README"
	echo "$T/empty"
}

# A file named like a ROM that is a shell script.
not_a_rom() {
	mkdir -p "$T/notrom"
	printf '#!/bin/sh\necho hello\n' >"$T/notrom/efi-e1000.rom"
	echo "$T/notrom/efi-e1000.rom"
}

# The installed efi-e1000.rom cut to 200000 bytes: its EFI image runs past the end.
truncated_rom() {
	mkdir -p "$T/cut"
	head -c 200000 "$ROMDIR/efi-e1000.rom" >"$T/cut/efi-e1000.rom"
	echo "$T/cut/efi-e1000.rom"
}

# build_deb NAME ROOTDIR: a .deb made with ar and tar, printed path.
build_deb() {
	_d="$T/deb-$1"
	mkdir -p "$_d/control"
	echo "Package: $1" >"$_d/control/control"
	echo "2.0" >"$_d/debian-binary"
	tar -C "$_d/control" -czf "$_d/control.tar.gz" .
	tar -C "$2" -cJf "$_d/data.tar.xz" .
	(cd "$_d" && ar rcD "$1.deb" debian-binary control.tar.gz data.tar.xz)
	echo "$_d/$1.deb"
}

# A .deb holding documentation only.
deb_without_roms() {
	mkdir -p "$T/docroot/usr/share/doc/x"
	echo "GPL" >"$T/docroot/usr/share/doc/x/copyright"
	build_deb noroms "$T/docroot"
}

# A .deb of the installed ROMs (in usr/share/qemu, linked from usr/lib/ipxe/qemu).
deb_with_roms() {
	if [ -f "$T/deb-roms/roms.deb" ]; then
		echo "$T/deb-roms/roms.deb"
		return
	fi
	mkdir -p "$T/romroot/usr/share/qemu" "$T/romroot/usr/lib/ipxe/qemu"
	cp "$ROMDIR"/*.rom "$T/romroot/usr/share/qemu/"
	for f in "$ROMDIR"/*.rom; do
		ln -s "../../../share/qemu/${f##*/}" "$T/romroot/usr/lib/ipxe/qemu/${f##*/}"
	done
	build_deb roms "$T/romroot"
}

# A .deb cut in the middle of its data.tar.
corrupt_deb() {
	_full=$(deb_with_roms)
	head -c $(($(stat -c %s "$_full") / 2)) "$_full" >"$T/corrupt.deb"
	echo "$T/corrupt.deb"
}

# run_as_nobody ARGS...: like run, as an unprivileged user (root reads mode 000 files).
run_as_nobody() {
	rc=0
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$ROMCOMPAT" "$@" \
		2>"$T/.stderr") || rc=$?
	err=$(cat "$T/.stderr")
}

# can_test_unreadable: a mode-000 file is unreadable for whoever runs romcompat here.
can_test_unreadable() {
	[ "$(id -u)" != 0 ] || command -v setpriv >/dev/null 2>&1
}

# unreadable_dir: the installed ROMs with efi-e1000.rom at mode 000, readable
# for nobody otherwise ($T is opened up so that nobody can reach it).
unreadable_dir() {
	chmod 755 "$T"
	mkdir -p "$T/locked"
	cp "$ROMDIR"/*.rom "$T/locked/"
	chmod 644 "$T/locked"/*.rom
	chmod 000 "$T/locked/efi-e1000.rom"
	echo "$T/locked"
}

# run_unreadable ARGS...: run as the invoking user, or as nobody when root.
run_unreadable() {
	if [ "$(id -u)" = 0 ]; then run_as_nobody "$@"; else run "$@"; fi
}

# one_error_line TEXT: stderr holds exactly one line.
lines() { printf '%s\n' "$1" | grep -c .; }
