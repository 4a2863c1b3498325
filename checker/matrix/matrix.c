/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * matrix.c - pure case generation, the results model, grouping and
 * sharding.  No QEMU here: the runner takes the groups, runs one QEMU pair
 * per group and fills in each case's result.
 *
 * Theory of operation: a case is (machine type, NIC model, direction).  The
 * catalog says which NIC models load which ROM file on which machine type;
 * the scenario's globs select a part of that.  Cases are sorted by machine
 * type (version order), then direction, then NIC model, so that the cases
 * one QEMU pair serves (same machine type and direction) are neighbours and
 * every order derived from the list is deterministic.
 *
 * Sharding splits the sorted list of groups round-robin: group i (from 0)
 * goes to shard (i mod N) + 1.  Whole groups stay together because a QEMU
 * pair serves one machine type and direction; round-robin over the sorted
 * groups spreads both directions and every machine family over the shards.
 * Every shard job must use the same catalog and scenario; the matrix digest
 * in each report lets `romcompat merge` check that they did.
 */
#include "matrix/matrix.h"

#include <string.h>

#include "base/error.h"
#include "base/ptrarray.h"

RC_ENUM_IMPL(rc_verdict, RcVerdict, RC_VERDICT_COUNT, [RC_VERDICT_NOT_RUN] = "not-run",
	     [RC_VERDICT_PASS] = "pass", [RC_VERDICT_FAIL] = "fail", [RC_VERDICT_ERROR] = "error")

RC_ENUM_IMPL(rc_evidence, RcEvidence, RC_EVIDENCE_COUNT, [RC_EVIDENCE_NONE] = "none",
	     [RC_EVIDENCE_MIGRATED] = "migrated", [RC_EVIDENCE_FAILED_ALONE] = "failed-alone",
	     [RC_EVIDENCE_ATTRIBUTED] = "attributed", [RC_EVIDENCE_PREDICTED] = "predicted")

/**
 * rc_case_new() - a case that has not run
 * @machine:	machine type
 * @nic:	NIC model
 * @direction:	direction
 * @romfile:	the ROM file the NIC loads by default
 *
 * Return: the case; free with rc_case_free()
 */
RcCase *rc_case_new(const char *machine, const char *nic, RcDirection direction,
		    const char *romfile)
{
	RcCase *c = g_new0(RcCase, 1);

	c->machine = g_strdup(machine);
	c->nic = g_strdup(nic);
	c->direction = direction;
	c->romfile = g_strdup(romfile);
	return c;
}

/**
 * rc_case_new_device() - a case of any device class that has not run
 * @device_class: what @device is
 * @machine:	machine type
 * @device:	NIC model, display model or firmware block
 * @direction:	direction
 * @romfile:	the ROM file the device loads, or the firmware image
 *
 * Return: the case; free with rc_case_free()
 */
RcCase *rc_case_new_device(RcDeviceClass device_class, const char *machine, const char *device,
			   RcDirection direction, const char *romfile)
{
	RcCase *c = rc_case_new(machine, device, direction, romfile);

	c->device_class = device_class;
	return c;
}

/**
 * rc_case_copy() - a deep copy of a case and its result
 * @c:	the case
 *
 * Return: the copy; free with rc_case_free()
 */
RcCase *rc_case_copy(const RcCase *c)
{
	RcCase *copy =
		rc_case_new_device(c->device_class, c->machine, c->nic, c->direction, c->romfile);

	rc_case_set_result(copy, &c->result);
	return copy;
}

/**
 * rc_case_free() - free a case
 * @c:	the case, or NULL
 */
void rc_case_free(RcCase *c)
{
	if (!c)
		return;
	g_free(c->machine);
	g_free(c->nic);
	g_free(c->romfile);
	g_free(c->result.block);
	g_free(c->result.message);
	g_free(c);
}

/**
 * rc_case_set_result() - record a case's outcome
 * @c:		the case
 * @result:	the outcome; its strings are copied (invalid UTF-8 replaced)
 */
void rc_case_set_result(RcCase *c, const RcResult *result)
{
	/* QEMU's messages are bytes; every report format needs UTF-8. */
	char *block = result->block ? g_utf8_make_valid(result->block, -1) : NULL;
	char *message = result->message ? g_utf8_make_valid(result->message, -1) : NULL;

	g_free(c->result.block);
	g_free(c->result.message);
	c->result = *result;
	c->result.block = block;
	c->result.message = message;
}

/**
 * rc_result_check() - is an outcome self-consistent?
 * @result:	the outcome
 *
 * A pass is "ok" and rests on a migration or a prediction; a fail or an
 * error says what went wrong; a failure rests on QEMU's message, on the
 * RAM-block lists or on a prediction; an error or a case not run rests on
 * nothing.  Reports read back (by merge) are held to this.
 *
 * Return: NULL when consistent, else what is wrong (a static string)
 */
