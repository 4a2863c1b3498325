/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * romset.c - a set of ROM files keyed by file name, from one ROM file, a
 * directory, or a Debian package read in place.
 *
 * Theory of operation: QEMU finds a NIC's ROM by file name in its data
 * directories, so a set is keyed by file name and two sets are compared
 * name by name.  Each file is read, parsed and dropped at once: a set keeps
 * the parsed anatomy, never the bytes.
 *
 * A problem with one file (unreadable, not a ROM, truncated) stays with
 * that file's entry, so that the other files are still reported; only a
 * path that gives no set at all (missing, no ROM inside, a corrupt
 * package) fails the load.
 *
 * A .deb is an ar archive holding data.tar.{xz,zst,gz,...}; libarchive
 * reads the ar, and a second libarchive reader pulls the data.tar straight
 * out of the first one's stream, so nothing is extracted to disk.  ROMs are
 * the *.rom members of usr/share/qemu/ and usr/lib/ipxe/qemu/ (QEMU's data
 * directories; newer ipxe-qemu moved the files from the latter to the
 * former and left symbolic links), or every *.rom member when the package
 * has neither.  Links are resolved inside the archive, never outside it; a
 * link whose target was not kept on the first pass costs a second pass.
 */
#include "romset.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debfile.h"
#include "debsource.h"
#include "error.h"

/* No option ROM comes near this (a PCI ROM BAR is at most 16 MiB). */
#define ROM_MAX_READ (64u * 1024 * 1024)
/* Link hops before a chain of links inside a package counts as a loop. */
#define DEB_MAX_LINK_HOPS 40

static const char *const deb_rom_dirs[] = {"usr/share/qemu", "usr/lib/ipxe/qemu"};

static void rom_entry_free(gpointer p)
{
	RcRomEntry *e = p;

	g_free(e->name);
	g_free(e->location);
	g_free(e->member);
	g_free(e->link_target);
	rc_rom_free(e->rom);
	g_clear_error(&e->error);
	if (e->data)
		g_bytes_unref(e->data);
	g_free(e->path);
	g_free(e);
}

/**
 * rc_rom_set_new() - an empty set
 * @source:	the path it stands for
 * @kind:	what that path is
 *
 * Return: the set (free with rc_rom_set_free())
 */
RcRomSet *rc_rom_set_new(const char *source, RcRomSetKind kind)
{
	RcRomSet *set = g_new0(RcRomSet, 1);

	set->source = g_strdup(source);
	set->kind = kind;
	set->entries = g_ptr_array_new_with_free_func(rom_entry_free);
	set->skipped = g_ptr_array_new_with_free_func(g_free);
	set->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	return set;
}

/**
 * rc_rom_set_free() - free a set and its entries
 * @set:	the set, or NULL
 */
void rc_rom_set_free(RcRomSet *set)
{
	if (!set)
		return;
	g_hash_table_unref(set->by_name);
	g_ptr_array_unref(set->entries);
	g_ptr_array_unref(set->skipped);
	g_free(set->source);
	g_free(set);
}

static RcRomEntry *add_entry(RcRomSet *set, const char *name, const char *location)
{
	RcRomEntry *e = g_new0(RcRomEntry, 1);

	e->name = g_strdup(name);
	e->location = g_strdup(location);
	g_ptr_array_add(set->entries, e);
	g_hash_table_replace(set->by_name, e->name, e);
	return e;
}

/**
 * rc_rom_set_add_data() - parse a file's bytes into a new entry
 * @set:	the set
 * @name:	the file name (the key); must not be in the set yet
 * @location:	its path or package member, for messages
 * @data:	the file's bytes (not kept)
 * @len:	how many
 *
 * A file that is not a ROM gets the parser's error; a truncated one keeps
 * its parsed ROM and gets an error as well.
 *
 * Return: the new entry (owned by @set)
 */
RcRomEntry *rc_rom_set_add_data(RcRomSet *set, const char *name, const char *location,
				const guint8 *data, gsize len)
{
	RcRomEntry *e = add_entry(set, name, location);

	e->has_size = TRUE;
	e->size = len;
	e->rom = rc_rom_parse(data, len, location, &e->error);
	if (e->rom && rc_rom_is_truncated(e->rom)) {
		const RcRomWarning *w = rc_rom_find_warning(e->rom, RC_ROM_WARN_TRUNCATED);
		e->error = g_error_new(RC_ERROR, RC_ERROR_INPUT,
				       "%s: truncated (%s); copy the file again from its package",
				       location, w ? w->text : "an image runs past the end");
	}
	return e;
}

