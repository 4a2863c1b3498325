/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runner.h - the matrix runner: cases onto shared QEMU pairs, verdicts back
 * onto cases, with the evidence each rests on.
 */
#ifndef RC_RUNNER_H
#define RC_RUNNER_H

#include <glib.h>

#include "qemu/catalog.h"
#include "matrix/matrix.h"
#include "qemu/migration_case.h"
#include "rom/romset.h"

/* NICs one QEMU pair carries at most: PCI slots 2 .. 25 are free on both
 * i440fx and q35 with -nodefaults. */
#define RC_RUNNER_MAX_NICS 24

/**
 * RcRunnerSide - what one host runs
 * @qemu:	QEMU binary (an absolute path)
 * @datadir:	QEMU data directory given with -L, or NULL
 * @roms:	the ROM set its NICs load
 */
typedef struct {
	const char *qemu;
	const char *datadir;
	const RcRomSet *roms;
} RcRunnerSide;

/**
 * RcCompatRoms - a mitigation: machine types that load other ROMs on the
 * new host (compatibility ROMs kept for old machine types)
 * @glob:	machine types it applies to (g_pattern_match_simple())
 * @roms:	the ROM set they load on the new host
 */
typedef struct {
	char *glob;
	RcRomSet *roms;
} RcCompatRoms;

/**
 * RcRunnerProgress - called after each case gets its verdict
 * @done:	cases with a verdict so far
 * @total:	cases in the run
 * @c:		the case that just got one
 * @user_data:	RcRunnerConfig.progress_data
 *
 * Called from worker threads, one call at a time.
 */
typedef void (*RcRunnerProgress)(guint done, guint total, const RcCase *c, gpointer user_data);

/**
 * RcRunnerConfig - how to run a matrix
 * @old_side:	the host running VMs come from
 * @new_side:	the host they move to
 * @catalog:	machine types of the old QEMU (guest RAM per machine type, the
 *		ROM file each NIC loads there)
 * @new_catalog: the new QEMU's, when it is another binary (the ROM file a
 *		NIC loads may differ between QEMU versions); NULL: @catalog
 * @accel:	"tcg" or "kvm"
 * @timeout_us:	deadline of one QEMU pair, from start to the end of migration
 * @jobs:	QEMU pairs at once (at least 1)
 * @max_nics:	NICs per pair, 1 .. RC_RUNNER_MAX_NICS (1: one pair per case)
 * @prove_alone: run every attributed failure again on its own
 * @predict_only: no QEMU at all: every verdict is the static prediction
 * @pin_romsize: a mitigation: the new host's NICs get romsize = the old
 *		ROM's bucket
 * @compat:	a mitigation: RcCompatRoms *, the first whose glob matches a
 *		machine type gives its new ROM set; NULL or empty: none
 * @progress:	called after each verdict, or NULL
 * @progress_data: passed to @progress
 * @migrate:	the backend that runs a pair, or NULL: QEMU directly
 *		(rc_migration_run())
 * @migrate_data: passed to @migrate
 * @chain:	the backend's way to run a case's two directions with three
 *		QEMUs, or NULL: every pair runs on its own
 */
typedef struct {
	RcRunnerSide old_side;
	RcRunnerSide new_side;
	const RcCatalog *catalog;
	const RcCatalog *new_catalog;
	const char *accel;
	gint64 timeout_us;
	guint jobs;
	guint max_nics;
	gboolean prove_alone;
	gboolean predict_only;
	gboolean pin_romsize;
	GPtrArray *compat;
	RcRunnerProgress progress;
	gpointer progress_data;
	RcMigrateFunc migrate;
	gpointer migrate_data;
	RcChainFunc chain;
} RcRunnerConfig;

/**
 * RcRunnerStats - what a run cost
 * @pairs:		QEMU pairs run in all (a chain's two legs count two)
 * @shared_pairs:	pairs that carried more than one NIC
 * @chained_pairs:	second legs: a destination migrating on to a third QEMU
 * @qemus:		QEMU processes started
 * @migrations:	migrations that completed
 * @isolation_pairs:	pairs run to split an ambiguous shared run
 * @alone_pairs:	pairs run to prove an attributed failure alone
 * @requeued_cases:	cases moved to another pair (their own block did not
 *			differ but the shared migration failed)
 */
typedef struct {
	guint pairs;
	guint shared_pairs;
	guint chained_pairs;
	guint qemus;
	guint migrations;
	guint isolation_pairs;
	guint alone_pairs;
	guint requeued_cases;
} RcRunnerStats;

void rc_runner_predict(const RcRunnerConfig *config, GPtrArray *cases);
gboolean rc_runner_run(const RcRunnerConfig *config, GPtrArray *cases, RcRunnerStats *stats,
		       GError **error);

#endif /* RC_RUNNER_H */
