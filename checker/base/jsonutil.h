/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonutil.h - json-c glue: scope-bound cleanup, printing, and text from
 * outside (file names, paths, messages) made safe for JSON and for a
 * terminal.
 */
#ifndef RC_JSONUTIL_H
#define RC_JSONUTIL_H

#include <stdio.h>

#include <glib.h>
#include <json-c/json.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, json_object_put)

/* Suffix of the member that carries a string's bytes when they are not UTF-8. */
#define RC_JSON_HEX_SUFFIX "_hex"

gboolean rc_json_print(json_object *obj, FILE *out, GError **error);
json_object *rc_json_text_new(const char *text);
void rc_json_add_text(json_object *obj, const char *key, const char *text);
char *rc_text_visible(const char *text);

#endif /* RC_JSONUTIL_H */
