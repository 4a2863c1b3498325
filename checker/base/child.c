/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * child.c - every child process romcompat runs, QEMU or not: one builder
 * (RcChildCmd), a process group of its own, a registry entry the signal
 * handler reads, output kept within a bound, a deadline.
 *
 * Theory of operation:
 * - There is one way in, in the spirit of libvirt's virCommand: an
 *   RcChildCmd is built (arguments, environment, working directory, a
 *   descriptor for fd 3, deadline, output cap), recording the first thing
 *   that goes wrong, and then either run to its end against its deadline
 *   (rc_child_cmd_run(): apt, a packaged QEMU's -L help) or started to run
 *   beside romcompat until it is stopped (rc_child_cmd_start(): QEMU).
 * - The registry holds the process group of every live child.  The
 *   SIGINT/SIGTERM/SIGHUP handler kills each registered group with SIGKILL
 *   and records the signal.  It is a list of chunks of sig_atomic_t slots:
 *   a chunk is filled in before it is linked (a release store), and never
 *   moved or freed, so the handler can walk it at any moment.  It grows
 *   when full, so registration fails only when memory does; a command
 *   reserves what it will need up front (rc_child_registry_reserve()), so
 *   that registering a child allocates nothing.
 * - A child is forked with every signal blocked until it is registered.
 *   In the child, only async-signal-safe calls: its own process group,
 *   PR_SET_PDEATHSIG (SIGKILL when the forking thread ends), its
 *   descriptors 0 .. 3 and no other, exec.  A failed exec is reported back through a pipe that
 *   exec closes, so "cannot run" is an error of the caller, not a child
 *   that exits 127.
 * - Output goes through pipes and is kept within a bound (RcCapture): the
 *   first and the last bytes, cut at line ends, and a note of how much was
 *   left out.  A child that writes without end costs neither memory nor
 *   disk.  rc_child_cmd_run() reads both pipes in the calling thread;
 *   RcChildDrain reads a started child's stderr in a thread of its own.
 * - A started child is stopped with SIGTERM to its group, a grace period
 *   against a deadline, SIGKILL, then waitpid; how it ended is recorded.
 * - A group outlives its leader when the leader started something and
 *   exited: once the leader is reaped, the group is killed all the same.
 */
#include "base/child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/error.h"
#include "base/trace.h"

/* The first chunk's slots; each further chunk is as large as all before. */
#define REGISTRY_FIRST_CHUNK 64
/* How long a child that was sent SIGTERM may take before SIGKILL. */
#define STOP_GRACE_US (2 * G_USEC_PER_SEC)
/* How long output is still read after the child ended. */
#define LINGER_US (G_USEC_PER_SEC / 2)

typedef struct RegistryChunk RegistryChunk;
struct RegistryChunk {
	RegistryChunk *next;
	guint size;
	volatile sig_atomic_t slots[];
};

static RegistryChunk *registry;
static guint registry_size;
static GMutex registry_lock;
static volatile sig_atomic_t interrupted_by;

static void on_signal(int signo)
{
	int saved = errno;

	interrupted_by = signo;
	for (RegistryChunk *c = __atomic_load_n(&registry, __ATOMIC_ACQUIRE); c;
	     c = __atomic_load_n(&c->next, __ATOMIC_ACQUIRE))
		for (guint i = 0; i < c->size; i++)
			if (c->slots[i] > 0)
				kill(-(pid_t)c->slots[i], SIGKILL);
	errno = saved;
}

/**
 * rc_child_install_signal_handlers() - make SIGINT, SIGTERM and SIGHUP stop
 * every registered child
 *
 * The handler kills the children's process groups and records the signal
 * (rc_child_interrupted()); the command unwinds and exits on its own.
 * SIGPIPE is ignored: a closed pipe or socket is an error return, not a
 * death.
 */
void rc_child_install_signal_handlers(void)
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
 * rc_child_interrupted() - the signal that asked romcompat to stop
 *
 * Return: the signal number, or 0
 */
int rc_child_interrupted(void)
{
	return interrupted_by;
}

/**
 * rc_child_check_interrupted() - an error when a signal asked to stop
 * @error:	set (RC_ERROR_INTERRUPTED) when one did
 *
 * Return: TRUE when no signal came
 */
gboolean rc_child_check_interrupted(GError **error)
{
	int signo = interrupted_by;

	if (!signo)
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_INTERRUPTED,
		    "interrupted by %s; every QEMU was stopped",
		    sigabbrev_np(signo) ? sigabbrev_np(signo) : "a signal");
	return FALSE;
}

/* Link a chunk of @size more slots; under registry_lock. */
static gboolean registry_grow(guint size, GError **error)
{
	RegistryChunk *chunk = g_try_malloc0(sizeof(*chunk) + size * sizeof(sig_atomic_t));
	RegistryChunk **tail = &registry;

	if (!chunk) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "no memory to keep track of %u more child processes", size);
		return FALSE;
	}
	chunk->size = size;
	while (*tail)
		tail = &(*tail)->next;
	__atomic_store_n(tail, chunk, __ATOMIC_RELEASE);
	registry_size += size;
	return TRUE;
}

