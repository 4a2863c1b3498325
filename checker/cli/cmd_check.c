/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_check.c - "romcompat check": the matrix of a scenario, run on real
 * QEMU pairs (check.c), reported as text, JSON, JUnit XML, TAP and HTML; every
 * report asked for is written, also after a signal (a partial report that
 * says it is partial).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "matrix/check.h"
#include "cli/commands.h"
#include "base/error.h"
#include "report/report.h"

typedef struct {
	char *scenario;
	RcScenarioOverrides ov;
	char *tap;
	char *html;
	char *shard;
	char *new_catalog;
	char **mitigations;
	char **device_classes;
	char *backend;
	char *connect;
	gboolean predict_only;
	gboolean prove_alone;
	int max_nics;
	RcCommonOptions common;
} CheckOptions;

static void options_clear(CheckOptions *o)
{
	g_free(o->scenario);
	rc_scenario_overrides_clear(&o->ov);
	g_free(o->tap);
	g_free(o->html);
	g_free(o->new_catalog);
	g_strfreev(o->mitigations);
	g_strfreev(o->device_classes);
	g_free(o->backend);
	g_free(o->connect);
	g_free(o->shard);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CheckOptions, options_clear)

/* Progress on a terminal: one line, rewritten; or with -v a line per case. */
typedef struct {
	gboolean tty;
	gboolean verbose;
	gint64 start;
	guint failures;
} Progress;

