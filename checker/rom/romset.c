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
 * has neither.  Links are resolved inside the archive, never outside it.
 * A first pass records the members and links and reads only the first two
 * bytes of each *.rom member (55 AA or not); a second pass reads the
 * chosen members one at a time, each parsed and dropped.  Copies for QEMU
 * (rc_rom_set_write_files()) and for padding are read again from the
 * package, so a package is never held in memory, and a bomb of large or
 * many members is refused by the bounds of a set (RC_ROM_SET_MAX_*)
 * before its bytes are read.
 */
#include "rom/romset.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sources/debfile.h"
#include "sources/debsource.h"
#include "base/error.h"
#include "base/input.h"

/* Link hops before a chain of links inside a package counts as a loop. */
#define DEB_MAX_LINK_HOPS 40

static const char *const deb_rom_dirs[] = {"usr/share/qemu", "usr/lib/ipxe/qemu",
					   "usr/share/seabios", "usr/share/OVMF", "usr/share/ovmf"};

static void rom_entry_free(gpointer p)
{
	RcRomEntry *e = p;

	g_free(e->name);
	g_free(e->location);
	g_free(e->member);
	g_free(e->link_target);
	g_free(e->source_member);
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
	g_free(set->package);
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
 * rc_rom_name_may_be_firmware() - may a file of this name be a firmware image?
 * @name:	a file name
 *
 * Return: TRUE for *.bin (a system BIOS, unless it has the option ROM
 * signature: vgabios-*.bin) and *.fd (OVMF) names
 */
gboolean rc_rom_name_may_be_firmware(const char *name)
{
	return g_str_has_suffix(name, ".bin") || g_str_has_suffix(name, ".fd");
}

/* A file a set holds: an option ROM (*.rom, *.bin) or a firmware image. */
static gboolean is_set_file(const char *name)
{
	return g_str_has_suffix(name, ".rom") || rc_rom_name_may_be_firmware(name);
}

/*
 * A *.bin ISA option ROM: 55 AA but no PCI Data Structure (seabios's
 * vgabios-isavga.bin, vgabios-ramfb.bin).  No PCI device loads it into a
 * ROM BAR; a set loaded from a directory or a package leaves it out.
 */
static gboolean is_isa_rom(const char *name, const guint8 *data, gsize len)
{
	gsize pcir;

	if (!g_str_has_suffix(name, ".bin") || len < 0x1a || data[0] != 0x55 || data[1] != 0xaa)
		return FALSE;
	pcir = data[0x18] | (gsize)data[0x19] << 8;
	return pcir + 4 > len || memcmp(data + pcir, "PCIR", 4) != 0;
}

/**
 * rc_rom_entry_block_size() - the RAM block a file becomes
 * @e:		an entry whose size is known
 *
 * Return: the file's exact size for a firmware image, its bucket (the
 * next power of two) for an option ROM
 */
guint64 rc_rom_entry_block_size(const RcRomEntry *e)
{
	return e->firmware ? e->size : rc_rom_bucket(e->size);
}

/**
 * rc_rom_set_add_data() - parse a file's bytes into a new entry
 * @set:	the set
 * @name:	the file name (the key); must not be in the set yet
 * @location:	its path or package member, for messages
 * @data:	the file's bytes (not kept)
 * @len:	how many
 *
 * A firmware image (rc_rom_name_may_be_firmware(), and for *.bin no 55 AA
 * signature) is only sized.  A file that is not a ROM gets the parser's error; a truncated or
 * otherwise malformed one (rc_rom_malformed_reason()) keeps its parsed ROM,
 * is marked malformed and gets an error as well.
 *
 * Return: the new entry (owned by @set)
 */
RcRomEntry *rc_rom_set_add_data(RcRomSet *set, const char *name, const char *location,
				const guint8 *data, gsize len)
{
	RcRomEntry *e = add_entry(set, name, location);

	e->has_size = TRUE;
	e->size = len;
	if (rc_rom_name_may_be_firmware(name) &&
	    (g_str_has_suffix(name, ".fd") || len < 2 || data[0] != 0x55 || data[1] != 0xaa)) {
		e->firmware = TRUE;
		return e;
	}
	e->rom = rc_rom_parse(data, len, location, &e->error);
	if (e->rom && rc_rom_is_truncated(e->rom)) {
		const RcRomWarning *w = rc_rom_find_warning(e->rom, RC_ROM_WARN_TRUNCATED);
		e->malformed = TRUE;
		e->error = g_error_new(RC_ERROR, RC_ERROR_INPUT,
				       "%s: truncated (%s); build or copy it again", location,
				       w ? w->text : "an image runs past the end");
	} else if (e->rom) {
		g_autofree char *why = rc_rom_malformed_reason(e->rom, name);

		e->malformed = why != NULL;
		if (why)
			e->error = g_error_new(RC_ERROR, RC_ERROR_INPUT,
					       "%s: malformed build: %s; rebuild it ('romcompat "
					       "inspect' shows its images)",
					       location, why);
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

RC_ENUM_IMPL_TO_STRING(
	rc_rom_set_kind, RcRomSetKind,
	RC_ROM_SET_KIND_COUNT, [RC_ROM_SET_FILE] = "file", [RC_ROM_SET_DIRECTORY] = "directory",
	[RC_ROM_SET_DEB] = "deb", [RC_ROM_SET_PADDED] = "padded")

/* ---- files on disk ---- */

/*
 * Open a file of a set without blocking (a FIFO or a device is refused,
 * never waited on); an unreadable one gets what to do.
 */
static int open_rom_file(const char *path, struct stat *st, GError **error)
{
	GError *local = NULL;
	int fd = rc_input_open(path, "cannot read the ROM file", RC_INPUT_FILE, st, &local);

	if (fd < 0 && g_str_has_suffix(local->message, g_strerror(EACCES))) {
		GError *advised = g_error_new(local->domain, local->code,
					      "%s; make it readable for this user (chmod a+r)",
					      local->message);

		g_error_free(local);
		local = advised;
	}
	if (local)
		g_propagate_error(error, local);
	return fd;
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
	gssize done;
	int fd;

	*has_size = FALSE;
	if ((fd = open_rom_file(path, &st, error)) < 0)
		return NULL;
	*has_size = TRUE;
	*size = (guint64)st.st_size;
	if ((guint64)st.st_size > RC_ROM_SET_MAX_FILE_BYTES) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: %" G_GUINT64_FORMAT
			    " bytes, far larger than any option ROM; pass the ROM files themselves",
			    path, (guint64)st.st_size);
		close(fd);
		return NULL;
	}
	buf = g_byte_array_sized_new((guint)st.st_size);
	g_byte_array_set_size(buf, (guint)st.st_size);
	done = rc_input_read_fd(fd, buf->data, buf->len);
	if (done < 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: cannot read it: %s", path,
			    g_strerror(errno));
		close(fd);
		return NULL;
	}
	/* Shrank while being read: take what is there. */
	g_byte_array_set_size(buf, (guint)done);
	close(fd);
	*size = buf->len;
	return g_steal_pointer(&buf);
}

