/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-child.c - child processes: output kept within a bound (first and
 * last lines, a note of the cut), a program run against a deadline that
 * ignores SIGTERM, a group that outlives its leader, a program that cannot
 * be run, and a registry that grows past its first chunk while the signal
 * handler still kills every registered group.  The command builder: the
 * first mistake in building reported once, at run or start; a started
 * child with fd 3 passed and its stderr kept, stopped within its grace or
 * killed after it.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/child.h"
#include "base/error.h"

static void test_capture_small(void)
{
	g_autoptr(RcCapture) c = rc_capture_new(64);
	g_autofree char *text = NULL;

	rc_capture_append(c, "one\n", 4);
	rc_capture_append(c, "two\0three\n", 10);
	text = rc_capture_text(c);
	g_assert_cmpstr(text, ==, "one\ntwo three\n");
	g_assert_cmpuint(rc_capture_total(c), ==, 14);
}

static void test_capture_cut(void)
{
	g_autoptr(RcCapture) c = rc_capture_new(1024);
	g_autofree char *text = NULL;
	char line[32];

	/* 100000 numbered lines, appended in pieces of every size. */
	for (int i = 0; i < 100000; i++) {
		int n = g_snprintf(line, sizeof(line), "line %06d\n", i);

		rc_capture_append(c, line, (gsize)n);
	}
	text = rc_capture_text(c);
	g_assert_cmpuint(strlen(text), <, 1024 + 100);
	g_assert_true(g_str_has_prefix(text, "line 000000\nline 000001\n"));
	g_assert_true(g_str_has_suffix(text, "line 099998\nline 099999\n"));
	g_assert_nonnull(strstr(text, "\n[... "));
	g_assert_nonnull(strstr(text, " of 1200000 bytes of output left out ...]\nline 0"));
	g_assert_cmpuint(rc_capture_total(c), ==, 1200000);
}

static void test_capture_one_long_line(void)
{
	g_autoptr(RcCapture) c = rc_capture_new(100);
	g_autofree char *big = g_strnfill(1000000, 'x');
	g_autofree char *text = NULL;

	rc_capture_append(c, big, strlen(big));
	rc_capture_append(c, "\nSize mismatch: blk: 0x1 != 0x2\n", 32);
	text = rc_capture_text(c);
	g_assert_cmpuint(strlen(text), <, 200);
	g_assert_true(g_str_has_suffix(text, "Size mismatch: blk: 0x1 != 0x2\n"));
	g_assert_nonnull(strstr(text, "bytes of output left out"));
}

/* Dead: no such process, or a zombie waiting for init to reap it. */
static gboolean gone(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	g_autofree char *stat = NULL;
	const char *paren;

	if (!g_file_get_contents(path, &stat, NULL, NULL))
		return TRUE;
	paren = strrchr(stat, ')');
	return paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

static RcChildResult *run_sh(const char *script, gint64 timeout_us, GError **error)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("test", "sh");

	rc_child_cmd_add_arg(cmd, "-c");
	rc_child_cmd_add_arg(cmd, script);
	rc_child_cmd_search_path(cmd);
	rc_child_cmd_set_timeout(cmd, timeout_us);
	rc_child_cmd_set_output_cap(cmd, 4096);
	return rc_child_cmd_run(cmd, error);
}

static void test_run_output(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcChildResult) r =
		run_sh("echo out; echo err >&2; yes 0123456789 | head -c 3000000 >&2; exit 3",
		       10 * G_USEC_PER_SEC, &error);

	g_assert_no_error(error);
	g_assert_cmpint(r->end, ==, RC_CHILD_EXITED);
	g_assert_cmpint(r->exit_code, ==, 3);
	g_assert_cmpstr(r->out, ==, "out\n");
	g_assert_true(g_str_has_prefix(r->err, "err\n0123456789\n"));
	g_assert_cmpuint(strlen(r->err), <, 4096 + 100);
	g_assert_nonnull(strstr(r->err, "of 3000004 bytes of output left out"));
}