/**
 * rc_child_registry_reserve() - make room for @slots children at once
 * @slots:	how many children may live at the same time
 * @error:	set when there is no memory for them
 *
 * A command calls this before it starts children (2 QEMUs per worker and
 * a few more), so that registering a child never allocates.
 *
 * Return: TRUE when the registry holds at least @slots
 */
gboolean rc_child_registry_reserve(guint slots, GError **error)
{
	gboolean ok = TRUE;

	g_mutex_lock(&registry_lock);
	if (registry_size < slots)
		ok = registry_grow(MAX(slots - registry_size, REGISTRY_FIRST_CHUNK), error);
	g_mutex_unlock(&registry_lock);
	return ok;
}

/**
 * rc_child_registry_capacity() - how many children the registry holds
 *
 * Return: its number of slots, used or not
 */
guint rc_child_registry_capacity(void)
{
	guint size;

	g_mutex_lock(&registry_lock);
	size = registry_size;
	g_mutex_unlock(&registry_lock);
	return size;
}

/* The slot holding @pid (0: a free one), or NULL; under registry_lock. */
static volatile sig_atomic_t *registry_find(pid_t pid)
{
	for (RegistryChunk *c = registry; c; c = c->next)
		for (guint i = 0; i < c->size; i++)
			if (c->slots[i] == pid)
				return &c->slots[i];
	return NULL;
}

/**
 * rc_child_register() - let the signal handler kill a process group
 * @pgid:	the group (its leader's pid)
 * @error:	set when the registry cannot grow
 *
 * Return: TRUE when registered
 */
gboolean rc_child_register(pid_t pgid, GError **error)
{
	volatile sig_atomic_t *slot;
	gboolean ok = TRUE;

	g_mutex_lock(&registry_lock);
	slot = registry_find(0);
	if (!slot && (ok = registry_grow(MAX(registry_size, REGISTRY_FIRST_CHUNK), error)))
		slot = registry_find(0);
	if (slot)
		*slot = pgid;
	g_mutex_unlock(&registry_lock);
	return ok;
}

/**
 * rc_child_unregister() - forget a process group that is gone
 * @pgid:	the group
 */
void rc_child_unregister(pid_t pgid)
{
	volatile sig_atomic_t *slot;

	g_mutex_lock(&registry_lock);
	slot = registry_find(pgid);
	if (slot)
		*slot = 0;
	g_mutex_unlock(&registry_lock);
}

/**
 * rc_child_end_group() - kill what is left of a reaped child's group
 * @pgid:	the group, whose leader romcompat reaped
 *
 * Whatever the leader started in its group and left behind is killed;
 * then the group is forgotten.
 *
 * Return: TRUE when some member was still there
 */
gboolean rc_child_end_group(pid_t pgid)
{
	gboolean left = kill(-pgid, SIGKILL) == 0;

	if (left)
		rc_trace("process group %d outlived its leader: killed", (int)pgid);
	rc_child_unregister(pgid);
	return left;
}

struct RcCapture {
	gsize half;
	GString *head;
	char *ring;
	gsize ring_pos;
	gsize ring_len;
	guint64 total;
};

/**
 * rc_capture_new() - an empty capture
 * @cap:	bytes kept at most: the first @cap / 2 and the last @cap / 2
 *
 * Return: the capture
 */
RcCapture *rc_capture_new(gsize cap)
{
	RcCapture *capture = g_new0(RcCapture, 1);

	capture->half = MAX(cap / 2, 1);
	capture->head = g_string_new(NULL);
	return capture;
}

/**
 * rc_capture_append() - add output to a capture
 * @capture:	the capture
 * @data:	bytes read from the child
 * @len:	how many
 */
void rc_capture_append(RcCapture *capture, const char *data, gsize len)
{
	gsize room = capture->half - MIN(capture->head->len, capture->half);
	gsize take = MIN(room, len);

	capture->total += len;
	g_string_append_len(capture->head, data, (gssize)take);
	data += take;
	len -= take;
	if (!len)
		return;
	if (!capture->ring)
		capture->ring = g_malloc(capture->half);
	if (len > capture->half) {
		data += len - capture->half;
		len = capture->half;
	}
	while (len) {
		gsize n = MIN(len, capture->half - capture->ring_pos);

		memcpy(capture->ring + capture->ring_pos, data, n);
		capture->ring_pos = (capture->ring_pos + n) % capture->half;
		capture->ring_len = MIN(capture->ring_len + n, capture->half);
		data += n;
		len -= n;
	}
}

/**
 * rc_capture_total() - how many bytes the child wrote
 * @capture:	the capture
 *
 * Return: every byte appended, kept or not
 */