static void add_disk_file(RcRomSet *set, const char *name, const char *path, gboolean of_many)
{
	GError *error = NULL;
	gboolean has_size = FALSE;
	guint64 size = 0;
	g_autoptr(GByteArray) data = read_rom_file(path, &has_size, &size, &error);
	RcRomEntry *e;

	if (data && of_many && is_isa_rom(name, data->data, data->len)) {
		g_ptr_array_add(set->skipped, g_strdup(path));
		return;
	}
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

static gboolean refuse_too_many(GError **error, const char *path, const char *what)
{
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "%s: more than %u *.rom %s; a ROM set has at most %u files (pass the "
		    "directory or package that holds the option ROMs)",
		    path, RC_ROM_SET_MAX_FILES, what, RC_ROM_SET_MAX_FILES);
	return FALSE;
}

static gboolean refuse_too_large(GError **error, const char *path, const char *what)
{
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "%s: its *.rom %s hold more than %u MiB together, more than a ROM set may "
		    "(pass the directory or package that holds the option ROMs)",
		    path, what, RC_ROM_SET_MAX_TOTAL_BYTES >> 20);
	return FALSE;
}

/*
 * The *.rom names of a directory, sorted, within the set's bounds.  Sizes
 * come from stat(), which neither opens nor blocks; subdirectories are
 * left out, anything else (a FIFO, a device, a link loop) is kept and
 * becomes an error of its own when it cannot be opened as a file.
 */
