#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-packages.t - ROM sets someone else made, built to hurt: a .deb
# bomb (40 members of 64 MiB in a package of about 90 KB), 20,000 small
# members, the same as directories, a FIFO given as a ROM set, FIFOs,
# devices and link loops inside a directory, a package of looping links.
# Each is one error line and exit 2, in bounded time and memory (peak RSS
# from /usr/bin/time, asserted in the plain build only), and the FIFO is
# still a FIFO afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/romlib.sh"

[ -x /usr/bin/time ] || skip_all "/usr/bin/time is needed to measure peak RSS (apt-get install time)"
command -v zstd >/dev/null || skip_all "zstd is needed to build the bomb package"
[ -r "$ROMDIR/efi-e1000.rom" ] || skip_all "$ROMDIR/efi-e1000.rom missing (install ipxe-qemu)"
case $ROMCOMPAT in
*build-asan*) ASAN="AddressSanitizer's shadow memory makes peak RSS meaningless in the ASan build" ;;
*) ASAN= ;;
esac
RSS_MAX_KB=$((64 * 1024))

# mkdeb NAME ROOT: a .deb of ROOT (data.tar.zst), its path printed.
mkdeb() {
	_d="$T/deb-$1"
	mkdir -p "$_d/control"
	echo "Package: $1" >"$_d/control/control"
	echo "2.0" >"$_d/debian-binary"
	tar -C "$_d/control" -czf "$_d/control.tar.gz" .
	tar -C "$2" --zstd -cf "$_d/data.tar.zst" .
	(cd "$_d" && ar rcD "$1.deb" debian-binary control.tar.gz data.tar.zst)
	echo "$_d/$1.deb"
}

# run_rss ARGS...: romcompat under /usr/bin/time; $rc, $err, $rss (KiB).
run_rss() {
	rc=0
	timeout 120 /usr/bin/time -f %M -o "$T/.rss" "$ROMCOMPAT" "$@" >"$T/.out" 2>"$T/.stderr" || rc=$?
	err=$(cat "$T/.stderr")
	rss=$(tail -1 "$T/.rss")
}

# rss_within WHAT: peak RSS under the bound, or skipped with the reason.
rss_within() {
	diag "$1: peak RSS $rss KiB"
	if [ -n "$ASAN" ]; then
		skip "$1: peak RSS not asserted: $ASAN"
	else
		ok "$([ "$rss" -lt "$RSS_MAX_KB" ] && echo 0 || echo 1)" "$1: peak RSS $rss KiB < $RSS_MAX_KB KiB"
	fi
}

# one_line WHAT REGEX: exit 2, one line on stderr matching REGEX.
one_line() {
	is "$rc:$(lines "$err")" "2:1" "$1: exit 2, one error line"
	like "$err" "^romcompat: error: .*$2" "$1: the line says why"
}

# --- a bomb: 40 sparse files of 64 MiB that start like a ROM ---
mkdir -p "$T/bomb/usr/share/qemu"
for i in $(seq 1 40); do
	f=$T/bomb/usr/share/qemu/efi-$i.rom
	truncate -s 64M "$f"
	printf '\125\252' | dd of="$f" conv=notrunc status=none
done
bomb=$(mkdeb bomb "$T/bomb")
diag "bomb package: $(stat -c %s "$bomb") bytes for 40 x 64 MiB members"
run_rss inspect "$bomb"
one_line "inspect of a .deb bomb" "more than 256 MiB together"
rss_within "inspect of a .deb bomb"
run_rss diff "$ROMDIR" "$bomb"
one_line "diff against a .deb bomb" "more than 256 MiB together"
rss_within "diff against a .deb bomb"
run_rss inspect "$T/bomb/usr/share/qemu"
one_line "inspect of a directory bomb" "more than 256 MiB together"
rss_within "inspect of a directory bomb"