guint64 rc_capture_total(const RcCapture *capture)
{
	return capture->total;
}

/* The ring's bytes, oldest first. */
static GString *ring_text(const RcCapture *capture)
{
	GString *tail = g_string_sized_new(capture->ring_len);
	gsize start = (capture->ring_pos + capture->half - capture->ring_len) % capture->half;
	gsize first = MIN(capture->ring_len, capture->half - start);

	g_string_append_len(tail, capture->ring + start, (gssize)first);
	g_string_append_len(tail, capture->ring, (gssize)(capture->ring_len - first));
	return tail;
}

/**
 * rc_capture_text() - what a capture kept, as text
 * @capture:	the capture
 *
 * When bytes were left out, the first lines and the last lines are kept
 * whole (the partial lines at the cut go too) and a line between them says
 * how many bytes are missing.  NUL bytes become spaces.
 *
 * Return: the text, newly allocated
 */
char *rc_capture_text(const RcCapture *capture)
{
	GString *text = g_string_new_len(capture->head->str, (gssize)capture->head->len);
	g_autoptr(GString) tail = NULL;
	guint64 cut = capture->total - capture->head->len - capture->ring_len;

	if (capture->ring_len)
		tail = ring_text(capture);
	if (cut && tail) {
		const char *nl = memrchr(text->str, '\n', text->len);
		const char *tnl = memchr(tail->str, '\n', tail->len);

		if (nl) {
			cut += text->len - (gsize)(nl + 1 - text->str);
			g_string_truncate(text, (gsize)(nl + 1 - text->str));
		}
		if (tnl && (gsize)(tnl + 1 - tail->str) < tail->len) {
			cut += (guint64)(tnl + 1 - tail->str);
			g_string_erase(tail, 0, tnl + 1 - tail->str);
		}
		if (text->len && text->str[text->len - 1] != '\n')
			g_string_append_c(text, '\n');
		g_string_append_printf(text,
				       "[... %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
				       " bytes of output left out ...]\n",
				       cut, capture->total);
	}
	if (tail)
		g_string_append_len(text, tail->str, (gssize)tail->len);
	for (gsize i = 0; i < text->len; i++)
		if (text->str[i] == '\0')
			text->str[i] = ' ';
	return g_string_free(text, FALSE);
}

/**
 * rc_capture_free() - free a capture
 * @capture:	the capture, or NULL
 */
void rc_capture_free(RcCapture *capture)
{
	if (!capture)
		return;
	g_string_free(capture->head, TRUE);
	g_free(capture->ring);
	g_free(capture);
}

/*
 * How to exec a child: argv, environment, working directory, and the
 * descriptors that become its 0, 1, 2 and 3 (-1: /dev/null for 0 .. 2,
 * nothing for 3).
 */
typedef struct {
	const char *const *argv;
	const char *const *envp;
	const char *cwd;
	int fds[4];
} Exec;

