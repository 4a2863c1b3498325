/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemupkg.c - a QEMU from a Debian package: "debian:qemu-system-x86=VERSION"
 * (or "debian:PACKAGE", apt's candidate) fetched with apt, unpacked once
 * into the cache and run from there, next to the installed QEMU.
 *
 * Theory of operation:
 * - The emulator's package is fetched with rc_debian_fetch() (so
 *   --apt-sources reaches other suites), then qemu-system-data of the same
 *   source version: the firmware, keymaps and ROM blobs the binary looks
 *   for in its data directory.  qemu-system-common (the modules) is
 *   fetched only when the binary was built with modules (Debian's are):
 *   a module its tree lacks would be loaded from the installed QEMU, and
 *   QEMU aborts on a module of another build.
 * - Each package's data.tar is unpacked by hand, never by a tool that
 *   trusts it: an absolute member path, a ".." component, a member
 *   written through a link, or a link whose target leaves the tree refuses
 *   the whole package.  A target's text is not enough: chained links
 *   ("a/up -> ..", "usr -> a/up/a/up/../..") leave the tree although each
 *   looks harmless, so once a package is unpacked every link is resolved
 *   against the tree (beneath.c: openat2 RESOLVE_BENEATH), and one that
 *   leads out refuses the package.  A tree found in the cache is checked
 *   the same way before anything in it is run.  An absolute link target means the package's root
 *   and is rewritten relative to the link; a target the packages do not
 *   hold (seabios, ipxe-qemu) then dangles and QEMU goes on to its
 *   built-in firmware directories.
 * - The tree is unpacked into a temporary directory beside its place,
 *   $XDG_CACHE_HOME/romcompat/qemu/PACKAGE_VERSION, and renamed into it:
 *   a tree in the cache is always whole, and is reused as it is.
 * - Such a QEMU runs with -L its data directory and QEMU_MODULE_DIR its
 *   module directory (rc_qemu_pkg_runtime()), and a "qemu-bundle" link
 *   beside it turns its built-in directories into the tree's (confine()):
 *   without them it would read the installed QEMU's data and abort on the
 *   installed QEMU's modules.  Firmware no QEMU package ships (SeaBIOS,
 *   the iPXE ROMs) still comes from the system's firmware directories,
 *   given with -L after the tree's own.
 */
#include "sources/qemupkg.h"

#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "base/beneath.h"
#include "base/child.h"
#include "base/datadir.h"
#include "sources/debfile.h"
#include "sources/debsource.h"
#include "base/error.h"
#include "base/trace.h"

#define PREFIX "debian:"
/* Beside the tree: the firmware directories the binary was built with. */
#define FIRMWARE_FILE "firmware-path"
/* The package with QEMU's data files, and the one with its modules. */
#define DATA_PACKAGE   "qemu-system-data"
#define MODULE_PACKAGE "qemu-system-common"
/* How long the unpacked QEMU may take to list its directories. */
#define QEMU_HELP_TIMEOUT_US (30 * G_USEC_PER_SEC)

/* The emulator a package stands for when it ships several. */
static const struct {
	const char *package;
	const char *binary;
} default_binaries[] = {
	{"qemu-system-x86", "qemu-system-x86_64"},    {"qemu-system-arm", "qemu-system-aarch64"},
	{"qemu-system-ppc", "qemu-system-ppc64"},     {"qemu-system-mips", "qemu-system-mips64el"},
	{"qemu-system-sparc", "qemu-system-sparc64"}, {"qemu-system-misc", "qemu-system-riscv64"},
};

/* Debian architecture -> multiarch triplet, for the module directory. */
static const struct {
	const char *arch;
	const char *triplet;
} triplets[] = {
	{"amd64", "x86_64-linux-gnu"},	      {"arm64", "aarch64-linux-gnu"},
	{"i386", "i386-linux-gnu"},	      {"armhf", "arm-linux-gnueabihf"},
	{"ppc64el", "powerpc64le-linux-gnu"}, {"s390x", "s390x-linux-gnu"},
	{"riscv64", "riscv64-linux-gnu"},     {"loong64", "loongarch64-linux-gnu"},
};

/**
 * rc_qemu_pkg_free() - free an unpacked QEMU's description
 * @pkg:	the description, or NULL
 */
