/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonparse.h - strict parsing of one JSON document from memory.
 */
#ifndef RC_JSONPARSE_H
#define RC_JSONPARSE_H

#include <glib.h>
#include <json-c/json.h>

json_object *rc_json_parse_strict(const char *text, gsize length, const char *source,
				  GError **error);

#endif /* RC_JSONPARSE_H */
