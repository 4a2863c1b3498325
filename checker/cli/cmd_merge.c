/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_merge.c - `romcompat merge`: the shard reports of one matrix run
 * (`romcompat check --shard K/N --json ...` in N CI jobs) merged into one
 * report, written in every format, with the exit status of the whole.
 *
 * Reports are only merged when they are shards of the same run: same
 * romcompat, scenario, QEMUs, ROMs, accelerator, shard count and matrix
 * digest, no case in two of them, no shard given twice.  When every shard
 * is there, the union must be exactly the matrix their digest names.  A
 * missing shard gives a partial report (exit 3 unless a case fails).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "base/error.h"
#include "report/report.h"

static const char *side_field(const RcReportSide *side, guint field)
{
	switch (field) {
	case 0:
		return side->qemu;
	case 1:
		return side->qemu_version;
	default:
		return side->roms;
	}
}

/* Same run?  Names the first difference. */
static gboolean check_same_run(const RcReport *a, const char *a_path, const RcReport *b,
			       const char *b_path, GError **error)
{
	g_autofree char *a_shards = g_strdup_printf("%u", a->shard.count);
	g_autofree char *b_shards = g_strdup_printf("%u", b->shard.count);
	g_autofree char *a_cases = g_strdup_printf("%u", a->matrix_cases);
	g_autofree char *b_cases = g_strdup_printf("%u", b->matrix_cases);
	struct {
		const char *what;
		const char *a;
		const char *b;
	} fields[] = {
		{"romcompat version", a->romcompat_version, b->romcompat_version},
		{"scenario", a->scenario, b->scenario},
		{"architecture", a->arch, b->arch},
		{"accelerator", rc_accel_to_string(a->accel), rc_accel_to_string(b->accel)},
		{"shard count", a_shards, b_shards},
		{"matrix size", a_cases, b_cases},
		{"matrix digest", a->matrix_digest, b->matrix_digest},
		{"old QEMU", side_field(&a->old_side, 0), side_field(&b->old_side, 0)},
		{"old QEMU version", side_field(&a->old_side, 1), side_field(&b->old_side, 1)},
		{"old ROMs", side_field(&a->old_side, 2), side_field(&b->old_side, 2)},
		{"new QEMU", side_field(&a->new_side, 0), side_field(&b->new_side, 0)},
		{"new QEMU version", side_field(&a->new_side, 1), side_field(&b->new_side, 1)},
		{"new ROMs", side_field(&a->new_side, 2), side_field(&b->new_side, 2)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (g_strcmp0(fields[i].a, fields[i].b) == 0)
			continue;
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: %s is '%s' but %s has '%s': not shards of the same run; merge "
			    "only the reports of one pipeline",
			    b_path, fields[i].what, fields[i].b ? fields[i].b : "null", a_path,
			    fields[i].a ? fields[i].a : "null");
		return FALSE;
	}
	return TRUE;
}

/* Every shard present: the union must be the matrix the shards name. */
static gboolean check_complete(const RcReport *merged, GError **error)
{
	g_autofree char *digest = rc_matrix_digest(merged->cases);

	if (merged->cases->len != merged->matrix_cases ||
	    strcmp(digest, merged->matrix_digest) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "the shards hold %u cases that are not the matrix of %u cases they "
			    "were cut from; merge the reports of one pipeline",
			    merged->cases->len, merged->matrix_cases);
		return FALSE;
	}
	return TRUE;
}

static void copy_side(RcReportSide *to, const RcReportSide *from)
{
	to->qemu = g_strdup(from->qemu);
	to->qemu_version = g_strdup(from->qemu_version);
	to->roms = g_strdup(from->roms);
}

/**
 * merge_reports() - the reports of one run's shards as one report
 * @paths:	the files, NULL-terminated
 * @missing:	set to the number of shards not given
 * @error:	set to an input error naming the file
 *
 * Return: the merged report (shard 1/1), or NULL
 */
static RcReport *merge_reports(char **paths, guint *missing, GError **error)
{
	g_autoptr(GPtrArray) reports =
		g_ptr_array_new_with_free_func((GDestroyNotify)rc_report_free);
	g_autoptr(GHashTable) case_file =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) shard_file = g_ptr_array_new(); /* by shard index: which file */
	g_autoptr(RcReport) merged = rc_report_new();
	const RcReport *first;
	guint given = 0;

	for (guint i = 0; paths[i]; i++) {
		RcReport *report = rc_report_load_json(paths[i], error);

		if (!report)
			return NULL;
		g_ptr_array_add(reports, report);
		if (i && !check_same_run(g_ptr_array_index(reports, 0), paths[0], report, paths[i],
					 error))
			return NULL;
		for (guint c = 0; c < report->cases->len; c++) {
			RcCase *item = g_ptr_array_index(report->cases, c);
			char *name = rc_case_name(item);
			const char *other = g_hash_table_lookup(case_file, name);

			if (other) {
				g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
					    "%s: case %s is also in %s: shards overlap; give each "
					    "shard's report once",
					    paths[i], name, other);
				g_free(name);
				return NULL;
			}
			g_hash_table_insert(case_file, name, paths[i]);
			g_ptr_array_add(merged->cases, rc_case_copy(item));
		}
		/* Every report has the first one's shard count, checked above. */
		if (!shard_file->len)
			g_ptr_array_set_size(shard_file, report->shard.count + 1);
		if (g_ptr_array_index(shard_file, report->shard.index)) {
			g_set_error(
				error, RC_ERROR, RC_ERROR_INPUT,
				"%s: shard %u/%u is also %s: give each shard's report once",
				paths[i], report->shard.index, report->shard.count,
				(const char *)g_ptr_array_index(shard_file, report->shard.index));
			return NULL;
		}
		g_ptr_array_index(shard_file, report->shard.index) = paths[i];
		given++;
		merged->interrupted |= report->interrupted;
	}

	first = g_ptr_array_index(reports, 0);
	merged->romcompat_version = g_strdup(first->romcompat_version);
	merged->scenario = g_strdup(first->scenario);
	merged->arch = g_strdup(first->arch);
	merged->accel = first->accel;
	copy_side(&merged->old_side, &first->old_side);
	copy_side(&merged->new_side, &first->new_side);
	merged->matrix_cases = first->matrix_cases;
	merged->matrix_digest = g_strdup(first->matrix_digest);
	rc_matrix_sort(merged->cases);
	*missing = first->shard.count - given;
	if (!*missing && !check_complete(merged, error))
		return NULL;
	return g_steal_pointer(&merged);
}

