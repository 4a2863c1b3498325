#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# valgrind.t - Valgrind memcheck on real runs of the normal build: check of
# a real matrix slice (and of its two shards), merge of the shards, migrate,
# machines, inspect, diff, pad, and the error paths of a few of them.  Each
# run must end with the program's own exit status (not Valgrind's 99), no
# invalid read or write, no use of uninitialised memory, and no block
# definitely lost.  The QEMU children run natively (--trace-children=no).
# The ASan build is left out: the two instrumentations do not mix.
. "$(dirname "$0")/lib.sh"

case $ROMCOMPAT in
*build-asan*) skip_all "the ASan build runs under AddressSanitizer, not Valgrind" ;;
esac
command -v valgrind >/dev/null || skip_all "valgrind not installed (scripts/setup.sh installs it)"
have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
CATALOG=${CATALOG:-$(ls "$SRCDIR"/machine-types/x86_64/*.json 2>/dev/null | tail -1)}
[ -r "$CATALOG" ] || skip_all "no x86_64 machine-type catalog in machine-types/ (romcompat machines writes one)"
plan 29

export TMPDIR=$T/tmp XDG_RUNTIME_DIR= XDG_CACHE_HOME=$T/cache
export G_SLICE=always-malloc G_DEBUG=gc-friendly
mkdir "$TMPDIR" "$T/new" "$T/logs"
cp "$ROMDIR"/*.rom "$T/new/"
grow_rom "$ROMDIR/efi-e1000.rom" "$T/new/efi-e1000.rom" 300000
head -c 3000 "$ROMDIR/efi-e1000.rom" >"$T/truncated.rom"
MARK=$T/new
SLICE=(--catalog "$CATALOG" --machines 'pc-q35-7.2;pc-i440fx-7.2' --nics 'e1000,virtio-net-pci'
	--old "$ROMDIR" --new "$T/new")

# vg NAME EXPECTED-EXIT ARGS...: romcompat ARGS under memcheck; two results,
# the exit status and the log's verdict.
vg() {
	local name=$1 expect=$2 log=$T/logs/$1.log bad
	shift 2
	rc=0
	valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
		--track-fds=no --trace-children=no --log-file="$log" \
		"$ROMCOMPAT" "$@" >"$T/logs/$name.out" 2>"$T/logs/$name.err" || rc=$?
	is "$rc" "$expect" "$name: exit $expect, romcompat's own"
	bad=$(grep -E 'Invalid (read|write|free)|uninitialised|Mismatched free|definitely lost: [1-9]' "$log")
	if [ -z "$bad" ] && grep -q 'ERROR SUMMARY: 0 errors' "$log" &&
		{ grep -q 'definitely lost: 0 bytes' "$log" || grep -q 'All heap blocks were freed' "$log"; }; then
		ok 0 "$name: no invalid access, nothing definitely lost"
	else
		ok 1 "$name: no invalid access, nothing definitely lost"
		grep -E '^==[0-9]+== ' "$log" | head -40 | sed 's/^/#   /'
	fi
}

vg check 1 check "${SLICE[@]}" --json "$T/r.json" --junit "$T/r.xml" --tap "$T/r.tap" \
	--html "$T/r.html"
like "$(cat "$T/logs/check.out")" "efi-e1000.rom 0x40000 -> 0x80000" "check under Valgrind finds the grown e1000 ROM"
vg shard1 1 check "${SLICE[@]}" --shard 1/2 --json "$T/s1.json"
vg shard2 1 check "${SLICE[@]}" --shard 2/2 --json "$T/s2.json"
vg merge 1 merge --json "$T/m.json" --junit "$T/m.xml" --html "$T/m.html" --tap "$T/m.tap" "$T/s1.json" "$T/s2.json"
vg migrate 1 migrate --machine pc-q35-7.2 --nic e1000 --old "$ROMDIR/efi-e1000.rom" \
	--new "$T/new/efi-e1000.rom" --json -
# One short catalog (riscv64: a handful of machine types) runs the same
# discovery code as x86_64's, which takes minutes under Valgrind.
short=qemu-system-riscv64
command -v $short >/dev/null || short=qemu-system-x86_64
vg machines 0 machines -j 2 --qemu $short --output-dir "$T/catalogs"
vg inspect 0 inspect --json - "$ROMDIR" "$T/new/efi-e1000.rom"
vg diff 1 diff "$ROMDIR" "$T/new"
vg pad 0 pad --like "$ROMDIR" --out "$T/padded" "$T/new"

# Error paths: the input refused, a report that cannot be written, a
# "QEMU" that does not start, a shard report that is not JSON.
vg inspect-truncated 2 inspect "$T/truncated.rom"
vg check-unwritable 3 check "${SLICE[@]}" --json /proc/r.json
vg check-no-qemu 3 check "${SLICE[@]}" --old-qemu /bin/false
vg merge-not-json 2 merge "$T/s1.json" "$T/truncated.rom"

is "$(qemu_left "$MARK")" 0 "no QEMU left"
is "$(find "$TMPDIR" -mindepth 1 | wc -l)" 0 "no run directory left in TMPDIR"
