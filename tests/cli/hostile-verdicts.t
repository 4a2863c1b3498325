#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-verdicts.t - a verdict (exit 0 or 1) is never given for a bad
# input, and an input error (2) is never given for a failing environment
# (3): migrate's ROMs are checked as inspect checks them (option ROMs
# parsed, firmware images sized), a NIC model or machine type is a plain
# name the QEMU lists, a FIFO as any operand is refused at once, and an
# archive out of reach or a cache that cannot be written is exit 3 for
# inspect, diff and check alike (bisect: 125), an unknown version exit 2.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
plan 65

E=$ROMDIR/efi-e1000.rom
export TMPDIR=$T/tmp XDG_RUNTIME_DIR= XDG_CACHE_HOME=$T/cache
mkdir "$TMPDIR"
M=(--machine pc-i440fx-7.2 --nic e1000)
# The QEMUs a run started, from its trace (probes and pair members alike).
qemus_started() { grep -c "'/usr/bin/qemu-system" "$T/.stderr" || true; }
lines() { printf '%s\n' "$1" | grep -c . || true; }

# --- migrate's ROMs, checked before any QEMU sees them ---
head -c 65536 /dev/urandom >"$T/random.rom"
: >"$T/empty.rom"
head -c 100000 "$E" >"$T/truncated.rom"
for f in random empty truncated; do
	run --trace migrate "${M[@]}" --old "$E" --new "$T/$f.rom"
	is "$rc" 2 "migrate --new $f.rom: exit 2, not a verdict"
	like "$(printf '%s\n' "$err" | grep -v '^\[')" "^romcompat: error: --new ROM $T/$f.rom: " "one line naming the ROM"
	is "$(qemus_started)" 0 "no QEMU was started for $f.rom"
done
like "$err" "truncated \\(image 2 at" "the truncated ROM: what is missing, as inspect says it"
run migrate "${M[@]}" --old "$T/random.rom" --new "$E"
is "$rc" 2 "migrate --old random.rom: exit 2"
truncate -s 1G "$T/huge.rom"
rc=0
/usr/bin/time -f %M -o "$T/rss" "$ROMCOMPAT" migrate "${M[@]}" --old "$E" --new "$T/huge.rom" 2>"$T/.stderr" >/dev/null || rc=$?
is "$rc" 2 "a 1 GiB ROM: exit 2"
like "$(cat "$T/.stderr")" "more than the 67108864 a --new ROM may have" "refused by its size"
ok $([ "$(tail -1 "$T/rss")" -lt 65536 ]; echo $?) "before a byte is read: peak RSS $(tail -1 "$T/rss") KiB < 64 MiB"

# Firmware images are sized, not parsed.
if [ -r /usr/share/seabios/bios-256k.bin ]; then
	run migrate "${M[@]}" --old /usr/share/seabios/bios-256k.bin --new /usr/share/seabios/bios-256k.bin
	is "$rc" 0 "bios-256k.bin (a firmware image, no 55 AA): sized, accepted, migrates"
	head -c 100000 /usr/share/seabios/bios-256k.bin >"$T/bios-cut.bin"
	run migrate "${M[@]}" --old "$E" --new "$T/bios-cut.bin"
	is "$rc" 2 "a bios*.bin of 100000 bytes: exit 2"
	like "$err" "firmware image $T/bios-cut.bin: 100000 bytes, not a whole multiple of 64 KiB" "says which size rule it breaks"
else
	skip "seabios not installed" 3
fi
: >"$T/OVMF.fd"
run migrate "${M[@]}" --old "$E" --new "$T/OVMF.fd"
is "$rc" 2 "an empty OVMF.fd: exit 2"
like "$err" "firmware image $T/OVMF.fd: 0 bytes, not a whole multiple of 4 KiB" "an .fd is sized in 4 KiB sectors"
run migrate "${M[@]}" --old "$E" --new debian:ipxe-qemu
is "$rc" 2 "a package as --new: exit 2"
like "$err" "migrate takes one ROM file, not a package" "and migrate says what it takes"

# --- NIC models and machine types are plain names the QEMU lists ---
run --trace migrate --machine pc-i440fx-7.2 --nic 'e1000,romsize=1048576' --old "$E" --new "$E"
is "$rc" 2 "--nic 'e1000,romsize=1048576': exit 2, not a migration"
like "$err" "romcompat: error: --nic 'e1000,romsize=1048576': not a plain name" "the error names the option and the value"
is "$(qemus_started)" 0 "no QEMU saw the injected property"
is "$out" "" "nothing on standard output"
run --trace migrate --machine 'pc-i440fx-7.2,accel=kvm' --nic e1000 --old "$E" --new "$E"
is "$rc" 2 "--machine with a property: exit 2"
is "$(qemus_started)" 0 "no QEMU started"
run migrate --machine pc-i440fx-7.2 --nic virtio-balloon-pci --old "$E" --new "$E"
is "$rc" 2 "a PCI device that is no NIC: exit 2"
like "$err" "--nic virtio-balloon-pci: not a PCI NIC or display device of machine type pc-i440fx-7.2 in QEMU .*; it has: e1000, " "and the models the QEMU lists"
run check -q --static --old "$ROMDIR" --new "$ROMDIR" --machines pc-q35-7.2 --nics 'e1000,romsize=1'
is "$rc" 2 "check --nics 'e1000,romsize=1': exit 2"
run check -q --static --old "$ROMDIR" --new "$ROMDIR" --machines 'pc-q35-7.2,accel=kvm' --nics e1000
is "$rc" 2 "check --machines with a property: exit 2"

