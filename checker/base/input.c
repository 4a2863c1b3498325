/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * input.c - opening files romcompat did not make.
 *
 * Every operand (ROM file, ROM set, scenario, catalog, report to merge,
 * domain XML) is opened here.  open(2) on a FIFO blocks until a writer
 * comes, and on some devices it has side effects, so the file is opened
 * with O_NONBLOCK | O_NOCTTY and its type checked on the descriptor
 * itself (no race between stat and open) before anything is read.  A
 * whole-file read checks the size first, so /dev/zero or a 19 GB file is
 * refused before a byte is read, and it never reads past the bound even if
 * the file grows meanwhile.
 */
#include "base/input.h"

#include "base/error.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static const char *type_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

static void set_open_error(const char *path, const char *what, int err, GError **error)
{
	/* A missing or unreadable operand is the user's input; ELOOP is a link loop. */
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s %s: %s", what, path,
		    err == ELOOP ? "too many levels of symbolic links (a link loop?)"
				 : g_strerror(err));
}

/**
 * rc_input_open() - open an operand for reading without ever blocking
 * @path:	the file as the user named it (links are followed)
 * @what:	what the operand is, for the message ("ROM file", "scenario")
 * @accept:	whether a directory is acceptable
 * @st:		filled with the opened file's status; may be NULL
 * @error:	RC_ERROR_INPUT naming @path and what it is instead
 *
 * The descriptor is in blocking mode again when returned, so reads behave
 * as usual on the regular file it is known to be.
 *
 * Return: a descriptor (O_CLOEXEC), or -1 with @error set
 */
int rc_input_open(const char *path, const char *what, RcInputAccept accept, struct stat *st,
		  GError **error)
{
	struct stat local;
	int fd;
	int flags;

	if (!st)
		st = &local;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		set_open_error(path, what, errno, error);
		return -1;
	}
	if (fstat(fd, st) != 0) {
		set_open_error(path, what, errno, error);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode) && !(accept == RC_INPUT_FILE_OR_DIR && S_ISDIR(st->st_mode))) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s %s: %s, not a regular file%s",
			    what, path, type_name(st->st_mode),
			    accept == RC_INPUT_FILE_OR_DIR ? " or a directory" : "");
		close(fd);
		return -1;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

/**
 * rc_input_check() - check that an operand is something romcompat may read
 * @path:	the file as the user named it
 * @what:	what the operand is, for the message
 * @accept:	whether a directory is acceptable
 * @st:		filled with its status; may be NULL
 * @error:	as for rc_input_open()
 *
 * For operands that another library opens later (libarchive, GDir): the
 * check opens without blocking, so a FIFO is refused instead of hanging.
 *
 * Return: TRUE when @path may be read
 */
gboolean rc_input_check(const char *path, const char *what, RcInputAccept accept, struct stat *st,
			GError **error)
{
	int fd = rc_input_open(path, what, accept, st, error);

	if (fd < 0)
		return FALSE;
	close(fd);
	return TRUE;
}

/**
 * rc_input_read_fd() - read up to @size bytes of an opened file
 * @fd:		the descriptor (rc_input_open())
 * @buf:	where the bytes go
 * @size:	how many to read, the size fstat() gave
 *
 * A file that shrinks while it is read gives what is there; one that grows
 * gives no more than @size.  EINTR is retried.
 *
 * Return: the bytes read, or -1 with errno set
 */
gssize rc_input_read_fd(int fd, void *buf, gsize size)
{
	gsize done = 0;

	while (done < size) {
		ssize_t n = read(fd, (char *)buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (gsize)n;
	}
	return (gssize)done;
}

/**
 * rc_input_read() - read a whole regular file, refusing one over a bound
 * @path:	the file
 * @what:	what it is, for the message ("report", "catalog")
 * @max:	the most bytes accepted; the size is checked before reading
 * @contents:	set to the bytes, NUL-terminated (g_free())
 * @length:	set to the byte count; may be NULL
 * @error:	RC_ERROR_INPUT (not a regular file, too large, unreadable)
 *
 * Return: TRUE with *@contents set, or FALSE with @error set
 */
gboolean rc_input_read(const char *path, const char *what, gsize max, char **contents,
		       gsize *length, GError **error)
{
	g_autofree char *buf = NULL;
	struct stat st;
	gssize done;
	int fd = rc_input_open(path, what, RC_INPUT_FILE, &st, error);

	if (fd < 0)
		return FALSE;
	if ((guint64)st.st_size > max) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s %s: %" G_GUINT64_FORMAT " bytes, more than the %" G_GSIZE_FORMAT
			    " a %s may have",
			    what, path, (guint64)st.st_size, max, what);
		close(fd);
		return FALSE;
	}
	buf = g_malloc((gsize)st.st_size + 1);
	done = rc_input_read_fd(fd, buf, (gsize)st.st_size);
	if (done < 0) {
		set_open_error(path, what, errno, error);
		close(fd);
		return FALSE;
	}
	close(fd);
	buf[done] = '\0';
	*contents = g_steal_pointer(&buf);
	if (length)
		*length = (gsize)done;
	return TRUE;
}
