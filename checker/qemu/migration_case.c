/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migration_case.c - one migration between two real QEMU processes.
 *
 * Theory of operation: the destination starts with "-incoming defer" and
 * the source paused (-S), both -nodefaults, concurrently, each with QMP on
 * an inherited socketpair.  QEMU is the oracle: the romfile each NIC loaded
 * is read back with qom-get, and both sides' RAM blocks are listed (HMP
 * "info ramblock") and compared before migrating, which names every block
 * that differs where the migration itself stops at the first one.  Then
 * the destination listens (migrate-incoming, feature-detected) and the
 * source migrates over a unix socket in the run directory, followed by the
 * source's MIGRATION events (the "events" capability; query-migrate is
 * polled where QEMU lacks it) under the case's deadline.  A failed migration
 * is explained by the destination's stderr (the source only sees a broken
 * pipe), which qemu_stderr.c classifies.
 */
#include "qemu/migration_case.h"

#include <string.h>

#include "base/error.h"
#include "base/jsonutil.h"
#include "qemu/qemu_instance.h"
#include "qemu/qemu_process.h"
#include "qemu/qemu_stderr.h"
#include "qmp/qmp_client.h"
#include "qmp/qmp_commands.h"
#include "qemu/ramblock.h"
#include "qemu/rundir.h"
#include "base/trace.h"

/* How long a QEMU that failed may take to print its reason and exit. */
#define RC_EXIT_GRACE_US (2 * G_USEC_PER_SEC)
/* How often query-migrate is asked while a migration runs (without events). */
#define RC_POLL_INTERVAL_US 1000

/**
 * rc_migration_outcome_free() - free an outcome
 * @outcome:	the outcome, or NULL
 */
void rc_migration_outcome_free(RcMigrationOutcome *outcome)
{
	if (!outcome)
		return;
	g_free(outcome->block);
	g_free(outcome->message);
	g_free(outcome->source_error);
	if (outcome->diffs)
		g_ptr_array_unref(outcome->diffs);
	if (outcome->src_blocks)
		g_ptr_array_unref(outcome->src_blocks);
	if (outcome->dst_blocks)
		g_ptr_array_unref(outcome->dst_blocks);
	g_strfreev(outcome->src_romfiles);
	g_strfreev(outcome->dst_romfiles);
	g_free(outcome->src_version);
	g_free(outcome->dst_version);
	g_free(outcome->src_end);
	g_free(outcome->dst_end);
	g_free(outcome);
}

/* The -device of NIC @i on one side: model, id, slot, romfile, romsize. */
static char *nic_device(const RcCaseNic *nic, guint i, gboolean source)
{
	const char *rom = source ? nic->src_rom : nic->dst_rom;
	guint64 romsize = source ? nic->src_romsize : nic->dst_romsize;
	GString *dev = g_string_new(nic->model);

	g_string_append_printf(dev, ",id=nic%u", i);
	if (nic->addr >= 0)
		g_string_append_printf(dev, ",addr=0x%x", (unsigned)nic->addr);
	if (rom) {
		g_autofree char *escaped = rc_qemu_escape(rom);

		g_string_append_printf(dev, ",romfile=%s", escaped);
	}
	if (romsize)
		g_string_append_printf(dev, ",romsize=%" G_GUINT64_FORMAT, romsize);
	return g_string_free(dev, FALSE);
}

/* What one side adds to the base argv: its -bios image or pflash code
 * image if one is given, its NICs (with the source's ROMs when @source), and -incoming when it is
 * to receive a migration. */
