/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonutil.h - json-c glue: scope-bound cleanup and printing.
 */
#ifndef RC_JSONUTIL_H
#define RC_JSONUTIL_H

#include <stdio.h>

#include <glib.h>
#include <json-c/json.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, json_object_put)

gboolean rc_json_print(json_object *obj, FILE *out, GError **error);

#endif /* RC_JSONUTIL_H */