void rc_qemu_pkg_free(RcQemuPkg *pkg)
{
	if (!pkg)
		return;
	g_free(pkg->root);
	g_free(pkg->binary);
	g_free(pkg->datadir);
	g_free(pkg->moddir);
	g_strfreev(pkg->firmware);
	g_free(pkg);
}

/* ---- unpacking ---- */

static gboolean refuse(GError **error, const char *deb, const char *member, const char *why)
{
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "%s: member %s %s; refused to unpack a package that leaves its root", deb,
		    member, why);
	return FALSE;
}

/*
 * A member name as components below the root: "./usr/bin/x" -> usr, bin,
 * x.  NULL (with @why) for an absolute name or a ".." component.
 */
static GPtrArray *member_parts(const char *name, const char **why)
{
	g_auto(GStrv) parts = g_strsplit(name, "/", -1);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	if (*name == '/') {
		*why = "has an absolute path";
		g_ptr_array_unref(out);
		return NULL;
	}
	for (char **p = parts; *p; p++) {
		if (strcmp(*p, "..") == 0) {
			*why = "has a '..' component";
			g_ptr_array_unref(out);
			return NULL;
		}
		if (**p && strcmp(*p, ".") != 0)
			g_ptr_array_add(out, g_strdup(*p));
	}
	return out;
}

static char *join_parts(GPtrArray *parts, guint n)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < n; i++)
		g_string_append_printf(s, "%s%s", i ? "/" : "", (const char *)parts->pdata[i]);
	return g_string_free(s, FALSE);
}

/*
 * A link target, made safe: an absolute target is the package's root and
 * becomes relative to the link's directory (@depth components below the
 * root); a target that climbs above the root is NULL.
 */
static char *safe_link_target(GPtrArray *link, const char *target)
{
	g_auto(GStrv) parts = g_strsplit(target, "/", -1);
	gint level = *target == '/' ? 0 : (gint)link->len - 1;
	GString *s = g_string_new(NULL);

	for (char **p = parts; *p; p++) {
		if (!**p || strcmp(*p, ".") == 0)
			continue;
		if (strcmp(*p, "..") == 0 && --level < 0) {
			g_string_free(s, TRUE);
			return NULL;
		}
		if (strcmp(*p, "..") != 0)
			level++;
	}
	if (*target != '/') {
		g_string_assign(s, target);
		return g_string_free(s, FALSE);
	}
	for (guint i = 0; i + 1 < link->len; i++)
		g_string_append(s, "../");
	g_string_append(s, target + strspn(target, "/"));
	if (s->len == 0)
		g_string_append(s, ".");
	return g_string_free(s, FALSE);
}

/*
 * Make the directories above a member; none of them may be a link (a
 * member written through a link could land anywhere).
 */
static gboolean make_parents(const char *root, GPtrArray *parts, const char *deb,
			     const char *member, GError **error)
{
	g_autofree char *path = g_strdup(root);

	for (guint i = 0; i + 1 < parts->len; i++) {
		char *next = g_build_filename(path, (const char *)parts->pdata[i], NULL);
		GStatBuf st;

		g_free(path);
		path = next;
		if (g_lstat(path, &st) == 0) {
			if (S_ISLNK(st.st_mode))
				return refuse(error, deb, member, "is written through a link");
			if (!S_ISDIR(st.st_mode))
				return refuse(error, deb, member, "is below a file");
			continue;
		}
		if (g_mkdir(path, 0755) != 0) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make %s: %s", path,
				    g_strerror(errno));
			return FALSE;
		}
	}
	return TRUE;
}

/* A regular member's bytes into @path, executable bits kept, nothing else. */
static gboolean write_member(struct archive *tar, struct archive_entry *entry, const char *path,
			     const char *deb, const char *member, GError **error)
{
	mode_t mode = (archive_entry_perm(entry) & 0111) ? 0755 : 0644;
	guint8 buf[64 * 1024];
	la_ssize_t n;
	int fd;

	g_unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot create %s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	while ((n = archive_read_data(tar, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, (size_t)n) != n) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot write %s: %s", path,
				    g_strerror(errno));
			close(fd);
			return FALSE;
		}
	}
	close(fd);
	if (n < 0) {
		rc_deb_set_corrupt(error, deb, member,
				   archive_error_string(tar) ? archive_error_string(tar)
							     : "damaged or cut short");
		return FALSE;
	}
	return TRUE;
}

