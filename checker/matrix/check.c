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
#include "matrix/check.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "matrix/backend.h"
#include "sources/debsource.h"
#include "qemu/discover.h"
#include "base/error.h"
#include "base/input.h"
#include "rom/pad.h"
#include "qemu/qemu_binary.h"
#include "qemu/qemu_process.h"
#include "rom/romset.h"
#include "qemu/rundir.h"
#include "base/trace.h"
#include "base/units.h"

/* A compatibility mapping is a line per machine-type family. */
#define COMPAT_MAX_BYTES (1024 * 1024)

/* A ROM set every case can use; errors in single files are per case. */
static RcRomSet *load_roms(const char *which, const char *path, GError **error)
{
	GError *local = NULL;
	RcRomSet *set = rc_rom_set_load(path, &local);

	if (!set) {
		/* The code stays: an archive out of reach is no fault of the input. */
		g_propagate_prefixed_error(error, local, "%s ROMs: ", which);
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
	if (rc_rom_set_holds_bytes(set) && !(*dir = rc_rundir_new(error)))
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
	if (run->mitigations)
		g_ptr_array_unref(run->mitigations);
	run->mitigations = NULL;
	g_free(run->backend);
	run->backend = NULL;
	rc_rom_set_free(run->old_roms);
	rc_rom_set_free(run->new_roms);
	run->old_roms = run->new_roms = NULL;
}

static void mitigation_free(gpointer p)
{
	RcMitigationResult *m = p;

	g_free(m->name);
	g_ptr_array_unref(m->cases);
	g_free(m);
}

static void compat_free(gpointer p)
{
	RcCompatRoms *c = p;

	g_free(c->glob);
	rc_rom_set_free(c->roms);
	g_free(c);
}

/*
 * A compatibility mapping: lines "GLOB = DIRECTORY" ('#' comments), the
 * directory relative to the file's.  The first glob that matches a machine
 * type wins.
 */
static GPtrArray *load_compat(const char *path, GError **error)
{
	g_autoptr(GPtrArray) compat = g_ptr_array_new_with_free_func(compat_free);
	g_autofree char *text = NULL;
	g_autofree char *base = g_path_get_dirname(path);
	g_auto(GStrv) lines = NULL;
	g_autoptr(GError) local = NULL;

	if (!rc_input_read(path, "compatibility mapping", COMPAT_MAX_BYTES, &text, NULL, &local)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "--mitigation compat: %s",
			    local->message);
		return NULL;
	}
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		g_auto(GStrv) kv = NULL;
		g_autofree char *dir = NULL;
		RcCompatRoms *c;
		RcRomSet *roms;

		g_strstrip(lines[i]);
		if (!*lines[i] || lines[i][0] == '#')
			continue;
		kv = g_strsplit(lines[i], "=", 2);
		if (g_strv_length(kv) != 2 || !*g_strstrip(kv[0]) || !*g_strstrip(kv[1])) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "%s:%u: write 'MACHINE-GLOB = ROM-DIRECTORY'", path, i + 1);
			return NULL;
		}
		dir = g_path_is_absolute(kv[1]) || rc_debian_is_source(kv[1])
			      ? g_strdup(kv[1])
			      : g_build_filename(base, kv[1], NULL);
		if (!(roms = load_roms("compatibility", dir, error)))
			return NULL;
		c = g_new0(RcCompatRoms, 1);
		c->glob = g_strdup(kv[0]);
		c->roms = roms;
		g_ptr_array_add(compat, c);
	}
	return g_steal_pointer(&compat);
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
	GPtrArray *compat;
	GPtrArray *compat_dirs;
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
	if (in->compat)
		g_ptr_array_unref(in->compat);
	if (in->compat_dirs)
		g_ptr_array_unref(in->compat_dirs);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Inputs, inputs_clear)

/* The device classes the backend runs: libvirt's domains carry NICs only
 * (no display device, no -bios); QEMU directly (and --static) all. */
static guint backend_classes(const RcCheckRequest *req)
{
	if (!req->predict_only && g_strcmp0(req->backend, "libvirt") == 0)
		return RC_DEVICE_CLASS_BIT(RC_DEVICE_CLASS_NIC);
	return RC_DEVICE_CLASS_BIT(RC_DEVICE_CLASS_COUNT) - 1;
}

