#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# manpage.t - docs/romcompat.1 documents every subcommand and every long
# option each one's --help prints (a new option without documentation
# fails here), and renders without warnings.
. "$(dirname "$0")/lib.sh"

MAN=$SRCDIR/docs/romcompat.1
cmds=$("$ROMCOMPAT" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} /^$/ {on = 0}')
n=0
for c in $cmds; do n=$((n + 1 + $("$ROMCOMPAT" "$c" --help | grep -oE -- '--[a-z][a-z-]+' | grep -v -- '--help' | sort -u | wc -l))); done
plan $((n + 2))

# The roff source writes '-' as '\-'.
plain=$(sed 's/\\-/-/g' "$MAN")
for c in $cmds; do
	like "$plain" "^\.SS $c( |$)" "section for $c"
	for opt in $("$ROMCOMPAT" "$c" --help | grep -oE -- '--[a-z][a-z-]+' | grep -v -- '--help' | sort -u); do
		like "$plain" -- "$opt" "$c $opt is documented"
	done
done
like "$plain" "ROMCOMPAT_APT_SOURCES" "environment variables are documented"
if command -v groff >/dev/null; then
	warnings=$(groff -man -Tutf8 -ww "$MAN" 2>&1 >/dev/null)
	is "$warnings" "" "groff renders it without warnings"
else
	skip "groff not installed"
fi
