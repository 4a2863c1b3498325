/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonparse.c - strict parsing of one JSON document from memory, with the
 * line of a syntax error: the reader of every JSON file romcompat loads
 * (catalogs, reports).
 */
#include "jsonparse.h"

#include <string.h>

#include "error.h"
#include "jsonutil.h"

/* Largest JSON file read: a full-matrix report is about 1.5 MiB. */
#define JSON_MAX_BYTES (64 * 1024 * 1024)

/* Line of a byte offset, for JSON syntax errors. */
static guint line_of_offset(const char *text, gsize offset)
{
	guint line = 1;

	for (gsize i = 0; i < offset; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/**
 * rc_json_parse_strict() - parse one JSON document from memory, strictly
 * @text:	the bytes (need not be NUL-terminated)
 * @length:	their length
 * @source:	what they are (a file name) for messages
 * @error:	set to an input error with the line of a syntax error
 *
 * Strict JSON (RFC 8259, valid UTF-8), one value, nothing after it but
 * white space.
 *
 * Return: the document, or NULL
 */
json_object *rc_json_parse_strict(const char *text, gsize length, const char *source,
				  GError **error)
{
	g_autoptr(json_object) root = NULL;
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	gsize end;

	if (length > JSON_MAX_BYTES) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: larger than 64 MiB", source);
		return NULL;
	}
	if (memchr(text, '\0', length)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: line %u: a NUL byte: not a JSON text file", source,
			    line_of_offset(text, (const char *)memchr(text, '\0', length) - text));
		return NULL;
	}
	tok = json_tokener_new_ex(64);
	if (!tok)
		g_error("out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, text, (int)length);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue || (!root && jerr == json_tokener_success)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: JSON text ends too early",
			    source);
		return NULL;
	}
	if (jerr != json_tokener_success) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: line %u: not valid JSON: %s",
			    source, line_of_offset(text, MIN(end, length)),
			    json_tokener_error_desc(jerr));
		return NULL;
	}
	for (gsize i = end; i < length; i++) {
		if (!g_ascii_isspace(text[i])) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "%s: line %u: text after the JSON document", source,
				    line_of_offset(text, i));
			return NULL;
		}
	}
	return g_steal_pointer(&root);
}