const char *rc_result_check(const RcResult *result)
{
	if ((guint)result->predicted >= RC_VERDICT_COUNT || result->predicted == RC_VERDICT_ERROR)
		return "a prediction is pass, fail or none";
	if (!(result->seconds >= 0) || result->seconds > 1e6)
		return "seconds out of range";
	switch (result->verdict) {
	case RC_VERDICT_NOT_RUN:
		if (result->kind != RC_KIND_NONE || result->evidence != RC_EVIDENCE_NONE)
			return "a case not run has kind none and evidence none";
		return NULL;
	case RC_VERDICT_PASS:
		if (result->kind != RC_KIND_OK)
			return "a pass has kind ok";
		if (result->evidence != RC_EVIDENCE_MIGRATED &&
		    result->evidence != RC_EVIDENCE_PREDICTED)
			return "a pass rests on evidence migrated or predicted";
		return NULL;
	case RC_VERDICT_FAIL:
		if (result->kind == RC_KIND_NONE || result->kind == RC_KIND_OK)
			return "a fail says what went wrong (its kind)";
		if (result->evidence != RC_EVIDENCE_FAILED_ALONE &&
		    result->evidence != RC_EVIDENCE_ATTRIBUTED &&
		    result->evidence != RC_EVIDENCE_PREDICTED)
			return "a fail rests on evidence failed-alone, attributed or predicted";
		return NULL;
	case RC_VERDICT_ERROR:
		if (result->kind == RC_KIND_NONE || result->kind == RC_KIND_OK)
			return "an error says what went wrong (its kind)";
		if (result->evidence != RC_EVIDENCE_NONE)
			return "an error rests on no evidence";
		return NULL;
	}
	return "unknown verdict";
}

static int direction_order(RcDirection a, RcDirection b)
{
	return (int)a - (int)b;
}

/**
 * rc_case_compare() - the order of the case list
 * @a:	a case
 * @b:	another case
 *
 * Machine type (version order), then direction (old-to-new first), then
 * device class (NICs first), then device (then, for firmware, the image):
 * the cases of one QEMU pair are neighbours.
 *
 * Return: <0, 0 or >0
 */
int rc_case_compare(const RcCase *a, const RcCase *b)
{
	int c = rc_catalog_name_compare(a->machine, b->machine);

	if (!c)
		c = direction_order(a->direction, b->direction);
	if (!c)
		c = (int)a->device_class - (int)b->device_class;
	if (!c)
		c = rc_catalog_name_compare(a->nic, b->nic);
	if (!c && a->device_class == RC_DEVICE_CLASS_FIRMWARE)
		c = strcmp(a->romfile, b->romfile);
	return c;
}

/**
 * rc_case_name() - a case's name in messages
 * @c:	the case
 *
 * Return: "MACHINE DEVICE DIRECTION", for firmware "MACHINE
 * BLOCK(IMAGE) DIRECTION"; g_free() it
 */
char *rc_case_name(const RcCase *c)
{
	if (c->device_class == RC_DEVICE_CLASS_FIRMWARE)
		return g_strdup_printf("%s %s(%s) %s", c->machine, c->nic, c->romfile,
				       rc_direction_to_string(c->direction));
	return g_strdup_printf("%s %s %s", c->machine, c->nic,
			       rc_direction_to_string(c->direction));
}

/**
 * rc_case_prediction() - does the static prediction agree with the verdict?
 * @c:	the case
 *
 * Return: RC_PREDICTION_NONE when there is nothing to compare (no
 * prediction, an error or a case not run, or a verdict that is itself the
 * prediction), else whether they agree
 */
RcPrediction rc_case_prediction(const RcCase *c)
{
	const RcResult *r = &c->result;

	if (r->predicted == RC_VERDICT_NOT_RUN || r->evidence == RC_EVIDENCE_PREDICTED ||
	    (r->verdict != RC_VERDICT_PASS && r->verdict != RC_VERDICT_FAIL))
		return RC_PREDICTION_NONE;
	return r->predicted == r->verdict ? RC_PREDICTION_AGREES : RC_PREDICTION_DISAGREES;
}

/**
 * rc_case_old_size() - the ROM block's size with the old ROMs
 * @c:	the case
 *
 * Return: bytes, 0 when unknown
 */
guint64 rc_case_old_size(const RcCase *c)
{
	return c->direction == RC_DIRECTION_OLD_TO_NEW ? c->result.source_size
						       : c->result.destination_size;
}

/**
 * rc_case_new_size() - the ROM block's size with the new ROMs
 * @c:	the case
 *
 * Return: bytes, 0 when unknown
 */
guint64 rc_case_new_size(const RcCase *c)
{
	return c->direction == RC_DIRECTION_OLD_TO_NEW ? c->result.destination_size
						       : c->result.source_size;
}

