/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_combine.c - `romcompat combine IMAGE... -o FILE [--bucket SIZE |
 * --like OLD.rom]`: one multi-image PCI option ROM from per-architecture
 * images, as iPXE's catrom.pl makes them, padded to a target bucket if
 * asked; and `romcompat split ROM -o DIR`: its images back as stand-alone
 * files.  The bytes are rom/combine.c's; this file reads, writes, prints.
 *
 * Exit status: 0 written, 1 the images do not fit the target bucket
 * (nothing written), 2 bad input, 3 the output could not be written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/input.h"
#include "base/jsonutil.h"
#include "base/output.h"
#include "base/texttable.h"
#include "base/units.h"
#include "cli/commands.h"
#include "rom/combine.h"
#include "rom/rom.h"
#include "rom/romset.h"

/* What both commands take. */
typedef struct {
	char *out;
	char *json;
	char *bucket_text;
	char *like;
	char *fill_text;
	RcCommonOptions common;
} CombineOptions;

static void options_clear(CombineOptions *o)
{
	g_free(o->out);
	g_free(o->json);
	g_free(o->bucket_text);
	g_free(o->like);
	g_free(o->fill_text);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CombineOptions, options_clear)

/* One input file's bytes and name, read within a set's bound per file. */
typedef struct {
	char *path;
	char *bytes;
	gsize len;
} InputFile;

static void input_file_clear(gpointer p)
{
	InputFile *f = p;

	g_free(f->path);
	g_free(f->bytes);
}

static gboolean read_image(const char *path, InputFile *f, GError **error)
{
	f->path = g_strdup(path);
	return rc_input_read(path, "ROM image", RC_ROM_SET_MAX_FILE_BYTES, &f->bytes, &f->len,
			     error);
}

/* The ROM of --out: a file (not standard output), in a directory that
 * exists; checked before any work. */
static gboolean check_rom_out(const char *path, GError **error)
{
	g_autofree char *dir = NULL;
	GError *local = NULL;

	if (rc_output_is_stdout(path)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--out %s: a ROM is binary; name a file to write it to", path);
		return FALSE;
	}
	if (!rc_output_check(path, "ROM", &local)) {
		g_propagate_prefixed_error(error, local, "--out %s: ", path);
		return FALSE;
	}
	dir = g_path_get_dirname(path);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--out %s: %s is not a directory that exists; create it or name a file "
			    "in an existing directory",
			    path, dir);
		return FALSE;
	}
	return TRUE;
}

/* The --json report option, checked before any work (docs/cli.md). */
static gboolean check_json(CombineOptions *o, GError **error)
{
	const RcReportOption reports[] = {{"--json", o->json}};

	return rc_command_check_reports(reports, G_N_ELEMENTS(reports), &o->common, error);
}

static gboolean write_json(json_object *doc, const char *path, GError **error)
{
	return !path || rc_command_write_json(doc, path, error);
}

static gboolean bytes_write_fn(FILE *out, gconstpointer data)
{
	gsize len;
	const void *bytes = g_bytes_get_data((GBytes *)data, &len);

	return fwrite(bytes, 1, len, out) == len;
}

static json_object *piece_json(const RcRomPiece *p, guint index)
{
	json_object *o = json_object_new_object();
	g_autofree char *kind = rc_rom_piece_kind(p);
	g_autofree char *machine =
		p->code_type == RC_ROM_CODE_EFI ? rc_rom_efi_machine_name(p->efi_machine) : NULL;
	g_autofree char *ids = g_strdup_printf("%04x:%04x", p->vendor_id, p->device_id);

	json_object_object_add(o, "index", json_object_new_int((int)index + 1));
	rc_json_add_text(o, "kind", kind);
	json_object_object_add(o, "code_type", json_object_new_int(p->code_type));
	rc_json_add_text(o, "efi_machine", machine);
	json_object_object_add(o, "efi_machine_type",
			       machine ? json_object_new_int(p->efi_machine) : NULL);
	rc_json_add_text(o, "pci_ids", ids);
	json_object_object_add(o, "offset", json_object_new_uint64(p->offset));
	json_object_object_add(o, "length", json_object_new_uint64(p->length));
	json_object_object_add(o, "last", json_object_new_boolean(p->last));
	json_object_object_add(o, "checksum_fixed", json_object_new_boolean(p->checksum_fixed));
	rc_json_add_text(o, "source", p->source);
	json_object_object_add(o, "source_image", json_object_new_int((int)p->source_image));
	rc_json_add_text(o, "file", p->file_name);
	return o;
}

