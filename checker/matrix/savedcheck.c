/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * savedcheck.c - will a saved VM state restore with new ROMs.
 *
 * The state names its machine type (configuration section) and every RAM
 * block with the length it was saved with; QEMU refuses to load it when a
 * block has another length on the new host ("Size mismatch").  A NIC's ROM
 * block is named after the device's PCI path and model
 * ("0000:00:02.0/e1000.rom"); the ROM file that model loads on that machine
 * type comes from the catalog (read back from QEMU), and the length the
 * new host gives it is the new file's size rounded up to a power of two,
 * unless the machine type pins romsize.  A display device's ROM block is
 * named after the device's vmstate ("0000:00:01.0/vga.rom" for VGA): it is
 * matched to the catalog's display model of that name (case and '_'
 * aside), and sized the same way.  A firmware block ("pc.bios") takes its
 * file's exact size.  A display ROM or firmware image the new set lacks is
 * the installed one, found where the new QEMU finds it: the search path its
 * catalog recorded (`-L help` at discovery), resolved against the new
 * binary's directory; a catalog without one leaves such a block unknown
 * and says how to regenerate it.  That is the prediction; the
 * read-back from a real QEMU (savedload.c) replaces it where QEMU can run.
 */
#include "matrix/savedcheck.h"

#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "base/units.h"
#include "qemu/ramblock.h"
#include "rom/rom.h"

RC_ENUM_IMPL_TO_STRING(rc_saved_block_verdict, RcSavedBlockVerdict, RC_SAVED_BLOCK_VERDICT_COUNT,
		       "same", "changed", "missing", "unknown")
RC_ENUM_IMPL_TO_STRING(rc_saved_verdict, RcSavedVerdict, RC_SAVED_VERDICT_COUNT, "restores",
		       "will-not-restore", "unchecked", "unreadable")
RC_ENUM_IMPL_TO_STRING(rc_saved_evidence, RcSavedEvidence, RC_SAVED_EVIDENCE_COUNT, "predicted",
		       "read-back", "loaded", "refused", "none")

static void block_free(gpointer p)
{
	RcSavedBlock *b = p;

	g_free(b->id);
	g_free(b->model);
	g_free(b->path);
	g_free(b->rom);
	g_free(b->fix_romfile);
	g_free(b->xml_rom);
	g_free(b);
}

/**
 * rc_saved_check_new() - a saved state about to be checked
 * @path:	its file
 * @format:	its container
 * @snapshot:	the qcow2 snapshot's name, or NULL
 *
 * Return: the check, unreadable until described
 */
RcSavedCheck *rc_saved_check_new(const char *path, RcStateFormat format, const char *snapshot)
{
	RcSavedCheck *c = g_new0(RcSavedCheck, 1);

	c->path = g_strdup(path);
	c->format = format;
	c->snapshot = g_strdup(snapshot);
	c->verdict = RC_SAVED_UNREADABLE;
	c->evidence = RC_SAVED_NONE;
	c->mitigated = RC_SAVED_NONE;
	c->blocks = g_ptr_array_new_with_free_func(block_free);
	return c;
}

/**
 * rc_saved_check_free() - free a check
 * @check:	the check, or NULL
 */
void rc_saved_check_free(RcSavedCheck *check)
{
	if (!check)
		return;
	g_free(check->path);
	g_free(check->snapshot);
	g_free(check->machine);
	g_free(check->arch);
	g_free(check->message);
	g_free(check->mitigated_message);
	g_strfreev(check->installed);
	g_free(check->installed_why);
	g_ptr_array_unref(check->blocks);
	g_free(check);
}

/**
 * rc_saved_xml_attribute() - an attribute of the first element of a name
 * @xml:	a libvirt domain XML, or NULL
 * @element:	the element ("type")
 * @attribute:	the attribute ("machine")
 *
 * Enough XML for the attributes libvirt writes on one line (<type
 * arch='x86_64' machine='pc-q35-7.2'>hvm</type>); no entities.
 *
 * Return: the value, or NULL
 */
char *rc_saved_xml_attribute(const char *xml, const char *element, const char *attribute)
{
	g_autofree char *pattern = NULL;
	g_autoptr(GRegex) re = NULL;
	g_autoptr(GMatchInfo) m = NULL;

	if (!xml)
		return NULL;
	pattern = g_strdup_printf("<%s\\b[^>]*\\b%s=['\"]([^'\"&<>]+)['\"]", element, attribute);
	re = g_regex_new(pattern, G_REGEX_RAW, 0, NULL);
	if (!re || !g_regex_match(re, xml, 0, &m))
		return NULL;
	return g_match_info_fetch(m, 1);
}

