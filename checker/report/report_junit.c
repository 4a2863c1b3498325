/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_junit.c - the JUnit XML report of a matrix run, as CI systems
 * (GitLab, Jenkins) read it: one <testcase> per case, classname = machine
 * type, name = "NIC direction", <failure> for a case that does not
 * migrate, <error> for one that could not be tested, <skipped> for one
 * not run.  tests/junit/junit.xsd is the schema it is checked against.
 *
 * Everything that comes from outside (QEMU's messages above all) is
 * escaped for XML 1.0, which cannot carry most control characters even as
 * character references: those become U+FFFD.
 */
#include "report/report.h"

#include <string.h>

#include "base/markup.h"

static void append_attribute(GString *out, const char *name, const char *value)
{
	g_string_append_printf(out, " %s=\"", name);
	rc_markup_append(out, value, TRUE);
	g_string_append_c(out, '"');
}

static void append_seconds(GString *out, const char *name, double seconds)
{
	char text[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_formatd(text, sizeof(text), "%.3f", seconds);
	append_attribute(out, name, text);
}

static void append_property(GString *out, const char *name, const char *value)
{
	g_string_append(out, "      <property");
	append_attribute(out, "name", name);
	append_attribute(out, "value", value ? value : "");
	g_string_append(out, "/>\n");
}

/* The one-line message of a failure or an error. */
static char *case_message(const RcCase *c)
{
	const RcResult *r = &c->result;

	if (r->message)
		return g_strndup(r->message, strcspn(r->message, "\r\n"));
	if (r->source_size && r->destination_size)
		return g_strdup_printf(
			"%s: %s 0x%" G_GINT64_MODIFIER "x != 0x%" G_GINT64_MODIFIER "x", c->romfile,
			r->block ? r->block : "ROM block", r->source_size, r->destination_size);
	return g_strdup_printf("%s: %s", c->romfile, rc_kind_to_string(r->kind));
}

/* Every detail of a failure or an error, one "name: value" a line. */
static char *case_details(const RcCase *c)
{
	const RcResult *r = &c->result;
	GString *text = g_string_new(NULL);

	static const char *const device[] = {[RC_DEVICE_CLASS_NIC] = "NIC",
					     [RC_DEVICE_CLASS_DISPLAY] = "display device",
					     [RC_DEVICE_CLASS_FIRMWARE] = "firmware block"};

	g_string_append_printf(
		text, "machine type: %s\n%s: %s\ndirection: %s\n%s: %s\n", c->machine,
		device[c->device_class], c->nic, rc_direction_to_string(c->direction),
		c->device_class == RC_DEVICE_CLASS_FIRMWARE ? "firmware image" : "ROM file",
		c->romfile);
	g_string_append_printf(text, "kind: %s\nevidence: %s\n", rc_kind_to_string(r->kind),
			       rc_evidence_to_string(r->evidence));
	if (r->block)
		g_string_append_printf(text, "RAM block: %s\n", r->block);
	if (r->source_size)
		g_string_append_printf(text, "source size: 0x%" G_GINT64_MODIFIER "x\n",
				       r->source_size);
	if (r->destination_size)
		g_string_append_printf(text, "destination size: 0x%" G_GINT64_MODIFIER "x\n",
				       r->destination_size);
	if (r->predicted != RC_VERDICT_NOT_RUN)
		g_string_append_printf(text, "predicted: %s\n", rc_verdict_to_string(r->predicted));
	if (r->message)
		g_string_append_printf(text, "QEMU: %s\n", r->message);
	return g_string_free(text, FALSE);
}

static void append_case(GString *out, const RcCase *c)
{
	/* A NIC case keeps the name it always had: "e1000 old-to-new". */
	g_autofree char *name =
		c->device_class == RC_DEVICE_CLASS_FIRMWARE
			? g_strdup_printf("%s(%s) %s", c->nic, c->romfile,
					  rc_direction_to_string(c->direction))
			: g_strdup_printf("%s %s", c->nic, rc_direction_to_string(c->direction));
	g_autofree char *message = NULL;
	g_autofree char *details = NULL;
	const char *element = NULL;

	g_string_append(out, "    <testcase");
	append_attribute(out, "classname", c->machine);
	append_attribute(out, "name", name);
	append_seconds(out, "time", c->result.seconds);
	switch (c->result.verdict) {
	case RC_VERDICT_PASS:
		g_string_append(out, "/>\n");
		return;
	case RC_VERDICT_NOT_RUN:
		g_string_append(out, ">\n      <skipped message=\"not run\"/>\n    </testcase>\n");
		return;
	case RC_VERDICT_FAIL:
		element = "failure";
		break;
	case RC_VERDICT_ERROR:
		element = "error";
		break;
	}
	message = case_message(c);
	details = case_details(c);
	g_string_append_printf(out, ">\n      <%s", element);
	append_attribute(out, "message", message);
	append_attribute(out, "type", rc_kind_to_string(c->result.kind));
	g_string_append_c(out, '>');
	rc_markup_append(out, details, FALSE);
	g_string_append_printf(out, "</%s>\n    </testcase>\n", element);
}

static void append_counts(GString *out, const RcReportSummary *s)
{
	g_autofree char *tests = g_strdup_printf("%u", s->cases);
	g_autofree char *failures = g_strdup_printf("%u", s->verdicts[RC_VERDICT_FAIL]);
	g_autofree char *errors = g_strdup_printf("%u", s->verdicts[RC_VERDICT_ERROR]);
	g_autofree char *skipped = g_strdup_printf("%u", s->verdicts[RC_VERDICT_NOT_RUN]);

	append_attribute(out, "tests", tests);
	append_attribute(out, "failures", failures);
	append_attribute(out, "errors", errors);
	append_attribute(out, "skipped", skipped);
	append_seconds(out, "time", (double)s->milliseconds / 1000);
}

/**
 * rc_report_to_junit() - the JUnit XML report
 * @report:	the report
 *
 * One <testsuites> with one <testsuite> whose <properties> carry the
 * run's metadata (versions, ROMs, accelerator, shard, partial).
 *
 * Return: the XML document; g_free() it
 */
char *rc_report_to_junit(const RcReport *report)
{
	GString *out = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	g_autofree char *suite =
		g_strdup_printf("romcompat %s %s", report->scenario ? report->scenario : "matrix",
				report->arch ? report->arch : "");
	g_autofree char *shard = g_strdup_printf("%u/%u", report->shard.index, report->shard.count);
	RcReportSummary s;

	rc_report_summarize(report, &s);
	g_string_append(out, "<testsuites");
	append_attribute(out, "name", "romcompat");
	append_counts(out, &s);
	g_string_append(out, ">\n  <testsuite");
	append_attribute(out, "name", g_strstrip(suite));
	append_counts(out, &s);
	g_string_append(out, ">\n    <properties>\n");
	append_property(out, "romcompat", report->romcompat_version);
	append_property(out, "accel", rc_accel_to_string(report->accel));
	append_property(out, "old-qemu", report->old_side.qemu);
	append_property(out, "old-qemu-version", report->old_side.qemu_version);
	append_property(out, "old-roms", report->old_side.roms);
	append_property(out, "new-qemu", report->new_side.qemu);
	append_property(out, "new-qemu-version", report->new_side.qemu_version);
	append_property(out, "new-roms", report->new_side.roms);
	append_property(out, "shard", shard);
	append_property(out, "partial", rc_report_is_partial(report) ? "true" : "false");
	g_string_append(out, "    </properties>\n");
	for (guint i = 0; i < report->cases->len; i++)
		append_case(out, g_ptr_array_index(report->cases, i));
	g_string_append(out, "  </testsuite>\n</testsuites>\n");
	return g_string_free(out, FALSE);
}