/* The images as a table: one row each, on @out. */
static void print_pieces(GPtrArray *pieces, gboolean verbose, FILE *out)
{
	g_autoptr(RcTextTable) table = rc_text_table_new(6);

	rc_text_table_right_align(table, 0);
	rc_text_table_right_align(table, 2);
	rc_text_table_add(
		table, "image", "offset", "length", "type", "vendor:device",
		pieces->len && ((const RcRomPiece *)g_ptr_array_index(pieces, 0))->file_name
			? "file"
		: verbose ? "from, flag"
			  : "from",
		(char *)NULL);
	for (guint i = 0; i < pieces->len; i++) {
		const RcRomPiece *p = g_ptr_array_index(pieces, i);
		g_autofree char *from = rc_text_visible(p->file_name ? p->file_name : p->source);

		rc_text_table_add_take(
			table, g_strdup_printf("%u", i + 1),
			g_strdup_printf("0x%05" G_GINT64_MODIFIER "x", p->offset),
			g_strdup_printf("%" G_GUINT64_FORMAT " bytes", p->length),
			rc_rom_piece_kind(p),
			g_strdup_printf("%04x:%04x", p->vendor_id, p->device_id),
			!verbose || p->file_name
				? g_strdup(from)
				: g_strdup_printf("%s (image %u), %s%s", from, p->source_image,
						  p->last ? "last image" : "another follows",
						  p->checksum_fixed ? ", legacy checksum fixed"
								    : ""),
			(char *)NULL);
	}
	rc_text_table_print(table, out, "  ");
}

/* The bucket of the ROM file of --like. */
static gboolean like_bucket(const char *path, guint64 *target, GError **error)
{
	g_autofree char *bytes = NULL;
	g_autoptr(RcRom) rom = NULL;
	gsize len = 0;

	if (!rc_input_read(path, "ROM file", RC_ROM_SET_MAX_FILE_BYTES, &bytes, &len, error)) {
		g_prefix_error(error, "--like: ");
		return FALSE;
	}
	rom = rc_rom_parse((const guint8 *)bytes, len, path, error);
	if (!rom) {
		g_prefix_error(error, "--like: ");
		return FALSE;
	}
	*target = rc_rom_bucket(len);
	return TRUE;
}

/* The target bucket of --bucket or --like, 0 for none. */
static gboolean combine_target(const CombineOptions *o, guint64 *target, int *fill, GError **error)
{
	*fill = 0xff;
	if (o->fill_text) {
		guint64 value;

		if (!rc_parse_size(o->fill_text, &value) || value > 0xff) {
			g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
				    "--fill %s: not a byte (0 to 255, or 0x00 to 0xff)",
				    o->fill_text);
			return FALSE;
		}
		*fill = (int)value;
	}
	*target = 0;
	if (o->bucket_text && o->like) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--bucket and --like both name the target; give one of them");
		return FALSE;
	}
	if (o->bucket_text && (!rc_parse_size(o->bucket_text, target) || *target < 512 ||
			       (*target & (*target - 1)))) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--bucket %s: not a power of two of at least 512 bytes (try 256K or "
			    "0x40000)",
			    o->bucket_text);
		return FALSE;
	}
	return !o->like || like_bucket(o->like, target, error);
}

/* The result of combine, as read by people and by programs. */
typedef struct {
	const char *out;
	RcCombined *combined;
	guint64 needed;
	guint64 target;
	guint64 size;
	gboolean fits;
} CombineResult;