/**
 * rc_machine_is_versioned() - is this a versioned machine type?
 * @name:	machine type name
 *
 * Versioned machine types ("pc-i440fx-7.2", "virt-7.2",
 * "pseries-2.12-sxxm") are the migration compatibility contract; aliases
 * and unversioned ones ("pc", "q35", "none", "isapc", "microvm",
 * "x-remote") change with the QEMU version, so the matrix leaves them out
 * unless a scenario names them exactly.
 *
 * Return: TRUE when a '-'-separated part of @name is a version (1.5, 7.2)
 */
gboolean rc_machine_is_versioned(const char *name)
{
	g_auto(GStrv) parts = g_strsplit(name, "-", -1);

	for (guint i = 1; parts[i]; i++) {
		const char *p = parts[i];
		gboolean dot = FALSE;

		if (!g_ascii_isdigit(*p))
			continue;
		for (; *p; p++) {
			if (*p == '.' && g_ascii_isdigit(p[1]) && g_ascii_isdigit(p[-1]))
				dot = TRUE;
			else if (!g_ascii_isdigit(*p))
				break;
		}
		if (!*p && dot)
			return TRUE;
	}
	return FALSE;
}

static gboolean is_exact(const char *glob)
{
	return !strpbrk(glob, "*?");
}

static gboolean any_match(const char *const *globs, const char *name)
{
	for (guint i = 0; globs && globs[i]; i++)
		if (g_pattern_match_simple(globs[i], name))
			return TRUE;
	return FALSE;
}

/* Does any NIC model load a ROM on @machine (can it take a PCI NIC at all)? */
static gboolean machine_loads_roms(const RcCatalogMachine *machine)
{
	for (guint n = 0; n < machine->nics->len; n++)
		if (*((const RcCatalogNic *)g_ptr_array_index(machine->nics, n))->romfile)
			return TRUE;
	return FALSE;
}

/**
 * rc_catalog_has_versioned() - does a catalog have a versioned machine type?
 * @catalog:	a QEMU binary's catalog
 *
 * Return: TRUE when one of its machine types is versioned (x86_64, aarch64);
 * FALSE for riscv64 and loongarch64, whose QEMU has only an unversioned virt
 */
gboolean rc_catalog_has_versioned(const RcCatalog *catalog)
{
	for (guint m = 0; m < catalog->machines->len; m++)
		if (rc_machine_is_versioned(
			    ((const RcCatalogMachine *)g_ptr_array_index(catalog->machines, m))
				    ->name))
			return TRUE;
	return FALSE;
}

/**
 * rc_machine_is_default() - is a machine type in the default selection?
 * @catalog:	the catalog it is in
 * @machine:	one of its machine types
 *
 * The default selection (and what a glob with a wildcard can select) is
 * every versioned machine type: they are the migration contract.  A
 * catalog without any (riscv64, loongarch64: only "virt") has no contract
 * to keep, so there it is every machine type on which a NIC model loads a
 * ROM, the ones a ROM update can break at all.
 *
 * Return: TRUE when @machine is selected without naming it exactly
 */
gboolean rc_machine_is_default(const RcCatalog *catalog, const RcCatalogMachine *machine)
{
	if (rc_machine_is_versioned(machine->name))
		return TRUE;
	return !rc_catalog_has_versioned(catalog) && machine_loads_roms(machine);
}

/* Does @glob select @machine?  Exact names and aliases select anything. */
static gboolean glob_selects_machine(const RcCatalog *catalog, const char *glob,
				     const RcCatalogMachine *machine)
{
	if (is_exact(glob))
		return strcmp(glob, machine->name) == 0 ||
		       (machine->alias && strcmp(glob, machine->alias) == 0);
	return rc_machine_is_default(catalog, machine) &&
	       g_pattern_match_simple(glob, machine->name);
}

static gboolean machine_selected(const RcCatalog *catalog, const RcCatalogMachine *machine,
				 const RcScenario *scenario)
{
	if (any_match((const char *const *)scenario->exclude_machines, machine->name))
		return FALSE;
	if (!scenario->machines)
		return rc_machine_is_default(catalog, machine);
	for (guint i = 0; scenario->machines[i]; i++)
		if (glob_selects_machine(catalog, scenario->machines[i], machine))
			return TRUE;
	return FALSE;
}

static gboolean nic_selected(const RcCatalogNic *nic, const RcScenario *scenario)
{
	if (!*nic->romfile)
		return FALSE;
	if (any_match((const char *const *)scenario->exclude_nics, nic->model))
		return FALSE;
	return !scenario->nics || any_match((const char *const *)scenario->nics, nic->model);
}

