/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_bisect.c - "romcompat bisect": the matrix as a test `git bisect run`
 * understands, and a bisection over an ordered list of ROM sets.
 *
 * git reads 0 as good, 1 .. 127 but 125 as bad, 125 as "cannot test this
 * commit" and 128 or more as "stop bisecting".  So nothing here may exit
 * 2 or 3 the way the other subcommands do: a build without ROMs, a
 * malformed build (its size says nothing) or a QEMU that cannot run is 125
 * (git skips the commit), a bad argument or an old
 * set that cannot be read is 128 (git stops: every step would fail the
 * same way).
 *
 * --json FILE writes the JSON report of the run (as check does), or in
 * list mode each step and the first bad set.
 */
#include <stdio.h>
#include <string.h>

#include "matrix/check.h"
#include "cli/commands.h"
#include "base/error.h"
#include "base/jsonutil.h"
#include "report/report.h"

#define EXIT_GOOD  0
#define EXIT_BAD   1
#define EXIT_SKIP  125
#define EXIT_ABORT 128

typedef struct {
	char *scenario;
	RcScenarioOverrides ov;
	char *good;
	char *bad;
	char **candidates;
	char *json;
	RcCommonOptions common;
	json_object *steps; /* list mode: each set checked, for --json */
} BisectOptions;

static void options_clear(BisectOptions *o)
{
	g_free(o->scenario);
	rc_scenario_overrides_clear(&o->ov);
	g_free(o->good);
	g_free(o->bad);
	g_strfreev(o->candidates);
	g_free(o->json);
	if (o->steps)
		json_object_put(o->steps);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(BisectOptions, options_clear)

/* The failures of a report in one line: "efi-e1000.rom 0x40000 -> 0x80000 (4 cases)". */
static char *failures_line(const RcReport *report)
{
	g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) counts = g_array_new(FALSE, TRUE, sizeof(guint));
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < report->cases->len; i++) {
		const RcCase *c = g_ptr_array_index(report->cases, i);
		g_autofree char *cause = NULL;
		guint at = 0;

		if (c->result.verdict != RC_VERDICT_FAIL)
			continue;
		cause = g_strdup_printf("%s 0x%" G_GINT64_MODIFIER "x -> 0x%" G_GINT64_MODIFIER "x",
					c->romfile, rc_case_old_size(c), rc_case_new_size(c));
		while (at < causes->len && strcmp(g_ptr_array_index(causes, at), cause) != 0)
			at++;
		if (at == causes->len) {
			g_ptr_array_add(causes, g_steal_pointer(&cause));
			g_array_set_size(counts, causes->len);
		}
		g_array_index(counts, guint, at)++;
	}
	for (guint i = 0; i < causes->len; i++)
		g_string_append_printf(s, "%s%s (%u cases)", i ? ", " : "",
				       (const char *)g_ptr_array_index(causes, i),
				       g_array_index(counts, guint, i));
	return g_string_free(s, FALSE);
}

/* A malformed build cannot be judged: its first reason, or NULL. */
static char *malformed_line(const RcReport *report)
{
	for (guint i = 0; i < report->cases->len; i++) {
		const RcCase *c = g_ptr_array_index(report->cases, i);

		if (c->result.kind == RC_KIND_MALFORMED_ROM)
			return g_strdup(c->result.message);
	}
	return NULL;
}

/* -v: a line per case, on standard error, as it finishes. */
static void show_case(guint done, guint total, const RcCase *c, gpointer user_data)
{
	(void)user_data;
	fprintf(stderr, "[%u/%u] %s %s %s: %s (%s)\n", done, total, c->machine, c->nic,
		rc_direction_to_string(c->direction), rc_verdict_to_string(c->result.verdict),
		rc_evidence_to_string(c->result.evidence));
}

/*
 * Run the scenario with @new_roms (NULL: the scenario's) against its old
 * set; print the report unless @quiet, and write its JSON to @json.
 * Returns the bisect verdict; *@why says what it rests on.
 */
