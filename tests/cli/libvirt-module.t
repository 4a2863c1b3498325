#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt-module.t - the contract between romcompat and its libvirt module
# (matrix/backend_module.h), both ways, without a libvirt daemon: the
# program exports no symbols and the module needs none of the program's
# (it calls the program through the services table it is handed at load);
# a module built for another version of that table refuses to run, in one
# line that names both versions and says what to do, exit 3; the module
# built with the program accepts its table and runs.
. "$(dirname "$0")/lib.sh"

BUILD=${BUILD:-$SRCDIR/build}
MODULE=$BUILD/romcompat-libvirt.so
SKEWED=$BUILD/tests/skewed-module
[ -r "$MODULE" ] || skip_all "$MODULE not built (make)"
[ -r "$SKEWED/romcompat-libvirt.so" ] || skip_all "$SKEWED/romcompat-libvirt.so not built (make)"
command -v nm >/dev/null || skip_all "nm not installed (binutils)"
plan 10

is "$(nm -D --defined-only "$ROMCOMPAT" | grep -c ' rc_')" 0 "the program exports none of its rc_ functions"
is "$(nm -D --undefined-only "$MODULE" | grep -c ' rc_')" 0 "the module needs none of the program's symbols"
is "$(nm -D --defined-only "$MODULE" | awk '/ rc_/ { print $3 }')" rc_libvirt_module_init \
	"the module exports its entry point alone"

# lvrun DIR ARGS...: romcompat with the module from DIR; sets rc, err.
lvrun() {
	local dir=$1
	shift
	rc=0
	err=$(ROMCOMPAT_MODULE_DIR=$dir "$ROMCOMPAT" "$@" 2>&1 >/dev/null) || rc=$?
}
M=(migrate --backend libvirt --machine pc-q35-7.2 --nic e1000 --old '' --new '')

lvrun "$SKEWED" "${M[@]}"
is "$rc" 3 "a module built for other services: exit 3"
is "$(printf '%s\n' "$err" | wc -l)" 1 "in one line"
like "$err" "^romcompat: error: cannot use the libvirt backend $SKEWED/romcompat-libvirt.so: " "naming the module"
like "$err" "built for romcompat services version [0-9]+ .*, this romcompat offers version [0-9]+ " "and both versions"
like "$err" "reinstall matching romcompat and romcompat-libvirt\$" "and what to do"

printf '<domain type="kvm"><name>vm</name></domain>\n' >"$T/vm.xml"
mkdir "$T/new"
lvrun "$SKEWED" migrate --domain-xml "$T/vm.xml" --new-rom-dir "$T/new"
like "$rc:$(printf '%s\n' "$err" | wc -l):$err" "^3:1:romcompat: error: cannot use the libvirt backend .* services version" \
	"migrate --domain-xml refuses it the same way"

# The module of this build takes the table and runs: the daemon it is sent
# to does not exist, and its error comes back through the table's error
# domain as an infrastructure error.
lvrun "$BUILD" "${M[@]}" --connect "qemu+unix:///session?socket=$T/none.sock"
like "$rc:$err" "^3:romcompat: error: libvirt qemu\\+unix:///session\\?socket=$T/none.sock: cannot connect" \
	"the module of this build accepts the program's services and runs"