/* A glob of the scenario that selects nothing is almost always a typo. */
static gboolean check_globs_used(const RcCatalog *catalog, const RcScenario *scenario,
				 GError **error)
{
	gboolean versioned = rc_catalog_has_versioned(catalog);

	for (guint i = 0; scenario->machines && scenario->machines[i]; i++) {
		gboolean used = FALSE;

		for (guint m = 0; m < catalog->machines->len && !used; m++)
			used = glob_selects_machine(catalog, scenario->machines[i],
						    g_ptr_array_index(catalog->machines, m));
		if (!used) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "machine types '%s': QEMU %s (%s) has no %smachine type of "
				    "that name%s; see its catalog for the names",
				    scenario->machines[i], catalog->qemu_version, catalog->arch,
				    is_exact(scenario->machines[i]) || !versioned ? ""
										  : "versioned ",
				    is_exact(scenario->machines[i]) || versioned
					    ? ""
					    : " on which a NIC model loads a ROM");
			return FALSE;
		}
	}
	for (guint i = 0; scenario->nics && scenario->nics[i]; i++) {
		gboolean used = FALSE;

		for (guint m = 0; m < catalog->machines->len && !used; m++) {
			const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, m);

			for (guint n = 0; n < machine->nics->len && !used; n++) {
				const RcCatalogNic *nic = g_ptr_array_index(machine->nics, n);

				used = *nic->romfile &&
				       g_pattern_match_simple(scenario->nics[i], nic->model);
			}
		}
		if (!used) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "NIC models '%s': no NIC model of QEMU %s (%s) of that name "
				    "loads a ROM; see its catalog for the names",
				    scenario->nics[i], catalog->qemu_version, catalog->arch);
			return FALSE;
		}
	}
	return TRUE;
}

static int case_compare_indirect(gconstpointer a, gconstpointer b)
{
	return rc_case_compare(*(RcCase *const *)a, *(RcCase *const *)b);
}

/**
 * rc_matrix_sort() - put a case list in its canonical order
 * @cases:	RcCase array
 */
void rc_matrix_sort(GPtrArray *cases)
{
	g_ptr_array_sort(cases, case_compare_indirect);
}

/* A case of @device_class in each direction the scenario has. */
static void add_both_ways(const RcScenario *scenario, GPtrArray *cases, RcDeviceClass device_class,
			  const char *machine, const char *device, const char *romfile)
{
	for (guint d = 0; d < RC_DIRECTION_COUNT; d++)
		if (rc_scenario_has_direction(scenario, (RcDirection)d))
			g_ptr_array_add(cases, rc_case_new_device(device_class, machine, device,
								  (RcDirection)d, romfile));
}

/* The NIC cases: NIC models with a default romfile, the scenario's globs. */
static void add_nic_cases(const RcCatalog *catalog, const RcScenario *scenario, GPtrArray *cases)
{
	for (guint m = 0; m < catalog->machines->len; m++) {
		const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, m);

		if (!machine_selected(catalog, machine, scenario))
			continue;
		for (guint n = 0; n < machine->nics->len; n++) {
			const RcCatalogNic *nic = g_ptr_array_index(machine->nics, n);

			if (nic_selected(nic, scenario))
				add_both_ways(scenario, cases, RC_DEVICE_CLASS_NIC, machine->name,
					      nic->model, nic->romfile);
		}
	}
}

static GPtrArray *no_case(const RcCatalog *catalog, const RcScenario *scenario, GError **error)
{
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "scenario %s selects no case from the catalog of QEMU %s (%s); widen "
		    "its machines, nics or directions",
		    scenario->name, catalog->qemu_version, catalog->arch);
	return NULL;
}

/**
 * rc_matrix_build() - the NIC cases a scenario selects from a catalog
 * @catalog:	the QEMU binary's machine types and NIC defaults
 * @scenario:	globs, directions
 * @error:	set to an input error when a glob selects nothing or no case
 *		is left
 *
 * Machine types: the scenario's include globs (default: every versioned
 * machine type, or where there is none every one that loads a ROM, see
 * rc_machine_is_default(); another only when named exactly), minus its
 * exclude globs.  NIC models: those with a non-empty default romfile on
 * the machine type, filtered the same way.  Times every direction asked.
 *
 * Return: RcCase array, sorted, each not run yet; g_ptr_array_unref() it
 */
GPtrArray *rc_matrix_build(const RcCatalog *catalog, const RcScenario *scenario, GError **error)
{
	g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);

	if (!check_globs_used(catalog, scenario, error))
		return NULL;
	add_nic_cases(catalog, scenario, cases);
	if (cases->len == 0)
		return no_case(catalog, scenario, error);
	rc_matrix_sort(cases);
	return g_steal_pointer(&cases);
}

/* Does either set hold @name? */
static gboolean held(const RcRomSet *old_roms, const RcRomSet *new_roms, const char *name)
{
	return rc_rom_set_lookup(old_roms, name) || rc_rom_set_lookup(new_roms, name);
}