/* In the child, after fork: async-signal-safe calls only. */
static G_GNUC_NORETURN void exec_child(const Exec *start, int report_fd, pid_t parent)
{
	int moved[4];
	int err;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	/* Out of the way of 0 .. 3 first, so no dup2() overwrites a source. */
	for (int i = 0; i < 4; i++) {
		int fd = start->fds[i];

		if (fd < 0 && i < 3)
			fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		moved[i] = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 10) : -1;
		if (fd >= 0 && moved[i] < 0)
			goto fail;
	}
	for (int i = 0; i < 4; i++)
		if (moved[i] >= 0 && dup2(moved[i], i) < 0)
			goto fail;
	/* Nothing romcompat inherited reaches the child (best effort: Linux 5.11). */
	close_range(start->fds[3] >= 0 ? 4 : 3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (start->cwd && chdir(start->cwd) != 0)
		goto fail;
	if (start->envp)
		execve(start->argv[0], (char *const *)start->argv, (char *const *)start->envp);
	else
		execv(start->argv[0], (char *const *)start->argv);
fail:
	err = errno;
	if (write(report_fd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

/* The errno of a failed exec, 0 when the child runs its program. */
static int exec_result(int report_fd)
{
	int err = 0;
	ssize_t n;

	do
		n = read(report_fd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(err) ? err : 0;
}

/* Fork with every signal blocked until the child is registered. */
static pid_t fork_registered(const Exec *start, int report[2], GError **error)
{
	sigset_t all, old;
	pid_t parent = getpid();
	pid_t pid;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		close(report[0]);
		exec_child(start, report[1], parent);
	}
	if (pid > 0) {
		setpgid(pid, pid); /* both sides, so kill(-pid) works at once */
		if (!rc_child_register(pid, error)) {
			kill(-pid, SIGKILL);
			waitpid(pid, NULL, 0);
			pid = -1;
		}
	} else {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot start %s: %s", start->argv[0],
			    g_strerror(errno));
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return pid;
}

/*
 * Start a child in a process group of its own, registered (see
 * rc_child_register()) before any signal can be handled; the caller reaps
 * it and then calls rc_child_end_group().  Its pid, or -1.
 */
static pid_t exec_start(const Exec *start, GError **error)
{
	int report[2];
	pid_t pid;
	int err;

	if (pipe2(report, O_CLOEXEC) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot start %s: %s", start->argv[0],
			    g_strerror(errno));
		return -1;
	}
	pid = fork_registered(start, report, error);
	close(report[1]);
	err = pid > 0 ? exec_result(report[0]) : 0;
	close(report[0]);
	if (err) {
		waitpid(pid, NULL, 0);
		rc_child_end_group(pid);
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot run %s: %s", start->argv[0],
			    g_strerror(err));
		return -1;
	}
	return pid;
}

/* Read what @fd has now into @capture; FALSE at end of file or error. */
static gboolean read_available(int fd, RcCapture *capture, gboolean *lost)
{
	char buf[16384];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			rc_capture_append(capture, buf, (gsize)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return TRUE;
		if (n < 0 && lost)
			*lost = TRUE;
		return FALSE;
	}
}

struct RcChildDrain {
	int fd;
	GMutex lock;
	RcCapture *capture;
	gboolean open;
	gboolean lost;
	gint stop;
	GThread *thread;
};

static gpointer drain_thread(gpointer data)
{
	RcChildDrain *drain = data;

	while (!g_atomic_int_get(&drain->stop)) {
		struct pollfd p = {.fd = drain->fd, .events = POLLIN};
		int r = poll(&p, 1, 100);

		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		g_mutex_lock(&drain->lock);
		if (drain->open)
			drain->open = read_available(drain->fd, drain->capture, &drain->lost);
		g_mutex_unlock(&drain->lock);
		if (!drain->open)
			break;
	}
	return NULL;
}

/**
 * rc_child_drain_new() - read a pipe into a capture, in a thread
 * @fd:		the pipe's read end; the drain owns it
 * @cap:	bytes kept (see rc_capture_new())
 * @error:	set when no thread can be started
 *
 * Return: the drain, or NULL (@fd closed)
 */
RcChildDrain *rc_child_drain_new(int fd, gsize cap, GError **error)
{
	RcChildDrain *drain = g_new0(RcChildDrain, 1);
	g_autoptr(GError) local = NULL;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	drain->fd = fd;
	drain->open = TRUE;
	drain->capture = rc_capture_new(cap);
	g_mutex_init(&drain->lock);
	drain->thread = g_thread_try_new("child-output", drain_thread, drain, &local);
	if (!drain->thread) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot start a thread to read a child's output: %s", local->message);
		rc_child_drain_free(drain);
		return NULL;
	}
	return drain;
}

/**
 * rc_child_drain_text() - what the pipe carried so far
 * @drain:	the drain
 * @lost:	set to TRUE when reading failed and output was lost, or NULL
 *
 * What is in the pipe now is read first, so a child that has ended is
 * read to its last line.
 *
 * Return: the text within the cap (rc_capture_text()), newly allocated
 */
char *rc_child_drain_text(RcChildDrain *drain, gboolean *lost)
{
	char *text;

	g_mutex_lock(&drain->lock);
	if (drain->open)
		drain->open = read_available(drain->fd, drain->capture, &drain->lost);
	text = rc_capture_text(drain->capture);
	if (lost)
		*lost = drain->lost;
	g_mutex_unlock(&drain->lock);
	return text;
}

/**
 * rc_child_drain_free() - stop reading, close the pipe, free the drain
 * @drain:	the drain, or NULL
 */
void rc_child_drain_free(RcChildDrain *drain)
{
	if (!drain)
		return;
	g_atomic_int_set(&drain->stop, 1);
	if (drain->thread)
		g_thread_join(drain->thread);
	close(drain->fd);
	rc_capture_free(drain->capture);
	g_mutex_clear(&drain->lock);
	g_free(drain);
}

/* One rc_child_cmd_run(): the child, its pipes and what they carried. */
typedef struct {
	pid_t pid;
	int fds[2];
	RcCapture *captures[2];
	gboolean reaped;
	int status;
} Run;

/* Read the pipes until @until, or until both are closed. */
static void pump(Run *run, gint64 until)
{
	struct pollfd p[2];
	nfds_t n = 0;
	gint64 left = until - g_get_monotonic_time();
	int ms = (int)CLAMP(left / 1000, 0, 100);

	for (int i = 0; i < 2; i++)
		if (run->fds[i] >= 0)
			p[n++] = (struct pollfd){.fd = run->fds[i], .events = POLLIN};
	if (poll(n ? p : NULL, n, ms) <= 0)
		return;
	for (nfds_t k = 0; k < n; k++) {
		int i = p[k].fd == run->fds[0] ? 0 : 1;

		if (p[k].revents && !read_available(run->fds[i], run->captures[i], NULL)) {
			close(run->fds[i]);
			run->fds[i] = -1;
		}
	}
}

