/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_process.c - starting, stopping and reaping QEMU children, so that
 * a QEMU never outlives romcompat.
 *
 * Theory of operation:
 * - A child is forked and exec'd from an argv (never a shell), with the
 *   binary resolved before fork so that only async-signal-safe calls run in
 *   the child.  The child makes its own process group, asks the kernel for
 *   SIGKILL when romcompat dies (PR_SET_PDEATHSIG; fires when the forking
 *   thread ends, so children are forked by the thread that waits for
 *   them), and checks that romcompat did not already die.  stdin and stdout
 *   are /dev/null, stderr goes to a file in the run directory, and one end
 *   of a socketpair becomes fd 3 for QMP (-chardev socket,fd=3): a QEMU that
 *   dies while starting shows up at once as EOF on QMP.
 * - Every live child's process group is in a fixed-size registry of
 *   sig_atomic_t slots.  The SIGINT/SIGTERM/SIGHUP handler kills every
 *   registered group with SIGKILL and records the signal; the command then
 *   sees its QMP connections close, unwinds, removes its run directory and
 *   exits 3.  Signals are blocked between fork and registration.
 * - Stopping is SIGTERM to the group, a grace period against a deadline,
 *   SIGKILL, then waitpid; how the child ended is recorded.
 */
#include "qemu_process.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "debsource.h"
#include "error.h"
#include "qemupkg.h"
#include "trace.h"

#define RC_QEMU_REGISTRY_SIZE 256

static volatile sig_atomic_t registry[RC_QEMU_REGISTRY_SIZE];
static volatile sig_atomic_t interrupted_by;
static GMutex registry_lock;

static void on_signal(int signo)
{
	int saved = errno;

	interrupted_by = signo;
	for (int i = 0; i < RC_QEMU_REGISTRY_SIZE; i++)
		if (registry[i] > 0)
			kill(-(pid_t)registry[i], SIGKILL);
	errno = saved;
}

/**
 * rc_qemu_install_signal_handlers() - make SIGINT, SIGTERM and SIGHUP stop
 * every QEMU child
 *
 * The handler kills the children's process groups and records the signal
 * (rc_qemu_interrupted()); the command unwinds and exits on its own.
 * SIGPIPE is ignored: a closed socket is an error return, not a death.
 */
void rc_qemu_install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/**
 * rc_qemu_interrupted() - the signal that asked romcompat to stop
 *
 * Return: the signal number, or 0
 */
int rc_qemu_interrupted(void)
{
	return interrupted_by;
}

static void registry_set(pid_t old, pid_t new)
{
	g_mutex_lock(&registry_lock);
	for (int i = 0; i < RC_QEMU_REGISTRY_SIZE; i++)
		if (registry[i] == old) {
			registry[i] = new;
			break;
		}
	g_mutex_unlock(&registry_lock);
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
 * rc_qemu_find_binary() - resolve a QEMU binary name or path
 * @name:	"qemu-system-x86_64", a path, or a package
 *		"debian:qemu-system-x86=VERSION", unpacked into the cache
 *		(see rc_qemu_pkg_get())
 * @error:	set when it cannot be run (3), or the package cannot be had
 *		(2 or 3)
 *
 * Return: absolute path, newly allocated
 */
char *rc_qemu_find_binary(const char *name, GError **error)
{
	g_autofree char *path = NULL;

	if (rc_debian_is_source(name)) {
		g_autoptr(RcQemuPkg) pkg = rc_qemu_pkg_get(name, error);

		return pkg ? g_strdup(pkg->binary) : NULL;
	}
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

/* In the child, after fork: async-signal-safe calls only. */
static G_GNUC_NORETURN void exec_child(const char *const *argv, const char *const *envp, int qmp_fd,
				       int err_fd, pid_t parent)
{
	int null_fd;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	null_fd = open("/dev/null", O_RDWR);
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(null_fd, STDOUT_FILENO) < 0 ||
	    dup2(err_fd, STDERR_FILENO) < 0 || dup2(qmp_fd, RC_QEMU_QMP_FD) < 0)
		_exit(127);
	if (envp)
		execve(argv[0], (char *const *)argv, (char *const *)envp);
	else
		execv(argv[0], (char *const *)argv);
	_exit(127);
}

/**
 * rc_qemu_spawn() - start a QEMU
 * @label:	"src"/"dst", for messages and the trace
 * @argv:	NULL-terminated argv; argv[0] an absolute path (see
 *		rc_qemu_find_binary()); QMP must be "-chardev socket,id=qmp,fd=3"
 * @envp:	its environment (see rc_qemu_pkg_runtime()), or NULL for
 *		romcompat's own
 * @stderr_path: file to receive QEMU's stderr
 * @error:	set when the process cannot be created
 *
 * Return: the child, with @qmp_fd set to romcompat's end of QMP
 */
RcQemu *rc_qemu_spawn(const char *label, const char *const *argv, const char *const *envp,
		      const char *stderr_path, GError **error)
{
	RcQemu *qemu;
	int sv[2];
	int err_fd;
	sigset_t all, old;
	pid_t parent = getpid();
	pid_t pid;

	rc_trace_argv(label, argv);
	for (guint i = 0; envp && envp[i]; i++)
		if (g_str_has_prefix(envp[i], "QEMU_"))
			rc_trace("%s: %s", label, envp[i]);
	err_fd = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (err_fd < 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot create %s: %s", stderr_path,
			    g_strerror(errno));
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make a QMP socketpair: %s",
			    g_strerror(errno));
		close(err_fd);
		return NULL;
	}
	/* No signal between fork and registration: the handler must see it. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		exec_child(argv, envp, sv[1], err_fd, parent);
	}
	if (pid > 0) {
		setpgid(pid, pid); /* both sides, so kill(-pid) works at once */
		registry_set(0, pid);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(sv[1]);
	close(err_fd);
	if (pid < 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot start %s: %s", argv[0],
			    g_strerror(errno));
		close(sv[0]);
		return NULL;
	}
	qemu = g_new0(RcQemu, 1);
	qemu->label = g_strdup(label);
	qemu->stderr_path = g_strdup(stderr_path);
	qemu->pid = pid;
	qemu->qmp_fd = sv[0];
	rc_trace("%s: pid %d", label, (int)pid);
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
	registry_set(qemu->pid, 0);
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
			registry_set(qemu->pid, 0);
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
 * The whole process group is signalled, so nothing QEMU started survives.
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
 *
 * Return: the text (possibly empty), newly allocated
 */
char *rc_qemu_read_stderr(const RcQemu *qemu)
{
	char *text = NULL;

	if (!g_file_get_contents(qemu->stderr_path, &text, NULL, NULL))
		return g_strdup("");
	return text;
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
