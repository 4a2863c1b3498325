#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# architecture.t - docs/architecture.md names every file of checker/, and
# every file of checker/ opens with its licence and a line saying what it owns.
. "$(dirname "$0")/lib.sh"

files=$(cd "$SRCDIR/checker" && find . -name '*.[ch]' | sed 's|^\./||' | sort)
plan $(($(echo "$files" | wc -l) * 2))
for f in $files; do
	name=$(basename "$f")
	grep -q -- "\`$name\`" "$SRCDIR/docs/architecture.md"
	ok $? "docs/architecture.md describes checker/$f"
	head -1 "$SRCDIR/checker/$f" | grep -q 'SPDX-License-Identifier' &&
		head -8 "$SRCDIR/checker/$f" | grep -Eq "^ \* $name - |^/\* $name - "
	ok $? "checker/$f opens with SPDX and '$name - what it owns'"
done
