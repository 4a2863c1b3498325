/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.c - one matrix run from a scenario: inputs checked before any
 * QEMU, catalogs, ROM sets, the runner, and the report (for check and
 * bisect).
 *
 * The order is fixed: everything that can be wrong with the input (the
 * QEMU binaries, their catalogs, the ROM sets, the machine globs, the
 * accelerator) is checked before the first QEMU pair starts; the runner
 * then fills in the verdicts.  A run stopped by a signal still gives its
 * report, marked interrupted.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "discover.h"
#include "error.h"
#include "qemu_process.h"
#include "romset.h"
#include "rundir.h"
#include "trace.h"

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

/**
 * rc_check_run_clear() - free what a run holds
 * @run:	the run
 */
void rc_check_run_clear(RcCheckRun *run)
{
	rc_report_free(run->report);
	run->report = NULL;
	g_clear_error(&run->run_error);
}

/* Everything a run needs, owned here and freed together. */
typedef struct {
	char *old_qemu;
	char *new_qemu;
	RcCatalog *catalog;
	RcCatalog *new_catalog;
	RcRomSet *old_roms;
	RcRomSet *new_roms;
	RcRunDir *old_unpacked;
	RcRunDir *new_unpacked;
	GPtrArray *all;
	const char *accel;
} Inputs;

static void inputs_clear(Inputs *in)
{
	g_free(in->old_qemu);
	g_free(in->new_qemu);
	rc_catalog_free(in->catalog);
	rc_catalog_free(in->new_catalog);
	rc_rom_set_free(in->old_roms);
	rc_rom_set_free(in->new_roms);
	rc_rundir_free(in->old_unpacked);
	rc_rundir_free(in->new_unpacked);
	if (in->all)
		g_ptr_array_unref(in->all);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Inputs, inputs_clear)

static gboolean load_inputs(const RcCheckRequest *req, Inputs *in, RcCheckInput *failed,
			    GError **error)
{
	const RcScenario *scenario = req->scenario;

	/* --static with a catalog file is the one run that needs no QEMU. */
	*failed = RC_CHECK_INPUT_QEMU;
	if ((!req->predict_only || !scenario->catalog) &&
	    (!(in->old_qemu = rc_qemu_find_binary(scenario->old_side.qemu, error)) ||
	     !(in->new_qemu = rc_qemu_find_binary(scenario->new_side.qemu, error))))
		return FALSE;
	if (!(in->catalog =
		      rc_catalog_for_qemu(in->old_qemu ? in->old_qemu : scenario->old_side.qemu,
					  scenario->catalog, error)))
		return FALSE;
	if (in->old_qemu && strcmp(in->old_qemu, in->new_qemu) != 0 &&
	    !(in->new_catalog = rc_catalog_for_qemu(in->new_qemu, req->new_catalog, error)))
		return FALSE;
	*failed = RC_CHECK_INPUT_OLD_ROMS;
	if (!(in->old_roms = load_roms("old", scenario->old_side.roms, error)))
		return FALSE;
	*failed = RC_CHECK_INPUT_NEW_ROMS;
	if (!(in->new_roms = load_roms("new", scenario->new_side.roms, error)))
		return FALSE;
	*failed = RC_CHECK_INPUT_NONE;
	if (!req->predict_only && (!unpack(in->old_roms, &in->old_unpacked, error) ||
				   !unpack(in->new_roms, &in->new_unpacked, error)))
		return FALSE;
	if (!(in->all = rc_matrix_build(in->catalog, scenario, error)))
		return FALSE;
	if (!(in->accel = rc_qemu_pick_accel(rc_accel_to_string(scenario->accel), error)))
		return FALSE;
	if (in->new_catalog)
		keep_shared_machines(in->all, in->new_catalog);
	return TRUE;
}

static RcReport *new_report(const RcCheckRequest *req, const Inputs *in)
{
	const RcScenario *scenario = req->scenario;
	RcReport *report = rc_report_new();

	report->romcompat_version = g_strdup(RC_VERSION);
	report->scenario = g_strdup(scenario->name);
	report->arch = g_strdup(in->catalog->arch);
	report->accel = g_strcmp0(in->accel, "kvm") == 0 ? RC_ACCEL_KVM : RC_ACCEL_TCG;
	fill_side(&report->old_side, scenario->old_side.qemu, in->catalog->qemu_version,
		  scenario->old_side.roms);
	fill_side(&report->new_side, scenario->new_side.qemu,
		  (in->new_catalog ? in->new_catalog : in->catalog)->qemu_version,
		  scenario->new_side.roms);
	report->shard = req->shard;
	report->matrix_cases = in->all->len;
	report->matrix_digest = rc_matrix_digest(in->all);
	return report;
}

/**
 * rc_check_run() - run the matrix of a scenario
 * @request:	what to run
 * @run:	filled in: the report (also after a signal: then run_error is
 *		set and the report says it was interrupted), the cost
 * @error:	set when the run could not start (bad input: run->failed_input
 *		says which; no QEMU; a report cannot be made)
 *
 * Return: TRUE when there is a report
 */
gboolean rc_check_run(const RcCheckRequest *request, RcCheckRun *run, GError **error)
{
	g_auto(Inputs) in = {0};
	g_autoptr(GPtrArray) cases = NULL;
	RcRunnerConfig config = {0};
	const RcScenario *scenario = request->scenario;
	gint64 start;

	if (!load_inputs(request, &in, &run->failed_input, error))
		return FALSE;
	run->report = new_report(request, &in);
	cases = rc_matrix_shard(in.all, &request->shard);
	config.old_side.qemu = in.old_qemu;
	config.old_side.roms = in.old_roms;
	config.new_side.qemu = in.new_qemu;
	config.new_side.roms = in.new_roms;
	config.catalog = in.catalog;
	config.new_catalog = in.new_catalog;
	config.accel = in.accel;
	config.timeout_us = (gint64)scenario->timeout_s * G_USEC_PER_SEC;
	config.jobs = scenario->jobs ? scenario->jobs : default_jobs();
	config.max_nics = request->max_nics;
	config.prove_alone = request->prove_alone;
	config.predict_only = request->predict_only;
	config.progress = request->progress;
	config.progress_data = request->progress_data;
	rc_trace("check: %u cases of %u (shard %u/%u), %u jobs, %u NICs a pair", cases->len,
		 in.all->len, request->shard.index, request->shard.count, config.jobs,
		 config.max_nics);

	rc_qemu_install_signal_handlers();
	start = g_get_monotonic_time();
	if (!rc_runner_run(&config, cases, &run->stats, &run->run_error))
		run->report->interrupted =
			g_error_matches(run->run_error, RC_ERROR, RC_ERROR_INTERRUPTED);
	run->seconds = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_ptr_array_extend_and_steal(run->report->cases, g_steal_pointer(&cases));
	return TRUE;
}

/**
 * rc_check_print_stats() - one line: the QEMU pairs a run took
 * @run:	the run
 */
void rc_check_print_stats(const RcCheckRun *run)
{
	const RcRunnerStats *stats = &run->stats;

	printf("QEMU pairs: %u for %u cases (%u shared, %u to isolate an ambiguous run, %u to "
	       "prove a failure alone; %u cases moved to another pair); %.2f s\n",
	       stats->pairs, run->report->cases->len, stats->shared_pairs, stats->isolation_pairs,
	       stats->alone_pairs, stats->requeued_cases, run->seconds);
}
