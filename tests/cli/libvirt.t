#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt.t - the libvirt backend against a real libvirtd that the test
# starts itself (scripts/libvirt-daemon.sh: session mode, everything under
# the test's directory): save/restore passes with the same ROM and fails
# with a grown one with the same verdict, block and sizes as the direct
# backend; a matrix slice gives the same verdicts on both backends;
# --domain-xml checks a VM defined the way virt-install defines one (two
# NICs of different models) and refuses bad XML, unknown models and missing
# ROMs clearly; nothing is left behind.  Run as root, the daemon and
# romcompat run as nobody (session mode needs an ordinary user).
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v libvirtd >/dev/null || [ -x /usr/sbin/libvirtd ] || skip_all "libvirtd not installed (scripts/setup.sh installs libvirt-daemon)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip_all "running as root and setpriv is missing"
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env env "$@"; }
else
	as_user() { env "$@"; }
fi

chmod a+x "$T"
U=$T/user
mkdir -p "$U/tmp" "$U/new" "$U/cache"
cp "$ROMDIR"/*.rom "$U/new/"
grow_rom "$ROMDIR/efi-e1000.rom" "$U/grown.rom" 300000
cp "$U/grown.rom" "$U/new/efi-e1000.rom"
chmod -R a+rwX "$U"
ENV=(PATH=/usr/bin:/bin:/usr/sbin TMPDIR=$U/tmp XDG_RUNTIME_DIR= XDG_CACHE_HOME=$U/cache HOME=$U)

D=$T/libvirt
uri=$("$SRCDIR/scripts/libvirt-daemon.sh" start "$D" 2>"$T/daemon.err") ||
	skip_all "libvirtd cannot run here: $(tail -1 "$T/daemon.err")"
stop_daemon() { "$SRCDIR/scripts/libvirt-daemon.sh" stop "$D" >/dev/null 2>&1 || true; }
trap 'stop_daemon; _tap_cleanup' EXIT
plan 27

# Without the module next to it (and none installed), --backend libvirt
# is an infrastructure error that says what is missing.
mkdir "$T/alone"
cp "$ROMCOMPAT" "$T/alone/romcompat"
if [ ! -e /usr/local/lib/romcompat/romcompat-libvirt.so ] && [ ! -e /usr/lib/romcompat/romcompat-libvirt.so ]; then
	rc=0
	err=$(ROMCOMPAT_MODULE_DIR= "$T/alone/romcompat" migrate --backend libvirt --machine pc-q35-7.2 --nic e1000 --old '' --new '' 2>&1 >/dev/null) || rc=$?
	is "$rc" 3 "no libvirt module: exit 3"
	like "$err" "the libvirt backend is not installed: no romcompat-libvirt.so in " "and it says what is missing"
else
	skip "a romcompat libvirt module is installed on this machine" 2
fi

# urun ARGS...: romcompat as the daemon's user; sets out, err, rc.
urun() {
	rc=0
	out=$(as_user "${ENV[@]}" "$ROMCOMPAT" "$@" 2>"$T/.stderr") || rc=$?
	err=$(cat "$T/.stderr")
}
M=(--machine pc-q35-7.2 --nic e1000)

urun migrate "${M[@]}" --backend libvirt --connect "$uri" --old "$ROMDIR/efi-e1000.rom" --new "$ROMDIR/efi-e1000.rom"
is "$rc" 0 "libvirt: save and restore with the same ROM: exit 0"
like "$out" "migrated +ok" "and it says so"

urun migrate "${M[@]}" --backend libvirt --connect "$uri" --old "$ROMDIR/efi-e1000.rom" --new "$U/grown.rom" --direction both --json -
is "$rc" 1 "libvirt: restore with a ROM grown past its bucket: exit 1"
lv=$(printf '%s' "$out" | jq -c '[.[] | {direction, kind, block, "source-size", "destination-size", message}]')
urun migrate "${M[@]}" --old "$ROMDIR/efi-e1000.rom" --new "$U/grown.rom" --direction both --json -
direct=$(printf '%s' "$out" | jq -c '[.[] | {direction, kind, block, "source-size", "destination-size", message}]')
is "$lv" "$direct" "same verdict, block, sizes and QEMU message as the direct backend, both directions"
like "$lv" '"kind":"rom-size-mismatch","block":"0000:00:01.0/e1000.rom","source-size":262144,"destination-size":524288' "the block and both sizes are named"

S=(check -j 2 --machines 'pc-q35-7.2;pc-i440fx-7.2' --nics 'e1000,virtio-net-pci' --old "$ROMDIR" --new "$U/new")
urun "${S[@]}" --backend libvirt --connect "$uri" --json "$U/lv.json"
is "$rc" 1 "check --backend libvirt on a slice: exit 1 (e1000 fails)"
like "$out" "backend libvirt \\(qemu\\+unix" "the report names the backend"
urun "${S[@]}" --json "$U/direct.json"
verdicts() { jq -c '[.cases[] | [.machine, .nic, .direction, .verdict, .kind, .block, .["source-size"], .["destination-size"]]] | sort' "$1"; }
is "$(verdicts "$U/lv.json")" "$(verdicts "$U/direct.json")" "both backends give the same verdicts, kinds, blocks and sizes case by case"
is "$(jq '[.cases[] | select(.verdict == "fail")] | length' "$U/lv.json")" 4 "4 failing cases (e1000 on two machine types, both directions)"

# A VM the way virt-install defines one: disk, network and bridge NICs,
# console, channel, graphics, host CPU.
sed -e "s#@ROMDIR@#$ROMDIR#" >"$U/vm.xml" <<'XML'
<domain type='kvm'>
  <name>web01</name>
  <uuid>6f1c3a4e-8d2b-4e5f-9a7c-1b2d3e4f5a6b</uuid>
  <memory unit='KiB'>2097152</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <boot dev='hd'/>
  </os>
  <features><acpi/><apic/></features>
  <cpu mode='host-passthrough' check='none' migratable='on'/>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/web01.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:aa:bb:01'/>
      <source network='default'/>
      <model type='e1000'/>
    </interface>
    <interface type='bridge'>
      <mac address='52:54:00:aa:bb:02'/>
      <source bridge='br0'/>
      <model type='virtio'/>
      <driver name='vhost'/>
    </interface>
    <console type='pty'><target type='serial' port='0'/></console>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <graphics type='spice' autoport='yes'/>
    <video><model type='virtio'/></video>
  </devices>
</domain>
XML
chmod a+r "$U/vm.xml"
urun migrate --domain-xml "$U/vm.xml" --new-rom-dir "$U/new" --connect "$uri"
is "$rc" 1 "--domain-xml: a VM with an e1000 fails against the grown ROMs: exit 1"
like "$out" "52:54:00:aa:bb:01\\) +efi-e1000.rom \\(256 KiB\\) +efi-e1000.rom \\(512 KiB\\) +FAILS +Size mismatch: .*/e1000.rom: 0x40000 != 0x80000" "the e1000 NIC fails, with QEMU's message"
like "$out" "52:54:00:aa:bb:02\\) +efi-virtio.rom \\(256 KiB\\) +efi-virtio.rom \\(256 KiB\\) +restores" "the virtio NIC restores with its new ROM"
like "$out" "left out of the copy: .*disk" "the copy leaves the disk out, and says so"
urun migrate --domain-xml "$U/vm.xml" --new-rom-dir "$ROMDIR" --connect "$uri"
is "$rc" 0 "--domain-xml against the installed ROMs: the VM restores, exit 0"

