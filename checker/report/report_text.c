/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_text.c - the summary of a matrix run a human reads, and the
 * writing of any report to a file (atomically) or standard output.
 *
 * Theory of operation: a ROM that leaves its bucket fails on every machine
 * type, for every NIC that loads it, both ways: hundreds of cases with one
 * cause.  So failures are listed by cause, one line each: cases with the
 * same headline (ROM file and both block sizes, in old -> new order
 * whatever the direction) are bucketed; within a bucket, machine types
 * that fail for the same NICs and directions share a line; and machine
 * types are written as ranges of neighbours in the report's own order
 * ("pc-i440fx-1.5 .. pc-i440fx-7.2"), which only join machine types that
 * are adjacent in the report, so a range never claims a machine type the
 * report does not hold.  Errors, cases not run and prediction disagreements
 * are listed the same way.
 */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/jsonutil.h"

/* Longest QEMU message quoted in a headline. */
#define MESSAGE_MAX 120

/*
 * Ordered buckets: @keys in first-seen order, @lists from each key to its
 * items.  Two plain GLib containers rather than a struct of them, so that
 * scope-bound cleanup is visible to the static analyzers.
 */
static void buckets_add(GPtrArray *keys, GHashTable *lists, char *key, gpointer item)
{
	GPtrArray *list = g_hash_table_lookup(lists, key);

	if (!list) {
		list = g_ptr_array_new();
		g_ptr_array_add(keys, key);
		g_hash_table_insert(lists, key, list);
	} else {
		g_free(key);
	}
	g_ptr_array_add(list, item);
}

static GHashTable *bucket_lists_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
				     (GDestroyNotify)g_ptr_array_unref);
}

static char *hex_size(guint64 size)
{
	return g_strdup_printf("0x%" G_GINT64_MODIFIER "x", size);
}

static char *size_change(const RcCase *c)
{
	g_autofree char *old_size = NULL;
	g_autofree char *new_size = NULL;

	if (!rc_case_old_size(c) || !rc_case_new_size(c))
		return g_strdup(c->romfile);
	old_size = hex_size(rc_case_old_size(c));
	new_size = hex_size(rc_case_new_size(c));
	return g_strdup_printf("%s %s -> %s", c->romfile, old_size, new_size);
}

static char *first_line(const char *message)
{
	g_autofree char *line = g_strndup(message, strcspn(message, "\r\n"));

	/* A terminal must not interpret what QEMU printed. */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (g_utf8_strlen(line, -1) <= MESSAGE_MAX)
		return g_steal_pointer(&line);
	*g_utf8_offset_to_pointer(line, MESSAGE_MAX) = '\0';
	return g_strconcat(line, "...", NULL);
}

static char *failure_headline(const RcCase *c)
{
	g_autofree char *change = size_change(c);

	if (c->result.kind == RC_KIND_ROM_SIZE_MISMATCH)
		return g_steal_pointer(&change);
	return g_strdup_printf("%s (%s)", change, rc_kind_to_string(c->result.kind));
}

static char *error_headline(const RcCase *c)
{
	g_autofree char *message = NULL;

	if (!c->result.message)
		return g_strdup(rc_kind_to_string(c->result.kind));
	message = first_line(c->result.message);
	return g_strdup_printf("%s: \"%s\"", rc_kind_to_string(c->result.kind), message);
}

static char *not_run_headline(const RcCase *c)
{
	return g_strdup(c->romfile);
}

static char *finding_headline(const RcCase *c)
{
	g_autofree char *change = size_change(c);

	return g_strdup_printf("predicted %s, QEMU says %s: %s",
			       rc_verdict_to_string(c->result.predicted),
			       rc_verdict_to_string(c->result.verdict), change);
}

static const char *directions_text(guint mask)
{
	if (mask == RC_DIRECTIONS_BOTH)
		return "old-to-new and new-to-old";
	if (mask & RC_DIRECTION_BIT(RC_DIRECTION_OLD_TO_NEW))
		return rc_direction_to_string(RC_DIRECTION_OLD_TO_NEW);
	return rc_direction_to_string(RC_DIRECTION_NEW_TO_OLD);
}

static int name_compare_indirect(gconstpointer a, gconstpointer b)
{
	return rc_catalog_name_compare(*(const char *const *)a, *(const char *const *)b);
}

/*
 * What one machine type's cases in a bucket are: "nic:mask;nic:mask" with
 * NICs in order.  Machine types with the same signature share a line.
 */