static void show_progress(guint done, guint total, const RcCase *c, gpointer user_data)
{
	Progress *p = user_data;
	double elapsed = (double)(g_get_monotonic_time() - p->start) / G_USEC_PER_SEC;
	/* Time left at the pace so far (cases take about the same time). */
	double left = done ? elapsed * (total - done) / done : 0;
	/* "MACHINE DEVICE DIRECTION" (a firmware block with its image). */
	g_autofree char *name = rc_case_name(c);

	p->failures += c->result.verdict == RC_VERDICT_FAIL;
	if (p->verbose) {
		fprintf(stderr, "[%u/%u] %s: %s (%s)\n", done, total, name,
			rc_verdict_to_string(c->result.verdict),
			rc_evidence_to_string(c->result.evidence));
		return;
	}
	if (!p->tty)
		return;
	fprintf(stderr, "\r\033[K[%u/%u] %u failing, %.1f s, about %.0f s left  %s: %s", done,
		total, p->failures, elapsed, left, name, rc_verdict_to_string(c->result.verdict));
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* The HTML page, with the bars of both ROM sets (loaded again: cheap,
 * and a "debian:" source comes from the cache by now). */
/* The HTML page draws the ROM sets the run checked. */
static gboolean write_html(const RcCheckRun *run, const char *path, GError **error)
{
	g_autofree char *text = rc_report_to_html(run->report, run->old_roms, run->new_roms);

	return rc_report_write_file(path, text, error);
}

/* Every report path (options or scenario keys), checked before any QEMU starts. */
static gboolean check_report_paths(CheckOptions *o, const char *json, const char *junit,
				   GError **error)
{
	const RcReportOption reports[] = {
		{"--json", json}, {"--junit", junit}, {"--tap", o->tap}, {"--html", o->html}};

	return rc_command_check_reports(reports, G_N_ELEMENTS(reports), &o->common, error);
}

static gboolean write_reports(const RcCheckRun *run, const RcScenario *scenario, const char *tap,
			      const char *html, GError **error)
{
	const RcReport *report = run->report;

	if (scenario->json && !rc_report_write_json(report, scenario->json, error))
		return FALSE;
	if (scenario->junit) {
		g_autofree char *text = rc_report_to_junit(report);

		if (!rc_report_write_file(scenario->junit, text, error))
			return FALSE;
	}
	if (tap) {
		g_autofree char *text = rc_report_to_tap(report);

		if (!rc_report_write_file(tap, text, error))
			return FALSE;
	}
	if (html && !write_html(run, html, error))
		return FALSE;
	return TRUE;
}

/* The option context of check; the values go into @o. */
static GOptionContext *check_context(CheckOptions *o)
{
	/* g_option_context_add_main_entries() copies the entries. */
	const GOptionEntry entries[] = {
		{"scenario", 0, 0, G_OPTION_ARG_FILENAME, &o->scenario,
		 "scenario file (also accepted as the only argument)", "FILE"},
		{"old", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.old_roms,
		 "ROMs running VMs were started with: file, directory or .deb", "PATH"},
		{"new", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.new_roms,
		 "ROMs of the host they move to: file, directory or .deb", "PATH"},
		{"old-qemu", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.old_qemu,
		 "QEMU binary of the old host (default qemu-system-x86_64)", "BIN"},
		{"new-qemu", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.new_qemu,
		 "QEMU binary of the new host (default: the old one)", "BIN"},
		{"catalog", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.catalog,
		 "machine-type catalog of the old QEMU (default: the one for its version, "
		 "shipped, cached or read back from it)",
		 "FILE"},
		{"new-catalog", 0, 0, G_OPTION_ARG_FILENAME, &o->new_catalog,
		 "catalog of the new QEMU, when it is another binary", "FILE"},
		{"shard", 0, 0, G_OPTION_ARG_STRING, &o->shard,
		 "run part K of N of the matrix (for N CI jobs; romcompat merge joins them)",
		 "K/N"},
		RC_OPTION_JSON(&o->ov.json, "the JSON report"),
		{"junit", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.junit,
		 "write the JUnit XML report to FILE", "FILE"},
		{"tap", 0, 0, G_OPTION_ARG_FILENAME, &o->tap, "write a TAP report to FILE", "FILE"},
		{"html", 0, 0, G_OPTION_ARG_FILENAME, &o->html,
		 "write one self-contained HTML page to FILE: the matrix as a heatmap, the ROM "
		 "files as bars against their buckets",
		 "FILE"},
		{"device-class", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->device_classes,
		 "check NIC ROMs (nic), display devices' VGA BIOS ROMs (display) or the -bios "
		 "firmware block (firmware); repeatable (default: every class the ROM sets hold "
		 "files of)",
		 "CLASS"},
		{"static", 0, 0, G_OPTION_ARG_NONE, &o->predict_only,
		 "no QEMU: every verdict is the static prediction (evidence 'predicted')", NULL},
		{"prove-alone", 0, 0, G_OPTION_ARG_NONE, &o->prove_alone,
		 "run every attributed failure again with its NIC alone", NULL},
		{"nics-per-pair", 0, 0, G_OPTION_ARG_INT, &o->max_nics,
		 "NICs one QEMU pair carries, 1 .. 24 (default 24; 1: a pair per case)", "N"},
		{"mitigation", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->mitigations,
		 "run the failures again with a mitigation: 'romsize' (the new host pins "
		 "romsize to the old bucket), 'pad' (the new ROMs padded or trimmed to the old "
		 "buckets) or 'compat=FILE' (ROM directories by machine type); repeatable",
		 "M"},
		{"backend", 0, 0, G_OPTION_ARG_STRING, &o->backend,
		 "direct (default: QEMU processes) or libvirt (save and restore domains)", "B"},
		{"connect", 0, 0, G_OPTION_ARG_STRING, &o->connect,
		 "libvirt connection URI (default qemu:///session)", "URI"},
		G_OPTION_ENTRY_NULL,
	};
	GOptionContext *ctx = rc_command_context(
		"check", "[SCENARIO]",
		"Run the migration matrix of a scenario (or of --old/--new) on real QEMU "
		"pairs.\nExit status: 0 every case migrates, 1 a case fails, 2 bad input, "
		"3 a case could not be tested or the run is partial.",
		&o->common);

	g_option_context_add_main_entries(ctx, entries, NULL);
	rc_command_add_matrix_options(ctx, &o->ov);
	return ctx;
}

/* Options that cannot go together, refused before any work. */
static gboolean check_conflicts(const CheckOptions *o, GError **error)
{
	if (o->predict_only && o->prove_alone) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--static runs no QEMU, so --prove-alone has nothing to run again; "
			    "drop one of them");
		return FALSE;
	}
	if (o->predict_only && o->backend && strcmp(o->backend, "direct") != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--static runs no QEMU, so --backend %s would run nothing; drop one "
			    "of them",
			    o->backend);
		return FALSE;
	}
	return TRUE;
}

/* The operands left after the options (one scenario at most), and the
 * options' values checked: the report options, conflicts,
 * --nics-per-pair, --shard. */
static gboolean check_arguments(CheckOptions *o, int argc, char **argv, RcCheckRequest *request,
				GError **error)
{
	if (!check_report_paths(o, o->ov.json, o->ov.junit, error) || !check_conflicts(o, error))
		return FALSE;
	if (argc > 2 || (argc == 2 && o->scenario)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "check takes one scenario, not '%s' too (see 'romcompat check --help')",
			    argv[argc - 1]);
		return FALSE;
	}
	if (argc == 2)
		o->scenario = g_strdup(argv[1]);
	if (o->max_nics < 1 || o->max_nics > RC_RUNNER_MAX_NICS) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--nics-per-pair must be 1 .. %d, not %d", RC_RUNNER_MAX_NICS,
			    o->max_nics);
		return FALSE;
	}
	return !o->shard || rc_shard_parse(o->shard, &request->shard, error);
}