# --- a FIFO as any operand: refused at once, never opened for a writer ---
mkfifo "$T/fifo"
fifo_refused() { # WHAT ARGS...
	local what=$1 start
	shift
	start=$(date +%s)
	rc=0
	out=$(timeout 20 "$ROMCOMPAT" "$@" 2>"$T/.stderr") || rc=$?
	err=$(cat "$T/.stderr")
	is "$rc" 2 "$what: a FIFO is exit 2 (124 would be a hang)"
	like "$err" "a FIFO, not a regular file" "$what: one line says it is a FIFO"
	is "$(lines "$err")" 1 "$what: one line on stderr"
	ok $([ $(($(date +%s) - start)) -le 5 ]; echo $?) "$what: at once"
}
fifo_refused "migrate --old" migrate "${M[@]}" --old "$T/fifo" --new "$E"
fifo_refused "migrate --new" migrate "${M[@]}" --old "$E" --new "$T/fifo"
fifo_refused "--apt-sources" --apt-sources "$T/fifo" inspect "$E"
ROMCOMPAT_APT_SOURCES="$T/fifo" fifo_refused "ROMCOMPAT_APT_SOURCES" inspect "$E"
fifo_refused "check --mitigation compat=" check --static --old "$ROMDIR" --new "$ROMDIR" \
	--machines pc-q35-7.2 --nics e1000 --mitigation "compat=$T/fifo"
if [ -e "$(dirname "$ROMCOMPAT")/romcompat-libvirt.so" ]; then
	fifo_refused "migrate --domain-xml" migrate --domain-xml "$T/fifo" --new-rom-dir "$ROMDIR"
else
	skip "the libvirt module is not built" 4
fi
is "$(stat -c %F "$T/fifo")" "fifo" "the FIFO is still a FIFO"

# --- one rule: 2 the input is wrong, 3 the environment failed ---
version=$(apt-cache policy ipxe-qemu 2>/dev/null | sed -n 's/^ *Candidate: //p')
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
	skip "apt knows no ipxe-qemu here" 7
else
	# A cache that cannot be made (its parent is a file: even root fails).
	touch "$T/file"
	for cmd in inspect diff check; do
		case $cmd in
		inspect) args=(inspect "debian:ipxe-qemu=$version") ;;
		diff) args=(diff "debian:ipxe-qemu=$version" "$ROMDIR") ;;
		check) args=(check -q --static --old "debian:ipxe-qemu=$version" --new "$ROMDIR" --machines pc-q35-7.2 --nics e1000) ;;
		esac
		rc=0
		err=$(XDG_CACHE_HOME=$T/file/cache "$ROMCOMPAT" "${args[@]}" 2>&1 >/dev/null) || rc=$?
		is "$rc" 3 "$cmd with a cache that cannot be written: exit 3 ($err)"
	done
	# An archive nothing answers for.
	printf 'deb http://127.0.0.1:9/debian bookworm main\n' >"$T/unreachable.list"
	run --apt-sources "$T/unreachable.list" check -q --static --old "debian:ipxe-qemu=$version" --new "$ROMDIR" --machines pc-q35-7.2 --nics e1000
	is "$rc" 3 "check with an unreachable archive: exit 3"
	like "$err" "old ROMs: apt-get update with .* failed: .*127\\.0\\.0\\.1" "with apt's own cause"
	run --apt-sources "$T/unreachable.list" bisect -q --old "debian:ipxe-qemu=$version" --new "$ROMDIR" --machines pc-q35-7.2 --nics e1000
	is "$rc" 125 "bisect with the reference set out of reach: 125 (cannot test, not 128 stop), as git bisect run needs"
	# A version apt does not know is the user's input, for every command.
	run check -q --static --old debian:ipxe-qemu=9.9.9-1 --new "$ROMDIR" --machines pc-q35-7.2 --nics e1000
	is "$rc" 2 "check with a version apt does not know: exit 2"
fi
is "$(find "$T" -path "$T/cache" -prune -o -name '*.deb' -print | wc -l)" 0 "no package left outside the cache"
is "$(qemu_left "$T")" 0 "no QEMU left"
