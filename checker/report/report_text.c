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
 * report does not hold.  Under each failure headline, why: the RAM block
 * and both its sizes, QEMU's own line quoted where a case carries it, and
 * for the cases no QEMU line names, that romcompat attributes them from
 * both sides' RAM block lists (the HTML report lists the same groups).
 * Errors, cases not run and prediction disagreements are listed the same
 * way.
 */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/jsonutil.h"
#include "base/units.h"

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

	return g_strdup_printf("predicted %s, a QEMU run found %s: %s",
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

/*
 * The lines of one group's cases, without indentation: "NICS on N machine
 * types (RANGES), DIRECTIONS", one per set of machine types that fail for
 * the same NICs and directions.
 */
static GPtrArray *bucket_lines(GPtrArray *cases, GHashTable *order)
{
	g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) per_machine = bucket_lists_new();
	g_autoptr(GPtrArray) signatures = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) per_signature = bucket_lists_new();
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);

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
		GString *line = g_string_new(NULL);
		guint directions;

		append_nics(line, signature, &directions);
		g_string_append(line, " on ");
		append_machines(line, g_hash_table_lookup(per_signature, signature), order);
		if (directions)
			g_string_append_printf(line, ", %s", directions_text(directions));
		g_ptr_array_add(lines, g_string_free(line, FALSE));
	}
	return lines;
}

/* Each machine type's position among the report's machine types. */
static GHashTable *machine_order(const RcReport *report)
{
	GHashTable *order = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);

	for (guint i = 0; i < report->cases->len; i++) {
		const RcCase *c = g_ptr_array_index(report->cases, i);
		guint position = g_hash_table_size(order);

		if (!g_hash_table_contains(order, c->machine))
			g_hash_table_insert(order, c->machine,
					    g_memdup2(&position, sizeof(position)));
	}
	return order;
}

/**
 * rc_report_group_free() - free a group (not its cases, which it borrows)
 * @group:	the group, or NULL
 */
void rc_report_group_free(RcReportGroup *group)
{
	if (!group)
		return;
	g_free(group->headline);
	g_ptr_array_unref(group->cases);
	g_free(group);
}

/* The cases @select picks, grouped by @headline, groups in first-seen order. */
static GPtrArray *group_cases(const RcReport *report, gboolean (*select)(const RcCase *),
			      char *(*headline)(const RcCase *))
{
	g_autoptr(GHashTable) by_headline = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *groups = g_ptr_array_new_with_free_func((GDestroyNotify)rc_report_group_free);

	for (guint i = 0; i < report->cases->len; i++) {
		RcCase *c = g_ptr_array_index(report->cases, i);
		g_autofree char *key = NULL;
		RcReportGroup *group;

		if (!select(c))
			continue;
		key = headline(c);
		group = g_hash_table_lookup(by_headline, key);
		if (!group) {
			group = g_new0(RcReportGroup, 1);
			group->headline = g_steal_pointer(&key);
			group->cases = g_ptr_array_new();
			g_ptr_array_add(groups, group);
			g_hash_table_insert(by_headline, group->headline, group);
		}
		g_ptr_array_add(group->cases, c);
	}
	return groups;
}

/**
 * rc_report_group_lines() - where a group's cases are, in a few lines
 * @report:	the report that holds the group's cases
 * @group:	the group
 *
 * Machine types that fail for the same NICs and directions share a line:
 * "e1000, e1000e on 54 machine types (pc-i440fx-1.5 .. pc-i440fx-7.2),
 * old-to-new and new-to-old".
 *
 * Return: the lines, NULL-terminated; g_strfreev() them
 */
char **rc_report_group_lines(const RcReport *report, const RcReportGroup *group)
{
	g_autoptr(GHashTable) order = machine_order(report);
	g_autoptr(GPtrArray) lines = bucket_lines(group->cases, order);

	g_ptr_array_add(lines, NULL);
	return (char **)g_ptr_array_steal(lines, NULL);
}