/* Whether @rel is a regular file of the tree, reached only through the tree. */
static gboolean regular_beneath(const char *root, const char *rel)
{
	int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd = rootfd >= 0 ? rc_beneath_open(rootfd, rel, O_PATH | O_NOFOLLOW) : -1;
	struct stat st;
	gboolean regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);

	if (fd >= 0)
		close(fd);
	if (rootfd >= 0)
		close(rootfd);
	return regular;
}

/* One member of data.tar under @root. */
static gboolean unpack_entry(struct archive *tar, struct archive_entry *entry, const char *root,
			     const char *deb, GError **error)
{
	const char *name = archive_entry_pathname(entry);
	const char *hard = archive_entry_hardlink(entry);
	const char *why = NULL;
	g_autoptr(GPtrArray) parts = NULL;
	g_autofree char *rel = NULL;
	g_autofree char *path = NULL;
	GStatBuf st;

	if (!name)
		return TRUE;
	if (!(parts = member_parts(name, &why)))
		return refuse(error, deb, name, why);
	if (parts->len == 0)
		return TRUE; /* "./" */
	if (!make_parents(root, parts, deb, name, error))
		return FALSE;
	rel = join_parts(parts, parts->len);
	path = g_build_filename(root, rel, NULL);
	if (hard) {
		g_autoptr(GPtrArray) target = member_parts(hard, &why);
		g_autofree char *target_rel = NULL;
		g_autofree char *target_path = NULL;

		if (!target)
			return refuse(error, deb, name, "is a hard link out of the package");
		target_rel = join_parts(target, target->len);
		target_path = g_build_filename(root, target_rel, NULL);
		if (!regular_beneath(root, target_rel))
			return refuse(error, deb, name, "is a hard link to no file of the package");
		g_unlink(path);
		if (link(target_path, path) != 0) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot link %s: %s", path,
				    g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
	switch (archive_entry_filetype(entry)) {
	case AE_IFDIR:
		if (g_lstat(path, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				return refuse(error, deb, name,
					      "is a directory over a link or file");
			return TRUE;
		}
		if (g_mkdir(path, 0755) != 0) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make %s: %s", path,
				    g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	case AE_IFREG:
		return write_member(tar, entry, path, deb, name, error);
	case AE_IFLNK: {
		const char *target = archive_entry_symlink(entry);
		g_autofree char *safe = target ? safe_link_target(parts, target) : NULL;
		g_autofree char *what = NULL;

		if (!safe) {
			what = g_strdup_printf("is a link to %s, outside the package",
					       target ? target : "nothing");
			return refuse(error, deb, name, what);
		}
		if (g_lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return refuse(error, deb, name, "is a link over a directory");
		g_unlink(path);
		if (symlink(safe, path) != 0) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot link %s: %s", path,
				    g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
	default:
		return TRUE; /* devices and fifos: nothing QEMU reads */
	}
}

/**
 * rc_qemu_pkg_extract() - unpack a package's files under a directory
 * @deb:	the .deb
 * @root:	the directory to unpack into (made if missing)
 * @error:	set for a corrupt package, or one with a member that would
 *		leave @root (absolute path, "..", a link out of the tree, alone
 *		or chained with the tree's other links, a member written
 *		through a link) (2); a write failure (3)
 *
 * Nothing outside @root is ever written; on failure @root holds part of
 * the package.  The links already in @root (packages unpacked there
 * before) are checked with the new ones.
 *
 * Return: TRUE when every member was unpacked
 */
gboolean rc_qemu_pkg_extract(const char *deb, const char *root, GError **error)
{
	g_autoptr(RcDebReader) r = NULL;
	g_autoptr(GError) local = NULL;
	struct archive_entry *entry;
	int rc;

	if (g_mkdir_with_parents(root, 0755) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make %s: %s", root,
			    g_strerror(errno));
		return FALSE;
	}
	if (!(r = rc_deb_open(deb, "data.tar", error)))
		return FALSE;
	while ((rc = archive_read_next_header(r->tar, &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN)
		if (!unpack_entry(r->tar, entry, root, deb, error))
			return FALSE;
	if (rc != ARCHIVE_EOF) {
		rc_deb_set_corrupt(error, deb, r->member, rc_deb_detail(r));
		return FALSE;
	}
	/* Links chained with those of the packages unpacked before count too. */
	if (!rc_beneath_check_tree(root, &local)) {
		if (!g_error_matches(local, RC_ERROR, RC_ERROR_INPUT)) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: member %s; refused to unpack a package that leaves its root", deb,
			    local->message);
		return FALSE;
	}
	return TRUE;
}

/* "qemu (1:10.0.2+ds-2)" or "qemu": the source version of a package. */
static char *source_version(GHashTable *control)
{
	const char *source = g_hash_table_lookup(control, "Source");
	const char *open = source ? strchr(source, '(') : NULL;

	if (open && strchr(open, ')'))
		return g_strndup(open + 1, (gsize)(strchr(open, ')') - open - 1));
	return g_strdup(g_hash_table_lookup(control, "Version"));
}

/* The cache directory's name for a package version: no ':' or '~'. */
static char *tree_name(const char *package, const char *version)
{
	char *name = g_strdup_printf("%s_%s", package, version);

	for (char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr(".+-_", *p))
			*p = '_';
	return name;
}

/* The emulator in @root that @package stands for, or NULL. */
static char *pick_binary(const char *root, const char *package)
{
	g_autofree char *bindir = g_build_filename(root, "usr", "bin", NULL);
	g_autoptr(GDir) dir = NULL;
	g_autofree char *only = NULL;
	const char *name;
	guint n = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(default_binaries); i++) {
		g_autofree char *path = NULL;

		if (strcmp(default_binaries[i].package, package) != 0)
			continue;
		path = g_build_filename(bindir, default_binaries[i].binary, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
			return g_steal_pointer(&path);
	}
	dir = g_dir_open(bindir, 0, NULL);
	while (dir && (name = g_dir_read_name(dir)))
		if (g_str_has_prefix(name, "qemu-system-") && n++ == 0)
			only = g_build_filename(bindir, name, NULL);
	return n == 1 ? g_steal_pointer(&only) : NULL;
}

/* The module directory of a tree: the one it holds, else the one for @arch. */
static char *module_dir(const char *root, const char *arch)
{
	g_autofree char *lib = g_build_filename(root, "usr", "lib", NULL);
	g_autoptr(GDir) dir = g_dir_open(lib, 0, NULL);
	const char *name;

	while (dir && (name = g_dir_read_name(dir))) {
		g_autofree char *path = g_build_filename(lib, name, "qemu", NULL);

		if (strstr(name, "-linux-") && g_file_test(path, G_FILE_TEST_IS_DIR))
			return g_steal_pointer(&path);
	}
	for (gsize i = 0; arch && i < G_N_ELEMENTS(triplets); i++)
		if (strcmp(triplets[i].arch, arch) == 0)
			return g_build_filename(lib, triplets[i].triplet, "qemu", NULL);
	return g_build_filename(lib, "x86_64-linux-gnu", "qemu", NULL);
}

/*
 * Was the binary built with modules?  Such a QEMU looks for a module in
 * QEMU_MODULE_DIR first, then in the directory it was built for: a module
 * missing from its own tree would be taken from the installed QEMU, and
 * QEMU aborts on a module of another build (listing the QOM types loads
 * them all).  Only a QEMU built with modules reads QEMU_MODULE_DIR.
 */
static gboolean needs_modules(const char *binary)
{
	g_autoptr(GMappedFile) map = g_mapped_file_new(binary, FALSE, NULL);
	static const char needle[] = "QEMU_MODULE_DIR";

	return map && memmem(g_mapped_file_get_contents(map), g_mapped_file_get_length(map), needle,
			     sizeof(needle) - 1) != NULL;
}

/* The firmware directories recorded beside @root, or an empty list. */
static GStrv read_firmware_path(const char *root)
{
	g_autofree char *tree = g_path_get_dirname(root);
	g_autofree char *file = g_build_filename(tree, FIRMWARE_FILE, NULL);
	g_autofree char *text = NULL;

	if (!g_file_get_contents(file, &text, NULL, NULL))
		return g_new0(char *, 1);
	g_strstrip(text);
	return *text ? g_strsplit(text, "\n", -1) : g_new0(char *, 1);
}

/*
 * Make the unpacked QEMU find its own files, never the installed QEMU's:
 * the directories it was built to search are recorded (`-L help`, before
 * the next step changes them) for rc_qemu_pkg_runtime(); then a
 * "qemu-bundle" link beside the binary to the tree's root makes QEMU read
 * its built-in directories, modules first, inside the tree.  Without it a
 * module missing from QEMU_MODULE_DIR is loaded from the installed QEMU,
 * and QEMU aborts on a module of another build.
 */
static gboolean confine(const char *tree, const char *binary, const char *moddir, GError **error)
{
	g_autofree char *bindir = g_path_get_dirname(binary);
	g_autofree char *bundle = g_build_filename(bindir, "qemu-bundle", NULL);
	g_autofree char *file = g_build_filename(tree, FIRMWARE_FILE, NULL);
	g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "QEMU_MODULE_DIR", moddir, TRUE);
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("qemu -L help", binary);
	g_autoptr(RcChildResult) result = NULL;

	rc_child_cmd_add_arg(cmd, "-L");
	rc_child_cmd_add_arg(cmd, "help");
	rc_child_cmd_set_env(cmd, (const char *const *)envp);
	rc_child_cmd_set_timeout(cmd, QEMU_HELP_TIMEOUT_US);
	rc_child_cmd_set_output_cap(cmd, RC_CHILD_OUTPUT_CAP);
	if (!(result = rc_child_cmd_run(cmd, error)))
		return FALSE;
	if (!rc_child_succeeded(result)) {
		g_autofree char *how = rc_child_describe(result);
		const char *last = strrchr(g_strstrip(result->err), '\n');

		/* One line: the last it printed says most. */
		last = last ? last + 1 : result->err;
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "%s does not run here: '-L help' %s%s%s (are the libraries it needs "
			    "installed?)",
			    binary, how, *last ? ": " : "", last);
		return FALSE;
	}
	if (!g_file_set_contents(file, result->out, -1, error))
		return FALSE;
	if (symlink("../..", bundle) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot link %s: %s", bundle,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/*
 * Refuse a tree in the cache that leads out of itself (one unpacked by an
 * older romcompat, or put there by hand): nothing in it is run.
 */
static gboolean tree_is_safe(const char *root, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autofree char *tree = g_path_get_dirname(root);
	GStatBuf st;

	if (g_lstat(root, &st) == 0 && !S_ISDIR(st.st_mode))
		g_set_error(&local, RC_ERROR, RC_ERROR_INPUT, "%s is not a directory", root);
	else if (rc_beneath_check_tree(root, &local))
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "the QEMU unpacked in %s is not safe to run: %s; delete %s and run again", tree,
		    local->message, tree);
	return FALSE;
}

/*
 * A tree in the cache, described; NULL without @error when it is none
 * (missing, or no emulator in it), NULL with @error when one of its links
 * leads out of it.
 */
static RcQemuPkg *describe(const char *root, const char *package, GError **error)
{
	g_autofree char *binary = NULL;
	g_autoptr(GError) local = NULL;
	RcQemuPkg *pkg;

	if (!g_file_test(root, G_FILE_TEST_EXISTS))
		return NULL;
	if (!tree_is_safe(root, error))
		return NULL;
	if (!(binary = pick_binary(root, package)))
		return NULL;
	/* Every link was inside; the paths used are checked once more. */
	if (!rc_beneath_check_path(root, binary + strlen(root) + 1, &local)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: %s; delete the tree in the cache and run again", root,
			    local->message);
		return NULL;
	}
	pkg = g_new0(RcQemuPkg, 1);
	pkg->root = g_strdup(root);
	pkg->binary = g_steal_pointer(&binary);
	pkg->datadir = g_build_filename(root, "usr", "share", "qemu", NULL);
	pkg->moddir = module_dir(root, NULL);
	pkg->firmware = read_firmware_path(root);
	return pkg;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0; /* on with the rest */
}

/* A temporary tree that did not make it into the cache. */
static void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Fetch "debian:PACKAGE=VERSION" and unpack it under @root. */
static gboolean fetch_into(const char *package, const char *version, const char *root,
			   GError **error)
{
	g_autofree char *spec = g_strdup_printf(PREFIX "%s=%s", package, version);
	g_autofree char *deb = rc_debian_fetch(spec, NULL, error);

	if (!deb)
		return FALSE;
	rc_trace("%s: unpacking %s", spec, deb);
	return rc_qemu_pkg_extract(deb, root, error);
}

/* Fetch the packages of @deb's QEMU and unpack them into the cache as @final. */
static gboolean unpack_tree(const char *spec, const char *deb, const char *package,
			    GHashTable *control, const char *final, GError **error)
{
	g_autofree char *parent = g_path_get_dirname(final);
	g_autofree char *base = g_path_get_basename(final);
	g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", parent, base);
	g_autofree char *root = NULL;
	g_autofree char *binary = NULL;
	g_autofree char *moddir = NULL;
	g_autofree char *data_version = source_version(control);
	const char *version = g_hash_table_lookup(control, "Version");

	if (!g_mkdtemp_full(tmp, 0700)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make %s: %s", tmp,
			    g_strerror(errno));
		return FALSE;
	}
	root = g_build_filename(tmp, "root", NULL);
	if (!rc_qemu_pkg_extract(deb, root, error))
		goto fail;
	if (!(binary = pick_binary(root, package))) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: the package holds no qemu-system-* program (or several, none "
			    "the default); name a qemu-system-* package such as qemu-system-x86",
			    spec);
		goto fail;
	}
	if (!fetch_into(DATA_PACKAGE, data_version, root, error))
		goto fail;
	if (needs_modules(binary) && !fetch_into(MODULE_PACKAGE, version, root, error))
		goto fail;
	moddir = module_dir(root, g_hash_table_lookup(control, "Architecture"));
	g_mkdir_with_parents(moddir, 0755);
	if (!confine(tmp, binary, moddir, error))
		goto fail;
	if (g_rename(tmp, final) != 0) {
		/* Another romcompat unpacked it meanwhile: use that one. */
		if (errno != ENOTEMPTY && errno != EEXIST) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot keep %s: %s", final,
				    g_strerror(errno));
			goto fail;
		}
		remove_tree(tmp);
	}
	rc_trace("%s: unpacked into %s", spec, final);
	return TRUE;

