/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_process.c - starting, stopping and reaping QEMU children, so that
 * a QEMU never outlives romcompat.
 *
 * Theory of operation:
 * - A child is started from an argv (never a shell) by child.c, with the
 *   binary resolved before: its own process group, registered for the
 *   signal handler before any signal is handled, PR_SET_PDEATHSIG (fires
 *   when the forking thread ends, so children are forked by the thread
 *   that waits for them).  stdin and stdout are /dev/null, stderr a pipe
 *   read by a thread of its own into a bounded capture (the first and last
 *   lines, a note of what was cut), and one end of a socketpair becomes
 *   fd 3 for QMP (-chardev socket,fd=3): a QEMU that dies while starting
 *   shows up at once as EOF on QMP.
 * - The SIGINT/SIGTERM/SIGHUP handler (child.c) kills every registered
 *   group with SIGKILL and records the signal; the command then sees its
 *   QMP connections close, unwinds, removes its run directory and exits 3.
 * - Stopping is SIGTERM to the group, a grace period against a deadline,
 *   SIGKILL, then waitpid; how the child ended is recorded.  Once the
 *   leader is reaped, whatever it left in its group is killed.
 */
#include "qemu/qemu_process.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/child.h"
#include "base/error.h"
#include "base/trace.h"

/**
 * rc_qemu_install_signal_handlers() - make SIGINT, SIGTERM and SIGHUP stop
 * every QEMU child (see rc_child_install_signal_handlers())
 */
void rc_qemu_install_signal_handlers(void)
{
	rc_child_install_signal_handlers();
}

/**
 * rc_qemu_interrupted() - the signal that asked romcompat to stop
 *
 * Return: the signal number, or 0
 */
int rc_qemu_interrupted(void)
{
	return rc_child_interrupted();
}

/**
 * rc_qemu_escape() - a value for a QEMU option string
 * @value:	a path or name
 *
 * QEMU's option parser splits on ',' and reads ",," as one comma.
 *
 * Return: newly allocated escaped value
 */
char *rc_qemu_escape(const char *value)
{
	GString *s = g_string_sized_new(strlen(value) + 8);

	for (const char *p = value; *p; p++) {
		g_string_append_c(s, *p);
		if (*p == ',')
			g_string_append_c(s, ',');
	}
	return g_string_free(s, FALSE);
}

/**
 * rc_qemu_find_program() - resolve a QEMU program name or path
 * @name:	"qemu-system-x86_64" (looked up in PATH) or a path; a package
 *		is resolved one layer up (rc_qemu_find_binary())
 * @error:	set when it cannot be run (3)
 *
 * Return: absolute path, newly allocated
 */
char *rc_qemu_find_program(const char *name, GError **error)
{
	g_autofree char *path = NULL;

	if (strchr(name, '/'))
		path = g_canonicalize_filename(name, NULL);
	else
		path = g_find_program_in_path(name);
	if (!path || access(path, X_OK) != 0) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INFRA,
			"QEMU binary '%s' %s: install it (scripts/setup.sh) or name another with --src-qemu/--dst-qemu",
			name, path ? "is not executable" : "not found");
		return NULL;
	}
	return g_steal_pointer(&path);
}

/**
 * rc_qemu_spawn() - start a QEMU
 * @label:	"src"/"dst", for messages and the trace
 * @argv:	NULL-terminated argv; argv[0] an absolute path (see
 *		rc_qemu_find_binary()); QMP must be "-chardev socket,id=qmp,fd=3"
 * @envp:	its environment (see rc_qemu_pkg_runtime()), or NULL for
 *		romcompat's own
 * @stderr_path: file in the run directory that receives what was kept of
 *		QEMU's stderr when it is freed
 * @error:	set when the process cannot be created
 *
 * QEMU's stderr is read through a pipe as it comes and kept within
 * RC_CHILD_OUTPUT_CAP (rc_qemu_read_stderr()): neither a QEMU that writes
 * without end nor a full disk loses the lines that explain a failure.
 *
 * Return: the child, with @qmp_fd set to romcompat's end of QMP
 */