static gboolean check_backend_classes(const RcCheckRequest *req, GError **error)
{
	guint other = req->scenario->device_classes & ~backend_classes(req);

	if (!other)
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
		    "--backend %s checks NIC ROMs only, not device class %s; use the direct "
		    "backend for display and firmware",
		    req->backend,
		    rc_device_class_to_string((other & RC_DEVICE_CLASS_BIT(RC_DEVICE_CLASS_DISPLAY))
						      ? RC_DEVICE_CLASS_DISPLAY
						      : RC_DEVICE_CLASS_FIRMWARE));
	return FALSE;
}

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
	if (!(in->catalog = rc_catalog_for_qemu(in->old_qemu, scenario->catalog, error)))
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
	if (req->compat_file && !(in->compat = load_compat(req->compat_file, error)))
		return FALSE;
	*failed = RC_CHECK_INPUT_NONE;
	if (!req->predict_only && (!unpack(in->old_roms, &in->old_unpacked, error) ||
				   !unpack(in->new_roms, &in->new_unpacked, error)))
		return FALSE;
	in->compat_dirs = g_ptr_array_new_with_free_func((GDestroyNotify)rc_rundir_free);
	for (guint i = 0; !req->predict_only && in->compat && i < in->compat->len; i++) {
		RcCompatRoms *c = g_ptr_array_index(in->compat, i);
		RcRunDir *dir = NULL;

		if (!unpack(c->roms, &dir, error))
			return FALSE;
		if (dir)
			g_ptr_array_add(in->compat_dirs, dir);
	}
	if (!check_backend_classes(req, error) ||
	    !(in->all = rc_matrix_build_classes(in->catalog, scenario, in->old_roms, in->new_roms,
						backend_classes(req), error)))
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
	/* A set's source names a package's version as fetched. */
	fill_side(&report->old_side, scenario->old_side.qemu, in->catalog->qemu_version,
		  in->old_roms ? in->old_roms->source : scenario->old_side.roms);
	fill_side(&report->new_side, scenario->new_side.qemu,
		  (in->new_catalog ? in->new_catalog : in->catalog)->qemu_version,
		  in->new_roms ? in->new_roms->source : scenario->new_side.roms);
	report->shard = req->shard;
	report->matrix_cases = in->all->len;
	report->matrix_digest = rc_matrix_digest(in->all);
	return report;
}

/* The failing cases of @report, as fresh cases to run again. */
static GPtrArray *failures_of(const RcReport *report)
{
	GPtrArray *cases = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);

	for (guint i = 0; i < report->cases->len; i++) {
		const RcCase *c = g_ptr_array_index(report->cases, i);

		if (c->result.verdict == RC_VERDICT_FAIL)
			g_ptr_array_add(cases,
					rc_case_new_device(c->device_class, c->machine, c->nic,
							   c->direction, c->romfile));
	}
	return cases;
}

/* The failures run again under one mitigation (@config says which); FALSE
 * after a signal. */
static gboolean mitigate(RcCheckRun *run, const RcRunnerConfig *config, const char *name,
			 GError **error)
{
	RcRunnerConfig quiet = *config;
	RcMitigationResult *m = g_new0(RcMitigationResult, 1);
	gboolean ok;

	m->name = g_strdup(name);
	m->cases = failures_of(run->report);
	g_ptr_array_add(run->mitigations, m);
	quiet.progress = NULL;
	ok = rc_runner_run(&quiet, m->cases, NULL, error);
	for (guint i = 0; i < m->cases->len; i++)
		if (((RcCase *)g_ptr_array_index(m->cases, i))->result.verdict == RC_VERDICT_PASS)
			m->fixed++;
	return ok;
}

/*
 * The padding mitigation: the new ROMs padded or trimmed to their old
 * namesakes' buckets (pad.c), then the failures run again with them.
 */
