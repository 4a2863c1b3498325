/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debsource.c - "debian:PACKAGE=VERSION" (or "debian:PACKAGE", the
 * candidate version) as a ROM source: the package fetched with apt-get
 * into romcompat's cache, then read like any .deb.
 *
 * apt does the fetching and the checking: `apt-get download` verifies the
 * file against the archive's signed index before it keeps it.  A package
 * kept in the cache is checked again when its size or modification time
 * changed since it was last checked, against the size and SHA256 apt's
 * index gives its version (a copy cut short by a full disk is fetched
 * again), and one run at a time fetches a version: a lock
 * file per version (flock) makes a second run wait for the first.  It runs
 * without root, in a private directory of the cache, from an argv (never
 * a shell).  With --apt-sources FILE (or ROMCOMPAT_APT_SOURCES), apt
 * reads that sources list through private lists and cache directories
 * under romcompat's cache, so other suites are reachable without touching
 * the system's apt state; `apt-get update` runs there once a day at most.
 */
#include "sources/debsource.h"

#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "base/child.h"
#include "base/datadir.h"
#include "sources/debfile.h"
#include "base/error.h"
#include "base/input.h"
#include "base/trace.h"

#define PREFIX "debian:"
/* How old the private package lists may get before apt-get update. */
#define LISTS_MAX_AGE_S (24 * 3600)
/* A sources list is a few lines; a larger one is not read into memory. */
#define SOURCES_FILE_MAX (1024 * 1024)
/* How long a run waits for another fetching the same package version. */
#define FETCH_LOCK_TIMEOUT_S 600
/* How long one apt run may take (an update of three suites takes ~4 s). */
#define APT_TIMEOUT_US (300 * G_USEC_PER_SEC)
/* apt's output kept, first and last half: its errors come last. */
#define APT_OUTPUT_CAP (1024 * 1024)

static char *apt_sources;

/**
 * rc_debian_set_apt_sources() - read packages through another sources list
 * @path:	a sources.list or deb822 .sources file, or NULL for the system's
 */
void rc_debian_set_apt_sources(const char *path)
{
	g_free(apt_sources);
	apt_sources = path ? g_canonicalize_filename(path, NULL) : NULL;
}

/**
 * rc_debian_is_source() - is this a "debian:" source?
 * @spec:	a path or source given by the user
 *
 * Return: TRUE for "debian:..."
 */
gboolean rc_debian_is_source(const char *spec)
{
	return spec && g_str_has_prefix(spec, PREFIX);
}

static gboolean valid_package(const char *s)
{
	if (!*s || !g_ascii_isalnum(*s) || strlen(s) > 100)
		return FALSE;
	for (; *s; s++)
		if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s) && !strchr("+-.", *s))
			return FALSE;
	return TRUE;
}

static gboolean valid_version(const char *s);

/**
 * rc_debian_source_is_valid() - whether a debian: source is well formed
 * @spec:	"debian:PACKAGE" or "debian:PACKAGE=VERSION"
 *
 * Return: TRUE when the package name and version are ones Debian allows
 */
gboolean rc_debian_source_is_valid(const char *spec)
{
	const char *rest;
	const char *eq;
	g_autofree char *package = NULL;

	if (!rc_debian_is_source(spec))
		return FALSE;
	rest = spec + strlen(PREFIX);
	eq = strchr(rest, '=');
	package = eq ? g_strndup(rest, (gsize)(eq - rest)) : g_strdup(rest);
	return valid_package(package) && (!eq || valid_version(eq + 1));
}

static gboolean valid_version(const char *s)
{
	if (!*s || !g_ascii_isalnum(*s) || strlen(s) > 100)
		return FALSE;
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && !strchr(".+~:-", *s))
			return FALSE;
	return TRUE;
}

/* The private sources list, or NULL for the system's apt configuration. */
static const char *sources_file(void)
{
	const char *env = g_getenv("ROMCOMPAT_APT_SOURCES");

	return apt_sources ? apt_sources : (env && *env ? env : NULL);
}

/*
 * The private apt directory of a sources list: one per content of the
 * file, so that two lists never share package indexes or a freshness stamp.
 */
static char *private_apt_dir(const char *sources)
{
	g_autofree char *text = NULL;
	g_autofree char *digest = NULL;
	g_autofree char *part = NULL;
	gsize len = 0;

	if (!rc_input_read(sources, "apt sources list", SOURCES_FILE_MAX, &text, &len, NULL))
		text = g_strdup(sources);
	digest = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
	part = g_strdup_printf("apt/%.16s", digest);
	return rc_cachedir(part);
}