/* The display cases: display models whose ROM either set holds. */
static void add_display_cases(const RcCatalog *catalog, const RcScenario *scenario,
			      const RcRomSet *old_roms, const RcRomSet *new_roms, GPtrArray *cases)
{
	for (guint m = 0; m < catalog->machines->len; m++) {
		const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, m);

		if (!machine_selected(catalog, machine, scenario))
			continue;
		for (guint n = 0; n < machine->displays->len; n++) {
			const RcCatalogDisplay *display = g_ptr_array_index(machine->displays, n);

			if (*display->romfile && held(old_roms, new_roms, display->romfile))
				add_both_ways(scenario, cases, RC_DEVICE_CLASS_DISPLAY,
					      machine->name, display->model, display->romfile);
		}
	}
}

/*
 * A firmware image a VM names itself, for the block fed by @source: for
 * "bios" (-bios) a whole *.fd image (OVMF.fd; not OVMF_CODE.fd or
 * OVMF_VARS.fd, the halves of a split flash image); for "pflash0" (the
 * flash code unit) a *_CODE*.fd image (OVMF_CODE_4M.fd).
 */
static gboolean is_image_for(const RcRomEntry *e, const char *source)
{
	g_autofree char *lower = g_ascii_strdown(e->name, -1);
	gboolean code = strstr(lower, "_code") != NULL;

	if (!e->firmware || !g_str_has_suffix(lower, ".fd"))
		return FALSE;
	if (strcmp(source, "bios") == 0)
		return !code && !strstr(lower, "_vars");
	return strcmp(source, "pflash0") == 0 && code;
}

/*
 * The images for the block fed by @source that both sets hold, other than
 * @default_file, into @names.  Unlike a default file, which a VM does not
 * name and a host without it replaces with its QEMU's own, an image a VM
 * names must be on both hosts to compare.
 */
static void add_named_images(const RcRomSet *old_roms, const RcRomSet *new_roms,
			     const RcCatalogFirmware *fw, GPtrArray *names)
{
	for (guint i = 0; i < old_roms->entries->len; i++) {
		const RcRomEntry *e = g_ptr_array_index(old_roms->entries, i);

		if (is_image_for(e, fw->source) && strcmp(e->name, fw->file) != 0 &&
		    rc_rom_set_lookup(new_roms, e->name))
			g_ptr_array_add(names, e->name);
	}
}

/*
 * The firmware cases: each machine type's -bios block (pc.bios) with its
 * default file when either set holds it, and with every whole *.fd image
 * both sets hold (OVMF.fd, given as -bios); its pflash code block
 * (system.flash0) with every *_CODE*.fd image both sets hold.
 */
static void add_firmware_cases(const RcCatalog *catalog, const RcScenario *scenario,
			       const RcRomSet *old_roms, const RcRomSet *new_roms, GPtrArray *cases)
{
	for (guint m = 0; m < catalog->machines->len; m++) {
		const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, m);

		if (!machine_selected(catalog, machine, scenario))
			continue;
		for (guint f = 0; f < machine->firmware->len; f++) {
			const RcCatalogFirmware *fw = g_ptr_array_index(machine->firmware, f);
			g_autoptr(GPtrArray) names = g_ptr_array_new();

			if (*fw->file && held(old_roms, new_roms, fw->file))
				g_ptr_array_add(names, fw->file);
			add_named_images(old_roms, new_roms, fw, names);
			for (guint i = 0; i < names->len; i++)
				add_both_ways(scenario, cases, RC_DEVICE_CLASS_FIRMWARE,
					      machine->name, fw->block,
					      g_ptr_array_index(names, i));
		}
	}
}

/* Does a case of @cases load a file either set holds? */
static gboolean any_held(GPtrArray *cases, const RcRomSet *old_roms, const RcRomSet *new_roms)
{
	for (guint i = 0; i < cases->len; i++)
		if (held(old_roms, new_roms,
			 ((const RcCase *)g_ptr_array_index(cases, i))->romfile))
			return TRUE;
	return FALSE;
}

/* What kinds of file @set holds, in words, for a message. */
static char *describe_set(const RcCatalog *catalog, const RcRomSet *set)
{
	guint nic = 0, display = 0, firmware = 0, other = 0;

	for (guint i = 0; i < set->entries->len; i++) {
		const RcRomEntry *e = g_ptr_array_index(set->entries, i);
		gboolean is_nic = FALSE, is_display = FALSE;

		for (guint m = 0; m < catalog->machines->len && !is_nic && !is_display; m++) {
			const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, m);

			for (guint n = 0; n < machine->nics->len && !is_nic; n++)
				is_nic = strcmp(((const RcCatalogNic *)g_ptr_array_index(
							 machine->nics, n))
							->romfile,
						e->name) == 0;
			for (guint n = 0; n < machine->displays->len && !is_display; n++)
				is_display = strcmp(((const RcCatalogDisplay *)g_ptr_array_index(
							     machine->displays, n))
							    ->romfile,
						    e->name) == 0;
		}
		nic += is_nic;
		display += is_display;
		firmware += !is_nic && !is_display && e->firmware;
		other += !is_nic && !is_display && !e->firmware;
	}
	return g_strdup_printf("%s holds %u NIC ROMs, %u display ROMs, %u firmware images and %u "
			       "other files",
			       set->source, nic, display, firmware, other);
}

