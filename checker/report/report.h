/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - the report formats of a matrix run, one file each:
 * report_text.c (a summary a human reads: failures grouped into a few
 * lines), report_json.c (everything, and the reader `romcompat merge`
 * uses), report_junit.c (JUnit XML for CI), report_tap.c (TAP).
 *
 * Writers are pure: they turn an RcReport into text.  Only
 * rc_report_write_stream() (report_text.c, through output.c) touches the
 * file system, for every format: links followed, a regular file replaced
 * atomically, a device or FIFO written in place, and an error that says
 * what to do.
 */
#ifndef RC_REPORT_H
#define RC_REPORT_H

#include <glib.h>
#include <json-c/json.h>
#include <stdio.h>

#include "matrix/matrix.h"
#include "base/output.h"
#include "rom/romset.h"

#define RC_REPORT_FORMAT 1
/*
 * Largest JSON report read: 16 MiB.  The whole x86_64 matrix of QEMU 7.2
 * (1400 machine type and NIC pairs, both directions) is about 1.5 MiB.
 */
#define RC_REPORT_MAX_BYTES (16 * 1024 * 1024)

/**
 * RcReportGroup - cases with one cause, as the text and HTML reports list
 * them
 * @headline:	what they share ("efi-e1000.rom 0x40000 -> 0x80000")
 * @cases:	RcCase, borrowed from the report, in its order
 */
typedef struct {
	char *headline;
	GPtrArray *cases;
} RcReportGroup;

void rc_report_group_free(RcReportGroup *group);
GPtrArray *rc_report_failure_groups(const RcReport *report);
char **rc_report_group_lines(const RcReport *report, const RcReportGroup *group);
char **rc_report_failure_reasons(const RcReportGroup *group);
gboolean rc_case_quotes_qemu(const RcCase *c);
char *rc_report_to_text(const RcReport *report);
json_object *rc_report_to_json(const RcReport *report);
char *rc_report_to_json_string(const RcReport *report);
gboolean rc_report_write_json(const RcReport *report, const char *path, GError **error);
RcReport *rc_report_from_json(json_object *root, const char *source, GError **error);
RcReport *rc_report_parse_json(const char *text, gsize length, const char *source, GError **error);
RcReport *rc_report_load_json(const char *path, GError **error);
char *rc_report_to_junit(const RcReport *report);
char *rc_report_to_tap(const RcReport *report);
char *rc_report_to_html(const RcReport *report, const RcRomSet *old_roms, const RcRomSet *new_roms);
gboolean rc_report_write_stream(const char *path, RcOutputWriteFunc write_fn, gconstpointer data,
				GError **error);
gboolean rc_report_write_file(const char *path, const char *text, GError **error);

#endif /* RC_REPORT_H */