/**
 * rc_rom_set_add_error() - a new entry for a file that could not be used
 * @set:	the set
 * @name:	the file name (the key); must not be in the set yet
 * @location:	its path or package member
 * @error:	why (taken over by the entry)
 *
 * Return: the new entry (owned by @set)
 */
RcRomEntry *rc_rom_set_add_error(RcRomSet *set, const char *name, const char *location,
				 GError *error)
{
	RcRomEntry *e = add_entry(set, name, location);

	e->error = error;
	return e;
}

/**
 * rc_rom_set_lookup() - the entry of a file name
 * @set:	the set
 * @name:	the file name
 *
 * Return: the entry, or NULL when the set has no such file
 */
const RcRomEntry *rc_rom_set_lookup(const RcRomSet *set, const char *name)
{
	return g_hash_table_lookup(set->by_name, name);
}

static gint compare_entries(gconstpointer a, gconstpointer b)
{
	const RcRomEntry *ea = *(RcRomEntry *const *)a;
	const RcRomEntry *eb = *(RcRomEntry *const *)b;

	return strcmp(ea->name, eb->name);
}

/**
 * rc_rom_set_sort() - put the entries in file name order, for reports
 * @set:	the set
 */
void rc_rom_set_sort(RcRomSet *set)
{
	g_ptr_array_sort(set->entries, compare_entries);
}

/**
 * rc_rom_set_count_errors() - how many files of the set cannot be trusted
 * @set:	the set
 *
 * Return: the number of entries with an error
 */
guint rc_rom_set_count_errors(const RcRomSet *set)
{
	guint n = 0;

	for (guint i = 0; i < set->entries->len; i++)
		n += ((const RcRomEntry *)g_ptr_array_index(set->entries, i))->error != NULL;
	return n;
}

/**
 * rc_rom_set_kind_name() - a set's kind in one word, for reports
 * @kind:	the kind
 *
 * Return: "file", "directory", "deb" or "padded"
 */
const char *rc_rom_set_kind_name(RcRomSetKind kind)
{
	switch (kind) {
	case RC_ROM_SET_FILE:
		return "file";
	case RC_ROM_SET_DIRECTORY:
		return "directory";
	case RC_ROM_SET_DEB:
		return "deb";
	case RC_ROM_SET_PADDED:
		return "padded";
	}
	return "unknown";
}

/* ---- files on disk ---- */

static GError *read_error(const char *path, int err)
{
	if (err == EACCES || err == EPERM)
		return g_error_new(
			RC_ERROR, RC_ERROR_INPUT,
			"%s: cannot read it: %s; make it readable for this user (chmod a+r)", path,
			g_strerror(err));
	return g_error_new(RC_ERROR, RC_ERROR_INPUT, "%s: cannot read it: %s", path,
			   g_strerror(err));
}

/*
 * Read a whole file that must be a regular file (after following links).
 * On failure *@error says why and *@size is set when fstat() got that far.
 */