static void nothing_to_check(const RcCatalog *catalog, RcDeviceClass device_class,
			     const RcRomSet *old_roms, const RcRomSet *new_roms, GError **error)
{
	g_autofree char *o = describe_set(catalog, old_roms);
	g_autofree char *n = describe_set(catalog, new_roms);

	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "device class %s: nothing to check on the selected machine types of QEMU %s "
		    "(%s): old %s, new %s; drop the class or give the sets its files",
		    rc_device_class_to_string(device_class), catalog->qemu_version, catalog->arch,
		    o, n);
}

/**
 * rc_matrix_build_classes() - the cases of every device class asked for
 * @catalog:	the QEMU binary's machine types and device defaults
 * @scenario:	globs, directions, device classes
 * @old_roms:	the old ROM set
 * @new_roms:	the new ROM set
 * @can_run:	RC_DEVICE_CLASS_BIT() of the classes the backend runs: the
 *		default takes only these (the caller refuses others asked for)
 * @error:	set to an input error when a glob selects nothing, a class
 *		asked for has nothing to check, or no case is left
 *
 * NIC cases as rc_matrix_build() makes them.  Display cases: each display
 * model the catalog says loads a ROM on the machine type, when either set
 * holds that ROM.  Firmware cases: each machine type's -bios block with its
 * default file or a whole *.fd image, when either set holds it.  A class
 * has something to check when a set holds a file of one of its cases.
 * Without scenario->device_classes, every class of @can_run that has; when
 * none has, NIC (whose cases then say which ROM is missing).
 *
 * Return: RcCase array, sorted, each not run yet; g_ptr_array_unref() it
 */
GPtrArray *rc_matrix_build_classes(const RcCatalog *catalog, const RcScenario *scenario,
				   const RcRomSet *old_roms, const RcRomSet *new_roms,
				   guint can_run, GError **error)
{
	g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);
	GPtrArray *of[RC_DEVICE_CLASS_COUNT];
	guint asked = scenario->device_classes, holding = 0;
	gboolean ok = TRUE;

	if (!check_globs_used(catalog, scenario, error))
		return NULL;
	for (guint k = 0; k < RC_DEVICE_CLASS_COUNT; k++)
		of[k] = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);
	add_nic_cases(catalog, scenario, of[RC_DEVICE_CLASS_NIC]);
	add_display_cases(catalog, scenario, old_roms, new_roms, of[RC_DEVICE_CLASS_DISPLAY]);
	add_firmware_cases(catalog, scenario, old_roms, new_roms, of[RC_DEVICE_CLASS_FIRMWARE]);
	for (guint k = 0; k < RC_DEVICE_CLASS_COUNT; k++)
		if (any_held(of[k], old_roms, new_roms))
			holding |= RC_DEVICE_CLASS_BIT(k);
	if (!asked)
		asked = (holding & can_run) ? (holding & can_run)
					    : RC_DEVICE_CLASS_BIT(RC_DEVICE_CLASS_NIC);
	for (guint k = 0; k < RC_DEVICE_CLASS_COUNT; k++) {
		if (!(asked & RC_DEVICE_CLASS_BIT(k))) {
			/* not asked for */
		} else if (scenario->device_classes && !(holding & RC_DEVICE_CLASS_BIT(k))) {
			if (ok)
				nothing_to_check(catalog, (RcDeviceClass)k, old_roms, new_roms,
						 error);
			ok = FALSE;
		} else {
			g_ptr_array_extend_and_steal(cases, g_steal_pointer(&of[k]));
		}
		if (of[k])
			g_ptr_array_unref(of[k]);
	}
	if (!ok)
		return NULL;
	if (cases->len == 0)
		return no_case(catalog, scenario, error);
	rc_matrix_sort(cases);
	return g_steal_pointer(&cases);
}

static void group_free(gpointer data)
{
	RcCaseGroup *group = data;

	g_ptr_array_unref(group->cases);
	g_free(group);
}

/**
 * rc_matrix_groups() - the cases of each QEMU pair
 * @cases:	RcCase array (any order)
 *
 * One group per (machine type, direction), in case-list order; a QEMU
 * pair of that machine type serves all of a group's NICs at once.
 *
 * Return: RcCaseGroup array whose cases are borrowed from @cases (keep
 * @cases alive and unchanged while using it); g_ptr_array_unref() it
 */
