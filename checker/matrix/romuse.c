/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * romuse.c - which NIC models load a ROM file, on which machine types, as
 * the machine-type catalogs (read back from QEMU) say.
 *
 * diff runs no QEMU (it must answer in milliseconds), so it explains a
 * ROM file with a shipped catalog: the newest one of the architecture the
 * ROMs are used on, under DATADIR/machine-types.  The machine types that
 * count are the ones a matrix selects by default (rc_machine_is_default():
 * the versioned ones, the migration contract; where there are none, as on
 * riscv64, those that load a ROM).
 */
#include "matrix/romuse.h"

#include <string.h>

#include "base/datadir.h"
#include "base/error.h"
#include "base/jsonutil.h"
#include "matrix/matrix.h"
#include "base/trace.h"

static void use_free(gpointer p)
{
	RcRomUse *u = p;

	g_free(u->model);
	g_ptr_array_unref(u->on);
	g_ptr_array_unref(u->not_on);
	g_free(u);
}

static void catalog_free(gpointer p)
{
	rc_catalog_free(p);
}

/* The newest VERSION.json of one architecture directory, or NULL. */
static char *newest_in(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autofree char *best = NULL;
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		if (!g_str_has_suffix(name, ".json"))
			continue;
		if (!best || rc_catalog_name_compare(name, best) > 0) {
			g_free(best);
			best = g_strdup(name);
		}
	}
	return best ? g_build_filename(dir, best, NULL) : NULL;
}

