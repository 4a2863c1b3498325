/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_inspect.c - `romcompat inspect [--json FILE] PATH...`: the anatomy of
 * every ROM file in each path (a ROM file, a directory, a .deb): size,
 * bucket, headroom, the image chain, padding and warnings.
 *
 * Every path is reported even when another one is bad; each bad input gets
 * one error line on stderr (one for all of its bad files) and makes the
 * exit status 2.
 */
#include <stdio.h>

#include "cli/commands.h"
#include "base/error.h"
#include "base/jsonutil.h"
#include "rom/rom.h"
#include "rom/romset.h"
#include "base/texttable.h"
#include "base/units.h"

/* A path's outcome: its set, or why there is none. */
typedef struct {
	const char *path;
	RcRomSet *set;
	GError *error;
} InspectInput;

static char *hex16(guint16 v)
{
	return g_strdup_printf("%04x", v);
}

static char *image_type(const RcRomImage *img)
{
	g_autofree char *arch = NULL;

	if (img->code_type != RC_ROM_CODE_EFI)
		return g_strdup(rc_rom_code_type_name(img->code_type));
	arch = rc_rom_efi_machine_name(img->efi_machine);
	return g_strdup_printf("EFI %s", arch);
}

static char *image_details(const RcRomImage *img)
{
	GString *s = g_string_new(NULL);

	if (img->code_type == RC_ROM_CODE_X86) {
		g_string_append_printf(s, "init %" G_GUINT64_FORMAT " bytes, checksum %s",
				       img->init_size,
				       !img->checksum_checked ? "not checked"
				       : img->checksum_ok     ? "ok"
							      : "WRONG");
	} else if (img->code_type == RC_ROM_CODE_EFI) {
		g_string_append_printf(s, "%s, %s%s", rc_rom_efi_subsystem_name(img->efi_subsystem),
				       img->efi_compression == RC_ROM_EFI_COMPRESSED ? "compressed"
				       : img->efi_compression == RC_ROM_EFI_UNCOMPRESSED
					       ? "uncompressed"
					       : "unknown compression",
				       img->efi_signature_ok ? "" : ", no EFI signature");
	}
	if (img->last)
		g_string_append_printf(s, "%slast image", s->len ? ", " : "");
	return g_string_free(s, FALSE);
}

static char *padding_text(const RcRom *rom)
{
	g_autofree char *size = NULL;

	if (rom->padding_length == 0)
		return g_strdup("none");
	size = rc_format_size(rom->padding_length);
	if (rom->padding_fill < 0)
		return g_strdup_printf("%s of mixed bytes at 0x%" G_GINT64_MODIFIER "x", size,
				       rom->padding_offset);
	return g_strdup_printf("%s of 0x%02X at 0x%" G_GINT64_MODIFIER "x", size, rom->padding_fill,
			       rom->padding_offset);
}

/* "  LABEL    TEXT SUFFIX": text from outside, escaped; nothing when NULL. */
static void print_visible(FILE *out, const char *label, const char *text, const char *suffix)
{
	g_autofree char *shown = NULL;

	if (!text)
		return;
	shown = rc_text_visible(text);
	fprintf(out, "  %-8s %s%s\n", label, shown, suffix);
}

