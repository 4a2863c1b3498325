/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonparse.c - strict parsing of one JSON document from memory, with the
 * line of a syntax error: the reader of every JSON file romcompat loads
 * (catalogs, reports), and typed access to members whose errors name the
 * file and the JSON path ("$.machines[3].nics[0].romfile").
 */
#include "base/jsonparse.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "base/error.h"
#include "base/jsonutil.h"

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

/*
 * What json-c lets through: an object with a member twice (it keeps the
 * last one without a word) and an integer beyond 64 bits (it clamps 10^30
 * to INT64_MAX).  Both are found by a scan of the text after json-c has
 * accepted it as valid JSON, so the scan only tells strings, numbers and
 * structure apart and never meets a syntax error.
 */
typedef struct {
	const char *text;
	gsize length;
	const char *source;
	GPtrArray *open; /* a set of member names per open object, NULL per open array */
} MemberScan;

/* Where the string starting at the quote @start ends (after its closing quote). */
static gsize string_end(const MemberScan *scan, gsize start)
{
	gsize i = start + 1;

	while (i < scan->length && scan->text[i] != '"')
		i += scan->text[i] == '\\' ? 2 : 1;
	return MIN(i + 1, scan->length);
}

/* A member name as its bytes: escapes decoded ("\u0061" is "a"). */
static GBytes *member_name(const MemberScan *scan, gsize start, gsize end)
{
	g_autoptr(json_object) decoded = NULL;
	struct json_tokener *tok;

	if (!memchr(scan->text + start, '\\', end - start))
		return g_bytes_new(scan->text + start + 1, end - start - 2);
	tok = json_tokener_new();
	if (!tok)
		g_error("out of memory");
	decoded = json_tokener_parse_ex(tok, scan->text + start, (int)(end - start));
	json_tokener_free(tok);
	if (!json_object_is_type(decoded, json_type_string))
		return g_bytes_new(scan->text + start + 1, end - start - 2);
	return g_bytes_new(json_object_get_string(decoded),
			   (gsize)json_object_get_string_len(decoded));
}

/* Text from outside for a one-line message: escaped, at most 40 bytes of it. */
static char *shown_text(const char *text, gsize length)
{
	g_autofree char *cut = g_strndup(text, MIN(length, 40));
	g_autofree char *escaped = g_strescape(cut, NULL);

	return g_strconcat(escaped, length > 40 ? "..." : "", NULL);
}

static gboolean check_member(MemberScan *scan, gsize start, gsize end, GError **error)
{
	GHashTable *names = g_ptr_array_index(scan->open, scan->open->len - 1);
	GBytes *name = member_name(scan, start, end);
	g_autofree char *shown = NULL;

	/* Added even when there: the set keeps the new copy, @name stays valid. */
	if (g_hash_table_add(names, name))
		return TRUE;
	shown = shown_text(g_bytes_get_data(name, NULL), g_bytes_get_size(name));
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "%s: line %u: member \"%s\" given twice in one object; give it once",
		    scan->source, line_of_offset(scan->text, start), shown);
	return FALSE;
}

static gboolean check_number(const MemberScan *scan, gsize start, gsize end, GError **error)
{
	g_autofree char *number = g_strndup(scan->text + start, end - start);
	g_autofree char *shown = NULL;
	gboolean integer = !strpbrk(number, ".eE");

	errno = 0;
	if (integer)
		(void)g_ascii_strtoll(number, NULL, 10);
	if (integer ? errno != ERANGE : isfinite(g_ascii_strtod(number, NULL)))
		return TRUE;
	shown = shown_text(number, end - start);
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "%s: line %u: the number %s is out of range (%s)", scan->source,
		    line_of_offset(scan->text, start), shown,
		    integer ? "integers are 64-bit" : "larger than a double");
	return FALSE;
}

/* One token at @i: a string (a member name when @name), a number, or structure. */
static gboolean scan_token(MemberScan *scan, gsize *i, gboolean name, GError **error)
{
	char c = scan->text[*i];
	gsize end;

	if (c == '"') {
		end = string_end(scan, *i);
		if (name && !check_member(scan, *i, end, error))
			return FALSE;
		*i = end;
		return TRUE;
	}
	if (c == '-' || g_ascii_isdigit(c)) {
		end = *i + strspn(scan->text + *i, "+-.0123456789eE");
		if (!check_number(scan, *i, MIN(end, scan->length), error))
			return FALSE;
		*i = MIN(end, scan->length);
		return TRUE;
	}
	if (c == '{')
		g_ptr_array_add(scan->open,
				g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
						      (GDestroyNotify)g_bytes_unref, NULL));
	else if (c == '[')
		g_ptr_array_add(scan->open, NULL);
	else if ((c == '}' || c == ']') && scan->open->len)
		g_ptr_array_remove_index(scan->open, scan->open->len - 1);
	(*i)++;
	return TRUE;
}