static gboolean try_reap(Run *run, gint64 until)
{
	while (!run->reaped) {
		pid_t r = waitpid(run->pid, &run->status, WNOHANG);

		if (r == run->pid || (r < 0 && errno != EINTR))
			run->reaped = TRUE;
		else if (g_get_monotonic_time() >= until)
			break;
		else
			pump(run, until);
	}
	return run->reaped;
}

/* Run to the deadline; stop the group past it.  TRUE when it timed out. */
static gboolean follow(Run *run, gint64 deadline)
{
	if (try_reap(run, deadline))
		return FALSE;
	kill(-run->pid, SIGTERM);
	if (!try_reap(run, g_get_monotonic_time() + STOP_GRACE_US)) {
		kill(-run->pid, SIGKILL);
		try_reap(run, G_MAXINT64);
	}
	return TRUE;
}

struct RcChildCmd {
	char *what;
	GPtrArray *argv;
	GStrv envp;
	char *cwd;
	gboolean search_path;
	gint64 timeout_us;
	gsize output_cap;
	int pass_fd;
	gboolean used;
	GError *error;
};

/* Record the first thing that went wrong while building; later ones add nothing. */
static G_GNUC_PRINTF(2, 3) void command_fail(RcChildCmd *cmd, const char *format, ...)
{
	va_list ap;

	if (cmd->error)
		return;
	va_start(ap, format);
	cmd->error = g_error_new_valist(RC_ERROR, RC_ERROR_INFRA, format, ap);
	va_end(ap);
}

/**
 * rc_child_cmd_new() - a command to build
 * @what:	what it is, for messages and the trace ("apt", "src", ...)
 * @program:	argv[0]: a path, or a name looked up in PATH when
 *		rc_child_cmd_search_path() is called
 *
 * Return: the command, with no deadline, no output cap, no descriptor
 * passed, romcompat's environment and working directory
 */
RcChildCmd *rc_child_cmd_new(const char *what, const char *program)
{
	RcChildCmd *cmd = g_new0(RcChildCmd, 1);

	cmd->what = g_strdup(what);
	cmd->argv = g_ptr_array_new_null_terminated(8, g_free, TRUE);
	cmd->pass_fd = -1;
	if (!program)
		command_fail(cmd, "%s: no program to run", what);
	g_ptr_array_add(cmd->argv, g_strdup(program ? program : ""));
	return cmd;
}

/**
 * rc_child_cmd_add_arg() - add one argument
 * @cmd:	the command
 * @arg:	the argument, as it is; NULL records an error
 */
void rc_child_cmd_add_arg(RcChildCmd *cmd, const char *arg)
{
	if (!arg) {
		command_fail(cmd, "%s: argument %u is missing", cmd->what, cmd->argv->len);
		return;
	}
	g_ptr_array_add(cmd->argv, g_strdup(arg));
}

/**
 * rc_child_cmd_add_argf() - add one argument made from a format
 * @cmd:	the command
 * @format:	printf format of the argument
 * @...:	its values
 */
void rc_child_cmd_add_argf(RcChildCmd *cmd, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	g_ptr_array_add(cmd->argv, g_strdup_vprintf(format, ap));
	va_end(ap);
}

/**
 * rc_child_cmd_add_args() - add arguments
 * @cmd:	the command
 * @args:	NULL-terminated, or NULL for none
 */
void rc_child_cmd_add_args(RcChildCmd *cmd, const char *const *args)
{
	for (guint i = 0; args && args[i]; i++)
		rc_child_cmd_add_arg(cmd, args[i]);
}

/**
 * rc_child_cmd_set_env() - the child's whole environment
 * @cmd:	the command
 * @envp:	NAME=VALUE entries, NULL-terminated; NULL for romcompat's own
 */
void rc_child_cmd_set_env(RcChildCmd *cmd, const char *const *envp)
{
	for (guint i = 0; envp && envp[i]; i++)
		if (!strchr(envp[i], '='))
			command_fail(cmd, "%s: environment entry '%s' has no '='", cmd->what,
				     envp[i]);
	g_strfreev(cmd->envp);
	cmd->envp = g_strdupv((char **)envp);
}

/**
 * rc_child_cmd_set_cwd() - the child's working directory
 * @cmd:	the command
 * @cwd:	a directory, or NULL for romcompat's own
 */
void rc_child_cmd_set_cwd(RcChildCmd *cmd, const char *cwd)
{
	g_free(cmd->cwd);
	cmd->cwd = g_strdup(cwd);
}

/**
 * rc_child_cmd_search_path() - look the program up in PATH when it has no '/'
 * @cmd:	the command
 */
void rc_child_cmd_search_path(RcChildCmd *cmd)
{
	cmd->search_path = TRUE;
}