static void print_entry_text(const RcRomEntry *e, FILE *out)
{
	g_autoptr(RcTextTable) images = rc_text_table_new(6);
	g_autofree char *size = e->has_size ? rc_format_size(e->size) : g_strdup("size unknown");
	g_autofree char *padding = NULL;
	g_autofree char *name = rc_text_visible(e->name);
	const RcRom *rom = e->rom;

	fprintf(out, "\n%s  %s", name, size);
	if (e->has_size && e->firmware) {
		fprintf(out, "  firmware: its RAM block takes its exact size\n");
		return;
	}
	if (e->has_size) {
		g_autofree char *bucket = rc_format_bucket(rc_rom_bucket(e->size));
		g_autofree char *headroom = rc_format_size(rc_rom_bucket(e->size) - e->size);

		fprintf(out, "  bucket %s  headroom %s", bucket, headroom);
	}
	fputc('\n', out);
	print_visible(out, "member", e->member, "");
	print_visible(out, "link to", e->link_target, "");
	print_visible(out, "ERROR", e->error ? e->error->message : NULL, "");
	if (!rom)
		return;

	rc_text_table_right_align(images, 0);
	rc_text_table_right_align(images, 2);
	rc_text_table_add(images, "image", "offset", "length", "type", "vendor:device", "details",
			  (char *)NULL);
	for (guint i = 0; i < rom->images->len; i++) {
		const RcRomImage *img = rc_rom_image(rom, i);
		g_autofree char *vendor = hex16(img->vendor_id);
		g_autofree char *device = hex16(img->device_id);

		rc_text_table_add_take(images, g_strdup_printf("%u", i + 1),
				       g_strdup_printf("0x%05" G_GINT64_MODIFIER "x", img->offset),
				       rc_format_size(img->length), image_type(img),
				       g_strdup_printf("%s:%s", vendor, device), image_details(img),
				       (char *)NULL);
	}
	rc_text_table_print(images, out, "  ");
	padding = padding_text(rom);
	fprintf(out, "  padding  %s\n", padding);
	for (guint i = 0; i < rom->warnings->len; i++) {
		const RcRomWarning *w = g_ptr_array_index(rom->warnings, i);

		fprintf(out, "  warning  %s\n", w->text);
	}
}

static void print_input_text(const InspectInput *in, FILE *out)
{
	const RcRomSet *set = in->set;
	g_autofree char *path = rc_text_visible(in->path);

	if (!set)
		return; /* its error line goes to stderr */
	if (set->kind == RC_ROM_SET_FILE)
		fprintf(out, "%s: ROM file", path);
	else
		fprintf(out, "%s: %s, %u ROM file%s", path,
			set->kind == RC_ROM_SET_DEB ? ".deb package" : "directory",
			set->entries->len, set->entries->len == 1 ? "" : "s");
	if (rc_rom_set_count_errors(set))
		fprintf(out, ", %u with errors", rc_rom_set_count_errors(set));
	fputc('\n', out);
	for (guint i = 0; i < set->skipped->len; i++)
		print_visible(out, "skipped", g_ptr_array_index(set->skipped, i),
			      " (not an option ROM)");
	for (guint i = 0; i < set->entries->len; i++)
		print_entry_text(g_ptr_array_index(set->entries, i), out);
}

static json_object *json_hex16(guint16 v)
{
	g_autofree char *s = hex16(v);

	return json_object_new_string(s);
}

static json_object *image_json(const RcRomImage *img, guint index)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "index", json_object_new_int((int)index + 1));
	json_object_object_add(o, "offset", json_object_new_uint64(img->offset));
	json_object_object_add(o, "length", json_object_new_uint64(img->length));
	json_object_object_add(o, "code_type", json_object_new_int(img->code_type));
	json_object_object_add(o, "code_type_name",
			       json_object_new_string(rc_rom_code_type_name(img->code_type)));
	json_object_object_add(o, "vendor_id", json_hex16(img->vendor_id));
	json_object_object_add(o, "device_id", json_hex16(img->device_id));
	json_object_object_add(o, "revision", json_object_new_int(img->revision));
	json_object_object_add(o, "last", json_object_new_boolean(img->last));
	if (img->code_type == RC_ROM_CODE_X86) {
		json_object_object_add(o, "init_size", json_object_new_uint64(img->init_size));
		json_object_object_add(
			o, "checksum_ok",
			img->checksum_checked ? json_object_new_boolean(img->checksum_ok) : NULL);
	} else if (img->code_type == RC_ROM_CODE_EFI) {
		g_autofree char *arch = rc_rom_efi_machine_name(img->efi_machine);
		g_autofree char *machine = g_strdup_printf("0x%04X", img->efi_machine);

		json_object_object_add(o, "efi_signature_ok",
				       json_object_new_boolean(img->efi_signature_ok));
		json_object_object_add(o, "subsystem", json_object_new_int(img->efi_subsystem));
		json_object_object_add(
			o, "subsystem_name",
			json_object_new_string(rc_rom_efi_subsystem_name(img->efi_subsystem)));
		json_object_object_add(o, "architecture", json_object_new_string(arch));
		json_object_object_add(o, "machine_type", json_object_new_string(machine));
		json_object_object_add(
			o, "compressed",
			json_object_new_boolean(img->efi_compression == RC_ROM_EFI_COMPRESSED));
		json_object_object_add(o, "compression_type",
				       json_object_new_int(img->efi_compression));
	}
	return o;
}

