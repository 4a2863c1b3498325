/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * datadir.c - where romcompat finds its shipped data (scenarios,
 * machine-type catalogs) and keeps its cache.
 *
 * Like QEMU, the program finds its data relative to its own executable, so
 * an installed tree works wherever it is put (make install PREFIX=DIR, then
 * DIR moved): the data directory is, in this order, $ROMCOMPAT_DATADIR;
 * BIN/../share/romcompat, the installed layout; the source tree the
 * program was built in (build/romcompat -> ..), recognised by its
 * machine-types/ directory, so a checkout works without installing; and
 * last the PREFIX/share/romcompat compiled in (RC_DATADIR, set by the
 * Makefile).  The libvirt module is looked for the same way (backend.c,
 * with rc_exe_dir()).  The cache is $XDG_CACHE_HOME/romcompat
 * (~/.cache/romcompat).
 */
#include "base/datadir.h"

#ifndef RC_DATADIR
#define RC_DATADIR "/usr/local/share/romcompat"
#endif

/**
 * rc_exe_dir() - the directory of the running program's executable
 *
 * Return: its absolute path with symbolic links resolved (g_free() it), or
 * NULL when /proc/self/exe cannot be read
 */
char *rc_exe_dir(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);

	return exe ? g_path_get_dirname(exe) : NULL;
}

/* @top if it holds a machine-types/ directory, else NULL (and @top freed). */
static char *with_catalogs(char *top)
{
	g_autofree char *catalogs = g_build_filename(top, "machine-types", NULL);

	if (g_file_test(catalogs, G_FILE_TEST_IS_DIR))
		return top;
	g_free(top);
	return NULL;
}

static gpointer find_datadir(gpointer unused)
{
	const char *env = g_getenv("ROMCOMPAT_DATADIR");
	g_autofree char *bindir = rc_exe_dir();

	if (env && *env)
		return g_strdup(env);
	if (bindir) {
		g_autofree char *parent = g_path_get_dirname(bindir);
		char *dir;

		if ((dir = with_catalogs(g_build_filename(parent, "share", "romcompat", NULL))))
			return dir;
		if ((dir = with_catalogs(g_strdup(parent))))
			return dir;
	}
	return g_strdup(RC_DATADIR);
}

/**
 * rc_datadir() - the directory that holds machine-types/ and scenarios/
 *
 * Return: a path owned by this module, valid for the program's life
 */
const char *rc_datadir(void)
{
	static GOnce once = G_ONCE_INIT;

	return g_once(&once, find_datadir, NULL);
}

/**
 * rc_cachedir() - a directory of romcompat's cache, made if missing
 * @what:	the part of the cache ("machine-types", "debs")
 *
 * Return: the path (g_free() it); the caller handles a failure to write
 * there when it writes
 */
char *rc_cachedir(const char *what)
{
	char *dir = g_build_filename(g_get_user_cache_dir(), "romcompat", what, NULL);

	g_mkdir_with_parents(dir, 0700);
	return dir;
}