/* apt's options for the private sources list, or none. */
static GPtrArray *apt_argv(const char *tool)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *apt_dir = NULL;
	const char *sources = sources_file();

	g_ptr_array_add(argv, g_strdup(tool));
	if (!sources)
		return argv;
	apt_dir = private_apt_dir(sources);
	/* No installed packages either: only what the list offers. */
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup_printf("Dir::State::status=%s/status", apt_dir));
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup_printf("Dir::Etc::SourceList=%s", sources));
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup_printf("Dir::Etc::SourceParts=%s/sources.list.d", apt_dir));
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup_printf("Dir::State::Lists=%s/lists", apt_dir));
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup_printf("Dir::Cache=%s/cache", apt_dir));
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup("Debug::NoLocking=1"));
	return argv;
}

/*
 * Run an apt tool; its output in *@out, its errors in *@err, its wait
 * status in *@status.  Its own process group, a deadline, output within a
 * bound (rc_child_run()).
 */
static gboolean run_apt(GPtrArray *argv, const char *cwd, char **out, char **err, int *status,
			GError **error)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("apt", g_ptr_array_index(argv, 0));
	g_autoptr(RcChildResult) result = NULL;

	for (guint i = 1; i < argv->len; i++)
		rc_child_cmd_add_arg(cmd, g_ptr_array_index(argv, i));
	rc_child_cmd_set_cwd(cmd, cwd);
	rc_child_cmd_search_path(cmd);
	rc_child_cmd_set_timeout(cmd, APT_TIMEOUT_US);
	rc_child_cmd_set_output_cap(cmd, APT_OUTPUT_CAP);
	if (!(result = rc_child_cmd_run(cmd, error))) {
		if (!rc_child_interrupted())
			g_prefix_error(error, "debian: sources need apt: ");
		return FALSE;
	}
	if (result->end == RC_CHILD_TIMED_OUT) {
		g_autofree char *how = rc_child_describe(result);

		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "%s: %s (is the archive reachable?)",
			    (const char *)argv->pdata[0], how);
		return FALSE;
	}
	*status = result->end == RC_CHILD_EXITED ? W_EXITCODE(result->exit_code, 0)
						 : W_EXITCODE(0, result->signal);
	*out = g_steal_pointer(&result->out);
	*err = g_steal_pointer(&result->err);
	return TRUE;
}

/* The line of apt's errors that says what went wrong, for a one-line error. */
static char *apt_reason(const char *err)
{
	g_auto(GStrv) lines = g_strsplit(err ? err : "", "\n", -1);
	const char *keys[] = {"E: ", "W: Failed to fetch"};

	for (gsize k = 0; k < G_N_ELEMENTS(keys); k++)
		for (guint i = 0; lines[i]; i++)
			if (strstr(lines[i], keys[k]))
				return g_strdup(g_strstrip(lines[i]));
	return g_strdup("no reason given");
}

/*
 * Wait for the lock of one directory of the cache (a package version, the
 * private apt lists): two romcompat runs fetching the same version would
 * each have apt write the same file, and one of them fail.  Released when
 * the descriptor is closed.
 */
static int lock_version(const char *dir, const char *spec, GError **error)
{
	g_autofree char *path = g_build_filename(dir, ".lock", NULL);
	gint64 deadline = g_get_monotonic_time() + FETCH_LOCK_TIMEOUT_S * G_USEC_PER_SEC;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot lock %s: %s", path,
			    g_strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) || g_get_monotonic_time() > deadline) {
			g_set_error(
				error, RC_ERROR, RC_ERROR_INFRA,
				"%s: another romcompat has been fetching it for %d s (lock %s); "
				"wait for it, or end it",
				spec, FETCH_LOCK_TIMEOUT_S, path);
			close(fd);
			return -1;
		}
		g_usleep(100 * 1000);
	}
	return fd;
}

