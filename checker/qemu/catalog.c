/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * catalog.c - the machine-type catalog: in-memory model, strict loading
 * with errors that name the file and the JSON path, validation, and
 * canonical saving.
 *
 * Theory of operation: loading is two passes.  The first walks the JSON
 * document and checks every member's type (unknown members are errors, so
 * a misspelt key is never silently ignored), building the model in file
 * order.  The second, rc_catalog_validate(), checks what types cannot say:
 * names, duplicates, ranges.  It runs on load and again before saving, so
 * a catalog written by romcompat is one it would accept.  Saving sorts
 * machine types (version order), NIC models and keys: the same catalog
 * always gives the same bytes, and a regenerated file diffs cleanly.
 *
 * Format 2 adds, per machine type, the PCI display devices and the
 * firmware blocks; format 1 files (NICs only) are still read, with empty
 * lists, and rc_catalog_has_devices() tells a consumer they are unknown.
 */
#include "qemu/catalog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/input.h"
#include "base/jsonparse.h"
#include "base/jsonutil.h"
#include "base/output.h"
#include "base/ptrarray.h"

/* Longest name accepted; QEMU's longest machine type name is about 30. */
#define NAME_MAX_LENGTH 128
/* Guest RAM accepted in memory-mib: 1 MiB .. 1 TiB. */
#define MEMORY_MIB_MAX (1024 * 1024)
/* Default guest RAM: the least QEMU accepts (-m 1); a machine type that
 * refuses it is given its own default (discover.c). */
#define MEMORY_MIB_DEFAULT 1
/* QEMU's romsize is a uint32 power of two. */
#define ROMSIZE_MAX (G_GINT64_CONSTANT(1) << 31)
/* Directories accepted in search-path (QEMU 7.2 lists 3) and their length. */
#define SEARCH_PATH_MAX_DIRS   16
#define SEARCH_PATH_MAX_LENGTH 4096

static const char catalog_fix_hint[] = "fix the catalog or regenerate it with 'romcompat machines'";

static void nic_free(gpointer data)
{
	RcCatalogNic *nic = data;

	g_free(nic->model);
	g_free(nic->romfile);
	g_free(nic);
}

static void display_free(gpointer data)
{
	RcCatalogDisplay *display = data;

	g_free(display->model);
	g_free(display->romfile);
	g_free(display);
}

static void firmware_free(gpointer data)
{
	RcCatalogFirmware *firmware = data;

	g_free(firmware->block);
	g_free(firmware->source);
	g_free(firmware->file);
	g_free(firmware);
}

static void machine_free(gpointer data)
{
	RcCatalogMachine *machine = data;

	g_free(machine->name);
	g_free(machine->alias);
	g_ptr_array_unref(machine->nics);
	g_ptr_array_unref(machine->displays);
	g_ptr_array_unref(machine->firmware);
	g_free(machine);
}

/**
 * rc_catalog_new() - an empty catalog
 * @arch:	target architecture
 * @qemu_binary: the QEMU binary it describes
 * @qemu_version: that binary's version
 *
 * Return: the catalog, with generated-by "romcompat machines" and the
 * default guest RAM; free with rc_catalog_free()
 */
RcCatalog *rc_catalog_new(const char *arch, const char *qemu_binary, const char *qemu_version)
{
	RcCatalog *catalog = g_new0(RcCatalog, 1);

	catalog->arch = g_strdup(arch);
	catalog->qemu_binary = g_strdup(qemu_binary);
	catalog->qemu_version = g_strdup(qemu_version);
	catalog->generated_by = g_strdup("romcompat machines");
	catalog->memory_mib = MEMORY_MIB_DEFAULT;
	catalog->machines = g_ptr_array_new_with_free_func(machine_free);
	catalog->format = RC_CATALOG_FORMAT;
	return catalog;
}

/**
 * rc_catalog_free() - free a catalog and everything in it
 * @catalog:	the catalog, or NULL
 */
void rc_catalog_free(RcCatalog *catalog)
{
	if (!catalog)
		return;
	g_free(catalog->arch);
	g_free(catalog->qemu_binary);
	g_free(catalog->qemu_version);
	g_free(catalog->qemu_package);
	g_free(catalog->generated_by);
	if (catalog->search_path)
		g_ptr_array_unref(catalog->search_path);
	g_ptr_array_unref(catalog->machines);
	g_free(catalog);
}

/**
 * rc_catalog_add_machine() - append a machine type
 * @catalog:	the catalog
 * @name:	its name
 *
 * Return: the new machine type, owned by @catalog (no alias, no NIC)
 */
RcCatalogMachine *rc_catalog_add_machine(RcCatalog *catalog, const char *name)
{
	RcCatalogMachine *machine = g_new0(RcCatalogMachine, 1);

	machine->name = g_strdup(name);
	machine->nics = g_ptr_array_new_with_free_func(nic_free);
	machine->displays = g_ptr_array_new_with_free_func(display_free);
	machine->firmware = g_ptr_array_new_with_free_func(firmware_free);
	g_ptr_array_add(catalog->machines, machine);
	return machine;
}

/**
 * rc_catalog_machine_add_nic() - append a NIC model to a machine type
 * @machine:	the machine type
 * @model:	the NIC model
 * @romfile:	its default romfile ("" or NULL: no ROM)
 * @romsize:	its default romsize, -1 when unset
 *
 * Return: the new entry, owned by @machine
 */
RcCatalogNic *rc_catalog_machine_add_nic(RcCatalogMachine *machine, const char *model,
					 const char *romfile, gint64 romsize)
{
	RcCatalogNic *nic = g_new0(RcCatalogNic, 1);

	nic->model = g_strdup(model);
	nic->romfile = g_strdup(romfile ? romfile : "");
	nic->romsize = romsize;
	g_ptr_array_add(machine->nics, nic);
	return nic;
}

/**
 * rc_catalog_machine_add_display() - append a display device to a machine type
 * @machine:	the machine type
 * @model:	the device model
 * @romfile:	its default romfile ("" or NULL: no ROM)
 *
 * Return: the new entry, owned by @machine
 */