/* The attribute of an <address type='pci' .../> in @text as a number. */
static gboolean pci_address(const char *text, guint *bus, guint *slot, guint *fn)
{
	g_autoptr(GRegex) re =
		g_regex_new("<address type=['\"]pci['\"][^>]*\\bbus=['\"]0x([0-9a-fA-F]+)['\"]"
			    "[^>]*\\bslot=['\"]0x([0-9a-fA-F]+)['\"]"
			    "[^>]*\\bfunction=['\"]0x([0-7])['\"]",
			    G_REGEX_RAW, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *b = NULL;
	g_autofree char *sl = NULL;
	g_autofree char *f = NULL;

	if (!g_regex_match(re, text, 0, &m))
		return FALSE;
	b = g_match_info_fetch(m, 1);
	sl = g_match_info_fetch(m, 2);
	f = g_match_info_fetch(m, 3);
	*bus = (guint)g_ascii_strtoull(b, NULL, 16);
	*slot = (guint)g_ascii_strtoull(sl, NULL, 16);
	*fn = (guint)g_ascii_strtoull(f, NULL, 16);
	return *bus < 256 && *slot < 32;
}

/* Each element @name of @xml, whole ("<interface ...>...</interface>",
 * or "<controller .../>"). */
static GPtrArray *xml_elements(const char *xml, const char *name)
{
	g_autofree char *pattern = g_strdup_printf("<%s\\b[^>]*?(/>|>.*?</%s>)", name, name);
	g_autoptr(GRegex) re = g_regex_new(pattern, G_REGEX_RAW | G_REGEX_DOTALL, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (g_regex_match(re, xml, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL))
		g_ptr_array_add(out, g_match_info_fetch(m, 0));
	return out;
}

/* QEMU's path of the device at @bus/@slot/@fn: the bridges of the domain's
 * PCI controllers (index -> their own address) walked up to bus 0. */
static char *device_path(GHashTable *controllers, guint bus, guint slot, guint fn, guint depth)
{
	g_autofree char *up = NULL;
	char key[16];
	const char *ctrl;
	guint b, s, f;

	if (bus == 0)
		return g_strdup_printf("0000:00:%02x.%x", slot, fn);
	g_snprintf(key, sizeof(key), "%u", bus);
	ctrl = g_hash_table_lookup(controllers, key);
	if (depth > 8 || !ctrl || !pci_address(ctrl, &b, &s, &f) ||
	    !(up = device_path(controllers, b, s, f, depth + 1)))
		return NULL;
	return g_strdup_printf("%s:%02x.%x", up, slot, fn);
}

/* The PCI controllers of @xml: index -> the element. */
static GHashTable *xml_controllers(const char *xml)
{
	GHashTable *controllers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GPtrArray) ctrls = xml_elements(xml, "controller");

	for (guint i = 0; i < ctrls->len; i++) {
		const char *c = g_ptr_array_index(ctrls, i);
		g_autofree char *index = rc_saved_xml_attribute(c, "controller", "index");

		if (index && strstr(c, "type='pci'"))
			g_hash_table_insert(controllers, g_steal_pointer(&index), g_strdup(c));
	}
	return controllers;
}

/* QEMU's path of the device of element @e, or NULL. */
static char *element_path(GHashTable *controllers, const char *e)
{
	guint b, s, f;

	return pci_address(e, &b, &s, &f) ? device_path(controllers, b, s, f, 0) : NULL;
}

/* PCI path -> <rom file> of each interface that has one. */
static GHashTable *xml_rom_files(const char *xml)
{
	GHashTable *roms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) controllers = xml ? xml_controllers(xml) : NULL;
	g_autoptr(GPtrArray) nics = xml ? xml_elements(xml, "interface") : NULL;

	for (guint i = 0; nics && i < nics->len; i++) {
		const char *n = g_ptr_array_index(nics, i);
		char *file = rc_saved_xml_attribute(n, "rom", "file");
		char *path;

		if (file && (path = element_path(controllers, n)))
			g_hash_table_insert(roms, path, g_steal_pointer(&file));
		g_free(file);
	}
	return roms;
}

