#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# needs.t - romcompat needs against the installed QEMU binaries: which
# machine types refuse to start by default without ipxe-qemu's ROM files
# (hidden in a private mount namespace, the system's files untouched),
# which fail for other firmware, what each package says about ipxe-qemu,
# and a per-architecture directory given with -L ahead of QEMU's path
# (Opt2) holding only an arm64 driver.  As root the namespace is a mount
# namespace alone; as an ordinary user (nobody, through setpriv, when the
# test runs as root) a user namespace comes with it, and no root is needed.
. "$(dirname "$0")/lib.sh"

FIX=${ROMCOMPAT_IPXE_FIXTURES:-}
for d in "$SRCDIR/../shared/fixtures/ipxe" "$SRCDIR/../../shared/fixtures/ipxe"; do
	[ -z "$FIX" ] && [ -d "$d/built" ] && FIX=$(cd "$d" && pwd)
done
[ -n "$FIX" ] || skip_all "no iPXE fixtures (../shared/fixtures/ipxe beside the clone, or ROMCOMPAT_IPXE_FIXTURES)"
have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
have_qemu qemu-system-aarch64 || skip_all "qemu-system-aarch64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
if [ "$(id -u)" != 0 ]; then
	unshare -Urm true 2>/dev/null || skip_all "no unprivileged user namespaces here (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone)"
fi
plan 49

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
# QEMUs of this test still running: those with its TMPDIR in their environment.
mine() {
	for p in $(pgrep -f qemu-system); do
		tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -qx "TMPDIR=$TMPDIR" && echo "$p"
	done | wc -l
}
sums() { (cd "$ROMDIR" && sha256sum -- * | sha256sum; ls -la /usr/share/qemu | sha256sum); }
before=$(sums)