static GByteArray *read_rom_file(const char *path, gboolean *has_size, guint64 *size,
				 GError **error)
{
	g_autoptr(GByteArray) buf = NULL;
	struct stat st;
	int fd;

	*has_size = FALSE;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		g_propagate_error(error, read_error(path, errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		g_propagate_error(error, read_error(path, errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: %s, not a ROM file", path,
			    S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
		close(fd);
		return NULL;
	}
	*has_size = TRUE;
	*size = (guint64)st.st_size;
	if ((guint64)st.st_size > ROM_MAX_READ) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: %" G_GUINT64_FORMAT
			    " bytes, far larger than any option ROM; pass the ROM files themselves",
			    path, (guint64)st.st_size);
		close(fd);
		return NULL;
	}
	buf = g_byte_array_sized_new((guint)st.st_size);
	g_byte_array_set_size(buf, (guint)st.st_size);
	for (gsize done = 0; done < buf->len;) {
		ssize_t n = read(fd, buf->data + done, buf->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_propagate_error(error, read_error(path, errno));
			close(fd);
			return NULL;
		}
		if (n == 0) {
			/* Shrank while being read: take what is there. */
			g_byte_array_set_size(buf, (guint)done);
			break;
		}
		done += (gsize)n;
	}
	close(fd);
	*size = buf->len;
	return g_steal_pointer(&buf);
}

static void add_disk_file(RcRomSet *set, const char *name, const char *path)
{
	GError *error = NULL;
	gboolean has_size = FALSE;
	guint64 size = 0;
	g_autoptr(GByteArray) data = read_rom_file(path, &has_size, &size, &error);
	RcRomEntry *e;

	if (data) {
		e = rc_rom_set_add_data(set, name, path, data->data, data->len);
	} else {
		e = rc_rom_set_add_error(set, name, path, error);
		e->has_size = has_size;
		e->size = size;
	}
	if (g_file_test(path, G_FILE_TEST_IS_SYMLINK))
		e->link_target = g_file_read_link(path, NULL);
}

static RcRomSet *load_directory(const char *path, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GDir) dir = g_dir_open(path, 0, &local);
	RcRomSet *set; /* plain ownership: clang's analyzer loses g_autoptr of our types */
	const char *name;

	if (!dir) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: cannot list the directory: %s; make it readable for this user",
			    path, local->message);
		return NULL;
	}
	set = rc_rom_set_new(path, RC_ROM_SET_DIRECTORY);
	while ((name = g_dir_read_name(dir))) {
		g_autofree char *file = NULL;
		struct stat st;

		if (!g_str_has_suffix(name, ".rom"))
			continue;
		file = g_build_filename(path, name, NULL);
		if (lstat(file, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			continue;
		add_disk_file(set, name, file);
	}
	if (set->entries->len == 0) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: no *.rom files in this directory; pass the directory that holds the ROM files (such as /usr/lib/ipxe/qemu)",
			path);
		rc_rom_set_free(set);
		return NULL;
	}
	rc_rom_set_sort(set);
	return set;
}

/* ---- Debian packages ---- */

/* What pass 1 learned about one regular member. */
typedef struct {
	gboolean loaded;  /* its bytes were read into @data */
	gboolean is_rom;  /* loaded and has 55 AA at offset 0 */
	GByteArray *data; /* kept only until the set takes it */
	guint64 size;
} DebMember;

static void deb_member_free(gpointer p)
{
	DebMember *m = p;

	if (m->data)
		g_byte_array_unref(m->data);
	g_free(m);
}

/* "./usr/lib/x.rom" -> "usr/lib/x.rom": member names as the resolver keeps them. */
static char *member_path(const char *name)
{
	g_auto(GStrv) parts = g_strsplit(name, "/", -1);
	g_autoptr(GPtrArray) out = g_ptr_array_new();

	for (char **p = parts; *p; p++)
		if (**p && strcmp(*p, ".") != 0)
			g_ptr_array_add(out, *p);
	g_ptr_array_add(out, NULL);
	return g_strjoinv("/", (char **)out->pdata);
}

/*
 * Follow links inside the package, component by component (a directory
 * may be a link too).  An absolute target means the package's root; a
 * target that climbs above the root leaves the package and is refused.
 */
static char *resolve_member(GHashTable *links, const char *path, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GQueue) todo = g_queue_new();
	g_auto(GStrv) first = g_strsplit(path, "/", -1);
	guint hops = 0;
	char *comp;

	for (char **p = first; *p; p++)
		g_queue_push_tail(todo, g_strdup(*p));
	while ((comp = g_queue_pop_head(todo))) {
		g_autofree char *c = comp;
		g_autofree char *cur = NULL;
		const char *target;

		if (!*c || strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			if (out->len == 0) {
				g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
					    "a symbolic link leads out of the package");
				g_queue_free_full(g_steal_pointer(&todo), g_free);
				return NULL;
			}
			g_ptr_array_remove_index(out, out->len - 1);
			continue;
		}
		g_ptr_array_add(out, g_steal_pointer(&c));
		g_ptr_array_add(out, NULL);
		cur = g_strjoinv("/", (char **)out->pdata);
		g_ptr_array_remove_index(out, out->len - 1);
		target = g_hash_table_lookup(links, cur);
		if (!target)
			continue;
		if (++hops > DEB_MAX_LINK_HOPS) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "symbolic links loop");
			g_queue_free_full(g_steal_pointer(&todo), g_free);
			return NULL;
		}
		g_ptr_array_remove_index(out, out->len - 1);
		if (target[0] == '/')
			g_ptr_array_set_size(out, 0);
		{
			g_auto(GStrv) tparts = g_strsplit(target, "/", -1);
			guint n = g_strv_length(tparts);

			for (guint i = n; i > 0; i--)
				g_queue_push_head(todo, g_strdup(tparts[i - 1]));
		}
	}
	g_queue_free_full(g_steal_pointer(&todo), g_free);
	g_ptr_array_add(out, NULL);
	return g_strjoinv("/", (char **)out->pdata);
}