static GStrv side_args(const RcMigrationSpec *spec, gboolean source, gboolean incoming)
{
	GPtrArray *args = g_ptr_array_new_null_terminated(2 * spec->n_nics + 4, g_free, TRUE);
	const char *bios = source ? spec->src_bios : spec->dst_bios;
	const char *pflash = source ? spec->src_pflash : spec->dst_pflash;

	if (bios) {
		g_ptr_array_add(args, g_strdup("-bios"));
		g_ptr_array_add(args, g_strdup(bios));
	}
	if (pflash) {
		g_autofree char *escaped = rc_qemu_escape(pflash);

		g_ptr_array_add(args, g_strdup("-drive"));
		g_ptr_array_add(args,
				g_strdup_printf("if=pflash,unit=0,format=raw,readonly=on,file=%s",
						escaped));
	}

	for (guint i = 0; i < spec->n_nics; i++) {
		g_ptr_array_add(args, g_strdup("-device"));
		g_ptr_array_add(args, nic_device(&spec->nics[i], i, source));
	}
	if (incoming) {
		g_ptr_array_add(args, g_strdup("-incoming"));
		g_ptr_array_add(args, g_strdup("defer"));
	}
	return (GStrv)g_ptr_array_free(args, FALSE);
}

/*
 * Explain a side that stopped answering: wait briefly for it to exit, read
 * its stderr and classify it.  Fills @out unless it already has a verdict.
 */
static void explain_side(RcQemuInstance *side, RcMigrationOutcome *out, RcKind fallback)
{
	gboolean lost;
	g_autoptr(RcQemuMessage) msg =
		rc_qemu_instance_explain(side, g_get_monotonic_time() + RC_EXIT_GRACE_US, &lost);
	const RcChild *child = rc_qemu_instance_child(side);

	if (out->kind != RC_KIND_NONE && out->kind != RC_KIND_OTHER)
		return;
	if (lost && (msg->kind == RC_KIND_NONE || msg->kind == RC_KIND_OTHER)) {
		/* Say so, rather than pass the source's broken pipe off as the reason. */
		out->kind = RC_KIND_OTHER;
		g_free(out->message);
		out->message = g_strdup_printf("the %s QEMU's error output was lost (reading it "
					       "failed): the reason it gave is unknown",
					       rc_qemu_instance_label(side));
		return;
	}
	if (child->end == RC_CHILD_SIGNALED) {
		out->kind = RC_KIND_QEMU_CRASHED;
		g_free(out->message);
		out->message = g_strdup_printf("%s QEMU killed by signal %d (%s)",
					       rc_qemu_instance_label(side), child->signal,
					       g_strsignal(child->signal));
		return;
	}
	if (msg->kind == RC_KIND_NONE || (msg->kind == RC_KIND_OTHER && out->kind == RC_KIND_OTHER))
		return;
	out->kind = msg->kind == RC_KIND_OTHER ? fallback : msg->kind;
	if (out->kind == RC_KIND_OTHER && fallback != RC_KIND_OTHER)
		out->kind = fallback;
	g_free(out->block);
	out->block = g_steal_pointer(&msg->block);
	out->source_size = msg->source_size;
	out->destination_size = msg->destination_size;
	g_free(out->message);
	out->message = g_steal_pointer(&msg->line);
}

/* A QEMU of the source (binary, ROMs) when @source, else of the
 * destination; waiting for a migration when @incoming. */
static RcQemuInstance *start_side(const RcMigrationSpec *spec, const RcRunDir *run, gboolean source,
				  gboolean incoming, const char *label, GError **error)
{
	g_auto(GStrv) extra = side_args(spec, source, incoming);
	g_autofree char *stderr_name = g_strdup_printf("%s.err", label);
	RcQemuConfig config = {.label = label,
			       .binary = source ? spec->src_qemu : spec->dst_qemu,
			       .machine = spec->machine,
			       .accel = spec->accel,
			       .memory_mib = spec->memory_mib,
			       .extra = (const char *const *)extra,
			       .run = run,
			       .stderr_name = stderr_name};

	return rc_qemu_instance_spawn(&config, error);
}

