#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# opt1-opt2.t - scripts/opt1-opt2.sh on a slice of each architecture's
# matrix (pc-i440fx-7.2 and pc-q35-7.2; aarch64 virt-7.2; riscv64 virt,
# its only one), every case a real migration:
#  - with the real iPXE drivers of the shared fixtures (--drivers), the
#    sizes, buckets and verdicts it prints are the ones docs/mitigations.md
#    quotes (its tables are read here, row by row): Opt1 (combined ROMs)
#    breaks e1000 and virtio-net on x86_64, aarch64 and riscv64, Opt2
#    keeps them;
#  - without --drivers it uses stand-ins and every line it prints says so;
#  - a bad --drivers or --map is refused with one line, exit 2.
. "$(dirname "$0")/lib.sh"

have_qemu || skip_all "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"
have_qemu qemu-system-aarch64 || skip_all "qemu-system-aarch64 not installed (scripts/setup.sh installs it)"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh installs it)"
FIX=${ROMCOMPAT_IPXE_FIXTURES:-}
for d in "$SRCDIR/../shared/fixtures/ipxe" "$SRCDIR/../../shared/fixtures/ipxe"; do
	[ -z "$FIX" ] && [ -d "$d/built" ] && FIX=$(cd "$d" && pwd)
done
DOC=$SRCDIR/docs/mitigations.md
# The doc's tables: ROM sizes, and the verdicts on the slice.
SIZES=$(sed -n '/^| ROM | layout | images | bytes | bucket |/,/^$/p' "$DOC" | grep '^| `efi-')
SLICE=$(awk '/^The slice `tests\/cli\/opt1-opt2.t` runs/ { s = 1 } s && /^\| Opt/ { t = 1; print; next } t { exit }' "$DOC")
plan $((9 + $(printf '%s\n' "$SIZES" | wc -l) + $(printf '%s\n' "$SLICE" | wc -l)))

export TMPDIR=$T/tmp XDG_RUNTIME_DIR=
mkdir "$TMPDIR"
slice() {
	X86_MACHINES='pc-i440fx-7.2;pc-q35-7.2' ARM_MACHINES=virt-7.2 ROMCOMPAT=$ROMCOMPAT \
		"$SRCDIR/scripts/opt1-opt2.sh" "$@" 2>&1
}
cell() { printf '%s\n' "$1" | awk -F' *\\| *' -v n="$2" '{print $(n + 1)}'; }

if [ -n "$FIX" ]; then
	arm=$(slice --drivers "$FIX/built" --map efi-virtio.rom=1af41000 --arches arm64)
	all=$(slice --drivers "$FIX/built" --map efi-virtio.rom=1af41000)
	unlabelled=$(printf '%s\n%s\n' "$arm" "$all" | grep -c 'stand-in')
	is "$unlabelled" 0 "real drivers: no line says stand-in"
	while IFS= read -r row; do
		name=$(cell "$row" 1 | sed 's/`//g; s/ (.*//')
		layout=$(cell "$row" 2)
		images=$(cell "$row" 3)
		bytes=$(cell "$row" 4 | tr -d ,)
		bucket=$(cell "$row" 5)
		case $layout in
		installed) want="Opt1 $name (" text="(installed: $bytes bytes, bucket $bucket)" ;;
		Opt1) want="Opt1 $name (" text="): $images: $bytes bytes, bucket $bucket (" ;;
		Opt2*) dir=${layout#Opt2, } want="Opt2 ${dir%% *}/$name (" text="): $images: $bytes bytes, bucket $bucket" ;;
		esac
		got=$(printf '%s\n%s\n' "$arm" "$all" | grep -F "$want" | grep -cF "$text")
		ok "$([ "$got" -ge 1 ]; echo $?)" "docs/mitigations.md: $name $layout $images = $bytes bytes, $bucket, as the script prints it"
	done <<<"$SIZES"
	while IFS= read -r row; do
		layout=$(cell "$row" 1)
		arch=$(cell "$row" 2)
		if [ "$arch" = riscv64 ] && ! have_qemu qemu-system-riscv64; then
			skip "qemu-system-riscv64 not installed (scripts/setup.sh installs qemu-system-misc): $layout on riscv64"
			continue
		fi
		out=$arm
		case "$layout $arch" in *riscv64*) out=$all ;; esac
		result=$(printf '%s\n' "$out" | grep "^result: ${layout%%,*} $arch: ")
		expect="result: ${layout%%,*} $arch: $(cell "$row" 3) cases, $(cell "$row" 4) pass, $(cell "$row" 5) fail, 0 error"
		breaks=$(cell "$row" 6)
		good=0
		[[ $result == "$expect;"* ]] || good=1
		if [ "$breaks" = nothing ]; then
			[[ $result == *"; every case migrates" ]] || good=1
		else
			# "`efi-e1000.rom`, ...: 256 KiB -> 512 KiB, both directions"
			change=${breaks#*: } directions=${change#*, } change=${change%%,*}
			for f in $(printf '%s\n' "$breaks" | grep -o 'efi-[a-z0-9_]*\.rom'); do
				[[ $result == *"$f $change on "*", $directions"* ]] || good=1
			done
		fi
		ok "$good" "docs/mitigations.md slice: $layout on $arch: $(cell "$row" 3) cases, $(cell "$row" 5) fail ($breaks) (script: ${result:-nothing})"
	done <<<"$SLICE"
	like "$(printf '%s\n' "$arm" | grep -A4 '^== Can padding')" "efi-virtio.rom: its images need 408064 bytes .*more than the 256 KiB bucket" "padding cannot fit Opt1's efi-virtio.rom into 256 KiB"
	like "$arm" "efi-rtl8139.rom \\(10ec:8139\\): no driver for 10ec8139 .*installed file in every layout" "a ROM without drivers keeps the installed file, and the script says so"
else
	for _ in $(seq $((3 + $(printf '%s\n' "$SIZES" | wc -l) + $(printf '%s\n' "$SLICE" | wc -l)))); do
		skip "no iPXE fixtures (../shared/fixtures/ipxe beside the clone, or ROMCOMPAT_IPXE_FIXTURES)"
	done
fi

# Stand-ins: every line labelled.
out=$(slice "$T/opt")
is "$(printf '%s\n' "$out" | grep -vc '^stand-in: ')" 0 "stand-ins: every line of output starts with 'stand-in:'"
like "$out" "stand-in: +5  0x[0-9a-f]+ +[0-9]+ bytes .* EFI loongarch64 .*last image" "stand-ins: Opt1's efi-e1000.rom chains x86 legacy, x64, aarch64, riscv64 and loongarch64 images"
like "$(printf '%s\n' "$out" | grep '^stand-in: result: Opt2 aarch64')" "every case migrates" "stand-ins: Opt2 aarch64 migrates"

# Bad input: one line, exit 2, nothing run.
for bad in "--drivers $T/none" "--drivers $FIX/built --map efi-virtio.rom=1af4"; do
	# shellcheck disable=SC2086 # the options split on purpose
	err=$(slice $bad)
	rc=$?
	ok "$([ $rc = 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ]; echo $?)" "opt1-opt2.sh $bad: exit 2 ($rc), one line: $err"
done
is "$(qemu_left "$T")" 0 "no QEMU left"