/* The private lists: made, and refreshed when a day old (under their lock). */
static gboolean private_update_locked(GError **error)
{
	g_autofree char *apt_dir = NULL;
	g_autofree char *stamp = NULL;
	g_autofree char *status_file = NULL;
	g_autoptr(GPtrArray) argv = NULL;
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	GStatBuf st;
	int status;
	const char *dirs[] = {"lists/partial", "cache/archives/partial", "sources.list.d"};

	if (!sources_file())
		return TRUE;
	if (!g_file_test(sources_file(), G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "--apt-sources %s: no such file; give a sources.list or .sources file",
			    sources_file());
		return FALSE;
	}
	apt_dir = private_apt_dir(sources_file());
	stamp = g_build_filename(apt_dir, "updated", NULL);
	status_file = g_build_filename(apt_dir, "status", NULL);
	if (!g_file_test(status_file, G_FILE_TEST_EXISTS))
		g_file_set_contents(status_file, "", 0, NULL);
	if (g_stat(stamp, &st) == 0 &&
	    (gint64)st.st_mtime + LISTS_MAX_AGE_S > g_get_real_time() / G_USEC_PER_SEC)
		return TRUE;
	for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
		g_autofree char *d = g_build_filename(apt_dir, dirs[i], NULL);

		g_mkdir_with_parents(d, 0700);
	}
	argv = apt_argv("apt-get");
	g_ptr_array_add(argv, g_strdup("-q"));
	g_ptr_array_add(argv, g_strdup("update"));
	if (!run_apt(argv, apt_dir, &out, &err, &status, error))
		return FALSE;
	if (!g_spawn_check_wait_status(status, NULL) ||
	    (err && (strstr(err, "E: ") || strstr(err, "W: Failed to fetch") ||
		     strstr(err, "W: Some index files failed")))) {
		g_autofree char *reason = apt_reason(err);

		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "apt-get update with %s failed: %s",
			    sources_file(), reason);
		return FALSE;
	}
	g_file_set_contents(stamp, "", 0, NULL);
	return TRUE;
}

/* Two runs must not update the same private lists at once. */
static gboolean private_update(GError **error)
{
	g_autofree char *apt_dir = NULL;
	gboolean ok;
	int lock;

	if (!sources_file() || !g_file_test(sources_file(), G_FILE_TEST_IS_REGULAR))
		return private_update_locked(error);
	apt_dir = private_apt_dir(sources_file());
	if ((lock = lock_version(apt_dir, sources_file(), error)) < 0)
		return FALSE;
	ok = private_update_locked(error);
	close(lock);
	return ok;
}

/* "Candidate: X" of apt-cache policy. */
static char *candidate(const char *package, GError **error)
{
	g_autoptr(GPtrArray) argv = apt_argv("apt-cache");
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	const char *c;
	int status;

	g_ptr_array_add(argv, g_strdup("policy"));
	g_ptr_array_add(argv, g_strdup(package));
	if (!run_apt(argv, NULL, &out, &err, &status, error))
		return NULL;
	c = out ? strstr(out, "Candidate: ") : NULL;
	if (!c || g_str_has_prefix(c + strlen("Candidate: "), "(none)")) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "debian:%s: apt knows no such package (check the name, or give "
			    "--apt-sources for another suite)",
			    package);
		return NULL;
	}
	c += strlen("Candidate: ");
	return g_strndup(c, strcspn(c, "\n"));
}

/* The versions apt knows, for the error of one it does not. */
static char *known_versions(const char *package)
{
	g_autoptr(GPtrArray) argv = apt_argv("apt-cache");
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	GString *s = g_string_new(NULL);
	int status;

	g_ptr_array_add(argv, g_strdup("madison"));
	g_ptr_array_add(argv, g_strdup(package));
	if (run_apt(argv, NULL, &out, &err, &status, NULL) && out) {
		g_auto(GStrv) lines = g_strsplit(out, "\n", -1);

		for (guint i = 0; lines[i]; i++) {
			g_auto(GStrv) f = g_strsplit(lines[i], "|", 3);

			if (g_strv_length(f) >= 2)
				g_string_append_printf(s, "%s%s", s->len ? ", " : "",
						       g_strstrip(f[1]));
		}
	}
	if (!s->len)
		g_string_append(s, "none");
	return g_string_free(s, FALSE);
}

/* The one *.deb in @dir, or NULL. */
static char *deb_in(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".deb"))
			return g_build_filename(dir, name, NULL);
	return NULL;
}

/* Size and SHA256 of each record apt has for a version; FALSE when it has none. */
static gboolean apt_checksums(const char *package, const char *version, GArray *sizes,
			      GPtrArray *sums)
{
	g_autoptr(GPtrArray) argv = apt_argv("apt-cache");
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	g_auto(GStrv) lines = NULL;
	int status;

	g_ptr_array_add(argv, g_strdup("show"));
	g_ptr_array_add(argv, g_strdup_printf("%s=%s", package, version));
	if (!run_apt(argv, NULL, &out, &err, &status, NULL) ||
	    !g_spawn_check_wait_status(status, NULL) || !out)
		return FALSE;
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		if (g_str_has_prefix(lines[i], "Size: ")) {
			guint64 size = g_ascii_strtoull(lines[i] + 6, NULL, 10);

			g_array_append_val(sizes, size);
		} else if (g_str_has_prefix(lines[i], "SHA256: ")) {
			g_ptr_array_add(sums, g_strstrip(g_strdup(lines[i] + 8)));
		}
	}
	return sizes->len > 0 && sizes->len == sums->len;
}

