#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# needs-firmware.t - romcompat needs with SeaBIOS's directory hidden: the
# machine types' firmware image (bios-256k.bin, the pc.bios block of the
# catalog) and every VGA BIOS.  x86_64 pc and q35 refuse on the image
# that QEMU misses first (its own line, checked against QEMU run by hand
# with the directory covered), each display model the catalog says loads a
# hidden file is started alone and refuses naming its vgabios, and the
# verdict is about seabios, which qemu-system-x86 Depends on.  As root and
# as nobody (a user namespace).
. "$(dirname "$0")/lib.sh"

SEA=/usr/share/seabios
have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$SEA/bios-256k.bin" ] && [ -r "$SEA/vgabios-stdvga.bin" ] || skip_all "$SEA without bios-256k.bin and vgabios-stdvga.bin (install seabios)"
dpkg -S "$SEA/bios-256k.bin" >/dev/null 2>&1 || skip_all "$SEA/bios-256k.bin not installed by dpkg: no package to relate to"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
command -v unshare >/dev/null || skip_all "no unshare(1) to run QEMU by hand with $SEA covered"
if [ "$(id -u)" != 0 ]; then
	unshare -Urm true 2>/dev/null || skip_all "no unprivileged user namespaces here (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone)"
fi
plan 26

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR" "$T/empty"
mine() {
	for p in $(pgrep -f qemu-system); do
		tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -qx "TMPDIR=$TMPDIR" && echo "$p"
	done | wc -l
}
sums() { (cd "$SEA" && sha256sum -- * | sha256sum; ls -la "$SEA" /usr/share/qemu | sha256sum; cd /usr/share/qemu && find . -type f -exec sha256sum {} + | sha256sum); }
before=$(sums)