# QEMU's own semantics first: -L adds a directory ahead of its built-in
# path, so a private tree without efi-e1000.rom does not hide the file.
mkdir "$T/ltree"
for f in /usr/share/qemu/* /usr/share/seabios/* "$ROMDIR"/*; do
	[ "$(basename "$f")" = efi-e1000.rom ] || ln -sf "$f" "$T/ltree/"
done
lout=$(printf '{"execute":"qmp_capabilities"}\n{"execute":"query-status"}\n{"execute":"quit"}\n' |
	timeout 20 qemu-system-x86_64 -L "$T/ltree" -machine pc,accel=tcg -no-user-config \
		-display none -S -qmp stdio 2>&1)
like "$lout" '"status": "prelaunch"' "-L a tree without efi-e1000.rom: x86_64 pc still starts (QEMU searches its own path after -L)"

# x86_64: pc refuses on its NIC ROM, not on SeaBIOS; q35 on efi-e1000e.rom; microvm starts.
run needs --qemu qemu-system-x86_64 --machines pc,q35,microvm --json "$T/x86.json"
is "$rc" 0 "x86_64: exit 0, every binary examined"
j=$T/x86.json
is "$(jq -r '.machines[] | select(.alias=="pc") | .defaults.message' "$j")" \
	'failed to find romfile "efi-e1000.rom"' "x86_64 pc: QEMU's line verbatim, efi-e1000.rom"
is "$(jq -r '.machines[] | select(.alias=="pc") | .defaults.status + " " + .defaults.romfile' "$j")" \
	"refuses efi-e1000.rom" "x86_64 pc: refuses, romfile efi-e1000.rom"
is "$(grep -c bios-256k "$j")" 0 "x86_64: bios-256k.bin (SeaBIOS) is never what is missing"
is "$(jq -r '.machines[] | select(.alias=="q35") | .defaults.romfile' "$j")" "efi-e1000e.rom" "x86_64 q35: refuses without efi-e1000e.rom"
is "$(jq -r '.machines[] | select(.machine=="microvm") | .defaults.status' "$j")" "starts" "x86_64 microvm: no PCI NIC, starts without the ROM set"
is "$(jq -r '.machines[] | select(.alias=="pc") | .with_roms.status' "$j")" "starts" "x86_64 pc: starts with the ROM set present"
like "$(jq -r '.machines[] | select(.alias=="pc") | .roms | join(" ")' "$j")" "efi-e1000.rom" "x86_64 pc: the ROM files it loads, read back (info qtree)"
is "$(jq -r '.machines[] | select(.alias=="pc") | .nics[] | select(.model=="e1000") | .status + " " + .romfile' "$j")" \
	"refuses efi-e1000.rom" "x86_64 pc: -nodefaults -device e1000 alone refuses too"
is "$(jq -r '.packages[] | select(.package=="qemu-system-x86") | .relation + " " + (.consistent|tostring)' "$j")" \
	"Depends true" "qemu-system-x86 Depends on ipxe-qemu, as its machine types need"
is "$(jq -r '.isolation' "$j")" "mount-namespace" "isolation: mount-namespace"
is "$(jq -r '.user_namespace' "$j")" "$([ "$(id -u)" = 0 ] && echo false || echo true)" \
	"user_namespace: only when not root ($(id -u))"
like "$(jq -r '.search_paths["/usr/bin/qemu-system-x86_64"] | join(":")' "$j")" "ipxe/qemu" "search path: QEMU's -L help, with the iPXE directory"

# The display ROM (SeaBIOS's VGA BIOS) hidden: the verdicts speak of the
# package that ships it.
if [ -r /usr/share/seabios/vgabios-stdvga.bin ] && dpkg -S /usr/share/seabios/vgabios-stdvga.bin >/dev/null 2>&1; then
	run needs --qemu qemu-system-x86_64 --machines pc,q35,microvm --roms /usr/share/seabios/vgabios-stdvga.bin --json "$T/vga.json"
	is "$(jq -r '[.machines[] | select(.defaults.status=="refuses") | .defaults.romfile] | unique | join(" ")' "$T/vga.json")" \
		"vgabios-stdvga.bin" "vgabios-stdvga.bin hidden: pc and q35 refuse on it (their default VGA)"
	is "$(jq -r '.machines[] | select(.machine=="microvm") | .defaults.status' "$T/vga.json")" "starts" "vgabios-stdvga.bin hidden: microvm (no VGA) starts"
	is "$(jq -r '.package + " " + (.packages[] | select(.package=="qemu-system-x86") | .relation)' "$T/vga.json")" \
		"seabios Depends" "the relation is to seabios, the package that ships the hidden file"
	is "$(jq -r '[.machines[] | .displays[] | .class + " " + .model + " " + .status + " " + .romfile] | unique | join(",")' "$T/vga.json")" \
		"display VGA refuses vgabios-stdvga.bin" "vgabios-stdvga.bin hidden: the display model that loads it (the catalog's VGA) started alone refuses too"
else
	skip "seabios's vgabios-stdvga.bin not installed by dpkg" 4
fi

# aarch64 and arm: virt refuses without efi-virtio.rom, their package only Recommends.
# m68k q800 fails on its own firmware (MacROM), not on a ROM file.
qs="--qemu qemu-system-aarch64"
have_qemu qemu-system-arm && qs="$qs --qemu qemu-system-arm"
have_qemu qemu-system-m68k && qs="$qs --qemu qemu-system-m68k"
mkdir "$T/opt2"
"$ROMCOMPAT" combine -q "$FIX/built/arm64-efi-1af41000.efirom" -o "$T/opt2/efi-virtio.rom" >/dev/null
# shellcheck disable=SC2086
run needs $qs --machines virt,q800 --opt2-dir "$T/opt2" --json "$T/arm.json"
is "$rc" 0 "aarch64, arm, m68k: exit 0"
j=$T/arm.json
is "$(jq -r '.machines[] | select(.arch=="aarch64" and .alias=="virt") | .defaults.message' "$j")" \
	'failed to find romfile "efi-virtio.rom"' "aarch64 virt: refuses without efi-virtio.rom"
is "$(jq -r '.packages[] | select(.package=="qemu-system-arm") | .relation + " " + (.consistent|tostring)' "$j")" \
	"Recommends false" "qemu-system-arm: Recommends, though virt cannot start without it"
like "$out" "qemu-system-arm: Recommends ipxe-qemu, but .* aarch64 virt-[0-9.]*.*\(efi-virtio.rom\)" "the verdict names the package, the machine type and the ROM"
if have_qemu qemu-system-m68k; then
	is "$(jq -r '.machines[] | select(.machine=="q800") | .defaults.status + ": " + .defaults.message' "$j")" \
		"fails: could not load MacROM 'MacROM.bin'" "m68k q800: fails on its own firmware, QEMU's line, not a ROM problem"
	is "$(jq -r '.machines[] | select(.machine=="q800") | .defaults.romfile' "$j")" "null" "m68k q800: no romfile blamed"
else
	skip "qemu-system-m68k not installed"
	skip "qemu-system-m68k not installed"
fi
is "$(jq -r '.opt2[] | select(.qemu=="/usr/bin/qemu-system-aarch64") | .search_path[0]' "$j")" "$T/opt2" "Opt2: the -L directory comes first in QEMU's search path"
is "$(jq -r '.opt2[] | select(.qemu=="/usr/bin/qemu-system-aarch64") | .result.status + " " + (.loaded|join(","))' "$j")" \
	"starts efi-virtio.rom" "Opt2: aarch64 virt starts with only the arm64 efi-virtio.rom of the -L directory"
is "$(jq -r '.opt2[] | select(.qemu=="/usr/bin/qemu-system-aarch64") | .ramblocks[0].size' "$j")" 262144 \
	"Opt2: its RAM block, read back, is the arm64 ROM's 256 KiB bucket"

# Bad input: one line, exit 2, before any QEMU.
run needs --qemu /nonexistent/qemu-system-foo
is "$rc:$(printf '%s\n' "$err" | wc -l)" "2:1" "a --qemu that does not exist: exit 2, one line"
run needs --qemu qemu-system-x86_64 --roms "$T/none"
is "$rc" 2 "--roms that does not exist: exit 2"

run needs -q --qemu qemu-system-x86_64 --machines pc --json -
is "$(printf '%s' "$out" | jq -r '.machines[0].defaults.status')" "refuses" "--json -: standard output is the JSON document alone"
run needs -q --qemu qemu-system-x86_64 --machines pc
like "$out" "^needs: 1 of 1 machine types refuse to start by default without $ROMDIR \(16 files hidden, mount-namespace[ a-z]*\)" "-q: the verdict line"
is "$(printf '%s\n' "$out" | wc -l)" 1 "-q: only the verdict line"

# A signal while the ROM set is hidden: exit 3, QEMUs stopped, mounts and trees gone.
"$ROMCOMPAT" needs -v --qemu qemu-system-x86_64 --qemu qemu-system-i386 >"$T/sig.out" 2>"$T/sig.err" &
pid=$!
for _ in $(seq 300); do
	grep -q "without the ROM set" "$T/sig.err" && break
	sleep 0.1
done
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
is "$rc" 3 "SIGTERM while the ROM set is hidden: exit 3"
is "$(mine)" 0 "SIGTERM: every QEMU of the run stopped"

# An ordinary user: the same verdict, in a user namespace, without root.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	U=$T/user
	mkdir -p "$U/tmp" "$U/cache"
	chmod -R a+rwX "$U"
	chmod a+x "$T"
	# A simple command, so that in the background its pid is romcompat's.
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env env PATH=/usr/bin:/bin
		TMPDIR="$U/tmp" XDG_RUNTIME_DIR= XDG_CACHE_HOME="$U/cache" HOME="$U")
	rc=0
	"${as_user[@]}" "$ROMCOMPAT" needs -q --qemu qemu-system-x86_64 --machines pc --json "$U/pc.json" \
		>"$T/user.out" 2>"$T/user.err" || rc=$?
	is "$rc" 0 "as nobody (uid 65534): exit 0, no root needed"
	is "$(jq -r '.machines[0] | .defaults.status + ": " + .defaults.message' "$U/pc.json")" \
		'refuses: failed to find romfile "efi-e1000.rom"' "as nobody: x86_64 pc refuses, QEMU's line verbatim"
	is "$(jq -r '.machines[0].with_roms.status' "$U/pc.json")" starts "as nobody: pc starts with the ROM set present"
	is "$(jq -r '.isolation + " " + (.user_namespace|tostring)' "$U/pc.json")" "mount-namespace true" \
		"as nobody: isolation mount-namespace, in a user namespace"
	like "$(cat "$T/user.out")" "16 files hidden, mount-namespace in a user namespace" "as nobody: the verdict line says so"
	is "$(stat -c %u "$U/pc.json")" 65534 "as nobody: the report belongs to the user (uid 65534)"
	is "$(ls -A "$U/tmp" | wc -l)" 0 "as nobody: no run directory nor covering tree left"

	# SIGTERM while the ROM set is hidden, as nobody.
	"${as_user[@]}" "$ROMCOMPAT" needs -v --qemu qemu-system-x86_64 --qemu qemu-system-i386 \
		>"$T/usig.out" 2>"$T/usig.err" &
	pid=$!
	for _ in $(seq 300); do
		grep -q "without the ROM set" "$T/usig.err" && break
		sleep 0.1
	done
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	is "$rc" 3 "as nobody, SIGTERM while the ROM set is hidden: exit 3"
	saved=$TMPDIR
	TMPDIR=$U/tmp
	is "$(mine):$(ls -A "$U/tmp" | wc -l)" "0:0" "as nobody, SIGTERM: every QEMU stopped, no run directory left"
	TMPDIR=$saved

	# No user namespace to be had: a user namespace of its own whose limit of
	# nested ones is 0 (user.max_user_namespaces is per user namespace).
	unshare -U sh -c 'while [ "$(wc -l </proc/self/uid_map)" = 0 ]; do sleep 0.05; done
		exec sh -c "echo 0 >/proc/sys/user/max_user_namespaces && exec \"\$@\"" sh "$@"' \
		sh "${as_user[@]}" "$ROMCOMPAT" needs --qemu qemu-system-x86_64 --machines pc \
		>"$T/nons.out" 2>"$T/nons.err" &
	pid=$!
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ] && break
		sleep 0.05
	done
	echo "0 0 65536" >"/proc/$pid/uid_map"
	echo "0 0 65536" >"/proc/$pid/gid_map"
	rc=0
	wait "$pid" || rc=$?
	is "$rc:$(wc -l <"$T/nons.err")" "3:1" "no user namespace allowed: exit 3, one line"
	like "$(cat "$T/nons.err")" "no user namespace .*sysctl user.max_user_namespaces" \
		"no user namespace allowed: it names the cause and the sysctl"
	ok "$(grep -qw root "$T/nons.err"; echo $((1 - $?)))" "no user namespace allowed: it never asks for root"
else
	for _ in $(seq 12); do skip "not root or no setpriv: the run as an ordinary user is the run above"; done
fi

is "$(sums)" "$before" "the system's ROM files and /usr/share/qemu untouched"
is "$(grep -c -e ipxe -e share/qemu /proc/self/mountinfo)" 0 "no mount left in the system's namespace"
is "$(ls -A "$TMPDIR" | wc -l):$(mine)" "0:0" "no run directory (nor covering tree) and no QEMU left"
