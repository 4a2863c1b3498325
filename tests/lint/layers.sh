#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# layers.sh - the include graph of checker/ against the allowed edges
# of docs/architecture.md.  Every include of a project header names its
# layer directory ("qemu/ramblock.h"); an include between two layer
# directories must be an edge the table "Allowed edges" lists.  Prints each
# offending include as FILE:LINE: FROM -> TO and exits 1 if there is any.
#
# usage: layers.sh [SRCDIR]
set -eu
src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
doc="$src/docs/architecture.md"
[ -f "$doc" ] || { echo "layers.sh: $doc: missing" >&2; exit 2; }

# The table: rows "| `dir/` | `a/`, `b/` |" after the "## Allowed edges" heading.
allowed=$(awk '
	/^## / { on = ($0 ~ /^## Allowed edges/) ; next }
	on && /^\| `[a-z]+\/` \|/ {
		split($0, cell, "|")
		from = cell[2]; gsub(/[` \/]/, "", from)
		n = split(cell[3], to, ",")
		for (i = 1; i <= n; i++) { t = to[i]; gsub(/[` \/]/, "", t); if (t != "" && t != "-") print from " " t }
		print from " " from
	}' "$doc")
[ -n "$allowed" ] || { echo "layers.sh: no table under '## Allowed edges' in $doc" >&2; exit 2; }
layers=$(printf '%s\n' "$allowed" | awk '{print $1}' | sort -u)

bad=0
cd "$src/checker"
for f in *.c *.h; do
	[ -e "$f" ] || continue
	echo "$f: not in a layer directory"
	bad=1
done
for f in */*.c */*.h; do
	from=${f%%/*}
	if ! printf '%s\n' "$layers" | grep -qx "$from"; then
		echo "$f: directory '$from/' is not a layer of docs/architecture.md"
		bad=1
		continue
	fi
	# shellcheck disable=SC2016
	out=$(grep -n '^#include "' "$f" | sed 's/^\([0-9]*\):#include "\([^"]*\)".*/\1 \2/') || true
	[ -n "$out" ] || continue
	while read -r line inc; do
		case $inc in
		*/*) to=${inc%%/*} ;;
		*)
			echo "$f:$line: \"$inc\" does not name its layer directory"
			bad=1
			continue
			;;
		esac
		if ! printf '%s\n' "$allowed" | grep -qx "$from $to"; then
			echo "$f:$line: $from -> $to (\"$inc\") is not an allowed edge"
			bad=1
		fi
	done <<-EOT
	$out
	EOT
done
exit $bad
