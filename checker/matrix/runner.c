/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runner.c - the matrix runner: cases onto shared QEMU pairs, verdicts back
 * onto cases, with the evidence each rests on.
 *
 * Theory of operation: the cases of one machine type and direction (a
 * group, rc_matrix_groups()) share QEMU pairs, up to max_nics NICs a pair,
 * NIC i on PCI slot 2 + i, so that a RAM block "0000:00:05.0/..." names its
 * NIC.  The static prediction sorts each group first: the NICs whose ROM
 * keeps its bucket share pairs that should migrate, the NICs whose ROM
 * changes bucket share pairs that should fail.  Then QEMU decides:
 *
 * - a pair that migrates proves every NIC in it (evidence "migrated");
 * - a pair that fails proves every NIC whose block the two QEMUs list
 *   with different sizes (evidence "attributed", or "failed alone" when it
 *   was the only difference and QEMU's own message names its block); the
 *   NICs whose blocks agree have proved nothing yet and move to a new pair
 *   of their own;
 * - a pair that fails without any NIC block differing (QEMU would not
 *   start, crashed, timed out) is ambiguous: it is split in two and each
 *   half runs again, down to single NICs, whose result is then their own.
 *
 * Where the backend chains (RcRunnerConfig.chain: QEMU directly), a machine
 * type's two directions are queued together: the NICs predicted to pass in
 * both run as one chain of three QEMUs (old -> new -> old: the destination
 * of the first leg, paused, migrates on to a third), and the predicted
 * failures of both directions share one pair, each NIC with its own
 * direction's ROMs on each side, when one binary serves both hosts.
 *
 * Display devices are PCI devices with a ROM like NICs, and ride along in
 * the same pairs (a slot each, attributed the same way), but at most one
 * a pair: a machine has one VGA-class device (legacy VGA ports).  A
 * firmware case (-bios: pc.bios) changes the machine itself, so it has a
 * pair of its own, no device in it: the only difference between the two
 * sides is the image, and QEMU's own line names the block.  Where a set
 * lacks a display ROM or the machine type's default firmware file that
 * the other set holds, that side gives no romfile or -bios and its QEMU
 * loads what it finds on its own search path.
 *
 * So every verdict rests on a real migration of the case's NIC, and a
 * prediction that QEMU contradicts costs one more pair, never a wrong
 * verdict.  Pairs run on a GThreadPool of config->jobs workers; a pair's
 * follow-up pairs go back onto the same pool.  A signal stops new pairs
 * from starting; the cases they would have run stay "not-run".
 */
#include "matrix/runner.h"

#include <string.h>

#include "base/child.h"
#include "base/error.h"
#include "qemu/migration_case.h"
#include "qemu/qemu_instance.h"
#include "qemu/qemu_process.h"
#include "qemu/ramblock.h"
#include "base/trace.h"

/* A pair never carries more NICs than a QEMU has slots for. */
G_STATIC_ASSERT(RC_RUNNER_MAX_NICS <= RC_QEMU_MAX_NICS);

/* One case and the ROM each side loads for it. */
typedef struct {
	RcCase *c;
	const RcRomSet *new_set;
	const char *new_name;
	const RcRomEntry *old_rom;
	const RcRomEntry *new_rom;
} Work;

typedef struct Runner Runner;

/* NICs that share one QEMU pair. */
typedef struct {
	Runner *runner;
	const char *machine;
	RcDirection direction;
	GPtrArray *work; /* Work *, borrowed from Runner.work */
	GPtrArray *back; /* a chain: Work * of the other direction, NIC i for work[i]; or NULL */
	gboolean isolating;
	gboolean alone;
} Batch;

struct Runner {
	const RcRunnerConfig *config;
	GThreadPool *pool;
	GMutex lock;
	GCond idle;
	guint pending;
	guint done;
	guint total;
	RcRunnerStats stats;
	GError *error;
};

static void batch_free(Batch *batch)
{
	g_ptr_array_unref(batch->work);
	if (batch->back)
		g_ptr_array_unref(batch->back);
	g_free(batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Batch, batch_free)

static const RcRunnerSide *source_side(const RcRunnerConfig *config, RcDirection direction)
{
	return direction == RC_DIRECTION_OLD_TO_NEW ? &config->old_side : &config->new_side;
}

static const RcRunnerSide *destination_side(const RcRunnerConfig *config, RcDirection direction)
{
	return direction == RC_DIRECTION_OLD_TO_NEW ? &config->new_side : &config->old_side;
}

static const RcRomEntry *work_source_rom(const Work *w)
{
	return w->c->direction == RC_DIRECTION_OLD_TO_NEW ? w->old_rom : w->new_rom;
}

static const RcRomEntry *work_destination_rom(const Work *w)
{
	return w->c->direction == RC_DIRECTION_OLD_TO_NEW ? w->new_rom : w->old_rom;
}

static gboolean firmware_work(const Work *w)
{
	return w->c->device_class == RC_DEVICE_CLASS_FIRMWARE;
}

/* A usable ROM: in the set, parsed, and on disk where QEMU can open it. */
static gboolean entry_usable(const RcRomEntry *entry)
{
	return entry && !entry->error && entry->has_size && entry->path;
}

/* The first of @entries that is a malformed build, or NULL. */
static const RcRomEntry *malformed_of(const RcRomEntry *const *entries, guint n)
{
	for (guint i = 0; i < n; i++)
		if (entries[i] && entries[i]->malformed)
			return entries[i];
	return NULL;
}

/* A case whose ROM is a malformed build: an error with the reason, no QEMU run. */
static void set_malformed(RcResult *r, const RcRomEntry *bad)
{
	r->verdict = RC_VERDICT_ERROR;
	r->kind = RC_KIND_MALFORMED_ROM;
	r->evidence = RC_EVIDENCE_NONE;
	g_free(r->message);
	r->message = g_strdup(bad->error ? bad->error->message : bad->name);
}

static const char *missing_reason(const RcRomEntry *entry)
{
	if (!entry)
		return "is not in";
	if (!entry->error && !entry->path)
		return "was not copied out of";
	return "cannot be read from";
}

/* The ROM set of the new host for @machine: a compatibility set if one
 * applies, else the new side's. */
static const RcRomSet *new_set_for(const RcRunnerConfig *config, const char *machine)
{
	for (guint i = 0; config->compat && i < config->compat->len; i++) {
		const RcCompatRoms *c = g_ptr_array_index(config->compat, i);

		if (g_pattern_match_simple(c->glob, machine))
			return c->roms;
	}
	return config->new_side.roms;
}

/*
 * The ROM file the new QEMU loads for the case's NIC: the case's own,
 * unless the new QEMU is another binary whose catalog says otherwise.
 * NULL when the new QEMU has no such NIC on that machine type.
 */
static const char *new_romfile(const RcRunnerConfig *config, const RcCase *c)
{
	const RcCatalogMachine *m;
	const RcCatalogNic *nic;

	if (!config->new_catalog || c->device_class == RC_DEVICE_CLASS_FIRMWARE)
		return c->romfile;
	m = rc_catalog_find_machine(config->new_catalog, c->machine);
	if (c->device_class == RC_DEVICE_CLASS_DISPLAY) {
		const RcCatalogDisplay *display =
			m ? rc_catalog_machine_find_display(m, c->nic) : NULL;

		return display && *display->romfile ? display->romfile : NULL;
	}
	nic = m ? rc_catalog_machine_find_nic(m, c->nic) : NULL;
	return nic && *nic->romfile ? nic->romfile : NULL;
}

/*
 * May a side go without the case's file, its QEMU loading what it finds on
 * its own search path?  For a display ROM and for the machine type's
 * default firmware file, yes: that is what a VM there gets.
 */
static gboolean may_use_own(const RcRunnerConfig *config, const RcCase *c)
{
	const RcCatalogMachine *m;
	const RcCatalogFirmware *fw;

	if (c->device_class == RC_DEVICE_CLASS_DISPLAY)
		return TRUE;
	if (c->device_class != RC_DEVICE_CLASS_FIRMWARE)
		return FALSE;
	m = rc_catalog_find_machine(config->catalog, c->machine);
	fw = m ? rc_catalog_machine_find_firmware(m, c->nic) : NULL;
	return fw && strcmp(fw->file, c->romfile) == 0;
}

/* The firmware block's size on a side whose set lacks the default file:
 * the size that side's catalog reads back with its own file, or 0. */
static guint64 own_firmware_size(const RcCatalog *catalog, const RcCase *c)
{
	const RcCatalogMachine *m = rc_catalog_find_machine(catalog, c->machine);
	const RcCatalogFirmware *fw = m ? rc_catalog_machine_find_firmware(m, c->nic) : NULL;

	return fw && fw->size > 0 && strcmp(fw->file, c->romfile) == 0 ? (guint64)fw->size : 0;
}

/* Record a verdict; under the runner's lock, so that progress is ordered. */
static void finish_case(Runner *runner, Work *w, RcVerdict verdict, RcKind kind,
			RcEvidence evidence, const char *block, guint64 source_size,
			guint64 destination_size, const char *message, double seconds)
{
	RcResult *r = &w->c->result;
	const RcRunnerConfig *config = runner->config;

	r->verdict = verdict;
	r->kind = kind;
	r->evidence = evidence;
	g_free(r->block);
	r->block = g_strdup(block);
	r->source_size = source_size;
	r->destination_size = destination_size;
	g_free(r->message);
	r->message = g_strdup(message);
	r->seconds += seconds;
	g_mutex_lock(&runner->lock);
	runner->done++;
	if (config->progress)
		config->progress(runner->done, runner->total, w->c, config->progress_data);
	g_mutex_unlock(&runner->lock);
}

/* A case's block size on one side, predicted; 0 when unknown. */
static guint64 predicted_size(const RcCase *c, const RcRomEntry *e, gint64 romsize,
			      const RcCatalog *catalog)
{
	if (!e || !e->has_size) {
		if (c->device_class == RC_DEVICE_CLASS_FIRMWARE && !e)
			return own_firmware_size(catalog, c);
		return 0;
	}
	if (romsize > 0)
		return e->size > (guint64)romsize ? 0 : (guint64)romsize;
	if (c->device_class == RC_DEVICE_CLASS_FIRMWARE)
		return e->size;
	return rc_rom_bucket(e->size);
}

/* The prediction made the verdict (--static). */
static void predicted_verdict(RcCase *c, guint64 ob, guint64 nb)
{
	RcResult *r = &c->result;

	r->verdict = r->predicted;
	r->kind = ob == nb ? RC_KIND_OK : RC_KIND_ROM_SIZE_MISMATCH;
	r->evidence = RC_EVIDENCE_PREDICTED;
	r->source_size = c->direction == RC_DIRECTION_OLD_TO_NEW ? ob : nb;
	r->destination_size = c->direction == RC_DIRECTION_OLD_TO_NEW ? nb : ob;
	g_free(r->message);
	if (c->device_class == RC_DEVICE_CLASS_FIRMWARE)
		r->message = g_strdup_printf("%s: %s is 0x%" G_GINT64_MODIFIER
					     "x (old) and 0x%" G_GINT64_MODIFIER
					     "x (new), the file's exact size, no QEMU run",
					     c->romfile, c->nic, ob, nb);
	else
		r->message =
			g_strdup_printf("%s: bucket 0x%" G_GINT64_MODIFIER
					"x (old) and 0x%" G_GINT64_MODIFIER "x (new), no QEMU run",
					c->romfile, ob, nb);
}

/**
 * rc_runner_predict() - the static prediction of every case
 * @config:	the ROM sets
 * @cases:	RcCase *; each gets result.predicted
 *
 * QEMU sizes a ROM's RAM block as the file size rounded up to a power of
 * two, or as the NIC's romsize when the machine type sets one (and refuses
 * a larger file); a firmware block (-bios) as the image's exact size, or
 * where a set lacks the machine type's default file, as the size that
 * side's catalog read back with its QEMU's own.  A case is predicted to pass when both sides' blocks
 * have the same size, to fail when they differ; a ROM missing from a set,
 * or too large for a set romsize, leaves the case without a prediction.
 * With config->predict_only the prediction is also the verdict, with
 * evidence "predicted".  A malformed build (romset.h) gets no prediction:
 * its size says nothing; with config->predict_only its cases are errors
 * of kind "malformed-rom" with the reason.
 */
void rc_runner_predict(const RcRunnerConfig *config, GPtrArray *cases)
{
	for (guint i = 0; i < cases->len; i++) {
		RcCase *c = g_ptr_array_index(cases, i);
		const RcRomEntry *o = rc_rom_set_lookup(config->old_side.roms, c->romfile);
		const char *new_name = new_romfile(config, c);
		const RcRomEntry *n =
			new_name ? rc_rom_set_lookup(new_set_for(config, c->machine), new_name)
				 : NULL;
		const RcCatalogMachine *m = rc_catalog_find_machine(config->catalog, c->machine);
		const RcCatalogNic *nic = m && c->device_class == RC_DEVICE_CLASS_NIC
						  ? rc_catalog_machine_find_nic(m, c->nic)
						  : NULL;
		gint64 romsize = nic ? nic->romsize : -1;
		RcResult *r = &c->result;
		const RcRomEntry *pair[] = {o, n};
		const RcRomEntry *bad = malformed_of(pair, G_N_ELEMENTS(pair));
		guint64 ob, nb;

		r->predicted = RC_VERDICT_NOT_RUN;
		if (bad) {
			if (config->predict_only)
				set_malformed(r, bad);
			continue;
		}
		ob = predicted_size(c, o, romsize, config->catalog);
		nb = new_name ? predicted_size(c, n, romsize,
					       config->new_catalog ? config->new_catalog
								   : config->catalog)
			      : 0;
		if (!ob || !nb)
			continue;
		r->predicted = ob == nb ? RC_VERDICT_PASS : RC_VERDICT_FAIL;
		if (config->predict_only)
			predicted_verdict(c, ob, nb);
	}
}

static void queue(Runner *runner, Batch *batch)
{
	g_autoptr(GError) local = NULL;

	g_mutex_lock(&runner->lock);
	runner->pending++;
	g_mutex_unlock(&runner->lock);
	if (!g_thread_pool_push(runner->pool, batch, &local))
		g_error("cannot queue a QEMU pair: %s", local->message);
}

static Batch *batch_new(Runner *runner, const char *machine, RcDirection direction)
{
	Batch *batch = g_new0(Batch, 1);

	batch->runner = runner;
	batch->machine = machine;
	batch->direction = direction;
	batch->work = g_ptr_array_new();
	return batch;
}

/* May @w join @batch?  At most @max_nics devices, one display device, and
 * a firmware case alone. */
static gboolean fits(const Batch *batch, const Work *w, guint max_nics)
{
	if (batch->work->len >= max_nics)
		return FALSE;
	for (guint i = 0; i < batch->work->len; i++) {
		const Work *b = g_ptr_array_index(batch->work, i);

		if (b->c->device_class == RC_DEVICE_CLASS_FIRMWARE ||
		    w->c->device_class == RC_DEVICE_CLASS_FIRMWARE ||
		    (b->c->device_class == RC_DEVICE_CLASS_DISPLAY &&
		     w->c->device_class == RC_DEVICE_CLASS_DISPLAY))
			return FALSE;
	}
	return TRUE;
}

/* The first batch of @open that @w fits in, or a new one added to it. */
static Batch *place(Runner *runner, GPtrArray *open, const char *machine, RcDirection direction,
		    const Work *w, guint max_nics)
{
	Batch *batch;

	for (guint b = 0; b < open->len; b++)
		if (fits(g_ptr_array_index(open, b), w, max_nics))
			return g_ptr_array_index(open, b);
	batch = batch_new(runner, machine, direction);
	g_ptr_array_add(open, batch);
	return batch;
}

/* Queue @work (Work *) in pairs of at most max_nics devices (first fit,
 * in order: NICs alone fill each pair in turn). */
static void queue_chunks(Runner *runner, const char *machine, RcDirection direction,
			 GPtrArray *work, guint max_nics, gboolean isolating, gboolean alone)
{
	g_autoptr(GPtrArray) open = g_ptr_array_new();

	for (guint i = 0; i < work->len; i++) {
		Work *w = g_ptr_array_index(work, i);
		Batch *batch = place(runner, open, machine, direction, w, max_nics);

		batch->isolating = isolating;
		batch->alone = alone;
		g_ptr_array_add(batch->work, w);
	}
	for (guint b = 0; b < open->len; b++)
		queue(runner, g_ptr_array_index(open, b));
}

/* The differing RAM block of the NIC on PCI slot @addr, or NULL. */
static const RcRamBlockDiff *nic_diff(const RcMigrationOutcome *out, int addr)
{
	for (guint i = 0; out->diffs && i < out->diffs->len; i++) {
		const RcRamBlockDiff *d = g_ptr_array_index(out->diffs, i);

		if (rc_ramblock_pci_slot(d->name) == addr)
			return d;
	}
	return NULL;
}

/* Differing blocks that belong to no NIC (firmware, machine RAM). */
static const RcRamBlockDiff *machine_diff(const RcMigrationOutcome *out)
{
	for (guint i = 0; out->diffs && i < out->diffs->len; i++) {
		const RcRamBlockDiff *d = g_ptr_array_index(out->diffs, i);

		if (rc_ramblock_pci_slot(d->name) < 0)
			return d;
	}
	return NULL;
}

static gboolean kind_is_failure(RcKind kind)
{
	return kind == RC_KIND_ROM_SIZE_MISMATCH || kind == RC_KIND_UNKNOWN_RAMBLOCK ||
	       kind == RC_KIND_OTHER;
}

static RcKind diff_kind(const RcRamBlockDiff *d)
{
	return d->source_size && d->destination_size ? RC_KIND_ROM_SIZE_MISMATCH
						     : RC_KIND_UNKNOWN_RAMBLOCK;
}

static char *describe_size(guint64 size)
{
	return size ? g_strdup_printf("0x%" G_GINT64_MODIFIER "x", size) : g_strdup("absent");
}

static void ambiguous(Batch *batch, const RcMigrationOutcome *out, double share);

/* Why NIC block @d fails the pair: QEMU's own message when it named @d. */
static char *nic_failure_reason(const RcMigrationOutcome *out, const RcRamBlockDiff *d)
{
	g_autofree char *s = NULL;
	g_autofree char *t = NULL;

	if (out->block && strcmp(out->block, d->name) == 0)
		return g_strdup(out->message);
	s = describe_size(d->source_size);
	t = describe_size(d->destination_size);
	return g_strdup_printf("RAM block %s is %s on the source and %s on the "
			       "destination (the shared migration failed at %s)",
			       d->name, s, t, out->block ? out->block : "another block");
}

/*
 * NIC @w's block @d differs, so the NIC fails: failed alone when @sole (the
 * only block that differs) and QEMU named it; set aside in @prove, to run
 * again in a pair of its own, when --prove-alone asks for that; attributed
 * otherwise.
 */
static void attribute_nic(Batch *batch, Work *w, const RcMigrationOutcome *out,
			  const RcRamBlockDiff *d, gboolean sole, double share, GPtrArray *prove)
{
	Runner *runner = batch->runner;
	gboolean named = out->block && strcmp(out->block, d->name) == 0;
	g_autofree char *why = nic_failure_reason(out, d);

	if (sole && named) {
		finish_case(runner, w, RC_VERDICT_FAIL, diff_kind(d), RC_EVIDENCE_FAILED_ALONE,
			    d->name, d->source_size, d->destination_size, why, share);
		return;
	}
	if (runner->config->prove_alone && !batch->alone) {
		/* Decided by a pair of its own instead. */
		w->c->result.seconds += share;
		g_ptr_array_add(prove, w);
		return;
	}
	finish_case(runner, w, RC_VERDICT_FAIL, diff_kind(d), RC_EVIDENCE_ATTRIBUTED, d->name,
		    d->source_size, d->destination_size, why, share);
}

/*
 * Nothing of the NICs differs, the machine itself does (block @machine):
 * every NIC in @undecided fails with it, and running them again changes
 * nothing.
 */
static void fail_with_machine(Batch *batch, const RcMigrationOutcome *out,
			      const RcRamBlockDiff *machine, GPtrArray *undecided, double share)
{
	g_autofree char *s = describe_size(machine->source_size);
	g_autofree char *t = describe_size(machine->destination_size);
	g_autofree char *why = g_strdup_printf(
		"machine RAM block %s is %s on the source and %s on the destination: "
		"every NIC fails on this machine type (%s)",
		machine->name, s, t, out->message ? out->message : "migration failed");

	for (guint i = 0; i < undecided->len; i++)
		finish_case(
			batch->runner, g_ptr_array_index(undecided, i), RC_VERDICT_FAIL,
			diff_kind(machine),
			batch->work->len == 1 ? RC_EVIDENCE_FAILED_ALONE : RC_EVIDENCE_ATTRIBUTED,
			machine->name, machine->source_size, machine->destination_size, why, share);
}

/* The NICs of @undecided, whose blocks did not differ, go into new pairs. */
static void requeue(Batch *batch, GPtrArray *undecided, double share)
{
	Runner *runner = batch->runner;

	g_mutex_lock(&runner->lock);
	runner->stats.requeued_cases += undecided->len;
	g_mutex_unlock(&runner->lock);
	for (guint i = 0; i < undecided->len; i++)
		((Work *)g_ptr_array_index(undecided, i))->c->result.seconds += share;
	queue_chunks(runner, batch->machine, batch->direction, undecided, runner->config->max_nics,
		     FALSE, FALSE);
}

/* A firmware case's pair failed: its block (pc.bios) differs, failed alone
 * when QEMU's own line names it, else attributed from the block lists; a
 * failure on anything else is the pair's own result. */
static void attribute_firmware(Batch *batch, const RcMigrationOutcome *out, double share)
{
	Work *w = g_ptr_array_index(batch->work, 0);
	const RcRamBlockDiff *d = NULL;
	g_autofree char *why = NULL;

	for (guint i = 0; out->diffs && i < out->diffs->len && !d; i++) {
		const RcRamBlockDiff *x = g_ptr_array_index(out->diffs, i);

		if (strcmp(x->name, w->c->nic) == 0)
			d = x;
	}
	if (!d) {
		ambiguous(batch, out, share);
		return;
	}
	why = nic_failure_reason(out, d);
	finish_case(batch->runner, w, RC_VERDICT_FAIL, diff_kind(d),
		    out->block && strcmp(out->block, d->name) == 0 ? RC_EVIDENCE_FAILED_ALONE
								   : RC_EVIDENCE_ATTRIBUTED,
		    d->name, d->source_size, d->destination_size, why, share);
}

/* A failed pair: credit each NIC whose block differs, requeue the rest. */
static void attribute(Batch *batch, const RcMigrationOutcome *out, double share)
{
	const RcRamBlockDiff *machine = machine_diff(out);
	g_autoptr(GPtrArray) undecided = g_ptr_array_new();
	g_autoptr(GPtrArray) prove = g_ptr_array_new();
	guint differing = 0;

	if (batch->work->len == 1 && firmware_work(g_ptr_array_index(batch->work, 0))) {
		attribute_firmware(batch, out, share);
		return;
	}
	for (guint i = 0; i < batch->work->len; i++)
		if (nic_diff(out, 2 + (int)i))
			differing++;
	for (guint i = 0; i < batch->work->len; i++) {
		Work *w = g_ptr_array_index(batch->work, i);
		const RcRamBlockDiff *d = nic_diff(out, 2 + (int)i);

		if (d)
			attribute_nic(batch, w, out, d, differing == 1 && !machine, share, prove);
		else
			g_ptr_array_add(undecided, w);
	}
	if (undecided->len) {
		if (!machine && !differing) {
			ambiguous(batch, out, share);
			return;
		}
		if (machine && !differing)
			fail_with_machine(batch, out, machine, undecided, share);
		else
			requeue(batch, undecided, share);
	}
	queue_chunks(batch->runner, batch->machine, batch->direction, prove, 1, FALSE, TRUE);
}

/* A pair that failed without a NIC block to blame. */
static void ambiguous(Batch *batch, const RcMigrationOutcome *out, double share)
{
	Runner *runner = batch->runner;
	guint n = batch->work->len;
	guint half = n / 2;
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) second = NULL;

	if (n == 1 || out->kind == RC_KIND_UNKNOWN_MACHINE_TYPE) {
		/* Its own result (or the machine type's, whatever the NICs). */
		gboolean fail = kind_is_failure(out->kind);

		for (guint i = 0; i < n; i++)
			finish_case(runner, g_ptr_array_index(batch->work, i),
				    fail ? RC_VERDICT_FAIL : RC_VERDICT_ERROR, out->kind,
				    fail ? RC_EVIDENCE_FAILED_ALONE : RC_EVIDENCE_NONE, out->block,
				    out->source_size, out->destination_size, out->message, share);
		return;
	}
	rc_trace("%s %s: shared pair of %u NICs failed (%s), splitting", batch->machine,
		 rc_direction_to_string(batch->direction), n, rc_kind_to_string(out->kind));
	first = g_ptr_array_new();
	second = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		Work *w = g_ptr_array_index(batch->work, i);

		w->c->result.seconds += share;
		g_ptr_array_add(i < half ? first : second, w);
	}
	queue_chunks(runner, batch->machine, batch->direction, first, half, TRUE, FALSE);
	queue_chunks(runner, batch->machine, batch->direction, second, n - half, TRUE, FALSE);
}