RcCatalogDisplay *rc_catalog_machine_add_display(RcCatalogMachine *machine, const char *model,
						 const char *romfile)
{
	RcCatalogDisplay *display = g_new0(RcCatalogDisplay, 1);

	display->model = g_strdup(model);
	display->romfile = g_strdup(romfile ? romfile : "");
	g_ptr_array_add(machine->displays, display);
	return display;
}

/**
 * rc_catalog_machine_add_firmware() - append a firmware block to a machine type
 * @machine:	the machine type
 * @block:	the RAM block's name
 * @source:	"bios" or the flash property ("pflash0")
 * @file:	the default file ("" or NULL: none)
 * @size:	the block's size with that file, -1 when there is none
 *
 * Return: the new entry, owned by @machine
 */
RcCatalogFirmware *rc_catalog_machine_add_firmware(RcCatalogMachine *machine, const char *block,
						   const char *source, const char *file,
						   gint64 size)
{
	RcCatalogFirmware *firmware = g_new0(RcCatalogFirmware, 1);

	firmware->block = g_strdup(block);
	firmware->source = g_strdup(source);
	firmware->file = g_strdup(file ? file : "");
	firmware->size = size;
	g_ptr_array_add(machine->firmware, firmware);
	return firmware;
}

/**
 * rc_catalog_name_compare() - the order of machine types and NIC models
 * @a:	a name
 * @b:	another name
 *
 * Version order ("pc-i440fx-1.10" after "pc-i440fx-1.9"), then plain byte
 * order so that the order is total even where strverscmp() ties.
 *
 * Return: <0, 0 or >0 like strcmp()
 */
int rc_catalog_name_compare(const char *a, const char *b)
{
	int c = strverscmp(a, b);

	return c ? c : strcmp(a, b);
}

static int machine_compare(gconstpointer a, gconstpointer b)
{
	const RcCatalogMachine *ma = *(RcCatalogMachine *const *)a;
	const RcCatalogMachine *mb = *(RcCatalogMachine *const *)b;

	return rc_catalog_name_compare(ma->name, mb->name);
}

static int nic_compare(gconstpointer a, gconstpointer b)
{
	const RcCatalogNic *na = *(RcCatalogNic *const *)a;
	const RcCatalogNic *nb = *(RcCatalogNic *const *)b;

	return rc_catalog_name_compare(na->model, nb->model);
}

static int display_compare(gconstpointer a, gconstpointer b)
{
	const RcCatalogDisplay *da = *(RcCatalogDisplay *const *)a;
	const RcCatalogDisplay *db = *(RcCatalogDisplay *const *)b;

	return rc_catalog_name_compare(da->model, db->model);
}

static int firmware_compare(gconstpointer a, gconstpointer b)
{
	const RcCatalogFirmware *fa = *(RcCatalogFirmware *const *)a;
	const RcCatalogFirmware *fb = *(RcCatalogFirmware *const *)b;

	return rc_catalog_name_compare(fa->block, fb->block);
}

/**
 * rc_catalog_sort() - put machine types, devices and blocks in canonical order
 * @catalog:	the catalog
 */
void rc_catalog_sort(RcCatalog *catalog)
{
	g_ptr_array_sort(catalog->machines, machine_compare);
	for (guint i = 0; i < catalog->machines->len; i++) {
		RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, i);

		g_ptr_array_sort(machine->nics, nic_compare);
		g_ptr_array_sort(machine->displays, display_compare);
		g_ptr_array_sort(machine->firmware, firmware_compare);
	}
}

/**
 * rc_catalog_find_machine() - look a machine type up by name or alias
 * @catalog:	the catalog
 * @name:	a machine type name or alias
 *
 * Return: the machine type, or NULL when the catalog has none of that name
 */
const RcCatalogMachine *rc_catalog_find_machine(const RcCatalog *catalog, const char *name)
{
	for (guint i = 0; i < catalog->machines->len; i++) {
		const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, i);

		if (strcmp(machine->name, name) == 0 ||
		    (machine->alias && strcmp(machine->alias, name) == 0))
			return machine;
	}
	return NULL;
}

/**
 * rc_catalog_machine_find_nic() - look a NIC model up on a machine type
 * @machine:	the machine type
 * @model:	the NIC model
 *
 * Return: the entry, or NULL
 */
const RcCatalogNic *rc_catalog_machine_find_nic(const RcCatalogMachine *machine, const char *model)
{
	for (guint i = 0; i < machine->nics->len; i++) {
		const RcCatalogNic *nic = g_ptr_array_index(machine->nics, i);

		if (strcmp(nic->model, model) == 0)
			return nic;
	}
	return NULL;
}

/**
 * rc_catalog_machine_find_display() - look a display device up on a machine type
 * @machine:	the machine type
 * @model:	the device model
 *
 * Return: the entry, or NULL
 */
const RcCatalogDisplay *rc_catalog_machine_find_display(const RcCatalogMachine *machine,
							const char *model)
{
	for (guint i = 0; i < machine->displays->len; i++) {
		const RcCatalogDisplay *display = g_ptr_array_index(machine->displays, i);

		if (strcmp(display->model, model) == 0)
			return display;
	}
	return NULL;
}

/**
 * rc_catalog_machine_find_firmware() - look a firmware block up on a machine type
 * @machine:	the machine type
 * @block:	the RAM block's name
 *
 * Return: the entry, or NULL
 */
const RcCatalogFirmware *rc_catalog_machine_find_firmware(const RcCatalogMachine *machine,
							  const char *block)
{
	for (guint i = 0; i < machine->firmware->len; i++) {
		const RcCatalogFirmware *firmware = g_ptr_array_index(machine->firmware, i);

		if (strcmp(firmware->block, block) == 0)
			return firmware;
	}
	return NULL;
}

/**
 * rc_catalog_has_devices() - were display devices and firmware read back?
 * @catalog:	the catalog
 *
 * A format 1 catalog lists NICs only: its empty display and firmware lists
 * mean "not known", not "none".
 *
 * Return: TRUE for a catalog of format 2 or later
 */
