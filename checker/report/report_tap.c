/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_tap.c - the TAP report of a matrix run: one test point per case
 * ("MACHINE NIC DIRECTION"), "not ok" for a failure or an error with its
 * details as diagnostics, "# SKIP" for a case not run.
 */
#include "report/report.h"

#include <string.h>

/* Each line of @text as a "# " diagnostic. */
static void append_diagnostic(GString *out, const char *label, const char *text)
{
	g_auto(GStrv) lines = g_strsplit_set(text, "\r\n", -1);

	for (guint i = 0; lines[i]; i++) {
		/* A TAP reader or a terminal must not interpret what QEMU printed. */
		for (char *p = lines[i]; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		if (*lines[i])
			g_string_append_printf(out, "#   %s%s\n", i ? "" : label, lines[i]);
	}
}

static void append_details(GString *out, const RcCase *c)
{
	const RcResult *r = &c->result;

	g_string_append_printf(out, "#   %s: %s, evidence %s, ROM file %s\n",
			       rc_verdict_to_string(r->verdict), rc_kind_to_string(r->kind),
			       rc_evidence_to_string(r->evidence), c->romfile);
	if (r->block || r->source_size || r->destination_size)
		g_string_append_printf(out,
				       "#   RAM block %s: source 0x%" G_GINT64_MODIFIER
				       "x, destination 0x%" G_GINT64_MODIFIER "x\n",
				       r->block ? r->block : "(unknown)", r->source_size,
				       r->destination_size);
	if (r->predicted != RC_VERDICT_NOT_RUN)
		g_string_append_printf(out, "#   predicted: %s\n",
				       rc_verdict_to_string(r->predicted));
	if (r->message)
		append_diagnostic(out, "QEMU: ", r->message);
}

/**
 * rc_report_to_tap() - the TAP report
 * @report:	the report
 *
 * Return: the TAP stream; g_free() it
 */
char *rc_report_to_tap(const RcReport *report)
{
	GString *out = g_string_new(NULL);

	g_string_append_printf(out, "1..%u\n", report->cases->len);
	for (guint i = 0; i < report->cases->len; i++) {
		const RcCase *c = g_ptr_array_index(report->cases, i);
		g_autofree char *name = rc_case_name(c);

		switch (c->result.verdict) {
		case RC_VERDICT_PASS:
			g_string_append_printf(out, "ok %u - %s\n", i + 1, name);
			break;
		case RC_VERDICT_NOT_RUN:
			g_string_append_printf(out, "ok %u - %s # SKIP not run\n", i + 1, name);
			break;
		case RC_VERDICT_FAIL:
		case RC_VERDICT_ERROR:
			g_string_append_printf(out, "not ok %u - %s\n", i + 1, name);
			append_details(out, c);
			break;
		}
		if (rc_case_prediction(c) == RC_PREDICTION_DISAGREES)
			g_string_append_printf(out, "#   finding: predicted %s, QEMU says %s\n",
					       rc_verdict_to_string(c->result.predicted),
					       rc_verdict_to_string(c->result.verdict));
	}
	return g_string_free(out, FALSE);
}