/**
 * rc_saved_check_nic_roms() - the new ROM file of each <interface> of a
 * libvirt save image's domain XML, for its restore with the new ROMs
 * @check:	a check whose blocks were predicted
 * @xml:	the image's domain XML
 * @new_roms:	the new ROM directory
 *
 * An interface with its own <rom file>, or whose device has no ROM block
 * in the state, gets NULL: it stays as it is.
 *
 * Return: (element-type filename) one entry per <interface>, in order
 */
GPtrArray *rc_saved_check_nic_roms(const RcSavedCheck *check, const char *xml, const char *new_roms)
{
	g_autoptr(GHashTable) controllers = xml_controllers(xml);
	g_autoptr(GPtrArray) nics = xml_elements(xml, "interface");
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < nics->len; i++) {
		g_autofree char *path = element_path(controllers, g_ptr_array_index(nics, i));
		char *rom = NULL;

		for (guint j = 0; path && j < check->blocks->len; j++) {
			const RcSavedBlock *b = g_ptr_array_index(check->blocks, j);

			if (b->path && strcmp(b->path, path) == 0 && !b->xml_rom && b->rom)
				rom = g_build_filename(new_roms, b->rom, NULL);
		}
		g_ptr_array_add(out, rom);
	}
	return out;
}

/* "0000:00:02.0/e1000.rom": a NIC ROM's device path and model, or FALSE. */
static gboolean split_rom_block(const char *id, char **path, char **model)
{
	const char *slash = strrchr(id, '/');

	if (!slash || slash == id || !g_str_has_suffix(slash, ".rom") || strlen(slash) <= 5 ||
	    !g_ascii_isdigit(id[0]) || strchr(id, '@'))
		return FALSE;
	*path = g_strndup(id, (gsize)(slash - id));
	*model = g_strndup(slash + 1, strlen(slash + 1) - 4);
	return TRUE;
}

static gboolean pick_machine(RcSavedCheck *c, const RcSavedState *state, const char *xml,
			     const char *machine, GError **error)
{
	if (state->machine) {
		c->machine = g_strdup(state->machine);
		c->machine_from = "state";
	} else if ((c->machine = rc_saved_xml_attribute(xml, "type", "machine"))) {
		c->machine_from = "domain XML";
	} else if (machine) {
		c->machine = g_strdup(machine);
		c->machine_from = "--machine";
	} else {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "saved state %s: its stream names no machine type (machine types up "
			    "to pc-i440fx-2.3 send none): give the VM's machine type with "
			    "--machine TYPE",
			    c->path);
		return FALSE;
	}
	return TRUE;
}

/**
 * rc_saved_check_describe() - what a saved state is
 * @check:	the check
 * @state:	the head of its stream
 * @xml:	its libvirt domain XML, or NULL
 * @machine:	--machine, or NULL
 * @arch:	--arch, or NULL for the host's
 * @error:	RC_ERROR_INPUT when no machine type is known
 *
 * Return: TRUE with the machine type, architecture and blocks filled in
 */
gboolean rc_saved_check_describe(RcSavedCheck *check, const RcSavedState *state, const char *xml,
				 const char *machine, const char *arch, GError **error)
{
	g_autoptr(GHashTable) roms = NULL;

	if (!pick_machine(check, state, xml, machine, error))
		return FALSE;
	check->arch = rc_saved_xml_attribute(xml, "type", "arch");
	if (!check->arch)
		check->arch = g_strdup(arch ? arch : "x86_64");
	roms = xml_rom_files(xml);
	for (guint i = 0; i < state->blocks->len; i++) {
		const RcRamBlock *rb = g_ptr_array_index(state->blocks, i);
		RcSavedBlock *b = g_new0(RcSavedBlock, 1);

		b->id = g_strdup(rb->name);
		b->saved_length = rb->used;
		b->verdict = RC_SAVED_BLOCK_UNKNOWN;
		b->evidence = RC_SAVED_NONE;
		if (split_rom_block(b->id, &b->path, &b->model))
			b->xml_rom = g_strdup(g_hash_table_lookup(roms, b->path));
		g_ptr_array_add(check->blocks, b);
	}
	check->verdict = RC_SAVED_UNCHECKED;
	return TRUE;
}