/* The SHA256 of a file, read without blocking, or NULL. */
static char *file_sha256(const char *path, guint64 *size)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	guint8 buf[64 * 1024];
	ssize_t n;
	int fd = rc_input_open(path, "package", RC_INPUT_FILE, NULL, NULL);

	if (fd < 0)
		return NULL;
	*size = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0) {
			g_checksum_update(sum, buf, n);
			*size += (guint64)n;
		}
	close(fd);
	return n < 0 ? NULL : g_strdup(g_checksum_get_string(sum));
}

/* Whether the package's ar archive and data.tar read to their end. */
static char *deb_damage(const char *path)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(RcDebReader) r = rc_deb_open(path, "data.tar", &local);
	struct archive_entry *entry;
	int rc;

	if (!r)
		return g_strdup(local->message);
	while ((rc = archive_read_next_header(r->tar, &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN)
		;
	return rc == ARCHIVE_EOF ? NULL : g_strdup(rc_deb_detail(r));
}

/*
 * Why a package in the cache cannot be used (cut short by a full disk or
 * an interrupted copy, changed since), or NULL: against the size and
 * SHA256 apt has for that version, else (*@apt_knows FALSE) by reading
 * it to the end.
 */
static char *cached_damage(const char *path, const char *package, const char *version,
			   gboolean *apt_knows)
{
	g_autoptr(GArray) sizes = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_autoptr(GPtrArray) sums = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *sum = NULL;
	guint64 size = 0;

	*apt_knows = apt_checksums(package, version, sizes, sums);
	if (!*apt_knows)
		return deb_damage(path);
	if (!(sum = file_sha256(path, &size)))
		return g_strdup("it cannot be read");
	for (guint i = 0; i < sizes->len; i++)
		if (g_array_index(sizes, guint64, i) == size &&
		    g_ascii_strcasecmp(g_ptr_array_index(sums, i), sum) == 0)
			return NULL;
	return g_strdup_printf("%" G_GUINT64_FORMAT " bytes that differ from the %" G_GUINT64_FORMAT
			       " apt expects",
			       size, g_array_index(sizes, guint64, 0));
}

/*
 * A package checked once needs no apt-cache call again while its size
 * and modification time stay those recorded beside it (PACKAGE.deb.checked).
 */
static char *checked_stamp(const char *path)
{
	GStatBuf st;

	if (g_stat(path, &st) != 0)
		return NULL;
	return g_strdup_printf("%" G_GUINT64_FORMAT " %lld.%09ld\n", (guint64)st.st_size,
			       (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

static gboolean was_checked(const char *path)
{
	g_autofree char *file = g_strconcat(path, ".checked", NULL);
	g_autofree char *now = checked_stamp(path);
	g_autofree char *text = NULL;

	return now && g_file_get_contents(file, &text, NULL, NULL) && strcmp(text, now) == 0;
}

static void mark_checked(const char *path)
{
	g_autofree char *file = g_strconcat(path, ".checked", NULL);
	g_autofree char *now = checked_stamp(path);

	if (now)
		g_file_set_contents(file, now, -1, NULL); /* only saves time next run */
}

/* apt-get download into @dir/.download, then into @dir: the new package's path. */
static char *download(const char *package, const char *version, const char *dir, const char *spec,
		      GError **error)
{
	g_autofree char *tmp = g_build_filename(dir, ".download", NULL);
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	g_autofree char *fetched = NULL;
	g_autofree char *base = NULL;
	g_autoptr(GPtrArray) argv = apt_argv("apt-get");
	char *path;
	int status;

	if (g_mkdir_with_parents(tmp, 0700) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make %s: %s", tmp,
			    g_strerror(errno));
		return NULL;
	}
	/* Left by a run that was killed: this run holds the lock now. */
	while ((fetched = deb_in(tmp))) {
		g_unlink(fetched);
		g_clear_pointer(&fetched, g_free);
	}
	g_ptr_array_add(argv, g_strdup("-q"));
	g_ptr_array_add(argv, g_strdup("download"));
	g_ptr_array_add(argv, g_strdup_printf("%s=%s", package, version));
	if (!run_apt(argv, tmp, &out, &err, &status, error))
		return NULL;
	fetched = deb_in(tmp);
	if (!g_spawn_check_wait_status(status, NULL) || !fetched) {
		g_autofree char *known = NULL;

		if (fetched)
			g_unlink(fetched);
		g_rmdir(tmp);
		if (err && (strstr(err, "was not found") || strstr(err, "Unable to locate"))) {
			known = known_versions(package);
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "debian:%s=%s: apt has no such version (it knows: %s)", package,
				    version, known);
			return NULL;
		}
		known = apt_reason(err);
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "apt-get download %s=%s failed: %s (is the archive reachable?)",
			    package, version, known);
		return NULL;
	}
	base = g_path_get_basename(fetched);
	path = g_build_filename(dir, base, NULL);
	if (g_rename(fetched, path) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot keep %s: %s", path,
			    g_strerror(errno));
		g_free(path);
		return NULL;
	}
	g_rmdir(tmp);
	mark_checked(path); /* apt checked it against the signed index */
	rc_trace("%s: fetched %s", spec, path);
	return path;
}

