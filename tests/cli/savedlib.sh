# SPDX-License-Identifier: GPL-2.0-or-later
# savedlib.sh - real saved VM states made at test time with real QEMU
# (sourced by saved.t after lib.sh).

# qmp_session QEMU-ARGS... < COMMANDS: runs QEMU paused with QMP on
# stdio and sends each line of COMMANDS (a QMP command, or "wait-migration"
# to poll query-migrate until it completes), then quits.
qmp_session() {
	coproc QMP { exec qemu-system-x86_64 -nodefaults -display none -S -accel tcg \
		-qmp stdio "$@" 2>>"$T/qemu.err"; }
	local line cmd n
	read -r -t 20 line <&"${QMP[0]}" || return 1
	echo '{"execute":"qmp_capabilities"}' >&"${QMP[1]}"
	read -r -t 20 line <&"${QMP[0]}"
	while IFS= read -r cmd; do
		if [ "$cmd" = wait-migration ]; then
			for n in $(seq 1 300); do
				echo '{"execute":"query-migrate"}' >&"${QMP[1]}"
				while read -r -t 20 line <&"${QMP[0]}"; do
					case $line in *'"return"'*) break ;; esac
				done
				case $line in *completed*) break ;; *failed*) break ;; esac
				sleep 0.1
			done
			continue
		fi
		echo "$cmd" >&"${QMP[1]}"
		while read -r -t 60 line <&"${QMP[0]}"; do
			case $line in *'"return"'* | *'"error"'*) break ;; esac
		done
	done
	echo '{"execute":"quit"}' >&"${QMP[1]}"
	wait "$QMP_PID" 2>/dev/null
	return 0
}

# save_stream OUT MACHINE DEVICE...: a raw migration stream of a paused VM.
save_stream() {
	local out=$1 machine=$2 args=()
	shift 2
	for d in "$@"; do args+=(-device "$d"); done
	printf '%s\n' "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"exec:cat > $out\"}}" \
		wait-migration | qmp_session -machine "$machine" -m 64 "${args[@]}"
	[ -s "$out" ]
}

# save_snapshot IMAGE MACHINE NAME DEVICE...: an internal snapshot with a
# VM state (HMP savevm) in a qcow2 image that is the VM's virtio disk.
save_snapshot() {
	local img=$1 machine=$2 name=$3 args=()
	shift 3
	for d in "$@"; do args+=(-device "$d"); done
	printf '%s\n' "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"savevm $name\"}}" |
		qmp_session -machine "$machine" -m 64 \
			-blockdev "driver=qcow2,node-name=disk0,file.driver=file,file.filename=$img" \
			"${args[@]}"
}