static GPtrArray *list_rom_files(const char *path, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GDir) dir = g_dir_open(path, 0, &local);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	guint64 total = 0;
	const char *name;

	if (!dir) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: cannot list the directory: %s; make it readable for this user",
			    path, local->message);
		return NULL;
	}
	while ((name = g_dir_read_name(dir))) {
		g_autofree char *file = NULL;
		struct stat st;

		if (!is_set_file(name))
			continue;
		file = g_build_filename(path, name, NULL);
		if (lstat(file, &st) != 0 || S_ISDIR(st.st_mode))
			continue;
		if (names->len == RC_ROM_SET_MAX_FILES) {
			refuse_too_many(error, path, "files");
			return NULL;
		}
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
			total += (guint64)st.st_size;
		if (total > RC_ROM_SET_MAX_TOTAL_BYTES) {
			refuse_too_large(error, path, "files");
			return NULL;
		}
		g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	return g_steal_pointer(&names);
}

static RcRomSet *load_directory(const char *path, GError **error)
{
	g_autoptr(GPtrArray) names = list_rom_files(path, error);
	RcRomSet *set; /* plain ownership: clang's analyzer loses g_autoptr of our types */

	if (!names)
		return NULL;
	if (names->len == 0) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: no *.rom files in this directory (nor *.bin or *.fd firmware); pass the directory that holds the ROM files (such as /usr/lib/ipxe/qemu or /usr/share/seabios)",
			path);
		return NULL;
	}
	set = rc_rom_set_new(path, RC_ROM_SET_DIRECTORY);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *file = g_build_filename(path, names->pdata[i], NULL);

		add_disk_file(set, names->pdata[i], file, TRUE);
	}
	rc_rom_set_sort(set);
	return set;
}

/* ---- Debian packages ---- */

/* More entries than any firmware package has (qemu-system-data: about 300). */
#define DEB_MAX_ENTRIES 65536u

/* What the first pass learned about one regular member. */
typedef struct {
	guint64 size;
	gboolean is_rom; /* 55 AA at offset 0 */
} DebMember;

/*
 * The first pass over a package: its regular members and its links,
 * bounded; of each member only the first two bytes are read.
 */
typedef struct {
	const char *deb;
	GHashTable *members; /* path -> DebMember * */
	GHashTable *links;   /* path -> target (a hard link's as "/TARGET") */
	guint entries;
	guint roms;	   /* *.rom members and links */
	guint64 rom_bytes; /* the *.rom members' sizes together */
} DebIndex;

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

/* Whether a member's bytes start with 55 AA; only those two are read. */
static gboolean read_signature(struct archive *a, DebMember *m, const char *deb, const char *member,
			       GError **error)
{
	guint8 sig[2];
	gsize got = 0;
	la_ssize_t n = 1;

	while (got < sizeof(sig) && (n = archive_read_data(a, sig + got, sizeof(sig) - got)) > 0)
		got += (gsize)n;
	if (n < 0) {
		rc_deb_set_corrupt(error, deb, member,
				   archive_error_string(a) ? archive_error_string(a)
							   : "damaged or cut short");
		return FALSE;
	}
	m->is_rom = got == sizeof(sig) && sig[0] == 0x55 && sig[1] == 0xaa;
	return TRUE;
}

/* A regular *.rom member: its size within the bounds, its signature. */
static gboolean index_rom(DebIndex *idx, struct archive *a, DebMember *m, const char *path,
			  GError **error)
{
	if (m->size > RC_ROM_SET_MAX_FILE_BYTES) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s:%s: %" G_GUINT64_FORMAT
			    " bytes, larger than any option ROM (at most %u MiB); pass the package "
			    "that holds the option ROMs",
			    idx->deb, path, m->size, RC_ROM_SET_MAX_FILE_BYTES >> 20);
		return FALSE;
	}
	idx->rom_bytes += m->size;
	if (idx->rom_bytes > RC_ROM_SET_MAX_TOTAL_BYTES)
		return refuse_too_large(error, idx->deb, "members");
	return read_signature(a, m, idx->deb, path, error);
}

