/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_check.c - "romcompat check": the matrix of a scenario, run on real
 * QEMU pairs, reported as text, JSON, JUnit XML and TAP.
 *
 * The order is fixed: everything that can be wrong with the input (the
 * scenario, the ROM sets, the catalog, the QEMU binaries, the shard) is
 * checked before the first QEMU starts; then the runner fills in the
 * verdicts; then every report asked for is written, also after a signal
 * (a partial report that says it is partial).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "discover.h"
#include "commands.h"
#include "error.h"
#include "matrix.h"
#include "qemu_process.h"
#include "report.h"
#include "romset.h"
#include "rundir.h"
#include "runner.h"
#include "scenario.h"
#include "trace.h"

typedef struct {
	char *scenario;
	RcScenarioOverrides ov;
	char *tap;
	char *shard;
	char *new_catalog;
	gboolean predict_only;
	gboolean prove_alone;
	gboolean quiet;
	int max_nics;
} CheckOptions;

static void options_clear(CheckOptions *o)
{
	g_free(o->scenario);
	g_free((char *)o->ov.old_roms);
	g_free((char *)o->ov.new_roms);
	g_free((char *)o->ov.old_qemu);
	g_free((char *)o->ov.new_qemu);
	g_free((char *)o->ov.catalog);
	g_free((char *)o->ov.machines);
	g_free((char *)o->ov.exclude_machines);
	g_free((char *)o->ov.nics);
	g_free((char *)o->ov.exclude_nics);
	g_free((char *)o->ov.directions);
	g_free((char *)o->ov.accel);
	g_free((char *)o->ov.timeout);
	g_free((char *)o->ov.jobs);
	g_free((char *)o->ov.junit);
	g_free((char *)o->ov.json);
	g_free(o->tap);
	g_free(o->new_catalog);
	g_free(o->shard);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CheckOptions, options_clear)

/* Progress on a terminal: one line, rewritten. */
typedef struct {
	gboolean tty;
	gint64 start;
} Progress;

static void show_progress(guint done, guint total, const RcCase *c, gpointer user_data)
{
	const Progress *p = user_data;
	double elapsed = (double)(g_get_monotonic_time() - p->start) / G_USEC_PER_SEC;

	if (!p->tty)
		return;
	fprintf(stderr, "\r\033[K[%u/%u] %.1f s  %s %s %s: %s", done, total, elapsed, c->machine,
		c->nic, rc_direction_to_string(c->direction),
		rc_verdict_to_string(c->result.verdict));
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/*
 * Cases on machine types the new QEMU does not have cannot migrate there
 * by construction; they are left out (and said so), not failed.
 */
static void keep_shared_machines(GPtrArray *cases, const RcCatalog *new_catalog)
{
	guint dropped = 0;

	for (guint i = cases->len; i-- > 0;) {
		const RcCase *c = g_ptr_array_index(cases, i);

		if (rc_catalog_find_machine(new_catalog, c->machine))
			continue;
		g_ptr_array_remove_index(cases, i);
		dropped++;
	}
	if (dropped)
		fprintf(stderr,
			"romcompat: note: %u cases left out: their machine types are not in the new "
			"QEMU %s\n",
			dropped, new_catalog->qemu_version);
}

/* A ROM set every case can use; errors in single files are per case. */
static RcRomSet *load_roms(const char *which, const char *path, GError **error)
{
	g_autoptr(GError) local = NULL;
	RcRomSet *set = rc_rom_set_load(path, &local);

	if (!set) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s ROMs: %s", which, local->message);
		return NULL;
	}
	if (!set->entries->len) {
		rc_rom_set_free(set);
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s ROMs %s: no option ROM files in it; point --%s at the directory "
			    "that holds the *.rom files",
			    which, path, which);
		return NULL;
	}
	return set;
}

/* QEMU opens ROM files by path: a package's are copied out, each set
 * into a private directory of its own (the names are the same). */
static gboolean unpack(RcRomSet *set, RcRunDir **dir, GError **error)
{
	if (set->kind == RC_ROM_SET_DEB && !(*dir = rc_rundir_new(error)))
		return FALSE;
	return rc_rom_set_write_files(set, *dir ? rc_rundir_path(*dir) : NULL, error);
}

static guint default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (guint)n : 1;
}

static void fill_side(RcReportSide *side, const char *qemu, const char *version, const char *roms)
{
	side->qemu = g_strdup(qemu);
	side->qemu_version = g_strdup(version);
	side->roms = g_strdup(roms);
}

static gboolean write_reports(const RcReport *report, const RcScenario *scenario, const char *tap,
			      GError **error)
{
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
	return TRUE;
}

