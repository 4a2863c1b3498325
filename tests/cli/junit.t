#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# junit.t - the JUnit report validates against tests/junit/junit.xsd (the
# shape CI systems read): the golden report, the report `romcompat merge`
# writes, and the schema does reject what it should.
. "$(dirname "$0")/lib.sh"

command -v xmllint >/dev/null 2>&1 || skip_all "xmllint not installed (libxml2-utils)"
XSD=$SRCDIR/tests/junit/junit.xsd
G=$SRCDIR/tests/golden
plan 7

validate() { xmllint --noout --schema "$XSD" "$1" 2>"$T/.xmllint"; }

validate "$G/report.junit.xml"
ok $? "golden JUnit report validates"

run merge --junit "$T/merged.xml" "$G/report-shard-1of2.json" "$G/report-shard-2of2.json"
is "$rc" 1 "merge exits 1: the merged report has failures"
validate "$T/merged.xml"
ok $? "JUnit report written by merge validates"
cmp -s "$T/merged.xml" "$G/report.junit.xml"
ok $? "merged JUnit report equals the unsharded one"

counts=$(xmllint --xpath 'concat(/testsuites/@tests," ",/testsuites/@failures," ",/testsuites/@errors," ",/testsuites/@skipped," ",count(//testcase))' "$T/merged.xml")
is "$counts" "18 6 1 1 18" "counts: tests, failures, errors, skipped, one testcase per case"

# The schema is not a rubber stamp.
sed 's/ classname="pc-q35-7.2"//' "$G/report.junit.xml" >"$T/no-classname.xml"
validate "$T/no-classname.xml"
[ $? -ne 0 ]
ok $? "schema rejects a testcase without classname"
sed '0,/<\/failure>/s//<\/failure><error message="x"\/>/' "$G/report.junit.xml" >"$T/two-results.xml"
validate "$T/two-results.xml"
[ $? -ne 0 ]
ok $? "schema rejects a testcase with both failure and error"
