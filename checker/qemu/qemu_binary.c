/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_binary.c - which QEMU a name on the command line stands for: a
 * program on PATH, a path, or a Debian package version unpacked into the
 * cache; and where that binary finds its files (`-L help`).  Resolving packages here, above process start, keeps the .deb
 * unpacker out of qemu_process.c: starting a QEMU takes a path, an argv
 * and an environment, nothing else.
 */
#include "qemu/qemu_binary.h"

#include "base/child.h"
#include "base/error.h"
#include "sources/debsource.h"
#include "qemu/qemu_process.h"
#include "sources/qemupkg.h"

/* -L help prints and exits: a QEMU that takes longer is stuck. */
#define SEARCH_PATH_TIMEOUT_US (20 * G_USEC_PER_SEC)

/**
 * rc_qemu_find_binary() - resolve a QEMU binary name, path or package
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
	if (rc_debian_is_source(name)) {
		g_autoptr(RcQemuPkg) pkg = rc_qemu_pkg_get(name, error);

		return pkg ? g_strdup(pkg->binary) : NULL;
	}
	return rc_qemu_find_program(name, error);
}

/**
 * rc_qemu_search_path() - where a QEMU binary looks for its files
 * @binary:	absolute path of the QEMU binary
 * @data_dir:	a directory given with -L first, or NULL
 * @error:	set (exit 3) when it cannot be run or prints nothing
 *
 * QEMU's own answer to `-L help`: the -L directories first, then its
 * firmware path and data directory ("/usr/bin/../share/qemu", ...).
 *
 * Return: the directories as QEMU prints them, NULL-terminated
 */
GStrv rc_qemu_search_path(const char *binary, const char *data_dir, GError **error)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("qemu -L help", binary);
	g_autoptr(GPtrArray) args = g_ptr_array_new_null_terminated(4, g_free, TRUE);
	g_auto(GStrv) envp = rc_qemu_pkg_runtime(binary, args);
	g_autoptr(RcChildResult) res = NULL;
	g_autoptr(GPtrArray) dirs = g_ptr_array_new_null_terminated(4, g_free, TRUE);
	g_auto(GStrv) lines = NULL;

	rc_child_cmd_add_args(cmd, (const char *const *)args->pdata);
	if (envp)
		rc_child_cmd_set_env(cmd, (const char *const *)envp);
	if (data_dir)
		rc_child_cmd_add_args(cmd, (const char *const[]){"-L", data_dir, NULL});
	rc_child_cmd_add_args(cmd, (const char *const[]){"-L", "help", NULL});
	rc_child_cmd_set_timeout(cmd, SEARCH_PATH_TIMEOUT_US);
	rc_child_cmd_set_output_cap(cmd, RC_CHILD_OUTPUT_CAP);
	if (!(res = rc_child_cmd_run(cmd, error)))
		return NULL;
	lines = g_strsplit(res->out ? res->out : "", "\n", -1);
	for (guint i = 0; lines[i]; i++)
		if (*g_strstrip(lines[i]) == '/')
			g_ptr_array_add(dirs, g_strdup(lines[i]));
	if (!rc_child_succeeded(res) || dirs->len == 0) {
		g_autofree char *how = rc_child_describe(res);

		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "QEMU %s does not list its search path with -L help (%s); is it a "
			    "QEMU system emulator?",
			    binary, how);
		return NULL;
	}
	return (GStrv)g_ptr_array_free(g_steal_pointer(&dirs), FALSE);
}
