# SPDX-License-Identifier: GPL-2.0-or-later
# romcompat.bash - bash completion for romcompat.
#
# Commands and options are read, at completion time, from the program's own
# 'romcompat --help' and 'romcompat COMMAND --help', so this file lists no
# command's options and does not go stale; it adds only what every command
# takes by convention (-q/--quiet, -v/--verbose, 'help COMMAND', and
# --old-qemu/--new-qemu wherever --src-qemu/--dst-qemu are offered).  Option
# values are offered for --backend (direct, libvirt), --mitigation
# (romsize, pad, compat=FILE), --device-class (nic, display, firmware),
# --direction, --accel and --arch (the
# architectures with a machine-type catalog), files and QEMU
# binaries where those are asked for, and the values of the global options
# (--apt-sources FILE) are skipped when looking for the command.  Machine types (--machine,
# --machines, --exclude-machines) and NIC models (--nic, --nics,
# --exclude-nics) come from the x86_64 machine-type catalogs the program
# reads (the data directory's machine-types/ and the cache), picked out
# with sed: no JSON tool is needed at completion time.

# _romcompat_help ROMCOMPAT [COMMAND]: the help text (empty on failure).
_romcompat_help() {
	"$@" --help 2>/dev/null
}

# _romcompat_commands ROMCOMPAT: the names under "Commands:" in --help,
# and "help".
_romcompat_commands() {
	{
		_romcompat_help "$1" | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
		echo help
	} | awk '!seen[$0]++'
}

