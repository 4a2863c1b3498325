#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt.sh - what going through libvirt costs: the same matrix slice
# (pc-i440fx-7.2 and pc-q35-7.2, every NIC model, both directions,
# installed ROMs -> efi-e1000.rom grown past its bucket, -j 2) with the
# direct backend and the libvirt backend, in the same run, against a
# private daemon (scripts/libvirt-daemon.sh).  Prints wall times, time per
# case, their ratio, and whether both backends gave the same verdicts.
# Run as root, the daemon and romcompat run as nobody.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
romdir=${ROMDIR:-/usr/lib/ipxe/qemu}
command -v jq >/dev/null || { echo "libvirt.sh: jq is needed (scripts/setup.sh installs it)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-bench.XXXXXX")
chmod 755 "$work"
daemon=$work/libvirt
trap '"$here/scripts/libvirt-daemon.sh" stop "$daemon" >/dev/null 2>&1; rm -rf "$work"' EXIT
mkdir -p "$work/new" "$work/tmp"
cp "$romdir"/*.rom "$work/new/"
head -c $((300000 - $(stat -c %s "$romdir/efi-e1000.rom"))) /dev/zero | tr '\0' '\377' >>"$work/new/efi-e1000.rom"
chmod -R a+rwX "$work/new" "$work/tmp"
uri=$("$here/scripts/libvirt-daemon.sh" start "$daemon")

as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups env TMPDIR="$work/tmp" XDG_RUNTIME_DIR= HOME="$work" "$@"
	else
		env TMPDIR="$work/tmp" "$@"
	fi
}
slice=(check -q -j 2 --machines 'pc-i440fx-7.2;pc-q35-7.2' --old "$romdir" --new "$work/new")
now() { date +%s.%N; }

t0=$(now)
as_user "$romcompat" "${slice[@]}" --json "$work/tmp/direct.json" >/dev/null || [ $? -eq 1 ]
direct=$(echo "$(now) - $t0" | bc)
t0=$(now)
as_user "$romcompat" "${slice[@]}" --backend libvirt --connect "$uri" --json "$work/tmp/libvirt.json" >/dev/null || [ $? -eq 1 ]
libvirt=$(echo "$(now) - $t0" | bc)

cases=$(jq '.cases | length' "$work/tmp/direct.json")
verdicts() { jq -c '[.cases[] | [.machine, .nic, .direction, .verdict, .kind, .block]] | sort' "$1"; }
same=no
[ "$(verdicts "$work/tmp/direct.json")" = "$(verdicts "$work/tmp/libvirt.json")" ] && same=yes
printf 'slice: %s cases (2 machine types x every NIC model x 2 directions), -j 2\n' "$cases"
printf 'direct backend:  %6.2f s  (%5.1f ms a case)\n' "$direct" "$(echo "$direct * 1000 / $cases" | bc -l)"
printf 'libvirt backend: %6.2f s  (%5.1f ms a case)\n' "$libvirt" "$(echo "$libvirt * 1000 / $cases" | bc -l)"
printf 'libvirt / direct: %.1fx\n' "$(echo "$libvirt / $direct" | bc -l)"
printf 'same verdicts, kinds and blocks case by case: %s\n' "$same"
