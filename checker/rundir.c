/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rundir.c - the private run directory: mode 0700, an unpredictable name
 * (mkdtemp), under $XDG_RUNTIME_DIR when usable, else $TMPDIR, else /tmp,
 * and removed with everything in it when freed.  QMP and migration sockets
 * live there, so its path must leave room in a unix socket address
 * (108 bytes): a base that is too long is passed over for /tmp.
 */
#include "rundir.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "error.h"
#include "trace.h"

/* Longest file name put in the directory ("dst.qmp", "mig.sock", ...). */
#define RC_RUNDIR_LONGEST_NAME 16

struct RcRunDir {
	char *path;
};

static gboolean base_usable(const char *base)
{
	struct sockaddr_un sun;

	return base && *base == '/' && g_file_test(base, G_FILE_TEST_IS_DIR) &&
	       access(base, W_OK | X_OK) == 0 &&
	       strlen(base) + sizeof("/romcompat-XXXXXX/") + RC_RUNDIR_LONGEST_NAME <
		       sizeof(sun.sun_path);
}

/**
 * rc_rundir_new() - make a private run directory
 * @error:	set when no directory could be made
 *
 * Return: the directory, removed again by rc_rundir_free()
 */
RcRunDir *rc_rundir_new(GError **error)
{
	const char *bases[] = {g_getenv("XDG_RUNTIME_DIR"), g_getenv("TMPDIR"), "/tmp"};
	RcRunDir *dir;

	for (gsize i = 0; i < G_N_ELEMENTS(bases); i++) {
		g_autofree char *tmpl = NULL;

		if (!base_usable(bases[i])) {
			if (bases[i])
				rc_trace(
					"run directory: passing over %s (not a writable directory, or too long for a socket path)",
					bases[i]);
			continue;
		}
		tmpl = g_build_filename(bases[i], "romcompat-XXXXXX", NULL);
		if (!g_mkdtemp_full(tmpl, 0700)) {
			g_set_error(
				error, RC_ERROR, RC_ERROR_INFRA,
				"cannot make a run directory in %s: %s (free some space or set TMPDIR)",
				bases[i], g_strerror(errno));
			return NULL;
		}
		dir = g_new0(RcRunDir, 1);
		dir->path = g_steal_pointer(&tmpl);
		rc_trace("run directory %s", dir->path);
		return dir;
	}
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
		    "no usable directory for sockets: set TMPDIR to a short, writable path");
	return NULL;
}

/**
 * rc_rundir_path() - the directory's path
 * @dir:	the run directory
 *
 * Return: its absolute path
 */
const char *rc_rundir_path(const RcRunDir *dir)
{
	return dir->path;
}

/**
 * rc_rundir_file() - path of a file in the run directory
 * @dir:	the run directory
 * @name:	file name, at most RC_RUNDIR_LONGEST_NAME bytes
 *
 * Return: newly allocated path
 */
char *rc_rundir_file(const RcRunDir *dir, const char *name)
{
	g_assert(strlen(name) <= RC_RUNDIR_LONGEST_NAME);
	return g_build_filename(dir->path, name, NULL);
}

/**
 * rc_rundir_free() - remove the run directory and all its files
 * @dir:	the run directory, or NULL
 *
 * The directory is flat: romcompat only puts sockets and logs in it.
 */
void rc_rundir_free(RcRunDir *dir)
{
	g_autoptr(GDir) d = NULL;
	const char *name;

	if (!dir)
		return;
	d = g_dir_open(dir->path, 0, NULL);
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir->path, name, NULL);

		g_unlink(path);
	}
	if (g_rmdir(dir->path) != 0)
		rc_trace("cannot remove run directory %s: %s", dir->path, g_strerror(errno));
	g_free(dir->path);
	g_free(dir);
}