# --- 20,000 small members ---
mkdir -p "$T/many/usr/share/qemu"
(cd "$T/many/usr/share/qemu" && head -c $((20000 * 512)) /dev/zero | split -b 512 -a 5 --additional-suffix=.rom - efi-)
many=$(mkdeb many "$T/many")
run_rss inspect "$many"
one_line "inspect of a .deb with 20,000 members" "more than 4096 \*\.rom members"
rss_within "inspect of a .deb with 20,000 members"
run_rss inspect "$T/many/usr/share/qemu"
one_line "inspect of a directory with 20,000 files" "more than 4096 \*\.rom files"
rss_within "inspect of a directory with 20,000 files"
rm -rf "$T/bomb" "$T/many"

# --- the largest file a set may hold still fits: a real ROM padded to 64 MiB ---
mkdir -p "$T/big/usr/share/qemu"
grow_rom "$ROMDIR/efi-e1000.rom" "$T/big/usr/share/qemu/efi-e1000.rom" $((64 * 1024 * 1024))
big=$(mkdeb big "$T/big")
run_rss inspect "$big"
is "$rc" 0 "a 64 MiB ROM in a package is still read"
like "$(cat "$T/.out")" "efi-e1000.rom +67108864 bytes .*bucket 64 MiB" "and reported in its 64 MiB bucket"
diag "inspect of one 64 MiB member: peak RSS $rss KiB (the one member's bytes)"
rm -rf "$T/big"

# --- a FIFO as a ROM set: refused at once, never opened blocking ---
mkfifo "$T/fifo.rom"
for cmd in "inspect $T/fifo.rom" "diff $ROMDIR $T/fifo.rom" "pad --bucket 256K $T/fifo.rom"; do
	rc=0
	err=$(timeout 20 "$ROMCOMPAT" $cmd 2>&1 >/dev/null) || rc=$?
	one_line "${cmd%% *} of a FIFO" "fifo\.rom: a FIFO, not a regular file or a directory"
done
is "$(stat -c %F "$T/fifo.rom")" "fifo" "the FIFO is still a FIFO"

# --- FIFOs, devices and link loops inside a directory ---
mkdir "$T/odd"
cp "$ROMDIR/efi-e1000.rom" "$T/odd/"
mkfifo "$T/odd/efi-fifo.rom"
ln -s efi-fifo.rom "$T/odd/efi-to-fifo.rom"
ln -s . "$T/odd/loop"
ln -s efi-b.rom "$T/odd/efi-a.rom"
ln -s efi-a.rom "$T/odd/efi-b.rom"
ln -s efi-self.rom "$T/odd/efi-self.rom"
for i in $(seq 1 200); do ln -s "loop/loop/efi-gone-$i.rom" "$T/odd/efi-gone-$i.rom"; done
bad=205 # the FIFO, the link to it, three loops, 200 dangling links
if mknod "$T/odd/efi-device.rom" c 1 3 2>/dev/null; then
	device="a character device"
	bad=$((bad + 1))
else
	device="(no device: mknod is not allowed here)"
fi
rc=0
out=$(timeout 20 "$ROMCOMPAT" inspect "$T/odd" 2>"$T/.stderr") || rc=$?
err=$(cat "$T/.stderr")
one_line "inspect of a directory with a FIFO, $device, link loops and 200 dangling links" \
	"odd: $bad of its $((bad + 1)) ROM files cannot be used: .* and $((bad - 3)) more"
like "$out" "efi-e1000.rom +[0-9]+ bytes" "the good file in it is still reported"
like "$out" "ERROR +cannot read the ROM file $T/odd/efi-fifo.rom: a FIFO" "the report lists the FIFO as an error"
is "$(stat -c %F "$T/odd/efi-fifo.rom")" "fifo" "the FIFO inside is still a FIFO"
rc=0
err=$(timeout 20 "$ROMCOMPAT" diff "$ROMDIR" "$T/odd" 2>&1 >/dev/null) || rc=$?
one_line "diff against that directory" "odd: $bad of its $((bad + 1)) ROM files cannot be used"

# --- a package of looping and dangling links: one line ---
mkdir -p "$T/links/usr/share/qemu"
cp "$ROMDIR/efi-e1000.rom" "$T/links/usr/share/qemu/"
for i in $(seq 1 300); do
	ln -s "efi-loop-$(((i % 300) + 1)).rom" "$T/links/usr/share/qemu/efi-loop-$i.rom"
