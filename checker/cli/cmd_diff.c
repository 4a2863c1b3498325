/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_diff.c - `romcompat diff [--arch ARCH] [--json FILE] OLD NEW`: predict,
 * from the files alone, which ROMs change BAR bucket between two sets
 * (running VMs on the old set, their migration destination on the new one)
 * and which NIC models load them on the architecture the set is used on
 * (its shipped machine-type catalog; x86_64 unless --arch says otherwise).
 *
 * Exit status: 0 no file changes bucket, 1 some file does (or is removed),
 * 2 an input is bad (after everything else has been reported).
 */
#include <stdio.h>

#include "cli/commands.h"
#include "base/error.h"
#include "base/jsonutil.h"
#include "rom/predict.h"
#include "rom/romset.h"
#include "matrix/romuse.h"
#include "base/texttable.h"
#include "base/units.h"

/* NIC models listed per row of the text table before it abbreviates. */
#define TABLE_MAX_MODELS 4

static char *describe_set(const char *source, const RcRomSet *set)
{
	g_autofree char *path = rc_text_visible(source);

	if (set->kind == RC_ROM_SET_FILE)
		return g_strdup_printf("%s (ROM file)", path);
	return g_strdup_printf("%s (%s, %u ROM file%s)", path,
			       set->kind == RC_ROM_SET_DEB ? ".deb package" : "directory",
			       set->entries->len, set->entries->len == 1 ? "" : "s");
}

static char *side_size(gboolean has, guint64 size, gboolean present)
{
	if (!present)
		return g_strdup("-");
	return has ? rc_format_size(size) : g_strdup("unreadable");
}

static char *side_bucket(gboolean has, guint64 bucket)
{
	return has ? rc_format_bucket(bucket) : g_strdup("-");
}

/*
 * The verdict line: malformed builds (no bucket verdict for them),
 * compatible, or how many files change bucket.
 */
static void print_verdict(const RcPrediction *p, FILE *out)
{
	if (p->n_malformed)
		fprintf(out,
			"MALFORMED BUILD: %u of %u ROM files %s no bucket verdict: a broken build's "
			"size says nothing (the error below says what is wrong)\n",
			p->n_malformed, p->files->len, p->n_malformed == 1 ? "gets" : "get");
	if (!p->incompatible && p->n_malformed)
		return;
	if (!p->incompatible) {
		fprintf(out,
			"Compatible: no ROM file changes bucket; ROM sizes do not stand in the way of "
			"migrating from the old set to the new one.\n");
		return;
	}
	fprintf(out,
		"INCOMPATIBLE: %u of %u ROM files %s; VMs whose NICs load %s cannot migrate from "
		"the old set to the new one:\n",
		p->n_incompatible, p->files->len,
		p->n_incompatible == 1 ? "changes bucket or disappears"
				       : "change bucket or disappear",
		p->n_incompatible == 1 ? "it" : "them");
}

/*
 * Who loads a file, for people: its NIC models; else its display devices
 * ("display VGA"); else its firmware blocks ("block pc.bios (...)").
 */
static char *loaded_by(GPtrArray *catalogs, const char *name, guint max_models)
{
	g_autoptr(GPtrArray) nics = rc_rom_uses(catalogs, name);
	g_autoptr(GPtrArray) displays = NULL;
	g_autoptr(GPtrArray) blocks = NULL;
	g_autofree char *text = NULL;

	if (nics->len)
		return rc_rom_uses_summary(nics, max_models);
	displays = rc_device_uses(catalogs, name, FALSE);
	blocks = rc_device_uses(catalogs, name, TRUE);
	if (!displays->len && !blocks->len)
		return g_strdup("-");
	text = rc_rom_uses_summary(displays->len ? displays : blocks, max_models);
	return g_strconcat(displays->len ? "display " : "block ", text, NULL);
}