static gboolean connect_side(RcQemuInstance *side, gint64 deadline, RcMigrationOutcome *out)
{
	g_autoptr(GError) local = NULL;

	if (rc_qemu_instance_greet(side, deadline, &local))
		return TRUE;
	rc_trace("%s: no QMP: %s", rc_qemu_instance_label(side), local->message);
	explain_side(side, out, RC_KIND_QEMU_START_FAILED);
	if (out->kind == RC_KIND_NONE || out->kind == RC_KIND_OTHER) {
		out->kind = g_error_matches(local, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT)
				    ? RC_KIND_TIMEOUT
				    : RC_KIND_QEMU_START_FAILED;
		if (!out->message)
			out->message = g_strdup_printf("%s QEMU: %s", rc_qemu_instance_label(side),
						       local->message);
	}
	return FALSE;
}

static GStrv read_romfiles(RcQemuInstance *side, guint n_nics, gint64 deadline)
{
	GStrv files = g_new0(char *, n_nics + 1);

	for (guint i = 0; i < n_nics; i++) {
		g_autofree char *path = g_strdup_printf(RC_QEMU_NIC_PATH, i);
		g_autoptr(GError) local = NULL;

		files[i] = rc_qmp_qom_get_string(rc_qemu_instance_qmp(side), path, "romfile",
						 deadline, &local);
		if (!files[i])
			files[i] = g_strdup("?");
	}
	return files;
}

static GPtrArray *read_blocks(RcQemuInstance *side, gint64 deadline, GError **error)
{
	g_autofree char *text = rc_qmp_human_monitor_command(rc_qemu_instance_qmp(side),
							     "info ramblock", deadline, error);

	return text ? rc_ramblock_parse(text, error) : NULL;
}

static char *version_of(RcQemuInstance *side, gint64 deadline)
{
	g_autoptr(RcQmpVersion) v =
		rc_qmp_query_version(rc_qemu_instance_qmp(side), deadline, NULL);

	return v ? g_strdup_printf("%d.%d.%d", v->major, v->minor, v->micro) : NULL;
}

/* The source's connection failed while a migration ran: why. */
static void source_lost(RcQemuInstance *src, RcQemuInstance *dst, const GError *local,
			RcMigrationOutcome *out)
{
	if (g_error_matches(local, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT)) {
		out->kind = RC_KIND_TIMEOUT;
	} else {
		explain_side(src, out, RC_KIND_QEMU_CRASHED);
		explain_side(dst, out, RC_KIND_OTHER);
		if (out->kind == RC_KIND_NONE || out->kind == RC_KIND_OTHER)
			out->kind = RC_KIND_QEMU_CRASHED;
	}
	if (!out->message)
		out->message = g_strdup(local->message);
}

/*
 * Wait for the source's next MIGRATION event that ends the migration
 * (completed, failed, cancelled); the states on the way are skipped.
 * Return: its state, or RC_MIGRATION_OTHER with @error set
 */
static RcMigrationStatus wait_migration_end(RcQemuInstance *src, gint64 deadline, GError **error)
{
	for (;;) {
		g_autoptr(json_object) ev =
			rc_qmp_wait_event(rc_qemu_instance_qmp(src), "MIGRATION", deadline, error);
		RcMigrationStatus status;

		if (!ev)
			return RC_MIGRATION_OTHER;
		status = rc_qmp_migration_event_status(ev, NULL);
		if (status == RC_MIGRATION_COMPLETED || status == RC_MIGRATION_FAILED ||
		    status == RC_MIGRATION_CANCELLED)
			return status;
	}
}

/*
 * Follow the migration until it ends; fills @out.  With @events (the
 * source has the "events" capability) its MIGRATION events say when, and
 * query-migrate is asked once, for the reason, only when it failed;
 * without, query-migrate is polled.
 */