static void test_run_deadline(void)
{
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();
	/* Ignores SIGTERM, leaves a child in its group: both must go. */
	g_autoptr(RcChildResult) r =
		run_sh("trap '' TERM INT HUP; sleep 1000 & echo $! >&2; while :; do sleep 1; done",
		       G_USEC_PER_SEC / 2, &error);
	gint64 took = g_get_monotonic_time() - start;
	pid_t member;

	g_assert_no_error(error);
	g_assert_cmpint(r->end, ==, RC_CHILD_TIMED_OUT);
	/* Half a second to run, two of grace after SIGTERM, then SIGKILL. */
	g_assert_cmpint(took, <, 6 * G_USEC_PER_SEC);
	member = (pid_t)atoi(r->err);
	g_assert_cmpint(member, >, 0);
	for (int i = 0; i < 100 && !gone(member); i++)
		g_usleep(10000);
	g_assert_true(gone(member));
}

static void test_run_leftover(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcChildResult) r =
		run_sh("sleep 1000 >/dev/null 2>&1 & echo $!", 10 * G_USEC_PER_SEC, &error);
	pid_t member;

	g_assert_no_error(error);
	g_assert_true(rc_child_succeeded(r));
	member = (pid_t)atoi(r->out);
	g_assert_cmpint(member, >, 0);
	/* Killed with the group; init reaps it, so give it a moment. */
	for (int i = 0; i < 100 && !gone(member); i++)
		g_usleep(10000);
	g_assert_true(gone(member));
}

static void test_run_missing(void)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("test", "/nonexistent/romcompat-test-program");
	g_autoptr(GError) error = NULL;
	g_autoptr(RcChildResult) r = NULL;

	rc_child_cmd_set_timeout(cmd, G_USEC_PER_SEC);
	r = rc_child_cmd_run(cmd, &error);

	g_assert_null(r);
	g_assert_error(error, RC_ERROR, RC_ERROR_INFRA);
	g_assert_nonnull(strstr(error->message, "No such file or directory"));
}

static void test_drain(void)
{
	int p[2];
	g_autoptr(GError) error = NULL;
	RcChildDrain *drain;
	g_autofree char *big = g_strnfill(200000, 'y');
	g_autofree char *text = NULL;
	gboolean lost = TRUE;

	g_assert_cmpint(pipe(p), ==, 0);
	drain = rc_child_drain_new(p[0], 1000, &error);
	g_assert_no_error(error);
	/* Far more than a pipe holds: only a drain that reads lets it through. */
	for (int i = 0; i < 10; i++)
		g_assert_cmpint(write(p[1], big, strlen(big)), ==, (gssize)strlen(big));
	g_assert_cmpint(write(p[1], "\nlast line\n", 11), ==, 11);
	close(p[1]);
	text = rc_child_drain_text(drain, &lost);
	g_assert_false(lost);
	g_assert_true(g_str_has_suffix(text, "last line\n"));
	g_assert_cmpuint(strlen(text), <, 1100);
	rc_child_drain_free(drain);
}

/* A builder keeps its first mistake and reports it, once, when it runs. */
static void test_cmd_first_error(void)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("test", "/bin/true");
	const char *const envp[] = {"PATH=/bin", "NOVALUE", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) again = NULL;
	g_autoptr(RcChildResult) r = NULL;

	rc_child_cmd_add_arg(cmd, NULL);
	rc_child_cmd_set_env(cmd, envp);
	rc_child_cmd_pass_fd(cmd, -1);
	rc_child_cmd_set_timeout(cmd, G_USEC_PER_SEC);
	r = rc_child_cmd_run(cmd, &error);
	g_assert_null(r);
	g_assert_error(error, RC_ERROR, RC_ERROR_INFRA);
	g_assert_cmpstr(error->message, ==, "test: argument 1 is missing");
	/* Used up: a second run says so, not the old mistake again. */
	r = rc_child_cmd_run(cmd, &again);
	g_assert_null(r);
	g_assert_cmpstr(again->message, ==, "test: a command runs once");
}