static json_object *combine_json(const CombineResult *r)
{
	json_object *doc = json_object_new_object();
	json_object *images = json_object_new_array();

	rc_json_add_text(doc, "out", r->out);
	json_object_object_add(doc, "written", json_object_new_boolean(r->fits));
	json_object_object_add(doc, "images_need", json_object_new_uint64(r->needed));
	json_object_object_add(doc, "target", r->target ? json_object_new_uint64(r->target) : NULL);
	json_object_object_add(doc, "fits", json_object_new_boolean(r->fits));
	json_object_object_add(doc, "excess",
			       json_object_new_uint64(r->fits ? 0 : r->needed - r->target));
	json_object_object_add(doc, "size", r->fits ? json_object_new_uint64(r->size) : NULL);
	json_object_object_add(doc, "bucket",
			       r->fits ? json_object_new_uint64(rc_rom_bucket(r->size)) : NULL);
	for (guint i = 0; i < r->combined->pieces->len; i++)
		json_object_array_add(images,
				      piece_json(g_ptr_array_index(r->combined->pieces, i), i));
	json_object_object_add(doc, "images", images);
	return doc;
}

static void print_combine(const CombineResult *r, const CombineOptions *o)
{
	FILE *out = o->common.text;
	g_autofree char *name = rc_text_visible(r->out);
	g_autofree char *need = rc_format_size(r->needed);
	guint n = r->combined->pieces->len;

	if (!o->common.quiet) {
		print_pieces(r->combined->pieces, o->common.verbose, out);
		fputc('\n', out);
	}
	if (!r->fits) {
		g_autofree char *bucket = rc_format_bucket(r->target);

		fprintf(out,
			"%s not written: its %u images need %s, %" G_GUINT64_FORMAT
			" bytes more than the %s bucket; drop an image or choose a larger bucket\n",
			name, n, need, r->needed - r->target, bucket);
	} else {
		g_autofree char *size = rc_format_size(r->size);
		g_autofree char *bucket = rc_format_bucket(rc_rom_bucket(r->size));

		fprintf(out, "%s: %u image%s, %s, bucket %s%s\n", name, n, n == 1 ? "" : "s", size,
			bucket, r->size > r->needed ? " (padded)" : "");
	}
	fflush(out);
}

static GOptionContext *combine_context(CombineOptions *o, gboolean split)
{
	const GOptionEntry combine_entries[] = {
		{"out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out, "write the ROM to this file",
		 "FILE"},
		{"bucket", 0, 0, G_OPTION_ARG_STRING, &o->bucket_text,
		 "pad to this bucket (a power of two: 256K, 0x40000); exit 1 if it does not fit",
		 "SIZE"},
		{"like", 0, 0, G_OPTION_ARG_FILENAME, &o->like,
		 "pad to the bucket of this ROM file", "OLD.rom"},
		{"fill", 0, 0, G_OPTION_ARG_STRING, &o->fill_text,
		 "pad with this byte (default 0xff)", "BYTE"},
		G_OPTION_ENTRY_NULL,
	};
	const GOptionEntry split_entries[] = {
		{"out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out,
		 "write the images into this directory (made when missing)", "DIR"},
		G_OPTION_ENTRY_NULL,
	};
	const GOptionEntry json_entry[] = {
		RC_OPTION_JSON(&o->json, "a JSON document"),
		G_OPTION_ENTRY_NULL,
	};
	GOptionContext *ctx = rc_command_context(
		split ? "split" : "combine", split ? "ROM" : "IMAGE...",
		split ? "Write each image of a PCI option ROM to a file of its own."
		      : "Make one multi-image PCI option ROM from per-architecture images.",
		&o->common);

	g_option_context_add_main_entries(ctx, split ? split_entries : combine_entries, NULL);
	g_option_context_add_main_entries(ctx, json_entry, NULL);
	g_option_context_set_description(
		ctx,
		split ? "Files: x86-legacy.rom, x86_64-efi.efirom, arm64-efi.efirom,\n"
			"riscv64-efi.efirom, loong64-efi.efirom (a second image of a kind: -2).\n"
			"Existing files are never overwritten. -v: each image's flag and checksum.\n"
			"Exit status: 0 written, 2 bad input, 3 the files could not be written."
		      : "IMAGE is an x86 legacy .rom, an EFI .efirom or a multi-image ROM, in the\n"
			"order the images are to go; one image per architecture, one PCI device.\n"
			"-v: whether each image's last-image flag or checksum changed.\n"
			"Exit status: 0 written, 1 the images do not fit the bucket of --bucket or\n"
			"--like (nothing written), 2 bad input, 3 the ROM could not be written.");
	return ctx;
}

