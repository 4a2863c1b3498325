/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_saved.c - `romcompat saved [OPTIONS] FILE|DIR...`: will saved VM
 * states (QMP migrate to a file, libvirt save images and managed saves,
 * qcow2 internal snapshots) restore with new ROMs?  Each state is read as
 * far as its RAM block table; every block the new host gives another
 * length is named, with what would save it.
 *
 * Exit status: 2 a new ROM file a NIC or display device loads is not a
 * usable option ROM; else 1 a state will not restore; else 3 one could not
 * be checked (QEMU could not run); else 2 a named input is not a readable
 * saved state (or none was found); else 0.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/error.h"
#include "base/input.h"
#include "base/jsonutil.h"
#include "base/markup.h"
#include "base/output.h"
#include "base/texttable.h"
#include "base/trace.h"
#include "base/units.h"
#include "cli/commands.h"
#include "matrix/romuse.h"
#include "matrix/backend.h"
#include "matrix/savedcheck.h"
#include "matrix/savedload.h"
#include "qemu/discover.h"
#include "qemu/qemu_binary.h"
#include "qemu/savedstate.h"
#include "rom/romset.h"
#include "sources/stateimage.h"

#define DEFAULT_NEW_ROMS "/usr/lib/ipxe/qemu"
/* Files of one directory looked at, at most. */
#define DIR_MAX_FILES 100000

typedef struct {
	char *new_roms;
	char *new_qemu;
	char *machine;
	char *arch;
	char *snapshot;
	gboolean static_only;
	char *json;
	char *junit;
	char *backend_name;
	char *connect;
	RcBackend backend; /* libvirt: libvirt save images restored through it */
	RcCommonOptions common;
	GHashTable *catalogs; /* arch -> RcCatalog, or an absent value */
	GPtrArray *checks;    /* RcSavedCheck */
	GPtrArray *skipped;   /* char *: "FILE: why" */
	guint unreadable;
	guint bad_roms;
} SavedRun;

static void saved_run_clear(SavedRun *r)
{
	g_free(r->new_roms);
	g_free(r->new_qemu);
	g_free(r->machine);
	g_free(r->arch);
	g_free(r->snapshot);
	g_free(r->json);
	g_free(r->junit);
	g_free(r->backend_name);
	g_free(r->connect);
	rc_backend_clear(&r->backend);
	if (r->catalogs)
		g_hash_table_unref(r->catalogs);
	if (r->checks)
		g_ptr_array_unref(r->checks);
	if (r->skipped)
		g_ptr_array_unref(r->skipped);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SavedRun, saved_run_clear)

static char *qemu_for(const SavedRun *r, const char *arch)
{
	return r->new_qemu ? g_strdup(r->new_qemu) : g_strdup_printf("qemu-system-%s", arch);
}

/* The new QEMU's catalog for @arch, loaded once (NULL: none, @error set once). */
static const RcCatalog *catalog_for(SavedRun *r, const char *arch, GError **error)
{
	RcCatalog *catalog;
	g_autofree char *qemu = NULL;

	if (g_hash_table_lookup_extended(r->catalogs, arch, NULL, (gpointer *)&catalog))
		return catalog;
	qemu = qemu_for(r, arch);
	if (r->static_only && !r->new_qemu) {
		/* No QEMU runs: the shipped catalog of the architecture. */
		if (!(catalog = rc_shipped_catalog(arch)))
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "no shipped catalog for %s: give --new-qemu, or drop --static",
				    arch);
	} else {
		catalog = rc_catalog_for_qemu(qemu, NULL, error);
	}
	g_hash_table_insert(r->catalogs, g_strdup(arch), catalog);
	return catalog;
}

/* Where the new QEMU finds the files the new set lacks: its catalog's
 * search path against the binary's directory (not run: with --static and
 * no --new-qemu it is only looked up on PATH). NULL: unknown, *@why says. */
static GStrv installed_dirs(const SavedRun *r, const RcCatalog *catalog, const char *arch,
			    char **why)
{
	g_autofree char *qemu = qemu_for(r, arch);
	g_autofree char *binary = rc_qemu_find_binary(qemu, NULL);
	g_autoptr(GError) local = NULL;
	GStrv dirs = rc_catalog_search_dirs(catalog, binary, &local);

	if (!dirs)
		*why = g_strdup(local->message);
	return dirs;
}