/* A path for QEMU, or NULL: its own file from its search path. */
static const char *entry_path(const RcRomEntry *e)
{
	return e ? e->path : NULL;
}

/* A firmware case's pair: no device, the images as -bios, or as the pflash
 * code unit when the catalog says that feeds the block. */
static void fill_firmware_spec(Batch *batch, RcMigrationSpec *spec)
{
	const Work *w = g_ptr_array_index(batch->work, 0);
	const RcCatalogMachine *m =
		rc_catalog_find_machine(batch->runner->config->catalog, batch->machine);
	const RcCatalogFirmware *fw = m ? rc_catalog_machine_find_firmware(m, w->c->nic) : NULL;

	spec->nics = NULL;
	spec->n_nics = 0;
	if (fw && strcmp(fw->source, "pflash0") == 0) {
		spec->src_pflash = entry_path(work_source_rom(w));
		spec->dst_pflash = entry_path(work_destination_rom(w));
		return;
	}
	spec->src_bios = entry_path(work_source_rom(w));
	spec->dst_bios = entry_path(work_destination_rom(w));
}

/* The spec of @batch's pair (leg 1 of a chain); its NICs in @nic_array. */
static void fill_spec(Batch *batch, RcMigrationSpec *spec, GArray *nic_array)
{
	const RcRunnerConfig *config = batch->runner->config;
	const RcCatalogMachine *machine = rc_catalog_find_machine(config->catalog, batch->machine);
	RcCaseNic *nics;

	g_array_set_size(nic_array, batch->work->len);
	nics = (RcCaseNic *)(void *)nic_array->data;
	*spec = (RcMigrationSpec){
		.src_qemu = source_side(config, batch->direction)->qemu,
		.dst_qemu = destination_side(config, batch->direction)->qemu,
		.machine = batch->machine,
		.accel = config->accel,
		.memory_mib = rc_catalog_machine_memory_mib(config->catalog, machine),
		.timeout_us = config->timeout_us,
		.nics = nics,
		.n_nics = batch->work->len,
	};
	if (batch->work->len == 1 && firmware_work(g_ptr_array_index(batch->work, 0))) {
		fill_firmware_spec(batch, spec);
		return;
	}
	for (guint i = 0; i < batch->work->len; i++) {
		const Work *w = g_ptr_array_index(batch->work, i);

		nics[i].model = w->c->nic;
		nics[i].src_rom = entry_path(work_source_rom(w));
		nics[i].dst_rom = entry_path(work_destination_rom(w));
		nics[i].addr = RC_QEMU_FIRST_NIC_SLOT + (int)i;
		if (config->pin_romsize && w->old_rom) {
			/* The new host keeps the block the old ROM had. */
			guint64 bucket = rc_rom_bucket(w->old_rom->size);

			if (batch->direction == RC_DIRECTION_OLD_TO_NEW)
				nics[i].dst_romsize = bucket;
			else
				nics[i].src_romsize = bucket;
		}
	}
}

