/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonutil.c - json-c glue shared by every --json report.
 */
#include "jsonutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

/**
 * rc_json_print() - write a JSON document, pretty-printed, and a newline
 * @obj:	the document
 * @out:	where to write it
 * @error:	set when the write fails (a full disk, a closed pipe)
 *
 * Return: TRUE on success
 */
gboolean rc_json_print(json_object *obj, FILE *out, GError **error)
{
	const char *text = json_object_to_json_string_ext(
		obj,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (fputs(text, out) == EOF || fputc('\n', out) == EOF || fflush(out) == EOF) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot write the JSON report: %s",
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}
