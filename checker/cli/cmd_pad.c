/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_pad.c - `romcompat pad (--bucket SIZE | --like OLD) [--out DIR] [--json FILE] NEW`:
 * fit a ROM set into target buckets (each file its old namesake's bucket,
 * or one size for all) by padding or trimming the bytes after the last
 * image, and say which files cannot be fitted because their images alone
 * are too big.  The inputs are never modified; --out writes the fitted set.
 *
 * Exit status: 0 every file lands in its target bucket, 1 some file's
 * images need more, 2 bad input, 3 the output could not be written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "base/error.h"
#include "base/jsonutil.h"
#include "rom/pad.h"
#include "rom/romset.h"
#include "base/texttable.h"
#include "base/units.h"

static char *target_text(const RcPadResult *r)
{
	return r->target ? rc_format_bucket(r->target) : g_strdup("-");
}

static void print_text(GPtrArray *results, const char *out_dir, gboolean quiet, FILE *out)
{
	g_autoptr(RcTextTable) table = rc_text_table_new(6);
	g_autofree char *shown_dir = rc_text_visible(out_dir);
	guint too_big = 0;

	rc_text_table_right_align(table, 1);
	rc_text_table_right_align(table, 2);
	rc_text_table_right_align(table, 5);
	rc_text_table_add(table, "file", "size", "images need", "target", "action", "new size",
			  (char *)NULL);
	for (guint i = 0; i < results->len; i++) {
		const RcPadResult *r = g_ptr_array_index(results, i);

		too_big += r->action == RC_PAD_TOO_BIG;
		if (quiet)
			continue;
		rc_text_table_add_take(
			table, g_strdup(r->name), g_strdup_printf("%" G_GUINT64_FORMAT, r->size),
			r->needed ? g_strdup_printf("%" G_GUINT64_FORMAT, r->needed)
				  : g_strdup("-"),
			target_text(r), g_strdup(rc_pad_action_to_string(r->action)),
			g_strdup_printf("%" G_GUINT64_FORMAT, r->new_size), (char *)NULL);
	}
	if (!quiet) {
		rc_text_table_print(table, out, "");
		fputc('\n', out);
	}
	for (guint i = 0; i < results->len && !quiet; i++) {
		const RcPadResult *r = g_ptr_array_index(results, i);
		g_autofree char *need = rc_format_size(r->needed);
		g_autofree char *bucket = rc_format_bucket(r->target);
		g_autofree char *name = rc_text_visible(r->name);

		if (r->action == RC_PAD_TOO_BIG)
			fprintf(out,
				"%s: its images need %s, more than the %s bucket: padding cannot "
				"help; drop an image (per-architecture ROM files) or keep the old ROM "
				"for old machine types\n",
				name, need, bucket);
	}
	if (!too_big)
		fprintf(out, "Every file lands in its target bucket%s%s.\n",
			out_dir ? "; written to " : "", shown_dir);
	else
		fprintf(out, "%u file%s cannot be fitted%s%s.\n", too_big, too_big == 1 ? "" : "s",
			out_dir ? "; the others are written to " : "", shown_dir);
}

static json_object *results_json(GPtrArray *results, const char *out_dir)
{
	json_object *doc = json_object_new_object();
	json_object *files = json_object_new_array();
	gboolean fits = TRUE;

	for (guint i = 0; i < results->len; i++) {
		const RcPadResult *r = g_ptr_array_index(results, i);
		json_object *o = json_object_new_object();

		fits &= r->action != RC_PAD_TOO_BIG;
		rc_json_add_text(o, "name", r->name);
		rc_json_add_text(o, "location", r->location);
		json_object_object_add(o, "size", json_object_new_uint64(r->size));
		json_object_object_add(o, "images_need", json_object_new_uint64(r->needed));
		json_object_object_add(o, "target",
				       r->target ? json_object_new_uint64(r->target) : NULL);
		json_object_object_add(o, "action",
				       json_object_new_string(rc_pad_action_to_string(r->action)));
		json_object_object_add(o, "new_size", json_object_new_uint64(r->new_size));
		rc_json_add_text(o, "error", r->reason);
		json_object_array_add(files, o);
	}
	json_object_object_add(doc, "fits", json_object_new_boolean(fits));
	rc_json_add_text(doc, "out", out_dir);
	json_object_object_add(doc, "files", files);
	return doc;
}