static gboolean mitigate_pad(RcCheckRun *run, const RcRunnerConfig *base, const Inputs *in,
			     GError **error)
{
	RcPadRequest request = {.like = run->old_roms, .fill = -1};
	g_autoptr(GPtrArray) results = rc_pad_set(run->new_roms, &request);
	g_autoptr(RcRomSet) padded =
		rc_pad_results_to_set(results, "the new ROMs padded to the old buckets");
	g_autoptr(GString) name =
		g_string_new("pad: the new ROMs padded or trimmed to their old buckets");
	RcRunDir *dir = NULL;
	RcRunnerConfig config = *base;
	gboolean ok;

	for (guint i = 0; i < results->len; i++) {
		const RcPadResult *r = g_ptr_array_index(results, i);
		g_autofree char *need = NULL;
		g_autofree char *bucket = NULL;

		if (r->action != RC_PAD_TOO_BIG)
			continue;
		need = rc_format_size(r->needed);
		bucket = rc_format_bucket(r->target);
		g_string_append_printf(name, "\n  cannot fit %s: its images need %s, more than %s",
				       r->name, need, bucket);
	}
	if (!unpack(padded, &dir, error))
		return FALSE;
	config.new_side.roms = padded;
	ok = mitigate(run, &config, name->str, error);
	rc_rundir_free(dir);
	return ok;
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
	g_auto(RcBackend) backend = {0};
	g_autoptr(GPtrArray) cases = NULL;
	RcRunnerConfig config = {0};
	const RcScenario *scenario = request->scenario;
	gint64 start;

	/* Before anything starts a QEMU or makes a run directory: identifying a
	 * binary or reading its catalog back does both. */
	rc_qemu_install_signal_handlers();
	if (!load_inputs(request, &in, &run->failed_input, error))
		return FALSE;
	if (!request->predict_only &&
	    !rc_backend_open(&backend, request->backend, request->connect, error))
		return FALSE;
	run->backend = request->predict_only ? g_strdup("none") : rc_backend_describe(&backend);
	run->report = new_report(request, &in);
	/* The run keeps the sets it used, for reports that draw them. */
	run->old_roms = g_steal_pointer(&in.old_roms);
	run->new_roms = g_steal_pointer(&in.new_roms);
	cases = rc_matrix_shard(in.all, &request->shard);
	config.old_side.qemu = in.old_qemu;
	config.old_side.roms = run->old_roms;
	config.new_side.qemu = in.new_qemu;
	config.new_side.roms = run->new_roms;
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
	config.migrate = backend.migrate;
	config.chain = backend.chain;
	config.migrate_data = backend.data;
	rc_trace("check: %u cases of %u (shard %u/%u), %u jobs, %u NICs a pair", cases->len,
		 in.all->len, request->shard.index, request->shard.count, config.jobs,
		 config.max_nics);

	start = g_get_monotonic_time();
	if (!rc_runner_run(&config, cases, &run->stats, &run->run_error))
		run->report->interrupted =
			g_error_matches(run->run_error, RC_ERROR, RC_ERROR_INTERRUPTED);
	run->seconds = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_ptr_array_extend_and_steal(run->report->cases, g_steal_pointer(&cases));
	run->mitigations = g_ptr_array_new_with_free_func(mitigation_free);
	if (run->run_error || request->predict_only ||
	    rc_report_exit_status(run->report) != RC_EXIT_INCOMPATIBLE)
		return TRUE;
	if (request->mitigate_romsize) {
		RcRunnerConfig pinned = config;

		pinned.pin_romsize = TRUE;
		if (!mitigate(run, &pinned,
			      "romsize: the new host pins each NIC's romsize to the old bucket",
			      &run->run_error))
			return TRUE;
	}
	if (in.compat) {
		g_autofree char *name = g_strdup_printf("compatibility ROMs by machine type (%s)",
							request->compat_file);
		RcRunnerConfig mapped = config;

		mapped.compat = in.compat;
		if (!mitigate(run, &mapped, name, &run->run_error))
			return TRUE;
	}
	if (request->mitigate_pad)
		mitigate_pad(run, &config, &in, &run->run_error);
	return TRUE;
}

/**
 * rc_check_print_mitigations() - what each mitigation fixes and what not
 * @run:	the run
 * @out:	where to print (standard output, or standard error when a
 *		report goes there)
 */
void rc_check_print_mitigations(const RcCheckRun *run, FILE *out)
{
	for (guint i = 0; run->mitigations && i < run->mitigations->len; i++) {
		const RcMitigationResult *m = g_ptr_array_index(run->mitigations, i);
		g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

		fprintf(out,
			"\nMitigation: %s\n  fixes %u of %u failing cases (each run again on real QEMU)\n",
			m->name, m->fixed, m->cases->len);
		for (guint j = 0; j < m->cases->len; j++) {
			const RcCase *c = g_ptr_array_index(m->cases, j);
			const char *why = c->result.message ? c->result.message : "no message";

			if (c->result.verdict == RC_VERDICT_PASS ||
			    g_hash_table_contains(seen, why))
				continue;
			g_hash_table_add(seen, (gpointer)why);
			fprintf(out, "  still %s: %s %s %s: %s\n",
				rc_verdict_to_string(c->result.verdict), c->machine, c->nic,
				rc_direction_to_string(c->direction), why);
			if (g_hash_table_size(seen) >= 5) {
				fputs("  ...\n", out);
				break;
			}
		}
	}
}

/**
 * rc_check_print_stats() - one line: the QEMU pairs a run took
 * @run:	the run
 * @out:	where to print
 */
void rc_check_print_stats(const RcCheckRun *run, FILE *out)
{
	const RcRunnerStats *stats = &run->stats;

	fprintf(out,
		"QEMU pairs: %u for %u cases (%u shared, %u chained on from a destination, %u to "
		"isolate an ambiguous run, %u to prove a failure alone; %u cases moved to another "
		"pair); %u QEMU processes, %u migrations completed; %.2f s; backend %s\n",
		stats->pairs, run->report->cases->len, stats->shared_pairs, stats->chained_pairs,
		stats->isolation_pairs, stats->alone_pairs, stats->requeued_cases, stats->qemus,
		stats->migrations, run->seconds, run->backend ? run->backend : "direct");
}