/* The --device-class options, when given, replace the scenario's classes. */
static gboolean apply_device_classes(char **classes, RcScenario *scenario, GError **error)
{
	guint mask = 0;

	for (guint i = 0; classes && classes[i]; i++) {
		g_autofree char *problem = rc_device_classes_parse(classes[i], ",;", &mask);

		if (problem) {
			g_set_error(error, RC_ERROR, RC_ERROR_USAGE, "--device-class: %s", problem);
			return FALSE;
		}
	}
	if (mask)
		scenario->device_classes = mask;
	return TRUE;
}

/* Each --mitigation into @request: romsize, pad or compat=FILE. */
static gboolean parse_mitigations(char **mitigations, RcCheckRequest *request, GError **error)
{
	for (guint i = 0; mitigations && mitigations[i]; i++) {
		if (strcmp(mitigations[i], "romsize") == 0) {
			request->mitigate_romsize = TRUE;
		} else if (strcmp(mitigations[i], "pad") == 0) {
			request->mitigate_pad = TRUE;
		} else if (g_str_has_prefix(mitigations[i], "compat=") &&
			   mitigations[i][strlen("compat=")]) {
			request->compat_file = mitigations[i] + strlen("compat=");
		} else {
			g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
				    "--mitigation %s: give 'romsize', 'pad' or 'compat=FILE'",
				    mitigations[i]);
			return FALSE;
		}
	}
	return TRUE;
}

/* The text report (its verdict line alone with -q), then (after real
 * runs) the statistics of the QEMU pairs and the mitigations tried. */
static gboolean print_run(const RcCheckRun *run, gboolean predict_only,
			  const RcCommonOptions *common, GError **error)
{
	g_autofree char *text = NULL;

	if (run->run_error)
		rc_print_error(run->run_error);
	text = rc_report_to_text(run->report);
	if (common->quiet)
		return rc_command_print_verdict(common, text, error);
	if (fputs(text, common->text) == EOF || fflush(common->text) == EOF) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot write the report on standard output: %s", g_strerror(errno));
		return FALSE;
	}
	if (!predict_only) {
		rc_check_print_stats(run, common->text);
		rc_check_print_mitigations(run, common->text);
	}
	return TRUE;
}

/**
 * rc_cmd_check() - "romcompat check [SCENARIO] [--old ...] [--new ...] ..."
 * @argc:	argument count (argv[0] is "check")
 * @argv:	arguments
 * @exit_status: the report's verdict: 0 compatible, 1 a case fails, 2 bad
 *		input, 3 a case could not be tested or the run is partial
 * @error:	set when the matrix could not be run or a report not written
 *
 * Return: TRUE when a report was made (even a partial one)
 */
gboolean rc_cmd_check(int argc, char **argv, int *exit_status, GError **error)
{
	g_auto(CheckOptions) o = {.max_nics = RC_RUNNER_MAX_NICS};
	g_autoptr(GOptionContext) ctx = check_context(&o);
	g_autoptr(RcScenario) scenario = NULL;
	g_auto(RcCheckRun) run = {0};
	Progress progress = {.start = g_get_monotonic_time()};
	RcCheckRequest request = {.shard = {1, 1}};

	if (!rc_command_parse_options(ctx, &o.common, &argc, &argv, error) ||
	    !check_arguments(&o, argc, argv, &request, error))
		return FALSE;
	scenario = o.scenario ? rc_scenario_load(o.scenario, error) : rc_scenario_new();
	if (!scenario || !rc_scenario_apply_overrides(scenario, &o.ov, error) ||
	    !check_report_paths(&o, scenario->json, scenario->junit, error) ||
	    !apply_device_classes(o.device_classes, scenario, error) ||
	    !rc_scenario_check_ready(scenario, error) ||
	    !parse_mitigations(o.mitigations, &request, error))
		return FALSE;
	progress.tty = !o.common.quiet && isatty(STDERR_FILENO);
	progress.verbose = o.common.verbose;
	request.scenario = scenario;
	request.new_catalog = o.new_catalog;
	request.predict_only = o.predict_only;
	request.prove_alone = o.prove_alone;
	request.max_nics = (guint)o.max_nics;
	request.backend = o.backend;
	request.connect = o.connect;
	request.progress = show_progress;
	request.progress_data = &progress;
	if (!rc_check_run(&request, &run, error) ||
	    !print_run(&run, o.predict_only, &o.common, error) ||
	    !write_reports(&run, scenario, o.tap, o.html, error))
		return FALSE;
	*exit_status = rc_report_exit_status(run.report);
	return TRUE;
}