static int name_compare(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "aarch64, loongarch64, riscv64, x86_64": the architectures with a catalog under @top. */
static char *shipped_arches(const char *top)
{
	g_autoptr(GDir) d = g_dir_open(top, 0, NULL);
	g_autoptr(GPtrArray) arches = g_ptr_array_new_with_free_func(g_free);
	GString *s = g_string_new(NULL);
	const char *arch;

	while (d && (arch = g_dir_read_name(d))) {
		g_autofree char *dir = g_build_filename(top, arch, NULL);
		g_autofree char *path = newest_in(dir);

		if (path)
			g_ptr_array_add(arches, g_strdup(arch));
	}
	g_ptr_array_sort(arches, name_compare);
	for (guint i = 0; i < arches->len; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "",
				       (const char *)g_ptr_array_index(arches, i));
	return g_string_free(s, FALSE);
}

static gboolean arch_name_ok(const char *arch)
{
	if (!*arch || strlen(arch) > 32)
		return FALSE;
	for (const char *p = arch; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_')
			return FALSE;
	return TRUE;
}

/**
 * rc_shipped_catalogs() - the newest shipped catalog of one architecture
 * @arch:	QEMU's target name ("x86_64", "aarch64", "riscv64", ...)
 * @required:	TRUE when the user named @arch: no catalog for it is an error
 * @error:	set to a usage error when @required and there is no catalog
 *
 * A catalog that cannot be read, or a missing one the user did not ask
 * for, is passed over (with a trace): explaining is a courtesy, never a
 * reason to fail.
 *
 * Return: RcCatalog *, none or one; g_ptr_array_unref() frees them; NULL
 * with @error set
 */
GPtrArray *rc_shipped_catalogs(const char *arch, gboolean required, GError **error)
{
	g_autoptr(GPtrArray) catalogs = g_ptr_array_new_with_free_func(catalog_free);
	g_autofree char *top = g_build_filename(rc_datadir(), "machine-types", NULL);
	g_autofree char *dir = arch_name_ok(arch) ? g_build_filename(top, arch, NULL) : NULL;
	g_autofree char *path = dir ? newest_in(dir) : NULL;
	RcCatalog *catalog;

	if (!path && required) {
		g_autofree char *have = shipped_arches(top);
		g_autofree char *shown = *arch ? rc_text_visible(arch) : g_strdup("''");

		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--arch %s: no machine-type catalog for that architecture in %s; give "
			    "a QEMU target name that has one (%s)",
			    shown, top, *have ? have : "none");
		return NULL;
	}
	if (!path) {
		rc_trace("no catalog for %s in %s: NIC models not shown", arch, top);
		return g_steal_pointer(&catalogs);
	}
	catalog = rc_shipped_catalog(arch);
	if (catalog)
		g_ptr_array_add(catalogs, catalog);
	return g_steal_pointer(&catalogs);
}

/**
 * rc_shipped_catalog() - the newest shipped catalog of one architecture
 * @arch:	"x86_64"
 *
 * Return: the catalog, or NULL (none shipped, or unreadable: traced)
 */
RcCatalog *rc_shipped_catalog(const char *arch)
{
	g_autofree char *dir = arch_name_ok(arch)
				       ? g_build_filename(rc_datadir(), "machine-types", arch, NULL)
				       : NULL;
	g_autofree char *path = dir ? newest_in(dir) : NULL;
	g_autoptr(GError) local = NULL;
	RcCatalog *catalog;

	if (!path)
		return NULL;
	catalog = rc_catalog_load(path, &local);
	if (!catalog)
		rc_trace("catalog %s passed over: %s", path, local->message);
	return catalog;
}

static RcRomUse *use_of(GPtrArray *uses, const char *model)
{
	RcRomUse *u;

	for (guint i = 0; i < uses->len; i++) {
		u = g_ptr_array_index(uses, i);
		if (strcmp(u->model, model) == 0)
			return u;
	}
	u = g_new0(RcRomUse, 1);
	u->model = g_strdup(model);
	u->on = g_ptr_array_new_with_free_func(g_free);
	u->not_on = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(uses, u);
	return u;
}

/* One NIC model's, display model's or firmware block's use of @romfile
 * on @machine: it loads @file there. */
static void count_use(GPtrArray *all, const char *model, const char *file, const char *romfile,
		      const RcCatalogMachine *machine)
{
	RcRomUse *u = use_of(all, model);

	u->has++;
	if (strcmp(file, romfile) == 0) {
		u->loads++;
		g_ptr_array_add(u->on, g_strdup(machine->name));
	} else
		g_ptr_array_add(u->not_on, g_strdup(machine->name));
}

/* The uses of @all that load the file at least once, in their order. */
static GPtrArray *loading_only(GPtrArray *all)
{
	GPtrArray *uses = g_ptr_array_new_with_free_func(use_free);

	for (guint i = 0; i < all->len; i++) {
		RcRomUse *u = g_ptr_array_index(all, i);

		if (u->loads)
			g_ptr_array_add(uses, g_ptr_array_steal_index(all, i--));
	}
	return uses;
}

/**
 * rc_rom_uses() - the NIC models that load a ROM file
 * @catalogs:	RcCatalog *
 * @romfile:	the file name ("efi-e1000.rom")
 *
 * Return: RcRomUse *, in catalog order; empty when no model loads it
 */
GPtrArray *rc_rom_uses(GPtrArray *catalogs, const char *romfile)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(use_free);

	for (guint c = 0; c < catalogs->len; c++) {
		const RcCatalog *catalog = g_ptr_array_index(catalogs, c);

		for (guint m = 0; m < catalog->machines->len; m++) {
			const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, m);

			if (!rc_machine_is_default(catalog, machine))
				continue;
			for (guint n = 0; n < machine->nics->len; n++) {
				const RcCatalogNic *nic = g_ptr_array_index(machine->nics, n);

				count_use(all, nic->model, nic->romfile, romfile, machine);
			}
		}
	}
	return loading_only(all);
}

/**
 * rc_device_uses() - the display devices or firmware blocks that load a file
 * @catalogs:	RcCatalog * (format 1 catalogs list neither)
 * @romfile:	the file name ("vgabios-stdvga.bin", "bios-256k.bin")
 * @firmware:	FALSE: display device models; TRUE: firmware blocks
 *		("pc.bios"), which take the file's exact size
 *
 * Return: RcRomUse * (@model the display model or the block), in catalog
 * order; empty when none loads it
 */