static void append_section(GString *out, const RcReport *report, const char *title,
			   gboolean (*select)(const RcCase *), char *(*headline)(const RcCase *),
			   char **(*reasons)(const RcReportGroup *))
{
	g_autoptr(GPtrArray) groups = group_cases(report, select, headline);
	guint count = 0;

	for (guint g = 0; g < groups->len; g++)
		count += ((RcReportGroup *)g_ptr_array_index(groups, g))->cases->len;
	if (!count)
		return;
	g_string_append_printf(out, "\n%s (%u case%s):\n", title, count, count == 1 ? "" : "s");
	for (guint g = 0; g < groups->len; g++) {
		const RcReportGroup *group = g_ptr_array_index(groups, g);
		g_auto(GStrv) lines = rc_report_group_lines(report, group);
		g_auto(GStrv) why = reasons ? reasons(group) : NULL;

		for (guint i = 0; lines[i]; i++)
			g_string_append_printf(out, "  %s: %s\n", group->headline, lines[i]);
		for (guint i = 0; why && why[i]; i++)
			g_string_append_printf(out, "    %s\n", why[i]);
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

/*
 * "Size mismatch: BLOCK: 0xS != 0xD" or "Length mismatch: BLOCK: 0xS in !=
 * 0xD", as QEMU's migration/ram.c words it, then the end or ": " and
 * QEMU's errno text.  Anything else (an explanation romcompat wrote) is
 * not QEMU's line.
 */
static gboolean is_qemu_mismatch_line(const char *message, const char *block)
{
	static const char *const forms[][2] = {{"Size mismatch: ", " != 0x"},
					       {"Length mismatch: ", " in != 0x"}};

	for (guint f = 0; f < G_N_ELEMENTS(forms); f++) {
		const char *p = message;

		if (!g_str_has_prefix(p, forms[f][0]))
			continue;
		p += strlen(forms[f][0]);
		if (!g_str_has_prefix(p, block) || !g_str_has_prefix(p + strlen(block), ": 0x"))
			continue;
		p += strlen(block) + strlen(": 0x");
		if (!g_ascii_isxdigit(*p))
			continue;
		p += strspn(p, "0123456789abcdefABCDEF");
		if (!g_str_has_prefix(p, forms[f][1]))
			continue;
		p += strlen(forms[f][1]);
		if (!g_ascii_isxdigit(*p))
			continue;
		p += strspn(p, "0123456789abcdefABCDEF");
		if (!*p || g_str_has_prefix(p, ": "))
			return TRUE;
	}
	return FALSE;
}

/**
 * rc_case_quotes_qemu() - is the case's message QEMU's own line about it?
 * @c:	the case
 *
 * TRUE when a real run's message is the destination QEMU's mismatch line
 * naming the case's own RAM block.  Otherwise the message, if any, is
 * romcompat's: an attribution from both sides' RAM block lists, a
 * prediction, an explanation of an error.
 *
 * Return: whether reports may write "QEMU says" before the message
 */
gboolean rc_case_quotes_qemu(const RcCase *c)
{
	const RcResult *r = &c->result;

	if (!r->message || !r->block || r->evidence == RC_EVIDENCE_PREDICTED ||
	    r->evidence == RC_EVIDENCE_NONE)
		return FALSE;
	return is_qemu_mismatch_line(r->message, r->block);
}

/* "0x40000 (256 KiB)", or "absent" for a block one side does not have. */
static char *size_words(guint64 size)
{
	g_autofree char *bucket = NULL;

	if (!size)
		return g_strdup("absent");
	bucket = rc_format_bucket(size);
	return g_strdup_printf("0x%" G_GINT64_MODIFIER "x (%s)", size, bucket);
}

/* "B1, B2, B3 and 2 more": the distinct RAM blocks of @cases. */
static char *block_names(GPtrArray *cases)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	GString *out = g_string_new(NULL);
	const guint shown = 3;

	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);

		if (c->result.block && g_hash_table_add(seen, c->result.block))
			g_ptr_array_add(names, c->result.block);
	}
	g_ptr_array_sort(names, name_compare_indirect);
	for (guint i = 0; i < MIN(names->len, shown); i++) {
		g_autofree char *name = rc_text_visible(g_ptr_array_index(names, i));

		g_string_append_printf(out, "%s%s", i ? ", " : "", name);
	}
	if (names->len > shown)
		g_string_append_printf(out, " and %u more", names->len - shown);
	return g_string_free(out, FALSE);
}

/* "0x40000 (256 KiB) with the old ROMs, 0x80000 (512 KiB) with the new" */
static char *both_sizes(const RcCase *c)
{
	g_autofree char *old_size = size_words(rc_case_old_size(c));
	g_autofree char *new_size = size_words(rc_case_new_size(c));

	return g_strdup_printf("%s with the old ROMs, %s with the new", old_size, new_size);
}

/*
 * "QEMU says, for 55 cases old-to-new (first pc-q35-7.2 e1000, destination):
 * "..."": the line of the first of @count cases of one direction.
 */
static char *qemu_quote(const RcCase *c, guint count)
{
	g_autofree char *line = first_line(c->result.message);
	g_autofree char *machine = rc_text_visible(c->machine);
	g_autofree char *nic = rc_text_visible(c->nic);

	return g_strdup_printf("QEMU says, for %u case%s %s (%s%s %s, destination): \"%s\"", count,
			       count == 1 ? "" : "s", rc_direction_to_string(c->direction),
			       count == 1 ? "" : "first ", machine, nic, line);
}

/*
 * The cases of @group split by what their verdict rests on: QEMU's own
 * line, a prediction, or romcompat's attribution from the block lists.
 */