/* One entry of the first pass: a regular member or a link is recorded. */
static gboolean index_entry(DebIndex *idx, struct archive *a, struct archive_entry *entry,
			    GError **error)
{
	const char *raw = archive_entry_pathname(entry);
	g_autofree char *path = raw ? member_path(raw) : NULL;
	const char *hard = archive_entry_hardlink(entry);
	mode_t type = archive_entry_filetype(entry);
	DebMember *m;

	if (++idx->entries > DEB_MAX_ENTRIES) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: more than %u members, more than any firmware package has; pass "
			    "the package that holds the option ROMs",
			    idx->deb, DEB_MAX_ENTRIES);
		return FALSE;
	}
	if (!path || !*path || (!hard && type != AE_IFLNK && type != AE_IFREG))
		return TRUE;
	if (g_hash_table_contains(idx->members, path) || g_hash_table_contains(idx->links, path)) {
		g_autofree char *twice = g_strdup_printf("member %s appears twice", path);

		rc_deb_set_corrupt(error, idx->deb, twice, NULL);
		return FALSE;
	}
	if (is_set_file(path) && ++idx->roms > RC_ROM_SET_MAX_FILES)
		return refuse_too_many(error, idx->deb, "members");
	if (hard) {
		g_autofree char *target = member_path(hard);

		g_hash_table_replace(idx->links, g_steal_pointer(&path),
				     g_strconcat("/", target, NULL));
		return TRUE;
	}
	if (type == AE_IFLNK) {
		if (archive_entry_symlink(entry))
			g_hash_table_replace(idx->links, g_steal_pointer(&path),
					     g_strdup(archive_entry_symlink(entry)));
		return TRUE;
	}
	m = g_new0(DebMember, 1);
	m->size = archive_entry_size(entry) > 0 ? (guint64)archive_entry_size(entry) : 0;
	g_hash_table_replace(idx->members, g_strdup(path), m);
	/* Any member may be a ROM reached through a *.rom link: two bytes each. */
	if (!is_set_file(path))
		return read_signature(a, m, idx->deb, path, error);
	return index_rom(idx, a, m, path, error);
}

/* The first pass: every member and link recorded, no member read whole. */
/* A package with nothing to check: one line, naming what it depends on
 * (sid's ovmf is a metapackage whose files are in ovmf-generic). */
static void no_roms_error(const char *path, GError **error)
{
	g_autoptr(GHashTable) control = rc_deb_control(path, NULL);
	const char *depends = control ? g_hash_table_lookup(control, "Depends") : NULL;
	g_autofree char *shown = depends ? g_strescape(depends, NULL) : NULL;
	gboolean cut = shown && strlen(shown) > 120;

	g_set_error(
		error, RC_ERROR, RC_ERROR_INPUT,
		"%s: this package holds no *.rom file (nor seabios or OVMF firmware)%s%.117s%s%s; "
		"pass the package that ships the files (ipxe-qemu, seabios, ovmf, ...)",
		path, shown ? " (it depends on " : "", shown ? shown : "", cut ? "..." : "",
		shown ? ")" : "");
}

static gboolean deb_index(DebIndex *idx, GError **error)
{
	RcDebReader *r = rc_deb_open(idx->deb, "data.tar",
				     error); /* plain ownership, see load_directory() */
	struct archive_entry *entry;
	gboolean ok = TRUE;
	int rc;

	if (!r)
		return FALSE;
	while (ok && ((rc = archive_read_next_header(r->tar, &entry)) == ARCHIVE_OK ||
		      rc == ARCHIVE_WARN))
		ok = index_entry(idx, r->tar, entry, error);
	if (ok && rc != ARCHIVE_EOF) {
		rc_deb_set_corrupt(error, idx->deb, r->member, rc_deb_detail(r));
		ok = FALSE;
	}
	rc_deb_reader_free(r);
	return ok;
}