static char *machine_signature(GPtrArray *cases)
{
	g_autoptr(GPtrArray) nics = g_ptr_array_new();
	g_autoptr(GArray) masks = g_array_new(FALSE, TRUE, sizeof(guint));
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);

	/* A handful of NICs a machine type: a linear search is the simplest map. */
	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);
		guint n = 0;

		while (n < nics->len && strcmp(g_ptr_array_index(nics, n), c->nic) != 0)
			n++;
		if (n == nics->len) {
			g_ptr_array_add(nics, c->nic);
			g_array_set_size(masks, n + 1);
		}
		g_array_index(masks, guint, n) |= RC_DIRECTION_BIT(c->direction);
	}
	for (guint n = 0; n < nics->len; n++)
		g_ptr_array_add(items, g_strdup_printf("%s:%u", (char *)g_ptr_array_index(nics, n),
						       g_array_index(masks, guint, n)));
	g_ptr_array_sort(items, name_compare_indirect);
	g_ptr_array_add(items, NULL);
	return g_strjoinv(";", (char **)items->pdata);
}

/* A machine type's position among the report's machine types. */
static guint position_of(GHashTable *order, const char *machine)
{
	const guint *position = g_hash_table_lookup(order, machine);

	return position ? *position : 0;
}

/*
 * "e1000, e1000e" from a signature (NICs already in order); *directions is
 * their common direction mask, or 0 when they differ and each NIC gets its
 * own "(old-to-new)".
 */
static void append_nics(GString *out, const char *signature, guint *directions)
{
	g_auto(GStrv) items = g_strsplit(signature, ";", -1);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	guint first_mask = 0;
	gboolean same = TRUE;

	for (guint i = 0; items[i]; i++) {
		char *colon = strrchr(items[i], ':');
		guint mask = (guint)g_ascii_strtoull(colon + 1, NULL, 10);

		*colon = '\0';
		g_ptr_array_add(names, g_strdup_printf("%s\t%u", items[i], mask));
		if (i == 0)
			first_mask = mask;
		same = same && mask == first_mask;
	}
	for (guint i = 0; i < names->len; i++) {
		g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(names, i), "\t", 2);

		g_string_append(out, i ? ", " : "");
		g_string_append(out, parts[0]);
		if (!same)
			g_string_append_printf(
				out, " (%s)",
				directions_text((guint)g_ascii_strtoull(parts[1], NULL, 10)));
	}
	*directions = same ? first_mask : 0;
}

/*
 * Do two machine types belong to one family?  Versions of one family
 * differ only in digits and dots (pc-i440fx-1.5, pc-i440fx-7.2); a range
 * never spans two families, however adjacent they are in the report.
 */
static gboolean same_family(const char *a, const char *b)
{
	for (;;) {
		a += strspn(a, "0123456789.");
		b += strspn(b, "0123456789.");
		if (*a != *b)
			return FALSE;
		if (!*a)
			return TRUE;
		a++;
		b++;
	}
}

/* "3 machine types (pc-i440fx-1.5 .. pc-i440fx-7.2, pc-q35-7.2)" */
static void append_machines(GString *out, GPtrArray *machines, GHashTable *order)
{
	guint n = machines->len;

	g_string_append_printf(out, "%u machine type%s (", n, n == 1 ? "" : "s");
	for (guint i = 0; i < n;) {
		const char *first = g_ptr_array_index(machines, i);
		guint position = position_of(order, first);
		guint run = 1;

		while (i + run < n) {
			const char *next = g_ptr_array_index(machines, i + run);

			if (position_of(order, next) != position + run || !same_family(first, next))
				break;
			run++;
		}
		g_string_append(out, i ? ", " : "");
		if (run >= 3)
			g_string_append_printf(
				out, "%s .. %s", first,
				(const char *)g_ptr_array_index(machines, i + run - 1));
		else if (run == 2)
			g_string_append_printf(out, "%s, %s", first,
					       (const char *)g_ptr_array_index(machines, i + 1));
		else
			g_string_append(out, first);
		i += run;
	}
	g_string_append(out, ")");
}