/* Under the version's lock: the cached package if it is whole, else a new one. */
static char *fetch_locked(const char *package, const char *version, const char *dir,
			  const char *spec, GError **error)
{
	g_autofree char *path = deb_in(dir);
	g_autofree char *damage = NULL;
	gboolean apt_knows = FALSE;

	if (!path)
		return download(package, version, dir, spec, error);
	if (was_checked(path) || !(damage = cached_damage(path, package, version, &apt_knows))) {
		rc_trace("%s: cached %s", spec, path);
		mark_checked(path);
		return g_steal_pointer(&path);
	}
	if (!apt_knows) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: the cached package %s is damaged (%s) and apt has no copy of "
			    "that version to fetch again; delete it",
			    spec, path, damage);
		return NULL;
	}
	rc_trace("%s: %s is damaged (%s): fetching it again", spec, path, damage);
	if (g_unlink(path) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "%s: the cached package %s is damaged (%s) and cannot be removed: %s; "
			    "delete it",
			    spec, path, damage, g_strerror(errno));
		return NULL;
	}
	return download(package, version, dir, spec, error);
}

/**
 * rc_debian_fetch() - the .deb a "debian:" source stands for
 * @spec:	"debian:PACKAGE=VERSION" or "debian:PACKAGE"
 * @resolved:	if not NULL, set to "debian:PACKAGE=VERSION" with the version
 *		fetched (the candidate's for "debian:PACKAGE"), for reports
 * @error:	set for a malformed source, an unknown package or version, a
 *		damaged cached package apt cannot replace (2), apt failing to
 *		reach the archive, another run holding the version's lock too
 *		long (3)
 *
 * One run at a time fetches a version (a lock file per version in the
 * cache); a cached package is checked against the size and SHA256 apt has
 * for it (or read to its end when apt has none) and fetched again when it
 * is damaged.
 *
 * Return: the path of the package in the cache (g_free() it)
 */
char *rc_debian_fetch(const char *spec, char **resolved, GError **error)
{
	g_autofree char *package = NULL;
	g_autofree char *version = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *safe_version = NULL;
	g_autofree char *debs = NULL;
	const char *rest = spec + strlen(PREFIX);
	const char *eq = strchr(rest, '=');
	char *path;
	int lock;

	package = eq ? g_strndup(rest, (gsize)(eq - rest)) : g_strdup(rest);
	if (!rc_debian_source_is_valid(spec)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: not a package source; write debian:PACKAGE or "
			    "debian:PACKAGE=VERSION (e.g. debian:ipxe-qemu)",
			    spec);
		return NULL;
	}
	if (!private_update(error))
		return NULL;
	version = eq ? g_strdup(eq + 1) : candidate(package, error);
	if (!version)
		return NULL;
	/* An epoch's ':' would make an awkward directory name. */
	safe_version = g_strdelimit(g_strdup(version), ":", '%');
	debs = rc_cachedir("debs");
	dir = g_build_filename(debs, package, safe_version, NULL);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot make %s: %s", dir,
			    g_strerror(errno));
		return NULL;
	}
	if ((lock = lock_version(dir, spec, error)) < 0)
		return NULL;
	path = fetch_locked(package, version, dir, spec, error);
	close(lock);
	if (path && resolved)
		*resolved = g_strdup_printf(PREFIX "%s=%s", package, version);
	return path;
}