static gboolean read_member_data(struct archive *a, GByteArray *data, const char *deb,
				 const char *member, GError **error)
{
	guint8 buf[16 * 1024];
	la_ssize_t n;

	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
		if (data->len + (guint64)n > ROM_MAX_READ) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "%s:%s: larger than any option ROM", deb, member);
			return FALSE;
		}
		g_byte_array_append(data, buf, (guint)n);
	}
	if (n < 0) {
		rc_deb_set_corrupt(error, deb, member,
				   archive_error_string(a) ? archive_error_string(a)
							   : "damaged or cut short");
		return FALSE;
	}
	return TRUE;
}

/*
 * One pass over the package's data.tar.  Regular members are recorded in
 * @members; their bytes are kept when @want says so (by path, or for every
 * *.rom when @want is NULL).  Links go into @links (hard links as
 * absolute targets).
 */
static gboolean scan_entries(RcDebReader *r, const char *deb, GHashTable *want, GHashTable *members,
			     GHashTable *links, GError **error)
{
	struct archive_entry *entry;
	int rc;

	while ((rc = archive_read_next_header(r->tar, &entry)) == ARCHIVE_OK ||
	       rc == ARCHIVE_WARN) {
		const char *raw = archive_entry_pathname(entry);
		g_autofree char *path = raw ? member_path(raw) : NULL;
		const char *hard = archive_entry_hardlink(entry);
		DebMember *m;

		if (!path || !*path)
			continue;
		if (hard) {
			g_autofree char *target = member_path(hard);

			g_hash_table_replace(links, g_strdup(path), g_strconcat("/", target, NULL));
			continue;
		}
		if (archive_entry_filetype(entry) == AE_IFLNK) {
			const char *target = archive_entry_symlink(entry);

			if (target)
				g_hash_table_replace(links, g_strdup(path), g_strdup(target));
			continue;
		}
		if (archive_entry_filetype(entry) != AE_IFREG)
			continue;
		m = g_hash_table_lookup(members, path);
		if (!m) {
			m = g_new0(DebMember, 1);
			g_hash_table_replace(members, g_strdup(path), m);
		}
		m->size = archive_entry_size(entry) > 0 ? (guint64)archive_entry_size(entry) : 0;
		if (m->loaded ||
		    !(want ? g_hash_table_contains(want, path) : g_str_has_suffix(path, ".rom")))
			continue;
		m->data = g_byte_array_new();
		if (!read_member_data(r->tar, m->data, deb, path, error))
			return FALSE;
		m->loaded = TRUE;
		m->size = m->data->len;
		m->is_rom =
			m->data->len >= 2 && m->data->data[0] == 0x55 && m->data->data[1] == 0xaa;
	}
	if (rc != ARCHIVE_EOF) {
		rc_deb_set_corrupt(error, deb, r->member, rc_deb_detail(r));
		return FALSE;
	}
	return TRUE;
}

static gboolean deb_scan(const char *deb, GHashTable *want, GHashTable *members, GHashTable *links,
			 GError **error)
{
	RcDebReader *r =
		rc_deb_open(deb, "data.tar", error); /* plain ownership, see load_directory() */
	gboolean ok;

	if (!r)
		return FALSE;
	ok = scan_entries(r, deb, want, members, links, error);
	rc_deb_reader_free(r);
	return ok;
}

static gboolean in_rom_dir(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);

	for (gsize i = 0; i < G_N_ELEMENTS(deb_rom_dirs); i++)
		if (strcmp(dir, deb_rom_dirs[i]) == 0)
			return TRUE;
	return FALSE;
}

static gint rom_dir_rank(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);

	for (gsize i = 0; i < G_N_ELEMENTS(deb_rom_dirs); i++)
		if (strcmp(dir, deb_rom_dirs[i]) == 0)
			return (gint)i;
	return (gint)G_N_ELEMENTS(deb_rom_dirs);
}

static gint compare_candidates(gconstpointer a, gconstpointer b)
{
	const char *pa = *(const char *const *)a;
	const char *pb = *(const char *const *)b;
	gint ra = rom_dir_rank(pa);
	gint rb = rom_dir_rank(pb);

	return ra != rb ? ra - rb : strcmp(pa, pb);
}