/* The lines of one headline's cases. */
static void append_bucket(GString *out, const char *headline, GPtrArray *cases, GHashTable *order)
{
	g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) per_machine = bucket_lists_new();
	g_autoptr(GPtrArray) signatures = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) per_signature = bucket_lists_new();

	for (guint i = 0; i < cases->len; i++) {
		RcCase *c = g_ptr_array_index(cases, i);

		buckets_add(machines, per_machine, g_strdup(c->machine), c);
	}
	for (guint m = 0; m < machines->len; m++) {
		char *machine = g_ptr_array_index(machines, m);

		buckets_add(signatures, per_signature,
			    machine_signature(g_hash_table_lookup(per_machine, machine)), machine);
	}
	for (guint s = 0; s < signatures->len; s++) {
		const char *signature = g_ptr_array_index(signatures, s);
		guint directions;

		g_string_append_printf(out, "  %s: ", headline);
		append_nics(out, signature, &directions);
		g_string_append(out, " on ");
		append_machines(out, g_hash_table_lookup(per_signature, signature), order);
		if (directions)
			g_string_append_printf(out, ", %s", directions_text(directions));
		g_string_append_c(out, '\n');
	}
}

static void append_section(GString *out, const RcReport *report, GHashTable *order,
			   const char *title, gboolean (*select)(const RcCase *),
			   char *(*headline)(const RcCase *))
{
	g_autoptr(GPtrArray) headlines = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) lists = bucket_lists_new();
	guint count = 0;

	for (guint i = 0; i < report->cases->len; i++) {
		RcCase *c = g_ptr_array_index(report->cases, i);

		if (select(c)) {
			buckets_add(headlines, lists, headline(c), c);
			count++;
		}
	}
	if (!count)
		return;
	g_string_append_printf(out, "\n%s (%u case%s):\n", title, count, count == 1 ? "" : "s");
	for (guint b = 0; b < headlines->len; b++) {
		const char *key = g_ptr_array_index(headlines, b);

		append_bucket(out, key, g_hash_table_lookup(lists, key), order);
	}
}

static gboolean is_failure(const RcCase *c)
{
	return c->result.verdict == RC_VERDICT_FAIL;
}

static gboolean is_error(const RcCase *c)
{
	return c->result.verdict == RC_VERDICT_ERROR;
}

static gboolean is_not_run(const RcCase *c)
{
	return c->result.verdict == RC_VERDICT_NOT_RUN;
}

static gboolean is_disagreement(const RcCase *c)
{
	return rc_case_prediction(c) == RC_PREDICTION_DISAGREES;
}

static void append_side(GString *out, const char *label, const RcReportSide *side)
{
	g_autofree char *qemu = rc_text_visible(side->qemu ? side->qemu : "(unknown QEMU)");
	g_autofree char *version =
		rc_text_visible(side->qemu_version ? side->qemu_version : "(unknown version)");
	g_autofree char *roms = rc_text_visible(side->roms ? side->roms : "(unknown)");

	g_string_append_printf(out, "  %s: %s %s, ROMs %s\n", label, qemu, version, roms);
}

static void append_header(GString *out, const RcReport *report, const RcReportSummary *s)
{
	g_autofree char *scenario = rc_text_visible(report->scenario ? report->scenario : "?");

	g_string_append_printf(out, "romcompat %s: scenario %s, %s, accel %s\n",
			       report->romcompat_version ? report->romcompat_version : "?",
			       scenario, report->arch ? report->arch : "?",
			       rc_accel_to_string(report->accel));
	append_side(out, "old", &report->old_side);
	append_side(out, "new", &report->new_side);
	if (report->shard.count > 1)
		g_string_append_printf(out, "  shard %u of %u: %u of the matrix's %u cases\n",
				       report->shard.index, report->shard.count, s->cases,
				       report->matrix_cases);
	else if (s->cases < report->matrix_cases)
		g_string_append_printf(out, "  partial: %u of the matrix's %u cases\n", s->cases,
				       report->matrix_cases);
	if (report->interrupted)
		g_string_append(out, "  interrupted before the end\n");
	g_string_append_printf(out, "\n%u cases: %u pass, %u fail, %u error, %u not run\n",
			       s->cases, s->verdicts[RC_VERDICT_PASS], s->verdicts[RC_VERDICT_FAIL],
			       s->verdicts[RC_VERDICT_ERROR], s->verdicts[RC_VERDICT_NOT_RUN]);
	g_string_append_printf(
		out,
		"evidence: %u migrated, %u failed alone, %u attributed, "
		"%u predicted\n",
		s->evidence[RC_EVIDENCE_MIGRATED], s->evidence[RC_EVIDENCE_FAILED_ALONE],
		s->evidence[RC_EVIDENCE_ATTRIBUTED], s->evidence[RC_EVIDENCE_PREDICTED]);
}