printf '<domain><name>x</name>\n<os><type machine="pc-q35-7.2">hvm</os>\n' >"$U/bad.xml"
chmod a+r "$U/bad.xml"
urun migrate --domain-xml "$U/bad.xml" --new-rom-dir "$U/new" --connect "$uri"
is "$rc" 2 "malformed domain XML: exit 2"
like "$err" "bad.xml:[0-9]+: not a domain XML" "one line naming the file and line"
sed 's/<model type=.e1000.\/>/<model type="ne9999"\/>/' "$U/vm.xml" >"$U/unknown.xml"
chmod a+r "$U/unknown.xml"
urun migrate --domain-xml "$U/unknown.xml" --new-rom-dir "$U/new" --connect "$uri"
is "$rc:$(printf '%s\n' "$err" | grep -c .)" "2:1" "an unknown NIC model: exit 2, one line"
like "$err" "NIC model 'ne9999' is not one" "naming the model"
mkdir -p "$U/partial" && cp "$ROMDIR/efi-virtio.rom" "$U/partial/" && chmod -R a+rX "$U/partial"
urun migrate --domain-xml "$U/vm.xml" --new-rom-dir "$U/partial" --connect "$uri"
like "$rc:$err" "^2:.*partial has no efi-e1000.rom, the ROM that interface \\(e1000" "a ROM missing from the new directory: exit 2, named"

urun migrate "${M[@]}" --backend libvirt --connect "qemu+unix:///session?socket=$T/nowhere" --old "$ROMDIR/efi-e1000.rom" --new "$ROMDIR/efi-e1000.rom"
like "$rc:$err" "^3:.*cannot connect" "no daemon at the URI: exit 3, said so"

# Interrupted: the case in flight finishes its cleanup; killed: the
# domain it leaves is destroyed by the next connection to the daemon.
domains() { as_user "${ENV[@]}" virsh -q -c "$uri" list --all --name 2>&1 | grep -c romcompat || true; }
# start_bg ARGS...: romcompat in the background as the daemon's user, its
# own pid in $pid (setpriv and env exec it: no shell in between).
start_bg() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env env "${ENV[@]}" \
			"$ROMCOMPAT" "$@" >/dev/null 2>&1 &
	else
		env "${ENV[@]}" "$ROMCOMPAT" "$@" >/dev/null 2>&1 &
	fi
	pid=$!
}
start_bg "${S[@]}" --backend libvirt --connect "$uri"
sleep 3
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
like "$rc:$(domains)" "^[13]:0$" "SIGINT mid-run: exit 1 or 3, no domain left"
start_bg "${S[@]}" --backend libvirt --connect "$uri"
sleep 3
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
# The daemon finishes the calls in flight (a domain being created) after
# its client is gone; give it the time a create takes.
sleep 3
diag "domains left by a SIGKILLed run: $(domains)"
urun migrate "${M[@]}" --backend libvirt --connect "$uri" --old '' --new ''
is "$rc" 0 "the next run (no ROM on either side): exit 0"
is "$(domains)" 0 "and its connection destroyed what the SIGKILLed run left"

left=$(domains)
is "$left" 0 "no domain left in the daemon"
is "$(pgrep -c -f -- "qemu-system.*$T" 2>/dev/null || true)" 0 "no QEMU left"
