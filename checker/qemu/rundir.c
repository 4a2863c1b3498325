/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rundir.c - the private run directory: mode 0700, an unpredictable name
 * (mkdtemp), under $XDG_RUNTIME_DIR when usable, else $TMPDIR, else /tmp,
 * and removed with everything in it when freed.  QMP and migration sockets
 * live there, so its path must leave room in a unix socket address
 * (108 bytes): a base that is too long is passed over for /tmp.
 *
 * A run directory holds a file "lock", flock()ed by the romcompat that
 * made it for as long as it lives: the kernel drops the lock when that
 * process dies, even of SIGKILL.  The first run directory a process makes
 * first removes the stale ones in its base: romcompat-XXXXXX directories
 * of this user whose lock nobody holds.  The lock is taken under another
 * name and then renamed to "lock", so a "lock" is never seen unheld while
 * its maker lives; a directory without one is left alone.
 */
#include "qemu/rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/error.h"
#include "base/trace.h"

/* Longest file name put in the directory ("dst.qmp", "mig.sock", ...). */
#define RC_RUNDIR_LONGEST_NAME 16

/* The name of the file whose lock says the directory is in use. */
#define RC_RUNDIR_LOCK "lock"

struct RcRunDir {
	char *path;
	int lock_fd;
};

/* Remove a flat run directory: its files, then itself. */
static void remove_flat(const char *path)
{
	g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *file = g_build_filename(path, name, NULL);

		g_unlink(file);
	}
	if (g_rmdir(path) != 0)
		rc_trace("cannot remove run directory %s: %s", path, g_strerror(errno));
}

/* A run directory name: "romcompat-" and mkdtemp()'s six characters. */
static gboolean is_rundir_name(const char *name)
{
	return g_str_has_prefix(name, "romcompat-") && strlen(name) == strlen("romcompat-XXXXXX");
}

/* Remove @path if it is a run directory of this user whose lock nobody holds. */
static void remove_if_stale(const char *path)
{
	g_autofree char *lock = g_build_filename(path, RC_RUNDIR_LOCK, NULL);
	struct stat st;
	int fd;

	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
		return;
	fd = open(lock, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0) {
		rc_trace("removing stale run directory %s", path);
		remove_flat(path);
	}
	close(fd);
}

/* Once a process: the stale run directories in @base go. */
static void remove_stale(const char *base)
{
	static GMutex lock;
	static gboolean done;
	g_autoptr(GDir) d = NULL;
	const char *name;

	g_mutex_lock(&lock);
	if (done) {
		g_mutex_unlock(&lock);
		return;
	}
	d = g_dir_open(base, 0, NULL);
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = NULL;

		if (!is_rundir_name(name))
			continue;
		path = g_build_filename(base, name, NULL);
		remove_if_stale(path);
	}
	done = TRUE;
	g_mutex_unlock(&lock);
}

/* Hold @dir's lock for as long as this process lives or until it is freed. */
static gboolean take_lock(RcRunDir *dir, GError **error)
{
	g_autofree char *tmp = g_build_filename(dir->path, ".lock", NULL);
	g_autofree char *lock = g_build_filename(dir->path, RC_RUNDIR_LOCK, NULL);

	dir->lock_fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (dir->lock_fd < 0 || flock(dir->lock_fd, LOCK_EX | LOCK_NB) != 0 ||
	    g_rename(tmp, lock) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot lock the run directory %s: %s (free some space or set TMPDIR)",
			    dir->path, g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

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
		remove_stale(bases[i]);
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
		if (!take_lock(dir, error)) {
			rc_rundir_free(dir);
			return NULL;
		}
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
	if (!dir)
		return;
	remove_flat(dir->path);
	if (dir->lock_fd >= 0)
		close(dir->lock_fd);
	g_free(dir->path);
	g_free(dir);
}