static void follow_migration(RcQemuInstance *src, RcQemuInstance *dst, gboolean events,
			     gint64 deadline, RcMigrationOutcome *out)
{
	for (;;) {
		g_autoptr(GError) local = NULL;
		g_autoptr(RcQmpMigrateInfo) info = NULL;

		if (events && wait_migration_end(src, deadline, &local) == RC_MIGRATION_COMPLETED) {
			out->kind = RC_KIND_OK;
			return;
		}
		if (!local)
			info = rc_qmp_query_migrate(rc_qemu_instance_qmp(src), deadline, &local);
		if (!info) {
			source_lost(src, dst, local, out);
			return;
		}
		if (info->status == RC_MIGRATION_COMPLETED) {
			out->kind = RC_KIND_OK;
			return;
		}
		if (info->status == RC_MIGRATION_FAILED || info->status == RC_MIGRATION_CANCELLED) {
			out->source_error = g_strdup(info->error_desc);
			out->kind = RC_KIND_OTHER;
			explain_side(dst, out, RC_KIND_OTHER);
			if (!out->message)
				out->message = g_strdup(info->error_desc ? info->error_desc
									 : "migration failed");
			return;
		}
		if (rc_qemu_interrupted())
			return;
		if (g_get_monotonic_time() >= deadline) {
			out->kind = RC_KIND_TIMEOUT;
			out->message = g_strdup_printf("migration still '%s' at the deadline",
						       info->status_name);
			return;
		}
		g_usleep(RC_POLL_INTERVAL_US);
	}
}

/* After the source reports completion, the destination must agree. */
static void confirm_destination(RcQemuInstance *dst, gint64 deadline, RcMigrationOutcome *out)
{
	for (;;) {
		g_autoptr(GError) local = NULL;
		g_autoptr(RcQmpMigrateInfo) info =
			rc_qmp_query_migrate(rc_qemu_instance_qmp(dst), deadline, &local);

		if (!info) {
			out->kind = RC_KIND_OTHER;
			explain_side(dst, out, RC_KIND_OTHER);
			if (!out->message)
				out->message = g_strdup(local->message);
			return;
		}
		if (info->status == RC_MIGRATION_COMPLETED)
			return;
		if (info->status == RC_MIGRATION_FAILED) {
			out->kind = RC_KIND_OTHER;
			explain_side(dst, out, RC_KIND_OTHER);
			return;
		}
		if (g_get_monotonic_time() >= deadline) {
			out->kind = RC_KIND_TIMEOUT;
			out->message =
				g_strdup("destination never completed the incoming migration");
			return;
		}
		g_usleep(RC_POLL_INTERVAL_US);
	}
}

/*
 * Both sides' RAM blocks, listed and compared; @src_blocks when the
 * source's are known already (a QEMU that received a migration keeps the
 * blocks it started with).  FALSE with @error when a list cannot be read.
 */
static gboolean compare_blocks(RcQemuInstance *src, RcQemuInstance *dst, GPtrArray *src_blocks,
			       gint64 deadline, RcMigrationOutcome *out, GError **error)
{
	g_autoptr(GError) local = NULL;

	out->src_blocks =
		src_blocks ? g_ptr_array_ref(src_blocks) : read_blocks(src, deadline, &local);
	if (out->src_blocks)
		out->dst_blocks = read_blocks(dst, deadline, &local);
	if (!out->dst_blocks) {
		if (!rc_child_check_interrupted(error))
			return FALSE;
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	out->diffs = rc_ramblock_compare(out->src_blocks, out->dst_blocks);
	return TRUE;
}

/*
 * The destination listens on @sock in the run directory, the source
 * migrates there, and the migration is followed to its end (the
 * destination must agree it completed).  migrate-incoming is not asked for
 * beforehand: a QEMU without it says so when it is called.
 */
static gboolean migrate_leg(const RcMigrationSpec *spec, RcQemuInstance *src, RcQemuInstance *dst,
			    const RcRunDir *run, const char *sock, gint64 deadline,
			    RcMigrationOutcome *out, GError **error)
{
	g_autofree char *mig_path = rc_rundir_file(run, sock);
	g_autofree char *uri = g_strdup_printf("unix:%s", mig_path);
	g_autoptr(GError) local = NULL;
	gboolean events;

	if (!rc_qmp_migrate_incoming(rc_qemu_instance_qmp(dst), uri, deadline, &local) &&
	    g_error_matches(local, RC_QMP_ERROR, RC_QMP_ERROR_COMMAND_NOT_FOUND)) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INFRA,
			"destination QEMU %s has no 'migrate-incoming' command (QEMU older than 2.3 is not supported)",
			spec->dst_qemu);
		return FALSE;
	}
	/* Without the capability (QEMU before 2.4) the source is polled. */
	events = !local && rc_qmp_migrate_set_capability(rc_qemu_instance_qmp(src), "events", TRUE,
							 deadline, NULL);
	if (local || !rc_qmp_migrate(rc_qemu_instance_qmp(src), uri, deadline, &local)) {
		explain_side(dst, out, RC_KIND_OTHER);
		if (out->kind == RC_KIND_NONE) {
			out->kind = RC_KIND_OTHER;
			out->message = g_strdup(local->message);
		}
		return rc_child_check_interrupted(error);
	}
	follow_migration(src, dst, events, deadline, out);
	if (out->kind == RC_KIND_OK)
		confirm_destination(dst, deadline, out);
	return rc_child_check_interrupted(error);
}

