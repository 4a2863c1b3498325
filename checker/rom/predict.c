/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * predict.c - static prediction: pairs two ROM sets by file name and says,
 * per file, whether its RAM block (the bucket) changes.
 *
 * QEMU sizes a NIC's ROM block as the file size rounded up to a power of
 * two, and a destination refuses a migration stream whose block has
 * another size.  So only the buckets matter: growing within a bucket is
 * harmless, crossing a power of two either way is not, and a file that
 * disappears stops the NIC (and its VM) from starting at all.  A malformed
 * build (romset.h) gets a verdict of its own, never a bucket verdict.  Pure: the
 * result borrows the sets' entries and must not outlive them.
 */
#include "rom/predict.h"

#include <string.h>

static void set_side(const RcRomEntry *e, gboolean *has, guint64 *size, guint64 *bucket)
{
	*has = e && e->has_size;
	if (*has) {
		*size = e->size;
		/* A firmware image's block is its exact size. */
		*bucket = rc_rom_entry_block_size(e);
	}
}

static RcFileVerdict judge(const RcFilePrediction *p)
{
	/* A broken build is no size change, whatever its size. */
	if ((p->old_entry && p->old_entry->malformed) || (p->new_entry && p->new_entry->malformed))
		return RC_VERDICT_MALFORMED;
	if (!p->old_entry)
		return RC_VERDICT_ADDED;
	if (!p->new_entry)
		return RC_VERDICT_REMOVED;
	if (!p->has_old || !p->has_new)
		return RC_VERDICT_UNKNOWN;
	if (p->new_bucket > p->old_bucket)
		return RC_VERDICT_GROWS_PAST_BUCKET;
	if (p->new_bucket < p->old_bucket)
		return RC_VERDICT_SHRINKS_BELOW_BUCKET;
	return RC_VERDICT_SAME_BUCKET;
}

static void add_pair(RcPrediction *out, const char *name, const RcRomEntry *o, const RcRomEntry *n)
{
	RcFilePrediction p = {.name = name, .old_entry = o, .new_entry = n};

	set_side(o, &p.has_old, &p.old_size, &p.old_bucket);
	set_side(n, &p.has_new, &p.new_size, &p.new_bucket);
	p.verdict = judge(&p);
	if (rc_file_verdict_is_incompatible(p.verdict))
		out->n_incompatible++;
	if (p.verdict == RC_VERDICT_UNKNOWN)
		out->n_unknown++;
	if (p.verdict == RC_VERDICT_MALFORMED)
		out->n_malformed++;
	g_array_append_val(out->files, p);
}

static gint compare_predictions(gconstpointer a, gconstpointer b)
{
	return strcmp(((const RcFilePrediction *)a)->name, ((const RcFilePrediction *)b)->name);
}

/**
 * rc_predict() - the verdict for every file name of two sets
 * @old_set:	the ROMs running VMs use (the migration source)
 * @new_set:	the ROMs after the update (the destination)
 *
 * Files pair by name.  Two sets that are each one file given by path pair
 * with each other whatever their names, since that is what comparing two
 * files means.
 *
 * Return: the prediction (free with rc_prediction_free() before the sets)
 */
RcPrediction *rc_predict(const RcRomSet *old_set, const RcRomSet *new_set)
{
	RcPrediction *out = g_new0(RcPrediction, 1);

	out->files = g_array_new(FALSE, TRUE, sizeof(RcFilePrediction));
	if (old_set->kind == RC_ROM_SET_FILE && new_set->kind == RC_ROM_SET_FILE &&
	    old_set->entries->len == 1 && new_set->entries->len == 1) {
		const RcRomEntry *o = g_ptr_array_index(old_set->entries, 0);

		add_pair(out, o->name, o, g_ptr_array_index(new_set->entries, 0));
	} else {
		for (guint i = 0; i < old_set->entries->len; i++) {
			const RcRomEntry *o = g_ptr_array_index(old_set->entries, i);

			add_pair(out, o->name, o, rc_rom_set_lookup(new_set, o->name));
		}
		for (guint i = 0; i < new_set->entries->len; i++) {
			const RcRomEntry *n = g_ptr_array_index(new_set->entries, i);

			if (!rc_rom_set_lookup(old_set, n->name))
				add_pair(out, n->name, NULL, n);
		}
	}
	g_array_sort(out->files, compare_predictions);
	out->incompatible = out->n_incompatible > 0;
	return out;
}

/**
 * rc_prediction_free() - free a prediction (not the sets it points into)
 * @prediction:	the prediction, or NULL
 */
void rc_prediction_free(RcPrediction *prediction)
{
	if (!prediction)
		return;
	g_array_unref(prediction->files);
	g_free(prediction);
}

/**
 * rc_file_verdict_is_incompatible() - whether a verdict breaks migration
 * @verdict:	the verdict
 *
 * Return: TRUE for a bucket change either way and for a removed file
 */
gboolean rc_file_verdict_is_incompatible(RcFileVerdict verdict)
{
	return verdict == RC_VERDICT_GROWS_PAST_BUCKET ||
	       verdict == RC_VERDICT_SHRINKS_BELOW_BUCKET || verdict == RC_VERDICT_REMOVED;
}

RC_ENUM_IMPL_TO_STRING(rc_file_verdict, RcFileVerdict,
		       RC_FILE_VERDICT_COUNT, [RC_VERDICT_SAME_BUCKET] = "same-bucket",
		       [RC_VERDICT_GROWS_PAST_BUCKET] = "grows-past-bucket",
		       [RC_VERDICT_SHRINKS_BELOW_BUCKET] = "shrinks-below-bucket",
		       [RC_VERDICT_ADDED] = "added", [RC_VERDICT_REMOVED] = "removed",
		       [RC_VERDICT_UNKNOWN] = "unknown", [RC_VERDICT_MALFORMED] = "malformed")

/**
 * rc_file_verdict_describe() - a verdict in words, for people
 * @verdict:	the verdict
 *
 * Return: a static string such as "grows past its bucket"
 */
const char *rc_file_verdict_describe(RcFileVerdict verdict)
{
	static const char *const words[] = {
		[RC_VERDICT_SAME_BUCKET] = "same bucket",
		[RC_VERDICT_GROWS_PAST_BUCKET] = "GROWS PAST ITS BUCKET",
		[RC_VERDICT_SHRINKS_BELOW_BUCKET] = "SHRINKS BELOW ITS BUCKET",
		[RC_VERDICT_ADDED] = "added",
		[RC_VERDICT_REMOVED] = "REMOVED",
		[RC_VERDICT_UNKNOWN] = "unknown (unreadable)",
		[RC_VERDICT_MALFORMED] = "MALFORMED BUILD",
	};

	G_STATIC_ASSERT(G_N_ELEMENTS(words) == RC_FILE_VERDICT_COUNT);
	return (guint)verdict < G_N_ELEMENTS(words) ? words[verdict] : "unknown";
}