/* Count a pair (@legs 2 for a chain) that starts @qemus QEMUs. */
static void count_run(Batch *batch, guint legs, guint qemus)
{
	Runner *runner = batch->runner;

	g_mutex_lock(&runner->lock);
	runner->stats.pairs += legs;
	runner->stats.qemus += qemus;
	if (legs > 1)
		runner->stats.chained_pairs++;
	if (batch->work->len > 1)
		runner->stats.shared_pairs += legs;
	if (batch->isolating)
		runner->stats.isolation_pairs++;
	if (batch->alone)
		runner->stats.alone_pairs++;
	g_mutex_unlock(&runner->lock);
}

/* Verdicts from one pair's outcome, or the run's error from @local. */
static void settle(Batch *batch, RcMigrationOutcome *out, GError **local)
{
	Runner *runner = batch->runner;
	double share;

	/* A signal stops every QEMU: a pair that failed after one failed
	 * because of it, which is neither a verdict nor an error of the
	 * run. Its cases stay not-run; the run reports the signal. */
	if (rc_qemu_interrupted() && (!out || out->kind != RC_KIND_OK))
		return;
	if (!out) {
		g_mutex_lock(&runner->lock);
		if (!runner->error)
			runner->error = g_steal_pointer(local);
		g_mutex_unlock(&runner->lock);
		return;
	}
	share = out->seconds / batch->work->len;
	if (out->kind == RC_KIND_OK) {
		g_mutex_lock(&runner->lock);
		runner->stats.migrations++;
		g_mutex_unlock(&runner->lock);
		for (guint i = 0; i < batch->work->len; i++)
			finish_case(runner, g_ptr_array_index(batch->work, i), RC_VERDICT_PASS,
				    RC_KIND_OK, RC_EVIDENCE_MIGRATED, NULL, 0, 0, NULL, share);
	} else if (out->diffs && out->diffs->len && kind_is_failure(out->kind)) {
		attribute(batch, out, share);
	} else {
		ambiguous(batch, out, share);
	}
}

