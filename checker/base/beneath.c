/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * beneath.c - paths resolved inside a directory tree, never outside it.
 *
 * A tree unpacked from a package holds symbolic links.  Each may look
 * harmless alone and still, chained, lead out of the tree: "a/up -> .."
 * and "usr -> a/up/a/up/../.." climb two levels above the root although
 * no single target has a ".." run that long.  Reading a target's text
 * cannot see that; only resolving it against the tree can.
 *
 * openat2(2) with RESOLVE_BENEATH does that in the kernel (Linux 5.6 and
 * later; glibc 2.36 has no wrapper, so it is called through syscall(2)):
 * every component, every link's target included, must stay beneath the
 * directory, or the call fails with EXDEV.  Where the kernel lacks it
 * (ENOSYS), rc_beneath_walk() does the same walk here: one component at a
 * time with O_NOFOLLOW, a link read and its target walked in its place,
 * ".." never above the root, an absolute target refused, at most 40 links.
 */
#include "base/beneath.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/error.h"

/* Links followed in one resolution before it counts as a loop (as Linux). */
#define MAX_LINKS 40
/* Directory depth a package tree may have; deeper is not a package. */
#define MAX_DEPTH 128

/**
 * rc_beneath_open() - open a path that must resolve inside a directory
 * @rootfd:	the directory
 * @path:	relative to it; links are followed, but only inside it
 * @flags:	open(2) flags (O_CLOEXEC is added)
 *
 * Return: a descriptor, or -1 with errno: EXDEV when the path or a link
 * on its way leads out of the directory (or is absolute), ELOOP for a
 * link loop, ENOENT and the like as for openat(2)
 */
int rc_beneath_open(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (guint64)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd >= 0 || errno != ENOSYS)
		return (int)fd;
	return rc_beneath_walk(rootfd, path, flags);
}

/* Push a path's components onto the front of @todo, in order. */
static void push_components(GQueue *todo, const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);

	for (guint i = g_strv_length(parts); i > 0; i--)
		g_queue_push_head(todo, g_strdup(parts[i - 1]));
}

/* The walk's descriptors and components freed; -1 with errno @err. */
static int fail_with(GArray *stack, GQueue *todo, int err)
{
	for (guint i = 0; i < stack->len; i++)
		close(g_array_index(stack, int, i));
	g_array_free(stack, TRUE);
	g_queue_free_full(todo, g_free);
	errno = err;
	return -1;
}

/* The last component: opened with the caller's flags, never through a link. */
static int open_last(GArray *stack, GQueue *todo, const char *name, int flags)
{
	int top = g_array_index(stack, int, stack->len - 1);
	int fd = openat(top, name, flags | O_NOFOLLOW | O_CLOEXEC);
	int err = errno;

	fail_with(stack, todo, 0);
	errno = err;
	return fd;
}

/**
 * rc_beneath_walk() - rc_beneath_open() without the kernel's help
 * @rootfd:	the directory
 * @path:	relative to it
 * @flags:	open(2) flags for the last component
 *
 * Used where openat2(2) is missing; the same rules and errors.
 *
 * Return: a descriptor, or -1 with errno
 */
int rc_beneath_walk(int rootfd, const char *path, int flags)
{
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(int));
	GQueue *todo = g_queue_new();
	guint links = 0;
	int top = dup(rootfd);
	char *comp;

	if (top < 0 || *path == '/')
		return fail_with(stack, todo, top < 0 ? errno : EXDEV);
	g_array_append_val(stack, top);
	push_components(todo, path);
	while ((comp = g_queue_pop_head(todo))) {
		g_autofree char *c = comp;
		struct stat st;
		int fd;

		if (!*c || strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			if (stack->len == 1)
				return fail_with(stack, todo, EXDEV);
			close(g_array_index(stack, int, stack->len - 1));
			g_array_set_size(stack, stack->len - 1);
			continue;
		}
		top = g_array_index(stack, int, stack->len - 1);
		if ((fd = openat(top, c, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
		    fstat(fd, &st) != 0) {
			int err = errno;

			if (fd >= 0)
				close(fd);
			return fail_with(stack, todo, err);
		}
		if (S_ISLNK(st.st_mode) && !(g_queue_is_empty(todo) && (flags & O_NOFOLLOW))) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);

			close(fd);
			if (n < 0 || n >= (ssize_t)sizeof(target) - 1)
				return fail_with(stack, todo, n < 0 ? errno : ENAMETOOLONG);
			if (++links > MAX_LINKS || target[0] == '/')
				return fail_with(stack, todo, links > MAX_LINKS ? ELOOP : EXDEV);
			target[n] = '\0';
			push_components(todo, target);
			continue;
		}
		if (g_queue_is_empty(todo)) {
			close(fd);
			return open_last(stack, todo, c, flags);
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			return fail_with(stack, todo, ENOTDIR);
		}
		g_array_append_val(stack, fd);
	}
	return open_last(stack, todo, ".", flags);
}

