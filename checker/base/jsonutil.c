/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonutil.c - json-c glue shared by every --json report, and the one way
 * text from outside (file and member names, paths, messages) is made safe:
 * valid JSON with its exact bytes beside, or visible escapes on a terminal.
 */
#include "base/jsonutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

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

/**
 * rc_json_text_new() - a JSON string of text from outside, always valid
 * @text:	bytes from outside (a file name, a path, a message), or NULL
 *
 * JSON text is UTF-8: a byte that is not (a file named with 0xff) becomes
 * U+FFFD.  json-c escapes control characters (\n, \u001b).  Where the exact
 * bytes matter, rc_json_add_text() keeps them beside.
 *
 * Return: a new JSON string, or NULL (JSON null) for a NULL @text
 */
json_object *rc_json_text_new(const char *text)
{
	g_autofree char *valid = NULL;

	if (!text)
		return NULL;
	if (g_utf8_validate(text, -1, NULL))
		return json_object_new_string(text);
	valid = g_utf8_make_valid(text, -1);
	return json_object_new_string(valid);
}

/**
 * rc_json_add_text() - add a member holding text from outside
 * @obj:	the object
 * @key:	the member's name
 * @text:	bytes from outside (a file or member name, a path, a message);
 *		NULL adds null
 *
 * The member holds the text as rc_json_text_new() makes it.  When @text is
 * not UTF-8, a member "@key_hex" beside it holds its exact bytes in
 * lowercase hex, so that the file can still be found: JSON stays valid and
 * nothing is lost.  Every JSON writer that emits names or paths from
 * outside goes through here.
 */
void rc_json_add_text(json_object *obj, const char *key, const char *text)
{
	g_autofree char *hex_key = NULL;
	GString *hex;

	json_object_object_add(obj, key, rc_json_text_new(text));
	if (!text || g_utf8_validate(text, -1, NULL))
		return;
	hex = g_string_sized_new(2 * strlen(text));
	for (const char *p = text; *p; p++)
		g_string_append_printf(hex, "%02x", (guchar)*p);
	hex_key = g_strconcat(key, RC_JSON_HEX_SUFFIX, NULL);
	json_object_object_add(obj, hex_key, json_object_new_string(hex->str));
	g_string_free(hex, TRUE);
}

/**
 * rc_text_visible() - text from outside, safe to print on a terminal
 * @text:	bytes from outside (a file name, a path, a message), or NULL
 *
 * Control characters become visible escapes ("\n", "\t", "\x1b", "\u009b"
 * for the C1 range), so a name cannot break a line or send a terminal a
 * command; bytes that are not UTF-8 become "\xff".  Everything else is
 * kept, so an ordinary name looks as it is.
 *
 * Return: the text to print (g_free()); "" for NULL
 */
char *rc_text_visible(const char *text)
{
	GString *out = g_string_new(NULL);
	const char *p = text ? text : "";
	const char *end = p + strlen(p);

	while (p < end) {
		gunichar ch = g_utf8_get_char_validated(p, end - p);

		if (ch == (gunichar)-1 || ch == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02x", (guchar)*p++);
			continue;
		}
		if (ch == '\n')
			g_string_append(out, "\\n");
		else if (ch == '\t')
			g_string_append(out, "\\t");
		else if (ch == '\r')
			g_string_append(out, "\\r");
		else if (ch < 0x20 || ch == 0x7f)
			g_string_append_printf(out, "\\x%02x", ch);
		else if (ch >= 0x80 && ch < 0xa0)
			g_string_append_printf(out, "\\u%04x", ch);
		else
			g_string_append_len(out, p, g_utf8_next_char(p) - p);
		p = g_utf8_next_char(p);
	}
	return g_string_free(out, FALSE);
}