gboolean rc_catalog_has_devices(const RcCatalog *catalog)
{
	return catalog->format >= 2;
}

/**
 * rc_catalog_machine_memory_mib() - guest RAM to start a machine type with
 * @catalog:	the catalog
 * @machine:	one of its machine types
 *
 * Return: the machine type's own figure, else the catalog's
 */
guint rc_catalog_machine_memory_mib(const RcCatalog *catalog, const RcCatalogMachine *machine)
{
	return machine->memory_mib ? machine->memory_mib : catalog->memory_mib;
}

/**
 * rc_catalog_name_is_valid() - may this string go into a QEMU option?
 * @name:	a machine type, NIC model, ROM file name, architecture or version
 *
 * Only [A-Za-z0-9._-], starting with a letter or digit, at most 128 bytes:
 * no ',' or '=' (which would add an option), no '/' (no path), no leading
 * '-' (no argument that looks like an option).
 *
 * Return: TRUE when @name is safe
 */
gboolean rc_catalog_name_is_valid(const char *name)
{
	gsize length = name ? strlen(name) : 0;

	if (length == 0 || length > NAME_MAX_LENGTH || !g_ascii_isalnum(name[0]))
		return FALSE;
	for (gsize i = 0; i < length; i++)
		if (!g_ascii_isalnum(name[i]) && !strchr("._-", name[i]))
			return FALSE;
	return TRUE;
}

/* UTF-8 without control bytes. */
static gboolean text_is_valid_long(const char *text)
{
	if (!g_utf8_validate(text, -1, NULL))
		return FALSE;
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return FALSE;
	return TRUE;
}

/* Free text (package string, generator): printable, no control bytes. */
static gboolean text_is_valid(const char *text)
{
	return text && text_is_valid_long(text) && strlen(text) <= 256;
}

/* A QEMU binary: a command name or a path, without option syntax. */
static gboolean binary_is_valid(const char *binary)
{
	if (!*binary || *binary == '-' || strlen(binary) > 4096)
		return FALSE;
	for (const char *p = binary; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("._-/+", *p))
			return FALSE;
	return TRUE;
}

/* A search-path entry: absolute (printable text), or relative to the
 * binary's directory as "../share/qemu": leading ".." components only, then
 * names of [A-Za-z0-9._+-] (no ".", no empty component). */
static gboolean search_dir_is_valid(const char *dir)
{
	gboolean names = FALSE;
	g_auto(GStrv) parts = NULL;

	if (!*dir || strlen(dir) > SEARCH_PATH_MAX_LENGTH || !text_is_valid_long(dir))
		return FALSE;
	if (*dir == '/')
		return TRUE;
	parts = g_strsplit(dir, "/", -1);
	for (guint i = 0; parts[i]; i++) {
		if (strcmp(parts[i], "..") == 0 && !names)
			continue;
		if (!*parts[i] || strcmp(parts[i], ".") == 0 || strcmp(parts[i], "..") == 0)
			return FALSE;
		for (const char *p = parts[i]; *p; p++)
			if (!g_ascii_isalnum(*p) && !strchr("._+-", *p))
				return FALSE;
		names = TRUE;
	}
	return names;
}

static gboolean fail(GError **error, const char *source, const char *path, const char *what)
{
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: %s: %s; %s", source, path, what,
		    catalog_fix_hint);
	return FALSE;
}

static gboolean check_name(GError **error, const char *source, const char *path, const char *name)
{
	g_autofree char *what = NULL;
	g_autofree char *shown = NULL;

	if (rc_catalog_name_is_valid(name))
		return TRUE;
	shown = g_strescape(name, NULL);
	what = g_strdup_printf("'%s' is not a name (letters, digits, '.', '_', '-' only, "
			       "starting with a letter or digit)",
			       shown);
	return fail(error, source, path, what);
}

static gboolean validate_nic(const RcCatalogNic *nic, const char *source, const char *path,
			     GError **error)
{
	g_autofree char *model_path = g_strdup_printf("%s.model", path);
	g_autofree char *romfile_path = g_strdup_printf("%s.romfile", path);
	g_autofree char *romsize_path = g_strdup_printf("%s.romsize", path);

	if (!check_name(error, source, model_path, nic->model))
		return FALSE;
	if (*nic->romfile && !check_name(error, source, romfile_path, nic->romfile))
		return FALSE;
	if (nic->romsize != -1 && (nic->romsize <= 0 || nic->romsize > ROMSIZE_MAX ||
				   (nic->romsize & (nic->romsize - 1))))
		return fail(error, source, romsize_path,
			    "romsize must be null or a power of two up to 2 GiB");
	return TRUE;
}

static gboolean validate_display(const RcCatalogDisplay *display, const char *source,
				 const char *path, GError **error)
{
	g_autofree char *model_path = g_strdup_printf("%s.model", path);
	g_autofree char *romfile_path = g_strdup_printf("%s.romfile", path);

	return check_name(error, source, model_path, display->model) &&
	       (!*display->romfile || check_name(error, source, romfile_path, display->romfile));
}

static gboolean validate_firmware(const RcCatalogFirmware *firmware, const char *source,
				  const char *path, GError **error)
{
	g_autofree char *block_path = g_strdup_printf("%s.block", path);
	g_autofree char *source_path = g_strdup_printf("%s.source", path);
	g_autofree char *file_path = g_strdup_printf("%s.file", path);
	g_autofree char *size_path = g_strdup_printf("%s.size", path);

	if (!check_name(error, source, block_path, firmware->block) ||
	    !check_name(error, source, source_path, firmware->source) ||
	    (*firmware->file && !check_name(error, source, file_path, firmware->file)))
		return FALSE;
	if (firmware->size != -1 && (firmware->size <= 0 || firmware->size > ROMSIZE_MAX * 2))
		return fail(error, source, size_path, "size must be null or 1 byte .. 4 GiB");
	if ((firmware->size == -1) != (*firmware->file == '\0'))
		return fail(error, source, size_path,
			    "size is given exactly when there is a default file");
	return TRUE;
}

