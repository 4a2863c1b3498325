/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_process.c - QEMU as a program: the binary a name stands for, the
 * accelerator, option values escaped for QEMU's parser, the signals that
 * stop every QEMU, and how one ended, in the words reports use.
 *
 * A QEMU is a child like any other (child.c: its own process group,
 * registered for the signal handler, PR_SET_PDEATHSIG, stderr kept within
 * a bound, SIGTERM, grace, SIGKILL, reap); qemu_instance.c starts one with
 * QMP on fd 3.  The SIGINT/SIGTERM/SIGHUP handler kills every registered
 * group with SIGKILL and records the signal; the command then sees its QMP
 * connections close, unwinds, removes its run directory and exits 3.
 */
#include "qemu/qemu_process.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"

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
			"QEMU binary '%s' %s: install it (scripts/setup.sh) or name another with --old-qemu/--new-qemu (--qemu in machines)",
			name,
			path && g_file_test(path, G_FILE_TEST_EXISTS) ? "is not executable"
								      : "not found");
		return NULL;
	}
	return g_steal_pointer(&path);
}

/**
 * rc_qemu_describe_end() - how a QEMU ended, in words
 * @child:	the QEMU, started with rc_child_cmd_start()
 *
 * Return: "exit code 1", "killed by signal 9 (Killed)", ...
 */
char *rc_qemu_describe_end(const RcChild *child)
{
	switch (child->end) {
	case RC_CHILD_RUNNING:
		return g_strdup("still running");
	case RC_CHILD_EXITED:
		return g_strdup_printf("exit code %d", child->exit_code);
	case RC_CHILD_SIGNALED:
		return g_strdup_printf("killed by signal %d (%s)", child->signal,
				       g_strsignal(child->signal));
	case RC_CHILD_STOPPED:
	case RC_CHILD_TIMED_OUT:
		return g_strdup("stopped by romcompat");
	case RC_CHILD_KILLED:
		return g_strdup("killed by romcompat after its grace period");
	}
	return g_strdup("unknown");
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