static void hash_table_unref_null(gpointer table)
{
	if (table)
		g_hash_table_unref(table);
}

/* Members twice and numbers out of range in a text json-c accepted. */
static gboolean check_members(const char *text, gsize length, const char *source, GError **error)
{
	g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func(hash_table_unref_null);
	MemberScan scan = {text, length, source, open};
	char previous = 0;

	for (gsize i = 0; i < length;) {
		char c = text[i];
		/* In an object, a string after '{' or ',' is a member name. */
		gboolean name = open->len && g_ptr_array_index(open, open->len - 1) &&
				(previous == '{' || previous == ',');

		if (g_ascii_isspace(c)) {
			i++;
			continue;
		}
		if (!scan_token(&scan, &i, name, error))
			return FALSE;
		previous = c;
	}
	return TRUE;
}

/**
 * rc_json_parse_strict() - parse one JSON document from memory, strictly
 * @text:	the bytes (need not be NUL-terminated)
 * @length:	their length
 * @source:	what they are (a file name) for messages
 * @error:	set to an input error with the line of a syntax error
 *
 * Strict JSON (RFC 8259, valid UTF-8), one value, nothing after it but
 * white space; no object with a member twice (json-c would keep the last
 * one silently), no integer beyond 64 bits and no number beyond a double
 * (json-c would clamp them).
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
	if (!check_members(text, end, source, error))
		return NULL;
	return g_steal_pointer(&root);
}

/**
 * rc_json_fail() - set an input error at a JSON path
 * @reader:	the document being read
 * @path:	JSON path of the offending value, e.g. "$.machines[3].name"
 * @error:	set to "SOURCE: PATH: WHAT; HINT"
 * @fmt:	what is wrong, printf-style
 *
 * Return: FALSE, for "return rc_json_fail(...)"
 */
gboolean rc_json_fail(const RcJsonReader *reader, const char *path, GError **error, const char *fmt,
		      ...)
{
	g_autofree char *what = NULL;
	va_list ap;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: %s: %s; %s", reader->source, path, what,
		    reader->hint);
	return FALSE;
}

static const char *type_name(json_type type)
{
	static const char *const names[] = {
		[json_type_null] = "null",
		[json_type_boolean] = "a boolean",
		[json_type_double] = "a fractional number",
		[json_type_int] = "an integer",
		[json_type_object] = "an object",
		[json_type_array] = "an array",
		[json_type_string] = "a string",
	};

	return (guint)type < G_N_ELEMENTS(names) && names[type] ? names[type] : "unknown";
}

/**
 * rc_json_member() - one member of an object, of one type
 * @reader:	the document being read
 * @parent:	the object
 * @path:	the object's JSON path
 * @key:	the member's name
 * @type:	the type it must have
 * @flags:	RC_JSON_OPTIONAL (may be absent), RC_JSON_NULLABLE (may be null)
 * @value:	set to the member, or NULL when absent or null and allowed
 * @error:	set to an input error naming PATH.KEY
 *
 * Return: TRUE when the member is as required
 */
gboolean rc_json_member(const RcJsonReader *reader, json_object *parent, const char *path,
			const char *key, json_type type, guint flags, json_object **value,
			GError **error)
{
	g_autofree char *member_path = g_strdup_printf("%s.%s", path, key);
	json_object *found = NULL;

	*value = NULL;
	if (!json_object_object_get_ex(parent, key, &found))
		return (flags & RC_JSON_OPTIONAL) ||
		       rc_json_fail(reader, member_path, error, "missing");
	if (json_object_is_type(found, json_type_null) && (flags & RC_JSON_NULLABLE))
		return TRUE;
	if (!json_object_is_type(found, type))
		return rc_json_fail(reader, member_path, error, "must be %s, not %s",
				    type_name(type), type_name(json_object_get_type(found)));
	*value = found;
	return TRUE;
}