/* One member's bytes, at most RC_ROM_SET_MAX_FILE_BYTES. */
static GByteArray *read_member(struct archive *a, const char *deb, const char *member,
			       GError **error)
{
	g_autoptr(GByteArray) data = g_byte_array_new();
	guint8 buf[16 * 1024];
	la_ssize_t n;

	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
		if (data->len + (guint64)n > RC_ROM_SET_MAX_FILE_BYTES) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "%s:%s: larger than any option ROM", deb, member);
			return NULL;
		}
		g_byte_array_append(data, buf, (guint)n);
	}
	if (n < 0) {
		rc_deb_set_corrupt(error, deb, member,
				   archive_error_string(a) ? archive_error_string(a)
							   : "damaged or cut short");
		return NULL;
	}
	return g_steal_pointer(&data);
}

/* Called with the bytes of one member the reading pass was asked for. */
typedef gboolean (*DebMemberFunc)(const char *member, const guint8 *data, gsize len, gpointer user,
				  GError **error);

/*
 * A pass over the package reading the regular members named in @wanted,
 * one at a time: only one member's bytes are ever held.
 */
static gboolean deb_read_members(const char *deb, GHashTable *wanted, DebMemberFunc fn,
				 gpointer user, GError **error)
{
	g_autoptr(RcDebReader) r = rc_deb_open(deb, "data.tar", error);
	struct archive_entry *entry;
	int rc;

	if (!r)
		return FALSE;
	while ((rc = archive_read_next_header(r->tar, &entry)) == ARCHIVE_OK ||
	       rc == ARCHIVE_WARN) {
		const char *raw = archive_entry_pathname(entry);
		g_autofree char *path = raw ? member_path(raw) : NULL;
		g_autoptr(GByteArray) data = NULL;

		if (!path || archive_entry_hardlink(entry) ||
		    archive_entry_filetype(entry) != AE_IFREG ||
		    !g_hash_table_contains(wanted, path))
			continue;
		if (!(data = read_member(r->tar, deb, path, error)) ||
		    !fn(path, data->data, data->len, user, error))
			return FALSE;
	}
	if (rc != ARCHIVE_EOF) {
		rc_deb_set_corrupt(error, deb, r->member, rc_deb_detail(r));
		return FALSE;
	}
	return TRUE;
}

/*
 * A member that may join the set: a *.rom anywhere, a firmware image
 * (*.bin, *.fd) in the seabios or OVMF directories only (qemu-system-data
 * ships other *.bin blobs under usr/share/qemu).
 */
static gboolean deb_candidate(const char *path)
{
	g_autofree char *dir = NULL;

	if (g_str_has_suffix(path, ".rom"))
		return TRUE;
	if (!rc_rom_name_may_be_firmware(path))
		return FALSE;
	dir = g_path_get_dirname(path);
	return strcmp(dir, "usr/share/seabios") == 0 || strcmp(dir, "usr/share/OVMF") == 0 ||
	       strcmp(dir, "usr/share/ovmf") == 0;
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
			if (!deb_candidate(key))
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

/* A candidate that leads to no member: an entry with the reason. */
static void add_broken_link(RcRomSet *set, const char *deb, const char *cand, const char *real,
			    const char *why, GHashTable *links)
{
	g_autofree char *name = g_path_get_basename(cand);
	g_autofree char *location = g_strdup_printf("%s:%s", deb, cand);
	RcRomEntry *e = rc_rom_set_add_error(
		set, name, location,
		g_error_new(RC_ERROR, RC_ERROR_INPUT,
			    "%s: %s%s%s; the package is broken, report it to its maintainer",
			    location, real ? "a link to " : "a link that cannot be followed (",
			    real ? real : why,
			    real ? ", which the package does not contain" : ")"));

	e->member = g_strdup(cand);
	e->link_target = g_strdup(g_hash_table_lookup(links, cand));
}

/*
 * Which candidate gives each file name (the first in QEMU's order that is
 * an option ROM), before any member is read: @wanted gets, per member to
 * read, the candidates it stands for.
 */
static gboolean deb_choose(RcRomSet *set, DebIndex *idx, GPtrArray *candidates, GHashTable *wanted,
			   GError **error)
{
	g_autoptr(GHashTable) taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < candidates->len; i++) {
		const char *cand = g_ptr_array_index(candidates, i);
		g_autofree char *name = g_path_get_basename(cand);
		g_autoptr(GError) local = NULL;
		g_autofree char *real = NULL;
		const DebMember *m;
		GPtrArray *list;

		if (g_hash_table_contains(taken, name))
			continue; /* already taken from a directory QEMU searches first */
		real = resolve_member(idx->links, cand, &local);
		m = real ? g_hash_table_lookup(idx->members, real) : NULL;
		if (m && !m->is_rom && !rc_rom_name_may_be_firmware(cand)) {
			/* Packages ship other firmware as *.rom too (qboot.rom): not for a NIC. */
			g_ptr_array_add(set->skipped, g_strdup(cand));
			continue;
		}
		g_hash_table_add(taken, g_steal_pointer(&name));
		if (!m) {
			add_broken_link(set, idx->deb, cand, real, local ? local->message : NULL,
					idx->links);
			continue;
		}
		if (!(list = g_hash_table_lookup(wanted, real))) {
			list = g_ptr_array_new_with_free_func(g_free);
			g_hash_table_insert(wanted, g_strdup(real), list);
			/* A member not named *.rom was not counted by the first pass. */
			if (!is_set_file(real) &&
			    (idx->rom_bytes += m->size) > RC_ROM_SET_MAX_TOTAL_BYTES)
				return refuse_too_large(error, idx->deb, "members");
		}
		g_ptr_array_add(list, g_strdup(cand));
	}
	return TRUE;
}

