#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt-daemon.sh - a private libvirt daemon for romcompat's libvirt
# backend and its tests: a session-mode libvirtd (it starts virtlogd itself)
# whose configuration, sockets, logs and domains all live under DIR, so the
# system's own libvirt is never touched or reconfigured.
#
#   scripts/libvirt-daemon.sh start DIR    start it; prints the URI for --connect
#   scripts/libvirt-daemon.sh stop DIR     stop it, its virtlogd and any QEMU it left
#   scripts/libvirt-daemon.sh uri DIR      print the URI again
#
# Session mode needs an ordinary user: run as root, the daemon runs as
# $ROMCOMPAT_LIBVIRT_USER (default nobody) and DIR is given to that user;
# romcompat must then run as that user too (its save files are written by
# the daemon into romcompat's private run directory).
# Exit status: 0 done, 2 usage or libvirtd missing, 3 the daemon did not start.
set -eu

usage() { echo "usage: $0 start|stop|uri DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
sock=$dir/run/libvirt/libvirt-sock
uri="qemu+unix:///session?socket=$sock"

as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid="${ROMCOMPAT_LIBVIRT_USER:-nobody}" \
			--regid="$(id -g "${ROMCOMPAT_LIBVIRT_USER:-nobody}")" --clear-groups "$@"
	else
		"$@"
	fi
}

daemon_env() {
	env HOME="$dir" XDG_RUNTIME_DIR="$dir/run" XDG_CONFIG_HOME="$dir/config" \
		XDG_CACHE_HOME="$dir/cache" XDG_DATA_HOME="$dir/data" "$@"
}

case $cmd in
start)
	libvirtd=$(command -v libvirtd || echo /usr/sbin/libvirtd)
	[ -x "$libvirtd" ] || { echo "libvirt-daemon.sh: libvirtd not installed (scripts/setup.sh installs libvirt-daemon)" >&2; exit 2; }
	if [ -S "$sock" ] && daemon_env virsh -q -c "$uri" version >/dev/null 2>&1; then
		echo "$uri"
		exit 0
	fi
	mkdir -p "$dir/run" "$dir/config" "$dir/cache" "$dir/data"
	chmod 700 "$dir/run"
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || { echo "libvirt-daemon.sh: running as root needs setpriv (util-linux)" >&2; exit 2; }
		chown -R "${ROMCOMPAT_LIBVIRT_USER:-nobody}:" "$dir"
	fi
	# --timeout 0: it stays until stopped; the log is kept for when it does not.
	as_user env HOME="$dir" XDG_RUNTIME_DIR="$dir/run" XDG_CONFIG_HOME="$dir/config" \
		XDG_CACHE_HOME="$dir/cache" XDG_DATA_HOME="$dir/data" \
		"$libvirtd" --timeout 0 >"$dir/libvirtd.log" 2>&1 </dev/null &
	starter=$!
	for _ in $(seq 100); do
		[ -S "$sock" ] && break
		kill -0 "$starter" 2>/dev/null || break
		sleep 0.1
	done
	if [ ! -S "$sock" ]; then
		echo "libvirt-daemon.sh: libvirtd did not start; its log:" >&2
		tail -5 "$dir/libvirtd.log" >&2
		exit 3
	fi
	echo "$uri"
	;;
stop)
	# libvirtd writes its own pid file.
	if [ -f "$dir/run/libvirt/libvirtd.pid" ]; then
		pid=$(cat "$dir/run/libvirt/libvirtd.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	fi
	# Its virtlogd (it would leave after two idle minutes), and any QEMU a
	# domain left: their command lines name DIR.
	if [ -f "$dir/run/libvirt/virtlogd.pid" ]; then
		kill "$(cat "$dir/run/libvirt/virtlogd.pid")" 2>/dev/null || true
	fi
	pkill -9 -f -- "qemu-system.*$dir/" 2>/dev/null || true
	;;
uri)
	echo "$uri"
	;;
*)
	usage
	;;
esac
