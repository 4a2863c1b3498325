/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.h - one matrix run from a scenario: inputs checked before any
 * QEMU, catalogs, ROM sets, the runner, and the report (for check and
 * bisect).
 */
#ifndef RC_CHECK_H
#define RC_CHECK_H

#include <glib.h>
#include <stdio.h>

#include "matrix/matrix.h"
#include "rom/romset.h"
#include "matrix/runner.h"
#include "matrix/scenario.h"

/**
 * RcCheckInput - which input stopped a run before it started
 * @RC_CHECK_INPUT_NONE:	none (or not an input)
 * @RC_CHECK_INPUT_OLD_ROMS:	the old ROM set
 * @RC_CHECK_INPUT_NEW_ROMS:	the new ROM set (for bisect: the build made none)
 * @RC_CHECK_INPUT_QEMU:	a QEMU binary or its catalog
 */
typedef enum {
	RC_CHECK_INPUT_NONE,
	RC_CHECK_INPUT_OLD_ROMS,
	RC_CHECK_INPUT_NEW_ROMS,
	RC_CHECK_INPUT_QEMU,
} RcCheckInput;

/**
 * RcCheckRequest - what to run
 * @scenario:	the scenario, overrides applied and checked
 * @new_catalog: catalog file of the new QEMU, or NULL
 * @shard:	the part of the matrix
 * @predict_only: no QEMU (--static)
 * @prove_alone: prove every attributed failure alone
 * @max_nics:	NICs a pair carries
 * @mitigate_romsize: run the failures again with the new host's romsize
 *		pinned to the old bucket
 * @compat_file: run the failures again with compatibility ROM sets per
 *		machine type (lines "GLOB = DIRECTORY"), or NULL
 * @mitigate_pad: run the failures again with the new ROMs padded or
 *		trimmed to their old buckets
 * @backend:	"direct" (or NULL) or "libvirt"
 * @connect:	libvirt connection URI, or NULL for qemu:///session
 * @progress:	called after each verdict, or NULL
 * @progress_data: passed to @progress
 */
typedef struct {
	const RcScenario *scenario;
	const char *new_catalog;
	RcShard shard;
	gboolean predict_only;
	gboolean prove_alone;
	guint max_nics;
	gboolean mitigate_romsize;
	const char *compat_file;
	gboolean mitigate_pad;
	const char *backend;
	const char *connect;
	RcRunnerProgress progress;
	gpointer progress_data;
} RcCheckRequest;

/**
 * RcMitigationResult - the failures of a run, run again with a mitigation
 * @name:	what was tried
 * @cases:	RcCase *: the failing cases with their new verdicts
 * @fixed:	how many of them now migrate
 */
typedef struct {
	char *name;
	GPtrArray *cases;
	guint fixed;
} RcMitigationResult;

/**
 * RcCheckRun - what a run gave
 * @report:	the report, also a partial one (run_error set)
 * @stats:	QEMU pairs it took
 * @seconds:	wall time of the runner
 * @run_error:	why the run stopped early (a signal), or NULL
 * @failed_input: set when the run did not start, with the error returned
 * @mitigations: RcMitigationResult *, one per mitigation asked for
 * @backend:	the backend that ran the cases, in a few words
 * @old_roms:	the old ROM set the run used (for reports that draw it)
 * @new_roms:	the new ROM set
 */
typedef struct {
	RcReport *report;
	RcRunnerStats stats;
	double seconds;
	GError *run_error;
	RcCheckInput failed_input;
	GPtrArray *mitigations;
	char *backend;
	RcRomSet *old_roms;
	RcRomSet *new_roms;
} RcCheckRun;

void rc_check_run_clear(RcCheckRun *run);
gboolean rc_check_run(const RcCheckRequest *request, RcCheckRun *run, GError **error);
void rc_check_print_stats(const RcCheckRun *run, FILE *out);
void rc_check_print_mitigations(const RcCheckRun *run, FILE *out);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RcCheckRun, rc_check_run_clear)

#endif /* RC_CHECK_H */