GPtrArray *rc_matrix_groups(GPtrArray *cases)
{
	g_autoptr(GPtrArray) sorted = rc_ptr_array_sorted_view(cases, case_compare_indirect);
	GPtrArray *groups = g_ptr_array_new_with_free_func(group_free);
	RcCaseGroup *group = NULL;

	for (guint i = 0; i < sorted->len; i++) {
		RcCase *c = g_ptr_array_index(sorted, i);

		if (!group || strcmp(group->machine, c->machine) != 0 ||
		    group->direction != c->direction) {
			group = g_new0(RcCaseGroup, 1);
			group->machine = c->machine;
			group->direction = c->direction;
			group->cases = g_ptr_array_new();
			g_ptr_array_add(groups, group);
		}
		g_ptr_array_add(group->cases, c);
	}
	return groups;
}

/**
 * rc_matrix_digest() - a fingerprint of a case list (not of its results)
 * @cases:	RcCase array (any order)
 *
 * SHA-256 over "MACHINE NIC DIRECTION ROMFILE" lines in canonical order,
 * a display or firmware case's line starting with "CLASS " (so a matrix of
 * NICs only keeps the digest it had before there were other classes):
 * shards of one matrix carry the digest of the whole, so that merging can
 * check that they came from the same matrix and together cover it.
 *
 * Return: lower-case hex; g_free() it
 */
char *rc_matrix_digest(GPtrArray *cases)
{
	g_autoptr(GPtrArray) sorted = rc_ptr_array_sorted_view(cases, case_compare_indirect);
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);

	for (guint i = 0; i < sorted->len; i++) {
		const RcCase *c = g_ptr_array_index(sorted, i);
		g_autofree char *line = g_strdup_printf(
			"%s%s%s %s %s %s\n",
			c->device_class == RC_DEVICE_CLASS_NIC
				? ""
				: rc_device_class_to_string(c->device_class),
			c->device_class == RC_DEVICE_CLASS_NIC ? "" : " ", c->machine, c->nic,
			rc_direction_to_string(c->direction), c->romfile);

		g_checksum_update(sum, (const guchar *)line, -1);
	}
	return g_strdup(g_checksum_get_string(sum));
}

/**
 * rc_shard_parse() - parse --shard K/N
 * @text:	"K/N", 1 <= K <= N <= 1024
 * @shard:	set to the shard
 * @error:	set to a usage error
 *
 * Return: TRUE when @text is a shard
 */
gboolean rc_shard_parse(const char *text, RcShard *shard, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(text, "/", -1);
	guint64 index, count;

	if (g_strv_length(parts) != 2 ||
	    !g_ascii_string_to_unsigned(parts[1], 10, 1, RC_SHARD_MAX, &count, NULL) ||
	    !g_ascii_string_to_unsigned(parts[0], 10, 1, count, &index, NULL)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--shard '%s': give K/N with 1 <= K <= N <= %d, e.g. --shard 2/4", text,
			    RC_SHARD_MAX);
		return FALSE;
	}
	shard->index = (guint)index;
	shard->count = (guint)count;
	return TRUE;
}

/**
 * rc_matrix_shard() - the cases of one shard
 * @cases:	the whole matrix (any order)
 * @shard:	which part
 *
 * Groups (rc_matrix_groups()) in canonical order, group i to shard
 * (i mod N) + 1: for every N the shards are disjoint and together are the
 * whole matrix, and the split depends only on the case list.
 *
 * Return: copies of the shard's cases, sorted; g_ptr_array_unref() it
 */
GPtrArray *rc_matrix_shard(GPtrArray *cases, const RcShard *shard)
{
	g_autoptr(GPtrArray) groups = rc_matrix_groups(cases);
	GPtrArray *part = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);

	for (guint g = 0; g < groups->len; g++) {
		const RcCaseGroup *group = g_ptr_array_index(groups, g);

		if (g % shard->count != shard->index - 1)
			continue;
		for (guint i = 0; i < group->cases->len; i++)
			g_ptr_array_add(part, rc_case_copy(g_ptr_array_index(group->cases, i)));
	}
	return part;
}

static void side_clear(RcReportSide *side)
{
	g_free(side->qemu);
	g_free(side->qemu_version);
	g_free(side->roms);
}

/**
 * rc_report_new() - an empty report of the whole matrix (shard 1/1)
 *
 * Return: the report; free with rc_report_free()
 */
RcReport *rc_report_new(void)
{
	RcReport *report = g_new0(RcReport, 1);

	report->shard.index = 1;
	report->shard.count = 1;
	report->accel = RC_ACCEL_TCG;
	report->cases = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);
	return report;
}