static void print_stats(const RcRunnerStats *stats, const RcReport *report, double seconds)
{
	printf("QEMU pairs: %u for %u cases (%u shared, %u to isolate an ambiguous run, %u to "
	       "prove a failure alone; %u cases moved to another pair); %.2f s\n",
	       stats->pairs, report->cases->len, stats->shared_pairs, stats->isolation_pairs,
	       stats->alone_pairs, stats->requeued_cases, seconds);
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
	const GOptionEntry entries[] = {
		{"scenario", 0, 0, G_OPTION_ARG_FILENAME, &o.scenario,
		 "scenario file (also accepted as the only argument)", "FILE"},
		{"old", 0, 0, G_OPTION_ARG_FILENAME, &o.ov.old_roms,
		 "ROMs running VMs were started with: file, directory or .deb", "PATH"},
		{"new", 0, 0, G_OPTION_ARG_FILENAME, &o.ov.new_roms,
		 "ROMs of the host they move to: file, directory or .deb", "PATH"},
		{"old-qemu", 0, 0, G_OPTION_ARG_FILENAME, &o.ov.old_qemu,
		 "QEMU binary of the old host (default qemu-system-x86_64)", "BIN"},
		{"new-qemu", 0, 0, G_OPTION_ARG_FILENAME, &o.ov.new_qemu,
		 "QEMU binary of the new host (default: the old one)", "BIN"},
		{"catalog", 0, 0, G_OPTION_ARG_FILENAME, &o.ov.catalog,
		 "machine-type catalog of the old QEMU (default: the one for its version, "
		 "shipped, cached or read back from it)",
		 "FILE"},
		{"new-catalog", 0, 0, G_OPTION_ARG_FILENAME, &o.new_catalog,
		 "catalog of the new QEMU, when it is another binary", "FILE"},
		{"machines", 0, 0, G_OPTION_ARG_STRING, &o.ov.machines,
		 "machine type globs, ';'-separated", "GLOBS"},
		{"exclude-machines", 0, 0, G_OPTION_ARG_STRING, &o.ov.exclude_machines,
		 "machine type globs to leave out", "GLOBS"},
		{"nics", 0, 0, G_OPTION_ARG_STRING, &o.ov.nics, "NIC model globs", "GLOBS"},
		{"exclude-nics", 0, 0, G_OPTION_ARG_STRING, &o.ov.exclude_nics,
		 "NIC model globs to leave out", "GLOBS"},
		{"direction", 0, 0, G_OPTION_ARG_STRING, &o.ov.directions,
		 "old-to-new, new-to-old or both (default)", "DIR"},
		{"accel", 0, 0, G_OPTION_ARG_STRING, &o.ov.accel, "tcg (default), kvm or auto",
		 "ACCEL"},
		{"timeout", 0, 0, G_OPTION_ARG_STRING, &o.ov.timeout,
		 "seconds one QEMU pair may take (default 30)", "S"},
		{"jobs", 'j', 0, G_OPTION_ARG_STRING, &o.ov.jobs,
		 "QEMU pairs at once (default: one per CPU)", "N"},
		{"shard", 0, 0, G_OPTION_ARG_STRING, &o.shard,
		 "run part K of N of the matrix (for N CI jobs; romcompat merge joins them)",
		 "K/N"},
		{"json", 0, 0, G_OPTION_ARG_FILENAME, &o.ov.json,
		 "write the JSON report to FILE ('-': standard output)", "FILE"},
		{"junit", 0, 0, G_OPTION_ARG_FILENAME, &o.ov.junit,
		 "write the JUnit XML report to FILE", "FILE"},
		{"tap", 0, 0, G_OPTION_ARG_FILENAME, &o.tap, "write a TAP report to FILE", "FILE"},
		{"static", 0, 0, G_OPTION_ARG_NONE, &o.predict_only,
		 "no QEMU: every verdict is the static prediction (evidence 'predicted')", NULL},
		{"prove-alone", 0, 0, G_OPTION_ARG_NONE, &o.prove_alone,
		 "run every attributed failure again with its NIC alone", NULL},
		{"nics-per-pair", 0, 0, G_OPTION_ARG_INT, &o.max_nics,
		 "NICs one QEMU pair carries, 1 .. 24 (default 24; 1: a pair per case)", "N"},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "no progress line on a terminal",
		 NULL},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("[SCENARIO]");
	g_autoptr(RcScenario) scenario = NULL;
	g_autoptr(RcCatalog) catalog = NULL;
	g_autoptr(RcCatalog) new_catalog = NULL;
	g_autoptr(RcRomSet) old_roms = NULL;
	g_autoptr(RcRomSet) new_roms = NULL;
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(RcReport) report = NULL;
	g_autoptr(RcRunDir) old_unpacked = NULL;
	g_autoptr(RcRunDir) new_unpacked = NULL;
	g_autoptr(GError) run_error = NULL;
	g_autofree char *old_qemu = NULL;
	g_autofree char *new_qemu = NULL;
	g_autofree char *text = NULL;
	RcShard shard = {1, 1};
	RcRunnerStats stats = {0};
	Progress progress = {.tty = FALSE};
	RcRunnerConfig config = {0};
	const char *accel;
	gint64 start;
	gboolean ran;

	g_option_context_set_summary(
		ctx, "Run the migration matrix of a scenario (or of --old/--new) on real QEMU "
		     "pairs.\nExit status: 0 every case migrates, 1 a case fails, 2 bad input, "
		     "3 a case could not be tested or the run is partial.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!rc_command_parse_options(ctx, &argc, &argv, error))
		return FALSE;
	if (argc > 2 || (argc == 2 && o.scenario)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "check takes one scenario (see 'check --help')");
		return FALSE;
	}
	if (argc == 2)
		o.scenario = g_strdup(argv[1]);
	if (o.max_nics < 1 || o.max_nics > RC_RUNNER_MAX_NICS) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--nics-per-pair must be 1 .. %d, not %d", RC_RUNNER_MAX_NICS,
			    o.max_nics);
		return FALSE;
	}
	if (o.shard && !rc_shard_parse(o.shard, &shard, error))
		return FALSE;

	scenario = o.scenario ? rc_scenario_load(o.scenario, error) : rc_scenario_new();
	if (!scenario || !rc_scenario_apply_overrides(scenario, &o.ov, error) ||
	    !rc_scenario_check_ready(scenario, error))
		return FALSE;
	/* --static with a catalog file is the one run that needs no QEMU. */
	if ((!o.predict_only || !scenario->catalog) &&
	    (!(old_qemu = rc_qemu_find_binary(scenario->old_side.qemu, error)) ||
	     !(new_qemu = rc_qemu_find_binary(scenario->new_side.qemu, error))))
		return FALSE;
	if (!(catalog = rc_catalog_for_qemu(old_qemu ? old_qemu : scenario->old_side.qemu,
					    scenario->catalog, error)))
		return FALSE;
	if (old_qemu && strcmp(old_qemu, new_qemu) != 0 &&
	    !(new_catalog = rc_catalog_for_qemu(new_qemu, o.new_catalog, error)))
		return FALSE;
	if (!(old_roms = load_roms("old", scenario->old_side.roms, error)) ||
	    !(new_roms = load_roms("new", scenario->new_side.roms, error)))
		return FALSE;
	if (!o.predict_only &&
	    (!unpack(old_roms, &old_unpacked, error) || !unpack(new_roms, &new_unpacked, error)))
		return FALSE;
	if (!(all = rc_matrix_build(catalog, scenario, error)))
		return FALSE;
	if (!(accel = rc_qemu_pick_accel(rc_accel_to_string(scenario->accel), error)))
		return FALSE;
	if (new_catalog)
		keep_shared_machines(all, new_catalog);

	report = rc_report_new();
	report->romcompat_version = g_strdup(RC_VERSION);
	report->scenario = g_strdup(scenario->name);
	report->arch = g_strdup(catalog->arch);
	report->accel = g_strcmp0(accel, "kvm") == 0 ? RC_ACCEL_KVM : RC_ACCEL_TCG;
	fill_side(&report->old_side, scenario->old_side.qemu, catalog->qemu_version,
		  scenario->old_side.roms);
	fill_side(&report->new_side, scenario->new_side.qemu,
		  (new_catalog ? new_catalog : catalog)->qemu_version, scenario->new_side.roms);
	report->shard = shard;
	report->matrix_cases = all->len;
	report->matrix_digest = rc_matrix_digest(all);
	cases = rc_matrix_shard(all, &shard);

	config.old_side.qemu = old_qemu;
	config.old_side.roms = old_roms;
	config.new_side.qemu = new_qemu;
	config.new_side.roms = new_roms;
	config.catalog = catalog;
	config.new_catalog = new_catalog;
	config.accel = accel;
	config.timeout_us = (gint64)scenario->timeout_s * G_USEC_PER_SEC;
	config.jobs = scenario->jobs ? scenario->jobs : default_jobs();
	config.max_nics = (guint)o.max_nics;
	config.prove_alone = o.prove_alone;
	config.predict_only = o.predict_only;
	progress.tty = !o.quiet && isatty(STDERR_FILENO);
	progress.start = start = g_get_monotonic_time();
	config.progress = show_progress;
	config.progress_data = &progress;
	rc_trace("check: %u cases of %u (shard %u/%u), %u jobs, %u NICs a pair", cases->len,
		 all->len, shard.index, shard.count, config.jobs, config.max_nics);

	rc_qemu_install_signal_handlers();
	ran = rc_runner_run(&config, cases, &stats, &run_error);
	if (!ran) {
		report->interrupted = g_error_matches(run_error, RC_ERROR, RC_ERROR_INTERRUPTED);
		rc_print_error(run_error);
	}
	g_ptr_array_extend_and_steal(report->cases, g_steal_pointer(&cases));
	text = rc_report_to_text(report);
	if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot write the report on standard output: %s", g_strerror(errno));
		return FALSE;
	}
	if (!o.predict_only)
		print_stats(&stats, report,
			    (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC);
	if (!write_reports(report, scenario, o.tap, error))
		return FALSE;
	*exit_status = rc_report_exit_status(report);
	return TRUE;
}
