#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# saved-libvirt.t - romcompat saved on real libvirt save images (virsh
# save) of a q35 domain whose NICs libvirt put behind bridges, made here
# by a private libvirt daemon (scripts/libvirt-daemon.sh): raw and in
# every compression libvirt 9.0 writes (save_image_format in the daemon's
# qemu.conf: gzip, bzip2, xz, lzop).  libvirt 9.0 has no zstd (later
# libvirt adds format 5, QEMU_SAVE_FORMAT_ZSTD, written like the others:
# the stream piped through `zstd -c`), so the zstd image is the raw one
# rewritten that way: header format 5, the same XML, the stream through
# `zstd -c`.  Against the installed ROMs they restore; against two ROMs
# grown past their bucket both bridged blocks are named and predicted in
# each, and refused by the new QEMU for raw, gzip and lzop (which this
# libarchive reads through the lzop program: without it, exit 3 naming
# it); a compressed stream is read only as far as its block table; a cut
# image and an unfinished one exit 2; the images are never written.  Run
# as root, the daemon runs as nobody (session mode).
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v libvirtd >/dev/null || [ -x /usr/sbin/libvirtd ] || skip_all "libvirtd not installed (scripts/setup.sh installs libvirt-daemon)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
command -v qemu-img >/dev/null || skip_all "qemu-img not installed (scripts/setup.sh installs qemu-utils)"
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip_all "running as root and setpriv is missing"
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env env HOME="$U" "$@"; }
else
	as_user() { env HOME="$U" "$@"; }
fi

chmod a+x "$T"
U=$T/user
mkdir -p "$U"
chmod a+rwx "$U"
D=$T/libvirt
SCRIPT=$SRCDIR/scripts/libvirt-daemon.sh
stop_daemon() { "$SCRIPT" stop "$D" >/dev/null 2>&1 || true; }
trap 'stop_daemon; _tap_cleanup' EXIT

cat >"$U/dom.xml" <<'XML'
<domain type='qemu'>
  <name>saved-q35</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <interface type='user'><mac address='52:54:00:aa:bb:01'/><model type='e1000'/></interface>
    <interface type='user'><mac address='52:54:00:aa:bb:02'/><model type='virtio'/></interface>
    <memballoon model='none'/>
  </devices>
</domain>
XML
chmod a+r "$U/dom.xml"

# The same domain whose e1000 keeps its own copy of the file (<rom file>).
mkdir -p "$U/compat"
cp "$ROMDIR/efi-e1000.rom" "$U/compat/efi-e1000.rom"
chmod -R a+rX "$U/compat"
sed -e "s#<model type='e1000'/>#&<rom file='$U/compat/efi-e1000.rom'/>#" \
	-e "s#saved-q35#saved-compat#" "$U/dom.xml" >"$U/compat.xml"
chmod a+r "$U/compat.xml"

# The same domain with a disk and a CD-ROM: its restore must not open them.
qemu-img create -q -f qcow2 "$U/disk.qcow2" 64M
head -c 65536 /dev/zero >"$U/cd.iso"
chmod a+rw "$U/disk.qcow2" "$U/cd.iso"
sed -e "s#<emulator>.*</emulator>#&<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$U/disk.qcow2'/><target dev='vda' bus='virtio'/></disk><disk type='file' device='cdrom'><source file='$U/cd.iso'/><target dev='sda' bus='sata'/><readonly/></disk>#" \
	-e "s#saved-q35#saved-disk#" "$U/dom.xml" >"$U/disk.xml"
chmod a+r "$U/disk.xml"

# save_with FORMAT FILE [XML NAME]: a daemon saving in FORMAT; the domain
# started paused and saved to FILE.
save_with() {
	mkdir -p "$D/config/libvirt"
	echo "save_image_format = \"$1\"" >"$D/config/libvirt/qemu.conf"
	chmod -R a+rwX "$D"
	uri=$("$SCRIPT" start "$D" 2>"$T/daemon.err") || return 1
	as_user virsh -q -c "$uri" create "${3:-$U/dom.xml}" --paused >/dev/null &&
		as_user virsh -q -c "$uri" save "${4:-saved-q35}" "$2" >/dev/null
	local rc=$?
	stop_daemon
	return $rc
}
save_with raw "$U/q35.save" ||
	skip_all "libvirtd cannot run or save here: $(tail -1 "$T/daemon.err")"
