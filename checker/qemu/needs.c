/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * needs.c - one QEMU started as a user starts it (its default devices, or
 * one NIC model), paused, and what became of it: started, refused for a
 * missing ROM file, or failed for another reason.
 *
 * Theory of operation: the QEMU is an RcQemuInstance with `defaults` set
 * (no -nodefaults: the NIC a machine type creates by itself is the point)
 * or with -nodefaults and one `-device MODEL`; -S, no disk, no guest code
 * runs.  QEMU 7.2 greets on QMP before it builds the machine, so a greeting
 * proves nothing: the QEMU has started when it answers query-status, which
 * it serves only from its main loop, after every device (and its option
 * ROM) was realized.  Otherwise its stderr says why
 * (rc_qemu_stderr_classify()): "failed to find romfile" is a refusal and
 * names the file, and so is a firmware image QEMU could not load ("could
 * not load PC BIOS 'bios-256k.bin'") when it is one of the hidden names;
 * any other line is a failure, kept as QEMU wrote it (MacROM.bin, which no
 * set hides); no answer before the deadline is a failure too.  What a started QEMU loads
 * is read back from it: the romfile property of every device (HMP
 * `info qtree`) and its RAM blocks (HMP `info ramblock`).
 */
#include "qemu/needs.h"

#include <string.h>

#include "base/child.h"
#include "base/error.h"
#include "qemu/qemu_instance.h"
#include "qemu/qemu_process.h"
#include "qemu/qemu_stderr.h"
#include "qemu/ramblock.h"
#include "qemu/rundir.h"
#include "qmp/qmp_commands.h"

/* One QEMU, from start to its answer or its end. */
#define NEEDS_TIMEOUT_US (20 * G_USEC_PER_SEC)

RC_ENUM_IMPL_TO_STRING(rc_needs_status, RcNeedsStatus,
		       RC_NEEDS_STATUS_COUNT, [RC_NEEDS_STARTS] = "starts",
		       [RC_NEEDS_REFUSES] = "refuses", [RC_NEEDS_FAILS] = "fails");

/**
 * rc_needs_result_free() - free a result
 * @result:	the result, or NULL
 */
void rc_needs_result_free(RcNeedsResult *result)
{
	if (!result)
		return;
	g_free(result->romfile);
	g_free(result->message);
	g_strfreev(result->roms);
	if (result->ramblocks)
		g_ptr_array_unref(result->ramblocks);
	g_free(result);
}

/**
 * rc_needs_qtree_romfiles() - the ROM files named in HMP `info qtree`
 * @qtree:	its output
 *
 * Every `romfile = "FILE"` line with a file, each file once, in the order
 * QEMU lists its devices.
 *
 * Return: the files, NULL-terminated (g_strfreev() it)
 */
GStrv rc_needs_qtree_romfiles(const char *qtree)
{
	g_auto(GStrv) lines = g_strsplit(qtree ? qtree : "", "\n", -1);
	g_autoptr(GPtrArray) files = g_ptr_array_new_null_terminated(4, g_free, TRUE);

	for (guint i = 0; lines[i]; i++) {
		const char *line = g_strstrip(lines[i]);
		const char *start;
		const char *end;
		g_autofree char *file = NULL;

		if (!g_str_has_prefix(line, "romfile = \""))
			continue;
		start = line + strlen("romfile = \"");
		if (!(end = strchr(start, '"')) || end == start)
			continue;
		file = g_strndup(start, end - start);
		if (!g_strv_contains((const char *const *)files->pdata, file))
			g_ptr_array_add(files, g_steal_pointer(&file));
	}
	return (GStrv)g_ptr_array_free(g_steal_pointer(&files), FALSE);
}

/* What a QEMU that did not answer said, into @result. */
static void ended(RcQemuInstance *qemu, const RcNeedsSpec *spec, const GError *why, gint64 deadline,
		  RcNeedsResult *result)
{
	g_autoptr(RcQemuMessage) msg = NULL;

	if (g_error_matches(why, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT)) {
		result->status = RC_NEEDS_FAILS;
		result->message = g_strdup_printf("no answer within %d s (stopped by romcompat)",
						  (int)(NEEDS_TIMEOUT_US / G_USEC_PER_SEC));
		return;
	}
	msg = rc_qemu_instance_explain(qemu, deadline, NULL);
	if (msg->kind == RC_KIND_ROMFILE_MISSING && msg->romfile) {
		result->status = RC_NEEDS_REFUSES;
		result->romfile = g_strdup(msg->romfile);
	} else if (msg->firmware && spec->hidden && g_strv_contains(spec->hidden, msg->firmware)) {
		result->status = RC_NEEDS_REFUSES;
		result->romfile = g_strdup(msg->firmware);
		result->firmware = TRUE;
	} else {
		result->status = RC_NEEDS_FAILS;
	}
	result->message = msg->line ? g_strdup(msg->line) : rc_qemu_instance_describe_end(qemu);
}

/* What a started QEMU loads, read back from it. */
static gboolean read_back(RcQmp *qmp, const RcNeedsSpec *spec, RcNeedsResult *result,
			  gint64 deadline, GError **error)
{
	g_autofree char *text = NULL;

	if (spec->read_roms) {
		if (!(text = rc_qmp_human_monitor_command(qmp, "info qtree", deadline, error)))
			return FALSE;
		result->roms = rc_needs_qtree_romfiles(text);
		g_clear_pointer(&text, g_free);
	}
	if (spec->read_ramblocks) {
		if (!(text = rc_qmp_human_monitor_command(qmp, "info ramblock", deadline, error)) ||
		    !(result->ramblocks = rc_ramblock_parse(text, error)))
			return FALSE;
	}
	return TRUE;
}

/* The QEMU of @spec in @run, not yet greeted. */
static RcQemuInstance *spawn(const RcNeedsSpec *spec, const RcRunDir *run, GError **error)
{
	g_autoptr(GPtrArray) extra = g_ptr_array_new_null_terminated(4, NULL, TRUE);
	RcQemuConfig config = {.label = "needs",
			       .binary = spec->binary,
			       .machine = spec->machine,
			       .accel = "tcg",
			       .memory_mib = spec->memory_mib,
			       .run = run,
			       .stderr_name = "needs.err",
			       .defaults = spec->model == NULL};

	if (spec->data_dir) {
		g_ptr_array_add(extra, (gpointer) "-L");
		g_ptr_array_add(extra, (gpointer)spec->data_dir);
	}
	if (spec->model) {
		g_ptr_array_add(extra, (gpointer) "-device");
		g_ptr_array_add(extra, (gpointer)spec->model);
	}
	config.extra = (const char *const *)extra->pdata;
	return rc_qemu_instance_spawn(&config, error);
}

/**
 * rc_needs_probe() - start one QEMU and see what becomes of it
 * @spec:	binary, machine type, NIC model or defaults, -L directory,
 *		what to read back
 * @error:	set (exit 3) when QEMU cannot be run at all or a started QEMU
 *		stops answering while it is read; a signal
 *
 * Return: the result (a refusal or failure is a result, not an error)
 */
RcNeedsResult *rc_needs_probe(const RcNeedsSpec *spec, GError **error)
{
	g_autoptr(RcRunDir) run = NULL;
	g_autoptr(RcQemuInstance) qemu = NULL;
	RcNeedsResult *result; /* plain ownership: clang's analyzer loses g_autoptr of our types */
	g_autoptr(GError) local = NULL;
	gint64 deadline = g_get_monotonic_time() + NEEDS_TIMEOUT_US;
	RcQmp *qmp;

	if (!rc_child_check_interrupted(error) || !(run = rc_rundir_new(error)) ||
	    !(qemu = spawn(spec, run, error)))
		return NULL;
	result = g_new0(RcNeedsResult, 1);
	if (!rc_qemu_instance_greet(qemu, deadline, &local) ||
	    !rc_qmp_query_status(rc_qemu_instance_qmp(qemu), NULL, NULL, deadline, &local)) {
		if (rc_child_check_interrupted(error)) {
			ended(qemu, spec, local, deadline, result);
			return result;
		}
		rc_needs_result_free(result);
		return NULL;
	}
	qmp = rc_qemu_instance_qmp(qemu);
	result->status = RC_NEEDS_STARTS;
	if (!read_back(qmp, spec, result, deadline, error)) {
		rc_needs_result_free(result);
		return NULL;
	}
	rc_qmp_quit(qmp, g_get_monotonic_time() + G_USEC_PER_SEC, NULL);
	return result;
}