static void unreadable(SavedRun *r, RcSavedCheck *c, GError *error)
{
	rc_print_error(error);
	c->verdict = RC_SAVED_UNREADABLE;
	g_free(c->message);
	c->message = g_strdup(error->message);
	r->unreadable++;
}

/* The state's new lengths: predicted, or read back from the new QEMU. */
static void check_blocks(SavedRun *r, RcSavedCheck *c, RcStateImage *img,
			 const RcStateSnapshot *snap)
{
	g_autoptr(GError) error = NULL;
	const RcCatalog *catalog = catalog_for(r, c->arch, &error);
	g_autofree char *qemu = NULL;
	g_auto(GStrv) installed = NULL;
	g_autofree char *why = NULL;

	if (!catalog && g_hash_table_size(r->catalogs) && !error)
		g_set_error(&error, RC_ERROR, RC_ERROR_INFRA,
			    "no catalog of the new QEMU for %s: see the error above", c->arch);
	if (!catalog) {
		c->evidence = RC_SAVED_NONE;
		c->message = g_strdup(error->message);
		rc_print_error(error);
		rc_saved_check_conclude(c);
		return;
	}
	installed = installed_dirs(r, catalog, c->arch, &why);
	rc_saved_check_predict(c, catalog, r->new_roms, (const char *const *)installed, why);
	if (r->static_only)
		return;
	qemu = qemu_for(r, c->arch);
	if (r->backend.libvirt && rc_state_image_format(img) == RC_STATE_LIBVIRT
		    ? !rc_saved_restore(c, &r->backend, r->new_roms, img, &error)
		    : !rc_saved_load(c, qemu, r->new_roms,
				     strcmp(r->new_roms, DEFAULT_NEW_ROMS) != 0 ? DEFAULT_NEW_ROMS
										: NULL,
				     img, snap, &error)) {
		c->evidence = RC_SAVED_NONE;
		g_free(c->message);
		c->message = g_strdup(error->message);
		rc_print_error(error);
	}
	rc_saved_check_conclude(c);
}

static void check_stream(SavedRun *r, RcStateImage *img, const RcStateSnapshot *snap)
{
	g_autoptr(GError) error = NULL;
	RcSavedCheck *c = rc_saved_check_new(rc_state_image_label(img), rc_state_image_format(img),
					     snap ? snap->name : NULL);
	g_autoptr(RcStateStream) stream = NULL;
	g_autoptr(RcSavedState) state = NULL;
	g_autofree char *label =
		snap ? g_strdup_printf("%s (snapshot %s)", c->path, snap->name) : g_strdup(c->path);

	g_ptr_array_add(r->checks, c);
	stream = rc_state_stream_open(img, snap, &error);
	if (!stream && g_error_matches(error, RC_ERROR, RC_ERROR_INFRA)) {
		/* A decompressor missing here: the state is fine, this host cannot tell. */
		rc_print_error(error);
		c->evidence = RC_SAVED_NONE;
		c->message = g_strdup(error->message);
		rc_saved_check_conclude(c);
		return;
	}
	if (stream)
		state = rc_saved_state_parse(stream, label, &error);
	c->bytes_read = rc_state_image_bytes_read(img);
	rc_trace("saved: %s: %" G_GUINT64_FORMAT " bytes read up to its RAM block table", label,
		 c->bytes_read);
	if (!state || !rc_saved_check_describe(c, state, rc_state_image_xml(img), r->machine,
					       r->arch, &error)) {
		unreadable(r, c, error);
		return;
	}
	check_blocks(r, c, img, snap);
}

static void check_file(SavedRun *r, const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcStateImage) img = rc_state_image_open(path, &error);
	GPtrArray *snaps;
	guint found = 0;

	if (!img) {
		RcSavedCheck *c = rc_saved_check_new(path, RC_STATE_RAW, NULL);

		g_ptr_array_add(r->checks, c);
		unreadable(r, c, error);
		return;
	}
	snaps = rc_state_image_snapshots(img);
	if (!snaps) {
		check_stream(r, img, NULL);
		return;
	}
	for (guint i = 0; i < snaps->len; i++) {
		const RcStateSnapshot *s = g_ptr_array_index(snaps, i);

		if (r->snapshot
			    ? strcmp(s->name, r->snapshot) != 0 && strcmp(s->id, r->snapshot) != 0
			    : s->vm_state_size == 0)
			continue;
		found++;
		check_stream(r, img, s);
	}
	if (!found)
		g_ptr_array_add(r->skipped,
				g_strdup_printf("%s: %s", path,
						r->snapshot ? "no snapshot of that name"
							    : "no snapshot with a VM state"));
}