static gboolean run_pair(const RcMigrationSpec *spec, RcQemuInstance **srcp, RcQemuInstance **dstp,
			 const RcRunDir *run, gint64 deadline, RcMigrationOutcome *out,
			 GError **error)
{
	RcQemuInstance *src, *dst;

	/* Both start before either is waited for. */
	if (!(dst = *dstp = start_side(spec, run, FALSE, TRUE, "dst", error)) ||
	    !(src = *srcp = start_side(spec, run, TRUE, FALSE, "src", error)))
		return FALSE;
	if (!connect_side(dst, deadline, out) || !connect_side(src, deadline, out))
		return rc_child_check_interrupted(error);
	if (spec->details) {
		out->src_version = version_of(src, deadline);
		out->dst_version = version_of(dst, deadline);
		out->src_romfiles = read_romfiles(src, spec->n_nics, deadline);
		out->dst_romfiles = read_romfiles(dst, spec->n_nics, deadline);
	}
	if (!compare_blocks(src, dst, NULL, deadline, out, error))
		return FALSE;
	return migrate_leg(spec, src, dst, run, "mig.sock", deadline, out, error);
}

/* Stop and reap @side, keep how it ended in @end; NULL is fine. */
static void finish_side(RcQemuInstance *side, char **end)
{
	if (!side)
		return;
	rc_qemu_instance_stop(side, G_USEC_PER_SEC);
	*end = rc_qemu_instance_describe_end(side);
	rc_qemu_instance_free(side);
}

static RcMigrationOutcome *outcome_new(void)
{
	RcMigrationOutcome *out = g_new0(RcMigrationOutcome, 1);

	out->kind = RC_KIND_NONE;
	return out;
}

/* An outcome that ran: a kind for certain, and its wall time. */
static void outcome_close(RcMigrationOutcome *out, gint64 start)
{
	if (out->kind == RC_KIND_NONE)
		out->kind = RC_KIND_OTHER;
	out->seconds = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
}

/**
 * rc_migration_run() - run one migration case
 * @spec:	what to run
 * @error:	set when the case could not be run at all (no run directory,
 *		QEMU could not be started, interrupted by a signal)
 *
 * A QEMU that starts but refuses the configuration, a migration that fails
 * or times out: these are outcomes, not errors.  Both QEMUs are stopped and
 * reaped, and the run directory removed, before this returns.
 *
 * Return: the outcome, or NULL with @error set
 */
