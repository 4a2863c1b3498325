#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kill-loop.sh - romcompat check, signalled at N random moments (SIGINT,
# SIGTERM or SIGHUP, at random), then counted: QEMU processes left, run
# directories left, and whether the JSON report written is valid and says
# it was interrupted.  Prints the counts; exits 1 if anything was left
# behind or a report is invalid.
#
#   tests/kill-loop.sh [N]        (default 100)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
romcompat=${ROMCOMPAT:-$here/build/romcompat}
romdir=${ROMDIR:-/usr/lib/ipxe/qemu}
n=${1:-100}
machines=${MACHINES:-pc-q35-7.*;pc-i440fx-7.*}

command -v jq >/dev/null || { echo "kill-loop: jq is needed (scripts/setup.sh installs it)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/romcompat-killloop.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Both ROM sets under $work: every QEMU command line names $work, so the
# QEMUs of this loop are told apart from any other.
mkdir "$work/old" "$work/new" "$work/tmp"
cp -L "$romdir"/*.rom "$work/old/"
cp -L "$romdir"/*.rom "$work/new/"
head -c 40000 /dev/zero | tr '\0' '\377' >>"$work/new/efi-e1000.rom"
export TMPDIR=$work/tmp XDG_RUNTIME_DIR=

signals=(INT TERM HUP)
qemu_left=0 dirs_left=0 partial=0 complete=0 no_report=0 invalid=0
for i in $(seq "$n"); do
	rm -f "$work/r.json"
	"$romcompat" check -q -j 2 --old "$work/old" --new "$work/new" --machines "$machines" \
		--json "$work/r.json" >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v s="$RANDOM" 'BEGIN {srand(s); printf "%.3f", rand() * 1.2}')"
	sig=${signals[$((RANDOM % 3))]}
	kill -"$sig" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	sleep 0.2
	left=$(pgrep -c -f -- "qemu-system.*$work" || true)
	qemu_left=$((qemu_left + left))
	[ "$left" -gt 0 ] && pkill -9 -f -- "qemu-system.*$work"
	d=$(find "$work/tmp" -mindepth 1 -maxdepth 1 | wc -l)
	dirs_left=$((dirs_left + d))
	[ "$d" -gt 0 ] && rm -rf "${work:?}/tmp/"*
	if [ ! -e "$work/r.json" ]; then
		no_report=$((no_report + 1))
	elif ! jq -e '.cases and .summary' "$work/r.json" >/dev/null 2>&1; then
		invalid=$((invalid + 1))
	elif [ "$(jq -r '.interrupted' "$work/r.json")" = true ]; then
		partial=$((partial + 1))
	else
		complete=$((complete + 1))
	fi
done
echo "kill-loop: $n runs signalled at random moments (SIGINT, SIGTERM, SIGHUP)"
echo "  QEMU processes left      $qemu_left"
echo "  run directories left     $dirs_left"
echo "  partial reports          $partial (valid JSON, \"interrupted\": true)"
echo "  complete reports         $complete (the run ended before the signal)"
echo "  no report                $no_report (signalled before the run started: nothing to report)"
echo "  invalid reports          $invalid"
[ "$qemu_left" -eq 0 ] && [ "$dirs_left" -eq 0 ] && [ "$invalid" -eq 0 ]
