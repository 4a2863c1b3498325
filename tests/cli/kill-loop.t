#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kill-loop.t - tests/kill-loop.sh, 10 runs (make kill-loop runs 100):
# romcompat check signalled at random moments leaves no QEMU, no run
# directory and no invalid report.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
plan 4

out=$(ROMCOMPAT=$ROMCOMPAT "$SRCDIR/tests/kill-loop.sh" 10)
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" "QEMU processes left +0$" "no QEMU left after 10 signalled runs"
like "$out" "run directories left +0$" "no run directory left"
like "$out" "invalid reports +0$" "every report written is valid JSON"
like "$out" "partial reports +[1-9]" "signals mid-run gave partial reports that say so"