/*
 * The *.rom members that make the set, QEMU's search order first: when a
 * name is in both directories, usr/share/qemu/ is the one QEMU loads.
 */
static GPtrArray *deb_candidates(GHashTable *members, GHashTable *links)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *in_dirs = g_ptr_array_new_with_free_func(g_free);
	GHashTable *sources[] = {members, links};

	for (gsize s = 0; s < G_N_ELEMENTS(sources); s++) {
		GHashTableIter it;
		gpointer key;

		g_hash_table_iter_init(&it, sources[s]);
		while (g_hash_table_iter_next(&it, &key, NULL)) {
			if (!g_str_has_suffix(key, ".rom"))
				continue;
			g_ptr_array_add(all, g_strdup(key));
			if (in_rom_dir(key))
				g_ptr_array_add(in_dirs, g_strdup(key));
		}
	}
	if (in_dirs->len > 0) {
		g_ptr_array_unref(all);
		all = in_dirs;
	} else {
		g_ptr_array_unref(in_dirs);
	}
	g_ptr_array_sort(all, compare_candidates);
	return all;
}

static void deb_add_member(RcRomSet *set, const char *deb, const char *candidate,
			   const char *resolved, DebMember *m, GHashTable *links)
{
	g_autofree char *name = g_path_get_basename(candidate);
	g_autofree char *location = g_strdup_printf("%s:%s", deb, candidate);
	const char *link = g_hash_table_lookup(links, candidate);
	RcRomEntry *e;

	if (!m->is_rom) {
		/* Packages ship other firmware as *.rom too (qboot.rom): not for a NIC. */
		g_ptr_array_add(set->skipped, g_strdup(candidate));
		return;
	}
	e = rc_rom_set_add_data(set, name, location, m->data->data, m->data->len);
	e->member = g_strdup(candidate);
	e->data = g_bytes_new(m->data->data, m->data->len);
	if (link || strcmp(resolved, candidate) != 0)
		e->link_target = g_strdup(link ? link : resolved);
}

static RcRomSet *load_deb(const char *path, GError **error)
{
	g_autoptr(GHashTable) members =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, deb_member_free);
	g_autoptr(GHashTable) links =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) second = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) candidates = NULL;
	g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) why = g_ptr_array_new_with_free_func(g_free);
	RcRomSet *set; /* plain ownership, see load_directory() */

	if (!deb_scan(path, NULL, members, links, error))
		return NULL;
	candidates = deb_candidates(members, links);
	if (candidates->len == 0) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: this package holds no *.rom file; pass the ipxe-qemu package (or another that ships option ROMs)",
			path);
		return NULL;
	}

	/* Resolve every candidate; targets whose bytes were not kept need pass 2. */
	for (guint i = 0; i < candidates->len; i++) {
		const char *cand = g_ptr_array_index(candidates, i);
		g_autoptr(GError) local = NULL;
		char *real = resolve_member(links, cand, &local);
		DebMember *m = real ? g_hash_table_lookup(members, real) : NULL;

		g_ptr_array_add(resolved, real);
		g_ptr_array_add(why, local ? g_strdup(local->message) : NULL);
		if (m && !m->loaded)
			g_hash_table_add(second, g_strdup(real));
	}
	if (g_hash_table_size(second) > 0 && !deb_scan(path, second, members, links, error))
		return NULL;

	set = rc_rom_set_new(path, RC_ROM_SET_DEB);
	for (guint i = 0; i < candidates->len; i++) {
		const char *cand = g_ptr_array_index(candidates, i);
		const char *real = g_ptr_array_index(resolved, i);
		g_autofree char *name = g_path_get_basename(cand);
		g_autofree char *location = g_strdup_printf("%s:%s", path, cand);
		DebMember *m = real ? g_hash_table_lookup(members, real) : NULL;

		if (rc_rom_set_lookup(set, name))
			continue; /* already taken from a directory QEMU searches first */
		if (!m) {
			const char *link = g_hash_table_lookup(links, cand);
			RcRomEntry *e = rc_rom_set_add_error(
				set, name, location,
				g_error_new(
					RC_ERROR, RC_ERROR_INPUT,
					"%s: %s%s%s; the package is broken, report it to its maintainer",
					location,
					real ? "a link to " : "a link that cannot be followed (",
					real ? real : (const char *)g_ptr_array_index(why, i),
					real ? ", which the package does not contain" : ")"));
			e->member = g_strdup(cand);
			e->link_target = g_strdup(link);
			continue;
		}
		deb_add_member(set, path, cand, real, m, links);
	}
	if (set->entries->len == 0) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: no option ROM in this package (its *.rom files lack the 55 AA signature); pass the ipxe-qemu package",
			path);
		rc_rom_set_free(set);
		return NULL;
	}
	rc_rom_set_sort(set);
	return set;
}