/* Why a path does not resolve inside the tree, in words. */
static const char *escape_reason(int err)
{
	if (err == EXDEV)
		return "leads out of the tree through its links";
	if (err == ELOOP)
		return "is a loop of links";
	return g_strerror(err);
}

/* Check every link below @fd_dir (@rel inside the tree), depth first. */
static gboolean check_dir(int rootfd, int fd_dir, const char *rel, guint depth, GError **error)
{
	DIR *dir;
	struct dirent *d;
	gboolean ok = TRUE;

	if (depth > MAX_DEPTH) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: directories nested too deep",
			    rel);
		close(fd_dir);
		return FALSE;
	}
	if (!(dir = fdopendir(fd_dir))) {
		close(fd_dir);
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot list %s: %s", rel,
			    g_strerror(errno));
		return FALSE;
	}
	/* Each call lists its own stream: readdir() is safe (readdir_r is deprecated). */
	// cppcheck-suppress readdirCalled
	while (ok && (d = readdir(dir))) {
		g_autofree char *path = NULL;
		struct stat st;
		int fd;

		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		path = *rel ? g_build_filename(rel, d->d_name, NULL) : g_strdup(d->d_name);
		if (fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			fd = openat(dirfd(dir), d->d_name,
				    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			ok = fd >= 0 ? check_dir(rootfd, fd, path, depth + 1, error) : TRUE;
			continue;
		}
		if (!S_ISLNK(st.st_mode))
			continue;
		fd = rc_beneath_open(rootfd, path, O_PATH);
		if (fd >= 0) {
			close(fd);
		} else if (errno == EXDEV || errno == ELOOP) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s %s", path,
				    escape_reason(errno));
			ok = FALSE;
		}
		/* A link to nothing inside the tree is harmless: it dangles. */
	}
	closedir(dir);
	return ok;
}

/**
 * rc_beneath_check_tree() - whether every link of a tree stays inside it
 * @root:	the tree
 * @error:	RC_ERROR_INPUT naming the first link (relative to @root) that
 *		leads out of the tree or loops; RC_ERROR_INFRA when the tree
 *		cannot be read
 *
 * A link that dangles inside the tree is accepted.  With every link
 * inside, every path below @root resolves inside it too.
 *
 * Return: TRUE when no link leads out
 */
gboolean rc_beneath_check_tree(const char *root, GError **error)
{
	int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd;
	gboolean ok;

	if (rootfd < 0 || (fd = dup(rootfd)) < 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot open %s: %s", root,
			    g_strerror(errno));
		if (rootfd >= 0)
			close(rootfd);
		return FALSE;
	}
	ok = check_dir(rootfd, fd, "", 0, error);
	close(rootfd);
	return ok;
}

/**
 * rc_beneath_check_path() - whether a path exists inside a tree
 * @root:	the tree (itself not a link)
 * @path:	relative to @root
 * @error:	RC_ERROR_INPUT: @path leads out of the tree, loops or is missing
 *
 * Return: TRUE when @path resolves to something inside @root
 */
gboolean rc_beneath_check_path(const char *root, const char *path, GError **error)
{
	int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd = rootfd >= 0 ? rc_beneath_open(rootfd, path, O_PATH) : -1;
	int err = errno;

	if (rootfd >= 0)
		close(rootfd);
	if (fd >= 0) {
		close(fd);
		return TRUE;
	}
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s %s", path,
		    rootfd < 0 ? g_strerror(err) : escape_reason(err));
	return FALSE;
}