RcMigrationOutcome *rc_migration_run(const RcMigrationSpec *spec, GError **error)
{
	RcMigrationOutcome *out;
	g_autoptr(RcRunDir) run = NULL;
	gint64 start = g_get_monotonic_time();
	gint64 deadline = start + spec->timeout_us;
	RcQemuInstance *src = NULL;
	RcQemuInstance *dst = NULL;
	gboolean ok;

	run = rc_rundir_new(error);
	if (!run)
		return NULL;
	out = outcome_new();
	ok = run_pair(spec, &src, &dst, run, deadline, out, error);
	finish_side(src, &out->src_end);
	finish_side(dst, &out->dst_end);
	if (!ok) {
		rc_migration_outcome_free(out);
		return NULL;
	}
	outcome_close(out, start);
	return out;
}

/*
 * The chain's QEMUs: A (source), B (destination), C (the source's binary
 * and ROMs, waiting for B), all started before any is waited for.  Leg 1
 * A -> B fills @out; when it completes, leg 2 B -> C fills *@second.
 */
static gboolean run_chain(const RcMigrationSpec *spec, RcQemuInstance **q, const RcRunDir *run,
			  gint64 start, RcMigrationOutcome *out, RcMigrationOutcome **second,
			  GError **error)
{
	gint64 deadline = start + spec->timeout_us;
	RcMigrationOutcome *back;

	if (!(q[1] = start_side(spec, run, FALSE, TRUE, "dst", error)) ||
	    !(q[2] = start_side(spec, run, TRUE, TRUE, "back", error)) ||
	    !(q[0] = start_side(spec, run, TRUE, FALSE, "src", error)))
		return FALSE;
	for (guint i = 0; i < 3; i++)
		if (!connect_side(q[i], deadline, out))
			return rc_child_check_interrupted(error);
	if (!compare_blocks(q[0], q[1], NULL, deadline, out, error) ||
	    !migrate_leg(spec, q[0], q[1], run, "mig.sock", deadline, out, error))
		return FALSE;
	outcome_close(out, start);
	if (out->kind != RC_KIND_OK)
		return TRUE;
	back = *second = outcome_new();
	/* The second leg has a deadline of its own, as a pair would. */
	deadline = g_get_monotonic_time() + spec->timeout_us;
	/* B keeps the RAM blocks it started with: their sizes come from its
	 * own ROMs, whatever contents A sent. */
	if (!compare_blocks(q[1], q[2], out->dst_blocks, deadline, back, error))
		return FALSE;
	return migrate_leg(spec, q[1], q[2], run, "back.sock", deadline, back, error);
}

/**
 * rc_migration_run_chain() - a case's two directions with three QEMUs
 * @spec:	leg 1, source to destination
 * @second:	set to leg 2's outcome: the destination, which received leg 1
 *		paused, migrates on to a third QEMU with the source's binary
 *		and ROMs (the other direction of every NIC); NULL when leg 1
 *		did not complete
 * @error:	as rc_migration_run()
 *
 * Return: leg 1's outcome, or NULL with @error set (and *@second NULL)
 */
RcMigrationOutcome *rc_migration_run_chain(const RcMigrationSpec *spec, RcMigrationOutcome **second,
					   GError **error)
{
	RcMigrationOutcome *out;
	g_autoptr(RcRunDir) run = NULL;
	gint64 start = g_get_monotonic_time();
	RcQemuInstance *q[3] = {NULL, NULL, NULL};
	char *back_end = NULL;
	gboolean ok;

	*second = NULL;
	run = rc_rundir_new(error);
	if (!run)
		return NULL;
	out = outcome_new();
	ok = run_chain(spec, q, run, start, out, second, error);
	finish_side(q[0], &out->src_end);
	finish_side(q[1], &out->dst_end);
	finish_side(q[2], &back_end);
	if (*second) {
		(*second)->src_end = g_strdup(out->dst_end);
		(*second)->dst_end = back_end;
		outcome_close(*second, start);
		(*second)->seconds -= out->seconds;
	} else {
		g_free(back_end);
	}
	if (!ok) {
		rc_migration_outcome_free(*second);
		*second = NULL;
		rc_migration_outcome_free(out);
		return NULL;
	}
	if (!out->seconds)
		outcome_close(out, start);
	return out;
}
