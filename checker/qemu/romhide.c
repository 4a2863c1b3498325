/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * romhide.c - ROM files hidden from the QEMUs romcompat starts, in a
 * private mount namespace (with a user namespace when not root), the
 * system's files untouched.
 *
 * Theory of operation: `-L DIR` cannot hide a file.  QEMU searches the
 * -L directories first and its built-in firmware path after them (7.2:
 * qemu_add_data_dir() for -L, then qemu_add_default_firmwarepath()), so a
 * file missing from DIR is still found in /usr/share/qemu or
 * /usr/lib/ipxe/qemu.  So romcompat leaves the system's mount namespace
 * (unshare(CLONE_NEWNS), everything made private so nothing propagates
 * back), and over each directory of QEMU's search path that holds a file
 * to hide it bind-mounts a private tree: a symlink to every entry of the
 * directory (to where its own symlinks lead) except the hidden names.  With
 * the set's own files given (@only), an entry of a hidden name is hidden
 * only when it leads to one of them: /usr/share/qemu/bios-microvm.bin, a
 * link to qemu-system-data's qboot.rom, stays when SeaBIOS's
 * bios-microvm.bin is hidden, as it would stay without seabios.  The
 * entries are reached through a second bind mount of the original
 * directory inside the run directory, since the original path is covered.
 * The QEMUs romcompat starts afterwards (from this thread, or threads it
 * starts afterwards) see the filtered directories; nothing outside this
 * process sees anything, and the mounts end with it at the latest.
 *
 * No root needed: without CAP_SYS_ADMIN the mount namespace comes with a
 * user namespace that maps only the user's own uid and gid, so QEMU runs
 * as the user, without capabilities after exec.  rc_rom_hide_enter() is
 * called while the process has a single thread (the kernel refuses a user
 * namespace to a threaded process): the namespaces belong to the thread
 * that unshared them and to what it starts afterwards.
 */
#include "qemu/romhide.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "base/error.h"
#include "base/trace.h"
#include "qemu/rundir.h"

/* One covered directory. */
typedef struct {
	char *path;	   /* the directory QEMU searches (its real path) */
	RcRunDir *run;	   /* holds tree/ and orig/ */
	char *tree;	   /* the filtered tree mounted over @path */
	char *orig;	   /* @path bind-mounted, for the tree's links */
	GPtrArray *names;  /* entries kept */
	GPtrArray *target; /* where each kept entry leads (a real path) */
	GPtrArray *hidden; /* entries hidden */
	gboolean orig_mounted;
	gboolean tree_mounted;
} Covered;

struct RcRomHide {
	GPtrArray *covered; /* Covered* */
	guint hidden;	    /* files hidden, over every directory */
};

static void covered_free(gpointer p)
{
	Covered *c = p;

	if (c->tree_mounted && umount2(c->path, MNT_DETACH) != 0)
		rc_trace("umount %s: %s", c->path, g_strerror(errno));
	if (c->orig_mounted && umount2(c->orig, MNT_DETACH) != 0)
		rc_trace("umount %s: %s", c->orig, g_strerror(errno));
	for (guint i = 0; c->tree && i < c->names->len; i++) {
		g_autofree char *link = g_build_filename(c->tree, c->names->pdata[i], NULL);

		g_unlink(link);
	}
	if (c->tree)
		g_rmdir(c->tree);
	if (c->orig)
		g_rmdir(c->orig);
	rc_rundir_free(c->run);
	g_ptr_array_unref(c->names);
	g_ptr_array_unref(c->target);
	g_ptr_array_unref(c->hidden);
	g_free(c->tree);
	g_free(c->orig);
	g_free(c->path);
	g_free(c);
}

/* Set when a user namespace had to come with the mount namespace. */
static gboolean in_user_namespace;

/* The threads of this process: a user namespace takes a single one. */
static guint thread_count(void)
{
	g_autoptr(GDir) dir = g_dir_open("/proc/self/task", 0, NULL);
	guint n = 0;

	while (dir && g_dir_read_name(dir))
		n++;
	return n;
}

