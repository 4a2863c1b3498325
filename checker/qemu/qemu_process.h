/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_process.h - a QEMU child: started from an argv, always stopped and
 * reaped, its end recorded.
 */
#ifndef RC_QEMU_PROCESS_H
#define RC_QEMU_PROCESS_H

#include <signal.h>
#include <sys/types.h>

#include <glib.h>

#include "base/child.h"

/**
 * RcQemuEnd - how a QEMU ended
 * @RC_QEMU_RUNNING:	not ended yet
 * @RC_QEMU_EXITED:	exited by itself, see exit_code
 * @RC_QEMU_SIGNALED:	died of a signal it was not sent by romcompat
 * @RC_QEMU_STOPPED:	stopped by romcompat (SIGTERM within the grace period)
 * @RC_QEMU_KILLED:	killed by romcompat with SIGKILL after the grace period
 */
typedef enum {
	RC_QEMU_RUNNING,
	RC_QEMU_EXITED,
	RC_QEMU_SIGNALED,
	RC_QEMU_STOPPED,
	RC_QEMU_KILLED,
} RcQemuEnd;

/**
 * RcQemu - one QEMU child process
 * @label:	"src" or "dst", for messages
 * @pid:	its pid (and process group)
 * @qmp_fd:	romcompat's end of the QMP socketpair, -1 once handed over
 * @stderr_path: file in the run directory that receives what was kept of
 *		its stderr when it is freed
 * @stderr_drain: its stderr, read as it comes
 * @end:	how it ended
 * @exit_code:	exit code when @end is RC_QEMU_EXITED
 * @signal:	signal when @end is RC_QEMU_SIGNALED
 */
typedef struct {
	char *label;
	pid_t pid;
	int qmp_fd;
	char *stderr_path;
	RcChildDrain *stderr_drain;
	RcQemuEnd end;
	int exit_code;
	int signal;
} RcQemu;

const char *rc_qemu_pick_accel(const char *accel, GError **error);
char *rc_qemu_escape(const char *value);
char *rc_qemu_find_program(const char *name, GError **error);
RcQemu *rc_qemu_spawn(const char *label, const char *const *argv, const char *const *envp,
		      const char *stderr_path, GError **error);
gboolean rc_qemu_wait(RcQemu *qemu, gint64 deadline);
void rc_qemu_stop(RcQemu *qemu, gint64 grace_us);
char *rc_qemu_read_stderr(RcQemu *qemu, gboolean *lost);
char *rc_qemu_describe_end(const RcQemu *qemu);
void rc_qemu_free(RcQemu *qemu);

void rc_qemu_install_signal_handlers(void);
int rc_qemu_interrupted(void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQemu, rc_qemu_free)

/* The QMP socket's number in the child: -chardev socket,fd=3. */
#define RC_QEMU_QMP_FD 3

#endif /* RC_QEMU_PROCESS_H */