static int verdict_of(RcScenario *scenario, const char *new_roms, const BisectOptions *o,
		      gboolean quiet, const char *json, char **why)
{
	g_auto(RcCheckRun) run = {0};
	g_autoptr(GError) error = NULL;
	RcCheckRequest request = {
		.scenario = scenario, .shard = {1, 1}, .max_nics = RC_RUNNER_MAX_NICS};
	int status;

	if (o->common.verbose)
		request.progress = show_case;

	if (new_roms) {
		g_free(scenario->new_side.roms);
		scenario->new_side.roms = g_strdup(new_roms);
	}
	if (!rc_check_run(&request, &run, &error)) {
		*why = g_strdup(error->message);
		switch (run.failed_input) {
		case RC_CHECK_INPUT_NEW_ROMS:
		case RC_CHECK_INPUT_QEMU:
			return EXIT_SKIP;
		case RC_CHECK_INPUT_OLD_ROMS:
		case RC_CHECK_INPUT_NONE:
			break;
		}
		return g_error_matches(error, RC_ERROR, RC_ERROR_INFRA) ? EXIT_SKIP : EXIT_ABORT;
	}
	if (!quiet) {
		g_autofree char *text = rc_report_to_text(run.report);

		fputs(text, o->common.text);
	}
	if (json && !rc_report_write_json(run.report, json, &error)) {
		*why = g_strdup(error->message);
		return EXIT_SKIP;
	}
	if (run.run_error) {
		*why = g_strdup(run.run_error->message);
		return EXIT_ABORT;
	}
	if ((*why = malformed_line(run.report)))
		return EXIT_SKIP;
	status = rc_report_exit_status(run.report);
	if (status == RC_EXIT_INCOMPATIBLE) {
		*why = failures_line(run.report);
		return EXIT_BAD;
	}
	if (status == RC_EXIT_COMPATIBLE) {
		*why = g_strdup_printf("all %u cases migrate", run.report->cases->len);
		return EXIT_GOOD;
	}
	*why = g_strdup("some cases could not be tested (see the report)");
	return EXIT_SKIP;
}

static const char *verdict_name(int status)
{
	return status == EXIT_GOOD   ? "good"
	       : status == EXIT_BAD  ? "bad"
	       : status == EXIT_SKIP ? "cannot test"
				     : "stop";
}

/* One set's verdict in list mode: a line, and a step of the JSON report. */
static void print_step(BisectOptions *o, const char *set, int status, const char *why)
{
	json_object *step = json_object_new_object();

	if (!o->common.quiet)
		fprintf(o->common.text, "%s: %s: %s\n", set, verdict_name(status), why);
	rc_json_add_text(step, "set", set);
	json_object_object_add(step, "verdict", json_object_new_string(verdict_name(status)));
	rc_json_add_text(step, "why", why);
	json_object_array_add(o->steps, step);
}

/* List mode's --json: the sets, each step, and the first bad set (or null). */
static int write_list_json(BisectOptions *o, const char *first_bad, int status)
{
	g_autoptr(json_object) doc = json_object_new_object();
	g_autoptr(GError) error = NULL;

	rc_json_add_text(doc, "good", o->good);
	rc_json_add_text(doc, "bad", o->bad);
	json_object_object_add(doc, "steps", json_object_get(o->steps));
	rc_json_add_text(doc, "first-bad", first_bad);
	if (!o->json || rc_command_write_json(doc, o->json, &error))
		return status;
	rc_print_error(error);
	return EXIT_SKIP;
}

/*
 * The first bad set of good < candidates... < bad, by binary search, each
 * checked against the good one.  A candidate that cannot be tested is
 * dropped from the list, as git skips a commit.
 */
static int bisect_list(RcScenario *scenario, BisectOptions *o)
{
	g_autoptr(GPtrArray) list = g_ptr_array_new();
	g_autofree char *why = NULL;
	g_autofree char *bad_why = NULL;
	int lo = -1, hi, status;

	g_free(scenario->old_side.roms);
	scenario->old_side.roms = g_strdup(o->good);
	for (guint i = 0; o->candidates && o->candidates[i]; i++)
		g_ptr_array_add(list, o->candidates[i]);
	g_ptr_array_add(list, o->bad);
	hi = (int)list->len - 1;
	o->steps = json_object_new_array();
	status = verdict_of(scenario, o->bad, o, TRUE, NULL, &bad_why);
	print_step(o, o->bad, status, bad_why);
	if (status != EXIT_BAD) {
		fprintf(stderr,
			"romcompat: error: the bad set %s does not fail against the good set "
			"%s; nothing to bisect\n",
			o->bad, o->good);
		return write_list_json(o, NULL, status == EXIT_ABORT ? EXIT_ABORT : EXIT_SKIP);
	}
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;
		const char *set = g_ptr_array_index(list, (guint)mid);

		g_clear_pointer(&why, g_free);
		status = verdict_of(scenario, set, o, TRUE, NULL, &why);
		print_step(o, set, status, why);
		if (status == EXIT_ABORT)
			return write_list_json(o, NULL, EXIT_ABORT);
		if (status == EXIT_SKIP) {
			g_ptr_array_remove_index(list, (guint)mid);
			hi--;
			continue;
		}
		if (status == EXIT_BAD) {
			hi = mid;
			g_free(bad_why);
			bad_why = g_steal_pointer(&why);
		} else {
			lo = mid;
		}
	}
	fprintf(o->common.text, "first bad: %s: %s\n",
		(const char *)g_ptr_array_index(list, (guint)hi), bad_why);
	return write_list_json(o, g_ptr_array_index(list, (guint)hi), EXIT_GOOD);
}