static RcDirection reverse(RcDirection direction)
{
	return direction == RC_DIRECTION_OLD_TO_NEW ? RC_DIRECTION_NEW_TO_OLD
						    : RC_DIRECTION_OLD_TO_NEW;
}

/*
 * A chain: leg 1 decides batch->work; when it completed, leg 2 (its
 * destination migrating on) decides batch->back, else batch->back goes
 * into pairs of its own.
 */
static void run_chained(Batch *batch, const RcMigrationSpec *spec)
{
	Runner *runner = batch->runner;
	Batch *back = batch_new(runner, batch->machine, reverse(batch->direction));
	g_autoptr(RcMigrationOutcome) out = NULL;
	g_autoptr(RcMigrationOutcome) second = NULL;
	g_autoptr(GError) local = NULL;

	count_run(batch, 2, 3);
	out = runner->config->chain(spec, &second, &local);
	settle(batch, out, &local);
	g_ptr_array_extend(back->work, batch->back, NULL, NULL);
	if (second)
		settle(back, second, NULL);
	else if (out && !rc_qemu_interrupted())
		queue_chunks(runner, back->machine, back->direction, back->work,
			     runner->config->max_nics, FALSE, FALSE);
	batch_free(back);
}

static void run_batch(gpointer data, gpointer user_data)
{
	g_autoptr(Batch) batch = data;
	Runner *runner = user_data;
	const RcRunnerConfig *config = runner->config;
	g_autoptr(GArray) nic_array = g_array_new(FALSE, TRUE, sizeof(RcCaseNic));
	g_autoptr(RcMigrationOutcome) out = NULL;
	g_autoptr(GError) local = NULL;
	RcMigrationSpec spec;

	if (rc_qemu_interrupted() || runner->error)
		goto out;
	fill_spec(batch, &spec, nic_array);
	if (batch->back) {
		run_chained(batch, &spec);
		goto out;
	}
	count_run(batch, 1, 2);
	out = config->migrate ? config->migrate(&spec, config->migrate_data, &local)
			      : rc_migration_run(&spec, &local);
	settle(batch, out, &local);
out:
	g_mutex_lock(&runner->lock);
	if (--runner->pending == 0)
		g_cond_signal(&runner->idle);
	g_mutex_unlock(&runner->lock);
}