/* A .deb by name or by content (an ar archive), whatever it is called. */
static gboolean looks_like_deb(const char *path)
{
	char magic[8] = {0};
	gboolean ar = FALSE;
	int fd;

	if (g_str_has_suffix(path, ".deb"))
		return TRUE;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return FALSE;
	ar = read(fd, magic, sizeof(magic)) == sizeof(magic) && memcmp(magic, "!<arch>\n", 8) == 0;
	close(fd);
	return ar;
}

/**
 * rc_rom_set_load() - load the ROM files a path stands for
 * @path:	a ROM file, a directory of *.rom files, or a .deb
 * @error:	set (RC_ERROR_INPUT) when the path gives no set: it does not
 *		exist, a directory or package without ROMs, a corrupt package
 *
 * Problems with single files stay in their entries (see RcRomEntry).
 *
 * Return: the set, or NULL with @error set
 */
RcRomSet *rc_rom_set_load(const char *path, GError **error)
{
	g_autoptr(RcRomSet) set = NULL;
	g_autofree char *name = NULL;
	struct stat st;

	if (rc_debian_is_source(path)) {
		g_autofree char *deb = rc_debian_fetch(path, error);
		RcRomSet *from_deb;

		if (!deb || !(from_deb = load_deb(deb, error)))
			return NULL;
		/* Reports name the package version, not the cache file. */
		g_free(from_deb->source);
		from_deb->source = g_strdup(path);
		return from_deb;
	}
	if (stat(path, &st) != 0) {
		int err = errno;

		if (err == ENOENT || err == ENOTDIR)
			g_set_error(
				error, RC_ERROR, RC_ERROR_INPUT,
				"%s: no such file or directory; pass a ROM file, a directory of ROM files or a .deb",
				path);
		else
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: cannot access it: %s",
				    path, g_strerror(err));
		return NULL;
	}
	if (S_ISDIR(st.st_mode))
		return load_directory(path, error);
	if (S_ISREG(st.st_mode) && looks_like_deb(path))
		return load_deb(path, error);

	set = rc_rom_set_new(path, RC_ROM_SET_FILE);
	name = g_path_get_basename(path);
	add_disk_file(set, name, path);
	return g_steal_pointer(&set);
}

/**
 * rc_rom_set_holds_bytes() - whether the set's files exist only in memory
 * @set:	the set
 *
 * Return: TRUE for a package's files and padded copies: they need
 * rc_rom_set_write_files() before QEMU can open them
 */
gboolean rc_rom_set_holds_bytes(const RcRomSet *set)
{
	return set->kind == RC_ROM_SET_DEB || set->kind == RC_ROM_SET_PADDED;
}

/**
 * rc_rom_set_write_files() - put a package's ROMs where QEMU can open them
 * @set:	the set; every entry that holds its bytes (a .deb member) gets
 *		@path, a copy in @directory
 * @directory:	a private directory (the caller removes it)
 * @error:	set when a file cannot be written (a full disk, say)
 *
 * Entries of files and directories already are files: their @path is
 * their location.
 *
 * Return: TRUE when every usable entry has a path
 */
gboolean rc_rom_set_write_files(RcRomSet *set, const char *directory, GError **error)
{
	for (guint i = 0; i < set->entries->len; i++) {
		RcRomEntry *e = g_ptr_array_index(set->entries, i);
		g_autoptr(GError) local = NULL;
		g_autofree char *path = NULL;
		gsize len;
		const char *bytes;

		if (e->path)
			continue;
		if (!e->data) {
			if (set->kind == RC_ROM_SET_FILE || set->kind == RC_ROM_SET_DIRECTORY)
				e->path = g_strdup(e->location);
			continue;
		}
		path = g_build_filename(directory, e->name, NULL);
		bytes = g_bytes_get_data(e->data, &len);
		if (!g_file_set_contents(path, bytes, (gssize)len, &local)) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "cannot copy %s out of the package: %s (free some space or set "
				    "TMPDIR)",
				    e->location, local->message);
			return FALSE;
		}
		e->path = g_steal_pointer(&path);
	}
	return TRUE;
}