/* Write @text to the /proc/self file @name (an id map, setgroups). */
static gboolean write_proc(const char *name, const char *text)
{
	g_autofree char *path = g_build_filename("/proc/self", name, NULL);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);
	gboolean ok;
	int saved;

	if (fd < 0)
		return FALSE;
	ok = write(fd, text, len) == (ssize_t)len;
	saved = errno;
	close(fd);
	errno = saved;
	return ok;
}

/*
 * Keep CAP_SYS_ADMIN alone (mounts, in this namespace only): the others
 * would let romcompat override the modes of the user's own files.
 */
static gboolean keep_sys_admin(void)
{
	struct __user_cap_header_struct head = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};

	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective = CAP_TO_MASK(CAP_SYS_ADMIN);
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted = CAP_TO_MASK(CAP_SYS_ADMIN);
	return syscall(SYS_capset, &head, data) == 0;
}

/* What to do when the kernel refuses a user namespace with @err. */
static const char *userns_remedy(int err, guint threads)
{
	if (err == ENOSPC)
		return "the limit of user namespaces is reached: raise it with sysctl "
		       "user.max_user_namespaces";
	if (err == EINVAL && threads > 1)
		return "the process has threads already (a bug: report it)";
	if (err == EINVAL)
		return "the kernel has no user namespaces (CONFIG_USER_NS)";
	return "unprivileged user namespaces are disabled: allow them with sysctl "
	       "kernel.unprivileged_userns_clone=1 where it exists, user.max_user_namespaces "
	       "above 0, or a container that permits them";
}

/*
 * A user namespace in which this process keeps its own uid and gid (QEMU
 * runs as the user, without capabilities after exec), and a mount
 * namespace it owns.
 */
static gboolean enter_user_namespace(GError **error)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	g_autofree char *uid_map = g_strdup_printf("%u %u 1\n", (unsigned)uid, (unsigned)uid);
	g_autofree char *gid_map = g_strdup_printf("%u %u 1\n", (unsigned)gid, (unsigned)gid);
	guint threads = thread_count();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
		int err = errno;

		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot hide ROM files from QEMU: no user namespace (%s); %s",
			    g_strerror(err), userns_remedy(err, threads));
		return FALSE;
	}
	if (!write_proc("setgroups", "deny") || !write_proc("uid_map", uid_map) ||
	    !write_proc("gid_map", gid_map) || !keep_sys_admin()) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot hide ROM files from QEMU: the user namespace's ids cannot be "
			    "set (%s)",
			    g_strerror(errno));
		return FALSE;
	}
	in_user_namespace = TRUE;
	return TRUE;
}

/**
 * rc_rom_hide_enter() - leave the system's mount namespace
 * @error:	set (exit 3) when no private mount namespace can be had
 *
 * Root (CAP_SYS_ADMIN) unshares the mount namespace alone; anyone else,
 * or root refused that, a user namespace with it, mapping only its own
 * uid and gid.  Every mount is then made private, so nothing propagates
 * back.  Call while the process has a single thread (a user namespace
 * requires it), before any thread that starts a QEMU: the namespaces
 * belong to this thread and to what it starts afterwards.  Calling again
 * does nothing.
 *
 * Return: TRUE in a private mount namespace
 */
gboolean rc_rom_hide_enter(GError **error)
{
	static gboolean entered;

	if (entered)
		return TRUE;
	if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0) {
		if (geteuid() == 0 && errno != EPERM) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "cannot hide ROM files from QEMU: no private mount namespace "
				    "(%s)",
				    g_strerror(errno));
			return FALSE;
		}
		if (!enter_user_namespace(error))
			return FALSE;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot hide ROM files from QEMU: mounts cannot be made private "
			    "(%s)%s",
			    g_strerror(errno),
			    in_user_namespace
				    ? "; allow unprivileged user namespaces mounts "
				      "(sysctl kernel.apparmor_restrict_unprivileged_userns=0 "
				      "where it exists)"
				    : "");
		return FALSE;
	}
	entered = TRUE;
	return TRUE;
}