/* Cases that cannot run: a ROM the set does not have on disk. */
static gboolean check_roms(Runner *runner, Work *w)
{
	const RcRunnerConfig *config = runner->config;
	const RcRomSet *sets[] = {config->old_side.roms, w->new_set};
	const RcRomEntry *entries[] = {w->old_rom, w->new_rom};
	const char *files[] = {w->c->romfile, w->new_name};
	const char *names[] = {"old", "new"};

	if (!w->new_name) {
		g_autofree char *why = g_strdup_printf(
			"the new QEMU loads no ROM for %s on %s (its catalog says so): VMs "
			"started with %s cannot move there",
			w->c->nic, w->c->machine, w->c->romfile);

		finish_case(runner, w, RC_VERDICT_ERROR, RC_KIND_UNKNOWN_DEVICE, RC_EVIDENCE_NONE,
			    NULL, 0, 0, why, 0);
		return FALSE;
	}
	if (malformed_of(entries, G_N_ELEMENTS(entries))) {
		RcResult r = {0};

		set_malformed(&r, malformed_of(entries, G_N_ELEMENTS(entries)));
		finish_case(runner, w, r.verdict, r.kind, r.evidence, NULL, 0, 0, r.message, 0);
		g_free(r.message);
		return FALSE;
	}
	for (guint s = 0; s < G_N_ELEMENTS(sets); s++) {
		g_autofree char *why = NULL;

		if (entry_usable(entries[s]) || (!entries[s] && may_use_own(config, w->c)))
			continue;
		why = g_strdup_printf("%s %s the %s ROM set %s", files[s],
				      missing_reason(entries[s]), names[s], sets[s]->source);
		finish_case(runner, w, RC_VERDICT_ERROR, RC_KIND_ROMFILE_MISSING, RC_EVIDENCE_NONE,
			    NULL, 0, 0, why, 0);
		return FALSE;
	}
	return TRUE;
}

