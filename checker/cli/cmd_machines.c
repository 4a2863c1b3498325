/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_machines.c - "romcompat machines": a QEMU binary's machine types and
 * the ROM file each PCI NIC model loads on each, read back from QEMU and
 * written as a catalog (docs/catalog.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "qemu/catalog.h"
#include "cli/commands.h"
#include "qemu/discover.h"
#include "base/error.h"
#include "base/output.h"
#include "qemu/qemu_process.h"

/* A machine type's display ROMs and firmware blocks, one line, when it has any. */
static void print_devices(FILE *out, const RcCatalogMachine *m)
{
	g_autoptr(GString) line = g_string_new(NULL);
	guint displays = 0;

	for (guint j = 0; j < m->displays->len; j++)
		displays +=
			*((const RcCatalogDisplay *)g_ptr_array_index(m->displays, j))->romfile !=
			0;
	for (guint j = 0; j < m->firmware->len; j++) {
		const RcCatalogFirmware *f = g_ptr_array_index(m->firmware, j);

		g_string_append_printf(line, "%s%s <- %s", j ? ", " : "", f->block,
				       *f->file ? f->file : f->source);
	}
	if (displays || line->len)
		fprintf(out, "  %-22s %2u display devices load a ROM; firmware: %s\n", "", displays,
			line->len ? line->str : "-");
}

/* One line per machine type: NICs with a ROM, and which ROM files (not
 * with -q), then the summary line and where the catalog went. */
static void print_summary(const RcCatalog *catalog, const char *written, double seconds,
			  const RcCommonOptions *common)
{
	FILE *out = common->text;
	guint with_nics = 0;

	for (guint i = 0; i < catalog->machines->len; i++) {
		const RcCatalogMachine *m = g_ptr_array_index(catalog->machines, i);
		g_autoptr(GPtrArray) files = g_ptr_array_new();
		g_autofree char *joined = NULL;
		guint roms = 0;

		for (guint j = 0; j < m->nics->len; j++) {
			const RcCatalogNic *nic = g_ptr_array_index(m->nics, j);
			gboolean seen = FALSE;

			if (!*nic->romfile)
				continue;
			roms++;
			for (guint k = 0; k < files->len && !seen; k++)
				seen = strcmp(g_ptr_array_index(files, k), nic->romfile) == 0;
			if (!seen)
				g_ptr_array_add(files, nic->romfile);
		}
		with_nics += m->nics->len > 0;
		g_ptr_array_add(files, NULL);
		joined = g_strjoinv(", ", (char **)files->pdata);
		if (!common->quiet)
			fprintf(out, "  %-22s %2u NIC models, %2u load a ROM: %s\n", m->name,
				m->nics->len, roms, *joined ? joined : "-");
		if (!common->quiet)
			print_devices(out, m);
	}
	fprintf(out, "%s QEMU %s%s%s%s: %u machine types (%u take PCI NICs), read back in %.1f s\n",
		catalog->arch, catalog->qemu_version, catalog->qemu_package ? " (" : "",
		catalog->qemu_package ? catalog->qemu_package : "",
		catalog->qemu_package ? ")" : "", catalog->machines->len, with_nics, seconds);
	if (written && !common->quiet)
		fprintf(out, "catalog written to %s\n", written);
	fflush(out);
}

/* The file the catalog goes to: --json FILE, or DIR/ARCH/VERSION.json
 * under --output-dir or the cache (its directories made). */
static char *catalog_path(const RcCatalog *catalog, const char *output, const char *output_dir,
			  GError **error)
{
	g_autofree char *dir = NULL;
	g_autofree char *parent = NULL;
	g_autofree char *path = NULL;

	if (output)
		return g_strdup(output);
	dir = output_dir ? g_strdup(output_dir)
			 : g_build_filename(g_get_user_cache_dir(), "romcompat", "machine-types",
					    NULL);
	path = rc_catalog_path(dir, catalog->arch, catalog->qemu_version);
	parent = g_path_get_dirname(path);
	if (g_mkdir_with_parents(parent, 0755) != 0) {
		g_set_error(error, RC_ERROR, output_dir ? RC_ERROR_USAGE : RC_ERROR_INFRA,
			    "cannot make the directory %s: %s; %s", parent, g_strerror(errno),
			    output_dir ? "give --output-dir a directory that can be written"
				       : "make the cache directory writable, or give --json FILE");
		return NULL;
	}
	return g_steal_pointer(&path);
}

/* The option context of machines; the values go into the pointers. */
static GOptionContext *machines_context(char **qemu, char **json, char **output, char **output_dir,
					char **jobs_text, RcCommonOptions *common)
{
	/* g_option_context_add_main_entries() copies the entries. */
	const GOptionEntry entries[] = {
		{"qemu", 0, 0, G_OPTION_ARG_FILENAME, qemu,
		 "QEMU binary to ask (default qemu-system-x86_64)", "BIN"},
		{"json", 0, 0, G_OPTION_ARG_FILENAME, json,
		 "write the catalog to FILE ('-': standard output, nothing else)", "FILE"},
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, output, "the same as --json", "FILE"},
		{"output-dir", 0, 0, G_OPTION_ARG_FILENAME, output_dir,
		 "write it to DIR/ARCH/VERSION.json (e.g. machine-types)", "DIR"},
		{"jobs", 'j', 0, G_OPTION_ARG_STRING, jobs_text,
		 "QEMUs at once, 1 .. 256 (default: one per CPU)", "N"},
		G_OPTION_ENTRY_NULL,
	};
	GOptionContext *ctx = rc_command_context(
		"machines", "",
		"Ask a QEMU binary for its machine types and, on each, the default romfile and "
		"romsize of every PCI NIC model, and write them as a catalog.\nWithout "
		"--json or --output-dir, the catalog goes to romcompat's cache, where "
		"check finds it.\nExit status: 0 the catalog was written, 2 bad input, 3 the "
		"QEMU binary is missing or could not be run.",
		common);

	g_option_context_add_main_entries(ctx, entries, NULL);
	return ctx;
}