/**
 * rc_child_cmd_set_timeout() - how long rc_child_cmd_run() lets the child run
 * @cmd:	the command
 * @timeout_us: microseconds, more than 0
 */
void rc_child_cmd_set_timeout(RcChildCmd *cmd, gint64 timeout_us)
{
	if (timeout_us <= 0)
		command_fail(cmd, "%s: a deadline must lie ahead", cmd->what);
	cmd->timeout_us = timeout_us;
}

/**
 * rc_child_cmd_set_output_cap() - how much of the child's output is kept
 * @cmd:	the command
 * @cap:	bytes of each of stdout and stderr kept (the first and the last
 *		half); for a started child, its stderr is captured only when
 *		this is set, and is /dev/null otherwise
 */
void rc_child_cmd_set_output_cap(RcChildCmd *cmd, gsize cap)
{
	cmd->output_cap = cap;
}

/**
 * rc_child_cmd_pass_fd() - give the child a descriptor as its fd 3
 * @cmd:	the command, which owns @fd from now on and closes it once the
 *		child is started (or when it is freed)
 * @fd:		the descriptor; a second one, or -1, records an error
 */
void rc_child_cmd_pass_fd(RcChildCmd *cmd, int fd)
{
	if (fd < 0 || cmd->pass_fd >= 0) {
		command_fail(cmd, "%s: %s", cmd->what,
			     fd < 0 ? "no descriptor to pass" : "only one descriptor is passed");
		if (fd >= 0)
			close(fd);
		return;
	}
	cmd->pass_fd = fd;
}

/**
 * rc_child_cmd_what() - what the command is, as given to rc_child_cmd_new()
 * @cmd:	the command
 *
 * Return: the name, owned by @cmd
 */
const char *rc_child_cmd_what(const RcChildCmd *cmd)
{
	return cmd->what;
}

/**
 * rc_child_cmd_argv() - the argv built so far
 * @cmd:	the command
 *
 * Return: NULL-terminated, owned by @cmd
 */
const char *const *rc_child_cmd_argv(const RcChildCmd *cmd)
{
	return (const char *const *)cmd->argv->pdata;
}

/**
 * rc_child_cmd_free() - free a command (and a descriptor it still holds)
 * @cmd:	the command, or NULL
 */
void rc_child_cmd_free(RcChildCmd *cmd)
{
	if (!cmd)
		return;
	if (cmd->pass_fd >= 0)
		close(cmd->pass_fd);
	g_free(cmd->what);
	g_ptr_array_unref(cmd->argv);
	g_strfreev(cmd->envp);
	g_free(cmd->cwd);
	g_clear_error(&cmd->error);
	g_free(cmd);
}

/*
 * Ready to exec: the error recorded while building reported (once), the
 * command used up, argv[0] looked up in PATH when asked, the argv traced.
 */
static gboolean command_prepare(RcChildCmd *cmd, GError **error)
{
	const char *name = g_ptr_array_index(cmd->argv, 0);
	char *path;

	if (cmd->used)
		command_fail(cmd, "%s: a command runs once", cmd->what);
	cmd->used = TRUE;
	if (cmd->error) {
		g_propagate_error(error, g_steal_pointer(&cmd->error));
		return FALSE;
	}
	path = cmd->search_path && !strchr(name, '/') ? g_find_program_in_path(name)
						      : g_strdup(name);
	if (!path) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot run %s: not found in PATH",
			    name);
		return FALSE;
	}
	g_free(g_ptr_array_index(cmd->argv, 0));
	g_ptr_array_index(cmd->argv, 0) = path;
	rc_trace_argv(cmd->what, rc_child_cmd_argv(cmd));
	return TRUE;
}

static Exec command_exec(const RcChildCmd *cmd)
{
	return (Exec){.argv = rc_child_cmd_argv(cmd),
		      .envp = (const char *const *)cmd->envp,
		      .cwd = cmd->cwd,
		      .fds = {-1, -1, -1, cmd->pass_fd}};
}
static gboolean open_pipes(int out[2], int err[2], GError **error)
{
	if (pipe2(out, O_CLOEXEC) == 0) {
		if (pipe2(err, O_CLOEXEC) == 0) {
			fcntl(out[0], F_SETFL, O_NONBLOCK);
			fcntl(err[0], F_SETFL, O_NONBLOCK);
			return TRUE;
		}
		close(out[0]);
		close(out[1]);
	}
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make a pipe: %s", g_strerror(errno));
	return FALSE;
}

static RcChildResult *result_of(Run *run, gboolean timed_out)
{
	RcChildResult *result = g_new0(RcChildResult, 1);

	if (timed_out) {
		result->end = RC_CHILD_TIMED_OUT;
	} else if (WIFEXITED(run->status)) {
		result->end = RC_CHILD_EXITED;
		result->exit_code = WEXITSTATUS(run->status);
	} else {
		result->end = RC_CHILD_SIGNALED;
		result->signal = WTERMSIG(run->status);
	}
	result->out = rc_capture_text(run->captures[0]);
	result->err = rc_capture_text(run->captures[1]);
	return result;
}

