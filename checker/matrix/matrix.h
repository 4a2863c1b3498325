/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * matrix.h - the compatibility matrix: which cases (machine type x NIC
 * model x direction) a catalog and a scenario select, their results, the
 * grouping of cases onto shared QEMU pairs, sharding across CI jobs, and
 * the report model every report format writes.
 */
#ifndef RC_MATRIX_H
#define RC_MATRIX_H

#include <glib.h>

#include "qemu/catalog.h"
#include "base/enumtable.h"
#include "qemu/kind.h"
#include "matrix/scenario.h"
#include "rom/romset.h"

/**
 * RcVerdict - the answer for one case
 * @RC_VERDICT_NOT_RUN:	no answer (interrupted, or the runner never got to it)
 * @RC_VERDICT_PASS:	the VM migrates
 * @RC_VERDICT_FAIL:	the VM does not migrate
 * @RC_VERDICT_ERROR:	the case could not be tested (QEMU did not start, ...)
 */
typedef enum {
	RC_VERDICT_NOT_RUN,
	RC_VERDICT_PASS,
	RC_VERDICT_FAIL,
	RC_VERDICT_ERROR,
} RcVerdict;

#define RC_VERDICT_COUNT 4

/**
 * RcEvidence - what a verdict rests on (docs/targets.md, "Evidence")
 * @RC_EVIDENCE_NONE:	nothing (not run, or an error)
 * @RC_EVIDENCE_MIGRATED: the NIC took part in a real migration that completed
 * @RC_EVIDENCE_FAILED_ALONE: a real migration with this NIC as the only
 *	difference failed, and QEMU's message names its block and sizes
 * @RC_EVIDENCE_ATTRIBUTED: a shared migration failed and both QEMUs' RAM
 *	block lists show this NIC's block with different sizes
 * @RC_EVIDENCE_PREDICTED: static prediction only, no QEMU run
 */
typedef enum {
	RC_EVIDENCE_NONE,
	RC_EVIDENCE_MIGRATED,
	RC_EVIDENCE_FAILED_ALONE,
	RC_EVIDENCE_ATTRIBUTED,
	RC_EVIDENCE_PREDICTED,
} RcEvidence;

#define RC_EVIDENCE_COUNT 5

/**
 * RcPrediction - how the static prediction compares with the verdict
 * @RC_PREDICTION_NONE:	nothing to compare: no prediction, no pass/fail
 *	verdict, or the verdict is itself the prediction
 * @RC_PREDICTION_AGREES: prediction and real migration agree
 * @RC_PREDICTION_DISAGREES: they do not: a finding of its own
 */
typedef enum {
	RC_PREDICTION_NONE,
	RC_PREDICTION_AGREES,
	RC_PREDICTION_DISAGREES,
} RcPrediction;

/**
 * RcResult - the outcome of one case
 * @verdict:	the answer
 * @kind:	what happened
 * @evidence:	what the answer rests on
 * @block:	the RAM block id ("0000:00:02.0/e1000.rom"), or NULL
 * @source_size: the block's size on the source in bytes, 0 when unknown
 * @destination_size: the block's size on the destination, 0 when unknown
 * @message:	QEMU's own message (one line), or NULL
 * @predicted:	the static prediction: RC_VERDICT_PASS, RC_VERDICT_FAIL,
 *		or RC_VERDICT_NOT_RUN when there is none
 * @seconds:	wall time spent on the case (its share of a shared pair)
 */
typedef struct {
	RcVerdict verdict;
	RcKind kind;
	RcEvidence evidence;
	char *block;
	guint64 source_size;
	guint64 destination_size;
	char *message;
	RcVerdict predicted;
	double seconds;
} RcResult;

/**
 * RcCase - one cell of the matrix
 * @machine:	machine type, e.g. "pc-i440fx-7.2"
 * @nic:	the device: the NIC model ("e1000"), the display model ("VGA"),
 *		or the firmware RAM block ("pc.bios"); reports call it "device"
 *		(and "nic" too for a NIC)
 * @direction:	which way the VM moves
 * @romfile:	the ROM file the device loads by default on this machine type,
 *		or the firmware image given as -bios
 * @device_class: what @nic is
 * @result:	the outcome; verdict RC_VERDICT_NOT_RUN until set
 */
typedef struct {
	char *machine;
	char *nic;
	RcDirection direction;
	RcDeviceClass device_class;
	char *romfile;
	RcResult result;
} RcCase;

/**
 * RcCaseGroup - the cases of one machine type and direction
 * @machine:	their machine type
 * @direction:	their direction
 * @cases:	RcCase, borrowed from the case list, in NIC order
 */
