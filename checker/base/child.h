/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * child.h - every child process romcompat runs, through one builder
 * (RcChildCmd): started from an argv in a process group of its own,
 * registered so that a signal stops it, its output kept within a bound,
 * run against a deadline or started to run beside romcompat.
 */
#ifndef RC_CHILD_H
#define RC_CHILD_H

#include <sys/types.h>

#include <glib.h>

/* Bytes of a child's output kept: the first half and the last half. */
#define RC_CHILD_OUTPUT_CAP (64 * 1024)
/* Registry slots reserved beyond a command's workers: probes, apt, ... */
#define RC_REGISTRY_SPARE 8

gboolean rc_child_registry_reserve(guint slots, GError **error);
guint rc_child_registry_capacity(void);
gboolean rc_child_register(pid_t pgid, GError **error);
void rc_child_unregister(pid_t pgid);
void rc_child_install_signal_handlers(void);
int rc_child_interrupted(void);
gboolean rc_child_check_interrupted(GError **error);

/**
 * RcCapture - a child's output, kept within a bound: its first and its
 * last bytes, and how many there were in all
 */
typedef struct RcCapture RcCapture;

RcCapture *rc_capture_new(gsize cap);
void rc_capture_append(RcCapture *capture, const char *data, gsize len);
guint64 rc_capture_total(const RcCapture *capture);
char *rc_capture_text(const RcCapture *capture);
void rc_capture_free(RcCapture *capture);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcCapture, rc_capture_free)

/**
 * RcChildDrain - a pipe read into an RcCapture by a thread of its own,
 * so that a child writing without end never blocks, nor fills memory or
 * a disk
 */
typedef struct RcChildDrain RcChildDrain;

RcChildDrain *rc_child_drain_new(int fd, gsize cap, GError **error);
char *rc_child_drain_text(RcChildDrain *drain, gboolean *lost);
void rc_child_drain_free(RcChildDrain *drain);

gboolean rc_child_end_group(pid_t pgid);

/**
 * RcChildEnd - how a child ended
 * @RC_CHILD_RUNNING:	not ended yet (a started child)
 * @RC_CHILD_EXITED:	exited by itself, see exit_code
 * @RC_CHILD_SIGNALED:	died of a signal romcompat did not send
 * @RC_CHILD_STOPPED:	stopped by romcompat: SIGTERM, within the grace period
 * @RC_CHILD_KILLED:	killed by romcompat with SIGKILL after the grace period
 * @RC_CHILD_TIMED_OUT: still running at its deadline: stopped by romcompat
 *			(a child run to its end, rc_child_cmd_run())
 */
typedef enum {
	RC_CHILD_RUNNING,
	RC_CHILD_EXITED,
	RC_CHILD_SIGNALED,
	RC_CHILD_STOPPED,
	RC_CHILD_KILLED,
	RC_CHILD_TIMED_OUT,
} RcChildEnd;

/**
 * RcChildCmd - a child to run, built up step by step
 *
 * Arguments, environment, working directory, a descriptor to pass, the
 * deadline and the output cap are added one call at a time; a call that
 * cannot do its part records the first such error, and rc_child_cmd_run()
 * or rc_child_cmd_start() reports it, so that building needs no checks.
 * Never a shell: the argv goes to execve as it is.
 */
typedef struct RcChildCmd RcChildCmd;

RcChildCmd *rc_child_cmd_new(const char *what, const char *program);
void rc_child_cmd_add_arg(RcChildCmd *cmd, const char *arg);
void rc_child_cmd_add_argf(RcChildCmd *cmd, const char *format, ...) G_GNUC_PRINTF(2, 3);
void rc_child_cmd_add_args(RcChildCmd *cmd, const char *const *args);
void rc_child_cmd_set_env(RcChildCmd *cmd, const char *const *envp);
void rc_child_cmd_set_cwd(RcChildCmd *cmd, const char *cwd);
void rc_child_cmd_search_path(RcChildCmd *cmd);
void rc_child_cmd_set_timeout(RcChildCmd *cmd, gint64 timeout_us);
void rc_child_cmd_set_output_cap(RcChildCmd *cmd, gsize cap);
void rc_child_cmd_pass_fd(RcChildCmd *cmd, int fd);
const char *rc_child_cmd_what(const RcChildCmd *cmd);
const char *const *rc_child_cmd_argv(const RcChildCmd *cmd);
void rc_child_cmd_free(RcChildCmd *cmd);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcChildCmd, rc_child_cmd_free)

/**
 * RcChildResult - how a child run to its end by rc_child_cmd_run() ran
 * @end:	how it ended: RC_CHILD_EXITED, _SIGNALED or _TIMED_OUT
 * @exit_code:	its exit code, when @end is RC_CHILD_EXITED
 * @signal:	the signal it died of, when @end is RC_CHILD_SIGNALED
 * @timeout_us: the deadline it had (for rc_child_describe())
 * @out:	its standard output, within the cap
 * @err:	its standard error, within the cap
 */
typedef struct {
	RcChildEnd end;
	int exit_code;
	int signal;
	gint64 timeout_us;
	char *out;
	char *err;
} RcChildResult;

RcChildResult *rc_child_cmd_run(RcChildCmd *cmd, GError **error);
gboolean rc_child_succeeded(const RcChildResult *result);
char *rc_child_describe(const RcChildResult *result);
void rc_child_result_free(RcChildResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcChildResult, rc_child_result_free)

/**
 * RcChild - a child started by rc_child_cmd_start(), running beside
 * romcompat until it is stopped
 * @what:	what it is, for the trace
 * @pid:	its pid (and process group)
 * @end:	how it ended, RC_CHILD_RUNNING until it is reaped
 * @exit_code:	exit code when @end is RC_CHILD_EXITED
 * @signal:	the signal it died of (RC_CHILD_SIGNALED, _STOPPED, _KILLED)
 * @stderr_drain: its stderr read as it comes, when the command had an
 *		output cap; NULL when stderr was /dev/null
 */
typedef struct {
	char *what;
	pid_t pid;
	RcChildEnd end;
	int exit_code;
	int signal;
	RcChildDrain *stderr_drain;
} RcChild;

RcChild *rc_child_cmd_start(RcChildCmd *cmd, GError **error);
gboolean rc_child_wait(RcChild *child, gint64 deadline);
void rc_child_stop(RcChild *child, gint64 grace_us);
char *rc_child_read_stderr(RcChild *child, gboolean *lost);
void rc_child_free(RcChild *child);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcChild, rc_child_free)

#endif /* RC_CHILD_H */
