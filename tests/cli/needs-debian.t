#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# needs-debian.t - romcompat needs on a QEMU from a Debian package:
# debian:qemu-system-x86 from bookworm-backports (QEMU 10.0), unpacked into
# the cache and run from there.  Its search path is its tree's and the
# system's firmware directories; the ROM set is hidden from both, and pc
# and q35 refuse to start without it as the installed 7.2 does.  The
# package is not installed, so its relation to ipxe-qemu is unknown (null).
# Skipped, saying why, when the package cannot be had.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v apt-get >/dev/null || skip_all "apt-get is needed"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
if [ "$(id -u)" != 0 ]; then
	unshare -Urm true 2>/dev/null || skip_all "no unprivileged user namespaces here (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone)"
fi

uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
[ -n "$uri" ] || uri=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$uri" ] || skip_all "no Debian mirror in this machine's apt configuration"
# The cache qemupkg.t uses: the package is fetched and unpacked once.
export XDG_CACHE_HOME=${ROMCOMPAT_TEST_CACHE:-$HOME/.cache/romcompat/test-qemupkg}
mkdir -p "$XDG_CACHE_HOME"
printf 'deb %s bookworm-backports main\n' "$uri" >"$XDG_CACHE_HOME/backports.list"
export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
before=$(cd "$ROMDIR" && sha256sum -- * | sha256sum)

run --apt-sources "$XDG_CACHE_HOME/backports.list" needs --qemu debian:qemu-system-x86 \
	--machines pc,q35 --json "$T/deb.json"
if [ "$rc" -ne 0 ] && printf '%s\n' "$err" | grep -q "\(apt\|debian:\)"; then
	skip_all "qemu-system-x86 cannot be had from bookworm-backports here: $(printf '%s\n' "$err" | grep 'romcompat: ' | head -1)"
fi
plan 7
j=$T/deb.json
is "$rc" 0 "debian:qemu-system-x86: examined, exit 0"
like "$(jq -r '.machines[0].qemu' "$j")" "/romcompat/qemu/qemu-system-x86_.*/usr/bin/qemu-system-x86_64$" "the binary is the unpacked one in the cache"
is "$(jq -r '.machines[] | select(.alias=="pc") | .defaults.message' "$j")" \
	'failed to find romfile "efi-e1000.rom"' "its pc refuses without efi-e1000.rom"
is "$(jq -r '.machines[] | select(.alias=="q35") | .with_roms.status' "$j")" "starts" "its q35 starts with the ROM set present"
is "$(jq -r '.packages[0].package + " " + (.packages[0].relation|tostring)' "$j")" "qemu-system-x86 null" \
	"the package is the one named; not installed, its relation unknown"
is "$(cd "$ROMDIR" && sha256sum -- * | sha256sum)" "$before" "the system's ROM files untouched"
is "$(ls -A "$TMPDIR" | wc -l):$(qemu_left "$T")" "0:0" "no run directory and no QEMU left"