/* What the reading pass of load_deb() adds the entries to. */
typedef struct {
	RcRomSet *set;
	GHashTable *wanted; /* member -> candidates (char *) */
	GHashTable *links;
} DebLoad;

/* A member's bytes parsed once for each candidate that leads to it. */
static gboolean add_member(const char *member, const guint8 *data, gsize len, gpointer user,
			   GError **error)
{
	DebLoad *load = user;
	GPtrArray *list = g_hash_table_lookup(load->wanted, member);

	for (guint i = 0; i < list->len; i++) {
		const char *cand = g_ptr_array_index(list, i);
		const char *link = g_hash_table_lookup(load->links, cand);
		g_autofree char *name = g_path_get_basename(cand);
		g_autofree char *location = g_strdup_printf("%s:%s", load->set->source, cand);
		RcRomEntry *e;

		if (is_isa_rom(name, data, len)) {
			g_ptr_array_add(load->set->skipped, g_strdup(cand));
			continue;
		}
		e = rc_rom_set_add_data(load->set, name, location, data, len);
		e->member = g_strdup(cand);
		e->source_member = g_strdup(member);
		if (link || strcmp(member, cand) != 0)
			e->link_target = g_strdup(link ? link : member);
	}
	g_hash_table_remove(load->wanted, member);
	return TRUE;
}

static RcRomSet *load_deb(const char *path, GError **error)
{
	g_autoptr(GHashTable) members =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) links =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) wanted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
							     (GDestroyNotify)g_ptr_array_unref);
	g_autoptr(GPtrArray) candidates = NULL;
	DebIndex idx = {.deb = path, .members = members, .links = links};
	DebLoad load = {.wanted = wanted, .links = links};

	if (!deb_index(&idx, error))
		return NULL;
	candidates = deb_candidates(members, links);
	if (candidates->len == 0) {
		no_roms_error(path, error);
		return NULL;
	}
	load.set = rc_rom_set_new(path, RC_ROM_SET_DEB); /* plain ownership, see load_directory() */
	load.set->package = g_strdup(path);
	if (!deb_choose(load.set, &idx, candidates, wanted, error) ||
	    (g_hash_table_size(wanted) > 0 &&
	     !deb_read_members(path, wanted, add_member, &load, error))) {
		rc_rom_set_free(load.set);
		return NULL;
	}
	if (g_hash_table_size(wanted) > 0) {
		rc_deb_set_corrupt(error, path, "it changed while being read", NULL);
		rc_rom_set_free(load.set);
		return NULL;
	}
	if (load.set->entries->len == 0) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: no option ROM in this package (its *.rom files lack the 55 AA signature); pass the ipxe-qemu package",
			path);
		rc_rom_set_free(load.set);
		return NULL;
	}
	rc_rom_set_sort(load.set);
	return load.set;
}