fail:
	remove_tree(tmp);
	return FALSE;
}

/**
 * rc_qemu_pkg_get() - a QEMU from Debian packages, unpacked in the cache
 * @spec:	"debian:PACKAGE=VERSION" or "debian:PACKAGE" (apt's candidate),
 *		PACKAGE a qemu-system-* package
 * @error:	set for a malformed source, an unknown package or version, a
 *		package without an emulator or one that would leave its tree
 *		(2); apt or the disk failing (3)
 *
 * A version already unpacked is used as it is, without asking apt.
 *
 * Return: the unpacked QEMU, or NULL
 */
RcQemuPkg *rc_qemu_pkg_get(const char *spec, GError **error)
{
	const char *rest = spec + strlen(PREFIX);
	const char *eq = strchr(rest, '=');
	g_autofree char *package = eq ? g_strndup(rest, (gsize)(eq - rest)) : g_strdup(rest);
	g_autofree char *qemu_dir = rc_cachedir("qemu");
	g_autofree char *final = NULL;
	g_autofree char *root = NULL;
	g_autofree char *deb = NULL;
	g_autoptr(GHashTable) control = NULL;
	g_autoptr(GError) local = NULL;
	RcQemuPkg *pkg;

	if (eq) {
		g_autofree char *name = tree_name(package, eq + 1);

		final = g_build_filename(qemu_dir, name, NULL);
		root = g_build_filename(final, "root", NULL);
		if ((pkg = describe(root, package, &local))) {
			rc_trace("%s: cached %s", spec, pkg->binary);
			return pkg;
		}
		if (local) {
			g_propagate_error(error, g_steal_pointer(&local));
			return NULL;
		}
	}
	if (!(deb = rc_debian_fetch(spec, NULL, error)) || !(control = rc_deb_control(deb, error)))
		return NULL;
	if (!g_hash_table_lookup(control, "Version") ||
	    g_strcmp0(g_hash_table_lookup(control, "Package"), package) != 0) {
		rc_deb_set_corrupt(error, deb, "control names another package or no version", NULL);
		return NULL;
	}
	if (!eq) {
		g_autofree char *name = tree_name(package, g_hash_table_lookup(control, "Version"));

		final = g_build_filename(qemu_dir, name, NULL);
		root = g_build_filename(final, "root", NULL);
	}
	if (!g_file_test(root, G_FILE_TEST_IS_DIR) &&
	    !unpack_tree(spec, deb, package, control, final, error))
		return NULL;
	if (!(pkg = describe(root, package, &local)) && local)
		g_propagate_error(error, g_steal_pointer(&local));
	else if (!pkg)
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: no qemu-system-* program in %s; name a qemu-system-* package",
			    spec, root);
	return pkg;
}

