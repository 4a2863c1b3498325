/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.c - writing a file romcompat makes (a report in any format, a
 * catalog) to a path the user named.
 *
 * Theory of operation: the path is whatever the user typed: a new file,
 * an old report, a symbolic link to either, /dev/null, /dev/stdout (a link
 * to the pipe, terminal or file of standard output), a FIFO another
 * process reads, or by mistake a directory.  What the path leads to
 * decides how it is written:
 *
 *  - the file open as standard output (`--json /dev/stdout`): written on
 *    standard output, after what romcompat printed there, as "-" is;
 *  - nothing yet, or a regular file, after following symbolic links: a
 *    hidden temporary file in the target's own directory, flushed,
 *    fsynced and renamed over the target, so a reader sees the old file or
 *    the whole new one; a link is never replaced, its target is;
 *  - a character device (a terminal, /dev/null), a FIFO or a pipe: opened
 *    and written in place, never created, truncated or renamed over (a
 *    FIFO waits for its reader, as a shell redirection does);
 *  - a directory, a socket or a block device: refused (exit 2).
 *
 * rc_output_check() refuses the last kind when the options are parsed,
 * before any QEMU starts; rc_output_write() looks again when it writes.
 */
#include "base/output.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"

/* Symbolic links followed before giving up, as the kernel's limit. */
#define LINKS_MAX 40

/* What a file that cannot take a document is, or NULL when it can. */
static const char *unwritable_type(mode_t mode)
{
	if (S_ISREG(mode) || S_ISCHR(mode) || S_ISFIFO(mode))
		return NULL;
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a file";
}

static gboolean refuse(const char *path, const char *what, const char *type, GError **error)
{
	g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
		    "cannot write the %s %s: %s, not a file; name a file, a FIFO or a character "
		    "device to write it to",
		    what, path, type);
	return FALSE;
}

/* What to do about a file that cannot be written, by the errno. */
static const char *fix_hint(int errsv)
{
	switch (errsv) {
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		return "free some space or write the";
	case EACCES:
	case EPERM:
		return "make its directory writable or write the";
	case ENOENT:
	case ENOTDIR:
		return "create its directory or write the";
	default:
		return "write the";
	}
}

static gboolean write_fail(const char *path, const char *what, int errsv, GError **error)
{
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot write the %s %s: %s; %s %s elsewhere",
		    what, path, g_strerror(errsv), fix_hint(errsv), what);
	return FALSE;
}

/**
 * rc_output_check() - refuse a path no document can be written to
 * @path:	the path as given ("-": standard output)
 * @what:	what is to be written there ("report", "catalog")
 * @error:	RC_ERROR_USAGE naming @path and what it is instead
 *
 * Called when the options are parsed, before any work: a directory, a
 * socket, a block device or a loop of links is refused.  A path that does
 * not exist yet is fine; whether its directory can be written is found
 * out when writing.
 *
 * Return: TRUE when @path may be written
 */
gboolean rc_output_check(const char *path, const char *what, GError **error)
{
	struct stat st;
	const char *type;

	if (strcmp(path, "-") == 0)
		return TRUE;
	if (stat(path, &st) != 0)
		return errno != ELOOP || refuse(path, what, "a loop of symbolic links", error);
	type = unwritable_type(st.st_mode);
	return !type || refuse(path, what, type, error);
}

/**
 * rc_output_is_stdout() - does a path name romcompat's standard output?
 * @path:	the path as given
 *
 * Return: TRUE for "-" and for a path that leads to the file, pipe or
 * terminal open as standard output (/dev/stdout, /proc/self/fd/1)
 */
gboolean rc_output_is_stdout(const char *path)
{
	struct stat target;
	struct stat out;

	if (strcmp(path, "-") == 0)
		return TRUE;
	return stat(path, &target) == 0 && fstat(STDOUT_FILENO, &out) == 0 &&
	       target.st_dev == out.st_dev && target.st_ino == out.st_ino;
}

/*
 * The file a chain of symbolic links ends at (or @path itself): the path
 * a rename must replace so that the links stay links.  It need not exist.
 */