static void test_cmd_env_and_deadline(void)
{
	const char *const envp[] = {"PATH=/bin", "NOVALUE", NULL};
	g_autoptr(RcChildCmd) env = rc_child_cmd_new("test", "/bin/true");
	g_autoptr(RcChildCmd) late = rc_child_cmd_new("test", "/bin/true");
	g_autoptr(GError) error = NULL;
	g_autoptr(RcChildResult) r = NULL;

	rc_child_cmd_set_env(env, envp);
	rc_child_cmd_set_timeout(env, G_USEC_PER_SEC);
	r = rc_child_cmd_run(env, &error);
	g_assert_null(r);
	g_assert_cmpstr(error->message, ==, "test: environment entry 'NOVALUE' has no '='");
	g_clear_error(&error);
	/* Every wait has a deadline: a run without one is refused. */
	r = rc_child_cmd_run(late, &error);
	g_assert_null(r);
	g_assert_cmpstr(error->message, ==, "test: no deadline to run against");
}

static void test_cmd_argv(void)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("test", "sh");
	const char *const more[] = {"b", "c,d", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(RcChildResult) r = NULL;

	rc_child_cmd_add_arg(cmd, "-c");
	rc_child_cmd_add_arg(cmd, "printf '%s|' \"$0\" \"$@\"; printf \"$HOME\"; pwd");
	rc_child_cmd_add_argf(cmd, "a=%d", 7);
	rc_child_cmd_add_args(cmd, more);
	rc_child_cmd_add_args(cmd, NULL);
	rc_child_cmd_set_env(cmd, (const char *const[]){"HOME=/nowhere", NULL});
	rc_child_cmd_set_cwd(cmd, "/");
	rc_child_cmd_search_path(cmd);
	rc_child_cmd_set_timeout(cmd, 10 * G_USEC_PER_SEC);
	rc_child_cmd_set_output_cap(cmd, 4096);
	g_assert_cmpstr(rc_child_cmd_argv(cmd)[4], ==, "b");
	g_assert_cmpstr(rc_child_cmd_what(cmd), ==, "test");
	r = rc_child_cmd_run(cmd, &error);
	g_assert_no_error(error);
	g_assert_true(rc_child_succeeded(r));
	g_assert_cmpstr(r->out, ==, "a=7|b|c,d|/nowhere/\n");
	/* The program was looked up in PATH. */
	g_assert_true(g_path_is_absolute(rc_child_cmd_argv(cmd)[0]));
}

/* A started child: fd 3 passed, stderr kept, stopped within its grace. */
static void test_cmd_start_stop(void)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("test", "/bin/sh");
	g_autoptr(GError) error = NULL;
	g_autoptr(RcChild) child = NULL;
	g_autofree char *err = NULL;
	char buf[8] = "";
	int sv[2];

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
	rc_child_cmd_add_arg(cmd, "-c");
	rc_child_cmd_add_arg(cmd, "echo hello >&3; echo started >&2; exec sleep 1000");
	rc_child_cmd_pass_fd(cmd, sv[1]);
	rc_child_cmd_set_output_cap(cmd, 1024);
	child = rc_child_cmd_start(cmd, &error);
	g_assert_no_error(error);
	g_assert_nonnull(child->stderr_drain);
	g_assert_cmpint(read(sv[0], buf, sizeof(buf) - 1), ==, 6);
	g_assert_cmpstr(buf, ==, "hello\n");
	close(sv[0]);
	g_assert_false(rc_child_wait(child, g_get_monotonic_time() + G_USEC_PER_SEC / 10));
	rc_child_stop(child, 5 * G_USEC_PER_SEC);
	g_assert_cmpint(child->end, ==, RC_CHILD_STOPPED);
	g_assert_cmpint(child->signal, ==, SIGTERM);
	err = rc_child_read_stderr(child, NULL);
	g_assert_cmpstr(err, ==, "started\n");
}

