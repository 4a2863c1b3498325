#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# debian-package.t - the Debian package: built from a copy of the tree with
# dpkg-buildpackage (the C unit tests run in the build), lintian reports no
# error, the .deb holds the program, the manual page, the completion, the
# scenarios and the machine-type catalogs, and its version is the
# Makefile's.
. "$(dirname "$0")/lib.sh"

for c in dpkg-buildpackage dpkg-checkbuilddeps dpkg-deb lintian fakeroot; do
	command -v $c >/dev/null || skip_all "$c not installed (packages dpkg-dev, lintian, fakeroot)"
done
(cd "$SRCDIR" && dpkg-checkbuilddeps >"$T/deps" 2>&1) ||
	skip_all "build dependencies missing: $(cat "$T/deps")"
plan 11

# The tree as it is (committed or not, ignored files left out), built in $T.
S=$T/romcompat
mkdir "$S"
if git -C "$SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$SRCDIR" && git ls-files -z -co --exclude-standard | xargs -0 tar -cf -) | tar -C "$S" -xf -
else
	tar -C "$SRCDIR" --exclude=./build --exclude=./build-asan --exclude=./build-fuzz -cf - . |
		tar -C "$S" -xf -
fi
[ -f "$S/debian/rules" ]
ok $? "the tree copied (debian/rules present)"

# The caller's build variables (make check exports BUILD; make asan CFLAGS)
# must not reach the package build.
rc=0
(cd "$S" && env -u BUILD -u CFLAGS -u LDFLAGS -u CC -u HARDENING -u MAKEFLAGS -u MFLAGS \
	-u MAKELEVEL DEB_BUILD_OPTIONS=parallel=2 \
	dpkg-buildpackage -us -uc -b >"$T/build.log" 2>&1) || rc=$?
is "$rc" 0 "dpkg-buildpackage -us -uc -b"
[ "$rc" = 0 ] || tail -20 "$T/build.log" | sed 's/^/#   /'
like "$(grep -c '^ok ' "$T/build.log")" "^[1-9][0-9]+$" "the unit tests ran in the build"

rc=0
lintian "$T"/romcompat_*.changes >"$T/lintian.log" 2>&1 || rc=$?
is "$rc:$(grep -c '^E: ' "$T/lintian.log")" 0:0 "lintian: exit 0, no E: line"
grep '^[EW]: ' "$T/lintian.log" | sed 's/^/#   /'

deb=$(echo "$T"/romcompat_*.deb)
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
like "$contents" "^\./usr/bin/romcompat$" "the .deb holds usr/bin/romcompat"
like "$contents" "^\./usr/share/man/man1/romcompat\.1\.gz$" "the manual page"
like "$contents" "^\./usr/share/bash-completion/completions/romcompat$" "the bash completion"
like "$contents" "^\./usr/share/romcompat/scenarios/ipxe-upload\.ini$" "the scenarios"
like "$contents" "^\./usr/share/romcompat/machine-types/x86_64/[0-9.]+\.json$" "the machine-type catalogs"

make_version=$(sed -n 's/^VERSION *:= *//p' "$SRCDIR/Makefile")
is "$(dpkg-deb -f "$deb" Version)" "$make_version" "package version is the Makefile's VERSION"

# The packaged program looks for its data under /usr/share/romcompat.
dpkg-deb -x "$deb" "$T/root"
grep -q /usr/share/romcompat "$T/root/usr/bin/romcompat"
ok $? "the packaged program's data directory is /usr/share/romcompat"