static json_object *entry_json(const RcRomEntry *e)
{
	json_object *o = json_object_new_object();
	json_object *images = json_object_new_array();
	json_object *warnings = json_object_new_array();
	const RcRom *rom = e->rom;

	rc_json_add_text(o, "name", e->name);
	rc_json_add_text(o, "location", e->location);
	rc_json_add_text(o, "member", e->member);
	rc_json_add_text(o, "link_target", e->link_target);
	json_object_object_add(o, "kind",
			       json_object_new_string(e->firmware ? "firmware" : "option-rom"));
	json_object_object_add(o, "size", e->has_size ? json_object_new_uint64(e->size) : NULL);
	/* A firmware image's block is its exact size: no headroom. */
	json_object_object_add(o, "bucket",
			       e->has_size ? json_object_new_uint64(rc_rom_entry_block_size(e))
					   : NULL);
	json_object_object_add(
		o, "headroom",
		e->has_size ? json_object_new_uint64(rc_rom_entry_block_size(e) - e->size) : NULL);
	rc_json_add_text(o, "error", e->error ? e->error->message : NULL);
	json_object_object_add(o, "truncated",
			       json_object_new_boolean(rom && rc_rom_is_truncated(rom)));
	for (guint i = 0; rom && i < rom->images->len; i++)
		json_object_array_add(images, image_json(rc_rom_image(rom, i), i));
	json_object_object_add(o, "images", images);
	if (rom && rom->padding_length) {
		json_object *pad = json_object_new_object();
		g_autofree char *fill = g_strdup_printf("0x%02x", rom->padding_fill);

		json_object_object_add(pad, "offset", json_object_new_uint64(rom->padding_offset));
		json_object_object_add(pad, "length", json_object_new_uint64(rom->padding_length));
		json_object_object_add(
			pad, "fill",
			json_object_new_string(rom->padding_fill < 0 ? "mixed" : fill));
		json_object_object_add(o, "padding", pad);
	} else {
		json_object_object_add(o, "padding", NULL);
	}
	for (guint i = 0; rom && i < rom->warnings->len; i++) {
		const RcRomWarning *w = g_ptr_array_index(rom->warnings, i);
		json_object *jw = json_object_new_object();

		json_object_object_add(
			jw, "code", json_object_new_string(rc_rom_warning_code_to_string(w->code)));
		json_object_object_add(jw, "image",
				       w->image >= 0 ? json_object_new_int(w->image + 1) : NULL);
		json_object_object_add(jw, "text", json_object_new_string(w->text));
		json_object_array_add(warnings, jw);
	}
	json_object_object_add(o, "warnings", warnings);
	return o;
}

static json_object *input_json(const InspectInput *in)
{
	json_object *o = json_object_new_object();
	json_object *files = json_object_new_array();
	json_object *skipped = json_object_new_array();

	rc_json_add_text(o, "path", in->path);
	json_object_object_add(
		o, "kind",
		in->set ? json_object_new_string(rc_rom_set_kind_to_string(in->set->kind)) : NULL);
	rc_json_add_text(o, "error", in->error ? in->error->message : NULL);
	for (guint i = 0; in->set && i < in->set->entries->len; i++)
		json_object_array_add(files, entry_json(g_ptr_array_index(in->set->entries, i)));
	for (guint i = 0; in->set && i < in->set->skipped->len; i++)
		json_object_array_add(skipped,
				      rc_json_text_new(g_ptr_array_index(in->set->skipped, i)));
	json_object_object_add(o, "files", files);
	json_object_object_add(o, "skipped", skipped);
	return o;
}

