#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ipxe-bisect.sh - which iPXE commit moved a ROM into another size bucket?
# Run in an iPXE work tree:
#
#   /path/to/romcompat/docs/ci/ipxe-bisect.sh GOOD BAD
#
# Both ends are built and tested first with git-bisect-run.sh (beside this
# script): GOOD must test good and BAD bad, or there is nothing to bisect.
# Then git bisect start BAD GOOD; git bisect run git-bisect-run.sh; the first
# bad commit is printed; git bisect reset (also on failure or a signal)
# puts the tree back on the branch or commit it was on.
#
# Exit: 0 the first bad commit is named (last line: "first bad commit: HASH
# SUBJECT"); 2 bad arguments, a range end that does not test as it should,
# a tree that is not clean or already bisecting; 3 git bisect could not
# name one commit (commits skipped, or a step stopped it).
#
# Environment: as git-bisect-run.sh (ROMCOMPAT_OLD, ROMCOMPAT_NEW,
# ROMCOMPAT_BUILD, ROMCOMPAT_JOBS, ROMCOMPAT_CACHE, ROMCOMPAT_MACHINES,
# ROMCOMPAT_NICS, ROMCOMPAT); every step's build log is ROMCOMPAT_NEW/build.log.

me=ipxe-bisect.sh
die() {
	echo "$me: $2" >&2
	exit "$1"
}

[ $# = 2 ] || die 2 "usage: $me GOOD BAD (two commits of the iPXE tree the current directory is in)"
step=$(cd "$(dirname "$0")" && pwd)/git-bisect-run.sh
[ -r "$step" ] || die 2 "$step: missing: it must be beside $me"
# Relative settings as the user meant them, from here.
: "${ROMCOMPAT_NEW:=${TMPDIR:-/tmp}/romcompat-bisect-$(id -u)}"
abs() { case $1 in /* | '') echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
ROMCOMPAT_OLD=$(abs "${ROMCOMPAT_OLD:-}")
ROMCOMPAT_NEW=$(abs "$ROMCOMPAT_NEW")
ROMCOMPAT_CACHE=$(abs "${ROMCOMPAT_CACHE:-}")
case ${ROMCOMPAT:-} in */*) ROMCOMPAT=$(abs "$ROMCOMPAT") ;; esac
export ROMCOMPAT_OLD ROMCOMPAT_NEW ROMCOMPAT_CACHE ROMCOMPAT

top=$(git rev-parse --show-toplevel 2>/dev/null) ||
	die 2 "$(pwd) is not in a git work tree: run $me in the iPXE tree to bisect"
cd "$top" || die 2 "cannot enter $top"
good=$(git rev-parse --verify -q "$1^{commit}") || die 2 "GOOD '$1' is not a commit of $top"
bad=$(git rev-parse --verify -q "$2^{commit}") || die 2 "BAD '$2' is not a commit of $top"
git merge-base --is-ancestor "$good" "$bad" ||
	die 2 "GOOD '$1' is not an ancestor of BAD '$2': give an older good commit"
[ "$good" != "$bad" ] || die 2 "GOOD and BAD are the same commit '$1': nothing to bisect"
[ ! -f "$(git rev-parse --git-path BISECT_START)" ] ||
	die 2 "$top is already bisecting: finish with git bisect reset first"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die 2 "$top has uncommitted changes: commit or stash them first (bisecting checks out other commits)"

# Back where the tree was, however this ends.
orig=$(git symbolic-ref -q --short HEAD) || orig=$(git rev-parse HEAD)
bisecting=
out=$(mktemp "${TMPDIR:-/tmp}/ipxe-bisect.XXXXXX") || die 3 "cannot make a temporary file in ${TMPDIR:-/tmp}"
pid=
restore() {
	# A signal during git bisect run: stop it and the build it runs.
	if [ -n "$pid" ]; then
		kill -s TERM -- "-$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	if [ -n "$bisecting" ]; then
		git bisect reset >/dev/null 2>&1
	else
		git checkout -q "$orig" >/dev/null 2>&1
	fi
	rm -f "$out"
}
trap restore EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# bg CMD...: CMD in a session and process group of its own (setsid), so
# that a signal stops it and the build it runs; its exit status.
bg() {
	setsid "$@" &
	pid=$!
	rc=0
	wait "$pid" || rc=$?
	pid=
	return "$rc"
}

# end NAME COMMIT: build and test one end of the range; the step's exit.
end() {
	echo "$me: testing the $1 end $(git log -1 --format='%h %s' "$2")"
	git checkout -q --detach "$2" || die 2 "cannot check out the $1 end $2"
	bg sh "$step"
}
rc=0
end good "$good" || rc=$?
case $rc in
0) ;;
1) die 2 "the 'good' end $1 tests bad: a 'good' end that is bad is an error (pick an older good commit)" ;;
*) die 2 "the 'good' end $1 cannot be tested (step exit $rc; build log $ROMCOMPAT_NEW/build.log)" ;;
esac
rc=0
end bad "$bad" || rc=$?
case $rc in
1) ;;
0) die 2 "the 'bad' end $2 tests good: a 'bad' end that is good is an error (nothing to bisect)" ;;
*) die 2 "the 'bad' end $2 cannot be tested (step exit $rc; build log $ROMCOMPAT_NEW/build.log)" ;;
esac

git checkout -q "$orig" || die 3 "cannot check out $orig again"
bisecting=1
git bisect start "$bad" "$good" >/dev/null || die 3 "git bisect start $2 $1 failed"
# Its output as it comes, and kept to read the verdict from.
setsid git bisect run sh "$step" >"$out" 2>&1 &
pid=$!
tail -f --pid="$pid" -n +1 "$out" 2>/dev/null &
wait "$pid"
pid=
wait
# git's last line may lack its newline.
[ -z "$(tail -c 1 "$out")" ] || echo
first=$(sed -n 's/^\([0-9a-f]\{40,64\}\) is the first bad commit$/\1/p' "$out" | head -n 1)
[ -n "$first" ] || die 3 "git bisect could not name one first bad commit (commits skipped or a step stopped it; see above)"
echo "first bad commit: $(git log -1 --format='%H %s' "$first")"
exit 0