/* Display devices and firmware blocks: each valid, none listed twice. */
static gboolean validate_devices(const RcCatalogMachine *machine, const char *source,
				 const char *path, GError **error)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *what = NULL;

	for (guint i = 0; i < machine->displays->len; i++) {
		const RcCatalogDisplay *display = g_ptr_array_index(machine->displays, i);
		g_autofree char *item = g_strdup_printf("%s.displays[%u]", path, i);

		if (!validate_display(display, source, item, error))
			return FALSE;
		if (!g_hash_table_add(seen, display->model)) {
			what = g_strdup_printf("display model '%s' is listed twice",
					       display->model);
			return fail(error, source, item, what);
		}
	}
	g_hash_table_remove_all(seen);
	for (guint i = 0; i < machine->firmware->len; i++) {
		const RcCatalogFirmware *firmware = g_ptr_array_index(machine->firmware, i);
		g_autofree char *item = g_strdup_printf("%s.firmware[%u]", path, i);

		if (!validate_firmware(firmware, source, item, error))
			return FALSE;
		if (!g_hash_table_add(seen, firmware->block)) {
			what = g_strdup_printf("firmware block '%s' is listed twice",
					       firmware->block);
			return fail(error, source, item, what);
		}
	}
	return TRUE;
}

static gboolean validate_machine(const RcCatalogMachine *machine, const char *source,
				 const char *path, GError **error)
{
	g_autoptr(GHashTable) models = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *name_path = g_strdup_printf("%s.name", path);
	g_autofree char *alias_path = g_strdup_printf("%s.alias", path);
	g_autofree char *memory_path = g_strdup_printf("%s.memory-mib", path);

	if (!check_name(error, source, name_path, machine->name))
		return FALSE;
	if (machine->alias && !check_name(error, source, alias_path, machine->alias))
		return FALSE;
	if (machine->memory_mib > MEMORY_MIB_MAX)
		return fail(error, source, memory_path, "memory-mib must be 1 .. 1048576");
	for (guint i = 0; i < machine->nics->len; i++) {
		const RcCatalogNic *nic = g_ptr_array_index(machine->nics, i);
		g_autofree char *nic_path = g_strdup_printf("%s.nics[%u]", path, i);

		if (!validate_nic(nic, source, nic_path, error))
			return FALSE;
		if (!g_hash_table_add(models, nic->model)) {
			g_autofree char *what =
				g_strdup_printf("NIC model '%s' is listed twice", nic->model);

			return fail(error, source, nic_path, what);
		}
	}
	return validate_devices(machine, source, path, error);
}

static gboolean validate_search_path(const RcCatalog *catalog, const char *source, GError **error)
{
	if (!catalog->search_path)
		return TRUE;
	if (catalog->search_path->len == 0 || catalog->search_path->len > SEARCH_PATH_MAX_DIRS)
		return fail(error, source, "$.search-path",
			    "search-path lists 1 .. 16 directories");
	for (guint i = 0; i < catalog->search_path->len; i++) {
		g_autofree char *path = g_strdup_printf("$.search-path[%u]", i);

		if (!search_dir_is_valid(g_ptr_array_index(catalog->search_path, i)))
			return fail(error, source, path,
				    "not an absolute directory, nor one relative to the binary's "
				    "(\"../share/qemu\": leading \"..\", then names of letters, "
				    "digits and '._+-')");
	}
	return TRUE;
}

/* The directory of @binary as QEMU sees its own (symbolic links resolved). */
static char *binary_dir(const char *binary)
{
	g_autofree char *real = realpath(binary, NULL);

	return g_path_get_dirname(real ? real : binary);
}

/* @dir below @top: the rest after "top/", or NULL. */
static const char *below(const char *dir, const char *top)
{
	gsize n = strlen(top);

	if (strcmp(top, "/") == 0 || strncmp(dir, top, n) != 0 || dir[n] != '/')
		return NULL;
	return dir + n + 1;
}

/* One -L help line as the catalog keeps it: relative to @bindir when it is
 * below it or its parent (the installation prefix), else absolute. */
static char *search_entry(const char *printed, const char *bindir)
{
	g_autofree char *canon = g_canonicalize_filename(printed, "/");
	g_autofree char *prefix = g_path_get_dirname(bindir);
	g_autofree char *entry = NULL;
	const char *rest;

	if ((rest = below(canon, bindir)))
		entry = g_strdup(rest);
	else if ((rest = below(canon, prefix)))
		entry = g_strconcat("../", rest, NULL);
	if (entry && search_dir_is_valid(entry))
		return g_steal_pointer(&entry);
	return search_dir_is_valid(canon) ? g_steal_pointer(&canon) : NULL;
}

/**
 * rc_catalog_set_search_path() - record where the binary finds its files
 * @catalog:	the catalog
 * @binary:	the binary's absolute path
 * @dirs:	the directories QEMU lists with -L help, in its order
 *
 * A directory below the binary's installation prefix is kept relative to
 * the binary's directory ("../share/qemu"), so that the catalog is not
 * tied to /usr or to where a package was unpacked; others stay absolute.
 * Duplicates and directories the catalog cannot hold are left out.
 */
void rc_catalog_set_search_path(RcCatalog *catalog, const char *binary, const char *const *dirs)
{
	g_autofree char *bindir = binary_dir(binary);

	if (catalog->search_path)
		g_ptr_array_unref(catalog->search_path);
	catalog->search_path = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; dirs[i] && catalog->search_path->len < SEARCH_PATH_MAX_DIRS; i++) {
		char *entry = search_entry(dirs[i], bindir);
		guint at;

		if (entry && !g_ptr_array_find_with_equal_func(catalog->search_path, entry,
							       g_str_equal, &at))
			g_ptr_array_add(catalog->search_path, entry);
		else
			g_free(entry);
	}
	if (catalog->search_path->len == 0) {
		g_ptr_array_unref(catalog->search_path);
		catalog->search_path = NULL;
	}
}

