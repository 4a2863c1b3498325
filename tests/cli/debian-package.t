#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# debian-package.t - the Debian packages: built from a copy of the tree
# with dpkg-buildpackage (the C unit tests run in the build), lintian
# reports no error, romcompat holds the program, the manual page, the
# completion, the scenarios, the machine-type catalogs, the documentation
# and the CI recipes, and its version is the Makefile's; romcompat-libvirt
# holds the libvirt module, so that only it depends on libvirt0.  The
# autopkgtests (debian/tests) run on the unpacked packages.
. "$(dirname "$0")/lib.sh"

for c in dpkg-buildpackage dpkg-checkbuilddeps dpkg-deb lintian fakeroot; do
	command -v $c >/dev/null || skip_all "$c not installed (packages dpkg-dev, lintian, fakeroot)"
done
(cd "$SRCDIR" && dpkg-checkbuilddeps >"$T/deps" 2>&1) ||
	skip_all "build dependencies missing: $(cat "$T/deps")"
plan 23

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

# The split: the libvirt module and its libraries in romcompat-libvirt only.
lvdeb=$(echo "$T"/romcompat-libvirt_*.deb)
[ -f "$lvdeb" ]
ok $? "romcompat-libvirt built"
lvcontents=$(dpkg-deb -c "$lvdeb" | awk '{print $6}')
like "$lvcontents" "^\./usr/lib/romcompat/romcompat-libvirt\.so$" "romcompat-libvirt holds the module"
printf '%s\n' "$contents" | grep -q 'romcompat-libvirt\.so'
is "$?" 1 "romcompat does not hold the module"
depends=$(dpkg-deb -f "$deb" Depends)
printf '%s\n' "$depends" | grep -Eq 'libvirt|libxml2'
is "$?" 1 "romcompat depends on neither libvirt0 nor libxml2 ($depends)"
like "$(dpkg-deb -f "$deb" Suggests)" "(^|, )romcompat-libvirt(,|$)" "romcompat suggests romcompat-libvirt"
lvdepends=$(dpkg-deb -f "$lvdeb" Depends)
like "$lvdepends" "(^|, )libvirt0( |,|$)" "romcompat-libvirt depends on libvirt0"
like "$lvdepends" "(^|, )romcompat \(= $make_version\)" "romcompat-libvirt depends on this romcompat"

like "$contents" "^\./usr/share/doc/romcompat/README\.md(\.gz)?$" "the README in /usr/share/doc/romcompat"
like "$contents" "^\./usr/share/doc/romcompat/matrix\.md(\.gz)?$" "docs/*.md in /usr/share/doc/romcompat"
like "$contents" "^\./usr/share/doc/romcompat/ci/gitlab-ci\.yml$" "the CI recipes in /usr/share/doc/romcompat/ci, not compressed"

# The autopkgtests, on both packages unpacked together: the program finds
# its data and module beside itself.
if have_qemu && [ -d "$ROMDIR" ]; then
	dpkg-deb -x "$lvdeb" "$T/root"
	rc=0
	"$S/debian/tests/smoke" "$T/root/usr/bin/romcompat" >"$T/smoke.log" 2>&1 || rc=$?
	is "$rc" 0 "debian/tests/smoke on the unpacked packages"
	[ "$rc" = 0 ] || grep -v '^ok' "$T/smoke.log" | sed 's/^/#   /' | head -20
	rc=0
	"$S/debian/tests/libvirt-module" "$T/root/usr/bin/romcompat" >"$T/lv.log" 2>&1 || rc=$?
	is "$rc" 0 "debian/tests/libvirt-module on the unpacked packages"
	[ "$rc" = 0 ] || grep -v '^ok' "$T/lv.log" | sed 's/^/#   /' | head -20
else
	skip "qemu-system-x86_64 or $ROMDIR missing: autopkgtests not run"
	skip "qemu-system-x86_64 or $ROMDIR missing: autopkgtests not run"
fi