static void print_text(const RcRomSet *old_set, const RcRomSet *new_set, const RcPrediction *p,
		       GPtrArray *catalogs, const char *arch, FILE *out)
{
	g_autofree char *nics_header = g_strdup_printf("NIC models on %s", arch);
	g_autoptr(RcTextTable) table = rc_text_table_new(7);
	g_autofree char *old_desc = describe_set(old_set->source, old_set);
	g_autofree char *new_desc = describe_set(new_set->source, new_set);

	fprintf(out, "old: %s\nnew: %s\n\n", old_desc, new_desc);
	rc_text_table_right_align(table, 1);
	rc_text_table_right_align(table, 3);
	rc_text_table_add(table, "file", "old size", "bucket", "new size", "bucket", "verdict",
			  nics_header, (char *)NULL);
	for (guint i = 0; i < p->files->len; i++) {
		const RcFilePrediction *f = &g_array_index(p->files, RcFilePrediction, i);

		rc_text_table_add_take(table, g_strdup(f->name),
				       side_size(f->has_old, f->old_size, f->old_entry != NULL),
				       side_bucket(f->has_old, f->old_bucket),
				       side_size(f->has_new, f->new_size, f->new_entry != NULL),
				       side_bucket(f->has_new, f->new_bucket),
				       g_strdup(rc_file_verdict_describe(f->verdict)),
				       loaded_by(catalogs, f->name, TABLE_MAX_MODELS),
				       (char *)NULL);
	}
	rc_text_table_print(table, out, "");
	fputc('\n', out);
	print_verdict(p, out);
	if (!p->incompatible)
		return;
	for (guint i = 0; i < p->files->len; i++) {
		const RcFilePrediction *f = &g_array_index(p->files, RcFilePrediction, i);
		g_autofree char *models = NULL;
		g_autofree char *from = NULL;
		g_autofree char *to = NULL;
		g_autofree char *name = NULL;

		if (!rc_file_verdict_is_incompatible(f->verdict))
			continue;
		name = rc_text_visible(f->name);
		models = loaded_by(catalogs, f->name, 0);
		if (f->verdict == RC_VERDICT_REMOVED && f->old_entry && f->old_entry->firmware) {
			fprintf(out,
				"  %s: firmware, removed (a VM that loads it from this set cannot "
				"start); loaded on %s by: %s\n",
				name, arch, models);
			continue;
		}
		if (f->verdict == RC_VERDICT_REMOVED) {
			fprintf(out,
				"  %s: removed (QEMU refuses to start a NIC that loads it); NIC models on "
				"%s: %s\n",
				name, arch, models);
			continue;
		}
		from = rc_format_bucket(f->old_bucket);
		to = rc_format_bucket(f->new_bucket);
		if ((f->old_entry && f->old_entry->firmware) ||
		    (f->new_entry && f->new_entry->firmware))
			fprintf(out,
				"  %s: firmware, its block %s -> %s (a firmware block takes the "
				"file's exact size); loaded on %s by: %s\n",
				name, from, to, arch, models);
		else if (g_str_has_prefix(models, "display "))
			fprintf(out, "  %s: %s -> %s; loaded on %s by: %s\n", name, from, to, arch,
				models);
		else
			fprintf(out, "  %s: %s -> %s; NIC models on %s: %s\n", name, from, to, arch,
				models);
	}
}

static json_object *side_json(const RcRomEntry *e)
{
	json_object *o;

	if (!e)
		return NULL;
	o = json_object_new_object();
	rc_json_add_text(o, "name", e->name);
	rc_json_add_text(o, "location", e->location);
	json_object_object_add(o, "size", e->has_size ? json_object_new_uint64(e->size) : NULL);
	json_object_object_add(o, "bucket",
			       e->has_size ? json_object_new_uint64(rc_rom_entry_block_size(e))
					   : NULL);
	json_object_object_add(o, "kind",
			       json_object_new_string(e->firmware ? "firmware" : "option-rom"));
	rc_json_add_text(o, "error", e->error ? e->error->message : NULL);
	return o;
}

static json_object *set_json(const RcRomSet *set, const char *path, const GError *error)
{
	json_object *o = json_object_new_object();

	rc_json_add_text(o, "path", path);
	json_object_object_add(o, "kind",
			       set ? json_object_new_string(rc_rom_set_kind_to_string(set->kind))
				   : NULL);
	json_object_object_add(o, "files",
			       set ? json_object_new_int((int)set->entries->len) : NULL);
	rc_json_add_text(o, "error", error ? error->message : NULL);
	return o;
}

static json_object *prediction_json(const RcPrediction *p, GPtrArray *catalogs)
{
	json_object *files = json_object_new_array();

	for (guint i = 0; i < p->files->len; i++) {
		const RcFilePrediction *f = &g_array_index(p->files, RcFilePrediction, i);
		g_autoptr(GPtrArray) uses = rc_rom_uses(catalogs, f->name);
		g_autoptr(GPtrArray) displays = rc_device_uses(catalogs, f->name, FALSE);
		g_autoptr(GPtrArray) blocks = rc_device_uses(catalogs, f->name, TRUE);
		json_object *o = json_object_new_object();
		json_object *nics = rc_rom_uses_to_json(uses);

		json_object_object_add(o, "displays", rc_rom_uses_to_json(displays));
		json_object_object_add(o, "firmware", rc_rom_uses_to_json(blocks));

		rc_json_add_text(o, "name", f->name);
		json_object_object_add(
			o, "verdict",
			json_object_new_string(rc_file_verdict_to_string(f->verdict)));
		json_object_object_add(
			o, "incompatible",
			json_object_new_boolean(rc_file_verdict_is_incompatible(f->verdict)));
		json_object_object_add(o, "old", side_json(f->old_entry));
		json_object_object_add(o, "new", side_json(f->new_entry));
		json_object_object_add(o, "nics", nics);
		json_object_array_add(files, o);
	}
	return files;
}

/* Print an input's error line, one for all of its bad files; TRUE when there was one. */
static gboolean report_input_errors(const RcRomSet *set, const GError *load_error)
{
	g_autoptr(GError) summary = NULL;

	if (load_error || !set) {
		rc_print_error(load_error);
		return TRUE;
	}
	if (!(summary = rc_rom_set_errors_summary(set)))
		return FALSE;
	rc_print_error(summary);
	return TRUE;
}