done
ln -s . "$T/links/usr/share/qemu/up"
run inspect "$(mkdeb links "$T/links")"
one_line "inspect of a package with 300 looping links" "300 of its 301 ROM files cannot be used: .*symbolic links loop.* and 297 more"

# --- a QEMU package whose links, chained, climb out of its tree ---
# "a/up -> .." then "usr -> a/up/a/up/../..": each target stays inside
# alone; together they lead two levels above the tree, into the cache's
# qemu/ directory, where a script waits as bin/qemu-system-x86_64.  The
# packages come from the cache (a version apt does not have), so no apt.
if have_qemu; then
	C=$T/cache/romcompat
	# The data package writes nothing through usr, so only the chain is wrong.
	mkdir -p "$T/qemu-root/a" "$T/data-root/etc/qemu" "$C/qemu/bin"
	ln -s .. "$T/qemu-root/a/up"
	ln -s a/up/a/up/../.. "$T/qemu-root/usr"
	echo "data" >"$T/data-root/etc/qemu/bridge.conf"
	printf '#!/bin/sh\ntouch %s\n' "$T/marker" >"$C/qemu/bin/qemu-system-x86_64"
	chmod 755 "$C/qemu/bin/qemu-system-x86_64"
	for p in qemu-system-x86:qemu-root qemu-system-data:data-root; do
		deb=$(mkdeb "${p%%:*}" "$T/${p#*:}")
		d=$T/deb-${p%%:*}
		printf 'Package: %s\nVersion: 1.0\nSource: qemu (1.0)\nArchitecture: amd64\n' "${p%%:*}" \
			>"$d/control/control"
		tar -C "$d/control" -czf "$d/control.tar.gz" .
		(cd "$d" && rm -f "${p%%:*}.deb" && ar rcD "${p%%:*}.deb" debian-binary control.tar.gz data.tar.zst)
		mkdir -p "$C/debs/${p%%:*}/1.0"
		cp "$deb" "$C/debs/${p%%:*}/1.0/${p%%:*}_1.0_amd64.deb"
	done
	E=$ROMDIR/efi-e1000.rom
	migrate_pkg() {
		rc=0
		err=$(XDG_CACHE_HOME=$T/cache timeout 60 "$ROMCOMPAT" migrate --machine pc-q35-7.2 \
			--nic e1000 --old "$E" --new "$E" --new-qemu debian:qemu-system-x86=1.0 2>&1 >/dev/null) ||
			rc=$?
	}
	migrate_pkg
	one_line "a QEMU package whose chained links leave its tree" \
		"member usr leads out of the tree through its links; refused"
	ok "$([ ! -e "$T/marker" ] && echo 0 || echo 1)" "the script outside the tree never ran"
	is "$(ls -A "$C/qemu" | tr '\n' ' ')" "bin " "nothing was made beside the tree (no module directory, no tree left)"
	is "$(ls -A "$C/qemu/bin" | tr '\n' ' ')" "qemu-system-x86_64 " "nothing was made beside the script (no qemu-bundle link)"

	# The same tree planted in the cache, as if unpacked there before.
	mkdir -p "$C/qemu/qemu-system-x86_1.0/root/a"
	ln -s .. "$C/qemu/qemu-system-x86_1.0/root/a/up"
	ln -s a/up/a/up/../.. "$C/qemu/qemu-system-x86_1.0/root/usr"
	migrate_pkg
	one_line "a tree in the cache whose chained links leave it" \
		"qemu-system-x86_1.0 is not safe to run: usr leads out of the tree.*; delete .*qemu-system-x86_1.0 and run again"
	ok "$([ ! -e "$T/marker" ] && echo 0 || echo 1)" "the script outside the cached tree never ran"
	is "$(qemu_left "$T")" 0 "no QEMU left"
else
	for i in 1 2 3 4 5 6 7 8 9; do skip "qemu-system-x86_64 not installed (scripts/setup.sh installs it)"; done
fi

plan "$_tap_n"