# The oracle: what QEMU itself prints when SeaBIOS's directory is empty
# (covered in a mount namespace of its own), for the default machine type.
unshare_opts=-m
[ "$(id -u)" = 0 ] || unshare_opts=-Urm
# shellcheck disable=SC2016
qemu_line=$(unshare $unshare_opts sh -c 'mount --make-rprivate / && mount --bind "$1" "$2" &&
	exec timeout 20 qemu-system-x86_64 -machine pc,accel=tcg -display none -S -monitor none \
		-serial none </dev/null' sh "$T/empty" "$SEA" 2>&1 | grep -v -e warning -e '^$' | head -1)
like "$qemu_line" "bios-256k.bin" "QEMU by hand, $SEA covered: pc stops on its BIOS image ($qemu_line)"
qemu_line=${qemu_line#qemu-system-x86_64: }

# Firmware and display ROMs hidden: pc and q35.
check_run() { # $1 JSON, $2 label; prints nothing, asserts
	local j=$1 who=$2 m
	for m in pc q35; do
		is "$(jq -r --arg m $m '.machines[] | select(.alias==$m) | .defaults | .status + " " + .romfile + " " + (.firmware|tostring) + ": " + .message' "$j")" \
			"refuses bios-256k.bin true: $qemu_line" "$who: x86_64 $m refuses naming its firmware image, QEMU's own line"
	done
	is "$(jq -r '[.machines[] | .with_roms.status] | unique | join(" ")' "$j")" "starts" \
		"$who: both start with $SEA present"
	local total refusing
	total=$(jq -r '[.machines[].displays[]] | length' "$j")
	refusing=$(jq -r '[.machines[].displays[] | select(.class=="display" and .status=="refuses" and (.romfile|startswith("vgabios-")) and .message==("-device " + .model + ": failed to find romfile \"" + .romfile + "\""))] | length' "$j")
	ok "$([ "$total" -ge 2 ] && [ "$refusing" = "$total" ] && echo 0 || echo 1)" \
		"$who: each of the $total display models started alone refuses naming its own vgabios file, QEMU's line ($refusing)"
	is "$(jq -r '.machines[] | select(.alias=="pc") | .displays[] | select(.model=="VGA") | .romfile' "$j")" \
		"vgabios-stdvga.bin" "$who: pc -device VGA alone refuses on vgabios-stdvga.bin"
	is "$(jq -r '.packages[] | select(.package=="qemu-system-x86") | .relation + " " + (.consistent|tostring)' "$j"):$(jq -r .package "$j")" \
		"Depends true:seabios" "$who: qemu-system-x86 Depends on seabios, consistent"
}

run needs --qemu qemu-system-x86_64 --machines pc,q35,microvm --roms "$SEA" --json "$T/sea.json"
j=$T/sea.json
is "$rc" 0 "--roms $SEA: exit 0"
check_run "$j" "root"
is "$(jq -r '.firmware_kept_for_models | join(" ")' "$j"):$(jq -r '[.machines[].firmware[]] | unique | join(" ")' "$j")" \
	"bios-256k.bin:bios-256k.bin" "the catalog's pc.bios file is the firmware kept for the models alone"
is "$(jq -r '[.machines[].nics[] | select(.class=="nic") | .status] | unique | join(" ")' "$j")" "starts" \
	"NIC models alone start: the BIOS kept, iPXE's ROMs present"
n=$(jq -r '[.machines[].displays[]] | length' "$j")
like "$out" "qemu-system-x86: Depends on seabios, as it must: 2 of its 3 machine types examined refuse to start by default without it: .*\(bios-256k.bin\); $n of $n display models added alone refuse" \
	"the verdict names seabios, the firmware image and the display models"
like "$out" "DISPLAY MODELS REFUSING" "the table counts the display models"

# SeaBIOS ships a bios-microvm.bin too, but QEMU searches /usr/share/qemu
# first, where qemu-system-data's bios-microvm.bin (a link to its
# qboot.rom) is what microvm loads: only the set's own files are hidden.
if [ -e /usr/share/qemu/bios-microvm.bin ] && [ "$(readlink -f /usr/share/qemu/bios-microvm.bin)" != "$SEA/bios-microvm.bin" ]; then
	is "$(jq -r '.machines[] | select(.machine=="microvm") | .defaults.status' "$j")" starts \
		"microvm starts: /usr/share/qemu's own bios-microvm.bin is not SeaBIOS's and stays"
else
	skip "no bios-microvm.bin of another package in /usr/share/qemu"
fi

# The firmware image alone: the machine types refuse on it, no display model loads it.
run needs --qemu qemu-system-x86_64 --machines pc --roms "$SEA/bios-256k.bin" --json "$T/bios.json"
is "$(jq -r '.machines[0] | .defaults.status + " " + .defaults.romfile + " " + (.displays|length|tostring)' "$T/bios.json")" \
	"refuses bios-256k.bin 0" "bios-256k.bin alone hidden: pc refuses on it, no display model started"

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	U=$T/user
	mkdir -p "$U/tmp" "$U/cache"
	chmod -R a+rwX "$U"
	chmod a+x "$T"
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env env PATH=/usr/bin:/bin \
		TMPDIR="$U/tmp" XDG_RUNTIME_DIR= XDG_CACHE_HOME="$U/cache" HOME="$U" \
		"$ROMCOMPAT" needs -q --qemu qemu-system-x86_64 --machines pc,q35 --roms "$SEA" \
		--json "$U/sea.json" >"$T/user.out" 2>"$T/user.err" || rc=$?
	is "$rc" 0 "as nobody: exit 0"
	check_run "$U/sea.json" "nobody"
	is "$(jq -r .user_namespace "$U/sea.json")" true "as nobody: in a user namespace"
	saved=$TMPDIR
	TMPDIR=$U/tmp
	is "$(mine):$(ls -A "$U/tmp" | wc -l)" "0:0" "as nobody: no QEMU, run directory nor covering tree left"
	TMPDIR=$saved
else
	for _ in $(seq 9); do skip "not root or no setpriv: the run as an ordinary user is the run above"; done
fi

is "$(sums)" "$before" "$SEA and /usr/share/qemu untouched"
is "$(grep -c -e seabios -e share/qemu /proc/self/mountinfo)" 0 "no mount left in the system's namespace"
is "$(ls -A "$TMPDIR" | wc -l):$(mine)" "0:0" "no run directory (nor covering tree) and no QEMU left"