/**
 * rc_cmd_machines() - "romcompat machines [--qemu BIN] [--json FILE | --output-dir DIR]"
 * @argc:	argument count (argv[0] is "machines")
 * @argv:	arguments
 * @exit_status: 0 when the catalog was made
 * @error:	set when QEMU cannot be run (exit 3) or the file not written
 *
 * Return: TRUE when the catalog was made and written
 */
gboolean rc_cmd_machines(int argc, char **argv, int *exit_status, GError **error)
{
	g_autofree char *qemu = NULL;
	g_autofree char *json = NULL;
	g_autofree char *output = NULL;
	g_autofree char *output_dir = NULL;
	g_autofree char *jobs_text = NULL;
	RcCommonOptions common = {0};
	g_autoptr(GOptionContext) ctx =
		machines_context(&qemu, &json, &output, &output_dir, &jobs_text, &common);
	g_autoptr(RcCatalog) catalog = NULL;
	g_autofree char *path = NULL;
	RcReportOption reports[2];
	gint64 start = g_get_monotonic_time();
	guint jobs;

	if (!rc_command_parse_options(ctx, &common, &argc, &argv, error))
		return FALSE;
	reports[0] = (RcReportOption){"--json", json};
	reports[1] = (RcReportOption){"-o", output};
	/* Before any QEMU starts: a directory or socket is no place for it. */
	if (!rc_command_check_reports(reports, G_N_ELEMENTS(reports), &common, error))
		return FALSE;
	if (argc > 1 || ((json || output) && output_dir) || (json && output)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "machines takes no operand, and one of --json (-o) and --output-dir "
			    "(see 'romcompat machines --help')");
		return FALSE;
	}
	if (!json)
		json = g_steal_pointer(&output);
	if (!rc_command_parse_jobs(jobs_text, &jobs, error))
		return FALSE;
	rc_qemu_install_signal_handlers();
	catalog = rc_discover_catalog(qemu ? qemu : "qemu-system-x86_64",
				      jobs ? jobs : g_get_num_processors(), error);
	if (!catalog || !(path = catalog_path(catalog, json, output_dir, error)) ||
	    !rc_catalog_save(catalog, path, error))
		return FALSE;
	/* With the catalog on standard output, the summary (-q) goes to standard error. */
	print_summary(catalog, json && rc_output_is_stdout(json) ? NULL : path,
		      (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC, &common);
	*exit_status = RC_EXIT_COMPATIBLE;
	return TRUE;
}