/**
 * rc_report_free() - free a report and its cases
 * @report:	the report, or NULL
 */
void rc_report_free(RcReport *report)
{
	if (!report)
		return;
	g_free(report->romcompat_version);
	g_free(report->scenario);
	g_free(report->arch);
	side_clear(&report->old_side);
	side_clear(&report->new_side);
	g_free(report->matrix_digest);
	g_ptr_array_unref(report->cases);
	g_free(report);
}

/**
 * rc_report_summarize() - count a report's cases
 * @report:	the report
 * @summary:	filled in
 */
void rc_report_summarize(const RcReport *report, RcReportSummary *summary)
{
	memset(summary, 0, sizeof(*summary));
	for (guint i = 0; i < report->cases->len; i++) {
		const RcCase *c = g_ptr_array_index(report->cases, i);

		summary->cases++;
		summary->verdicts[c->result.verdict]++;
		summary->kinds[c->result.kind]++;
		summary->evidence[c->result.evidence]++;
		if (rc_case_prediction(c) == RC_PREDICTION_DISAGREES)
			summary->disagreements++;
		summary->milliseconds += rc_case_milliseconds(c);
	}
}

/**
 * rc_case_milliseconds() - a case's wall time in whole milliseconds
 * @c:	the case
 *
 * Reports write each case's time as these milliseconds (exact decimals)
 * and the summary as their sum, so a report read back sums to the same
 * total in any order, whatever rounding the seconds went through.
 *
 * Return: the time rounded to the nearest millisecond, 0 when none
 */
guint64 rc_case_milliseconds(const RcCase *c)
{
	return c->result.seconds > 0 ? (guint64)(c->result.seconds * 1000 + 0.5) : 0;
}

/**
 * rc_report_is_partial() - does the report leave part of the matrix out?
 * @report:	the report
 *
 * Return: TRUE for one shard of several, an interrupted run, or a case
 * not run
 */
gboolean rc_report_is_partial(const RcReport *report)
{
	RcReportSummary summary;

	rc_report_summarize(report, &summary);
	return report->interrupted || report->cases->len != report->matrix_cases ||
	       summary.verdicts[RC_VERDICT_NOT_RUN] > 0;
}

/**
 * rc_kind_exit_code() - exit code for a case that ended this way
 * @kind:	what happened
 *
 * Return: 0 migrated, 1 incompatible, 2 the input was wrong (missing ROM,
 * unknown machine type), 3 QEMU could not be run
 */
int rc_kind_exit_code(RcKind kind)
{
	switch (kind) {
	case RC_KIND_OK:
		return RC_EXIT_COMPATIBLE;
	case RC_KIND_ROM_SIZE_MISMATCH:
	case RC_KIND_UNKNOWN_RAMBLOCK:
	case RC_KIND_OTHER:
		return RC_EXIT_INCOMPATIBLE;
	case RC_KIND_ROMFILE_MISSING:
	case RC_KIND_MALFORMED_ROM:
	case RC_KIND_UNKNOWN_MACHINE_TYPE:
	case RC_KIND_UNKNOWN_DEVICE:
		return RC_EXIT_INPUT;
	case RC_KIND_NONE:
	case RC_KIND_QEMU_START_FAILED:
	case RC_KIND_TIMEOUT:
	case RC_KIND_QEMU_CRASHED:
		break;
	}
	return RC_EXIT_INFRA;
}

/**
 * rc_report_exit_status() - the exit code a report stands for
 * @report:	the report
 *
 * Return: RC_EXIT_INPUT when a ROM file is a malformed build (no bucket
 * verdict holds then), else RC_EXIT_INCOMPATIBLE when a case fails, else
 * RC_EXIT_INFRA when QEMU could not test a case or the report is partial,
 * else RC_EXIT_INPUT when the input left cases untestable (a ROM file
 * missing from a set, a machine type the QEMU does not have), else
 * RC_EXIT_COMPATIBLE
 */
int rc_report_exit_status(const RcReport *report)
{
	RcReportSummary summary;

	rc_report_summarize(report, &summary);
	if (summary.kinds[RC_KIND_MALFORMED_ROM])
		return RC_EXIT_INPUT;
	if (summary.verdicts[RC_VERDICT_FAIL])
		return RC_EXIT_INCOMPATIBLE;
	for (guint i = 0; i < report->cases->len; i++) {
		const RcCase *c = g_ptr_array_index(report->cases, i);

		if (c->result.verdict == RC_VERDICT_ERROR &&
		    rc_kind_exit_code(c->result.kind) == RC_EXIT_INFRA)
			return RC_EXIT_INFRA;
	}
	if (rc_report_is_partial(report))
		return RC_EXIT_INFRA;
	if (summary.verdicts[RC_VERDICT_ERROR])
		return RC_EXIT_INPUT;
	return RC_EXIT_COMPATIBLE;
}