/**
 * rc_catalog_search_dirs() - where a QEMU binary finds its files
 * @catalog:	its catalog
 * @binary:	the binary's path, or NULL when it is not at hand
 * @error:	set when the catalog does not record the search path (written
 *		before it did), or a relative one and @binary is NULL
 *
 * Return: the catalog's search-path, relative entries resolved against
 * the binary's directory, NULL-terminated; or NULL
 */
GStrv rc_catalog_search_dirs(const RcCatalog *catalog, const char *binary, GError **error)
{
	g_autoptr(GPtrArray) dirs = g_ptr_array_new_null_terminated(4, g_free, TRUE);
	g_autofree char *bindir = binary ? binary_dir(binary) : NULL;

	if (!catalog->search_path) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "the catalog of %s %s records no search-path (written by an older "
			    "romcompat): regenerate it with 'romcompat machines --qemu %s'",
			    catalog->qemu_binary, catalog->qemu_version, catalog->qemu_binary);
		return NULL;
	}
	for (guint i = 0; i < catalog->search_path->len; i++) {
		const char *dir = g_ptr_array_index(catalog->search_path, i);

		if (*dir != '/' && !bindir) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "%s is not on PATH: its search path %s is relative to its "
				    "directory; install it or give --new-qemu",
				    catalog->qemu_binary, dir);
			return NULL;
		}
		g_ptr_array_add(dirs, g_canonicalize_filename(dir, bindir));
	}
	return (GStrv)g_ptr_array_free(g_steal_pointer(&dirs), FALSE);
}

/**
 * rc_catalog_validate() - check what JSON types cannot say
 * @catalog:	the catalog
 * @source:	the file it came from (or is going to), for messages
 * @error:	set to an input error naming @source and the JSON path
 *
 * Names safe for QEMU options, no machine type, alias or NIC model twice,
 * at most one default machine type, sizes and RAM in range.
 *
 * Return: TRUE when the catalog is valid
 */
gboolean rc_catalog_validate(const RcCatalog *catalog, const char *source, GError **error)
{
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
	const char *default_machine = NULL;

	if (!check_name(error, source, "$.arch", catalog->arch) ||
	    !check_name(error, source, "$.qemu.version", catalog->qemu_version))
		return FALSE;
	if (!binary_is_valid(catalog->qemu_binary))
		return fail(error, source, "$.qemu.binary",
			    "not a command name or path of letters, digits and '._-/+'");
	if (catalog->qemu_package && !text_is_valid(catalog->qemu_package))
		return fail(error, source, "$.qemu.package",
			    "control characters or more than 256 bytes");
	if (!text_is_valid(catalog->generated_by))
		return fail(error, source, "$.generated-by",
			    "control characters or more than 256 bytes");
	if (catalog->memory_mib == 0 || catalog->memory_mib > MEMORY_MIB_MAX)
		return fail(error, source, "$.memory-mib", "memory-mib must be 1 .. 1048576");
	if (!validate_search_path(catalog, source, error))
		return FALSE;

	for (guint i = 0; i < catalog->machines->len; i++) {
		const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, i);
		g_autofree char *path = g_strdup_printf("$.machines[%u]", i);
		g_autofree char *what = NULL;

		if (!validate_machine(machine, source, path, error))
			return FALSE;
		if (!g_hash_table_add(names, machine->name)) {
			what = g_strdup_printf("machine type or alias '%s' is listed twice",
					       machine->name);
			return fail(error, source, path, what);
		}
		if (machine->alias && !g_hash_table_add(names, machine->alias)) {
			what = g_strdup_printf("machine type or alias '%s' is listed twice",
					       machine->alias);
			return fail(error, source, path, what);
		}
		if (machine->is_default && default_machine) {
			what = g_strdup_printf("'%s' and '%s' are both the default machine type",
					       default_machine, machine->name);
			return fail(error, source, path, what);
		}
		if (machine->is_default)
			default_machine = machine->name;
	}
	return TRUE;
}

/*
 * Loading: one function per JSON shape, each given its JSON path so that
 * every error names the member ("$.machines[3].nics[0].romfile").
 */

static gboolean get_bool(const RcJsonReader *reader, json_object *parent, const char *path,
			 const char *key, gboolean *out, GError **error)
{
	json_object *value;

	if (!rc_json_member(reader, parent, path, key, json_type_boolean, RC_JSON_OPTIONAL, &value,
			    error))
		return FALSE;
	*out = value ? json_object_get_boolean(value) : FALSE;
	return TRUE;
}

static gboolean get_memory(const RcJsonReader *reader, json_object *parent, const char *path,
			   guint flags, guint *out, GError **error)
{
	g_autofree char *member_path = g_strdup_printf("%s.memory-mib", path);
	json_object *value;
	gint64 mib;

	if (!rc_json_member(reader, parent, path, "memory-mib", json_type_int, flags, &value,
			    error))
		return FALSE;
	if (!value)
		return TRUE;
	mib = json_object_get_int64(value);
	if (mib < 1 || mib > MEMORY_MIB_MAX)
		return rc_json_fail(reader, member_path, error, "memory-mib must be 1 .. 1048576");
	*out = (guint)mib;
	return TRUE;
}

static gboolean parse_nic(const RcJsonReader *reader, json_object *obj, const char *path,
			  RcCatalogMachine *machine, GError **error)
{
	static const char *const known[] = {"model", "romfile", "romsize", NULL};
	g_autofree char *model = NULL;
	g_autofree char *romfile = NULL;
	g_autofree char *romsize_path = g_strdup_printf("%s.romsize", path);
	json_object *romsize;

	if (!json_object_is_type(obj, json_type_object))
		return rc_json_fail(reader, path, error, "must be an object");
	if (!rc_json_only_keys(reader, obj, path, known, error) ||
	    !rc_json_get_string(reader, obj, path, "model", 0, &model, error) ||
	    !rc_json_get_string(reader, obj, path, "romfile", 0, &romfile, error) ||
	    !rc_json_member(reader, obj, path, "romsize", json_type_int,
			    RC_JSON_OPTIONAL | RC_JSON_NULLABLE, &romsize, error))
		return FALSE;
	if (romsize && json_object_get_int64(romsize) == -1)
		return rc_json_fail(reader, romsize_path, error,
				    "an unset romsize is null, not -1");
	rc_catalog_machine_add_nic(machine, model, romfile,
				   romsize ? json_object_get_int64(romsize) : -1);
	return TRUE;
}