static void append_prediction(GString *out, const RcReport *report, const RcReportSummary *s)
{
	guint compared = 0;

	for (guint i = 0; i < report->cases->len; i++)
		if (rc_case_prediction(g_ptr_array_index(report->cases, i)) != RC_PREDICTION_NONE)
			compared++;
	if (compared)
		g_string_append_printf(out, "prediction: %u of %u cases compared agree with QEMU\n",
				       compared - s->disagreements, compared);
}

static void append_verdict(GString *out, const RcReport *report, const RcReportSummary *s)
{
	int status = rc_report_exit_status(report);

	g_string_append(out, "\n");
	if (status == RC_EXIT_INCOMPATIBLE)
		g_string_append_printf(out, "incompatible: %u case%s do%s not migrate\n",
				       s->verdicts[RC_VERDICT_FAIL],
				       s->verdicts[RC_VERDICT_FAIL] == 1 ? "" : "s",
				       s->verdicts[RC_VERDICT_FAIL] == 1 ? "es" : "");
	else if (status == RC_EXIT_COMPATIBLE)
		g_string_append(out, "compatible: every case migrates\n");
	else
		g_string_append_printf(out, "not established: %u error%s, %u not run%s\n",
				       s->verdicts[RC_VERDICT_ERROR],
				       s->verdicts[RC_VERDICT_ERROR] == 1 ? "" : "s",
				       s->verdicts[RC_VERDICT_NOT_RUN],
				       report->cases->len < report->matrix_cases
					       ? ", part of the matrix only"
					       : "");
}

/**
 * rc_report_to_text() - the summary a human reads
 * @report:	the report
 *
 * Header (versions, ROMs, shard), counts of verdicts and evidence,
 * prediction agreement, then failures, errors, cases not run and
 * prediction disagreements, each grouped by cause into a few lines, and
 * the verdict.
 *
 * Return: the text; g_free() it
 */
char *rc_report_to_text(const RcReport *report)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GHashTable) order = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	RcReportSummary s;

	rc_report_summarize(report, &s);
	/* Each machine type's position among the report's machine types. */
	for (guint i = 0; i < report->cases->len; i++) {
		const RcCase *c = g_ptr_array_index(report->cases, i);

		guint position = g_hash_table_size(order);

		if (!g_hash_table_contains(order, c->machine))
			g_hash_table_insert(order, c->machine,
					    g_memdup2(&position, sizeof(position)));
	}
	append_header(out, report, &s);
	append_prediction(out, report, &s);
	append_section(out, report, order, "Failures", is_failure, failure_headline);
	append_section(out, report, order, "Errors, not tested", is_error, error_headline);
	append_section(out, report, order, "Not run", is_not_run, not_run_headline);
	append_section(out, report, order,
		       "Prediction disagreements, static prediction against QEMU", is_disagreement,
		       finding_headline);
	append_verdict(out, report, &s);
	return g_string_free(out, FALSE);
}

/**
 * rc_report_write_stream() - write a report to the path the user named
 * @path:	the path ("-": standard output); links are followed
 * @write_fn:	writes the report on the stream it is given; FALSE (with
 *		errno) when a write fails
 * @data:	passed to @write_fn
 * @error:	set when it cannot be written: one line naming @path, why,
 *		and what to do (free some space, write it elsewhere)
 *
 * Every report of every format goes through rc_output_write(): a regular
 * file is replaced atomically (a reader sees the old report or the whole
 * new one), a device, FIFO or pipe is written in place, a directory,
 * socket or block device is refused.
 *
 * Return: TRUE when written
 */
gboolean rc_report_write_stream(const char *path, RcOutputWriteFunc write_fn, gconstpointer data,
				GError **error)
{
	return rc_output_write(path, "report", write_fn, data, error);
}

static gboolean write_text(FILE *out, gconstpointer text)
{
	return fputs(text, out) != EOF;
}

/**
 * rc_report_write_file() - write a report
 * @path:	the path ("-": standard output), as for rc_report_write_stream()
 * @text:	the report
 * @error:	set when it cannot be written (see rc_report_write_stream())
 *
 * Return: TRUE on success
 */
gboolean rc_report_write_file(const char *path, const char *text, GError **error)
{
	return rc_report_write_stream(path, write_text, text, error);
}
