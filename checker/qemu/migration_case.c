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
 * source migrates over a unix socket in the run directory; the source's
 * query-migrate is polled under the case's deadline.  A failed migration
 * is explained by the destination's stderr (the source only sees a broken
 * pipe), which qemu_stderr.c classifies.
 */
#include "qemu/migration_case.h"

#include <string.h>

#include "base/error.h"
#include "base/jsonutil.h"
#include "qemu/qemu_process.h"
#include "sources/qemupkg.h"
#include "qemu/qemu_stderr.h"
#include "qmp/qmp_client.h"
#include "qmp/qmp_commands.h"
#include "qemu/ramblock.h"
#include "qemu/rundir.h"
#include "base/trace.h"

/* How long a QEMU that failed may take to print its reason and exit. */
#define RC_EXIT_GRACE_US (2 * G_USEC_PER_SEC)
/* How often query-migrate is asked while a migration runs. */
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

/* One side of the pair while the case runs. */
typedef struct {
	const char *label;
	RcQemu *qemu;
	RcQmp *qmp;
} Side;

static void side_clear(Side *side)
{
	rc_qmp_free(side->qmp);
	side->qmp = NULL;
	rc_qemu_free(side->qemu);
	side->qemu = NULL;
}

/* The argv of one side; *@envp the environment a QEMU from a package needs. */
static GPtrArray *build_argv(const RcMigrationSpec *spec, const char *binary, gboolean source,
			     char ***envp)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(argv, g_strdup(binary));
	*envp = rc_qemu_pkg_runtime(binary, argv);
	g_ptr_array_add(argv, g_strdup("-machine"));
	g_ptr_array_add(argv, g_strdup_printf("%s,accel=%s", spec->machine, spec->accel));
	g_ptr_array_add(argv, g_strdup("-nodefaults"));
	g_ptr_array_add(argv, g_strdup("-no-user-config"));
	g_ptr_array_add(argv, g_strdup("-display"));
	g_ptr_array_add(argv, g_strdup("none"));
	g_ptr_array_add(argv, g_strdup("-m"));
	g_ptr_array_add(argv, g_strdup_printf("%u", spec->memory_mib));
	g_ptr_array_add(argv, g_strdup("-S"));
	g_ptr_array_add(argv, g_strdup("-chardev"));
	g_ptr_array_add(argv, g_strdup_printf("socket,id=qmp,fd=%d", RC_QEMU_QMP_FD));
	g_ptr_array_add(argv, g_strdup("-mon"));
	g_ptr_array_add(argv, g_strdup("chardev=qmp,mode=control"));
	for (guint i = 0; i < spec->n_nics; i++) {
		const RcCaseNic *nic = &spec->nics[i];
		const char *rom = source ? nic->src_rom : nic->dst_rom;
		GString *dev = g_string_new(nic->model);

		g_string_append_printf(dev, ",id=nic%u", i);
		if (nic->addr >= 0)
			g_string_append_printf(dev, ",addr=0x%x", (unsigned)nic->addr);
		if (rom) {
			g_autofree char *escaped = rc_qemu_escape(rom);

			g_string_append_printf(dev, ",romfile=%s", escaped);
		}
		if (source ? nic->src_romsize : nic->dst_romsize)
			g_string_append_printf(dev, ",romsize=%" G_GUINT64_FORMAT,
					       source ? nic->src_romsize : nic->dst_romsize);
		g_ptr_array_add(argv, g_strdup("-device"));
		g_ptr_array_add(argv, g_string_free(dev, FALSE));
	}
	if (!source) {
		g_ptr_array_add(argv, g_strdup("-incoming"));
		g_ptr_array_add(argv, g_strdup("defer"));
	}
	g_ptr_array_add(argv, NULL);
	return argv;
}

static gboolean check_interrupted(GError **error)
{
	int signo = rc_qemu_interrupted();

	if (!signo)
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_INTERRUPTED,
		    "interrupted by %s; every QEMU was stopped",
		    sigabbrev_np(signo) ? sigabbrev_np(signo) : "a signal");
	return FALSE;
}

/*
 * Explain a side that stopped answering: wait briefly for it to exit, read
 * its stderr and classify it.  Fills @out unless it already has a verdict.
 */