/* Each report asked for, in its format. */
static gboolean write_reports(const RcReport *merged, const RcReportOption *reports, GError **error)
{
	for (guint i = 0; i < 4; i++) {
		g_autofree char *text = NULL;

		if (!reports[i].path)
			continue;
		if (i == 0) {
			if (!rc_report_write_json(merged, reports[i].path, error))
				return FALSE;
			continue;
		}
		text = i == 1	? rc_report_to_junit(merged)
		       : i == 2 ? rc_report_to_tap(merged)
				: rc_report_to_html(merged, NULL, NULL);
		if (!rc_report_write_file(reports[i].path, text, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * rc_cmd_merge() - romcompat merge [--json FILE] [--junit FILE] [--tap FILE] [--html FILE]
 *		REPORT.json...
 * @argc:	argument count (argv[0] is "merge")
 * @argv:	arguments
 * @exit_status: set to the merged verdict: 0 compatible, 1 incompatible,
 *		3 not established (errors, cases not run, missing shards)
 * @error:	set when a report is unusable or the shards do not belong together
 *
 * Return: TRUE when the reports were merged
 */
gboolean rc_cmd_merge(int argc, char **argv, int *exit_status, GError **error)
{
	g_autofree char *json_path = NULL;
	g_autofree char *junit_path = NULL;
	g_autofree char *tap_path = NULL;
	g_autofree char *html_path = NULL;
	RcCommonOptions common = {0};
	const GOptionEntry entries[] = {
		RC_OPTION_JSON(&json_path, "the merged JSON report"),
		{"junit", 0, 0, G_OPTION_ARG_FILENAME, &junit_path,
		 "write the merged JUnit XML report to FILE ('-': standard output)", "FILE"},
		{"tap", 0, 0, G_OPTION_ARG_FILENAME, &tap_path,
		 "write the merged TAP report to FILE ('-': standard output)", "FILE"},
		{"html", 0, 0, G_OPTION_ARG_FILENAME, &html_path,
		 "write the merged report as one HTML page to FILE (the matrix; no ROM bars, "
		 "the reports do not carry the ROM files)",
		 "FILE"},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = rc_command_context(
		"merge", "REPORT.json...",
		"Merge the JSON reports of the shards of one matrix run (romcompat check --shard "
		"K/N --json FILE).\nExit status: that of the merged report, as for check; 2 when "
		"a report is malformed or does not belong with the others.",
		&common);
	g_autoptr(RcReport) merged = NULL;
	g_autofree char *text = NULL;
	guint missing = 0;
	RcReportOption reports[4];

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!rc_command_parse_options(ctx, &common, &argc, &argv, error))
		return FALSE;
	reports[0] = (RcReportOption){"--json", json_path};
	reports[1] = (RcReportOption){"--junit", junit_path};
	reports[2] = (RcReportOption){"--tap", tap_path};
	reports[3] = (RcReportOption){"--html", html_path};
	if (!rc_command_check_reports(reports, G_N_ELEMENTS(reports), &common, error))
		return FALSE;
	if (argc < 2) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_USAGE,
			"merge: give the shard reports to merge (see 'romcompat merge --help')");
		return FALSE;
	}
	merged = merge_reports(argv + 1, &missing, error);
	if (!merged)
		return FALSE;
	if (missing)
		fprintf(stderr,
			"romcompat: warning: %u shard%s missing: the merged report holds %u of the "
			"matrix's %u cases\n",
			missing, missing == 1 ? " is" : "s are", merged->cases->len,
			merged->matrix_cases);

	/* The summary comes first, so that a report file that cannot be
	 * written leaves it whole. */
	text = rc_report_to_text(merged);
	if (common.quiet) {
		if (!rc_command_print_verdict(&common, text, error))
			return FALSE;
	} else if (fputs(text, common.text) == EOF || fflush(common.text) == EOF) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot write the summary on standard output: %s", g_strerror(errno));
		return FALSE;
	}
	if (!write_reports(merged, reports, error))
		return FALSE;
	*exit_status = rc_report_exit_status(merged);
	return TRUE;
}
