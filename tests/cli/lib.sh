# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - TAP helpers for romcompat's command-line tests (sourced by *.t).
#
# Each test file: source this, call `plan N`, then ok/is/skip/... .  A
# private temporary directory $T is made and removed at exit, and any
# QEMU left behind by a test is a failure of its own (checked at exit).

set -u
ROMCOMPAT=${ROMCOMPAT:-$(cd "$(dirname "$0")/../.." && pwd)/build/romcompat}
ROMDIR=${ROMDIR:-/usr/lib/ipxe/qemu}
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-test.XXXXXX")
_tap_n=0
_tap_failed=0

_tap_cleanup() {
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}
trap _tap_cleanup EXIT

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# ok COND_EXIT_STATUS DESCRIPTION
ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
}

# is GOT EXPECTED DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"
		echo "#   got:      '$1'"
		echo "#   expected: '$2'"
	fi
}

# like TEXT REGEX DESCRIPTION
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else
		ok 1 "$3"
		printf '%s\n' "$1" | sed 's/^/#   /' | head -20
		echo "#   does not match: $2"
	fi
}

# skip REASON [COUNT]: COUNT tests (default 1) skipped for REASON.
skip() {
	local count=1
	if [ $# -ge 2 ] && [[ ${!#} =~ ^[0-9]+$ ]]; then
		count=${!#}
		set -- "${@:1:$#-1}"
	fi
	for ((; count > 0; count--)); do
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # SKIP $*"
	done
}

diag() { echo "# $*"; }

# run ARGS...: runs romcompat, sets $out (stdout), $err (stderr), $rc.
run() {
	rc=0
	out=$("$ROMCOMPAT" "$@" 2>"$T/.stderr") || rc=$?
	err=$(cat "$T/.stderr")
}

# grow_rom SRC DST SIZE: copy of SRC padded with 0xFF to SIZE bytes.
grow_rom() {
	cp "$1" "$2"
	_pad=$(($3 - $(stat -c %s "$1")))
	[ "$_pad" -gt 0 ] && head -c "$_pad" /dev/zero | tr '\0' '\377' >>"$2"
	return 0
}

have_qemu() { command -v "${1:-qemu-system-x86_64}" >/dev/null 2>&1; }

# qemu_left MARKER: number of QEMU processes whose command line has MARKER.
qemu_left() { pgrep -c -f -- "qemu-system.*$1" 2>/dev/null || true; }

# need_trixie_firmware: what the tests of another suite's seabios and ovmf
# need (apt, jq, QEMU, both packages installed, the archive reachable), or
# skip the whole file saying which is missing; then $T/trixie.list is a
# private sources list for trixie and the cache is the test's own.
need_trixie_firmware() {
	local uri
	command -v apt-get >/dev/null || skip_all "apt-get not installed"
	command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
	have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
	[ -d /usr/share/seabios ] && [ -r /usr/share/ovmf/OVMF.fd ] ||
		skip_all "seabios and ovmf are not both installed (scripts/setup.sh installs them)"
	uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uri" ] || skip_all "no Debian archive URI in /etc/apt/sources.list.d/debian.sources"
	export XDG_CACHE_HOME=$T/cache TMPDIR=$T/tmp XDG_RUNTIME_DIR=
	mkdir "$TMPDIR"
	printf 'deb %s trixie main\n' "$uri" >"$T/trixie.list"
	run --apt-sources "$T/trixie.list" inspect debian:seabios
	[ "$rc" -eq 3 ] && skip_all "the Debian archive is not reachable from here: $err"
}
