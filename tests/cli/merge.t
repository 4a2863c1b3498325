#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# merge.t - `romcompat merge`: two shard reports merge into exactly the
# unsharded report (JSON, text, TAP); overlapping shards, reports of
# different runs and malformed reports are refused with exit 2; a missing
# shard gives a partial report.  Reports are the golden files written by
# tests/unit/test-report.c from a hand-set result set.
. "$(dirname "$0")/lib.sh"

G=$SRCDIR/tests/golden
S1=$G/report-shard-1of2.json
S2=$G/report-shard-2of2.json
plan 24

run merge --json "$T/merged.json" "$S1" "$S2"
is "$rc" 1 "merge of two shards exits 1 (a case fails)"
cmp -s "$T/merged.json" "$G/report.json"
ok $? "merged JSON equals the unsharded report"
is "$out" "$(cat "$G/report.txt")" "summary on stdout equals the unsharded summary"

run merge --json - "$S2" "$S1"
is "$rc" 1 "merge in the other order exits 1"
is "$out" "$(cat "$G/report.json")" "--json - prints the same merged JSON, whatever the order"

run merge --tap - "$S1" "$S2"
is "$out" "$(cat "$G/report.tap")" "--tap prints the unsharded TAP"

run merge "$G/report.json"
is "$rc" 1 "an unsharded report merges into itself"

run merge "$S1" "$S1"
is "$rc" 2 "the same shard twice: exit 2"
like "$err" "case .* is also in .*report-shard-1of2.json: shards overlap" "overlap named"

cp "$S1" "$T/copy-1of2.json"
run merge "$S1" "$S2" "$T/copy-1of2.json"
is "$rc" 2 "a shard given twice under another name: exit 2"

sed 's/"qemu-version": "0.0-test"/"qemu-version": "0.1-test"/' "$S2" >"$T/other-qemu.json"
run merge "$S1" "$T/other-qemu.json"
is "$rc" 2 "a shard of another QEMU: exit 2"
like "$err" "other-qemu.json: old QEMU version is '0.1-test' but .* has '0.0-test': not shards of the same run" "mismatch named"

sed 's/"count": 2/"count": 3/' "$S2" >"$T/three.json"
run merge "$S1" "$T/three.json"
is "$rc" 2 "a different shard count: exit 2"
like "$err" "shard count is '3'" "shard count named"

head -c 300 "$S1" >"$T/cut.json"
run merge "$T/cut.json" "$S2"
is "$rc" 2 "a truncated report: exit 2"
like "$err" "^romcompat: error: .*cut.json: JSON text ends too early" "truncated report named"

sed '0,/"verdict": "pass"/s//"verdict": "maybe"/' "$S1" >"$T/bad-verdict.json"
run merge "$T/bad-verdict.json" "$S2"
is "$rc" 2 "an unknown verdict: exit 2"
like "$err" 'bad-verdict.json: \$\.cases\[[0-9]+\]\.verdict: unknown value .maybe.' "JSON path of the bad value named"

run merge "$T/does-not-exist.json"
is "$rc" 2 "a missing file: exit 2"

run merge
is "$rc" 2 "no report: exit 2"

run merge "$S1"
is "$rc" 1 "one shard of two alone: exit 1 (it has failures)"
like "$err" "warning: 1 shard is missing" "missing shard warned about"

run merge --json - "$S2"
like "$out" '"partial": true' "a merge with a missing shard is partial"
rc2=$(printf '%s' "$out" | grep -c '"verdict": "fail"')
ok $([ "$rc2" -ge 1 ] && echo 0 || echo 1) "its failures are kept"