# _romcompat_options ROMCOMPAT [COMMAND]: every option the help prints,
# long and short, one a line, "=" after those that take a value ("--opt=V"
# in a command's help, "--opt FILE" among the global options).  A
# command's options also hold the conventions every command follows.
_romcompat_options() {
	{
		_romcompat_help "$@" |
			sed -n 's/^  *\(-[A-Za-z]\), \(--[a-z][a-z-]*\)\(=\{0,1\}\).*/\1\3\n\2\3/p
				s/^  *\(--[a-z][a-z-]*\) [A-Z][A-Z_]*$/\1=/p
				t
				s/^  *\(--[a-z][a-z-]*\)\(=\{0,1\}\).*/\1\2/p' |
			sed 's/^--src-qemu=$/&\n--old-qemu=/; s/^--dst-qemu=$/&\n--new-qemu=/'
		[ $# -lt 2 ] || printf '%s\n' -q --quiet -v --verbose
	} | awk '!seen[$0]++'
}

# _romcompat_values WORD VALUE...: COMPREPLY, the VALUEs WORD begins.
_romcompat_values() {
	local cur=$1
	shift
	mapfile -t COMPREPLY < <(compgen -W "$*" -- "$cur")
}

# _romcompat_catalogs ROMCOMPAT [ARCH]: the catalog files of ARCH (default
# x86_64) the program would read: $ROMCOMPAT_DATADIR, the source tree or
# installed share directory next to the binary, and the cache; ARCH "*":
# every architecture's.
_romcompat_catalogs() {
	local bin dir d
	bin=$(type -P -- "$1" 2>/dev/null) || bin=$1
	bin=$(readlink -f -- "$bin" 2>/dev/null) || bin=$1
	dir=$(dirname -- "$bin")
	for d in ${ROMCOMPAT_DATADIR:+"$ROMCOMPAT_DATADIR"} "$dir/.." "$dir/../share/romcompat" \
		"${XDG_CACHE_HOME:-$HOME/.cache}/romcompat"; do
		compgen -G "$d/machine-types/${2:-x86_64}/*.json"
	done
}

# _romcompat_arches ROMCOMPAT: the architectures that have a catalog
# (the directory names under machine-types/), for diff's --arch.
_romcompat_arches() {
	_romcompat_catalogs "$1" "*" | sed 's|.*/machine-types/\([^/]*\)/[^/]*$|\1|' | sort -u
}

# _romcompat_catalog_values ROMCOMPAT KEY...: the values of "KEY": "VALUE"
# members in the catalogs (name and alias for machine types, model for
# NICs), sorted and unique.
_romcompat_catalog_values() {
	local bin=$1 key files
	shift
	mapfile -t files < <(_romcompat_catalogs "$bin")
	[ "${#files[@]}" -gt 0 ] || return 0
	for key in "$@"; do
		sed -n "s/^ *\"$key\": *\"\([A-Za-z0-9._-]*\)\".*/\1/p" "${files[@]}"
	done | sort -u
}

# _romcompat_list WORD VALUE...: completions of WORD as a ',' or ';'
# separated list, completing its last element.
_romcompat_list() {
	local cur=$1 head="" last=$1
	shift
	if [[ $cur == *[,\;]* ]]; then
		head=${cur%[,;]*}
		head="$head${cur:${#head}:1}"
		last=${cur:${#head}}
	fi
	local v
	COMPREPLY=()
	while IFS= read -r v; do
		COMPREPLY+=("$head$v")
	done < <(compgen -W "$*" -- "$last")
}

_romcompat() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev="" bin=${COMP_WORDS[0]}
	local cmd="" i opt eq=""
	COMPREPLY=()

	# "--machine=pc" arrives as "--machine" "=" "pc" (COMP_WORDBREAKS).
	if [ "$COMP_CWORD" -ge 2 ] && [ "${COMP_WORDS[COMP_CWORD - 1]}" = "=" ]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [ "$cur" = "=" ]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cur=""
	elif [[ $cur == --*=* ]]; then
		# "=" not in COMP_WORDBREAKS: the option and its value are one word.
		prev=${cur%%=*}
		eq="$prev="
		cur=${cur#*=}
	elif [ "$COMP_CWORD" -ge 1 ]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
	fi

	# The command: the first word after the global options and their values.
	local globals
	globals=$(_romcompat_options "$bin" | sed -n 's/=$//p')
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*=*) ;;
		-*)
			# "--apt-sources F" and "--apt-sources = F": F is no command.
			if grep -qx -- "${COMP_WORDS[i]}" <<<"$globals"; then
				((i++))
				[ "${COMP_WORDS[i]}" != "=" ] || ((i++))
			fi
			;;
		*)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done

	if [ -z "$cmd" ]; then
		if [[ $prev == -* ]] && grep -qx -- "$prev" <<<"$globals"; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			[ -z "$eq" ] || COMPREPLY=("${COMPREPLY[@]/#/$eq}")
		elif [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_romcompat_options "$bin") --help" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_romcompat_commands "$bin")" -- "$cur")
		fi
		return 0
	fi
	# "romcompat help COMMAND"
	if [ "$cmd" = help ]; then
		[ "$prev" != help ] ||
			mapfile -t COMPREPLY < <(compgen -W "$(_romcompat_commands "$bin")" -- "$cur")
		return 0
	fi

	# The value of an option that takes one ("--opt=" in the help).
	if [[ $prev == -* ]] && _romcompat_options "$bin" "$cmd" | grep -qx -- "$prev="; then
		case $prev in
		--machine | --machines | --exclude-machines)
			_romcompat_list "$cur" "$(_romcompat_catalog_values "$bin" name alias)"
			;;
		--nic | --nics | --exclude-nics)
			_romcompat_list "$cur" "$(_romcompat_catalog_values "$bin" model)"
			;;
		--arch)
			_romcompat_values "$cur" "$(_romcompat_arches "$bin")"
			;;
		--direction)
			_romcompat_values "$cur" old-to-new new-to-old both
			;;
		--device-class)
			_romcompat_values "$cur" nic display firmware
			;;
		--accel)
			_romcompat_values "$cur" tcg kvm auto
			;;
		--backend)
			_romcompat_values "$cur" direct libvirt
			;;
		--mitigation)
			if [[ $cur == compat=* ]]; then
				mapfile -t COMPREPLY < <(compgen -f -- "${cur#compat=}")
				COMPREPLY=("${COMPREPLY[@]/#/compat=}")
			else
				_romcompat_values "$cur" romsize pad compat=
				# "compat=" is a start: no space after it.
				[ "${COMPREPLY[*]}" != "compat=" ] || compopt -o nospace 2>/dev/null
			fi
			;;
		--qemu | --src-qemu | --dst-qemu | --old-qemu | --new-qemu)
			mapfile -t COMPREPLY < <(compgen -c -- "$cur" | grep '^qemu-system-\|/' | sort -u)
			[ "${#COMPREPLY[@]}" -gt 0 ] ||
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			;;
		--output-dir)
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
			;;
		--old | --new | --scenario | --catalog | --new-catalog | --json | --junit | \
			--tap | --html | --output | -o)
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			;;
		esac
		[ -z "$eq" ] || COMPREPLY=("${COMPREPLY[@]/#/$eq}")
		return 0
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=()
		while IFS= read -r opt; do
			COMPREPLY+=("${opt%=}")
		done < <(compgen -W "$(_romcompat_options "$bin" "$cmd")" -- "$cur")
		return 0
	fi
	# Positional arguments: ROM files, directories, .deb packages,
	# scenarios, reports.
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	return 0
}

complete -o filenames -F _romcompat romcompat
