#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# layers.t - the include graph of checker/ keeps to the allowed edges of
# docs/architecture.md (tests/lint/layers.sh, run by `make lint`), and that
# check catches what it is for: an upward include planted in a copy of the
# tree, an include that does not name its directory, a directory that is no
# layer.
. "$(dirname "$0")/lib.sh"

plan 9
CHECK=$SRCDIR/tests/lint/layers.sh

out=$(sh "$CHECK" "$SRCDIR" 2>&1)
is "$?:$out" "0:" "the tree keeps to the allowed edges"

# A copy of what the check reads.
copy() {
	rm -rf "$T/tree"
	mkdir -p "$T/tree/docs"
	cp -r "$SRCDIR/checker" "$T/tree/"
	cp "$SRCDIR/docs/architecture.md" "$T/tree/docs/"
}

copy
sed -i '0,/^#include "base\/units.h"/s||#include "base/units.h"\n#include "cli/commands.h"|' "$T/tree/checker/base/units.c"
rc=0
out=$(sh "$CHECK" "$T/tree" 2>&1) || rc=$?
is "$rc" 1 "an upward include (base -> cli) fails the check"
like "$out" '^base/units\.c:[0-9]+: base -> cli \("cli/commands\.h"\) is not an allowed edge$' \
	"it names the file, the line and the edge"

copy
sed -i 's|#include "qemu/kind.h"|#include "matrix/matrix.h"|' "$T/tree/checker/qemu/qemu_stderr.h"
rc=0
out=$(sh "$CHECK" "$T/tree" 2>&1) || rc=$?
is "$rc" 1 "the edge this structure removed (qemu_stderr.h -> matrix.h) fails the check"
like "$out" 'qemu/qemu_stderr\.h:[0-9]+: qemu -> matrix' "it names that edge"

copy
sed -i 's|#include "rom/rom.h"|#include "rom.h"|' "$T/tree/checker/rom/rom.c"
rc=0
out=$(sh "$CHECK" "$T/tree" 2>&1) || rc=$?
is "$rc" 1 "an include without its directory fails the check"
like "$out" 'rom/rom\.c:[0-9]+: "rom\.h" does not name its layer directory' "it says so"

copy
mkdir "$T/tree/checker/extra"
printf '/* x.c - x */\n#include "base/error.h"\n' >"$T/tree/checker/extra/x.c"
rc=0
out=$(sh "$CHECK" "$T/tree" 2>&1) || rc=$?
is "$rc" 1 "a directory the table does not name fails the check"
like "$out" "directory 'extra/' is not a layer" "it names the directory"
