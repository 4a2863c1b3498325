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
#   scripts/libvirt-daemon.sh start-system DIR   (root) the system daemon for
#                                          qemu:///system: started unless one runs,
#                                          what it started recorded in DIR
#   scripts/libvirt-daemon.sh stop-system DIR    stop what start-system started
#
# Session mode needs an ordinary user: run as root, the daemon runs as
# $ROMCOMPAT_LIBVIRT_USER (default nobody) and DIR is given to that user;
# romcompat must then run as that user too (its save files are written by
# the daemon into romcompat's private run directory).
# qemu:///system runs QEMU as the daemon's QEMU user (libvirt-qemu, from the
# libvirt-daemon-system package).  Where that user may not use /dev/kvm (a
# container's root-only device), libvirt would find KVM "gone" at every
# domain start and probe QEMU again (about 50 s a domain); the daemon
# start-system starts then sees no /dev/kvm at all, in a mount namespace
# of its own (the device is hidden by a bind mount of an empty file there,
# never touched), with a copy of qemu.conf that turns libvirt's per-domain
# /dev off (it would try to carry that mount into it).  romcompat runs
# with TCG anyway.
# Exit status: 0 done, 2 usage or libvirtd missing, 3 the daemon did not start.
set -eu

usage() { echo "usage: $0 start|stop|uri|start-system|stop-system DIR" >&2; exit 2; }
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
start-system)
	[ "$(id -u)" = 0 ] || { echo "libvirt-daemon.sh: start-system needs root (the system daemon runs as root)" >&2; exit 2; }
	id libvirt-qemu >/dev/null 2>&1 || { echo "libvirt-daemon.sh: no libvirt-qemu user (scripts/setup.sh installs libvirt-daemon-system)" >&2; exit 2; }
	if [ -S /run/libvirt/libvirt-sock ] && virsh -q -c qemu:///system version >/dev/null 2>&1; then
		echo qemu:///system # one runs already: not ours to stop
		exit 0
	fi
	hide=
	if [ -c /dev/kvm ] && ! setpriv --reuid=libvirt-qemu --regid=kvm --clear-groups test -w /dev/kvm 2>/dev/null; then
		# libvirt would move a mount on /dev/kvm into each domain's private
		# /dev: the daemon gets a qemu.conf without those namespaces.
		: >"$dir/no-kvm"
		{ cat /etc/libvirt/qemu.conf 2>/dev/null; echo 'namespaces = [ ]'; } >"$dir/qemu.conf"
		hide="mount --bind $dir/no-kvm /dev/kvm && mount --bind $dir/qemu.conf /etc/libvirt/qemu.conf &&"
	fi
	if ! [ -S /run/libvirt/virtlogd-sock ] || ! pgrep -x virtlogd >/dev/null; then
		/usr/sbin/virtlogd -d -p "$dir/virtlogd.pid"
	fi
	unshare -m sh -c "$hide exec /usr/sbin/libvirtd -d -p '$dir/libvirtd.pid'" >"$dir/libvirtd.log" 2>&1
	for _ in $(seq 100); do
		virsh -q -c qemu:///system version >/dev/null 2>&1 && break
		sleep 0.1
	done
	virsh -q -c qemu:///system version >/dev/null 2>&1 || {
		echo "libvirt-daemon.sh: the system libvirtd did not start; its log:" >&2
		tail -5 "$dir/libvirtd.log" >&2
		exit 3
	}
	echo qemu:///system
	;;
stop-system)
	for d in libvirtd virtlogd; do
		[ -f "$dir/$d.pid" ] || continue
		pid=$(cat "$dir/$d.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$dir/$d.pid"
	done
	;;
*)
	usage
	;;
esac