/* The report as text (-q: the verdict line) and, for --json, as JSON (also
 * when an input is bad: its error inside). */
static gboolean write_report(const char *const paths[2], const RcRomSet *old_set,
			     const RcRomSet *new_set, const GError *old_error,
			     const GError *new_error, const char *json_path, const char *arch,
			     GPtrArray *catalogs, const RcCommonOptions *common,
			     gboolean *incompatible, GError **error)
{
	g_autoptr(RcPrediction) p = NULL;
	g_autoptr(json_object) doc = NULL;

	if (old_set && new_set) {
		p = rc_predict(old_set, new_set);
		*incompatible = p->incompatible;
	}
	if (p && common->quiet)
		print_verdict(p, common->text);
	else if (p)
		print_text(old_set, new_set, p, catalogs, arch, common->text);
	fflush(common->text);
	if (!json_path)
		return TRUE;
	doc = json_object_new_object();
	json_object_object_add(doc, "old", set_json(old_set, paths[0], old_error));
	json_object_object_add(doc, "new", set_json(new_set, paths[1], new_error));
	rc_json_add_text(doc, "arch", arch);
	json_object_object_add(doc, "incompatible",
			       p ? json_object_new_boolean(p->incompatible) : NULL);
	json_object_object_add(doc, "files",
			       p ? prediction_json(p, catalogs) : json_object_new_array());
	return rc_command_write_json(doc, json_path, error);
}

/**
 * rc_cmd_diff() - `romcompat diff`: which ROM files change bucket
 * @argc:	argument count (argv[0] is "diff")
 * @argv:	[--arch ARCH] [--json FILE] OLD NEW
 * @exit_status: set to 0 (no bucket changes), 1 (some), 2 (a bad input) or 3
 *		(a debian: package could not be fetched)
 * @error:	set for a usage error or a failed write
 *
 * Return: TRUE when the report was written
 */
gboolean rc_cmd_diff(int argc, char **argv, int *exit_status, GError **error)
{
	g_autofree char *json_path = NULL;
	g_autofree char *arch = NULL;
	RcCommonOptions common = {0};
	const GOptionEntry entries[] = {
		{"arch", 0, 0, G_OPTION_ARG_STRING, &arch,
		 "the architecture the ROMs are used on, a QEMU target name (default x86_64)",
		 "ARCH"},
		RC_OPTION_JSON(&json_path, "a JSON document"),
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = rc_command_context(
		"diff", "OLD NEW", "Predict, without QEMU, which ROM files change BAR bucket.",
		&common);
	g_autoptr(GError) old_error = NULL;
	g_autoptr(GError) new_error = NULL;
	g_autoptr(RcRomSet) old_set = NULL;
	g_autoptr(RcRomSet) new_set = NULL;
	g_autoptr(GPtrArray) catalogs = NULL;
	RcReportOption reports[1];
	gboolean incompatible = FALSE;
	gboolean bad_old;
	gboolean bad_new;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx,
		"OLD and NEW are each a ROM file, a directory of *.rom files, or a .deb package\n"
		"(read in place). Files pair by name; two single files pair with each other.\n"
		"NIC models: those that load each file on ARCH's machine types, from its\n"
		"shipped catalog (x86_64, aarch64, riscv64, loongarch64: see 'romcompat machines').\n"
		"Exit status: 0 no file changes bucket, 1 a file changes bucket or is removed,\n"
		"2 an input is missing, unreadable, not an option ROM, truncated or a malformed\n"
		"build.");
	if (!rc_command_parse_options(ctx, &common, &argc, &argv, error))
		return FALSE;
	reports[0] = (RcReportOption){"--json", json_path};
	if (!rc_command_check_reports(reports, G_N_ELEMENTS(reports), &common, error))
		return FALSE;
	if (argc != 3) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_USAGE,
			"diff: give exactly two paths, OLD and NEW (see 'romcompat diff --help')");
		return FALSE;
	}
	catalogs = rc_shipped_catalogs(arch ? arch : "x86_64", arch != NULL, error);
	if (!catalogs)
		return FALSE;

	old_set = rc_rom_set_load(argv[1], &old_error);
	new_set = rc_rom_set_load(argv[2], &new_error);
	if (!write_report((const char *const[]){argv[1], argv[2]}, old_set, new_set, old_error,
			  new_error, json_path, arch ? arch : "x86_64", catalogs, &common,
			  &incompatible, error))
		return FALSE;

	bad_old = report_input_errors(old_set, old_error);
	bad_new = report_input_errors(new_set, new_error);
	if (g_error_matches(old_error, RC_ERROR, RC_ERROR_INFRA) ||
	    g_error_matches(new_error, RC_ERROR, RC_ERROR_INFRA))
		*exit_status = RC_EXIT_INFRA; /* a package could not be fetched */
	else if (bad_old || bad_new)
		*exit_status = RC_EXIT_INPUT;
	else
		*exit_status = incompatible ? RC_EXIT_INCOMPATIBLE : RC_EXIT_COMPATIBLE;
	return TRUE;
}
