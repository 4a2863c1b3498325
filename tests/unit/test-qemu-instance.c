/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qemu-instance.c - one QEMU instance against stand-in programs: the
 * base argv every QEMU of romcompat gets (written once, for migration and
 * discovery alike), a QEMU that refuses its configuration explained by its
 * own message and exit code, one that never answers stopped at its
 * deadline, and its stderr kept in the run directory.
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "qemu/qemu_instance.h"
#include "qemu/qemu_process.h"
#include "qmp/qmp_client.h"

/* A stand-in QEMU: its arguments to @dir/argv, then @body. */
static char *fake_qemu(const char *dir, const char *body)
{
	char *path = g_build_filename(dir, "qemu-system-x86_64", NULL);
	g_autofree char *script = g_strdup_printf(
		"#!/bin/sh\nfor a; do printf '%%s\\n' \"$a\"; done >'%s/argv'\n%s\n", dir, body);

	g_assert_true(g_file_set_contents(path, script, -1, NULL));
	g_assert_cmpint(chmod(path, 0755), ==, 0);
	return path;
}

static void test_refused(void)
{
	g_autofree char *dir = g_dir_make_tmp("rc-instance-XXXXXX", NULL);
	g_autofree char *qemu = fake_qemu(
		dir,
		"echo \"qemu-system-x86_64: -device e1000,id=nic0,addr=0x2: no such thing\" >&2; "
		"exit 1");
	g_autoptr(RcRunDir) run = rc_rundir_new(NULL);
	const char *const extra[] = {"-device", "e1000,id=nic0,addr=0x2", NULL};
	RcQemuConfig config = {.label = "probe",
			       .binary = qemu,
			       .machine = "pc",
			       .accel = "tcg",
			       .memory_mib = 64,
			       .extra = extra,
			       .run = run,
			       .stderr_name = "probe.err"};
	g_autoptr(GError) error = NULL;
	g_autoptr(RcQemuInstance) instance = rc_qemu_instance_spawn(&config, &error);
	g_autoptr(RcQemuMessage) msg = NULL;
	g_autofree char *argv_file = g_build_filename(dir, "argv", NULL);
	g_autofree char *argv = NULL;
	g_autofree char *end = NULL;
	g_autofree char *kept_path = rc_rundir_file(run, "probe.err");
	g_autofree char *kept = NULL;

	g_assert_no_error(error);
	g_assert_false(rc_qemu_instance_greet(
		instance, g_get_monotonic_time() + 10 * G_USEC_PER_SEC, &error));
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_EOF);
	g_assert_null(rc_qemu_instance_qmp(instance));
	msg = rc_qemu_instance_explain(instance, g_get_monotonic_time() + 10 * G_USEC_PER_SEC,
				       NULL);
	g_assert_nonnull(msg->line);
	g_assert_nonnull(strstr(msg->line, "no such thing"));
	end = rc_qemu_instance_describe_end(instance);
	g_assert_cmpstr(end, ==, "exit code 1");
	g_assert_cmpint(rc_qemu_instance_child(instance)->exit_code, ==, 1);
	/* The base argv, then what the caller added. */
	g_assert_true(g_file_get_contents(argv_file, &argv, NULL, NULL));
	g_assert_cmpstr(argv, ==,
			"-machine\npc,accel=tcg\n-nodefaults\n-no-user-config\n-display\nnone\n"
			"-m\n64\n-S\n-chardev\nsocket,id=qmp,fd=3\n-mon\nchardev=qmp,mode=control\n"
			"-device\ne1000,id=nic0,addr=0x2\n");
	/* What it said is kept in the run directory once it is freed. */
	rc_qemu_instance_free(g_steal_pointer(&instance));
	g_assert_true(g_file_get_contents(kept_path, &kept, NULL, NULL));
	g_assert_nonnull(strstr(kept, "no such thing"));
	unlink(argv_file);
	g_clear_pointer(&qemu, g_free);
	qemu = g_build_filename(dir, "qemu-system-x86_64", NULL);
	unlink(qemu);
	rmdir(dir);
}

static void test_silent(void)
{
	g_autofree char *dir = g_dir_make_tmp("rc-instance-XXXXXX", NULL);
	g_autofree char *qemu = fake_qemu(dir, "exec sleep 1000");
	g_autoptr(RcRunDir) run = rc_rundir_new(NULL);
	RcQemuConfig config = {.label = "dst",
			       .binary = qemu,
			       .accel = "tcg",
			       .run = run,
			       .stderr_name = "dst.err"};
	g_autoptr(GError) error = NULL;
	g_autoptr(RcQemuInstance) instance = rc_qemu_instance_spawn(&config, &error);
	g_autofree char *argv_file = g_build_filename(dir, "argv", NULL);
	g_autofree char *argv = NULL;
	g_autofree char *end = NULL;

	g_assert_no_error(error);
	g_assert_false(rc_qemu_instance_greet(instance, g_get_monotonic_time() + G_USEC_PER_SEC / 5,
					      &error));
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT);
	rc_qemu_instance_stop(instance, G_USEC_PER_SEC);
	end = rc_qemu_instance_describe_end(instance);
	g_assert_cmpstr(end, ==, "stopped by romcompat");
	/* No machine type: "none"; no RAM size: no -m. */
	g_assert_true(g_file_get_contents(argv_file, &argv, NULL, NULL));
	g_assert_true(g_str_has_prefix(argv, "-machine\nnone,accel=tcg\n-nodefaults\n"));
	g_assert_null(strstr(argv, "-m\n"));
	unlink(argv_file);
	unlink(qemu);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	rc_qemu_install_signal_handlers();
	g_test_add_func("/qemu-instance/refused", test_refused);
	g_test_add_func("/qemu-instance/silent", test_silent);
	return g_test_run();
}