/* One group's cases that can run, by prediction: failures in @fail, the
 * rest in @pass. */
static void sort_group(Runner *runner, const RcCaseGroup *group, Work *work, guint *next,
		       GPtrArray *pass, GPtrArray *fail)
{
	const RcRunnerConfig *config = runner->config;

	for (guint i = 0; i < group->cases->len; i++) {
		Work *w = &work[(*next)++];

		w->c = g_ptr_array_index(group->cases, i);
		w->old_rom = rc_rom_set_lookup(config->old_side.roms, w->c->romfile);
		w->new_name = new_romfile(config, w->c);
		w->new_set = new_set_for(config, w->c->machine);
		w->new_rom = w->new_name ? rc_rom_set_lookup(w->new_set, w->new_name) : NULL;
		if (!check_roms(runner, w))
			continue;
		g_ptr_array_add(w->c->result.predicted == RC_VERDICT_FAIL ? fail : pass, w);
	}
}

/* Queue one group's cases: predicted passes together, predicted failures
 * together, so that a pair's outcome is usually what its NICs share. */
static void queue_group(Runner *runner, const RcCaseGroup *group, Work *work, guint *next)
{
	guint max_nics = runner->config->max_nics;
	g_autoptr(GPtrArray) pass = g_ptr_array_new();
	g_autoptr(GPtrArray) fail = g_ptr_array_new();

	sort_group(runner, group, work, next, pass, fail);
	queue_chunks(runner, group->machine, group->direction, fail, max_nics, FALSE, FALSE);
	queue_chunks(runner, group->machine, group->direction, pass, max_nics, FALSE, FALSE);
}