typedef struct {
	const char *machine;
	RcDirection direction;
	GPtrArray *cases;
} RcCaseGroup;

/**
 * RcShard - one of N parts of the matrix
 * @index:	1 .. @count
 * @count:	number of parts; 1: the whole matrix
 */
typedef struct {
	guint index;
	guint count;
} RcShard;

#define RC_SHARD_MAX 1024

/**
 * RcReportSide - one side of a run, as reported
 * @qemu:	QEMU binary
 * @qemu_version: its version
 * @roms:	the ROM file, directory or .deb
 */
typedef struct {
	char *qemu;
	char *qemu_version;
	char *roms;
} RcReportSide;

/**
 * RcReport - a run of (a shard of) the matrix: what every report writes
 * @romcompat_version: the romcompat that ran it
 * @scenario:	scenario name
 * @arch:	QEMU target architecture
 * @accel:	the accelerator
 * @old_side:	old QEMU and ROMs
 * @new_side:	new QEMU and ROMs
 * @shard:	which part of the matrix this is
 * @interrupted: the run was stopped before the end
 * @matrix_cases: the number of cases of the whole matrix (all shards)
 * @matrix_digest: rc_matrix_digest() of the whole matrix
 * @cases:	RcCase, sorted
 */
typedef struct {
	char *romcompat_version;
	char *scenario;
	char *arch;
	RcAccel accel;
	RcReportSide old_side;
	RcReportSide new_side;
	RcShard shard;
	gboolean interrupted;
	guint matrix_cases;
	char *matrix_digest;
	GPtrArray *cases;
} RcReport;

/**
 * RcReportSummary - counts over a report's cases
 * @cases:	number of cases
 * @verdicts:	cases per RcVerdict
 * @kinds:	cases per RcKind
 * @evidence:	cases per RcEvidence
 * @disagreements: cases where prediction and migration disagree
 * @milliseconds: sum of the cases' times
 */
typedef struct {
	guint cases;
	guint verdicts[RC_VERDICT_COUNT];
	guint kinds[RC_KIND_COUNT];
	guint evidence[RC_EVIDENCE_COUNT];
	guint disagreements;
	guint64 milliseconds;
} RcReportSummary;

RC_ENUM_DECL(rc_verdict, RcVerdict);
RC_ENUM_DECL(rc_evidence, RcEvidence);

RcCase *rc_case_new(const char *machine, const char *nic, RcDirection direction,
		    const char *romfile);
RcCase *rc_case_new_device(RcDeviceClass device_class, const char *machine, const char *device,
			   RcDirection direction, const char *romfile);
RcCase *rc_case_copy(const RcCase *c);
void rc_case_free(RcCase *c);
void rc_case_set_result(RcCase *c, const RcResult *result);
const char *rc_result_check(const RcResult *result);
int rc_case_compare(const RcCase *a, const RcCase *b);
char *rc_case_name(const RcCase *c);
RcPrediction rc_case_prediction(const RcCase *c);
guint64 rc_case_old_size(const RcCase *c);
guint64 rc_case_new_size(const RcCase *c);

gboolean rc_machine_is_versioned(const char *name);
gboolean rc_catalog_has_versioned(const RcCatalog *catalog);
gboolean rc_machine_is_default(const RcCatalog *catalog, const RcCatalogMachine *machine);
GPtrArray *rc_matrix_build(const RcCatalog *catalog, const RcScenario *scenario, GError **error);
GPtrArray *rc_matrix_build_classes(const RcCatalog *catalog, const RcScenario *scenario,
				   const RcRomSet *old_roms, const RcRomSet *new_roms,
				   guint can_run, GError **error);
void rc_matrix_sort(GPtrArray *cases);
GPtrArray *rc_matrix_groups(GPtrArray *cases);
char *rc_matrix_digest(GPtrArray *cases);

gboolean rc_shard_parse(const char *text, RcShard *shard, GError **error);
GPtrArray *rc_matrix_shard(GPtrArray *cases, const RcShard *shard);

RcReport *rc_report_new(void);
void rc_report_free(RcReport *report);
void rc_report_summarize(const RcReport *report, RcReportSummary *summary);
guint64 rc_case_milliseconds(const RcCase *c);
gboolean rc_report_is_partial(const RcReport *report);
int rc_kind_exit_code(RcKind kind);
int rc_report_exit_status(const RcReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcCase, rc_case_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcReport, rc_report_free)

#endif /* RC_MATRIX_H */