static void explain_side(Side *side, RcMigrationOutcome *out, RcKind fallback)
{
	g_autofree char *text = NULL;
	g_autoptr(RcQemuMessage) msg = NULL;
	gboolean lost;

	rc_qemu_wait(side->qemu, g_get_monotonic_time() + RC_EXIT_GRACE_US);
	text = rc_qemu_read_stderr(side->qemu, &lost);
	msg = rc_qemu_stderr_classify(text);
	if (out->kind != RC_KIND_NONE && out->kind != RC_KIND_OTHER)
		return;
	if (lost && (msg->kind == RC_KIND_NONE || msg->kind == RC_KIND_OTHER)) {
		/* Say so, rather than pass the source's broken pipe off as the reason. */
		out->kind = RC_KIND_OTHER;
		g_free(out->message);
		out->message = g_strdup_printf("the %s QEMU's error output was lost (reading it "
					       "failed): the reason it gave is unknown",
					       side->label);
		return;
	}
	if (side->qemu->end == RC_QEMU_SIGNALED) {
		out->kind = RC_KIND_QEMU_CRASHED;
		g_free(out->message);
		out->message = g_strdup_printf("%s QEMU killed by signal %d (%s)", side->label,
					       side->qemu->signal, g_strsignal(side->qemu->signal));
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

static gboolean start_side(Side *side, const RcMigrationSpec *spec, const RcRunDir *run,
			   gboolean source, gint64 deadline, RcMigrationOutcome *out,
			   GError **error)
{
	g_auto(GStrv) envp = NULL;
	g_autoptr(GPtrArray) argv =
		build_argv(spec, source ? spec->src_qemu : spec->dst_qemu, source, &envp);
	g_autofree char *err_path = rc_rundir_file(run, source ? "src.err" : "dst.err");

	side->qemu = rc_qemu_spawn(side->label, (const char *const *)argv->pdata,
				   (const char *const *)envp, err_path, error);
	return side->qemu != NULL;
}

static gboolean connect_side(Side *side, gint64 deadline, RcMigrationOutcome *out)
{
	g_autoptr(GError) local = NULL;
	int fd = side->qemu->qmp_fd;

	side->qemu->qmp_fd = -1; /* rc_qmp_new_fd() owns it from now on */
	side->qmp = rc_qmp_new_fd(fd, side->label, deadline, &local);
	if (side->qmp)
		return TRUE;
	rc_trace("%s: no QMP: %s", side->label, local->message);
	explain_side(side, out, RC_KIND_QEMU_START_FAILED);
	if (out->kind == RC_KIND_NONE || out->kind == RC_KIND_OTHER) {
		out->kind = g_error_matches(local, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT)
				    ? RC_KIND_TIMEOUT
				    : RC_KIND_QEMU_START_FAILED;
		if (!out->message)
			out->message = g_strdup_printf("%s QEMU: %s", side->label, local->message);
	}
	return FALSE;
}

static GStrv read_romfiles(Side *side, guint n_nics, gint64 deadline)
{
	GStrv files = g_new0(char *, n_nics + 1);

	for (guint i = 0; i < n_nics; i++) {
		g_autofree char *path = g_strdup_printf("/machine/peripheral/nic%u", i);
		g_autoptr(GError) local = NULL;

		files[i] = rc_qmp_qom_get_string(side->qmp, path, "romfile", deadline, &local);
		if (!files[i])
			files[i] = g_strdup("?");
	}
	return files;
}

static GPtrArray *read_blocks(Side *side, gint64 deadline, GError **error)
{
	g_autofree char *text =
		rc_qmp_human_monitor_command(side->qmp, "info ramblock", deadline, error);

	return text ? rc_ramblock_parse(text, error) : NULL;
}

static char *version_of(Side *side, gint64 deadline)
{
	g_autoptr(RcQmpVersion) v = rc_qmp_query_version(side->qmp, deadline, NULL);

	return v ? g_strdup_printf("%d.%d.%d", v->major, v->minor, v->micro) : NULL;
}

/* Poll the source until the migration ends; fills @out. */
static void follow_migration(Side *src, Side *dst, gint64 deadline, RcMigrationOutcome *out)
{
	for (;;) {
		g_autoptr(GError) local = NULL;
		g_autoptr(RcQmpMigrateInfo) info = rc_qmp_query_migrate(src->qmp, deadline, &local);

		if (!info) {
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
static void confirm_destination(Side *dst, gint64 deadline, RcMigrationOutcome *out)
{
	for (;;) {
		g_autoptr(GError) local = NULL;
		g_autoptr(RcQmpMigrateInfo) info = rc_qmp_query_migrate(dst->qmp, deadline, &local);

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

static gboolean run_pair(const RcMigrationSpec *spec, Side *src, Side *dst, const RcRunDir *run,
			 gint64 deadline, RcMigrationOutcome *out, GError **error)
{
	g_autoptr(GHashTable) commands = NULL;
	g_autofree char *mig_path = rc_rundir_file(run, "mig.sock");
	g_autofree char *uri = g_strdup_printf("unix:%s", mig_path);
	g_autoptr(GError) local = NULL;

	if (!start_side(dst, spec, run, FALSE, deadline, out, error) ||
	    !start_side(src, spec, run, TRUE, deadline, out, error))
		return FALSE;
	if (!connect_side(dst, deadline, out) || !connect_side(src, deadline, out))
		return check_interrupted(error);

	out->src_version = version_of(src, deadline);
	out->dst_version = version_of(dst, deadline);
	out->src_romfiles = read_romfiles(src, spec->n_nics, deadline);
	out->dst_romfiles = read_romfiles(dst, spec->n_nics, deadline);
	out->src_blocks = read_blocks(src, deadline, &local);
	if (out->src_blocks)
		out->dst_blocks = read_blocks(dst, deadline, &local);
	if (!out->dst_blocks) {
		if (!check_interrupted(error))
			return FALSE;
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	out->diffs = rc_ramblock_compare(out->src_blocks, out->dst_blocks);

	commands = rc_qmp_query_commands(dst->qmp, deadline, error);
	if (!commands)
		return FALSE;
	if (!rc_qmp_has_command(commands, "migrate-incoming")) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INFRA,
			"destination QEMU %s has no 'migrate-incoming' command (QEMU older than 2.3 is not supported)",
			spec->dst_qemu);
		return FALSE;
	}
	if (!rc_qmp_migrate_incoming(dst->qmp, uri, deadline, &local) ||
	    !rc_qmp_migrate(src->qmp, uri, deadline, &local)) {
		explain_side(dst, out, RC_KIND_OTHER);
		if (out->kind == RC_KIND_NONE) {
			out->kind = RC_KIND_OTHER;
			out->message = g_strdup(local->message);
		}
		return check_interrupted(error);
	}
	follow_migration(src, dst, deadline, out);
	if (out->kind == RC_KIND_OK)
		confirm_destination(dst, deadline, out);
	return check_interrupted(error);
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
	RcMigrationOutcome *out = g_new0(RcMigrationOutcome, 1);
	g_autoptr(RcRunDir) run = NULL;
	gint64 start = g_get_monotonic_time();
	gint64 deadline = start + spec->timeout_us;
	Side src = {.label = "src"};
	Side dst = {.label = "dst"};
	gboolean ok;

	out->kind = RC_KIND_NONE;
	run = rc_rundir_new(error);
	if (!run) {
		rc_migration_outcome_free(out);
		return NULL;
	}
	ok = run_pair(spec, &src, &dst, run, deadline, out, error);
	if (src.qemu) {
		rc_qemu_stop(src.qemu, G_USEC_PER_SEC);
		out->src_end = rc_qemu_describe_end(src.qemu);
	}
	if (dst.qemu) {
		rc_qemu_stop(dst.qemu, G_USEC_PER_SEC);
		out->dst_end = rc_qemu_describe_end(dst.qemu);
	}
	side_clear(&src);
	side_clear(&dst);
	if (!ok) {
		rc_migration_outcome_free(out);
		return NULL;
	}
	if (out->kind == RC_KIND_NONE)
		out->kind = RC_KIND_OTHER;
	out->seconds = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	return out;
}