static gboolean parse_display(const RcJsonReader *reader, json_object *obj, const char *path,
			      RcCatalogMachine *machine, GError **error)
{
	static const char *const known[] = {"model", "romfile", NULL};
	g_autofree char *model = NULL;
	g_autofree char *romfile = NULL;

	if (!json_object_is_type(obj, json_type_object))
		return rc_json_fail(reader, path, error, "must be an object");
	if (!rc_json_only_keys(reader, obj, path, known, error) ||
	    !rc_json_get_string(reader, obj, path, "model", 0, &model, error) ||
	    !rc_json_get_string(reader, obj, path, "romfile", 0, &romfile, error))
		return FALSE;
	rc_catalog_machine_add_display(machine, model, romfile);
	return TRUE;
}

static gboolean parse_firmware(const RcJsonReader *reader, json_object *obj, const char *path,
			       RcCatalogMachine *machine, GError **error)
{
	static const char *const known[] = {"block", "source", "file", "size", NULL};
	g_autofree char *block = NULL;
	g_autofree char *source = NULL;
	g_autofree char *file = NULL;
	json_object *size;

	if (!json_object_is_type(obj, json_type_object))
		return rc_json_fail(reader, path, error, "must be an object");
	if (!rc_json_only_keys(reader, obj, path, known, error) ||
	    !rc_json_get_string(reader, obj, path, "block", 0, &block, error) ||
	    !rc_json_get_string(reader, obj, path, "source", 0, &source, error) ||
	    !rc_json_get_string(reader, obj, path, "file", 0, &file, error) ||
	    !rc_json_member(reader, obj, path, "size", json_type_int, RC_JSON_NULLABLE, &size,
			    error))
		return FALSE;
	rc_catalog_machine_add_firmware(machine, block, source, file,
					size ? json_object_get_int64(size) : -1);
	return TRUE;
}

/* A format 2 machine type's "displays" and "firmware" arrays. */
static gboolean parse_devices(const RcJsonReader *reader, json_object *obj, const char *path,
			      RcCatalogMachine *machine, GError **error)
{
	json_object *displays, *firmware;

	if (!rc_json_member(reader, obj, path, "displays", json_type_array, 0, &displays, error) ||
	    !rc_json_member(reader, obj, path, "firmware", json_type_array, 0, &firmware, error))
		return FALSE;
	for (gsize i = 0; i < json_object_array_length(displays); i++) {
		g_autofree char *item = g_strdup_printf("%s.displays[%zu]", path, i);

		if (!parse_display(reader, json_object_array_get_idx(displays, i), item, machine,
				   error))
			return FALSE;
	}
	for (gsize i = 0; i < json_object_array_length(firmware); i++) {
		g_autofree char *item = g_strdup_printf("%s.firmware[%zu]", path, i);

		if (!parse_firmware(reader, json_object_array_get_idx(firmware, i), item, machine,
				    error))
			return FALSE;
	}
	return TRUE;
}

static gboolean parse_machine(const RcJsonReader *reader, json_object *obj, const char *path,
			      RcCatalog *catalog, GError **error)
{
	static const char *const known_v1[] = {"name",	     "alias", "is-default", "deprecated",
					       "memory-mib", "nics",  NULL};
	static const char *const known[] = {"name",	  "alias",	"is-default",
					    "deprecated", "memory-mib", "nics",
					    "displays",	  "firmware",	NULL};
	g_autofree char *name = NULL;
	RcCatalogMachine *machine;
	json_object *nics;

	if (!json_object_is_type(obj, json_type_object))
		return rc_json_fail(reader, path, error, "must be an object");
	if (!rc_json_only_keys(reader, obj, path, catalog->format == 1 ? known_v1 : known, error) ||
	    !rc_json_get_string(reader, obj, path, "name", 0, &name, error))
		return FALSE;
	machine = rc_catalog_add_machine(catalog, name);
	if (!rc_json_get_string(reader, obj, path, "alias", RC_JSON_OPTIONAL | RC_JSON_NULLABLE,
				&machine->alias, error) ||
	    !get_bool(reader, obj, path, "is-default", &machine->is_default, error) ||
	    !get_bool(reader, obj, path, "deprecated", &machine->deprecated, error) ||
	    !get_memory(reader, obj, path, RC_JSON_OPTIONAL, &machine->memory_mib, error) ||
	    !rc_json_member(reader, obj, path, "nics", json_type_array, 0, &nics, error))
		return FALSE;
	for (gsize i = 0; i < json_object_array_length(nics); i++) {
		g_autofree char *nic_path = g_strdup_printf("%s.nics[%zu]", path, i);

		if (!parse_nic(reader, json_object_array_get_idx(nics, i), nic_path, machine,
			       error))
			return FALSE;
	}
	return catalog->format == 1 || parse_devices(reader, obj, path, machine, error);
}