/* One that ignores SIGTERM is killed after its grace, group and all. */
static void test_cmd_stop_kill(void)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("test", "/bin/sh");
	g_autoptr(GError) error = NULL;
	g_autoptr(RcChild) child = NULL;
	g_autofree char *err = g_strdup("");
	gint64 start;
	pid_t member;

	rc_child_cmd_add_arg(cmd, "-c");
	rc_child_cmd_add_arg(cmd,
			     "trap '' TERM; sleep 1000 & echo $! >&2; while :; do sleep 1; done");
	rc_child_cmd_set_output_cap(cmd, 1024);
	child = rc_child_cmd_start(cmd, &error);
	g_assert_no_error(error);
	for (int i = 0; i < 500 && !strchr(err, '\n'); i++) {
		g_free(err);
		g_usleep(10000);
		err = rc_child_read_stderr(child, NULL);
	}
	member = (pid_t)atoi(err);
	g_assert_cmpint(member, >, 0);
	start = g_get_monotonic_time();
	rc_child_stop(child, G_USEC_PER_SEC / 5);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
	g_assert_cmpint(child->end, ==, RC_CHILD_KILLED);
	for (int i = 0; i < 100 && !gone(member); i++)
		g_usleep(10000);
	g_assert_true(gone(member));
}

static void test_cmd_start_missing(void)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("test", "/nonexistent/romcompat-test-program");
	g_autoptr(GError) error = NULL;
	g_autoptr(RcChild) child = NULL;
	int sv[2];

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
	rc_child_cmd_pass_fd(cmd, sv[1]);
	child = rc_child_cmd_start(cmd, &error);
	g_assert_null(child);
	g_assert_error(error, RC_ERROR, RC_ERROR_INFRA);
	g_assert_nonnull(strstr(error->message, "No such file or directory"));
	/* The passed descriptor is closed: its peer sees the end at once. */
	g_assert_cmpint(read(sv[0], &(char){0}, 1), ==, 0);
	close(sv[0]);
}

#define MANY 300

/* Last: it delivers SIGTERM, which stays recorded for the process. */
static void test_registry_grows(void)
{
	RcChild *children[MANY];

	rc_child_install_signal_handlers();
	g_assert_cmpuint(rc_child_registry_capacity(), <, MANY);
	for (int i = 0; i < MANY; i++) {
		g_autoptr(GError) error = NULL;

		g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("test", "/bin/sleep");

		rc_child_cmd_add_arg(cmd, "1000");
		children[i] = rc_child_cmd_start(cmd, &error);
		g_assert_no_error(error);
		g_assert_cmpint(children[i]->pid, >, 0);
		g_assert_null(children[i]->stderr_drain);
	}
	g_assert_cmpuint(rc_child_registry_capacity(), >=, MANY);
	g_assert_cmpint(rc_child_interrupted(), ==, 0);
	raise(SIGTERM);
	/* raise() returns once the handler has run. */
	g_assert_cmpint(rc_child_interrupted(), ==, SIGTERM);
	for (int i = 0; i < MANY; i++) {
		g_assert_true(rc_child_wait(children[i], G_MAXINT64));
		g_assert_cmpint(children[i]->end, ==, RC_CHILD_SIGNALED);
		g_assert_cmpint(children[i]->signal, ==, SIGKILL);
		rc_child_free(children[i]);
	}
	g_assert_true(rc_child_registry_reserve(4 * MANY, NULL));
	g_assert_cmpuint(rc_child_registry_capacity(), >=, 4 * MANY);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/child/capture/small", test_capture_small);
	g_test_add_func("/child/capture/cut", test_capture_cut);
	g_test_add_func("/child/capture/one-long-line", test_capture_one_long_line);
	g_test_add_func("/child/run/output", test_run_output);
	g_test_add_func("/child/run/deadline", test_run_deadline);
	g_test_add_func("/child/run/leftover", test_run_leftover);
	g_test_add_func("/child/run/missing", test_run_missing);
	g_test_add_func("/child/drain", test_drain);
	g_test_add_func("/child/cmd/first-error", test_cmd_first_error);
	g_test_add_func("/child/cmd/env-and-deadline", test_cmd_env_and_deadline);
	g_test_add_func("/child/cmd/argv", test_cmd_argv);
	g_test_add_func("/child/cmd/start-stop", test_cmd_start_stop);
	g_test_add_func("/child/cmd/stop-kill", test_cmd_stop_kill);
	g_test_add_func("/child/cmd/start-missing", test_cmd_start_missing);
	g_test_add_func("/child/registry/grows", test_registry_grows);
	return g_test_run();
}
