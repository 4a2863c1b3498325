/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonparse.h - strict parsing of one JSON document from memory, and typed
 * access to its members with errors that name the file and the JSON path.
 */
#ifndef RC_JSONPARSE_H
#define RC_JSONPARSE_H

#include <glib.h>
#include <json-c/json.h>

/**
 * RcJsonReader - a JSON document being read, for error messages
 * @source:	the file name
 * @hint:	what to do about an error, e.g. "regenerate the catalog"
 */
typedef struct {
	const char *source;
	const char *hint;
} RcJsonReader;

/* Flags of rc_json_member(). */
#define RC_JSON_OPTIONAL (1u << 0)
#define RC_JSON_NULLABLE (1u << 1)

gboolean rc_json_fail(const RcJsonReader *reader, const char *path, GError **error, const char *fmt,
		      ...) G_GNUC_PRINTF(4, 5);
gboolean rc_json_member(const RcJsonReader *reader, json_object *parent, const char *path,
			const char *key, json_type type, guint flags, json_object **value,
			GError **error);
gboolean rc_json_get_string(const RcJsonReader *reader, json_object *parent, const char *path,
			    const char *key, guint flags, char **out, GError **error);
gboolean rc_json_get_text(const RcJsonReader *reader, json_object *parent, const char *path,
			  const char *key, guint flags, char **out, GError **error);
gboolean rc_json_only_keys(const RcJsonReader *reader, json_object *obj, const char *path,
			   const char *const *known, GError **error);
json_object *rc_json_parse_strict(const char *text, gsize length, const char *source,
				  GError **error);

#endif /* RC_JSONPARSE_H */