/* Whether a file starts like a saved state (else a directory skips it). */
static gboolean looks_saved(const char *path)
{
	guint8 head[16] = {0};
	int fd = rc_input_open(path, "file", RC_INPUT_FILE, NULL, NULL);
	gssize n;

	if (fd < 0)
		return FALSE;
	n = rc_input_read_fd(fd, head, sizeof(head));
	close(fd);
	return n >= 4 && (memcmp(head, "QEVM", 4) == 0 || memcmp(head, "QFI\xfb", 4) == 0 ||
			  (n == 16 && memcmp(head, "LibvirtQemud", 12) == 0));
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_dir(SavedRun *r, const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = g_dir_open(path, 0, &error);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (!dir) {
		RcSavedCheck *c = rc_saved_check_new(path, RC_STATE_RAW, NULL);

		g_ptr_array_add(r->checks, c);
		g_prefix_error(&error, "saved states directory: ");
		unreadable(r, c, error);
		return;
	}
	while (dir && (name = g_dir_read_name(dir)) && names->len < DIR_MAX_FILES)
		g_ptr_array_add(names, g_build_filename(path, name, NULL));
	g_ptr_array_sort(names, compare_names);
	for (guint i = 0; i < names->len; i++) {
		const char *file = g_ptr_array_index(names, i);

		if (g_file_test(file, G_FILE_TEST_IS_REGULAR) && looks_saved(file))
			check_file(r, file);
		else
			g_ptr_array_add(r->skipped,
					g_strdup_printf("%s: not a saved VM state", file));
	}
}

static void check_operand(SavedRun *r, const char *path)
{
	g_autoptr(GError) error = NULL;
	struct stat st;

	if (!rc_input_check(path, "saved state", RC_INPUT_FILE_OR_DIR, &st, &error)) {
		RcSavedCheck *c = rc_saved_check_new(path, RC_STATE_RAW, NULL);

		g_ptr_array_add(r->checks, c);
		unreadable(r, c, error);
		return;
	}
	if (S_ISDIR(st.st_mode))
		check_dir(r, path);
	else
		check_file(r, path);
}

/* The error of a new ROM file that cannot be used (unreadable, truncated,
 * a malformed build), or NULL; each file read once (@seen). */
static const char *rom_problem(SavedRun *r, GHashTable *seen, const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = NULL;
	const char *known;

	if (g_hash_table_lookup_extended(seen, path, NULL, (gpointer *)&known))
		return known;
	set = rc_rom_set_load(path, &error);
	if (set && !error)
		error = rc_rom_set_errors_summary(set);
	if (error) {
		rc_print_error(error);
		r->bad_roms++;
	}
	g_hash_table_insert(seen, g_strdup(path), error ? g_strdup(error->message) : NULL);
	return g_hash_table_lookup(seen, path);
}

/* A verdict is never drawn from a new ROM file that is not a usable
 * option ROM: the states whose blocks come from one get none. */
static void check_new_roms(SavedRun *r)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (guint i = 0; i < r->checks->len; i++) {
		RcSavedCheck *c = g_ptr_array_index(r->checks, i);

		for (guint j = 0; j < c->blocks->len; j++) {
			RcSavedBlock *b = g_ptr_array_index(c->blocks, j);
			g_autofree char *path = NULL;
			const char *why;

			if (!b->rom || b->xml_rom || !b->new_rom_size || b->firmware ||
			    !b->in_new_set)
				continue;
			path = g_build_filename(r->new_roms, b->rom, NULL);
			if (!(why = rom_problem(r, seen, path)))
				continue;
			b->verdict = RC_SAVED_BLOCK_UNKNOWN;
			c->verdict = RC_SAVED_UNCHECKED;
			g_free(c->message);
			c->message = g_strdup_printf("no verdict: %s", why);
		}
	}
}

static guint count(const SavedRun *r, RcSavedVerdict verdict)
{
	guint n = 0;

	for (guint i = 0; i < r->checks->len; i++)
		n += ((const RcSavedCheck *)g_ptr_array_index(r->checks, i))->verdict == verdict;
	return n;
}

static guint states(const SavedRun *r)
{
	return r->checks->len - count(r, RC_SAVED_UNREADABLE);
}