/* Read every IMAGE and combine them; NULL with @error naming the bad one. */
static RcCombined *combine_files(int argc, char **argv, GError **error)
{
	g_autoptr(GArray) files = g_array_new(FALSE, TRUE, sizeof(InputFile));
	g_autoptr(GArray) inputs = g_array_new(FALSE, TRUE, sizeof(RcCombineInput));

	g_array_set_clear_func(files, input_file_clear);
	g_array_set_size(files, (guint)argc - 1);
	for (int i = 1; i < argc; i++) {
		InputFile *f = &g_array_index(files, InputFile, (guint)i - 1);

		if (!read_image(argv[i], f, error))
			return NULL;
		g_array_append_val(inputs,
				   ((RcCombineInput){f->path, (const guint8 *)f->bytes, f->len}));
	}
	return rc_combine((const RcCombineInput *)(const void *)inputs->data, inputs->len, error);
}

/**
 * rc_cmd_combine() - `romcompat combine`: a multi-image ROM from images
 * @argc:	argument count (argv[0] is "combine")
 * @argv:	-o FILE [--bucket SIZE | --like OLD.rom] [--fill BYTE] [--json FILE]
 *		[-q | -v] IMAGE...
 * @exit_status: 0 written, 1 the images do not fit the target bucket
 * @error:	set for a usage error, a bad image or a failed write
 *
 * Return: TRUE when the images were judged (written, or found too big)
 */
gboolean rc_cmd_combine(int argc, char **argv, int *exit_status, GError **error)
{
	g_auto(CombineOptions) o = {0};
	g_autoptr(GOptionContext) ctx = combine_context(&o, FALSE);
	g_autoptr(RcCombined) combined = NULL;
	g_autoptr(GBytes) padded = NULL;
	g_autoptr(json_object) doc = NULL;
	CombineResult r = {0};
	int fill;

	if (!rc_command_parse_options(ctx, &o.common, &argc, &argv, error) ||
	    !check_json(&o, error))
		return FALSE;
	if (argc < 2 || !o.out) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "combine: give -o FILE and at least one IMAGE (see 'romcompat combine "
			    "--help')");
		return FALSE;
	}
	if (!check_rom_out(o.out, error) || !combine_target(&o, &r.target, &fill, error) ||
	    !(combined = combine_files(argc, argv, error)))
		return FALSE;
	r.out = o.out;
	r.combined = combined;
	r.needed = r.size = g_bytes_get_size(combined->data);
	r.fits = !r.target || r.needed <= r.target;
	if (r.fits && r.target) {
		padded = rc_combine_pad(combined->data, r.target, (guint8)fill);
		r.size = r.target;
	}
	if (r.fits &&
	    !rc_output_write(o.out, "ROM", bytes_write_fn, padded ? padded : combined->data, error))
		return FALSE;
	doc = combine_json(&r);
	if (!write_json(doc, o.json, error))
		return FALSE;
	print_combine(&r, &o);
	*exit_status = r.fits ? RC_EXIT_COMPATIBLE : RC_EXIT_INCOMPATIBLE;
	return TRUE;
}

/* No file of @pieces may exist in @dir yet: refuse before writing any. */
static gboolean check_free(GPtrArray *pieces, const char *dir, GError **error)
{
	for (guint i = 0; i < pieces->len; i++) {
		const RcRomPiece *p = g_ptr_array_index(pieces, i);
		g_autofree char *path = g_build_filename(dir, p->file_name, NULL);
		struct stat st;

		if (lstat(path, &st) == 0) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "split: %s exists; remove it or choose another --out (split "
				    "never overwrites a file)",
				    path);
			return FALSE;
		}
	}
	return TRUE;
}