/* The optional search-path: strings only (an embedded NUL is refused). */
static gboolean parse_search_path(const RcJsonReader *reader, json_object *root, RcCatalog *catalog,
				  GError **error)
{
	json_object *dirs = NULL;

	if (!rc_json_member(reader, root, "$", "search-path", json_type_array, RC_JSON_OPTIONAL,
			    &dirs, error))
		return FALSE;
	if (!dirs)
		return TRUE;
	if (json_object_array_length(dirs) > SEARCH_PATH_MAX_DIRS)
		return rc_json_fail(reader, "$.search-path", error,
				    "search-path lists 1 .. 16 directories");
	catalog->search_path = g_ptr_array_new_with_free_func(g_free);
	for (gsize i = 0; i < json_object_array_length(dirs); i++) {
		json_object *dir = json_object_array_get_idx(dirs, i);
		g_autofree char *path = g_strdup_printf("$.search-path[%zu]", i);
		const char *text = json_object_get_string(dir);

		if (!json_object_is_type(dir, json_type_string) ||
		    (gsize)json_object_get_string_len(dir) != strlen(text))
			return rc_json_fail(reader, path, error,
					    "a directory is a string without NUL bytes");
		g_ptr_array_add(catalog->search_path, g_strdup(text));
	}
	return TRUE;
}

static gboolean parse_document(const RcJsonReader *reader, json_object *root, RcCatalog *catalog,
			       GError **error)
{
	static const char *const known[] = {"format",	  "arch",     "qemu",	     "generated-by",
					    "memory-mib", "machines", "search-path", NULL};
	static const char *const qemu_known[] = {"binary", "version", "package", NULL};
	json_object *format, *qemu, *machines;

	if (!json_object_is_type(root, json_type_object))
		return rc_json_fail(reader, "$", error, "a catalog is a JSON object");
	if (!rc_json_only_keys(reader, root, "$", known, error) ||
	    !rc_json_member(reader, root, "$", "format", json_type_int, 0, &format, error))
		return FALSE;
	if (json_object_get_int64(format) != 1 &&
	    json_object_get_int64(format) != RC_CATALOG_FORMAT)
		return rc_json_fail(reader, "$.format", error,
				    "unsupported catalog format (this romcompat reads formats 1 "
				    "and 2)");
	catalog->format = (guint)json_object_get_int64(format);
	if (!rc_json_get_string(reader, root, "$", "arch", 0, &catalog->arch, error) ||
	    !rc_json_member(reader, root, "$", "qemu", json_type_object, 0, &qemu, error) ||
	    !rc_json_only_keys(reader, qemu, "$.qemu", qemu_known, error) ||
	    !rc_json_get_string(reader, qemu, "$.qemu", "binary", 0, &catalog->qemu_binary,
				error) ||
	    !rc_json_get_string(reader, qemu, "$.qemu", "version", 0, &catalog->qemu_version,
				error) ||
	    !rc_json_get_string(reader, qemu, "$.qemu", "package",
				RC_JSON_OPTIONAL | RC_JSON_NULLABLE, &catalog->qemu_package,
				error) ||
	    !rc_json_get_string(reader, root, "$", "generated-by", 0, &catalog->generated_by,
				error) ||
	    !get_memory(reader, root, "$", 0, &catalog->memory_mib, error) ||
	    !parse_search_path(reader, root, catalog, error) ||
	    !rc_json_member(reader, root, "$", "machines", json_type_array, 0, &machines, error))
		return FALSE;
	for (gsize i = 0; i < json_object_array_length(machines); i++) {
		g_autofree char *path = g_strdup_printf("$.machines[%zu]", i);

		if (!parse_machine(reader, json_object_array_get_idx(machines, i), path, catalog,
				   error))
			return FALSE;
	}
	return TRUE;
}

/**
 * rc_catalog_parse() - read a catalog from memory
 * @text:	the JSON text (need not be NUL-terminated)
 * @length:	its length in bytes
 * @source:	the file name, used in every message
 * @error:	set to an input error naming @source and the JSON path
 *
 * Return: the valid catalog, sorted; free with rc_catalog_free()
 */
RcCatalog *rc_catalog_parse(const char *text, gsize length, const char *source, GError **error)
{
	g_autoptr(json_object) root = rc_json_parse_strict(text, length, source, error);
	RcJsonReader reader = {source, catalog_fix_hint};
	RcCatalog *catalog;

	if (!root)
		return NULL;
	catalog = rc_catalog_new(NULL, NULL, NULL);
	g_clear_pointer(&catalog->generated_by, g_free);
	/* Freed by hand: clang's analyzer loses track of g_autoptr here. */
	if (!parse_document(&reader, root, catalog, error) ||
	    !rc_catalog_validate(catalog, source, error)) {
		rc_catalog_free(catalog);
		return NULL;
	}
	rc_catalog_sort(catalog);
	return catalog;
}

/**
 * rc_catalog_load() - read and validate a catalog file
 * @path:	machine-types/<arch>/<version>.json
 * @error:	set to an input error naming @path: not a regular file (a
 *		FIFO is refused without waiting for a writer), larger than
 *		RC_CATALOG_MAX_BYTES, not a valid catalog
 *
 * Return: the catalog, or NULL
 */
RcCatalog *rc_catalog_load(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) local = NULL;
	gsize length;

	if (!rc_input_read(path, "catalog", RC_CATALOG_MAX_BYTES, &text, &length, &local)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s; give a catalog written by 'romcompat machines'", local->message);
		return NULL;
	}
	return rc_catalog_parse(text, length, path, error);
}

static json_object *nic_to_json(const RcCatalogNic *nic)
{
	json_object *obj = json_object_new_object();

	/* Keys in byte order: the file is canonical. */
	json_object_object_add(obj, "model", json_object_new_string(nic->model));
	json_object_object_add(obj, "romfile", json_object_new_string(nic->romfile));
	json_object_object_add(obj, "romsize",
			       nic->romsize == -1 ? NULL : json_object_new_int64(nic->romsize));
	return obj;
}

static json_object *display_to_json(const RcCatalogDisplay *display)
{
	json_object *obj = json_object_new_object();

	json_object_object_add(obj, "model", json_object_new_string(display->model));
	json_object_object_add(obj, "romfile", json_object_new_string(display->romfile));
	return obj;
}

static json_object *firmware_to_json(const RcCatalogFirmware *firmware)
{
	json_object *obj = json_object_new_object();

	json_object_object_add(obj, "block", json_object_new_string(firmware->block));
	json_object_object_add(obj, "file", json_object_new_string(firmware->file));
	json_object_object_add(obj, "size",
			       firmware->size == -1 ? NULL : json_object_new_int64(firmware->size));
	json_object_object_add(obj, "source", json_object_new_string(firmware->source));
	return obj;
}