/* The option context of bisect; the values go into @o. */
static GOptionContext *bisect_context(BisectOptions *o)
{
	/* g_option_context_add_main_entries() copies the entries. */
	const GOptionEntry entries[] = {
		{"scenario", 0, 0, G_OPTION_ARG_FILENAME, &o->scenario,
		 "scenario file (also accepted as the only argument)", "FILE"},
		{"old", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.old_roms,
		 "the reference ROMs (what running VMs were started with)", "PATH"},
		{"new", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.new_roms,
		 "the ROMs this build produced", "PATH"},
		{"old-qemu", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.old_qemu, "QEMU of the old host",
		 "BIN"},
		{"new-qemu", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.new_qemu, "QEMU of the new host",
		 "BIN"},
		{"catalog", 0, 0, G_OPTION_ARG_FILENAME, &o->ov.catalog, "machine-type catalog",
		 "FILE"},
		{"good", 0, 0, G_OPTION_ARG_FILENAME, &o->good,
		 "list mode: the last known good ROM set", "PATH"},
		{"bad", 0, 0, G_OPTION_ARG_FILENAME, &o->bad, "list mode: the first known bad set",
		 "PATH"},
		{"candidates", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->candidates,
		 "list mode: a set between them, in order (repeat the option)", "PATH"},
		{"json", 0, 0, G_OPTION_ARG_FILENAME, &o->json,
		 "write the JSON report to FILE ('-': standard output); list mode: each step "
		 "and the first bad set",
		 "FILE"},
		G_OPTION_ENTRY_NULL,
	};
	GOptionContext *ctx = rc_command_context(
		"bisect", "[SCENARIO]",
		"Check the ROMs a build produced against reference ROMs, as a test for 'git "
		"bisect run'.\nExit status: 0 good (every case migrates), 1 bad (a case "
		"fails), 125 cannot test (the build made no ROMs or malformed ones, QEMU could "
		"not run), 128 stop (bad arguments).\nWith --good, --bad and --candidates: bisect an "
		"ordered list of ROM sets and name the first bad one.",
		&o->common);

	g_option_context_add_main_entries(ctx, entries, NULL);
	rc_command_add_matrix_options(ctx, &o->ov);
	return ctx;
}

/* The options and the scenario, ready to run; FALSE: stop bisecting (128). */
static RcScenario *bisect_setup(BisectOptions *o, int argc, char **argv, GError **error)
{
	g_autoptr(GOptionContext) ctx = bisect_context(o);
	g_autoptr(RcScenario) scenario = NULL;
	RcReportOption reports[1];
	gboolean list_mode;

	if (!rc_command_parse_options(ctx, &o->common, &argc, &argv, error))
		return NULL;
	reports[0] = (RcReportOption){"--json", o->json};
	if (!rc_command_check_reports(reports, G_N_ELEMENTS(reports), &o->common, error))
		return NULL;
	if (argc > 2 || (argc == 2 && o->scenario)) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_USAGE,
			"bisect takes one scenario, not '%s' too (see 'romcompat bisect --help')",
			argv[argc - 1]);
		return NULL;
	}
	if (argc == 2)
		o->scenario = g_strdup(argv[1]);
	list_mode = o->good || o->bad || o->candidates;
	if (list_mode && (!o->good || !o->bad || o->ov.old_roms || o->ov.new_roms)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "list mode takes --good and --bad (and --candidates), not --old/--new");
		return NULL;
	}
	scenario = o->scenario ? rc_scenario_load(o->scenario, error) : rc_scenario_new();
	if (!scenario || !rc_scenario_apply_overrides(scenario, &o->ov, error))
		return NULL;
	if (list_mode) {
		/* The sets come from the list; give the scenario placeholders to check. */
		if (!scenario->old_side.roms)
			scenario->old_side.roms = g_strdup(o->good);
		if (!scenario->new_side.roms)
			scenario->new_side.roms = g_strdup(o->bad);
	}
	if (!rc_scenario_check_ready(scenario, error))
		return NULL;
	return g_steal_pointer(&scenario);
}

/**
 * rc_cmd_bisect() - "romcompat bisect": a test for git bisect run
 * @argc:	argument count (argv[0] is "bisect")
 * @argv:	arguments
 * @exit_status: 0 good, 1 bad, 125 cannot test, 128 stop bisecting (list
 *		mode: 0 when the first bad set is named)
 * @error:	never set: every problem is an exit status git understands
 *
 * Return: TRUE
 */
gboolean rc_cmd_bisect(int argc, char **argv, int *exit_status, GError **error)
{
	g_auto(BisectOptions) o = {0};
	g_autoptr(RcScenario) scenario = NULL;
	g_autoptr(GError) local = NULL;
	g_autofree char *why = NULL;

	(void)error;
	if (!(scenario = bisect_setup(&o, argc, argv, &local))) {
		rc_print_error(local);
		*exit_status = EXIT_ABORT;
		return TRUE;
	}
	if (o.good) {
		*exit_status = bisect_list(scenario, &o);
		return TRUE;
	}
	*exit_status = verdict_of(scenario, NULL, &o, o.common.quiet, o.json, &why);
	fprintf(o.common.text, "bisect: %s: %s\n", verdict_name(*exit_status), why);
	return TRUE;
}
