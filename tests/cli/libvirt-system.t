#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt-system.t - the libvirt backend's errors are not verdicts:
# through qemu:///system (QEMU runs as the daemon's QEMU user) a ROM in a
# directory that user may not enter is exit 2 naming the permission and
# the remedy, not "romfile-missing"; a daemon that cannot write its save
# file is exit 3 with libvirt's cause, not "incompatible".  The system
# daemon is started for the test unless one runs, and only what the test
# started is stopped.  Needs root (the system daemon runs as root).
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "qemu:///system needs root to start the system libvirtd; run as root (CI does)"
have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
[ -e "$(dirname "$ROMCOMPAT")/romcompat-libvirt.so" ] || skip_all "the libvirt module is not built"
if ! [ -x /usr/sbin/libvirtd ] || ! id libvirt-qemu >/dev/null 2>&1; then
	# As root this is a missing install, not a reason to skip.
	plan 1
	ok 1 "libvirtd and the libvirt-qemu user are there (scripts/setup.sh installs libvirt-daemon-system)"
	exit 1
fi
plan 16

S=$T/system
mkdir -p "$S"
uri=$("$SRCDIR/scripts/libvirt-daemon.sh" start-system "$S" 2>"$T/daemon.err")
started=$(for f in "$S"/*.pid; do [ -f "$f" ] && echo "$(cat "$f")"; done | tr '\n' ' ')
D=$T/session
stop_all() {
	"$SRCDIR/scripts/libvirt-daemon.sh" stop-system "$S" >/dev/null 2>&1 || true
	"$SRCDIR/scripts/libvirt-daemon.sh" stop "$D" >/dev/null 2>&1 || true
}
trap 'stop_all; _tap_cleanup' EXIT
is "$uri" "qemu:///system" "the system daemon answers (started by the test: ${started:-none})"

E=$ROMDIR/efi-e1000.rom
M=(--backend libvirt --machine pc-q35-7.2 --nic e1000)
export TMPDIR=$T/tmp XDG_RUNTIME_DIR= XDG_CACHE_HOME=$T/cache
mkdir -m 755 "$TMPDIR"
chmod 755 "$T"

# ROMs in a directory the QEMU user may not enter.
mkdir -m 700 "$T/private"
cp "$E" "$T/private/efi-e1000.rom"
run migrate "${M[@]}" --connect qemu:///system --old "$T/private/efi-e1000.rom" --new "$T/private/efi-e1000.rom"
is "$rc" 2 "ROM directory the QEMU user cannot enter: exit 2"
like "$err" "^romcompat: error: qemu:///system runs QEMU as user libvirt-qemu, which may not enter $T/private \\(mode 0700" "one line naming the user, the directory and its mode"
like "$err" "chmod o\\+x on each directory, o\\+r on the file\\) or copy the ROMs" "and the remedy"
is "$(printf '%s\n' "$err" | grep -c .)" 1 "one line on stderr"
is "$out" "" "no verdict on standard output"
is "$(printf '%s\n' "$out$err" | grep -c romfile-missing)" 0 "not romfile-missing"

# The same ROMs where that user can read them: a real save and restore.
mkdir -m 755 "$T/shared"
cp "$E" "$T/shared/efi-e1000.rom"
grow_rom "$E" "$T/shared/grown.rom" 300000
chmod 644 "$T"/shared/*.rom
run migrate "${M[@]}" --connect qemu:///system --old "$T/shared/efi-e1000.rom" --new "$T/shared/efi-e1000.rom"
is "$rc" 0 "readable ROMs through qemu:///system: exit 0"
run migrate "${M[@]}" --connect qemu:///system --old "$T/shared/efi-e1000.rom" --new "$T/shared/grown.rom"
is "$rc" 1 "a grown ROM through qemu:///system: exit 1"
like "$out" "Size mismatch: 0000:00:01.0/e1000.rom: 0x40000 != 0x80000" "with QEMU's line"

# A daemon that cannot write the save file: a session daemon of nobody,
# romcompat as root with its run directory private to root.
suri=$("$SRCDIR/scripts/libvirt-daemon.sh" start "$D" 2>"$T/session.err")
if [ -n "$suri" ]; then
	mkdir -m 700 "$T/roottmp"
	rc=0
	out=$(TMPDIR=$T/roottmp "$ROMCOMPAT" migrate "${M[@]}" --connect "$suri" --old "$T/shared/efi-e1000.rom" --new "$T/shared/efi-e1000.rom" 2>"$T/.stderr") || rc=$?
	err=$(cat "$T/.stderr")
	is "$rc" 3 "save file the daemon cannot create: exit 3, not incompatible"
	like "$err" "^romcompat: error: libvirt .* could not save a domain to romcompat's run directory: .*Permission denied; the daemon writes the file as its own user" "one line with libvirt's cause and what to do"
	is "$out" "" "no verdict on standard output"
	is "$(find "$T/roottmp" -name '*.save' | wc -l)" 0 "no save file left"
else
	skip "a session libvirtd cannot run here: $(tail -1 "$T/session.err")" 4
fi

stop_all
left=0
for pid in $started; do kill -0 "$pid" 2>/dev/null && left=$((left + 1)); done
is "$left" 0 "the daemons the test started are stopped"
sleep 0.5
is "$(qemu_left "$T/")" 0 "no QEMU left"
