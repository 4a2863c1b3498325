#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# reportdir.t - the report directory is read-only (by its mode, as an
# ordinary user; and mounted read-only) or on a full filesystem (a tmpfs
# of 8 KiB filled up): check and merge exit 3 with one line naming the
# report and what to do, the report already printed on standard output is
# whole, no half-written or temporary report is left in the directory, and
# no QEMU and no run directory are left.  The read-only mount and the full
# tmpfs are made in a private user and mount namespace (unshare -rm), so
# the test needs no root.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
CATALOG=${CATALOG:-$(ls "$SRCDIR"/machine-types/x86_64/*.json 2>/dev/null | tail -1)}
[ -r "$CATALOG" ] || skip_all "no x86_64 machine-type catalog in machine-types/ (romcompat machines writes one)"
plan 51

chmod a+x "$T"
export TMPDIR=$T/tmp XDG_RUNTIME_DIR= XDG_CACHE_HOME=$T/cache
mkdir -m 1777 "$TMPDIR"
mkdir -m 1777 "$XDG_CACHE_HOME"
mkdir "$T/new" "$T/ok"
cp "$ROMDIR"/*.rom "$T/new/"
grow_rom "$ROMDIR/efi-e1000.rom" "$T/new/efi-e1000.rom" 300000
cp "$CATALOG" "$T/catalog.json"
chmod -R a+rX "$T/new" "$T/catalog.json"
MARK=$T/new
CHECK=(check --catalog "$T/catalog.json" --machines 'pc-q35-7.2;pc-i440fx-7.2'
	--nics 'e1000,virtio-net-pci' --old "$ROMDIR" --new "$T/new" -q)
# The text report without its timing line, which differs from run to run.
text_of() { grep -v '^QEMU pairs: ' "$1"; }

# The reference: the same run into a writable directory.
rc=0
"$ROMCOMPAT" "${CHECK[@]}" --json "$T/ok/r.json" >"$T/ok.out" 2>"$T/ok.err" || rc=$?
is "$rc" 1 "reference run into a writable directory: exit 1 (the grown e1000 ROM)"
"$ROMCOMPAT" merge "$T/ok/r.json" >"$T/ok-merge.out" 2>/dev/null
chmod a+r "$T/ok/r.json"

# expect_refused NAME REPORT MESSAGE REFERENCE DIR: the last run ($rc,
# $T/$NAME.out, $T/$NAME.err, listing $T/$NAME.ls) was refused as it should.
expect_refused() {
	local name=$1 report=$2 message=$3 reference=$4 dir=$5 expect_ls=${6:-}
	is "$rc" 3 "$name: exit 3"
	is "$(wc -l <"$T/$name.err")" 1 "$name: one line on stderr"
	like "$(cat "$T/$name.err")" "^romcompat: error: cannot write the report $report: $message$" \
		"$name: it names the report and says what to do"
	ok $(cmp -s <(text_of "$reference") <(text_of "$T/$name.out"); echo $?) \
		"$name: the report on standard output is whole (as in a writable directory)"
	is "$(tr '\n' ' ' <"$T/$name.ls")" "$expect_ls" "$name: no report, no temporary file left in $dir"
}
left_behind() {
	is "$(qemu_left "$MARK")" 0 "$1: no QEMU left"
	is "$(find "$TMPDIR" -mindepth 1 | wc -l)" 0 "$1: no run directory left in TMPDIR"
}

# (a) A directory the user may not write to (mode 555), as an ordinary
# user: root ignores modes, so root runs romcompat as nobody.
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null; then
		as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env env "$@"; }
	else
		:
	fi
else
	as_user() { env "$@"; }
fi
if [ "$(type -t as_user)" = function ]; then
	mkdir -m 555 "$T/ro"
	ENV=(PATH=/usr/bin:/bin TMPDIR=$TMPDIR XDG_RUNTIME_DIR= XDG_CACHE_HOME=$XDG_CACHE_HOME HOME=$T)
	rc=0
	as_user "${ENV[@]}" "$ROMCOMPAT" "${CHECK[@]}" --json "$T/ro/r.json" --junit "$T/ro/r.xml" \
		--tap "$T/ro/r.tap" >"$T/mode.out" 2>"$T/mode.err" || rc=$?
	ls -A "$T/ro" >"$T/mode.ls"
	expect_refused mode "$T/ro/r.json" \
		"Permission denied; make its directory writable or write the report elsewhere" \
		"$T/ok.out" "a mode-555 directory"
	left_behind "mode 555"
	rc=0
	as_user "${ENV[@]}" "$ROMCOMPAT" merge --json "$T/ro/m.json" --html "$T/ro/m.html" \
		"$T/ok/r.json" >"$T/mode-merge.out" 2>"$T/mode-merge.err" || rc=$?
	ls -A "$T/ro" >"$T/mode-merge.ls"
	expect_refused mode-merge "$T/ro/m.json" \
		"Permission denied; make its directory writable or write the report elsewhere" \
		"$T/ok-merge.out" "a mode-555 directory"
else
	for i in $(seq 12); do skip "running as root and setpriv is missing"; done
fi

# (b) and (c) need a private mount namespace.
# in_ns KIND DIR NAME ARGS...: romcompat ARGS with DIR mounted read-only
# (KIND ro) or as a full 8 KiB tmpfs (KIND full; full-keep: 64 KiB with a
# copy of $KEEP as DIR/r.json, compared with it after the run); stdout, stderr
# and DIR's listing inside the namespace go to $T/NAME.{out,err,ls}.
in_ns() {
	local kind=$1 dir=$2 name=$3
	shift 3
	rc=0
	unshare -rm sh -c '
		kind=$1 dir=$2 listing=$3
		shift 3
		case $kind in
		ro) mount --bind "$dir" "$dir" && mount -o remount,ro,bind "$dir" || exit 90 ;;
		full | full-keep)
			size=8k
			[ "$kind" = full ] || size=64k
			mount -t tmpfs -o size=$size romcompat-full "$dir" || exit 90
			[ "$kind" = full ] || cp "$KEEP" "$dir/r.json" || exit 90
			head -c 1048576 /dev/zero >"$dir/filler" 2>/dev/null
			[ "$(stat -c %s "$dir/filler")" -gt 0 ] || exit 90 ;;
		esac
		rc=0
		"$@" || rc=$?
		ls -A "$dir" >"$listing"
		[ "$kind" != full-keep ] || cmp "$KEEP" "$dir/r.json" >>"$listing" 2>&1
		exit $rc' sh "$kind" "$dir" "$T/$name.ls" "$ROMCOMPAT" "$@" \
		>"$T/$name.out" 2>"$T/$name.err" || rc=$?
}

mkdir "$T/probe"
if ! unshare -rm sh -c 'mount -t tmpfs -o size=8k romcompat-probe "$1"' sh "$T/probe" 2>/dev/null; then
	for i in $(seq 38); do skip "no private user and mount namespace here (unshare -rm, tmpfs)"; done
	exit 0
fi

# (b) A directory mounted read-only: even its owner may not write.
mkdir "$T/rom"
in_ns ro "$T/rom" rom "${CHECK[@]}" --json "$T/rom/r.json" --junit "$T/rom/r.xml" --tap "$T/rom/r.tap"
expect_refused rom "$T/rom/r.json" "Read-only file system; write the report elsewhere" \
	"$T/ok.out" "a read-only mount"
left_behind "read-only mount"
in_ns ro "$T/rom" rom-merge merge --json "$T/rom/m.json" --html "$T/rom/m.html" "$T/ok/r.json"
expect_refused rom-merge "$T/rom/m.json" "Read-only file system; write the report elsewhere" \
	"$T/ok-merge.out" "a read-only mount"

# (c) A full filesystem: the temporary file can be made, writing it fails.
mkdir "$T/full"
in_ns full "$T/full" full "${CHECK[@]}" --json "$T/full/r.json" --junit "$T/full/r.xml" \
	--tap "$T/full/r.tap"
FULL="No space left on device; free some space or write the report elsewhere"
expect_refused full "$T/full/r.json" "$FULL" "$T/ok.out" "a full filesystem" "filler "
left_behind "full filesystem"
# JUnit and TAP alone, and merge's JSON and HTML: each refused by its name.
in_ns full "$T/full" full-junit "${CHECK[@]}" --junit "$T/full/r.xml" --tap "$T/full/r.tap"
expect_refused full-junit "$T/full/r.xml" "$FULL" "$T/ok.out" "a full filesystem" "filler "
in_ns full "$T/full" full-merge merge --json "$T/full/m.json" --html "$T/full/m.html" "$T/ok/r.json"
expect_refused full-merge "$T/full/m.json" "$FULL" "$T/ok-merge.out" "a full filesystem" "filler "
in_ns full "$T/full" full-html merge --html "$T/full/m.html" "$T/ok/r.json"
expect_refused full-html "$T/full/m.html" "$FULL" "$T/ok-merge.out" "a full filesystem" "filler "
# An earlier report of the same name is left as it was.
export KEEP=$T/ok/r.json
in_ns full-keep "$T/full" full-keep "${CHECK[@]}" --json "$T/full/r.json"
is "$rc" 3 "full, over an earlier report: exit 3"
is "$(tr '\n' ' ' <"$T/full-keep.ls")" "filler r.json " \
	"full, over an earlier report: the earlier report is there, unchanged, and nothing else"
left_behind "at the end"