static char *state_name(const RcSavedCheck *c)
{
	g_autofree char *path = rc_text_visible(c->path);
	g_autofree char *snap = c->snapshot ? rc_text_visible(c->snapshot) : NULL;

	return snap ? g_strdup_printf("%s (snapshot %s)", path, snap) : g_steal_pointer(&path);
}

static char *length_text(gboolean has, guint64 v)
{
	return has ? g_strdup_printf("0x%" G_GINT64_MODIFIER "x", v) : g_strdup("-");
}

static void print_blocks(const RcSavedCheck *c, gboolean all, FILE *out)
{
	g_autoptr(RcTextTable) t = rc_text_table_new(5);

	rc_text_table_add(t, "block", "saved", "new", "ROM", "verdict", (char *)NULL);
	for (guint i = 0; i < c->blocks->len; i++) {
		const RcSavedBlock *b = g_ptr_array_index(c->blocks, i);

		if (!all && !b->model && !b->firmware && b->verdict != RC_SAVED_BLOCK_CHANGED &&
		    b->verdict != RC_SAVED_BLOCK_MISSING)
			continue;
		rc_text_table_add_take(
			t, rc_text_visible(b->id), length_text(TRUE, b->saved_length),
			length_text(b->has_new, b->new_length), g_strdup(b->rom ? b->rom : "-"),
			g_strdup(rc_saved_block_verdict_to_string(b->verdict)), (char *)NULL);
	}
	rc_text_table_print(t, out, "    ");
}

static void print_remedies(const RcSavedCheck *c, FILE *out)
{
	for (guint i = 0; i < c->blocks->len; i++) {
		const RcSavedBlock *b = g_ptr_array_index(c->blocks, i);
		g_autofree char *id = NULL;
		g_autofree char *fix = NULL;
		g_autofree char *now = NULL;

		if (b->verdict != RC_SAVED_BLOCK_CHANGED && b->verdict != RC_SAVED_BLOCK_MISSING)
			continue;
		id = rc_text_visible(b->id);
		fix = rc_saved_block_remedy(b);
		now = b->has_new ? g_strdup_printf("0x%" G_GINT64_MODIFIER "x", b->new_length)
				 : g_strdup("no such block");
		fprintf(out, "    %s: 0x%" G_GINT64_MODIFIER "x saved, %s on the new host; %s\n",
			id, b->saved_length, now, fix);
	}
}

static void print_mitigated(const RcSavedCheck *c, FILE *out)
{
	g_autofree char *msg = c->mitigated_message ? rc_text_visible(c->mitigated_message) : NULL;

	if (c->mitigated == RC_SAVED_LOADED)
		fprintf(out, "    proven: with these, the new QEMU loaded the state\n");
	else if (c->mitigated == RC_SAVED_REFUSED)
		fprintf(out, "    with these, the new QEMU still refused the state: %s\n", msg);
	else if (msg)
		fprintf(out,
			"    with these, the new QEMU took the RAM blocks; the load then stopped "
			"(not proven): %s\n",
			msg);
}

static void print_state(const RcSavedCheck *c, gboolean verbose, FILE *out)
{
	g_autofree char *name = state_name(c);
	g_autofree char *msg = c->message ? rc_text_visible(c->message) : NULL;

	if (c->verdict == RC_SAVED_UNREADABLE || !c->machine) {
		fprintf(out, "%s: %s: %s\n", name, rc_saved_verdict_to_string(c->verdict),
			msg ? msg : "");
		return;
	}
	fprintf(out, "%s (%s, machine %s, %s): %s (%s)\n", name,
		rc_state_format_to_string(c->format), c->machine, c->arch,
		rc_saved_verdict_to_string(c->verdict), rc_saved_evidence_to_string(c->evidence));
	if (msg)
		fprintf(out, "    %s\n", msg);
	print_blocks(c, verbose, out);
	print_remedies(c, out);
	print_mitigated(c, out);
}

static char *verdict_line(const SavedRun *r)
{
	if (states(r) == 0)
		return g_strdup("No saved VM state found.");
	return g_strdup_printf("%u of %u saved states will not restore with the new ROMs%s",
			       count(r, RC_SAVED_WILL_NOT_RESTORE), states(r),
			       r->static_only ? " (predicted from file sizes; no QEMU started)"
					      : "");
}