/**
 * rc_json_get_string() - a string member, copied
 * @reader:	the document being read
 * @parent:	the object
 * @path:	the object's JSON path
 * @key:	the member's name
 * @flags:	RC_JSON_OPTIONAL, RC_JSON_NULLABLE
 * @out:	replaced by a copy of the string; left alone when absent or null
 * @error:	set to an input error naming PATH.KEY
 *
 * A NUL character inside the string is an error: it would cut it short.
 *
 * Return: TRUE when the member is as required
 */
gboolean rc_json_get_string(const RcJsonReader *reader, json_object *parent, const char *path,
			    const char *key, guint flags, char **out, GError **error)
{
	json_object *value;

	if (!rc_json_member(reader, parent, path, key, json_type_string, flags, &value, error))
		return FALSE;
	if (!value)
		return TRUE;
	if (strlen(json_object_get_string(value)) != (gsize)json_object_get_string_len(value)) {
		g_autofree char *member_path = g_strdup_printf("%s.%s", path, key);

		return rc_json_fail(reader, member_path, error, "contains a NUL character");
	}
	g_free(*out);
	*out = g_strdup(json_object_get_string(value));
	return TRUE;
}

/* Bytes from lowercase or uppercase hex, onto @out; FALSE when it is not hex or holds a NUL. */
static gboolean hex_decode(const char *hex, GString *out)
{
	gsize length = strlen(hex);

	if (length == 0 || length % 2)
		return FALSE;
	for (gsize i = 0; i < length / 2; i++) {
		int high = g_ascii_xdigit_value(hex[2 * i]);
		int low = g_ascii_xdigit_value(hex[2 * i + 1]);

		if (high < 0 || low < 0 || (high == 0 && low == 0))
			return FALSE;
		g_string_append_c(out, (char)(high << 4 | low));
	}
	return TRUE;
}

/**
 * rc_json_get_text() - a string member written by rc_json_add_text()
 * @reader:	the document being read
 * @parent:	the object
 * @path:	the object's JSON path
 * @key:	the member's name
 * @flags:	RC_JSON_OPTIONAL, RC_JSON_NULLABLE
 * @out:	replaced by the text: the exact bytes of "KEY_hex" when that
 *		member is there (text that is not UTF-8), else the string
 * @error:	set to an input error naming PATH.KEY or PATH.KEY_hex
 *
 * "KEY_hex" must be the hex of bytes that are not UTF-8 and that read as
 * the string once repaired (U+FFFD for each bad byte): a reader never takes
 * a hex member that says something else than the string beside it.
 *
 * Return: TRUE when the member (and its hex) is as required
 */
gboolean rc_json_get_text(const RcJsonReader *reader, json_object *parent, const char *path,
			  const char *key, guint flags, char **out, GError **error)
{
	g_autofree char *hex_key = g_strconcat(key, RC_JSON_HEX_SUFFIX, NULL);
	g_autofree char *hex = NULL;
	g_autofree char *repaired = NULL;
	g_autoptr(GString) bytes = g_string_new(NULL);

	if (!rc_json_get_string(reader, parent, path, key, flags, out, error) ||
	    !rc_json_get_string(reader, parent, path, hex_key, RC_JSON_OPTIONAL, &hex, error))
		return FALSE;
	if (!hex)
		return TRUE;
	if (hex_decode(hex, bytes))
		repaired = g_utf8_make_valid(bytes->str, -1);
	if (!repaired || !*out || g_utf8_validate(bytes->str, -1, NULL) ||
	    strcmp(repaired, *out) != 0) {
		g_autofree char *hex_path = g_strdup_printf("%s.%s", path, hex_key);

		return rc_json_fail(reader, hex_path, error,
				    "not the hex of the bytes of '%s' that are not UTF-8", key);
	}
	g_free(*out);
	*out = g_strdup(bytes->str);
	return TRUE;
}

/**
 * rc_json_only_keys() - reject members an object should not have
 * @reader:	the document being read
 * @obj:	the object
 * @path:	its JSON path
 * @known:	the members it may have, NULL-terminated
 * @error:	set to an input error naming the unknown member
 *
 * A misspelt optional member must not be ignored silently.
 *
 * Return: TRUE when every member is known
 */
gboolean rc_json_only_keys(const RcJsonReader *reader, json_object *obj, const char *path,
			   const char *const *known, GError **error)
{
	json_object_object_foreach (obj, key, value) {
		(void)value;
		if (!g_strv_contains(known, key)) {
			g_autofree char *shown = g_strescape(key, NULL);

			return rc_json_fail(reader, path, error, "unknown member '%s'", shown);
		}
	}
	return TRUE;
}