GPtrArray *rc_device_uses(GPtrArray *catalogs, const char *romfile, gboolean firmware)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(use_free);

	for (guint c = 0; c < catalogs->len; c++) {
		const RcCatalog *catalog = g_ptr_array_index(catalogs, c);

		for (guint m = 0; m < catalog->machines->len; m++) {
			const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, m);
			GPtrArray *list = firmware ? machine->firmware : machine->displays;

			if (!rc_machine_is_default(catalog, machine))
				continue;
			for (guint n = 0; n < list->len; n++) {
				if (firmware) {
					const RcCatalogFirmware *f = g_ptr_array_index(list, n);

					count_use(all, f->block, f->file, romfile, machine);
				} else {
					const RcCatalogDisplay *d = g_ptr_array_index(list, n);

					count_use(all, d->model, d->romfile, romfile, machine);
				}
			}
		}
	}
	return loading_only(all);
}

static void append_names(GString *s, const char *what, GPtrArray *names)
{
	g_string_append_printf(s, " (%s ", what);
	for (guint i = 0; i < names->len; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "",
				       (const char *)g_ptr_array_index(names, i));
	g_string_append_c(s, ')');
}

/* " (not on X)", " (only on X)", " (N of M machine types)" or "". */
static void append_scope(GString *s, const RcRomUse *u)
{
	if (!u->not_on->len)
		return;
	if (u->not_on->len <= 2)
		append_names(s, "not on", u->not_on);
	else if (u->on->len <= 2)
		append_names(s, "only on", u->on);
	else
		g_string_append_printf(s, " (%u of %u machine types)", u->loads, u->has);
}

/**
 * rc_rom_uses_summary() - NIC models in one line, for people
 * @uses:	from rc_rom_uses()
 * @max_models:	list at most this many models, 0 for all; a longer list
 *		shows the first two, "...", the last one and the count
 *
 * Return: "e1000 (not on pc-i440fx-1.4), e1000-82544gc", or "-"
 */
char *rc_rom_uses_summary(GPtrArray *uses, guint max_models)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < uses->len; i++) {
		const RcRomUse *u = g_ptr_array_index(uses, i);

		if (max_models && uses->len > max_models && i >= 2 && i + 1 < uses->len) {
			if (i == 2)
				g_string_append(s, ", ...");
			continue;
		}
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", u->model);
		append_scope(s, u);
	}
	if (max_models && uses->len > max_models)
		g_string_append_printf(s, " (%u models)", uses->len);
	if (!s->len)
		g_string_append(s, "-");
	return g_string_free(s, FALSE);
}

/**
 * rc_rom_uses_to_json() - the uses as a JSON array
 * @uses:	from rc_rom_uses()
 *
 * Return: [{"model", "machine-types", "of", "not-on" or "only-on": [...]}, ...],
 * naming the machine types of whichever list is shorter
 */
json_object *rc_rom_uses_to_json(GPtrArray *uses)
{
	json_object *array = json_object_new_array();

	for (guint i = 0; i < uses->len; i++) {
		const RcRomUse *u = g_ptr_array_index(uses, i);
		json_object *o = json_object_new_object();
		json_object *names = json_object_new_array();
		/* The shorter list says it all. */
		gboolean only = u->on->len < u->not_on->len;
		GPtrArray *listed = only ? u->on : u->not_on;

		for (guint j = 0; j < listed->len; j++)
			json_object_array_add(names,
					      json_object_new_string(g_ptr_array_index(listed, j)));
		json_object_object_add(o, "model", json_object_new_string(u->model));
		json_object_object_add(o, "machine-types", json_object_new_int((int)u->loads));
		json_object_object_add(o, "of", json_object_new_int((int)u->has));
		json_object_object_add(o, only ? "only-on" : "not-on", names);
		json_object_array_add(array, o);
	}
	return array;
}