static void print_text(const SavedRun *r, FILE *out)
{
	g_autofree char *line = verdict_line(r);

	if (!r->common.quiet) {
		for (guint i = 0; i < r->checks->len; i++)
			print_state(g_ptr_array_index(r->checks, i), r->common.verbose, out);
		for (guint i = 0; i < r->skipped->len; i++) {
			g_autofree char *s = rc_text_visible(g_ptr_array_index(r->skipped, i));

			fprintf(out, "skipped %s\n", s);
		}
	}
	fprintf(out, "%s\n", line);
	fflush(out);
}

static json_object *block_json(const RcSavedBlock *b)
{
	json_object *o = json_object_new_object();

	rc_json_add_text(o, "id", b->id);
	json_object_object_add(o, "saved_length", json_object_new_uint64(b->saved_length));
	json_object_object_add(o, "new_length",
			       b->has_new ? json_object_new_uint64(b->new_length) : NULL);
	rc_json_add_text(o, "rom", b->rom);
	rc_json_add_text(o, "model", b->model);
	json_object_object_add(
		o, "verdict", json_object_new_string(rc_saved_block_verdict_to_string(b->verdict)));
	json_object_object_add(o, "evidence",
			       json_object_new_string(rc_saved_evidence_to_string(b->evidence)));
	if (b->verdict == RC_SAVED_BLOCK_CHANGED || b->verdict == RC_SAVED_BLOCK_MISSING) {
		g_autofree char *fix = rc_saved_block_remedy(b);

		rc_json_add_text(o, "remedy", fix);
	}
	return o;
}

static json_object *state_json(const RcSavedCheck *c)
{
	json_object *o = json_object_new_object();
	json_object *blocks = json_object_new_array();

	rc_json_add_text(o, "path", c->path);
	json_object_object_add(o, "format",
			       json_object_new_string(rc_state_format_to_string(c->format)));
	rc_json_add_text(o, "snapshot", c->snapshot);
	rc_json_add_text(o, "machine", c->machine);
	rc_json_add_text(o, "arch", c->arch);
	json_object_object_add(o, "verdict",
			       json_object_new_string(rc_saved_verdict_to_string(c->verdict)));
	json_object_object_add(o, "evidence",
			       json_object_new_string(rc_saved_evidence_to_string(c->evidence)));
	rc_json_add_text(o, "message", c->message);
	json_object_object_add(o, "bytes_read", json_object_new_uint64(c->bytes_read));
	if (c->mitigated != RC_SAVED_NONE || c->mitigated_message) {
		json_object *m = json_object_new_object();

		json_object_object_add(
			m, "evidence",
			json_object_new_string(rc_saved_evidence_to_string(c->mitigated)));
		rc_json_add_text(m, "message", c->mitigated_message);
		json_object_object_add(o, "mitigation", m);
	}
	for (guint i = 0; i < c->blocks->len; i++)
		json_object_array_add(blocks, block_json(g_ptr_array_index(c->blocks, i)));
	json_object_object_add(o, "blocks", blocks);
	return o;
}

static gboolean write_json(const SavedRun *r, GError **error)
{
	g_autoptr(json_object) doc = json_object_new_object();
	json_object *list = json_object_new_array();
	json_object *summary = json_object_new_object();
	json_object *skipped = json_object_new_array();

	for (guint i = 0; i < r->checks->len; i++)
		json_object_array_add(list, state_json(g_ptr_array_index(r->checks, i)));
	json_object_object_add(doc, "states", list);
	json_object_object_add(summary, "total", json_object_new_int((int)states(r)));
	json_object_object_add(summary, "will_not_restore",
			       json_object_new_int((int)count(r, RC_SAVED_WILL_NOT_RESTORE)));
	json_object_object_add(summary, "unchecked",
			       json_object_new_int((int)count(r, RC_SAVED_UNCHECKED)));
	json_object_object_add(summary, "unreadable", json_object_new_int((int)r->unreadable));
	json_object_object_add(summary, "skipped", json_object_new_int((int)r->skipped->len));
	json_object_object_add(doc, "summary", summary);
	for (guint i = 0; i < r->skipped->len; i++)
		json_object_array_add(skipped, rc_json_text_new(g_ptr_array_index(r->skipped, i)));
	json_object_object_add(doc, "skipped", skipped);
	json_object_object_add(doc, "static", json_object_new_boolean(r->static_only));
	return rc_command_write_json(doc, r->json, error);
}