/**
 * rc_rom_hide_user_namespace() - whether a user namespace came with it
 *
 * Return: TRUE when rc_rom_hide_enter() entered a user namespace
 */
gboolean rc_rom_hide_user_namespace(void)
{
	return in_user_namespace;
}

/* Whether the entry @name of @dir is to be hidden: one of @names and, with
 * @only, leading to one of those real paths. */
static gboolean hides(const char *dir, const char *name, const char *const *names,
		      const char *const *only)
{
	g_autofree char *entry = NULL;
	char real[PATH_MAX];

	if (!g_strv_contains(names, name))
		return FALSE;
	if (!only)
		return TRUE;
	entry = g_build_filename(dir, name, NULL);
	return realpath(entry, real) && g_strv_contains(only, real);
}

/* How many entries of @dir are to be hidden (files, links or anything else). */
static guint count_names(const char *dir, const char *const *names, const char *const *only)
{
	guint n = 0;

	for (guint i = 0; names[i]; i++) {
		g_autofree char *path = g_build_filename(dir, names[i], NULL);
		GStatBuf st;

		n += g_lstat(path, &st) == 0 && hides(dir, names[i], names, only);
	}
	return n;
}

/* A directory to cover: its entries but those hidden, and where each leads. */
static Covered *covered_new(const char *path, const char *const *names, const char *const *only,
			    GError **error)
{
	Covered *c = g_new0(Covered, 1);
	g_autoptr(GDir) dir = NULL;
	const char *name;

	c->path = g_strdup(path);
	c->names = g_ptr_array_new_with_free_func(g_free);
	c->target = g_ptr_array_new_with_free_func(g_free);
	c->hidden = g_ptr_array_new_with_free_func(g_free);
	if (!(c->run = rc_rundir_new(error)) || !(dir = g_dir_open(path, 0, error))) {
		covered_free(c);
		return NULL;
	}
	c->tree = rc_rundir_file(c->run, "tree");
	c->orig = rc_rundir_file(c->run, "orig");
	if (g_mkdir(c->tree, 0755) != 0 || g_mkdir(c->orig, 0755) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make %s: %s", c->tree,
			    g_strerror(errno));
		covered_free(c);
		return NULL;
	}
	g_chmod(rc_rundir_path(c->run), 0755); /* QEMU may run as another user */
	while ((name = g_dir_read_name(dir))) {
		g_autofree char *entry = g_build_filename(path, name, NULL);
		char real[PATH_MAX];

		if (hides(path, name, names, only)) {
			g_ptr_array_add(c->hidden, g_strdup(name));
			continue;
		}
		g_ptr_array_add(c->names, g_strdup(name));
		g_ptr_array_add(c->target, g_strdup(realpath(entry, real) ? real : entry));
	}
	return c;
}

/* @target, reached through the bind mount of the covered directory it is in. */
static char *reachable(const RcRomHide *hide, const char *target)
{
	for (guint i = 0; i < hide->covered->len; i++) {
		const Covered *c = hide->covered->pdata[i];
		size_t n = strlen(c->path);

		if (strncmp(target, c->path, n) == 0 && target[n] == '/')
			return g_strconcat(c->orig, target + n, NULL);
	}
	return g_strdup(target);
}