/* A .deb by name or by content (an ar archive), whatever it is called. */
static gboolean looks_like_deb(const char *path)
{
	char magic[8] = {0};
	gboolean ar = FALSE;
	int fd;

	if (g_str_has_suffix(path, ".deb"))
		return TRUE;
	fd = rc_input_open(path, "ROM file", RC_INPUT_FILE, NULL, NULL);
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
 *		exist, is neither a regular file nor a directory (a FIFO, a
 *		device), a directory or package without ROMs or over the
 *		bounds of a set (RC_ROM_SET_MAX_*), a corrupt package
 *
 * Problems with single files stay in their entries (see RcRomEntry).
 * Nothing is opened in a way that blocks, and no file's bytes are kept.
 *
 * Return: the set, or NULL with @error set
 */
RcRomSet *rc_rom_set_load(const char *path, GError **error)
{
	g_autoptr(RcRomSet) set = NULL;
	g_autofree char *name = NULL;
	struct stat st;

	if (rc_debian_is_source(path)) {
		g_autofree char *resolved = NULL;
		g_autofree char *deb = rc_debian_fetch(path, &resolved, error);
		RcRomSet *from_deb;

		if (!deb || !(from_deb = load_deb(deb, error)))
			return NULL;
		/* Reports name the package and the version fetched
		 * ("debian:seabios=1.16.3-2"), not the cache file. */
		g_free(from_deb->source);
		from_deb->source = g_steal_pointer(&resolved);
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
	/* A FIFO, a device or a socket: refused in one line, never opened blocking. */
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) &&
	    !rc_input_check(path, "ROM set", RC_INPUT_FILE_OR_DIR, &st, error))
		return NULL;
	if (S_ISDIR(st.st_mode))
		return load_directory(path, error);
	if (looks_like_deb(path))
		return load_deb(path, error);

	set = rc_rom_set_new(path, RC_ROM_SET_FILE);
	name = g_path_get_basename(path);
	add_disk_file(set, name, path, FALSE);
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

/* What rc_rom_set_each_member() passes to each member it reads. */
typedef struct {
	GHashTable *by_member; /* source member -> GPtrArray of entries */
	RcRomMemberFunc fn;
	gpointer user;
} EachMember;

static gboolean each_member_entry(const char *member, const guint8 *data, gsize len, gpointer user,
				  GError **error)
{
	EachMember *each = user;
	GPtrArray *list = g_hash_table_lookup(each->by_member, member);

	for (guint i = 0; i < list->len; i++)
		if (!each->fn(g_ptr_array_index(list, i), data, len, each->user, error))
			return FALSE;
	return TRUE;
}

/**
 * rc_rom_set_each_member() - the bytes of a package's ROM files, read again
 * @set:	a set of kind RC_ROM_SET_DEB (other sets: nothing is called)
 * @fn:		called once per entry that has bytes (@source_member set)
 * @user:	passed to @fn
 * @error:	set for a package that cannot be read again (2), or by @fn
 *
 * A set keeps no file's bytes; this reads the package once more, holding
 * one member at a time.
 *
 * Return: TRUE when every entry was passed to @fn
 */
gboolean rc_rom_set_each_member(const RcRomSet *set, RcRomMemberFunc fn, gpointer user,
				GError **error)
{
	g_autoptr(GHashTable) by_member = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
								(GDestroyNotify)g_ptr_array_unref);
	EachMember each = {.by_member = by_member, .fn = fn, .user = user};

	if (set->kind != RC_ROM_SET_DEB)
		return TRUE;
	for (guint i = 0; i < set->entries->len; i++) {
		RcRomEntry *e = g_ptr_array_index(set->entries, i);
		GPtrArray *list;

		if (!e->source_member)
			continue;
		if (!(list = g_hash_table_lookup(by_member, e->source_member))) {
			list = g_ptr_array_new();
			g_hash_table_insert(by_member, e->source_member, list);
		}
		g_ptr_array_add(list, e);
	}
	if (g_hash_table_size(by_member) == 0)
		return TRUE;
	/* set->source is "debian:..." for a fetched package: read the cached file. */
	return deb_read_members(set->package, by_member, each_member_entry, &each, error);
}