/* The fitted files into @dir (made when missing), never over an input. */
static gboolean write_out(GPtrArray *results, const char *dir, const char *source, GError **error)
{
	g_autofree char *real_dir = NULL;
	g_autofree char *real_source = NULL;

	if (g_mkdir_with_parents(dir, 0755) < 0) {
		int e = errno;

		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "--out %s: cannot make the directory: %s (choose another --out)", dir,
			    g_strerror(e));
		return FALSE;
	}
	real_dir = realpath(dir, NULL);
	real_source = realpath(source, NULL);
	if (real_dir && real_source && strcmp(real_dir, real_source) == 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--out %s is the input directory; write the fitted files elsewhere",
			    dir);
		return FALSE;
	}
	for (guint i = 0; i < results->len; i++) {
		const RcPadResult *r = g_ptr_array_index(results, i);
		g_autofree char *path = NULL;
		g_autoptr(GError) local = NULL;
		gsize len;
		const char *bytes;

		if (!r->data)
			continue;
		path = g_build_filename(dir, r->name, NULL);
		bytes = g_bytes_get_data(r->data, &len);
		if (!g_file_set_contents(path, bytes, (gssize)len, &local)) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "cannot write %s: %s (free some space or choose another --out)",
				    path, local->message);
			return FALSE;
		}
	}
	return TRUE;
}

typedef struct {
	char *bucket_text;
	char *like;
	char *fill_text;
	char *out_dir;
	char *json;
	RcCommonOptions common;
} PadOptions;

static void options_clear(PadOptions *o)
{
	g_free(o->bucket_text);
	g_free(o->like);
	g_free(o->fill_text);
	g_free(o->out_dir);
	g_free(o->json);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(PadOptions, options_clear)

/* The option context of pad; the values go into @o. */
static GOptionContext *pad_context(PadOptions *o)
{
	/* g_option_context_add_main_entries() copies the entries. */
	const GOptionEntry entries[] = {
		{"bucket", 0, 0, G_OPTION_ARG_STRING, &o->bucket_text,
		 "the target bucket of every file (a power of two: 256K, 0x40000)", "SIZE"},
		{"like", 0, 0, G_OPTION_ARG_FILENAME, &o->like,
		 "each file's target is its namesake's bucket in this ROM set", "OLD"},
		{"fill", 0, 0, G_OPTION_ARG_STRING, &o->fill_text,
		 "pad with this byte (default: the file's own padding byte, else 0xff)", "BYTE"},
		{"out", 0, 0, G_OPTION_ARG_FILENAME, &o->out_dir,
		 "write the fitted set into this directory (made when missing)", "DIR"},
		RC_OPTION_JSON(&o->json, "a JSON document"),
		G_OPTION_ENTRY_NULL,
	};
	GOptionContext *ctx = rc_command_context(
		"pad", "NEW", "Fit ROM files into target buckets by padding or trimming.",
		&o->common);

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx,
		"NEW and OLD are each a ROM file, a directory of *.rom files, a .deb package or\n"
		"debian:PACKAGE[=VERSION]. Only the bytes after the last image are added or cut;\n"
		"a file whose images need more than its target cannot be fitted.\n"
		"Exit status: 0 every file lands in its target bucket, 1 some file cannot,\n"
		"2 bad input, 3 the output could not be written.");
	return ctx;
}

/* One ROM set and exactly one of --bucket and --like; --bucket and --fill
 * read into @request. */