static void junit_case(GString *x, const RcSavedCheck *c)
{
	g_autofree char *name =
		c->snapshot ? g_strdup_printf("%s#%s", c->path, c->snapshot) : g_strdup(c->path);
	const char *element = c->verdict == RC_SAVED_WILL_NOT_RESTORE ? "failure"
			      : c->verdict == RC_SAVED_RESTORES	      ? NULL
								      : "error";
	GString *details = g_string_new(NULL);

	g_string_append(x, "    <testcase classname=\"");
	rc_markup_append(x, c->machine ? c->machine : "saved", TRUE);
	g_string_append(x, "\" name=\"");
	rc_markup_append(x, name, TRUE);
	if (!element) {
		g_string_append(x, "\"/>\n");
		g_string_free(details, TRUE);
		return;
	}
	for (guint i = 0; i < c->blocks->len; i++) {
		const RcSavedBlock *b = g_ptr_array_index(c->blocks, i);

		if (b->verdict == RC_SAVED_BLOCK_CHANGED || b->verdict == RC_SAVED_BLOCK_MISSING)
			g_string_append_printf(details, "%s: saved 0x%" G_GINT64_MODIFIER "x, %s\n",
					       b->id, b->saved_length,
					       rc_saved_block_verdict_to_string(b->verdict));
	}
	g_string_append_printf(x, "\">\n      <%s message=\"", element);
	rc_markup_append(x, rc_saved_verdict_to_string(c->verdict), TRUE);
	g_string_append(x, "\">");
	rc_markup_append(x, c->message ? c->message : details->str, FALSE);
	g_string_append_printf(x, "</%s>\n    </testcase>\n", element);
	g_string_free(details, TRUE);
}

static gboolean write_junit_file(FILE *out, gconstpointer data)
{
	return fputs(data, out) >= 0;
}

static gboolean write_junit(const SavedRun *r, GError **error)
{
	g_autoptr(GString) x = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

	g_string_append_printf(x,
			       "<testsuites>\n  <testsuite name=\"romcompat saved\" tests=\"%u\" "
			       "failures=\"%u\" errors=\"%u\">\n",
			       r->checks->len, count(r, RC_SAVED_WILL_NOT_RESTORE),
			       count(r, RC_SAVED_UNCHECKED) + count(r, RC_SAVED_UNREADABLE));
	for (guint i = 0; i < r->checks->len; i++)
		junit_case(x, g_ptr_array_index(r->checks, i));
	g_string_append(x, "  </testsuite>\n</testsuites>\n");
	return rc_output_write(r->junit, "JUnit report", write_junit_file, x->str, error);
}

static int exit_status(const SavedRun *r)
{
	if (r->bad_roms)
		return RC_EXIT_INPUT; /* no verdict from a broken build */
	if (count(r, RC_SAVED_WILL_NOT_RESTORE))
		return RC_EXIT_INCOMPATIBLE;
	if (count(r, RC_SAVED_UNCHECKED))
		return RC_EXIT_INFRA;
	if (r->unreadable || states(r) == 0)
		return RC_EXIT_INPUT;
	return RC_EXIT_COMPATIBLE;
}

static GOptionContext *saved_context(SavedRun *r)
{
	const GOptionEntry entries[] = {
		{"new", 0, 0, G_OPTION_ARG_FILENAME, &r->new_roms,
		 "the new ROM files (default " DEFAULT_NEW_ROMS ")", "DIR"},
		{"new-qemu", 0, 0, G_OPTION_ARG_FILENAME, &r->new_qemu,
		 "the new QEMU (default qemu-system-ARCH)", "QEMU"},
		{"machine", 0, 0, G_OPTION_ARG_STRING, &r->machine,
		 "machine type of states whose stream names none", "TYPE"},
		{"arch", 0, 0, G_OPTION_ARG_STRING, &r->arch,
		 "architecture of states with no domain XML (default: the host's)", "ARCH"},
		{"snapshot", 0, 0, G_OPTION_ARG_STRING, &r->snapshot,
		 "only this qcow2 snapshot (name or id)", "NAME"},
		{"static", 0, 0, G_OPTION_ARG_NONE, &r->static_only,
		 "predict from ROM file sizes; start no QEMU", NULL},
		{"backend", 0, 0, G_OPTION_ARG_STRING, &r->backend_name,
		 "direct (default: QEMU processes) or libvirt (libvirt save images restored "
		 "by libvirt from a copy)",
		 "B"},
		{"connect", 0, 0, G_OPTION_ARG_STRING, &r->connect,
		 "libvirt connection URI (default qemu:///session)", "URI"},
		RC_OPTION_JSON(&r->json, "a JSON document"),
		{"junit", 0, 0, G_OPTION_ARG_FILENAME, &r->junit,
		 "write a JUnit XML report to FILE (one test case per state)", "FILE"},
		G_OPTION_ENTRY_NULL,
	};
	GOptionContext *ctx = rc_command_context(
		"saved", "FILE|DIR...", "Will saved VM states restore with new ROMs?", &r->common);

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx,
		"FILE is a migration stream (QMP migrate to a file), a libvirt save image\n"
		"(virsh save, managed save) or a qcow2 image with internal snapshots; a DIR is\n"
		"scanned (other files are listed as skipped). Nothing given is ever written.\n"
		"Exit status: 0 every state restores, 1 a state will not restore, 2 an input is\n"
		"not a readable saved state (or none was found) or a new ROM file is not a usable\n"
		"option ROM, 3 QEMU or the decompressor an image needs could not be run.");
	return ctx;
}