static const RcCatalogMachine *find_machine(const RcCatalog *catalog, const char *name)
{
	const RcCatalogMachine *m = catalog ? rc_catalog_find_machine(catalog, name) : NULL;

	for (guint i = 0; !m && catalog && i < catalog->machines->len; i++) {
		const RcCatalogMachine *x = g_ptr_array_index(catalog->machines, i);

		if (x->alias && strcmp(x->alias, name) == 0)
			m = x;
	}
	return m;
}

/* "vga" (a ROM block's vmstate name) and "VGA" (a -device model) alike. */
static gboolean same_device_name(const char *block, const char *model)
{
	for (; *block && *model; block++, model++) {
		char a = *block == '_' ? '-' : g_ascii_tolower(*block);
		char b = *model == '_' ? '-' : g_ascii_tolower(*model);

		if (a != b)
			return FALSE;
	}
	return *block == *model;
}

static const RcCatalogDisplay *find_display(const RcCatalogMachine *m, const char *name)
{
	for (guint i = 0; m && i < m->displays->len; i++) {
		const RcCatalogDisplay *d = g_ptr_array_index(m->displays, i);

		if (d->romfile && d->romfile[0] && same_device_name(name, d->model))
			return d;
	}
	return NULL;
}

/* @name in the new QEMU's search path (NULL: not there). */
static char *installed_file(const RcSavedCheck *check, const char *name)
{
	for (guint i = 0; check->installed && check->installed[i]; i++) {
		g_autofree char *file = g_build_filename(check->installed[i], name, NULL);

		if (g_file_test(file, G_FILE_TEST_IS_REGULAR))
			return g_steal_pointer(&file);
	}
	return NULL;
}

/* The new set's @name, else the installed one (NULL: neither is there;
 * *@unknown: the search path is unknown, so is the installed one). */
static char *new_or_installed(const RcSavedCheck *check, RcSavedBlock *b, const char *new_roms,
			      const char *name, gboolean *unknown)
{
	g_autofree char *file = g_build_filename(new_roms, name, NULL);

	b->in_new_set = g_file_test(file, G_FILE_TEST_IS_REGULAR);
	if (b->in_new_set)
		return g_steal_pointer(&file);
	*unknown = !check->installed;
	return installed_file(check, name);
}

/* A block left unknown for want of the search path: the state says why. */
static void installed_unknown(RcSavedCheck *check, const RcSavedBlock *b)
{
	if (check->message)
		return;
	check->message = g_strdup_printf(
		"%s is not in the new ROM set, and where the new QEMU finds the installed one "
		"is unknown: %s",
		b->rom, check->installed_why ? check->installed_why : "no search path");
}

/* The file a ROM block's new length comes from, or NULL (b->rom unset:
 * unknown; b->rom set: that file is missing). */
static char *block_file(const RcSavedCheck *check, RcSavedBlock *b, const RcCatalogMachine *m,
			const RcCatalogNic *nic, const char *new_roms, gboolean *unknown)
{
	const RcCatalogDisplay *d = NULL;

	if (b->xml_rom) {
		/* The domain gives the device its own file: it stays what it is. */
		b->rom = g_strdup(b->xml_rom);
		return g_strdup(b->xml_rom);
	}
	if (nic && nic->romfile && nic->romfile[0]) {
		b->rom = g_strdup(nic->romfile);
		b->in_new_set = TRUE;
		return g_build_filename(new_roms, nic->romfile, NULL);
	}
	if (nic || !(d = find_display(m, b->model)))
		return NULL;
	g_free(b->model);
	b->model = g_strdup(d->model);
	b->display = TRUE;
	b->rom = g_strdup(d->romfile);
	return new_or_installed(check, b, new_roms, d->romfile, unknown);
}

/* A block's new length from the new @file (none found: missing; where the
 * installed one is unknown: unknown): its exact size for a firmware block
 * (@exact), else its bucket, or the @romsize the machine type pins. */
static void predict_from_file(RcSavedCheck *check, RcSavedBlock *b, const char *file,
			      gboolean unknown, gint64 romsize, gboolean exact)
{
	struct stat st;

	if (unknown) {
		installed_unknown(check, b);
		return;
	}
	if (!file || stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
		b->verdict = RC_SAVED_BLOCK_MISSING;
		return;
	}
	b->new_rom_size = (guint64)st.st_size;
	b->has_new = TRUE;
	if (exact)
		b->new_length = b->new_rom_size;
	else
		b->new_length = romsize > 0 ? (guint64)romsize : rc_rom_bucket(b->new_rom_size);
	b->verdict =
		b->new_length == b->saved_length ? RC_SAVED_BLOCK_SAME : RC_SAVED_BLOCK_CHANGED;
}