static gboolean parse_request(const PadOptions *o, int argc, RcPadRequest *request, GError **error)
{
	if (argc != 2 || (!o->bucket_text == !o->like)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "pad: give one ROM set and either --bucket SIZE or --like OLD (see "
			    "'romcompat pad --help')");
		return FALSE;
	}
	if (o->bucket_text &&
	    (!rc_parse_size(o->bucket_text, &request->bucket) || request->bucket < 512 ||
	     (request->bucket & (request->bucket - 1)))) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--bucket %s: not a power of two of at least 512 bytes (try 256K or "
			    "0x40000)",
			    o->bucket_text);
		return FALSE;
	}
	if (o->fill_text) {
		guint64 fill;

		if (!rc_parse_size(o->fill_text, &fill) || fill > 0xff) {
			g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
				    "--fill %s: not a byte (0 to 255, or 0x00 to 0xff)",
				    o->fill_text);
			return FALSE;
		}
		request->fill = (int)fill;
	}
	return TRUE;
}

/* The results as text (the verdict line alone when quiet) and as JSON. */
static gboolean print_results(GPtrArray *results, const PadOptions *o, GError **error)
{
	g_autoptr(json_object) doc = NULL;

	print_text(results, o->out_dir, o->common.quiet, o->common.text);
	fflush(o->common.text);
	if (!o->json)
		return TRUE;
	doc = results_json(results, o->out_dir);
	return rc_command_write_json(doc, o->json, error);
}

/* The exit status of @results; each unreadable file is named on standard
 * error, as it was left out. */
static int results_exit_status(GPtrArray *results)
{
	guint unreadable = 0;
	gboolean too_big = FALSE;

	for (guint i = 0; i < results->len; i++) {
		const RcPadResult *r = g_ptr_array_index(results, i);

		too_big |= r->action == RC_PAD_TOO_BIG;
		if (r->action == RC_PAD_UNREADABLE) {
			fprintf(stderr, "romcompat: error: %s: %s; it was left out\n", r->location,
				r->reason);
			unreadable++;
		}
	}
	return unreadable ? RC_EXIT_INPUT : too_big ? RC_EXIT_INCOMPATIBLE : RC_EXIT_COMPATIBLE;
}

/**
 * rc_cmd_pad() - `romcompat pad`: fit ROM files into target buckets
 * @argc:	argument count (argv[0] is "pad")
 * @argv:	(--bucket SIZE | --like OLD) [--fill BYTE] [--out DIR] [--json FILE] NEW
 * @exit_status: 0 every file fits, 1 some file's images are too big, 2 an
 *		input file is unreadable or not a ROM
 * @error:	set for a usage error, an unreadable set or a failed write
 *
 * Return: TRUE when the report was written
 */
gboolean rc_cmd_pad(int argc, char **argv, int *exit_status, GError **error)
{
	g_auto(PadOptions) o = {0};
	g_autoptr(GOptionContext) ctx = pad_context(&o);
	g_autoptr(RcRomSet) set = NULL;
	g_autoptr(RcRomSet) like_set = NULL;
	g_autoptr(GPtrArray) results = NULL;
	RcPadRequest request = {.fill = -1};
	RcReportOption reports[1];

	if (!rc_command_parse_options(ctx, &o.common, &argc, &argv, error))
		return FALSE;
	reports[0] = (RcReportOption){"--json", o.json};
	if (!rc_command_check_reports(reports, G_N_ELEMENTS(reports), &o.common, error) ||
	    !parse_request(&o, argc, &request, error))
		return FALSE;
	if (o.like && !(like_set = rc_rom_set_load(o.like, error)))
		return FALSE;
	if (!(set = rc_rom_set_load(argv[1], error)))
		return FALSE;
	request.like = like_set;
	results = rc_pad_set(set, &request);
	if (o.out_dir && !write_out(results, o.out_dir, argv[1], error))
		return FALSE;
	if (!print_results(results, &o, error))
		return FALSE;
	*exit_status = results_exit_status(results);
	return TRUE;
}