static char *link_target(const char *path, const char *what, GError **error)
{
	g_autofree char *current = g_strdup(path);

	for (guint i = 0; i < LINKS_MAX; i++) {
		g_autofree char *next = NULL;
		struct stat st;

		if (lstat(current, &st) != 0) {
			if (errno == ENOENT)
				return g_steal_pointer(&current);
			write_fail(path, what, errno, error);
			return NULL;
		}
		if (!S_ISLNK(st.st_mode))
			return g_steal_pointer(&current);
		next = g_file_read_link(current, NULL);
		if (!next) {
			write_fail(path, what, errno ? errno : EIO, error);
			return NULL;
		}
		if (!g_path_is_absolute(next)) {
			g_autofree char *dir = g_path_get_dirname(current);
			g_autofree char *relative = g_steal_pointer(&next);

			next = g_build_filename(dir, relative, NULL);
		}
		g_free(current);
		current = g_steal_pointer(&next);
	}
	refuse(path, what, "a loop of symbolic links", error);
	return NULL;
}

static gboolean write_stdout(const char *what, RcOutputWriteFunc write_fn, gconstpointer data,
			     GError **error)
{
	errno = 0;
	if (write_fn(stdout, data) && fflush(stdout) != EOF)
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot write the %s on standard output: %s",
		    what, g_strerror(errno ? errno : EIO));
	return FALSE;
}

/* A device, FIFO or pipe: opened as it is, written, closed. */
static gboolean write_in_place(const char *path, const char *what, RcOutputWriteFunc write_fn,
			       gconstpointer data, GError **error)
{
	struct stat st;
	FILE *out;
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	int saved;

	if (fd < 0)
		return write_fail(path, what, errno, error);
	if (fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
		close(fd);
		return write_fail(path, what, EAGAIN, error); /* replaced meanwhile */
	}
	out = fdopen(fd, "w");
	if (!out) {
		saved = errno;
		close(fd);
		return write_fail(path, what, saved, error);
	}
	errno = 0;
	if (!write_fn(out, data) || fflush(out) == EOF) {
		saved = errno ? errno : EIO;
		fclose(out);
		return write_fail(path, what, saved, error);
	}
	if (fclose(out) != 0)
		return write_fail(path, what, errno, error);
	return TRUE;
}

/* A regular file (or none yet): a temporary file renamed over @target. */
static gboolean write_replacing(const char *path, const char *target, const char *what,
				RcOutputWriteFunc write_fn, gconstpointer data, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(target);
	g_autofree char *base = g_path_get_basename(target);
	g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
	FILE *out;
	int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0666);
	int saved;

	if (fd < 0)
		return write_fail(path, what, errno, error);
	out = fdopen(fd, "w");
	if (!out) {
		saved = errno;
		close(fd);
		goto fail;
	}
	errno = 0;
	if (!write_fn(out, data) || fflush(out) == EOF || fsync(fileno(out)) != 0) {
		saved = errno ? errno : EIO;
		fclose(out);
		goto fail;
	}
	if (fclose(out) != 0) {
		saved = errno;
		goto fail;
	}
	if (rename(tmp, target) != 0) {
		saved = errno;
		goto fail;
	}
	return TRUE;
fail:
	unlink(tmp);
	return write_fail(path, what, saved, error);
}

/**
 * rc_output_write() - write a document to the path the user named
 * @path:	the path ("-": standard output); links are followed
 * @what:	what it is, for messages ("report", "catalog")
 * @write_fn:	writes the document on the stream it is given; FALSE (with
 *		errno) when a write fails
 * @data:	passed to @write_fn
 * @error:	RC_ERROR_USAGE when @path leads to a directory, socket or
 *		block device; RC_ERROR_INFRA when writing fails: one line naming
 *		@path, why, and what to do
 *
 * See the top of this file for what each kind of target gets.  On any
 * failure a regular target is left as it was and no temporary file stays.
 *
 * Return: TRUE when written
 */
gboolean rc_output_write(const char *path, const char *what, RcOutputWriteFunc write_fn,
			 gconstpointer data, GError **error)
{
	g_autofree char *target = NULL;
	struct stat st;

	if (rc_output_is_stdout(path))
		return write_stdout(what, write_fn, data, error);
	if (stat(path, &st) == 0) {
		const char *type = unwritable_type(st.st_mode);

		if (type)
			return refuse(path, what, type, error);
		if (!S_ISREG(st.st_mode))
			return write_in_place(path, what, write_fn, data, error);
	} else if (errno == ELOOP) {
		return refuse(path, what, "a loop of symbolic links", error);
	} else if (errno != ENOENT) {
		return write_fail(path, what, errno, error);
	}
	target = link_target(path, what, error);
	return target && write_replacing(path, target, what, write_fn, data, error);
}