static void predict_block(RcSavedCheck *check, RcSavedBlock *b, const RcCatalogMachine *m,
			  const char *new_roms)
{
	const RcCatalogNic *nic = m ? rc_catalog_machine_find_nic(m, b->model) : NULL;
	g_autofree char *file = NULL;
	gboolean unknown = FALSE;

	b->evidence = RC_SAVED_PREDICTED;
	file = block_file(check, b, m, nic, new_roms, &unknown);
	if (!b->rom)
		return; /* unknown: the catalog cannot say which file */
	predict_from_file(check, b, file, unknown, nic && nic->romsize > 0 ? nic->romsize : 0,
			  FALSE);
}

/* A firmware block the machine type fills from a file (-bios): its new
 * length is that file's exact size. */
static void predict_firmware(RcSavedCheck *check, RcSavedBlock *b, const RcCatalogMachine *m,
			     const char *new_roms)
{
	const RcCatalogFirmware *f = m ? rc_catalog_machine_find_firmware(m, b->id) : NULL;
	g_autofree char *file = NULL;
	gboolean unknown = FALSE;

	if (!f || !f->file || !f->file[0] || g_strcmp0(f->source, "bios") != 0)
		return;
	b->evidence = RC_SAVED_PREDICTED;
	b->firmware = TRUE;
	b->rom = g_strdup(f->file);
	file = new_or_installed(check, b, new_roms, f->file, &unknown);
	predict_from_file(check, b, file, unknown, 0, TRUE);
}

/**
 * rc_saved_check_predict() - each ROM and firmware block's new length
 * @check:	a described check
 * @catalog:	the new QEMU's catalog (which file each NIC and display model
 *		loads, which firmware file each firmware block holds)
 * @new_roms:	the directory of the new ROM files
 * @installed:	where the new QEMU finds the files the new set lacks (its
 *		search path, rc_catalog_search_dirs()), NULL-terminated; or
 *		NULL when that is unknown
 * @installed_why: why @installed is NULL (names the fix), or NULL
 *
 * Other blocks (RAM, video RAM, ACPI tables, flash) stay unknown: their
 * lengths do not come from a ROM or firmware file.  So does a display ROM
 * or firmware image the new set lacks when @installed is NULL, and the
 * state's message then says why.
 */
void rc_saved_check_predict(RcSavedCheck *check, const RcCatalog *catalog, const char *new_roms,
			    const char *const *installed, const char *installed_why)
{
	const RcCatalogMachine *m = find_machine(catalog, check->machine);

	g_strfreev(check->installed);
	check->installed = g_strdupv((char **)installed);
	g_free(check->installed_why);
	check->installed_why = g_strdup(installed_why);

	for (guint i = 0; i < check->blocks->len; i++) {
		RcSavedBlock *b = g_ptr_array_index(check->blocks, i);

		if (b->model)
			predict_block(check, b, m, new_roms);
		else if (!strchr(b->id, '/'))
			predict_firmware(check, b, m, new_roms);
	}
	if (!m) {
		g_free(check->message);
		check->message = g_strdup_printf(
			"the new QEMU's catalog has no machine type %s: its ROM files are unknown",
			check->machine);
	}
	check->evidence = RC_SAVED_PREDICTED;
	rc_saved_check_conclude(check);
}

/**
 * rc_saved_check_conclude() - the state's verdict from its blocks'
 * @check:	a check whose blocks have their verdicts (and whose evidence
 *		says where they came from)
 *
 * A state QEMU loaded or refused keeps that verdict; otherwise any block
 * changed or missing means it will not restore.
 */
void rc_saved_check_conclude(RcSavedCheck *check)
{
	if (check->evidence == RC_SAVED_LOADED) {
		check->verdict = RC_SAVED_RESTORES;
		return;
	}
	if (check->evidence == RC_SAVED_REFUSED) {
		check->verdict = RC_SAVED_WILL_NOT_RESTORE;
		return;
	}
	if (check->evidence == RC_SAVED_NONE) {
		check->verdict = RC_SAVED_UNCHECKED;
		return;
	}
	check->verdict = RC_SAVED_RESTORES;
	for (guint i = 0; i < check->blocks->len; i++) {
		const RcSavedBlock *b = g_ptr_array_index(check->blocks, i);

		if (b->verdict == RC_SAVED_BLOCK_CHANGED || b->verdict == RC_SAVED_BLOCK_MISSING)
			check->verdict = RC_SAVED_WILL_NOT_RESTORE;
	}
}

