/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * datadir.c - where romcompat finds its shipped data (scenarios,
 * machine-type catalogs) and keeps its cache.
 *
 * The data directory is, in this order: $ROMCOMPAT_DATADIR; the source
 * tree the program was built in (build/romcompat -> ..), recognised by its
 * machine-types/ directory, so a checkout works without installing; the
 * installed PREFIX/share/romcompat (RC_DATADIR, set by the Makefile).
 * The cache is $XDG_CACHE_HOME/romcompat (~/.cache/romcompat).
 */
#include "base/datadir.h"

#include <unistd.h>

#ifndef RC_DATADIR
#define RC_DATADIR "/usr/local/share/romcompat"
#endif

static char *source_tree(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *bindir = NULL;
	g_autofree char *top = NULL;
	g_autofree char *catalogs = NULL;

	if (!exe)
		return NULL;
	bindir = g_path_get_dirname(exe);
	top = g_path_get_dirname(bindir);
	catalogs = g_build_filename(top, "machine-types", NULL);
	return g_file_test(catalogs, G_FILE_TEST_IS_DIR) ? g_steal_pointer(&top) : NULL;
}

static gpointer find_datadir(gpointer unused)
{
	const char *env = g_getenv("ROMCOMPAT_DATADIR");
	char *dir;

	if (env && *env)
		return g_strdup(env);
	if ((dir = source_tree()))
		return dir;
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