static gboolean parse_saved_options(SavedRun *r, int *argc, char ***argv, GError **error)
{
	char *absolute;
	g_autoptr(GOptionContext) ctx = saved_context(r);
	RcReportOption reports[2];

	if (!rc_command_parse_options(ctx, &r->common, argc, argv, error))
		return FALSE;
	reports[0] = (RcReportOption){"--json", r->json};
	reports[1] = (RcReportOption){"--junit", r->junit};
	if (!rc_command_check_reports(reports, G_N_ELEMENTS(reports), &r->common, error))
		return FALSE;
	if (*argc < 2) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "saved: name at least one saved state or directory (see 'romcompat "
			    "saved --help')");
		return FALSE;
	}
	if (r->static_only && r->backend_name && strcmp(r->backend_name, "direct") != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--static runs no QEMU, so --backend %s would run nothing; drop one "
			    "of them",
			    r->backend_name);
		return FALSE;
	}
	if (!r->new_roms)
		r->new_roms = g_strdup(DEFAULT_NEW_ROMS);
	if (!rc_input_check(r->new_roms, "ROM directory", RC_INPUT_FILE_OR_DIR, NULL, error))
		return FALSE;
	absolute = g_canonicalize_filename(r->new_roms, NULL);
	g_free(r->new_roms);
	r->new_roms = absolute;
	if (!r->arch) {
		struct utsname u;

		r->arch = g_strdup(uname(&u) == 0 ? u.machine : "x86_64");
	}
	return TRUE;
}

/* The kernel's count of every byte this process read (files, catalogs). */
static void trace_io(void)
{
	g_autofree char *io = NULL;
	const char *rchar;

	if (!rc_trace_enabled() || !g_file_get_contents("/proc/self/io", &io, NULL, NULL))
		return;
	if ((rchar = strstr(io, "rchar: ")))
		rc_trace("saved: process read %.*s bytes in all (/proc/self/io rchar)",
			 (int)strcspn(rchar + 7, "\n"), rchar + 7);
}

/**
 * rc_cmd_saved() - `romcompat saved`: will saved VM states restore
 * @argc:	argument count (argv[0] is "saved")
 * @argv:	[OPTIONS] FILE|DIR...
 * @exit_status: 0, 1, 2 or 3 (see the file's comment)
 * @error:	set for a usage error or a report that cannot be written
 *
 * Return: TRUE when the report was written
 */
gboolean rc_cmd_saved(int argc, char **argv, int *exit_status_out, GError **error)
{
	g_auto(SavedRun) r = {0};

	if (!parse_saved_options(&r, &argc, &argv, error))
		return FALSE;
	r.catalogs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   (GDestroyNotify)rc_catalog_free);
	r.checks = g_ptr_array_new_with_free_func((GDestroyNotify)rc_saved_check_free);
	r.skipped = g_ptr_array_new_with_free_func(g_free);
	if (!rc_backend_open(&r.backend, r.backend_name, r.connect, error))
		return FALSE;
	for (int i = 1; i < argc; i++)
		check_operand(&r, argv[i]);
	check_new_roms(&r);
	print_text(&r, r.common.text);
	trace_io();
	if (r.json && !write_json(&r, error))
		return FALSE;
	if (r.junit && !write_junit(&r, error))
		return FALSE;
	*exit_status_out = exit_status(&r);
	return TRUE;
}