RcQemu *rc_qemu_spawn(const char *label, const char *const *argv, const char *const *envp,
		      const char *stderr_path, GError **error)
{
	RcChildStart start = {.argv = argv, .envp = envp, .fds = {-1, -1, -1, -1}};
	RcQemu *qemu;
	int sv[2];
	int err[2];
	pid_t pid;

	rc_trace_argv(label, argv);
	for (guint i = 0; envp && envp[i]; i++)
		if (g_str_has_prefix(envp[i], "QEMU_"))
			rc_trace("%s: %s", label, envp[i]);
	if (pipe2(err, O_CLOEXEC) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot make a pipe for QEMU's error output: %s", g_strerror(errno));
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make a QMP socketpair: %s",
			    g_strerror(errno));
		close(err[0]);
		close(err[1]);
		return NULL;
	}
	start.fds[STDERR_FILENO] = err[1];
	start.fds[RC_QEMU_QMP_FD] = sv[1];
	pid = rc_child_start(&start, error);
	close(sv[1]);
	close(err[1]);
	if (pid < 0) {
		close(sv[0]);
		close(err[0]);
		return NULL;
	}
	qemu = g_new0(RcQemu, 1);
	qemu->label = g_strdup(label);
	qemu->stderr_path = g_strdup(stderr_path);
	qemu->pid = pid;
	qemu->qmp_fd = sv[0];
	rc_trace("%s: pid %d", label, (int)pid);
	qemu->stderr_drain = rc_child_drain_new(err[0], RC_CHILD_OUTPUT_CAP, error);
	if (!qemu->stderr_drain) {
		rc_qemu_free(qemu);
		return NULL;
	}
	return qemu;
}