/* The report: every input as text (-q: one line for all) and, for --json, as JSON. */
static gboolean write_report(GArray *inputs, const char *json_path, const RcCommonOptions *common,
			     GError **error)
{
	g_autoptr(json_object) doc = json_object_new_object();
	json_object *list = json_object_new_array();
	guint printed = 0, files = 0, bad = 0;

	json_object_object_add(doc, "inputs", list);
	for (guint i = 0; i < inputs->len; i++) {
		const InspectInput *in = &g_array_index(inputs, InspectInput, i);

		if (in->set) {
			files += in->set->entries->len;
			bad += rc_rom_set_count_errors(in->set);
		}
		if (json_path)
			json_object_array_add(list, input_json(in));
		if (common->quiet)
			continue;
		if (in->set && printed++)
			fputc('\n', common->text);
		print_input_text(in, common->text);
	}
	if (common->quiet)
		fprintf(common->text, "inspect: %u ROM file%s in %u input%s, %u with errors\n",
			files, files == 1 ? "" : "s", inputs->len, inputs->len == 1 ? "" : "s",
			bad);
	fflush(common->text);
	return !json_path || rc_command_write_json(doc, json_path, error);
}

/* Each bad input's error line, after the report; the exit status they make. */
static int report_errors(GArray *inputs)
{
	int status = RC_EXIT_COMPATIBLE;

	for (guint i = 0; i < inputs->len; i++) {
		InspectInput *in = &g_array_index(inputs, InspectInput, i);
		GError *summary = NULL;

		if (in->error) {
			rc_print_error(in->error);
			/* A package that could not be fetched is no fault of the input. */
			if (g_error_matches(in->error, RC_ERROR, RC_ERROR_INFRA))
				status = RC_EXIT_INFRA;
			else if (status != RC_EXIT_INFRA)
				status = RC_EXIT_INPUT;
		}
		/* One line per input, however many of its files are bad. */
		if (in->set && (summary = rc_rom_set_errors_summary(in->set))) {
			rc_print_error(summary);
			g_clear_error(&summary);
			if (status != RC_EXIT_INFRA)
				status = RC_EXIT_INPUT;
		}
		rc_rom_set_free(in->set);
		g_clear_error(&in->error);
	}
	return status;
}

/**
 * rc_cmd_inspect() - `romcompat inspect`: show the images inside ROM files
 * @argc:	argument count (argv[0] is "inspect")
 * @argv:	[--json FILE] PATH...
 * @exit_status: set to 0, 2 when an input could not be (fully) read, 3 when
 *		a debian: package could not be fetched
 * @error:	set for a usage error or a failed write
 *
 * Return: TRUE when the report was written
 */
gboolean rc_cmd_inspect(int argc, char **argv, int *exit_status, GError **error)
{
	g_autofree char *json_path = NULL;
	RcCommonOptions common = {0};
	const GOptionEntry entries[] = {
		RC_OPTION_JSON(&json_path, "a JSON document"),
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = rc_command_context(
		"inspect", "PATH...", "Show the images inside option ROM files.", &common);
	g_autoptr(GArray) inputs = g_array_new(FALSE, TRUE, sizeof(InspectInput));
	RcReportOption reports[1];
	gboolean written;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx,
		"PATH is a ROM file, a directory of *.rom files, or a .deb package (read in place).\n"
		"Exit status: 0 every file parsed, 2 an input is missing, unreadable, not an\n"
		"option ROM or truncated.");
	if (!rc_command_parse_options(ctx, &common, &argc, &argv, error))
		return FALSE;
	reports[0] = (RcReportOption){"--json", json_path};
	if (!rc_command_check_reports(reports, G_N_ELEMENTS(reports), &common, error))
		return FALSE;
	if (argc < 2) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "inspect: give at least one ROM file, directory or .deb (see "
			    "'romcompat inspect --help')");
		return FALSE;
	}

	for (int i = 1; i < argc; i++) {
		InspectInput in = {.path = argv[i]};

		in.set = rc_rom_set_load(argv[i], &in.error);
		g_array_append_val(inputs, in);
	}
	written = write_report(inputs, json_path, &common, error);
	/* The error lines come last, after the report they belong to. */
	*exit_status = report_errors(inputs);
	return written;
}