/**
 * rc_qemu_pkg_for_binary() - the unpacked QEMU a binary belongs to
 * @binary:	an absolute path
 *
 * Return: its description when @binary is ROOT/usr/bin/qemu-system-* of a
 * tree in romcompat's QEMU cache, else NULL (an installed QEMU)
 */
RcQemuPkg *rc_qemu_pkg_for_binary(const char *binary)
{
	g_autofree char *bindir = g_path_get_dirname(binary);
	g_autofree char *usr = g_path_get_dirname(bindir);
	g_autofree char *root = g_path_get_dirname(usr);
	g_autofree char *tree = NULL;
	g_autofree char *parent = NULL;
	g_autofree char *qemu_dir = NULL;
	g_autofree char *canonical_dir = NULL;
	g_autofree char *datadir = NULL;
	g_autofree char *name = NULL;
	g_autofree char *rel = NULL;
	RcQemuPkg *pkg;

	/* Called for every QEMU started: an installed one (/usr/bin/...) is
	 * told apart by its path alone, without touching the cache. */
	if (!g_str_has_suffix(bindir, "/usr/bin") || !g_str_has_suffix(root, "/root"))
		return NULL;
	tree = g_path_get_dirname(root);
	parent = g_path_get_dirname(tree);
	qemu_dir = g_build_filename(g_get_user_cache_dir(), "romcompat", "qemu", NULL);
	canonical_dir = g_canonicalize_filename(qemu_dir, NULL);
	datadir = g_build_filename(root, "usr", "share", "qemu", NULL);
	if (strcmp(parent, canonical_dir) != 0 || !g_file_test(datadir, G_FILE_TEST_IS_DIR))
		return NULL;
	/* -L and QEMU_MODULE_DIR point inside the tree only (see describe()). */
	name = g_path_get_basename(binary);
	rel = g_build_filename("usr", "bin", name, NULL);
	if (!rc_beneath_check_path(root, rel, NULL) ||
	    !rc_beneath_check_path(root, "usr/share/qemu", NULL))
		return NULL;
	pkg = g_new0(RcQemuPkg, 1);
	pkg->root = g_steal_pointer(&root);
	pkg->binary = g_strdup(binary);
	pkg->datadir = g_steal_pointer(&datadir);
	pkg->moddir = module_dir(pkg->root, NULL);
	pkg->firmware = read_firmware_path(pkg->root);
	return pkg;
}