/* Read what is left in the pipes once the child is reaped, for a moment. */
static void linger(Run *run)
{
	gint64 until = g_get_monotonic_time() + LINGER_US;

	while ((run->fds[0] >= 0 || run->fds[1] >= 0) && g_get_monotonic_time() < until)
		pump(run, until);
	for (int i = 0; i < 2; i++)
		if (run->fds[i] >= 0)
			close(run->fds[i]);
}

/**
 * rc_child_cmd_run() - run a command to its end, against its deadline
 * @cmd:	the command, with a deadline (rc_child_cmd_set_timeout()); used up
 * @error:	set when it was built wrong, cannot be run, or a signal asked
 *		romcompat to stop (RC_ERROR_INTERRUPTED; the child was killed)
 *
 * The child has its own process group, is registered for the signal
 * handler, and dies with romcompat (PR_SET_PDEATHSIG).  Its stdin is
 * /dev/null; stdout and stderr are read as they come, kept within the
 * output cap each.  Past the deadline its group gets SIGTERM, a grace
 * period, then SIGKILL; whatever of the group outlives the leader is
 * killed too.  Never a shell.
 *
 * Return: how it ended, or NULL
 */
RcChildResult *rc_child_cmd_run(RcChildCmd *cmd, GError **error)
{
	Run run = {.fds = {-1, -1}};
	RcChildResult *result;
	Exec start;
	int out[2], err[2];
	gboolean timed_out;

	if (cmd->timeout_us <= 0)
		command_fail(cmd, "%s: no deadline to run against", cmd->what);
	if (!command_prepare(cmd, error) || !open_pipes(out, err, error))
		return NULL;
	start = command_exec(cmd);
	start.fds[1] = out[1];
	start.fds[2] = err[1];
	run.pid = exec_start(&start, error);
	close(out[1]);
	close(err[1]);
	if (run.pid < 0) {
		close(out[0]);
		close(err[0]);
		return NULL;
	}
	run.fds[0] = out[0];
	run.fds[1] = err[0];
	run.captures[0] = rc_capture_new(cmd->output_cap);
	run.captures[1] = rc_capture_new(cmd->output_cap);
	timed_out = follow(&run, g_get_monotonic_time() + cmd->timeout_us);
	rc_child_end_group(run.pid);
	linger(&run);
	result = result_of(&run, timed_out);
	result->timeout_us = cmd->timeout_us;
	rc_capture_free(run.captures[0]);
	rc_capture_free(run.captures[1]);
	rc_trace("%s: pid %d ended (%s)", cmd->what, (int)run.pid,
		 timed_out			  ? "timed out"
		 : result->end == RC_CHILD_EXITED ? "exit"
						  : "signal");
	if (result->end != RC_CHILD_EXITED && !rc_child_check_interrupted(error)) {
		rc_child_result_free(result);
		return NULL;
	}
	return result;
}

/**
 * rc_child_succeeded() - whether a child exited with 0
 * @result:	how it ran
 *
 * Return: TRUE for exit code 0
 */
gboolean rc_child_succeeded(const RcChildResult *result)
{
	return result->end == RC_CHILD_EXITED && result->exit_code == 0;
}

/**
 * rc_child_describe() - how a child run to its end ended, in words
 * @result:	how it ran
 *
 * Return: "exited with code 1", "was killed by signal 11 (Segmentation
 * fault)", "did not end within 30 s and was stopped", newly allocated
 */
char *rc_child_describe(const RcChildResult *result)
{
	switch (result->end) {
	case RC_CHILD_EXITED:
		return g_strdup_printf("exited with code %d", result->exit_code);
	case RC_CHILD_SIGNALED:
		return g_strdup_printf("was killed by signal %d (%s)", result->signal,
				       g_strsignal(result->signal));
	default:
		break;
	}
	return g_strdup_printf("did not end within %.0f s and was stopped",
			       (double)result->timeout_us / G_USEC_PER_SEC);
}

/**
 * rc_child_result_free() - free a result
 * @result:	the result, or NULL
 */
void rc_child_result_free(RcChildResult *result)
{
	if (!result)
		return;
	g_free(result->out);
	g_free(result->err);
	g_free(result);
}

/**
 * rc_child_cmd_start() - start a command to run beside romcompat
 * @cmd:	the command; used up (a descriptor passed is closed here)
 * @error:	set when it was built wrong or cannot be started
 *
 * Its own process group, registered before any signal is handled,
 * PR_SET_PDEATHSIG (which fires when the forking thread ends: fork from
 * the thread that waits for the child).  stdin and stdout are /dev/null;
 * stderr goes through a pipe read by a thread of its own into a capture of
 * the command's output cap (rc_child_read_stderr()), or to /dev/null when
 * the command has none; the descriptor passed becomes fd 3.
 *
 * Return: the running child, to stop with rc_child_stop() or free
 */