static void split_evidence(const RcReportGroup *group, GPtrArray *quoted, GPtrArray *predicted,
			   GPtrArray *attributed)
{
	for (guint i = 0; i < group->cases->len; i++) {
		RcCase *c = g_ptr_array_index(group->cases, i);

		if (rc_case_quotes_qemu(c))
			g_ptr_array_add(quoted, c);
		else if (c->result.evidence == RC_EVIDENCE_PREDICTED)
			g_ptr_array_add(predicted, c);
		else
			g_ptr_array_add(attributed, c);
	}
}

/* romcompat's reason for @cases, which QEMU's own lines do not name. */
static char *attribution(GPtrArray *cases, gboolean any_quoted)
{
	const RcCase *first = g_ptr_array_index(cases, 0);
	g_autofree char *blocks = block_names(cases);
	g_autofree char *sizes = both_sizes(first);
	g_autofree char *message = NULL;
	guint n = cases->len;
	g_autofree char *which =
		n == 1 ? g_strdup(any_quoted ? "the other case" : "this case")
		       : g_strdup_printf("%s%u cases", any_quoted ? "the other " : "these ", n);

	if (*blocks)
		return g_strdup_printf("romcompat attributes %s from both sides' RAM block lists "
				       "(no QEMU line names %s): %s at %s",
				       which, n == 1 ? "it" : "them", blocks, sizes);
	/* No block to name (another kind of failure): romcompat's own words. */
	message = first->result.message ? first_line(first->result.message) : NULL;
	return g_strdup_printf("romcompat: %s%s", message ? message : "no QEMU line names ",
			       message ? "" : (n == 1 ? "this case" : "these cases"));
}

/**
 * rc_report_failure_reasons() - why a group of failures fails
 * @group:	failures with one headline (rc_report_failure_groups())
 *
 * The RAM block and both its sizes; QEMU's own line, quoted, for the
 * first case of each direction that carries it; for the cases QEMU's
 * lines do not name, that romcompat attributes them from both sides' RAM
 * block lists (naming the blocks and sizes); for predicted cases, that
 * no QEMU ran.  Text from QEMU is made safe for a terminal.
 *
 * Return: the lines, NULL-terminated; g_strfreev() them
 */
char **rc_report_failure_reasons(const RcReportGroup *group)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) quoted = g_ptr_array_new();
	g_autoptr(GPtrArray) predicted = g_ptr_array_new();
	g_autoptr(GPtrArray) attributed = g_ptr_array_new();
	g_autofree char *blocks = block_names(group->cases);

	split_evidence(group, quoted, predicted, attributed);
	if (*blocks) {
		g_autofree char *sizes = both_sizes(g_ptr_array_index(group->cases, 0));

		g_ptr_array_add(lines, g_strdup_printf("RAM block %s: %s", blocks, sizes));
	}
	for (guint d = 0; d < 2; d++) {
		const RcCase *first = NULL;
		guint count = 0;

		for (guint i = 0; i < quoted->len; i++) {
			const RcCase *c = g_ptr_array_index(quoted, i);

			if ((c->direction == RC_DIRECTION_OLD_TO_NEW) != (d == 0))
				continue;
			first = first ? first : c;
			count++;
		}
		if (first)
			g_ptr_array_add(lines, qemu_quote(first, count));
	}
	if (attributed->len)
		g_ptr_array_add(lines, attribution(attributed, quoted->len > 0));
	if (predicted->len) {
		const RcCase *c = g_ptr_array_index(predicted, 0);
		g_autofree char *sizes = both_sizes(c);

		g_ptr_array_add(lines,
				g_strdup_printf("%u case%s predicted from the %s, %s; no QEMU ran",
						predicted->len, predicted->len == 1 ? "" : "s",
						c->device_class == RC_DEVICE_CLASS_FIRMWARE
							? "firmware images' exact sizes"
							: "ROM files' buckets",
						sizes));
	}
	g_ptr_array_add(lines, NULL);
	return (char **)g_ptr_array_steal(lines, NULL);
}

/**
 * rc_report_failure_groups() - the failures of a report, grouped by cause
 * @report:	the report
 *
 * Cases with the same headline (ROM file and both block sizes, in old ->
 * new order whatever the direction, and the kind when it is not a size
 * mismatch) form one group; groups in the report's order.
 *
 * Return: RcReportGroup, borrowing the report's cases; g_ptr_array_unref()
 */
GPtrArray *rc_report_failure_groups(const RcReport *report)
{
	return group_cases(report, is_failure, failure_headline);
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
	RcReportSummary s;

	rc_report_summarize(report, &s);
	append_header(out, report, &s);
	append_prediction(out, report, &s);
	append_section(out, report, "Failures", is_failure, failure_headline,
		       rc_report_failure_reasons);
	append_section(out, report, "Errors, not tested", is_error, error_headline, NULL);
	append_section(out, report, "Not run", is_not_run, not_run_headline, NULL);
	append_section(out, report, "Prediction disagreements, static prediction against QEMU",
		       is_disagreement, finding_headline, NULL);
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
