/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * predict.h - static prediction: which ROM files of two sets change BAR
 * bucket, and so break migration between the two, without running QEMU.
 */
#ifndef RC_PREDICT_H
#define RC_PREDICT_H

#include <glib.h>

#include "base/enumtable.h"
#include "rom/romset.h"

/**
 * RcFileVerdict - what happens to one ROM file between the old and the new set
 * @RC_VERDICT_SAME_BUCKET:	both files get the same RAM block size: migrates
 * @RC_VERDICT_GROWS_PAST_BUCKET: the new file needs a larger block: breaks migration
 * @RC_VERDICT_SHRINKS_BELOW_BUCKET: the new file gets a smaller block: breaks migration
 * @RC_VERDICT_ADDED:		only in the new set: no running VM uses it
 * @RC_VERDICT_REMOVED:		only in the old set: QEMU refuses to start a NIC
 *				that loads it, and a VM using it cannot migrate in
 * @RC_VERDICT_UNKNOWN:		a side's size is unknown (the file could not be read)
 * @RC_VERDICT_MALFORMED:	a side is a malformed build (rc_rom_malformed_reason()):
 *				its size says nothing, so no bucket verdict; an input error
 */
typedef enum {
	RC_VERDICT_SAME_BUCKET,
	RC_VERDICT_GROWS_PAST_BUCKET,
	RC_VERDICT_SHRINKS_BELOW_BUCKET,
	RC_VERDICT_ADDED,
	RC_VERDICT_REMOVED,
	RC_VERDICT_UNKNOWN,
	RC_VERDICT_MALFORMED,
} RcFileVerdict;

#define RC_FILE_VERDICT_COUNT 7

/* Its stable name, for JSON: "same-bucket", "grows-past-bucket", ... */
RC_ENUM_DECL_TO_STRING(rc_file_verdict, RcFileVerdict);

/**
 * RcFilePrediction - the verdict for one file name
 * @name:	the file name (borrowed from a set)
 * @old_entry:	its entry in the old set, NULL when added
 * @new_entry:	its entry in the new set, NULL when removed
 * @verdict:	what happens to it
 * @has_old:	@old_size and @old_bucket are known
 * @old_size:	old file size in bytes
 * @old_bucket:	old RAM block size
 * @has_new:	@new_size and @new_bucket are known
 * @new_size:	new file size in bytes
 * @new_bucket:	new RAM block size
 */
typedef struct {
	const char *name;
	const RcRomEntry *old_entry;
	const RcRomEntry *new_entry;
	RcFileVerdict verdict;
	gboolean has_old;
	guint64 old_size;
	guint64 old_bucket;
	gboolean has_new;
	guint64 new_size;
	guint64 new_bucket;
} RcFilePrediction;

/**
 * RcPrediction - the verdicts for two sets
 * @files:		RcFilePrediction, in file name order
 * @incompatible:	some file grows past or shrinks below its bucket, or is removed
 * @n_incompatible:	how many files do
 * @n_unknown:		how many files could not be judged
 * @n_malformed:	how many files are malformed builds (on either side)
 */
typedef struct {
	GArray *files;
	gboolean incompatible;
	guint n_incompatible;
	guint n_unknown;
	guint n_malformed;
} RcPrediction;

RcPrediction *rc_predict(const RcRomSet *old_set, const RcRomSet *new_set);
void rc_prediction_free(RcPrediction *prediction);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcPrediction, rc_prediction_free)

gboolean rc_file_verdict_is_incompatible(RcFileVerdict verdict);
const char *rc_file_verdict_describe(RcFileVerdict verdict);

#endif /* RC_PREDICT_H */