/* The display and firmware arrays of a machine type, in canonical order. */
static void devices_to_json(json_object *obj, const RcCatalogMachine *machine)
{
	json_object *displays = json_object_new_array();
	json_object *firmware = json_object_new_array();
	g_autoptr(GPtrArray) by_model =
		rc_ptr_array_sorted_view(machine->displays, display_compare);
	g_autoptr(GPtrArray) by_block =
		rc_ptr_array_sorted_view(machine->firmware, firmware_compare);

	for (guint i = 0; i < by_model->len; i++)
		json_object_array_add(displays, display_to_json(g_ptr_array_index(by_model, i)));
	for (guint i = 0; i < by_block->len; i++)
		json_object_array_add(firmware, firmware_to_json(g_ptr_array_index(by_block, i)));
	json_object_object_add(obj, "displays", displays);
	json_object_object_add(obj, "firmware", firmware);
}

static json_object *machine_to_json(const RcCatalogMachine *machine, guint format)
{
	json_object *obj = json_object_new_object();
	json_object *nics = json_object_new_array();
	g_autoptr(GPtrArray) sorted = rc_ptr_array_sorted_view(machine->nics, nic_compare);

	for (guint i = 0; i < sorted->len; i++)
		json_object_array_add(nics, nic_to_json(g_ptr_array_index(sorted, i)));
	if (machine->alias)
		json_object_object_add(obj, "alias", json_object_new_string(machine->alias));
	json_object_object_add(obj, "deprecated", json_object_new_boolean(machine->deprecated));
	if (format >= 2)
		devices_to_json(obj, machine);
	json_object_object_add(obj, "is-default", json_object_new_boolean(machine->is_default));
	if (machine->memory_mib)
		json_object_object_add(obj, "memory-mib",
				       json_object_new_int64(machine->memory_mib));
	json_object_object_add(obj, "name", json_object_new_string(machine->name));
	json_object_object_add(obj, "nics", nics);
	return obj;
}

/**
 * rc_catalog_to_json() - the canonical JSON form of a catalog
 * @catalog:	the catalog
 *
 * Keys in byte order, machine types in version order, NIC models, display
 * models and firmware blocks sorted; the catalog's own format (a format 1
 * catalog is written without displays and firmware); optional members (alias, memory-mib of a machine type, package, search-path) only
 * when set.
 *
 * Return: a new JSON object
 */
json_object *rc_catalog_to_json(const RcCatalog *catalog)
{
	json_object *obj = json_object_new_object();
	json_object *qemu = json_object_new_object();
	json_object *machines = json_object_new_array();
	g_autoptr(GPtrArray) sorted = rc_ptr_array_sorted_view(catalog->machines, machine_compare);

	for (guint i = 0; i < sorted->len; i++)
		json_object_array_add(
			machines, machine_to_json(g_ptr_array_index(sorted, i), catalog->format));
	json_object_object_add(qemu, "binary", json_object_new_string(catalog->qemu_binary));
	if (catalog->qemu_package)
		json_object_object_add(qemu, "package",
				       json_object_new_string(catalog->qemu_package));
	json_object_object_add(qemu, "version", json_object_new_string(catalog->qemu_version));

	json_object_object_add(obj, "arch", json_object_new_string(catalog->arch));
	/* A format 1 catalog stays format 1: its devices were never read back. */
	json_object_object_add(obj, "format", json_object_new_int((int)catalog->format));
	json_object_object_add(obj, "generated-by", json_object_new_string(catalog->generated_by));
	json_object_object_add(obj, "machines", machines);
	json_object_object_add(obj, "memory-mib", json_object_new_int64(catalog->memory_mib));
	json_object_object_add(obj, "qemu", qemu);
	if (catalog->search_path) {
		json_object *dirs = json_object_new_array();

		for (guint i = 0; i < catalog->search_path->len; i++)
			json_object_array_add(dirs, json_object_new_string(g_ptr_array_index(
							    catalog->search_path, i)));
		json_object_object_add(obj, "search-path", dirs);
	}
	return obj;
}

/**
 * rc_catalog_to_string() - the canonical text of a catalog file
 * @catalog:	the catalog
 *
 * Return: pretty JSON (two-space indent) ending in a newline; g_free() it
 */
char *rc_catalog_to_string(const RcCatalog *catalog)
{
	g_autoptr(json_object) obj = rc_catalog_to_json(catalog);

	return g_strconcat(json_object_to_json_string_ext(
				   obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						JSON_C_TO_STRING_NOSLASHESCAPE),
			   "\n", NULL);
}

static gboolean write_text(FILE *out, gconstpointer text)
{
	return fputs(text, out) != EOF;
}

/**
 * rc_catalog_save() - validate a catalog and write it
 * @catalog:	the catalog
 * @path:	where to (re)write it ("-": standard output), as rc_output_write()
 *		does: a regular file atomically, links followed, a device or
 *		FIFO in place; its directory must exist
 * @error:	set when the catalog is invalid or cannot be written
 *
 * Return: TRUE on success
 */
gboolean rc_catalog_save(const RcCatalog *catalog, const char *path, GError **error)
{
	g_autofree char *text = NULL;

	if (!rc_catalog_validate(catalog, path, error))
		return FALSE;
	text = rc_catalog_to_string(catalog);
	return rc_output_write(path, "catalog", write_text, text, error);
}

/**
 * rc_catalog_path() - where the catalog of a QEMU binary lives
 * @directory:	the machine-types directory
 * @arch:	target architecture
 * @qemu_version: QEMU's version
 *
 * Return: DIRECTORY/ARCH/VERSION.json; g_free() it
 */
char *rc_catalog_path(const char *directory, const char *arch, const char *qemu_version)
{
	g_autofree char *file = g_strconcat(qemu_version, ".json", NULL);

	return g_build_filename(directory, arch, file, NULL);
}