plan 44
ok 0 "virsh save of a q35 domain (raw)"
for z in gzip bzip2 xz lzop; do
	save_with $z "$U/q35-$z.save"
	ok $? "virsh save of the same domain, $z-compressed"
done
# zstd as later libvirt writes it (see above); the header's words are in
# the host's byte order, the XML and cookie take data_len bytes.
len=$(od -An -tu4 -j20 -N4 "$U/q35.save" | tr -d ' ')
{
	head -c 28 "$U/q35.save"
	printf '\005\000\000\000'
	tail -c +33 "$U/q35.save" | head -c $((92 - 32 + len))
	tail -c +$((93 + len)) "$U/q35.save" | zstd -q -c
} >"$U/q35-zstd.save"
ok $? "the raw image rewritten as libvirt writes zstd (header format 5, stream through zstd -c)"
FORMATS="gzip bzip2 xz lzop zstd"
save_with raw "$U/compat.save" "$U/compat.xml" saved-compat
ok $? "virsh save of the domain whose e1000 has <rom file=...>"
save_with raw "$U/disk.save" "$U/disk.xml" saved-disk
ok $? "virsh save of the domain with a qcow2 disk and a CD-ROM"
before=$(sha256sum "$U"/*.save "$U/disk.qcow2" "$U/cd.iso")

G=$T/grown
mkdir -p "$G"
cp "$ROMDIR"/*.rom "$G/"
grow_rom "$ROMDIR/efi-e1000.rom" "$G/efi-e1000.rom" 600000
grow_rom "$ROMDIR/efi-virtio.rom" "$G/efi-virtio.rom" 600000
IDS="0000:00:01.0:00.0:01.0/e1000.rom 0000:00:01.1:00.0/virtio-net-pci.rom"
changed() { jq -r '[.states[0].blocks[] | select(.verdict == "changed") | .id] | join(" ")' "$1"; }

run saved --static "$U/q35.save" "$U"/q35-*.save --json "$T/all.json"
is "$rc" 0 "every image against the installed ROMs: exit 0"
like "$out" "q35.save \\(libvirt, machine pc-q35-7.2, x86_64\\): restores \\(predicted\\)" "the raw image read"
for z in $FORMATS; do
	like "$out" "q35-$z.save \\(libvirt, machine pc-q35-7.2, x86_64\\): restores \\(predicted\\)" "the $z image read through libarchive"
done
# Each compressed stream is decompressed only until its RAM block table.
# Not bzip2 here: QEMU skips zero pages, the whole stream is 1.2 MB, one
# bzip2 block after its run-length pass, and a block gives no byte
# before all of it is read.
PART="gzip xz lzop zstd"
short=$(for z in $PART; do
	jq -r --arg f "$U/q35-$z.save" '.states[] | select(.path == $f) | .bytes_read' "$T/all.json" |
		{ read -r n; [ "$n" -lt "$(stat -c %s "$U/q35-$z.save")" ] && echo "$z"; }
done | xargs)
is "$short" "$PART" "gzip, xz, lzop and zstd images read only in part (bytes_read < size)"

for z in raw $FORMATS; do
	f=q35-$z.save
	[ $z = raw ] && f=q35.save
	run saved --static --new "$G" "$U/$f" --json "$T/$f.json"
	is "$rc:$(changed "$T/$f.json")" "1:$IDS" "$f, grown ROMs, --static: exit 1, both bridged blocks named"
done
for f in q35.save q35-gzip.save q35-lzop.save; do
	run saved --new "$G" "$U/$f" --json "$T/$f.rb.json"
	is "$rc:$(changed "$T/$f.rb.json")" "1:$IDS" "$f, grown ROMs, read back from the new QEMU: exit 1, both named"
	like "$out" "refused.*
    QEMU: Size mismatch: 0000:00:01.0:00.0:01.0/e1000.rom: 0x40000 != 0x100000" "$f: a copy of its stream refused by the new QEMU, its line quoted"
done
# Without the lzop program this libarchive cannot read lzop: the image is
# fine, the host lacks a tool (exit 3, one line naming it).
mkdir -p "$T/nolzop"
rc=0
PATH=$T/nolzop "$ROMCOMPAT" saved --static "$U/q35-lzop.save" >/dev/null 2>"$T/nolzop.err" || rc=$?
like "$rc:$(grep -c . "$T/nolzop.err"):$(cat "$T/nolzop.err")" "^3:1:.*lzop-compressed.*install lzop" \
	"lzop image without the lzop program: exit 3, one line naming it"
run saved "$U/q35.save"
is "$rc" 0 "read back against the installed ROMs: exit 0"

# The domain XML's own ROM file, not the new set's, for the e1000.
run saved --static --new "$G" "$U/compat.save" --json "$T/compat.json"
is "$rc:$(changed "$T/compat.json")" "1:0000:00:01.1:00.0/virtio-net-pci.rom" "<rom file>: only the virtio block changes"
is "$(jq -r '.states[0].blocks[] | select(.id | endswith("e1000.rom")) | "\(.rom) \(.verdict)"' "$T/compat.json")" \
	"$U/compat/efi-e1000.rom same" "the e1000 block comes from the domain's own file and keeps its length"
run saved --new "$G" "$U/compat.save" --json "$T/compat.rb.json"
is "$rc:$(changed "$T/compat.rb.json")" "1:0000:00:01.1:00.0/virtio-net-pci.rom" "<rom file>, read back: only the virtio block changes"

head -c 2000 "$U/q35.save" >"$T/cut.save"
run saved --static "$T/cut.save"
is "$rc:$(printf '%s\n' "$err" | grep -c .)" "2:1" "a cut libvirt image: exit 2, one line"
{ printf 'LibvirtQemudPart'; tail -c +17 "$U/q35.save" | head -c 100000; } >"$T/part.save"
run saved --static "$T/part.save"
like "$rc:$err" "^2:.*never finished" "an unfinished save (LibvirtQemudPart): exit 2, says so"

# Restored by libvirt itself (--backend libvirt): a copy of the image,
# its NICs' <rom file> pointed at the new ROMs, every other device of the
# domain (USB, SATA, root ports) recreated by libvirt.
chmod -R a+rX "$G"
mkdir -p "$D/config/libvirt"
echo 'save_image_format = "raw"' >"$D/config/libvirt/qemu.conf"
chmod -R a+rwX "$D"
if uri=$("$SCRIPT" start "$D" 2>"$T/daemon.err"); then
	lv() { rc=0; out=$(as_user "$ROMCOMPAT" saved --backend libvirt --connect "$uri" "$@" 2>"$T/lv.err") || rc=$?; err=$(cat "$T/lv.err"); }
	lv "$U/q35.save" "$U/q35-gzip.save"
	like "$rc:$out" "^0:.*q35.save .*restores \\(loaded\\)
    loaded \\(restored by libvirt" "installed ROMs: libvirt restores a copy of each image (exit 0)"
	lv --new "$G" "$U/q35.save" --json "$U/lv.json"
	like "$rc:$out" "^1:.*will-not-restore \\(refused\\)
    QEMU: Size mismatch: 0000:00:01.0:00.0:01.0/e1000.rom: 0x40000 != 0x100000" \
		"grown ROMs: libvirt's restore refused, QEMU's line quoted (exit 1)"
	is "$(changed "$U/lv.json")" "$IDS" "grown ROMs, libvirt: both bridged blocks named"
	lv "$U/disk.save"
	like "$rc:$out" "^0:.*disk.save .*restores \\(loaded\\)" "a domain with a disk and a CD-ROM: restored with a blank disk and an empty drive (exit 0)"
	is "$(as_user virsh -q -c "$uri" list --all --name | grep -c .)" 0 "no domain left in libvirt (virsh list --all)"
	# The VM itself defined there: its image is not restored in its place.
	as_user virsh -q -c "$uri" define "$U/dom.xml" >/dev/null
	lv "$U/q35.save"
	like "$rc:$(printf '%s\n' "$err" | grep -c .):$err" "^3:1:.*has a domain named saved-q35.*take that domain's place" \
		"a domain of the image's name on the connection: not restored over it (exit 3, one line)"
	as_user virsh -q -c "$uri" undefine saved-q35 >/dev/null
	stop_daemon
else
	skip 6 "libvirtd would not start again: $(tail -1 "$T/daemon.err")"
fi
run saved --static --backend libvirt "$U/q35.save"
like "$rc:$err" "^2:.*--static runs no QEMU" "--backend libvirt with --static: exit 2"

is "$(sha256sum "$U"/*.save "$U/disk.qcow2" "$U/cd.iso")" "$before" "the images, the disk and the CD-ROM are never written (sha256 before and after)"
is "$(qemu_left "$U")" 0 "no QEMU left running"
