#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# completion.t - completion/romcompat.bash completes what the program
# offers: commands and options read from its --help (and the conventions
# every command follows: -q/-v, help COMMAND, --old-qemu/--new-qemu),
# machine types and NIC models from the shipped x86_64 catalog, list
# elements of --nics, the values of --backend, --mitigation,
# --device-class and --direction, also after global options and their values.
. "$(dirname "$0")/lib.sh"

[ -x "$ROMCOMPAT" ] || skip_all "$ROMCOMPAT not built (make)"
# shellcheck source=../../completion/romcompat.bash
. "$SRCDIR/completion/romcompat.bash"

# complete WORD...: COMPREPLY, one line each, for the command line WORD...
# with the cursor at the end of the last word.
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_romcompat
	printf '%s\n' "${COMPREPLY[@]}"
}

# An empty cache: only the shipped catalogs count.
export XDG_CACHE_HOME=$T/cache
unset ROMCOMPAT_DATADIR
catalog=$(compgen -G "$SRCDIR/machine-types/x86_64/*.json" | head -1)

plan 25

like "$(complete -p romcompat)" "-F _romcompat .*romcompat$" "complete -p: _romcompat completes romcompat"

is "$(complete_line "$ROMCOMPAT" ch)" check "romcompat ch<TAB>: check"
is "$(complete_line "$ROMCOMPAT" "" | sort | tr '\n' ' ')" \
	"$({ "$ROMCOMPAT" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'; echo help; } |
		sort -u | tr '\n' ' ')" \
	"romcompat <TAB>: every command of --help"
is "$(complete_line "$ROMCOMPAT" he)" help "romcompat he<TAB>: help"
is "$(complete_line "$ROMCOMPAT" check --device-class "" | tr '\n' ' ')" "nic display firmware " \
	"check --device-class <TAB>: the three classes"
is "$(complete_line "$ROMCOMPAT" help ch)" check "romcompat help ch<TAB>: the commands"
is "$(complete_line "$ROMCOMPAT" check --ma)" --machines "romcompat check --ma<TAB>: --machines"
is "$(complete_line "$ROMCOMPAT" --trace check --prove)" --prove-alone \
	"after --trace: the command's options"
like "$(complete_line "$ROMCOMPAT" machines -)" "^--output-dir$" "machines -<TAB> offers --output-dir"

if [ -n "$catalog" ]; then
	want=$(sed -n 's/^ *"name": *"\(pc-q35-7\.[0-9]*\)".*/\1/p' "$catalog" | sort | tr '\n' ' ')
	is "$(complete_line "$ROMCOMPAT" migrate --machine pc-q35-7. | sort | tr '\n' ' ')" "$want" \
		"romcompat migrate --machine pc-q35-7.<TAB>: the catalog's pc-q35-7.x ($want)"
	is "$(ROMCOMPAT_DATADIR=$SRCDIR complete_line "$ROMCOMPAT" migrate --machine = pc-q35-7. |
		sort | tr '\n' ' ')" "$want" "--machine=pc-q35-7.<TAB>, ROMCOMPAT_DATADIR set: the same"
	like "$(complete_line "$ROMCOMPAT" check --nics 'e1000;virtio-net-pci-non')" \
		'^e1000;virtio-net-pci-non-transitional$' "--nics LIST: completes the last element"
	want=$(grep -o '"model": *"e1000[^"]*"' "$catalog" | cut -d'"' -f4 | sort -u | tr '\n' ' ')
	is "$(complete_line "$ROMCOMPAT" migrate --nic e1000 | sort | tr '\n' ' ')" "$want" \
		"--nic e1000<TAB>: the catalog's e1000 models ($want)"
else
	skip "no shipped x86_64 catalog"
	skip "no shipped x86_64 catalog"
	skip "no shipped x86_64 catalog"
	skip "no shipped x86_64 catalog"
fi
is "$(complete_line "$ROMCOMPAT" check --direction n)" new-to-old "--direction n<TAB>: new-to-old"
is "$(complete_line "$ROMCOMPAT" check --direction "" | tr '\n' ' ')" "old-to-new new-to-old both " \
	"--direction <TAB>: the three directions"
is "$(complete_line "$ROMCOMPAT" --trace check --backend "" | tr '\n' ' ')" "direct libvirt " \
	"romcompat --trace check --backend <TAB>: direct, libvirt"
is "$(complete_line "$ROMCOMPAT" diff --arch "" | tr '\n' ' ')" "aarch64 loongarch64 riscv64 x86_64 " \
	"romcompat diff --arch <TAB>: the architectures with a shipped catalog"
is "$(complete_line "$ROMCOMPAT" check --mitigation "" | tr '\n' ' ')" "romsize pad compat= " \
	"--mitigation <TAB>: the mitigations check accepts"
touch "$T/compat.ini"
is "$(complete_line "$ROMCOMPAT" check --mitigation "compat=$T/compat.i")" "compat=$T/compat.ini" \
	"--mitigation compat=FI<TAB>: the file"
is "$(complete_line "$ROMCOMPAT" --apt-sources "$T/compat.ini" inspect --js)" --json \
	"romcompat --apt-sources F inspect --js<TAB>: F is not taken for the command"
is "$(complete_line "$ROMCOMPAT" --apt-sources = "$T/compat.ini" check --back)" --backend \
	"and with --apt-sources=F"
is "$(complete_line "$ROMCOMPAT" --apt-sources "$T/compat.i")" "$T/compat.ini" \
	"--apt-sources <TAB>: a file"
is "$(complete_line "$ROMCOMPAT" --apt-sources "$T/compat.ini" ch)" check \
	"after --apt-sources F: the commands"
opts=$(complete_line "$ROMCOMPAT" check - | tr '\n' ' ')
like "$opts" " -q .*--quiet .*-v .*--verbose " "check -<TAB>: -q/--quiet and -v/--verbose, on every command"
like "$(complete_line "$ROMCOMPAT" migrate --)" "^--old-qemu$" "migrate --<TAB>: --old-qemu, the name every command uses"