/* Where rc_rom_set_write_files() puts a package's files. */
typedef struct {
	const char *directory;
	GHashTable *paths; /* entry -> its copy */
} WriteFiles;

static gboolean write_entry(const RcRomEntry *e, const guint8 *data, gsize len, gpointer user,
			    GError **error)
{
	WriteFiles *w = user;
	g_autofree char *path = g_build_filename(w->directory, e->name, NULL);
	g_autoptr(GError) local = NULL;

	if (!g_file_set_contents(path, (const char *)data, (gssize)len, &local)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot copy %s out of the package: %s (free some space or set TMPDIR)",
			    e->location, local->message);
		return FALSE;
	}
	g_hash_table_insert(w->paths, (gpointer)e, g_steal_pointer(&path));
	return TRUE;
}

/**
 * rc_rom_set_write_files() - put a package's ROMs where QEMU can open them
 * @set:	the set; every entry of a package member or padded copy gets
 *		@path, a copy in @directory
 * @directory:	a private directory (the caller removes it)
 * @error:	set when a file cannot be written (a full disk, say) (3), or
 *		the package cannot be read again (2)
 *
 * Entries of files and directories already are files: their @path is
 * their location.  A package is read once more, one member at a time.
 *
 * Return: TRUE when every usable entry has a path
 */
gboolean rc_rom_set_write_files(RcRomSet *set, const char *directory, GError **error)
{
	g_autoptr(GHashTable) paths = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	WriteFiles w = {.directory = directory, .paths = paths};

	if (set->kind == RC_ROM_SET_DEB && !rc_rom_set_each_member(set, write_entry, &w, error))
		return FALSE;
	for (guint i = 0; i < set->entries->len; i++) {
		RcRomEntry *e = g_ptr_array_index(set->entries, i);
		gsize len;
		const char *bytes;

		if (e->path)
			continue;
		if (g_hash_table_contains(paths, e)) {
			g_hash_table_steal_extended(paths, e, NULL, (gpointer *)&e->path);
			continue;
		}
		if (!e->data) {
			if (set->kind == RC_ROM_SET_FILE || set->kind == RC_ROM_SET_DIRECTORY)
				e->path = g_strdup(e->location);
			continue;
		}
		bytes = g_bytes_get_data(e->data, &len);
		if (!write_entry(e, (const guint8 *)bytes, len, &w, error))
			return FALSE;
		g_hash_table_steal_extended(paths, e, NULL, (gpointer *)&e->path);
	}
	return TRUE;
}

/* How many bad files a summary quotes before it only counts the others. */
#define SUMMARY_QUOTED 3

/**
 * rc_rom_set_errors_summary() - one error for every file of a set that
 *				 cannot be used
 * @set:	the set
 *
 * One bad input gives one line: a directory of a thousand broken links is
 * one error, quoting the first few and counting the rest.
 *
 * Return: NULL when no entry has an error; the only entry's error; or a
 * summary (RC_ERROR_INPUT).  Free with g_error_free().
 */
GError *rc_rom_set_errors_summary(const RcRomSet *set)
{
	g_autoptr(GString) quoted = g_string_new(NULL);
	const RcRomEntry *first = NULL;
	guint n = 0;

	for (guint i = 0; i < set->entries->len; i++) {
		const RcRomEntry *e = g_ptr_array_index(set->entries, i);

		if (!e->error)
			continue;
		if (!first)
			first = e;
		if (n++ < SUMMARY_QUOTED)
			g_string_append_printf(quoted, "%s[%s]", n > 1 ? " " : "",
					       e->error->message);
	}
	if (!first)
		return NULL;
	if (n == 1)
		return g_error_copy(first->error);
	if (n > SUMMARY_QUOTED)
		g_string_append_printf(quoted, " and %u more ('romcompat inspect %s' lists each)",
				       n - SUMMARY_QUOTED, set->source);
	return g_error_new(RC_ERROR, RC_ERROR_INPUT,
			   "%s: %u of its %u ROM files cannot be used: %s", set->source, n,
			   set->entries->len, quoted->str);
}