/* Each covered directory's tree of links, mounted over it. */
static gboolean cover(RcRomHide *hide, GError **error)
{
	for (guint i = 0; i < hide->covered->len; i++) {
		Covered *c = hide->covered->pdata[i];

		if (mount(c->path, c->orig, NULL, MS_BIND, NULL) != 0)
			goto fail;
		c->orig_mounted = TRUE;
	}
	for (guint i = 0; i < hide->covered->len; i++) {
		Covered *c = hide->covered->pdata[i];

		for (guint j = 0; j < c->names->len; j++) {
			g_autofree char *link = g_build_filename(c->tree, c->names->pdata[j], NULL);
			g_autofree char *to = reachable(hide, c->target->pdata[j]);

			if (symlink(to, link) != 0)
				goto fail;
		}
		if (mount(c->tree, c->path, NULL, MS_BIND, NULL) != 0)
			goto fail;
		c->tree_mounted = TRUE;
		rc_trace("%s: %u entries kept, covered by %s", c->path, c->names->len, c->tree);
	}
	return TRUE;
fail:
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot hide ROM files from QEMU: %s",
		    g_strerror(errno));
	return FALSE;
}

/* The directories of @dirs that hold an entry to hide, each once, by real path. */
static gboolean collect(RcRomHide *hide, const char *const *dirs, const char *const *names,
			const char *const *only, GError **error)
{
	for (guint i = 0; dirs[i]; i++) {
		char real[PATH_MAX];
		Covered *c;
		guint n;
		gboolean seen = FALSE;

		if (!realpath(dirs[i], real) || !(n = count_names(real, names, only)))
			continue;
		for (guint j = 0; j < hide->covered->len; j++)
			seen |= strcmp(((Covered *)hide->covered->pdata[j])->path, real) == 0;
		if (seen)
			continue;
		if (!(c = covered_new(real, names, only, error)))
			return FALSE;
		g_ptr_array_add(hide->covered, c);
		hide->hidden += n;
	}
	return TRUE;
}

/**
 * rc_rom_hide_new() - hide files from QEMU's search path
 * @dirs:	the directories QEMU searches (`-L help`), NULL-terminated
 * @names:	the file names to hide, NULL-terminated
 * @only:	the real paths of the set's files, NULL-terminated: an entry of
 *		one of @names is hidden only when it leads to one of them; NULL
 *		hides every entry of those names
 * @error:	set (exit 3) when no private mount namespace can be had, or a
 *		directory cannot be covered, or a name is still visible
 *
 * From now on, in this process, none of @dirs shows any of @names (of
 * @only); the rest of each directory is still there.  rc_rom_hide_free()
 * uncovers.
 *
 * Return: the cover, or NULL
 */
RcRomHide *rc_rom_hide_new(const char *const *dirs, const char *const *names,
			   const char *const *only, GError **error)
{
	RcRomHide *hide; /* plain ownership: clang's analyzer loses g_autoptr of our types */

	if (!rc_rom_hide_enter(error))
		return NULL;
	hide = g_new0(RcRomHide, 1);
	hide->covered = g_ptr_array_new_with_free_func(covered_free);
	if (!collect(hide, dirs, names, only, error) || !cover(hide, error))
		goto fail;
	for (guint i = 0; i < hide->covered->len; i++) {
		const Covered *c = hide->covered->pdata[i];

		for (guint j = 0; j < c->hidden->len; j++) {
			g_autofree char *entry =
				g_build_filename(c->path, c->hidden->pdata[j], NULL);
			GStatBuf st;

			if (g_lstat(entry, &st) == 0) {
				g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
					    "cannot hide ROM files from QEMU: %s still shows them",
					    c->path);
				goto fail;
			}
		}
	}
	return hide;
fail:
	rc_rom_hide_free(hide);
	return NULL;
}

/**
 * rc_rom_hide_count() - how many files are hidden
 * @hide:	the cover
 *
 * Return: the hidden files over every covered directory
 */
guint rc_rom_hide_count(const RcRomHide *hide)
{
	return hide->hidden;
}

/**
 * rc_rom_hide_free() - uncover the directories and remove the trees
 * @hide:	the cover, or NULL
 */
void rc_rom_hide_free(RcRomHide *hide)
{
	if (!hide)
		return;
	if (hide->covered)
		g_ptr_array_unref(hide->covered);
	g_free(hide);
}
