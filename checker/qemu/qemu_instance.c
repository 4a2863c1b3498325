/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_instance.c - one QEMU as romcompat runs it, in the spirit of
 * QEMU's own QTestState: started, greeted, asked, stopped, explained.
 *
 * Theory of operation: every QEMU romcompat starts has the same base argv,
 * written here once: "-machine TYPE,accel=ACCEL -nodefaults
 * -no-user-config -display none [-m MIB] -S", QMP on an inherited
 * socketpair ("-chardev socket,id=qmp,fd=3 -mon chardev=qmp,mode=control"),
 * (`needs` alone keeps QEMU's default devices: the question is what the
 * machine type creates by itself),
 * then what the caller adds (its NICs, -incoming).  Nothing runs: no guest
 * code, no ROM code.  Starting and greeting are two steps, so that both
 * QEMUs of a pair start at once before either is waited for; a QEMU that
 * dies while starting shows up at once as EOF on QMP.  Its stderr is kept
 * within RC_CHILD_OUTPUT_CAP while it runs (child.c) and written to the
 * run directory when it is freed, for a person to read.  How it ended is
 * told twice: in words (rc_qemu_instance_describe_end()) and as QEMU's own
 * message, classified (rc_qemu_instance_explain()).
 */
#include "qemu/qemu_instance.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "base/trace.h"
#include "qemu/qemu_process.h"
#include "sources/qemupkg.h"

struct RcQemuInstance {
	char *label;
	RcChild *child;
	int qmp_fd;
	RcQmp *qmp;
	char *stderr_path;
};

/* The base argv every QEMU of romcompat has, then @config->extra. */
static RcChildCmd *base_command(const RcQemuConfig *config)
{
	RcChildCmd *cmd = rc_child_cmd_new(config->label, config->binary);
	g_autoptr(GPtrArray) pkg_args = g_ptr_array_new_null_terminated(4, g_free, TRUE);
	g_auto(GStrv) envp = rc_qemu_pkg_runtime(config->binary, pkg_args);

	rc_child_cmd_add_args(cmd, (const char *const *)pkg_args->pdata);
	if (envp) {
		rc_child_cmd_set_env(cmd, (const char *const *)envp);
		for (guint i = 0; envp[i]; i++)
			if (g_str_has_prefix(envp[i], "QEMU_"))
				rc_trace("%s: %s", config->label, envp[i]);
	}
	rc_child_cmd_add_arg(cmd, "-machine");
	rc_child_cmd_add_argf(cmd, "%s,accel=%s", config->machine ? config->machine : "none",
			      config->accel);
	if (!config->defaults)
		rc_child_cmd_add_arg(cmd, "-nodefaults");
	rc_child_cmd_add_args(cmd,
			      (const char *const[]){"-no-user-config", "-display", "none", NULL});
	if (config->memory_mib) {
		rc_child_cmd_add_arg(cmd, "-m");
		rc_child_cmd_add_argf(cmd, "%u", config->memory_mib);
	}
	rc_child_cmd_add_arg(cmd, "-S");
	rc_child_cmd_add_arg(cmd, "-chardev");
	rc_child_cmd_add_argf(cmd, "socket,id=qmp,fd=%d", RC_QEMU_QMP_FD);
	rc_child_cmd_add_args(cmd, (const char *const[]){"-mon", "chardev=qmp,mode=control", NULL});
	rc_child_cmd_add_args(cmd, config->extra);
	rc_child_cmd_set_output_cap(cmd, RC_CHILD_OUTPUT_CAP);
	return cmd;
}

/**
 * rc_qemu_instance_spawn() - start a QEMU, paused, with QMP on fd 3
 * @config:	binary, machine type, accelerator, RAM, extra arguments,
 *		label, run directory
 * @error:	set when it cannot be started at all
 *
 * Return: the running QEMU, not yet greeted (rc_qemu_instance_greet())
 */
RcQemuInstance *rc_qemu_instance_spawn(const RcQemuConfig *config, GError **error)
{
	g_autoptr(RcChildCmd) cmd = base_command(config);
	RcQemuInstance *qemu;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make a QMP socketpair: %s",
			    g_strerror(errno));
		return NULL;
	}
	rc_child_cmd_pass_fd(cmd, sv[1]);
	qemu = g_new0(RcQemuInstance, 1);
	qemu->label = g_strdup(config->label);
	qemu->qmp_fd = sv[0];
	qemu->stderr_path = rc_rundir_file(config->run, config->stderr_name);
	qemu->child = rc_child_cmd_start(cmd, error);
	if (!qemu->child) {
		rc_qemu_instance_free(qemu);
		return NULL;
	}
	return qemu;
}

