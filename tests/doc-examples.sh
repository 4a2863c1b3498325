#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# doc-examples.sh - the commands the documentation shows, one record each,
# for tests/cli/docs.t (and for a reader: `tests/doc-examples.sh README.md`).
#
#   tests/doc-examples.sh FILE...
#
# Where commands are taken from:
#   *.md   every line of a ```sh fenced block (comment-only and blank lines
#          left out), and lines starting with "$ " in any other fenced
#          block (a transcript: the lines after it are its output);
#   *.1    every line of an .EX/.EE (or .nf/.fi) block of the EXAMPLES
#          section, groff escapes undone (\- \e \(aq \(dq \(ti \&);
#   *.ini  comment lines indented by three or more spaces ("#   romcompat
#          ..."), consecutive ones one block.
# A command goes on while its line ends with "\" or a single quote is
# still open.  Its documented exit status is a trailing comment starting
# with "exit N" ("romcompat diff OLD NEW   # exit 1: ..."); 0 without one.
#
# Output, per command:
#   @cmd FILE LINE BLOCK EXIT
#   the command's lines as written
#   @end
# BLOCK numbers the blocks of FILE: commands of one block run in one shell,
# in order (a variable or a cd carries over).
set -eu
[ $# -gt 0 ] || { echo "usage: $0 FILE..." >&2; exit 2; }

awk '
function flush(   n, last) {
	if (cmd == "")
		return
	last = cmd
	sub(/.*\n/, "", last)
	n = 0
	if (match(last, /#[ \t]*exit[ \t]+[0-9]+/)) {
		n = substr(last, RSTART, RLENGTH)
		sub(/.*exit[ \t]+/, "", n)
	}
	printf "@cmd %s %d %d %d\n%s\n@end\n", FILENAME, start, block, n, cmd
	cmd = ""
}
function open_quotes(s,   t) {
	t = s
	return gsub(/\047/, "", t) % 2
}
# take LINE as part of a command (the first line or a continuation)
function take(line) {
	if (cmd == "") {
		cmd = line
		start = FNR
	} else
		cmd = cmd "\n" line
	if (line ~ /\\$/ || open_quotes(cmd))
		return
	flush()
}
function unescape_roff(s) {
	gsub(/\\-/, "-", s)
	gsub(/\\\(aq/, "\047", s)
	gsub(/\\\(dq/, "\"", s)
	gsub(/\\\(ti/, "~", s)
	gsub(/\\&/, "", s)
	gsub(/\\e/, "\\", s)
	return s
}
FNR == 1 { flush(); block = 0; inblk = 0; kind = ""; section = "" }

# Markdown
FILENAME ~ /\.md$/ && /^```/ {
	flush()
	if (!inblk) {
		inblk = 1
		block++
		kind = substr($0, 4)
		sub(/[ \t].*/, "", kind)
	} else
		inblk = 0
	next
}
FILENAME ~ /\.md$/ && inblk && (kind == "sh" || kind == "bash") {
	if (cmd == "" && ($0 ~ /^[ \t]*$/ || $0 ~ /^[ \t]*#/))
		next
	take($0)
	next
}
FILENAME ~ /\.md$/ && inblk {
	if (cmd != "")
		take($0)
	else if (/^\$ /)
		take(substr($0, 3))
	next
}

# The manual page
FILENAME ~ /\.[1-9]$/ && /^\.SH/ { flush(); section = $2; inblk = 0; next }
FILENAME ~ /\.[1-9]$/ && section == "EXAMPLES" && /^\.(EX|nf)/ { flush(); inblk = 1; block++; next }
FILENAME ~ /\.[1-9]$/ && section == "EXAMPLES" && /^\.(EE|fi)/ { flush(); inblk = 0; next }
FILENAME ~ /\.[1-9]$/ && inblk {
	if (/^\.\\"/)
		next
	take(unescape_roff($0))
	next
}

# Scenario files
FILENAME ~ /\.ini$/ && /^#[ \t][ \t][ \t]+[^ \t]/ {
	if (!inblk) {
		inblk = 1
		block++
	}
	line = $0
	sub(/^#[ \t]+/, "", line)
	take(line)
	next
}
FILENAME ~ /\.ini$/ { flush(); inblk = 0 }
END { flush() }
' "$@"