/* Take the case of @back (the other direction) with @w's NIC and ROMs out
 * of @back, or NULL. */
static Work *take_other_direction(GPtrArray *back, const Work *w)
{
	for (guint i = 0; i < back->len; i++) {
		Work *b = g_ptr_array_index(back, i);

		if (strcmp(b->c->nic, w->c->nic) == 0 && b->old_rom == w->old_rom &&
		    b->new_rom == w->new_rom && b->new_set == w->new_set)
			return g_ptr_array_steal_index(back, i);
	}
	return NULL;
}

/* Queue chains of at most @max_nics devices: @there[i] old-to-new,
 * @back[i] the same device new-to-old. */
static void queue_chains(Runner *runner, const char *machine, GPtrArray *there, GPtrArray *back,
			 guint max_nics)
{
	g_autoptr(GPtrArray) open = g_ptr_array_new();

	for (guint i = 0; i < there->len; i++) {
		Work *w = g_ptr_array_index(there, i);
		Batch *batch = place(runner, open, machine, RC_DIRECTION_OLD_TO_NEW, w, max_nics);

		if (!batch->back)
			batch->back = g_ptr_array_new();
		g_ptr_array_add(batch->work, w);
		g_ptr_array_add(batch->back, g_ptr_array_index(back, i));
	}
	for (guint b = 0; b < open->len; b++)
		queue(runner, g_ptr_array_index(open, b));
}

/*
 * Both directions of one machine type (@a old-to-new, @b new-to-old), on
 * a backend that chains: the predicted passes of both directions chain
 * through three QEMUs (old -> new -> old); the predicted failures of both
 * share one pair when one QEMU binary serves both sides (each NIC with
 * its own direction's ROMs) and each direction has two or more of them,
 * so that no failure that would have failed alone is only attributed.
 */