/* Each image into a new file of @dir: created, never replaced. */
static gboolean write_pieces(GPtrArray *pieces, const char *dir, GError **error)
{
	if (g_mkdir_with_parents(dir, 0755) < 0) {
		int e = errno;

		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "--out %s: cannot make the directory: %s (choose another --out)", dir,
			    g_strerror(e));
		return FALSE;
	}
	if (!check_free(pieces, dir, error))
		return FALSE;
	for (guint i = 0; i < pieces->len; i++) {
		const RcRomPiece *p = g_ptr_array_index(pieces, i);
		g_autofree char *path = g_build_filename(dir, p->file_name, NULL);
		gsize len;
		const guint8 *bytes = g_bytes_get_data(p->data, &len);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		gboolean ok = fd >= 0 && write(fd, bytes, len) == (ssize_t)len;
		int e = errno;

		if (fd >= 0 && close(fd) != 0 && ok) {
			ok = FALSE;
			e = errno;
		}
		if (!ok) {
			g_set_error(error, RC_ERROR, e == EEXIST ? RC_ERROR_INPUT : RC_ERROR_INFRA,
				    "cannot write %s: %s (free some space or choose another --out)",
				    path, g_strerror(e));
			return FALSE;
		}
	}
	return TRUE;
}

static json_object *split_json(const char *rom, const char *dir, GPtrArray *pieces)
{
	json_object *doc = json_object_new_object();
	json_object *images = json_object_new_array();

	rc_json_add_text(doc, "rom", rom);
	rc_json_add_text(doc, "out", dir);
	for (guint i = 0; i < pieces->len; i++) {
		const RcRomPiece *p = g_ptr_array_index(pieces, i);
		json_object *o = piece_json(p, i);
		g_autofree char *path = g_build_filename(dir, p->file_name, NULL);

		rc_json_add_text(o, "path", path);
		json_object_array_add(images, o);
	}
	json_object_object_add(doc, "images", images);
	return doc;
}

/**
 * rc_cmd_split() - `romcompat split`: each image of a ROM into a file
 * @argc:	argument count (argv[0] is "split")
 * @argv:	-o DIR [--json FILE] [-q | -v] ROM
 * @exit_status: 0 written
 * @error:	set for a usage error, a bad ROM, a file that exists already or
 *		a failed write
 *
 * Return: TRUE when every image was written
 */
gboolean rc_cmd_split(int argc, char **argv, int *exit_status, GError **error)
{
	g_auto(CombineOptions) o = {0};
	g_autoptr(GOptionContext) ctx = combine_context(&o, TRUE);
	g_autoptr(GPtrArray) pieces = NULL;
	g_autoptr(json_object) doc = NULL;
	g_autofree char *rom = NULL;
	g_autofree char *dir = NULL;
	InputFile f = {0};
	FILE *out;

	if (!rc_command_parse_options(ctx, &o.common, &argc, &argv, error) ||
	    !check_json(&o, error))
		return FALSE;
	if (argc != 2 || !o.out) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "split: give one ROM and -o DIR (see 'romcompat split --help')");
		return FALSE;
	}
	if (read_image(argv[1], &f, error)) {
		RcCombineInput in = {f.path, (const guint8 *)f.bytes, f.len};

		pieces = rc_split(&in, error);
	}
	input_file_clear(&f);
	if (!pieces || !write_pieces(pieces, o.out, error))
		return FALSE;
	doc = split_json(argv[1], o.out, pieces);
	if (!write_json(doc, o.json, error))
		return FALSE;
	out = o.common.text;
	if (!o.common.quiet) {
		print_pieces(pieces, o.common.verbose, out);
		fputc('\n', out);
	}
	rom = rc_text_visible(argv[1]);
	dir = rc_text_visible(o.out);
	fprintf(out, "%s: %u image%s written to %s\n", rom, pieces->len,
		pieces->len == 1 ? "" : "s", dir);
	fflush(out);
	*exit_status = RC_EXIT_COMPATIBLE;
	return TRUE;
}