/* The old file @b was saved with, when its length is the saved one: a
 * display ROM or firmware image the old set lacks is the installed one
 * (in the new QEMU's search path). */
static char *old_file(const RcSavedCheck *check, const RcSavedBlock *b, const char *old_roms)
{
	g_autofree char *old = old_roms ? g_build_filename(old_roms, b->rom, NULL) : NULL;
	struct stat st;

	if (old && (b->display || b->firmware) && !g_file_test(old, G_FILE_TEST_IS_REGULAR)) {
		g_free(old);
		old = installed_file(check, b->rom);
	}
	if (!old || stat(old, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	if ((b->firmware ? (guint64)st.st_size : rc_rom_bucket((guint64)st.st_size)) !=
	    b->saved_length)
		return NULL;
	return g_steal_pointer(&old);
}

/**
 * rc_saved_check_plan_fixes() - the mitigation of each changed ROM block
 * @check:	a check with its blocks' verdicts
 * @old_roms:	where the old files are (the installed set), or NULL
 *
 * A new file that still fits the saved length: romsize pinned to it.  One
 * that does not: the old file of that name, when its bucket is the saved
 * length, as a compatibility ROM.  A changed firmware block: the old
 * image of exactly the saved length, given with -bios.
 *
 * Return: TRUE when every changed block has one (and there is one)
 */
gboolean rc_saved_check_plan_fixes(RcSavedCheck *check, const char *old_roms)
{
	guint planned = 0;

	for (guint i = 0; i < check->blocks->len; i++) {
		RcSavedBlock *b = g_ptr_array_index(check->blocks, i);

		if (b->verdict != RC_SAVED_BLOCK_CHANGED)
			continue;
		if (!(b->model || b->firmware) || !b->rom)
			return FALSE;
		if (!b->firmware && b->new_rom_size && b->new_rom_size <= b->saved_length)
			b->fix_romsize = b->saved_length;
		else if (!(b->fix_romfile = old_file(check, b, old_roms)))
			return FALSE;
		planned++;
	}
	return planned > 0;
}

/**
 * rc_saved_block_remedy() - what would let a block keep its saved length
 * @block:	a changed or missing block
 *
 * A new file that still fits the saved length: pin romsize to it.  One
 * that does not: keep the old file as a compatibility ROM for the device
 * (the installed one, when it is the old one, named).
 *
 * Return: one sentence
 */
char *rc_saved_block_remedy(const RcSavedBlock *block)
{
	g_autofree char *saved = rc_format_bucket(block->saved_length);
	const char *rom = block->rom ? block->rom : "its ROM file";
	const char *model = block->model ? block->model : "MODEL";

	if (block->firmware && block->fix_romfile)
		return g_strdup_printf("keep a copy of %s (exactly %" G_GUINT64_FORMAT
				       " bytes) for this VM and give it to QEMU: -bios COPY",
				       block->fix_romfile, block->saved_length);
	if (block->firmware)
		return g_strdup_printf(
			"keep the old %s (exactly %" G_GUINT64_FORMAT
			" bytes) for this VM and give it to QEMU: -bios /PATH/TO/OLD/%s",
			rom, block->saved_length, rom);
	if (block->has_new && block->new_rom_size && block->new_rom_size <= block->saved_length)
		return g_strdup_printf("pin the device's ROM BAR to the saved size: "
				       "-device %s,romsize=%" G_GUINT64_FORMAT " (%s)",
				       model, block->saved_length, saved);
	if (block->fix_romfile)
		return g_strdup_printf("keep a copy of %s (%s bucket) as a compatibility ROM "
				       "and give it to the device: -device %s,romfile=COPY",
				       block->fix_romfile, saved, model);
	return g_strdup_printf("keep the old %s (at most %s) as a compatibility ROM and give it "
			       "to the device: -device %s,romfile=/PATH/TO/OLD/%s",
			       rom, saved, model, rom);
}
