/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * child.h - every child process romcompat runs: started from an argv in a
 * process group of its own, registered so that a signal stops it, its
 * output kept within a bound, run against a deadline.
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
 * RcChildStart - how to start a child
 * @argv:	NULL-terminated; argv[0] a path (never looked up in PATH here)
 * @envp:	its environment, or NULL for romcompat's own
 * @cwd:	its working directory, or NULL for romcompat's own
 * @fds:	the descriptors that become its 0, 1, 2 and 3; -1 gives
 *		/dev/null for 0 .. 2 and nothing for 3
 */
typedef struct {
	const char *const *argv;
	const char *const *envp;
	const char *cwd;
	int fds[4];
} RcChildStart;

pid_t rc_child_start(const RcChildStart *start, GError **error);
gboolean rc_child_end_group(pid_t pgid);

/**
 * RcChildDrain - a pipe read into an RcCapture by a thread of its own,
 * so that a child writing without end never blocks, nor fills memory or
 * a disk
 */
typedef struct RcChildDrain RcChildDrain;

RcChildDrain *rc_child_drain_new(int fd, gsize cap, GError **error);
char *rc_child_drain_text(RcChildDrain *drain, gboolean *lost);
void rc_child_drain_free(RcChildDrain *drain);

/**
 * RcChildEnd - how a child run by rc_child_run() ended
 * @RC_CHILD_EXITED:	exited by itself, see exit_code
 * @RC_CHILD_SIGNALED:	died of a signal romcompat did not send
 * @RC_CHILD_TIMED_OUT: still running at its deadline: stopped by romcompat
 */
typedef enum {
	RC_CHILD_EXITED,
	RC_CHILD_SIGNALED,
	RC_CHILD_TIMED_OUT,
} RcChildEnd;

/**
 * RcChildSpec - a child to run to its end
 * @what:	what it is, for messages and the trace ("apt-get", ...)
 * @argv:	NULL-terminated argv, never a shell command line
 * @envp:	its environment, or NULL for romcompat's own
 * @cwd:	its working directory, or NULL
 * @search_path: look argv[0] up in PATH when it has no '/'
 * @timeout_us: how long it may run before it is stopped
 * @output_cap: bytes of each of stdout and stderr kept (first and last)
 */
typedef struct {
	const char *what;
	const char *const *argv;
	const char *const *envp;
	const char *cwd;
	gboolean search_path;
	gint64 timeout_us;
	gsize output_cap;
} RcChildSpec;

/**
 * RcChildResult - how a child ran
 * @end:	how it ended
 * @exit_code:	its exit code, when @end is RC_CHILD_EXITED
 * @signal:	the signal it died of, when @end is RC_CHILD_SIGNALED
 * @out:	its standard output, within the cap
 * @err:	its standard error, within the cap
 */
typedef struct {
	RcChildEnd end;
	int exit_code;
	int signal;
	char *out;
	char *err;
} RcChildResult;

RcChildResult *rc_child_run(const RcChildSpec *spec, GError **error);
gboolean rc_child_succeeded(const RcChildResult *result);
char *rc_child_describe(const RcChildResult *result, const RcChildSpec *spec);
void rc_child_result_free(RcChildResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcChildResult, rc_child_result_free)

#endif /* RC_CHILD_H */