static void record_status(RcQemu *qemu, int status, gboolean we_killed)
{
	if (WIFEXITED(status)) {
		qemu->end = RC_QEMU_EXITED;
		qemu->exit_code = WEXITSTATUS(status);
	} else if (we_killed) {
		qemu->end = WTERMSIG(status) == SIGKILL ? RC_QEMU_KILLED : RC_QEMU_STOPPED;
		qemu->signal = WTERMSIG(status);
	} else {
		qemu->end = RC_QEMU_SIGNALED;
		qemu->signal = WTERMSIG(status);
	}
	rc_child_end_group(qemu->pid);
	rc_trace("%s: pid %d ended (%s %d)", qemu->label, (int)qemu->pid,
		 WIFEXITED(status) ? "exit" : "signal",
		 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

static gboolean wait_until(RcQemu *qemu, gint64 deadline, gboolean we_killed)
{
	for (;;) {
		int status;
		pid_t r = waitpid(qemu->pid, &status, WNOHANG);

		if (r == qemu->pid) {
			record_status(qemu, status, we_killed);
			return TRUE;
		}
		if (r < 0 && errno != EINTR) {
			/* Reaped elsewhere, or not our child: nothing left to wait for. */
			qemu->end = RC_QEMU_EXITED;
			rc_child_end_group(qemu->pid);
			return TRUE;
		}
		if (g_get_monotonic_time() >= deadline)
			return FALSE;
		g_usleep(500);
	}
}

/**
 * rc_qemu_wait() - wait for a QEMU to end by itself
 * @qemu:	the child
 * @deadline:	monotonic time (µs) to give up at
 *
 * Return: TRUE when it ended (see @qemu->end), FALSE at the deadline
 */
gboolean rc_qemu_wait(RcQemu *qemu, gint64 deadline)
{
	if (qemu->end != RC_QEMU_RUNNING)
		return TRUE;
	return wait_until(qemu, deadline, FALSE);
}

/**
 * rc_qemu_stop() - stop and reap a QEMU
 * @qemu:	the child
 * @grace_us:	how long SIGTERM may take before SIGKILL
 *
 * The whole process group is signalled, so nothing QEMU started survives;
 * a group whose leader already ended was killed when the leader was
 * reaped (rc_child_end_group()).
 */
void rc_qemu_stop(RcQemu *qemu, gint64 grace_us)
{
	if (qemu->end != RC_QEMU_RUNNING)
		return;
	if (wait_until(qemu, 0, FALSE))
		return;
	kill(-qemu->pid, SIGTERM);
	if (wait_until(qemu, g_get_monotonic_time() + grace_us, TRUE))
		return;
	kill(-qemu->pid, SIGKILL);
	wait_until(qemu, G_MAXINT64, TRUE);
}

/**
 * rc_qemu_read_stderr() - what QEMU printed on stderr so far
 * @qemu:	the child
 * @lost:	set to TRUE when some of it could not be read, or NULL
 *
 * Return: the text (possibly empty), within RC_CHILD_OUTPUT_CAP: the first
 * and last lines and a note of what was left out; newly allocated
 */
char *rc_qemu_read_stderr(RcQemu *qemu, gboolean *lost)
{
	if (lost)
		*lost = FALSE;
	return qemu->stderr_drain ? rc_child_drain_text(qemu->stderr_drain, lost) : g_strdup("");
}

/* What was kept of QEMU's stderr, into the run directory for a person. */
static void keep_stderr(RcQemu *qemu)
{
	g_autofree char *text = rc_qemu_read_stderr(qemu, NULL);
	g_autoptr(GError) local = NULL;

	if (qemu->stderr_path && !g_file_set_contents(qemu->stderr_path, text, -1, &local))
		rc_trace("%s: %s", qemu->label, local->message);
}

/**
 * rc_qemu_describe_end() - how a QEMU ended, in words
 * @qemu:	the child
 *
 * Return: "exit code 1", "killed by signal 9 (Killed)", ...
 */
char *rc_qemu_describe_end(const RcQemu *qemu)
{
	switch (qemu->end) {
	case RC_QEMU_RUNNING:
		return g_strdup("still running");
	case RC_QEMU_EXITED:
		return g_strdup_printf("exit code %d", qemu->exit_code);
	case RC_QEMU_SIGNALED:
		return g_strdup_printf("killed by signal %d (%s)", qemu->signal,
				       g_strsignal(qemu->signal));
	case RC_QEMU_STOPPED:
		return g_strdup("stopped by romcompat");
	case RC_QEMU_KILLED:
		return g_strdup("killed by romcompat after its grace period");
	}
	return g_strdup("unknown");
}

/**
 * rc_qemu_free() - stop, reap and free a QEMU
 * @qemu:	the child, or NULL
 */
void rc_qemu_free(RcQemu *qemu)
{
	if (!qemu)
		return;
	if (qemu->pid > 0)
		rc_qemu_stop(qemu, G_USEC_PER_SEC);
	if (qemu->stderr_drain) {
		keep_stderr(qemu);
		rc_child_drain_free(qemu->stderr_drain);
	}
	if (qemu->qmp_fd >= 0)
		close(qemu->qmp_fd);
	g_free(qemu->label);
	g_free(qemu->stderr_path);
	g_free(qemu);
}

/**
 * rc_qemu_pick_accel() - the accelerator a case runs with
 * @accel:	"tcg" (or NULL), "kvm" or "auto" (KVM when /dev/kvm can be
 *		opened for reading and writing, TCG otherwise)
 * @error:	set when the name is wrong (usage) or KVM was asked for and
 *		cannot be used (infrastructure)
 *
 * Return: "tcg" or "kvm" (static strings), or NULL
 */
const char *rc_qemu_pick_accel(const char *accel, GError **error)
{
	int fd;

	if (!accel || strcmp(accel, "tcg") == 0)
		return "tcg";
	if (strcmp(accel, "kvm") != 0 && strcmp(accel, "auto") != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--accel must be tcg, kvm or auto, not '%s'", accel);
		return NULL;
	}
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return "kvm";
	}
	if (strcmp(accel, "auto") == 0)
		return "tcg";
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
		    "--accel kvm: /dev/kvm: %s (use --accel tcg, or add this user to group kvm)",
		    g_strerror(errno));
	return NULL;
}