/**
 * rc_qemu_instance_greet() - read QEMU's QMP greeting and negotiate
 * @qemu:	a QEMU just spawned
 * @deadline:	monotonic time (µs) by which it must have answered
 * @error:	set (RC_QMP_ERROR_EOF, _TIMEOUT, ...) when it does not answer:
 *		it refused its configuration, died, or hangs
 *
 * Return: TRUE when QMP is ready (rc_qemu_instance_qmp())
 */
gboolean rc_qemu_instance_greet(RcQemuInstance *qemu, gint64 deadline, GError **error)
{
	int fd = qemu->qmp_fd;

	g_return_val_if_fail(fd >= 0, FALSE);
	qemu->qmp_fd = -1; /* rc_qmp_new_fd() owns it from now on */
	qemu->qmp = rc_qmp_new_fd(fd, qemu->label, deadline, error);
	return qemu->qmp != NULL;
}

/**
 * rc_qemu_instance_qmp() - the QMP connection of a greeted QEMU
 * @qemu:	the QEMU
 *
 * Return: the connection, owned by @qemu; NULL before it was greeted
 */
RcQmp *rc_qemu_instance_qmp(RcQemuInstance *qemu)
{
	return qemu->qmp;
}

/**
 * rc_qemu_instance_label() - the QEMU's label
 * @qemu:	the QEMU
 *
 * Return: "src", "dst", "probe", ...
 */
const char *rc_qemu_instance_label(const RcQemuInstance *qemu)
{
	return qemu->label;
}

/**
 * rc_qemu_instance_child() - the QEMU as a process
 * @qemu:	the QEMU
 *
 * Return: its child: pid, and how it ended once it did
 */
const RcChild *rc_qemu_instance_child(const RcQemuInstance *qemu)
{
	return qemu->child;
}

/**
 * rc_qemu_instance_explain() - QEMU's own reason for ending or failing
 * @qemu:	the QEMU
 * @deadline:	monotonic time (µs) until which it may take to exit and
 *		print its reason
 * @lost:	set to TRUE when some of its stderr could not be read, or NULL
 *
 * Return: its stderr, classified (rc_qemu_stderr_classify())
 */
RcQemuMessage *rc_qemu_instance_explain(RcQemuInstance *qemu, gint64 deadline, gboolean *lost)
{
	g_autofree char *text = NULL;

	rc_child_wait(qemu->child, deadline);
	text = rc_child_read_stderr(qemu->child, lost);
	return rc_qemu_stderr_classify(text);
}

/**
 * rc_qemu_instance_stop() - stop and reap a QEMU
 * @qemu:	the QEMU
 * @grace_us:	how long SIGTERM may take before SIGKILL
 */
void rc_qemu_instance_stop(RcQemuInstance *qemu, gint64 grace_us)
{
	rc_child_stop(qemu->child, grace_us);
}

/**
 * rc_qemu_instance_describe_end() - how a QEMU ended, in words
 * @qemu:	the QEMU
 *
 * Return: "exit code 1", "stopped by romcompat", ... (rc_qemu_describe_end())
 */
char *rc_qemu_instance_describe_end(const RcQemuInstance *qemu)
{
	return rc_qemu_describe_end(qemu->child);
}

/* What was kept of QEMU's stderr, into the run directory for a person. */
static void keep_stderr(RcQemuInstance *qemu)
{
	g_autofree char *text = rc_child_read_stderr(qemu->child, NULL);
	g_autoptr(GError) local = NULL;

	if (qemu->stderr_path && !g_file_set_contents(qemu->stderr_path, text, -1, &local))
		rc_trace("%s: %s", qemu->label, local->message);
}

/**
 * rc_qemu_instance_free() - stop, reap and free a QEMU
 * @qemu:	the QEMU, or NULL
 *
 * QMP is closed, the QEMU stopped (SIGTERM, a second's grace, SIGKILL) and
 * reaped, and what was kept of its stderr written to the run directory.
 */
void rc_qemu_instance_free(RcQemuInstance *qemu)
{
	if (!qemu)
		return;
	rc_qmp_free(qemu->qmp);
	if (qemu->child) {
		rc_child_stop(qemu->child, G_USEC_PER_SEC);
		keep_stderr(qemu);
		rc_child_free(qemu->child);
	}
	if (qemu->qmp_fd >= 0)
		close(qemu->qmp_fd);
	g_free(qemu->label);
	g_free(qemu->stderr_path);
	g_free(qemu);
}
