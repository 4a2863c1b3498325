#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# manpage.t - docs/romcompat.1 documents what the program offers: a section
# for every command 'romcompat --help' lists, every option each
# 'romcompat COMMAND --help' prints, and groff formats it without a warning.
# The lists come from the program itself, so a new command or option that
# the manual does not mention fails here.
. "$(dirname "$0")/lib.sh"

MAN=$SRCDIR/docs/romcompat.1
[ -r "$MAN" ] || skip_all "docs/romcompat.1 missing"

run --help
[ "$rc" -eq 0 ] || skip_all "romcompat --help failed (exit $rc)"
# The command list: the indented lines between "Commands:" and the next blank line.
commands=$(printf '%s\n' "$out" | sed -n '/^Commands:/,/^$/{/^  [a-z]/s/^  \([a-z][a-z-]*\).*/\1/p}')
ncommands=$(printf '%s\n' "$commands" | grep -c .)

# The manual's text with roff's escaped hyphens made plain, so '\-\-json'
# reads '--json'.
text=$(sed 's/\\-/-/g' "$MAN")

# long_options SUB: every --name that 'romcompat SUB --help' prints as an
# option (lines that start with an option after indentation).
long_options() {
	"$ROMCOMPAT" "$1" --help 2>/dev/null |
		sed -n 's/^  *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u
}

plan $((ncommands * 2 + 3))

is "$([ "$ncommands" -ge 6 ] && echo yes)" yes "romcompat --help lists the commands ($ncommands)"

for sub in $commands; do
	printf '%s\n' "$text" | grep -Eq "^\.SS \"?(romcompat )?$sub( |\"|\$)"
	ok $? "the manual has a section for '$sub'"

	missing=""
	nopts=0
	for opt in $(long_options "$sub"); do
		nopts=$((nopts + 1))
		printf '%s\n' "$text" | grep -Eq -- "(^|[^a-z-])$opt([^a-z-]|\$)" || missing="$missing $opt"
	done
	if [ "$nopts" -lt 1 ]; then
		ok 1 "'$sub --help' prints no option (not even --help)"
	else
		is "${missing# }" "" "every option of '$sub' ($nopts) is in the manual"
	fi
done

# The global options, from the top-level help.
missing=""
for opt in $(printf '%s\n' "$out" | sed -n 's/^  \(--[a-z][a-z-]*\).*/\1/p'); do
	printf '%s\n' "$text" | grep -Eq -- "(^|[^a-z-])$opt([^a-z-]|\$)" || missing="$missing $opt"
done
is "${missing# }" "" "every global option is in the manual"

if command -v groff >/dev/null; then
	warnings=$(groff -man -Tutf8 -ww "$MAN" 2>&1 >/dev/null)
	is "$warnings" "" "groff -man -ww formats the manual without a warning"
else
	skip "groff not installed (scripts/setup.sh installs groff-base)"
fi