static void queue_machine(Runner *runner, const RcCaseGroup *a, const RcCaseGroup *b, Work *work,
			  guint *next)
{
	const RcRunnerConfig *config = runner->config;
	guint max_nics = config->max_nics;
	g_autoptr(GPtrArray) pass_a = g_ptr_array_new();
	g_autoptr(GPtrArray) fail_a = g_ptr_array_new();
	g_autoptr(GPtrArray) pass_b = g_ptr_array_new();
	g_autoptr(GPtrArray) fail_b = g_ptr_array_new();
	g_autoptr(GPtrArray) there = g_ptr_array_new();
	g_autoptr(GPtrArray) back = g_ptr_array_new();
	g_autoptr(GPtrArray) rest_a = g_ptr_array_new();

	sort_group(runner, a, work, next, pass_a, fail_a);
	sort_group(runner, b, work, next, pass_b, fail_b);
	for (guint i = 0; i < pass_a->len; i++) {
		Work *w = g_ptr_array_index(pass_a, i);
		Work *other = take_other_direction(pass_b, w);

		g_ptr_array_add(other ? there : rest_a, w);
		if (other)
			g_ptr_array_add(back, other);
	}
	if (g_strcmp0(config->old_side.qemu, config->new_side.qemu) == 0 &&
	    g_strcmp0(config->old_side.datadir, config->new_side.datadir) == 0 &&
	    fail_a->len >= 2 && fail_b->len >= 2 && fail_a->len + fail_b->len <= max_nics) {
		g_ptr_array_extend_and_steal(fail_a, g_steal_pointer(&fail_b));
		fail_b = g_ptr_array_new();
	}
	queue_chunks(runner, a->machine, a->direction, fail_a, max_nics, FALSE, FALSE);
	queue_chunks(runner, b->machine, b->direction, fail_b, max_nics, FALSE, FALSE);
	queue_chains(runner, a->machine, there, back, max_nics);
	queue_chunks(runner, a->machine, a->direction, rest_a, max_nics, FALSE, FALSE);
	queue_chunks(runner, b->machine, b->direction, pass_b, max_nics, FALSE, FALSE);
}

/* Queue every group; a machine type's two directions together where the
 * backend chains (and no mitigation pins romsize on one side). */
static void queue_groups(Runner *runner, GPtrArray *cases, Work *work)
{
	const RcRunnerConfig *config = runner->config;
	g_autoptr(GPtrArray) groups = rc_matrix_groups(cases);
	guint next = 0;

	for (guint i = 0; i < groups->len; i++) {
		const RcCaseGroup *g = g_ptr_array_index(groups, i);
		const RcCaseGroup *h =
			i + 1 < groups->len ? g_ptr_array_index(groups, i + 1) : NULL;

		if (config->chain && !config->pin_romsize && h &&
		    strcmp(g->machine, h->machine) == 0 &&
		    g->direction == RC_DIRECTION_OLD_TO_NEW &&
		    h->direction == RC_DIRECTION_NEW_TO_OLD) {
			queue_machine(runner, g, h, work, &next);
			i++;
		} else {
			queue_group(runner, g, work, &next);
		}
	}
}

/**
 * rc_runner_run() - run the cases and give each a verdict
 * @config:	sides, limits and callbacks
 * @cases:	RcCase *, sorted (rc_matrix_sort()); results are filled in
 * @stats:	set to what the run cost, or NULL
 * @error:	set when the run stopped early: interrupted by a signal, or a
 *		QEMU pair could not be run at all (cases not reached stay
 *		"not-run", those done keep their verdicts)
 *
 * Return: TRUE when every case got a verdict
 */
gboolean rc_runner_run(const RcRunnerConfig *config, GPtrArray *cases, RcRunnerStats *stats,
		       GError **error)
{
	g_autoptr(GArray) work = g_array_new(FALSE, TRUE, sizeof(Work));
	Runner runner = {.config = config, .total = cases->len};
	g_autoptr(GError) local = NULL;

	rc_runner_predict(config, cases);
	if (config->predict_only) {
		if (stats)
			memset(stats, 0, sizeof(*stats));
		return TRUE;
	}
	/* Room for two QEMUs per worker up front: registering one never allocates. */
	if (!rc_child_registry_reserve(2 * MAX(config->jobs, 1) + RC_REGISTRY_SPARE, error))
		return FALSE;
	g_array_set_size(work, cases->len);
	g_mutex_init(&runner.lock);
	g_cond_init(&runner.idle);
	runner.pool =
		g_thread_pool_new(run_batch, &runner, (gint)MAX(config->jobs, 1), TRUE, &local);
	if (!runner.pool) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot start %u worker threads: %s",
			    config->jobs, local->message);
		return FALSE;
	}
	/* Hold the pool idle-signal until every group is queued. */
	g_mutex_lock(&runner.lock);
	runner.pending++;
	g_mutex_unlock(&runner.lock);
	queue_groups(&runner, cases, (Work *)(void *)work->data);
	g_mutex_lock(&runner.lock);
	runner.pending--;
	while (runner.pending)
		g_cond_wait(&runner.idle, &runner.lock);
	g_mutex_unlock(&runner.lock);
	g_thread_pool_free(runner.pool, FALSE, TRUE);
	g_mutex_clear(&runner.lock);
	g_cond_clear(&runner.idle);
	if (stats)
		*stats = runner.stats;
	/* The signal outranks an error a worker met while QEMUs were being
	 * stopped for it. */
	if (rc_qemu_interrupted()) {
		int signo = rc_qemu_interrupted();

		g_clear_error(&runner.error);
		g_set_error(error, RC_ERROR, RC_ERROR_INTERRUPTED,
			    "interrupted by %s; every QEMU was stopped",
			    sigabbrev_np(signo) ? sigabbrev_np(signo) : "a signal");
		return FALSE;
	}
	if (runner.error) {
		g_propagate_error(error, runner.error);
		return FALSE;
	}
	return TRUE;
}