RcChild *rc_child_cmd_start(RcChildCmd *cmd, GError **error)
{
	RcChild *child;
	Exec start;
	int err[2] = {-1, -1};
	pid_t pid;

	if (!command_prepare(cmd, error))
		return NULL;
	if (cmd->output_cap && pipe2(err, O_CLOEXEC) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot make a pipe for the error output of %s: %s", cmd->what,
			    g_strerror(errno));
		return NULL;
	}
	start = command_exec(cmd);
	start.fds[2] = err[1];
	pid = exec_start(&start, error);
	if (err[1] >= 0)
		close(err[1]);
	if (cmd->pass_fd >= 0)
		close(cmd->pass_fd);
	cmd->pass_fd = -1;
	if (pid < 0) {
		if (err[0] >= 0)
			close(err[0]);
		return NULL;
	}
	child = g_new0(RcChild, 1);
	child->what = g_strdup(cmd->what);
	child->pid = pid;
	rc_trace("%s: pid %d", child->what, (int)pid);
	if (err[0] >= 0 &&
	    !(child->stderr_drain = rc_child_drain_new(err[0], cmd->output_cap, error))) {
		rc_child_free(child);
		return NULL;
	}
	return child;
}

static void record_status(RcChild *child, int status, gboolean we_killed)
{
	if (WIFEXITED(status)) {
		child->end = RC_CHILD_EXITED;
		child->exit_code = WEXITSTATUS(status);
	} else if (we_killed) {
		child->end = WTERMSIG(status) == SIGKILL ? RC_CHILD_KILLED : RC_CHILD_STOPPED;
		child->signal = WTERMSIG(status);
	} else {
		child->end = RC_CHILD_SIGNALED;
		child->signal = WTERMSIG(status);
	}
	rc_child_end_group(child->pid);
	rc_trace("%s: pid %d ended (%s %d)", child->what, (int)child->pid,
		 WIFEXITED(status) ? "exit" : "signal",
		 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

static gboolean wait_until(RcChild *child, gint64 deadline, gboolean we_killed)
{
	for (;;) {
		int status;
		pid_t r = waitpid(child->pid, &status, WNOHANG);

		if (r == child->pid) {
			record_status(child, status, we_killed);
			return TRUE;
		}
		if (r < 0 && errno != EINTR) {
			/* Reaped elsewhere, or not our child: nothing left to wait for. */
			child->end = RC_CHILD_EXITED;
			rc_child_end_group(child->pid);
			return TRUE;
		}
		if (g_get_monotonic_time() >= deadline)
			return FALSE;
		g_usleep(500);
	}
}

/**
 * rc_child_wait() - wait for a started child to end by itself
 * @child:	the child
 * @deadline:	monotonic time (µs) to give up at
 *
 * Return: TRUE when it ended (see @child->end), FALSE at the deadline
 */
gboolean rc_child_wait(RcChild *child, gint64 deadline)
{
	if (child->end != RC_CHILD_RUNNING)
		return TRUE;
	return wait_until(child, deadline, FALSE);
}

/**
 * rc_child_stop() - stop and reap a started child
 * @child:	the child
 * @grace_us:	how long SIGTERM may take before SIGKILL
 *
 * The whole process group is signalled, so nothing the child started
 * survives; a group whose leader already ended was killed when the leader
 * was reaped (rc_child_end_group()).
 */
void rc_child_stop(RcChild *child, gint64 grace_us)
{
	if (child->end != RC_CHILD_RUNNING)
		return;
	if (wait_until(child, 0, FALSE))
		return;
	kill(-child->pid, SIGTERM);
	if (wait_until(child, g_get_monotonic_time() + grace_us, TRUE))
		return;
	kill(-child->pid, SIGKILL);
	wait_until(child, G_MAXINT64, TRUE);
}

/**
 * rc_child_read_stderr() - what a started child printed on stderr so far
 * @child:	the child
 * @lost:	set to TRUE when some of it could not be read, or NULL
 *
 * Return: the text (possibly empty), within the command's output cap: the
 * first and last lines and a note of what was left out; newly allocated
 */
char *rc_child_read_stderr(RcChild *child, gboolean *lost)
{
	if (lost)
		*lost = FALSE;
	return child->stderr_drain ? rc_child_drain_text(child->stderr_drain, lost) : g_strdup("");
}

/**
 * rc_child_free() - stop, reap and free a started child
 * @child:	the child, or NULL
 */
void rc_child_free(RcChild *child)
{
	if (!child)
		return;
	if (child->pid > 0)
		rc_child_stop(child, G_USEC_PER_SEC);
	rc_child_drain_free(child->stderr_drain);
	g_free(child->what);
	g_free(child);
}