/**
 * rc_qemu_pkg_runtime() - what a QEMU needs to run from the cache
 * @binary:	the QEMU binary (absolute path), argv[0]
 * @argv:	its argv so far; for an unpacked QEMU "-L DATADIR" is appended,
 *		then "-L DIR" for each system firmware directory it was built
 *		with (the firmware its packages lack: SeaBIOS, iPXE ROMs)
 *
 * Return: the environment to run it with (QEMU_MODULE_DIR set;
 * g_strfreev() it), or NULL for an installed QEMU, which runs as it is
 */
char **rc_qemu_pkg_runtime(const char *binary, GPtrArray *argv)
{
	RcQemuPkg *pkg = rc_qemu_pkg_for_binary(binary); /* plain ownership, see romset.c */
	char **envp;

	if (!pkg)
		return NULL;
	g_ptr_array_add(argv, g_strdup("-L"));
	g_ptr_array_add(argv, g_strdup(pkg->datadir));
	for (guint i = 0; pkg->firmware[i]; i++) {
		g_ptr_array_add(argv, g_strdup("-L"));
		g_ptr_array_add(argv, g_strdup(pkg->firmware[i]));
	}
	envp = g_environ_setenv(g_get_environ(), "QEMU_MODULE_DIR", pkg->moddir, TRUE);
	rc_qemu_pkg_free(pkg);
	return envp;
}
